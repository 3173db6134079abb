import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHub } from '../../src/github/client.js'
import { checkApprovalEnvironment } from '../../src/github/environment.js'
import type { Verdict } from '../../src/report/model.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

let standIn: GitHubStandIn

beforeEach(async () => {
  standIn = await startGitHubStandIn({
    state: {
      environments: {
        reviewed: {
          protection_rules: [
            {
              id: 1,
              type: 'required_reviewers',
              prevent_self_review: true,
              reviewers: [
                { type: 'User', reviewer: { login: 'alice' } },
                { type: 'Team', reviewer: { slug: 'platform' } }
              ]
            },
            { id: 2, type: 'wait_timer', wait_timer: 5 }
          ]
        },
        timer: { protection_rules: [{ id: 3, type: 'wait_timer', wait_timer: 30 }] },
        'no rules': { protection_rules: [] },
        branches: { protection_rules: [{ id: 4, type: 'branch_policy' }] },
        'empty reviewers': {
          protection_rules: [{ id: 5, type: 'required_reviewers', reviewers: [] }]
        },
        'zero timer': { protection_rules: [{ id: 6, type: 'wait_timer', wait_timer: 0 }] }
      }
    }
  })
})
afterEach(() => standIn.close())

function gh(token = 'test-token') {
  return createGitHub({
    token,
    repository: 'octo/app',
    apiUrl: standIn.url,
    serverUrl: 'https://github.example',
    retryBaseMs: 1,
    retries: 1
  })
}

describe('checkApprovalEnvironment', () => {
  it.each<[string, Verdict, RegExp]>([
    ['reviewed', 'pass', /requires review by alice, team platform, after a 5-minute wait timer/],
    ['timer', 'fail', /only a 30-minute wait timer and no required reviewers/],
    ['no rules', 'fail', /no required reviewers or wait timer: GitHub runs the job without asking/],
    ['branches', 'fail', /no required reviewers or wait timer/],
    ['empty reviewers', 'fail', /no required reviewers or wait timer/],
    ['zero timer', 'fail', /no required reviewers or wait timer/],
    ['missing', 'fail', /does not exist: GitHub would create it without protection/]
  ])('environment "%s" → %s', async (name, verdict, message) => {
    const result = await checkApprovalEnvironment(gh(), name)
    expect(result).toMatchObject({
      id: `approval:${name}`,
      kind: 'approval',
      target: name,
      verdict
    })
    expect(result.message).toMatch(message)
    if (verdict === 'fail') {
      expect(result.severity).toBe('high')
      expect(result.adjustment).toMatch(/required reviewers/)
      if (name === 'timer') expect(result.adjustment).toMatch(/approval.allowWaitTimer: true/)
      expect(result.adjustment).toContain('https://github.example/octo/app/settings/environments')
    }
    expect(
      standIn.requestsTo('GET', `/repos/octo/app/environments/${encodeURIComponent(name)}`)
    ).toHaveLength(1)
  })

  it('accepts a wait timer alone only with allowWaitTimer', async () => {
    const result = await checkApprovalEnvironment(gh(), 'timer', { allowWaitTimer: true })
    expect(result.verdict).toBe('pass')
    expect(result.message).toMatch(
      /30-minute wait timer \(no required reviewers; approval.allowWaitTimer: true\)/
    )
    // No rules at all still fail, whatever allowWaitTimer says.
    const none = await checkApprovalEnvironment(gh(), 'zero timer', { allowWaitTimer: true })
    expect(none.verdict).toBe('fail')
  })

  it('reports the reviewers and rules it found', async () => {
    const result = await checkApprovalEnvironment(gh(), 'reviewed')
    expect(result.data).toMatchObject({
      reviewers: ['alice', 'team platform'],
      waitTimerMinutes: 5,
      preventSelfReview: true,
      rules: ['required_reviewers', 'wait_timer']
    })
    expect(result.evidence).toBe('required_reviewers: alice, team platform\nwait_timer: 5 min')
  })

  it('says what to set up when the environment has only a branch policy', async () => {
    const result = await checkApprovalEnvironment(gh(), 'branches')
    expect(result.evidence).toBe('branch_policy')
    expect(result.adjustment).toMatch(/Add required reviewers \(or a wait timer\) to "branches"/)
  })

  it('keeps the plan location on the result', async () => {
    const location = { file: 'phase-gate.yaml', line: 40, column: 3, path: 'approval.environment' }
    const result = await checkApprovalEnvironment(gh(), 'missing', { location })
    expect(result.location).toEqual(location)
  })

  it.each<[string, string, number | undefined, RegExp]>([
    ['no token', '', undefined, /401/],
    ['bad token', 'wrong', undefined, /Bad credentials/],
    ['GitHub down', 'test-token', 500, /500/]
  ])('%s → error (could not check), not a pass', async (_name, token, fault, message) => {
    if (fault) standIn.setFault({ status: fault, count: 10 })
    const result = await checkApprovalEnvironment(gh(token), 'reviewed')
    expect(result.verdict).toBe('error')
    expect(result.message).toMatch(message)
    expect(result.adjustment).toBeTruthy()
  })
})
