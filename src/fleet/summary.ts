/** The fleet report as Markdown (cluster × gate) and as terminal lines. */

import { escapeText, textCell } from '../report/markdown.js'
import type { FleetReport } from './run.js'

const GATES = ['reality-check', 'tracer', 'phase', 'validate', 'rollback'] as const

/** Markdown: one row per cluster (wave, context, each gate's verdict), then the halt. */
export function renderFleetSummary(report: FleetReport): string {
  const lines = [
    `## phase-gate fleet: ${report.plan} — ${report.verdict}`,
    '',
    `| cluster | wave | context | ${GATES.join(' | ')} |`,
    `|---|---|---|${GATES.map(() => '---').join('|')}|`
  ]
  for (const [name, c] of Object.entries(report.clusters)) {
    const all = [...c.gates, ...(c.rollback ?? [])]
    const cell = (g: string): string => {
      const found = all.filter(x => x.gate === g).map(x => x.verdict)
      return found.length ? found.join(', ') : '–'
    }
    lines.push(
      `| ${textCell(name, ' ')} | ${textCell(c.wave, ' ')} | ${textCell(c.context, ' ')} | ${GATES.map(cell).join(' | ')} |`
    )
  }
  for (const w of report.waves)
    for (const n of w.notes) lines.push('', `Wave ${escapeText(w.name)}: ${escapeText(n)}`)
  if (report.halt) {
    lines.push(
      '',
      `**Halted** in wave ${escapeText(report.halt.wave)}: ${escapeText(report.halt.reason)} (onHalt: ${report.halt.onHalt})`
    )
    if (report.halt.commands?.length)
      lines.push('', 'Roll back by hand:', '', '```sh', ...report.halt.commands, '```')
  }
  return `${lines.join('\n')}\n`
}

/** Plain text for the terminal: a line per cluster and its failed checks. */
export function renderFleetText(report: FleetReport): string {
  const lines = [`fleet ${report.plan}: ${report.verdict}`]
  for (const [name, c] of Object.entries(report.clusters)) {
    lines.push(`  ${name} (${c.wave}, ${c.context}/${c.namespace}): ${c.verdict}`)
    for (const g of [...c.gates, ...(c.rollback ?? [])])
      for (const check of g.checks.filter(x => x.verdict === 'fail' || x.verdict === 'error'))
        lines.push(`    ${g.gate}: ${check.id}: ${check.message}`)
  }
  if (report.halt) lines.push(`  halted in wave ${report.halt.wave}: ${report.halt.reason}`)
  for (const c of report.halt?.commands ?? []) lines.push(`    ${c}`)
  return `${lines.join('\n')}\n`
}
