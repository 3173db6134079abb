/** A plan's soak settings with their defaults (read by the soak gate and the runbook). */

import { durationMs } from '../core/duration.js'
import { DEFAULT_SOAK_WINDOW_MS } from './budgets.js'
import type { Plan, RollbackLevel } from './types.js'

/** Interval between samples when the plan gives none. */
export const DEFAULT_SOAK_INTERVAL_MS = 60_000
/** The plan's soak settings with their defaults. */
export interface SoakSettings {
  windowMs: number
  intervalMs: number
  minSamples: number
  sustained: { samples: number; of: number }
  /** How long one run samples; undefined: until the soak decides (within the budget). */
  runForMs?: number
  onDegraded?: RollbackLevel
}

/** Soak settings of a plan: window 24h, interval 1m, minSamples min(10, window/interval), sustained 1 of 1. */
export function soakSettings(plan: Pick<Plan, 'soak'>): SoakSettings {
  const s = plan.soak ?? {}
  const windowMs = durationMs(s.window, DEFAULT_SOAK_WINDOW_MS)
  const intervalMs = Math.max(1, durationMs(s.interval, DEFAULT_SOAK_INTERVAL_MS))
  return {
    windowMs,
    intervalMs,
    minSamples: s.minSamples ?? Math.max(1, Math.min(10, Math.floor(windowMs / intervalMs))),
    sustained: s.sustained ?? { samples: 1, of: 1 },
    runForMs: s.runFor !== undefined ? durationMs(s.runFor, 0) : undefined,
    onDegraded: s.onDegraded && s.onDegraded !== 'none' ? s.onDegraded : undefined
  }
}
