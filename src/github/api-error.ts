/** The typed error every GitHub REST call throws: it carries the HTTP status so callers can decide. */

export class GitHubApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly method: string,
    /** Request path without the query string (never holds a secret). */
    readonly path: string,
    /** GitHub's own words (`message` of the error body), already redacted. */
    readonly apiMessage: string,
    readonly documentationUrl?: string,
    /** Attempts made before giving up (1 when not retried). */
    readonly attempts = 1
  ) {
    super(
      status === 0
        ? `GitHub API ${method} ${path}: ${apiMessage}`
        : `GitHub API ${method} ${path} → ${status}${apiMessage ? ` ${apiMessage}` : ''}`
    )
    this.name = 'GitHubApiError'
  }
}

/** True when the error is a GitHubApiError with one of the statuses. */
export function isApiStatus(err: unknown, ...statuses: number[]): err is GitHubApiError {
  return err instanceof GitHubApiError && statuses.includes(err.status)
}
