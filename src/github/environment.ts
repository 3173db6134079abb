/**
 * "Human approval must exist": the approval environment has required
 * reviewers (a wait timer alone only with `approval.allowWaitTimer: true`). Without either, GitHub runs a job that names the
 * environment without asking anyone; a missing environment is created on
 * first use, unprotected.
 */

import { systemClock, type Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { GitHubApiError } from './api-error.js'
import type { Environment, EnvironmentReviewer, GitHub } from './types.js'

export interface ApprovalCheckOptions {
  clock?: Clock
  /** Where the plan names the environment (`approval.environment`). */
  location?: SourceLocation
  /** `approval.allowWaitTimer: true`: a wait timer alone counts as the approval point. */
  allowWaitTimer?: boolean
}

function reviewerName(r: EnvironmentReviewer): string {
  const who = r.reviewer?.login ?? r.reviewer?.slug ?? r.reviewer?.name ?? '?'
  return r.type === 'Team' ? `team ${who}` : who
}

/** Reads the approval environment and judges whether it makes a person (or a timer) hold the job. */
export async function checkApprovalEnvironment(
  gh: GitHub,
  name: string,
  opts: ApprovalCheckOptions = {}
): Promise<CheckResult> {
  const clock = opts.clock ?? systemClock
  const started = clock.now()
  const settingsUrl = `${gh.serverUrl ?? 'https://github.com'}/${gh.repo.owner}/${gh.repo.repo}/settings/environments`
  const base = {
    id: `approval:${name}`,
    kind: 'approval',
    target: name,
    location: opts.location
  }
  const done = (r: Omit<CheckResult, 'id' | 'kind' | 'target' | 'durationMs'>): CheckResult => ({
    ...base,
    ...r,
    durationMs: Math.max(0, clock.now() - started)
  })

  let env: Environment | undefined
  try {
    env = await gh.getEnvironment(name)
  } catch (err) {
    const status = err instanceof GitHubApiError ? err.status : undefined
    const denied = status === 401 || status === 403
    return done({
      verdict: 'error',
      severity: 'high',
      message: `could not read the approval environment "${name}": ${redact(errorMessage(err))}`,
      adjustment: denied
        ? "Give the job a token that can read the repository's environments (for the GITHUB_TOKEN: `permissions: actions: read`)."
        : 'Retry the job; if GitHub keeps failing, check https://www.githubstatus.com.',
      retries: err instanceof GitHubApiError ? err.attempts - 1 : undefined
    })
  }

  if (env === undefined) {
    return done({
      verdict: 'fail',
      severity: 'high',
      message: `approval environment "${name}" does not exist: GitHub would create it without protection on first use and deploy without asking anyone`,
      evidence: `GET /repos/${gh.repo.owner}/${gh.repo.repo}/environments/${name} → 404`,
      adjustment: `Create the environment "${name}" (${settingsUrl}) with required reviewers or a wait timer, or set approval.environment to one that has them.`
    })
  }

  const rules = env.protection_rules ?? []
  const reviewers = rules
    .filter(r => r.type === 'required_reviewers')
    .flatMap(r => r.reviewers ?? [])
    .map(reviewerName)
  const waitMinutes = Math.max(
    0,
    ...rules.filter(r => r.type === 'wait_timer').map(r => r.wait_timer ?? 0)
  )
  const preventSelfReview = rules.some(
    r => r.type === 'required_reviewers' && r.prevent_self_review
  )
  const data = {
    environment: name,
    url: env.html_url,
    reviewers,
    waitTimerMinutes: waitMinutes,
    preventSelfReview,
    rules: rules.map(r => r.type)
  }
  const evidence = rules.length
    ? rules
        .map(r =>
          r.type === 'required_reviewers'
            ? `required_reviewers: ${(r.reviewers ?? []).map(reviewerName).join(', ') || '(none)'}`
            : r.type === 'wait_timer'
              ? `wait_timer: ${r.wait_timer ?? 0} min`
              : r.type
        )
        .join('\n')
    : 'no protection rules'

  if (reviewers.length > 0) {
    const wait = waitMinutes > 0 ? `, after a ${waitMinutes}-minute wait timer` : ''
    return done({
      verdict: 'pass',
      severity: 'info',
      message: `approval environment "${name}" requires review by ${reviewers.join(', ')}${wait}`,
      evidence,
      data
    })
  }
  if (waitMinutes > 0 && opts.allowWaitTimer) {
    return done({
      verdict: 'pass',
      severity: 'info',
      message: `approval environment "${name}" holds the job for a ${waitMinutes}-minute wait timer (no required reviewers; approval.allowWaitTimer: true)`,
      evidence,
      data
    })
  }
  if (waitMinutes > 0) {
    return done({
      verdict: 'fail',
      severity: 'high',
      message: `approval environment "${name}" has only a ${waitMinutes}-minute wait timer and no required reviewers: the job goes on when the timer runs out, without a person approving`,
      evidence,
      adjustment: `Add required reviewers to "${name}" in ${settingsUrl}, or set approval.allowWaitTimer: true in the plan to accept a wait timer alone as the approval point.`,
      data
    })
  }
  return done({
    verdict: 'fail',
    severity: 'high',
    message: `approval environment "${name}" has no required reviewers or wait timer: GitHub runs the job without asking anyone`,
    evidence,
    adjustment:
      `Add required reviewers (or a wait timer) to "${name}" in ${settingsUrl}. ` +
      'On private repositories environment protection rules need a paid plan; without them use a public repository or another approval mechanism.',
    data
  })
}
