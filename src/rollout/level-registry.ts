/** Rollback level name → its implementation; the compiler names a level left out. */

import type { RollbackLevelSpec } from '../plan/types.js'
import { runCodeLevel } from './code-level.js'
import { runConfigLevel } from './config-level.js'
import { runFlagLevel } from './flag-level.js'
import type { LevelOutcome, LevelRun } from './level.js'

/** The implementation of each rollback level. */
export const LEVELS: Record<RollbackLevelSpec['level'], (run: LevelRun) => Promise<LevelOutcome>> =
  {
    flag: runFlagLevel,
    config: runConfigLevel,
    code: runCodeLevel
  }
