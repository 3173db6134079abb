/** Tracer success criteria as wait decisions: ready, phase, condition or a CEL expression over the object. */

import { evaluateCel } from '../cel/criteria.js'
import { errorMessage } from '../core/errors.js'
import type { SuccessCriterion } from '../plan/types.js'
import { findCondition } from './readiness.js'
import type { KubeObject } from './types.js'
import { untilCurrent, type WaitContext, type WaitDecision } from './wait.js'

/** One line describing a criterion, for messages. */
export function describeCriterion(c: SuccessCriterion): string {
  if ('ready' in c) return 'ready'
  if ('phase' in c) return `phase ${c.phase}`
  if ('condition' in c) return `condition ${c.condition}=${c.status ?? 'True'}`
  return `CEL ${c.cel}`
}

/** The wait decision for a criterion; `lastError` keeps the last CEL evaluation problem for evidence. */
export function criterionDecision(c: SuccessCriterion): {
  until: (obj: KubeObject | undefined, ctx: WaitContext) => WaitDecision
  lastError(): string | undefined
} {
  let last: string | undefined
  const until = (obj: KubeObject | undefined, ctx: WaitContext): WaitDecision => {
    if (!obj) return 'pending'
    if (ctx.status.status === 'Failed') return { failed: ctx.status.message || 'Failed' }
    if ('ready' in c) return untilCurrent(obj, ctx)
    if ('phase' in c) {
      const phase = (obj.status as { phase?: string } | undefined)?.phase
      if (phase === c.phase) return 'done'
      if (phase === 'Failed' && c.phase !== 'Failed')
        return { failed: `phase is Failed, expected ${c.phase}` }
      return 'pending'
    }
    if ('condition' in c) {
      const cond = findCondition(obj, c.condition)
      return cond?.status === (c.status ?? 'True') ? 'done' : 'pending'
    }
    try {
      const v = evaluateCel(c.cel, { object: obj })
      last = v === true ? undefined : `${c.cel} evaluated to ${JSON.stringify(v)}`
      return v === true ? 'done' : 'pending'
    } catch (err) {
      // A field not set yet (status still empty) is "not yet", not a failure.
      last = `${c.cel}: ${errorMessage(err)}`
      return 'pending'
    }
  }
  return { until, lastError: () => last }
}
