/**
 * Judging metric values: a query's answer reduced to one number (or the
 * reason there is none), expectations and rollback triggers compiled to CEL
 * over `value` and `baseline`, and the rollout's trigger state: "sustained"
 * N-of-M windows and the dead-man's switch (no data for a while).
 *
 * No data is a decision, never a pass: an empty answer, NaN (0/0, nothing to
 * divide), an unreachable server and a baseline that cannot be read all leave
 * a metric without a value, which only the dead-man's switch acts on.
 */

import { evaluateCelCondition, describeCelError } from '../cel/criteria.js'
import { expectationToCel, triggerToCel } from '../cel/shorthand.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import type { RollbackTrigger } from '../plan/types.js'
import { PromQLError } from './prometheus.js'
import { MetricsUnavailableError, type MetricSample, type Metrics } from './types.js'

/** What one query said: a number, or why there is none. */
export type Reading =
  | {
      kind: 'value'
      value: number
      labels?: Record<string, string>
      /** What the value is, in words (a resource share: `api-1/app 0.9 of 1 core (90 %)`). */
      detail?: string
    }
  /** No series at all (`reason`: why, when it is known). */
  | { kind: 'empty'; reason?: string }
  /** NaN: typically a ratio over zero requests. */
  | { kind: 'nan' }
  /** More series than one: the query must aggregate. */
  | { kind: 'ambiguous'; series: number; labels: Record<string, string>[] }
  /** Prometheus could not be asked. */
  | { kind: 'unavailable'; message: string }
  /** Prometheus rejected the query (a mistake in the plan). */
  | { kind: 'rejected'; message: string }

/** Reduces an answer to one reading. */
export function readingOf(samples: MetricSample[]): Reading {
  if (samples.length === 0) return { kind: 'empty' }
  if (samples.length > 1)
    return { kind: 'ambiguous', series: samples.length, labels: samples.map(s => s.labels) }
  const [s] = samples
  if (Number.isNaN(s.value)) return { kind: 'nan' }
  return { kind: 'value', value: s.value, labels: s.labels }
}

/** Runs a query and reduces it to a reading; never throws except on abort. */
export async function readMetric(
  metrics: Metrics,
  query: string,
  opts: { time?: number; signal?: AbortSignal } = {}
): Promise<Reading> {
  try {
    return readingOf(await metrics.query(query, opts))
  } catch (err) {
    if (opts.signal?.aborted) throw err
    if (err instanceof PromQLError) return { kind: 'rejected', message: err.message }
    if (err instanceof MetricsUnavailableError) return { kind: 'unavailable', message: err.message }
    return { kind: 'unavailable', message: errorMessage(err) }
  }
}

/** True when the reading holds a number to judge. */
export function hasValue(r: Reading | undefined): r is Extract<Reading, { kind: 'value' }> {
  return r?.kind === 'value'
}

/** A number as reports show it: 4 significant digits, `+Inf`, `-Inf`, `NaN`. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Number.POSITIVE_INFINITY) return '+Inf'
  if (n === Number.NEGATIVE_INFINITY) return '-Inf'
  if (n === 0) return '0'
  const abs = Math.abs(n)
  if (abs >= 1e6 || abs < 1e-4)
    return n
      .toExponential(3)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e')
  return String(Number(n.toPrecision(4)))
}

/** A reading in words: `0.0523`, `no data`, `NaN (nothing to divide)` ... */
export function describeReading(r: Reading): string {
  switch (r.kind) {
    case 'value':
      return formatNumber(r.value)
    case 'empty':
      return r.reason ? `no data (${r.reason})` : 'no data'
    case 'nan':
      return 'NaN (nothing to divide: no requests?)'
    case 'ambiguous':
      return `${r.series} series (aggregate the query to one value, e.g. with sum or max)`
    case 'unavailable':
      return `Prometheus unavailable (${r.message})`
    case 'rejected':
      return `query rejected (${r.message})`
  }
}

/** A number for JSON reports: NaN and infinities (which JSON cannot hold) as their names. */
export function jsonNumber(n: number | undefined): number | string | undefined {
  if (n === undefined) return undefined
  return Number.isFinite(n) ? n : formatNumber(n)
}

/** True when a CEL expression reads `baseline`. */
export function usesBaseline(cel: string): boolean {
  return /\bbaseline\b/.test(cel)
}

/** Evaluates an expectation or trigger condition with `value` and `baseline` bound. */
export function evaluateCondition(cel: string, value: number, baseline?: number): boolean {
  if (baseline === undefined && usesBaseline(cel))
    throw new Error(`${cel} needs a baseline, and there is none`)
  return evaluateCelCondition(
    cel,
    { value, baseline: baseline ?? Number.NaN },
    { vars: ['value', 'baseline'] }
  )
}

/** An expectation (`"< 0.5"`, a CEL expression) as CEL; throws with the accepted forms. */
export function expectationCel(expect: string): string {
  return expectationToCel(expect)
}

/** A CEL error (or any error) in words for a report. */
export function describeJudgeError(err: unknown): string {
  return describeCelError(err)
}

/** The rollback triggers of a plan, compiled. */
export interface CompiledTrigger {
  /** Index in `rollout.rollbackIf`. */
  index: number
  /** The metric it judges (`cpu/limit` for a resource); undefined for a bare dead-man's switch (every metric). */
  metric?: string
  /** A trigger on the canary's share of its limits: `value` is the highest share of any container. */
  resource?: 'cpu' | 'memory'
  /** A resource trigger's condition in words, without its samples: `cpu above 80 % of limits`. */
  condition?: string
  /** CEL that is true when the trigger fires; undefined for noDataFor only. */
  cel?: string
  /** The trigger as the plan wrote it, for messages: `errorRate above 2x baseline`. */
  source: string
  noDataForMs?: number
  /** N of M: fires when `samples` of the last `of` judged samples crossed. */
  samples: number
  of: number
  /** Added by phase-gate (the default dead-man's switch), not written in the plan. */
  implicit?: boolean
  /** `warn`: crossing it is a finding and a notification, never a rollback (metrics/tiers.ts). */
  tier?: 'warn'
  /** Where the trigger is written in the plan (`rollout.stages[1].rollbackIf[0]`), when not `rollout.rollbackIf[index]`. */
  path?: (string | number)[]
}

/** The dead-man's switch a rollout gets when its plan sets none: "no metrics for 5 minutes". */
export const DEFAULT_NO_DATA_MS = 5 * 60_000

/** The name a resource trigger's readings go by in samples and reports: `cpu/limit`. */
export function resourceMetric(resource: 'cpu' | 'memory'): string {
  return `${resource}/limit`
}

// A share threshold in words: 0.8 and "80%" are both `80 %`.
function shareWords(v: string | number): string {
  if (typeof v === 'number') return `${formatNumber(v * 100)} %`
  const pct = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$/.exec(v)
  if (pct) return `${pct[1]} %`
  if (/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(v)) return `${formatNumber(Number(v) * 100)} %`
  return v
}

/** Compiles `rollbackIf`; adds the default dead-man's switch when the plan has no noDataFor. */
export function compileTriggers(triggers: RollbackTrigger[] = []): CompiledTrigger[] {
  const out: CompiledTrigger[] = triggers.map((t, index) => {
    const judged = t.above !== undefined || t.below !== undefined || t.cel !== undefined
    const cel = judged ? triggerToCel({ above: t.above, below: t.below, cel: t.cel }) : undefined
    const samples = t.samples ?? 1
    const of = Math.max(t.of ?? samples, samples)
    const words: string[] = []
    if (t.resource) {
      words.push(t.resource)
      if (t.above !== undefined) words.push(`above ${shareWords(t.above)}`)
      if (t.below !== undefined) words.push(`below ${shareWords(t.below)}`)
      words.push('of limits')
      if (t.cel !== undefined) words.push(`cel ${t.cel}`)
    } else {
      if (t.metric) words.push(t.metric)
      if (t.above !== undefined) words.push(`above ${String(t.above)}`)
      if (t.below !== undefined) words.push(`below ${String(t.below)}`)
      if (t.cel !== undefined) words.push(`cel ${t.cel}`)
    }
    if (t.noDataFor !== undefined) words.push(`no data for ${t.noDataFor}`)
    const condition = words.join(' ')
    if (samples > 1 || of > 1) words.push(`(${samples} of ${of} samples)`)
    return {
      index,
      metric: t.resource ? resourceMetric(t.resource) : t.metric,
      ...(t.resource ? { resource: t.resource, condition } : {}),
      cel,
      source: words.join(' '),
      noDataForMs: t.noDataFor !== undefined ? durationMs(t.noDataFor, 0) : undefined,
      samples,
      of
    }
  })
  if (!out.some(t => t.noDataForMs !== undefined))
    out.push({
      index: -1,
      source: `no data for ${formatDuration(DEFAULT_NO_DATA_MS)} (default dead-man's switch)`,
      noDataForMs: DEFAULT_NO_DATA_MS,
      samples: 1,
      of: 1,
      implicit: true
    })
  return out
}

/** One metric at one tick: the canary's reading and the baseline (stable) it is judged against. */
export interface MetricTick {
  canary: Reading
  baseline?: Reading
}

/** One evaluation of every metric during a hold. */
export interface Tick {
  at: number
  /** Canary traffic: `yes` (> 0), `none` (0) or `unknown` (no requests query, no data, unreachable). */
  traffic: 'yes' | 'none' | 'unknown'
  metrics: Record<string, MetricTick>
}

/** A trigger that fired, with the numbers that tripped it. */
export interface Firing {
  trigger: CompiledTrigger
  at: number
  /** The metric that tripped it. */
  metric: string
  message: string
  /** The judged samples behind the decision, newest last. */
  samples: { at: number; value?: number | string; baseline?: number | string; crossed?: boolean }[]
  kind: 'threshold' | 'no-data' | 'rejected'
  /** The labels of the tripping reading (a resource trigger's pod and container). */
  labels?: Record<string, string>
}

interface Judged {
  at: number
  value: number
  baseline?: number
  crossed: boolean
}

/**
 * The state of the rollback triggers over a stage: fed one tick per
 * interval, it answers the first trigger that fires. A zero-traffic tick is
 * data (it says "no requests"): it pauses the no-data clocks instead of
 * advancing them, so an idle canary is inconclusive, not rolled back.
 */
export class TriggerJudge {
  private readonly lastData = new Map<string, number>()
  private readonly judged = new Map<number, Judged[]>()
  /** Last baseline value seen per metric, used while the stable track has none (at 100 %). */
  private readonly lastBaseline = new Map<string, { value: number; at: number }>()
  /** Problems judging (a CEL error), reported once per trigger. */
  readonly problems: string[] = []
  /** Warn-tier triggers that crossed, the first crossing of each (they never end the hold). */
  readonly warnings: Firing[] = []

  constructor(
    readonly triggers: CompiledTrigger[],
    /** Every metric the no-data clocks cover (those under rollout.metrics). */
    readonly metricNames: string[],
    readonly startedAt: number
  ) {
    for (const m of metricNames) this.lastData.set(m, startedAt)
  }

  /** When the metric last had data (or the stage started). */
  lastDataAt(metric: string): number {
    return this.lastData.get(metric) ?? this.startedAt
  }

  /** Metrics without data at this moment, with how long they have had none. */
  missing(now: number): { metric: string; sinceMs: number; since: number }[] {
    return this.metricNames
      .map(metric => ({
        metric,
        since: this.lastDataAt(metric),
        sinceMs: now - this.lastDataAt(metric)
      }))
      .filter(m => m.sinceMs > 0)
  }

  /** Feeds one tick; answers the first trigger that fires (plan order, no-data last). */
  observe(tick: Tick): Firing | undefined {
    for (const [metric, m] of Object.entries(tick.metrics)) {
      if (m.canary.kind === 'rejected')
        return {
          trigger: this.triggers.find(t => t.metric === metric) ?? this.triggers[0],
          at: tick.at,
          metric,
          kind: 'rejected',
          message: `${metric}: ${m.canary.message}`,
          samples: []
        }
      if (hasValue(m.baseline))
        this.lastBaseline.set(metric, { value: m.baseline.value, at: tick.at })
    }
    if (tick.traffic === 'none') {
      for (const m of this.metricNames) this.lastData.set(m, tick.at)
      return undefined
    }
    // A metric has data when its canary value is there and so is every baseline its triggers need.
    for (const [metric, m] of Object.entries(tick.metrics))
      if (hasValue(m.canary) && this.baselineFor(metric, m) !== null)
        this.lastData.set(metric, tick.at)

    for (const t of this.triggers) {
      if (!t.metric || !t.cel) continue
      const m = tick.metrics[t.metric]
      if (!m || !hasValue(m.canary)) continue
      let baseline: number | undefined
      if (usesBaseline(t.cel)) {
        const b = this.baselineFor(t.metric, m)
        // Without any baseline the comparison cannot be made: no data for this metric.
        if (b === null || b === undefined) continue
        baseline = b
      }
      let crossed: boolean
      try {
        crossed = evaluateCondition(t.cel, m.canary.value, baseline)
      } catch (err) {
        const p = `${t.source}: ${describeJudgeError(err)}`
        if (!this.problems.includes(p)) this.problems.push(p)
        continue
      }
      const list = this.judged.get(t.index) ?? []
      list.push({ at: tick.at, value: m.canary.value, baseline, crossed })
      while (list.length > t.of) list.shift()
      this.judged.set(t.index, list)
      const count = list.filter(j => j.crossed).length
      if (crossed && count >= t.samples) {
        const base = baseline === undefined ? '' : ` (baseline ${formatNumber(baseline)})`
        const sustained = t.of > 1 ? ` in ${count} of the last ${list.length} samples` : ''
        const firing: Firing = {
          trigger: t,
          at: tick.at,
          metric: t.metric,
          kind: 'threshold',
          message: t.resource
            ? `canary ${t.condition ?? t.source}: ${m.canary.detail ?? formatNumber(m.canary.value)}${sustained}`
            : `${t.metric} = ${formatNumber(m.canary.value)}${base}: ${t.cel}${sustained}`,
          ...(m.canary.labels ? { labels: m.canary.labels } : {}),
          samples: list.map(j => ({
            at: j.at,
            value: jsonNumber(j.value),
            baseline: jsonNumber(j.baseline),
            crossed: j.crossed
          }))
        }
        if (t.tier !== 'warn') return firing
        if (!this.warnings.some(w => w.trigger.index === t.index)) this.warnings.push(firing)
      }
    }

    for (const t of this.triggers) {
      if (t.noDataForMs === undefined) continue
      const names = t.metric ? [t.metric] : this.metricNames
      for (const metric of names) {
        const since = this.lastDataAt(metric)
        if (tick.at - since >= t.noDataForMs) {
          const reading = tick.metrics[metric]?.canary
          return {
            trigger: t,
            at: tick.at,
            metric,
            kind: 'no-data',
            message: `no data for ${metric} since ${new Date(since).toISOString()} (${formatDuration(tick.at - since)}, limit ${formatDuration(t.noDataForMs)})${reading && !hasValue(reading) ? `: ${describeReading(reading)}` : ''}`,
            samples: []
          }
        }
      }
    }
    return undefined
  }

  // The baseline a metric is judged against: this tick's, else the last one seen (the stable
  // track has no traffic at 100 %); null when a trigger needs one and none was ever seen.
  private baselineFor(metric: string, m: MetricTick): number | undefined | null {
    const needed = this.triggers.some(t => t.metric === metric && t.cel && usesBaseline(t.cel))
    if (hasValue(m.baseline)) return m.baseline.value
    const last = this.lastBaseline.get(metric)?.value
    if (last !== undefined) return last
    return needed ? null : undefined
  }
}
