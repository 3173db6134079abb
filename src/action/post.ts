/**
 * The post step (post-if: always()): finishes what a cancelled or killed main
 * step left half done, from the state record in the cluster (tracer objects
 * of this run, phases interrupted while applying or rolling back; a Helm
 * phase's release through helm, or reported with the command that frees it
 * when helm left it pending), then removes the temporary kubeconfig. It
 * only ever warns.
 */

import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import { systemClock, type Clock } from '../core/clock.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { processExec } from '../core/exec.js'
import type { Logger } from '../core/log.js'
import { redact } from '../core/secrets.js'
import { connectCluster } from '../kube/client.js'
import { releaseStaleLock } from '../kube/lock.js'
import { StateRecord, type PhaseRecord } from '../lifecycle/record.js'
import { refOf, type Cluster, type ObjectRef } from '../kube/types.js'
import { undoApplied } from '../kube/undo.js'
import { Helm } from '../helm/helm.js'
import { finishInterruptedRelease } from '../helm/interrupted.js'
import { cleanupObjects } from '../gates/tracer.js'
import { LABEL_PHASE, labelValue, runSelector } from '../kube/labels.js'
import { loadPlan } from '../plan/loader.js'
import { INPUT, STATE } from './names.js'

/** Post-step cleanup hooks registered by gates (tracer cleanup, interrupted rollbacks). */
export type PostHook = (state: (name: string) => string) => Promise<void>
const hooks: PostHook[] = []

/** Registers a cleanup the post step runs. */
export function registerPostHook(hook: PostHook): void {
  hooks.push(hook)
}

/** What the post step found and did. */
export interface InterruptedWork {
  /** Tracer objects of the run that were still in the cluster and are gone now. */
  tracerObjectsRemoved: number
  /** Phases that were interrupted and are rolled back now. */
  phasesRolledBack: string[]
  /** What could not be finished, with the reason (each also logged as a warning). */
  problems: string[]
}

export interface FinishOptions {
  cluster: Cluster
  plan: string
  namespace: string
  runId: string
  log: Logger
  clock?: Clock
  /** Bound on each cleanup or undo; default 2 minutes (GitHub gives a cancelled job's post steps little time). */
  timeoutMs?: number
  /** Tracers whose objects stay (`cleanup: false` in the plan). */
  keepTracers?: string[]
  /** The main step's lock token (default: this job's, see lockToken). */
  lockToken?: string
  /** helm for a release namespace, to finish interrupted Helm phases (without it they are only reported). */
  helm?: (namespace: string) => Helm
}

/** Removes the run's tracer objects and rolls back its interrupted phases, newest first. */
export async function finishInterruptedWork(o: FinishOptions): Promise<InterruptedWork> {
  const clock = o.clock ?? systemClock
  const timeoutMs = o.timeoutMs ?? 120_000
  const record = new StateRecord(o.cluster, o.plan, o.namespace)
  const out: InterruptedWork = { tracerObjectsRemoved: 0, phasesRolledBack: [], problems: [] }
  const problem = (text: string): void => {
    out.problems.push(text)
    o.log.warn(text)
  }

  try {
    await finishFromRecord(o, record, out, problem, clock, timeoutMs)
  } finally {
    // The lock a killed main step held would block the next run until it expires;
    // freed last, so no other run starts while this one is being undone.
    try {
      const freed = await releaseStaleLock(o.cluster, {
        namespace: o.namespace,
        plan: o.plan,
        holder: o.runId,
        token: o.lockToken,
        clock
      })
      if (freed) o.log.info(`post step: released the lock the interrupted run ${o.runId} held`)
    } catch (err) {
      o.log.debug(`post step: lock: ${errorMessage(err)}`)
    }
  }
  return out
}

async function finishFromRecord(
  o: FinishOptions,
  record: StateRecord,
  out: InterruptedWork,
  problem: (text: string) => void,
  clock: Clock,
  timeoutMs: number
): Promise<void> {
  const secret = await o.cluster.get({
    apiVersion: 'v1',
    kind: 'Secret',
    name: record.runSecretName(o.runId),
    namespace: o.namespace
  })
  if (!secret) {
    o.log.info(
      `post step: run ${o.runId} left no state record in ${o.namespace}; nothing to finish`
    )
    return
  }
  const data = (secret.data ?? {}) as Record<string, string>
  const decode = <T>(key: string): T | undefined => {
    try {
      return JSON.parse(Buffer.from(data[key], 'base64').toString('utf8')) as T
    } catch {
      problem(`post step: the state record's ${key} is unreadable; skipped`)
      return undefined
    }
  }

  // Tracers: the kinds each one recorded before applying; the sweep finds this run's objects of those kinds.
  const kinds = new Map<string, { apiVersion: string; kind: string }>()
  for (const key of Object.keys(data).filter(k => k.startsWith('tracer.')))
    for (const r of decode<{ refs?: ObjectRef[] }>(key)?.refs ?? [])
      kinds.set(`${r.apiVersion}/${r.kind}`, { apiVersion: r.apiVersion, kind: r.kind })
  if (kinds.size > 0) {
    // Tracers the plan marks `cleanup: false` keep their objects on purpose.
    const keep = new Set((o.keepTracers ?? []).map(labelValue))
    const refs: ObjectRef[] = []
    for (const k of kinds.values()) {
      try {
        const { items } = await o.cluster.list(k.apiVersion, k.kind, {
          namespace: o.namespace,
          labelSelector: runSelector(o.plan, o.runId, 'tracer')
        })
        refs.push(
          ...items.filter(i => !keep.has(i.metadata.labels?.[LABEL_PHASE] ?? '')).map(refOf)
        )
      } catch (err) {
        problem(`post step: cannot list ${k.kind} of run ${o.runId}: ${errorMessage(err)}`)
      }
    }
    if (refs.length > 0) {
      const swept = await cleanupObjects(o.cluster, refs, { clock, log: o.log })
      if (swept.ok) {
        out.tracerObjectsRemoved = refs.length
        o.log.info(
          `post step: removed ${refs.length} tracer object${refs.length === 1 ? '' : 's'} of run ${o.runId}: ${swept.message}`
        )
      } else problem(`post step: tracer objects of run ${o.runId} may remain: ${swept.message}`)
    }
  }

  // Phases left applying or rolling back: undo them as the phase's rollback would, newest first.
  const phases = Object.keys(data)
    .filter(k => k.startsWith('phase.'))
    .map(k => decode<PhaseRecord>(k))
    .filter(
      (r): r is PhaseRecord =>
        r !== undefined && (r.status === 'applying' || r.status === 'rolling-back')
    )
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  for (const rec of phases) {
    o.log.info(
      `post step: phase ${rec.phase} of run ${o.runId} was interrupted while ${rec.status === 'applying' ? 'applying or waiting' : 'rolling back'}; rolling it back from the state record`
    )
    rec.status = 'rolling-back'
    await record.writePhase(rec).catch(err => o.log.debug(`state record: ${errorMessage(err)}`))
    if (rec.helm) {
      // A release is undone by helm: restoring its objects one by one would leave helm's record on the new revision.
      await finishHelmPhase(o, record, rec, out, problem, clock, timeoutMs)
      continue
    }
    const outcome = await undoApplied(o.cluster, rec.objects, { timeoutMs, clock })
    rec.status = outcome.ok ? 'rolled-back' : 'failed'
    rec.finishedAt = new Date(clock.now()).toISOString()
    await record.writePhase(rec).catch(err => o.log.debug(`state record: ${errorMessage(err)}`))
    if (outcome.ok) {
      out.phasesRolledBack.push(rec.phase)
      const kept = outcome.steps
        .filter(s => s.action === 'keep')
        .map(s => `${s.ref.kind} ${s.ref.name}`)
      o.log.info(
        `post step: phase ${rec.phase} rolled back: ${outcome.verifyMessage}${kept.length ? `; kept ${kept.join(', ')}` : ''}`
      )
    } else {
      problem(
        `post step: phase ${rec.phase} of run ${o.runId} could not be rolled back completely: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}; the state record keeps what it applied (re-run the phase's rollback)`
      )
    }
  }
  if (phases.length > 0)
    await record
      .transition(
        out.phasesRolledBack.length === phases.length ? 'previous-stable' : 'failed',
        o.runId,
        `post step: interrupted phase${phases.length === 1 ? '' : 's'} ${phases.map(p => p.phase).join(', ')} rolled back`
      )
      .catch(err => o.log.debug(`state record: ${errorMessage(err)}`))
}

async function finishHelmPhase(
  o: FinishOptions,
  record: StateRecord,
  rec: PhaseRecord,
  out: InterruptedWork,
  problem: (text: string) => void,
  clock: Clock,
  timeoutMs: number
): Promise<void> {
  const rel = rec.helm as NonNullable<PhaseRecord['helm']>
  const r = o.helm
    ? await finishInterruptedRelease(o.helm(rel.namespace), o.cluster, rel, { timeoutMs, clock })
    : {
        outcome: 'failed' as const,
        message: 'no helm to finish it with',
        command:
          rel.revisionBefore !== undefined
            ? `helm rollback ${rel.release} ${rel.revisionBefore} --namespace ${rel.namespace}`
            : `helm uninstall ${rel.release} --namespace ${rel.namespace}`
      }
  const ok = r.outcome === 'restored' || r.outcome === 'unchanged'
  rec.status = ok ? 'rolled-back' : 'failed'
  rec.finishedAt = new Date(clock.now()).toISOString()
  await record.writePhase(rec).catch(err => o.log.debug(`state record: ${errorMessage(err)}`))
  if (ok) {
    out.phasesRolledBack.push(rec.phase)
    o.log.info(`post step: phase ${rec.phase} rolled back: ${r.message}`)
  } else if (r.outcome === 'stuck')
    problem(
      `post step: phase ${rec.phase} of run ${o.runId} was interrupted inside helm: ${r.message}; free it with: ${r.command}`
    )
  else
    problem(
      `post step: phase ${rec.phase} of run ${o.runId} could not be rolled back: ${r.message}${r.command ? `; finish it with: ${r.command}` : ''}`
    )
}

const actionLog: Logger = {
  debug: m => core.debug(redact(m)),
  info: m => core.info(redact(m)),
  warn: m => core.warning(redact(m)),
  error: m => core.warning(redact(m))
}

/** Finishes interrupted work of the main step's run, as far as the saved state tells which. */
async function finishFromState(state: (name: string) => string): Promise<void> {
  const runId = state(STATE.runId)
  const planPath = state(STATE.planPath)
  if (!runId || !planPath) return
  // The main step saves plan and namespace only when it finishes; a killed one left the plan's path.
  const loaded = await loadPlan(planPath, {
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd()
  })
  const plan = state(STATE.plan) || loaded.plan.name
  const namespace =
    state(STATE.namespace) || core.getInput(INPUT.namespace).trim() || loaded.plan.target.namespace
  const context =
    state(STATE.context) || core.getInput(INPUT.context).trim() || loaded.plan.target.context
  const keepTracers = (loaded.plan.tracers ?? []).filter(t => t.cleanup === false).map(t => t.name)
  const kubeconfigPath = state(STATE.kubeconfigPath) || undefined
  const cluster = await connectCluster({ kubeconfigPath, context })
  try {
    await finishInterruptedWork({
      cluster,
      plan,
      namespace,
      runId,
      log: actionLog,
      keepTracers,
      helm: ns =>
        new Helm({ exec: processExec, namespace: ns, kubeconfig: kubeconfigPath, context })
    })
  } finally {
    cluster.close()
  }
}

/** The post step. */
export async function post(): Promise<void> {
  const state = (name: string): string => core.getState(name)
  for (const hook of [finishFromState, ...hooks]) {
    try {
      await hook(state)
    } catch (err) {
      const problems = err instanceof UsageError ? err.problems.map(p => `\n  ${p}`).join('') : ''
      core.warning(redact(`post-step cleanup: ${errorMessage(err)}${problems}`))
    }
  }
  const dir = state(STATE.tempDir)
  if (dir) {
    try {
      await rm(dir, { recursive: true, force: true })
      core.info('removed the temporary kubeconfig')
    } catch (err) {
      core.warning(redact(`could not remove ${dir}: ${errorMessage(err)}`))
    }
  }
}
