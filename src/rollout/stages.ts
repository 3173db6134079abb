/**
 * The stages of a rollout: the plan's, or the default shape (canary 5 %,
 * partial 25 %, majority 75 %, full 100 %), preceded by an `infra` stage at
 * weight 0 when the plan has infra steps (migrations, config, flags), whose
 * trigger is a failed step.
 */

import { UsageError } from '../core/errors.js'
import { durationMs } from '../core/duration.js'
import type { RolloutSpec } from '../plan/types.js'

/** One stage to run. */
export interface Stage {
  name: string
  weight: number
  holdMs: number
  /** The stage's index in `rollout.stages` (undefined for defaults and infra). */
  index?: number
  /** The infra stage: runs `rollout.infra` at weight 0. */
  infra?: boolean
}

export { DEFAULT_STAGES } from '../plan/defaults.js'
import { DEFAULT_STAGES } from '../plan/defaults.js'

/** Name of the infra stage. */
export const INFRA_STAGE = 'infra'

/** Every stage of the rollout, in order. */
export function rolloutStages(rollout: RolloutSpec): Stage[] {
  const own = rollout.stages?.length
    ? rollout.stages.map((s, index) => ({
        name: s.name,
        weight: s.weight,
        holdMs: durationMs(s.hold, 0),
        index
      }))
    : DEFAULT_STAGES.map(s => ({ name: s.name, weight: s.weight, holdMs: durationMs(s.hold, 0) }))
  return rollout.infra?.length
    ? [{ name: INFRA_STAGE, weight: 0, holdMs: 0, infra: true }, ...own]
    : own
}

/** The stages `--stage` selects: one by name, or all in order. */
export function selectStages(all: Stage[], name: string | undefined): Stage[] {
  if (name === undefined) return all
  const hit = all.filter(s => s.name === name)
  if (hit.length === 0)
    throw new UsageError(
      `no rollout stage named "${name}"; stages: ${all.map(s => s.name).join(', ')}`
    )
  return hit
}
