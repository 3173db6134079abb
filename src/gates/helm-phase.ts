/** Helm phases: install/upgrade under our own gate. */

import { checkResult } from '../checks/result.js'
import type { PhaseSpec } from '../plan/types.js'
import { gateResult, type GateResult } from '../report/model.js'
import type { GateContext } from './types.js'

/** Runs a phase that deploys a Helm chart. */
export async function runHelmPhase(ctx: GateContext, phase: PhaseSpec, index: number): Promise<GateResult> {
  const started = ctx.clock.now()
  return gateResult(
    'phase',
    started,
    [
      checkResult('helm', phase.helm?.release ?? phase.name, {
        verdict: 'error',
        message: 'Helm phases are not implemented yet in this version of phase-gate',
        location: ctx.loaded.locate(['phases', index, 'helm'])
      })
    ],
    { name: phase.name, now: ctx.clock.now() }
  )
}
