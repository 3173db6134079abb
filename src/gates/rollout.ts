/**
 * The staged rollout gate: per stage (`--stage NAME`, or every stage in
 * order), shift traffic to the stage's weight and verify it, hold while
 * judging the metrics against their thresholds and the baseline, and on a
 * trigger move the canary to 0 % at once, verify it, run the `onTrigger`
 * rollback level, and fail with the series that tripped it and its values.
 * A stage without canary traffic is `inconclusive` and stays at its weight
 * (never promoted, never rolled back); a metric without data keeps the stage
 * holding until the dead-man's switch fires. The state record follows:
 * deploying → active when the last stage passes; rolling-back →
 * previous-stable after a trigger. Each stage's samples go into the run's
 * Secret, its outcome into the index. The plan's webhooks hear of each stage
 * as it happens (promoted when it passes, rollback triggered the moment a
 * trigger fires), without the rollout waiting on them.
 */

import { checkResult } from '../checks/result.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { dnsName } from '../kube/labels.js'
import type { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import {
  formatNumber,
  resourceMetric,
  type CompiledTrigger,
  type Firing
} from '../metrics/judge.js'
import { compileStageTriggers } from '../metrics/tiers.js'
import type { Resource } from '../metrics/resource-use.js'
import { withTrack } from '../metrics/prometheus.js'
import type { Metrics } from '../metrics/types.js'
import type { NotifyEvent } from '../notify/events.js'
import { stageEvent, type EventBase } from '../notify/report-events.js'
import { describeOutcomes, sendNotification } from '../notify/send.js'
import { budgetMs } from '../plan/budgets.js'
import type { Plan, RolloutSpec } from '../plan/types.js'
import {
  gateResult,
  isPassing,
  type CheckResult,
  type GateResult,
  type SourceLocation,
  type Verdict
} from '../report/model.js'
import { holdStage, type HoldOutcome, type TickRecord } from '../rollout/hold.js'
import { runRollbackLevel } from '../rollout/levels.js'
import { canaryShareReader, judgedResources, type ShareReader } from '../rollout/resource-share.js'
import { rolloutStages, selectStages, type Stage } from '../rollout/stages.js'
import { createShifter } from '../rollout/shifter.js'
import type { ShiftOutcome, TrafficShifter } from '../rollout/traffic.js'
import { createStageJudge, judgeAfterHold, judgeDetails, judgeRows } from './rollout-judge.js'
import type { Gate, GateContext } from './types.js'
import { GateRun } from './gate-run.js'

/** How often metrics are judged when the plan gives no interval. */
export const DEFAULT_INTERVAL_MS = 30_000
/** Time the move back to 0 % may take when `budgets.rollback` gives none (its own, not what the stage left). */
export const ZERO_SHIFT_MS = 5 * 60_000

/** The named PromQL queries of `rollout.metrics` (everything but `prometheus`). */
export function rolloutQueries(rollout: RolloutSpec): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, q] of Object.entries(rollout.metrics ?? {}))
    if (name !== 'prometheus' && typeof q === 'string') out[name] = q
  return out
}

/**
 * The rollout's budget: `budgets.rollout`, else the holds of the stages it runs (the default
 * stages' when the plan lists none) plus the slack for shifting and judging.
 */
export function rolloutBudgetMs(plan: Plan): number {
  return budgetMs(plan, 'rollout')
}

interface RolloutRun {
  ctx: GateContext
  rollout: RolloutSpec
  cluster: Cluster
  shifter: TrafficShifter
  record: StateRecord
  queries: Record<string, string>
  triggers: CompiledTrigger[]
  intervalMs: number
  budgetMs: number
  deadline: number
  metrics?: Metrics
  /** Resources the triggers judge against the canary's limits, and their reader (made with the metrics). */
  resources: Resource[]
  shares?: ShareReader
  /** `cpu:app`: containers already reported as not judged (said once per rollout). */
  saidUnlimited: Set<string>
  /** Deliveries under way, with the stage whose notes they end up in. */
  told: { stage: string; lines: Promise<string[]> }[]
}

function eventBase(ctx: GateContext): EventBase {
  const plan = ctx.loaded.plan
  return {
    plan: plan.name,
    target: { context: ctx.settings.context ?? plan.target.context, namespace: ctx.namespace },
    runId: ctx.runId,
    at: new Date(ctx.clock.now()).toISOString(),
    runUrl: ctx.github?.runUrl
  }
}

/**
 * Starts telling the plan's webhooks of a stage's event and returns at once:
 * a slow chat server must not hold up a shift to 0 %. The gate waits for the
 * deliveries before it returns and puts their outcomes in the stage's notes.
 * True when the event went out (the stage is then `details.notified`, so the
 * report is not told again after the run).
 */
function tell(run: RolloutRun, stage: string, event: NotifyEvent | undefined): boolean {
  const { ctx } = run
  const hooks = ctx.loaded.plan.notify
  if (!event || !hooks?.length || ctx.settings.dryRun) return false
  run.told.push({
    stage,
    lines: sendNotification(hooks, event, { log: ctx.log, clock: ctx.clock }).then(
      describeOutcomes,
      (err: unknown) => [
        `could not notify of ${event.kind}: ${errorMessage(err)} (the verdict stands)`
      ]
    )
  })
  return true
}

function numbers(ticks: TickRecord[], metric: string, side: 'canary' | 'baseline'): number[] {
  return ticks.map(t => t.metrics[metric]?.[side]).filter((v): v is number => typeof v === 'number')
}

/** One row per metric: the numbers seen during the hold and the triggers that judge it. */
function metricRows(
  run: RolloutRun,
  stage: Stage,
  hold: HoldOutcome,
  verdict: Verdict
): CheckResult[] {
  const names = [...Object.keys(run.queries), ...run.resources.map(resourceMetric)]
  const triggers = triggersFor(run, stage)
  return names.map(name => {
    const canary = numbers(hold.ticks, name, 'canary')
    const baseline = numbers(hold.ticks, name, 'baseline')
    const judgedBy = triggers.filter(t => t.metric === name).map(t => t.source)
    const last = hold.ticks[hold.ticks.length - 1]?.metrics[name]
    const shown = (v: number | string | undefined): string =>
      typeof v === 'number' ? formatNumber(v) : (v ?? 'not read')
    const range = canary.length
      ? ` (min ${formatNumber(Math.min(...canary))}, max ${formatNumber(Math.max(...canary))})`
      : ''
    return checkResult('metric', `${stage.name}:${name}`, {
      verdict:
        name === 'requests' || canary.length > 0 ? verdict : verdict === 'pass' ? 'warn' : verdict,
      message: `${name}: canary ${shown(last?.canary)}, baseline ${shown(last?.baseline)}${range} over ${hold.ticks.length} samples${judgedBy.length ? `; rollback if ${judgedBy.join(' or ')}` : ''}`,
      data: {
        metric: name,
        ...(run.queries[name] !== undefined
          ? {
              query: withTrack(run.queries[name], 'canary'),
              baselineQuery: withTrack(run.queries[name], 'stable')
            }
          : { resource: name.slice(0, name.indexOf('/')) }),
        value: last?.canary,
        baseline: last?.baseline,
        min: canary.length ? Math.min(...canary) : undefined,
        max: canary.length ? Math.max(...canary) : undefined,
        baselineMax: baseline.length ? Math.max(...baseline) : undefined,
        samples: hold.ticks.length,
        withData: canary.length,
        thresholds: judgedBy,
        intervalMs: run.intervalMs
      }
    })
  })
}

function timeline(ticks: TickRecord[], limit = 12): string {
  return ticks
    .slice(-limit)
    .map(t => {
      const ms = Object.entries(t.metrics)
        .map(
          ([n, v]) =>
            `${n}=${typeof v.canary === 'number' ? formatNumber(v.canary) : v.canary}${v.baseline !== undefined ? ` (stable ${typeof v.baseline === 'number' ? formatNumber(v.baseline) : v.baseline})` : ''}`
        )
        .join(', ')
      return `${t.at} traffic=${t.traffic} ${ms}`
    })
    .join('\n')
}

/** One stage under way: what it collects (checks, notes, details) and its verdict override. */
interface StageRun {
  run: RolloutRun
  stage: Stage
  location: SourceLocation | undefined
  gate: GateRun
  /** The stage's details (the same object its result carries). */
  details: Record<string, unknown>
  verdict?: Verdict
}

/** A stage: shift → (infra steps | hold → judge) → decide; a trigger moves the canary back to 0 %. */
async function runStage(run: RolloutRun, stage: Stage): Promise<GateResult> {
  const sr = startStage(run, stage)
  if (run.ctx.settings.dryRun) {
    sr.gate.checks.push(
      checkResult('traffic', stage.name, {
        verdict: 'pass',
        message: `dry run: would move the canary to ${stage.weight}% via ${run.shifter.describe()}${stage.holdMs ? ` and hold ${formatDuration(stage.holdMs)}, judging every ${formatDuration(run.intervalMs)}` : ''}`,
        location: sr.location
      })
    )
    return stageResult(sr)
  }
  if (!stage.infra) await markDeploying(sr)
  const shifted = await shiftStage(sr)
  if (shifted) return shifted
  if (stage.infra) return runInfraSteps(sr)
  if (stage.holdMs <= 0)
    sr.gate.checks.push(
      checkResult('hold', stage.name, {
        verdict: 'pass',
        message: 'no hold at this stage: metrics are not judged here',
        location: sr.location
      })
    )
  else {
    const stopped = await holdAndJudge(sr)
    if (stopped) return stopped
  }
  if (stage.weight >= 100)
    await run.record
      .transition('active', run.ctx.runId, `rollout stage ${stage.name} reached 100%`)
      .catch(warnState(run.ctx))
  return saveStage(sr, stageResult(sr))
}

function startStage(run: RolloutRun, stage: Stage): StageRun {
  const { ctx, shifter } = run
  const details = {
    stage: stage.name,
    weight: stage.weight,
    holdMs: stage.holdMs,
    intervalMs: run.intervalMs,
    mode: shifter.mode,
    traffic: shifter.describe()
  }
  return {
    run,
    stage,
    location:
      stage.index !== undefined
        ? ctx.loaded.locate(['rollout', 'stages', stage.index])
        : ctx.loaded.locate(stage.infra ? ['rollout', 'infra'] : ['rollout']),
    gate: new GateRun('rollout', ctx.clock, ctx.clock.now(), {
      name: stage.name,
      budgetMs: run.budgetMs,
      details
    }),
    details
  }
}

function warnState(ctx: GateContext): (err: unknown) => void {
  return err => ctx.log.warn(`state record: ${errorMessage(err)}`)
}

/** The stage's result from what it collected. */
function stageResult(sr: StageRun): GateResult {
  return sr.gate.result(sr.verdict)
}

/** Writes the stage's summary to the state record (run data and index). */
async function saveStage(sr: StageRun, result: GateResult): Promise<GateResult> {
  const { ctx, record } = sr.run
  const summary = {
    stage: sr.stage.name,
    weight: sr.stage.weight,
    verdict: result.verdict,
    at: new Date(ctx.clock.now()).toISOString(),
    runId: ctx.runId
  }
  await record
    .writeRunData(
      ctx.runId,
      `rollout.${dnsName(sr.stage.name, 200)}.json`,
      JSON.stringify({ ...summary, details: sr.details })
    )
    .catch(warnState(ctx))
  await record
    .updateIndex(index => {
      index.extra = { ...(index.extra ?? {}), rollout: summary }
    })
    .catch(warnState(ctx))
  return result
}

/** A canary stage puts the deployment in `deploying` (once). */
async function markDeploying(sr: StageRun): Promise<void> {
  const { ctx, record } = sr.run
  const state = await record.readIndex().then(
    i => i.state,
    () => undefined
  )
  if (state !== 'deploying')
    await record
      .transition('deploying', ctx.runId, `rollout stage ${sr.stage.name} (${sr.stage.weight}%)`)
      .catch(warnState(ctx))
}

function cancelStage(sr: StageRun): Promise<GateResult> {
  return cancelled(
    sr.run,
    sr.stage,
    sr.gate.checks,
    sr.gate.notes,
    () => stageResult(sr),
    v => (sr.verdict = v)
  )
}

/** Moves the canary to the stage's weight; the stage's end when the shift fails or is cancelled. */
async function shiftStage(sr: StageRun): Promise<GateResult | undefined> {
  const { run, stage } = sr
  const { ctx } = run
  ctx.progress({
    gate: 'rollout',
    activity: `${stage.name}: moving the canary to ${stage.weight}%`
  })
  const shift = await run.shifter.shift(stage.weight, {
    timeoutMs: Math.max(1000, run.deadline - ctx.clock.now()),
    signal: ctx.signal
  })
  sr.details.shift = shift.data
  sr.gate.checks.push(
    checkResult('traffic', stage.name, {
      verdict: shift.ok ? 'pass' : 'fail',
      message: shift.message,
      evidence: shift.evidence,
      data: { ...shift.data, durationMs: shift.durationMs },
      location: sr.location
    })
  )
  if (ctx.signal.aborted) return cancelStage(sr)
  if (!shift.ok)
    return trigger(sr, 'shift', `the traffic shift to ${stage.weight}% failed: ${shift.message}`)
  return undefined
}

/** The infra stage: the rollout's infra steps at weight 0. */
async function runInfraSteps(sr: StageRun): Promise<GateResult> {
  const { ctx, rollout } = sr.run
  ctx.progress({
    gate: 'rollout',
    activity: `infra: ${rollout.infra?.length ?? 0} steps at weight 0`
  })
  const results = await runValidations(rollout.infra ?? [], { ...ctx, deadline: sr.run.deadline }, [
    'rollout',
    'infra'
  ])
  sr.gate.checks.push(...results)
  if (ctx.signal.aborted) return cancelStage(sr)
  const failed = results.filter(r => !isPassing(r.verdict))
  if (failed.length)
    return trigger(sr, 'infra', `infra step failed: ${failed.map(f => f.message).join('; ')}`)
  return saveStage(sr, stageResult(sr))
}

/** Holds the stage, sampling the metrics; then what the hold and the judge decided. */
async function holdAndJudge(sr: StageRun): Promise<GateResult | undefined> {
  const { run, stage } = sr
  const { ctx, rollout } = run
  try {
    run.metrics ??= ctx.metrics()
  } catch (err) {
    if (err instanceof UsageError) throw err
    return trigger(sr, 'metrics', `no Prometheus client: ${errorMessage(err)}`)
  }
  const metrics = run.metrics
  if (run.resources.length)
    run.shares ??= canaryShareReader({
      cluster: run.cluster,
      metrics,
      rollout,
      namespace: ctx.namespace,
      resources: run.resources
    })
  const holdActivity = `${stage.name}: holding ${formatDuration(stage.holdMs)} at ${stage.weight}%`
  const holdEnd = Math.min(run.deadline, ctx.clock.now() + stage.holdMs)
  ctx.progress({ gate: 'rollout', activity: holdActivity, deadline: holdEnd })
  const judge = createStageJudge(rollout, stage, run.intervalMs)
  const triggers = triggersFor(run, stage)
  const hold = await holdStage({
    judge,
    metrics,
    queries: run.queries,
    triggers,
    onWarn: f => tellWarning(run, stage, f, sr.details),
    holdMs: stage.holdMs,
    intervalMs: run.intervalMs,
    clock: ctx.clock,
    signal: ctx.signal,
    deadline: run.deadline,
    readers: run.shares,
    onTick: t =>
      ctx.progress({
        gate: 'rollout',
        activity: holdActivity,
        status: `sample at ${t.at}: traffic ${t.traffic}`
      })
  })
  sr.details.prometheus = metrics.url
  recordHold(sr, hold, triggers, judge)
  // The canary judge (src/gates/rollout-judge.ts): its rows, and after the hold its verdict.
  const after = judge && hold.result === 'pass' ? judgeAfterHold(judge, stage) : undefined
  if (judge && hold.result !== 'cancelled') {
    sr.details.judge = judgeDetails(judge)
    const at = (i: number) => ctx.loaded.locate(['rollout', 'judge', i])
    sr.gate.checks.push(...judgeRows(stage, judge, at, after?.action === 'promote'))
    if (after && after.action !== 'pass' && after.action !== 'fail')
      sr.gate.notes.push(after.message)
  }
  if (hold.result === 'judged') return trigger(sr, 'judge', hold.message, undefined, hold.ticks)
  if (after?.action === 'fail')
    return trigger(sr, 'judge-inconclusive', after.message, undefined, hold.ticks)
  return decideHold(sr, hold)
}

/** The hold's details, expression problems, unjudged containers, warn findings and notes. */
function recordHold(
  sr: StageRun,
  hold: HoldOutcome,
  triggers: CompiledTrigger[],
  judge: ReturnType<typeof createStageJudge>
): void {
  const { run, stage } = sr
  const { checks, notes } = sr.gate
  sr.details.hold = {
    startedAt: new Date(hold.startedAt).toISOString(),
    endedAt: new Date(hold.endedAt).toISOString(),
    extendedMs: hold.extendedMs,
    withTraffic: hold.withTraffic
  }
  sr.details.samples = hold.ticks
  for (const p of hold.problems)
    checks.push(
      checkResult('trigger', `${stage.name}:expression`, {
        verdict: 'warn',
        message: `a trigger could not be judged: ${p}`
      })
    )
  for (const [resource, containers] of run.shares?.unlimited ?? [])
    for (const c of containers) {
      if (run.saidUnlimited.has(`${resource}:${c}`)) continue
      run.saidUnlimited.add(`${resource}:${c}`)
      notes.push(
        `canary container ${c} sets no ${resource} limit: its ${resource} use is not judged against limits`
      )
    }
  checks.push(...warnFindings(run, stage, hold))
  if (triggers.some(t => t.implicit))
    notes.push("the plan sets no noDataFor: the default dead-man's switch (no data for 5m) applied")
  if (hold.extendedMs > 0)
    notes.push(
      `held ${formatDuration(hold.extendedMs)} past the hold while ${judge ? 'the judge waited for evidence or ' : ''}a metric had no data`
    )
}

/** The hold's outcome: a trigger, a cancel, an inconclusive stage, or the metric rows of a pass. */
async function decideHold(sr: StageRun, hold: HoldOutcome): Promise<GateResult | undefined> {
  const { run, stage } = sr
  const { checks, notes } = sr.gate
  switch (hold.result) {
    case 'triggered':
      return trigger(sr, hold.firing?.kind ?? 'threshold', hold.message, hold.firing, hold.ticks)
    case 'no-data':
      return trigger(sr, 'no-data', hold.message, undefined, hold.ticks)
    case 'budget':
      return trigger(sr, 'budget', hold.message, undefined, hold.ticks)
    case 'cancelled':
      return cancelStage(sr)
    case 'inconclusive':
      checks.push(...metricRows(run, stage, hold, 'inconclusive'))
      checks.push(
        checkResult('traffic', `${stage.name}:canary`, {
          verdict: 'inconclusive',
          message: hold.message,
          adjustment: `send traffic to the canary and run --stage ${stage.name} again, or roll back with --gate rollback`,
          location: sr.location
        })
      )
      notes.push(`stage ${stage.name} is inconclusive: the canary stays at ${stage.weight}%`)
      return saveStage(sr, stageResult(sr))
    case 'pass':
      checks.push(...metricRows(run, stage, hold, 'pass'))
      checks.push(
        checkResult('hold', stage.name, {
          verdict: 'pass',
          message: hold.message,
          location: sr.location
        })
      )
  }
  return undefined
}

/** A trigger: the canary to 0 % at once (verified), then the onTrigger level, and the stage fails. */
async function trigger(
  sr: StageRun,
  what: string,
  message: string,
  firing?: HoldOutcome['firing'],
  ticks: TickRecord[] = []
): Promise<GateResult> {
  const { run, stage } = sr
  const { checks } = sr.gate
  const { ctx, rollout } = run
  const at = ctx.clock.now()
  checks.push(triggerCheck(sr, what, message, firing, ticks))
  const level = rollout.onTrigger && rollout.onTrigger !== 'none' ? rollout.onTrigger : undefined
  if (
    tell(run, stage.name, {
      ...eventBase(ctx),
      kind: 'rollback-triggered',
      summary: `stage ${stage.name} (${stage.weight}%): ${checks[checks.length - 1].message}`,
      detail: `moving the canary to 0 %${level ? ` and running the ${level} rollback level` : ''}`,
      state: 'rolling-back',
      data: { stage: stage.name, weight: stage.weight, trigger: checks[checks.length - 1].data }
    })
  )
    sr.details.notified = true
  await run.record
    .transition('rolling-back', ctx.runId, `stage ${stage.name}: ${message}`)
    .catch(warnState(ctx))
  ctx.progress({ gate: 'rollout', activity: `${stage.name}: trigger, moving the canary to 0%` })
  const rolledBackAt = await backToZero(sr, at)
  sr.details.trigger = {
    what,
    message,
    metric: firing?.metric,
    at: new Date(at).toISOString(),
    rolledBackAt: new Date(rolledBackAt).toISOString(),
    rollbackMs: rolledBackAt - at,
    samples: firing?.samples
  }
  if (level) {
    const levels = ctx.loaded.plan.rollbackLevels ?? []
    const i = levels.findIndex(l => l.level === level)
    if (i < 0)
      checks.push(
        checkResult('rollback', level, {
          verdict: 'error',
          message: `rollout.onTrigger names level ${level}, which rollbackLevels does not define`
        })
      )
    else checks.push(await runRollbackLevel(ctx, run.cluster, levels[i], i))
  }
  sr.gate.notes.push(
    `stage ${stage.name} failed (${what}); the canary was moved back to 0%${level ? ` and the ${level} rollback ran` : ''}`
  )
  if (ctx.signal.aborted) sr.verdict = 'cancelled'
  return saveStage(sr, stageResult(sr))
}

/** The failed `trigger` check: what fired, with its query, samples and plan location. */
function triggerCheck(
  sr: StageRun,
  what: string,
  message: string,
  firing: HoldOutcome['firing'] | undefined,
  ticks: TickRecord[]
): CheckResult {
  const { run, stage } = sr
  return checkResult(
    'trigger',
    firing ? `${stage.name}:${firing.metric}` : `${stage.name}:${what}`,
    {
      verdict: 'fail',
      message: firing
        ? `rollback triggered at ${stage.weight}%: ${message} (trigger: ${firing.trigger.source})`
        : `rollback triggered at ${stage.weight}%: ${message}`,
      evidence: ticks.length ? `samples (newest last):\n${timeline(ticks)}` : undefined,
      data: firing
        ? {
            metric: firing.metric,
            kind: firing.kind,
            trigger: firing.trigger.source,
            cel: firing.trigger.cel,
            query: run.queries[firing.metric]
              ? withTrack(run.queries[firing.metric], 'canary')
              : undefined,
            baselineQuery: run.queries[firing.metric]
              ? withTrack(run.queries[firing.metric], 'stable')
              : undefined,
            samples: firing.samples,
            ...(firing.trigger.resource
              ? { resource: firing.trigger.resource, ...firing.labels }
              : {})
          }
        : { kind: what },
      location: firing?.trigger.path ? run.ctx.loaded.locate(firing.trigger.path) : sr.location
    }
  )
}

/** Moves the canary back to 0 % and records it; when that was done. */
async function backToZero(sr: StageRun, at: number): Promise<number> {
  const { run, stage } = sr
  const { ctx } = run
  const back = await zero(run)
  const rolledBackAt = ctx.clock.now()
  sr.gate.checks.push(
    checkResult('rollback', `${stage.name}:0%`, {
      verdict: back.ok ? 'pass' : 'fail',
      message: back.ok
        ? `canary back to 0% ${formatDuration(rolledBackAt - at)} after the trigger: ${back.message}`
        : `could not move the canary back to 0%: ${back.message}`,
      evidence: back.evidence,
      adjustment: back.ok
        ? undefined
        : `move the traffic by hand (${run.shifter.describe()}) and check the stable workload`,
      data: { ...back.data, durationMs: back.durationMs }
    })
  )
  if (back.ok)
    await run.record
      .transition('previous-stable', ctx.runId, `canary of stage ${stage.name} rolled back to 0%`)
      .catch(warnState(ctx))
  return rolledBackAt
}

/** The triggers judged at a stage: the rollout's (with seed defaults) plus the stage's own `rollbackIf`. */
function triggersFor(run: RolloutRun, stage: Stage): CompiledTrigger[] {
  const own = stage.index !== undefined ? run.rollout.stages?.[stage.index]?.rollbackIf : undefined
  return own?.length ? compileStageTriggers(run.rollout, stage.index) : run.triggers
}

/** A warn tier crossed: told at once (threshold-warning), never a rollback. */
function tellWarning(
  run: RolloutRun,
  stage: Stage,
  f: Firing,
  details: Record<string, unknown>
): void {
  const told = tell(run, stage.name, {
    ...eventBase(run.ctx),
    kind: 'threshold-warning',
    summary: `stage ${stage.name} (${stage.weight}%): ${f.message} (${f.trigger.source}); no rollback`,
    data: { stage: stage.name, weight: stage.weight, metric: f.metric, trigger: f.trigger.source }
  })
  if (told) details.warnNotified = true
}

/** One `warn` finding per warn-tier trigger that crossed during the hold. */
function warnFindings(run: RolloutRun, stage: Stage, hold: HoldOutcome): CheckResult[] {
  return hold.warnings.map(f =>
    checkResult('trigger', `${stage.name}:${f.metric}:warn`, {
      verdict: 'warn',
      message: `warn tier crossed at ${stage.weight}%: ${f.message} (trigger: ${f.trigger.source}); no rollback`,
      evidence: `samples (newest last):\n${timeline(hold.ticks)}`,
      data: {
        tier: 'warn',
        metric: f.metric,
        trigger: f.trigger.source,
        cel: f.trigger.cel,
        at: new Date(f.at).toISOString(),
        query: run.queries[f.metric] ? withTrack(run.queries[f.metric], 'canary') : undefined,
        samples: f.samples
      },
      location: f.trigger.path ? run.ctx.loaded.locate(f.trigger.path) : undefined
    })
  )
}

/** Moves the canary to 0 % with the rollback's own time, whatever the stage left. */
async function zero(run: RolloutRun): Promise<ShiftOutcome> {
  const timeoutMs = durationMs(run.ctx.loaded.plan.budgets?.rollback, ZERO_SHIFT_MS)
  try {
    return await run.shifter.shift(0, { timeoutMs, urgent: true })
  } catch (err) {
    return { ok: false, weight: 0, message: errorMessage(err), data: {}, durationMs: 0 }
  }
}

// A cancelled stage leaves no canary unattended: it goes back to 0 % before the job ends.
async function cancelled(
  run: RolloutRun,
  stage: Stage,
  checks: CheckResult[],
  notes: string[],
  done: () => GateResult,
  setVerdict: (v: Verdict) => void
): Promise<GateResult> {
  const back = await zero(run)
  checks.push(
    checkResult('rollback', `${stage.name}:0%`, {
      verdict: back.ok ? 'pass' : 'fail',
      message: back.ok
        ? `cancelled: canary moved back to 0% (${back.message})`
        : `cancelled, and the canary could not be moved back to 0%: ${back.message}`
    })
  )
  notes.push(
    `cancelled during stage ${stage.name}; the canary ${back.ok ? 'was moved back to 0%' : 'may still take traffic'}`
  )
  setVerdict('cancelled')
  return done()
}

/**
 * A run whose canary was rolled back does not move traffic again: a re-run of
 * a later stage job ("Re-run jobs" keeps the run id) would otherwise shift the
 * canary back up past the trigger. A new run (a new run id) may.
 */
async function refuseAfterRollback(
  run: RolloutRun,
  stages: Stage[]
): Promise<GateResult | undefined> {
  const { ctx } = run
  if (stages.every(s => s.infra)) return undefined
  const index = await run.record.readIndex().catch(() => undefined)
  const rolledBack = index?.history.find(
    h => h.runId === ctx.runId && (h.state === 'rolling-back' || h.state === 'previous-stable')
  )
  if (!rolledBack) return undefined
  const started = ctx.clock.now()
  return gateResult(
    'rollout',
    started,
    [
      checkResult('traffic', stages[0].name, {
        verdict: 'fail',
        message: `run ${ctx.runId} rolled its canary back at ${rolledBack.at}${rolledBack.reason ? ` (${rolledBack.reason})` : ''}: no traffic moved`,
        adjustment:
          'fix the cause and release again in a new run (a new workflow run, or --run-id on the CLI); a re-run of a stage job keeps the run that rolled back',
        location: ctx.loaded.locate(['rollout'])
      })
    ],
    { now: ctx.clock.now(), name: stages[0].name, budgetMs: run.budgetMs }
  )
}

export const rolloutGate: Gate = {
  name: 'rollout',
  async run(ctx) {
    const rollout = ctx.loaded.plan.rollout
    if (!rollout)
      throw new UsageError('the plan has no rollout block; add `rollout:` to run the rollout gate')
    const stages = selectStages(rolloutStages(rollout), ctx.settings.stage)
    let triggers: CompiledTrigger[]
    try {
      triggers = compileStageTriggers(rollout)
      // A stage's own triggers compile here too, so a mistake stops the rollout before traffic moves.
      rollout.stages?.forEach((_s, i) => compileStageTriggers(rollout, i))
    } catch (err) {
      throw new UsageError(`rollout.rollbackIf: ${errorMessage(err)}`)
    }
    const cluster = await ctx.cluster()
    const budget = rolloutBudgetMs(ctx.loaded.plan)
    const run: RolloutRun = {
      ctx,
      rollout,
      cluster,
      shifter: createShifter(cluster, rollout, ctx.namespace, ctx.clock),
      record: await ctx.stateRecord(),
      queries: rolloutQueries(rollout),
      triggers,
      resources: judgedResources({
        rollbackIf: [
          ...(rollout.rollbackIf ?? []),
          ...(rollout.stages ?? []).flatMap(s => s.rollbackIf ?? [])
        ]
      }),
      saidUnlimited: new Set(),
      intervalMs: durationMs(rollout.interval, DEFAULT_INTERVAL_MS),
      budgetMs: budget,
      deadline: ctx.clock.now() + budget,
      told: []
    }
    const refused = await refuseAfterRollback(run, stages)
    if (refused) return [refused]
    const results: GateResult[] = []
    for (const stage of stages) {
      if (ctx.signal.aborted) break
      const r = await runStage(run, stage)
      results.push(r)
      // Promoted the moment its stage passed, before the next stage starts.
      if (r.details?.notified !== true) {
        const e = stageEvent(r, ctx.loaded.plan, eventBase(ctx))
        if (e?.kind === 'stage-promoted' && tell(run, stage.name, e))
          r.details = { ...(r.details ?? {}), notified: true }
      }
      // A failed, inconclusive or cancelled stage ends the rollout: later stages build on it.
      if (!isPassing(r.verdict)) break
    }
    for (const t of run.told) {
      const lines = await t.lines
      const r = results.find(x => x.name === t.stage)
      if (r) r.notes = [...(r.notes ?? []), ...lines]
    }
    return results
  }
}
