/**
 * The events a finished run's report implies, for the gates that do not send
 * their own: a rendered plan awaits approval (the approval comes after the
 * run), a rollback level run by hand means a rollback was triggered. The soak
 * gate (degraded, stable, the rollback it starts) and the rollout gate (each
 * stage promoted or triggered, as it happens) tell their own events while
 * they run and mark them `details.notified`, so they are not repeated here; a
 * report of an older version without that mark still yields them.
 */

import { isPassing, type GateResult, type RunReport } from '../report/model.js'
import type { Plan } from '../plan/types.js'
import type { NotifyEvent } from './events.js'
import { sendNotification, type NotifyOptions, type NotifyOutcome } from './send.js'
import { nonEmpty, num } from '../core/fields.js'

function firstProblem(g: GateResult): string | undefined {
  const c = g.checks.find(x => !isPassing(x.verdict))
  return c ? `${c.kind} ${c.target}: ${c.message}` : undefined
}

/** Where an event comes from: the plan, the target, the run and when. */
export type EventBase = Pick<NotifyEvent, 'plan' | 'target' | 'runId' | 'at' | 'runUrl'>

/** The event one finished rollout stage implies: promoted when it passed, rollback-triggered on a trigger. */
export function stageEvent(
  g: GateResult,
  plan: Pick<Plan, 'rollout'>,
  base: EventBase
): NotifyEvent | undefined {
  const trigger = g.checks.find(c => c.kind === 'trigger' && c.verdict === 'fail')
  const stage = g.name ?? nonEmpty(g.details?.stage) ?? 'stage'
  const weight = num(g.details?.weight) ?? plan.rollout?.stages?.find(s => s.name === stage)?.weight
  const at = `stage ${stage}${weight !== undefined ? ` (${weight}%)` : ''}`
  if (trigger) {
    const back = g.checks.find(c => c.kind === 'rollback')
    return {
      ...base,
      kind: 'rollback-triggered',
      summary: `${at}: ${trigger.message}`,
      detail: back ? back.message : undefined,
      state: back && isPassing(back.verdict) ? 'previous-stable' : 'rolling-back',
      data: { stage, weight, trigger: trigger.data }
    }
  }
  if (!isPassing(g.verdict) || g.verdict === 'skip') return undefined
  return {
    ...base,
    kind: 'stage-promoted',
    summary: `${at} promoted`,
    detail:
      g.checks
        .filter(c => c.kind === 'metric' || c.kind === 'hold')
        .map(c => c.message)
        .slice(0, 4)
        .join('\n') || undefined,
    state: weight !== undefined && weight >= 100 ? 'active' : 'deploying',
    data: { stage, weight }
  }
}

/**
 * The deployment-wide events of one gate result: the first phase starting
 * (deployment-started), a phase failing with its rollback's result
 * (phase-failed), validation passing (deployment-validated), a reviewer's
 * rejection recorded by the record gate (deployment-rejected), and a warn
 * tier crossed during a rollout stage that was not told as it happened.
 */
export function deploymentEvents(
  g: GateResult,
  plan: Pick<Plan, 'phases'>,
  base: EventBase
): NotifyEvent[] {
  const out: NotifyEvent[] = []
  const phases = plan.phases ?? []
  if (g.gate === 'phase' && g.verdict !== 'skip' && g.name !== undefined) {
    if (phases[0]?.name === g.name)
      out.push({
        ...base,
        at: g.startedAt,
        kind: 'deployment-started',
        summary: `deploying ${phases.length} phase${phases.length === 1 ? '' : 's'}, starting with ${g.name}`,
        state: 'deploying',
        data: { phases: phases.map(p => p.name) }
      })
    if (!isPassing(g.verdict) && g.verdict !== 'inconclusive') {
      const rollbacks = g.checks.filter(c => c.kind === 'rollback')
      const rolledBack = rollbacks.length > 0 && rollbacks.every(c => isPassing(c.verdict))
      out.push({
        ...base,
        kind: 'phase-failed',
        summary: `phase ${g.name} ${g.verdict === 'cancelled' ? 'was cancelled' : 'failed'}: ${firstProblem(g) ?? g.verdict}`,
        detail: rollbacks.length
          ? `rollback ${rolledBack ? 'done and verified' : 'did not complete'}: ${rollbacks.map(c => c.message).join('; ')}`
          : 'no rollback ran: the phase keeps its objects',
        state: rollbacks.length ? (rolledBack ? 'previous-stable' : 'failed') : 'failed',
        data: {
          phase: g.name,
          verdict: g.verdict,
          rollback: rollbacks.length ? (rolledBack ? 'verified' : 'failed') : 'none'
        }
      })
    }
  }
  if (g.gate === 'validate' && isPassing(g.verdict) && g.verdict !== 'skip')
    out.push({
      ...base,
      kind: 'deployment-validated',
      summary: `validation passed (${g.checks.length} check${g.checks.length === 1 ? '' : 's'})`,
      state: 'active'
    })
  // The record gate's record (details.record) says `rejected` when a reviewer rejected the approval job.
  const outcome =
    g.details?.outcome ?? (g.details?.record as { outcome?: unknown } | undefined)?.outcome
  if (g.gate === 'record' && outcome === 'rejected')
    out.push({
      ...base,
      kind: 'deployment-rejected',
      summary: 'a reviewer rejected the deployment; the next run starts again at the reality check',
      state: 'rejected'
    })
  if (g.gate === 'rollout' && g.details?.warnNotified !== true)
    for (const c of g.checks.filter(x => x.kind === 'trigger' && x.verdict === 'warn'))
      if (c.data?.tier === 'warn')
        out.push({
          ...base,
          kind: 'threshold-warning',
          summary: c.message,
          data: { stage: g.name, trigger: c.data }
        })
  return out
}

/** The events a report implies (awaiting-approval, stage-promoted, rollback-triggered, the deployment events) that its gates did not send themselves. */
export function eventsFromReport(
  report: RunReport,
  plan: Pick<Plan, 'approval' | 'rollout'> & Partial<Pick<Plan, 'phases'>>,
  opts: { runUrl?: string } = {}
): NotifyEvent[] {
  const base = (g: GateResult): EventBase => ({
    plan: report.plan,
    target: { context: report.target.context, namespace: report.target.namespace },
    runId: report.runId,
    at: new Date(Date.parse(g.startedAt) + g.durationMs).toISOString(),
    runUrl: opts.runUrl
  })
  const events: NotifyEvent[] = []
  for (const g of report.gates) {
    events.push(...deploymentEvents(g, plan, base(g)))
    if (g.gate === 'plan' && isPassing(g.verdict) && g.verdict !== 'skip') {
      const env = nonEmpty(g.details?.approvalEnvironment) ?? plan.approval?.environment
      const risks = num(g.details?.risks)
      events.push({
        ...base(g),
        kind: 'awaiting-approval',
        summary: env
          ? `the plan is rendered; approve it in the environment ${env}`
          : 'the plan is rendered and awaits approval',
        detail: risks
          ? `${risks} risk${risks === 1 ? '' : 's'} from the reality check are listed in the plan`
          : undefined,
        data: { environment: env, risks }
      })
    }
    // The rollout gate tells each stage as it is promoted or triggered (details.notified).
    if (g.gate === 'rollout' && g.details?.notified !== true) {
      const e = stageEvent(g, plan, base(g))
      if (e) events.push(e)
    }
    // A rollback the soak gate started was told when it started.
    if (g.gate === 'rollback' && g.details?.notified !== true) {
      const level = g.name ?? nonEmpty(g.details?.level) ?? 'rollback'
      const ok = isPassing(g.verdict)
      events.push({
        ...base(g),
        kind: 'rollback-triggered',
        summary: `${level} rollback ${ok ? 'done and verified' : 'did not complete'}`,
        detail: ok ? g.checks[0]?.message : firstProblem(g),
        state: ok ? 'previous-stable' : 'failed',
        data: { level, durationMs: num(g.details?.durationMs), budgetMs: num(g.details?.budgetMs) }
      })
    }
  }
  return events
}

/** Sends the events a report implies to the plan's webhooks; never throws. */
export async function notifyReport(
  report: RunReport,
  plan: Pick<Plan, 'approval' | 'rollout' | 'notify'> & Partial<Pick<Plan, 'phases'>>,
  opts: NotifyOptions & { runUrl?: string } = {}
): Promise<NotifyOutcome[]> {
  if (!plan.notify?.length) return []
  const out: NotifyOutcome[] = []
  for (const e of eventsFromReport(report, plan, opts))
    out.push(...(await sendNotification(plan.notify, e, opts)))
  return out
}
