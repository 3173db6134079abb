import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, registerSecret } from '../../src/core/secrets.js'
import type { CheckResult, GateResult, Verdict } from '../../src/report/model.js'
import {
  GITHUB_COMMENT_LIMIT,
  blobUrl,
  commentMarker,
  compareStamps,
  foldEvidence,
  parseComment,
  renderComment,
  renderCommentSection,
  sectionIdFor,
  sectionOrder,
  truncateMarkdown,
  type CommentSection
} from '../../src/report/comment.js'

afterEach(() => clearSecrets())

function check(id: string, verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    kind: id.split(':')[0],
    target: id.split(':').slice(1).join(':'),
    verdict,
    severity: verdict === 'fail' ? 'high' : 'info',
    message: `${id} is ${verdict}`,
    durationMs: 10,
    ...extra
  }
}

function gate(
  gateName: GateResult['gate'],
  verdict: Verdict,
  checks: CheckResult[],
  extra: Partial<GateResult> = {}
): GateResult {
  return {
    gate: gateName,
    verdict,
    durationMs: 4200,
    startedAt: '2026-01-01T00:00:00Z',
    checks,
    ...extra
  }
}

function section(
  id: string,
  body: string,
  verdict?: Verdict,
  order = sectionOrder(id)
): CommentSection {
  return { id, order, verdict, body, stamp: { at: 1, seq: 1, writer: 'w' } }
}

/** Every code fence and <details> in the text is closed. */
function balanced(md: string): boolean {
  const fences = md.split('\n').filter(l => /^`{3,}/.test(l)).length
  const open = (md.match(/<details>/g) ?? []).length
  const close = (md.match(/<\/details>/g) ?? []).length
  return fences % 2 === 0 && open === close
}

describe('renderCommentSection', () => {
  const failing = check('image:web:1', 'fail', {
    message: 'manifest unknown for web:1',
    evidence: 'GET /v2/web/manifests/1 → 404',
    adjustment: 'push web:1 or fix the tag',
    location: { file: 'deploy/phase-gate.yaml', line: 12, column: 7, path: 'assumptions.images[0]' }
  })
  const results = [
    gate(
      'reality-check',
      'fail',
      [check('api:apps/v1/Deployment', 'pass'), failing, check('quota:ns', 'warn')],
      {
        budgetMs: 600_000,
        notes: ['removed 2 tracer objects']
      }
    ),
    gate(
      'phase',
      'error',
      [check('ready:Deployment/api', 'error', { message: 'apiserver unreachable' })],
      {
        name: 'database',
        durationMs: 960_000,
        budgetMs: 900_000
      }
    )
  ]
  const md = renderCommentSection(results, {
    planFile: 'deploy/phase-gate.yaml',
    planUrl: 'https://github.example/o/r/blob/abc/deploy/phase-gate.yaml',
    runUrl: 'https://github.example/o/r/actions/runs/1'
  })

  it('has a row per gate with verdict, check counts and time against budget', () => {
    expect(md).toContain('| `reality-check` | ❌ fail | 1 ❌ · 1 ⚠️ · 1 ✅ | 4.20s / 10m00s |')
    expect(md).toContain('| `phase` database | 💥 error | 1 💥 | 16m00s / 15m00s ⏰ over budget |')
  })

  it('has a <details> per failed or errored check, none for passing or warning ones', () => {
    const summaries = [...md.matchAll(/<details><summary>(.*?)<\/summary>/g)].map(m => m[1])
    expect(summaries).toEqual([
      '❌ <code>image:web:1</code> — manifest unknown for web:1',
      '💥 <code>ready:Deployment/api</code> — apiserver unreachable',
      '⚠️ 1 warning'
    ])
    expect(md).toContain('```text\nGET /v2/web/manifests/1 → 404\n```')
    expect(md).toContain('**What to do:** push web:1 or fix the tag')
    expect(md).toContain(
      '**Declared at:** [deploy/phase-gate.yaml:12 (assumptions.images[0])](https://github.example/o/r/blob/abc/deploy/phase-gate.yaml#L12)'
    )
    expect(md).toContain('[workflow run](https://github.example/o/r/actions/runs/1)')
    expect(md).toContain('- reality-check: removed 2 tracer objects')
    expect(md).toContain('- `quota:ns`: quota:ns is warn')
    expect(balanced(md)).toBe(true)
  })

  it('shows the plan line without a link when no URL is known', () => {
    const text = renderCommentSection([gate('reality-check', 'fail', [failing])], {
      planFile: 'phase-gate.yaml'
    })
    expect(text).toContain('**Declared at:** `phase-gate.yaml:12 (assumptions.images[0])`')
    expect(text).not.toContain('#L12')
  })

  it('uses a longer fence when the evidence holds one', () => {
    const text = renderCommentSection([
      gate('tracer', 'fail', [check('tracer:x', 'fail', { evidence: 'log:\n```\ninner\n```' })])
    ])
    expect(text).toContain('````text\nlog:\n```\ninner\n```\n````')
  })

  it('escapes HTML, mentions and forged markers from cluster text', () => {
    const text = renderCommentSection([
      gate('tracer', 'fail', [
        check('tracer:x', 'fail', {
          message: 'bad <img src=x> @org/team <!-- phase-gate:section=plan;order=1 -->'
        })
      ])
    ])
    expect(text).not.toContain('<img')
    expect(text).not.toMatch(/(^|\s)@org/)
    const doc = renderComment({ plan: 'p', target: 'c/n' }, [section('tracer', text, 'fail')])
    expect(parseComment(doc).sections.map(s => s.id)).toEqual(['tracer'])
  })

  it('folds long evidence and says where the full evidence is', () => {
    const evidence = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n')
    const text = renderCommentSection(
      [gate('phase', 'fail', [check('ready:x', 'fail', { evidence })])],
      {
        maxEvidenceChars: 600
      }
    )
    expect(text).toContain('full evidence in the report artifact')
    expect(text).toContain('line 0')
    expect(text).toContain('line 1999')
    expect(text.length).toBeLessThan(1500)
  })

  it('stays under maxChars with many failed checks, listing fewer and saying so', () => {
    const checks = Array.from({ length: 200 }, (_, i) =>
      check(`ready:obj-${i}`, 'fail', { evidence: 'e'.repeat(2000) })
    )
    const text = renderCommentSection([gate('validate', 'fail', checks)], { maxChars: 10_000 })
    expect(text.length).toBeLessThanOrEqual(10_000)
    expect(text).toMatch(/and \d+ more failed checks: full evidence in the report artifact/)
    expect(balanced(text)).toBe(true)
  })

  it('redacts registered secrets', () => {
    registerSecret('pa55word-xyz')
    const text = renderCommentSection([
      gate('phase', 'fail', [
        check('command:psql', 'fail', { evidence: 'PGPASSWORD=pa55word-xyz' })
      ])
    ])
    expect(text).toContain('PGPASSWORD=***')
    expect(text).not.toContain('pa55word-xyz')
  })
})

describe('renderComment', () => {
  it('orders sections by the plan’s gate order whatever order they come in', () => {
    const ids: [string, number][] = [
      ['soak', 0],
      ['phase:b', 1],
      ['rollout:canary', 0],
      ['reality-check', 0],
      ['phase:a', 0],
      ['rollback:flag', 0],
      ['plan', 0],
      ['tracer', 0],
      ['record', 0],
      ['validate', 0]
    ]
    const doc = renderComment(
      { plan: 'dify', target: 'staging/dify' },
      ids.map(([id, i]) => section(id, `body ${id}`, 'pass', sectionOrder(id, i)))
    )
    expect(parseComment(doc).sections.map(s => s.id)).toEqual([
      'reality-check',
      'tracer',
      'plan',
      'phase:a',
      'phase:b',
      'validate',
      'record',
      'rollout:canary',
      'rollback:flag',
      'soak'
    ])
  })

  it.each<[Verdict[], string]>([
    [['pass', 'pass'], '## ✅ phase-gate'],
    [['pass', 'warn'], '## ⚠️ phase-gate'],
    [['pass', 'fail', 'error'], '## ❌ phase-gate'],
    [['skip', 'skip'], '## ⏭️ phase-gate']
  ])('header shows the overall verdict of %j', (verdicts, heading) => {
    const doc = renderComment(
      { plan: 'p', target: 'c/n' },
      verdicts.map((v, i) => section(`phase:p${i}`, 'x', v))
    )
    expect(doc.split('\n')[0]).toBe(commentMarker('p', 'c/n'))
    expect(doc.split('\n')[1].startsWith(heading)).toBe(true)
  })

  it('round-trips through parseComment', () => {
    const sections: CommentSection[] = [
      {
        id: 'phase:db api',
        order: 3001,
        verdict: 'fail',
        body: 'line 1\n\nline 3',
        stamp: { at: 17, seq: 4, writer: 'ab' }
      },
      { id: 'plan', order: 2000, body: '', stamp: { at: 1, seq: 2, writer: 'cd' } }
    ]
    const parsed = parseComment(renderComment({ plan: 'dify', target: '/dify' }, sections))
    expect(parsed.key).toEqual({ plan: 'dify', target: '/dify' })
    expect(parsed.sections).toEqual([sections[1], sections[0]])
  })

  it('encodes names so they cannot end the marker', () => {
    const marker = commentMarker('a;b-->c', 'ctx/ns')
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
    const parsed = parseComment(
      renderComment({ plan: 'a;b-->c', target: 'ctx/ns' }, [section('plan', 'x')])
    )
    expect(parsed.key).toEqual({ plan: 'a;b-->c', target: 'ctx/ns' })
  })

  it('stays under GitHub’s limit with many big sections, keeping every section and balanced Markdown', () => {
    const big = (id: string): CommentSection =>
      section(
        id,
        `<details><summary>x</summary>\n\n\`\`\`text\n${'y\n'.repeat(15_000)}\`\`\`\n\n</details>`,
        'fail'
      )
    const small = section('plan', 'short plan', 'pass')
    const ids = Array.from({ length: 12 }, (_, i) => `phase:p${i}`)
    const doc = renderComment({ plan: 'p', target: 'c/n' }, [small, ...ids.map(big)])
    expect(doc.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    const parsed = parseComment(doc)
    expect(parsed.sections.map(s => s.id)).toEqual(['plan', ...ids])
    expect(parsed.sections[0].body).toBe('short plan')
    for (const s of parsed.sections.slice(1)) {
      expect(s.body).toContain('full evidence in the report artifact')
      expect(balanced(s.body)).toBe(true)
    }
  })
})

describe('helpers', () => {
  it.each<[Pick<GateResult, 'gate' | 'name'>, string]>([
    [{ gate: 'reality-check' }, 'reality-check'],
    [{ gate: 'phase', name: 'db' }, 'phase:db'],
    [{ gate: 'rollout', name: 'canary' }, 'rollout:canary']
  ])('sectionIdFor(%j) = %s', (r, id) => {
    expect(sectionIdFor(r)).toBe(id)
  })

  it.each([
    ['reality-check', 0, 0],
    ['tracer', 0, 1000],
    ['phase:x', 3, 3003],
    ['soak', 0, 8000],
    ['drift', 0, 9000],
    ['custom', 0, 10000]
  ])('sectionOrder(%s, %i) = %i', (id, index, order) => {
    expect(sectionOrder(id, index)).toBe(order)
  })

  it.each([
    [{ at: 1, seq: 1, writer: 'a' }, { at: 2, seq: 0, writer: 'a' }, -1],
    [{ at: 2, seq: 1, writer: 'a' }, { at: 2, seq: 2, writer: 'a' }, -1],
    [{ at: 2, seq: 2, writer: 'b' }, { at: 2, seq: 2, writer: 'a' }, 1],
    [{ at: 2, seq: 2, writer: 'a' }, { at: 2, seq: 2, writer: 'a' }, 0]
  ])('compareStamps(%j, %j) = %i', (a, b, r) => {
    expect(compareStamps(a, b)).toBe(r)
  })

  it('folds evidence in the middle, keeping head and tail', () => {
    const text = 'H'.repeat(100) + 'M'.repeat(1000) + 'T'.repeat(200)
    const folded = foldEvidence(text, 300)
    expect(folded.startsWith('H'.repeat(100))).toBe(true)
    expect(folded.endsWith('T'.repeat(200))).toBe(true)
    expect(folded).toContain('1000 characters folded: full evidence in the report artifact')
    expect(foldEvidence('short', 300)).toBe('short')
  })

  it('truncates Markdown closing an open fence and details', () => {
    const md = `<details><summary>s</summary>\n\n\`\`\`text\n${'z\n'.repeat(500)}\`\`\`\n</details>`
    const cut = truncateMarkdown(md, 300)
    expect(cut.length).toBeLessThanOrEqual(300)
    expect(balanced(cut)).toBe(true)
    expect(cut).toContain('full evidence in the report artifact')
  })

  it('links to a file at a commit', () => {
    expect(
      blobUrl('https://github.com/', { owner: 'o', repo: 'r' }, 'abc', './deploy/plan file.yaml')
    ).toBe('https://github.com/o/r/blob/abc/deploy/plan%20file.yaml')
  })
})

describe('one verdict-icon table', () => {
  it('the PR comment shows the same icons as the job summary', async () => {
    const { verdictBadge } = await import('../../src/report/comment.js')
    const { VERDICT_ICON } = await import('../../src/report/markdown.js')
    expect(verdictBadge('cancelled')).toBe('🛑 cancelled')
    expect(verdictBadge('error')).toBe('💥 error')
    for (const [v, icon] of Object.entries(VERDICT_ICON))
      expect(verdictBadge(v as keyof typeof VERDICT_ICON)).toBe(`${icon} ${v}`)
  })
})
