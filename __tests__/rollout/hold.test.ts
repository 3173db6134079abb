// A stage's hold over scripted Prometheus answers and virtual time: the
// sampling schedule, a trigger ending the hold at once, no traffic being
// inconclusive, and no data holding the stage until the dead-man's switch.
import { describe, expect, it } from '@jest/globals'
import { compileTriggers } from '../../src/metrics/judge.js'
import { MetricsUnavailableError } from '../../src/metrics/types.js'
import type { RollbackTrigger } from '../../src/plan/types.js'
import { holdStage } from '../../src/rollout/hold.js'
import { ScriptedMetrics, VirtualClock, type Answer } from './fakes.js'

const QUERIES = {
  requests: 'sum(rate(req{track="{{track}}"}[1m]))',
  errorRate: 'sum(rate(err{track="{{track}}"}[1m]))'
}

/** Runs a hold; `script(metric, track, elapsedMs)` answers. */
function hold(
  script: (metric: 'requests' | 'errorRate', track: 'canary' | 'stable', t: number) => Answer,
  o: {
    holdMs?: number
    intervalMs?: number
    triggers?: RollbackTrigger[]
    deadlineMs?: number
    signal?: AbortSignal
  } = {}
) {
  const clock = new VirtualClock()
  const start = clock.now()
  const metrics = new ScriptedMetrics(clock, (q, now) =>
    script(
      q.startsWith('sum(rate(req') ? 'requests' : 'errorRate',
      q.includes('canary') ? 'canary' : 'stable',
      now - start
    )
  )
  const promise = holdStage({
    metrics,
    queries: QUERIES,
    triggers: compileTriggers(
      o.triggers ?? [{ metric: 'errorRate', above: '2x baseline' }, { noDataFor: '20s' }]
    ),
    holdMs: o.holdMs ?? 30_000,
    intervalMs: o.intervalMs ?? 10_000,
    clock,
    signal: o.signal,
    deadline: start + (o.deadlineMs ?? 3_600_000)
  })
  return { promise, metrics, start, clock }
}

const healthy = (m: 'requests' | 'errorRate', track: string): Answer =>
  m === 'requests' ? 10 : track === 'canary' ? 0.01 : 0.01

describe('holdStage', () => {
  it('samples at the start and every interval up to the hold, then passes', async () => {
    const { promise, metrics, start } = hold(healthy)
    const r = await promise
    expect(r.result).toBe('pass')
    expect(r.message).toBe('4 samples over 30.0s, no trigger fired')
    expect([...new Set(metrics.queries.map(q => q.at - start))]).toEqual([
      0, 10_000, 20_000, 30_000
    ])
    // Both tracks of both metrics at every sample.
    expect(metrics.queries.length).toBe(16)
    expect(r.ticks[0]).toEqual({
      at: '2030-01-01T00:00:00.000Z',
      traffic: 'yes',
      metrics: {
        requests: { canary: 10, baseline: 10 },
        errorRate: { canary: 0.01, baseline: 0.01 }
      }
    })
    expect(r.withTraffic).toBe(4)
  })

  it('puts the last sample on the end of a hold that is no multiple of the interval', async () => {
    const { promise, metrics, start } = hold(healthy, { holdMs: 25_000 })
    await promise
    expect([...new Set(metrics.queries.map(q => q.at - start))]).toEqual([
      0, 10_000, 20_000, 25_000
    ])
  })

  it('ends at the sample where a trigger fires, with its numbers', async () => {
    const { promise, start } = hold(
      (m, track, t) => (m === 'requests' ? 10 : track === 'canary' && t >= 10_000 ? 0.2 : 0.01),
      { holdMs: 600_000 }
    )
    const r = await promise
    expect(r.result).toBe('triggered')
    expect(r.endedAt - start).toBe(10_000)
    expect(r.firing?.metric).toBe('errorRate')
    expect(r.message).toBe('errorRate = 0.2 (baseline 0.01): value > 2.0 * baseline')
  })

  it('is inconclusive when the canary had no traffic at any sample, and never triggers', async () => {
    const { promise } = hold((m, track) =>
      m === 'requests' ? (track === 'canary' ? 0 : 10) : track === 'canary' ? undefined : 0.01
    )
    const r = await promise
    expect(r.result).toBe('inconclusive')
    expect(r.message).toBe(
      'no canary traffic (requests = 0) in any of 4 samples over 30.0s: inconclusive, the canary holds at its weight'
    )
    expect(r.withTraffic).toBe(0)
  })

  it('passes when traffic came at some samples and stopped at others', async () => {
    const { promise } = hold((m, track, t) =>
      m === 'requests' ? (track === 'canary' && t >= 20_000 ? 0 : 10) : 0.01
    )
    expect((await promise).result).toBe('pass')
  })

  it('holds past the hold while a metric has no data, and passes when the data is back', async () => {
    const { promise, start } = hold((m, track, t) =>
      m === 'errorRate' && track === 'canary' && t >= 25_000 && t < 35_000
        ? undefined
        : healthy(m, track)
    )
    const r = await promise
    expect(r.result).toBe('pass')
    // Samples at 0, 10, 20, 30 (the hold's end, no data), 40 (back).
    expect(r.endedAt - start).toBe(40_000)
    expect(r.extendedMs).toBe(10_000)
    expect(r.ticks[3].metrics.errorRate.canary).toBe('no data')
  })

  it("fires the dead-man's switch when the data does not come back", async () => {
    const { promise, start } = hold((m, track, t) =>
      m === 'errorRate' && track === 'canary' && t >= 25_000 ? undefined : healthy(m, track)
    )
    const r = await promise
    expect(r.result).toBe('triggered')
    expect(r.firing?.kind).toBe('no-data')
    // Last data at 20 s, limit 20 s: fires at the 40 s sample.
    expect(r.endedAt - start).toBe(40_000)
    expect(r.message).toBe(
      'no data for errorRate since 2030-01-01T00:00:20.000Z (20.0s, limit 20.0s): no data'
    )
  })

  it('treats an unreachable Prometheus as no data: the switch acts', async () => {
    const { promise } = hold((m, track, t) =>
      t >= 10_000 ? new MetricsUnavailableError('connection refused') : healthy(m, track)
    )
    const r = await promise
    expect(r.result).toBe('triggered')
    expect(r.firing?.kind).toBe('no-data')
    expect(r.ticks[1].traffic).toBe('unknown')
    expect(r.ticks[1].metrics.errorRate.canary).toBe('Prometheus unavailable (connection refused)')
  })

  it('ends as no data when the budget runs out first', async () => {
    const { promise } = hold(
      (m, track, t) =>
        m === 'errorRate' && track === 'canary' && t >= 25_000 ? undefined : healthy(m, track),
      {
        triggers: [{ metric: 'errorRate', above: 0.1 }, { noDataFor: '1h' }],
        deadlineMs: 60_000
      }
    )
    const r = await promise
    expect(r.result).toBe('no-data')
    expect(r.message).toMatch(
      /^no data for errorRate since 2030-01-01T00:00:20\.000Z, and the rollout budget ran out/
    )
  })

  it('ends as budget when the rollout budget runs out before the hold', async () => {
    const { promise } = hold(healthy, { holdMs: 600_000, deadlineMs: 45_000 })
    const r = await promise
    expect(r.result).toBe('budget')
    expect(r.message).toBe('the rollout budget ran out during the hold (6 samples)')
  })

  it('stops when cancelled', async () => {
    const ac = new AbortController()
    const { promise } = hold(
      (m, track, t) => {
        if (t >= 10_000) ac.abort()
        return healthy(m, track)
      },
      { signal: ac.signal }
    )
    expect((await promise).result).toBe('cancelled')
  })

  it('reads the canary share of its limits each sample with the queries, and a trigger on it ends the hold', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const metrics = new ScriptedMetrics(clock, q => (q.startsWith('sum(rate(req') ? 10 : 0.01))
    const reads: number[] = []
    const r = await holdStage({
      metrics,
      queries: QUERIES,
      triggers: compileTriggers([{ resource: 'cpu', above: '80%' }, { noDataFor: '1m' }]),
      holdMs: 600_000,
      intervalMs: 10_000,
      clock,
      deadline: start + 3_600_000,
      readers: {
        names: ['cpu/limit'],
        read: async () => {
          const t = clock.now() - start
          reads.push(t)
          return {
            'cpu/limit':
              t < 20_000
                ? { kind: 'empty', reason: 'no container_cpu_usage_seconds_total series' }
                : {
                    kind: 'value',
                    value: t >= 30_000 ? 0.9 : 0.5,
                    detail: `api-canary-1/app ${t >= 30_000 ? '0.9' : '0.5'} of 1 core`
                  }
          }
        }
      }
    })
    expect(r.result).toBe('triggered')
    expect(r.endedAt - start).toBe(30_000)
    expect(reads).toEqual([0, 10_000, 20_000, 30_000])
    expect(r.message).toBe('canary cpu above 80 % of limits: api-canary-1/app 0.9 of 1 core')
    expect(r.ticks[0].metrics['cpu/limit']).toEqual({
      canary: 'no data (no container_cpu_usage_seconds_total series)'
    })
    expect(r.ticks[2].metrics['cpu/limit']).toEqual({ canary: 0.5 })
  })

  it('keeps holding while the share has no data, like any metric', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const metrics = new ScriptedMetrics(clock, q => (q.startsWith('sum(rate(req') ? 10 : 0.01))
    const r = await holdStage({
      metrics,
      queries: QUERIES,
      triggers: compileTriggers([{ resource: 'memory', above: '80%' }, { noDataFor: '25s' }]),
      holdMs: 10_000,
      intervalMs: 10_000,
      clock,
      deadline: start + 3_600_000,
      readers: {
        names: ['memory/limit'],
        read: async () => ({ 'memory/limit': { kind: 'empty' } })
      }
    })
    expect(r.result).toBe('triggered')
    expect(r.firing?.kind).toBe('no-data')
    expect(r.firing?.metric).toBe('memory/limit')
    expect(r.endedAt - start).toBe(30_000)
  })
})
