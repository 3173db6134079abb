/**
 * `pullRequest: {approvals, blockingLabels, requiredChecks}`: the pull
 * request this run belongs to is approved, has no outstanding "changes
 * requested", carries no blocking label and its required checks are green,
 * read with what the default token can read (src/github/pull-request.ts).
 * Without a GitHub context (a CLI run) or outside a pull request it is
 * skipped, and says why.
 */

import { checkPullRequest } from '../github/pull-request.js'
import { checkResult } from './result.js'
import type { ValidationCheck } from './validation-kind.js'

const TARGET = 'pull request'

export const pullRequestCheck: ValidationCheck<'pullRequest'> = {
  key: 'pullRequest',
  target: () => TARGET,
  async run(spec, ctx, location) {
    const gh = ctx.github
    if (!gh)
      return checkResult('pullRequest', TARGET, {
        verdict: 'skip',
        message:
          'skipped: no GitHub context (the pull-request check reads the PR through the GitHub API, which a run outside GitHub Actions has not got)',
        adjustment:
          'run it in a workflow on a pull_request event, with permissions pull-requests: read, checks: read, statuses: read',
        location
      })
    if (gh.pullNumber === undefined)
      return checkResult('pullRequest', TARGET, {
        verdict: 'skip',
        message: `skipped: this run of ${gh.repo.owner}/${gh.repo.repo} belongs to no pull request (not a pull_request event)`,
        adjustment:
          'put the check in a job that runs on pull_request, or drop it from gates that run after the merge',
        location
      })
    const r = await checkPullRequest(
      gh,
      { pullNumber: gh.pullNumber, sha: gh.headSha, clock: ctx.clock },
      spec ?? {}
    )
    return { ...r, location }
  },
  describe: {
    plan: p => {
      const parts = [`${p.approvals ?? 1} approval${(p.approvals ?? 1) === 1 ? '' : 's'}`]
      if (p.blockingLabels?.length) parts.push(`no label ${p.blockingLabels.join(', ')}`)
      if (p.requiredChecks?.length) parts.push(`green ${p.requiredChecks.join(', ')}`)
      return `pull request: ${parts.join('; ')}`
    },
    runbook: p =>
      `the pull request has ${p.approvals ?? 1} approval(s)${p.requiredChecks?.length ? ` and green ${p.requiredChecks.join(', ')}` : ''}`
  }
}
