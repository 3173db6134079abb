/**
 * `--gate rollback --phase NAME [--run-id ID]`: a person's choice after a
 * phase stopped (`onFailure: stop`) or after a run they want to take back
 * to "after phase N-1". Rolls back NAME and every later phase of the run
 * that still holds what it applied, in reverse order, each with the same
 * undo as a failing phase (verified, PVCs and kept objects stay, objects
 * that existed before restored) and its migration's down.
 */

import { checkResult } from '../checks/result.js'
import { UsageError, errorMessage } from '../core/errors.js'
import type { StateRecord, PhaseRecord } from '../lifecycle/record.js'
import { rollbackBudgetMs } from '../plan/budgets.js'
import { gateResult, isPassing, type CheckResult, type GateResult } from '../report/model.js'
import { rollbackPhase } from './phase.js'
import type { GateContext } from './types.js'

/** Phase records that still hold what they applied (not rolled back yet). */
const HOLDS = new Set<PhaseRecord['status']>(['applied', 'failed', 'applying', 'rolling-back'])

/** Runs the phase rollback the settings ask for. */
export async function rollbackPhases(ctx: GateContext): Promise<GateResult[]> {
  const name = ctx.settings.phase as string
  const phases = ctx.loaded.plan.phases ?? []
  const from = phases.findIndex(p => p.name === name)
  if (from < 0)
    throw new UsageError(
      `no phase named "${name}"; phases: ${phases.map(p => p.name).join(', ') || 'none'}`
    )
  const started = ctx.clock.now()
  const cluster = await ctx.cluster()
  const record = await ctx.stateRecord()
  const runId = await runToRollBack(ctx, record, name)
  const doomed = await phasesToRollBack(record, runId, phases, from)
  if (doomed.length === 0) return [nothingToRollBack(ctx, started, name, runId)]
  const warnState = (err: unknown): void => ctx.log.warn(`state record: ${errorMessage(err)}`)
  if (!ctx.settings.dryRun)
    await record
      .transition(
        'rolling-back',
        runId,
        `phases ${doomed.map(d => d.phase.name).join(', ')} rolled back by request (--gate rollback --phase ${name})`,
        new Date(started).toISOString()
      )
      .catch(warnState)
  const undone = await undoPhases(ctx, cluster, record, runId, name, doomed)
  const { checks, notes, order, rolledBack } = undone
  const ok = checks.every(c => isPassing(c.verdict))
  const before = from > 0 ? phases[from - 1].name : undefined
  if (!ctx.settings.dryRun) {
    await record
      .updateIndex(ix => {
        const run = ix.runs.find(r => r.runId === runId)
        if (run) run.phases = run.phases.filter(p => !rolledBack.includes(p))
      })
      .catch(warnState)
    await record
      .transition(
        ok ? 'previous-stable' : 'failed',
        runId,
        ok
          ? `rolled back ${order.join(', ')}: the target is as ${before ? `after phase ${before}` : 'before the run'}`
          : `rollback from phase ${name} incomplete`,
        new Date(ctx.clock.now()).toISOString()
      )
      .catch(warnState)
  }
  if (ok)
    notes.push(
      `rolled back ${order.join(', ')} of run ${runId}, in that order: the target is as ${before ? `after phase ${before}` : 'before the run'}`
    )
  const budget = doomed.reduce((n, d) => n + rollbackBudgetMs(ctx.loaded.plan, d.phase), 0)
  return [
    gateResult('rollback', started, checks, {
      now: ctx.clock.now(),
      name: `phase ${name}`,
      budgetMs: budget,
      notes,
      details: { runId, phases: order, rolledBack }
    })
  ]
}

type Phase = NonNullable<GateContext['loaded']['plan']['phases']>[number]

/** A phase to roll back: its place in the plan and its record. */
interface Doomed {
  phase: Phase
  index: number
  rec: PhaseRecord
}

/** The run: the one given, else the newest run of the state record that applied this phase. */
async function runToRollBack(ctx: GateContext, record: StateRecord, name: string): Promise<string> {
  const index = await record.readIndex()
  const runId = ctx.settings.runIdGiven
    ? ctx.runId
    : [...index.runs].reverse().find(r => r.phases.includes(name))?.runId
  if (!runId)
    throw new UsageError(
      `no run of plan ${ctx.loaded.plan.name} in ${ctx.namespace} applied phase ${name}; give the run with --run-id ID`
    )
  return runId
}

/** The phases from `from` on that still hold what they applied, latest first. */
async function phasesToRollBack(
  record: StateRecord,
  runId: string,
  phases: Phase[],
  from: number
): Promise<Doomed[]> {
  const records = await record.readPhases(runId)
  const byName = new Map(records.map(r => [r.phase, r]))
  return phases
    .map((p, i) => ({ phase: p, index: i, rec: byName.get(p.name) }))
    .filter((x): x is Doomed => x.index >= from && x.rec !== undefined && HOLDS.has(x.rec.status))
    .reverse()
}

/** The skipped result when no phase of the run still holds anything. */
function nothingToRollBack(
  ctx: GateContext,
  started: number,
  name: string,
  runId: string
): GateResult {
  const checks: CheckResult[] = [
    checkResult('rollback', name, {
      verdict: 'skip',
      message: `nothing to roll back: run ${runId} has no phase from ${name} on that still holds what it applied`,
      data: { runId, phases: [] }
    })
  ]
  return gateResult('rollback', started, checks, {
    now: ctx.clock.now(),
    name: `phase ${name}`,
    details: { runId, phases: [] }
  })
}

/** Undoes each doomed phase in turn, stopping at the first that does not come back cleanly. */
async function undoPhases(
  ctx: GateContext,
  cluster: Awaited<ReturnType<GateContext['cluster']>>,
  record: StateRecord,
  runId: string,
  name: string,
  doomed: Doomed[]
): Promise<{ checks: CheckResult[]; notes: string[]; order: string[]; rolledBack: string[] }> {
  const notes: string[] = []
  const checks: CheckResult[] = []
  const order: string[] = []
  const rolledBack: string[] = []
  for (const { phase, index: i, rec } of doomed) {
    if (ctx.settings.dryRun) {
      checks.push(
        checkResult('rollback', `${phase.name}: undo`, {
          verdict: 'pass',
          message: `dry run: would roll back phase ${phase.name} (${rec.objects.length} objects)`,
          data: { phase: phase.name }
        })
      )
      order.push(phase.name)
      continue
    }
    order.push(phase.name)
    ctx.progress({ gate: 'rollback', activity: `phase ${phase.name}: rolling back` })
    // The run whose objects these are, so the undo's record and labels match.
    const results = await rollbackPhase(
      { ...ctx, runId },
      cluster,
      phase,
      i,
      rec,
      record,
      `rollback of phase ${name} requested`
    )
    for (const r of results) r.data = { ...r.data, phase: phase.name }
    checks.push(...results)
    if (!results.every(r => isPassing(r.verdict))) {
      notes.push(
        `phase ${phase.name} could not be rolled back completely; the phases before it were left as they are`
      )
      break
    }
    rolledBack.push(phase.name)
  }
  return { checks, notes, order, rolledBack }
}
