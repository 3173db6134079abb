/**
 * The rollback gate: one rollback level executed, verified and timed against
 * its budget. `--level flag|config|code` picks it; without `--level` the
 * gate runs the first level the plan lists (plans list them cheapest first,
 * flag → config → code, and the cheapest level that works is the one to try
 * first), and says how to escalate. Each run is one deliberate step: levels
 * are never chained here, because whether the next one is needed is a
 * judgement the previous one's result informs.
 * With `--phase NAME` it rolls back phases of a run instead (phase-rollback.ts).
 */

import { UsageError, errorMessage } from '../core/errors.js'
import { levelBudgetMs } from '../plan/budgets.js'
import { gateResult, isPassing } from '../report/model.js'
import { runRollbackLevel } from '../rollout/levels.js'
import type { Gate } from './types.js'
import { rollbackPhases } from './phase-rollback.js'
import { levelNamesOr } from '../rollout/level-registry.js'

export const rollbackGate: Gate = {
  name: 'rollback',
  async run(ctx) {
    if (ctx.settings.phase !== undefined) {
      if (ctx.settings.level !== undefined)
        throw new UsageError(
          'give either --phase (roll back phases of a run) or --level (a rollback level), not both'
        )
      return rollbackPhases(ctx)
    }
    const levels = ctx.loaded.plan.rollbackLevels ?? []
    if (levels.length === 0)
      throw new UsageError(
        `the plan has no rollbackLevels; add ${levelNamesOr()} levels to run the rollback gate`
      )
    const notes: string[] = []
    let index: number
    if (ctx.settings.level !== undefined) {
      index = levels.findIndex(l => l.level === ctx.settings.level)
      if (index < 0)
        throw new UsageError(
          `no rollback level "${ctx.settings.level}" in the plan; levels: ${levels.map(l => l.level).join(', ')}`
        )
    } else {
      index = 0
      const rest = levels.slice(1).map(l => `--level ${l.level}`)
      notes.push(
        `no --level given: ran the first level the plan lists (${levels[0].level})${rest.length ? `; escalate with ${rest.join(' or ')}` : ''}`
      )
    }
    const spec = levels[index]
    const started = ctx.clock.now()
    const cluster = await ctx.cluster()
    const record = await ctx.stateRecord()
    const warnState = (err: unknown): void => ctx.log.warn(`state record: ${errorMessage(err)}`)
    if (!ctx.settings.dryRun)
      await record.transition('rolling-back', ctx.runId, `${spec.level} rollback`).catch(warnState)
    ctx.progress({
      gate: 'rollback',
      activity: `${spec.level} rollback`,
      deadline: started + levelBudgetMs(spec)
    })
    const check = await runRollbackLevel(ctx, cluster, spec, index)
    const ok = isPassing(check.verdict)
    if (!ctx.settings.dryRun) {
      // Every level's purpose is the behaviour of the previous stable version; the reason says which level got it there.
      await record
        .transition(
          ok ? 'previous-stable' : 'failed',
          ctx.runId,
          `${spec.level} rollback ${ok ? 'verified' : 'failed'}: ${check.message}`
        )
        .catch(warnState)
      await record
        .updateIndex(i => {
          i.extra = {
            ...(i.extra ?? {}),
            rollback: {
              level: spec.level,
              verdict: check.verdict,
              at: new Date(ctx.clock.now()).toISOString(),
              durationMs: check.durationMs,
              runId: ctx.runId
            }
          }
        })
        .catch(warnState)
    }
    if (!ok && check.data?.refused)
      notes.push('code rollback was refused; the flag and config levels stay available')
    return [
      gateResult('rollback', started, [check], {
        now: ctx.clock.now(),
        name: spec.level,
        budgetMs: levelBudgetMs(spec),
        notes: notes.length ? notes : undefined,
        details: {
          level: spec.level,
          durationMs: check.durationMs,
          budgetMs: levelBudgetMs(spec),
          withinBudget: check.data?.withinBudget
        }
      })
    ]
  }
}
