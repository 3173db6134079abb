/**
 * The incident section of the deployment record: when a gate failed or a
 * rollback ran, what happened and when (first bad sample, trigger, rollback
 * level, recovered at, time to recover against the level's budget), the
 * evidence, what undo kept, and the follow-ups still open. Built from the
 * reports alone (the record gate reads no more for it); gates that know
 * their own timeline precisely (the soak gate) hand it over in
 * `details.incident`, the rollout gate in `details.trigger`.
 */

import { formatDuration } from '../core/duration.js'
import { redact } from '../core/secrets.js'
import { gateTitle } from './format.js'
import { cell } from './markdown.js'
import {
  isPassing,
  type CheckResult,
  type GateResult,
  type RunReport,
  type Verdict
} from './model.js'
import { finite, nonEmpty } from '../core/fields.js'
import { LEVEL_NAMES } from '../rollout/level-registry.js'

/** What a gate that ran its own detection and rollback knows (`GateResult.details.incident`). */
export interface IncidentHint {
  /** The sample that first showed the problem. */
  firstBadAt?: string
  /** When the gate decided (degraded, trigger). */
  triggerAt: string
  /** What tripped it, in words. */
  trigger: string
  /** The rollback level it started, when it started one. */
  level?: string
  rollbackStartedAt?: string
  /** When the rollback was verified. */
  recoveredAt?: string
  budgetMs?: number
}

/** One line of the timeline. */
export interface IncidentStep {
  at: string
  what: string
  /** The gate (and unit) it comes from. */
  source: string
}

/** A rollback that ran during the incident. */
export interface IncidentRollback {
  source: string
  /** flag, config, code, undo (a phase's), 0% (a canary moved back). */
  level: string
  startedAt?: string
  finishedAt: string
  verdict: Verdict
  message: string
  durationMs?: number
  budgetMs?: number
}

/** The incident of a run, when there was one. */
export interface Incident {
  runIds: string[]
  /** recovered: the last rollback was verified; not-recovered: it failed; no-rollback: none ran. */
  status: 'recovered' | 'not-recovered' | 'no-rollback'
  trigger: { source: string; at: string; message: string; checkId?: string }
  firstBadAt?: string
  rollbacks: IncidentRollback[]
  recoveredAt?: string
  /** From the trigger until the rollback was verified. */
  timeToRecoverMs?: number
  /** The budget of the level that recovered (or failed to). */
  budgetMs?: number
  withinBudget?: boolean
  timeline: IncidentStep[]
  evidence: { source: string; check: string; text: string }[]
  kept: string[]
  followUps: string[]
}

const EVIDENCE_MAX = 1500
const iso = (ms: number): string => new Date(ms).toISOString()
const endOf = (g: GateResult): number => Date.parse(g.startedAt) + g.durationMs
const bad = (v: Verdict): boolean => v === 'fail' || v === 'error'

function sourceOf(g: GateResult): string {
  return gateTitle(g)
}

/** Gate results of the reports in the order they ran, each once, the record gate's own left out. */
function occurrences(reports: RunReport[]): { report: RunReport; gate: GateResult }[] {
  const seen = new Set<string>()
  const out: { report: RunReport; gate: GateResult }[] = []
  for (const report of reports)
    for (const gate of report.gates) {
      if (gate.gate === 'record') continue
      const k = `${report.runId}/${gate.gate}/${gate.name ?? ''}/${gate.startedAt}`
      if (seen.has(k)) continue
      seen.add(k)
      out.push({ report, gate })
    }
  return out.sort((a, b) => a.gate.startedAt.localeCompare(b.gate.startedAt))
}

function rollbackChecks(g: GateResult): CheckResult[] {
  return g.checks.filter(c => c.kind === 'rollback')
}

/** The rollbacks a gate ran, each with its timing. */
function rollbacksOf(g: GateResult): IncidentRollback[] {
  const end = endOf(g)
  const source = sourceOf(g)
  const trig = g.details?.trigger as Record<string, unknown> | undefined
  return rollbackChecks(g).map(c => {
    const d = c.data ?? {}
    const durationMs = finite(d.durationMs) ?? (c.durationMs || undefined)
    const level =
      nonEmpty(d.level) ??
      (g.gate === 'rollback'
        ? (g.name ?? 'rollback')
        : g.gate === 'rollout' && /0%/.test(c.target)
          ? '0%'
          : 'undo')
    // The canary's move to 0 % has exact times in the rollout's trigger details.
    const finished =
      level === '0%' && nonEmpty(trig?.rolledBackAt)
        ? Date.parse(nonEmpty(trig?.rolledBackAt) as string)
        : end
    const started =
      g.gate === 'rollback'
        ? Date.parse(g.startedAt)
        : durationMs !== undefined
          ? finished - durationMs
          : undefined
    return {
      source,
      level,
      startedAt: started !== undefined ? iso(started) : undefined,
      finishedAt: iso(finished),
      verdict: c.verdict,
      message: c.message,
      durationMs,
      budgetMs: finite(d.budgetMs) ?? (g.gate === 'rollback' ? g.budgetMs : undefined)
    }
  })
}

/** When the trigger of a failed gate happened, from the best source it has. */
function triggerOf(g: GateResult): {
  at: number
  message: string
  checkId?: string
  firstBadAt?: number
} {
  const hint = g.details?.incident as IncidentHint | undefined
  if (hint?.triggerAt)
    return {
      at: Date.parse(hint.triggerAt),
      message: hint.trigger,
      firstBadAt: hint.firstBadAt ? Date.parse(hint.firstBadAt) : undefined
    }
  if (g.gate === 'rollback')
    return {
      at: Date.parse(g.startedAt),
      message: `the ${g.name ?? ''} rollback level was run by hand (--gate rollback)`.replace(
        '  ',
        ' '
      )
    }
  const failing =
    g.checks.find(c => bad(c.verdict) && c.kind !== 'rollback') ??
    g.checks.find(c => bad(c.verdict))
  const trig = g.details?.trigger as Record<string, unknown> | undefined
  if (trig && nonEmpty(trig.at)) {
    const samples = (failing?.data?.samples ?? trig.samples) as
      { at?: number; crossed?: boolean }[] | undefined
    const first = Array.isArray(samples)
      ? samples.find(s => s.crossed && typeof s.at === 'number')
      : undefined
    return {
      at: Date.parse(nonEmpty(trig.at) as string),
      message: nonEmpty(trig.message) ?? failing?.message ?? 'rollback triggered',
      checkId: failing?.id,
      firstBadAt: first?.at !== undefined ? first.at : undefined
    }
  }
  // Without timestamps per check: the gate failed when its own rollback began, else when it ended.
  const rollbackMs = rollbackChecks(g).reduce(
    (s, c) => s + (finite(c.data?.durationMs) ?? c.durationMs ?? 0),
    0
  )
  return {
    at: endOf(g) - rollbackMs,
    message: failing
      ? `${failing.kind} ${failing.target}: ${failing.message}`
      : `${sourceOf(g)} ${g.verdict}`,
    checkId: failing?.id
  }
}

/** The incident of these reports, or undefined when no gate failed and no rollback ran. */
export function buildIncident(reports: RunReport[]): Incident | undefined {
  const all = occurrences(reports)
  const involved = all.filter(
    ({ gate }) =>
      bad(gate.verdict) ||
      gate.gate === 'rollback' ||
      rollbackChecks(gate).length > 0 ||
      gate.details?.incident !== undefined
  )
  if (involved.length === 0) return undefined
  const first = involved.find(({ gate }) => gate.gate !== 'rollback') ?? involved[0]
  const t = triggerOf(first.gate)
  const hint = first.gate.details?.incident as IncidentHint | undefined
  const timeline: IncidentStep[] = []
  const step = (at: number | string, what: string, source: string): void => {
    timeline.push({ at: typeof at === 'number' ? iso(at) : at, what: redact(what), source })
  }
  if (t.firstBadAt !== undefined) step(t.firstBadAt, 'first bad sample', sourceOf(first.gate))
  step(t.at, `trigger: ${t.message}`, sourceOf(first.gate))

  const rollbacks = involved
    .flatMap(({ gate }) => rollbacksOf(gate))
    .filter(r => Date.parse(r.finishedAt) >= t.at - 1000)
  for (const r of rollbacks) {
    const budget = r.budgetMs ? ` (budget ${formatDuration(r.budgetMs)})` : ''
    if (r.startedAt) step(r.startedAt, `${r.level} rollback started${budget}`, r.source)
    step(
      r.finishedAt,
      `${r.level} rollback ${isPassing(r.verdict) ? 'verified' : `${r.verdict}`}: ${r.message}`,
      r.source
    )
  }
  for (const { gate } of involved)
    if (
      gate !== first.gate &&
      bad(gate.verdict) &&
      gate.gate !== 'rollback' &&
      rollbackChecks(gate).length === 0
    )
      step(
        endOf(gate),
        `${sourceOf(gate)} ${gate.verdict}: ${gate.checks.find(c => bad(c.verdict))?.message ?? ''}`.trim(),
        sourceOf(gate)
      )

  const last = rollbacks.at(-1)
  const status: Incident['status'] = !last
    ? 'no-rollback'
    : isPassing(last.verdict)
      ? 'recovered'
      : 'not-recovered'
  const recoveredAt = status === 'recovered' ? (hint?.recoveredAt ?? last?.finishedAt) : undefined
  if (recoveredAt)
    step(
      recoveredAt,
      'recovered: the previous version serves again',
      last?.source ?? sourceOf(first.gate)
    )
  timeline.sort((a, b) => a.at.localeCompare(b.at))

  const budgetMs = hint?.budgetMs ?? last?.budgetMs
  const timeToRecoverMs = recoveredAt ? Math.max(0, Date.parse(recoveredAt) - t.at) : undefined

  const evidence = incidentEvidence(involved)
  const kept = keptObjects(involved)
  const followUps = followUpsOf(involved, t, status, rollbacks, kept)

  return {
    runIds: [...new Set(involved.map(o => o.report.runId))],
    status,
    trigger: {
      source: sourceOf(first.gate),
      at: iso(t.at),
      message: redact(t.message),
      checkId: t.checkId
    },
    firstBadAt: t.firstBadAt !== undefined ? iso(t.firstBadAt) : undefined,
    rollbacks,
    recoveredAt,
    timeToRecoverMs,
    budgetMs,
    withinBudget:
      timeToRecoverMs !== undefined && budgetMs !== undefined
        ? timeToRecoverMs <= budgetMs
        : undefined,
    timeline,
    evidence,
    kept,
    followUps: followUps.slice(0, 12).map(redact)
  }
}

type Involved = ReturnType<typeof occurrences>
type Rollbacks = ReturnType<typeof rollbacksOf>

/** The failing checks' evidence, newest text last, at most six. */
function incidentEvidence(involved: Involved): Incident['evidence'] {
  return involved
    .flatMap(({ gate }) =>
      gate.checks
        .filter(c => bad(c.verdict) && (c.evidence || c.kind !== 'rollback'))
        .map(c => ({
          source: sourceOf(gate),
          check: `${c.kind} ${c.target}`,
          text: redact((c.evidence ?? c.message).slice(-EVIDENCE_MAX))
        }))
    )
    .slice(0, 6)
}

/** What the undo kept because it holds data. */
function keptObjects(involved: Involved): string[] {
  return [
    ...new Set(
      involved.flatMap(({ gate }) =>
        rollbackChecks(gate).flatMap(c =>
          Array.isArray(c.data?.kept)
            ? (c.data.kept as unknown[]).filter((k): k is string => typeof k === 'string')
            : []
        )
      )
    )
  ]
}

/** What is left to do: the cause, the checks' adjustments, an unfinished or slow rollback, kept objects. */
function followUpsOf(
  involved: Involved,
  t: ReturnType<typeof triggerOf>,
  status: Incident['status'],
  rollbacks: Rollbacks,
  kept: string[]
): string[] {
  const last = rollbacks.at(-1)
  const followUps: string[] = [`find and fix the cause of: ${t.message}`]
  for (const { gate } of involved)
    for (const c of gate.checks)
      if (bad(c.verdict) && c.adjustment && !followUps.includes(c.adjustment))
        followUps.push(c.adjustment)
  if (status === 'not-recovered' && last)
    followUps.push(
      `the ${last.level} rollback did not complete (${last.message}): check the target by hand and escalate to the next rollback level`
    )
  if (status === 'no-rollback')
    followUps.push(
      `nothing was rolled back: decide whether the target needs a rollback level (phase-gate check <plan> --gate rollback --level <${LEVEL_NAMES.join('|')}>)`
    )
  for (const r of rollbacks)
    if (r.durationMs !== undefined && r.budgetMs !== undefined && r.durationMs > r.budgetMs)
      followUps.push(
        `the ${r.level} rollback took ${formatDuration(r.durationMs)} of its ${formatDuration(r.budgetMs)} budget: make it faster or raise the budget`
      )
  for (const k of kept)
    followUps.push(
      `${k} was kept by the undo (it holds data): delete it when it is no longer needed`
    )
  return followUps
}

function clock(at: string): string {
  return at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')
}

/** The incident as a Markdown section (`## Incident`). */
export function renderIncident(i: Incident): string {
  const out: string[] = ['## Incident', '']
  const ttr =
    i.timeToRecoverMs !== undefined
      ? `${formatDuration(i.timeToRecoverMs)}${i.budgetMs !== undefined ? ` of the ${formatDuration(i.budgetMs)} budget${i.withinBudget === false ? ' (over budget)' : ''}` : ''}`
      : undefined
  const status =
    i.status === 'recovered'
      ? `✅ recovered at ${clock(i.recoveredAt ?? '')}${ttr ? `, ${ttr} after the trigger` : ''}`
      : i.status === 'not-recovered'
        ? '❌ not recovered: the rollback did not complete'
        : '⚠️ nothing was rolled back'
  out.push(`**Status:** ${status}  `, `**Trigger:** ${i.trigger.source}: ${i.trigger.message}  `)
  if (i.firstBadAt) {
    const detect = Date.parse(i.trigger.at) - Date.parse(i.firstBadAt)
    out.push(
      `**First bad sample:** ${clock(i.firstBadAt)} (detected ${formatDuration(Math.max(0, detect))} later)  `
    )
  }
  const level = i.rollbacks.at(-1)
  if (level)
    out.push(
      `**Rollback level:** ${level.level}${level.budgetMs ? ` (budget ${formatDuration(level.budgetMs)})` : ''}  `
    )
  if (ttr) out.push(`**Time to recover:** ${ttr}  `)
  out.push('', '### Timeline', '', '| time | source | event |', '| --- | --- | --- |')
  for (const s of i.timeline) out.push(`| ${clock(s.at)} | ${cell(s.source)} | ${cell(s.what)} |`)
  if (i.evidence.length) {
    out.push('', '### Evidence', '')
    for (const e of i.evidence)
      out.push(
        `<details><summary>${e.source}: ${e.check.replace(/</g, '&lt;')}</summary>`,
        '',
        '```text',
        e.text.replace(/```/g, "'''"),
        '```',
        '',
        '</details>',
        ''
      )
  }
  out.push('', '### Kept', '')
  out.push(
    i.kept.length
      ? i.kept.map(k => `- ${k}`).join('\n')
      : '- nothing: the rollback kept no object of its own accord'
  )
  out.push('', '### Open follow-ups', '', ...i.followUps.map(f => `- [ ] ${f}`), '')
  return out.join('\n')
}

/** The incident section for these reports, or undefined when there was no incident (one call for the record gate). */
export function incidentSection(
  reports: RunReport[]
): { incident: Incident; markdown: string } | undefined {
  const incident = buildIncident(reports)
  return incident ? { incident, markdown: renderIncident(incident) } : undefined
}
