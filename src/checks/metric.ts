/**
 * `metric`: a PromQL query against the plan's Prometheus, judged by a CEL
 * expectation (or a shorthand such as `"< 0.5"`) with `value` and, when the
 * check names one, `baseline` bound. Without `window` it is one instant
 * query; with a window it samples from now until the window has passed
 * (every tenth of the window, 1 s to 30 s apart) and the expectation must
 * hold at every sample. No data is never a pass: an empty answer or NaN at
 * the last sample fails with "no data for <query> since <time>". Every result
 * shows its numbers: query, value, threshold, baseline and window.
 */

import { durationMs, formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import {
  describeJudgeError,
  evaluateCondition,
  formatNumber,
  jsonNumber,
  usesBaseline
} from '../metrics/judge.js'
import { checkCondition, firstWarnCrossing } from '../metrics/tiers.js'
import { triggerToCel } from '../cel/shorthand.js'
import { PromQLError, hasTrack, withTrack } from '../metrics/prometheus.js'
import { MetricsUnavailableError, type MetricSample, type Metrics } from '../metrics/types.js'
import type { MetricCheck } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { checkResult } from './result.js'
import { code } from '../report/shell.js'
import type { ValidationCheck, ValidationContext } from './validation-kind.js'

type Spec = MetricCheck['metric']

/** Most samples a timeline in the report keeps (the newest). */
const TIMELINE_LIMIT = 60

/** Time between samples of a window: a tenth of it, 1 s to 30 s. */
export function sampleIntervalMs(windowMs: number): number {
  return Math.min(30_000, Math.max(1000, Math.round(windowMs / 10)))
}

interface Sample {
  at: number
  values: MetricSample[]
  baseline?: number
  /** Why the sample holds no number to judge. */
  noData?: string
}

/** One run of a metric check: what it queries and judges, and the samples taken so far. */
interface MetricRun {
  spec: Spec
  target: string
  location?: SourceLocation
  cel: string
  /** The expectation and the fail tier together; the warn tier is judged once the check passes. */
  expectText: string
  query: string
  baselineQuery?: string
  metrics: Metrics
  windowMs: number
  started: number
  until: number
  /** The window was cut short by the deadline. */
  cut: boolean
  every: number
  samples: Sample[]
  /** When the last sample with data was taken. */
  lastData?: number
}

type Ctx = Pick<ValidationContext, 'metrics' | 'clock' | 'signal' | 'deadline'>

/** Runs one metric check (the registered `metric` kind calls this). */
export async function runMetricCheck(
  spec: Spec,
  ctx: Ctx,
  location?: SourceLocation
): Promise<CheckResult> {
  const run = planRun(spec, ctx, location)
  if ('verdict' in run) return run
  const stopped = await sampleUntil(run, ctx)
  return stopped ?? judgeWindow(run)
}

function fail(
  run: Pick<MetricRun, 'target' | 'location'>,
  message: string,
  extra: Partial<Parameters<typeof checkResult>[2]> = {}
): CheckResult {
  return checkResult('metric', run.target, {
    verdict: 'fail',
    message,
    location: run.location,
    ...extra
  })
}

/** The expectation, the queries and the window; a failed result when the check cannot be judged. */
function planRun(spec: Spec, ctx: Ctx, location?: SourceLocation): MetricRun | CheckResult {
  const target = spec.name ?? spec.query
  let cel: string
  let expectText: string
  try {
    ;({ cel, text: expectText } = checkCondition(spec))
  } catch (err) {
    return fail({ target, location }, errorMessage(err), {
      adjustment: 'fix the expectation in the plan'
    })
  }
  // `{{track}}` in a check means the canary; the baseline is the same query on the stable track.
  const query = hasTrack(spec.query) ? withTrack(spec.query, 'canary') : spec.query
  const baselineQuery = spec.baseline
    ? withTrack(spec.baseline, 'stable')
    : usesBaseline(cel) && hasTrack(spec.query)
      ? withTrack(spec.query, 'stable')
      : undefined
  if (usesBaseline(cel) && !baselineQuery)
    return fail(
      { target, location },
      `the expectation ${expectText} reads baseline, but the check has no baseline query`,
      {
        adjustment:
          'add `baseline:` (the same query on the stable track) or write {{track}} in the query'
      }
    )

  const metrics: Metrics = ctx.metrics()
  const windowMs = spec.window !== undefined ? durationMs(spec.window, 0) : 0
  const started = ctx.clock.now()
  let until = started + windowMs
  let cut = false
  if (ctx.deadline !== undefined && until > ctx.deadline) {
    until = Math.max(started, ctx.deadline)
    cut = true
  }
  return {
    spec,
    target,
    location,
    cel,
    expectText,
    query,
    baselineQuery,
    metrics,
    windowMs,
    started,
    until,
    cut,
    every: sampleIntervalMs(windowMs),
    samples: []
  }
}

/** The report's data: the check's numbers, the last sample's values and the timeline. */
function dataOf(run: MetricRun, last?: Sample): Record<string, unknown> {
  const { spec, query, baselineQuery, samples } = run
  const v = last?.values.length === 1 ? last.values[0].value : undefined
  return {
    prometheus: run.metrics.url,
    query,
    ...(baselineQuery ? { baselineQuery } : {}),
    expect: spec.expect,
    ...(spec.warn !== undefined ? { warn: spec.warn } : {}),
    ...(spec.fail !== undefined ? { fail: spec.fail } : {}),
    cel: run.cel,
    ...(v !== undefined ? { value: jsonNumber(v) } : {}),
    ...(last?.baseline !== undefined ? { baseline: jsonNumber(last.baseline) } : {}),
    ...(spec.window ? { window: spec.window, windowMs: run.windowMs } : {}),
    samples: samples.length,
    timeline: samples.slice(-TIMELINE_LIMIT).map(s => ({
      at: new Date(s.at).toISOString(),
      ...(s.values.length === 1 ? { value: jsonNumber(s.values[0].value) } : {}),
      ...(s.values.length > 1 ? { series: s.values.length } : {}),
      ...(s.baseline !== undefined ? { baseline: jsonNumber(s.baseline) } : {}),
      ...(s.noData ? { noData: s.noData } : {})
    }))
  }
}

function baseWords(s: { baseline?: number }): string {
  return s.baseline !== undefined ? `, baseline ${formatNumber(s.baseline)}` : ''
}

/** Samples until the window has passed; a result when a sample fails or cannot be taken. */
async function sampleUntil(run: MetricRun, ctx: Ctx): Promise<CheckResult | undefined> {
  const { target, location } = run
  for (;;) {
    const at = ctx.clock.now()
    let sample: Sample
    try {
      sample = await takeSample(run.metrics, run.query, run.baselineQuery, ctx.signal)
    } catch (err) {
      if (err instanceof PromQLError)
        return fail(run, err.message, {
          adjustment: 'fix the query in the plan',
          data: dataOf(run)
        })
      if (err instanceof MetricsUnavailableError || !ctx.signal.aborted)
        return checkResult('metric', target, {
          verdict: 'error',
          message: `could not check ${target}: ${errorMessage(err)}`,
          adjustment:
            'check that Prometheus is reachable from the runner and the credentials are set',
          location,
          data: dataOf(run)
        })
      throw err
    }
    sample.at = at
    run.samples.push(sample)
    if (!sample.noData) {
      run.lastData = at
      const failed = judgeSample(run, sample)
      if (failed) return failed
    }
    const now = ctx.clock.now()
    if (now >= run.until) return undefined
    await ctx.clock.sleep(Math.min(run.every, run.until - now), ctx.signal)
  }
}

/** Every series of one sample against the expectation; the failed result of the first that misses. */
function judgeSample(run: MetricRun, sample: Sample): CheckResult | undefined {
  const { target, spec, query, baselineQuery, cel } = run
  for (const s of sample.values) {
    let ok: boolean
    try {
      ok = evaluateCondition(cel, s.value, sample.baseline)
    } catch (err) {
      return fail(run, `cannot judge ${target}: ${describeJudgeError(err)}`, {
        data: dataOf(run, sample)
      })
    }
    if (!ok) {
      const series = sample.values.length > 1 ? ` for ${formatLabels(s.labels)}` : ''
      return fail(
        run,
        `${target} = ${formatNumber(s.value)}${series}${baseWords(sample)} at ${new Date(sample.at).toISOString()}: expected ${run.expectText}${run.windowMs ? ` throughout ${spec.window}` : ''}`,
        {
          evidence: `query: ${query}${baselineQuery ? `\nbaseline: ${baselineQuery}` : ''}\nexpectation: ${cel}`,
          data: {
            ...dataOf(run, sample),
            ...(sample.values.length > 1 ? { failedSeries: s.labels } : {})
          }
        }
      )
    }
  }
  return undefined
}

/** The window held: no data at the end fails, the warn tier warns, else a pass (a warn when cut short). */
function judgeWindow(run: MetricRun): CheckResult {
  const { target, spec, query, baselineQuery, samples, started, until, windowMs, cut } = run
  const last = samples[samples.length - 1]
  if (last.noData) {
    const since = new Date(run.lastData ?? started).toISOString()
    return fail(run, `no data for ${query} since ${since}: ${last.noData}`, {
      evidence: `${samples.length} sample${samples.length === 1 ? '' : 's'}${windowMs ? ` over ${formatDuration(until - started)}` : ''}, ${samples.filter(s => !s.noData).length} with data`,
      adjustment:
        'check the query selects series that exist (labels, metric name) and that the workload is scraped',
      data: dataOf(run, last)
    })
  }
  const shown =
    last.values.length === 1
      ? formatNumber(last.values[0].value)
      : `${last.values.length} series, each`
  const over = windowMs
    ? ` over ${formatDuration(until - started)} (${samples.length} samples${cut ? `; window ${spec.window} cut short by the deadline` : ''})`
    : ''
  const warned = warnTier(spec, samples)
  if (warned)
    return checkResult('metric', target, {
      verdict: 'warn',
      message: `${target} = ${formatNumber(warned.value)}${baseWords(warned)} at ${new Date(warned.at).toISOString()}: above the warn tier ${String(spec.warn)} (fail tier ${spec.fail !== undefined ? String(spec.fail) : 'none'}; not failed)${over}`,
      evidence: `query: ${query}${baselineQuery ? `\nbaseline: ${baselineQuery}` : ''}\nwarn when: ${triggerToCel({ above: spec.warn ?? 0 })}`,
      location: run.location,
      data: { ...dataOf(run, last), tier: 'warn', warnedAt: new Date(warned.at).toISOString() }
    })
  return checkResult('metric', target, {
    verdict: cut ? 'warn' : 'pass',
    message: `${target} = ${shown} (expect ${run.expectText}${baseWords(last)})${over}`,
    location: run.location,
    data: dataOf(run, last)
  })
}

// The first sample (one series) above the check's warn tier, when it has one.
function warnTier(
  spec: Spec,
  samples: Sample[]
): { at: number; value: number; baseline?: number } | undefined {
  if (spec.warn === undefined) return undefined
  const flat = samples.flatMap(s =>
    s.noData ? [] : s.values.map(v => ({ at: s.at, value: v.value, baseline: s.baseline }))
  )
  return firstWarnCrossing(spec.warn, flat)
}

async function takeSample(
  metrics: Metrics,
  query: string,
  baselineQuery: string | undefined,
  signal: AbortSignal
): Promise<Sample> {
  const [values, base] = await Promise.all([
    metrics.query(query, { signal }),
    baselineQuery ? metrics.query(baselineQuery, { signal }) : Promise.resolve(undefined)
  ])
  const sample: Sample = { at: 0, values: values.filter(v => !Number.isNaN(v.value)) }
  if (values.length === 0) sample.noData = 'the query returned no series'
  else if (sample.values.length === 0)
    sample.noData = 'the value is NaN (nothing to divide: no requests?)'
  if (base !== undefined) {
    if (base.length !== 1 || Number.isNaN(base[0].value)) {
      sample.noData ??=
        base.length > 1
          ? `the baseline query returned ${base.length} series; aggregate it to one`
          : `no baseline: ${baselineQuery} ${base.length === 0 ? 'returned no series' : 'is NaN'}`
    } else sample.baseline = base[0].value
  }
  return sample
}

function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`
}

export const metricCheck: ValidationCheck<'metric'> = {
  key: 'metric',
  target: s => s.name ?? s.query,
  run: (spec, ctx, location) => runMetricCheck(spec, ctx, location),
  describe: {
    plan: m =>
      `metric: ${m.name ? `${m.name} ` : ''}${m.query} ${m.expect}${m.window ? ` over ${m.window}` : ''}`,
    runbook: m =>
      `${m.name ? `${m.name}: ` : ''}${code(m.query)} ${checkCondition(m).text}${m.warn !== undefined ? ` (warn above ${String(m.warn)})` : ''}${m.window ? ` over ${m.window}` : ''}`
  }
}
