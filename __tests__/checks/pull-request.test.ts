// The pullRequest check kind against the local GitHub stand-in: approvals,
// changes requested, blocking labels and required checks of the head SHA;
// skipped, with the reason, without a GitHub context or a pull request.
import { afterEach, describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { runValidation } from '../../src/checks/validation.js'
import { createGitHub } from '../../src/github/client.js'
import type { PullRequestCheck } from '../../src/plan/types.js'
import type { Verdict } from '../../src/report/model.js'
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type StandInState
} from '../support/github-standin.mjs'
import { gateContext } from './validation-ctx.js'

const HEAD = 'a'.repeat(40)
const at = (minute: number): string => `2026-02-01T10:${String(minute).padStart(2, '0')}:00Z`
const LOCATION = { file: 'phase-gate.yaml', line: 9, column: 7 }

function state(over: Partial<StandInState> = {}): Partial<StandInState> {
  return {
    pulls: {
      '12': { head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' }, labels: [{ name: 'db' }] }
    },
    reviews: {
      '12': [
        { id: 1, user: { login: 'alice' }, state: 'APPROVED', submitted_at: at(1), commit_id: HEAD }
      ]
    },
    checkRuns: { [HEAD]: [{ id: 5, name: 'test', status: 'completed', conclusion: 'success' }] },
    statuses: { [HEAD]: [{ context: 'ci/lint', state: 'success' }] },
    branchProtection: { main: { adminOnly: true, required_status_checks: { contexts: ['test'] } } },
    ...over
  }
}

describe('pullRequest check against the stand-in', () => {
  let standIn: GitHubStandIn | undefined
  afterEach(async () => {
    await standIn?.close()
    standIn = undefined
  })
  const check = async (
    s: Partial<StandInState>,
    spec: PullRequestCheck['pullRequest'],
    token = 'test-token'
  ) => {
    standIn = await startGitHubStandIn({ repository: 'octo/shop', state: s })
    const github = createGitHub({
      token,
      repository: 'octo/shop',
      apiUrl: standIn.url,
      pullNumber: 12,
      headSha: HEAD,
      retryBaseMs: 1
    })
    return runValidation({ pullRequest: spec }, gateContext({ github }), LOCATION)
  }

  it.each<
    [string, Partial<StandInState>, PullRequestCheck['pullRequest'], string, Verdict, RegExp]
  >([
    [
      'approved, checks green',
      state(),
      { requiredChecks: ['test'] },
      'test-token',
      'pass',
      /^PR #12: 1 approval, 1 required check green/
    ],
    [
      'not enough approvals',
      state(),
      { approvals: 2 },
      'test-token',
      'fail',
      /1 of 2 required approvals/
    ],
    [
      'changes requested',
      state({
        reviews: {
          '12': [
            { id: 1, user: { login: 'alice' }, state: 'APPROVED', submitted_at: at(1) },
            { id: 2, user: { login: 'bob' }, state: 'CHANGES_REQUESTED', submitted_at: at(2) }
          ]
        }
      }),
      {},
      'test-token',
      'fail',
      /changes requested by bob/
    ],
    [
      'blocking label',
      state(),
      { blockingLabels: ['DB', 'do-not-deploy'] },
      'test-token',
      'fail',
      /blocking label db/
    ],
    [
      'required check failing',
      state({
        checkRuns: { [HEAD]: [{ id: 5, name: 'test', status: 'completed', conclusion: 'failure' }] }
      }),
      { requiredChecks: ['test'] },
      'test-token',
      'fail',
      /required check failing: test/
    ],
    [
      'branch protection read with an admin token',
      state({ checkRuns: { [HEAD]: [] } }),
      {},
      'admin-token',
      'fail',
      /required check not reported on aaaaaaa: test/
    ]
  ])('%s', async (_name, s, spec, token, verdict, message) => {
    const r = await check(s, spec, token)
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
    expect(r.id).toBe('pullRequest:#12')
    expect(r.location).toEqual(LOCATION)
  })

  it('reads what the default token can read, and says branch protection was not readable', async () => {
    const r = await check(state(), { requiredChecks: ['ci/lint'] })
    expect(r.verdict).toBe('pass')
    expect(r.data).toMatchObject({ requiredChecks: ['ci/lint'], requiredChecksSource: 'plan' })
    expect(r.evidence).toContain('branch protection of main is not readable with this token')
    expect(standIn?.requestsTo('GET', `/repos/octo/shop/commits/${HEAD}/check-runs`)).toHaveLength(
      1
    )
  })
})

describe('pullRequest check without a pull request', () => {
  it('skips without a GitHub context, saying why', async () => {
    const r = await runValidation({ pullRequest: { approvals: 1 } }, gateContext(), LOCATION)
    expect(r.verdict).toBe('skip')
    expect(r.message).toMatch(/^skipped: no GitHub context/)
    expect(r.location).toEqual(LOCATION)
  })

  it('skips when the run belongs to no pull request', async () => {
    const github = createGitHub({
      repository: 'octo/shop',
      apiUrl: 'http://127.0.0.1:9',
      event: { ref: 'refs/heads/main' }
    })
    const r = await runValidation({ pullRequest: {} }, gateContext({ github }))
    expect(r.verdict).toBe('skip')
    expect(r.message).toBe(
      'skipped: this run of octo/shop belongs to no pull request (not a pull_request event)'
    )
  })
})
