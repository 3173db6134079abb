/**
 * Rollback levels, cheapest first: `flag` (turn the feature off), `config`
 * (restore the recorded ConfigMaps/Secrets and restart what mounts them),
 * `code` (the workload or Helm release back to its last known-good
 * revision). Each level runs within its own budget (default flag 1m, config
 * 5m, code 15m), is verified, and reports its time against the budget:
 * "flag rollback in 0.80s of 1m00s". A level may refuse to run (code
 * rollback while a migration of the deployment cannot be reversed, offering
 * flag and config instead). What each level does lives in its own module
 * (flag-level.ts, config-level.ts, code-level.ts), registered in
 * level-registry.ts; this module is what they share.
 */

import { checkResult } from '../checks/result.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import { levelBudgetMs } from '../plan/budgets.js'
import type { RollbackLevelSpec } from '../plan/types.js'
import type { CheckResult, Verdict } from '../report/model.js'
import type { LevelContext, LevelOutcome, LevelRun } from './level.js'
import { LEVELS } from './level-registry.js'

/** Runs a level, timed against its budget; never throws (a throw is an error result). */
export async function runRollbackLevel(
  ctx: LevelContext,
  cluster: Cluster,
  spec: RollbackLevelSpec,
  index: number
): Promise<CheckResult> {
  const budget = levelBudgetMs(spec)
  const started = ctx.clock.now()
  const location = ctx.loaded.locate(['rollbackLevels', index])
  const record = StateRecord.forPlan(cluster, ctx.loaded.plan, ctx.namespace)
  let outcome: LevelOutcome
  try {
    const level = LEVELS[spec.level]
    const refused = await level.refuse?.(ctx, record)
    if (refused) outcome = refused
    else {
      const run: LevelRun = { ctx, cluster, spec, record, deadline: started + budget }
      outcome = await level.run(run)
    }
  } catch (err) {
    outcome = {
      ok: false,
      verdict: ctx.signal.aborted ? 'cancelled' : 'error',
      message: `could not run the ${spec.level} rollback: ${errorMessage(err)}`
    }
  }
  const took = ctx.clock.now() - started
  const within = took <= budget
  const verdict: Verdict = outcome.verdict ?? (outcome.ok ? (within ? 'pass' : 'fail') : 'fail')
  const timing = `${spec.level} rollback in ${formatDuration(took)} of ${formatDuration(budget)}`
  return checkResult('rollback', spec.level, {
    verdict,
    message: outcome.ok
      ? `${timing}${within ? '' : ' (over budget)'}: ${outcome.message}`
      : `${spec.level} rollback failed after ${formatDuration(took)} (budget ${formatDuration(budget)}): ${outcome.message}`,
    evidence: outcome.evidence,
    adjustment:
      outcome.adjustment ??
      (outcome.ok && !within
        ? `the ${spec.level} rollback took longer than its budget; raise rollbackLevels[${index}].budget or make the level faster`
        : undefined),
    data: {
      level: spec.level,
      durationMs: took,
      budgetMs: budget,
      withinBudget: within,
      ...outcome.data
    },
    location,
    durationMs: took
  })
}
