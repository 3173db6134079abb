import { describe, expect, it } from '@jest/globals'
import { DEPRECATIONS, deprecationStatus, findDeprecation } from '../../src/checks/deprecations.js'
import {
  divergenceCheck,
  judgeApiVersion,
  judgeLoadBalancer,
  judgePodSecurity,
  openShiftFindings,
  parseIdRange,
  podSecurityLabels
} from '../../src/checks/divergence.js'
import { podTemplateOf } from '../../src/checks/pod-templates.js'
import type { ApiSurface, KubeObject } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { EXTRA_RESOURCES, realityContext, served } from '../fixtures/reality/context.js'

function surfaceOf(...resources: ReturnType<typeof served>[]): ApiSurface {
  const groups = new Map<string, { preferred: string; versions: string[] }>()
  for (const r of resources) {
    const g = groups.get(r.group) ?? { preferred: r.version, versions: [] }
    if (!g.versions.includes(r.version)) g.versions.push(r.version)
    groups.set(r.group, g)
  }
  return { resources, groups, aggregated: true, requests: 1 }
}

describe('the deprecations table', () => {
  it.each([
    ['extensions', 'v1beta1', 'Deployment', 16, 'apps/v1'],
    ['apps', 'v1beta1', 'Deployment', 16, 'apps/v1'],
    ['apps', 'v1beta2', 'StatefulSet', 16, 'apps/v1'],
    ['extensions', 'v1beta1', 'Ingress', 22, 'networking.k8s.io/v1'],
    ['networking.k8s.io', 'v1beta1', 'Ingress', 22, 'networking.k8s.io/v1'],
    ['policy', 'v1beta1', 'PodSecurityPolicy', 25, undefined],
    ['policy', 'v1beta1', 'PodDisruptionBudget', 25, 'policy/v1'],
    ['batch', 'v1beta1', 'CronJob', 25, 'batch/v1'],
    ['autoscaling', 'v2beta1', 'HorizontalPodAutoscaler', 25, 'autoscaling/v2'],
    ['autoscaling', 'v2beta2', 'HorizontalPodAutoscaler', 26, 'autoscaling/v2'],
    [
      'flowcontrol.apiserver.k8s.io',
      'v1beta1',
      'FlowSchema',
      26,
      'flowcontrol.apiserver.k8s.io/v1'
    ],
    [
      'flowcontrol.apiserver.k8s.io',
      'v1beta2',
      'PriorityLevelConfiguration',
      29,
      'flowcontrol.apiserver.k8s.io/v1'
    ],
    [
      'flowcontrol.apiserver.k8s.io',
      'v1beta3',
      'FlowSchema',
      32,
      'flowcontrol.apiserver.k8s.io/v1'
    ],
    ['storage.k8s.io', 'v1beta1', 'CSIStorageCapacity', 27, 'storage.k8s.io/v1'],
    ['rbac.authorization.k8s.io', 'v1beta1', 'ClusterRole', 22, 'rbac.authorization.k8s.io/v1'],
    [
      'admissionregistration.k8s.io',
      'v1beta1',
      'ValidatingWebhookConfiguration',
      22,
      'admissionregistration.k8s.io/v1'
    ],
    ['apiextensions.k8s.io', 'v1beta1', 'CustomResourceDefinition', 22, 'apiextensions.k8s.io/v1'],
    ['certificates.k8s.io', 'v1beta1', 'CertificateSigningRequest', 22, 'certificates.k8s.io/v1'],
    ['coordination.k8s.io', 'v1beta1', 'Lease', 22, 'coordination.k8s.io/v1'],
    ['discovery.k8s.io', 'v1beta1', 'EndpointSlice', 25, 'discovery.k8s.io/v1'],
    ['events.k8s.io', 'v1beta1', 'Event', 25, 'events.k8s.io/v1'],
    ['node.k8s.io', 'v1beta1', 'RuntimeClass', 25, 'node.k8s.io/v1'],
    ['scheduling.k8s.io', 'v1beta1', 'PriorityClass', 22, 'scheduling.k8s.io/v1'],
    ['resource.k8s.io', 'v1alpha2', 'ResourceClaim', 31, 'resource.k8s.io/v1']
  ])('%s/%s %s: removed in 1.%s, replaced by %s', (group, version, kind, removed, replacement) => {
    const d = findDeprecation(group, version, kind)
    expect(d?.removedIn).toBe(removed)
    if (replacement) expect(d?.replacement).toBe(replacement)
    expect(d && d.deprecatedIn < removed).toBe(true)
  })
  it('has one entry per group/version/kind', () => {
    const keys = DEPRECATIONS.map(d => `${d.group}/${d.version}/${d.kind}`)
    expect(new Set(keys).size).toBe(keys.length)
  })
  it.each<[number, string]>([
    [20, 'current'],
    [21, 'deprecated'],
    [24, 'deprecated'],
    [25, 'removed'],
    [37, 'removed']
  ])('batch/v1beta1 CronJob on 1.%s is %s', (minor, status) => {
    const d = findDeprecation('batch', 'v1beta1', 'CronJob')
    if (!d) throw new Error('missing')
    expect(deprecationStatus(d, minor)).toBe(status)
  })
})

describe('judgeApiVersion', () => {
  const surface = surfaceOf(
    served('apps/v1', 'Deployment', 'deployments'),
    served('batch/v1', 'CronJob', 'cronjobs'),
    served('batch/v1beta1', 'CronJob', 'cronjobs'),
    served('networking.k8s.io/v1', 'Ingress', 'ingresses')
  )
  const j = (apiVersion: string, kind: string, minor = 37, plannedCrd = false) =>
    judgeApiVersion(apiVersion, kind, { surface, minor, gitVersion: `v1.${minor}.0`, plannedCrd })
  it.each<[string, ReturnType<typeof j>, string, string | undefined, RegExp]>([
    [
      'served, not in the table',
      j('apps/v1', 'Deployment'),
      'pass',
      undefined,
      /apps\/v1 Deployment is served/
    ],
    [
      'removed and not served',
      j('extensions/v1beta1', 'Ingress'),
      'fail',
      'high',
      /not served: removed in 1\.22 \(deprecated in 1\.14, removed in 1\.22; this cluster runs v1\.37\.0\)/
    ],
    [
      'deprecated and still served',
      j('batch/v1beta1', 'CronJob', 23),
      'warn',
      'medium',
      /deprecated in 1\.21, removed in 1\.25; this cluster runs v1\.23\.0, which still serves it: an upgrade to 1\.25 breaks/
    ],
    [
      'not yet deprecated',
      j('batch/v1beta1', 'CronJob', 20),
      'pass',
      undefined,
      /to be deprecated in 1\.21/
    ],
    [
      'unknown and not served',
      j('example.com/v1', 'Widget'),
      'fail',
      'high',
      /no API group example\.com/
    ],
    [
      'not served, CRD in the plan',
      j('example.com/v1', 'Widget', 37, true),
      'pass',
      undefined,
      /installs its CustomResourceDefinition first/
    ]
  ])('%s', (_n, r, verdict, severity, message) => {
    expect(r.verdict).toBe(verdict)
    if (severity) expect(r.severity).toBe(severity)
    expect(r.message).toMatch(message)
  })
  it('names the replacement', () =>
    expect(j('extensions/v1beta1', 'Ingress').adjustment).toBe('use networking.k8s.io/v1 Ingress'))
})

describe('Pod Security of workloads against namespace labels', () => {
  const manifest = (privileged: boolean) =>
    parseManifests(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: x, securityContext: {privileged: ${privileged}}}]\n`,
      'app.yaml'
    )[0]
  const judge = (privileged: boolean, labels: Record<string, string>) => {
    const m = manifest(privileged)
    const t = podTemplateOf(m.object)
    if (!t) throw new Error('no template')
    return judgePodSecurity(m, t, 'app', podSecurityLabels(labels))
  }
  it.each<[string, boolean, Record<string, string>, string | undefined, string | undefined]>([
    [
      'enforce baseline, privileged',
      true,
      { 'pod-security.kubernetes.io/enforce': 'baseline' },
      'fail',
      'high'
    ],
    [
      'warn restricted only',
      true,
      { 'pod-security.kubernetes.io/warn': 'restricted' },
      'warn',
      'medium'
    ],
    ['audit only', true, { 'pod-security.kubernetes.io/audit': 'baseline' }, 'warn', 'low'],
    [
      'privileged level',
      true,
      { 'pod-security.kubernetes.io/enforce': 'privileged' },
      undefined,
      undefined
    ],
    ['no labels', true, {}, undefined, undefined],
    [
      'compliant with baseline',
      false,
      { 'pod-security.kubernetes.io/enforce': 'baseline' },
      undefined,
      undefined
    ],
    [
      'unknown level ignored',
      true,
      { 'pod-security.kubernetes.io/enforce': 'strict' },
      undefined,
      undefined
    ]
  ])('%s', (_n, privileged, labels, verdict, severity) => {
    const r = judge(privileged, labels)
    expect(r?.verdict).toBe(verdict)
    expect(r?.severity).toBe(severity)
  })
  it('reports each violation once, under the strictest mode, with its field path', () => {
    const r = judge(true, {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted'
    })
    expect(r?.message).toBe(
      'Deployment web (app.yaml:1) violates Pod Security "baseline" (enforce in namespace app): the Deployment is admitted with a warning, but its pods will be rejected and it never becomes ready'
    )
    const lines = r?.evidence?.split('\n') ?? []
    expect(lines[0]).toBe(
      '[enforce baseline] privileged: spec.template.spec.containers[0].securityContext.privileged: container "app" must not set securityContext.privileged=true'
    )
    expect(lines.filter(l => l.includes('securityContext.privileged'))).toHaveLength(1)
    expect(lines.slice(1).every(l => l.startsWith('[warn restricted]'))).toBe(true)
  })
})

describe('OpenShift', () => {
  it.each<[string | undefined, { first: number; last: number } | undefined]>([
    ['1000680000/10000', { first: 1000680000, last: 1000689999 }],
    ['1000680000-1000689999', { first: 1000680000, last: 1000689999 }],
    ['1000680000/10000,2000/10', { first: 1000680000, last: 1000689999 }],
    ['nonsense', undefined],
    [undefined, undefined]
  ])('parseIdRange(%s)', (text, want) => expect(parseIdRange(text)).toEqual(want))

  const ANN = {
    'openshift.io/sa.scc.uid-range': '1000680000/10000',
    'openshift.io/sa.scc.supplemental-groups': '1000680000/10000'
  }
  const t = (spec: Record<string, unknown>) => {
    const tpl = podTemplateOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec })
    if (!tpl) throw new Error('no template')
    return tpl
  }
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'UID inside the range',
      { securityContext: { runAsUser: 1000680005 }, containers: [{ name: 'a' }] },
      []
    ],
    [
      'UID outside the range',
      { containers: [{ name: 'a', securityContext: { runAsUser: 1001 } }] },
      ['spec.containers[0].securityContext.runAsUser nonroot-v2 (or anyuid)']
    ],
    [
      'root',
      { securityContext: { runAsUser: 0 }, containers: [{ name: 'a' }] },
      ['spec.securityContext.runAsUser anyuid']
    ],
    [
      'fsGroup outside',
      { securityContext: { fsGroup: 2000 }, containers: [{ name: 'a' }] },
      ['spec.securityContext.fsGroup nonroot-v2 (or anyuid)']
    ],
    [
      'privileged',
      { containers: [{ name: 'a', securityContext: { privileged: true } }] },
      ['spec.containers[0].securityContext.privileged privileged']
    ],
    [
      'hostNetwork',
      { hostNetwork: true, containers: [{ name: 'a' }] },
      ['spec.hostNetwork hostnetwork-v2']
    ],
    [
      'capability',
      {
        containers: [
          {
            name: 'a',
            securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } }
          }
        ]
      },
      [
        'spec.containers[0].securityContext.capabilities.add privileged (or a custom SCC allowing them)'
      ]
    ],
    [
      'hostPath',
      { volumes: [{ name: 'h', hostPath: { path: '/var' } }], containers: [{ name: 'a' }] },
      ['spec.volumes[0].hostPath hostmount-anyuid']
    ]
  ])('%s', (_n, spec, want) =>
    expect(openShiftFindings(t(spec), ANN).map(f => `${f.path} ${f.scc}`)).toEqual(want)
  )
})

const LAST_APPLIED = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"extensions/v1beta1","kind":"Ingress","metadata":{"name":"web"}}'
  managedFields:
    - {manager: kubectl, operation: Update, apiVersion: extensions/v1beta1, fieldsType: FieldsV1}
spec: {rules: [{host: a.example.com}]}
`

describe('the divergence kind against a fake cluster', () => {
  const ns = (
    labels: Record<string, string>,
    annotations: Record<string, string> = {}
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'app', labels, annotations }
  })
  async function run(
    objects: KubeObject[],
    plan: string,
    files: Record<string, string>,
    resources = EXTRA_RESOURCES
  ) {
    const cluster = new FakeCluster({ objects, resources })
    const ctx = await realityContext({ plan, files, cluster })
    return divergenceCheck.run(ctx)
  }

  it("judges only the manifests' own apiVersions, never last-applied-configuration or managedFields", async () => {
    const results = await run([ns({})], 'assumptions:\n  manifests: [ing.yaml]\n', {
      'ing.yaml': LAST_APPLIED
    })
    expect(results.filter(r => r.verdict !== 'pass')).toEqual([])
    expect(results.map(r => r.target)).toEqual(['apiVersion networking.k8s.io/v1 Ingress'])
  })

  it('flags a removed apiVersion, naming every manifest that uses it', async () => {
    const old =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: b}\n'
    const results = await run([ns({})], 'assumptions:\n  manifests: [old.yaml]\n', {
      'old.yaml': old
    })
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      location: { file: 'old.yaml', line: 1 }
    })
    expect(results[0].evidence).toBe('used by old.yaml:1 Ingress a, old.yaml:5 Ingress b')
  })

  it('fails a privileged pod in a restricted namespace, and passes a compliant one', async () => {
    const pods =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}\n---\n' +
      'apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: c, image: x, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]\n'
    const results = await run(
      [ns({ 'pod-security.kubernetes.io/enforce': 'restricted' })],
      'assumptions:\n  manifests: [pods.yaml]\n',
      { 'pods.yaml': pods }
    )
    const bad = results.find(r => r.target === 'pod-security Pod app/bad')
    expect(bad).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      location: {
        file: 'pods.yaml',
        line: 1,
        path: 'Pod/bad spec.containers[0].securityContext.privileged'
      }
    })
    expect(bad?.message).toContain('the API server will reject it')
    expect(results.find(r => r.target === 'pod-security namespace app')?.message).toBe(
      '1 workload in app meets its Pod Security levels (enforce=restricted)'
    )
  })

  it('uses the labels of a namespace the plan creates', async () => {
    const files = {
      'ns.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: fresh, labels: {pod-security.kubernetes.io/enforce: baseline}}\n',
      'pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: fresh}\nspec: {hostPID: true, containers: [{name: c, image: x}]}\n'
    }
    const results = await run(
      [],
      'assumptions:\n  manifests: [pod.yaml]\nphases:\n  - {name: ns, apply: [ns.yaml]}\n',
      files
    )
    expect(results.find(r => r.target === 'pod-security Pod fresh/p')).toMatchObject({
      verdict: 'fail'
    })
  })

  it('applies the OpenShift rules when the cluster serves OpenShift groups, with Ingress as advice', async () => {
    const files = {
      'app.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      securityContext: {runAsUser: 1001}\n      containers: [{name: c, image: x}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n'
    }
    const results = await run(
      [ns({}, { 'openshift.io/sa.scc.uid-range': '1000680000/10000' })],
      'assumptions:\n  manifests: [app.yaml]\n',
      files,
      [
        ...EXTRA_RESOURCES,
        served(
          'security.openshift.io/v1',
          'SecurityContextConstraints',
          'securitycontextconstraints',
          false
        )
      ]
    )
    const os = results.find(r => r.target === 'openshift Deployment app/web')
    expect(os).toMatchObject({ verdict: 'fail', severity: 'high' })
    expect(os?.adjustment).toContain('oc adm policy add-scc-to-user nonroot-v2 -z web -n app')
    expect(results.find(r => r.target === 'openshift Ingress web (Ingress)')).toMatchObject({
      verdict: 'warn',
      severity: 'low'
    })
  })

  it('flags images from registries outside registries.allow, with file:line and container', async () => {
    const files = {
      'app.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: registry.example.com/team/a:1}, {name: b, image: nginx:1.25}]}\n'
    }
    const results = await run(
      [ns({})],
      'registries: {allow: [registry.example.com]}\nassumptions:\n  manifests: [app.yaml]\n',
      files
    )
    const r = results.find(x => x.target === 'registries')
    expect(r).toMatchObject({
      verdict: 'fail',
      message:
        '1 container image comes from registries outside registries.allow (registry.example.com)'
    })
    expect(r?.evidence).toBe(
      'app.yaml:1 Pod p spec.containers[1].image: nginx:1.25 (registry docker.io)'
    )
  })

  it('counts images the plan assumes without a manifest using them', async () => {
    const results = await run(
      [ns({})],
      'registries: {allow: [registry.example.com]}\nassumptions:\n  images: [registry.example.com/a:1, quay.io/other/b:2]\n',
      {}
    )
    const r = results.find(x => x.target === 'registries')
    expect(r?.verdict).toBe('fail')
    expect(r?.evidence).toMatch(
      /assumptions\.images\[1\]: quay\.io\/other\/b:2 \(registry quay\.io\)/
    )
    expect(r?.evidence).not.toMatch(/registry\.example\.com\/a:1/)
  })
})

describe('judgeLoadBalancer', () => {
  const svc = (name: string, ingress?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'x' },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: ingress ? { ingress: [{ ip: ingress }] } : {} }
  })
  const node = (providerID?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    spec: providerID ? { providerID } : {}
  })
  async function judge(objects: KubeObject[], resources = EXTRA_RESOURCES) {
    const cluster = new FakeCluster({ objects, resources })
    return judgeLoadBalancer(await realityContext({ plan: '', cluster }))
  }
  it.each<[string, KubeObject[], ReturnType<typeof served>[], boolean, RegExp]>([
    [
      'a Service that got an address',
      [svc('pending'), svc('lb', '203.0.113.7')],
      [],
      true,
      /Service x\/lb got a load balancer address \(203\.0\.113\.7\)/
    ],
    [
      'MetalLB installed',
      [],
      [served('metallb.io/v1beta1', 'IPAddressPool', 'ipaddresspools')],
      true,
      /MetalLB is installed/
    ],
    [
      'a cloud provider',
      [node('aws:///eu-west-1a/i-0abc')],
      [],
      true,
      /cloud provider \(providerID aws/
    ],
    [
      'nothing',
      [svc('pending'), node('kwok://n')],
      [],
      false,
      /no Service of type LoadBalancer has an address \(1 LoadBalancer Service of 1 seen\); no known load-balancer controller/
    ]
  ])('%s', async (_n, objects, extra, available, how) => {
    const r = await judge(objects, [...EXTRA_RESOURCES, ...extra])
    expect(r.available).toBe(available)
    expect(r.how).toMatch(how)
  })
})
