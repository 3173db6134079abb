/**
 * The judge's settings as the plan gives them, with their defaults:
 * comparisons with parsed `worseBy`, confidence (0.95) and minSamples (8),
 * `onInconclusive` (hold) and each stage's longest hold (3x its hold).
 */

import { durationMs } from '../../core/duration.js'
import type { JudgeSpec, RolloutSpec, StageSpec } from '../../plan/types.js'
import { parseWorseBy, type WorseBy } from './worse-by.js'

/** Confidence when a comparison gives none. */
export const DEFAULT_CONFIDENCE = 0.95
/** Samples per track a mann-whitney comparison waits for when it gives no minSamples. */
export const DEFAULT_MIN_SAMPLES = 8
/** maxHold when a stage gives none: this many times its hold. */
export const MAX_HOLD_FACTOR = 3

/** One comparison, ready to judge. */
export interface Comparison {
  index: number
  spec: JudgeSpec
  name: string
  test: JudgeSpec['test']
  worseBy: WorseBy
  confidence: number
  minSamples: number
}

/** The plan's comparisons with defaults; throws on a worseBy lint would have refused. */
export function comparisonsOf(rollout: RolloutSpec | undefined): Comparison[] {
  return (rollout?.judge ?? []).map((spec, index) => ({
    index,
    spec,
    name: spec.name,
    test: spec.test,
    worseBy: parseWorseBy(spec.test, spec.worseBy),
    confidence: spec.confidence ?? DEFAULT_CONFIDENCE,
    minSamples: spec.test === 'mann-whitney' ? (spec.minSamples ?? DEFAULT_MIN_SAMPLES) : 1
  }))
}

/** What an inconclusive judge does at the hold's end. */
export function onInconclusiveOf(rollout: RolloutSpec | undefined): 'hold' | 'fail' | 'promote' {
  return rollout?.onInconclusive ?? 'hold'
}

/** How long a stage may hold in all: its maxHold, else 3x its hold (never less than the hold). */
export function maxHoldMs(stage: Pick<StageSpec, 'hold' | 'maxHold'>): number {
  const hold = durationMs(stage.hold, 0)
  return Math.max(hold, durationMs(stage.maxHold, hold * MAX_HOLD_FACTOR))
}

/** The hold a stage may take when the rollout has a judge that holds for evidence. */
export function judgedHoldMs(
  rollout: RolloutSpec | undefined,
  stage: Pick<StageSpec, 'hold' | 'maxHold'>
): number {
  return rollout?.judge?.length && onInconclusiveOf(rollout) === 'hold'
    ? maxHoldMs(stage)
    : durationMs(stage.hold, 0)
}
