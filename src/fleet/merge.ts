/**
 * Fleet reports written by separate steps (`--step check|deploy|soak|rollback`,
 * or the whole release) merged into one: every cluster's gates and rollbacks,
 * each wave's approval and times, the halt. Pure.
 */

import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { UsageError, errorMessage } from '../core/errors.js'
import type { LoadedPlan } from '../plan/types.js'
import { combineVerdicts, type Verdict } from '../report/model.js'
import { resolveWaves } from './plan.js'
import type { FleetClusterReport, FleetReport, FleetWaveReport } from './run.js'

const MAX_DEPTH = 4

/** True when a parsed JSON value is a fleet report. */
export function isFleetReport(v: unknown): v is FleetReport {
  if (!v || typeof v !== 'object') return false
  const r = v as Partial<FleetReport>
  return (
    r.kind === 'phase-gate-fleet' &&
    typeof r.plan === 'string' &&
    typeof r.runId === 'string' &&
    Array.isArray(r.waves) &&
    typeof r.clusters === 'object'
  )
}

/** Every fleet report of the plan in DIR and its subdirectories (*.json); other files are listed as skipped. */
export async function readFleetReports(
  dir: string,
  plan: string
): Promise<{ reports: FleetReport[]; skipped: { file: string; why: string }[] }> {
  const reports: FleetReport[] = []
  const skipped: { file: string; why: string }[] = []
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true })
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, e.name)
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1)
        continue
      }
      if (!e.isFile() || !e.name.endsWith('.json')) continue
      const shown = relative(dir, path)
      try {
        const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
        if (!isFleetReport(parsed)) skipped.push({ file: shown, why: 'not a fleet report' })
        else if (parsed.plan !== plan)
          skipped.push({ file: shown, why: `a report of plan ${parsed.plan}` })
        else reports.push(parsed)
      } catch (err) {
        skipped.push({ file: shown, why: errorMessage(err) })
      }
    }
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`--from ${dir} is not a directory`)
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError(
      `--from ${dir}: ${errorMessage(err)} (the directory of the steps' fleet reports)`
    )
  }
  await walk(dir, 0)
  if (reports.length === 0)
    throw new UsageError(
      `no fleet report of plan ${plan} in ${dir}${skippedNote(skipped)}; give --from the directory the steps wrote their --report files to`
    )
  return { reports, skipped }
}

function skippedNote(skipped: { file: string; why: string }[]): string {
  if (skipped.length === 0) return ''
  const shown = skipped.slice(0, 5).map(s => `${s.file}: ${s.why}`)
  const more = skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''
  return ` (skipped ${shown.join('; ')}${more})`
}

const earlier = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a < b ? a : b)
const later = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a > b ? a : b)

/** The verdict of what ran: `skip` entries (nothing ran) do not count. */
function ranVerdict(verdicts: Verdict[]): Verdict {
  const ran = verdicts.filter(v => v !== 'skip')
  return ran.length ? combineVerdicts(ran) : 'skip'
}

function mergeCluster(a: FleetClusterReport, b: FleetClusterReport): FleetClusterReport {
  const out: FleetClusterReport = {
    ...a,
    verdict: ranVerdict([a.verdict, b.verdict]),
    reached: a.reached || b.reached,
    gates: [...a.gates, ...b.gates],
    startedAt: earlier(a.startedAt, b.startedAt),
    finishedAt: later(a.finishedAt, b.finishedAt)
  }
  const rollback = [...(a.rollback ?? []), ...(b.rollback ?? [])]
  if (rollback.length) out.rollback = rollback
  const images = b.images ?? a.images
  if (images) out.images = images
  return out
}

const APPROVAL_RANK: Record<NonNullable<FleetWaveReport['approval']>, number> = {
  'not-asked': 0,
  refused: 1,
  none: 2,
  human: 3
}

function mergeWave(a: FleetWaveReport, b: FleetWaveReport): FleetWaveReport {
  const out: FleetWaveReport = {
    name: a.name,
    clusters: [...new Set([...a.clusters, ...b.clusters])],
    verdict: ranVerdict([a.verdict, b.verdict]),
    notes: [...new Set([...a.notes, ...b.notes])]
  }
  const startedAt = earlier(a.startedAt, b.startedAt)
  const finishedAt = later(a.finishedAt, b.finishedAt)
  if (startedAt) out.startedAt = startedAt
  if (finishedAt) out.finishedAt = finishedAt
  // A wave approved in one step and not asked in another (its check) was approved.
  const approval = [a.approval, b.approval]
    .filter(x => x !== undefined)
    .sort((x, y) => APPROVAL_RANK[y] - APPROVAL_RANK[x])[0]
  if (approval) out.approval = approval
  const approver = a.approver ?? b.approver
  if (approver) out.approver = approver
  return out
}

/** The reports merged into one, waves and clusters in the plan's order; their gates in the order they ran. */
export function mergeFleetReports(loaded: LoadedPlan, reports: FleetReport[]): FleetReport {
  const sorted = [...reports].sort((x, y) => x.startedAt.localeCompare(y.startedAt))
  const clusters = new Map<string, FleetClusterReport>()
  const waves = new Map<string, FleetWaveReport>()
  let halt: FleetReport['halt']
  for (const r of sorted) {
    for (const [name, c] of Object.entries(r.clusters)) {
      const known = clusters.get(name)
      clusters.set(name, known ? mergeCluster(known, c) : { ...c, gates: [...c.gates] })
    }
    for (const w of r.waves) {
      const known = waves.get(w.name)
      waves.set(w.name, known ? mergeWave(known, w) : { ...w, notes: [...w.notes] })
    }
    halt = r.halt ?? halt
  }
  const byStart = (x: { startedAt: string }, y: { startedAt: string }): number =>
    x.startedAt.localeCompare(y.startedAt)
  const planOrder = resolveWaves(loaded.plan.fleet ?? { clusters: [], waves: [] })
  const out: FleetReport = {
    kind: 'phase-gate-fleet',
    plan: loaded.plan.name,
    runId: sorted[0]?.runId ?? '',
    startedAt: sorted[0]?.startedAt ?? '',
    finishedAt: sorted.reduce((m, r) => later(m, r.finishedAt) ?? '', ''),
    verdict: 'skip',
    waves: [],
    clusters: {}
  }
  for (const { wave, clusters: members } of planOrder) {
    const w = waves.get(wave.name)
    if (w) out.waves.push({ ...w, clusters: members.map(c => c.name).filter(n => clusters.has(n)) })
    for (const c of members) {
      const mine = clusters.get(c.name)
      if (mine) out.clusters[c.name] = { ...mine, gates: [...mine.gates].sort(byStart) }
    }
  }
  if (halt) out.halt = halt
  const cancelled = out.waves.some(w => w.verdict === 'cancelled')
  out.verdict = halt
    ? 'fail'
    : cancelled
      ? 'cancelled'
      : ranVerdict([...out.waves.map(w => w.verdict), ...sorted.map(r => r.verdict)])
  return out
}
