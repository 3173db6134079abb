/**
 * A stage's hold: every interval, read every metric of `rollout.metrics` for
 * the canary and its baseline (the same query on the stable track), tell
 * traffic from no traffic by `requests`, and feed the rollback triggers. A
 * trigger ends the hold at once. When the hold has passed, a stage whose
 * canary never had traffic is inconclusive; a metric without data at the
 * last sample keeps the stage holding until the data comes back or the
 * dead-man's switch fires (no data is never a pass).
 */

import type { Clock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import {
  TriggerJudge,
  describeReading,
  hasValue,
  jsonNumber,
  readMetric,
  type CompiledTrigger,
  type Firing,
  type MetricTick,
  type Reading,
  type Tick
} from '../metrics/judge.js'
import { withTrack } from '../metrics/prometheus.js'
import type { Metrics } from '../metrics/types.js'

/** What the hold needs. */
export interface HoldOptions {
  metrics: Metrics
  /** name → PromQL with `{{track}}`; `requests` gives traffic. */
  queries: Record<string, string>
  triggers: CompiledTrigger[]
  holdMs: number
  intervalMs: number
  clock: Clock
  signal?: AbortSignal
  /** Clock time the hold may not run past (the rollout budget). */
  deadline: number
  /** Told after each sample (progress, logs). */
  onTick?: (t: TickRecord) => void
  /** Told the moment a warn-tier trigger first crosses (a finding and a notification, never a rollback). */
  onWarn?: (f: Firing) => void
  /** Readings that are not PromQL of their own (the canary's share of its limits), read each sample with the queries. */
  readers?: ExtraReaders
  /** The canary judge (rollout.judge): may end the hold at once, or keep it past the hold for evidence. */
  judge?: HoldJudge
}

/** A judge beside the triggers, told of every sample. */
export interface HoldJudge {
  /**
   * After each sample: `fail` ends the hold at once (like a trigger),
   * `continue` keeps the stage holding past its hold (up to `maxHoldMs`),
   * `done` lets the hold end on time.
   */
  observe(
    at: number,
    readings: Record<string, MetricTick>,
    o: { holdOver: boolean; lastLook: boolean }
  ): 'fail' | 'continue' | 'done'
  /** How long the hold may last in all while the judge waits for evidence. */
  maxHoldMs: number
  /** Why it failed (after `fail`). */
  message: string
  /** Counters for which an empty answer means zero, not missing data (kept off the no-data clocks). */
  zeroWhenEmpty?: readonly string[]
}

/** Readings the hold takes each sample besides the queries: canary only, no baseline. */
export interface ExtraReaders {
  /** The names the readings go by (covered by the no-data clocks like any metric). */
  names: string[]
  /** One reading per name. */
  read(signal?: AbortSignal): Promise<Record<string, Reading>>
}

/** One sample as the report keeps it. */
export interface TickRecord {
  at: string
  traffic: Tick['traffic']
  /** metric → canary value and baseline (numbers, or why there is none). */
  metrics: Record<string, { canary: number | string; baseline?: number | string }>
}

/** How a hold ended. */
export interface HoldOutcome {
  /** `budget`: the rollout budget ran out before the hold did (the canary cannot be left unjudged). */
  result: 'pass' | 'triggered' | 'judged' | 'inconclusive' | 'no-data' | 'budget' | 'cancelled'
  message: string
  firing?: Firing
  ticks: TickRecord[]
  /** Raw readings of the last sample, per metric. */
  last?: Record<string, MetricTick>
  startedAt: number
  endedAt: number
  /** Time held past the hold while a metric had no data. */
  extendedMs: number
  /** Samples in which the canary had traffic. */
  withTraffic: number
  /** Trigger expressions that could not be evaluated. */
  problems: string[]
  /** Warn-tier triggers that crossed (first crossing of each). */
  warnings: Firing[]
}

function readingJson(r: Reading): number | string {
  return hasValue(r) ? (jsonNumber(r.value) as number | string) : describeReading(r)
}

/** Reads every metric for both tracks at once. */
async function sample(
  metrics: Metrics,
  queries: Record<string, string>,
  readers: ExtraReaders | undefined,
  signal: AbortSignal | undefined
): Promise<Record<string, MetricTick>> {
  const names = Object.keys(queries)
  const extra = readers?.read(signal)
  const readings = await Promise.all(
    names.map(async name => {
      const [canary, baseline] = await Promise.all([
        readMetric(metrics, withTrack(queries[name], 'canary'), { signal }),
        readMetric(metrics, withTrack(queries[name], 'stable'), { signal })
      ])
      return [name, { canary, baseline }] as const
    })
  )
  const out: Record<string, MetricTick> = Object.fromEntries(readings)
  if (extra && readers) {
    const got = await extra
    for (const name of readers.names) out[name] = { canary: got[name] ?? { kind: 'empty' } }
  }
  return out
}

function trafficOf(m: MetricTick | undefined): Tick['traffic'] {
  if (!m || !hasValue(m.canary)) return 'unknown'
  return m.canary.value > 0 ? 'yes' : 'none'
}

/** Holds a stage while judging its metrics. */
export async function holdStage(o: HoldOptions): Promise<HoldOutcome> {
  const startedAt = o.clock.now()
  // A judge's failure counter with no series yet has counted nothing: not missing data.
  const zero = new Set(o.judge?.zeroWhenEmpty ?? [])
  const names = [...Object.keys(o.queries), ...(o.readers?.names ?? [])].filter(n => !zero.has(n))
  const judge = new TriggerJudge(o.triggers, names, startedAt)
  const ticks: TickRecord[] = []
  let withTraffic = 0
  let withoutTraffic = 0
  let warned = 0
  let last: Record<string, MetricTick> | undefined
  const holdEnd = startedAt + o.holdMs
  const judgeEnd = startedAt + Math.max(o.holdMs, o.judge?.maxHoldMs ?? 0)
  const end = (result: HoldOutcome['result'], message: string, firing?: Firing): HoldOutcome => {
    const endedAt = o.clock.now()
    return {
      result,
      message,
      firing,
      ticks,
      last,
      startedAt,
      endedAt,
      extendedMs: Math.max(0, endedAt - holdEnd),
      withTraffic,
      problems: judge.problems,
      warnings: judge.warnings
    }
  }

  for (let k = 0; ; k++) {
    const at = o.clock.now()
    let readings: Record<string, MetricTick>
    try {
      readings = await sample(o.metrics, o.queries, o.readers, o.signal)
    } catch {
      return end('cancelled', 'cancelled while reading metrics')
    }
    last = readings
    const traffic = o.queries.requests !== undefined ? trafficOf(readings.requests) : 'unknown'
    if (traffic === 'yes') withTraffic++
    if (traffic === 'none') withoutTraffic++
    const record: TickRecord = {
      at: new Date(at).toISOString(),
      traffic,
      metrics: Object.fromEntries(
        Object.entries(readings).map(([n, m]) => [
          n,
          {
            canary: readingJson(m.canary),
            ...(m.baseline ? { baseline: readingJson(m.baseline) } : {})
          }
        ])
      )
    }
    ticks.push(record)
    o.onTick?.(record)
    const firing = judge.observe({ at, traffic, metrics: readings })
    while (warned < judge.warnings.length) o.onWarn?.(judge.warnings[warned++])
    if (firing) return end('triggered', firing.message, firing)
    const judged = o.judge?.observe(at, readings, {
      holdOver: at >= holdEnd,
      lastLook: at >= judgeEnd || o.clock.now() >= o.deadline
    })
    if (judged === 'fail') return end('judged', o.judge?.message ?? 'the judge failed the canary')

    const now = o.clock.now()
    if (at >= holdEnd) {
      if (withTraffic === 0 && withoutTraffic > 0)
        return end(
          'inconclusive',
          `no canary traffic (requests = 0) in any of ${ticks.length} samples over ${formatDuration(o.holdMs)}: inconclusive, the canary holds at its weight`
        )
      const missing = names.filter(n => judge.lastDataAt(n) < at && traffic !== 'none')
      const forEvidence = judged === 'continue' && at < judgeEnd && now < o.deadline
      if (missing.length === 0 && !forEvidence)
        return end(
          'pass',
          `${ticks.length} samples over ${formatDuration(now - startedAt)}, no trigger fired`
        )
      if (missing.length > 0 && now >= o.deadline)
        return end(
          'no-data',
          `no data for ${missing.join(', ')} since ${new Date(Math.min(...missing.map(n => judge.lastDataAt(n)))).toISOString()}, and the rollout budget ran out before the data came back`
        )
    } else if (now >= o.deadline) {
      return end('budget', `the rollout budget ran out during the hold (${ticks.length} samples)`)
    }
    // Samples keep to a fixed schedule from the start; the last one lands on the hold's end.
    let next = startedAt + (k + 1) * o.intervalMs
    if (next > holdEnd && at < holdEnd) next = holdEnd
    else if (next > judgeEnd && at < judgeEnd) next = judgeEnd
    next = Math.min(next, Math.max(o.deadline, now))
    try {
      await o.clock.sleep(Math.max(0, next - o.clock.now()), o.signal)
    } catch {
      return end('cancelled', 'cancelled during the hold')
    }
  }
}
