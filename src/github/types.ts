/** The GitHub seam: the few REST calls gates make (comment, environments, deployments, PR state). */

export interface GitHubRepo {
  owner: string
  repo: string
}

/** The author of a comment or review, as the REST API returns it. */
export interface GitHubUser {
  login: string
  /** `User` or `Bot`. */
  type?: string
}

/** An issue (or pull request) comment. */
export interface IssueComment {
  id: number
  body: string
  html_url: string
  user?: GitHubUser | null
  /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR, NONE ... */
  author_association?: string
  created_at?: string
  updated_at?: string
}

/** One reviewer entry of a `required_reviewers` protection rule. */
export interface EnvironmentReviewer {
  type: 'User' | 'Team' | string
  reviewer?: { login?: string; name?: string; slug?: string } | null
}

/** An environment protection rule (`required_reviewers`, `wait_timer`, `branch_policy`). */
export interface ProtectionRule {
  id?: number
  type: string
  /** Minutes, for `wait_timer`. */
  wait_timer?: number
  reviewers?: EnvironmentReviewer[]
  prevent_self_review?: boolean
}

/** A deployment environment (`GET /repos/{o}/{r}/environments/{name}`). */
export interface Environment {
  name: string
  html_url?: string
  protection_rules?: ProtectionRule[]
}

/** The fields of a pull request the gates read. */
export interface PullRequest {
  number: number
  state: string
  draft?: boolean
  html_url?: string
  user?: GitHubUser | null
  head: { sha: string; ref: string; repo?: { full_name: string } | null }
  base: { ref: string; repo?: { full_name: string } | null }
  labels: { name: string }[]
}

/** A pull-request review. */
export interface Review {
  id: number
  user: GitHubUser | null
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string
  submitted_at?: string
  commit_id?: string
}

/** A check run on a commit. */
export interface CheckRun {
  id: number
  name: string
  /** queued, in_progress, completed, waiting, requested, pending. */
  status: string
  /** success, failure, neutral, cancelled, skipped, timed_out, action_required, stale; null until completed. */
  conclusion: string | null
  html_url?: string
  started_at?: string | null
  completed_at?: string | null
}

/** One commit status (the older status API). */
export interface CommitStatus {
  context: string
  /** success, failure, error, pending. */
  state: string
  target_url?: string | null
  description?: string | null
}

/** The combined status of a commit: the latest status per context. */
export interface CombinedStatus {
  state: string
  sha: string
  total_count: number
  statuses: CommitStatus[]
}

/** Branch protection's required status checks (readable only with admin rights). */
export interface RequiredStatusChecks {
  strict?: boolean
  contexts: string[]
  checks?: { context: string; app_id?: number | null }[]
}

/** A GitHub deployment. */
export interface Deployment {
  id: number
  sha: string
  ref: string
  environment: string
  description?: string | null
  payload?: unknown
  created_at?: string
}

/** The states a deployment status can take. */
export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** A deployment status. */
export interface DeploymentStatus {
  id: number
  state: DeploymentState
  description?: string | null
  environment_url?: string | null
  log_url?: string | null
  created_at?: string
}

/** Body of `POST /repos/{o}/{r}/deployments`. */
export interface CreateDeploymentInput {
  ref: string
  environment: string
  description?: string
  payload?: Record<string, unknown>
  auto_merge: boolean
  required_contexts: string[]
  production_environment?: boolean
  transient_environment?: boolean
}

/** Body of `POST /repos/{o}/{r}/deployments/{id}/statuses`. */
export interface CreateDeploymentStatusInput {
  state: DeploymentState
  description?: string
  environment_url?: string
  log_url?: string
  auto_inactive?: boolean
}

/** One review of a workflow run's pending deployments (`GET /actions/runs/{id}/approvals`). */
export interface RunApproval {
  state: 'approved' | 'rejected' | string
  comment?: string
  environments: { name: string }[]
  user: GitHubUser | null
}

export interface GitHub {
  readonly repo: GitHubRepo
  /** `GITHUB_RUN_ID`: the workflow run this process belongs to. */
  readonly runId?: string
  /** The pull request this run belongs to, when there is one. */
  readonly pullNumber?: number
  /** The commit the workflow runs on (`GITHUB_SHA`; for `pull_request` events the merge commit). */
  readonly sha?: string
  /** The pull request's head commit (`pull_request.head.sha` of the event), when there is one. */
  readonly headSha?: string
  readonly runUrl?: string
  /** Web base URL, e.g. https://github.com. */
  readonly serverUrl?: string
  /** False when no token was given: writes are skipped without a request. */
  readonly hasToken?: boolean

  /** Every comment of an issue or pull request, oldest first (all pages). */
  listIssueComments(issue: number): Promise<IssueComment[]>
  /** Creates a comment on an issue or pull request. */
  createIssueComment(issue: number, body: string): Promise<IssueComment>
  /** Replaces a comment's body. */
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>
  /** Deletes a comment (a comment already gone counts as deleted). */
  deleteIssueComment(commentId: number): Promise<void>

  /** The environment, or undefined when it does not exist (404). */
  getEnvironment(name: string): Promise<Environment | undefined>

  /** The environment approvals and rejections of a workflow run (all pages). */
  listRunApprovals?(runId: string): Promise<RunApproval[]>

  /** A pull request. */
  getPullRequest(pullNumber: number): Promise<PullRequest>
  /** Every review of a pull request, in submission order (all pages). */
  listReviews(pullNumber: number): Promise<Review[]>
  /** The latest check run per name on a commit (all pages). */
  listCheckRuns(sha: string): Promise<CheckRun[]>
  /** The combined status of a commit (all pages of statuses). */
  getCombinedStatus(sha: string): Promise<CombinedStatus>
  /** Branch protection's required status checks; throws GitHubApiError (403/404) when not readable. */
  getRequiredStatusChecks(branch: string): Promise<RequiredStatusChecks>

  /** Deployments matching the filter, newest first (all pages). */
  listDeployments(filter: {
    sha?: string
    environment?: string
    ref?: string
  }): Promise<Deployment[]>
  /** Creates a deployment. */
  createDeployment(input: CreateDeploymentInput): Promise<Deployment>
  /** Statuses of a deployment, newest first (all pages). */
  listDeploymentStatuses(deploymentId: number): Promise<DeploymentStatus[]>
  /** Adds a status to a deployment. */
  createDeploymentStatus(
    deploymentId: number,
    input: CreateDeploymentStatusInput
  ): Promise<DeploymentStatus>
}
