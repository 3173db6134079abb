/**
 * The rollout gate's side of the canary judge (rollout.judge): per stage,
 * the counters' increase on both tracks since the stage began and the
 * metric samples of both tracks each interval, judged after every sample by
 * the pure statistics in src/rollout/judge/. A fail ends the hold at once
 * (the gate then takes the trigger path: canary to 0 %); a stage passes only
 * when every comparison passes; an inconclusive judge follows
 * `rollout.onInconclusive` and the stage's maxHold. The results go into the
 * stage's checks (one row per comparison) and `details.judge`, which the
 * summary and PR comment render.
 */

import { checkResult } from '../checks/result.js'
import { formatDuration } from '../core/duration.js'
import { hasValue, type MetricTick, type Reading } from '../metrics/judge.js'
import type { RolloutSpec } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import type { HoldJudge } from '../rollout/hold.js'
import {
  describeWorseBy,
  judgeMannWhitney,
  judgeProportion,
  stageDecision,
  stageLooks,
  type ComparisonResult,
  type JudgeVerdict
} from '../rollout/judge/index.js'
import {
  comparisonsOf,
  maxHoldMs,
  onInconclusiveOf,
  type Comparison
} from '../rollout/judge/settings.js'
import type { Stage } from '../rollout/stages.js'

/** One comparison's latest result as the report keeps it (`details.judge[]`). */
export type JudgedComparison = ComparisonResult & {
  name: string
  /** `worseBy` as the plan wrote it, and in words. */
  worseBy: string
  worseByText: string
  /** Samples judged so far. */
  looks: number
}

/** A counter's increase on one track, across resets. */
class Increase {
  private last: number | undefined
  total = 0
  add(r: Reading | undefined): boolean {
    // An empty answer is a counter that has not counted yet: zero.
    const v = hasValue(r) ? r.value : r?.kind === 'empty' ? 0 : undefined
    if (v === undefined || !Number.isFinite(v)) return false
    if (this.last !== undefined) this.total += v >= this.last ? v - this.last : v
    this.last = v
    return true
  }
}

/** A stage's judge: fed every sample by the hold. */
export class StageJudge implements HoldJudge {
  readonly comparisons: Comparison[]
  readonly maxHoldMs: number
  readonly onInconclusive: 'hold' | 'fail' | 'promote'
  readonly looksPlanned: number
  /** Failure counters (not judged by rollbackIf) whose empty answer is zero failures so far. */
  readonly zeroWhenEmpty: string[]
  message = ''
  private readonly counters = new Map<string, { canary: Increase; stable: Increase }>()
  private readonly samples = new Map<string, { canary: number[]; stable: number[] }>()
  private readonly latest = new Map<number, JudgedComparison>()
  private looks = 0

  constructor(rollout: RolloutSpec, stage: Stage, intervalMs: number) {
    this.comparisons = comparisonsOf(rollout)
    this.onInconclusive = onInconclusiveOf(rollout)
    const spec = stage.index !== undefined ? rollout.stages?.[stage.index] : undefined
    const hold = { hold: `${stage.holdMs}ms`, maxHold: spec?.maxHold }
    this.maxHoldMs = this.onInconclusive === 'hold' ? maxHoldMs(hold) : stage.holdMs
    this.looksPlanned = stageLooks(this.maxHoldMs, intervalMs)
    const triggered = new Set((rollout.rollbackIf ?? []).map(t => t.metric))
    this.zeroWhenEmpty = this.comparisons
      .filter(c => c.test === 'proportion')
      .map(c => c.spec.failures ?? '')
      .filter(m => m && !triggered.has(m))
    for (const c of this.comparisons) {
      if (c.test === 'proportion')
        for (const m of [c.spec.failures, c.spec.total])
          if (m && !this.counters.has(m))
            this.counters.set(m, { canary: new Increase(), stable: new Increase() })
      if (c.test === 'mann-whitney' && c.spec.metric && !this.samples.has(c.spec.metric))
        this.samples.set(c.spec.metric, { canary: [], stable: [] })
    }
  }

  /** Takes one sample of both tracks and judges every comparison. */
  observe(
    _at: number,
    readings: Record<string, MetricTick>,
    o: { holdOver: boolean; lastLook: boolean }
  ): 'fail' | 'continue' | 'done' {
    this.looks++
    for (const [name, inc] of this.counters) {
      inc.canary.add(readings[name]?.canary)
      inc.stable.add(readings[name]?.baseline)
    }
    for (const [name, s] of this.samples) {
      const c = readings[name]?.canary
      const b = readings[name]?.baseline
      if (hasValue(c) && Number.isFinite(c.value)) s.canary.push(c.value)
      if (hasValue(b) && Number.isFinite(b.value)) s.stable.push(b.value)
    }
    const verdicts: JudgeVerdict[] = this.comparisons.map(c => this.judge(c).verdict)
    const d = stageDecision(verdicts, { ...o, holdForEvidence: this.onInconclusive === 'hold' })
    if (d === 'fail') {
      const failed = this.results().filter(r => r.verdict === 'fail')
      this.message = `judge: ${failed.map(r => `${r.name}: ${describeComparison(r)}`).join('; ')}`
      return 'fail'
    }
    return d === 'continue' ? 'continue' : 'done'
  }

  private judge(c: Comparison): JudgedComparison {
    let r: ComparisonResult
    if (c.test === 'proportion') {
      const f = this.counters.get(c.spec.failures ?? '')
      const t = this.counters.get(c.spec.total ?? '')
      const counts = (side: 'canary' | 'stable') => {
        const total = Math.max(0, Math.round(t?.[side].total ?? 0))
        return { failures: Math.min(total, Math.max(0, Math.round(f?.[side].total ?? 0))), total }
      }
      r = judgeProportion({
        canary: counts('canary'),
        stable: counts('stable'),
        worseBy: c.worseBy.kind === 'absolute' ? c.worseBy.value : c.worseBy.fraction,
        confidence: c.confidence,
        looks: this.looksPlanned
      })
    } else {
      const s = this.samples.get(c.spec.metric ?? '') ?? { canary: [], stable: [] }
      r = judgeMannWhitney({
        canary: s.canary,
        stable: s.stable,
        worseBy: c.worseBy,
        confidence: c.confidence,
        minSamples: c.minSamples,
        looks: this.looksPlanned
      })
    }
    const judged: JudgedComparison = {
      ...r,
      name: c.name,
      worseBy: String(c.spec.worseBy),
      worseByText: describeWorseBy(c.worseBy),
      looks: this.looks
    }
    this.latest.set(c.index, judged)
    return judged
  }

  /** The latest result of every comparison (judged once more when none was taken yet). */
  results(): JudgedComparison[] {
    return this.comparisons.map(c => this.latest.get(c.index) ?? this.judge(c))
  }

  /** pass when every comparison passes, fail when any fails, else inconclusive. */
  outcome(): JudgeVerdict {
    const v = this.results().map(r => r.verdict)
    return v.includes('fail') ? 'fail' : v.every(x => x === 'pass') ? 'pass' : 'inconclusive'
  }
}

/**
 * The stage's judge, when the plan has one: never for a stage without a hold,
 * nor at 100 % (no stable traffic left to compare with) or 0 %.
 */
export function createStageJudge(
  rollout: RolloutSpec,
  stage: Stage,
  intervalMs: number
): StageJudge | undefined {
  if (!rollout.judge?.length || stage.infra || stage.holdMs <= 0) return undefined
  if (stage.weight >= 100 || stage.weight <= 0) return undefined
  return new StageJudge(rollout, stage, intervalMs)
}

const pctOf = (x: number | null | undefined): string =>
  typeof x === 'number' && Number.isFinite(x) ? `${+(x * 100).toPrecision(3)}%` : '∞'
const numOf = (x: number | null | undefined): string =>
  typeof x === 'number' && Number.isFinite(x)
    ? `${+x.toPrecision(4)}`
    : x === Number.NEGATIVE_INFINITY
      ? '−∞'
      : '+∞'

/** One comparison in a sentence: both tracks, the estimate, its interval, the verdict and what is still needed. */
export function describeComparison(r: JudgedComparison): string {
  const conf = `${+(r.confidence * 100).toPrecision(4)}%`
  if (r.test === 'proportion') {
    const track = (t: { failures: number; total: number; ratio: number }): string =>
      `${t.failures}/${t.total} failed (${pctOf(t.ratio)})`
    const needed =
      r.verdict === 'inconclusive' && r.stillNeeded
        ? `; about ${r.stillNeeded.canary} more canary requests (and ${r.stillNeeded.stable} stable) needed`
        : ''
    return `canary ${track(r.canary)}, stable ${track(r.stable)}; difference ${pctOf(r.estimate)}, interval ${pctOf(r.interval[0])} … ${pctOf(r.interval[1])} (${conf} each end), worseBy ${pctOf(r.threshold)}: ${r.verdict}${needed}`
  }
  const needed =
    r.verdict === 'inconclusive' && r.stillNeeded !== undefined
      ? `; about ${r.stillNeeded} more samples per track needed`
      : ''
  return `canary ${r.canary.samples} samples (median ${numOf(r.canary.median)}), stable ${r.stable.samples} samples (median ${numOf(r.stable.median)}); shift ${numOf(r.estimate)}, interval ${numOf(r.interval[0])} … ${numOf(r.interval[1])} (${conf} each end), worseBy ${numOf(r.threshold)} (${r.worseByText}), p = ${r.pValue.toPrecision(3)}: ${r.verdict}${needed}`
}

/** One check row per comparison. */
export function judgeRows(
  stage: Stage,
  judge: StageJudge,
  locate: (i: number) => SourceLocation,
  /** The stage was promoted without the evidence: inconclusive rows warn. */
  promoted = false
): CheckResult[] {
  return judge.results().map((r, i) =>
    checkResult('judge', `${stage.name}:${r.name}`, {
      verdict: r.verdict === 'inconclusive' && promoted ? 'warn' : r.verdict,
      message: `${r.name} (${r.test}): ${describeComparison(r)}`,
      evidence: r.reason,
      adjustment:
        r.verdict === 'inconclusive'
          ? r.test === 'proportion'
            ? `send more traffic to the canary (about ${r.stillNeeded?.canary ?? '?'} more requests) or hold longer (stages[].maxHold)`
            : `hold longer: about ${r.stillNeeded ?? '?'} more samples per track (one per interval)`
          : undefined,
      data: { ...r, interval: r.interval.map(v => (Number.isFinite(v) ? v : null)) },
      location: locate(judge.comparisons[i].index)
    })
  )
}

/**
 * What the stage does with its judge once the hold ended without a trigger:
 * pass when every comparison passed; otherwise per onInconclusive: `hold`
 * has held to maxHold and then fails the stage, and `fail` fails it at the end
 * of the hold (both take the trigger path: canary to 0 %; the comparisons stay
 * `inconclusive` with the requests still needed); `promote` passes it without
 * the evidence (its rows warn).
 */
export function judgeAfterHold(
  judge: StageJudge,
  stage: Stage
): { action: 'pass' | 'promote' | 'inconclusive' | 'fail'; message: string } {
  const outcome = judge.outcome()
  if (outcome === 'pass') return { action: 'pass', message: 'every judge comparison passed' }
  const open = judge.results().filter(r => r.verdict !== 'pass')
  const names = open.map(r => r.name).join(', ')
  const needed = open
    .map(r =>
      r.test === 'proportion'
        ? `${r.name}: about ${r.stillNeeded?.canary ?? '?'} more canary requests`
        : `${r.name}: about ${r.stillNeeded ?? '?'} more samples per track`
    )
    .join('; ')
  if (judge.onInconclusive === 'promote')
    return {
      action: 'promote',
      message: `judge inconclusive (${names}) at the end of the hold: promoted anyway (rollout.onInconclusive: promote), without the evidence`
    }
  // `hold` held for evidence up to maxHold; still without it, the stage fails (canary to 0 %):
  // inconclusive is never a pass, and a canary is not left serving on evidence nobody has.
  if (judge.onInconclusive === 'hold')
    return {
      action: 'fail',
      message: `stage ${stage.name} failed: the judge was still inconclusive after holding ${formatDuration(judge.maxHoldMs)} (the stage's maxHold); ${needed}. Send more traffic to the canary or raise stages[].maxHold, then run --stage ${stage.name} again`
    }
  return {
    action: 'fail',
    message: `judge inconclusive (${names}) at the end of the ${formatDuration(stage.holdMs)} hold (rollout.onInconclusive: fail); ${needed}`
  }
}

/** The stage's judge for the report (`details.judge`): settings and the latest results. */
export function judgeDetails(judge: StageJudge): Record<string, unknown> {
  return {
    onInconclusive: judge.onInconclusive,
    maxHoldMs: judge.maxHoldMs,
    looksPlanned: judge.looksPlanned,
    comparisons: judge.results().map(r => ({
      ...r,
      interval: r.interval.map(v => (Number.isFinite(v) ? v : null))
    }))
  }
}
