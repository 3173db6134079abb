// The judge inside a stage's hold, over scripted Prometheus answers and
// virtual time: counters' increase since the stage began, a fail ending the
// hold at the look the evidence arrives, holding past the hold for evidence
// up to maxHold, and the stage's verdict after the hold per onInconclusive.
import { describe, expect, it } from '@jest/globals'
import { createStageJudge, judgeAfterHold } from '../../../src/gates/rollout-judge.js'
import { compileTriggers } from '../../../src/metrics/judge.js'
import type { RolloutSpec } from '../../../src/plan/types.js'
import { holdStage } from '../../../src/rollout/hold.js'
import { ScriptedMetrics, VirtualClock } from '../fakes.js'

const QUERIES = {
  requests: 'sum(rate(req{track="{{track}}"}[1m]))',
  failed: 'sum(req_total{code="500",track="{{track}}"})',
  total: 'sum(req_total{track="{{track}}"})'
}

function rollout(o: Partial<RolloutSpec> = {}): RolloutSpec {
  return {
    target: { kind: 'Deployment', name: 'api' },
    stages: [{ name: 'canary', weight: 10, hold: '30s', maxHold: '60s' }],
    metrics: QUERIES,
    judge: [
      {
        name: 'error ratio',
        test: 'proportion',
        failures: 'failed',
        total: 'total',
        worseBy: '2%',
        confidence: 0.95
      }
    ],
    ...o
  }
}

/** Per-second rates per track; counters start at `offset` (the stage does not begin at zero). */
function run(
  spec: RolloutSpec,
  rates: { canary: [number, number]; stable: [number, number] },
  offset = 1000
) {
  const clock = new VirtualClock()
  const start = clock.now()
  const metrics = new ScriptedMetrics(clock, (q, now) => {
    const t = (now - start) / 1000
    const side = q.includes('canary') ? rates.canary : rates.stable
    if (q.startsWith('sum(rate(req')) return side[1]
    const [errRps, rps] = side
    return offset + (q.includes('500') ? errRps : rps) * t
  })
  const judge = createStageJudge(
    spec,
    { name: 'canary', weight: 10, holdMs: 30_000, index: 0 },
    10_000
  )
  const promise = holdStage({
    metrics,
    queries: QUERIES,
    triggers: compileTriggers([]),
    holdMs: 30_000,
    intervalMs: 10_000,
    clock,
    deadline: start + 3_600_000,
    judge
  })
  return { promise, judge: judge!, start }
}

describe('the judge in the hold', () => {
  it('equal ratios with plenty of traffic pass at the end of the hold', async () => {
    const { promise, judge } = run(rollout(), { canary: [1, 100], stable: [9, 900] })
    const r = await promise
    expect(r.result).toBe('pass')
    expect(r.ticks).toHaveLength(4)
    const [c] = judge.results()
    expect(c.verdict).toBe('pass')
    // The increase since the stage began, not the counters' level.
    expect(c.test === 'proportion' && c.canary).toEqual({ failures: 30, total: 3000, ratio: 0.01 })
    expect(judgeAfterHold(judge, { name: 'canary', weight: 10, holdMs: 30_000 }).action).toBe(
      'pass'
    )
  })

  it('a canary at 10 % against 1 % ends the hold at the first look with the evidence', async () => {
    const { promise, judge, start } = run(rollout(), { canary: [10, 100], stable: [9, 900] })
    const r = await promise
    expect(r.result).toBe('judged')
    expect(r.message).toMatch(
      /^judge: error ratio: canary 100\/1000 failed \(10%\), stable 90\/9000 failed \(1%\)/
    )
    // At the first sample after the start (10 s) the evidence is there: the hold ends then.
    expect(r.endedAt - start).toBe(10_000)
    expect(judge.results()[0].verdict).toBe('fail')
  })

  it('too little traffic holds past the hold to maxHold, then the stage fails with the requests needed (onInconclusive: hold)', async () => {
    const { promise, judge, start } = run(rollout(), { canary: [0, 1], stable: [0, 9] })
    const r = await promise
    expect(r.result).toBe('pass')
    expect(r.endedAt - start).toBe(60_000)
    expect(r.ticks).toHaveLength(7)
    const [c] = judge.results()
    expect(c.verdict).toBe('inconclusive')
    expect(c.test === 'proportion' && c.stillNeeded!.canary).toBeGreaterThan(0)
    const after = judgeAfterHold(judge, { name: 'canary', weight: 10, holdMs: 30_000 })
    expect(after.action).toBe('fail')
    expect(after.message).toMatch(
      /still inconclusive after holding 1m00s \(the stage.s maxHold\); error ratio: about \d+ more canary requests\./
    )
  })

  it('onInconclusive: promote ends on time and promotes; fail ends on time and fails', async () => {
    const promote = run(rollout({ onInconclusive: 'promote' }), { canary: [0, 1], stable: [0, 9] })
    const p = await promote.promise
    expect(p.endedAt - promote.start).toBe(30_000)
    expect(
      judgeAfterHold(promote.judge, { name: 'canary', weight: 10, holdMs: 30_000 }).action
    ).toBe('promote')
    const fail = run(rollout({ onInconclusive: 'fail' }), { canary: [0, 1], stable: [0, 9] })
    const f = await fail.promise
    expect(f.endedAt - fail.start).toBe(30_000)
    expect(judgeAfterHold(fail.judge, { name: 'canary', weight: 10, holdMs: 30_000 }).action).toBe(
      'fail'
    )
  })

  it('a failure counter with no series (no failure yet) is zero failures, not missing data', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const metrics = new ScriptedMetrics(clock, (q, now) => {
      const t = (now - start) / 1000
      if (q.startsWith('sum(rate(req')) return 100
      if (q.includes('500')) return q.includes('canary') ? undefined : 500 + 9 * t
      return 1000 + (q.includes('canary') ? 100 : 900) * t
    })
    const spec = rollout()
    const judge = createStageJudge(
      spec,
      { name: 'canary', weight: 10, holdMs: 30_000, index: 0 },
      10_000
    )!
    expect(judge.zeroWhenEmpty).toEqual(['failed'])
    const r = await holdStage({
      metrics,
      queries: QUERIES,
      triggers: compileTriggers([{ noDataFor: '20s' }]),
      holdMs: 30_000,
      intervalMs: 10_000,
      clock,
      deadline: start + 3_600_000,
      judge
    })
    expect(r.result).toBe('pass')
    expect(r.endedAt - start).toBe(30_000)
    const [c] = judge.results()
    expect(c.test === 'proportion' && c.canary).toEqual({ failures: 0, total: 3000, ratio: 0 })
    expect(c.verdict).toBe('pass')
  })

  it('is not made for a stage at 100 % (no stable traffic) or without a hold', () => {
    expect(
      createStageJudge(rollout(), { name: 'full', weight: 100, holdMs: 30_000 }, 1000)
    ).toBeUndefined()
    expect(createStageJudge(rollout(), { name: 'c', weight: 10, holdMs: 0 }, 1000)).toBeUndefined()
  })
})
