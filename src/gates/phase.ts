/**
 * The phase gate, one implementation phase: record the live state of what the phase
 * touches, server-side apply its manifests, wait until every applied object
 * is Current (failing fast on known causes), run its validation checks, and
 * on failure or cancellation run its rollback, verify it, and stop.
 */

import { checkResult } from '../checks/result.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { applyInOrder, prepareObjects, snapshot, type AppliedObject } from '../kube/apply.js'
import { isInfraStatus } from '../kube/client.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { StateRecord, type PhaseRecord } from '../lifecycle/record.js'
import { describeRef, type Cluster, type KubeObject } from '../kube/types.js'
import { undoApplied } from '../kube/undo.js'
import { waitForObjects, waitStatus } from '../kube/wait.js'
import { budgetMs, rollbackBudgetMs } from '../plan/budgets.js'
import { loadManifestFiles, phaseManifestPaths } from '../plan/manifests.js'
import { describeOverrides } from '../render/overrides.js'
import type { PhaseSpec, RollbackAction } from '../plan/types.js'
import { hasDown } from '../plan/migration.js'
import { gateResult, isPassing, type CheckResult, type GateResult } from '../report/model.js'
import { markPackaged } from './mark-packaged.js'
import type { Gate, GateContext } from './types.js'
import { runPhaseMigration } from './phase-migration.js'
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
  await record
    .writePhase(rec)
    .catch(err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`))
  ctx.progress({
    gate: 'phase',
    activity: `${phase.name}: rolling back (${why})`,
    deadline: started + budget
  })
  for (const [i, action] of actions.entries()) {
    const location = ctx.loaded.locate(['phases', index, 'rollback', i])
    const left = Math.max(1000, budget - (ctx.clock.now() - started))
    if ('undo' in action) {
      const outcome = await undoApplied(cluster, rec.objects, { timeoutMs: left, clock: ctx.clock })
      const kept = outcome.steps.filter(s => s.action === 'keep')
      results.push(
        checkResult('rollback', `${phase.name}: undo`, {
          verdict: outcome.ok ? 'pass' : 'fail',
          message: outcome.ok
            ? `rolled back in ${formatDuration(outcome.durationMs)} (budget ${formatDuration(budget)}): ${outcome.verifyMessage}${kept.length ? `; kept ${kept.map(k => describeRef(k.ref)).join(', ')}` : ''}`
            : `rollback incomplete: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}`,
          evidence: outcome.steps.map(s => `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}`).join('\n'),
          data: {
            durationMs: outcome.durationMs,
            budgetMs: budget,
            kept: kept.map(k => describeRef(k.ref)),
            verified: outcome.verified
          },
          location
        })
      )
    } else if ('command' in action) {
      const r = await ctx.exec.run(action.command.run, {
        shell: action.command.shell,
        cwd: ctx.loaded.dir,
        timeoutMs: Math.min(left, durationMs(action.command.timeout, left)),
        env: {
          PHASE_GATE_NAMESPACE: ctx.namespace,
          PHASE_GATE_RUN_ID: ctx.runId,
          PHASE_GATE_PHASE: phase.name
        }
      })
      results.push(
        checkResult('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
          verdict: r.exitCode === 0 && !r.timedOut ? 'pass' : 'fail',
          message:
            r.exitCode === 0 && !r.timedOut
              ? `rollback command succeeded in ${formatDuration(r.durationMs)}`
              : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
          evidence: (r.stderr || r.stdout).slice(-2000),
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
  const upRan = rec.migration?.some(m => m.step === 'up' && m.exitCode === 0 && !m.timedOut)
  const downRan = rec.migration?.some(m => m.step === 'down' && m.exitCode === 0 && !m.timedOut)
  const migration = phase.migration
  if (upRan && !downRan && migration) {
    if (hasDown(migration)) {
      const down = await runPhaseMigration(
        ctx,
        { ...phase, migration },
        index,
        'down',
        started + budget
      )
      rec.migration = [...(rec.migration ?? []), down.record]
      results.push(down.check)
    } else
      results.push(
        checkResult('migration', `${phase.name}: down`, {
          verdict: 'warn',
          message: `the migration of phase ${phase.name} has no down step: the schema stays migrated, and code rollback is refused after it`,
          adjustment:
            'add migration.down to the phase, or roll the migration forward; the flag and config rollback levels stay available',
          location: ctx.loaded.locate(['phases', index, 'migration'])
        })
      )
  }
  const ok = results.every(r => isPassing(r.verdict))
  rec.status = ok ? 'rolled-back' : 'failed'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  await record
    .writePhase(rec)
    .catch(err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`))
  return results
}

/** `budgets.implementation`: the clock time by which all phases of the run must be done. */
export interface ImplementationLimit {
  deadline: number
  budgetMs: number
}

async function runPhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  limit?: ImplementationLimit
): Promise<GateResult> {
  const started = ctx.clock.now()
  const location = ctx.loaded.locate(['phases', index])
  const budget = durationMs(phase.budget, budgetMs(ctx.loaded.plan, 'phase', { phase }))
  const timeoutMs = Math.min(durationMs(phase.timeout, budget), budget)
  // Each phase keeps its own timeout; the implementation budget bounds all of them together.
  const deadline = Math.min(started + timeoutMs, limit?.deadline ?? Infinity)
  const overImplementation = (): boolean =>
    limit !== undefined && ctx.clock.now() >= limit.deadline - 1
  const implementationNote = (): string =>
    `the implementation budget (budgets.implementation ${ctx.loaded.plan.budgets?.implementation ?? ''}, all phases of run ${ctx.runId} together) ran out during phase ${phase.name}`
  const checks: CheckResult[] = []
  const notes: string[] = []
  const done = (): GateResult =>
    gateResult('phase', started, checks, {
      now: ctx.clock.now(),
      name: phase.name,
      budgetMs: budget,
      notes: notes.length ? notes : undefined
    })

  if (phase.helm) {
    const { runHelmPhase } = await import('./helm-phase.js')
    return runHelmPhase(ctx, phase, index)
  }
  const cluster = await ctx.cluster()
  const raw = await phaseObjects(ctx, phase, index)
  const objects = await prepareObjects(cluster, raw, ctx.namespace, {
    plan: ctx.loaded.plan.name,
    run: ctx.runId,
    role: 'phase',
    unit: phase.name
  })

  // Admission first: a manifest the cluster rejects is caught before anything changes.
  // The server's warnings (deprecated APIs, unknown fields it drops) become warn findings naming the object.
  const warned = new Map<string, string[]>()
  const onWarnings = (o: KubeObject, w: string[]): void => {
    const k = describeRef(o)
    warned.set(k, [...new Set([...(warned.get(k) ?? []), ...w])])
  }
  const force = phase.forceConflicts === true
  const dry = await applyInOrder(cluster, objects, [], { dryRun: true, force, onWarnings })
  if (dry.failed && dry.failed.status !== 404) {
    // No answer, 429 or a 5xx is not the server refusing the manifest: could not check (exit 3).
    const infra = isInfraStatus(dry.failed.status, dry.failed.message)
    checks.push(
      checkResult('apply', describeRef(dry.failed.ref), {
        verdict: infra ? 'error' : 'fail',
        message: dry.failed.message,
        adjustment: infra
          ? `could not ask ${cluster.server} to dry-run the phase; nothing was changed: re-run when it answers`
          : 'fix the manifest so the server accepts it; nothing was changed',
        location
      })
    )
    return done()
  }
  for (const [obj, w] of warned)
    checks.push(
      checkResult('apply', `${obj} warnings`, {
        verdict: 'warn',
        message: `the API server warns about ${obj}: ${w.join('; ')}`,
        adjustment:
          'act on what the warning names (a deprecated apiVersion, a field the server drops)',
        location
      })
    )
  if (ctx.settings.dryRun) {
    checks.push(
      checkResult('apply', phase.name, {
        verdict: 'pass',
        message: `dry run: the server accepts all ${objects.length} objects of phase ${phase.name}`,
        location
      })
    )
    return done()
  }

  const record = StateRecord.forPlan(cluster, ctx.loaded.plan, ctx.namespace)
  const rec: PhaseRecord = {
    phase: phase.name,
    runId: ctx.runId,
    status: 'applying',
    startedAt: new Date(started).toISOString(),
    objects: await snapshot(cluster, objects)
  }
  // The record is written before the first change: a killed job's post step can undo from it.
  await record.writePhase(rec)
  await markPackaged(
    ctx,
    record,
    `phase ${phase.name}: the server accepted all ${objects.length} objects in a dry run`,
    notes
  )
  await record
    .transition('deploying', ctx.runId, `phase ${phase.name}`)
    .catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))

  const fail = async (why: string): Promise<GateResult> => {
    if (overImplementation()) notes.push(implementationNote())
    if (phase.onFailure === 'stop' && !ctx.signal.aborted) return stop(why)
    checks.push(...(await rollbackPhase(ctx, cluster, phase, index, rec, record, why)))
    if (ctx.signal.aborted)
      notes.push(
        `cancelled: phase ${phase.name} was rolled back; the cluster holds what it held before this phase`
      )
    else notes.push(`phase ${phase.name} failed (${why}) and was rolled back`)
    const r = done()
    if (ctx.signal.aborted) r.verdict = 'cancelled'
    return r
  }

  // onFailure: stop keeps the phase's objects, records the failure and says how to roll back.
  const stop = async (why: string): Promise<GateResult> => {
    rec.status = 'failed'
    rec.finishedAt = new Date(ctx.clock.now()).toISOString()
    rec.stopped = { reason: why, at: rec.finishedAt }
    await record
      .writePhase(rec)
      .catch(err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`))
    await recordRunPhase(ctx, record, phase.name, started)
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
    checks.push(
      checkResult('rollback', phase.name, {
        verdict: 'skip',
        message: `not rolled back (onFailure: stop): phase ${phase.name} keeps its ${rec.objects.length} objects for a person to choose; roll it back with: ${command}`,
        evidence: ['by hand, in this order:', ...byHand].join('\n'),
        adjustment: `look at the evidence above, then either fix forward and run the phase again, or roll back with ${command} (it also undoes every later applied phase of run ${ctx.runId}, in reverse order, keeping PVCs)`,
        data: { stopped: true, command, byHand, runId: ctx.runId },
        location: ctx.loaded.locate(['phases', index, 'onFailure'])
      })
    )
    notes.push(
      `phase ${phase.name} failed (${why}) and was stopped with its objects in place (onFailure: stop); roll back with: ${command}`
    )
    return done()
  }

  if (phase.migration) {
    const up = await runPhaseMigration(
      ctx,
      { ...phase, migration: phase.migration },
      index,
      'up',
      deadline
    )
    rec.migration = [up.record]
    checks.push(up.check)
    if (!up.ok) {
      // Nothing was applied: there is nothing to undo or keep.
      rec.status = 'failed'
      rec.objects = []
      rec.finishedAt = new Date(ctx.clock.now()).toISOString()
      await record
        .writePhase(rec)
        .catch(err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`))
      if (overImplementation()) notes.push(implementationNote())
      notes.push(`phase ${phase.name} failed before applying anything: its migration up failed`)
      const r = done()
      if (ctx.signal.aborted) r.verdict = 'cancelled'
      return r
    }
    await record
      .writePhase(rec)
      .catch(err => ctx.log.warn(`could not update the state record: ${errorMessage(err)}`))
    if (ctx.signal.aborted) return fail('cancelled after the migration')
  }

  ctx.progress({ gate: 'phase', activity: `${phase.name}: applying ${objects.length} objects` })
  const applied = await applyInOrder(cluster, objects, rec.objects, {
    signal: ctx.signal,
    force
  })
  // Only what was really applied is undone; objects never reached keep their state.
  rec.objects = applied.applied
  if (applied.failed) {
    const infra = isInfraStatus(applied.failed.status, applied.failed.message)
    checks.push(
      checkResult('apply', describeRef(applied.failed.ref), {
        verdict: infra ? 'error' : 'fail',
        message: applied.failed.message,
        location
      })
    )
    return fail(infra ? 'the server could not be asked' : 'apply rejected')
  }
  if (ctx.signal.aborted) return fail('cancelled while applying')
  checks.push(
    checkResult('apply', phase.name, {
      verdict: 'pass',
      message: `applied ${applied.applied.length} objects (${applied.applied.filter(a => a.created).length} created)`,
      location
    })
  )

  const activity = `${phase.name}: waiting for ${applied.applied.length} objects to be ready`
  ctx.progress({ gate: 'phase', activity, deadline })
  const outcome = await waitForObjects(
    cluster,
    applied.applied.map(a => a.ref),
    {
      timeoutMs: Math.max(0, deadline - ctx.clock.now()),
      signal: ctx.signal,
      clock: ctx.clock,
      onProgress: p => ctx.progress({ gate: 'phase', activity, status: waitStatus(p) }),
      failFast: true
    }
  )
  if (outcome.result !== 'done') {
    const culprit = outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref
    const evidence = culprit
      ? await collectEvidence(cluster, culprit).then(
          formatEvidence,
          e => `evidence unavailable: ${errorMessage(e)}`
        )
      : undefined
    checks.push(
      checkResult('ready', culprit ? describeRef(culprit) : phase.name, {
        verdict:
          outcome.result === 'cancelled'
            ? 'cancelled'
            : outcome.result === 'error'
              ? 'error'
              : 'fail',
        message: outcome.message,
        evidence,
        adjustment:
          outcome.result === 'timeout'
            ? overImplementation()
              ? `${implementationNote()}: raise budgets.implementation, or fix what the evidence shows`
              : `still progressing after ${formatDuration(timeoutMs)}: raise the phase timeout, or fix what the evidence shows`
            : 'fix what the evidence shows, then re-run the phase',
        location
      })
    )
    return fail(
      outcome.result === 'cancelled'
        ? 'cancelled while waiting'
        : (outcome.failure?.reason ?? outcome.result)
    )
  }
  checks.push(
    checkResult('ready', phase.name, {
      verdict: 'pass',
      message: `all ${applied.applied.length} objects ready in ${formatDuration(outcome.durationMs)}`,
      location
    })
  )

  if (phase.validate?.length) {
    ctx.progress({
      gate: 'phase',
      activity: `${phase.name}: ${phase.validate.length} validation checks`
    })
    const appliedObjects = applied.applied
      .map(a => a.after)
      .filter((o): o is KubeObject => o !== undefined)
    const results = await runValidations(
      phase.validate,
      { ...ctx, applied: appliedObjects, deadline },
      ['phases', index, 'validate']
    )
    checks.push(...results)
    if (ctx.signal.aborted) return fail('cancelled while validating')
    if (!results.every(r => isPassing(r.verdict))) return fail('validation failed')
  }

  rec.status = 'applied'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  await record.writePhase(rec)
  await recordRunPhase(ctx, record, phase.name, started)
  return done()
}

/** Adds a phase to its run in the index (what later gates and the code level's migration freeze read). */
async function recordRunPhase(
  ctx: GateContext,
  record: StateRecord,
  phase: string,
  started: number
): Promise<void> {
  await record
    .updateIndex(index => {
      const overrides = describeOverrides(ctx.loaded.overrides)
      const run = index.runs.find(r => r.runId === ctx.runId)
      if (run) {
        if (!run.phases.includes(phase)) run.phases.push(phase)
        if (overrides.length) run.overrides = overrides
      } else
        index.runs.push({
          runId: ctx.runId,
          startedAt: new Date(started).toISOString(),
          phases: [phase],
          ...(overrides.length ? { overrides } : {})
        })
    })
    .catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))
}

export const phaseGate: Gate = {
  name: 'phase',
  async run(ctx) {
    const all = ctx.loaded.plan.phases ?? []
    const selected = ctx.settings.phase ? all.filter(p => p.name === ctx.settings.phase) : all
    if (ctx.settings.phase && selected.length === 0)
      throw new UsageError(
        `no phase named "${ctx.settings.phase}"; phases: ${all.map(p => p.name).join(', ') || 'none'}`
      )
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
    const cluster = await ctx.cluster()
    const index = await new StateRecord(cluster, ctx.loaded.plan.name, ctx.namespace).readIndex()
    const run = index.runs.find(r => r.runId === ctx.runId)
    const at = run ? Date.parse(run.startedAt) : NaN
    if (Number.isFinite(at) && at < start) start = at
  }
  return { deadline: start + budget, budgetMs: budget }
}

/** When this run was rejected at the approval (the record gate keeps it in the state record). */
async function rejection(ctx: GateContext): Promise<string | undefined> {
  // A state record that cannot be read is a gate that could not run (exit 3), never a pass.
  const cluster = await ctx.cluster()
  const index = await new StateRecord(cluster, ctx.loaded.plan.name, ctx.namespace).readIndex()
  const r = index.extra?.rejected as { runId?: string; at?: string } | undefined
  return r?.runId === ctx.runId ? `at ${r.at ?? 'an unknown time'}` : undefined
}

/** Phase records of this run that a killed job left half-done (for the post step). */
export function interrupted(records: PhaseRecord[]): PhaseRecord[] {
  return records.filter(r => r.status === 'applying' || r.status === 'rolling-back')
}

export type { AppliedObject }
