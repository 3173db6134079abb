/**
 * Lint of `rollout.judge`, `rollout.onInconclusive` and `stages[].maxHold`:
 * every metric a comparison names is defined under rollout.metrics, each
 * test has the fields it needs, `worseBy` has a unit the test understands,
 * confidence lies in (0, 1), minSamples is at least 1, and a maxHold is not
 * shorter than its hold. Each problem is reported at its line.
 */

import { parseDuration } from '../core/duration.js'
import { parseWorseBy } from '../rollout/judge/worse-by.js'
import type { PathSegment } from './schema.js'
import { didYouMean } from './suggest.js'
import type { Plan } from './types.js'

/** Where lint problems go. */
export interface JudgeLintSink {
  error(p: PathSegment[], message: string): void
  warn(p: PathSegment[], message: string): void
}

/** Checks the judge's settings of a plan. */
export function checkJudge(ctx: JudgeLintSink, plan: Plan): void {
  const rollout = plan.rollout
  if (!rollout) return
  const queries = Object.keys(rollout.metrics ?? {}).filter(k => k !== 'prometheus')
  const names = new Set<string>()
  ;(rollout.judge ?? []).forEach((c, i) => {
    const p: PathSegment[] = ['rollout', 'judge', i]
    if (names.has(c.name))
      ctx.error([...p, 'name'], `the judge already has a comparison named "${c.name}"`)
    names.add(c.name)
    const needs = c.test === 'proportion' ? (['failures', 'total'] as const) : (['metric'] as const)
    const wrong =
      c.test === 'proportion'
        ? (['metric', 'minSamples'] as const)
        : (['failures', 'total'] as const)
    for (const field of needs) {
      const name = c[field]
      if (name === undefined) {
        ctx.error(
          p,
          `a ${c.test} comparison needs ${field}: the name of a ${c.test === 'proportion' ? 'counter' : 'query'} under rollout.metrics`
        )
      } else if (name === 'prometheus' || !queries.includes(name)) {
        const defined = queries.length > 0 ? `; defined: ${queries.join(', ')}` : ''
        ctx.error(
          [...p, field],
          `metric "${name}" is not defined under rollout.metrics${didYouMean(name, queries)}${defined}`
        )
      }
    }
    for (const field of wrong)
      if (c[field] !== undefined)
        ctx.error([...p, field], `${field} is not used by a ${c.test} comparison: remove it`)
    try {
      parseWorseBy(c.test, c.worseBy)
    } catch (err) {
      ctx.error([...p, 'worseBy'], (err as Error).message)
    }
    if (c.confidence !== undefined && !(c.confidence > 0 && c.confidence < 1))
      ctx.error(
        [...p, 'confidence'],
        `confidence must lie between 0 and 1 (exclusive), got ${c.confidence}; 0.95 is usual`
      )
    if (c.minSamples !== undefined && !(Number.isInteger(c.minSamples) && c.minSamples >= 1))
      ctx.error(
        [...p, 'minSamples'],
        `minSamples must be a whole number of at least 1, got ${c.minSamples}`
      )
  })
  ;(rollout.stages ?? []).forEach((stage, i) => {
    if (stage.maxHold === undefined) return
    const max = parseDuration(stage.maxHold)
    const hold = parseDuration(stage.hold ?? '0s') ?? 0
    if (max !== undefined && max < hold)
      ctx.error(
        ['rollout', 'stages', i, 'maxHold'],
        `maxHold (${stage.maxHold}) is shorter than the stage's hold (${stage.hold}): make it at least the hold`
      )
  })
}
