import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHub } from '../../src/github/client.js'
import {
  checkPullRequest,
  judgePullRequest,
  readPullRequestState,
  summariseReviews,
  type CheckState,
  type PullRequestSpec,
  type PullRequestState
} from '../../src/github/pull-request.js'
import type { Review } from '../../src/github/types.js'
import type { Verdict } from '../../src/report/model.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

const HEAD = 'c'.repeat(40)

function review(id: number, user: string, state: string, minute: number): Review {
  return {
    id,
    user: { login: user },
    state,
    submitted_at: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`,
    commit_id: HEAD
  }
}

describe('summariseReviews: the latest standing review per user counts', () => {
  it.each<[string, Review[], [string, string][]]>([
    ['one approval', [review(1, 'a', 'APPROVED', 1)], [['a', 'APPROVED']]],
    [
      'approval after changes requested',
      [review(1, 'a', 'CHANGES_REQUESTED', 1), review(2, 'a', 'APPROVED', 2)],
      [['a', 'APPROVED']]
    ],
    [
      'changes requested after approval',
      [review(1, 'a', 'APPROVED', 1), review(2, 'a', 'CHANGES_REQUESTED', 2)],
      [['a', 'CHANGES_REQUESTED']]
    ],
    [
      'a later comment does not lift changes requested',
      [review(1, 'a', 'CHANGES_REQUESTED', 1), review(2, 'a', 'COMMENTED', 2)],
      [['a', 'CHANGES_REQUESTED']]
    ],
    [
      'a dismissed review clears the standing',
      [review(1, 'a', 'APPROVED', 1), review(2, 'a', 'DISMISSED', 2)],
      []
    ],
    ['pending reviews do not count', [review(1, 'a', 'PENDING', 1)], []],
    [
      'submission time decides, not list order',
      [review(2, 'a', 'APPROVED', 5), review(1, 'a', 'CHANGES_REQUESTED', 1)],
      [['a', 'APPROVED']]
    ],
    [
      'users are independent',
      [
        review(1, 'a', 'APPROVED', 1),
        review(2, 'b', 'CHANGES_REQUESTED', 2),
        review(3, 'c', 'COMMENTED', 3)
      ],
      [
        ['a', 'APPROVED'],
        ['b', 'CHANGES_REQUESTED']
      ]
    ]
  ])('%s', (_name, reviews, expected) => {
    expect(summariseReviews(reviews).map(r => [r.user, r.state])).toEqual(expected)
  })
})

function state(over: Partial<PullRequestState> = {}): PullRequestState {
  return {
    number: 4,
    headSha: HEAD,
    baseRef: 'main',
    draft: false,
    labels: [],
    reviews: [{ user: 'alice', state: 'APPROVED' }],
    checks: [
      { name: 'build', source: 'check-run', outcome: 'ok', detail: 'success' },
      { name: 'ci/lint', source: 'status', outcome: 'ok', detail: 'success' }
    ],
    requiredChecks: ['build', 'ci/lint'],
    durationMs: 5,
    ...over
  }
}

const failingBuild: CheckState = {
  name: 'build',
  source: 'check-run',
  outcome: 'failing',
  detail: 'failure'
}
const pendingBuild: CheckState = {
  name: 'build',
  source: 'check-run',
  outcome: 'pending',
  detail: 'in_progress'
}

describe('judgePullRequest', () => {
  it.each<[string, Partial<PullRequestState>, PullRequestSpec, Verdict, RegExp]>([
    ['approved and green', {}, {}, 'pass', /1 approval, 2 required checks green/],
    ['no approval', { reviews: [] }, {}, 'fail', /0 of 1 required approval/],
    ['approvals: 0 allows none', { reviews: [] }, { approvals: 0 }, 'pass', /0 approvals/],
    ['two needed, one given', {}, { approvals: 2 }, 'fail', /1 of 2 required approvals/],
    [
      'changes requested',
      {
        reviews: [
          { user: 'alice', state: 'APPROVED' },
          { user: 'bob', state: 'CHANGES_REQUESTED' }
        ]
      },
      {},
      'fail',
      /changes requested by bob/
    ],
    [
      'blocking label (any case)',
      { labels: ['Do-Not-Deploy'] },
      { blockingLabels: ['do-not-deploy'] },
      'fail',
      /blocking label Do-Not-Deploy/
    ],
    [
      'harmless label',
      { labels: ['docs'] },
      { blockingLabels: ['do-not-deploy'] },
      'pass',
      /green/
    ],
    [
      'failing required check',
      { checks: [failingBuild] },
      {},
      'fail',
      /required check failing: build/
    ],
    [
      'pending required check',
      { checks: [pendingBuild] },
      {},
      'fail',
      /required check not finished: build/
    ],
    [
      'required check never reported',
      { checks: [] },
      {},
      'fail',
      /required checks not reported on ccccccc: build, ci\/lint/
    ],
    [
      'a check run and a status of one name: failing wins',
      {
        checks: [
          ...state().checks,
          { name: 'build', source: 'status', outcome: 'failing', detail: 'error' }
        ]
      },
      {},
      'fail',
      /failing: build/
    ],
    [
      'plan adds a required check to branch protection’s',
      {},
      { requiredChecks: ['e2e'] },
      'fail',
      /not reported on ccccccc: e2e/
    ],
    [
      'a failing check nobody requires is a warning',
      {
        checks: [
          ...state().checks,
          { name: 'docs', source: 'check-run', outcome: 'failing', detail: 'failure' }
        ]
      },
      {},
      'warn',
      /other checks failing: docs/
    ],
    [
      'a running check nobody requires (this job) is fine',
      {
        checks: [
          ...state().checks,
          { name: 'deploy', source: 'check-run', outcome: 'pending', detail: 'in_progress' }
        ]
      },
      {},
      'pass',
      /green/
    ],
    ['a draft is a warning', { draft: true }, {}, 'warn', /draft/],
    [
      'branch protection unreadable: the plan’s list stands, and the message says so',
      {
        requiredChecks: undefined,
        protectionUnreadable: 'branch protection of main is not readable (403)'
      },
      { requiredChecks: ['build'] },
      'pass',
      /1 required check green \(branch protection not readable: judged against the plan's requiredChecks\)/
    ],
    [
      'branch protection unreadable and the plan’s check fails',
      {
        requiredChecks: undefined,
        protectionUnreadable: 'branch protection of main is not readable (403)',
        checks: [failingBuild]
      },
      { requiredChecks: ['build'] },
      'fail',
      /failing: build/
    ]
  ])('%s → %s', (_name, over, spec, verdict, message) => {
    const result = judgePullRequest(state(over), spec)
    expect(result).toMatchObject({
      id: 'pullRequest:#4',
      kind: 'pullRequest',
      target: '#4',
      verdict
    })
    expect(result.message).toMatch(message)
    if (verdict === 'fail') expect(result.adjustment).toBeTruthy()
  })

  it('notes the fallback to the plan’s checks in the evidence and data', () => {
    const result = judgePullRequest(
      state({
        requiredChecks: undefined,
        protectionUnreadable:
          'branch protection of main is not readable with this token (403: needs admin rights)'
      }),
      { requiredChecks: ['build'] }
    )
    expect(result.evidence).toContain(
      "branch protection of main is not readable with this token (403: needs admin rights); judged against the plan's requiredChecks: build"
    )
    expect(result.data).toMatchObject({ requiredChecks: ['build'], requiredChecksSource: 'plan' })
  })
})

describe('readPullRequestState against the stand-in', () => {
  let standIn: GitHubStandIn
  beforeEach(async () => {
    standIn = await startGitHubStandIn({
      state: {
        pulls: {
          '4': {
            head: { sha: HEAD, ref: 'feature' },
            base: { ref: 'main' },
            labels: [{ name: 'needs-db' }]
          }
        },
        reviews: {
          '4': [
            review(1, 'alice', 'CHANGES_REQUESTED', 1),
            review(2, 'bob', 'APPROVED', 2),
            review(3, 'alice', 'APPROVED', 3),
            review(4, 'carol', 'COMMENTED', 4)
          ]
        },
        checkRuns: {
          [HEAD]: [
            { id: 10, name: 'build', status: 'completed', conclusion: 'failure' },
            // A re-run: the latest run of a name counts.
            { id: 11, name: 'build', status: 'completed', conclusion: 'success' },
            { id: 12, name: 'e2e', status: 'in_progress', conclusion: null }
          ]
        },
        statuses: {
          [HEAD]: [
            { context: 'ci/lint', state: 'pending' },
            { context: 'ci/lint', state: 'success' }
          ]
        },
        branchProtection: {
          main: {
            adminOnly: true,
            required_status_checks: { contexts: ['ci/lint'], checks: [{ context: 'build' }] }
          }
        }
      }
    })
  })
  afterEach(() => standIn.close())

  const gh = (token = 'test-token') =>
    createGitHub({ token, repository: 'octo/app', apiUrl: standIn.url, retryBaseMs: 1 })

  it('summarises reviews, labels, checks and statuses of the head SHA', async () => {
    const s = await readPullRequestState(gh(), { pullNumber: 4 })
    expect(s.headSha).toBe(HEAD)
    expect(s.labels).toEqual(['needs-db'])
    expect(s.reviews.map(r => [r.user, r.state])).toEqual([
      ['bob', 'APPROVED'],
      ['alice', 'APPROVED']
    ])
    expect(s.checks.map(c => [c.source, c.name, c.outcome])).toEqual([
      ['check-run', 'build', 'ok'],
      ['check-run', 'e2e', 'pending'],
      ['status', 'ci/lint', 'ok']
    ])
    expect(
      standIn.requestsTo('GET', `/repos/octo/app/commits/${HEAD}/check-runs`)[0].query.filter
    ).toBe('latest')
  })

  it('reads required checks from branch protection when the token may (admin)', async () => {
    const s = await readPullRequestState(gh('admin-token'), { pullNumber: 4 })
    expect(s.requiredChecks).toEqual(['ci/lint', 'build'])
    expect(s.protectionUnreadable).toBeUndefined()
    expect(judgePullRequest(s).verdict).toBe('pass')
  })

  it.each([
    ['403 (no admin rights)', 'test-token', undefined, /403: needs admin rights/],
    ['404 (not protected)', 'admin-token', { status: 404 }, /not found or not readable \(404\)/]
  ])(
    'branch protection %s → falls back to the plan’s list with a note',
    async (_name, token, bp, note) => {
      if (bp) standIn.state.branchProtection.main = bp
      const s = await readPullRequestState(gh(token), { pullNumber: 4 })
      expect(s.requiredChecks).toBeUndefined()
      expect(s.protectionUnreadable).toMatch(note)
      const result = judgePullRequest(s, { requiredChecks: ['build', 'e2e'] })
      expect(result.verdict).toBe('fail')
      expect(result.message).toMatch(/not finished: e2e/)
      expect(result.evidence).toMatch(/judged against the plan's requiredChecks: build, e2e/)
    }
  )

  it('uses the given SHA instead of the PR head', async () => {
    const other = 'd'.repeat(40)
    const s = await readPullRequestState(gh(), { pullNumber: 4, sha: other })
    expect(s.headSha).toBe(other)
    expect(s.checks).toEqual([])
  })

  it('checkPullRequest: approved, green and no blocking label → pass', async () => {
    const result = await checkPullRequest(
      gh('admin-token'),
      { pullNumber: 4 },
      { blockingLabels: ['do-not-deploy'] }
    )
    expect(result.verdict).toBe('pass')
  })

  it('checkPullRequest: a blocking label on the PR → fail', async () => {
    const result = await checkPullRequest(
      gh('admin-token'),
      { pullNumber: 4 },
      { blockingLabels: ['needs-db'] }
    )
    expect(result.verdict).toBe('fail')
    expect(result.message).toMatch(/blocking label needs-db/)
  })

  it('checkPullRequest: a failing required check from GitHub → fail', async () => {
    standIn.state.checkRuns[HEAD].push({
      id: 13,
      name: 'build',
      status: 'completed',
      conclusion: 'timed_out'
    })
    const result = await checkPullRequest(gh('admin-token'), { pullNumber: 4 })
    expect(result.verdict).toBe('fail')
    expect(result.message).toMatch(/required check failing: build/)
  })

  it('checkPullRequest: a PR that cannot be read → error, not a pass', async () => {
    const result = await checkPullRequest(gh(), { pullNumber: 99 })
    expect(result.verdict).toBe('error')
    expect(result.message).toMatch(/404/)
  })
})
