import { describe, expect, it } from '@jest/globals'
import {
  admissionCheck,
  classifyRejection,
  dependencyOf,
  dryRunUnsupportedWebhook,
  judgeRejection
} from '../../src/checks/admission.js'
import {
  loadPlanObjects,
  planCreations,
  type PlanCreations
} from '../../src/checks/plan-objects.js'
import type { KubeObject } from '../../src/kube/types.js'
import { KubeApiError } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { EXTRA_RESOURCES, realityContext } from '../fixtures/reality/context.js'

const NS = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`
const CM = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}, labels: {team: a}}\ndata: {k: v}\n`
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}, versions: [{name: v1, served: true, storage: true}]}
`
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\n'
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`

describe('dependencyOf', () => {
  const creations: PlanCreations = { namespaces: new Map(), crds: new Map() }
  const phased = async () => {
    const ctx = await realityContext({
      plan: 'phases:\n  - {name: base, apply: [ns.yaml, crd.yaml]}\n  - {name: app, apply: [app.yaml]}\n',
      files: { 'ns.yaml': NS('data'), 'crd.yaml': CRD, 'app.yaml': WIDGET },
      cluster: new FakeCluster()
    })
    return planCreations(await loadPlanObjects(ctx.loaded, ctx.settings.workspace), [])
  }
  const m = (text: string) => parseManifests(text, 'x.yaml')[0]
  it.each<
    [
      string,
      string,
      { served: boolean; namespaced: boolean; exists: boolean },
      boolean,
      string | undefined
    ]
  >([
    [
      'served, namespace exists',
      CM('c'),
      { served: true, namespaced: true, exists: true },
      false,
      undefined
    ],
    [
      'namespace missing, not created by the plan',
      CM('c'),
      { served: true, namespaced: true, exists: false },
      false,
      'namespace app does not exist (and the plan does not create it)'
    ],
    [
      'namespace created in a phase',
      CM('c', 'data'),
      { served: true, namespaced: true, exists: false },
      true,
      'depends on Namespace data from phase 1 (base)'
    ],
    [
      'kind from a CRD created in a phase',
      WIDGET,
      { served: false, namespaced: true, exists: true },
      true,
      'depends on CustomResourceDefinition widgets.example.com from phase 1 (base)'
    ],
    [
      'kind not served, no CRD in the plan',
      WIDGET,
      { served: false, namespaced: true, exists: true },
      false,
      undefined
    ],
    [
      'cluster-scoped object',
      NS('x'),
      { served: true, namespaced: false, exists: false },
      false,
      undefined
    ]
  ])('%s', async (_n, text, o, usePlan, want) => {
    const c = usePlan ? await phased() : creations
    expect(
      dependencyOf(m(text), {
        served: o.served,
        namespaced: o.namespaced,
        namespace: 'app',
        namespaceExists: () => o.exists,
        creations: c
      })
    ).toBe(want)
  })
})

describe('rejections', () => {
  it.each<[string, number, string]>([
    [
      'pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged (container "app" must not set securityContext.privileged=true)',
      403,
      'Pod Security admission'
    ],
    [
      'pods "p" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=3, limited: requests.cpu=4',
      403,
      'ResourceQuota'
    ],
    [
      'admission webhook "deny.example.com" denied the request: no latest tags',
      400,
      'an admission webhook'
    ],
    [
      'Internal error occurred: failed calling webhook "v.example.com": failed to call webhook: Post "https://127.0.0.1:1/": connection refused',
      500,
      'an admission webhook'
    ],
    [
      "configmaps \"c\" is forbidden: ValidatingAdmissionPolicy 'no-team-b' with binding 'b' denied request: team b may not",
      422,
      'a ValidatingAdmissionPolicy'
    ],
    [
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      422,
      'schema validation'
    ],
    ['.spec.replicaz: field not declared in schema', 400, 'schema validation'],
    ['the server is currently unable to handle the request', 429, 'the API server'],
    [
      'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments" in API group "apps"',
      403,
      'RBAC'
    ]
  ])('%s', (message, status, cause) => expect(classifyRejection(message, status).cause).toBe(cause))

  it('reads the webhook a dry-run refusal names', () => {
    expect(
      dryRunUnsupportedWebhook('admission webhook "side.example.com" does not support dry run')
    ).toBe('side.example.com')
    expect(dryRunUnsupportedWebhook('admission webhook "x" denied the request')).toBeUndefined()
  })

  it('warns, naming the webhook and its sideEffects, when a webhook refuses dry-runs', () => {
    const r = judgeRejection(
      new KubeApiError(
        'admission webhook "side.example.com" does not support dry run',
        400,
        'BadRequest'
      ),
      'ConfigMap c (x.yaml:1)',
      new Map([
        [
          'side.example.com',
          { configuration: 'side', kind: 'ValidatingWebhookConfiguration', sideEffects: 'Some' }
        ]
      ])
    )
    expect(r).toMatchObject({ verdict: 'warn', severity: 'medium' })
    expect(r.message).toContain(
      'webhook side.example.com (ValidatingWebhookConfiguration side, sideEffects: Some)'
    )
  })

  it('throws what is not an answer about the object', () => {
    expect(() =>
      judgeRejection(
        new KubeApiError('connection refused', 0, 'ECONNREFUSED', undefined, true),
        'x'
      )
    ).toThrow('connection refused')
    expect(() => judgeRejection(new KubeApiError('Unauthorized', 401), 'x')).toThrow('Unauthorized')
    expect(() =>
      judgeRejection(new KubeApiError('etcdserver: request timed out', 500), 'x')
    ).toThrow('etcdserver')
    expect(() => judgeRejection(new Error('boom'), 'x')).toThrow('boom')
  })
})

describe('the admission kind against a fake cluster', () => {
  const namespace = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name }
  })

  it('dry-runs each manifest as the phase would apply it: namespace filled, run labels on metadata only', async () => {
    const cluster = new FakeCluster({ objects: [namespace('app')], resources: EXTRA_RESOURCES })
    const applied: KubeObject[] = []
    const apply = cluster.apply.bind(cluster)
    cluster.apply = async (obj, opts) => {
      applied.push(structuredClone(obj))
      return apply(obj, opts)
    }
    const ctx = await realityContext({
      plan: 'name: shop\nassumptions:\n  manifests: [app.yaml]\nphases:\n  - {name: web, apply: [app.yaml]}\n',
      files: { 'app.yaml': `${CM('c')}---\n${DEPLOY}` },
      cluster,
      runId: '4242'
    })
    const results = await admissionCheck.run(ctx)
    expect(results.map(r => [r.target, r.verdict])).toEqual([
      ['ConfigMap app/c', 'pass'],
      ['Deployment app/web', 'pass']
    ])
    expect(
      cluster.callsOf('apply').every(c => (c.opts as { dryRun?: boolean }).dryRun === true)
    ).toBe(true)
    const deploy = applied.find(o => o.kind === 'Deployment')
    expect(deploy?.metadata).toMatchObject({
      namespace: 'app',
      labels: {
        'app.kubernetes.io/managed-by': 'phase-gate',
        'phase-gate.dev/plan': 'shop',
        'phase-gate.dev/run': '4242',
        'phase-gate.dev/phase': 'web'
      }
    })
    expect(
      (deploy?.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels
    ).toEqual({ app: 'web' })
    expect(applied.find(o => o.kind === 'ConfigMap')?.metadata.labels?.team).toBe('a')
  })

  it('fails a rejected manifest quoting the server, and skips what depends on an earlier phase', async () => {
    const cluster = new FakeCluster({ objects: [namespace('app')], resources: EXTRA_RESOURCES })
    cluster.failNext(
      'apply',
      new KubeApiError(
        'pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged',
        403,
        'Forbidden'
      ),
      'Deployment'
    )
    const ctx = await realityContext({
      plan: 'assumptions:\n  manifests: [ns.yaml, crd.yaml, app.yaml, w.yaml, other.yaml]\nphases:\n  - {name: base, apply: [ns.yaml, crd.yaml]}\n  - {name: app, apply: [app.yaml, w.yaml, other.yaml]}\n',
      files: {
        'ns.yaml': NS('data'),
        'crd.yaml': CRD,
        'app.yaml': DEPLOY,
        'w.yaml': WIDGET,
        'other.yaml': CM('c', 'data')
      },
      cluster
    })
    const results = await admissionCheck.run(ctx)
    const by = Object.fromEntries(results.map(r => [r.target, r]))
    expect(by['Namespace data'].verdict).toBe('pass')
    expect(by['CustomResourceDefinition widgets.example.com'].verdict).toBe('pass')
    expect(by['Deployment app/web']).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: 'Deployment web (app.yaml:1) is rejected by Pod Security admission'
    })
    expect(by['Deployment app/web'].evidence).toBe(
      'HTTP 403 Forbidden: pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged'
    )
    expect(by['Widget w1']).toMatchObject({
      verdict: 'skip',
      message:
        'Widget w1 (w.yaml:1) not dry-run: depends on CustomResourceDefinition widgets.example.com from phase 1 (base)'
    })
    expect(by['ConfigMap data/c']).toMatchObject({
      verdict: 'skip',
      message:
        'ConfigMap data/c (other.yaml:1) not dry-run: depends on Namespace data from phase 1 (base)'
    })
  })

  it('skips everything in a target namespace that does not exist', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const ctx = await realityContext({
      plan: 'assumptions:\n  manifests: [app.yaml]\n',
      files: { 'app.yaml': CM('c') },
      cluster
    })
    const [r] = await admissionCheck.run(ctx)
    expect(r).toMatchObject({
      verdict: 'skip',
      message:
        'ConfigMap c (app.yaml:1) not dry-run: namespace app does not exist (and the plan does not create it)'
    })
    expect(cluster.callsOf('apply')).toHaveLength(0)
  })

  it('turns a transport failure into an error result, not a verdict about the manifest', async () => {
    const cluster = new FakeCluster({ objects: [namespace('app')], resources: EXTRA_RESOURCES })
    cluster.failNext(
      'apply',
      new KubeApiError('connection reset', 0, 'ECONNRESET', undefined, true)
    )
    const ctx = await realityContext({
      plan: 'assumptions:\n  manifests: [app.yaml]\n',
      files: { 'app.yaml': CM('c') },
      cluster
    })
    const [r] = await admissionCheck.run(ctx)
    expect(r.verdict).toBe('error')
    expect(r.message).toContain('connection reset')
  })
})
