// A metric check with tiers over scripted Prometheus answers and virtual
// time: below warn passes, between warn and fail warns (with the sample that
// crossed), above fail fails; with only a warn tier no data still fails.
import { describe, expect, it } from '@jest/globals'
import { runMetricCheck } from '../../src/checks/metric.js'
import type { MetricCheck } from '../../src/plan/types.js'
import { ScriptedMetrics, VirtualClock, type Answer } from '../rollout/fakes.js'

type Spec = MetricCheck['metric']

function run(spec: Spec, answer: (elapsedMs: number) => Answer) {
  const clock = new VirtualClock()
  const start = clock.now()
  const metrics = new ScriptedMetrics(clock, (_q, now) => answer(now - start))
  return runMetricCheck(spec, {
    metrics: () => metrics,
    clock,
    signal: new AbortController().signal
  })
}

describe('metric check tiers', () => {
  it.each<[string, Spec, number | undefined, string, RegExp]>([
    [
      'below warn: pass',
      { query: 'e', warn: '2%', fail: '5%' },
      0.01,
      'pass',
      /^e = 0\.01 \(expect not above 5% \(fail tier\)\)$/
    ],
    [
      'between the tiers: warn',
      { query: 'e', warn: '2%', fail: '5%' },
      0.03,
      'warn',
      /^e = 0\.03 at .*: above the warn tier 2% \(fail tier 5%; not failed\)$/
    ],
    [
      'above fail: fail',
      { query: 'e', warn: '2%', fail: '5%' },
      0.07,
      'fail',
      /^e = 0\.07 at .*: expected not above 5% \(fail tier\)$/
    ],
    [
      'warn only, above it: warn',
      { query: 'p95', warn: '2s' },
      2.5,
      'warn',
      /above the warn tier 2s \(fail tier none/
    ],
    [
      'warn only, no data: fail',
      { query: 'p95', warn: '2s' },
      undefined,
      'fail',
      /^no data for p95/
    ],
    [
      'expect and fail together',
      { query: 'e', expect: '> 0.001', fail: '5%' },
      0.0001,
      'fail',
      /expected > 0\.001 and not above 5%/
    ]
  ])('%s', async (_name, spec, value, verdict, message) => {
    const r = await run(spec, () => value)
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
  })

  it('a window: the first sample above warn is the one reported, even when later ones fall back', async () => {
    const r = await run({ query: 'e', warn: '2%', fail: '5%', window: '20s' }, ms =>
      ms >= 8000 && ms < 12_000 ? 0.04 : 0.01
    )
    expect(r.verdict).toBe('warn')
    expect(r.data).toMatchObject({ tier: 'warn', warn: '2%', fail: '5%' })
    expect(r.message).toMatch(/^e = 0\.04 at 2030-01-01T00:00:08\.000Z/)
  })
})
