/**
 * The `packaged` step of the deployment state, shared by plain and Helm
 * phases (its own module so neither phase module imports the other).
 */

import { recordPreDeployment } from '../lifecycle/pre-deployment.js'
import type { StateRecord } from '../lifecycle/record.js'
import type { GateContext } from './types.js'

/** Moves the target to `packaged` before a run's first phase applies (never back from a later state of this run). */
export async function markPackaged(
  ctx: GateContext,
  record: StateRecord,
  reason: string,
  notes: string[]
): Promise<void> {
  const outcome = await recordPreDeployment(
    record,
    'packaged',
    ctx.runId,
    reason,
    new Date(ctx.clock.now()).toISOString()
  )
  if (outcome.recorded || outcome.blocker?.ownProgress) return
  const why = outcome.blocker?.message ?? 'unknown'
  ctx.log.warn(`state record: packaged not recorded: ${why}`)
  notes.push(`deployment state not moved to packaged: ${why}`)
}
