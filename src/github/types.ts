/** The GitHub seam: the few REST calls gates make (comment, environments, deployments, PR state). */

export interface GitHubRepo {
  owner: string
  repo: string
}

export interface GitHub {
  readonly repo: GitHubRepo
  /** The pull request this run belongs to, when there is one. */
  readonly pullNumber?: number
  readonly sha?: string
  readonly runUrl?: string
}
