/**
 * The plan as the approver reads it (Markdown): what will be applied in which
 * order, how each phase is validated and rolled back, the rollback levels,
 * the risks the reality check and the tracers found, the deployment's current
 * state, the budgets and the staged rollout with its thresholds. Pure: the
 * plan gate gathers a `PlanView`, this module only formats it.
 */

import { redact } from '../core/secrets.js'
import type { BudgetLine } from '../plan/budgets.js'
import type { CheckSpec, RollbackAction, RollbackLevel } from '../plan/types.js'
import type { GateName, Severity, Verdict } from './model.js'
import { VERDICT_ICON, escapeText, textCell } from './markdown.js'
import { argvLine } from './shell.js'
import { checkKindOf } from '../checks/validation-registry.js'
import type { JudgePlanView } from '../rollout/judge/plan.js'
import { renderJudgePlan } from './judge.js'

/** One object a phase applies. */
export interface ResourceView {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
  /** Manifest file it comes from, relative to the workspace. */
  file?: string
}

/** One phase as the approver sees it. */
export interface PhaseView {
  name: string
  /** Manifest files (`apply:`), as written in the plan. */
  files: string[]
  resources: ResourceView[]
  /** Why the resources could not be listed (a manifest that does not parse), when they could not. */
  resourcesError?: string
  helm?: { release: string; chart: string; version?: string; namespace?: string }
  checks: CheckSpec[]
  rollback: RollbackAction[]
  timeout?: string
  budgetMs: number
  rollbackBudgetMs: number
  /** A migration runs in this phase; `reversible` is false when it has no down step. */
  migration?: { reversible: boolean }
  /** `stop`: a failure keeps the phase's objects for a person to choose (default rollback). */
  onFailure?: 'rollback' | 'stop'
}

/** A finding of an earlier gate the approver should weigh. */
export interface RiskView {
  gate: GateName
  /** The tracer or unit the finding belongs to, when there is one. */
  unit?: string
  verdict: Verdict
  severity: Severity
  kind: string
  target: string
  message: string
  adjustment?: string
}

/** Where the risks came from: one line per gate the plan relies on. */
export interface EvidenceView {
  gate: 'reality-check' | 'tracer'
  /** found: a report of the gate was read; missing: none; not-needed: the plan has no tracers. */
  status: 'found' | 'missing' | 'not-needed'
  verdict?: Verdict
  runId?: string
  checks?: number
  finishedAt?: string
}

/** The deployment's state in the target, from the in-cluster state record. */
export interface StateView {
  /** read: the record was read (state undefined: nothing deployed yet); unknown: it could not be read. */
  status: 'read' | 'unknown'
  state?: string
  since?: string
  runId?: string
  lastKnownGood?: { runId: string; at: string }
  /** Why the state is unknown. */
  reason?: string
}

/** The approval point: the environment the job after the plan runs in. */
export interface ApprovalView {
  environment: string
  /** input: the action input or flag; plan: `approval.environment`; default: `plan-approval`. */
  source: 'input' | 'plan' | 'default'
  /** What protects it, when it was read: reviewers and wait timer. */
  reviewers?: string[]
  waitTimerMinutes?: number
  /** pass: protected; fail: missing or unprotected; skip: not read (no GitHub context); error: could not read. */
  verdict: Verdict
}

/** One rollout stage. */
export interface StageView {
  name: string
  weight: number
  hold?: string
}

/** One rollback trigger with its compiled CEL. */
export interface TriggerView {
  metric?: string
  /** The shorthand as written (`above 2x baseline`, `no data for 5m`). */
  text: string
  cel?: string
  samples?: { n: number; of: number }
}

/** The staged rollout. */
export interface RolloutView {
  target: string
  canary: string
  route?: string
  replicas?: number
  interval?: string
  stages: StageView[]
  metrics: { name: string; query: string }[]
  triggers: TriggerView[]
  onTrigger: string
  budgetMs: number
  /** The canary judge's settings and the least traffic per stage (src/rollout/judge/plan.ts). */
  judge?: JudgePlanView
}

/** A rollback level. */
export interface LevelView {
  level: RollbackLevel
  what: string
  budgetMs: number
}

/** Everything the approver's rendering needs. */
export interface PlanView {
  plan: string
  planFile: string
  target: { context?: string; namespace: string; platform?: string }
  owners: string[]
  ticket?: string
  approval: ApprovalView
  state: StateView
  evidence: EvidenceView[]
  risks: RiskView[]
  /** Checks of the reality check that were skipped (not proven before deployment). */
  unproven: RiskView[]
  phases: PhaseView[]
  validation: { checks: CheckSpec[]; rollbackTest: boolean }
  levels: LevelView[]
  rollout?: RolloutView
  budgets: BudgetLine[]
  /** Sum of the budgets on the way to `active` (reality check, tracers, plan, phases, validation). */
  estimateMs: number
}

/** The Markdown grows with the plan; beyond this many resources per phase the rest is counted. */
export const MAX_RESOURCES_PER_PHASE = 25
/** Risks listed in full; the rest are counted (the reports hold them all). */
export const MAX_RISKS = 40

/** `10m`, `1h05m`, `30s`, `1d2h`: a budget as people write it. */
export function formatBudget(ms: number): string {
  if (ms <= 0) return '0s'
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = Math.round(ms / 1000)
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (d > 0) return `${d}d${h ? `${h}h` : ''}`
  if (h > 0) return `${h}h${m ? String(m).padStart(2, '0') + 'm' : ''}`
  if (m > 0) return `${m}m${sec ? String(sec).padStart(2, '0') + 's' : ''}`
  return `${sec}s`
}

/** Inline code that survives backticks and line breaks in the text. */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ')
  const runs = flat.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map(r => r.length)) + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

// Plan text goes into tables of a page many people read: it must not open
// HTML, break the table or ping anyone (`@team`).
// Inside a table cell a code span must not carry a bare pipe either.
function cellCode(s: string): string {
  return code(s).replace(/\|/g, '\\|')
}

/** One line saying what a validation check proves (its kind says it). */
export function describeCheck(spec: CheckSpec): string {
  const kind = checkKindOf(spec)
  return kind ? kind.check.describe.plan(kind.body) : 'check'
}

/** One line saying what a phase's rollback action does. */
export function describeRollback(a: RollbackAction): string {
  if ('undo' in a) return 'undo'
  if ('helm' in a) return 'helm rollback to the revision before'
  return `command: ${argvLine(a.command.run)}`
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 }
const VERDICT_RANK: Partial<Record<Verdict, number>> = {
  fail: 0,
  error: 1,
  cancelled: 2,
  inconclusive: 3,
  warn: 4
}
/** Risks in the order an approver should read them: failures, then by severity. */
export function sortRisks(risks: RiskView[]): RiskView[] {
  return [...risks].sort(
    (a, b) =>
      (VERDICT_RANK[a.verdict] ?? 9) - (VERDICT_RANK[b.verdict] ?? 9) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.gate.localeCompare(b.gate) ||
      a.kind.localeCompare(b.kind) ||
      a.target.localeCompare(b.target)
  )
}

function approvalLine(a: ApprovalView): string {
  const from = {
    input: 'set by the workflow',
    plan: 'approval.environment',
    default: 'the default'
  }[a.source]
  const env = `${code(a.environment)} (${from})`
  const guard: string[] = []
  if (a.reviewers?.length)
    guard.push(`required reviewers ${a.reviewers.map(r => code(r)).join(', ')}`)
  if (a.waitTimerMinutes) guard.push(`a ${a.waitTimerMinutes}-minute wait timer`)
  switch (a.verdict) {
    case 'pass':
      return `**Approval:** environment ${env}: ${guard.join(' and ')}. The job after this one waits for it.`
    case 'skip':
      return `**Approval:** environment ${env}; not read here (no GitHub context). In a workflow the job after the plan runs in it.`
    case 'error':
      return `**Approval:** environment ${env} could not be read: see the approval check.`
    default:
      return `**Approval:** ❌ environment ${env} does not hold the job for anyone: see the approval check.`
  }
}

function when(iso?: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** The deployment-state line: which state the target reached, since when, and the last known-good. */
export function stateLine(s: StateView, plan: string, namespace: string): string {
  if (s.status === 'unknown')
    return `**Deployment state:** unknown: ${escapeText(s.reason ?? 'the state record could not be read')}.`
  if (!s.state)
    return `**Deployment state:** none yet: no deployment of ${code(plan)} is recorded in ${code(namespace)}; this will be the first.`
  const since = s.since ? ` since ${when(s.since)}` : ''
  const run = s.runId ? ` (run ${code(s.runId)})` : ''
  const good = s.lastKnownGood
    ? `; last known-good: run ${code(s.lastKnownGood.runId)} at ${when(s.lastKnownGood.at)}`
    : '; no known-good version recorded yet'
  return `**Deployment state:** ${code(s.state)}${since}${run}${good}.`
}

function evidenceLine(e: EvidenceView): string {
  if (e.status === 'not-needed') return `${e.gate}: the plan has no tracers`
  if (e.status === 'missing') return `${e.gate}: ⚠️ no report found, so its risks are unknown`
  const run = e.runId ? ` in run ${code(e.runId)}` : ''
  const at = e.finishedAt ? ` at ${when(e.finishedAt)}` : ''
  return `${e.gate}: ${VERDICT_ICON[e.verdict ?? 'pass']} ${e.verdict} (${e.checks ?? 0} checks${run}${at})`
}

function riskSection(view: PlanView): string[] {
  const out = ['#### Risks found by the reality check and the tracers', '']
  out.push(`From ${view.evidence.map(evidenceLine).join(' · ')}.`, '')
  const risks = sortRisks(view.risks)
  if (risks.length === 0) {
    const anyMissing = view.evidence.some(e => e.status === 'missing')
    out.push(
      anyMissing ? 'No risks in the reports that were found.' : 'None: every check passed.',
      ''
    )
  } else {
    out.push(
      '| | Severity | Gate | Check | Finding | What to do |',
      '| --- | --- | --- | --- | --- | --- |'
    )
    for (const r of risks.slice(0, MAX_RISKS)) {
      const gate = r.unit ? `${r.gate} ${r.unit}` : r.gate
      out.push(
        `| ${VERDICT_ICON[r.verdict]} | ${r.severity} | ${textCell(gate)} | ${textCell(r.kind)} ${cellCode(r.target)} | ${textCell(r.message)} | ${textCell(r.adjustment ?? '')} |`
      )
    }
    if (risks.length > MAX_RISKS)
      out.push(`| | | | | …and ${risks.length - MAX_RISKS} more in the reports | |`)
    out.push('')
  }
  if (view.unproven.length > 0) {
    out.push(
      `<details><summary>${view.unproven.length} check${view.unproven.length === 1 ? '' : 's'} not proven before deployment (skipped by the reality check)</summary>`,
      ''
    )
    for (const r of view.unproven.slice(0, MAX_RISKS))
      out.push(`- ${escapeText(r.kind)} ${code(r.target)}: ${escapeText(r.message)}`)
    if (view.unproven.length > MAX_RISKS)
      out.push(`- …and ${view.unproven.length - MAX_RISKS} more`)
    out.push('', '</details>', '')
  }
  return out
}

function resourceCell(p: PhaseView): string {
  if (p.helm) {
    const h = p.helm
    return `Helm release ${cellCode(h.release)} ← chart ${cellCode(h.chart)}${h.version ? ` ${cellCode(h.version)}` : ''}${h.namespace ? ` in ${cellCode(h.namespace)}` : ''}`
  }
  if (p.resourcesError) return `⚠️ ${textCell(p.resourcesError)}`
  if (p.resources.length === 0) return '—'
  const shown = p.resources.slice(0, MAX_RESOURCES_PER_PHASE).map(r => {
    const ns = r.namespace ? ` (ns ${r.namespace})` : ''
    return cellCode(`${r.kind}/${r.name}${ns}`)
  })
  if (p.resources.length > MAX_RESOURCES_PER_PHASE)
    shown.push(`…and ${p.resources.length - MAX_RESOURCES_PER_PHASE} more`)
  return shown.join('<br>')
}

function phaseSection(view: PlanView): string[] {
  const out = ['#### Phases, in order', '']
  if (view.phases.length === 0) return [...out, 'The plan has no phases.', '']
  out.push(
    '| # | Phase | Applies | Validation | Rollback | Budget |',
    '| --- | --- | --- | --- | --- | --- |'
  )
  view.phases.forEach((p, i) => {
    const files = p.files.length
      ? `<br><sub>from ${p.files.map(f => cellCode(f)).join(', ')}</sub>`
      : ''
    const checks = p.checks.length
      ? p.checks.map(c => textCell(describeCheck(c))).join('<br>')
      : 'every applied object Current (kstatus)'
    const rollback = (p.rollback.length ? p.rollback : [{ undo: true as const }]).map(a =>
      textCell(describeRollback(a))
    )
    if (p.onFailure === 'stop')
      rollback.unshift(
        '⏸️ on failure: stops, keeps its objects (onFailure: stop); a person rolls back with --gate rollback --phase'
      )
    if (p.migration?.reversible) rollback.push('then the migration down')
    if (p.migration && !p.migration.reversible)
      rollback.push('⚠️ the migration has no down step: code rollback is refused after it')
    const budget = `${formatBudget(p.budgetMs)}${p.timeout ? `<br><sub>wait ${p.timeout}</sub>` : ''}<br><sub>rollback ${formatBudget(p.rollbackBudgetMs)}</sub>`
    out.push(
      `| ${i + 1} | **${textCell(p.name)}** | ${resourceCell(p)}${files} | ${checks} | ${rollback.join('<br>')} | ${budget} |`
    )
  })
  out.push(
    '',
    'Each phase waits until what it applied is Current (kstatus), runs its checks, and on a failure runs its rollback within the rollback budget and stops the deployment. ' +
      '_undo_ deletes what the phase created (PersistentVolumeClaims and keep-annotated objects stay) and restores what it changed to the recorded state.',
    ''
  )
  return out
}

function validationSection(view: PlanView): string[] {
  const out = ['#### Validation after the last phase', '']
  const items = view.validation.checks.map(c => `- ${escapeText(describeCheck(c))}`)
  if (view.validation.rollbackTest)
    items.push(
      '- rollback test: the undo of every phase sent to the server as a dry run (what it would delete, restore and keep)'
    )
  out.push(
    ...(items.length ? items : ['- every phase’s objects stay Current; no further checks']),
    ''
  )
  return out
}

function levelSection(view: PlanView): string[] {
  if (view.levels.length === 0) return []
  const out = [
    '#### Rollback levels',
    '',
    '| Level | What it does | Budget |',
    '| --- | --- | --- |'
  ]
  for (const l of view.levels)
    out.push(`| ${l.level} | ${textCell(l.what)} | ${formatBudget(l.budgetMs)} |`)
  out.push('')
  return out
}

function rolloutSection(r: RolloutView): string[] {
  const out = ['#### Staged rollout', '']
  const mode = r.route
    ? `weights on HTTPRoute ${code(r.route)}`
    : `replica ratio of ${r.replicas ?? '?'} replicas`
  out.push(
    `Stable ${code(r.target)}, canary ${code(r.canary)}, ${mode}; metrics judged every ${r.interval ?? '30s'}; budget ${formatBudget(r.budgetMs)}.`,
    ''
  )
  out.push('| Stage | Canary weight | Hold |', '| --- | --- | --- |')
  for (const s of r.stages) out.push(`| ${textCell(s.name)} | ${s.weight} % | ${s.hold ?? '0s'} |`)
  out.push('')
  if (r.triggers.length > 0) {
    out.push('Roll back at once when any of these fires:', '')
    for (const t of r.triggers) {
      const n = t.samples ? ` in ${t.samples.n} of ${t.samples.of} samples` : ''
      out.push(
        `- ${t.metric ? `${code(t.metric)} ` : ''}${escapeText(t.text)}${n}${t.cel ? ` (${code(t.cel)})` : ''}`
      )
    }
    out.push('')
  }
  out.push(
    `A trigger moves the canary to 0 % and verifies it${r.onTrigger !== 'none' ? `, then runs the ${code(r.onTrigger)} rollback level` : ''}. No canary traffic holds the stage (inconclusive) instead of promoting it.`,
    ''
  )
  out.push(...renderJudgePlan(r.judge))
  if (r.metrics.length > 0) {
    out.push(
      '<details><summary>Metric queries</summary>',
      '',
      '| Metric | Query |',
      '| --- | --- |'
    )
    for (const m of r.metrics) out.push(`| ${textCell(m.name)} | ${cellCode(m.query)} |`)
    out.push('', '</details>', '')
  }
  return out
}

const SOURCE_WORDS: Record<BudgetLine['source'], string> = {
  plan: 'budgets',
  phase: 'the phase',
  level: 'the level',
  size: 'size default',
  derived: 'derived',
  fixed: 'default'
}

function budgetSection(view: PlanView): string[] {
  const out = ['#### Budgets', '', '| Gate | Budget | From |', '| --- | --- | --- |']
  for (const b of view.budgets) {
    const name = b.name ? `${b.gate} ${b.name}` : b.gate
    out.push(`| ${textCell(name)} | ${formatBudget(b.ms)} | ${SOURCE_WORDS[b.source]} |`)
  }
  out.push('')
  return out
}

/** A Mermaid flowchart of the way the deployment goes: approval, phases, validation, rollout stages. */
export function planFlowchart(view: PlanView): string {
  const label = (s: string): string => s.replace(/["<>]/g, "'")
  const nodes: { id: string; shape: string }[] = [{ id: 'a', shape: '{{"approval"}}' }]
  view.phases.forEach((p, i) =>
    nodes.push({ id: `p${i}`, shape: `["${i + 1}. ${label(p.name)}"]` })
  )
  nodes.push({ id: 'v', shape: '["validate"]' })
  for (const [i, s] of (view.rollout?.stages ?? []).entries())
    nodes.push({ id: `s${i}`, shape: `(["${label(s.name)} ${s.weight}%"])` })
  const lines = ['```mermaid', 'flowchart LR', `  ${nodes[0].id}${nodes[0].shape}`]
  for (let i = 1; i < nodes.length; i++)
    lines.push(`  ${nodes[i - 1].id} --> ${nodes[i].id}${nodes[i].shape}`)
  lines.push('```')
  return lines.join('\n')
}

/** The approver's Markdown for a plan. */
export function renderPlan(view: PlanView): string {
  const target = `${view.target.context ? `${view.target.context}/` : ''}${view.target.namespace}`
  const head = [`### The plan: ${escapeText(view.plan)} → ${escapeText(target)}`, '']
  const meta = [`Plan ${code(view.planFile)}`]
  if (view.target.platform && view.target.platform !== 'kubernetes')
    meta.push(`platform ${view.target.platform}`)
  if (view.owners.length) meta.push(`owners ${view.owners.map(o => code(o)).join(', ')}`)
  if (view.ticket) meta.push(`ticket ${code(view.ticket)}`)
  head.push(meta.join(' · '), '')
  head.push(approvalLine(view.approval), '')
  head.push(stateLine(view.state, view.plan, view.target.namespace), '')
  const rollout = view.rollout
    ? `, then the rollout within ${formatBudget(view.rollout.budgetMs)}`
    : ''
  head.push(
    `**Estimated time:** within ${formatBudget(view.estimateMs)} to \`active\` (the sum of the budgets on the way; a rollback has its own)${rollout}.`,
    ''
  )
  const body = [
    planFlowchart(view),
    '',
    ...riskSection(view),
    ...phaseSection(view),
    ...validationSection(view),
    ...levelSection(view),
    ...(view.rollout ? rolloutSection(view.rollout) : []),
    ...budgetSection(view)
  ]
  return redact(
    [...head, ...body]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  )
}
