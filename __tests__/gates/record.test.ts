// The record gate's readers over fakes: the live
// objects' images, access points and Secret references, and the gate itself
// with a fake cluster (and without one).
import { describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  accessPoint,
  digestOf,
  healthCommands,
  realityCheckDigests,
  recordGate,
  replicasOf,
  secretRefsOf,
  selectorString,
  workloadImages
} from '../../src/gates/record.js'
import { InfraError } from '../../src/core/errors.js'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { CheckSpec } from '../../src/plan/types.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import type { AccessPoint, DeploymentRecord } from '../../src/report/record.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { phaseGate } from '../../src/gates/phase.js'
import { gateContext } from '../checks/validation-ctx.js'

const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`

function runReport(plan: string, gates: GateResult[], over: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan,
    planFile: 'phase-gate.yaml',
    runId: 'run-1',
    target: { namespace: 'shop' },
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:01:00.000Z',
    verdict: 'pass',
    gates,
    ...over
  }
}

const gate = (over: Partial<GateResult>): GateResult => ({
  gate: 'phase',
  verdict: 'pass',
  durationMs: 10,
  startedAt: '2026-03-01T10:00:00.000Z',
  checks: [],
  ...over
})

function deployment(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': '4' }
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' } },
        spec: {
          imagePullSecrets: [{ name: 'regcred' }],
          initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1' }],
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/acme/web:2.0',
              env: [
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'db', key: 'password' } }
                },
                { name: 'MODE', value: 'prod' }
              ],
              envFrom: [
                { secretRef: { name: 'api-keys' }, prefix: 'API_' },
                { configMapRef: { name: 'web-config' } }
              ]
            }
          ],
          volumes: [
            {
              name: 'tls',
              secret: { secretName: 'web-tls', items: [{ key: 'tls.crt', path: 'c' }] }
            },
            {
              name: 'bundle',
              projected: {
                sources: [{ secret: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca' }] } }]
              }
            }
          ]
        }
      }
    },
    status: {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      conditions: [{ type: 'Available', status: 'True' }]
    },
    ...extra
  }
}

function pod(
  name: string,
  statuses: Record<string, unknown>[],
  init: Record<string, unknown>[] = []
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: 'web' } },
    status: { containerStatuses: statuses, initContainerStatuses: init }
  }
}

describe('live readers', () => {
  it.each<[string, unknown, string | undefined]>([
    ['matchLabels', { matchLabels: { app: 'web', tier: 'front' } }, 'app=web,tier=front'],
    [
      'matchExpressions',
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'track', operator: 'NotIn', values: ['x'] },
          { key: 'app', operator: 'Exists' }
        ]
      },
      'env in (a,b),!canary,track notin (x),app'
    ],
    ['empty', {}, undefined]
  ])('selectorString: %s', (_name, selector, text) => {
    expect(selectorString(selector)).toBe(text)
  })

  it.each<[string, unknown, string | undefined]>([
    ['docker-pullable', `docker-pullable://ghcr.io/acme/web@${D1}`, D1],
    ['containerd', `ghcr.io/acme/web@${D1}`, D1],
    ['bare', D2, D2],
    ['kwok', '', undefined],
    ['missing', undefined, undefined]
  ])('digestOf: %s', (_name, id, digest) => {
    expect(digestOf(id)).toBe(digest)
  })

  it("takes digests from the pods running the template's image, init containers included", () => {
    const pods = [
      // An old pod mid-rollout runs the previous image.
      pod('web-old', [
        { name: 'web', image: 'ghcr.io/acme/web:1.9', imageID: `ghcr.io/acme/web@${D2}` }
      ]),
      pod(
        'web-new',
        [{ name: 'web', image: 'ghcr.io/acme/web:2.0', imageID: `ghcr.io/acme/web@${D1}` }],
        [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1', imageID: '' }]
      )
    ]
    expect(workloadImages(deployment(), pods)).toEqual([
      { container: 'migrate', image: 'ghcr.io/acme/migrate:1', init: true },
      { container: 'web', image: 'ghcr.io/acme/web:2.0', digest: D1, digestSource: 'node' }
    ])
  })

  it('takes a pinned digest from the reference when no pod reports one', () => {
    const w = deployment()
    ;(
      w.spec as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers[0].image = `ghcr.io/acme/web@${D2}`
    expect(workloadImages(w, [])[1]).toEqual({
      container: 'web',
      image: `ghcr.io/acme/web@${D2}`,
      digest: D2,
      digestSource: 'reference'
    })
  })

  it.each<[string, KubeObject, ReturnType<typeof replicasOf>]>([
    ['Deployment', deployment(), { desired: 3, ready: 3, available: 3, updated: 3 }],
    [
      'Deployment scaling up',
      deployment({ status: { readyReplicas: 1 } }),
      { desired: 3, ready: 1, available: undefined, updated: undefined }
    ],
    [
      'DaemonSet',
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'a' },
        spec: {},
        status: {
          desiredNumberScheduled: 2,
          numberReady: 1,
          numberAvailable: 1,
          updatedNumberScheduled: 2
        }
      },
      { desired: 2, ready: 1, available: 1, updated: 2 }
    ]
  ])('replicasOf: %s', (_name, w, replicas) => {
    expect(replicasOf(w)).toEqual(replicas)
  })

  it('lists every Secret a pod template references, by name and key', () => {
    expect(secretRefsOf(deployment())).toEqual([
      { secret: 'db', keys: ['password'], use: 'Deployment web: env DB_PASSWORD (container web)' },
      {
        secret: 'api-keys',
        keys: [],
        use: 'Deployment web: all keys as env with prefix API_ (container web)'
      },
      { secret: 'web-tls', keys: ['tls.crt'], use: 'Deployment web: volume tls' },
      { secret: 'ca', keys: ['ca.crt'], use: 'Deployment web: projected volume bundle' },
      { secret: 'regcred', keys: [], use: 'Deployment web: image pull' }
    ])
  })

  const o = (
    kind: string,
    spec: Record<string, unknown>,
    status?: Record<string, unknown>,
    apiVersion = 'v1'
  ): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'shop' },
    spec,
    ...(status ? { status } : {})
  })
  it.each<[string, KubeObject, Partial<AccessPoint>, Map<string, KubeObject>?]>([
    [
      'ClusterIP Service',
      o('Service', { ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      {
        type: 'ClusterIP',
        ports: ['http 80/TCP → http'],
        urls: ['web.shop.svc.cluster.local:80'],
        hosts: []
      }
    ],
    [
      'LoadBalancer Service',
      o(
        'Service',
        { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8443, nodePort: 31443 }] },
        { loadBalancer: { ingress: [{ hostname: 'lb.example.test' }] } }
      ),
      {
        type: 'LoadBalancer',
        hosts: ['lb.example.test'],
        ports: ['443/TCP → 8443 (node port 31443)'],
        urls: ['web.shop.svc.cluster.local:443', 'lb.example.test:443']
      }
    ],
    [
      'ExternalName Service',
      o('Service', { type: 'ExternalName', externalName: 'db.example.test' }),
      { type: 'ExternalName', urls: ['db.example.test'] }
    ],
    [
      'Ingress with TLS on one host',
      o(
        'Ingress',
        {
          ingressClassName: 'nginx',
          tls: [{ hosts: ['a.example.test'] }],
          rules: [
            {
              host: 'a.example.test',
              http: { paths: [{ path: '/api', backend: { service: { name: 'api' } } }] }
            },
            {
              host: 'b.example.test',
              http: { paths: [{ path: '/', backend: { service: { name: 'web' } } }] }
            }
          ]
        },
        undefined,
        'networking.k8s.io/v1'
      ),
      {
        type: 'nginx',
        hosts: ['a.example.test', 'b.example.test'],
        paths: ['/api', '/'],
        urls: ['https://a.example.test/api', 'http://b.example.test/'],
        backends: ['api', 'web']
      }
    ],
    [
      'OpenShift Route with edge TLS',
      o(
        'Route',
        {
          host: 'web-shop.apps.example.test',
          path: '/ui',
          to: { kind: 'Service', name: 'web' },
          alternateBackends: [{ name: 'web-canary' }],
          port: { targetPort: 'http' },
          tls: { termination: 'edge' }
        },
        undefined,
        'route.openshift.io/v1'
      ),
      {
        type: 'TLS edge',
        hosts: ['web-shop.apps.example.test'],
        ports: ['http'],
        paths: ['/ui'],
        urls: ['https://web-shop.apps.example.test/ui'],
        backends: ['web', 'web-canary']
      }
    ],
    [
      'Route with the host the router assigned',
      o(
        'Route',
        { to: { name: 'web' } },
        { ingress: [{ host: 'web-shop.apps.example.test' }] },
        'route.openshift.io/v1'
      ),
      { type: 'plain HTTP', urls: ['http://web-shop.apps.example.test/'] }
    ],
    [
      'HTTPRoute through an HTTPS gateway',
      o(
        'HTTPRoute',
        {
          parentRefs: [{ name: 'public', namespace: 'gw' }],
          hostnames: ['shop.example.test'],
          rules: [{ matches: [{ path: { value: '/cart' } }], backendRefs: [{ name: 'cart' }] }]
        },
        undefined,
        'gateway.networking.k8s.io/v1'
      ),
      {
        type: 'via gw/public',
        hosts: ['shop.example.test'],
        paths: ['/cart'],
        urls: ['https://shop.example.test/cart'],
        backends: ['cart']
      },
      new Map([
        [
          'gw/public',
          o('Gateway', { listeners: [{ name: 'https', protocol: 'HTTPS', port: 443 }] })
        ]
      ])
    ],
    [
      'HTTPRoute whose gateway is not readable',
      o(
        'HTTPRoute',
        {
          parentRefs: [{ name: 'public' }],
          hostnames: ['shop.example.test'],
          rules: [{ backendRefs: [{ name: 'web' }] }]
        },
        undefined,
        'gateway.networking.k8s.io/v1'
      ),
      { type: 'via shop/public', paths: ['/'], urls: ['shop.example.test/'] }
    ]
  ])('accessPoint: %s', (_name, obj, expected, ...gateways) => {
    // A rest parameter: jest reads a fourth declared parameter as a done callback.
    expect(accessPoint(obj, gateways[0])).toMatchObject(expected)
  })

  it("turns the plan's http checks into commands", () => {
    const specs: CheckSpec[] = [
      { http: { service: 'api', port: 8080, path: '/health' } },
      { http: { url: 'https://shop.example.test/health' } },
      { http: { service: 'api', port: 8080, path: '/health' } },
      { ready: { kind: 'Deployment', name: 'api' } }
    ]
    expect(healthCommands(specs, 'shop')).toEqual([
      'kubectl get --raw /api/v1/namespaces/shop/services/api:8080/proxy/health',
      'curl -fsS https://shop.example.test/health'
    ])
  })

  it('knows the digests the reality check read from the registry', () => {
    const r = runReport('shop', [
      gate({
        gate: 'reality-check',
        checks: [
          {
            id: 'image:x',
            kind: 'image',
            target: 'x',
            verdict: 'pass',
            severity: 'info',
            message: '',
            durationMs: 1,
            data: { reference: 'docker.io/library/nginx:1.25', digest: D1 }
          }
        ]
      })
    ])
    expect([...realityCheckDigests([r])]).toEqual([['docker.io/library/nginx:1.25', D1]])
  })
})

describe('record gate over a fake cluster', () => {
  const SECRET = 'pa55-w0rd-never-recorded'
  function phaseRecord(): PhaseRecord {
    return {
      phase: 'web',
      runId: 'run-1',
      status: 'applied',
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:02:00.000Z',
      objects: [
        {
          ref: { apiVersion: 'v1', kind: 'Secret', name: 'db', namespace: 'shop' },
          created: true,
          kept: false
        },
        {
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
          created: true,
          kept: false
        },
        {
          ref: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' },
          created: true,
          kept: false
        }
      ]
    }
  }
  async function cluster(): Promise<FakeCluster> {
    const c = new FakeCluster()
    c.set({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      data: {
        password: Buffer.from(SECRET).toString('base64'),
        user: Buffer.from('app').toString('base64')
      }
    })
    c.set(deployment())
    c.set({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] }
    })
    c.set(
      pod('web-1', [
        { name: 'web', image: 'ghcr.io/acme/web:2.0', imageID: `ghcr.io/acme/web@${D1}` }
      ])
    )
    const record = new StateRecord(c, 'app', 'shop')
    await record.writePhase(phaseRecord())
    await record.transition('deploying', 'run-1', 'phase web', '2026-03-01T10:00:00.000Z')
    await record.transition('active', 'run-1', 'validated', '2026-03-01T10:03:00.000Z')
    return c
  }
  const earlier = [
    runReport('app', [
      gate({
        name: 'web',
        budgetMs: 60_000,
        checks: [
          {
            id: 'apply:web',
            kind: 'apply',
            target: 'web',
            verdict: 'pass',
            severity: 'info',
            message: 'applied',
            durationMs: 1
          }
        ]
      }),
      gate({
        gate: 'validate',
        checks: [
          {
            id: 'rollbackTest:web',
            kind: 'rollbackTest',
            target: 'web',
            verdict: 'pass',
            severity: 'info',
            message: 'ok',
            durationMs: 1
          }
        ]
      })
    ])
  ]

  it("records what is live, by reference, from this call's earlier gates; writes the files beside --report", async () => {
    const out = await mkdtemp(join(tmpdir(), 'pg-record-'))
    try {
      const c = await cluster()
      const [g] = await recordGate.run(
        gateContext({
          cluster: c,
          earlier,
          settings: { gate: 'record', reportPath: join(out, 'report.json') }
        })
      )
      const record = g.details?.record as DeploymentRecord
      const md = g.details?.recordMarkdown as string
      expect(g.verdict).toBe('pass')
      expect(g.checks.map(x => [x.id, x.verdict])).toEqual([
        ['record:reports', 'pass'],
        ['record:cluster', 'pass'],
        ['record:files', 'pass']
      ])
      expect(record.state).toMatchObject({
        reached: 'active',
        source: 'reports',
        current: 'active'
      })
      expect(record.deployedAt).toBe('2026-03-01T10:02:00.000Z')
      // The whole run for the summary's flowchart: each gate and phase at its verdict, in order.
      expect(g.details?.flow).toEqual([
        { gate: 'phase', name: 'web', verdict: 'pass' },
        { gate: 'validate', verdict: 'pass' }
      ])
      expect(record.version).toMatchObject({ label: 'web:2.0', images: ['ghcr.io/acme/web:2.0'] })
      expect(record.workloads[0].images.find(i => i.container === 'web')).toEqual({
        container: 'web',
        image: 'ghcr.io/acme/web:2.0',
        digest: D1,
        digestSource: 'node'
      })
      expect(record.workloads[0].revision).toBe('4')
      expect(record.architecture).toEqual([{ from: 'Service web', to: 'Deployment web' }])
      expect(record.credentials.find(x => x.secret === 'db')).toEqual({
        secret: 'db',
        namespace: 'shop',
        keys: ['password', 'user'],
        usedBy: ['Deployment web: env DB_PASSWORD (container web)', 'applied in phase web']
      })
      // Secrets the template names but the cluster does not hold: referenced all the same, keys unknown.
      expect(record.credentials.find(x => x.secret === 'api-keys')).toEqual({
        secret: 'api-keys',
        namespace: 'shop',
        keys: [],
        usedBy: ['Deployment web: all keys as env with prefix API_ (container web)']
      })
      expect(await readFile(join(out, 'record.md'), 'utf8')).toBe(md)
      const json = await readFile(join(out, 'record.json'), 'utf8')
      for (const text of [md, json]) {
        expect(text).not.toContain(SECRET)
        expect(text).not.toContain(Buffer.from(SECRET).toString('base64'))
      }
      // It only read the cluster.
      for (const m of ['apply', 'create', 'replace', 'delete', 'mergePatch'])
        expect(c.callsOf(m).filter(x => x.kind !== 'Secret' && x.kind !== 'ConfigMap')).toEqual([])
      expect(c.callsOf('delete')).toEqual([])
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })

  it('records from the reports alone when the cluster cannot be read', async () => {
    const ctx = gateContext({
      earlier,
      cluster: undefined,
      settings: { gate: 'record' }
    })
    ctx.cluster = async () => {
      throw new InfraError('cannot reach https://127.0.0.1:1', 'check the kubeconfig')
    }
    const [g] = await recordGate.run(ctx)
    const record = g.details?.record as DeploymentRecord
    // Could not check the cluster: error (exit 3), never a pass; the record is still written.
    expect(g.verdict).toBe('error')
    expect(g.checks.find(x => x.id === 'record:cluster')?.message).toBe(
      'the cluster could not be read: cannot reach https://127.0.0.1:1; the record holds what the reports say'
    )
    expect(record.state.reached).toBe('active')
    expect(record.sources.live).toBe('unreadable')
    expect(record.retrospective.times.map(t => t.gate)).toEqual(['phase', 'validate'])
  })

  it('asks the registry for digests neither the pods nor the reality check gave, once per image', async () => {
    const c = new FakeCluster()
    const w = deployment()
    c.set(w)
    const asked: string[] = []
    const ctx = gateContext({
      cluster: c,
      settings: { gate: 'record' },
      registry: () => ({
        inspect: async ({ ref }) => {
          asked.push(`${ref.registry}/${ref.repository}:${ref.tag}`)
          if (ref.repository.endsWith('migrate')) throw new Error('registry unreachable')
          return { status: 'found', host: ref.registry, digest: D2, message: 'found', retries: 0 }
        }
      })
    })
    // No phase record: the plan's labelled objects stand in.
    c.update({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' }, o => {
      o.metadata.labels = { 'phase-gate.dev/plan': 'app' }
    })
    const [g] = await recordGate.run(ctx)
    const record = g.details?.record as DeploymentRecord
    expect(record.workloads.map(x => x.name)).toEqual(['web'])
    expect(record.workloads[0].images).toEqual([
      { container: 'migrate', image: 'ghcr.io/acme/migrate:1', init: true },
      { container: 'web', image: 'ghcr.io/acme/web:2.0', digest: D2, digestSource: 'registry' }
    ])
    expect(asked.sort()).toEqual(['ghcr.io/acme/migrate:1', 'ghcr.io/acme/web:2.0'])
    expect(record.sources.notes).toEqual(
      expect.arrayContaining([
        'no phase record of this run: the objects below are those labelled phase-gate.dev/plan=app in shop',
        'digest of ghcr.io/acme/migrate:1 unknown: registry unreachable'
      ])
    )
  })

  it('a rejected approval: outcome rejected, kept in the state record, and the run’s phases are refused', async () => {
    const c = await cluster()
    const [g] = await recordGate.run(
      gateContext({ cluster: c, settings: { gate: 'record', approvalResult: 'failure' } })
    )
    const record = g.details?.record as DeploymentRecord
    expect(record.outcome).toBe('rejected')
    expect(String(g.details?.recordMarkdown)).toContain('| Outcome | ⛔ rejected at the approval |')
    expect(g.notes?.join('\n')).toMatch(/next run starts again at the reality check/)
    const index = await new StateRecord(c, 'app', 'shop').readIndex()
    expect(index.extra?.rejected).toMatchObject({ runId: 'run-1' })

    // A re-run of that run's phase job is refused before anything changes.
    const phases = gateContext({
      cluster: c,
      settings: { gate: 'phase' },
      plan: { phases: [{ name: 'web', apply: ['web.yaml'] }] }
    })
    const [p] = await phaseGate.run(phases)
    expect(p.verdict).toBe('fail')
    expect(p.checks[0].message).toMatch(/^run run-1 was rejected at the approval/)
    // Another run is not affected by the rejection (it fails later, on the missing manifest).
    const other = gateContext({
      cluster: c,
      settings: { gate: 'phase', runId: 'run-2' },
      plan: { phases: [{ name: 'web', apply: ['web.yaml'] }] }
    })
    await expect(phaseGate.run(other)).rejects.toThrow(/web.yaml/)
  })

  it('an approved (or absent) approval result leaves the outcome as the gates say', async () => {
    const c = await cluster()
    const [g] = await recordGate.run(
      gateContext({ cluster: c, settings: { gate: 'record', approvalResult: 'success' } })
    )
    expect((g.details?.record as DeploymentRecord).outcome).not.toBe('rejected')
    expect((await new StateRecord(c, 'app', 'shop').readIndex()).extra?.rejected).toBeUndefined()
  })

  it('warns when there is no report to build the retrospective from', async () => {
    const [g] = await recordGate.run(
      gateContext({ cluster: await cluster(), settings: { gate: 'record' } })
    )
    const c = g.checks.find(x => x.id === 'record:reports')
    expect(c?.verdict).toBe('warn')
    expect(c?.adjustment).toMatch(/--reports DIR/)
    // The state record still says where the deployment stands.
    expect((g.details?.record as DeploymentRecord).state).toMatchObject({
      reached: 'active',
      source: 'state-record'
    })
  })
})
