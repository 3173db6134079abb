/**
 * Time budgets: what a plan gives under `budgets` (and per phase or rollback
 * level), otherwise the defaults for its size. Every gate reports the time it
 * used against this number.
 *
 * Defaults (minutes), by `budgets.size` simple / medium / complex:
 *   reality-check 10/30/60, tracer 5/15/30, plan 10/20/40, phase 15/45/90
 *   (per phase), validate 5/15/30. A plan without a size is `simple`, whose
 *   column is the budgets of the small example plan.
 * Derived defaults: rollout = the sum of the stage holds (maxHold when a judge holds for evidence) + 10m (time to shift
 * weights and judge between holds); soak = its window (default 24h) + 5m;
 * a phase's own rollback = `budgets.rollback`, else that phase's budget;
 * rollback levels flag 1m, config 5m, code 15m.
 */

import { durationMs } from '../core/duration.js'
import { judgedHoldMs } from '../rollout/judge/settings.js'
import { LEVELS } from '../rollout/level-registry.js'
import { DEFAULT_STAGES } from './defaults.js'
import type { GateName } from '../report/model.js'
import type { BudgetSize, PhaseSpec, Plan, RollbackLevelSpec } from './types.js'

const MINUTE = 60_000

/** Gates whose budget comes from the size table. */
export type SizedGate = 'reality-check' | 'tracer' | 'plan' | 'phase' | 'validate'

/** Default budgets in minutes per size (the table above). */
export const SIZE_BUDGET_MINUTES: Readonly<
  Record<BudgetSize, Readonly<Record<SizedGate, number>>>
> = {
  simple: { 'reality-check': 10, tracer: 5, plan: 10, phase: 15, validate: 5 },
  medium: { 'reality-check': 30, tracer: 15, plan: 20, phase: 45, validate: 15 },
  complex: { 'reality-check': 60, tracer: 30, plan: 40, phase: 90, validate: 30 }
}

/** Size whose defaults apply when a plan names none. */
export const DEFAULT_BUDGET_SIZE: BudgetSize = 'simple'

/** Slack added to the stage holds for the rollout's budget. */
export const ROLLOUT_SLACK_MS = 10 * MINUTE
/** Slack added to the soak window for the soak's budget. */
export const SOAK_SLACK_MS = 5 * MINUTE
/** Soak window when the plan gives none: "full rollout healthy for 24 h". */
export const DEFAULT_SOAK_WINDOW_MS = 24 * 60 * MINUTE
/** Budget of the record gate, which only reads reports and renders. */
export const RECORD_BUDGET_MS = 5 * MINUTE

/** Options of budgetMs. */
export interface BudgetOptions {
  /** For `phase` (and `rollback` of a phase): the phase, whose own `budget` wins. */
  phase?: PhaseSpec
  /** For `rollback`: the rollback level, by spec or by name. */
  level?: RollbackLevelSpec | RollbackLevelSpec['level']
}

/** The budget of a gate in milliseconds (`record`, which only renders, has a fixed 5m). */
export function budgetMs(plan: Plan, gate: GateName, opts: BudgetOptions = {}): number {
  const budgets = plan.budgets ?? {}
  switch (gate) {
    case 'reality-check':
    case 'tracer':
    case 'plan':
    case 'validate':
      return durationMs(budgets[gate], sizeDefaultMs(plan, gate))
    case 'phase':
      return phaseBudgetMs(plan, opts.phase)
    case 'rollback':
      if (opts.level !== undefined) return levelBudgetMs(opts.level)
      return rollbackBudgetMs(plan, opts.phase)
    case 'rollout':
      return durationMs(budgets.rollout, rolloutDefaultMs(plan))
    case 'soak':
      return durationMs(
        budgets.soak,
        durationMs(plan.soak?.window, DEFAULT_SOAK_WINDOW_MS) + SOAK_SLACK_MS
      )
    case 'record':
    case 'drift':
      return RECORD_BUDGET_MS
  }
}

/** The budget of one phase: its own `budget`, else `budgets.phase`, else the size default. */
export function phaseBudgetMs(plan: Plan, phase?: PhaseSpec): number {
  return durationMs(phase?.budget ?? plan.budgets?.phase, sizeDefaultMs(plan, 'phase'))
}

/** The budget of a phase's own undo: `budgets.rollback`, else the phase's budget. */
export function rollbackBudgetMs(plan: Plan, phase?: PhaseSpec): number {
  return durationMs(plan.budgets?.rollback, phaseBudgetMs(plan, phase))
}

/** The budget of a rollback level: its own `budget`, else the level's default (flag 1m, config 5m, code 15m). */
export function levelBudgetMs(level: RollbackLevelSpec | RollbackLevelSpec['level']): number {
  if (typeof level === 'string') return LEVELS[level].defaultBudgetMs
  return durationMs(level.budget, LEVELS[level.level].defaultBudgetMs)
}

/** The size-table default of a gate for this plan's size. */
export function sizeDefaultMs(plan: Plan, gate: SizedGate): number {
  const size = plan.budgets?.size ?? DEFAULT_BUDGET_SIZE
  return SIZE_BUDGET_MINUTES[size][gate] * MINUTE
}

function rolloutDefaultMs(plan: Plan): number {
  const stages = plan.rollout?.stages?.length ? plan.rollout.stages : DEFAULT_STAGES
  // A judge that holds for evidence may keep a stage up to its maxHold.
  const holds = stages.reduce((sum, s) => sum + judgedHoldMs(plan.rollout, s), 0)
  return holds + ROLLOUT_SLACK_MS
}

/** Where a budget came from, for the plan gate's table. */
export type BudgetSource = 'plan' | 'phase' | 'level' | 'size' | 'derived' | 'fixed'

/** One row of a plan's budget table. */
export interface BudgetLine {
  gate: GateName
  /** The phase or rollback level the row is for. */
  name?: string
  ms: number
  source: BudgetSource
}

/** Every budget of a plan with where it came from: one row per gate, phase, phase rollback and level. */
export function budgetTable(plan: Plan): BudgetLine[] {
  const b = plan.budgets ?? {}
  const sized = (gate: SizedGate): BudgetLine => ({
    gate,
    ms: budgetMs(plan, gate),
    source: b[gate] !== undefined ? 'plan' : 'size'
  })
  const rows: BudgetLine[] = [sized('reality-check')]
  if ((plan.tracers ?? []).length > 0) rows.push(sized('tracer'))
  rows.push(sized('plan'))
  for (const phase of plan.phases ?? []) {
    rows.push({
      gate: 'phase',
      name: phase.name,
      ms: phaseBudgetMs(plan, phase),
      source: phase.budget !== undefined ? 'phase' : b.phase !== undefined ? 'plan' : 'size'
    })
    rows.push({
      gate: 'rollback',
      name: phase.name,
      ms: rollbackBudgetMs(plan, phase),
      source: b.rollback !== undefined ? 'plan' : 'derived'
    })
  }
  rows.push(sized('validate'))
  if (plan.rollout) {
    rows.push({
      gate: 'rollout',
      ms: budgetMs(plan, 'rollout'),
      source: b.rollout !== undefined ? 'plan' : 'derived'
    })
  }
  for (const level of plan.rollbackLevels ?? []) {
    rows.push({
      gate: 'rollback',
      name: level.level,
      ms: levelBudgetMs(level),
      source: level.budget !== undefined ? 'level' : 'fixed'
    })
  }
  if (plan.soak) {
    rows.push({
      gate: 'soak',
      ms: budgetMs(plan, 'soak'),
      source: b.soak !== undefined ? 'plan' : 'derived'
    })
  }
  return rows
}
