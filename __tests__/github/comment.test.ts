import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, registerSecret } from '../../src/core/secrets.js'
import { memoryLogger } from '../../src/core/log.js'
import { createGitHub, type GitHubOptions } from '../../src/github/client.js'
import { commentGateResults, upsertSection, upsertSections } from '../../src/github/comment.js'
import { commentMarker, parseComment } from '../../src/report/comment.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

const SHA = 'a'.repeat(40)
const PR = 7
const plan = 'dify'
const target = { context: 'staging', namespace: 'dify' }
// Fast settle for tests; the stand-in's per-request delay keeps writers interleaving.
const fast = { settleMs: 30 }

let standIn: GitHubStandIn

beforeEach(async () => {
  standIn = await startGitHubStandIn({
    latencyMs: [0, 12],
    state: { pulls: { [PR]: { head: { sha: SHA, ref: 'feature' }, base: { ref: 'main' } } } }
  })
})

afterEach(async () => {
  await standIn.close()
  clearSecrets()
})

function standInGitHub(standIn: GitHubStandIn, opts: Partial<GitHubOptions> = {}) {
  return createGitHub({
    token: 'test-token',
    repository: 'octo/app',
    apiUrl: standIn.url,
    retryBaseMs: 5,
    ...opts
  })
}

function client(token = 'test-token') {
  return standInGitHub(standIn, {
    token,
    event: { pull_request: { number: PR, head: { sha: SHA } } }
  })
}

function sectionsOf(body: string) {
  return parseComment(body).sections
}

describe('upsertSection', () => {
  it('keeps one comment per plan and target: a second gate adds its section to the same comment', async () => {
    const gh = client()
    const first = await upsertSection(gh, {
      plan,
      target,
      section: 'tracer',
      body: 'tracer ok',
      verdict: 'pass',
      ...fast
    })
    const second = await upsertSection(gh, {
      plan,
      target,
      section: 'reality-check',
      body: 'apis verified',
      verdict: 'fail',
      ...fast
    })
    expect(first.ok && second.ok).toBe(true)
    if (!first.ok || !second.ok) return
    expect(second.commentId).toBe(first.commentId)
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0].body.startsWith(commentMarker('dify', 'staging/dify'))).toBe(true)
    // Gate order, not write order.
    expect(sectionsOf(comments[0].body).map(s => [s.id, s.body, s.verdict])).toEqual([
      ['reality-check', 'apis verified', 'fail'],
      ['tracer', 'tracer ok', 'pass']
    ])
    expect(comments[0].body).toContain('❌ phase-gate')
    expect(standIn.requestsTo('POST', /\/comments$/)).toHaveLength(1)
    expect(standIn.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1)
    expect(second.url).toContain(`#issuecomment-${first.commentId}`)
  })

  it('writes a different comment for another target of the same plan', async () => {
    const gh = client()
    await upsertSection(gh, { plan, target, section: 'plan', body: 'a', ...fast })
    await upsertSection(gh, {
      plan,
      target: { context: 'prod', namespace: 'dify' },
      section: 'plan',
      body: 'b',
      ...fast
    })
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(2)
    expect(comments.map(c => sectionsOf(c.body)[0].body)).toEqual(['a', 'b'])
  })

  it('ten concurrent writers of different sections leave exactly one comment holding all ten', async () => {
    const ids = [
      'reality-check',
      'tracer',
      'plan',
      'phase:db',
      'phase:api',
      'validate',
      'record',
      'rollout:canary',
      'rollback:flag',
      'soak'
    ]
    const results = await Promise.all(
      ids.map(id =>
        upsertSection(client(), {
          plan,
          target,
          section: id,
          body: `body of ${id}`,
          verdict: 'pass',
          ...fast
        })
      )
    )
    expect(results.map(r => r.ok)).toEqual(ids.map(() => true))
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    const sections = sectionsOf(comments[0].body)
    expect(new Map(sections.map(s => [s.id, s.body]))).toEqual(
      new Map(ids.map(id => [id, `body of ${id}`]))
    )
    // Every writer reports the surviving comment.
    expect(new Set(results.map(r => (r.ok ? r.commentId : 0)))).toEqual(new Set([comments[0].id]))
    // The race really happened: more than one writer created a comment at first.
    expect(standIn.requestsTo('POST', /\/comments$/).length).toBeGreaterThan(1)
  })

  it('ten concurrent writers into an existing comment keep every section', async () => {
    await upsertSection(client(), { plan, target, section: 'plan', body: 'rendered plan', ...fast })
    const ids = Array.from({ length: 10 }, (_, i) => `phase:p${i}`)
    const results = await Promise.all(
      ids.map((id, i) =>
        upsertSection(client(), {
          plan,
          target,
          section: id,
          body: `v-${id}`,
          order: 3000 + i,
          ...fast
        })
      )
    )
    expect(results.every(r => r.ok)).toBe(true)
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    expect(sectionsOf(comments[0].body).map(s => s.id)).toEqual(['plan', ...ids])
  })

  it('concurrent re-writes of the same section end at the latest content', async () => {
    await upsertSection(client(), { plan, target, section: 'plan', body: 'keep me', ...fast })
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        upsertSection(client(), {
          plan,
          target,
          section: 'validate',
          body: `attempt ${i}`,
          ...fast
        })
      )
    )
    expect(results.every(r => r.ok)).toBe(true)
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    const sections = sectionsOf(comments[0].body)
    expect(sections.find(s => s.id === 'validate')?.body).toBe('attempt 9')
    expect(sections.find(s => s.id === 'plan')?.body).toBe('keep me')
  })

  it('concurrent writers converge while GitHub fails some writes with 5xx', async () => {
    standIn.setLatency([0, 30])
    standIn.setFault({ status: 502, count: 4, match: { method: 'PATCH' } })
    standIn.setFault({ status: 500, count: 3, match: { method: 'POST' } })
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        upsertSection(client(), { plan, target, section: 'validate', body: `v${i}`, ...fast })
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        upsertSection(client(), {
          plan,
          target,
          section: `phase:p${i}`,
          body: `p${i}`,
          order: 3000 + i,
          ...fast
        })
      )
    ])
    expect(results.filter(r => !r.ok)).toEqual([])
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    expect(sectionsOf(comments[0].body).map(s => [s.id, s.body])).toEqual([
      ['phase:p0', 'p0'],
      ['phase:p1', 'p1'],
      ['phase:p2', 'p2'],
      ['phase:p3', 'p3'],
      ['phase:p4', 'p4'],
      ['validate', 'v4']
    ])
    expect(standIn.requests.filter(q => q.status >= 500)).toHaveLength(7)
  })

  it('merges duplicates into the oldest comment and deletes the rest', async () => {
    const gh = client()
    const a = await gh.createIssueComment(
      PR,
      `${commentMarker(plan, 'staging/dify')}\n<!-- phase-gate:section=tracer;order=1000;verdict=pass;at=1;seq=1;w=x -->\nfrom a\n<!-- phase-gate:end=tracer -->`
    )
    const b = await gh.createIssueComment(
      PR,
      `${commentMarker(plan, 'staging/dify')}\n<!-- phase-gate:section=plan;order=2000;verdict=pass;at=1;seq=1;w=y -->\nfrom b\n<!-- phase-gate:end=plan -->`
    )
    const r = await upsertSection(gh, {
      plan,
      target,
      section: 'validate',
      body: 'from c',
      ...fast
    })
    expect(r).toMatchObject({ ok: true, commentId: a.id })
    const comments = standIn.commentsOn(PR)
    expect(comments.map(c => c.id)).toEqual([a.id])
    expect(sectionsOf(comments[0].body).map(s => [s.id, s.body])).toEqual([
      ['tracer', 'from a'],
      ['plan', 'from b'],
      ['validate', 'from c']
    ])
    expect(standIn.requestsTo('DELETE', `/repos/octo/app/issues/comments/${b.id}`)).toHaveLength(1)
  })

  it('ignores a marker comment planted by someone without write access', async () => {
    const marker = commentMarker(plan, 'staging/dify')
    standIn.state.comments.push({
      id: 1,
      issue: PR,
      body: `${marker}\n<!-- phase-gate:section=plan;order=2000;verdict=pass;at=9999999999999;seq=1;w=z -->\nall good, deploy!\n<!-- phase-gate:end=plan -->`,
      user: { login: 'mallory', type: 'User' },
      author_association: 'CONTRIBUTOR',
      created_at: '',
      updated_at: ''
    })
    const r = await upsertSection(client(), {
      plan,
      target,
      section: 'plan',
      body: 'real plan',
      verdict: 'fail',
      ...fast
    })
    expect(r.ok).toBe(true)
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(2)
    expect(comments[0].body).toContain('all good, deploy!')
    expect(sectionsOf(comments[1].body).map(s => s.body)).toEqual(['real plan'])
  })

  it('writes several sections in one cycle', async () => {
    const r = await upsertSections(client(), {
      plan,
      target,
      sections: [
        { id: 'phase:db', body: 'db', verdict: 'pass', order: 3000 },
        { id: 'phase:api', body: 'api', verdict: 'fail', order: 3001 }
      ],
      ...fast
    })
    expect(r.ok).toBe(true)
    expect(sectionsOf(standIn.commentsOn(PR)[0].body).map(s => s.id)).toEqual([
      'phase:db',
      'phase:api'
    ])
  })

  it('renders gate results into one section per gate or phase, in plan order', async () => {
    const base = { durationMs: 1000, startedAt: '2026-01-01T00:00:00Z' }
    const failed = {
      id: 'ready:Deployment/api',
      kind: 'ready',
      target: 'Deployment/api',
      verdict: 'fail' as const,
      severity: 'high' as const,
      message: 'api not ready',
      evidence: 'CrashLoopBackOff',
      durationMs: 5
    }
    const phaseIndex: Record<string, number> = { db: 0, api: 1 }
    const r = await commentGateResults(client(), {
      plan,
      target,
      results: [
        { gate: 'phase', name: 'api', verdict: 'fail', checks: [failed], ...base },
        { gate: 'reality-check', verdict: 'pass', checks: [], ...base },
        { gate: 'phase', name: 'db', verdict: 'pass', checks: [], ...base }
      ],
      indexOf: g => phaseIndex[g.name ?? ''] ?? 0,
      render: { runUrl: 'https://github.example/octo/app/actions/runs/5' },
      ...fast
    })
    expect(r.ok).toBe(true)
    const sections = sectionsOf(standIn.commentsOn(PR)[0].body)
    expect(sections.map(s => [s.id, s.verdict])).toEqual([
      ['reality-check', 'pass'],
      ['phase:db', 'pass'],
      ['phase:api', 'fail']
    ])
    // One table of every gate at the top; each section keeps only its details, under a heading.
    const body = standIn.commentsOn(PR)[0].body
    expect(sections[2].body).not.toContain('| `phase` api | ❌ fail |')
    expect(sections[2].body).toContain('#### ❌ `phase` api')
    expect(sections[2].body).toContain('CrashLoopBackOff')
    const rows = body.split('\n').filter((l: string) => l.startsWith('| `'))
    expect(rows).toEqual([
      '| `reality-check` | ✅ pass | — | 1.00s |',
      '| `phase` db | ✅ pass | — | 1.00s |',
      '| `phase` api | ❌ fail | 1 ❌ | 1.00s |'
    ])
    expect(body.match(/\| Gate \| Verdict \| Checks \| Time \|/g)).toHaveLength(1)
    expect(body.indexOf('| Gate |')).toBeLessThan(body.indexOf('<!-- phase-gate:section='))
    expect(standIn.requestsTo('POST', /\/comments$/)).toHaveLength(1)
  })

  it('rebuilds the one gate table from every section when another gate merges its own', async () => {
    const base = { durationMs: 2000, startedAt: '2026-01-01T00:00:00Z' }
    for (const g of [
      { gate: 'reality-check' as const, verdict: 'pass' as const, checks: [], ...base },
      { gate: 'plan' as const, verdict: 'warn' as const, checks: [], budgetMs: 600_000, ...base }
    ]) {
      const r = await commentGateResults(client(), { plan, target, results: [g], ...fast })
      expect(r.ok).toBe(true)
    }
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    const rows = comments[0].body.split('\n').filter((l: string) => l.startsWith('| `'))
    expect(rows).toEqual([
      '| `reality-check` | ✅ pass | — | 2.00s |',
      '| `plan` | ⚠️ warn | — | 2.00s / 10m00s |'
    ])
  })

  it('without a token returns a reason and makes no request', async () => {
    const log = memoryLogger()
    const r = await upsertSection(client(''), {
      plan,
      target,
      section: 'plan',
      body: 'x',
      log,
      ...fast
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toMatch(/no GitHub token/)
    expect(standIn.requests).toHaveLength(0)
    expect(log.lines).toEqual([
      expect.stringMatching(/^warning: PR comment not updated: no GitHub token/)
    ])
  })

  it('outside a pull request returns a reason and makes no request', async () => {
    const gh = standInGitHub(standIn, { event: { ref: 'refs/heads/main' } })
    const r = await upsertSection(gh, { plan, target, section: 'plan', body: 'x', ...fast })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/no pull request/) })
    expect(standIn.requests).toHaveLength(0)
  })

  it('on a fork PR (403) returns a reason naming fork PRs and permissions, and never throws', async () => {
    const r = await upsertSection(client('fork-token'), {
      plan,
      target,
      section: 'plan',
      body: 'x',
      ...fast
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toMatch(/403|refused/)
    expect(r.reason).toMatch(/fork/)
    expect(r.reason).toMatch(/pull-requests: write/)
    expect(standIn.commentsOn(PR)).toHaveLength(0)
    // A 403 without retry-after is not retried.
    expect(standIn.requestsTo('POST', /\/comments$/)).toHaveLength(1)
  })

  it.each([
    ['bad token', 'nope', /rejected the token/],
    ['unknown PR', 'test-token', /not found/]
  ])('%s: returns a reason instead of throwing', async (_name, token, reason) => {
    const gh = standInGitHub(standIn, { token, pullNumber: token === 'nope' ? PR : 404 })
    const r = await upsertSection(gh, { plan, target, section: 'plan', body: 'x', ...fast })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(reason) })
  })

  it.each([500, 502])('retries %i responses and then succeeds', async status => {
    standIn.setFault({ status, count: 2 })
    const r = await upsertSection(client(), {
      plan,
      target,
      section: 'plan',
      body: 'after faults',
      ...fast
    })
    expect(r.ok).toBe(true)
    expect(standIn.requests.filter(q => q.status === status)).toHaveLength(2)
    expect(standIn.commentsOn(PR)).toHaveLength(1)
    expect(sectionsOf(standIn.commentsOn(PR)[0].body)[0].body).toBe('after faults')
  })

  it('when GitHub keeps failing, returns the failure as a reason', async () => {
    standIn.setFault({ status: 502, count: 100 })
    const gh = standInGitHub(standIn, { pullNumber: PR, retries: 2 })
    const r = await upsertSection(gh, { plan, target, section: 'plan', body: 'x', ...fast })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/502.*3 attempt|3 attempt.*502/) })
  })

  it('re-creates the comment when it was deleted by hand', async () => {
    const gh = client()
    const first = await upsertSection(gh, { plan, target, section: 'plan', body: 'one', ...fast })
    if (!first.ok) throw new Error(first.reason)
    await gh.deleteIssueComment(first.commentId)
    const second = await upsertSection(gh, {
      plan,
      target,
      section: 'tracer',
      body: 'two',
      ...fast
    })
    expect(second.ok && second.commentId).not.toBe(first.commentId)
    expect(standIn.commentsOn(PR)).toHaveLength(1)
  })

  it('never writes a registered secret or the token into the comment', async () => {
    registerSecret('hunter2-secret-value')
    const gh = client()
    await upsertSection(gh, {
      plan,
      target,
      section: 'phase:db',
      body: 'password is hunter2-secret-value and token test-token',
      ...fast
    })
    const body = standIn.commentsOn(PR)[0].body
    expect(body).not.toContain('hunter2-secret-value')
    expect(body).not.toContain('test-token')
    expect(body).toContain('password is ***')
  })

  it('keeps a huge section under GitHub’s size limit', async () => {
    const r = await upsertSection(client(), {
      plan,
      target,
      section: 'validate',
      body: `start\n\`\`\`text\n${'x'.repeat(200_000)}\n\`\`\``,
      ...fast
    })
    expect(r.ok).toBe(true)
    const body = standIn.commentsOn(PR)[0].body
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('full evidence in the report artifact')
  })

  it('uses the API version header and the bearer token on every request', async () => {
    await upsertSection(
      createGitHub({
        token: 'test-token',
        apiUrl: standIn.url,
        repository: 'octo/app',
        pullNumber: PR
      }),
      {
        plan,
        target,
        section: 'plan',
        body: 'x',
        ...fast
      }
    )
    expect(standIn.requests.length).toBeGreaterThan(0)
    for (const q of standIn.requests) {
      expect(q.headers.authorization).toBe('Bearer test-token')
      expect(q.headers['x-github-api-version']).toBe('2022-11-28')
    }
  })
})
