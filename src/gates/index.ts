/** Gate registry: gate name → implementation; the compiler names a gate left out. */

import type { GateName } from '../report/model.js'
import type { Gate } from './types.js'
import { realityCheckGate } from './reality-check.js'
import { tracerGate } from './tracer.js'
import { planGate } from './plan.js'
import { phaseGate } from './phase.js'
import { rolloutGate } from './rollout.js'
import { rollbackGate } from './rollback.js'
import { validateGate } from './validate.js'
import { recordGate } from './record.js'
import { soakGate } from './soak.js'
import { driftGate } from './drift.js'

const GATES: Readonly<Record<GateName, Gate>> = {
  'reality-check': realityCheckGate,
  tracer: tracerGate,
  plan: planGate,
  phase: phaseGate,
  rollout: rolloutGate,
  rollback: rollbackGate,
  validate: validateGate,
  record: recordGate,
  soak: soakGate,
  drift: driftGate
}

/** The implementation of a gate. */
export function gateFor(name: GateName): Gate {
  return GATES[name]
}

/** What `--gate all` runs, in order. `record` runs even when an earlier gate failed. */
export const ALL_SEQUENCE: GateName[] = [
  'reality-check',
  'tracer',
  'plan',
  'phase',
  'validate',
  'record'
]
