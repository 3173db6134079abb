/**
 * The approver's diff, rendered: per phase which objects are new, changed or
 * unchanged, and each changed object's unified diff folded in `<details>`
 * (Markdown for the summary and the PR comment) or printed (terminal), capped
 * with the count of lines left out. Renders what src/kube/object-diff.ts
 * computed; Secret values were replaced by markers before it got here.
 */

import { redact } from '../core/secrets.js'
import type { PhaseDiff } from '../gates/plan-diff.js'
import { tallyChanges } from '../gates/plan-diff.js'

/** Lines of one object's diff shown before the rest is left out. */
export const MAX_OBJECT_DIFF_LINES = 80
/** Lines of all diffs together shown before the rest is left out. */
export const MAX_TOTAL_DIFF_LINES = 400

function capped(
  diff: string[],
  budget: { left: number },
  maxLines: number
): { shown: string[]; omitted: number } {
  const n = Math.max(0, Math.min(diff.length, maxLines, budget.left))
  budget.left -= n
  return { shown: diff.slice(0, n), omitted: diff.length - n }
}

const fence = (lines: string[]): string => {
  // A line holding ``` would close the block early: a longer fence.
  const longest = Math.max(2, ...lines.map(l => (/`+/.exec(l)?.[0].length ?? 0) + 0))
  const f = '`'.repeat(Math.max(3, longest + 1))
  return [`${f}diff`, ...lines, f].join('\n')
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Markdown: a heading, per phase the tally and lists, each changed object's diff folded. */
export function renderDiffMarkdown(
  phases: PhaseDiff[],
  opts: { maxObjectLines?: number; maxTotalLines?: number } = {}
): string {
  const budget = { left: opts.maxTotalLines ?? MAX_TOTAL_DIFF_LINES }
  const perObject = opts.maxObjectLines ?? MAX_OBJECT_DIFF_LINES
  const out = ['#### What the phases change (live → server-side dry run)', '']
  if (phases.length === 0) out.push('_The plan has no phases._', '')
  for (const p of phases) {
    out.push(`**Phase ${esc(p.phase)}**: ${p.note ? esc(p.note) : tallyChanges(p.changes)}`, '')
    const list = (status: string, label: string): void => {
      const names = p.changes.filter(c => c.status === status).map(c => `\`${c.object}\``)
      if (names.length) out.push(`- ${label}: ${names.join(', ')}`)
    }
    list('new', 'new')
    list('changed', 'changed')
    list('unchanged', 'unchanged')
    for (const c of p.changes.filter(c => c.status === 'unknown'))
      out.push(`- not dry-run: \`${c.object}\`: ${esc(c.reason ?? '')}`)
    out.push('')
    for (const c of p.changes.filter(c => c.status === 'changed' && c.diff)) {
      const diff = c.diff ?? []
      const { shown, omitted } = capped(diff, budget, perObject)
      const changed = diff.filter(l => /^[-+]/.test(l)).length
      out.push(
        `<details><summary>${esc(c.object)}: ${changed} line${changed === 1 ? '' : 's'} changed</summary>`,
        ''
      )
      if (shown.length) out.push(fence(shown), '')
      if (omitted)
        out.push(
          `_${omitted} more line${omitted === 1 ? '' : 's'} left out; \`phase-gate diff\` prints them all._`,
          ''
        )
      out.push('</details>', '')
    }
  }
  return redact(out.join('\n'))
}

/** The terminal form of the same: `+`/`-` lines, colour on a TTY. */
export function renderDiffTerminal(phases: PhaseDiff[], opts: { color: boolean }): string {
  const paint = (code: number, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s)
  const out: string[] = []
  for (const p of phases) {
    out.push(paint(1, `phase ${p.phase}: ${p.note ?? tallyChanges(p.changes)}`))
    for (const c of p.changes) {
      const mark = { new: '+', changed: '~', unchanged: '=', unknown: '?' }[c.status]
      out.push(`  ${mark} ${c.status.padEnd(9)} ${c.object}${c.reason ? `: ${c.reason}` : ''}`)
      for (const l of c.diff ?? [])
        out.push(
          `      ${l.startsWith('+') ? paint(32, l) : l.startsWith('-') ? paint(31, l) : l.startsWith('@@') ? paint(36, l) : l}`
        )
    }
  }
  return redact(out.join('\n')) + '\n'
}
