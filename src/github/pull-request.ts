/**
 * Pre-deploy checks from what the default token can read: the PR's reviews
 * (latest review per user counts), labels, and the check runs and commit
 * statuses of the head SHA. Branch protection's required checks need admin
 * rights, so they are used only when readable; otherwise the plan's
 * `requiredChecks` stand, and the result says so.
 */

import { systemClock, type Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import type { CheckResult, Severity, Verdict } from '../report/model.js'
import { GitHubApiError } from './api-error.js'
import type { GitHub, Review } from './types.js'

/** One reviewer's standing review (their latest that counts). */
export interface ReviewerState {
  user: string
  /** APPROVED or CHANGES_REQUESTED. */
  state: 'APPROVED' | 'CHANGES_REQUESTED'
  submittedAt?: string
  commitId?: string
}

/** A check run or commit status reduced to what judging needs. */
export interface CheckState {
  name: string
  source: 'check-run' | 'status'
  /** ok: success/neutral/skipped; failing: failure/error/cancelled/timed_out/...; pending: not finished. */
  outcome: 'ok' | 'failing' | 'pending'
  /** GitHub's own word: the conclusion, status or state. */
  detail: string
  url?: string
}

/** What a pull request looks like to the pre-deploy check. */
export interface PullRequestState {
  number: number
  headSha: string
  baseRef: string
  draft: boolean
  labels: string[]
  /** Latest standing review per user; users whose last word was a dismissal are absent. */
  reviews: ReviewerState[]
  checks: CheckState[]
  /** Branch protection's required checks when they could be read. */
  requiredChecks?: string[]
  /** Why branch protection could not be read (403/404 without admin rights). */
  protectionUnreadable?: string
  durationMs: number
}

/** What the plan asks of the pull request (the `pullRequest` check). */
export interface PullRequestSpec {
  /** Approvals needed (default 1). */
  approvals?: number
  blockingLabels?: string[]
  requiredChecks?: string[]
}

/**
 * The latest standing review per user, in submission order. COMMENTED and
 * PENDING reviews leave a user's standing as it was (as on GitHub); DISMISSED
 * clears it.
 */
export function summariseReviews(reviews: Review[]): ReviewerState[] {
  const byUser = new Map<string, ReviewerState>()
  const sorted = [...reviews].sort((a, b) => {
    const ta = a.submitted_at ? Date.parse(a.submitted_at) : 0
    const tb = b.submitted_at ? Date.parse(b.submitted_at) : 0
    return ta - tb || a.id - b.id
  })
  for (const r of sorted) {
    const user = r.user?.login
    if (!user) continue
    const state = r.state.toUpperCase()
    if (state === 'APPROVED' || state === 'CHANGES_REQUESTED') {
      byUser.delete(user)
      byUser.set(user, { user, state, submittedAt: r.submitted_at, commitId: r.commit_id })
    } else if (state === 'DISMISSED') {
      byUser.delete(user)
    }
  }
  return [...byUser.values()]
}

const OK_CONCLUSIONS = new Set(['success', 'neutral', 'skipped'])

function checkRunOutcome(status: string, conclusion: string | null): CheckState['outcome'] {
  if (status !== 'completed' || conclusion === null) return 'pending'
  return OK_CONCLUSIONS.has(conclusion) ? 'ok' : 'failing'
}

function statusOutcome(state: string): CheckState['outcome'] {
  if (state === 'success') return 'ok'
  if (state === 'pending') return 'pending'
  return 'failing'
}

/** Reads reviews, labels, checks and statuses of the PR (and branch protection when readable). */
export async function readPullRequestState(
  gh: GitHub,
  opts: { pullNumber: number; sha?: string; clock?: Clock }
): Promise<PullRequestState> {
  const clock = opts.clock ?? systemClock
  const started = clock.now()
  const pr = await gh.getPullRequest(opts.pullNumber)
  const sha = opts.sha ?? pr.head.sha
  const [reviews, runs, combined] = await Promise.all([
    gh.listReviews(opts.pullNumber),
    gh.listCheckRuns(sha),
    gh.getCombinedStatus(sha)
  ])
  let requiredChecks: string[] | undefined
  let protectionUnreadable: string | undefined
  try {
    const rsc = await gh.getRequiredStatusChecks(pr.base.ref)
    requiredChecks = [
      ...new Set([...(rsc.contexts ?? []), ...(rsc.checks ?? []).map(c => c.context)])
    ]
  } catch (err) {
    if (!(err instanceof GitHubApiError) || (err.status !== 403 && err.status !== 404)) throw err
    protectionUnreadable =
      err.status === 403
        ? `branch protection of ${pr.base.ref} is not readable with this token (403: needs admin rights)`
        : `branch protection of ${pr.base.ref} not found or not readable (404)`
  }
  const checks: CheckState[] = [
    ...runs.map(r => ({
      name: r.name,
      source: 'check-run' as const,
      outcome: checkRunOutcome(r.status, r.conclusion),
      detail: r.conclusion ?? r.status,
      url: r.html_url
    })),
    ...combined.statuses.map(s => ({
      name: s.context,
      source: 'status' as const,
      outcome: statusOutcome(s.state),
      detail: s.state,
      url: s.target_url ?? undefined
    }))
  ]
  return {
    number: pr.number,
    headSha: sha,
    baseRef: pr.base.ref,
    draft: pr.draft === true,
    labels: pr.labels.map(l => l.name),
    reviews: summariseReviews(reviews),
    checks,
    requiredChecks,
    protectionUnreadable,
    durationMs: Math.max(0, clock.now() - started)
  }
}

/** The outcome of the checks with this name (failing beats pending beats ok), or undefined when none reported. */
function outcomeOf(state: PullRequestState, name: string): CheckState['outcome'] | undefined {
  const matches = state.checks.filter(c => c.name === name)
  if (matches.length === 0) return undefined
  if (matches.some(c => c.outcome === 'failing')) return 'failing'
  if (matches.some(c => c.outcome === 'pending')) return 'pending'
  return 'ok'
}

/** Judges the PR against the plan's `pullRequest` check: approvals, no changes requested, no blocking label, required checks green. */
export function judgePullRequest(state: PullRequestState, spec: PullRequestSpec = {}): CheckResult {
  const failures: string[] = []
  const warnings: string[] = []
  const fixes: string[] = []
  const notes: string[] = []

  const needed = spec.approvals ?? 1
  const approvedBy = state.reviews.filter(r => r.state === 'APPROVED').map(r => r.user)
  const changesBy = state.reviews.filter(r => r.state === 'CHANGES_REQUESTED').map(r => r.user)
  if (changesBy.length > 0) {
    failures.push(`changes requested by ${changesBy.join(', ')}`)
    fixes.push('address the requested changes and get a new review (or have the review dismissed)')
  }
  if (approvedBy.length < needed) {
    failures.push(`${approvedBy.length} of ${needed} required approval${needed === 1 ? '' : 's'}`)
    fixes.push(`get ${needed - approvedBy.length} more approving review(s)`)
  }

  const blocking = new Set((spec.blockingLabels ?? []).map(l => l.toLowerCase()))
  const blockedBy = state.labels.filter(l => blocking.has(l.toLowerCase()))
  if (blockedBy.length > 0) {
    failures.push(`blocking label${blockedBy.length === 1 ? '' : 's'} ${blockedBy.join(', ')}`)
    fixes.push(`remove the label(s) ${blockedBy.join(', ')} once the reason is resolved`)
  }

  let required: string[]
  if (state.requiredChecks !== undefined) {
    required = [...new Set([...state.requiredChecks, ...(spec.requiredChecks ?? [])])]
  } else {
    required = [...new Set(spec.requiredChecks ?? [])]
    if (state.protectionUnreadable) {
      notes.push(
        `${state.protectionUnreadable}; judged against the plan's requiredChecks: ${required.length ? required.join(', ') : '(none)'}`
      )
    }
  }
  const missing: string[] = []
  const pending: string[] = []
  const failing: string[] = []
  for (const name of required) {
    const outcome = outcomeOf(state, name)
    if (outcome === undefined) missing.push(name)
    else if (outcome === 'pending') pending.push(name)
    else if (outcome === 'failing') failing.push(name)
  }
  if (failing.length)
    failures.push(`required check${failing.length === 1 ? '' : 's'} failing: ${failing.join(', ')}`)
  if (pending.length)
    failures.push(
      `required check${pending.length === 1 ? '' : 's'} not finished: ${pending.join(', ')}`
    )
  if (missing.length)
    failures.push(
      `required check${missing.length === 1 ? '' : 's'} not reported on ${state.headSha.slice(0, 7)}: ${missing.join(', ')}`
    )
  if (failing.length || pending.length || missing.length) {
    fixes.push(
      'wait for the required checks to pass on the head commit (re-run failed ones after fixing)'
    )
  }

  // Checks nobody required: a failure is worth a warning, a running one (this job, say) is not.
  const requiredSet = new Set(required)
  const otherFailing = [
    ...new Set(
      state.checks.filter(c => !requiredSet.has(c.name) && c.outcome === 'failing').map(c => c.name)
    )
  ]
  if (otherFailing.length) warnings.push(`other checks failing: ${otherFailing.join(', ')}`)
  if (state.draft) warnings.push('the pull request is a draft')

  const verdict: Verdict = failures.length ? 'fail' : warnings.length ? 'warn' : 'pass'
  const severity: Severity = failures.length ? 'high' : warnings.length ? 'medium' : 'info'
  const message =
    verdict === 'pass'
      ? `PR #${state.number}: ${approvedBy.length} approval${approvedBy.length === 1 ? '' : 's'}, ${required.length} required check${required.length === 1 ? '' : 's'} green`
      : `PR #${state.number}: ${[...failures, ...warnings].join('; ')}`
  const fallback =
    state.requiredChecks === undefined && state.protectionUnreadable
      ? " (branch protection not readable: judged against the plan's requiredChecks)"
      : ''

  const evidence = [
    `head ${state.headSha} (base ${state.baseRef})`,
    `reviews: ${state.reviews.length ? state.reviews.map(r => `${r.user}=${r.state}`).join(', ') : '(none)'}`,
    `labels: ${state.labels.length ? state.labels.join(', ') : '(none)'}`,
    `required checks: ${required.length ? required.map(n => `${n}=${outcomeOf(state, n) ?? 'missing'}`).join(', ') : '(none)'}`,
    ...state.checks.map(c => `  ${c.source} ${c.name}: ${c.detail}`),
    ...notes
  ].join('\n')

  return {
    id: `pullRequest:#${state.number}`,
    kind: 'pullRequest',
    target: `#${state.number}`,
    verdict,
    severity,
    message: redact(message + fallback),
    evidence: redact(evidence),
    adjustment: fixes.length ? fixes.join('; ') : undefined,
    durationMs: state.durationMs,
    data: {
      approvals: approvedBy,
      approvalsNeeded: needed,
      changesRequestedBy: changesBy,
      blockingLabels: blockedBy,
      requiredChecks: required,
      requiredChecksSource: state.requiredChecks !== undefined ? 'branch-protection' : 'plan',
      failing,
      pending,
      missing,
      notes
    }
  }
}

/** readPullRequestState + judgePullRequest, with a failure to read turned into an `error` result. */
export async function checkPullRequest(
  gh: GitHub,
  opts: { pullNumber: number; sha?: string; clock?: Clock },
  spec: PullRequestSpec = {}
): Promise<CheckResult> {
  const clock = opts.clock ?? systemClock
  const started = clock.now()
  try {
    return judgePullRequest(await readPullRequestState(gh, opts), spec)
  } catch (err) {
    return {
      id: `pullRequest:#${opts.pullNumber}`,
      kind: 'pullRequest',
      target: `#${opts.pullNumber}`,
      verdict: 'error',
      severity: 'high',
      message: `could not read pull request #${opts.pullNumber}: ${redact(errorMessage(err))}`,
      adjustment:
        'Give the job a token that can read pull requests and checks (`permissions: pull-requests: read, checks: read, statuses: read`).',
      durationMs: Math.max(0, clock.now() - started),
      retries: err instanceof GitHubApiError ? err.attempts - 1 : undefined
    }
  }
}
