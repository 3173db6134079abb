/**
 * A Helm phase a killed run left applying or rolling back, finished by the
 * post step as the phase's own rollback would: the release goes back to the
 * revision it was on before the phase (a first install is uninstalled),
 * verified. A release helm left pending (the upgrade or rollback was killed
 * in flight) is not touched: helm refuses other operations on it and only a
 * person can tell whether one still runs, so it is reported with the command
 * that frees it.
 */

import type { Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import type { PhaseRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import { waitForGone } from '../kube/wait.js'
import { Helm, latestRevision, stuckReleaseAdvice } from './helm.js'
import { manifestObjects, refsOf, rollbackRelease } from './release.js'

/** What the post step did with an interrupted release. */
export interface ReleaseFinish {
  /**
   * restored: back on the revision before the phase (or uninstalled), verified;
   * unchanged: helm made no revision to undo; stuck: left pending by helm;
   * failed: the undo did not finish or could not be verified.
   */
  outcome: 'restored' | 'unchanged' | 'stuck' | 'failed'
  message: string
  /** What a person runs to finish it (stuck or failed). */
  command?: string
}

/** Takes an interrupted Helm phase's release back to where the state record says it was. */
export async function finishInterruptedRelease(
  helm: Helm,
  cluster: Cluster,
  rel: NonNullable<PhaseRecord['helm']>,
  opts: { timeoutMs: number; clock: Clock }
): Promise<ReleaseFinish> {
  const { release, namespace, revisionBefore } = rel
  const deadline = opts.clock.now() + opts.timeoutMs
  const undoCommand =
    revisionBefore !== undefined
      ? `helm rollback ${release} ${revisionBefore} --namespace ${namespace}`
      : `helm uninstall ${release} --namespace ${namespace}`
  let history
  try {
    history = await helm.history(release)
  } catch (err) {
    return {
      outcome: 'failed',
      message: `cannot read the history of release ${release}: ${errorMessage(err)}`,
      command: undoCommand
    }
  }
  const stuck = stuckReleaseAdvice(release, namespace, history)
  if (stuck) return { outcome: 'stuck', message: stuck.message, command: stuck.command }

  const latest = latestRevision(history)
  if (!latest)
    return revisionBefore === undefined
      ? { outcome: 'unchanged', message: `release ${release} was never installed; nothing to undo` }
      : {
          outcome: 'failed',
          message: `release ${release} is gone, though it was on revision ${revisionBefore} before the phase`
        }
  if (latest.revision === revisionBefore)
    return {
      outcome: 'unchanged',
      message: `release ${release} is still on revision ${revisionBefore}; helm made no revision to undo`
    }

  if (revisionBefore !== undefined) {
    const r = await rollbackRelease(helm, cluster, release, {
      to: revisionBefore,
      deadline,
      clock: opts.clock
    })
    return r.ok
      ? { outcome: 'restored', message: r.message }
      : { outcome: 'failed', message: r.message, command: undoCommand }
  }

  // A first install has no earlier revision: the release goes, and what it created with it.
  try {
    const manifest = await helm.manifest(release).catch(() => '')
    const refs = manifest ? refsOf(await manifestObjects(cluster, manifest, namespace)) : []
    await helm.uninstall(release, Math.max(1000, deadline - opts.clock.now()))
    const gone = refs.length
      ? await waitForGone(cluster, refs, {
          timeoutMs: Math.max(0, deadline - opts.clock.now()),
          clock: opts.clock
        })
      : undefined
    return !gone || gone.result === 'done'
      ? {
          outcome: 'restored',
          message: `release ${release} uninstalled (a first install); ${refs.length} objects gone`
        }
      : {
          outcome: 'failed',
          message: `release ${release} uninstalled, but ${gone.message}`,
          command: undoCommand
        }
  } catch (err) {
    return { outcome: 'failed', message: errorMessage(err), command: undoCommand }
  }
}
