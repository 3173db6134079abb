// The reality check's kinds against the real local control plane: operators
// (a CSV this test drives to Succeeded, a Deployment kwok makes Available),
// CRDs, permissions for the admin and the restricted identity, quota
// headroom, storage classes, admission (Pod Security, a real HTTPS webhook on
// loopback with its own CA, a webhook with side effects) and divergence.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { admissionCheck } from '../../src/checks/admission.js'
import { crdCheck } from '../../src/checks/crd.js'
import { divergenceCheck } from '../../src/checks/divergence.js'
import { operatorCheck } from '../../src/checks/operator.js'
import { permissionCheck } from '../../src/checks/permission.js'
import { quotaCheck } from '../../src/checks/quota.js'
import { storageClassCheck } from '../../src/checks/storage-class.js'
import type { AssumptionCheck } from '../../src/checks/types.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import type { CheckResult } from '../../src/report/model.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { realityContext } from '../fixtures/reality/context.js'

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await sleep(200)
  }
}

const apply = (obj: object, namespace?: string) =>
  kubectl(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(obj), namespace })

const clusters: KubeCluster[] = []
async function connect(context?: string): Promise<KubeCluster> {
  const c = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig, context })
  clusters.push(c)
  return c
}

async function check(
  kind: AssumptionCheck,
  plan: string,
  files: Record<string, string>,
  opts: { namespace: string; context?: string }
): Promise<CheckResult[]> {
  const cluster = await connect(opts.context)
  const ctx = await realityContext({
    plan: `target: {namespace: ${opts.namespace}}\n${plan}`,
    files,
    cluster
  })
  return kind.run(ctx)
}

const byTarget = (results: CheckResult[]) => Object.fromEntries(results.map(r => [r.target, r]))

let ns: string
let nsQuota: string
let nsPsa: string
const suffix = randomBytes(3).toString('hex')
const group = `widgets-${suffix}.phase-gate.test`
const storageClass = `pg-reality-${suffix}`
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  ;[ns, nsQuota, nsPsa] = await Promise.all([
    createTestNamespace('reality'),
    createTestNamespace('reality-quota'),
    createTestNamespace('reality-psa')
  ])
  await kubectl([
    'label',
    'namespace',
    nsPsa,
    'pod-security.kubernetes.io/enforce=restricted',
    'pod-security.kubernetes.io/warn=restricted'
  ])
}, 60_000)

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined)
  for (const c of clusters) c.close()
  await Promise.all([ns, nsQuota, nsPsa].filter(Boolean).map(n => deleteNamespace(n)))
}, 60_000)

describe('operators', () => {
  beforeAll(async () => {
    await apply(
      {
        apiVersion: 'operators.coreos.com/v1alpha1',
        kind: 'ClusterServiceVersion',
        metadata: { name: 'op-a.v1.2.3', namespace: ns },
        spec: { displayName: 'Operator A', version: '1.2.3' }
      },
      ns
    )
    await kubectl(
      [
        'patch',
        'clusterserviceversion',
        'op-a.v1.2.3',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({
          status: {
            phase: 'Succeeded',
            reason: 'InstallSucceeded',
            message: 'install strategy completed with no errors'
          }
        })
      ],
      { namespace: ns }
    )
    await apply(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'op-b', namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'op-b' } },
          template: {
            metadata: { labels: { app: 'op-b' } },
            spec: { containers: [{ name: 'manager', image: 'registry.invalid/op-b:2.0.1' }] }
          }
        }
      },
      ns
    )
    await until(
      'op-b Available',
      async () =>
        (await kubectl(
          [
            'get',
            'deployment',
            'op-b',
            '-o',
            'jsonpath={.status.conditions[?(@.type=="Available")].status}'
          ],
          { namespace: ns }
        )) === 'True'
    )
  }, 60_000)

  it('finds a Succeeded CSV and an Available Deployment, and fails a missing operator', async () => {
    const results = await check(
      operatorCheck,
      `assumptions:\n  operators:\n    - {name: op-a, namespace: ${ns}, version: ">=1.2"}\n    - {name: op-b, namespace: ${ns}, version: "^2.0"}\n    - {name: op-c, namespace: ${ns}}\n    - {name: op-a, namespace: ${ns}, version: ">=2"}\n`,
      {},
      { namespace: ns }
    )
    expect(results.map(r => [r.verdict, r.data?.source, r.data?.version])).toEqual([
      ['pass', 'csv', '1.2.3'],
      ['pass', 'deployment', '2.0.1'],
      ['fail', undefined, undefined],
      ['fail', 'csv', '1.2.3']
    ])
    expect(results[2].message).toBe(`operator op-c is not installed in namespace ${ns}`)
    expect(results[2].evidence).toContain(
      `a ClusterServiceVersion op-c.v* in phase Succeeded in ${ns}`
    )
    expect(results[3].message).toBe(
      `operator op-a 1.2.3 does not satisfy >=2 (ClusterServiceVersion ${ns}/op-a.v1.2.3)`
    )
  })

  it('finds an operator installed as a Helm release by the real helm, with its chart version', async () => {
    const chart = mkdtempSync(join(tmpdir(), 'pg-op-chart-'))
    cleanups.push(async () => rmSync(chart, { recursive: true, force: true }))
    writeFileSync(
      join(chart, 'Chart.yaml'),
      'apiVersion: v2\nname: op-h\nversion: 0.3.1\nappVersion: "9.9"\n'
    )
    mkdirSync(join(chart, 'templates'))
    writeFileSync(
      join(chart, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: op-h-settings}\ndata: {k: v}\n'
    )
    execFileSync(
      'helm',
      ['install', 'op-h', chart, '--namespace', ns, '--kubeconfig', clusterEnv().kubeconfig],
      { stdio: 'pipe' }
    )
    const results = await check(
      operatorCheck,
      `assumptions:\n  operators:\n    - {name: op-h, namespace: ${ns}, version: "~0.3"}\n    - {name: op-h, namespace: ${ns}, version: ">=1"}\n`,
      {},
      { namespace: ns }
    )
    expect(results.map(r => [r.verdict, r.data?.source, r.data?.version])).toEqual([
      ['pass', 'helm', '0.3.1'],
      ['fail', 'helm', '0.3.1']
    ])
  })
})

describe('CRDs', () => {
  beforeAll(async () => {
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } }
      }
    }
    await apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          {
            name: 'v1beta1',
            served: true,
            storage: false,
            deprecated: true,
            deprecationWarning: `${group}/v1beta1 Widget is deprecated; use v1`,
            schema
          },
          { name: 'v1alpha1', served: false, storage: false, schema }
        ]
      }
    })
    cleanups.push(() => kubectl(['delete', 'crd', `widgets.${group}`, '--wait=false']))
    await until(
      'CRD Established',
      async () =>
        (await kubectl([
          'get',
          'crd',
          `widgets.${group}`,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Established")].status}'
        ])) === 'True'
    )
  }, 60_000)

  it('judges served, deprecated and unserved versions of a real CRD', async () => {
    const results = await check(
      crdCheck,
      `assumptions:\n  apis: [${group}/v1/Widget, ${group}/v1beta1/Widget, ${group}/v1alpha1/Widget, gateway.networking.k8s.io/v1/HTTPRoute, gateway.networking.k8s.io/v1beta1/HTTPRoute]\n  crds: [widgets.${group}, nothings.${group}]\n`,
      {},
      { namespace: ns }
    )
    const by = byTarget(results)
    expect(by[`widgets.${group}`]).toMatchObject({
      verdict: 'pass',
      message: `CustomResourceDefinition widgets.${group} is Established; serves v1, v1beta1, stores v1`
    })
    expect(by[`nothings.${group}`]).toMatchObject({
      verdict: 'fail',
      message: `CustomResourceDefinition nothings.${group} does not exist`
    })
    expect(by[`${group}/v1/Widget`]).toMatchObject({
      verdict: 'pass',
      message: `${group}/v1/Widget is served by CustomResourceDefinition widgets.${group} (Established; storage version v1)`
    })
    expect(by[`${group}/v1beta1/Widget`]).toMatchObject({
      verdict: 'warn',
      message: `${group}/v1beta1/Widget is served but deprecated: ${group}/v1beta1 Widget is deprecated; use v1`
    })
    expect(by[`${group}/v1alpha1/Widget`]).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: `widgets.${group} defines v1alpha1 but does not serve it; it serves v1, v1beta1`
    })
    expect(by['gateway.networking.k8s.io/v1/HTTPRoute'].verdict).toBe('pass')
    expect(by['gateway.networking.k8s.io/v1beta1/HTTPRoute']).toMatchObject({
      verdict: 'fail',
      message: 'httproutes.gateway.networking.k8s.io defines no version v1beta1; it serves v1'
    })
  })
})

const DEPLOY = (name: string, cpu = '100m') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: registry.invalid/${name}:1, resources: {requests: {cpu: "${cpu}"}}}]}
`

describe('permissions', () => {
  const thirty = ['get', 'list', 'watch', 'create', 'patch', 'delete']
    .flatMap(verb =>
      ['configmaps', 'secrets', 'services', 'deployments.apps', 'jobs.batch'].map(
        resource => `    - {verb: ${verb}, resource: ${resource}}`
      )
    )
    .join('\n')
  const files = {
    'deploy/app.yaml': `${DEPLOY('web')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-reader-${suffix}}
rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]
`
  }
  const plan = `assumptions:\n  manifests: [deploy/app.yaml]\n  permissions:\n${thirty}\nphases:\n  - {name: app, apply: [deploy/app.yaml]}\n`

  it('allows everything for the admin', async () => {
    const results = await check(permissionCheck, plan, files, { namespace: ns })
    expect(results.filter(r => r.verdict !== 'pass').map(r => r.message)).toEqual([])
    expect(results.length).toBeGreaterThan(8)
  })

  it('denies the restricted identity what edit rights in restricted-test lack, printing the Role rules to add', async () => {
    const env = clusterEnv()
    const results = await check(permissionCheck, plan, files, {
      namespace: env.restrictedNamespace,
      context: env.contexts.restricted
    })
    const by = byTarget(results)
    const rn = env.restrictedNamespace
    for (const r of [
      'configmaps',
      'secrets',
      'services',
      'deployments.apps',
      'jobs.batch',
      'leases.coordination.k8s.io'
    ])
      expect(by[`${r} in ${rn}`]?.verdict).toBe('pass')
    expect(by[`roles.rbac.authorization.k8s.io in ${rn}`]).toMatchObject({
      verdict: 'fail',
      severity: 'high'
    })
    expect(by[`roles.rbac.authorization.k8s.io in ${rn}`].message).toMatch(
      /^may not create, delete, get, list, patch, watch roles\.rbac\.authorization\.k8s\.io/
    )
    expect(by['clusterroles.rbac.authorization.k8s.io (cluster-wide)']).toMatchObject({
      verdict: 'fail'
    })
    const role = by['missing Role rules']
    expect(role.verdict).toBe('fail')
    expect(role.adjustment).toContain(
      `kind: Role\nmetadata:\n  name: phase-gate-demo\n  namespace: ${rn}\nrules:\n  - apiGroups: ["rbac.authorization.k8s.io"]\n    resources: ["roles"]\n    verbs: ["create", "delete", "get", "list", "patch", "watch"]`
    )
    expect(role.adjustment).toContain(
      'kind: ClusterRole\nmetadata:\n  name: phase-gate-demo\nrules:\n  - apiGroups: ["rbac.authorization.k8s.io"]\n    resources: ["clusterroles"]'
    )
    // The server named the identity, so the bindings are ready to apply too.
    expect(role.adjustment).toMatch(/kind: RoleBinding[\s\S]*subjects:\n {2}- kind: User/)
    // The YAML is accepted by the apiserver as it stands (dry-run).
    await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: role.adjustment })
  })
})

describe('quota', () => {
  beforeAll(async () => {
    await apply(
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'compute', namespace: nsQuota },
        spec: { hard: { cpu: '4', pods: '10' } }
      },
      nsQuota
    )
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: DEPLOY('existing', '2500m'),
      namespace: nsQuota
    })
    await until(
      'quota usage',
      async () =>
        (await kubectl(['get', 'resourcequota', 'compute', '-o', 'jsonpath={.status.used.cpu}'], {
          namespace: nsQuota
        })) === '2500m'
    )
  }, 60_000)

  it('says how much headroom is missing', async () => {
    const results = await check(
      quotaCheck,
      'assumptions:\n  manifests: [app.yaml]\n',
      { 'app.yaml': DEPLOY('new', '2') },
      { namespace: nsQuota }
    )
    const r = byTarget(results)[`${nsQuota}/compute`]
    expect(r).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: 'needs cpu 2, quota compute allows 1.5 more (hard 4, used 2.5)'
    })
    expect(r.evidence).toContain('pods: needs 1, hard 10, used 1, free 9')
  })

  it('counts the existing Deployment only by its growth', async () => {
    const results = await check(
      quotaCheck,
      'assumptions:\n  manifests: [app.yaml]\n',
      { 'app.yaml': DEPLOY('existing', '3') },
      { namespace: nsQuota }
    )
    expect(byTarget(results)[`${nsQuota}/compute`]).toMatchObject({ verdict: 'pass' })
  })
})

describe('storage classes', () => {
  beforeAll(async () => {
    await apply({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: storageClass },
      provisioner: 'example.com/none',
      volumeBindingMode: 'WaitForFirstConsumer'
    })
    cleanups.push(() => kubectl(['delete', 'storageclass', storageClass]))
  })

  it('passes a class that exists and fails one that does not, naming the classes there are', async () => {
    const results = await check(
      storageClassCheck,
      `assumptions:\n  storageClasses: [${storageClass}, gold-${suffix}]\n  manifests: [pvc.yaml]\n`,
      {
        'pvc.yaml': `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {storageClassName: gold-${suffix}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`
      },
      { namespace: ns }
    )
    const by = byTarget(results)
    expect(by[storageClass]).toMatchObject({
      verdict: 'pass',
      message: `StorageClass ${storageClass} exists: provisioner example.com/none, WaitForFirstConsumer, reclaim Delete`
    })
    expect(by[`gold-${suffix}`].verdict).toBe('fail')
    expect(by[`gold-${suffix}`].message).toContain(storageClass)
    expect(by['PersistentVolumeClaim/data spec']).toMatchObject({
      verdict: 'fail',
      message: `data names StorageClass gold-${suffix}, which does not exist: the claim would stay Pending`
    })
  })
})

describe('Pod Security: admission and divergence agree', () => {
  const files = {
    'pods.yaml': `apiVersion: v1
kind: Pod
metadata: {name: priv}
spec: {containers: [{name: app, image: registry.invalid/app:1, securityContext: {privileged: true}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: fine}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers: [{name: app, image: registry.invalid/app:1, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]
`
  }
  const plan = 'assumptions:\n  manifests: [pods.yaml]\n'

  it('the server rejects the privileged pod in the dry-run, quoting Pod Security', async () => {
    const by = byTarget(await check(admissionCheck, plan, files, { namespace: nsPsa }))
    expect(by[`Pod ${nsPsa}/priv`]).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: 'Pod priv (pods.yaml:1) is rejected by Pod Security admission'
    })
    expect(by[`Pod ${nsPsa}/priv`].evidence).toMatch(
      /violates PodSecurity "restricted:latest": .*privileged \(container "app" must not set securityContext\.privileged=true\)/
    )
    expect(by[`Pod ${nsPsa}/fine`].verdict).toBe('pass')
  })

  it('the divergence check flags the same pod from the namespace labels, with the field path', async () => {
    const by = byTarget(await check(divergenceCheck, plan, files, { namespace: nsPsa }))
    const priv = by[`pod-security Pod ${nsPsa}/priv`]
    expect(priv).toMatchObject({ verdict: 'fail', severity: 'high' })
    expect(priv.evidence).toContain(
      '[enforce restricted] privileged: spec.containers[0].securityContext.privileged'
    )
    expect(by[`pod-security Pod ${nsPsa}/fine`]).toBeUndefined()
  })
})

describe('divergence', () => {
  it('flags a removed apiVersion that admission cannot even dry-run', async () => {
    const files = {
      'pdb.yaml':
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n',
      'ing.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"extensions/v1beta1","kind":"Ingress"}'
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
`
    }
    const plan = 'assumptions:\n  manifests: [pdb.yaml, ing.yaml]\n'
    const version = await kubectlJson<{ serverVersion: { gitVersion: string } }>(['version'])
    const div = byTarget(await check(divergenceCheck, plan, files, { namespace: ns }))
    expect(div['apiVersion policy/v1beta1 PodDisruptionBudget']).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: `policy/v1beta1 PodDisruptionBudget is not served: removed in 1.25 (deprecated in 1.21, removed in 1.25; this cluster runs ${version.serverVersion.gitVersion})`,
      adjustment: 'use policy/v1 PodDisruptionBudget'
    })
    expect(div['apiVersion networking.k8s.io/v1 Ingress'].verdict).toBe('pass')
    const adm = byTarget(await check(admissionCheck, plan, files, { namespace: ns }))
    expect(adm['PodDisruptionBudget web']).toMatchObject({
      verdict: 'fail',
      message: expect.stringContaining('policy/v1beta1 PodDisruptionBudget is not served here')
    })
    expect(adm[`Ingress ${ns}/web`].verdict).toBe('pass')
  })

  it('warns that a LoadBalancer Service would stay pending on this cluster, saying how it judged', async () => {
    const files = {
      'svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\n'
    }
    const [lb] = (
      await check(divergenceCheck, 'assumptions:\n  manifests: [svc.yaml]\n', files, {
        namespace: ns
      })
    ).filter(r => r.target.startsWith('load-balancer'))
    expect(lb).toMatchObject({ verdict: 'warn', severity: 'medium' })
    expect(lb.evidence).toMatch(/^judged by: no Service of type LoadBalancer has an address/)
  })
})

describe('admission webhooks', () => {
  let server: Server
  let dir: string
  const seen: { dryRun: boolean; name: string }[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-webhook-'))
    const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
    ssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=phase-gate test webhook CA'
    ])
    ssl([
      'req',
      '-x509',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'tls.key',
      '-out',
      'tls.crt',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'extendedKeyUsage=serverAuth'
    ])
    server = createServer(
      { key: readFileSync(join(dir, 'tls.key')), cert: readFileSync(join(dir, 'tls.crt')) },
      (req, res) => {
        let body = ''
        req.on('data', c => (body += c))
        req.on('end', () => {
          const review = JSON.parse(body) as {
            request: { uid: string; dryRun?: boolean; name: string }
          }
          seen.push({ dryRun: review.request.dryRun === true, name: review.request.name })
          res.setHeader('Content-Type', 'application/json')
          res.end(
            JSON.stringify({
              apiVersion: 'admission.k8s.io/v1',
              kind: 'AdmissionReview',
              response: {
                uid: review.request.uid,
                allowed: false,
                status: {
                  code: 403,
                  message: 'ConfigMaps labelled deny are refused by the test webhook'
                }
              }
            })
          )
        })
      }
    )
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const caBundle = readFileSync(join(dir, 'ca.crt')).toString('base64')
    const rules = [
      {
        operations: ['CREATE', 'UPDATE'],
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['configmaps'],
        scope: 'Namespaced'
      }
    ]
    const namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': ns } }
    await apply({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: `deny-${suffix}` },
      webhooks: [
        {
          name: 'deny.phase-gate.test',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          timeoutSeconds: 5,
          clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle },
          rules,
          namespaceSelector,
          objectSelector: { matchLabels: { 'phase-gate.test/webhook': 'deny' } }
        }
      ]
    })
    cleanups.push(() => kubectl(['delete', 'validatingwebhookconfiguration', `deny-${suffix}`]))
    // admissionregistration.k8s.io/v1 refuses sideEffects Some, so the webhook an
    // older cluster kept from v1beta1 days is written to etcd directly, as it was stored then.
    const state = JSON.parse(readFileSync(join(clusterEnv().dir, 'state.json'), 'utf8')) as {
      urls: { etcd: string }
    }
    const name = `side-${suffix}`
    const stored = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name,
        uid: `00000000-0000-4000-8000-${suffix}000000`,
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        generation: 1
      },
      webhooks: [
        {
          name: 'side.phase-gate.test',
          sideEffects: 'Some',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          timeoutSeconds: 5,
          clientConfig: { url: 'https://127.0.0.1:9/never-called', caBundle },
          rules,
          namespaceSelector,
          objectSelector: { matchLabels: { 'phase-gate.test/webhook': 'side' } }
        }
      ]
    }
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    const res = await fetch(`${state.urls.etcd}/v3/kv/put`, {
      method: 'POST',
      body: JSON.stringify({
        key: b64(`/registry/validatingwebhookconfigurations/${name}`),
        value: b64(JSON.stringify(stored))
      })
    })
    expect(res.status).toBe(200)
    cleanups.push(() => kubectl(['delete', 'validatingwebhookconfiguration', name]))
    const probe = (label: string, want: RegExp) =>
      until(`webhook ${label} active`, async () => {
        const cm = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: `probe-${label}`,
            namespace: ns,
            labels: { 'phase-gate.test/webhook': label }
          }
        }
        try {
          await kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(cm) })
          return false
        } catch (err) {
          return want.test(String(err))
        }
      })
    await Promise.all([
      probe('deny', /refused by the test webhook/),
      probe('side', /does not support dry run/)
    ])
  }, 60_000)

  afterAll(async () => {
    server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('fails a manifest a webhook rejects, quoting it, and warns for a webhook with side effects', async () => {
    const files = {
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: denied, labels: {phase-gate.test/webhook: deny}}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: sided, labels: {phase-gate.test/webhook: side}}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: plain}
data: {k: v}
`
    }
    const before = seen.length
    const by = byTarget(
      await check(admissionCheck, 'assumptions:\n  manifests: [cm.yaml]\n', files, {
        namespace: ns
      })
    )
    expect(by[`ConfigMap ${ns}/denied`]).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: 'ConfigMap denied (cm.yaml:1) is rejected by an admission webhook'
    })
    expect(by[`ConfigMap ${ns}/denied`].evidence).toBe(
      'HTTP 403 Forbidden: admission webhook "deny.phase-gate.test" denied the request: ConfigMaps labelled deny are refused by the test webhook'
    )
    expect(by[`ConfigMap ${ns}/sided`]).toMatchObject({ verdict: 'warn', severity: 'medium' })
    expect(by[`ConfigMap ${ns}/sided`].message).toContain(
      `webhook side.phase-gate.test (ValidatingWebhookConfiguration side-${suffix}, sideEffects: Some)`
    )
    expect(by[`ConfigMap ${ns}/plain`].verdict).toBe('pass')
    // The rejecting webhook was really called, and with dryRun set.
    expect(seen.slice(before)).toEqual([{ dryRun: true, name: 'denied' }])
  })
})

describe('the restricted identity', () => {
  it('degrades to warnings where cluster-scoped objects may not be read, and never errors', async () => {
    const env = clusterEnv()
    const opts = { namespace: env.restrictedNamespace, context: env.contexts.restricted }
    const files = {
      'app.yaml': `${DEPLOY('web')}---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`
    }
    const plan = `assumptions:\n  manifests: [app.yaml]\n  storageClasses: [standard]\n  apis: [postgresql.cnpg.io/v1/Cluster, gateway.networking.k8s.io/v1/HTTPRoute]\n  operators: [{name: op-a}]\n`
    const all = (
      await Promise.all(
        [
          crdCheck,
          storageClassCheck,
          quotaCheck,
          admissionCheck,
          divergenceCheck,
          operatorCheck
        ].map(k => check(k, plan, files, opts))
      )
    ).flat()
    expect(all.filter(r => r.verdict === 'error')).toEqual([])
    expect(all.find(r => r.kind === 'storage-class')).toMatchObject({
      verdict: 'warn',
      message: expect.stringMatching(/cannot list StorageClasses \(forbidden\)/)
    })
    expect(all.find(r => r.target === 'gateway.networking.k8s.io/v1/HTTPRoute')).toMatchObject({
      verdict: 'warn',
      severity: 'low'
    })
    expect(all.find(r => r.target === 'postgresql.cnpg.io/v1/Cluster')).toMatchObject({
      verdict: 'fail'
    })
    expect(
      all.find(r => r.kind === 'admission' && r.target.startsWith('Deployment'))?.verdict
    ).toBe('pass')
    expect(all.find(r => r.kind === 'operator')?.evidence).toMatch(
      /forbidden; looked in restricted-test only/
    )
  })
})
