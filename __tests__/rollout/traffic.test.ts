// Traffic shifting over a FakeCluster that plays the Deployment controller:
// the replica ratio (ceil of the weight, capacity first, both at once in a
// rollback, verification) and HTTPRoute weights (rules, added canary
// backend, read back, Gateway status), plus the stage list.
import { describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { RolloutSpec } from '../../src/plan/types.js'
import { ReplicaRatioShifter } from '../../src/rollout/replica-ratio.js'
import {
  RouteWeightShifter,
  routeStatusProblems,
  routeWeights,
  setRouteWeights
} from '../../src/rollout/route-weights.js'
import { DEFAULT_STAGES, rolloutStages, selectStages } from '../../src/rollout/stages.js'
import { createShifter } from '../../src/rollout/shifter.js'
import { canaryReplicas } from '../../src/rollout/traffic.js'
import { ControllerCluster, VirtualClock, availableDeployment } from './fakes.js'

const rollout: RolloutSpec = { target: { kind: 'Deployment', name: 'api' }, replicas: 20 }

describe('canaryReplicas', () => {
  it.each([
    [0, 20, 0],
    [5, 20, 1],
    [7, 100, 7],
    [25, 20, 5],
    [26, 20, 6],
    [1, 20, 1],
    [75, 4, 3],
    [99, 4, 4],
    [100, 20, 20]
  ])('%p%% of %p replicas is %p', (weight, total, want) => {
    expect(canaryReplicas(weight, total)).toBe(want)
  })
})

describe('ReplicaRatioShifter', () => {
  function setup(stable = 20, canary = 0, plan: RolloutSpec = rollout) {
    const cluster = new ControllerCluster({
      objects: [availableDeployment('api', stable), availableDeployment('api-canary', canary)]
    })
    return {
      cluster,
      shifter: createShifter(cluster, plan, 'ns', new VirtualClock()) as ReplicaRatioShifter
    }
  }
  const replicas = (cluster: ControllerCluster, name: string): number =>
    (
      cluster.peek({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'ns' })?.spec as {
        replicas: number
      }
    ).replicas

  it('grows the canary first, then shrinks the stable workload, and verifies both', async () => {
    const { cluster, shifter } = setup()
    const r = await shifter.shift(25, { timeoutMs: 60_000 })
    expect(r.ok).toBe(true)
    expect(r.message).toMatch(
      /^canary at 25% \(canary api-canary 5 of 20 replicas, stable api 15\), both available in/
    )
    expect(cluster.scaled).toEqual(['api-canary=5', 'api=15'])
    expect(r.data).toMatchObject({
      mode: 'replicas',
      total: 20,
      canary: { replicas: 5, was: 0 },
      stable: { replicas: 15, was: 20 },
      available: { canary: 5, stable: 15 }
    })
  })

  it('moves both at once in a rollback to 0 %', async () => {
    const { cluster, shifter } = setup(15, 5)
    const r = await shifter.shift(0, { timeoutMs: 60_000, urgent: true })
    expect(r.ok).toBe(true)
    expect(cluster.scaled.sort()).toEqual(['api-canary=0', 'api=20'])
    expect([replicas(cluster, 'api'), replicas(cluster, 'api-canary')]).toEqual([20, 0])
  })

  it('takes the total from the two workloads when the plan gives none', async () => {
    const { shifter, cluster } = setup(3, 1, { target: { kind: 'Deployment', name: 'api' } })
    await shifter.shift(50, { timeoutMs: 60_000 })
    expect([replicas(cluster, 'api'), replicas(cluster, 'api-canary')]).toEqual([2, 2])
  })

  it('fails, naming the workload, when the canary does not become available', async () => {
    const { cluster, shifter } = setup()
    cluster.stuck.add('api-canary')
    const r = await shifter.shift(25, { timeoutMs: 5000 })
    expect(r.ok).toBe(false)
    expect(r.message).toMatch(/^Deployment ns\/api-canary did not become available at 5 replicas: /)
    // The stable workload was not touched.
    expect(cluster.scaled).toEqual(['api-canary=5'])
  })

  it('fails when the canary workload does not exist, saying how to fix it', async () => {
    const cluster = new ControllerCluster({ objects: [availableDeployment('api', 20)] })
    const r = await new ReplicaRatioShifter(cluster, rollout, 'ns', new VirtualClock()).shift(5, {
      timeoutMs: 1000
    })
    expect(r.ok).toBe(false)
    expect(r.message).toBe('Deployment ns/api-canary not found')
    expect(r.evidence).toMatch(/default <target>-canary/)
  })
})

function route(rules: unknown[], status?: unknown): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'api', namespace: 'ns', generation: 2 },
    spec: { parentRefs: [{ name: 'gw' }], rules },
    ...(status ? { status } : {})
  }
}
const B = { stable: 'api', canary: 'api-canary' }

describe('HTTPRoute weights', () => {
  it.each<[string, unknown[], number, { stable: number; canary: number }[]]>([
    [
      'adds the canary beside the stable backend',
      [{ backendRefs: [{ name: 'api', port: 80 }] }],
      10,
      [{ stable: 90, canary: 10 }]
    ],
    [
      'moves existing weights',
      [
        {
          backendRefs: [
            { name: 'api', port: 80, weight: 90 },
            { name: 'api-canary', port: 80, weight: 10 }
          ]
        }
      ],
      100,
      [{ stable: 0, canary: 100 }]
    ],
    [
      'sets every rule that routes to the pair and leaves others alone',
      [
        { backendRefs: [{ name: 'api', port: 80 }] },
        { backendRefs: [{ name: 'other', port: 80 }] },
        { backendRefs: [{ name: 'api', port: 8080 }] }
      ],
      25,
      [
        { stable: 75, canary: 25 },
        { stable: 75, canary: 25 }
      ]
    ]
  ])('%s', (_, rules, weight, want) => {
    const next = setRouteWeights(route(rules), B, weight)
    expect(routeWeights(next, B)).toEqual(want)
    // Rules routing elsewhere keep their backends exactly.
    const rulesAfter = (next.spec as { rules: unknown[] }).rules
    rules.forEach((rule, i) => {
      if (!JSON.stringify(rule).includes('"api')) expect(rulesAfter[i]).toEqual(rule)
    })
  })

  it('copies the port when it adds the canary backend', () => {
    const next = setRouteWeights(route([{ backendRefs: [{ name: 'api', port: 8080 }] }]), B, 5)
    expect((next.spec as { rules: { backendRefs: unknown[] }[] }).rules[0].backendRefs).toEqual([
      { name: 'api', port: 8080, weight: 95 },
      { name: 'api-canary', port: 8080, weight: 5 }
    ])
  })

  it('refuses a route that routes to neither backend', () => {
    expect(() =>
      setRouteWeights(route([{ backendRefs: [{ name: 'web', port: 80 }] }]), B, 5)
    ).toThrow('HTTPRoute ns/api has no rule with a backendRef named api or api-canary')
  })

  it.each<[string, unknown, string[]]>([
    ['no status (no Gateway controller)', undefined, []],
    [
      'accepted',
      {
        parents: [
          {
            parentRef: { name: 'gw' },
            conditions: [
              { type: 'Accepted', status: 'True', observedGeneration: 2 },
              { type: 'ResolvedRefs', status: 'True', observedGeneration: 2 }
            ]
          }
        ]
      },
      []
    ],
    [
      'refs not resolved',
      {
        parents: [
          {
            parentRef: { name: 'gw' },
            conditions: [
              {
                type: 'ResolvedRefs',
                status: 'False',
                reason: 'BackendNotFound',
                message: 'service api-canary not found',
                observedGeneration: 2
              }
            ]
          }
        ]
      },
      ['gw: ResolvedRefs=False (BackendNotFound: service api-canary not found)']
    ],
    [
      'a stale condition of an older generation',
      {
        parents: [
          {
            parentRef: { name: 'gw' },
            conditions: [{ type: 'Accepted', status: 'False', observedGeneration: 1 }]
          }
        ]
      },
      []
    ]
  ])('route status: %s', (_, status, want) => {
    expect(routeStatusProblems(route([], status))).toEqual(want)
  })

  it('RouteWeightShifter updates the route, reads it back and checks the workloads', async () => {
    const r0 = route([{ backendRefs: [{ name: 'api', port: 80 }] }])
    const cluster = new ControllerCluster({
      objects: [availableDeployment('api', 4), availableDeployment('api-canary', 2), r0]
    })
    const shifter = new RouteWeightShifter(
      cluster,
      { ...rollout, route: { name: 'api' } },
      'ns',
      new VirtualClock()
    )
    const r = await shifter.shift(40, { timeoutMs: 60_000 })
    expect(r.ok).toBe(true)
    expect(r.message).toMatch(
      /^canary at 40%: HTTPRoute ns\/api weights api=60 api-canary=40 in 1 rule, read back in .* \(no Gateway controller reported status for the route\)$/
    )
    expect(routeWeights(cluster.peek(r0) as KubeObject, B)).toEqual([{ stable: 60, canary: 40 }])
    expect(r.data).toMatchObject({
      mode: 'route',
      weights: [{ stable: 60, canary: 40 }],
      was: [{ stable: 1, canary: 0 }]
    })
  })

  it('RouteWeightShifter does not give traffic to a canary that is not available', async () => {
    const cluster = new ControllerCluster({
      objects: [
        availableDeployment('api', 4),
        availableDeployment('api-canary', 2),
        route([{ backendRefs: [{ name: 'api', port: 80 }] }])
      ]
    })
    cluster.stuck.add('api-canary')
    cluster.rollOut({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api-canary',
      namespace: 'ns'
    })
    const r = await new RouteWeightShifter(
      cluster,
      { ...rollout, route: { name: 'api' } },
      'ns',
      new VirtualClock()
    ).shift(10, { timeoutMs: 5000 })
    expect(r.ok).toBe(false)
    expect(r.message).toMatch(/^Deployment ns\/api-canary is not available/)
    expect(cluster.callsOf('replace')).toEqual([])
  })
})

describe('stages', () => {
  it('defaults to canary 5 %, partial 25 %, majority 75 %, full 100 %', () => {
    expect(rolloutStages(rollout).map(s => [s.name, s.weight, s.holdMs])).toEqual([
      ['canary', 5, 600_000],
      ['partial', 25, 1_800_000],
      ['majority', 75, 1_800_000],
      ['full', 100, 0]
    ])
    expect(DEFAULT_STAGES.length).toBe(4)
  })
  it('puts an infra stage at weight 0 first when the plan has infra steps', () => {
    const s = rolloutStages({
      ...rollout,
      stages: [{ name: 'all', weight: 100, hold: '1m' }],
      infra: [{ command: { run: ['true'] } }]
    })
    expect(s).toEqual([
      { name: 'infra', weight: 0, holdMs: 0, infra: true },
      { name: 'all', weight: 100, holdMs: 60_000, index: 0 }
    ])
  })
  it('selects one stage by name, or refuses a name it does not know', () => {
    const all = rolloutStages(rollout)
    expect(selectStages(all, 'partial').map(s => s.name)).toEqual(['partial'])
    expect(selectStages(all, undefined)).toBe(all)
    expect(() => selectStages(all, 'nope')).toThrow(
      new UsageError('no rollout stage named "nope"; stages: canary, partial, majority, full')
    )
  })
})
