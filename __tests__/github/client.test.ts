import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import type { Clock } from '../../src/core/clock.js'
import { clearSecrets, redact } from '../../src/core/secrets.js'
import { GitHubApiError } from '../../src/github/api-error.js'
import {
  createGitHub,
  gitHubOptionsFromEnv,
  parseLinkHeader,
  parseRetryAfter,
  type GitHubOptions
} from '../../src/github/client.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

const PR = 3
let standIn: GitHubStandIn

beforeEach(async () => {
  standIn = await startGitHubStandIn({
    state: { pulls: { [PR]: { head: { sha: 'b'.repeat(40), ref: 'f' }, base: { ref: 'main' } } } }
  })
})
afterEach(async () => {
  await standIn.close()
  clearSecrets()
})

/** A clock whose sleeps return at once and are recorded. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = []
  return { slept, now: () => Date.now(), sleep: async ms => void slept.push(ms) }
}

function gh(opts: Partial<GitHubOptions> = {}) {
  return createGitHub({
    token: 'test-token',
    repository: 'octo/app',
    apiUrl: standIn.url,
    retryBaseMs: 5,
    ...opts
  })
}

describe('requests', () => {
  it('sends the bearer token, the API version and the GitHub media type', async () => {
    await gh().listIssueComments(PR)
    expect(standIn.requests).toHaveLength(1)
    expect(standIn.requests[0]).toMatchObject({
      method: 'GET',
      path: '/repos/octo/app/issues/3/comments',
      query: { per_page: '100' },
      headers: {
        authorization: 'Bearer test-token',
        'x-github-api-version': '2022-11-28',
        accept: 'application/vnd.github+json'
      }
    })
  })

  it('sends no Authorization header without a token, and says it has none', async () => {
    const client = gh({ token: undefined })
    expect(client.hasToken).toBe(false)
    await expect(client.listIssueComments(PR)).rejects.toMatchObject({ status: 401 })
    expect(standIn.requests[0].headers.authorization).toBeUndefined()
  })

  it('follows Link pagination to the last page', async () => {
    for (let i = 0; i < 250; i++) {
      standIn.state.comments.push({
        id: i + 1,
        issue: PR,
        body: `c${i}`,
        user: { login: 'u', type: 'User' },
        author_association: 'MEMBER',
        created_at: '',
        updated_at: ''
      })
    }
    const comments = await gh().listIssueComments(PR)
    expect(comments.map(c => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `c${i}`))
    expect(standIn.requests.map(r => r.query.page ?? '1')).toEqual(['1', '2', '3'])
  })

  it('registers the token as a secret and never puts it in an error', async () => {
    const client = gh({ token: 'ghs_verysecrettoken123' })
    expect(redact('x ghs_verysecrettoken123 y')).toBe('x *** y')
    const err = await client.getPullRequest(PR).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubApiError)
    expect(String((err as Error).message)).not.toContain('ghs_verysecrettoken123')
    expect((err as GitHubApiError).status).toBe(401)
  })

  it('uses GITHUB_API_URL when no apiUrl is given, trimming a trailing slash', () => {
    const saved = process.env.GITHUB_API_URL
    try {
      process.env.GITHUB_API_URL = `${standIn.url}/`
      expect(createGitHub({ repository: 'o/r' }).apiUrl).toBe(standIn.url)
      delete process.env.GITHUB_API_URL
      expect(createGitHub({ repository: 'o/r' }).apiUrl).toBe('https://api.github.com')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
    }
  })

  it('rejects a repository that is not owner/repo', () => {
    expect(() => createGitHub({ repository: 'just-a-name' })).toThrow(/owner\/repo/)
  })
})

describe('retries', () => {
  it.each([500, 502, 503])('retries %i with backoff, then succeeds', async status => {
    standIn.setFault({ status, count: 2 })
    const clock = recordingClock()
    const comments = await gh({ clock }).listIssueComments(PR)
    expect(comments).toEqual([])
    expect(standIn.requests.map(r => r.status)).toEqual([status, status, 200])
    expect(clock.slept).toHaveLength(2)
    // Exponential from retryBaseMs 5 with jitter in [base/2, base]: 2.5..5, then 5..10.
    expect(clock.slept[0]).toBeGreaterThanOrEqual(2)
    expect(clock.slept[0]).toBeLessThanOrEqual(5)
    expect(clock.slept[1]).toBeGreaterThanOrEqual(5)
    expect(clock.slept[1]).toBeLessThanOrEqual(10)
  })

  it('gives up after the configured retries with a typed error carrying the status', async () => {
    standIn.setFault({ status: 500, count: 10 })
    const err = await gh({ retries: 2, clock: recordingClock() })
      .listIssueComments(PR)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubApiError)
    expect(err).toMatchObject({ status: 500, attempts: 3, method: 'GET' })
    expect(standIn.requests).toHaveLength(3)
  })

  it.each([
    ['secondary rate limit (403 + retry-after)', { status: 403, retryAfter: 2 }, 2000],
    ['429 + retry-after', { status: 429, retryAfter: 1 }, 1000]
  ])('%s: waits what GitHub asks, then retries', async (_name, fault, waited) => {
    standIn.setFault({ ...fault, count: 1, message: 'You have exceeded a secondary rate limit.' })
    const clock = recordingClock()
    await gh({ clock }).listIssueComments(PR)
    expect(clock.slept).toEqual([waited])
    expect(standIn.requests.map(r => r.status)).toEqual([fault.status, 200])
  })

  it('retries a secondary rate limit without retry-after with backoff', async () => {
    standIn.setFault({
      status: 403,
      count: 1,
      message: 'You have exceeded a secondary rate limit.'
    })
    const clock = recordingClock()
    await gh({ clock }).listIssueComments(PR)
    expect(clock.slept).toHaveLength(1)
  })

  it('does not retry a plain 403 (no write access)', async () => {
    const err = await gh({ token: 'fork-token', clock: recordingClock() })
      .createIssueComment(PR, 'x')
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 403, attempts: 1 })
    expect(standIn.requests).toHaveLength(1)
  })

  it('does not wait for a primary rate-limit reset beyond the bound', async () => {
    standIn.setFault({
      status: 403,
      count: 1,
      rateLimitRemaining: 0,
      rateLimitReset: Math.floor(Date.now() / 1000) + 3600,
      message: 'API rate limit exceeded'
    })
    const clock = recordingClock()
    const err = await gh({ clock })
      .listIssueComments(PR)
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 403, apiMessage: 'API rate limit exceeded' })
    expect(clock.slept).toEqual([])
  })

  it('turns an unreachable server into status 0 after retries', async () => {
    const port = await new Promise<number>(resolve => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const clock = recordingClock()
    const err = await gh({ apiUrl: `http://127.0.0.1:${port}`, retries: 1, clock })
      .listIssueComments(PR)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubApiError)
    expect(err).toMatchObject({ status: 0, attempts: 2 })
    expect(clock.slept).toHaveLength(1)
  })

  it('does not follow a pagination link to another origin (the token stays with the API)', async () => {
    const calls: string[] = []
    const fakeFetch: typeof fetch = async input => {
      calls.push(String(input))
      return new Response('[]', {
        status: 200,
        headers: { link: '<http://127.0.0.2:9/steal?page=2>; rel="next"' }
      })
    }
    const err = await gh({ fetch: fakeFetch })
      .listIssueComments(PR)
      .catch((e: unknown) => e)
    expect(String(err)).toMatch(/pagination link leaves/)
    expect(calls).toHaveLength(1)
  })
})

describe('run context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-event-'))
  const write = (name: string, text: string): string => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }

  it.each([
    ['pull_request event', { pull_request: { number: 12, head: { sha: 'abc' } } }, 12, 'abc'],
    ['issue_comment event on a PR', { issue: { number: 5, pull_request: {} } }, 5, undefined],
    ['push event', { ref: 'refs/heads/main' }, undefined, undefined],
    ['no event', undefined, undefined, undefined]
  ])('%s', (_name, event, pullNumber, headSha) => {
    const client = createGitHub({ repository: 'o/r', event })
    expect(client.pullNumber).toBe(pullNumber)
    expect(client.headSha).toBe(headSha)
  })

  it('reads the event file, and tolerates a broken one', () => {
    const good = write(
      'good.json',
      JSON.stringify({ pull_request: { number: 9, head: { sha: 'h' } } })
    )
    expect(createGitHub({ repository: 'o/r', eventPath: good }).pullNumber).toBe(9)
    const bad = write('bad.json', '{not json')
    expect(createGitHub({ repository: 'o/r', eventPath: bad }).pullNumber).toBeUndefined()
  })

  it('builds the run URL from the server URL, repository and run id', () => {
    const client = createGitHub({
      repository: 'o/r',
      runId: '42',
      serverUrl: 'https://ghe.example/'
    })
    expect(client.runUrl).toBe('https://ghe.example/o/r/actions/runs/42')
  })

  it('reads the Actions environment variables', () => {
    expect(
      gitHubOptionsFromEnv(
        {
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_API_URL: 'http://127.0.0.1:1',
          GITHUB_SHA: 's',
          GITHUB_RUN_ID: '1',
          GITHUB_EVENT_PATH: '/e.json',
          GITHUB_SERVER_URL: 'https://github.com'
        },
        'tok'
      )
    ).toEqual({
      token: 'tok',
      apiUrl: 'http://127.0.0.1:1',
      repository: 'o/r',
      eventPath: '/e.json',
      sha: 's',
      runId: '1',
      serverUrl: 'https://github.com'
    })
    expect(gitHubOptionsFromEnv({})).toBeUndefined()
  })
})

describe('header parsing', () => {
  it.each([
    ['', {}],
    [
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      { next: 'https://api.github.com/x?page=2', last: 'https://api.github.com/x?page=5' }
    ],
    ['<u1>; rel=prev', { prev: 'u1' }]
  ])('Link %j', (header, links) => {
    expect(parseLinkHeader(header)).toEqual(links)
  })

  it.each([
    ['3', 3000],
    ['0', 0],
    ['', undefined],
    ['soon', undefined],
    [new Date(10_000).toUTCString(), 4000]
  ])('retry-after %j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, 6000)).toBe(ms)
  })
})
