/**
 * The two states a release passes before it changes anything: `images-ready`
 * (the reality check found every image pullable) and `packaged` (a phase's
 * manifests passed the server's dry run, or its chart rendered). They describe
 * the release on its way, not the one running, so they must never hide a
 * release still in flight: a reality check on a pull request that is never
 * merged would otherwise end the soak of the release it runs beside. The soak
 * gate looks through them to the release that runs (`runningState`).
 */

import { errorMessage } from '../core/errors.js'
import type { StateIndex, StateRecord } from './record.js'
import type { DeploymentState } from './states.js'

/** The states of a release that has not changed the cluster yet. */
export type PreDeploymentState = Extract<DeploymentState, 'images-ready' | 'packaged'>

/** States in which a release is under way or watched; a pre-deployment state never replaces them from outside. */
const IN_FLIGHT: ReadonlySet<DeploymentState> = new Set<DeploymentState>([
  'deploying',
  'active',
  'degraded',
  'rolling-back'
])

const PRE: ReadonlySet<DeploymentState> = new Set<DeploymentState>(['images-ready', 'packaged'])

/** True for `images-ready` and `packaged`. */
export function isPreDeployment(state: DeploymentState | undefined): boolean {
  return state !== undefined && PRE.has(state)
}

/** Why a pre-deployment state is not recorded now. */
export interface PreDeploymentBlocker {
  message: string
  /** The run itself is past that state already (a later phase of it): nothing worth telling. */
  ownProgress: boolean
}

/**
 * Why `state` may not be recorded for `runId` now (undefined: it may).
 * `images-ready` (a reality check, which may never lead to a deployment) waits
 * for any release in flight; `packaged` (a phase about to apply) only refuses
 * to step back a run that is already past it. Neither steps back from
 * `packaged` to `images-ready` in one run.
 */
export function preDeploymentBlocker(
  index: Pick<StateIndex, 'state' | 'history'>,
  state: PreDeploymentState,
  runId: string
): PreDeploymentBlocker | undefined {
  const current = index.state
  if (!current) return undefined
  const run = index.history.at(-1)?.runId
  const sameRun = run === runId
  if (state === 'images-ready' && current === 'packaged' && sameRun)
    return { message: `run ${runId} is packaged already`, ownProgress: true }
  if (!IN_FLIGHT.has(current)) return undefined
  if (state === 'packaged' && !sameRun) return undefined
  return {
    message: `${sameRun ? `run ${runId}` : `release ${run ?? '?'}`} is ${current}; ${state} is recorded only before a release deploys`,
    ownProgress: sameRun
  }
}

/**
 * The state of the release that runs: the current state, or when that is a
 * pre-deployment state of the next release, the last state before it.
 */
export function runningState(
  index: Pick<StateIndex, 'state' | 'history'>
): DeploymentState | undefined {
  if (!isPreDeployment(index.state)) return index.state
  return [...index.history].reverse().find(t => !isPreDeployment(t.state))?.state
}

/** What recording a pre-deployment state did. */
export interface PreDeploymentOutcome {
  recorded: boolean
  /** Why it was not recorded: a blocker, or the error writing it (`ownProgress` false). */
  blocker?: PreDeploymentBlocker
}

/** Records a pre-deployment state unless a release in flight forbids it; never throws. */
export async function recordPreDeployment(
  record: StateRecord,
  state: PreDeploymentState,
  runId: string,
  reason: string,
  at: string
): Promise<PreDeploymentOutcome> {
  try {
    const before = await record.readIndex()
    const first = preDeploymentBlocker(before, state, runId)
    if (first) return { recorded: false, blocker: first }
    let blocker: PreDeploymentBlocker | undefined
    await record.updateIndex(index => {
      // Checked again inside the read-modify-write: another job may have moved it meanwhile.
      blocker = preDeploymentBlocker(index, state, runId)
      if (blocker) return
      if (index.state !== state) index.stateSince = at
      index.state = state
      index.history.push({ state, at, runId, reason })
    })
    return blocker ? { recorded: false, blocker } : { recorded: true }
  } catch (err) {
    return {
      recorded: false,
      blocker: {
        message: `could not write the state record: ${errorMessage(err)}`,
        ownProgress: false
      }
    }
  }
}
