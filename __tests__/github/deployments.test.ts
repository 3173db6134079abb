import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHub } from '../../src/github/client.js'
import { findOrCreateDeployment, setDeploymentStatus } from '../../src/github/deployments.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

const SHA = 'e'.repeat(40)
let standIn: GitHubStandIn

beforeEach(async () => {
  standIn = await startGitHubStandIn()
})
afterEach(() => standIn.close())

function gh(token = 'test-token') {
  return createGitHub({
    token,
    repository: 'octo/app',
    apiUrl: standIn.url,
    sha: SHA,
    runId: '77',
    serverUrl: 'https://github.example',
    retryBaseMs: 1
  })
}

const target = { environment: 'staging', plan: 'dify', target: 'staging/dify', runId: '77' }

describe('findOrCreateDeployment', () => {
  it('creates one only when none exists for the SHA and environment', async () => {
    const first = await findOrCreateDeployment(gh(), target)
    expect(first).toMatchObject({ ok: true, created: true })
    const second = await findOrCreateDeployment(gh(), target)
    expect(second).toEqual({
      ok: true,
      deploymentId: first.ok ? first.deploymentId : -1,
      created: false
    })

    const posts = standIn.requestsTo('POST', '/repos/octo/app/deployments')
    expect(posts).toHaveLength(1)
    expect(posts[0].body).toMatchObject({
      ref: SHA,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      payload: { plan: 'dify', target: 'staging/dify', run: '77' }
    })
    expect(standIn.requestsTo('GET', '/repos/octo/app/deployments')[0].query).toMatchObject({
      sha: SHA,
      environment: 'staging'
    })
  })

  it('uses the deployment GitHub made for the job’s environment (the newest)', async () => {
    standIn.state.deployments.push(
      {
        id: 5,
        sha: SHA,
        ref: 'feature',
        task: 'deploy',
        environment: 'staging',
        description: null,
        payload: {},
        created_at: ''
      },
      {
        id: 9,
        sha: SHA,
        ref: 'feature',
        task: 'deploy',
        environment: 'staging',
        description: null,
        payload: {},
        created_at: ''
      }
    )
    expect(await findOrCreateDeployment(gh(), target)).toEqual({
      ok: true,
      deploymentId: 9,
      created: false
    })
    expect(standIn.requestsTo('POST', '/repos/octo/app/deployments')).toHaveLength(0)
  })

  it.each([
    ['another environment', { sha: SHA, environment: 'production' }],
    ['another commit', { sha: 'f'.repeat(40), environment: 'staging' }]
  ])('creates a new one when only %s has a deployment', async (_name, existing) => {
    standIn.state.deployments.push({
      id: 5,
      ref: 'x',
      task: 'deploy',
      description: null,
      payload: {},
      created_at: '',
      ...existing
    })
    const r = await findOrCreateDeployment(gh(), target)
    expect(r).toMatchObject({ ok: true, created: true })
    expect(standIn.state.deployments).toHaveLength(2)
  })

  it('with a read-only token (fork PR) finds nothing to create and says why', async () => {
    const r = await findOrCreateDeployment(gh('fork-token'), target)
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/403.*deployments: write/) })
    expect(standIn.state.deployments).toHaveLength(0)
  })

  it('without a SHA says so and makes no request', async () => {
    const client = createGitHub({
      token: 'test-token',
      repository: 'octo/app',
      apiUrl: standIn.url
    })
    expect(await findOrCreateDeployment(client, target)).toEqual({
      ok: false,
      reason: 'no commit SHA to deploy'
    })
    expect(standIn.requests).toHaveLength(0)
  })
})

describe('setDeploymentStatus', () => {
  it('records in_progress then success with the run as log URL, and inactivates the previous success', async () => {
    const old = await findOrCreateDeployment(gh(), { ...target, sha: 'f'.repeat(40) })
    const cur = await findOrCreateDeployment(gh(), target)
    if (!old.ok || !cur.ok) throw new Error('setup failed')
    await setDeploymentStatus(gh(), old.deploymentId, 'success', { description: 'old release' })

    const started = await setDeploymentStatus(gh(), cur.deploymentId, 'in_progress', {
      description: 'phase database'
    })
    const done = await setDeploymentStatus(gh(), cur.deploymentId, 'success', {
      description: 'all gates passed',
      environmentUrl: 'https://app.example'
    })
    expect(started.ok && done.ok).toBe(true)

    const statuses = await gh().listDeploymentStatuses(cur.deploymentId)
    expect(statuses.map(s => [s.state, s.description, s.log_url, s.environment_url])).toEqual([
      [
        'success',
        'all gates passed',
        'https://github.example/octo/app/actions/runs/77',
        'https://app.example'
      ],
      ['in_progress', 'phase database', 'https://github.example/octo/app/actions/runs/77', '']
    ])
    const oldStatuses = await gh().listDeploymentStatuses(old.deploymentId)
    expect(oldStatuses.map(s => s.state)).toEqual(['inactive', 'success'])
  })

  it.each(['failure', 'inactive'] as const)('sets %s', async state => {
    const d = await findOrCreateDeployment(gh(), target)
    if (!d.ok) throw new Error(d.reason)
    expect(
      await setDeploymentStatus(gh(), d.deploymentId, state, { description: state })
    ).toMatchObject({ ok: true })
    expect(standIn.state.deploymentStatuses[d.deploymentId].map(s => s.state)).toEqual([state])
  })

  it('clips the description to GitHub’s 140 characters', async () => {
    const d = await findOrCreateDeployment(gh(), target)
    if (!d.ok) throw new Error(d.reason)
    const r = await setDeploymentStatus(gh(), d.deploymentId, 'failure', {
      description: 'x'.repeat(500)
    })
    expect(r.ok).toBe(true)
    expect(standIn.state.deploymentStatuses[d.deploymentId][0].description).toHaveLength(140)
  })

  it('returns a reason instead of throwing for an unknown deployment', async () => {
    const r = await setDeploymentStatus(gh(), 123456, 'success', { description: 'x' })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/404/) })
  })

  it('without a token says so and makes no request', async () => {
    const r = await setDeploymentStatus(gh(''), 1, 'success', { description: 'x' })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/no GitHub token/) })
    expect(standIn.requests).toHaveLength(0)
  })
})
