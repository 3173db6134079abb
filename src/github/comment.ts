/**
 * The sticky PR comment's write protocol. GitHub has no ETag/If-Match for
 * issue comments, so a writer reads, merges its own section into what it
 * read, writes, waits long enough for any writer that read before it to have
 * written too, then re-reads to verify its section is there at its content;
 * when another writer clobbered it, it retries with jitter. When two writers
 * both created a comment, the lowest id wins: everything is merged into it and
 * the duplicates are deleted once the oldest holds all they held.
 *
 * Never throws: without a token, on a fork PR's read-only token or when the
 * API fails, the result says why and the gate's verdict stands.
 */

import { randomBytes } from 'node:crypto'
import { systemClock, type Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { redact } from '../core/secrets.js'
import type { GateResult, Verdict } from '../report/model.js'
import { combineVerdicts } from '../report/model.js'
import {
  commentMarker,
  compareStamps,
  parseComment,
  renderComment,
  renderCommentRows,
  renderCommentSection,
  sectionIdFor,
  sectionOrder,
  targetKey,
  type CommentKey,
  type CommentSection,
  type SectionRenderOptions
} from '../report/comment.js'
import { GitHubApiError, isApiStatus } from './api-error.js'
import type { GitHub, IssueComment } from './types.js'

/** One section a gate writes. */
export interface SectionInput {
  /** Gate name or `<gate>:<name>` (`phase:db`). */
  id: string
  /** Markdown (from `renderCommentSection`). */
  body: string
  verdict?: Verdict
  /** Sort key; default `sectionOrder(id)`. */
  order?: number
  /** Its rows of the comment's one gate table (`renderCommentRows`). */
  rows?: string[]
}

export interface UpsertOptions {
  plan: string
  target: string | { context?: string; namespace: string }
  /** Issue or pull request number; default the run's pull request. */
  issue?: number
  clock?: Clock
  /** Least wait between writing and verifying (default 500 ms); grows with the observed round trip. */
  settleMs?: number
  /** Read-merge-write rounds before giving up (default 8). */
  maxAttempts?: number
  /** Receives a warning when the comment could not be written. */
  log?: Logger
  /** Which comments carrying our marker to trust; default bots and repository members. */
  trust?: (comment: IssueComment) => boolean
}

export type UpsertResult =
  { ok: true; commentId: number; url: string; attempts: number } | { ok: false; reason: string }

// Orders writes begun in the same millisecond by this process.
let sequence = 0

const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR'])

/**
 * Default trust: a comment by a bot (the Actions token posts as
 * `github-actions[bot]`) or by someone with write access. A PR author cannot
 * plant a marker comment of their own and have gates merge into it.
 */
export function trustedCommentAuthor(comment: IssueComment): boolean {
  if (comment.user?.type === 'Bot') return true
  return TRUSTED_ASSOCIATIONS.has(comment.author_association ?? '')
}

/** Writes one section of the plan's and target's sticky comment (see the module comment). */
export async function upsertSection(
  gh: GitHub,
  opts: UpsertOptions & { section: string; body: string; verdict?: Verdict; order?: number }
): Promise<UpsertResult> {
  const { section, body, verdict, order, ...rest } = opts
  return upsertSections(gh, { ...rest, sections: [{ id: section, body, verdict, order }] })
}

/** Writes several sections of the sticky comment in one read-merge-write cycle. */
export async function upsertSections(
  gh: GitHub,
  opts: UpsertOptions & { sections: SectionInput[] }
): Promise<UpsertResult> {
  const result = await upsert(gh, opts)
  if (!result.ok) opts.log?.warn(`PR comment not updated: ${result.reason}`)
  return result
}

/**
 * Renders gate results (one section per gate, phase, stage or level) and
 * writes them into the sticky comment in one cycle.
 */
export async function commentGateResults(
  gh: GitHub,
  opts: UpsertOptions & {
    results: GateResult[]
    render?: SectionRenderOptions
    /** Position of a result's phase, stage or level in the plan, for the section order. */
    indexOf?: (result: GateResult) => number
  }
): Promise<UpsertResult> {
  const { results, render, indexOf, ...rest } = opts
  const groups = new Map<string, GateResult[]>()
  for (const r of results) {
    const id = sectionIdFor(r)
    groups.set(id, [...(groups.get(id) ?? []), r])
  }
  const sections = [...groups].map(([id, group]) => ({
    id,
    // The comment's one table holds the rows; the section keeps only the details.
    body: renderCommentSection(group, { ...render, table: false }),
    rows: renderCommentRows(group),
    verdict: combineVerdicts(group.map(r => r.verdict)),
    order: sectionOrder(id, indexOf?.(group[0]) ?? 0)
  }))
  return upsertSections(gh, { ...rest, sections })
}

async function upsert(
  gh: GitHub,
  opts: UpsertOptions & { sections: SectionInput[] }
): Promise<UpsertResult> {
  if (gh.hasToken === false) {
    return {
      ok: false,
      reason:
        'no GitHub token: set the github-token input (or GITHUB_TOKEN for the CLI) to get the PR comment'
    }
  }
  const issue = opts.issue ?? gh.pullNumber
  if (issue === undefined)
    return { ok: false, reason: 'this run has no pull request to comment on' }
  if (opts.sections.length === 0) return { ok: false, reason: 'no section to write' }

  const clock = opts.clock ?? systemClock
  const settleMin = opts.settleMs ?? 500
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 8)
  const trust = opts.trust ?? trustedCommentAuthor
  const key: CommentKey = { plan: opts.plan, target: targetKey(opts.target) }
  const marker = commentMarker(key.plan, key.target)
  const startedAt = clock.now()
  const mine: CommentSection[] = opts.sections.map(s => ({
    id: s.id,
    order: s.order ?? sectionOrder(s.id),
    verdict: s.verdict,
    body: redact(s.body),
    stamp: { at: startedAt, seq: ++sequence, writer: randomBytes(6).toString('hex') },
    ...(s.rows?.length ? { rows: s.rows.map(r => redact(r)) } : {})
  }))

  const listOurs = async (): Promise<IssueComment[]> =>
    (await gh.listIssueComments(issue))
      .filter(c => typeof c.body === 'string' && c.body.trimStart().startsWith(marker) && trust(c))
      .sort((a, b) => a.id - b.id)

  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const t0 = clock.now()
      let ours = await listOurs()
      try {
        if (ours.length === 0) {
          await gh.createIssueComment(issue, renderComment(key, mine))
        } else {
          const oldest = ours[0]
          const merged = mergeSections(
            ours.map(c => parseComment(c.body).sections),
            mine
          )
          const body = renderComment(key, merged)
          if (body !== oldest.body) await gh.updateIssueComment(oldest.id, body)
        }
      } catch (err) {
        // The comment vanished between read and write (deleted as a duplicate or by hand): read again.
        if (isApiStatus(err, 404) && attempt < maxAttempts) continue
        throw err
      }

      // Anyone who read before our write and writes after it has done so by now,
      // so a clobbered section shows up in the re-read.
      const cycle = clock.now() - t0
      const settle = Math.max(settleMin, 2 * cycle)
      await clock.sleep(settle + Math.random() * (settle / 2))

      ours = await listOurs()
      const oldest = ours[0]
      const held = oldest ? parseComment(oldest.body).sections : []
      if (!oldest || !mine.every(m => covered(held, m))) {
        await clock.sleep(Math.random() * Math.min(2000, settleMin * 2 ** (attempt - 1)))
        continue
      }

      let leftover = false
      for (const dup of ours.slice(1)) {
        if (parseComment(dup.body).sections.every(s => covered(held, s))) {
          // Best effort: a duplicate we may not delete (another user's) is only clutter.
          await gh.deleteIssueComment(dup.id).catch(() => undefined)
        } else {
          leftover = true
        }
      }
      // Our section is safe; a duplicate still holding others' sections gets merged next round.
      if (leftover && attempt < maxAttempts) continue
      return { ok: true, commentId: oldest.id, url: oldest.html_url, attempts: attempt }
    }
    return {
      ok: false,
      reason: `gave up after ${maxAttempts} attempts: concurrent writers kept replacing the comment`
    }
  } catch (err) {
    return { ok: false, reason: describeFailure(err, gh, issue) }
  }
}

/** True when `sections` hold `s` at its content or a newer write of the same section. */
function covered(sections: CommentSection[], s: CommentSection): boolean {
  const have = sections.find(x => x.id === s.id)
  return have !== undefined && compareStamps(have.stamp, s.stamp) >= 0
}

/**
 * All sections of the comments read, plus ours; for each id the newest write
 * wins. Order: as they appear in the oldest comment, then the rest.
 */
export function mergeSections(read: CommentSection[][], mine: CommentSection[]): CommentSection[] {
  const byId = new Map<string, CommentSection>()
  for (const s of [...read.flat(), ...mine]) {
    const have = byId.get(s.id)
    if (!have || compareStamps(s.stamp, have.stamp) > 0) byId.set(s.id, s)
  }
  return [...byId.values()]
}

function describeFailure(err: unknown, gh: GitHub, issue: number): string {
  const where = `${gh.repo.owner}/${gh.repo.repo}#${issue}`
  if (err instanceof GitHubApiError) {
    const said = err.apiMessage ? ` (${err.apiMessage})` : ''
    switch (err.status) {
      case 401:
        return `GitHub rejected the token${said}: check the github-token input`
      case 403:
        return (
          `GitHub refused to write the PR comment on ${where}${said}: the token has no write access ` +
          `to pull requests. A pull request from a fork gets a read-only token; otherwise give the job ` +
          '`permissions: pull-requests: write`'
        )
      case 404:
        return `pull request ${where} not found${said}`
      case 0:
        return `GitHub API unreachable: ${err.apiMessage}`
      default:
        return `GitHub API failed after ${err.attempts} attempt(s): ${err.message}`
    }
  }
  return `GitHub API failed: ${redact(errorMessage(err))}`
}
