/**
 * Rollback levels, cheapest first: `flag` (turn the feature off), `config`
 * (restore the recorded ConfigMaps/Secrets and restart what mounts them),
 * `code` (the workload or Helm release back to its last known-good
 * revision). Each level runs within its own budget (default flag 1m, config
 * 5m, code 15m), is verified, and reports its time against the budget:
 * "flag rollback in 0.80s of 1m00s". Code rollback is refused while a
 * migration of the deployment cannot be reversed; flag and config are
 * offered instead.
 */

import { checkResult } from '../checks/result.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import { levelBudgetMs } from '../plan/budgets.js'
import type { RollbackLevelSpec } from '../plan/types.js'
import { describeMigrationRun, hasDown } from '../plan/migration.js'
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
    const frozen = spec.level === 'code' ? await migrationFreeze(ctx, record) : undefined
    if (frozen) {
      const others = (ctx.loaded.plan.rollbackLevels ?? [])
        .filter(l => l.level !== 'code')
        .map(l => l.level)
      outcome = {
        ok: false,
        message: `code rollback refused: ${frozen}`,
        adjustment: others.length
          ? `the old code cannot run on the migrated schema; use --level ${others.join(' or --level ')} instead, or roll the migration forward`
          : 'the old code cannot run on the migrated schema; add a flag or config rollback level, or roll the migration forward',
        data: { refused: true, reason: frozen, offered: others }
      }
    } else {
      const run: LevelRun = { ctx, cluster, spec, record, deadline: started + budget }
      outcome = await LEVELS[spec.level](run)
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

/**
 * Why code rollback must not run, if it must not: a phase of the deployed
 * run has a migration without a down step, or a migration check of this
 * deployment found the migration irreversible.
 */
export async function migrationFreeze(
  ctx: LevelContext,
  record: StateRecord
): Promise<string | undefined> {
  const index = await record.readIndex().catch(() => undefined)
  const run = index?.runs.find(r => r.runId === ctx.runId) ?? index?.runs[index.runs.length - 1]
  const ranPhases = new Set(run?.phases ?? [])
  for (const phase of ctx.loaded.plan.phases ?? []) {
    if (!phase.migration || !ranPhases.has(phase.name)) continue
    if (!hasDown(phase.migration))
      return `phase ${phase.name} ran a migration (${describeMigrationRun(phase.migration, 'up')}) that has no down step`
  }
  for (const report of ctx.earlier) {
    for (const gate of report.gates) {
      for (const c of gate.checks) {
        if (c.kind !== 'migration' || c.data?.reversible !== false || c.verdict === 'cancelled')
          continue
        // A failing `up` migrated nothing; only a failing down (or up after down) is irreversible.
        const steps = (c.data.steps ?? []) as {
          step?: string
          exitCode?: number
          timedOut?: boolean
        }[]
        const failed = steps.find(st => st.exitCode !== 0 || st.timedOut)
        if (failed?.step === 'up') continue
        return `the migration check ${c.target} found the migration irreversible (${c.message})`
      }
    }
  }
  return undefined
}
