/**
 * The sticky PR comment as a document: one comment per plan and target,
 * found by a hidden marker, holding one section per gate between hidden
 * start/end markers. This module renders and parses that document; the
 * read-merge-write protocol that keeps it whole under concurrency lives in
 * src/github/comment.ts.
 */

import { formatDuration } from '../core/duration.js'
import { redact } from '../core/secrets.js'
import {
  GATE_NAMES,
  combineVerdicts,
  countVerdicts,
  type CheckResult,
  type GateResult,
  type Verdict
} from './model.js'
import { VERDICT_ICON, escapeHtml, escapeText, textCell } from './markdown.js'
import { renderJudgeTable } from './judge.js'

/** GitHub rejects comment bodies over 65536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536
// JS counts UTF-16 units, GitHub characters, so staying under the limit in JS
// units is safe; the margin covers the header and markers added after sizing.
const DEFAULT_COMMENT_MAX = 65_000
const DEFAULT_SECTION_MAX = 30_000
const DEFAULT_EVIDENCE_MAX = 3_000
const FOLD_NOTE = 'full evidence in the report artifact'

/** The emoji and label a verdict shows with. */
export function verdictBadge(v: Verdict): string {
  return `${VERDICT_ICON[v]} ${v}`
}

/** Which plan and target a comment belongs to. */
export interface CommentKey {
  plan: string
  /** `<context>/<namespace>` (context may be empty). */
  target: string
}

/** When and by whom a section was written: the newest write of a section wins a merge. */
export interface SectionStamp {
  /** Writer's clock (ms since epoch) when the write began. */
  at: number
  /** Per-process counter that orders writes begun in the same millisecond. */
  seq: number
  /** Random id of this one write; lets a writer find its own write again. */
  writer: string
}

/** One gate's part of the comment. */
export interface CommentSection {
  /** Gate name, or `<gate>:<name>` (`phase:db`, `rollout:canary`). */
  id: string
  order: number
  verdict?: Verdict
  body: string
  stamp: SectionStamp
  /** This section's rows of the comment's one gate table (verdict, checks, time against budget). */
  rows?: string[]
}

/** A parsed comment: its key (when it has the marker) and sections in document order. */
export interface ParsedComment {
  key?: CommentKey
  sections: CommentSection[]
}

/** `<context>/<namespace>` for the comment key. */
export function targetKey(target: { context?: string; namespace: string } | string): string {
  return typeof target === 'string' ? target : `${target.context ?? ''}/${target.namespace}`
}

// Marker fields are percent-encoded so no user-chosen name can end the HTML
// comment (`-->`) or forge a field separator.
function encodeField(s: string, keepSlash = false): string {
  const unsafe = keepSlash ? /[^A-Za-z0-9._:@+/-]/gu : /[^A-Za-z0-9._:@+-]/gu
  return s.replace(unsafe, c => encodeURIComponent(c))
}

function decodeField(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The hidden first line that identifies the comment of a plan and target. */
export function commentMarker(plan: string, target: string): string {
  const slash = target.indexOf('/')
  const context = slash < 0 ? '' : target.slice(0, slash)
  const namespace = slash < 0 ? target : target.slice(slash + 1)
  return `<!-- phase-gate:plan=${encodeField(plan)};target=${encodeField(context)}/${encodeField(namespace)} -->`
}

const KEY_RE = /^<!-- phase-gate:plan=([^;\s]*);target=([^/\s]*)\/(\S*) -->/
const START_RE = /<!-- phase-gate:section=([^;\s]+)((?:;[a-z]+=[^;\s]*)*) -->/g
const PREFIX = '<!-- phase-gate:'

/** Section id for a gate result: the gate, plus the phase/stage/level it ran for. */
export function sectionIdFor(result: Pick<GateResult, 'gate' | 'name'>): string {
  return result.name ? `${result.gate}:${result.name}` : result.gate
}

/**
 * Sort key of a section: the plan's gate order (reality-check, tracer, plan,
 * phase:*, validate, record, rollout:*, rollback:*, soak), then `index` (the
 * phase's or stage's position in the plan) within a gate.
 */
export function sectionOrder(id: string, index = 0): number {
  const gate = id.split(':')[0]
  const rank = (GATE_NAMES as readonly string[]).indexOf(gate)
  return (rank < 0 ? GATE_NAMES.length : rank) * 1000 + Math.max(0, Math.min(999, index))
}

/** Web link to a file at a commit, for `#Lnn` anchors. */
export function blobUrl(
  serverUrl: string,
  repo: { owner: string; repo: string },
  sha: string,
  path: string
): string {
  const clean = path
    .replace(/^\.?\//, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/')
  return `${serverUrl.replace(/\/+$/, '')}/${repo.owner}/${repo.repo}/blob/${sha}/${clean}`
}

export interface SectionRenderOptions {
  /** The plan file as shown to people (relative path). */
  planFile?: string
  /** Web URL of the plan file at this commit; `#Lnn` is appended for a check's line. */
  planUrl?: string
  runUrl?: string
  /** Bound on the section's length (default 30000). */
  maxChars?: number
  /** Evidence longer than this is folded (default 3000). */
  maxEvidenceChars?: number
  /**
   * The section's own gate table (default true). The sticky comment leaves it out: its one
   * table of every gate is rebuilt from the sections' rows (`renderCommentRows`) on each merge.
   */
  table?: boolean
}

function codeSpan(s: string): string {
  const runs = s.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map(r => r.length)) + 1)
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`
}

function codeBlock(text: string): string {
  const runs = text.match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(3, ...runs.map(r => r.length + 1)))
  return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}`
}

/** The evidence, folded in the middle when longer than `max` (the end of a log matters most). */
export function foldEvidence(evidence: string, max: number): string {
  if (evidence.length <= max) return evidence
  if (max <= 0) return `… ${evidence.length} characters folded: ${FOLD_NOTE} …`
  const head = Math.floor(max / 3)
  const tail = max - head
  const start = evidence.slice(0, head)
  const end = evidence.slice(evidence.length - tail)
  const folded = evidence.length - head - tail
  return `${start}\n… ${folded} characters folded: ${FOLD_NOTE} …\n${end}`
}

function gateLabel(r: GateResult): string {
  return r.name ? `${codeSpan(r.gate)} ${textCell(r.name, ' ')}` : codeSpan(r.gate)
}

function checkCounts(checks: CheckResult[]): string {
  if (checks.length === 0) return '—'
  const counts = countVerdicts(checks)
  const order: Verdict[] = ['fail', 'error', 'cancelled', 'inconclusive', 'warn', 'pass', 'skip']
  return order
    .filter(v => counts[v] > 0)
    .map(v => `${counts[v]} ${VERDICT_ICON[v]}`)
    .join(' · ')
}

function timeCell(r: GateResult): string {
  const used = formatDuration(r.durationMs)
  if (r.budgetMs === undefined) return used
  const over = r.durationMs > r.budgetMs ? ' ⏰ over budget' : ''
  return `${used} / ${formatDuration(r.budgetMs)}${over}`
}

function locationLink(c: CheckResult, opts: SectionRenderOptions): string | undefined {
  const loc = c.location
  if (!loc) return undefined
  const file = opts.planFile ?? loc.file
  const label = `${file}:${loc.line}${loc.path ? ` (${loc.path})` : ''}`
  return opts.planUrl ? `[${escapeText(label)}](${opts.planUrl}#L${loc.line})` : codeSpan(label)
}

function checkDetails(c: CheckResult, opts: SectionRenderOptions, evidenceMax: number): string {
  const summary = `${VERDICT_ICON[c.verdict]} <code>${escapeHtml(c.id)}</code> — ${escapeText(firstLine(c.message))}`
  const parts = [`<details><summary>${summary}</summary>`, '']
  parts.push(escapeText(c.message), '')
  if (c.evidence)
    parts.push('**Evidence**', '', codeBlock(foldEvidence(c.evidence, evidenceMax)), '')
  if (c.adjustment) parts.push(`**What to do:** ${escapeText(c.adjustment)}`, '')
  const where = locationLink(c, opts)
  if (where) parts.push(`**Declared at:** ${where}`, '')
  parts.push('</details>')
  return parts.join('\n')
}

function firstLine(s: string): string {
  const line = s.split('\n')[0]
  return line.length > 160 ? `${line.slice(0, 157)}…` : line
}

/**
 * One gate's section: a row per gate result (verdict, checks, time against
 * budget) and a collapsible `<details>` per failed or errored check with its
 * message, evidence, adjustment and plan line. Bounded by `maxChars`.
 */
export function renderCommentSection(
  results: GateResult[],
  opts: SectionRenderOptions = {}
): string {
  const max = opts.maxChars ?? DEFAULT_SECTION_MAX
  const first = opts.maxEvidenceChars ?? DEFAULT_EVIDENCE_MAX
  // Fold evidence harder, then list fewer checks, until the section fits.
  const evidenceSteps = [first, Math.min(first, 1000), Math.min(first, 300), 0]
  for (const evidenceMax of evidenceSteps) {
    const text = redact(renderSectionOnce(results, opts, evidenceMax, Infinity, true))
    if (text.length <= max) return text
  }
  for (let shown = 20; shown >= 0; shown = shown > 0 ? Math.floor(shown / 2) : -1) {
    const text = redact(renderSectionOnce(results, opts, 0, shown, false))
    if (text.length <= max) return text
  }
  return truncateMarkdown(redact(renderSectionOnce(results, opts, 0, 0, false)), max)
}

const TABLE_HEAD = '| Gate | Verdict | Checks | Time |\n| --- | --- | --- | --- |'

/** One table row per gate result: gate, verdict, check counts, time against budget. */
export function renderCommentRows(results: GateResult[]): string[] {
  return results.map(
    r =>
      `| ${gateLabel(r)} | ${verdictBadge(r.verdict)} | ${checkCounts(r.checks)} | ${timeCell(r)} |`
  )
}

function renderSectionOnce(
  results: GateResult[],
  opts: SectionRenderOptions,
  evidenceMax: number,
  maxDetails: number,
  /** Warnings and notes too; dropped when the section must shrink. */
  extras: boolean
): string {
  const lines =
    opts.table === false
      ? [
          `#### ${VERDICT_ICON[combineVerdicts(results.map(r => r.verdict))]} ${[...new Set(results.map(gateLabel))].join(', ')}`
        ]
      : [TABLE_HEAD, ...renderCommentRows(results)]
  const failed = results.flatMap(r =>
    r.checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')
  )
  const warned = results.flatMap(r => r.checks.filter(c => c.verdict === 'warn'))
  const notes = results.flatMap(r => (r.notes ?? []).map(n => `${sectionIdFor(r)}: ${n}`))
  const out = [lines.join('\n')]
  // Each rollout stage's canary judge: both tracks, estimate, interval, verdict, what is still needed.
  for (const r of results) {
    const judge = renderJudgeTable(r.details?.judge)
    if (judge.length)
      out.push(
        `**${escapeText(r.name ? `${r.gate} ${r.name}` : r.gate)}: canary judge**\n\n${judge.join('\n').trim()}`
      )
  }

  if (failed.length > 0) {
    const shown = failed.slice(0, maxDetails)
    out.push(shown.map(c => checkDetails(c, opts, evidenceMax)).join('\n'))
    if (shown.length < failed.length) {
      out.push(`_… and ${failed.length - shown.length} more failed checks: ${FOLD_NOTE}._`)
    }
  }
  if (warned.length > 0 && extras) {
    const items = warned.map(c => `- ${codeSpan(c.id)}: ${escapeText(firstLine(c.message))}`)
    out.push(
      `<details><summary>${VERDICT_ICON.warn} ${warned.length} warning${warned.length === 1 ? '' : 's'}</summary>\n\n${items.join('\n')}\n\n</details>`
    )
  }
  if (notes.length > 0 && extras) {
    out.push(notes.map(n => `- ${escapeText(n)}`).join('\n'))
  }
  // The plan gate's rendering (already escaped by src/report/plan-render.ts), folded: reviewers open it.
  for (const r of results)
    if (extras && typeof r.details?.planMarkdown === 'string')
      out.push(
        `<details><summary>📋 The plan to approve</summary>\n\n${r.details.planMarkdown.trim()}\n\n</details>`
      )
  // What the phases change, live against the server's dry run (src/report/diff-render.ts), folded too.
  for (const r of results)
    if (typeof r.details?.diffMarkdown === 'string')
      out.push(
        `<details><summary>🔍 What the phases change</summary>\n\n${r.details.diffMarkdown.trim()}\n\n</details>`
      )
  if (opts.runUrl) out.push(`<sub>[workflow run](${opts.runUrl})</sub>`)
  return out.join('\n\n')
}

/**
 * Cuts Markdown to `max` characters at a line end, closing an open code
 * fence and open `<details>` so the rest of the comment still renders.
 */
export function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text
  const note = `_… cut to fit GitHub's comment size limit: ${FOLD_NOTE}._`
  if (max <= note.length + 2) return note.slice(0, Math.max(0, max))
  // Room for the note and the closers appended below.
  let keep = text.slice(0, Math.max(0, max - note.length - 64))
  const nl = keep.lastIndexOf('\n')
  if (nl > 0) keep = keep.slice(0, nl)
  let fence: string | undefined
  for (const line of keep.split('\n')) {
    const m = /^(`{3,})/.exec(line)
    if (!m) continue
    if (fence === undefined) fence = m[1]
    else if (m[1].length >= fence.length && line.trim() === m[1]) fence = undefined
  }
  const opened = (keep.match(/<details>/g) ?? []).length
  const closed = (keep.match(/<\/details>/g) ?? []).length
  const closers: string[] = []
  if (fence !== undefined) closers.push(fence)
  closers.push(...Array<string>(Math.max(0, opened - closed)).fill('</details>'))
  let out = `${keep}\n${closers.length ? `${closers.join('\n')}\n` : ''}\n${note}`
  // A pathological number of open <details> could still overflow: then the note alone stands.
  if (out.length > max) out = note
  return out
}

function stampField(s: SectionStamp): string {
  return `at=${Math.trunc(s.at)};seq=${Math.trunc(s.seq)};w=${encodeField(s.writer)}`
}

function startMarker(s: CommentSection): string {
  const verdict = s.verdict ? `;verdict=${s.verdict}` : ''
  // The rows ride in the marker, so any writer can rebuild the one table from what it read.
  const rows = s.rows?.length ? `;rows=${encodeField(s.rows.join('\n'))}` : ''
  return `<!-- phase-gate:section=${encodeField(s.id, true)};order=${Math.trunc(s.order)}${verdict};${stampField(s.stamp)}${rows} -->`
}

function endMarker(id: string): string {
  return `<!-- phase-gate:end=${encodeField(id, true)} -->`
}

// A section body must never contain something that parses as one of our markers.
function neutralise(body: string): string {
  return body.split(PREFIX).join('&lt;!-- phase-gate:')
}

/** Sections sorted by order; equal orders keep their given order (a stable sort). */
export function orderSections(sections: CommentSection[]): CommentSection[] {
  return sections
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.order - b.s.order || a.i - b.i)
    .map(x => x.s)
}

/**
 * The whole comment: the marker, a header with the overall verdict and one
 * badge per section, then the sections in the plan's gate order. Longer than
 * `maxChars` (default 65000, under GitHub's 65536) → the largest sections are
 * cut to a fair share of the room.
 */
export function renderComment(
  header: CommentKey,
  sections: CommentSection[],
  opts: { maxChars?: number } = {}
): string {
  const max = Math.min(opts.maxChars ?? DEFAULT_COMMENT_MAX, GITHUB_COMMENT_LIMIT)
  const ordered = orderSections(sections).map(s => ({ ...s, body: neutralise(redact(s.body)) }))
  const verdicts = ordered.flatMap(s => (s.verdict ? [s.verdict] : []))
  const overall = verdicts.length ? combineVerdicts(verdicts) : undefined
  const title = `## ${overall ? `${VERDICT_ICON[overall]} ` : ''}phase-gate: ${codeSpan(header.plan)} → ${codeSpan(header.target)}`
  const chips = ordered
    .map(s => `${s.verdict ? `${VERDICT_ICON[s.verdict]} ` : ''}${codeSpan(s.id)}`)
    .join(' · ')
  const lead = overall ? `**${overall}**${chips ? ` — ${chips}` : ''}` : chips
  // One table of every gate, rebuilt from the sections' rows on every merge; a section written
  // without rows (an older phase-gate) gets a row from its id and verdict.
  const table = ordered.some(s => s.rows?.length)
    ? [
        TABLE_HEAD,
        ...ordered.flatMap(s =>
          s.rows?.length
            ? s.rows.map(r => neutralise(redact(r)))
            : [`| ${codeSpan(s.id)} | ${s.verdict ? verdictBadge(s.verdict) : '—'} | — | — |`]
        )
      ].join('\n')
    : ''
  const head = [commentMarker(header.plan, header.target), title, lead].filter(Boolean).join('\n')
  const top = table ? `${head}\n\n${table}` : head
  const footer =
    '<sub>One comment per plan and target, updated in place: each gate rewrites its own section.</sub>'

  const frame = (s: CommentSection, body: string): string =>
    // Blank lines keep each body its own Markdown block, whatever it ends with.
    `${startMarker(s)}\n\n${body}\n\n${endMarker(s.id)}`
  const assemble = (bodies: string[]): string =>
    [top, ...ordered.map((s, i) => frame(s, bodies[i])), footer].join('\n\n')

  let bodies = ordered.map(s => s.body)
  const full = assemble(bodies)
  if (full.length <= max) return full

  // Water-filling: sections under the fair share keep their text, the rest share what is left.
  const overhead = assemble(ordered.map(() => '')).length
  let room = Math.max(0, max - overhead)
  const byLength = ordered.map((s, i) => i).sort((a, b) => bodies[a].length - bodies[b].length)
  const limits = new Array<number>(ordered.length).fill(0)
  byLength.forEach((idx, k) => {
    const share = Math.floor(room / (byLength.length - k))
    limits[idx] = Math.min(bodies[idx].length, share)
    room -= limits[idx]
  })
  bodies = bodies.map((b, i) => truncateMarkdown(b, limits[i]))
  const out = assemble(bodies)
  return out.length <= max ? out : out.slice(0, max)
}

function parseAttrs(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) attrs[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return attrs
}

const VERDICTS = new Set<string>([
  'pass',
  'warn',
  'fail',
  'skip',
  'inconclusive',
  'cancelled',
  'error'
])

/** The key and sections of a comment body written by `renderComment` (anything else: no key, no sections). */
export function parseComment(body: string): ParsedComment {
  const key = KEY_RE.exec(body.trimStart())
  const parsed: ParsedComment = {
    key: key
      ? {
          plan: decodeField(key[1]),
          target: `${decodeField(key[2])}/${decodeField(key[3])}`
        }
      : undefined,
    sections: []
  }
  const starts = [...body.matchAll(START_RE)]
  const seen = new Set<string>()
  starts.forEach((m, i) => {
    const id = decodeField(m[1])
    const attrs = parseAttrs(m[2])
    const from = (m.index ?? 0) + m[0].length
    const nextStart = i + 1 < starts.length ? (starts[i + 1].index ?? body.length) : body.length
    const end = body.indexOf(endMarker(id), from)
    const to = end >= 0 && end < nextStart ? end : nextStart
    // A section that appears twice (a hand edit) counts once: the first.
    if (seen.has(id)) return
    seen.add(id)
    const verdict =
      attrs.verdict && VERDICTS.has(attrs.verdict) ? (attrs.verdict as Verdict) : undefined
    parsed.sections.push({
      id,
      order: Number.isFinite(Number(attrs.order)) ? Number(attrs.order) : sectionOrder(id),
      verdict,
      body: body
        .slice(from, to)
        .replace(/^\n{1,2}/, '')
        .replace(/\n{1,2}$/, ''),
      stamp: {
        at: Number(attrs.at) || 0,
        seq: Number(attrs.seq) || 0,
        writer: decodeField(attrs.w ?? '')
      },
      ...(attrs.rows ? { rows: decodeField(attrs.rows).split('\n') } : {})
    })
  })
  return parsed
}

/** -1, 0 or 1: which of two writes of a section is newer. */
export function compareStamps(a: SectionStamp, b: SectionStamp): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1
  return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0
}
