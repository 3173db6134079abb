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

/** Every rollback level, cheapest first, each under its own name. */
export const LEVELS: { readonly [Name in RollbackLevel]: Level<Name> } = {
  flag: flagLevel,
  config: configLevel,
  code: codeLevel
}

/** The level names, cheapest first (the schema's enum, the action's order). */
export const LEVEL_NAMES = Object.keys(LEVELS) as RollbackLevel[]
