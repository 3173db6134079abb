/**
 * What the plan gate and the runbook show of the judge, computed from the
 * plan alone (pure): each comparison's settings, and per stage the least
 * evidence any comparison can pass on (for `proportion` the fewest canary
 * requests that can pass even with no failure at all; for `mann-whitney`
 * minSamples, one sample per interval) and, at `rollout.expectedRps`, the
 * time that takes at the stage's weight against its hold and maxHold.
 */

import { durationMs } from '../../core/duration.js'
import type { RolloutSpec, StageSpec } from '../../plan/types.js'
import { DEFAULT_STAGES } from '../../plan/defaults.js'
import { minimumRequests, minimumSamples, stageLooks } from './index.js'
import { comparisonsOf, judgedHoldMs, onInconclusiveOf } from './settings.js'
import { describeWorseBy } from './worse-by.js'

/** One comparison's settings as people read them. */
export interface JudgeComparisonView {
  name: string
  test: 'proportion' | 'mann-whitney'
  /** The metrics it reads (`failed / total`, or the sampled metric). */
  reads: string
  worseBy: string
  confidence: number
  minSamples?: number
}

/** The least evidence a stage needs for every comparison to be able to pass. */
export interface JudgeStageView {
  stage: string
  weight: number
  holdMs: number
  /** The longest the stage may hold for evidence. */
  maxHoldMs: number
  /** Not judged at this stage, and why. */
  notJudged?: string
  /** Fewest canary requests (proportion comparisons), or undefined without one. */
  minCanaryRequests?: number
  /** Fewest samples per track (mann-whitney comparisons), one per interval. */
  minSamples?: number
  /** At expectedRps: canary requests per second and the time the least evidence takes. */
  canaryRps?: number
  neededMs?: number
  /** The least evidence fits in the hold / in maxHold. */
  fitsHold?: boolean
  fitsMaxHold?: boolean
}

/** The judge as the plan gate and the runbook show it. */
export interface JudgePlanView {
  comparisons: JudgeComparisonView[]
  onInconclusive: 'hold' | 'fail' | 'promote'
  expectedRps?: number
  intervalMs: number
  stages: JudgeStageView[]
}

/** The judge's view of a plan's rollout, or undefined without a judge (or with a worseBy lint refuses). */
export function judgePlanView(
  rollout: RolloutSpec,
  /** The rollout gate's interval when the plan gives none. */
  defaultIntervalMs = 30_000
): JudgePlanView | undefined {
  if (!rollout.judge?.length) return undefined
  let comparisons
  try {
    comparisons = comparisonsOf(rollout)
  } catch {
    return undefined
  }
  const intervalMs = durationMs(rollout.interval, defaultIntervalMs)
  const stages: readonly StageSpec[] = rollout.stages?.length ? rollout.stages : DEFAULT_STAGES
  const proportion = comparisons.filter(c => c.test === 'proportion')
  const rank = comparisons.filter(c => c.test === 'mann-whitney')
  return {
    comparisons: comparisons.map(c => ({
      name: c.name,
      test: c.test,
      reads:
        c.test === 'proportion'
          ? `${c.spec.failures ?? '?'} / ${c.spec.total ?? '?'}`
          : (c.spec.metric ?? '?'),
      worseBy: `${String(c.spec.worseBy)}${c.test === 'mann-whitney' && c.worseBy.kind === 'relative' ? ` (${describeWorseBy(c.worseBy)})` : ''}`,
      confidence: c.confidence,
      ...(c.test === 'mann-whitney' ? { minSamples: c.minSamples } : {})
    })),
    onInconclusive: onInconclusiveOf(rollout),
    expectedRps: rollout.expectedRps,
    intervalMs,
    stages: stages.map(s => {
      const holdMs = durationMs(s.hold, 0)
      const maxHoldMs = judgedHoldMs(rollout, s)
      const base = { stage: s.name, weight: s.weight, holdMs, maxHoldMs }
      if (holdMs <= 0) return { ...base, notJudged: 'no hold' }
      if (s.weight >= 100) return { ...base, notJudged: 'no stable traffic to compare with' }
      if (s.weight <= 0) return { ...base, notJudged: 'no canary traffic' }
      const looks = stageLooks(maxHoldMs, intervalMs)
      const minCanaryRequests = proportion.length
        ? Math.max(...proportion.map(c => minimumRequests(lookless(c.worseBy), c.confidence)))
        : undefined
      const minSamples = rank.length
        ? Math.max(...rank.map(c => Math.max(c.minSamples, minimumSamples(c.confidence))))
        : undefined
      const canaryRps =
        rollout.expectedRps !== undefined ? (rollout.expectedRps * s.weight) / 100 : undefined
      let neededMs: number | undefined
      if (canaryRps !== undefined || minCanaryRequests === undefined) {
        const forRequests =
          minCanaryRequests !== undefined && canaryRps
            ? Math.ceil((minCanaryRequests / canaryRps) * 1000)
            : 0
        const forSamples = minSamples !== undefined ? (minSamples - 1) * intervalMs : 0
        neededMs = Math.max(forRequests, forSamples)
      }
      return {
        ...base,
        minCanaryRequests,
        minSamples,
        canaryRps,
        neededMs,
        fitsHold: neededMs !== undefined ? neededMs <= holdMs : undefined,
        fitsMaxHold:
          neededMs !== undefined ? neededMs <= maxHoldMs && looks >= (minSamples ?? 0) : undefined
      }
    })
  }
}

function lookless(
  w: { kind: 'absolute'; value: number } | { kind: 'relative'; fraction: number }
): number {
  return w.kind === 'absolute' ? w.value : w.fraction
}
