/**
 * The plan gate: renders what will happen for the person who approves it
 * (phases with their resources, checks and rollbacks, the rollback levels,
 * the risks the reality check and the tracers found, the deployment's state,
 * budgets and the staged rollout) into `details.planMarkdown`, and proves
 * that the approval point exists: the environment of the job after this one
 * has required reviewers or a wait timer. The plan job itself runs without
 * an environment, so reviewers approve what they have seen.
 */

import { triggerToCel } from '../cel/shorthand.js'
import { checkResult } from '../checks/result.js'
import { InfraError, errorMessage } from '../core/errors.js'
import { checkApprovalEnvironment } from '../github/environment.js'
import type { StateIndex } from '../lifecycle/record.js'
import {
  budgetMs,
  budgetTable,
  levelBudgetMs,
  phaseBudgetMs,
  rollbackBudgetMs
} from '../plan/budgets.js'
import { loadManifestFiles, phaseManifestPaths } from '../plan/manifests.js'
import type { Plan, RolloutSpec } from '../plan/types.js'
import { LEVELS } from '../rollout/level-registry.js'
import { hasDown } from '../plan/migration.js'
import {
  combineVerdicts,
  gateResult,
  isPassing,
  type CheckResult,
  type GateResult,
  type RunReport
} from '../report/model.js'
import {
  renderPlan,
  type ApprovalView,
  type EvidenceView,
  type LevelView,
  type PhaseView,
  type PlanView,
  type RiskView,
  type RolloutView,
  type StateView
} from '../report/plan-render.js'
import type { Gate, GateContext } from './types.js'
import { DEFAULT_STAGES } from '../plan/defaults.js'
import { gateRunbook } from '../report/runbook.js'
import { readReportsDir } from '../report/reports-dir.js'
import { judgePlanView } from '../rollout/judge/plan.js'
import { planDiff, tallyChanges, type PhaseDiff } from './plan-diff.js'
import { renderHelmPhases } from '../checks/helm-render.js'
import { renderDiffMarkdown } from '../report/diff-render.js'

/** The approval environment when neither the workflow nor the plan names one. */
export const DEFAULT_APPROVAL_ENVIRONMENT = 'plan-approval'

/** The approval environment and where its name came from: the input (or flag), the plan, or the default. */
export function approvalEnvironment(
  settings: { approvalEnvironment?: string },
  plan: Plan
): { environment: string; source: ApprovalView['source'] } {
  if (settings.approvalEnvironment?.trim())
    return { environment: settings.approvalEnvironment.trim(), source: 'input' }
  if (plan.approval?.environment?.trim())
    return { environment: plan.approval.environment.trim(), source: 'plan' }
  return { environment: DEFAULT_APPROVAL_ENVIRONMENT, source: 'default' }
}

/** A gate result with the report it came from. */
interface Sourced {
  result: GateResult
  report: RunReport
}

/** The newest result per gate and unit (a re-run job's report replaces the first attempt's). */
export function latestResults(reports: RunReport[], gates: string[]): Sourced[] {
  const byKey = new Map<string, Sourced>()
  const ordered = [...reports].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
  for (const report of ordered)
    for (const result of report.gates) {
      if (!gates.includes(result.gate) || (result.verdict === 'skip' && result.checks.length === 0))
        continue
      byKey.set(`${result.gate}:${result.name ?? ''}`, { result, report })
    }
  return [...byKey.values()]
}

/** Risks (warn, fail, error ... checks) and unproven (skipped) checks of the reality check and the tracers. */
export function risksFrom(sourced: Sourced[]): { risks: RiskView[]; unproven: RiskView[] } {
  const risks: RiskView[] = []
  const unproven: RiskView[] = []
  for (const { result } of sourced)
    for (const c of result.checks) {
      const view: RiskView = {
        gate: result.gate,
        unit: result.name,
        verdict: c.verdict,
        severity: c.severity,
        kind: c.kind,
        target: c.target,
        message: c.message,
        adjustment: c.adjustment
      }
      if (c.verdict === 'skip') unproven.push(view)
      else if (c.verdict !== 'pass') risks.push(view)
    }
  return { risks, unproven }
}

function evidenceOf(gate: 'reality-check' | 'tracer', sourced: Sourced[]): EvidenceView {
  const mine = sourced.filter(s => s.result.gate === gate)
  if (mine.length === 0) return { gate, status: 'missing' }
  const newest = mine.reduce((a, b) => (a.report.finishedAt >= b.report.finishedAt ? a : b))
  return {
    gate,
    status: 'found',
    verdict: combineVerdicts(mine.map(s => s.result.verdict)),
    runId: newest.report.runId,
    checks: mine.reduce((n, s) => n + s.result.checks.length, 0),
    finishedAt: newest.report.finishedAt
  }
}

/** The check that a gate the plan relies on ran and passed. */
export function evidenceCheck(e: EvidenceView, runId: string, runIdGiven: boolean): CheckResult {
  const kind = 'evidence'
  if (e.status === 'missing')
    return checkResult(kind, e.gate, {
      verdict: 'warn',
      severity: 'medium',
      message: `no ${e.gate} report: the plan is shown without the risks the ${e.gate} gate would have found`,
      adjustment:
        `Run the ${e.gate} gate first: in a workflow, download the earlier jobs' report artifacts and pass the directory in the \`reports\` input; ` +
        'on the CLI use --gate all, or --reports DIR with the reports of earlier calls.'
    })
  const verdict = e.verdict ?? 'pass'
  if (!isPassing(verdict))
    return checkResult(kind, e.gate, {
      verdict: 'fail',
      message: `${e.gate} did not pass (${verdict}${e.runId ? ` in run ${e.runId}` : ''}): the plan rests on assumptions the cluster did not confirm`,
      adjustment: `Fix what the ${e.gate} findings below say and run it again before asking for approval.`,
      data: { gate: e.gate, verdict, runId: e.runId }
    })
  if (runIdGiven && e.runId && e.runId !== runId)
    return checkResult(kind, e.gate, {
      verdict: 'warn',
      severity: 'medium',
      message: `the ${e.gate} report is from run ${e.runId}, not this run (${runId}): the cluster may have changed since`,
      adjustment: `Run the ${e.gate} gate in this run, or pass this run's reports.`,
      data: { gate: e.gate, verdict, runId: e.runId }
    })
  return checkResult(kind, e.gate, {
    verdict: 'pass',
    message: `${e.gate} ${verdict === 'warn' ? 'passed with warnings' : 'passed'} (${e.checks ?? 0} checks${e.runId ? `, run ${e.runId}` : ''})`,
    data: { gate: e.gate, verdict, runId: e.runId }
  })
}

const SETTLED = new Set(['images-ready', 'packaged', 'active', 'stable', 'previous-stable'])

/** The deployment-state check and view from the plan's state record. */
export function stateCheck(
  plan: string,
  namespace: string,
  index: StateIndex | Error
): { view: StateView; check: CheckResult } {
  const target = `${plan} in ${namespace}`
  if (index instanceof Error) {
    const hint = index instanceof InfraError ? index.hint : undefined
    return {
      view: { status: 'unknown', reason: errorMessage(index) },
      check: checkResult('state', target, {
        verdict: 'warn',
        severity: 'medium',
        message: `could not read the deployment state: ${errorMessage(index)}`,
        adjustment:
          hint ??
          'Give the plan job the kubeconfig secret so the approver sees what is deployed now.'
      })
    }
  }
  const lkg = index.lastKnownGood
    ? { runId: index.lastKnownGood.runId, at: index.lastKnownGood.at }
    : undefined
  const last = index.history[index.history.length - 1]
  const view: StateView = {
    status: 'read',
    state: index.state,
    since: index.stateSince,
    runId: last?.runId,
    lastKnownGood: lkg
  }
  const data = {
    state: index.state ?? null,
    since: index.stateSince,
    runId: last?.runId,
    lastKnownGood: lkg?.runId
  }
  if (!index.state)
    return {
      view,
      check: checkResult('state', target, {
        verdict: 'pass',
        message: 'no deployment recorded yet: this is the first',
        data
      })
    }
  const since = index.stateSince ? ` since ${index.stateSince}` : ''
  const run = last?.runId ? ` (run ${last.runId})` : ''
  if (SETTLED.has(index.state))
    return {
      view,
      check: checkResult('state', target, {
        verdict: 'pass',
        message: `deployment state ${index.state}${since}${run}`,
        data
      })
    }
  const why: Record<string, string> = {
    deploying: 'a deployment is under way or was interrupted',
    'rolling-back': 'a rollback is under way or was interrupted',
    degraded: 'the current release is degraded',
    failed: 'the last deployment failed'
  }
  return {
    view,
    check: checkResult('state', target, {
      verdict: 'warn',
      severity: 'medium',
      message: `deployment state ${index.state}${since}${run}: ${why[index.state] ?? 'not a settled state'}`,
      evidence: index.history
        .slice(-5)
        .map(h => `${h.at} ${h.state} (run ${h.runId})${h.reason ? `: ${h.reason}` : ''}`)
        .join('\n'),
      adjustment: 'Look at that run before approving: an approval now deploys on top of it.',
      data
    })
  }
}

async function readState(
  ctx: GateContext
): Promise<{ index: StateIndex | Error; context?: string }> {
  let context: string | undefined
  try {
    const cluster = await ctx.cluster()
    context = cluster.context
    const record = await ctx.stateRecord()
    return { index: await record.readIndex(), context }
  } catch (err) {
    return { index: err instanceof Error ? err : new Error(errorMessage(err)), context }
  }
}

async function phaseViews(ctx: GateContext): Promise<PhaseView[]> {
  const plan = ctx.loaded.plan
  return Promise.all(
    (plan.phases ?? []).map(async (p, i): Promise<PhaseView> => {
      const view: PhaseView = {
        name: p.name,
        files: p.kustomize ? [p.kustomize] : (p.apply ?? []),
        resources: [],
        checks: p.validate ?? [],
        rollback: p.rollback ?? [],
        timeout: p.timeout,
        budgetMs: phaseBudgetMs(plan, p),
        rollbackBudgetMs: rollbackBudgetMs(plan, p)
      }
      if (p.migration) view.migration = { reversible: hasDown(p.migration) }
      if (p.onFailure) view.onFailure = p.onFailure
      if (p.helm) {
        view.helm = {
          release: p.helm.release,
          chart: p.helm.chart,
          version: p.helm.version,
          namespace: p.helm.namespace
        }
        return view
      }
      try {
        const files = await phaseManifestPaths(ctx.loaded, p, i)
        const manifests = await loadManifestFiles(ctx.loaded, files, ctx.settings.workspace)
        view.resources = manifests.map(m => ({
          apiVersion: m.object.apiVersion,
          kind: m.object.kind,
          name: m.object.metadata.name,
          namespace:
            m.object.metadata.namespace && m.object.metadata.namespace !== ctx.namespace
              ? m.object.metadata.namespace
              : undefined,
          file: m.file
        }))
      } catch (err) {
        view.resourcesError = errorMessage(err)
      }
      return view
    })
  )
}

/** The rollback levels with what each does and its budget. */
export function levelViews(plan: Plan): LevelView[] {
  return (plan.rollbackLevels ?? []).map(l => ({
    level: l.level,
    what: LEVELS[l.level].wording.plan(l),
    budgetMs: levelBudgetMs(l)
  }))
}

function safeCel(f: () => string): string | undefined {
  try {
    return f()
  } catch {
    // The plan was linted; a trigger that does not compile is already reported there.
    return undefined
  }
}

/** The staged rollout with compiled triggers. */
export function rolloutView(plan: Plan, rollout: RolloutSpec): RolloutView {
  const canary = rollout.canary ?? {
    kind: rollout.target.kind,
    name: `${rollout.target.name}-canary`
  }
  const stages = rollout.stages?.length ? rollout.stages : DEFAULT_STAGES
  const metrics = Object.entries(rollout.metrics ?? {})
    .filter((e): e is [string, string] => e[0] !== 'prometheus' && typeof e[1] === 'string')
    .map(([name, query]) => ({ name, query }))
  const triggers = (rollout.rollbackIf ?? []).map(t => {
    const samples =
      t.samples !== undefined && t.of !== undefined ? { n: t.samples, of: t.of } : undefined
    // A resource trigger judges the canary's share of its limits, not a metric of rollout.metrics.
    const of = t.resource ? `canary ${t.resource} use against limits: ` : ''
    if (t.noDataFor !== undefined)
      return {
        metric: t.metric,
        text: `${of}no data for ${t.noDataFor} (dead-man's switch)`,
        samples
      }
    const parts: string[] = []
    if (t.above !== undefined) parts.push(`above ${t.above}`)
    if (t.fail !== undefined) parts.push(`above ${t.fail}`)
    if (t.below !== undefined) parts.push(`below ${t.below}`)
    // A warn tier never rolls back: it is said apart from the conditions that do.
    if (t.warn !== undefined) parts.push(`warn above ${t.warn} (no rollback)`)
    if (t.cel !== undefined) parts.push('when')
    return {
      metric: t.metric,
      text: t.resource
        ? `canary ${t.resource} ${parts.join(' or ')} of limits`
        : parts.join(' or '),
      cel: safeCel(() => triggerToCel({ above: t.above, below: t.below, cel: t.cel })),
      samples
    }
  })
  return {
    target: `${rollout.target.kind}/${rollout.target.name}`,
    canary: `${canary.kind}/${canary.name}`,
    route: rollout.route ? `${rollout.route.name}` : undefined,
    replicas: rollout.replicas,
    interval: rollout.interval,
    stages: [
      ...(rollout.infra?.length
        ? [
            {
              name: 'infra',
              weight: 0,
              hold: `${rollout.infra.length} step${rollout.infra.length === 1 ? '' : 's'}`
            }
          ]
        : []),
      ...stages.map(s => ({ name: s.name, weight: s.weight, hold: s.hold }))
    ],
    metrics,
    triggers,
    onTrigger: rollout.onTrigger ?? 'none',
    budgetMs: budgetMs(plan, 'rollout'),
    judge: judgePlanView(rollout)
  }
}

/** The sum of the budgets on the way to `active`: reality check, tracers, plan, every phase, validation. */
export function estimateToActive(plan: Plan): number {
  const sized = ['reality-check', 'plan', 'validate'] as const
  const tracers = (plan.tracers ?? []).length > 0 ? budgetMs(plan, 'tracer') : 0
  const phases = (plan.phases ?? []).reduce((sum, p) => sum + phaseBudgetMs(plan, p), 0)
  return sized.reduce((sum, g) => sum + budgetMs(plan, g), 0) + tracers + phases
}

async function approvalCheck(
  ctx: GateContext,
  env: { environment: string; source: ApprovalView['source'] }
): Promise<CheckResult> {
  const location =
    env.source === 'plan' ? ctx.loaded.locate(['approval', 'environment']) : undefined
  if (!ctx.github)
    return checkResult('approval', env.environment, {
      verdict: 'skip',
      message: `skipped: no GitHub context, so the approval environment "${env.environment}" was not read`,
      adjustment:
        'In a workflow the plan gate reads the environment of the job after it and fails when it has no required reviewers or wait timer.',
      location
    })
  return checkApprovalEnvironment(ctx.github, env.environment, {
    clock: ctx.clock,
    location,
    allowWaitTimer: ctx.loaded.plan.approval?.allowWaitTimer === true
  })
}

function approvalView(
  env: { environment: string; source: ApprovalView['source'] },
  check: CheckResult
): ApprovalView {
  const data = check.data ?? {}
  return {
    ...env,
    verdict: check.verdict,
    reviewers: Array.isArray(data.reviewers)
      ? data.reviewers.filter((r): r is string => typeof r === 'string')
      : undefined,
    waitTimerMinutes: typeof data.waitTimerMinutes === 'number' ? data.waitTimerMinutes : undefined
  }
}

/** Everything the rendering needs, gathered from the plan, the earlier reports, the cluster and GitHub. */
export async function gatherPlanView(
  ctx: GateContext
): Promise<{ view: PlanView; checks: CheckResult[]; notes: string[] }> {
  const plan = ctx.loaded.plan
  const notes: string[] = []
  const reports = ctx.earlier.filter(r => r.plan === plan.name)
  if (ctx.settings.reportsDir) {
    try {
      const read = await readReportsDir(ctx.settings.reportsDir, plan.name)
      const found = {
        reports: read.reports.map(r => r.report),
        skipped: read.skipped.map(x => `${x.file}: ${x.why}`)
      }
      reports.push(...found.reports)
      if (found.skipped.length)
        notes.push(
          `reports skipped: ${found.skipped.slice(0, 5).join('; ')}${found.skipped.length > 5 ? ` (and ${found.skipped.length - 5} more)` : ''}`
        )
    } catch (err) {
      notes.push(
        `cannot read the reports directory ${ctx.settings.reportsDir}: ${errorMessage(err)}`
      )
    }
  }
  const sourced = latestResults(reports, ['reality-check', 'tracer'])
  const { risks, unproven } = risksFrom(sourced)
  const evidence: EvidenceView[] = [evidenceOf('reality-check', sourced)]
  evidence.push(
    (plan.tracers ?? []).length > 0
      ? evidenceOf('tracer', sourced)
      : { gate: 'tracer', status: 'not-needed' }
  )

  const env = approvalEnvironment(ctx.settings, plan)
  if (
    env.source === 'input' &&
    plan.approval?.environment &&
    plan.approval.environment !== env.environment
  )
    notes.push(
      `approval environment "${env.environment}" comes from the workflow; the plan names "${plan.approval.environment}"`
    )
  const [approval, live, phases] = await Promise.all([
    approvalCheck(ctx, env),
    readState(ctx),
    phaseViews(ctx)
  ])
  const state = stateCheck(plan.name, ctx.namespace, live.index)

  const checks = [
    approval,
    ...evidence
      .filter(e => e.status !== 'not-needed')
      .map(e => evidenceCheck(e, ctx.runId, ctx.settings.runIdGiven)),
    state.check
  ]
  const view: PlanView = {
    plan: plan.name,
    planFile: ctx.loaded.displayFile,
    target: {
      context: live.context ?? ctx.settings.context ?? plan.target.context,
      namespace: ctx.namespace,
      platform: plan.target.platform
    },
    owners: plan.owners ?? [],
    ticket: plan.ticket,
    approval: approvalView(env, approval),
    state: state.view,
    evidence,
    risks,
    unproven,
    phases,
    validation: {
      checks: plan.validation?.checks ?? [],
      rollbackTest: plan.validation?.rollbackTest ?? false
    },
    levels: levelViews(plan),
    rollout: plan.rollout ? rolloutView(plan, plan.rollout) : undefined,
    budgets: budgetTable(plan),
    estimateMs: estimateToActive(plan)
  }
  return { view, checks, notes }
}

/** Each phase's changes (live against a server-side dry run), one check per phase; a warn when the cluster cannot say. */
async function diffPhases(
  ctx: GateContext
): Promise<{ phases?: PhaseDiff[]; checks: CheckResult[] }> {
  if ((ctx.loaded.plan.phases ?? []).length === 0) return { checks: [] }
  try {
    const cluster = await ctx.cluster()
    const phases = await planDiff({
      loaded: ctx.loaded,
      workspace: ctx.settings.workspace,
      namespace: ctx.namespace,
      runId: ctx.runId,
      cluster,
      renderHelm: async () =>
        renderHelmPhases({
          loaded: ctx.loaded,
          settings: ctx.settings,
          namespace: ctx.namespace,
          exec: ctx.exec,
          surface: await cluster.discover(),
          cluster,
          signal: ctx.signal
        })
    })
    const checks = phases.map(p =>
      checkResult('diff', p.phase, {
        verdict: p.changes.some(c => c.status === 'unknown') ? 'warn' : 'pass',
        severity: 'info',
        message: `phase ${p.phase}: ${p.note ?? tallyChanges(p.changes)}`,
        location: ctx.loaded.locate([
          'phases',
          (ctx.loaded.plan.phases ?? []).findIndex(x => x.name === p.phase)
        ]),
        data: {
          new: p.changes.filter(c => c.status === 'new').map(c => c.object),
          changed: p.changes.filter(c => c.status === 'changed').map(c => c.object),
          unchanged: p.changes.filter(c => c.status === 'unchanged').map(c => c.object)
        }
      })
    )
    return { phases, checks }
  } catch (err) {
    const hint = err instanceof InfraError ? err.hint : undefined
    return {
      checks: [
        checkResult('diff', 'phases', {
          verdict: 'warn',
          message: `could not diff the phases against the cluster: ${errorMessage(err)}`,
          adjustment:
            hint ??
            'the approver sees the plan without the diff; run `phase-gate diff <plan>` where the cluster answers'
        })
      ]
    }
  }
}

export const planGate: Gate = {
  name: 'plan',
  async run(ctx) {
    const started = ctx.clock.now()
    ctx.progress({ gate: 'plan', activity: 'rendering the plan' })
    const { view, checks, notes } = await gatherPlanView(ctx)
    const planMarkdown = renderPlan(view)
    ctx.progress({ gate: 'plan', activity: 'diffing the phases against the cluster (dry run)' })
    const diff = await diffPhases(ctx)
    checks.push(...diff.checks)
    return [
      gateResult('plan', started, checks, {
        now: ctx.clock.now(),
        budgetMs: budgetMs(ctx.loaded.plan, 'plan'),
        notes: notes.length ? notes : undefined,
        details: {
          planMarkdown,
          ...(diff.phases
            ? { diff: diff.phases, diffMarkdown: renderDiffMarkdown(diff.phases) }
            : {}),
          runbookMarkdown: await gateRunbook(ctx),
          // For workflows: the phase matrix and the approval job's environment come from here.
          phases: view.phases.map(p => p.name),
          approvalEnvironment: view.approval.environment,
          estimateMs: view.estimateMs,
          risks: view.risks.length,
          rolloutStages: view.rollout?.stages.map(s => s.name) ?? []
        }
      })
    ]
  }
}
