/**
 * The job summary (Markdown, GitHub-flavoured, with a Mermaid flowchart):
 * the phases coloured by verdict, the table of checks, time against budget,
 * evidence folded into <details>. Kept under GitHub's 1 MiB step-summary
 * limit by folding details into the report when too long.
 */

import { redact } from '../core/secrets.js'
import {
  countVerdicts,
  type CheckResult,
  type GateResult,
  type RunReport,
  type Verdict
} from './model.js'
import { gateTitle, timeAgainstBudget } from './format.js'
import { VERDICT_ICON, cell, escapeHtml } from './markdown.js'
import { renderJudgeTable } from './judge.js'

/** GitHub's limit is 1 MiB per step summary; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 900 * 1024

const PHASE_LETTER: Record<string, string> = {
  'reality-check': 'R',
  tracer: '0',
  plan: 'P',
  phase: 'I',
  validate: 'V',
  record: 'V',
  rollout: 'S',
  rollback: 'RB',
  soak: 'SK'
}

const MERMAID_CLASS: Record<Verdict, string> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
  error: 'fail',
  cancelled: 'fail',
  inconclusive: 'warn',
  skip: 'skip'
}

/** One node of the run's flowchart: a gate (and its phase, stage or level) with its verdict. */
export interface FlowNode {
  gate: string
  name?: string
  verdict: Verdict
}

const VERDICTS = new Set<string>(Object.keys(MERMAID_CLASS))

function isFlowNode(v: unknown): v is FlowNode {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.gate === 'string' &&
    (o.name === undefined || typeof o.name === 'string') &&
    typeof o.verdict === 'string' &&
    VERDICTS.has(o.verdict)
  )
}

/**
 * The nodes of the flowchart: each gate of this job, preceded by the gates of
 * the whole run that it read (`details.flow`, the record gate's): in a
 * workflow each job runs one gate, and only the record job knows them all.
 */
export function flowNodes(gates: GateResult[]): FlowNode[] {
  const key = (n: FlowNode): string => `${n.gate}/${n.name ?? ''}`
  // A CLI run of every gate has them in this report already: draw each once, where it ran here.
  const own = new Set(gates.map(key))
  const nodes = new Map<string, FlowNode>()
  for (const g of gates) {
    const earlier = Array.isArray(g.details?.flow) ? g.details.flow.filter(isFlowNode) : []
    for (const n of earlier) if (!own.has(key(n)) && !nodes.has(key(n))) nodes.set(key(n), n)
    nodes.set(key(g), { gate: g.gate, name: g.name, verdict: g.verdict })
  }
  return [...nodes.values()]
}

/** A Mermaid flowchart of the gates (with the run's earlier ones the record read), each node coloured by its verdict. */
export function renderFlowchart(gates: GateResult[]): string {
  const lines = ['```mermaid', 'flowchart LR']
  flowNodes(gates).forEach((g, i) => {
    const label = `${PHASE_LETTER[g.gate] ?? ''} ${gateTitle(g)}<br/>${g.verdict}`
      .trim()
      .replace(/"/g, "'")
    lines.push(`  g${i}["${label}"]:::${MERMAID_CLASS[g.verdict]}`)
    if (i > 0) lines.push(`  g${i - 1} --> g${i}`)
  })
  lines.push(
    '  classDef pass fill:#1a7f37,stroke:#116329,color:#fff',
    '  classDef warn fill:#9a6700,stroke:#7d4e00,color:#fff',
    '  classDef fail fill:#cf222e,stroke:#a40e26,color:#fff',
    '  classDef skip fill:#6e7781,stroke:#57606a,color:#fff',
    '```'
  )
  return lines.join('\n')
}

function checkRow(c: CheckResult): string {
  return `| ${VERDICT_ICON[c.verdict]} | ${cell(c.kind)} | ${cell(c.target)} | ${cell(c.message)} |`
}

function checkDetails(c: CheckResult, planFile: string, withEvidence: boolean): string {
  const parts = [
    `<details><summary>${VERDICT_ICON[c.verdict]} <b>${escapeHtml(c.kind)}</b> ${escapeHtml(c.target)}: ${escapeHtml(c.message)}</summary>`,
    ''
  ]
  if (c.location)
    parts.push(
      `Declared at \`${c.location.file || planFile}:${c.location.line}\`${c.location.path ? ` (\`${c.location.path}\`)` : ''}.`,
      ''
    )
  if (c.evidence && withEvidence)
    parts.push('```text', c.evidence.replace(/```/g, "'''"), '```', '')
  else if (c.evidence)
    parts.push(
      "_Evidence folded into the JSON report to keep this summary under GitHub's size limit._",
      ''
    )
  if (c.adjustment) parts.push(`**What to do:** ${c.adjustment}`, '')
  if (c.data && Object.keys(c.data).length > 0 && withEvidence)
    parts.push(`<sub>${escapeHtml(JSON.stringify(c.data)).slice(0, 2000)}</sub>`, '')
  parts.push('</details>')
  return parts.join('\n')
}

function gateSection(
  g: GateResult,
  planFile: string,
  withEvidence: boolean,
  maxRows: number
): string {
  const counts = countVerdicts(g.checks)
  const tally = (Object.entries(counts) as [Verdict, number][])
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ')
  const out = [
    `### ${VERDICT_ICON[g.verdict]} ${gateTitle(g)}: ${g.verdict}`,
    '',
    `${g.checks.length} check${g.checks.length === 1 ? '' : 's'}${tally ? ` (${tally})` : ''} · ${timeAgainstBudget(g.durationMs, g.budgetMs)}`,
    ''
  ]
  for (const n of g.notes ?? []) out.push(`> ${n}`, '')
  // A rollout stage's canary judge (src/report/judge.ts).
  out.push(...renderJudgeTable(g.details?.judge))
  if (g.checks.length > 0) {
    // Problems first, so the reader sees them without scrolling.
    const order: Verdict[] = ['fail', 'error', 'cancelled', 'inconclusive', 'warn', 'pass', 'skip']
    const sorted = [...g.checks].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))
    out.push('| | Kind | Target | Result |', '| --- | --- | --- | --- |')
    for (const c of sorted.slice(0, maxRows)) out.push(checkRow(c))
    if (sorted.length > maxRows)
      out.push(`| | | | …and ${sorted.length - maxRows} more in the JSON report |`)
    out.push('')
    for (const c of sorted
      .filter(c => c.verdict !== 'pass' && c.verdict !== 'skip')
      .slice(0, maxRows))
      out.push(checkDetails(c, planFile, withEvidence), '')
  }
  // Gates that render a document put it under their section: the plan for the
  // approver (src/report/plan-render.ts), the deployment record (src/report/record.ts).
  for (const doc of ['planMarkdown', 'diffMarkdown', 'recordMarkdown'])
    if (typeof g.details?.[doc] === 'string') out.push(g.details[doc] as string, '')
  if (typeof g.details?.runbookMarkdown === 'string')
    out.push(
      '<details><summary>📖 The runbook (phase-gate runbook)</summary>',
      '',
      g.details.runbookMarkdown,
      '',
      '</details>',
      ''
    )
  return out.join('\n')
}

/** The job summary for a run. */
export function renderSummary(report: RunReport, opts: { reportPath?: string } = {}): string {
  const render = (withEvidence: boolean, maxRows: number): string => {
    const target = `${report.target.context ? `${report.target.context}/` : ''}${report.target.namespace}`
    const head = [
      `## ${VERDICT_ICON[report.verdict]} phase-gate: ${report.plan} → ${target}: ${report.verdict}`,
      '',
      `Plan \`${report.planFile}\` · run \`${report.runId}\` · phase-gate ${report.tool.version}`,
      '',
      ...(report.overrides?.length
        ? [`Overrides: ${report.overrides.map(o => `\`${o}\``).join(' · ')}`, '']
        : [])
    ]
    const table = ['| Gate | Verdict | Checks | Time / budget |', '| --- | --- | --- | --- |']
    for (const g of report.gates)
      table.push(
        `| ${cell(gateTitle(g))} | ${VERDICT_ICON[g.verdict]} ${g.verdict} | ${g.checks.length} | ${timeAgainstBudget(g.durationMs, g.budgetMs)} |`
      )
    const body = report.gates.map(g => gateSection(g, report.planFile, withEvidence, maxRows))
    const foot = opts.reportPath ? [`<sub>Full report: \`${opts.reportPath}\`</sub>`] : []
    return (
      redact(
        [...head, renderFlowchart(report.gates), '', ...table, '', ...body, ...foot].join('\n')
      ) + '\n'
    )
  }
  let md = render(true, 200)
  if (Buffer.byteLength(md) > SUMMARY_LIMIT_BYTES) md = render(false, 200)
  if (Buffer.byteLength(md) > SUMMARY_LIMIT_BYTES) md = render(false, 25)
  return md
}
