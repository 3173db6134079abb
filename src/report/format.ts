/** Shared wording of verdicts for every renderer. */

import type { Verdict } from './model.js'
import { formatDuration } from '../core/duration.js'

export const VERDICT_WORD: Record<Verdict, string> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
  inconclusive: 'inconclusive',
  cancelled: 'cancelled',
  error: 'ERROR'
}

/** `1.2s / 10m` (time used against budget), or just the time. */
export function timeAgainstBudget(durationMs: number, budgetMs?: number): string {
  if (!budgetMs) return formatDuration(durationMs)
  const over = durationMs > budgetMs ? ' (over budget)' : ''
  return `${formatDuration(durationMs)} / ${formatDuration(budgetMs)}${over}`
}

/** The gate's title with its unit: `phase database`, `tracer edb-api`. */
export function gateTitle(g: { gate: string; name?: string }): string {
  return g.name ? `${g.gate} ${g.name}` : g.gate
}
