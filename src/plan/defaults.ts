/** Defaults the plan's semantics rest on, shared by lint, budgets, the plan gate and the rollout gate. */

/** Stages of a rollout that names none (canary 1–5 %, partial 10–25 %, majority 50–75 %, full). */
export const DEFAULT_STAGES: readonly { name: string; weight: number; hold: string }[] = [
  { name: 'canary', weight: 5, hold: '10m' },
  { name: 'partial', weight: 25, hold: '30m' },
  { name: 'majority', weight: 75, hold: '30m' },
  { name: 'full', weight: 100, hold: '0s' }
]
