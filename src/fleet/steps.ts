/**
 * The fleet release as separate steps, one process each, for a workflow that
 * fans out over jobs: `list` (the waves and their clusters), `check` (a wave's
 * reality checks), `deploy` (one cluster of a wave), `soak` (a wave's soak),
 * `rollback` (every cluster the reports mark reached). Each step writes the
 * same FleetReport as the whole release, covering what it did, so any set of
 * them merges (merge.ts) into the fleet record.
 */

import { UsageError } from '../core/errors.js'
import { soakSettings } from '../plan/soak-settings.js'
import type { FleetCluster, FleetSpec, LoadedPlan } from '../plan/types.js'
import { combineVerdicts, isPassing } from '../report/model.js'
import { MAX_FLEET_WAVES, resolveWaves, type ResolvedWave } from './plan.js'
import { mergeFleetReports } from './merge.js'
import {
  approveWave,
  checkWave,
  deployCluster,
  emit,
  failureReason,
  holdCommands,
  newFleetReport,
  rollbackClusters,
  soakWave,
  type FleetDeps,
  type FleetReport,
  type FleetWaveReport
} from './run.js'

export const FLEET_STEPS = ['check', 'deploy', 'soak', 'rollback', 'record'] as const
export type FleetStep = (typeof FLEET_STEPS)[number]

/** `--list`: the waves in order with their clusters and contexts (a workflow's matrix). */
export interface FleetList {
  plan: string
  onHalt: 'rollback' | 'hold'
  maxWaves: number
  waves: {
    index: number
    name: string
    clusters: string[]
    contexts: Record<string, string>
    maxParallel: number
    soak: string | null
  }[]
}

export function fleetList(loaded: LoadedPlan): FleetList {
  const fleet = loaded.plan.fleet as FleetSpec
  return {
    plan: loaded.plan.name,
    onHalt: fleet.onHalt ?? 'rollback',
    maxWaves: MAX_FLEET_WAVES,
    waves: resolveWaves(fleet).map(({ wave, clusters }, i) => ({
      index: i + 1,
      name: wave.name,
      clusters: clusters.map(c => c.name),
      contexts: Object.fromEntries(clusters.map(c => [c.name, c.context])),
      maxParallel: wave.maxParallel ?? 1,
      soak: wave.soak ?? null
    }))
  }
}

/** The wave named, with its clusters; a UsageError naming the waves there are otherwise. */
export function waveNamed(
  loaded: LoadedPlan,
  name: string | undefined,
  step: string
): ResolvedWave {
  const waves = resolveWaves(loaded.plan.fleet as FleetSpec)
  if (!name)
    throw new UsageError(
      `--step ${step} needs --wave NAME; waves: ${waves.map(w => w.wave.name).join(', ')}`
    )
  const found = waves.find(w => w.wave.name === name)
  if (!found)
    throw new UsageError(
      `no wave "${name}" in ${loaded.displayFile}; waves: ${waves.map(w => w.wave.name).join(', ')}`
    )
  return found
}

export interface StepOptions {
  wave?: string
  cluster?: string
  runId: string
  planArg: string
}

const iso = (deps: Pick<FleetDeps, 'now'>): string => new Date(deps.now()).toISOString()

/** The report of a step over one wave (or part of it), that wave started now. */
function waveStepReport(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: StepOptions,
  step: 'check' | 'deploy' | 'soak',
  wave: ResolvedWave
): { report: FleetReport; wr: FleetWaveReport } {
  const report = newFleetReport(loaded, opts.runId, iso(deps), [wave])
  report.step = step
  const wr = report.waves[0]
  wr.startedAt = report.startedAt
  return { report, wr }
}

/** `--step check`: the reality check on every cluster of the wave; nothing applied. */
export async function checkStep(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: StepOptions
): Promise<FleetReport> {
  const w = waveNamed(loaded, opts.wave, 'check')
  const { report, wr } = waveStepReport(loaded, deps, opts, 'check', w)
  emit(deps, { kind: 'wave-start', wave: w.wave.name, clusters: w.clusters.map(c => c.name) })
  const refused = await checkWave(deps, report, w.wave, w.clusters)
  wr.finishedAt = report.finishedAt = iso(deps)
  report.verdict = refused.length ? 'fail' : wr.verdict
  return report
}

/** `--step deploy`: the approval, then tracer → phase → validate on one cluster of the wave. */
export async function deployStep(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: StepOptions
): Promise<FleetReport> {
  const w = waveNamed(loaded, opts.wave, 'deploy')
  const cluster = clusterOfWave(w, opts.cluster)
  const { report, wr } = waveStepReport(loaded, deps, opts, 'deploy', {
    wave: w.wave,
    clusters: [cluster]
  })
  if (await approveWave(deps, wr, w.clusters)) {
    await deployCluster(deps, report, cluster)
    wr.verdict = report.clusters[cluster.name].verdict
  }
  wr.finishedAt = report.finishedAt = iso(deps)
  report.verdict = wr.verdict
  return report
}

function clusterOfWave(w: ResolvedWave, name: string | undefined): FleetCluster {
  const names = w.clusters.map(c => c.name).join(', ')
  if (!name)
    throw new UsageError(`--step deploy needs --cluster NAME; wave ${w.wave.name}: ${names}`)
  const found = w.clusters.find(c => c.name === name)
  if (!found)
    throw new UsageError(`no cluster "${name}" in wave ${w.wave.name}; its clusters: ${names}`)
  return found
}

/** `--step soak`: samples every cluster of the wave for its soak (none: passes at once). */
export async function soakStep(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: StepOptions
): Promise<FleetReport> {
  const w = waveNamed(loaded, opts.wave, 'soak')
  const { report, wr } = waveStepReport(loaded, deps, opts, 'soak', w)
  for (const c of w.clusters) report.clusters[c.name].verdict = 'pass'
  const failed = w.wave.soak
    ? await soakWave(deps, report, w.wave, w.clusters, soakSettings(loaded.plan))
    : 0
  if (!w.wave.soak) wr.notes.push('no soak: passed at once')
  wr.verdict = failed
    ? 'fail'
    : combineVerdicts(w.clusters.map(c => report.clusters[c.name].verdict))
  wr.finishedAt = report.finishedAt = iso(deps)
  report.verdict = wr.verdict
  return report
}

/** Why the release halted, from the merged reports: the first wave (plan order) with a failed cluster. */
function haltReason(merged: FleetReport): { wave: string; reason: string } | undefined {
  for (const w of merged.waves) {
    const reason = failureReason(merged, w.name)
    if (reason) return { wave: w.name, reason }
  }
  return undefined
}

/**
 * `--step rollback --from DIR`: every cluster the reports mark reached, in
 * reverse wave order (within a wave, the last started first), each rolled
 * back and verified (`onHalt: rollback`), or the commands listed (`hold`).
 */
export async function rollbackStep(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: StepOptions & { reports: FleetReport[] }
): Promise<FleetReport> {
  const merged = mergeFleetReports(loaded, opts.reports)
  const waves = resolveWaves(loaded.plan.fleet as FleetSpec)
  const reachedWaves = waves
    .map(w => ({
      wave: w.wave,
      clusters: w.clusters.filter(c => merged.clusters[c.name]?.reached)
    }))
    .filter(w => w.clusters.length > 0)
  const report = newFleetReport(loaded, opts.runId, iso(deps), reachedWaves)
  report.step = 'rollback'
  for (const c of Object.values(report.clusters)) c.reached = true
  const order = [...reachedWaves]
    .reverse()
    .flatMap(w =>
      [...w.clusters].sort((x, y) =>
        (merged.clusters[y.name].startedAt ?? '').localeCompare(
          merged.clusters[x.name].startedAt ?? ''
        )
      )
    )
  const onHalt = loaded.plan.fleet?.onHalt ?? 'rollback'
  const why = merged.halt ?? haltReason(merged)
  report.halt = {
    wave: why?.wave ?? '',
    reason: why?.reason ?? 'rolled back on request',
    onHalt,
    at: merged.halt?.at ?? report.startedAt
  }
  const firstPhase = loaded.plan.phases?.[0]?.name
  deps.progress(
    `fleet: rollback of ${order.map(c => c.name).join(', ') || 'no reached cluster'} (onHalt ${onHalt})`
  )
  if (onHalt === 'hold' || !firstPhase) {
    report.halt.commands = holdCommands(
      opts.planArg,
      opts.runId,
      firstPhase,
      order.map(c => report.clusters[c.name])
    )
    report.verdict = 'pass'
  } else {
    await rollbackClusters(deps, report, order, firstPhase)
    const verified = order.every(c =>
      (report.clusters[c.name].rollback ?? []).every(g => isPassing(g.verdict))
    )
    report.verdict = verified ? 'pass' : 'fail'
  }
  for (const w of report.waves) w.verdict = 'skip'
  report.finishedAt = iso(deps)
  return report
}
