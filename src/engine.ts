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
  type CheckResult,
  type GateName,
  type GateResult,
  type RunReport
} from './report/model.js'
import type { Settings } from './settings.js'
import { VERSION } from './version.js'
import { startHeartbeat } from './core/heartbeat.js'
import { prepareOverrides } from './render/prepare.js'
import { describeOverrides, reconcileOverrides } from './render/overrides.js'
import { StateRecord } from './lifecycle/record.js'

export interface EngineDeps {
  log: Logger
  progress?: (e: ProgressEvent) => void
  /** Where heartbeat lines go (the action's log, a CLI without a TTY): a line at least every 10 s of a wait. */
  heartbeat?: (line: string) => void
  /** Told when each gate starts and ends (the action puts each gate's output in a log group). */
  onGate?: { start(name: GateName): void; end(name: GateName): void }
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
  /**
   * Asks a person whether `--gate all` may go past the plan (the CLI on a
   * TTY: the rendered plan, then `[y/N]`). Absent: nobody can be asked, and
   * the run stops before the first phase unless `settings.approve`.
   */
  confirm?: (ask: ApprovalQuestion) => Promise<boolean>
}

/** What a person is shown and asked before `--gate all` deploys. */
export interface ApprovalQuestion {
  /** `Deploy N phases to CONTEXT/NAMESPACE? [y/N]` */
  question: string
  /** The plan gate's rendered plan (Markdown), shown before the question. */
  planMarkdown?: string
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

/** Gates after the phases: they use the overrides the run's phases recorded. */
const AGREEING_GATES: ReadonlySet<GateName> = new Set<GateName>([
  'validate',
  'record',
  'rollback',
  'rollout',
  'soak'
])

/** The overrides the state record keeps for this run, reconciled with the given ones (a note when adopted). */
async function agreeWithRecordedOverrides(ctx: GateContext): Promise<string | undefined> {
  let recorded: string[] | undefined
  try {
    const record = await ctx.stateRecord()
    recorded = (await record.readIndex()).runs.find(r => r.runId === ctx.runId)?.overrides
  } catch {
    // No record readable: the gate itself reports what it cannot read.
    return undefined
  }
  return reconcileOverrides(ctx.loaded, recorded, ctx.runId)
}

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

/** The plan's state record over the run's cluster, made once when a gate first asks for it. */
function onceStateRecord(
  cluster: () => Promise<Cluster>,
  loaded: LoadedPlan,
  namespace: string
): () => Promise<StateRecord> {
  let record: Promise<StateRecord> | undefined
  return () => (record ??= cluster().then(c => StateRecord.forPlan(c, loaded.plan, namespace)))
}

/** One engine run: what its steps share. */
interface EngineRun {
  settings: Settings
  deps: EngineDeps
  clock: Clock
  startedAt: number
  loaded: LoadedPlan
  namespace: string
  sequence: GateName[]
  ctx: GateContext
  /** The reports handed in before this run (the record gate reads them with this run's gates). */
  earlier: RunReport[]
  gates: GateResult[]
  heartbeat?: ReturnType<typeof startHeartbeat>
  /** The connection, once a gate asked for it. */
  clusterPromise?: Promise<Cluster>
  lock?: HeldLock
  /** An earlier gate did not pass (or approval was refused): the rest are skipped, record aside. */
  stop: boolean
}

/** Runs the selected gates and returns the report (it never throws for a gate's failure). */
export async function runEngine(settings: Settings, deps: EngineDeps): Promise<EngineResult> {
  const run = await startRun(settings, deps)
  try {
    for (const name of run.sequence) await runGateStep(run, name)
  } finally {
    run.heartbeat?.stop()
    await run.lock?.release()
  }
  return { report: await finalReport(run), loaded: run.loaded }
}

/** Loads and lints the plan, applies the overrides and builds the gates' context. */
async function startRun(settings: Settings, deps: EngineDeps): Promise<EngineRun> {
  const clock = deps.clock ?? systemClock
  const startedAt = clock.now()
  const loaded = await loadValidPlan(settings)
  const namespace = settings.namespace ?? loaded.plan.target.namespace
  // Overrides apply after rendering, to everything every gate loads; a NAME that matches nothing is exit 2.
  await prepareOverrides(loaded, settings.overrides, {
    workspace: settings.workspace,
    exec: deps.exec ?? processExec,
    namespace
  })
  const heartbeat = deps.heartbeat ? startHeartbeat({ clock, write: deps.heartbeat }) : undefined
  const earlier = [...(deps.earlier ?? [])]
  const run = {
    settings,
    deps,
    clock,
    startedAt,
    loaded,
    namespace,
    sequence: gateSequence(settings.gate),
    earlier,
    gates: [],
    heartbeat,
    stop: false
  } as Omit<EngineRun, 'ctx'> as EngineRun
  run.ctx = gateContext(run)
  return run
}

/** The context every gate gets: the plan, the settings and lazy seams. */
function gateContext(run: EngineRun): GateContext {
  const { settings, deps, loaded, namespace, heartbeat } = run
  let registry: Registry | undefined
  const cluster = (): Promise<Cluster> => {
    run.clusterPromise ??= (deps.connect ?? defaultConnect)(settings, loaded)
    return run.clusterPromise
  }
  return {
    loaded,
    settings,
    runId: settings.runId,
    namespace,
    cluster,
    stateRecord: onceStateRecord(cluster, loaded, namespace),
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
    clock: run.clock,
    log: deps.log,
    signal: deps.signal ?? new AbortController().signal,
    progress: e => {
      heartbeat?.progress(e)
      deps.progress?.(e)
    },
    earlier: run.earlier
  }
}

/** One gate of the sequence: approval, skip after a failure, or run it and keep its results. */
async function runGateStep(run: EngineRun, name: GateName): Promise<void> {
  // Human approval sits after the rendered plan, before the first change: it is never implied.
  if (name === 'phase' && run.settings.gate === 'all' && !run.stop && !run.settings.dryRun) {
    const { settings, loaded } = run
    const context =
      (await run.clusterPromise?.catch(() => undefined))?.context ??
      settings.context ??
      loaded.plan.target.context ??
      'the current context'
    const approved = await approveDeployment(run.gates, settings, run.deps, run.clock, {
      phases: (loaded.plan.phases ?? []).length,
      target: `${context}/${run.namespace}`
    })
    if (!approved) run.stop = true
  }
  if (run.stop && name !== 'record') {
    run.gates.push({
      gate: name,
      verdict: 'skip',
      durationMs: 0,
      startedAt: new Date(run.clock.now()).toISOString(),
      checks: [],
      notes: ['not run: an earlier gate did not pass']
    })
    return
  }
  const results = await executeGate(run, name)
  run.gates.push(...results)
  if (!results.every(r => isPassing(r.verdict))) run.stop = true
  if (run.ctx.signal.aborted) run.stop = true
}

/** Runs one gate under the lock, counting its retries; a throw becomes the gate's error result. */
async function executeGate(run: EngineRun, name: GateName): Promise<GateResult[]> {
  const { ctx, deps, clock, heartbeat } = run
  const gateStarted = clock.now()
  let notes: string[] = []
  deps.onGate?.start(name)
  heartbeat?.idle()
  // Every retry any client makes for this gate is counted into it (core/retry.ts).
  const outcome = await countRetriesSettled(async () => {
    if (ctx.signal.aborted) throw new CancelledError()
    notes = await takeLock(run, name)
    if (AGREEING_GATES.has(name)) {
      const agreed = await agreeWithRecordedOverrides(ctx)
      if (agreed) notes = [...notes, agreed]
    }
    // The gates this run finished so far count as earlier reports (the record gate reads them).
    if (run.gates.length > 0) ctx.earlier = [...run.earlier, reportOf(run, run.gates)]
    return gateFor(name).run(ctx)
  }).finally(() => {
    heartbeat?.idle()
    deps.onGate?.end(name)
  })
  if (!outcome.ok) {
    // Hints name the context and server the run really used (the kubeconfig's, when the plan names none).
    const connected = await run.clusterPromise?.catch(() => undefined)
    const target = {
      context:
        connected?.context ??
        run.settings.context ??
        run.loaded.plan.target.context ??
        'the current context',
      server: connected?.server ?? 'the API server'
    }
    return [failedGate(name, gateStarted, clock.now(), outcome.error, ctx, target)]
  }
  const results = outcome.value
  if (results.length > 0) annotateFirst(run, name, results[0], outcome.retries, notes)
  return results
}

/** Adds the retries, the lock's notes and a lost lock to a gate's first result. */
function annotateFirst(
  run: EngineRun,
  name: GateName,
  first: GateResult,
  retries: number,
  lockNotes: string[]
): void {
  if (retries > 0) {
    first.details = { ...first.details, retries }
    first.notes = [
      ...(first.notes ?? []),
      `${retries} request${retries === 1 ? ' was' : 's were'} retried (429, 5xx, reset, timeout or malformed answer) before this verdict`
    ]
  }
  if (lockNotes.length) first.notes = [...lockNotes, ...(first.notes ?? [])]
  const lost = run.lock?.lost
  if (lost && LOCKED_GATES.has(name))
    first.notes = [
      ...(first.notes ?? []),
      `the lock was lost during this gate (${lost}): another run may have changed the namespace meanwhile`
    ]
}

// Taken before the first gate that changes the cluster and held to the end of the run,
// so no other run of this plan slips in between this run's gates.
async function takeLock(run: EngineRun, name: GateName): Promise<string[]> {
  const { settings, loaded, heartbeat } = run
  if (run.lock || settings.dryRun || !LOCKED_GATES.has(name)) return []
  const lock = await acquireLock({
    cluster: await run.ctx.cluster(),
    namespace: run.namespace,
    plan: loaded.plan.name,
    holder: settings.runId,
    waitMs: settings.lockWaitMs ?? durationMs(loaded.plan.lock?.wait, DEFAULT_LOCK_WAIT_MS),
    purpose: `${name}${settings.phase ? ` ${settings.phase}` : settings.tracer ? ` ${settings.tracer}` : ''}`,
    clock: run.clock,
    log: run.deps.log,
    signal: run.ctx.signal,
    onWaiting: w =>
      heartbeat?.progress({
        gate: name,
        activity: `waiting for ${w.lock}`,
        status: `held by ${w.holder}`,
        deadline: w.deadline
      })
  })
  run.lock = lock
  heartbeat?.idle()
  return lock.waitedFor
    ? [`waited ${formatDuration(lock.waitedMs)} for run ${lock.waitedFor} to release ${lock.name}`]
    : []
}

/** The run's report over the given gates, as far as it got. */
function reportOf(run: EngineRun, gates: GateResult[]): RunReport {
  const { settings, loaded, namespace } = run
  const overrides = describeOverrides(loaded.overrides)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'phase-gate', version: VERSION },
    plan: loaded.plan.name,
    planFile: loaded.displayFile,
    runId: settings.runId,
    target: { context: settings.context ?? loaded.plan.target.context, namespace },
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(run.clock.now()).toISOString(),
    verdict: combineVerdicts(gates.map(g => g.verdict)),
    gates: [...gates],
    ...(overrides.length ? { overrides } : {})
  }
}

/** Closes the connection and returns the report with the server and context the run used. */
async function finalReport(run: EngineRun): Promise<RunReport> {
  const { clusterPromise, settings, loaded } = run
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
  const report = reportOf(run, run.gates)
  return {
    ...report,
    target: { context, namespace: run.namespace, server },
    verdict: run.ctx.signal.aborted ? 'cancelled' : report.verdict,
    gates: run.gates
  }
}

/**
 * The approval point of `--gate all`: a TTY answer, or `--approve` / `approve: true`
 * (recorded as "no human approval"); otherwise the run stops before the first
 * phase with verdict `cancelled`. The decision is a check on the plan gate's result.
 */
async function approveDeployment(
  gates: GateResult[],
  settings: Settings,
  deps: EngineDeps,
  clock: Clock,
  what: { phases: number; target: string }
): Promise<boolean> {
  const plan = [...gates].reverse().find(g => g.gate === 'plan')
  const question = `Deploy ${what.phases} phase${what.phases === 1 ? '' : 's'} to ${what.target}? [y/N]`
  const started = clock.now()
  let decision: { approved: boolean; human: boolean; how: string; message: string }
  if (settings.approve)
    decision = {
      approved: true,
      human: false,
      how: 'approve-flag',
      message: `no human approval: deployed past the plan because --approve (action input approve: true) was given`
    }
  else if (deps.confirm) {
    const yes = await deps.confirm({
      question,
      planMarkdown:
        typeof plan?.details?.planMarkdown === 'string' ? plan.details.planMarkdown : undefined
    })
    decision = yes
      ? {
          approved: true,
          human: true,
          how: 'tty',
          message: `approved on the terminal: ${question} y`
        }
      : {
          approved: false,
          human: true,
          how: 'tty',
          message: `not approved: the answer to "${question}" was not yes; nothing was applied`
        }
  } else
    decision = {
      approved: false,
      human: false,
      how: 'none',
      message: `not approved: no terminal to ask "${question}" on and no --approve; nothing was applied`
    }
  deps.log.info(decision.message)
  const check: CheckResult = {
    id: 'approval:deploy',
    kind: 'approval',
    target: what.target,
    verdict: decision.approved ? 'pass' : 'cancelled',
    severity: decision.approved ? 'info' : 'high',
    message: decision.message,
    adjustment: decision.approved
      ? undefined
      : 'Run it on a terminal and answer y, or give --approve (action: approve: true) to deploy without human approval; in a workflow split the gates into jobs and put the approval on an environment with required reviewers (the infra-deploy workflow).',
    data: { approved: decision.approved, humanApproval: decision.human, how: decision.how },
    durationMs: clock.now() - started
  }
  const holder: GateResult = plan ?? {
    gate: 'plan',
    verdict: 'pass',
    durationMs: 0,
    startedAt: new Date(started).toISOString(),
    checks: []
  }
  if (!plan) gates.push(holder)
  holder.checks.push(check)
  if (!decision.human && decision.approved)
    holder.notes = [...(holder.notes ?? []), 'no human approval (--approve / approve: true)']
  holder.details = { ...holder.details, approval: check.data }
  if (!decision.approved) holder.verdict = 'cancelled'
  return decision.approved
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
