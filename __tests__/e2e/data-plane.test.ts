// The data plane's decisions: the split it reads from a route or from
// replicas, the weighted round robin that follows it exactly, and the exact
// error fraction of a backend.
import { describe, expect, it } from '@jest/globals'
import {
  errorGate,
  splitFromReplicas,
  splitFromRoute,
  weightedPicker,
  type RouteLike,
  type ServiceLike
} from './data-plane.mjs'

const services = new Map<string, ServiceLike>([
  ['checkout', { spec: { selector: { app: 'checkout', track: 'stable' } } }],
  ['checkout-canary', { spec: { selector: { app: 'checkout', track: 'canary' } } }],
  ['legacy', { spec: { selector: { app: 'legacy' } } }]
])

const route = (
  ...rules: { name: string; weight?: number; kind?: string; group?: string }[][]
): RouteLike => ({
  spec: { rules: rules.map(backendRefs => ({ backendRefs })) }
})

describe('the split of a route', () => {
  it.each([
    ['no route', undefined, {}],
    [
      'weights by the track of each backend Service',
      route([
        { name: 'checkout', weight: 95 },
        { name: 'checkout-canary', weight: 5 }
      ]),
      { stable: 95, canary: 5 }
    ],
    [
      'the Gateway API default weight 1',
      route([{ name: 'checkout' }, { name: 'checkout-canary' }]),
      { stable: 1, canary: 1 }
    ],
    [
      'rules summed',
      route([{ name: 'checkout', weight: 50 }], [{ name: 'checkout-canary', weight: 50 }]),
      { stable: 50, canary: 50 }
    ],
    [
      'a backend whose Service has no track is its own name; an unknown one too',
      route([
        { name: 'legacy', weight: 10 },
        { name: 'missing', weight: 1 }
      ]),
      { legacy: 10, missing: 1 }
    ],
    [
      'backends that are no Service are not traffic to a track',
      route([
        { name: 'checkout', weight: 100 },
        {
          name: 'checkout-canary',
          weight: 100,
          kind: 'ServiceImport',
          group: 'multicluster.x-k8s.io'
        }
      ]),
      { stable: 100 }
    ]
  ])('%s', (_, r, expected) => {
    expect(splitFromRoute(r, services)).toEqual(expected)
  })
})

describe('the split of replicas', () => {
  it.each([
    [
      { status: { readyReplicas: 18 } },
      { status: { readyReplicas: 2 } },
      { stable: 18, canary: 2 }
    ],
    [{ status: {} }, undefined, { stable: 0, canary: 0 }],
    [undefined, { status: { readyReplicas: 3 } }, { stable: 0, canary: 3 }]
  ])('%j / %j', (stable, canary, expected) => {
    expect(splitFromReplicas(stable, canary)).toEqual(expected)
  })
})

describe('weighted round robin', () => {
  it.each([
    [{ stable: 95, canary: 5 }, 100],
    [{ stable: 75, canary: 25 }, 4],
    [{ stable: 25, canary: 75 }, 4],
    [{ stable: 0, canary: 100 }, 1],
    [{ stable: 18, canary: 2 }, 20]
  ])('%j: every run of the total picks matches the weights exactly', (weights, period) => {
    const pick = weightedPicker()
    const counts: Record<string, number> = {}
    for (let i = 0; i < period * 7; i++) {
      const t = pick(weights) as string
      counts[t] = (counts[t] ?? 0) + 1
    }
    const total = Object.values(weights).reduce((a, b) => a + b, 0)
    for (const [track, w] of Object.entries(weights))
      expect([track, counts[track] ?? 0]).toEqual([track, (w / total) * period * 7])
  })

  it('interleaves rather than bunching (the canary is spread over the stream)', () => {
    const pick = weightedPicker()
    const seq = Array.from({ length: 20 }, () => pick({ stable: 75, canary: 25 }))
    // At most three stable picks in a row for 75/25.
    expect(seq.join(',')).not.toMatch(/(stable,){3}stable/)
  })

  it('picks nothing when no backend has weight', () => {
    expect(weightedPicker()({ stable: 0, canary: 0 })).toBeUndefined()
    expect(weightedPicker()({})).toBeUndefined()
  })
})

describe('the error fraction of a backend', () => {
  it.each([
    [0, 100, 0],
    [0.5, 100, 50],
    [0.05, 100, 5],
    [1, 10, 10],
    [1 / 3, 99, 33],
    [2, 10, 10],
    [-1, 10, 0]
  ])('rate %d over %d requests fails exactly %d', (rate, n, expected) => {
    const fails = errorGate()
    expect(Array.from({ length: n }, () => fails(rate)).filter(Boolean).length).toBe(expected)
  })
})
