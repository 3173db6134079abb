/**
 * GitHub deployments. A job with `environment:` already has one (GitHub
 * creates it); the action sets its statuses and creates a deployment only
 * where none exists for the commit and environment (the CLI, jobs without an
 * environment). Best effort: failures come back as `{ok: false, reason}`.
 */

import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import { GitHubApiError } from './api-error.js'
import type { Deployment, DeploymentState, GitHub } from './types.js'

// GitHub rejects deployment status descriptions over 140 characters.
const DESCRIPTION_MAX = 140

export interface DeploymentTarget {
  environment: string
  /** Commit to deploy; default the run's SHA. */
  sha?: string
  /** Ref for a new deployment; default the SHA. */
  ref?: string
  plan: string
  target: string
  runId: string
  description?: string
  productionEnvironment?: boolean
  transientEnvironment?: boolean
}

export type DeploymentResult =
  { ok: true; deploymentId: number; created: boolean } | { ok: false; reason: string }

export type DeploymentStatusResult = { ok: true; statusId: number } | { ok: false; reason: string }

function reasonOf(err: unknown): string {
  if (err instanceof GitHubApiError && err.status === 403) {
    return `${err.message}: the token cannot write deployments (give the job \`permissions: deployments: write\`)`
  }
  return redact(errorMessage(err))
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** The newest deployment for the commit and environment, or a new one when there is none. */
export async function findOrCreateDeployment(
  gh: GitHub,
  t: DeploymentTarget
): Promise<DeploymentResult> {
  const sha = t.sha ?? gh.sha
  if (!sha) return { ok: false, reason: 'no commit SHA to deploy' }
  try {
    const found = await gh.listDeployments({ sha, environment: t.environment })
    const newest = found
      .filter(d => d.sha === sha && d.environment === t.environment)
      .sort((a, b) => b.id - a.id)[0]
    if (newest) return { ok: true, deploymentId: newest.id, created: false }
    if (gh.hasToken === false)
      return { ok: false, reason: 'no GitHub token: no deployment created' }
    const created: Deployment = await gh.createDeployment({
      ref: t.ref ?? sha,
      environment: t.environment,
      description: clip(
        redact(t.description ?? `phase-gate ${t.plan} → ${t.target}`),
        DESCRIPTION_MAX
      ),
      auto_merge: false,
      required_contexts: [],
      payload: { plan: t.plan, target: t.target, run: t.runId, tool: 'phase-gate' },
      production_environment: t.productionEnvironment,
      transient_environment: t.transientEnvironment
    })
    return { ok: true, deploymentId: created.id, created: true }
  } catch (err) {
    return { ok: false, reason: reasonOf(err) }
  }
}

/** Adds a status (in_progress, success, failure, inactive, ...) to a deployment. */
export async function setDeploymentStatus(
  gh: GitHub,
  deploymentId: number,
  state: DeploymentState,
  opts: { environmentUrl?: string; logUrl?: string; description: string; autoInactive?: boolean }
): Promise<DeploymentStatusResult> {
  if (gh.hasToken === false)
    return { ok: false, reason: 'no GitHub token: deployment status not set' }
  try {
    const status = await gh.createDeploymentStatus(deploymentId, {
      state,
      description: clip(redact(opts.description), DESCRIPTION_MAX),
      environment_url: opts.environmentUrl,
      log_url: opts.logUrl ?? gh.runUrl,
      auto_inactive: opts.autoInactive
    })
    return { ok: true, statusId: status.id }
  } catch (err) {
    return { ok: false, reason: reasonOf(err) }
  }
}
