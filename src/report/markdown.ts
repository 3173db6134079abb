/**
 * Markdown for every renderer (job summary, PR comment, plan, runbook,
 * record, incident): the one verdict-icon table, escaping of text that came
 * from the cluster or the plan, and plurals.
 */

import type { Verdict } from './model.js'

/** The icon of each verdict, the same in every renderer. */
export const VERDICT_ICON: Record<Verdict, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  inconclusive: '⏸️',
  cancelled: '🛑',
  error: '💥'
}

/** Escapes `&`, `<` and `>` so text cannot open HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

// Text from the cluster goes into Markdown: it must not open HTML, forge our
// markers or ping people (`@team`, `(@team)`).
/** Escapes HTML and defuses @-mentions. */
export function escapeText(s: string): string {
  return escapeHtml(s).replace(/(^|[\s(])@(\w)/g, '$1@\u200b$2')
}

/** Escapes text for a Markdown table cell (pipes; line breaks become `<br>`); HTML passes. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/** Escapes untrusted text for a table cell: escapeText, pipes, line breaks as `newline`. */
export function textCell(s: string, newline: '<br>' | ' ' = '<br>'): string {
  return escapeText(s).replace(/\|/g, '\\|').replace(/\r?\n/g, newline)
}

/** `1 check`, `2 checks`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
