/**
 * The canary judge: pure statistics over the counts and samples the rollout
 * gate collected (no I/O). Each comparison ends `pass`, `fail` or
 * `inconclusive`, and an inconclusive one says how much more evidence the
 * observed rates call for (a power calculation at 80 %).
 *
 * - fail: the canary is worse with the confidence (one-sided, at the
 *   confidence adjusted for the stage's looks, below) and its estimate is
 *   worse by at least `worseBy`;
 * - pass: the upper end of the interval (one-sided at the confidence) is
 *   below `worseBy`;
 * - otherwise inconclusive.
 *
 * A stage is judged at every interval, and a fail acts at once. Judging the
 * same growing evidence at many looks would fail an equal canary far more
 * often than 1 − confidence, so the fail decision uses the confidence
 * Bonferroni-adjusted for the stage's planned looks: 1 − (1 − confidence)/looks.
 * Over a whole stage an equal canary then fails at most 1 − confidence of the
 * time (the simulation test measures it).
 */

import {
  minimumRequests,
  newcombeInterval,
  proportionSampleSize,
  type Counts
} from './proportion.js'
import {
  hodgesLehmann,
  mannWhitneyU,
  medianOf,
  minimumSamples,
  rankSampleSize,
  shiftedSuperiority,
  sortedFinite
} from './mann-whitney.js'
import { normalQuantile } from './normal.js'
import type { WorseBy } from './worse-by.js'

export { minimumRequests, minimumSamples }
export { parseWorseBy, describeWorseBy, type WorseBy } from './worse-by.js'
export type { Counts } from './proportion.js'

/** Power the "still needed" figures are computed for. */
export const JUDGE_POWER = 0.8

/** A comparison's verdict. */
export type JudgeVerdict = 'pass' | 'fail' | 'inconclusive'

/** What every comparison's result carries. */
interface ComparisonBase {
  verdict: JudgeVerdict
  /** The estimate of how much worse the canary is (canary − stable). */
  estimate: number
  /** Each end a one-sided bound at `confidence`. */
  interval: [number, number]
  confidence: number
  /** The confidence the fail decision used (adjusted for the stage's looks). */
  failConfidence: number
  looks: number
  /** `worseBy` in the estimate's unit. */
  threshold: number
  /** Why this verdict, in words. */
  reason: string
}

/** A `proportion` comparison's result. */
export interface ProportionResult extends ComparisonBase {
  test: 'proportion'
  canary: Counts & { ratio: number }
  stable: Counts & { ratio: number }
  /** Inconclusive: canary and stable requests the observed ratios call for, in all and still to come. */
  needed?: { canary: number; stable: number }
  stillNeeded?: { canary: number; stable: number }
}

/** A `mann-whitney` comparison's result. */
export interface MannWhitneyResult extends ComparisonBase {
  test: 'mann-whitney'
  canary: { samples: number; median: number }
  stable: { samples: number; median: number }
  u: number
  pValue: number
  minSamples: number
  /** Inconclusive: samples per track the observed spread calls for, in all and still to come. */
  needed?: number
  stillNeeded?: number
}

/** One comparison's result. */
export type ComparisonResult = ProportionResult | MannWhitneyResult

/** The fail decision's confidence when a stage looks `looks` times. */
export function lookConfidence(confidence: number, looks: number): number {
  return 1 - (1 - confidence) / Math.max(1, looks)
}

function ratio(c: Counts): number {
  return c.total > 0 ? c.failures / c.total : 0
}

/** Judges the canary's failure ratio against the stable's. */
export function judgeProportion(input: {
  canary: Counts
  stable: Counts
  /** Absolute difference of ratios (0.01 for 1 %). */
  worseBy: number
  confidence: number
  looks?: number
}): ProportionResult {
  const { canary, stable, worseBy, confidence } = input
  const looks = Math.max(1, input.looks ?? 1)
  const failConfidence = lookConfidence(confidence, looks)
  const p1 = ratio(canary)
  const p2 = ratio(stable)
  const estimate = p1 - p2
  const interval = newcombeInterval(canary, stable, normalQuantile(confidence))
  const base = {
    test: 'proportion' as const,
    canary: { ...canary, ratio: p1 },
    stable: { ...stable, ratio: p2 },
    estimate,
    interval,
    confidence,
    failConfidence,
    looks,
    threshold: worseBy
  }
  if (canary.total > 0 && stable.total > 0) {
    const failLower = newcombeInterval(canary, stable, normalQuantile(failConfidence))[0]
    if (failLower > 0 && estimate >= worseBy)
      return {
        ...base,
        verdict: 'fail',
        reason: `the canary fails more often, with ${pct(failConfidence)} confidence (lower bound ${pct(failLower)} > 0), by ${pct(estimate)} ≥ worseBy ${pct(worseBy)}`
      }
    if (interval[1] < worseBy)
      return {
        ...base,
        verdict: 'pass',
        reason: `with ${pct(confidence)} confidence the canary is not worse by ${pct(worseBy)} or more (upper bound ${pct(interval[1])})`
      }
  }
  // Power: towards fail when the estimate is already worse by worseBy, else towards pass.
  const r = canary.total > 0 && stable.total > 0 ? stable.total / canary.total : 1
  // Laplace's rule keeps zero failures from promising that no more evidence is needed.
  const q1 = (canary.failures + 1) / (canary.total + 2)
  const q2 = (stable.failures + 1) / (stable.total + 2)
  const towardsFail = estimate >= worseBy
  const delta = towardsFail ? estimate : worseBy - Math.max(0, estimate)
  const n1 = Math.max(
    minimumRequests(worseBy, confidence),
    proportionSampleSize(q1, q2, delta, towardsFail ? failConfidence : confidence, JUDGE_POWER, r)
  )
  const needed = { canary: n1, stable: Math.ceil(n1 * r) }
  const stillNeeded = {
    canary: Math.max(0, needed.canary - canary.total),
    stable: Math.max(0, needed.stable - stable.total)
  }
  return {
    ...base,
    verdict: 'inconclusive',
    needed,
    stillNeeded,
    reason:
      canary.total === 0 || stable.total === 0
        ? `no requests yet on the ${canary.total === 0 ? 'canary' : 'stable'} track`
        : `not enough evidence: the interval ${pct(interval[0])} … ${pct(interval[1])} neither stays below worseBy ${pct(worseBy)} nor shows the canary worse by it`
  }
}

/** Judges the canary's samples of a metric against the stable's (larger is worse). */
export function judgeMannWhitney(input: {
  canary: readonly number[]
  stable: readonly number[]
  worseBy: WorseBy
  confidence: number
  minSamples: number
  looks?: number
}): MannWhitneyResult {
  const { confidence, minSamples } = input
  const looks = Math.max(1, input.looks ?? 1)
  const failConfidence = lookConfidence(confidence, looks)
  const c = sortedFinite(input.canary)
  const s = sortedFinite(input.stable)
  const stableMedian = medianOf(s)
  const threshold =
    input.worseBy.kind === 'relative'
      ? input.worseBy.fraction * Math.abs(stableMedian)
      : input.worseBy.value
  const test = mannWhitneyU(c, s)
  const shift = hodgesLehmann(c, s, normalQuantile(confidence), test.sd)
  const base = {
    test: 'mann-whitney' as const,
    canary: { samples: c.length, median: medianOf(c) },
    stable: { samples: s.length, median: stableMedian },
    estimate: shift.estimate,
    interval: [shift.lower, shift.upper] as [number, number],
    confidence,
    failConfidence,
    looks,
    threshold,
    u: test.u,
    pValue: test.pValue,
    minSamples
  }
  const have = Math.min(c.length, s.length)
  if (have >= minSamples && Number.isFinite(threshold)) {
    if (test.pValue <= 1 - failConfidence && shift.estimate >= threshold)
      return {
        ...base,
        verdict: 'fail',
        reason: `the canary is higher with ${pct(failConfidence)} confidence (p = ${test.pValue.toPrecision(3)}), by ${num(shift.estimate)} ≥ worseBy ${num(threshold)}`
      }
    if (shift.upper < threshold)
      return {
        ...base,
        verdict: 'pass',
        reason: `with ${pct(confidence)} confidence the canary is not higher by ${num(threshold)} or more (upper bound ${num(shift.upper)})`
      }
  }
  const towardsFail = Number.isFinite(shift.estimate) && shift.estimate >= threshold
  const delta = towardsFail ? shift.estimate : threshold - Math.max(0, shift.estimate || 0)
  const spread = s.length >= 2 ? s : c
  const power =
    spread.length >= 2 && Number.isFinite(delta)
      ? rankSampleSize(
          shiftedSuperiority(spread, delta),
          towardsFail ? failConfidence : confidence,
          JUDGE_POWER
        )
      : minSamples
  const needed = Math.max(
    minSamples,
    minimumSamples(confidence),
    Number.isFinite(power) ? power : 0
  )
  return {
    ...base,
    verdict: 'inconclusive',
    needed,
    stillNeeded: Math.max(0, needed - have),
    reason:
      have < minSamples
        ? `${have} of the ${minSamples} samples per track minSamples asks for`
        : `not enough evidence: the shift's interval ${num(shift.lower)} … ${num(shift.upper)} neither stays below worseBy ${num(threshold)} nor shows the canary higher by it`
  }
}

function pct(x: number): string {
  return `${+(x * 100).toPrecision(3)}%`
}

function num(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : x < 0 ? '−∞' : 'NaN'
  return `${+x.toPrecision(4)}`
}

/** How many times a stage judges: every interval from its start up to its longest hold, both ends included. */
export function stageLooks(maxHoldMs: number, intervalMs: number): number {
  return Math.floor(maxHoldMs / Math.max(1, intervalMs)) + 1
}

/**
 * What a stage does after a look: `fail` at once when any comparison fails;
 * `pass` once the hold is over and every comparison passes; `inconclusive`
 * at the last look (or at the hold's end when the plan does not hold for
 * evidence); otherwise `continue` sampling.
 */
export function stageDecision(
  verdicts: readonly JudgeVerdict[],
  o: { holdOver: boolean; lastLook: boolean; holdForEvidence: boolean }
): 'fail' | 'pass' | 'inconclusive' | 'continue' {
  if (verdicts.includes('fail')) return 'fail'
  if (!o.holdOver) return 'continue'
  if (verdicts.every(v => v === 'pass')) return 'pass'
  return o.lastLook || !o.holdForEvidence ? 'inconclusive' : 'continue'
}
