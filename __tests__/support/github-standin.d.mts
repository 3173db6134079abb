/** Types of the local GitHub REST API stand-in (github-standin.mjs). */

export interface StandInIdentity {
  login: string
  /** `User` or `Bot`. */
  type: string
  /** author_association of the comments this token writes. */
  association: string
  /** read: writes get 403 (a fork PR's token); admin: may read branch protection. */
  access: 'read' | 'write' | 'admin'
}

export interface StandInComment {
  id: number
  issue: number
  body: string
  user: { login: string; type: string }
  author_association: string
  created_at: string
  updated_at: string
}

export interface StandInProtectionRule {
  id?: number
  type: string
  wait_timer?: number
  reviewers?: { type: string; reviewer: { login?: string; slug?: string; name?: string } }[]
  prevent_self_review?: boolean
}

export interface StandInPull {
  number?: number
  state?: string
  draft?: boolean
  user?: { login: string; type?: string }
  head: { sha: string; ref: string; repo?: { full_name: string } | null }
  base: { ref: string; repo?: { full_name: string } | null }
  labels?: ({ name: string } | string)[]
}

export interface StandInReview {
  id: number
  user: { login: string; type?: string } | null
  state: string
  submitted_at?: string
  commit_id?: string
}

export interface StandInCheckRun {
  id: number
  name: string
  status: string
  conclusion: string | null
  html_url?: string
  started_at?: string | null
  completed_at?: string | null
}

export interface StandInStatus {
  context: string
  state: string
  target_url?: string | null
  description?: string | null
}

export interface StandInBranchProtection {
  /** Answer with this status (403: no admin rights, 404: not protected). */
  status?: number
  message?: string
  /** Readable only with an `admin` token; 403 otherwise. */
  adminOnly?: boolean
  required_status_checks?: {
    strict?: boolean
    contexts: string[]
    checks?: { context: string; app_id?: number | null }[]
  }
}

export interface StandInDeployment {
  id: number
  sha: string
  ref: string
  task: string
  environment: string
  description: string | null
  payload: unknown
  production_environment?: boolean
  transient_environment?: boolean
  creator?: { login: string; type: string }
  created_at: string
  updated_at?: string
}

export interface StandInDeploymentStatus {
  id: number
  state: string
  description: string
  environment: string
  environment_url: string
  log_url: string
  created_at: string
}

export interface StandInState {
  repository: string
  nextId: number
  /** Issue numbers that exist besides the pulls. */
  issues: number[]
  comments: StandInComment[]
  environments: Record<string, { id?: number; protection_rules?: StandInProtectionRule[] }>
  pulls: Record<string, StandInPull>
  reviews: Record<string, StandInReview[]>
  checkRuns: Record<string, StandInCheckRun[]>
  /** Every status ever posted per SHA, oldest first; the combined status keeps the latest per context. */
  statuses: Record<string, StandInStatus[]>
  branchProtection: Record<string, StandInBranchProtection>
  /** Branch → SHA, for deployments created from a branch ref. */
  refs: Record<string, string>
  deployments: StandInDeployment[]
  deploymentStatuses: Record<string, StandInDeploymentStatus[]>
  /** Workflow run id → its environment approvals (`GET /actions/runs/{id}/approvals`). */
  runApprovals?: Record<
    string,
    {
      state: string
      comment?: string
      environments: { name: string }[]
      user: { login: string; type?: string }
    }[]
  >
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  /** The bearer token sent, if any. */
  token?: string
  headers: {
    authorization?: string
    accept?: string
    'x-github-api-version'?: string
    'user-agent'?: string
  }
  at: number
  /** Status answered (0 while in flight). */
  status: number
}

export interface StandInFault {
  /** Status to answer with: 500, 502, 403 (with retryAfter: secondary rate limit), 429 ... */
  status: number
  /** How many matching requests fail (default 1). */
  count?: number
  match?: { method?: string; path?: string | RegExp }
  /** `retry-after` header, seconds. */
  retryAfter?: number
  rateLimitRemaining?: number
  rateLimitReset?: number
  message?: string
}

export interface StandInOptions {
  port?: number
  repository?: string
  tokens?: Record<string, StandInIdentity>
  /** Random delay per request in ms: a number or [min, max] (default [0, 8]). */
  latencyMs?: number | [number, number]
  state?: Partial<StandInState>
}

export interface GitHubStandIn {
  url: string
  state: StandInState
  requests: RecordedRequest[]
  setFault(fault: StandInFault): void
  clearFaults(): void
  setLatency(ms: number | [number, number]): void
  requestsTo(method: string, path: string | RegExp): RecordedRequest[]
  commentsOn(issue: number): StandInComment[]
  close(): Promise<void>
}

export const DEFAULT_TOKENS: Record<string, StandInIdentity>

/** Starts the stand-in on 127.0.0.1 (random port unless `port` is given). */
export function startGitHubStandIn(opts?: StandInOptions): Promise<GitHubStandIn>
