// Thresholds with tiers, pure: a warn tier never ends the hold (it is a
// warning, once per trigger), a fail tier fires; stage triggers join the
// rollout's; `defaults: seed` adds the seed's figures for named metrics only.
import { describe, expect, it } from '@jest/globals'
import { TriggerJudge, type Firing, type Reading, type Tick } from '../../src/metrics/judge.js'
import { compileStageTriggers, seedTriggers, stageTriggers } from '../../src/metrics/tiers.js'
import type { RolloutSpec } from '../../src/plan/types.js'

const v = (value: number): Reading => ({ kind: 'value', value })
const tick = (at: number, errorRate: number): Tick => ({
  at,
  traffic: 'yes',
  metrics: { requests: { canary: v(10), baseline: v(10) }, errorRate: { canary: v(errorRate) } }
})

const rollout = (extra: Partial<RolloutSpec> = {}): RolloutSpec => ({
  target: { kind: 'Deployment', name: 'api' },
  metrics: { requests: 'r{track="{{track}}"}', errorRate: 'e{track="{{track}}"}' },
  stages: [
    { name: 'canary', weight: 10, hold: '1m' },
    { name: 'full', weight: 100 }
  ],
  ...extra
})

describe('warn and fail tiers', () => {
  it.each<[string, number[], 'none' | 'warn' | 'fail']>([
    ['below both tiers', [0.01, 0.015], 'none'],
    ['above warn only', [0.01, 0.03, 0.04], 'warn'],
    ['above fail', [0.03, 0.06], 'fail']
  ])('%s', (_name, values, expected) => {
    const triggers = compileStageTriggers(
      rollout({ rollbackIf: [{ metric: 'errorRate', warn: '2%', fail: '5%' }] })
    )
    const judge = new TriggerJudge(triggers, ['requests', 'errorRate'], 0)
    let fired: Firing | undefined
    values.forEach((x, i) => (fired ??= judge.observe(tick(i * 1000, x))))
    if (expected === 'fail') {
      expect(fired?.trigger.tier).toBeUndefined()
      expect(fired?.trigger.cel).toBe('value > 0.05')
      expect(fired?.trigger.path).toEqual(['rollout', 'rollbackIf', 0])
    } else expect(fired).toBeUndefined()
    // A warn is recorded once, however many samples cross it.
    expect(judge.warnings.map(w => w.trigger.cel)).toEqual(
      expected === 'none' ? [] : ['value > 0.02']
    )
  })
})

describe('stage triggers and seed defaults', () => {
  it('a stage rollbackIf is added to the global ones at that stage only', () => {
    const r = rollout({
      rollbackIf: [{ metric: 'errorRate', above: '2x baseline' }],
      stages: [
        {
          name: 'canary',
          weight: 10,
          hold: '1m',
          rollbackIf: [{ metric: 'errorRate', above: 0.1 }]
        },
        { name: 'full', weight: 100 }
      ]
    })
    expect(stageTriggers(r, 0).map(t => t.path)).toEqual([
      ['rollout', 'rollbackIf', 0],
      ['rollout', 'stages', 0, 'rollbackIf', 0]
    ])
    expect(stageTriggers(r, 1).map(t => t.path)).toEqual([['rollout', 'rollbackIf', 0]])
  })

  it('seed: the figures for the metrics the plan names, not those a trigger already judges', () => {
    const r = rollout({
      defaults: 'seed',
      metrics: {
        requests: 'r',
        errorRate: 'e',
        latencyP99: 'p99',
        latencyP95: 'p95',
        cpu: 'c'
      },
      rollbackIf: [{ metric: 'latencyP99', above: '3s' }]
    })
    expect(seedTriggers(r, r.rollbackIf ?? [])).toEqual([
      { metric: 'errorRate', warn: '2%', fail: '5%' },
      { metric: 'latencyP95', warn: '2s' },
      { metric: 'cpu', warn: '80%' }
    ])
    const compiled = compileStageTriggers(r)
    expect(compiled.map(t => [t.metric, t.cel, t.tier ?? 'fail'])).toEqual([
      ['latencyP99', 'value > 3.0', 'fail'],
      ['errorRate', 'value > 0.05', 'fail'],
      ['errorRate', 'value > 0.02', 'warn'],
      ['latencyP95', 'value > 2.0', 'warn'],
      ['cpu', 'value > 0.8', 'warn'],
      [undefined, undefined, 'fail']
    ])
    expect(compiled[1].source).toMatch(/seed default/)
    // Without defaults: seed nothing is added.
    expect(seedTriggers(rollout(), [])).toEqual([])
  })
})
