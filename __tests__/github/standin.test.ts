// The stand-in is our own stand-in for GitHub: these tests pin the behaviour
// other tests (and e2e runs) rely on: auth, pagination, faults, concurrency,
// and the standalone mode.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

let standIn: GitHubStandIn | undefined
afterEach(async () => {
  await standIn?.close()
  standIn = undefined
})

async function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers }
}

describe('GitHub stand-in', () => {
  it('listens on 127.0.0.1 only', async () => {
    standIn = await startGitHubStandIn()
    expect(new URL(standIn.url).hostname).toBe('127.0.0.1')
  })

  it.each([
    ['no token', undefined, 'GET', 401, 'Requires authentication'],
    ['unknown token', 'nope', 'GET', 401, 'Bad credentials'],
    ['read-only token reading', 'fork-token', 'GET', 200, undefined],
    [
      'read-only token writing (fork PR)',
      'fork-token',
      'POST',
      403,
      'Resource not accessible by integration'
    ],
    ['write token writing', 'test-token', 'POST', 201, undefined]
  ])('%s (token %s, %s) → %i', async (_name, token, method, status, message) => {
    standIn = await startGitHubStandIn({
      state: { pulls: { '1': { head: { sha: 's', ref: 'f' }, base: { ref: 'main' } } } }
    })
    const r = await call(
      standIn.url,
      method,
      '/repos/octo/app/issues/1/comments',
      token,
      method === 'POST' ? { body: 'hi' } : undefined
    )
    expect(r.status).toBe(status)
    if (message) expect(r.json).toMatchObject({ message })
    expect(standIn.requests[0]).toMatchObject({
      method,
      path: '/repos/octo/app/issues/1/comments',
      token,
      status
    })
  })

  it('gives comments ids, authors and a Link header per page', async () => {
    standIn = await startGitHubStandIn({ state: { issues: [2] } })
    for (let i = 0; i < 5; i++)
      await call(standIn.url, 'POST', '/repos/octo/app/issues/2/comments', 'test-token', {
        body: `c${i}`
      })
    const p1 = await call(
      standIn.url,
      'GET',
      '/repos/octo/app/issues/2/comments?per_page=2',
      'test-token'
    )
    expect((p1.json as { body: string }[]).map(c => c.body)).toEqual(['c0', 'c1'])
    expect(p1.json).toEqual([
      expect.objectContaining({
        user: { login: 'github-actions[bot]', type: 'Bot' },
        id: expect.any(Number)
      }),
      expect.anything()
    ])
    expect(p1.headers.get('link')).toBe(
      `<${standIn.url}/repos/octo/app/issues/2/comments?per_page=2&page=2>; rel="next", <${standIn.url}/repos/octo/app/issues/2/comments?per_page=2&page=3>; rel="last"`
    )
    const p3 = await call(
      standIn.url,
      'GET',
      '/repos/octo/app/issues/2/comments?per_page=2&page=3',
      'test-token'
    )
    expect((p3.json as { body: string }[]).map(c => c.body)).toEqual(['c4'])
    expect(p3.headers.get('link')).not.toContain('rel="next"')
  })

  it('rejects comment bodies over 65536 characters like GitHub', async () => {
    standIn = await startGitHubStandIn({ state: { issues: [2] } })
    const r = await call(standIn.url, 'POST', '/repos/octo/app/issues/2/comments', 'test-token', {
      body: 'x'.repeat(65_537)
    })
    expect(r.status).toBe(422)
  })

  it('fails the next N matching requests, then recovers', async () => {
    standIn = await startGitHubStandIn({ state: { issues: [2] } })
    standIn.setFault({ status: 502, count: 2, match: { method: 'GET' } })
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call(standIn.url, 'GET', '/repos/octo/app/issues/2/comments', 'test-token')).status
      )
    expect(statuses).toEqual([502, 502, 200])
  })

  it('serves requests concurrently (no implicit serialisation)', async () => {
    standIn = await startGitHubStandIn({ latencyMs: 200, state: { issues: [2] } })
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 10 }, () =>
        call(standIn!.url, 'GET', '/repos/octo/app/issues/2/comments', 'test-token')
      )
    )
    // Serialised, ten requests of 200 ms would take 2 s.
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('answers 404 for another repository', async () => {
    standIn = await startGitHubStandIn({ state: { issues: [2] } })
    const r = await call(standIn.url, 'GET', '/repos/other/repo/issues/2/comments', 'test-token')
    expect(r.status).toBe(404)
  })

  it('answers a combined status with the latest state per context', async () => {
    standIn = await startGitHubStandIn({
      state: {
        statuses: {
          abc: [
            { context: 'a', state: 'failure' },
            { context: 'a', state: 'success' },
            { context: 'b', state: 'pending' }
          ]
        }
      }
    })
    const r = await call(standIn.url, 'GET', '/repos/octo/app/commits/abc/status', 'test-token')
    expect(r.json).toMatchObject({
      state: 'pending',
      total_count: 2,
      statuses: [{ context: 'a', state: 'success' }, { context: 'b' }]
    })
  })

  it('runs standalone: state file in, URL out, control endpoints, state saved on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-'))
    const stateFile = join(dir, 'state.json')
    const saveFile = join(dir, 'saved.json')
    writeFileSync(
      stateFile,
      JSON.stringify({
        environments: { prod: { protection_rules: [{ type: 'wait_timer', wait_timer: 1 }] } }
      })
    )
    const child = spawn(
      process.execPath,
      ['__tests__/support/github-standin.mjs', '--state', stateFile, '--save', saveFile],
      {
        stdio: ['ignore', 'pipe', 'inherit']
      }
    )
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', code => reject(new Error(`exited ${code}`)))
      })
      const { url } = JSON.parse(line) as { url: string }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const env = await call(url, 'GET', '/repos/octo/app/environments/prod', 'test-token')
      expect(env.json).toMatchObject({
        name: 'prod',
        protection_rules: [{ type: 'wait_timer', wait_timer: 1 }]
      })
      const fault = await call(url, 'POST', '/_standin/fault', undefined, { status: 500, count: 1 })
      expect(fault.status).toBe(200)
      expect(
        (await call(url, 'GET', '/repos/octo/app/environments/prod', 'test-token')).status
      ).toBe(500)
      const requests = await call(url, 'GET', '/_standin/requests')
      expect((requests.json as { status: number }[]).map(r => r.status)).toEqual([200, 500])
    } finally {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    const saved = JSON.parse(readFileSync(saveFile, 'utf8')) as {
      state: { environments: object }
      requests: unknown[]
    }
    expect(Object.keys(saved.state.environments)).toEqual(['prod'])
    expect(saved.requests).toHaveLength(2)
  })
})
