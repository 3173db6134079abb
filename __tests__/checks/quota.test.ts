import { describe, expect, it } from '@jest/globals'
import { containerDefaults, podResources } from '../../src/checks/pod-resources.js'
import { podCount, podTemplateOf } from '../../src/checks/pod-templates.js'
import { formatQuantity, parseQuantity } from '../../src/kube/quantity.js'
import {
  canonicalQuotaKey,
  describeShortfall,
  headroom,
  quotaCheck,
  quotaSelectsPod
} from '../../src/checks/quota.js'
import type { KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { EXTRA_RESOURCES, realityContext } from '../fixtures/reality/context.js'

const q = (s: string): bigint => {
  const v = parseQuantity(s)
  if (v === undefined) throw new Error(`bad quantity ${s}`)
  return v
}

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }
}

function quota(
  name: string,
  hard: Record<string, string>,
  used: Record<string, string>,
  extra: Record<string, unknown> = {}
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: 'app' },
    spec: { hard, ...extra },
    status: { hard, used }
  }
}

function limitRange(name: string, item: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name, namespace: 'app' },
    spec: { limits: [item] }
  }
}

const noDefaults = containerDefaults([])

describe('canonicalQuotaKey', () => {
  it.each([
    ['cpu', 'requests.cpu'],
    ['memory', 'requests.memory'],
    ['requests.cpu', 'requests.cpu'],
    ['limits.cpu', 'limits.cpu'],
    ['count/pods', 'pods'],
    ['count/services', 'services'],
    ['count/deployments.apps', 'count/deployments.apps'],
    ['ephemeral-storage', 'requests.ephemeral-storage'],
    [
      'gold.storageclass.storage.k8s.io/requests.storage',
      'gold.storageclass.storage.k8s.io/requests.storage'
    ]
  ])('%s → %s', (k, want) => expect(canonicalQuotaKey(k)).toBe(want))
})

describe('podResources', () => {
  const c = (
    name: string,
    requests?: Record<string, string>,
    limits?: Record<string, string>,
    extra: Record<string, unknown> = {}
  ) => ({ name, image: 'x', resources: { requests, limits }, ...extra })
  it.each<
    [
      string,
      Record<string, unknown>,
      ReturnType<typeof containerDefaults>,
      Record<string, string>,
      Record<string, string>
    ]
  >([
    [
      'sum of containers',
      {
        containers: [
          c('a', { cpu: '250m', memory: '64Mi' }),
          c('b', { cpu: '750m', memory: '64Mi' })
        ]
      },
      noDefaults,
      { cpu: '1', memory: '128Mi' },
      {}
    ],
    [
      'a limit without a request is the request',
      { containers: [c('a', undefined, { cpu: '2' })] },
      noDefaults,
      { cpu: '2' },
      { cpu: '2' }
    ],
    [
      'init containers count by their maximum',
      {
        initContainers: [c('i', { cpu: '3' })],
        containers: [c('a', { cpu: '1' }), c('b', { cpu: '1' })]
      },
      noDefaults,
      { cpu: '3' },
      {}
    ],
    [
      'sidecars run beside the app and during later init containers',
      {
        initContainers: [
          c('side', { cpu: '500m' }, undefined, { restartPolicy: 'Always' }),
          c('i', { cpu: '2' })
        ],
        containers: [c('a', { cpu: '1' })]
      },
      noDefaults,
      { cpu: '2.5' },
      {}
    ],
    [
      'LimitRange defaults for containers that set none',
      { containers: [c('a'), c('b', { cpu: '100m' })] },
      containerDefaults([
        {
          name: 'lr',
          spec: {
            limits: [
              {
                type: 'Container',
                default: { cpu: '500m', memory: '256Mi' },
                defaultRequest: { cpu: '200m' }
              }
            ]
          }
        }
      ]),
      { cpu: '300m', memory: '512Mi' },
      { cpu: '1', memory: '512Mi' }
    ],
    [
      'a container without a limit makes the pod unlimited',
      { containers: [c('a', { cpu: '1' }, { cpu: '1' }), c('b', { cpu: '1' })] },
      noDefaults,
      { cpu: '2' },
      {}
    ]
  ])('%s', (_n, spec, defaults, requests, limits) => {
    const t = podTemplateOf(pod(spec))
    if (!t) throw new Error('no template')
    const r = podResources(t, defaults)
    const show = (m: Map<string, bigint>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, formatQuantity(v, k)]))
    expect(show(r.requests)).toEqual(requests)
    expect(show(r.limits)).toEqual(limits)
  })
})

describe('podCount', () => {
  const w = (kind: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'w' },
    spec
  })
  it.each<[KubeObject, number]>([
    [w('Deployment', { replicas: 3 }), 3],
    [w('Deployment', {}), 1],
    [w('StatefulSet', { replicas: 0 }), 0],
    [w('DaemonSet', {}), 4],
    [w('Job', { parallelism: 5, completions: 2 }), 2],
    [w('Job', { parallelism: 3 }), 3],
    [w('CronJob', { jobTemplate: { spec: { parallelism: 2 } } }), 2],
    [pod({}), 1]
  ])('%#', (obj, n) => expect(podCount(obj, 4)).toBe(n))
})

describe('quotaSelectsPod', () => {
  const t = (spec: Record<string, unknown>) => {
    const tpl = podTemplateOf(pod(spec))
    if (!tpl) throw new Error('no template')
    return podResources(tpl, noDefaults)
  }
  const bestEffort = t({ containers: [{ name: 'a' }] })
  const burstable = t({
    containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }],
    priorityClassName: 'high'
  })
  const terminating = t({ containers: [{ name: 'a' }], activeDeadlineSeconds: 60 })
  it.each<[string, Record<string, unknown>, ReturnType<typeof t>, boolean]>([
    ['unscoped', {}, bestEffort, true],
    ['BestEffort on best-effort', { scopes: ['BestEffort'] }, bestEffort, true],
    ['BestEffort on burstable', { scopes: ['BestEffort'] }, burstable, false],
    ['NotBestEffort on burstable', { scopes: ['NotBestEffort'] }, burstable, true],
    ['Terminating', { scopes: ['Terminating'] }, terminating, true],
    ['NotTerminating', { scopes: ['NotTerminating'] }, terminating, false],
    [
      'PriorityClass In',
      {
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }]
        }
      },
      burstable,
      true
    ],
    [
      'PriorityClass In, other class',
      {
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }]
        }
      },
      burstable,
      false
    ],
    [
      'PriorityClass NotIn',
      {
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }]
        }
      },
      bestEffort,
      true
    ],
    [
      'PriorityClass Exists',
      { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists' }] } },
      bestEffort,
      false
    ]
  ])('%s', (_n, extra, p, want) => expect(quotaSelectsPod(quota('q', {}, {}, extra), p)).toBe(want))
})

describe('headroom and its message', () => {
  it("says how much headroom is missing per resource, in the quota's own names", () => {
    const qo = quota(
      'compute',
      { cpu: '4', 'requests.memory': '8Gi', pods: '10' },
      { cpu: '2500m', 'requests.memory': '1Gi', pods: '9' }
    )
    const demand = new Map([
      ['requests.cpu', q('2')],
      ['requests.memory', q('1Gi')],
      ['pods', q('2')]
    ])
    const h = headroom(qo, demand)
    expect(h.fits.map(s => s.resource)).toEqual(['requests.memory'])
    expect(h.short.map(s => describeShortfall(s, 'compute', h.names.get(s.resource)))).toEqual([
      'needs cpu 2, quota compute allows 1.5 more (hard 4, used 2.5)',
      'needs pods 2, quota compute allows 1 more (hard 10, used 9)'
    ])
  })
})

const WEB = (replicas: number, resources: Record<string, unknown>) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, resources: ${JSON.stringify(resources)}}]
`

async function runQuota(objects: KubeObject[], plan: string, files: Record<string, string>) {
  const cluster = new FakeCluster({ objects, resources: EXTRA_RESOURCES })
  const ctx = await realityContext({ plan, files, cluster })
  return quotaCheck.run(ctx)
}

describe('the quota kind against a fake cluster', () => {
  it('sums replicas × requests from the manifests and fails with the missing headroom', async () => {
    const results = await runQuota(
      [
        quota(
          'compute',
          { cpu: '4', pods: '10', 'count/deployments.apps': '5' },
          { cpu: '2500m', pods: '2', 'count/deployments.apps': '1' }
        )
      ],
      'assumptions:\n  manifests: [app.yaml]\n',
      { 'app.yaml': WEB(4, { requests: { cpu: '500m' } }) }
    )
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({
      id: 'quota:app/compute',
      verdict: 'fail',
      severity: 'high',
      message: 'needs cpu 2, quota compute allows 1.5 more (hard 4, used 2.5)'
    })
    expect(results[0].evidence).toContain('pods: needs 4, hard 10, used 2, free 8')
    expect(results[0].evidence).toContain('count/deployments.apps: needs 1, hard 5, used 1, free 4')
    expect(results[0].location).toMatchObject({ file: 'app.yaml', line: 1 })
  })

  it('counts an object that exists already only by how much it grows', async () => {
    const live: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'app' },
      spec: {
        replicas: 3,
        template: {
          spec: { containers: [{ name: 'web', resources: { requests: { cpu: '500m' } } }] }
        }
      }
    }
    const results = await runQuota(
      [
        live,
        quota(
          'compute',
          { cpu: '4', 'count/deployments.apps': '1' },
          { cpu: '2500m', 'count/deployments.apps': '1' }
        )
      ],
      'assumptions:\n  manifests: [app.yaml]\n',
      { 'app.yaml': WEB(4, { requests: { cpu: '500m' } }) }
    )
    expect(results[0]).toMatchObject({ verdict: 'pass' })
    expect(results[0].evidence).toContain('cpu: needs 500m, hard 4, used 2.5, free 1.5')
  })

  it('uses what the plan declares instead of the manifests', async () => {
    const results = await runQuota(
      [quota('compute', { cpu: '4', memory: '8Gi' }, { cpu: '1', memory: '7Gi' })],
      'assumptions:\n  quota: {cpu: "2", memory: 2Gi}\n',
      {}
    )
    expect(results[0]).toMatchObject({
      verdict: 'fail',
      message: 'needs memory 2Gi, quota compute allows 1Gi more (hard 8Gi, used 7Gi)'
    })
    expect(results[0].location?.line).toBe(5)
  })

  it('fails pods that would be rejected for setting no limits a quota tracks, unless a LimitRange defaults them', async () => {
    const plan = 'assumptions:\n  manifests: [app.yaml]\n'
    const files = { 'app.yaml': WEB(1, { requests: { cpu: '100m' } }) }
    const q1 = quota('limits', { 'limits.cpu': '10' }, { 'limits.cpu': '0' })
    const without = await runQuota([q1], plan, files)
    const req = without.find(r => r.target.includes('requires'))
    expect(req).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      target: 'app/limits requires limits.cpu'
    })
    expect(req?.evidence).toContain('Deployment web (app.yaml:1): containers web set no limits.cpu')
    const withDefault = await runQuota(
      [q1, limitRange('defaults', { type: 'Container', default: { cpu: '1' } })],
      plan,
      files
    )
    expect(withDefault.find(r => r.target.includes('requires'))).toBeUndefined()
    expect(withDefault.find(r => r.id === 'quota:app/limits')?.verdict).toBe('pass')
  })

  it('fails containers outside a LimitRange min/max', async () => {
    const results = await runQuota(
      [limitRange('bounds', { type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } })],
      'assumptions:\n  manifests: [app.yaml]\n',
      {
        'app.yaml': WEB(1, { requests: { cpu: '2', memory: '32Mi' }, limits: { cpu: '2' } })
      }
    )
    const lr = results.find(r => r.target.endsWith('(LimitRange)'))
    expect(lr?.verdict).toBe('fail')
    expect(lr?.evidence).toContain('container web limits cpu to 2, above the max 1')
    expect(lr?.evidence).toContain('container web requests memory 32Mi, below the min 64Mi')
  })

  it('passes a namespace without quota or LimitRange', async () => {
    const results = await runQuota([], 'assumptions:\n  manifests: [app.yaml]\n', {
      'app.yaml': WEB(1, {})
    })
    expect(results).toEqual([
      expect.objectContaining({
        verdict: 'pass',
        message: 'namespace app has no ResourceQuota or LimitRange'
      })
    ])
  })

  it('counts StatefulSet claims and LoadBalancer node ports', async () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: pg}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {storageClassName: gold, resources: {requests: {storage: 10Gi}}}}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, ports: [{port: 80}, {port: 443}]}
`
    const results = await runQuota(
      [
        quota(
          'storage',
          {
            'requests.storage': '100Gi',
            'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '2',
            'services.loadbalancers': '0',
            'services.nodeports': '5'
          },
          {}
        )
      ],
      'assumptions:\n  manifests: [s.yaml]\n',
      { 's.yaml': sts }
    )
    expect(results[0].message).toBe(
      'needs gold.storageclass.storage.k8s.io/persistentvolumeclaims 3, quota storage allows 2 more (hard 2, used 0); needs services.loadbalancers 1, quota storage allows no more (hard 0, used 0)'
    )
    expect(results[0].evidence).toContain('requests.storage: needs 30Gi')
    expect(results[0].evidence).toContain('services.nodeports: needs 2')
  })
})
