// Where people decide: the stage's judge table (summary, PR comment) from
// the gate's result model, and the judge's settings with the least traffic
// per stage at expectedRps (plan gate, runbook) from the plan alone.
import { describe, expect, it } from '@jest/globals'
import { rolloutView } from '../../../src/gates/plan.js'
import type { Plan, RolloutSpec } from '../../../src/plan/types.js'
import { renderJudgePlan, renderJudgeTable } from '../../../src/report/judge.js'
import { renderRunbook } from '../../../src/report/runbook.js'
import { judgeProportion, minimumRequests } from '../../../src/rollout/judge/index.js'
import { judgePlanView } from '../../../src/rollout/judge/plan.js'

const ROLLOUT: RolloutSpec = {
  target: { kind: 'Deployment', name: 'api' },
  interval: '10s',
  expectedRps: 40,
  stages: [
    { name: 'canary', weight: 10, hold: '1m' },
    { name: 'half', weight: 50, hold: '2m' },
    { name: 'full', weight: 100, hold: '5m' }
  ],
  metrics: {
    requests: 'sum(rate(r{track="{{track}}"}[1m]))',
    failed: 'sum(f{track="{{track}}"})',
    total: 'sum(r_total{track="{{track}}"})',
    latencyP99: 'histogram_quantile(0.99, sum by (le) (rate(b{track="{{track}}"}[1m])))'
  },
  judge: [
    { name: 'error ratio', test: 'proportion', failures: 'failed', total: 'total', worseBy: '1%' },
    {
      name: 'p99 latency',
      test: 'mann-whitney',
      metric: 'latencyP99',
      worseBy: '20%',
      minSamples: 8
    }
  ]
}

describe('the judge where people decide', () => {
  it('the stage table shows both tracks, the estimate, its interval, the verdict and what is still needed', () => {
    const r = judgeProportion({
      canary: { failures: 2, total: 200 },
      stable: { failures: 38, total: 3800 },
      worseBy: 0.01,
      confidence: 0.95
    })
    const md = renderJudgeTable({
      comparisons: [{ ...r, name: 'error ratio', worseBy: '1%' }]
    }).join('\n')
    expect(md).toContain('| error ratio (proportion) | 2/200 (1%) | 38/3800 (1%) | 0% |')
    expect(md).toContain(
      `${+(r.interval[0] * 100).toPrecision(3)}% … ${+(r.interval[1] * 100).toPrecision(3)}% (95% each end)`
    )
    expect(md).toContain(
      `⏸️ inconclusive | ${r.stillNeeded!.canary} canary requests (${r.stillNeeded!.stable} stable) |`
    )
    expect(renderJudgeTable(undefined)).toEqual([])
  })

  it('the plan shows the settings and the least traffic each stage needs at expectedRps', () => {
    const view = judgePlanView(ROLLOUT)!
    const [canary, half, full] = view.stages
    const least = minimumRequests(0.01, 0.95)
    expect(canary.minCanaryRequests).toBe(least)
    expect(canary.canaryRps).toBe(4)
    // 268 requests at 4/s (67 s) and 8 samples 10 s apart (70 s) take longer than the 1 m hold; maxHold (3x) covers it.
    expect(canary.neededMs).toBe(Math.max(Math.ceil((least / 4) * 1000), 7 * 10_000))
    expect(canary.fitsHold).toBe(false)
    expect(canary.fitsMaxHold).toBe(true)
    expect(half.fitsHold).toBe(true)
    expect(full.notJudged).toMatch(/no stable traffic/)
    const md = renderJudgePlan(view).join('\n')
    expect(md).toContain('| error ratio | proportion | failed / total | 1% | 0.95 | — |')
    expect(md).toContain(
      '| p99 latency | mann-whitney | latencyP99 | 20% (20% of the stable median) | 0.95 | 8 |'
    )
    expect(md).toMatch(
      /\| canary \| 10 % \| 1m00s \/ 3m00s \| 268 \| 8 \| 1m10s at 4 canary req\/s \| ⚠️ only by holding past the hold \|/
    )
    expect(md).toContain(
      '| full | 100 % | 5m00s / 15m00s | not judged: no stable traffic to compare with |'
    )
    expect(md).toContain('at the expected 40 requests/s')
  })

  it('the plan gate and the runbook carry it', () => {
    const plan = { version: 1, name: 'web', target: { namespace: 'web' }, rollout: ROLLOUT } as Plan
    expect(rolloutView(plan, ROLLOUT).judge?.stages).toHaveLength(3)
    const book = renderRunbook({
      plan,
      planFile: 'phase-gate.yaml',
      namespace: 'web',
      date: '2030-01-01',
      objects: {}
    })
    expect(book).toContain('Least traffic each stage needs before any comparison can pass')
    expect(book).toContain('| error ratio | proportion | failed / total | 1% | 0.95 | — |')
  })
})
