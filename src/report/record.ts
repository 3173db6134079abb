/**
 * The deployment record and retrospective: what
 * was deployed where and when, its state, how to reach and operate it, the
 * credentials it uses (references only), known issues with workarounds, and
 * what diverged from the plan. The record gate gathers the facts (reports
 * and the live cluster); this module derives the retrospective from the
 * reports, decides the state reached and renders Markdown. The JSON form is
 * the `DeploymentRecord` object itself.
 */

import { formatDuration } from '../core/duration.js'
import { redact } from '../core/secrets.js'
import type { StateIndex } from '../lifecycle/record.js'
import type { DeploymentState, StateTransition } from '../lifecycle/states.js'
import { renderIncident, type Incident } from './incident.js'
import { gateTitle, timeAgainstBudget } from './format.js'
import { VERDICT_ICON, cell } from './markdown.js'
import {
  combineVerdicts,
  isPassing,
  type CheckResult,
  type GateName,
  type GateResult,
  type RunReport,
  type Severity,
  type Verdict
} from './model.js'

export const RECORD_SCHEMA_VERSION = 1

/** The deployment states (lifecycle/states.ts), in the order a deployment moves through them. */
export const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'images-ready',
  'packaged',
  'deploying',
  'active',
  'stable',
  'degraded',
  'rolling-back',
  'previous-stable',
  'failed'
]

/** One object a phase applied, with its live status when the record was made. */
export interface RecordObject {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
  /** Created by the run (absent before it). */
  created: boolean
  /** Undo keeps it (PVC, keep annotation). */
  kept: boolean
  /** kstatus of the live object (NotFound when gone), or `unknown` when it could not be read. */
  status: string
  message?: string
}

/** One phase of the run as the state record holds it. */
export interface RecordPhase {
  name: string
  status: string
  startedAt: string
  finishedAt?: string
  objects: RecordObject[]
  helm?: { release: string; namespace: string; revisionBefore?: number; revisionAfter?: number }
}

/** One container image of a workload, with the digest that runs. */
export interface RecordImage {
  container: string
  image: string
  digest?: string
  /** node: the pods' imageID; reference: pinned in the manifest; reality-check: the registry's answer during the reality check; registry: asked now. */
  digestSource?: 'node' | 'reference' | 'reality-check' | 'registry'
  init?: boolean
}

/** The kubectl commands a person runs to operate a workload. */
export interface WorkloadCommands {
  health: string
  logs: string
  restart: string
  rollback: string
}

/** A workload (Deployment, StatefulSet, DaemonSet) with replicas, state, images and commands. */
export interface RecordWorkload {
  kind: string
  name: string
  namespace: string
  replicas: { desired?: number; ready: number; available?: number; updated?: number }
  status: string
  message?: string
  revision?: string
  images: RecordImage[]
  commands: WorkloadCommands
}

/** A way in: a Service, an Ingress, an OpenShift Route or a Gateway API HTTPRoute. */
export interface AccessPoint {
  kind: 'Service' | 'Ingress' | 'Route' | 'HTTPRoute'
  name: string
  namespace: string
  /** Service type, ingress class, route TLS termination, the HTTPRoute's parent gateways. */
  type?: string
  hosts: string[]
  ports: string[]
  paths: string[]
  /** What a person opens or calls (URLs, in-cluster DNS names). */
  urls: string[]
  /** The Services it sends traffic to. */
  backends: string[]
}

/** A Secret the deployment uses, by name and key: never a value. */
export interface CredentialRef {
  secret: string
  namespace: string
  keys: string[]
  /** `Deployment web: env DATABASE_PASSWORD`, `Deployment web: volume creds`, `applied in phase config`. */
  usedBy: string[]
}

/** A warning or an unresolved failure of the run, with its workaround. */
export interface KnownIssue {
  gate: GateName
  unit?: string
  checkId: string
  verdict: Verdict
  severity: Severity
  message: string
  workaround?: string
  at: string
}

/** A check that failed and was fixed later: the plan diverged, and how it was brought back. */
export interface FixedCheck {
  gate: GateName
  unit?: string
  checkId: string
  failed: { verdict: Verdict; message: string; at: string; runId: string; attempt?: number }
  passed: { verdict: Verdict; message: string; at: string; runId: string; attempt?: number }
  adjustment?: string
}

/** Time a gate took against its budget. */
export interface GateTime {
  gate: GateName
  name?: string
  runId: string
  startedAt: string
  verdict: Verdict
  durationMs: number
  budgetMs?: number
  overBudget: boolean
}

/** A rollback that ran (a phase's undo, a rollback level). */
export interface RollbackRun {
  gate: GateName
  unit?: string
  target: string
  verdict: Verdict
  message: string
  at: string
}

/** One tracer bullet's result, a row of the record's tracer table. */
export interface TracerFinding {
  bullet: string
  assumption?: string
  verdict: Verdict
  message: string
  evidence?: string
  action?: string
  at: string
}

export interface Retrospective {
  /** One line per divergence from the plan, for a reader in a hurry. */
  divergences: string[]
  fixed: FixedCheck[]
  overBudget: GateTime[]
  rollbacks: RollbackRun[]
  tracers: TracerFinding[]
  times: GateTime[]
}

/** The state the target reached, and the cluster's own word on it. */
export interface RecordState {
  reached: DeploymentState | 'not-deployed'
  /** reports: derived from the gates' results; state-record: the index's transitions of this run; none. */
  source: 'reports' | 'state-record' | 'none'
  /** The state the index in the cluster holds now. */
  current?: DeploymentState
  since?: string
  /** Transitions of the runs in this record. */
  history: StateTransition[]
}

export interface DeploymentRecord {
  schemaVersion: typeof RECORD_SCHEMA_VERSION
  plan: string
  planFile?: string
  owners?: string[]
  ticket?: string
  runId: string
  /** Every run whose reports went into the record. */
  runs: string[]
  version: { label: string; images: string[]; commit?: string; tool: string }
  /** The run's `--image` / `--set` overrides, as given. */
  overrides?: string[]
  /** When the run's last phase finished applying. */
  deployedAt?: string
  recordedAt: string
  target: { context?: string; namespace: string; server?: string }
  /** The latest result of each gate before the record, combined (a phase failed and then fixed counts as fixed). */
  /** `rejected`: a reviewer rejected the deployment at the approval point. */
  outcome: Verdict | 'rejected'
  state: RecordState
  phases: RecordPhase[]
  /** Who sends traffic to whom: access point → Service → workload. */
  architecture: { from: string; to: string }[]
  workloads: RecordWorkload[]
  access: AccessPoint[]
  /** Commands that repeat the plan's http checks by hand. */
  healthChecks: string[]
  credentials: CredentialRef[]
  knownIssues: KnownIssue[]
  /** When a gate failed or a rollback ran: the incident's timeline, rollbacks, evidence and follow-ups (src/report/incident.ts). */
  incident?: Incident
  retrospective: Retrospective
  sources: {
    reports: string[]
    stateRecord: 'read' | 'unreadable' | 'none'
    live: 'read' | 'unreadable'
    notes: string[]
  }
}

// ------------------------------------------------------------------ reports

function reportKey(r: RunReport): string {
  return [
    r.runId,
    r.startedAt,
    r.finishedAt,
    r.gates.map(g => `${g.gate}/${g.name ?? ''}/${g.startedAt}`).join(',')
  ].join('|')
}

/** Reports in the order they ran, duplicates dropped; a report that is a prefix of a later one of the same call (the engine's run so far) is dropped too. */
export function mergeReports(reports: RunReport[]): RunReport[] {
  const seen = new Map<string, RunReport>()
  for (const r of reports) seen.set(reportKey(r), r)
  const all = [...seen.values()]
  const kept = all.filter(
    r =>
      !all.some(
        o =>
          o !== r &&
          o.runId === r.runId &&
          o.startedAt === r.startedAt &&
          o.gates.length > r.gates.length &&
          r.gates.every(
            (g, i) =>
              o.gates[i]?.gate === g.gate &&
              o.gates[i]?.startedAt === g.startedAt &&
              o.gates[i]?.name === g.name
          )
      )
  )
  return kept.sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.finishedAt.localeCompare(b.finishedAt)
  )
}

/** Every gate result of the reports in the order they ran, the record gate's own left out. */
export function gateOccurrences(reports: RunReport[]): { report: RunReport; gate: GateResult }[] {
  return mergeReports(reports).flatMap(report =>
    report.gates.filter(g => g.gate !== 'record').map(gate => ({ report, gate }))
  )
}

const isFailing = (v: Verdict): boolean =>
  v === 'fail' || v === 'error' || v === 'cancelled' || v === 'inconclusive'

function checkKey(g: GateResult, c: CheckResult): string {
  return `${g.gate}/${g.name ?? ''}/${c.id}`
}

/** The verdict the deployment stands at: the latest result of each gate (and phase, stage, level) combined; `skip` without reports. */
export function standingVerdict(reports: RunReport[]): Verdict {
  const latest = new Map<string, Verdict>()
  for (const { gate } of gateOccurrences(reports))
    latest.set(`${gate.gate}/${gate.name ?? ''}`, gate.verdict)
  return latest.size ? combineVerdicts(latest.values()) : 'skip'
}

/** Warnings and failures whose latest occurrence still stands, failures first. */
export function knownIssues(reports: RunReport[]): KnownIssue[] {
  const latest = new Map<string, KnownIssue & { passing: boolean }>()
  for (const { gate, report } of gateOccurrences(reports)) {
    for (const c of gate.checks) {
      latest.set(checkKey(gate, c), {
        gate: gate.gate,
        unit: gate.name,
        checkId: c.id,
        verdict: c.verdict,
        severity: c.severity,
        message: c.message,
        workaround: c.adjustment,
        at: gate.startedAt || report.startedAt,
        passing: c.verdict === 'pass' || c.verdict === 'skip'
      })
    }
  }
  const rank = (v: Verdict): number => (isFailing(v) ? 0 : 1)
  return [...latest.values()]
    .filter(i => !i.passing)
    .sort((a, b) => rank(a.verdict) - rank(b.verdict))
    .map(({ passing: _p, ...issue }) => issue)
}

// `in attempt 2` when the report came from a numbered run attempt (a re-run).
function attemptWords(o: { attempt?: number }): string {
  return o.attempt !== undefined ? ` in attempt ${o.attempt}` : ''
}

/** The retrospective: fixed checks, time against budget, rollbacks, tracer bullets, and a line per divergence. */
export function retrospect(reports: RunReport[]): Retrospective {
  const occurrences = gateOccurrences(reports)
  const fixed: FixedCheck[] = []
  const firstFailure = new Map<
    string,
    { gate: GateResult; check: CheckResult; runId: string; attempt?: number }
  >()
  const times: GateTime[] = []
  const rollbacks: RollbackRun[] = []
  const tracers: TracerFinding[] = []
  for (const { report, gate } of occurrences) {
    times.push({
      gate: gate.gate,
      name: gate.name,
      runId: report.runId,
      startedAt: gate.startedAt,
      verdict: gate.verdict,
      durationMs: gate.durationMs,
      budgetMs: gate.budgetMs,
      overBudget: gate.budgetMs !== undefined && gate.durationMs > gate.budgetMs
    })
    for (const c of gate.checks) {
      const k = checkKey(gate, c)
      if (isFailing(c.verdict) && c.verdict !== 'cancelled') {
        if (!firstFailure.has(k))
          firstFailure.set(k, { gate, check: c, runId: report.runId, attempt: report.runAttempt })
      } else if (c.verdict === 'pass' || c.verdict === 'warn') {
        const f = firstFailure.get(k)
        if (f) {
          fixed.push({
            gate: gate.gate,
            unit: gate.name,
            checkId: c.id,
            failed: {
              verdict: f.check.verdict,
              message: f.check.message,
              at: f.gate.startedAt,
              runId: f.runId,
              ...(f.attempt !== undefined ? { attempt: f.attempt } : {})
            },
            passed: {
              verdict: c.verdict,
              message: c.message,
              at: gate.startedAt,
              runId: report.runId,
              ...(report.runAttempt !== undefined ? { attempt: report.runAttempt } : {})
            },
            adjustment: f.check.adjustment
          })
          firstFailure.delete(k)
        }
      }
      if (gate.gate === 'rollback' || c.kind === 'rollback')
        rollbacks.push({
          gate: gate.gate,
          unit: gate.name,
          target: c.target,
          verdict: c.verdict,
          message: c.message,
          at: gate.startedAt
        })
      if (gate.gate === 'tracer' && c.kind === 'tracer')
        tracers.push({
          bullet: c.target,
          assumption: typeof c.data?.assumption === 'string' ? c.data.assumption : undefined,
          verdict: c.verdict,
          message: c.message,
          evidence: c.evidence,
          action: c.adjustment,
          at: gate.startedAt
        })
    }
  }
  const overBudget = times.filter(t => t.overBudget)
  const divergences = [
    ...fixed.map(
      f =>
        `${f.checkId} (${gateTitle({ gate: f.gate, name: f.unit })}) failed${attemptWords(f.failed)} (${f.failed.message}) and passed later${f.passed.runId !== f.failed.runId ? ` in run ${f.passed.runId}` : ''}${attemptWords(f.passed)}`
    ),
    ...overBudget.map(
      t =>
        `${gateTitle(t)} took ${formatDuration(t.durationMs)} against a budget of ${formatDuration(t.budgetMs ?? 0)}`
    ),
    ...rollbacks.map(
      r =>
        `rollback ${r.target} (${gateTitle({ gate: r.gate, name: r.unit })}): ${r.verdict}: ${r.message}`
    ),
    ...tracers
      .filter(t => t.verdict !== 'pass')
      .map(
        t =>
          `tracer ${t.bullet}: ${t.assumption ? `the assumption "${t.assumption}" did not hold: ` : ''}${t.message}`
      ),
    // Tracer bullets and rollbacks are listed above already.
    ...[...firstFailure.values()]
      .filter(f => f.check.kind !== 'tracer' && f.check.kind !== 'rollback')
      .map(f => `${f.check.id} (${gateTitle(f.gate)}) failed and was not fixed: ${f.check.message}`)
  ]
  return { divergences, fixed, overBudget, rollbacks, tracers, times }
}

function isDeploymentState(v: unknown): v is DeploymentState {
  return typeof v === 'string' && (DEPLOYMENT_STATES as readonly string[]).includes(v)
}

/** A state a gate declares in `details.state`: the state itself, or the index's `{current}` after the gate (soak). */
function declaredState(v: unknown): DeploymentState | undefined {
  if (isDeploymentState(v)) return v
  const current = v && typeof v === 'object' ? (v as { current?: unknown }).current : undefined
  return isDeploymentState(current) ? current : undefined
}

/**
 * The state the reports say the target reached: reality check passed →
 * images-ready; a phase applied → deploying; validated → active; a phase
 * that failed and was rolled back → previous-stable (failed when the
 * rollback failed); a rollback level → previous-stable; soak → stable or
 * degraded; a rollout stage at 100 % → active, a rollout trigger →
 * previous-stable. A gate may state it outright in `details.state` (the
 * state, or `{current}` as the soak gate writes it). Undefined when
 * the reports say nothing about it.
 */
export function deriveState(reports: RunReport[]): DeploymentState | undefined {
  let s: DeploymentState | undefined
  for (const { gate: g } of gateOccurrences(reports)) {
    const declared = declaredState(g.details?.state)
    if (declared) {
      s = declared
      continue
    }
    const passing = isPassing(g.verdict) && g.verdict !== 'skip'
    const undo = g.checks.filter(c => c.kind === 'rollback')
    switch (g.gate) {
      case 'reality-check':
        if (passing && s === undefined) s = 'images-ready'
        break
      case 'phase':
        if (passing) s = 'deploying'
        else if (undo.length)
          s = undo.every(c => isPassing(c.verdict)) ? 'previous-stable' : 'failed'
        // A phase refused before it changed anything leaves the state as it was.
        else if (g.checks.some(c => c.kind === 'apply' && c.verdict === 'pass')) s = 'failed'
        break
      case 'validate':
        if (passing) s = 'active'
        break
      case 'rollout':
        // A trigger moved the canary back; otherwise a stage at 100 % is the full rollout.
        if (g.details?.trigger)
          s = undo.length && !undo.every(c => isPassing(c.verdict)) ? 'failed' : 'previous-stable'
        else if (passing) s = Number(g.details?.weight) >= 100 ? 'active' : 'deploying'
        break
      case 'rollback':
        if (g.verdict !== 'skip') s = isPassing(g.verdict) ? 'previous-stable' : 'failed'
        break
      case 'soak':
        if (g.verdict !== 'skip') s = isPassing(g.verdict) ? 'stable' : 'degraded'
        break
      default:
        break
    }
  }
  return s
}

/** The state to record: what the reports say, else the index's last transition of these runs, else not deployed. */
export function chooseState(
  derived: DeploymentState | undefined,
  index: Pick<StateIndex, 'state' | 'stateSince' | 'history'> | undefined,
  runs: string[]
): RecordState {
  const history = (index?.history ?? []).filter(h => runs.includes(h.runId))
  const base = { current: index?.state, since: index?.stateSince, history }
  if (derived) return { reached: derived, source: 'reports', ...base }
  const last = history[history.length - 1]
  if (last) return { reached: last.state, source: 'state-record', ...base }
  return { reached: 'not-deployed', source: 'none', ...base }
}

// ------------------------------------------------------------------ operations

const SHORT_KIND: Record<string, string> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds'
}

/** The health, logs, restart and rollback commands of a workload. */
export function workloadCommands(kind: string, name: string, namespace: string): WorkloadCommands {
  const ref = `${SHORT_KIND[kind] ?? kind.toLowerCase()}/${name}`
  const k = `kubectl -n ${namespace}`
  return {
    health: `${k} rollout status ${ref}`,
    logs: `${k} logs ${ref} --tail=100`,
    restart: `${k} rollout restart ${ref}`,
    rollback: `${k} rollout undo ${ref}`
  }
}

// ------------------------------------------------------------------ Markdown

const STATE_WORDS: Record<RecordState['reached'], string> = {
  'images-ready': 'images ready (nothing applied yet)',
  packaged: 'packaged',
  deploying: 'deploying (applied, not validated)',
  active: 'active (validated)',
  stable: 'stable (healthy through the soak)',
  degraded: 'degraded',
  'rolling-back': 'rolling back',
  'previous-stable': 'previous stable (rolled back)',
  failed: 'failed (rollback incomplete: see known issues)',
  'not-deployed': 'not deployed'
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

function when(iso: string | undefined): string {
  if (!iso) return '—'
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/Z$/, ' UTC')
}

function firstLine(text: string, max = 300): string {
  const line = text.split('\n')[0]
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

function replicasText(w: RecordWorkload): string {
  const r = w.replicas
  return `${r.ready}/${r.desired ?? '?'} ready${r.updated !== undefined ? `, ${r.updated} updated` : ''}${r.available !== undefined ? `, ${r.available} available` : ''}`
}

function imageText(i: RecordImage): string {
  const digest = i.digest ? `@${i.digest}` : ''
  const pinned = i.digest && i.image.includes('@') ? i.image : `${i.image}${digest}`
  const source = i.digest
    ? ` (${i.digestSource === 'node' ? 'running' : i.digestSource === 'reference' ? 'pinned' : i.digestSource === 'reality-check' ? 'registry, at the reality check' : 'registry'})`
    : ' (digest unknown: the node reported no imageID)'
  return `${i.init ? 'init ' : ''}${i.container}: ${code(pinned)}${source}`
}

function architectureChart(edges: DeploymentRecord['architecture']): string[] {
  if (edges.length === 0) return []
  const ids = new Map<string, string>()
  const id = (n: string): string => {
    if (!ids.has(n)) ids.set(n, `n${ids.size}`)
    return ids.get(n) as string
  }
  const lines = ['```mermaid', 'flowchart LR']
  for (const e of edges)
    lines.push(
      `  ${id(e.from)}["${e.from.replace(/"/g, "'")}"] --> ${id(e.to)}["${e.to.replace(/"/g, "'")}"]`
    )
  lines.push('```')
  return lines
}

/** The deployment record as Markdown (secrets redacted; credentials are references only). */
export function renderRecord(r: DeploymentRecord): string {
  const sections = [
    recordHeader(r),
    recordDeployed(r),
    recordComponents(r),
    recordAccess(r),
    recordOperations(r),
    recordCredentials(r),
    recordKnownIssues(r),
    recordRetrospective(r),
    recordSources(r)
  ]
  return redact(sections.flat().join('\n'))
}

/** The title and the facts table. */
function recordHeader(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  const ns = r.target.namespace
  push(`# Deployment record: ${r.plan}${r.version.label ? ` ${r.version.label}` : ''}`, '')
  push(
    '| | |',
    '| --- | --- |',
    `| Deployed | ${r.deployedAt ? when(r.deployedAt) : 'not deployed'} |`,
    `| Target | namespace ${code(ns)}${r.target.context ? `, context ${code(r.target.context)}` : ''}${r.target.server ? `, server ${cell(r.target.server)}` : ''} |`,
    `| Plan | ${r.planFile ? `${code(r.planFile)} ` : ''}(${cell(r.plan)}) |`,
    `| Version | ${cell(r.version.label || '—')}${r.version.commit ? `, commit ${code(r.version.commit.slice(0, 12))}` : ''}; phase-gate ${cell(r.version.tool)} |`,
    ...(r.overrides?.length ? [`| Overrides | ${r.overrides.map(code).join(', ')} |`] : []),
    `| Run | ${code(r.runId)}${r.runs.length > 1 ? ` (reports of ${r.runs.map(code).join(', ')})` : ''} |`,
    `| Outcome | ${r.outcome === 'rejected' ? '⛔ rejected at the approval' : `${VERDICT_ICON[r.outcome]} ${r.outcome}`} |`,
    `| State reached | **${STATE_WORDS[r.state.reached]}**${r.state.current && r.state.current !== r.state.reached ? `; the state record says ${code(r.state.current)}` : ''}${r.state.since ? ` since ${when(r.state.since)}` : ''} |`,
    ...(r.owners?.length ? [`| Owners | ${cell(r.owners.join(', '))} |`] : []),
    ...(r.ticket ? [`| Ticket | ${cell(r.ticket)} |`] : []),
    `| Recorded | ${when(r.recordedAt)} |`,
    ''
  )
  return out
}

/** What each phase applied, and the architecture. */
function recordDeployed(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## What was deployed', '')
  if (r.phases.length === 0)
    push('No phase of this run is recorded in the cluster: nothing was applied.', '')
  for (const p of r.phases) {
    push(`### Phase ${code(p.name)}: ${p.status}`, '')
    push(
      `Started ${when(p.startedAt)}${p.finishedAt ? `, finished ${when(p.finishedAt)}` : ''}.`,
      ''
    )
    if (p.helm)
      push(
        `Helm release ${code(p.helm.release)} in ${code(p.helm.namespace)}: revision ${p.helm.revisionBefore ?? 'none'} → ${p.helm.revisionAfter ?? '?'}.`,
        ''
      )
    if (p.objects.length) {
      push('| Object | Change | Live status |', '| --- | --- | --- |')
      for (const o of p.objects)
        push(
          `| ${cell(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`)} | ${o.created ? 'created' : 'updated'}${o.kept ? ', kept on undo' : ''} | ${cell(o.status)}${o.message ? `: ${cell(firstLine(o.message, 160))}` : ''} |`
        )
      push('')
    }
  }
  const chart = architectureChart(r.architecture)
  if (chart.length) push('### Architecture', '', ...chart, '')
  return out
}

/** The workloads. */
function recordComponents(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## Components', '')
  if (r.workloads.length === 0) push('No workloads (Deployment, StatefulSet, DaemonSet).', '')
  else {
    push('| Workload | Replicas | Status | Images |', '| --- | --- | --- | --- |')
    for (const w of r.workloads)
      push(
        `| ${cell(`${w.kind} ${w.name}`)} | ${cell(replicasText(w))} | ${cell(w.status)}${w.message ? `: ${cell(firstLine(w.message, 160))}` : ''} | ${w.images.map(i => cell(imageText(i))).join('<br>')} |`
      )
    push('')
  }
  return out
}

/** The ways in. */
function recordAccess(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## Access', '')
  if (r.access.length === 0) push('No Service, Ingress, Route or HTTPRoute.', '')
  else {
    push(
      '| Kind | Name | Hosts and ports | Paths | Reach it at |',
      '| --- | --- | --- | --- | --- |'
    )
    for (const a of r.access)
      push(
        `| ${a.kind}${a.type ? ` (${cell(a.type)})` : ''} | ${cell(a.name)} | ${cell([...a.hosts, ...a.ports].join(', ') || '—')} | ${cell(a.paths.join(', ') || '—')} | ${a.urls.map(u => cell(code(u))).join('<br>') || '—'} |`
      )
    push('')
  }
  return out
}

/** Health, logs, restart and rollback commands. */
function recordOperations(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## Operations', '')
  if (r.healthChecks.length)
    push('Health checks of the plan, by hand:', '', '```sh', ...r.healthChecks, '```', '')
  for (const w of r.workloads) {
    push(`### ${w.kind} ${code(w.name)}`, '', '```sh')
    push(
      `# health`,
      w.commands.health,
      `# logs`,
      w.commands.logs,
      `# restart`,
      w.commands.restart,
      `# roll back to the previous revision`,
      w.commands.rollback,
      '```',
      ''
    )
  }
  if (r.workloads.length === 0 && r.healthChecks.length === 0) push('Nothing to operate.', '')
  return out
}

/** Secret references, never values. */
function recordCredentials(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  const ns = r.target.namespace
  push(
    '## Credentials',
    '',
    'References only: read the values from the cluster when needed, never from this record.',
    ''
  )
  if (r.credentials.length === 0) push('No Secret is referenced.', '')
  else {
    push('| Secret | Keys | Used by |', '| --- | --- | --- |')
    for (const c of r.credentials)
      push(
        `| ${code(`${c.namespace}/${c.secret}`)} | ${cell(c.keys.map(k => code(k)).join(', ') || '(all keys)')} | ${cell(c.usedBy.join('; '))} |`
      )
    push(
      '',
      `Read one: ${code(`kubectl -n ${ns} get secret <name> -o jsonpath='{.data.<key>}' | base64 -d`)}`,
      ''
    )
  }
  return out
}

/** Warnings and unresolved failures with workarounds, then the incident. */
function recordKnownIssues(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## Known issues', '')
  if (r.knownIssues.length === 0) push('None: no warning, no unresolved failure.', '')
  else {
    push('| | Gate | Check | Issue | Workaround |', '| --- | --- | --- | --- | --- |')
    for (const i of r.knownIssues)
      push(
        `| ${VERDICT_ICON[i.verdict]} | ${cell(gateTitle({ gate: i.gate, name: i.unit }))} | ${cell(i.checkId)} | ${cell(firstLine(i.message))} | ${cell(i.workaround ? firstLine(i.workaround) : '—')} |`
      )
    push('')
  }

  if (r.incident) push(renderIncident(r.incident), '')
  return out
}

/** What diverged, tracer bullets, time against budget, state history. */
function recordRetrospective(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  const retro = r.retrospective
  push('## Retrospective', '', '### What diverged from the plan', '')
  if (retro.divergences.length === 0)
    push('Nothing: every gate passed as planned, within its budget.', '')
  else push(...retro.divergences.map(d => `- ${firstLine(d, 400)}`), '')
  if (retro.tracers.length) {
    push(
      '### Tracer bullets',
      '',
      '| Bullet | Assumption | Result | Evidence |',
      '| --- | --- | --- | --- |'
    )
    for (const t of retro.tracers)
      push(
        `| ${cell(t.bullet)} | ${cell(t.assumption ?? '—')} | ${VERDICT_ICON[t.verdict]} ${cell(firstLine(t.message, 200))} | ${cell(t.evidence ? firstLine(t.evidence, 200) : '—')} |`
      )
    push('')
  }
  if (retro.times.length) {
    push(
      '### Time against budget',
      '',
      '| Gate | Run | Result | Time / budget |',
      '| --- | --- | --- | --- |'
    )
    for (const t of retro.times)
      push(
        `| ${cell(gateTitle(t))} | ${code(t.runId)} | ${VERDICT_ICON[t.verdict]} ${t.verdict} | ${timeAgainstBudget(t.durationMs, t.budgetMs)} |`
      )
    push('')
  }
  if (r.state.history.length) {
    push('### State history', '', '| When | State | Run | Why |', '| --- | --- | --- | --- |')
    for (const h of r.state.history)
      push(`| ${when(h.at)} | ${h.state} | ${code(h.runId)} | ${cell(h.reason ?? '')} |`)
    push('')
  }
  return out
}

/** What the record was built from. */
function recordSources(r: DeploymentRecord): string[] {
  const out: string[] = []
  const push = (...lines: string[]): void => void out.push(...lines)
  push('## Sources', '')
  push(`- reports: ${r.sources.reports.length ? r.sources.reports.map(code).join(', ') : 'none'}`)
  push(`- state record in the cluster: ${r.sources.stateRecord}; live objects: ${r.sources.live}`)
  push(...r.sources.notes.map(n => `- ${n}`), '')
  return out
}
