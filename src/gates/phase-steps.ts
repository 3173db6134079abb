/**
 * The steps plain and Helm phases share: the phase's time, its record
 * before the first change and after the last, the not-ready finding, the
 * validation checks and a rollback command. Its own module so neither phase
 * module imports the other.
 */

import { checkResult } from '../checks/result.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import type { AppliedObject } from '../kube/apply.js'
import { describeRef, type KubeObject, type ObjectRef } from '../kube/types.js'
import type { WaitOutcome } from '../kube/wait.js'
import type { PhaseRecord, StateRecord } from '../lifecycle/record.js'
import { budgetMs } from '../plan/budgets.js'
import type { PhaseSpec, RollbackAction } from '../plan/types.js'
import { describeOverrides } from '../render/overrides.js'
import { isPassing, type CheckResult, type SourceLocation, type Verdict } from '../report/model.js'
import { GateRun } from './gate-run.js'
import { markPackaged } from './mark-packaged.js'
import type { GateContext } from './types.js'

/** A phase's start, its budget and its own timeout (never over the budget). */
export interface PhaseTime {
  started: number
  budget: number
  timeoutMs: number
}

/** When the phase starts and how long it may take. */
export function phaseTime(ctx: GateContext, phase: PhaseSpec): PhaseTime {
  const started = ctx.clock.now()
  const budget = durationMs(phase.budget, budgetMs(ctx.loaded.plan, 'phase', { phase }))
  return { started, budget, timeoutMs: Math.min(durationMs(phase.timeout, budget), budget) }
}

/** The phase gate's collector for one phase. */
export function phaseRun(
  ctx: GateContext,
  phase: PhaseSpec,
  time: PhaseTime,
  details?: Record<string, unknown>
): GateRun {
  return new GateRun('phase', ctx.clock, time.started, {
    name: phase.name,
    budgetMs: time.budget,
    details
  })
}

/**
 * Before the first change: the phase record (the objects' live state before
 * it) is written, so a killed job's post step can undo from it; the target
 * moves to `packaged` and then to `deploying`.
 */
export async function recordBeforeChange(
  ctx: GateContext,
  run: GateRun,
  o: {
    phase: PhaseSpec
    started: number
    objects: AppliedObject[]
    helm?: PhaseRecord['helm']
    /** Why the target is packaged, and why it is deploying. */
    packaged: string
    deploying: string
  }
): Promise<{ record: StateRecord; rec: PhaseRecord }> {
  const record = await ctx.stateRecord()
  const rec: PhaseRecord = {
    phase: o.phase.name,
    runId: ctx.runId,
    status: 'applying',
    startedAt: new Date(o.started).toISOString(),
    objects: o.objects,
    ...(o.helm ? { helm: o.helm } : {})
  }
  await record.writePhase(rec)
  await markPackaged(ctx, record, o.packaged, run.notes)
  await record
    .transition('deploying', ctx.runId, o.deploying)
    .catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))
  return { record, rec }
}

/** After the last step: the phase is applied and its run in the index names it. */
export async function recordApplied(
  ctx: GateContext,
  record: StateRecord,
  rec: PhaseRecord,
  started: number
): Promise<void> {
  rec.status = 'applied'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  await record.writePhase(rec)
  await recordRunPhase(ctx, record, rec.phase, started)
}

/** Adds a phase to its run in the index (what later gates and the code level's migration freeze read). */
export async function recordRunPhase(
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

/** The verdict of a wait that did not end with everything ready. */
function notReadyVerdict(outcome: WaitOutcome): Verdict {
  return outcome.result === 'cancelled'
    ? 'cancelled'
    : outcome.result === 'error'
      ? 'error'
      : 'fail'
}

/** The finding of a wait that did not end with everything ready, on its culprit. */
export function notReadyCheck(
  outcome: WaitOutcome,
  o: {
    /** The check's name when no object is to blame. */
    fallback: string
    evidence?: string
    /** What to do about a timeout. */
    timeoutAdvice: string
    location?: SourceLocation
  }
): CheckResult {
  const culprit = notReadyCulprit(outcome)
  return checkResult('ready', culprit ? describeRef(culprit) : o.fallback, {
    verdict: notReadyVerdict(outcome),
    message: outcome.message,
    evidence: o.evidence,
    adjustment:
      outcome.result === 'timeout'
        ? o.timeoutAdvice
        : 'fix what the evidence shows, then re-run the phase',
    location: o.location
  })
}

/** The object a wait that did not end with everything ready blames. */
export function notReadyCulprit(outcome: WaitOutcome): ObjectRef | undefined {
  return outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref
}

/** Why a phase fails after a wait that did not end with everything ready. */
export function notReadyReason(outcome: WaitOutcome): string {
  return outcome.result === 'cancelled'
    ? 'cancelled while waiting'
    : (outcome.failure?.reason ?? outcome.result)
}

/** Runs the phase's validation checks; why the phase fails, or undefined when they pass. */
export async function validatePhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  run: GateRun,
  applied: KubeObject[],
  deadline: number
): Promise<string | undefined> {
  if (!phase.validate?.length) return undefined
  ctx.progress({
    gate: 'phase',
    activity: `${phase.name}: ${phase.validate.length} validation checks`
  })
  const results = await runValidations(phase.validate, { ...ctx, applied, deadline }, [
    'phases',
    index,
    'validate'
  ])
  run.check(...results)
  if (ctx.signal.aborted) return 'cancelled while validating'
  if (!results.every(r => isPassing(r.verdict))) return 'validation failed'
  return undefined
}

/** Runs one `command` rollback action of a phase. */
export async function rollbackCommand(
  ctx: GateContext,
  phase: PhaseSpec,
  action: Extract<RollbackAction, { command: unknown }>,
  o: { namespace: string; timeoutMs: number; location?: SourceLocation }
): Promise<CheckResult> {
  const r = await ctx.exec.run(action.command.run, {
    shell: action.command.shell,
    cwd: ctx.loaded.dir,
    timeoutMs: o.timeoutMs,
    env: {
      PHASE_GATE_NAMESPACE: o.namespace,
      PHASE_GATE_RUN_ID: ctx.runId,
      PHASE_GATE_PHASE: phase.name
    }
  })
  const ok = r.exitCode === 0 && !r.timedOut
  return checkResult('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
    verdict: ok ? 'pass' : 'fail',
    message: ok
      ? `rollback command succeeded in ${formatDuration(r.durationMs)}`
      : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
    evidence: (r.stderr || r.stdout).slice(-2000),
    location: o.location
  })
}
