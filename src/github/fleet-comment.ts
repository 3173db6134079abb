/**
 * The fleet record's sticky PR comment: one comment per plan carrying its
 * own marker, found among trusted authors' comments and updated in place
 * (created when there is none). One writer per release (the record step),
 * so no read-merge-verify cycle; duplicates left by an earlier race are
 * deleted, the oldest kept. Never throws: the result says why it failed.
 */

import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import { trustedCommentAuthor } from './comment.js'
import type { GitHub } from './types.js'

const MAX_CHARS = 65_000

export type FleetCommentResult =
  { ok: true; commentId: number; created: boolean } | { ok: false; reason: string }

/** Writes `body` (which starts with `marker`) as the PR's one comment holding that marker. */
export async function upsertFleetComment(
  gh: GitHub,
  marker: string,
  body: string
): Promise<FleetCommentResult> {
  const issue = gh.pullNumber
  if (!issue) return { ok: false, reason: 'this run belongs to no pull request' }
  if (gh.hasToken === false) return { ok: false, reason: 'no GitHub token' }
  const whole = redact(body)
  // GitHub refuses comments over 65,536 characters: the end (details, timeline) is cut first.
  const text =
    whole.length > MAX_CHARS
      ? `${whole.slice(0, MAX_CHARS - 200)}\n\n… cut here: the whole record is in the job summary and the record artifact.\n`
      : whole
  try {
    const mine = (await gh.listIssueComments(issue))
      .filter(c => trustedCommentAuthor(c) && (c.body ?? '').trimStart().startsWith(marker))
      .sort((a, b) => a.id - b.id)
    if (mine.length === 0) {
      const created = await gh.createIssueComment(issue, text)
      return { ok: true, commentId: created.id, created: true }
    }
    await gh.updateIssueComment(mine[0].id, text)
    for (const dup of mine.slice(1)) await gh.deleteIssueComment(dup.id)
    return { ok: true, commentId: mine[0].id, created: false }
  } catch (err) {
    return { ok: false, reason: errorMessage(err) }
  }
}
