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
  // Overrides apply after rendering, to everything every gate loads; a NAME that matches nothing is exit 2.
  await prepareOverrides(loaded, settings.overrides, {
    workspace: settings.workspace,
    exec: deps.exec ?? processExec,
    namespace
  })
  const overrides = (): string[] => describeOverrides(loaded.overrides)
  let clusterPromise: Promise<Cluster> | undefined
  const cluster = (): Promise<Cluster> => {
    clusterPromise ??= (deps.connect ?? defaultConnect)(settings, loaded)
    return clusterPromise
  }
  let registry: Registry | undefined
  const signal = deps.signal ?? new AbortController().signal
  const earlier = [...(deps.earlier ?? [])]
  const gates: GateResult[] = []
  const heartbeat = deps.heartbeat ? startHeartbeat({ clock, write: deps.heartbeat }) : undefined

  const ctx: GateContext = {
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
    clock,
    log: deps.log,
    signal,
    progress: e => {
      heartbeat?.progress(e)
      deps.progress?.(e)
    },
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
    gates: [...done],
    ...(overrides().length ? { overrides: overrides() } : {})
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
      signal,
      onWaiting: w =>
        heartbeat?.progress({
          gate: name,
          activity: `waiting for ${w.lock}`,
          status: `held by ${w.holder}`,
          deadline: w.deadline
        })
    })
    heartbeat?.idle()
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
      // Human approval sits after the rendered plan, before the first change: it is never implied.
      if (name === 'phase' && settings.gate === 'all' && !stop && !settings.dryRun) {
        const context =
          (await clusterPromise?.catch(() => undefined))?.context ??
          settings.context ??
          loaded.plan.target.context ??
          'the current context'
        const approved = await approveDeployment(gates, settings, deps, clock, {
          phases: (loaded.plan.phases ?? []).length,
          target: `${context}/${namespace}`
        })
        if (!approved) stop = true
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
      deps.onGate?.start(name)
      heartbeat?.idle()
      // Every retry any client makes for this gate is counted into it (core/retry.ts).
      const run = await countRetriesSettled(async () => {
        if (signal.aborted) throw new CancelledError()
        lockNotes = await takeLock(name)
        if (AGREEING_GATES.has(name)) {
          const agreed = await agreeWithRecordedOverrides(ctx)
          if (agreed) lockNotes = [...lockNotes, agreed]
        }
        // The gates this run finished so far count as earlier reports (the record gate reads them).
        if (gates.length > 0) ctx.earlier = [...earlier, runSoFar(gates)]
        return gate.run(ctx)
      }).finally(() => {
        heartbeat?.idle()
        deps.onGate?.end(name)
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
    heartbeat?.stop()
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
    gates,
    ...(overrides().length ? { overrides: overrides() } : {})
  }
  return { report, loaded }
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
