/** The terminal view: one block per gate, problems with evidence and what to do; colour on a TTY. */

import { redact } from '../core/secrets.js'
import { countVerdicts, exitCodeForReport, type RunReport, type Verdict } from './model.js'
import { VERDICT_WORD, gateTitle, timeAgainstBudget } from './format.js'
import { style, type Style } from './style.js'

const COLOR: Record<Verdict, Style> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  error: 'red',
  cancelled: 'magenta',
  inconclusive: 'yellow',
  skip: 'gray'
}
const MARK: Record<Verdict, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  error: '✗',
  cancelled: '■',
  inconclusive: '?',
  skip: '-'
}

/** Renders the run for a terminal; `color` adds ANSI colours. */
export function renderTerminal(
  report: RunReport,
  opts: { color: boolean; verbose?: boolean }
): string {
  const paint = (v: Verdict, s: string): string => style(opts.color, COLOR[v], s)
  const dim = (s: string): string => style(opts.color, 'dim', s)
  const bold = (s: string): string => style(opts.color, 'bold', s)
  const target = `${report.target.context ? `${report.target.context}/` : ''}${report.target.namespace}`
  const lines = [bold(`phase-gate ${report.plan} → ${target}`) + dim(`  run ${report.runId}`)]
  if (report.overrides?.length) lines.push(dim(`  overrides: ${report.overrides.join(', ')}`))
  for (const g of report.gates) {
    const counts = countVerdicts(g.checks)
    const tally = (Object.entries(counts) as [Verdict, number][])
      .filter(([, n]) => n > 0)
      .map(([v, n]) => `${n} ${v}`)
      .join(', ')
    lines.push(
      `${paint(g.verdict, `${MARK[g.verdict]} ${VERDICT_WORD[g.verdict].padEnd(5)}`)} ${bold(gateTitle(g).padEnd(22))} ${g.checks.length} checks${tally ? ` (${tally})` : ''}  ${dim(timeAgainstBudget(g.durationMs, g.budgetMs))}`
    )
    for (const n of g.notes ?? []) lines.push(dim(`    ${n}`))
    for (const c of g.checks) {
      const problem = c.verdict !== 'pass' && c.verdict !== 'skip'
      if (!problem && !opts.verbose) continue
      const where = c.location ? dim(` (${c.location.file}:${c.location.line})`) : ''
      lines.push(
        `    ${paint(c.verdict, MARK[c.verdict])} ${c.kind} ${c.target}: ${c.message}${where}`
      )
      if (problem && c.evidence)
        for (const e of c.evidence.split('\n').slice(0, 20)) lines.push(dim(`        ${e}`))
      if (problem && c.adjustment) lines.push(`        → ${c.adjustment}`)
    }
  }
  lines.push(
    `${bold('verdict:')} ${paint(report.verdict, report.verdict)} (exit ${exitCodeForReport(report)})`
  )
  return redact(lines.join('\n')) + '\n'
}

/** A live one-line progress indicator on a TTY (stderr); a no-op elsewhere. */
export class ProgressLine {
  private last = ''
  constructor(private readonly stream: NodeJS.WriteStream) {}
  get enabled(): boolean {
    return this.stream.isTTY === true
  }
  /** Replaces the progress line. */
  update(text: string): void {
    if (!this.enabled) return
    const width = this.stream.columns ?? 80
    this.last = redact(text).slice(0, width - 1)
    this.stream.write(`\r\x1b[2K${this.last}`)
  }
  /** Clears the line before normal output. */
  clear(): void {
    if (!this.enabled || !this.last) return
    this.stream.write('\r\x1b[2K')
    this.last = ''
  }
}
