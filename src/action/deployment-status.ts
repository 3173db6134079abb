/**
 * GitHub deployment statuses for the job's environment (the `environment`
 * input), so the repository's Deployments page shows each run per
 * environment and target. Gates that deploy (phase, validate, rollout,
 * rollback, all) set `in_progress` on the job's deployment before the engine
 * runs — the one GitHub made for a job with `environment:`, or a new one
 * where none exists — and `success` or `failure` after; GitHub's
 * auto_inactive marks the superseded ones `inactive`. The soak gate runs on a
 * schedule, away from the release's commit: it never creates a deployment,
 * and only when the soak decides does it mark the environment's newest
 * deployment of the plan `success` (stable) or `failure` (degraded). Best
 * effort throughout: a status that cannot be set is a warning, never a
 * verdict.
 */

import { errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { findOrCreateDeployment, setDeploymentStatus } from '../github/deployments.js'
import type { DeploymentState, GitHub } from '../github/types.js'
import { loadPlan } from '../plan/loader.js'
import { gateTitle } from '../report/format.js'
import { isPassing, type GateName, type RunReport } from '../report/model.js'
import type { Settings } from '../settings.js'

/** Gates whose run is a deployment step and gets in_progress → success/failure. */
export const DEPLOYING_GATES: readonly (GateName | 'all')[] = [
  'phase',
  'validate',
  'rollout',
  'rollback',
  'all'
]

/** What a finished run says about its deployment, or undefined when it says nothing (a soak still soaking). */
export function finalStatus(
  report: RunReport | undefined,
  gate: Settings['gate']
): { state: DeploymentState; description: string } | undefined {
  if (!report)
    return { state: 'failure', description: `phase-gate ${gate}: the run could not start` }
  const target = `${report.plan} → ${report.target.namespace}`
  if (gate === 'soak') {
    const soakGate = report.gates.find(g => g.gate === 'soak')
    const soak = soakGate?.details?.soak as { status?: string; release?: string } | undefined
    const rollback = report.gates.find(g => g.gate === 'rollback')
    if (soak?.status === 'stable' && soakGate && isPassing(soakGate.verdict))
      return {
        state: 'success',
        description: `${target}: release ${soak.release ?? ''} is stable (soak passed)`
      }
    if (soak?.status === 'degraded') {
      const back = rollback
        ? isPassing(rollback.verdict)
          ? `; ${rollback.name ?? ''} rollback back to previous stable`
          : `; ${rollback.name ?? ''} rollback failed`
        : ''
      return {
        state: 'failure',
        description: `${target}: release ${soak.release ?? ''} degraded${back}`
      }
    }
    return undefined
  }
  const last = report.gates.at(-1)
  const state = [...report.gates]
    .reverse()
    .map(g => (g.details?.state as { current?: string } | undefined)?.current)
    .find(Boolean)
  const what = last ? gateTitle(last) : String(gate)
  if (isPassing(report.verdict))
    return {
      state: 'success',
      description: `${target}: ${what} passed${state ? ` (state ${state})` : ''}`
    }
  const failed = report.gates.find(g => !isPassing(g.verdict))
  return {
    state: 'failure',
    description: `${target}: ${failed ? gateTitle(failed) : what} ${report.verdict}`
  }
}

/** The statuses of one run's deployment; `finish` once the engine is done (or failed to start). */
export interface DeploymentStatusRun {
  finish(report: RunReport | undefined): Promise<void>
}

const NOOP: DeploymentStatusRun = { finish: async () => undefined }

/** Starts the run's deployment statuses (in_progress for deploying gates); a no-op without an environment or GitHub. */
export async function startDeploymentStatus(
  github: GitHub | undefined,
  settings: Settings,
  log: Logger
): Promise<DeploymentStatusRun> {
  const environment = settings.environment
  if (!github || !environment) return NOOP
  const deploying = DEPLOYING_GATES.includes(settings.gate)
  if (!deploying && settings.gate !== 'soak') return NOOP
  let plan = ''
  let target = settings.namespace ?? ''
  try {
    const loaded = await loadPlan(settings.planPath, { workspace: settings.workspace })
    plan = loaded.plan.name
    target = settings.namespace ?? loaded.plan.target.namespace
  } catch {
    // The engine reports an unreadable plan; the status then says the run could not start.
  }
  const warn = (what: string, reason: string): void =>
    log.warn(`deployment status (${environment}): ${what}: ${reason}`)

  if (!deploying) {
    // soak: the release's deployment, found when the soak decides; nothing is created.
    return {
      async finish(report) {
        const status = finalStatus(report, 'soak')
        if (!status) return
        try {
          const all = await github.listDeployments({ environment })
          const mine = all
            .filter(d => d.environment === environment)
            .filter(d => {
              const p = d.payload as { plan?: unknown } | null | undefined
              return (
                !p ||
                typeof p !== 'object' ||
                p.plan === undefined ||
                p.plan === (report?.plan ?? plan)
              )
            })
            .sort((a, b) => b.id - a.id)[0]
          if (!mine)
            return warn(
              'no deployment to mark',
              `the environment ${environment} has none for ${report?.plan ?? plan}`
            )
          const r = await setDeploymentStatus(github, mine.id, status.state, {
            description: status.description
          })
          if (!r.ok) warn(`could not set ${status.state}`, r.reason)
          else
            log.info(
              `deployment ${mine.id} (${environment}): ${status.state}: ${status.description}`
            )
        } catch (err) {
          warn('could not read the deployments', errorMessage(err))
        }
      }
    }
  }

  const found = await findOrCreateDeployment(github, {
    environment,
    plan,
    target,
    runId: settings.runId,
    description: `phase-gate ${plan} → ${target}: ${gateTitle({ gate: settings.gate, name: settings.phase ?? settings.stage ?? settings.level })}`
  })
  if (!found.ok) {
    warn('no deployment', found.reason)
    return NOOP
  }
  const id = found.deploymentId
  const started = await setDeploymentStatus(github, id, 'in_progress', {
    description: `phase-gate ${settings.gate} running (run ${settings.runId})`
  })
  if (!started.ok) warn('could not set in_progress', started.reason)
  return {
    async finish(report) {
      const status = finalStatus(report, settings.gate)
      if (!status) return
      const r = await setDeploymentStatus(github, id, status.state, {
        description: status.description
      })
      if (!r.ok) warn(`could not set ${status.state}`, r.reason)
      else log.info(`deployment ${id} (${environment}): ${status.state}: ${status.description}`)
    }
  }
}
