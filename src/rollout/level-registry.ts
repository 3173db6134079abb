/**
 * Rollback level name → its Level (a factory keyed by name, like
 * setup-node's installer-factory over its distributions): the compiler names
 * a level left out of RollbackLevel or of this table.
 */

import type { RollbackLevel } from '../plan/types.js'
import { codeLevel } from './code-level.js'
import { configLevel } from './config-level.js'
import { flagLevel } from './flag-level.js'
import type { Level } from './level.js'

/** The levels as written, so their schema parts keep their field names. */
const REGISTERED = {
  flag: flagLevel,
  config: configLevel,
  code: codeLevel
} as const satisfies { readonly [Name in RollbackLevel]: Level<Name> }

/** Every rollback level, cheapest first, each under its own name. */
export const LEVELS: { readonly [Name in RollbackLevel]: Level<Name> } = REGISTERED

/** The spec fields some level declares in its schema part (the schema test holds RollbackLevelSpec to them). */
export type DeclaredLevelField = {
  [Name in RollbackLevel]: keyof (typeof REGISTERED)[Name]['schema']
}[RollbackLevel]

/** The level names, cheapest first (the schema's enum, the action's order). */
export const LEVEL_NAMES = Object.keys(LEVELS) as RollbackLevel[]

/** The levels' default budgets in words: `flag < 1 min, config < 5 min, code < 15 min`. */
export function levelBudgetWords(): string {
  return LEVEL_NAMES.map(n => `${n} < ${LEVELS[n].defaultBudgetMs / 60_000} min`).join(', ')
}

/** `flag, config or code`. */
export function levelNamesOr(): string {
  return `${LEVEL_NAMES.slice(0, -1).join(', ')} or ${LEVEL_NAMES[LEVEL_NAMES.length - 1]}`
}
