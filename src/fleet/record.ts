/**
 * The fleet record: one record of a whole fleet release, built from the
 * merged fleet reports. Per wave: its approver, verdict and times; per
 * cluster: the image digests deployed, each gate's verdict with its failed
 * checks, the rollback's proof (what it verified), and a timeline of wave
 * and cluster starts and ends. Pure; the Markdown is in record-render.ts.
 */

import type { FleetSpec, LoadedPlan } from '../plan/types.js'
import { normalisedImage } from '../gates/record.js'
import type { RunApproval } from '../github/types.js'
import { combineVerdicts, isPassing, type GateResult, type Verdict } from '../report/model.js'
import type { RecordImage } from '../report/record.js'
import { resolveWaves } from './plan.js'
import type { FleetClusterReport, FleetReport, FleetWaveReport } from './run.js'

export interface FleetRecordGate {
  gate: string
  name?: string
  verdict: Verdict
  startedAt: string
  durationMs: number
  /** The checks that did not pass: `id: message`. */
  failed: string[]
}

export interface FleetRecordCluster {
  name: string
  wave: string
  context: string
  namespace: string
  verdict: Verdict
  /** Something may have been applied (a phase gate ran). */
  reached: boolean
  startedAt?: string
  finishedAt?: string
  images: RecordImage[]
  gates: FleetRecordGate[]
  /** The rollback and what it verified. */
  rollback?: { verdict: Verdict; at?: string; proof: string[]; failed: string[] }
}

export interface FleetRecordWave {
  index: number
  name: string
  verdict: Verdict
  clusters: string[]
  /** github (environment approvals), human (a TTY answer), none (--approve), rejected, refused, not-asked, unknown. */
  approval: string
  /** Who approved, as a person reads it. */
  approver: string
  startedAt?: string
  finishedAt?: string
  notes: string[]
}

export interface FleetTimelineEvent {
  at: string
  wave: string
  cluster?: string
  event: string
}

export interface FleetRecord {
  kind: 'phase-gate-fleet-record'
  plan: string
  runId: string
  verdict: Verdict
  onHalt: 'rollback' | 'hold'
  startedAt: string
  finishedAt: string
  halt?: FleetReport['halt']
  waves: FleetRecordWave[]
  clusters: FleetRecordCluster[]
  timeline: FleetTimelineEvent[]
}

export interface FleetRecordOptions {
  /** The GitHub run's environment approvals, and the prefix naming each wave's environment. */
  approvals?: { prefix: string; items: RunApproval[] }
}

function recordGate(g: GateResult): FleetRecordGate {
  const out: FleetRecordGate = {
    gate: g.gate,
    verdict: g.verdict,
    startedAt: g.startedAt,
    durationMs: g.durationMs,
    failed: g.checks.filter(c => !isPassing(c.verdict)).map(c => `${c.id}: ${c.message}`)
  }
  if (g.name) out.name = g.name
  return out
}

/** The cluster's images, digests the pods did not report taken from its reality check's registry answers. */
function imagesOf(c: FleetClusterReport): RecordImage[] {
  const known = new Map<string, string>()
  for (const g of c.gates.filter(x => x.gate === 'reality-check'))
    for (const check of g.checks) {
      const digest = check.data?.digest
      const reference = check.data?.reference
      if (check.kind === 'image' && typeof digest === 'string' && typeof reference === 'string')
        known.set(normalisedImage(reference), digest)
    }
  return (c.images ?? []).map(img => {
    if (img.digest) return { ...img }
    const d = known.get(normalisedImage(img.image))
    return d ? { ...img, digest: d, digestSource: 'reality-check' as const } : { ...img }
  })
}

function recordCluster(name: string, c: FleetClusterReport): FleetRecordCluster {
  const gates = c.gates.map(recordGate)
  const out: FleetRecordCluster = {
    name,
    wave: c.wave,
    context: c.context,
    namespace: c.namespace,
    verdict: gates.length ? combineVerdicts(gates.map(g => g.verdict)) : 'skip',
    reached: c.reached,
    images: imagesOf(c),
    gates
  }
  if (c.startedAt) out.startedAt = c.startedAt
  if (c.finishedAt) out.finishedAt = c.finishedAt
  if (c.rollback?.length) {
    const checks = c.rollback.flatMap(g => g.checks)
    out.rollback = {
      verdict: combineVerdicts(c.rollback.map(g => g.verdict)),
      at: c.rollback[0].startedAt,
      proof: [
        ...checks.filter(x => isPassing(x.verdict)).map(x => `${x.id}: ${x.message}`),
        ...c.rollback.flatMap(g => g.notes ?? [])
      ],
      failed: checks.filter(x => !isPassing(x.verdict)).map(x => `${x.id}: ${x.message}`)
    }
  }
  return out
}

/** The wave's approver: the GitHub environment's approvals when there are any, else what the report says. */
function approverOf(
  w: FleetWaveReport,
  approvals: FleetRecordOptions['approvals']
): { approval: string; approver: string } {
  const env = approvals ? `${approvals.prefix}${w.name}` : undefined
  const mine = approvals?.items.filter(a => a.environments.some(e => e.name === env)) ?? []
  const who = (state: string): string[] =>
    mine.filter(a => a.state === state).map(a => a.user?.login ?? 'unknown user')
  if (who('rejected').length)
    return { approval: 'rejected', approver: `rejected by ${who('rejected').join(', ')} (${env})` }
  if (who('approved').length)
    return { approval: 'github', approver: `${who('approved').join(', ')} (${env})` }
  switch (w.approval) {
    case 'human':
      return { approval: 'human', approver: w.approver ?? 'the local user' }
    case 'none':
      return { approval: 'none', approver: 'no human approval (--approve)' }
    case 'refused':
      return { approval: 'refused', approver: 'refused' }
    case 'not-asked':
      return { approval: 'not-asked', approver: 'not asked (no TTY, no --approve)' }
    default:
      return { approval: 'unknown', approver: '–' }
  }
}

function timelineOf(
  waves: FleetRecordWave[],
  clusters: FleetRecordCluster[],
  halt: FleetReport['halt']
): FleetTimelineEvent[] {
  const events: FleetTimelineEvent[] = []
  if (halt?.at) events.push({ at: halt.at, wave: halt.wave, event: `halted: ${halt.reason}` })
  for (const w of waves) {
    if (w.startedAt) events.push({ at: w.startedAt, wave: w.name, event: 'wave started' })
    if (w.finishedAt)
      events.push({ at: w.finishedAt, wave: w.name, event: `wave finished: ${w.verdict}` })
  }
  for (const c of clusters) {
    const base = { wave: c.wave, cluster: c.name }
    if (c.startedAt) events.push({ ...base, at: c.startedAt, event: 'cluster started' })
    for (const g of c.gates)
      events.push({
        ...base,
        at: g.startedAt,
        event: `${g.gate}${g.name ? ` ${g.name}` : ''}: ${g.verdict}`
      })
    if (c.rollback?.at)
      events.push({ ...base, at: c.rollback.at, event: `rolled back: ${c.rollback.verdict}` })
    if (c.finishedAt) events.push({ ...base, at: c.finishedAt, event: 'cluster finished' })
  }
  // Rank keeps a start before the gates and an end after them when they share a millisecond.
  const rank = (e: FleetTimelineEvent): number =>
    e.event.endsWith('started')
      ? 0
      : e.event.startsWith('wave finished')
        ? 3
        : e.event === 'cluster finished'
          ? 2
          : 1
  return events.sort((a, b) => a.at.localeCompare(b.at) || rank(a) - rank(b))
}

/** The fleet record of a merged fleet report. */
export function buildFleetRecord(
  loaded: LoadedPlan,
  merged: FleetReport,
  opts: FleetRecordOptions = {}
): FleetRecord {
  const fleet = loaded.plan.fleet as FleetSpec
  const index = new Map(resolveWaves(fleet).map((w, i) => [w.wave.name, i + 1]))
  const clusters = Object.entries(merged.clusters).map(([n, c]) => recordCluster(n, c))
  const waves = merged.waves.map(w => {
    const out: FleetRecordWave = {
      index: index.get(w.name) ?? 0,
      name: w.name,
      verdict: w.verdict,
      clusters: w.clusters,
      ...approverOf(w, opts.approvals),
      notes: w.notes
    }
    if (w.startedAt) out.startedAt = w.startedAt
    if (w.finishedAt) out.finishedAt = w.finishedAt
    return out
  })
  const record: FleetRecord = {
    kind: 'phase-gate-fleet-record',
    plan: merged.plan,
    runId: merged.runId,
    verdict: merged.verdict,
    onHalt: fleet.onHalt ?? 'rollback',
    startedAt: merged.startedAt,
    finishedAt: merged.finishedAt,
    waves,
    clusters,
    timeline: timelineOf(waves, clusters, merged.halt)
  }
  if (merged.halt) record.halt = merged.halt
  return record
}
