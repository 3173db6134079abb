/**
 * The engine under both the action and the CLI: load and lint the plan, run
 * the selected gates with their seams, and assemble the one RunReport every
 * renderer works from.
 */

import { randomBytes } from 'node:crypto'
import { systemClock, type Clock } from './core/clock.js'
import {
  CancelledError,
  InfraError,
  REPORT_BUG,
  UsageError,
  errorMessage,
  isBug
} from './core/errors.js'
import { processExec, type Exec } from './core/exec.js'
import type { Logger } from './core/log.js'
import { ALL_SEQUENCE, gateFor } from './gates/index.js'
import type { GateContext, ProgressEvent } from './gates/types.js'
import { asInfraError, connectCluster } from './kube/client.js'
import { acquireLock, type HeldLock } from './kube/lock.js'
import { countRetriesSettled } from './core/retry.js'
import { durationMs, formatDuration } from './core/duration.js'
import { KubeApiError, type Cluster } from './kube/types.js'
import { loadPlan } from './plan/loader.js'
import { lintPlan } from './plan/lint.js'
import type { LoadedPlan } from './plan/types.js'
import type { Metrics } from './metrics/types.js'
import type { Registry } from './registry/types.js'
import type { GitHub } from './github/types.js'
import {
  REPORT_SCHEMA_VERSION,
  combineVerdicts,
  isPassing,
  type GateName,
  type GateResult,
  type RunReport
} from './report/model.js'
import type { Settings } from './settings.js'
import { VERSION } from './version.js'

export interface EngineDeps {
  log: Logger
  progress?: (e: ProgressEvent) => void
  clock?: Clock
  exec?: Exec
  /** Connects to the cluster; tests hand in fakes. */
  connect?: (s: Settings, loaded: LoadedPlan) => Promise<Cluster>
  registry?: (
    s: Settings,
    loaded: LoadedPlan,
    cluster: () => Promise<Cluster>,
    namespace: string
  ) => Registry
  metrics?: (loaded: LoadedPlan) => Metrics
  github?: GitHub
  signal?: AbortSignal
  /** Reports of earlier gates (the record gate reads them). */
  earlier?: RunReport[]
}

export interface EngineResult {
  report: RunReport
  loaded: LoadedPlan
}

/** A fresh run id for a CLI call: sortable, short, valid as a label value. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `cli-${stamp}-${randomBytes(3).toString('hex')}`
}

/** Loads the plan and fails with every problem (exit 2) when it is invalid. */
export async function loadValidPlan(
  settings: Pick<Settings, 'planPath' | 'workspace'>
): Promise<LoadedPlan> {
  const loaded = await loadPlan(settings.planPath, { workspace: settings.workspace })
  const problems = lintPlan(loaded)
  const errors = (await problems).filter(p => p.severity === 'error')
  if (errors.length > 0)
    throw new UsageError(
      `${loaded.displayFile} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`,
      errors.map(
        p => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.path}: ${p.message}`
      )
    )
  return loaded
}

/** Gates that change the cluster: they run under the plan's Lease so two runs never interleave. */
export const LOCKED_GATES: ReadonlySet<GateName> = new Set<GateName>([
  'tracer',
  'phase',
  'rollout',
  'rollback',
  'validate'
])

/** Default bound on waiting for another run's lock. */
export const DEFAULT_LOCK_WAIT_MS = 5 * 60_000

/** The gates a selection runs, in order. */
export function gateSequence(selection: Settings['gate']): GateName[] {
  return selection === 'all' ? ALL_SEQUENCE : [selection]
}

async function defaultConnect(s: Settings, loaded: LoadedPlan): Promise<Cluster> {
  return connectCluster({
    kubeconfigPath: s.kubeconfig.kind === 'path' ? s.kubeconfig.path : undefined,
    context: s.context ?? loaded.plan.target.context
  })
}

/** Runs the selected gates and returns the report (it never throws for a gate's failure). */
export async function runEngine(settings: Settings, deps: EngineDeps): Promise<EngineResult> {
  const clock = deps.clock ?? systemClock
  const startedAt = clock.now()
  const loaded = await loadValidPlan(settings)
  const sequence = gateSequence(settings.gate)
  for (const g of sequence)
    if (!gateFor(g) && settings.gate !== 'all')
      throw new UsageError(
        `gate "${g}" is not implemented yet; gates available now: ${ALL_SEQUENCE.filter(n => gateFor(n)).join(', ')}`
      )

  const namespace = settings.namespace ?? loaded.plan.target.namespace
  let clusterPromise: Promise<Cluster> | undefined
  const cluster = (): Promise<Cluster> => {
    clusterPromise ??= (deps.connect ?? defaultConnect)(settings, loaded)
    return clusterPromise
  }
  let registry: Registry | undefined
  const signal = deps.signal ?? new AbortController().signal
  const earlier = [...(deps.earlier ?? [])]
  const gates: GateResult[] = []

  const ctx: GateContext = {
    loaded,
    settings,
    runId: settings.runId,
    namespace,
    cluster,
    registry: () => {
      if (!deps.registry) throw new InfraError('no registry client is configured')
      registry ??= deps.registry(settings, loaded, cluster, namespace)
      return registry
    },
    metrics: () => {
      if (!deps.metrics)
        throw new UsageError(
          'the plan names no Prometheus (rollout.metrics.prometheus or prometheus:)'
        )
      return deps.metrics(loaded)
    },
    github: deps.github,
    exec: deps.exec ?? processExec,
    clock,
    log: deps.log,
    signal,
    progress: e => deps.progress?.(e),
    earlier
  }

  const runSoFar = (done: GateResult[]): RunReport => ({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'phase-gate', version: VERSION },
    plan: loaded.plan.name,
    planFile: loaded.displayFile,
    runId: settings.runId,
    target: { context: settings.context ?? loaded.plan.target.context, namespace },
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
    verdict: combineVerdicts(done.map(g => g.verdict)),
    gates: [...done]
  })

  // Taken before the first gate that changes the cluster and held to the end of the run,
  // so no other run of this plan slips in between this run's gates.
  let lock: HeldLock | undefined
  const takeLock = async (name: GateName): Promise<string[]> => {
    if (lock || settings.dryRun || !LOCKED_GATES.has(name)) return []
    lock = await acquireLock({
      cluster: await cluster(),
      namespace,
      plan: loaded.plan.name,
      holder: settings.runId,
      waitMs: settings.lockWaitMs ?? durationMs(loaded.plan.lock?.wait, DEFAULT_LOCK_WAIT_MS),
      purpose: `${name}${settings.phase ? ` ${settings.phase}` : settings.tracer ? ` ${settings.tracer}` : ''}`,
      clock,
      log: deps.log,
      signal
    })
    return lock.waitedFor
      ? [
          `waited ${formatDuration(lock.waitedMs)} for run ${lock.waitedFor} to release ${lock.name}`
        ]
      : []
  }

  let stop = false
  try {
    for (const name of sequence) {
      const gate = gateFor(name)
      if (!gate) {
        deps.log.info(`gate ${name} is not implemented yet; skipped`)
        continue
      }
      if (stop && name !== 'record') {
        gates.push({
          gate: name,
          verdict: 'skip',
          durationMs: 0,
          startedAt: new Date(clock.now()).toISOString(),
          checks: [],
          notes: ['not run: an earlier gate did not pass']
        })
        continue
      }
      const gateStarted = clock.now()
      let results: GateResult[]
      let lockNotes: string[] = []
      // Every retry any client makes for this gate is counted into it (core/retry.ts).
      const run = await countRetriesSettled(async () => {
        if (signal.aborted) throw new CancelledError()
        lockNotes = await takeLock(name)
        // The gates this run finished so far count as earlier reports (the record gate reads them).
        if (gates.length > 0) ctx.earlier = [...earlier, runSoFar(gates)]
        return gate.run(ctx)
      })
      if (run.ok) results = run.value
      else {
        // Hints name the context and server the run really used (the kubeconfig's, when the plan names none).
        const connected = await clusterPromise?.catch(() => undefined)
        const target = {
          context:
            connected?.context ??
            settings.context ??
            loaded.plan.target.context ??
            'the current context',
          server: connected?.server ?? 'the API server'
        }
        results = [failedGate(name, gateStarted, clock.now(), run.error, ctx, target)]
      }
      if (results.length > 0) {
        const first = results[0]
        if (run.retries > 0) {
          first.details = { ...first.details, retries: run.retries }
          first.notes = [
            ...(first.notes ?? []),
            `${run.retries} request${run.retries === 1 ? ' was' : 's were'} retried (429, 5xx, reset, timeout or malformed answer) before this verdict`
          ]
        }
        if (lockNotes.length) first.notes = [...lockNotes, ...(first.notes ?? [])]
        const lost = lock?.lost
        if (lost && LOCKED_GATES.has(name))
          first.notes = [
            ...(first.notes ?? []),
            `the lock was lost during this gate (${lost}): another run may have changed the namespace meanwhile`
          ]
      }
      gates.push(...results)
      if (!results.every(r => isPassing(r.verdict))) stop = true
      if (signal.aborted) stop = true
    }
  } finally {
    await (lock as HeldLock | undefined)?.release()
  }
  if (clusterPromise)
    clusterPromise.then(
      c => (c as { close?: () => void }).close?.(),
      () => undefined
    )

  let server: string | undefined
  let context: string | undefined = settings.context ?? loaded.plan.target.context
  if (clusterPromise) {
    try {
      const c = await clusterPromise
      server = c.server
      context = c.context
    } catch {
      // The failure is already in the gate's result.
    }
  }
  const report: RunReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'phase-gate', version: VERSION },
    plan: loaded.plan.name,
    planFile: loaded.displayFile,
    runId: settings.runId,
    target: { context, namespace, server },
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
    verdict: signal.aborted ? 'cancelled' : combineVerdicts(gates.map(g => g.verdict)),
    gates
  }
  return { report, loaded }
}

/** A gate that threw: cancelled, could not check (exit 3), or invalid input. */
function failedGate(
  name: GateName,
  started: number,
  now: number,
  err: unknown,
  ctx: GateContext,
  target: { context: string; server: string }
): GateResult {
  if (err instanceof UsageError) throw err
  const cancelled = err instanceof CancelledError || ctx.signal.aborted
  let infra = err instanceof InfraError ? err : undefined
  if (!infra && err instanceof KubeApiError) infra = asInfraError(err, target)
  const message = cancelled ? `cancelled: ${errorMessage(err)}` : errorMessage(err)
  const bug = !cancelled && isBug(err)
  return {
    gate: name,
    verdict: cancelled ? 'cancelled' : 'error',
    durationMs: now - started,
    startedAt: new Date(started).toISOString(),
    checks: [
      {
        id: `gate:${name}`,
        kind: 'gate',
        target: name,
        verdict: cancelled ? 'cancelled' : 'error',
        severity: 'high',
        message: cancelled
          ? message
          : bug
            ? `internal error in the ${name} gate: ${message}`
            : `could not run the ${name} gate: ${message}`,
        adjustment: bug ? REPORT_BUG : infra?.hint,
        durationMs: now - started,
        ...(bug ? { data: { bug: true } } : {})
      }
    ]
  }
}
