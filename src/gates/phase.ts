/**
 * The phase gate, one implementation phase: record the live state of what the phase
 * touches, server-side apply its manifests, wait until every applied object
 * is Current (failing fast on known causes), run its validation checks, and
 * on failure or cancellation run its rollback, verify it, and stop.
 */

import { checkResult } from '../checks/result.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { applyInOrder, prepareObjects, snapshot, type AppliedObject } from '../kube/apply.js'
import { isInfraStatus } from '../kube/client.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import type { PhaseRecord, StateRecord } from '../lifecycle/record.js'
import { describeRef, type Cluster, type KubeObject } from '../kube/types.js'
import { undoApplied } from '../kube/undo.js'
import { waitForObjects, waitStatus } from '../kube/wait.js'
import { rollbackBudgetMs } from '../plan/budgets.js'
import { loadManifestFiles, phaseManifestPaths } from '../plan/manifests.js'
import type { PhaseSpec, RollbackAction } from '../plan/types.js'
import { hasDown } from '../plan/migration.js'
import {
  gateResult,
  isPassing,
  type CheckResult,
  type GateResult,
  type SourceLocation
} from '../report/model.js'
import { selectNamed, type GateRun } from './gate-run.js'
import type { Gate, GateContext } from './types.js'
import { runPhaseMigration } from './phase-migration.js'
import {
  notReadyCheck,
  notReadyCulprit,
  notReadyReason,
  phaseRun,
  phaseTime,
  recordApplied,
  recordBeforeChange,
  recordRunPhase,
  rollbackCommand,
  validatePhase,
  type PhaseTime
} from './phase-steps.js'
import { byHandCommands, phaseRollbackCommand } from './phase-stop.js'

/** The objects a phase applies, from its `apply` files or its `kustomize` directory (overrides applied). */
export async function phaseObjects(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number
): Promise<KubeObject[]> {
  const files = await phaseManifestPaths(ctx.loaded, phase, index)
  return (await loadManifestFiles(ctx.loaded, files, ctx.settings.workspace)).map(m => m.object)
}

/** Runs a phase's rollback actions (default: undo) within the rollback budget. */
export async function rollbackPhase(
  ctx: GateContext,
  cluster: Cluster,
  phase: PhaseSpec,
  index: number,
  rec: PhaseRecord,
  record: StateRecord,
  why: string
): Promise<CheckResult[]> {
  const actions: RollbackAction[] = phase.rollback?.length ? phase.rollback : [{ undo: true }]
  const budget = rollbackBudgetMs(ctx.loaded.plan, phase)
  const started = ctx.clock.now()
  const results: CheckResult[] = []
  rec.status = 'rolling-back'
  await record.writePhase(rec).catch(warnRecord(ctx))
  ctx.progress({
    gate: 'phase',
    activity: `${phase.name}: rolling back (${why})`,
    deadline: started + budget
  })
  for (const [i, action] of actions.entries()) {
    const location = ctx.loaded.locate(['phases', index, 'rollback', i])
    const left = Math.max(1000, budget - (ctx.clock.now() - started))
    if ('undo' in action)
      results.push(await undoCheck(ctx, cluster, phase, rec, { budget, left, location }))
    else if ('command' in action) {
      results.push(
        await rollbackCommand(ctx, phase, action, {
          namespace: ctx.namespace,
          timeoutMs: Math.min(left, durationMs(action.command.timeout, left)),
          location
        })
      )
    } else {
      results.push(
        checkResult('rollback', `${phase.name}: helm`, {
          verdict: 'error',
          message: 'helm rollback is handled by Helm phases, which this phase is not',
          location
        })
      )
    }
  }
  // The migration's down runs after the undo: the old objects are back before the schema goes back.
  const down = await migrationDown(ctx, phase, index, rec, started + budget)
  if (down) results.push(down)
  const ok = results.every(r => isPassing(r.verdict))
  rec.status = ok ? 'rolled-back' : 'failed'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  await record.writePhase(rec).catch(warnRecord(ctx))
  return results
}

/** Undoes what the phase applied (verified), keeping PVCs and kept objects. */
async function undoCheck(
  ctx: GateContext,
  cluster: Cluster,
  phase: PhaseSpec,
  rec: PhaseRecord,
  o: { budget: number; left: number; location?: SourceLocation }
): Promise<CheckResult> {
  const outcome = await undoApplied(cluster, rec.objects, { timeoutMs: o.left, clock: ctx.clock })
  const kept = outcome.steps.filter(s => s.action === 'keep')
  return checkResult('rollback', `${phase.name}: undo`, {
    verdict: outcome.ok ? 'pass' : 'fail',
    message: outcome.ok
      ? `rolled back in ${formatDuration(outcome.durationMs)} (budget ${formatDuration(o.budget)}): ${outcome.verifyMessage}${kept.length ? `; kept ${kept.map(k => describeRef(k.ref)).join(', ')}` : ''}`
      : `rollback incomplete: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}`,
    evidence: outcome.steps.map(s => `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}`).join('\n'),
    data: {
      durationMs: outcome.durationMs,
      budgetMs: o.budget,
      kept: kept.map(k => describeRef(k.ref)),
      verified: outcome.verified
    },
    location: o.location
  })
}

/** The migration's down when its up ran and its down did not (a warning when it has none). */
async function migrationDown(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  rec: PhaseRecord,
  deadline: number
): Promise<CheckResult | undefined> {
  const upRan = rec.migration?.some(m => m.step === 'up' && m.exitCode === 0 && !m.timedOut)
  const downRan = rec.migration?.some(m => m.step === 'down' && m.exitCode === 0 && !m.timedOut)
  const migration = phase.migration
  if (!upRan || downRan || !migration) return undefined
  if (hasDown(migration)) {
    const down = await runPhaseMigration(ctx, { ...phase, migration }, index, 'down', deadline)
    rec.migration = [...(rec.migration ?? []), down.record]
    return down.check
  }
  return checkResult('migration', `${phase.name}: down`, {
    verdict: 'warn',
    message: `the migration of phase ${phase.name} has no down step: the schema stays migrated, and code rollback is refused after it`,
    adjustment:
      'add migration.down to the phase, or roll the migration forward; the flag and config rollback levels stay available',
    location: ctx.loaded.locate(['phases', index, 'migration'])
  })
}

/** `budgets.implementation`: the clock time by which all phases of the run must be done. */
export interface ImplementationLimit {
  deadline: number
  budgetMs: number
}

/** One plain phase under way: what it applies, its time, and what it collects. */
interface PhaseUnderWay {
  ctx: GateContext
  phase: PhaseSpec
  index: number
  run: GateRun
  time: PhaseTime
  limit?: ImplementationLimit
  /** The phase's own timeout or the implementation budget's end, whichever comes first. */
  deadline: number
  location: SourceLocation | undefined
  cluster: Cluster
  objects: KubeObject[]
  force: boolean
}

/** A phase past its dry run: its record is written, and what it applied so far. */
interface PhaseRecorded extends PhaseUnderWay {
  record: StateRecord
  rec: PhaseRecord
  applied: AppliedObject[]
}

/**
 * A phase: admit (dry run) → record → migrate up → apply → wait until ready
 * → validate → record applied. A failing step rolls the phase back, or stops
 * it with its objects in place (`onFailure: stop`).
 */
async function runPhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  limit?: ImplementationLimit
): Promise<GateResult> {
  if (phase.helm) {
    const { runHelmPhase } = await import('./helm-phase.js')
    return runHelmPhase(ctx, phase, index)
  }
  const p = await preparePhase(ctx, phase, index, limit)
  // Admission first: a manifest the cluster rejects is caught before anything changes.
  if (!(await admitted(p))) return p.run.result()
  if (ctx.settings.dryRun) return dryRunPassed(p)
  const r = await recordPhase(p)
  const ended =
    (await migrateUp(r)) ?? (await applyPhase(r)) ?? (await waitReady(r)) ?? (await validate(r))
  if (ended) return ended
  await recordApplied(ctx, r.record, r.rec, r.time.started)
  return r.run.result()
}

/** The phase's time and objects, prepared for the cluster with the run's labels. */
async function preparePhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  limit: ImplementationLimit | undefined
): Promise<PhaseUnderWay> {
  const time = phaseTime(ctx, phase)
  const cluster = await ctx.cluster()
  const raw = await phaseObjects(ctx, phase, index)
  const objects = await prepareObjects(cluster, raw, ctx.namespace, {
    plan: ctx.loaded.plan.name,
    run: ctx.runId,
    role: 'phase',
    unit: phase.name
  })
  return {
    ctx,
    phase,
    index,
    run: phaseRun(ctx, phase, time),
    time,
    limit,
    // Each phase keeps its own timeout; the implementation budget bounds all of them together.
    deadline: Math.min(time.started + time.timeoutMs, limit?.deadline ?? Infinity),
    location: ctx.loaded.locate(['phases', index]),
    cluster,
    objects,
    force: phase.forceConflicts === true
  }
}

/**
 * The server's dry run of every object: false (with the finding) when it
 * refuses one. Its warnings (deprecated APIs, unknown fields it drops)
 * become warn findings naming the object.
 */
async function admitted(p: PhaseUnderWay): Promise<boolean> {
  const { cluster, run, location } = p
  const warned = new Map<string, string[]>()
  const onWarnings = (o: KubeObject, w: string[]): void => {
    const k = describeRef(o)
    warned.set(k, [...new Set([...(warned.get(k) ?? []), ...w])])
  }
  const dry = await applyInOrder(cluster, p.objects, [], {
    dryRun: true,
    force: p.force,
    onWarnings
  })
  if (dry.failed && dry.failed.status !== 404) {
    // No answer, 429 or a 5xx is not the server refusing the manifest: could not check (exit 3).
    const infra = isInfraStatus(dry.failed.status, dry.failed.message)
    run.check(
      checkResult('apply', describeRef(dry.failed.ref), {
        verdict: infra ? 'error' : 'fail',
        message: dry.failed.message,
        adjustment: infra
          ? `could not ask ${cluster.server} to dry-run the phase; nothing was changed: re-run when it answers`
          : 'fix the manifest so the server accepts it; nothing was changed',
        location
      })
    )
    return false
  }
  for (const [obj, w] of warned)
    run.check(
      checkResult('apply', `${obj} warnings`, {
        verdict: 'warn',
        message: `the API server warns about ${obj}: ${w.join('; ')}`,
        adjustment:
          'act on what the warning names (a deprecated apiVersion, a field the server drops)',
        location
      })
    )
  return true
}

function dryRunPassed(p: PhaseUnderWay): GateResult {
  p.run.check(
    checkResult('apply', p.phase.name, {
      verdict: 'pass',
      message: `dry run: the server accepts all ${p.objects.length} objects of phase ${p.phase.name}`,
      location: p.location
    })
  )
  return p.run.result()
}

/** The phase record (the objects' live state before the change), written before the first change. */
async function recordPhase(p: PhaseUnderWay): Promise<PhaseRecorded> {
  const { ctx, phase } = p
  const { record, rec } = await recordBeforeChange(ctx, p.run, {
    phase,
    started: p.time.started,
    objects: await snapshot(p.cluster, p.objects),
    packaged: `phase ${phase.name}: the server accepted all ${p.objects.length} objects in a dry run`,
    deploying: `phase ${phase.name}`
  })
  return { ...p, record, rec, applied: [] }
}

function warnRecord(ctx: GateContext): (err: unknown) => void {
  return err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`)
}

/** The phase's migration up, before anything is applied; the phase's end when it fails. */
async function migrateUp(r: PhaseRecorded): Promise<GateResult | undefined> {
  const { ctx, phase, rec } = r
  if (!phase.migration) return undefined
  const migration = phase.migration
  const up = await runPhaseMigration(ctx, { ...phase, migration }, r.index, 'up', r.deadline)
  rec.migration = [up.record]
  r.run.check(up.check)
  if (!up.ok) {
    // Nothing was applied: there is nothing to undo or keep.
    rec.status = 'failed'
    rec.objects = []
    rec.finishedAt = new Date(ctx.clock.now()).toISOString()
    await r.record.writePhase(rec).catch(warnRecord(ctx))
    if (overImplementation(r)) r.run.note(implementationNote(r))
    r.run.note(`phase ${phase.name} failed before applying anything: its migration up failed`)
    return r.run.result(ctx.signal.aborted ? 'cancelled' : undefined)
  }
  await r.record.writePhase(rec).catch(warnRecord(ctx))
  if (ctx.signal.aborted) return failPhase(r, 'cancelled after the migration')
  return undefined
}

/** Server-side apply in order; the phase's end when the server refuses an object or the run is cancelled. */
async function applyPhase(r: PhaseRecorded): Promise<GateResult | undefined> {
  const { ctx, phase, rec } = r
  ctx.progress({ gate: 'phase', activity: `${phase.name}: applying ${r.objects.length} objects` })
  const applied = await applyInOrder(r.cluster, r.objects, rec.objects, {
    signal: ctx.signal,
    force: r.force
  })
  // Only what was really applied is undone; objects never reached keep their state.
  rec.objects = applied.applied
  r.applied = applied.applied
  if (applied.failed) {
    const infra = isInfraStatus(applied.failed.status, applied.failed.message)
    r.run.check(
      checkResult('apply', describeRef(applied.failed.ref), {
        verdict: infra ? 'error' : 'fail',
        message: applied.failed.message,
        location: r.location
      })
    )
    return failPhase(r, infra ? 'the server could not be asked' : 'apply rejected')
  }
  if (ctx.signal.aborted) return failPhase(r, 'cancelled while applying')
  r.run.check(
    checkResult('apply', phase.name, {
      verdict: 'pass',
      message: `applied ${applied.applied.length} objects (${applied.applied.filter(a => a.created).length} created)`,
      location: r.location
    })
  )
  return undefined
}

/** Waits until every applied object is Current (failing fast on known causes); the phase's end when not. */
async function waitReady(r: PhaseRecorded): Promise<GateResult | undefined> {
  const { ctx, phase, cluster } = r
  const activity = `${phase.name}: waiting for ${r.applied.length} objects to be ready`
  ctx.progress({ gate: 'phase', activity, deadline: r.deadline })
  const outcome = await waitForObjects(
    cluster,
    r.applied.map(a => a.ref),
    {
      timeoutMs: Math.max(0, r.deadline - ctx.clock.now()),
      signal: ctx.signal,
      clock: ctx.clock,
      onProgress: p => ctx.progress({ gate: 'phase', activity, status: waitStatus(p) }),
      failFast: true
    }
  )
  if (outcome.result !== 'done') {
    const culprit = notReadyCulprit(outcome)
    const evidence = culprit
      ? await collectEvidence(cluster, culprit).then(
          formatEvidence,
          e => `evidence unavailable: ${errorMessage(e)}`
        )
      : undefined
    r.run.check(
      notReadyCheck(outcome, {
        fallback: phase.name,
        evidence,
        timeoutAdvice: overImplementation(r)
          ? `${implementationNote(r)}: raise budgets.implementation, or fix what the evidence shows`
          : `still progressing after ${formatDuration(r.time.timeoutMs)}: raise the phase timeout, or fix what the evidence shows`,
        location: r.location
      })
    )
    return failPhase(r, notReadyReason(outcome))
  }
  r.run.check(
    checkResult('ready', phase.name, {
      verdict: 'pass',
      message: `all ${r.applied.length} objects ready in ${formatDuration(outcome.durationMs)}`,
      location: r.location
    })
  )
  return undefined
}

/** The phase's validation checks over what it applied; the phase's end when one does not pass. */
async function validate(r: PhaseRecorded): Promise<GateResult | undefined> {
  const applied = r.applied.map(a => a.after).filter((o): o is KubeObject => o !== undefined)
  const why = await validatePhase(r.ctx, r.phase, r.index, r.run, applied, r.deadline)
  return why ? failPhase(r, why) : undefined
}

function overImplementation(p: PhaseUnderWay): boolean {
  return p.limit !== undefined && p.ctx.clock.now() >= p.limit.deadline - 1
}

function implementationNote(p: PhaseUnderWay): string {
  return `the implementation budget (budgets.implementation ${p.ctx.loaded.plan.budgets?.implementation ?? ''}, all phases of run ${p.ctx.runId} together) ran out during phase ${p.phase.name}`
}

/** A failed phase is rolled back (or, with onFailure: stop, kept as it is). */
async function failPhase(r: PhaseRecorded, why: string): Promise<GateResult> {
  const { ctx, phase } = r
  if (overImplementation(r)) r.run.note(implementationNote(r))
  if (phase.onFailure === 'stop' && !ctx.signal.aborted) return stopPhase(r, why)
  r.run.check(...(await rollbackPhase(ctx, r.cluster, phase, r.index, r.rec, r.record, why)))
  if (ctx.signal.aborted)
    r.run.note(
      `cancelled: phase ${phase.name} was rolled back; the cluster holds what it held before this phase`
    )
  else r.run.note(`phase ${phase.name} failed (${why}) and was rolled back`)
  return r.run.result(ctx.signal.aborted ? 'cancelled' : undefined)
}

/** onFailure: stop keeps the phase's objects, records the failure and says how to roll back. */
async function stopPhase(r: PhaseRecorded, why: string): Promise<GateResult> {
  const { ctx, phase, rec, record } = r
  rec.status = 'failed'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  rec.stopped = { reason: why, at: rec.finishedAt }
  await record.writePhase(rec).catch(warnRecord(ctx))
  await recordRunPhase(ctx, record, phase.name, r.time.started)
  await record
    .transition(
      'failed',
      ctx.runId,
      `phase ${phase.name} failed (${why}) and was stopped, not rolled back (onFailure: stop)`,
      rec.finishedAt
    )
    .catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))
  const command = phaseRollbackCommand(ctx.loaded.displayFile, phase.name, ctx.runId)
  const byHand = byHandCommands({
    objects: rec.objects,
    namespace: ctx.namespace,
    context: ctx.settings.context ?? ctx.loaded.plan.target.context,
    stateSecret: record.runSecretName(ctx.runId),
    phase,
    migration: rec.migration,
    planDir: ctx.loaded.dir
  })
  r.run.check(
    checkResult('rollback', phase.name, {
      verdict: 'skip',
      message: `not rolled back (onFailure: stop): phase ${phase.name} keeps its ${rec.objects.length} objects for a person to choose; roll it back with: ${command}`,
      evidence: ['by hand, in this order:', ...byHand].join('\n'),
      adjustment: `look at the evidence above, then either fix forward and run the phase again, or roll back with ${command} (it also undoes every later applied phase of run ${ctx.runId}, in reverse order, keeping PVCs)`,
      data: { stopped: true, command, byHand, runId: ctx.runId },
      location: ctx.loaded.locate(['phases', r.index, 'onFailure'])
    })
  )
  r.run.note(
    `phase ${phase.name} failed (${why}) and was stopped with its objects in place (onFailure: stop); roll back with: ${command}`
  )
  return r.run.result()
}

export const phaseGate: Gate = {
  name: 'phase',
  async run(ctx) {
    const all = ctx.loaded.plan.phases ?? []
    const selected = selectNamed(all, ctx.settings.phase, 'phase')
    const results: GateResult[] = []
    const rejected = ctx.settings.dryRun ? undefined : await rejection(ctx)
    if (rejected)
      return [
        gateResult(
          'phase',
          ctx.clock.now(),
          [
            checkResult('approval', ctx.runId, {
              verdict: 'fail',
              message: `run ${ctx.runId} was rejected at the approval (${rejected}); its phases are not run`,
              adjustment:
                'start a new run: it starts again at the reality check, and the plan goes to the reviewers again'
            })
          ],
          { now: ctx.clock.now() }
        )
      ]
    const limit = await implementationLimit(ctx)
    for (const p of selected) {
      if (ctx.signal.aborted) break
      if (limit && ctx.clock.now() >= limit.deadline && !ctx.settings.dryRun) {
        results.push(
          gateResult(
            'phase',
            ctx.clock.now(),
            [
              checkResult('budget', p.name, {
                verdict: 'fail',
                message: `phase ${p.name} not started: the implementation budget (budgets.implementation ${ctx.loaded.plan.budgets?.implementation ?? ''}, all phases of run ${ctx.runId} together) is used up`,
                adjustment: 'raise budgets.implementation, or make the earlier phases faster',
                location: ctx.loaded.locate(['budgets', 'implementation'])
              })
            ],
            { now: ctx.clock.now(), name: p.name }
          )
        )
        break
      }
      const r = await runPhase(ctx, p, all.indexOf(p), limit)
      results.push(r)
      // A failed phase stops the deployment: later phases build on it.
      if (!isPassing(r.verdict)) break
    }
    if (results.length === 0)
      results.push(
        gateResult('phase', ctx.clock.now(), [], {
          now: ctx.clock.now(),
          verdict: 'skip',
          notes: ['the plan has no phases']
        })
      )
    return results
  }
}

/**
 * The implementation budget's deadline: from the start of the run's first
 * phase (the state record's run, when an earlier job of this run applied
 * phases) or now, plus `budgets.implementation`. None when the plan sets none.
 */
async function implementationLimit(ctx: GateContext): Promise<ImplementationLimit | undefined> {
  const text = ctx.loaded.plan.budgets?.implementation
  if (!text) return undefined
  const budget = durationMs(text, 0)
  let start = ctx.clock.now()
  if (!ctx.settings.dryRun) {
    const index = await (await ctx.stateRecord()).readIndex()
    const run = index.runs.find(r => r.runId === ctx.runId)
    const at = run ? Date.parse(run.startedAt) : NaN
    if (Number.isFinite(at) && at < start) start = at
  }
  return { deadline: start + budget, budgetMs: budget }
}

/** When this run was rejected at the approval (the record gate keeps it in the state record). */
async function rejection(ctx: GateContext): Promise<string | undefined> {
  // A state record that cannot be read is a gate that could not run (exit 3), never a pass.
  const index = await (await ctx.stateRecord()).readIndex()
  const r = index.extra?.rejected as { runId?: string; at?: string } | undefined
  return r?.runId === ctx.runId ? `at ${r.at ?? 'an unknown time'}` : undefined
}

/** Phase records of this run that a killed job left half-done (for the post step). */
export function interrupted(records: PhaseRecord[]): PhaseRecord[] {
  return records.filter(r => r.status === 'applying' || r.status === 'rolling-back')
}

export type { AppliedObject }
