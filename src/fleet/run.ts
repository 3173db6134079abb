/**
 * A fleet release: many single-cluster runs plus an order. Per wave,
 * the reality check on every cluster of the wave first (any failure: nothing
 * of the wave is applied); then the approval (`--gate all`'s rules); then
 * tracer → phase → validate per cluster, at most `maxParallel` at a time;
 * `haltOn` counts failed clusters; on a halt, `onHalt: rollback` rolls back
 * every cluster the release reached, in reverse wave order, and `hold`
 * leaves them with the commands to run. Each cluster's gates are the
 * existing engine with that cluster's context and namespace (`ClusterRunner`).
 */

import { formatDuration, parseDuration } from '../core/duration.js'
import { mapBounded } from '../core/bounded.js'
import { plural } from '../report/markdown.js'
import { soakSettings } from '../plan/soak-settings.js'
import type { GateName, GateResult, RunReport, Verdict } from '../report/model.js'
import { combineVerdicts, isPassing } from '../report/model.js'
import type { FleetCluster, FleetSpec, FleetWave, LoadedPlan } from '../plan/types.js'
import type { RecordImage } from '../report/record.js'
import { haltThreshold, resolveWaves, type ResolvedWave } from './plan.js'
import { progressLine, type FleetEvent } from './live.js'

/** Runs one gate of the plan on one cluster: the single-cluster engine with that cluster's context and namespace. */
export interface ClusterRunner {
  gate(cluster: FleetCluster, gate: GateName, opts?: { phase?: string }): Promise<RunReport>
  /** The images the plan's workloads run on the cluster, with their digests when the pods report them. */
  images?(cluster: FleetCluster): Promise<RecordImage[]>
}

export interface FleetDeps {
  runner: ClusterRunner
  now(): number
  sleep(ms: number): Promise<void>
  /** One progress line (no TTY: written as is). */
  progress(line: string): void
  /** What happens, as events (the live table on a TTY); each is also a progress line. */
  event?: (e: FleetEvent) => void
  /**
   * Asks a person whether a wave may be applied (the CLI on a TTY). Absent:
   * nobody can be asked, and the release stops before applying unless `approve`.
   */
  confirm?: (question: string) => Promise<boolean>
  /** `--approve`: apply every wave without asking (recorded as no human approval). */
  approve?: boolean
  /** Who answers `confirm` (the local user's name), recorded as the wave's approver. */
  user?: string
}

export interface FleetOptions {
  /** Only this wave (`--wave`). */
  wave?: string
  /** Only this cluster (`--cluster`), in its wave. */
  cluster?: string
  runId: string
  /** The plan as the user gave it, for the hold commands. */
  planArg: string
}

/** One cluster's part of the fleet report: its gates, under its name. */
export interface FleetClusterReport {
  context: string
  namespace: string
  wave: string
  verdict: Verdict
  /** True once a phase gate ran on it (something may have been applied). */
  reached: boolean
  gates: GateResult[]
  rollback?: GateResult[]
  /** When the fleet began and ended its work on the cluster (ISO). */
  startedAt?: string
  finishedAt?: string
  /** The images the cluster runs after its deploy (digests from the pods, else from the reality check). */
  images?: RecordImage[]
}

export interface FleetWaveReport {
  name: string
  clusters: string[]
  verdict: Verdict
  startedAt?: string
  finishedAt?: string
  /** `human` (a TTY answer), `none` (--approve: no human approval), or `refused`/`not-asked`. */
  approval?: 'human' | 'none' | 'refused' | 'not-asked'
  /** Who approved: the local user for a TTY answer, the reviewers from the GitHub environment's approvals. */
  approver?: string
  notes: string[]
}

export interface FleetReport {
  kind: 'phase-gate-fleet'
  plan: string
  runId: string
  startedAt: string
  finishedAt: string
  verdict: Verdict
  waves: FleetWaveReport[]
  clusters: Record<string, FleetClusterReport>
  halt?: {
    wave: string
    reason: string
    onHalt: 'rollback' | 'hold'
    commands?: string[]
    /** When the release halted (ISO). */
    at?: string
  }
  /** The step that wrote this report (`--step`); absent for the whole release in one process. */
  step?: 'check' | 'deploy' | 'soak' | 'rollback'
}

const DEPLOY: GateName[] = ['tracer', 'phase', 'validate']

/** Runs the fleet release; never throws for a gate's failure (the verdicts say it). */
export async function runFleet(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: FleetOptions
): Promise<FleetReport> {
  const fleet = loaded.plan.fleet as FleetSpec
  const iso = (): string => new Date(deps.now()).toISOString()
  const waves = resolveWaves(fleet)
    .filter(w => !opts.wave || w.wave.name === opts.wave)
    .map(w => ({
      ...w,
      clusters: w.clusters.filter(c => !opts.cluster || c.name === opts.cluster)
    }))
    .filter(w => w.clusters.length > 0)
  const report = newFleetReport(loaded, opts.runId, iso(), waves)
  const order: FleetCluster[] = []
  const halt = (waveName: string, reason: string): Promise<void> =>
    haltFleet(loaded, deps, opts, report, order, waveName, reason)

  for (let w = 0; w < waves.length; w++) {
    const { wave, clusters } = waves[w]
    const wr = report.waves[w]
    wr.startedAt = iso()
    emit(deps, { kind: 'wave-start', wave: wave.name, clusters: clusters.map(c => c.name) })
    const parallel = wave.maxParallel ?? 1
    // 1. The reality check on every cluster of the wave, before anything of it is applied.
    const refused = await checkWave(deps, report, wave, clusters)
    if (refused.length > 0) {
      wr.finishedAt = iso()
      emit(deps, { kind: 'wave-end', wave: wave.name, verdict: 'fail' })
      await halt(wave.name, failureReason(report, wave.name) ?? 'reality check failed')
      break
    }
    // 2. Approval: --gate all's rules.
    if (!(await approveWave(deps, wr, clusters))) {
      wr.finishedAt = iso()
      report.verdict = 'cancelled'
      break
    }
    // 3. tracer → phase → validate per cluster, at most maxParallel at a time.
    const threshold = haltThreshold(fleet, clusters.length)
    let failed = 0
    await mapBounded(
      clusters,
      async c => {
        if (failed >= threshold) return
        order.push(c)
        if (!(await deployCluster(deps, report, c))) failed++
      },
      parallel
    )
    // 4. Soak: the wave's clusters are sampled again (validate) after the soak time.
    if (failed < threshold && wave.soak)
      failed += await soakWave(deps, report, wave, clusters, soakSettings(loaded.plan))
    wr.finishedAt = iso()
    wr.verdict = combineVerdicts(clusters.map(c => report.clusters[c.name].verdict))
    if (failed >= threshold) {
      wr.verdict = 'fail'
      emit(deps, { kind: 'wave-end', wave: wave.name, verdict: 'fail' })
      await halt(wave.name, failureReason(report, wave.name) ?? `haltOn ${threshold} reached`)
      break
    }
    emit(deps, { kind: 'wave-end', wave: wave.name, verdict: wr.verdict })
  }
  report.finishedAt = iso()
  if (report.verdict !== 'cancelled')
    report.verdict = report.halt ? 'fail' : combineVerdicts(report.waves.map(w => w.verdict))
  return report
}

/**
 * The approval of a wave by `--gate all`'s rules: `--approve` (no human
 * approval), else a TTY answer, else nobody can be asked. Resolves true when
 * the wave may be applied; otherwise the wave is `cancelled` with the reason.
 */
export async function approveWave(
  deps: Pick<FleetDeps, 'approve' | 'confirm' | 'user'>,
  wr: FleetWaveReport,
  clusters: FleetCluster[]
): Promise<boolean> {
  if (deps.approve) wr.approval = 'none'
  else if (deps.confirm) {
    const yes = await deps.confirm(
      `Deploy wave ${wr.name} to ${clusters.map(c => c.name).join(', ')}? [y/N]`
    )
    wr.approval = yes ? 'human' : 'refused'
    if (yes) wr.approver = deps.user ?? 'the local user'
  } else wr.approval = 'not-asked'
  if (wr.approval === 'human' || wr.approval === 'none') return true
  wr.verdict = 'cancelled'
  wr.notes.push(
    wr.approval === 'refused'
      ? 'not approved: nothing of this wave was applied'
      : 'nobody could be asked (no TTY) and --approve was not given: stopped before applying'
  )
  return false
}

/** Why a wave failed, as the halt says it: each failed cluster with its failed gates (`failed on b (phase)`). */
export function failureReason(report: FleetReport, waveName: string): string | undefined {
  const wave = report.waves.find(w => w.name === waveName)
  const what = (wave?.clusters ?? []).flatMap(n => {
    const gates = (report.clusters[n]?.gates ?? []).filter(g => !isPassing(g.verdict))
    return gates.length ? [`${n} (${[...new Set(gates.map(g => g.gate))].join(', ')})`] : []
  })
  return what.length ? `failed on ${what.join(', ')}` : undefined
}

/** A fresh report of the given waves and clusters, every verdict `skip` until something runs. */
export function newFleetReport(
  loaded: LoadedPlan,
  runId: string,
  startedAt: string,
  waves: ResolvedWave[]
): FleetReport {
  const report: FleetReport = {
    kind: 'phase-gate-fleet',
    plan: loaded.plan.name,
    runId,
    startedAt,
    finishedAt: '',
    verdict: 'pass',
    waves: [],
    clusters: {}
  }
  for (const { wave, clusters } of waves) {
    for (const c of clusters)
      report.clusters[c.name] = {
        context: c.context,
        namespace: c.namespace ?? loaded.plan.target.namespace,
        wave: wave.name,
        verdict: 'skip',
        reached: false,
        gates: []
      }
    report.waves.push({
      name: wave.name,
      clusters: clusters.map(c => c.name),
      verdict: 'skip',
      notes: []
    })
  }
  return report
}

/**
 * The reality check on every cluster of a wave (maxParallel at a time);
 * resolves to the clusters it failed on, which are marked failed with the
 * wave and its note when there are any.
 */
export async function checkWave(
  deps: Pick<FleetDeps, 'runner' | 'progress' | 'event' | 'now'>,
  report: FleetReport,
  wave: FleetWave,
  clusters: FleetCluster[]
): Promise<FleetCluster[]> {
  const checked = await mapBounded(
    clusters,
    async c => {
      const mine = report.clusters[c.name]
      mine.startedAt ??= new Date(deps.now()).toISOString()
      emit(deps, { kind: 'gate-start', wave: wave.name, cluster: c.name, gate: 'reality-check' })
      const r = await deps.runner.gate(c, 'reality-check')
      record(report, c, r)
      mine.finishedAt = new Date(deps.now()).toISOString()
      emit(deps, {
        kind: 'gate-end',
        wave: wave.name,
        cluster: c.name,
        gate: 'reality-check',
        verdict: r.verdict
      })
      return r.verdict
    },
    wave.maxParallel ?? 1
  )
  const refused = clusters.filter((_, i) => !isPassing(checked[i]))
  const wr = report.waves.find(w => w.name === wave.name)
  if (refused.length > 0 && wr) {
    wr.verdict = 'fail'
    wr.notes.push(
      `reality check failed on ${refused.map(c => c.name).join(', ')}: nothing of wave ${wave.name} was applied`
    )
    for (const c of refused) report.clusters[c.name].verdict = 'fail'
  } else if (wr) wr.verdict = combineVerdicts(checked)
  return refused
}

/** How a wave's soak samples: the plan's soak interval and `sustained` rule (soak-settings.ts). */
export interface WaveSoakSettings {
  intervalMs: number
  sustained: { samples: number; of: number }
}

/**
 * The wave's soak: every interval (the plan's `soak.interval`, at most the
 * soak itself) each of the wave's passing clusters is sampled (the validate
 * gate: readiness and the plan's checks); a cluster with `sustained.samples`
 * bad samples among its last `sustained.of` fails at once, and the soak ends
 * there — before its time is up — so the halt comes as soon as it is known.
 * Resolves to the number of clusters that failed.
 */
export async function soakWave(
  deps: Pick<FleetDeps, 'runner' | 'progress' | 'event' | 'now' | 'sleep'>,
  report: FleetReport,
  wave: FleetWave,
  clusters: FleetCluster[],
  settings: WaveSoakSettings
): Promise<number> {
  const soakMs = parseDuration(wave.soak ?? '0s') ?? 0
  const interval = Math.max(1, Math.min(settings.intervalMs, soakMs || 1))
  const start = deps.now()
  const end = start + soakMs
  const bad: Record<string, boolean[]> = {}
  const wr = report.waves.find(w => w.name === wave.name)
  deps.progress(`wave ${wave.name}: soak ${wave.soak}, a sample every ${formatDuration(interval)}`)
  let samples = 0
  for (let k = 1; ; k++) {
    const at = Math.min(end, start + k * interval)
    await deps.sleep(Math.max(0, at - deps.now()))
    samples++
    const live = clusters.filter(c => isPassing(report.clusters[c.name].verdict))
    const failed = await mapBounded(
      live,
      async c => {
        if (samples === 1)
          emit(deps, { kind: 'gate-start', wave: wave.name, cluster: c.name, gate: 'soak' })
        const r = await deps.runner.gate(c, 'validate')
        const mine = (bad[c.name] ??= [])
        mine.push(!isPassing(r.verdict))
        const count = mine.slice(-settings.sustained.of).filter(Boolean).length
        // Passing samples are counted, not kept: the cluster's gates keep the first and any bad one.
        if (samples === 1 || mine[mine.length - 1]) record(report, c, r)
        if (count < settings.sustained.samples) return false
        report.clusters[c.name].verdict = 'fail'
        emit(deps, {
          kind: 'gate-end',
          wave: wave.name,
          cluster: c.name,
          gate: 'soak',
          verdict: 'fail'
        })
        deps.progress(
          `${c.name}: soak failed at ${formatDuration(deps.now() - start)} of ${wave.soak} (${count} of the last ${Math.min(mine.length, settings.sustained.of)} samples bad)`
        )
        return true
      },
      wave.maxParallel ?? 1
    )
    const n = failed.filter(Boolean).length
    if (n > 0) {
      wr?.notes.push(
        `soak ${wave.soak}: failed after ${formatDuration(deps.now() - start)} (${plural(samples, 'sample')} of each cluster)`
      )
      return n
    }
    if (at >= end) break
  }
  wr?.notes.push(`soak ${wave.soak}: ${plural(samples, 'sample')} of each cluster, all passed`)
  for (const c of clusters)
    if (isPassing(report.clusters[c.name].verdict))
      emit(deps, {
        kind: 'gate-end',
        wave: wave.name,
        cluster: c.name,
        gate: 'soak',
        verdict: 'pass'
      })
  return 0
}

/** tracer → phase → validate on one cluster, stopping at the first that does not pass; true when all passed. */
export async function deployCluster(
  deps: Pick<FleetDeps, 'runner' | 'progress' | 'event' | 'now'>,
  report: FleetReport,
  c: FleetCluster
): Promise<boolean> {
  const mine = report.clusters[c.name]
  mine.startedAt ??= new Date(deps.now()).toISOString()
  try {
    return await deployGates(deps, report, c)
  } finally {
    mine.finishedAt = new Date(deps.now()).toISOString()
  }
}

async function deployGates(
  deps: Pick<FleetDeps, 'runner' | 'progress' | 'event'>,
  report: FleetReport,
  c: FleetCluster
): Promise<boolean> {
  const mine = report.clusters[c.name]
  for (const gate of DEPLOY) {
    if (gate === 'phase') mine.reached = true
    emit(deps, { kind: 'gate-start', wave: mine.wave, cluster: c.name, gate })
    const r = await deps.runner.gate(c, gate)
    record(report, c, r)
    emit(deps, { kind: 'gate-end', wave: mine.wave, cluster: c.name, gate, verdict: r.verdict })
    if (!isPassing(r.verdict)) {
      mine.verdict = 'fail'
      return false
    }
  }
  mine.verdict = combineVerdicts(mine.gates.map(g => g.verdict))
  if (deps.runner.images) mine.images = await deps.runner.images(c).catch(() => undefined)
  return true
}

/** On a halt: rolls back every reached cluster in reverse order (onHalt rollback), or lists the commands (hold). */
async function haltFleet(
  loaded: LoadedPlan,
  deps: FleetDeps,
  opts: FleetOptions,
  report: FleetReport,
  order: FleetCluster[],
  waveName: string,
  reason: string
): Promise<void> {
  const onHalt = loaded.plan.fleet?.onHalt ?? 'rollback'
  emit(deps, { kind: 'halt', wave: waveName, reason })
  const reached = [...order].reverse().filter(c => report.clusters[c.name].reached)
  report.halt = { wave: waveName, reason, onHalt, at: new Date(deps.now()).toISOString() }
  const firstPhase = loaded.plan.phases?.[0]?.name
  if (onHalt === 'hold' || !firstPhase) {
    report.halt.commands = holdCommands(
      opts.planArg,
      opts.runId,
      firstPhase,
      reached.map(c => report.clusters[c.name])
    )
    return
  }
  await rollbackClusters(deps, report, reached, firstPhase)
}

/** Rolls back each cluster in the order given (`--gate rollback --phase <first>`), keeping each rollback's gates as its proof. */
export async function rollbackClusters(
  deps: Pick<FleetDeps, 'runner' | 'progress' | 'event' | 'now'>,
  report: FleetReport,
  clusters: FleetCluster[],
  firstPhase: string
): Promise<void> {
  for (const c of clusters) {
    const mine = report.clusters[c.name]
    emit(deps, { kind: 'gate-start', wave: mine.wave, cluster: c.name, gate: 'rollback' })
    const r = await deps.runner.gate(c, 'rollback', { phase: firstPhase })
    mine.rollback = [...(mine.rollback ?? []), ...r.gates]
    mine.finishedAt = new Date(deps.now()).toISOString()
    emit(deps, {
      kind: 'gate-end',
      wave: mine.wave,
      cluster: c.name,
      gate: 'rollback',
      verdict: r.verdict
    })
  }
}

/** The commands a person runs to roll the clusters back by hand (onHalt: hold). */
export function holdCommands(
  planArg: string,
  runId: string,
  firstPhase: string | undefined,
  clusters: { context: string; namespace: string }[]
): string[] {
  return clusters.map(
    c =>
      `phase-gate check ${planArg} --gate rollback --phase ${firstPhase ?? 'FIRST-PHASE'} --run-id ${runId} --context ${c.context} --namespace ${c.namespace}`
  )
}

/** An event to the live table, and its progress line. */
export function emit(deps: Pick<FleetDeps, 'progress' | 'event'>, e: FleetEvent): void {
  deps.event?.(e)
  deps.progress(progressLine(e))
}

export function record(report: FleetReport, c: FleetCluster, r: RunReport): void {
  report.clusters[c.name].gates.push(...r.gates)
}
