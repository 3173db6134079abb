// The metric check over scripted Prometheus answers and virtual time:
// verdicts, the numbers in every result, windows, baselines, and "no data"
// never being a pass.
import { describe, expect, it } from '@jest/globals'
import { runMetricCheck, sampleIntervalMs } from '../../src/checks/metric.js'
import { runValidation } from '../../src/checks/validation.js'
import '../../src/checks/builtin.js'
import { PromQLError } from '../../src/metrics/prometheus.js'
import { MetricsUnavailableError } from '../../src/metrics/types.js'
import type { MetricCheck } from '../../src/plan/types.js'
import { ScriptedMetrics, VirtualClock, gateContext, type Answer } from '../rollout/fakes.js'
import { FakeCluster } from '../support/fake-cluster.js'

type Spec = MetricCheck['metric']

function check(spec: Spec, answer: (q: string, elapsedMs: number) => Answer, deadlineMs?: number) {
  const clock = new VirtualClock()
  const start = clock.now()
  const metrics = new ScriptedMetrics(clock, (q, now) => answer(q, now - start))
  const ctx = {
    metrics: () => metrics,
    clock,
    signal: new AbortController().signal,
    deadline: deadlineMs === undefined ? undefined : start + deadlineMs
  }
  return { run: () => runMetricCheck(spec, ctx), metrics, clock, start }
}

describe('the metric check', () => {
  it.each<[string, Spec, Answer, string, RegExp]>([
    [
      'passes below the threshold',
      { query: 'q', expect: '< 0.5' },
      0.2,
      'pass',
      /^q = 0\.2 \(expect < 0\.5\)$/
    ],
    [
      'fails above it',
      { query: 'q', expect: '< 0.5' },
      0.7,
      'fail',
      /^q = 0\.7 at 2030-01-01T00:00:00\.000Z: expected < 0\.5$/
    ],
    [
      'uses the name',
      { query: 'q', expect: '>= 3', name: 'replicas' },
      3,
      'pass',
      /^replicas = 3 \(expect >= 3\)$/
    ],
    ['takes CEL', { query: 'q', expect: 'value > 1.0 && value < 2.0' }, 1.5, 'pass', /^q = 1\.5/],
    [
      'fails on no series, never passes',
      { query: 'q', expect: '< 0.5' },
      undefined,
      'fail',
      /^no data for q since 2030-01-01T00:00:00\.000Z: the query returned no series$/
    ],
    [
      'treats NaN as no data',
      { query: 'q', expect: '< 0.5' },
      [{ labels: {}, value: NaN, timestamp: 1 }],
      'fail',
      /^no data for q since .*: the value is NaN \(nothing to divide: no requests\?\)$/
    ],
    [
      'judges +Inf as a number',
      { query: 'q', expect: '< 5s' },
      Infinity,
      'fail',
      /^q = \+Inf at .*: expected < 5s$/
    ],
    [
      'judges every series',
      { query: 'q', expect: '< 0.5' },
      [
        { labels: { pod: 'a' }, value: 0.1, timestamp: 1 },
        { labels: { pod: 'b' }, value: 0.9, timestamp: 1 }
      ],
      'fail',
      /^q = 0\.9 for \{pod="b"\} at .*: expected < 0\.5$/
    ],
    [
      'a rejected query is the plan’s mistake',
      { query: 'q', expect: '< 0.5' },
      new PromQLError('Prometheus rejected the query q: parse error', 'q'),
      'fail',
      /^Prometheus rejected the query q: parse error$/
    ],
    [
      'an unreachable server is an error (exit 3)',
      { query: 'q', expect: '< 0.5' },
      new MetricsUnavailableError('cannot reach Prometheus at http://p: connection refused'),
      'error',
      /^could not check q: cannot reach Prometheus/
    ],
    [
      'a bad expectation fails with the accepted forms',
      { query: 'q', expect: '< lots' },
      1,
      'fail',
      /invalid expectation "< lots"/
    ]
  ])('%s', async (_, spec, answer, verdict, message) => {
    const r = await check(spec, () => answer).run()
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
  })

  it('shows the numbers in data: query, value, threshold, baseline and window', async () => {
    const { run } = check(
      { query: 'rate(err{track="{{track}}"}[1m])', expect: '<= 2x baseline', window: '20s' },
      q => (q.includes('canary') ? 0.03 : 0.02)
    )
    const r = await run()
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe(
      'rate(err{track="{{track}}"}[1m]) = 0.03 (expect <= 2x baseline, baseline 0.02) over 20.0s (11 samples)'
    )
    expect(r.data).toMatchObject({
      prometheus: 'http://prometheus.test:9090',
      query: 'rate(err{track="canary"}[1m])',
      baselineQuery: 'rate(err{track="stable"}[1m])',
      expect: '<= 2x baseline',
      cel: 'value <= 2.0 * baseline',
      value: 0.03,
      baseline: 0.02,
      window: '20s',
      windowMs: 20_000,
      samples: 11
    })
  })

  it('samples a window every tenth of it and fails at the first sample that breaks the expectation', async () => {
    const { run, metrics } = check({ query: 'q', expect: '< 0.5', window: '1m' }, (_, t) =>
      t >= 30_000 ? 0.9 : 0.1
    )
    const r = await run()
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe('q = 0.9 at 2030-01-01T00:00:30.000Z: expected < 0.5 throughout 1m')
    expect(metrics.queries.map(x => x.at - metrics.queries[0].at)).toEqual([
      0, 6000, 12000, 18000, 24000, 30000
    ])
  })

  it('fails when the data stops before the window ends, saying since when', async () => {
    const { run } = check({ query: 'q', expect: '< 0.5', window: '10s' }, (_, t) =>
      t <= 4000 ? 0.1 : undefined
    )
    const r = await run()
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      'no data for q since 2030-01-01T00:00:04.000Z: the query returned no series'
    )
    expect(r.evidence).toBe('11 samples over 10.0s, 5 with data')
  })

  it('binds baseline from its own query, and needs one when the expectation reads it', async () => {
    const withBaseline = await check({ query: 'a', expect: '< baseline', baseline: 'b' }, q =>
      q === 'a' ? 1 : 2
    ).run()
    expect(withBaseline.verdict).toBe('pass')
    expect(withBaseline.data?.baselineQuery).toBe('b')
    const without = await check({ query: 'a', expect: '< 2x baseline' }, () => 1).run()
    expect(without.verdict).toBe('fail')
    expect(without.message).toBe(
      'the expectation < 2x baseline reads baseline, but the check has no baseline query'
    )
    const emptyBaseline = await check({ query: 'a', expect: '< baseline', baseline: 'b' }, q =>
      q === 'a' ? 1 : undefined
    ).run()
    expect(emptyBaseline.message).toMatch(
      /^no data for a since .*: no baseline: b returned no series$/
    )
  })

  it('cuts a window at the deadline and warns', async () => {
    const r = await check({ query: 'q', expect: '< 0.5', window: '10m' }, () => 0.1, 90_000).run()
    expect(r.verdict).toBe('warn')
    expect(r.message).toMatch(/over 1m30s \(\d+ samples; window 10m cut short by the deadline\)$/)
  })

  it.each([
    [0, 1000],
    [5000, 1000],
    [60_000, 6000],
    [600_000, 30_000]
  ])('samples a %p ms window every %p ms', (window, every) => {
    expect(sampleIntervalMs(window)).toBe(every)
  })

  it('is registered as the metric validation kind', async () => {
    const clock = new VirtualClock()
    const ctx = gateContext({
      plan: { version: 1, name: 'p', target: { namespace: 'ns' } },
      cluster: new FakeCluster(),
      clock,
      metrics: new ScriptedMetrics(clock, () => 0.1)
    })
    const r = await runValidation({ metric: { query: 'up', expect: '< 1' } }, ctx)
    expect(r.id).toBe('metric:up')
    expect(r.verdict).toBe('pass')
  })
})
