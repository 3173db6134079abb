/**
 * The runbook of a plan: who owns the
 * deployment and the ticket it belongs to, the pre-deployment checklist, the
 * steps in order with the exact commands (phase-gate, kubectl, helm), their
 * validation and their rollback-if conditions with the PromQL behind them,
 * the rollback levels with exact commands and budgets, the metrics to watch
 * and the alert thresholds, dashboards, and who is told what when.
 *
 * Every command sits alone on a line of a `sh` block and runs as written
 * from the repository root: phase-gate's test suite extracts them all and
 * runs them against a local cluster, so a runbook whose rollback command
 * does not work fails the build. `runbookInput` reads what the plan names
 * (its manifests, for the objects and who mounts what); `renderRunbook` is
 * pure.
 */

import { checkCondition, compileStageTriggers } from '../metrics/tiers.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { STATE_CHECKS, type DeploymentState } from '../lifecycle/states.js'
import { CADVISOR_SERIES } from '../metrics/resource-use.js'
import { planPrometheus, withTrack } from '../metrics/prometheus.js'
import { NOTIFY_EVENTS, type NotifyEventKind } from '../notify/events.js'
import { migrationCommand } from '../gates/phase-migration.js'
import { describeMigrationRun, hasDown, isJobRun } from '../plan/migration.js'
import { budgetMs, levelBudgetMs } from '../plan/budgets.js'
import { loadManifestFiles, phaseManifestPaths } from '../plan/manifests.js'
import type {
  CheckSpec,
  LoadedPlan,
  Plan,
  PhaseMigration,
  PhaseSpec,
  PrometheusSpec,
  RollbackLevelSpec
} from '../plan/types.js'
import { rolloutStages } from '../rollout/stages.js'
import { canaryWorkload, kubectlWorkload, templateReferences } from '../rollout/workloads.js'
import { soakSettings } from '../plan/soak-settings.js'
import { cell } from './markdown.js'
import { code, sh, shq } from './shell.js'
import { LEVELS, levelBudgetWords } from '../rollout/level-registry.js'
import { checkKindOf } from '../checks/validation-registry.js'
import type { LevelRunbookEnv } from '../rollout/level.js'
import type { GateContext } from '../context.js'
import { readReportsDir } from './reports-dir.js'
import type { CheckResult, RunReport } from './model.js'
import { judgePlanView } from '../rollout/judge/plan.js'
import { renderJudgePlan } from './judge.js'

/** An object a phase applies, as the runbook names it. */
export interface RunbookObject {
  kind: string
  name: string
  /** ConfigMaps and Secrets its pod template reads (`ConfigMap/name`). */
  reads: string[]
}

/** What the runbook is rendered from. */
export interface RunbookInput {
  plan: Plan
  /** The plan file as commands name it (relative to the repository root). */
  planFile: string
  namespace: string
  /** `YYYY-MM-DD`. */
  date: string
  /** Objects per phase name, from its manifests (Helm phases: none). */
  objects: Record<string, RunbookObject[]>
  /** Reality-check and tracer findings (warn, fail, error), when reports were given. */
  findings?: { gate: string; check: CheckResult }[]
  /** Why objects could not be read, per phase. */
  problems?: string[]
}

/** Reads what the runbook needs beyond the plan: the objects of each phase and the earlier reports' findings. */
export async function runbookInput(
  loaded: LoadedPlan,
  opts: { workspace: string; namespace?: string; date: string; reports?: RunReport[] }
): Promise<RunbookInput> {
  const objects: Record<string, RunbookObject[]> = {}
  const problems: string[] = []
  for (const [i, phase] of (loaded.plan.phases ?? []).entries()) {
    if (!phase.apply?.length && !phase.kustomize) continue
    try {
      const files = await phaseManifestPaths(loaded, phase, i)
      objects[phase.name] = (await loadManifestFiles(loaded, files, opts.workspace)).map(m => ({
        kind: m.object.kind,
        name: m.object.metadata.name,
        reads: templateReferences(
          (m.object.spec as { template?: Record<string, unknown> } | undefined)?.template
        ).map(r => `${r.kind}/${r.name}`)
      }))
    } catch (err) {
      problems.push(`phase ${phase.name}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const findings = opts.reports
    ? opts.reports.flatMap(r =>
        r.gates
          .filter(g => g.gate === 'reality-check' || g.gate === 'tracer')
          .flatMap(g =>
            g.checks
              .filter(c => c.verdict !== 'pass' && c.verdict !== 'skip')
              .map(check => ({ gate: g.gate, check }))
          )
      )
    : undefined
  return {
    plan: loaded.plan,
    planFile: loaded.displayFile,
    namespace: opts.namespace ?? loaded.plan.target.namespace,
    date: opts.date,
    objects,
    findings,
    problems
  }
}

// ------------------------------------------------------------------ helpers

function dur(ms: number): string {
  return formatDuration(ms)
}

/** A check spec in words, for validation steps. */
export function describeCheck(spec: CheckSpec): string {
  const kind = checkKindOf(spec)
  return kind ? kind.check.describe.runbook(kind.body) : JSON.stringify(spec)
}

/** Every check spec of the plan, wherever it sits. */
function allChecks(plan: Plan): CheckSpec[] {
  return [
    ...(plan.phases ?? []).flatMap(p => p.validate ?? []),
    ...(plan.validation?.checks ?? []),
    ...(plan.rollout?.infra ?? []),
    ...(plan.soak?.thresholds ?? [])
  ]
}

/** The commands that ask Prometheus for one query, by the plan's way of reaching it. */
export function promQueryCommand(spec: string | PrometheusSpec | undefined, query: string): string {
  const s: PrometheusSpec | undefined = typeof spec === 'string' ? { url: spec } : spec
  if (s?.serviceProxy) {
    const m = /^([^/]+)\/([^:]+):(.+)$/.exec(s.serviceProxy)
    if (m)
      return `kubectl get --raw ${shq(`/api/v1/namespaces/${m[1]}/services/${m[2]}:${m[3]}/proxy/api/v1/query?query=${encodeURIComponent(query)}`)}`
  }
  const auth = s?.bearerTokenEnv
    ? ` -H "Authorization: Bearer $${s.bearerTokenEnv}"`
    : s?.basicAuth
      ? ` -u "$${s.basicAuth.usernameEnv}:$${s.basicAuth.passwordEnv}"`
      : ''
  const ca = s?.caFile ? ` --cacert ${shq(s.caFile)}` : ''
  const url = s?.url
    ? shq(`${s.url.replace(/\/+$/, '')}/api/v1/query`)
    : '"$PHASE_GATE_PROMETHEUS/api/v1/query"'
  return `curl -fsS${auth}${ca} --get ${url} --data-urlencode ${shq(`query=${query}`)}`
}

function kubectlNs(plan: Plan, ns: string): string {
  return `kubectl${plan.target.context ? ` --context ${shq(plan.target.context)}` : ''} -n ${shq(ns)}`
}

// ------------------------------------------------------------------ render

/** What the runbook's sections share while one is rendered. */
interface RunbookWriter {
  input: RunbookInput
  plan: Plan
  planFile: string
  namespace: string
  /** The plan file, shell-quoted. */
  pf: string
  /** `kubectl [--context C] -n NS`. */
  k: string
  /** `--run-id "$RUN_ID"`. */
  run: string
  owners: string
  push(...lines: string[]): void
  /** A numbered step heading. */
  step(title: string): void
}

/** The runbook as Markdown. */
export function renderRunbook(input: RunbookInput): string {
  const { plan, planFile, namespace } = input
  const out: string[] = []
  let n = 0
  const push = (...lines: string[]): void => void out.push(...lines)
  const w: RunbookWriter = {
    input,
    plan,
    planFile,
    namespace,
    pf: shq(planFile),
    k: kubectlNs(plan, namespace),
    run: '--run-id "$RUN_ID"',
    owners: plan.owners?.length ? plan.owners.join(', ') : 'none named (add `owners:` to the plan)',
    push,
    step: title => void push(`### ${++n}. ${title}`, '')
  }
  renderHeader(w)
  renderStates(w)
  renderChecklist(w)
  renderFindings(w)
  push('## Steps', '')
  renderRealityCheck(w)
  renderTracers(w)
  renderPlanStep(w)
  for (const [i, phase] of (plan.phases ?? []).entries())
    renderPhase(push, w.step, plan, phase, i, input, w.pf, w.k, w.run)
  renderValidation(w)
  renderRollout(w)
  renderSoak(w)
  renderRecordStep(w)
  renderLevels(push, plan, input, w.pf, w.k, w.run)
  renderMetrics(push, plan, planPrometheus(plan))
  renderDashboards(w)
  renderCommunication(push, plan, w.owners)
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

/** Title, the table of who and where, and RUN_ID. */
function renderHeader(w: RunbookWriter): void {
  const { plan, input, owners, namespace, planFile, push } = w
  const ctx = plan.target.context ? `context ${code(plan.target.context)}, ` : ''
  push(`# Runbook: ${plan.name}`, '')
  push('| | |', '| --- | --- |')
  push(
    `| Owners | ${cell(owners)} |`,
    `| Ticket | ${cell(plan.ticket ?? 'none (add `ticket:` to the plan)')} |`,
    `| Date | ${input.date} |`
  )
  push(`| Target | ${ctx}namespace ${code(namespace)} |`, `| Plan | ${code(planFile)} |`, '')
  push(
    `Run every command from the repository root, with ${code('KUBECONFIG')} pointing at the target cluster${plan.target.context ? ` (context ${code(plan.target.context)})` : ''} and ${code('phase-gate')} on the PATH (${code('npx phase-gate')}). Each line of a ${code('sh')} block is one command, exactly as phase-gate's own tests run it against a local cluster.`,
    `${code('RUN_ID')} ties the steps of one deployment together (in CI it is the workflow run id): set it once.`,
    '',
    ...sh(`export RUN_ID="${plan.name}-$(date -u +%Y%m%d%H%M%S)"`),
    ''
  )
}

/** The deployment states and what moves the deployment there. */
function renderStates(w: RunbookWriter): void {
  const { plan, namespace, pf, push } = w
  // ---------------------------------------------------------------- states
  push('## Deployment states', '')
  push(
    `The state record (ConfigMap ${code(`phase-gate-${plan.name}`)} in ${code(namespace)}) keeps the state with its history: images ready → packaged → deploying → active → stable; a violation makes it degraded → rolling back → previous stable.`,
    '',
    '| state | moved there by |',
    '| --- | --- |'
  )
  for (const [state, how] of Object.entries(STATE_CHECKS) as [DeploymentState, string][])
    push(`| ${state} | ${cell(how)} |`)
  push('', ...sh(`phase-gate status ${pf}`), '')
}

/** The pre-deployment checklist. */
function renderChecklist(w: RunbookWriter): void {
  const { plan, pf, k, owners, push } = w
  // ---------------------------------------------------------------- checklist
  push('## Pre-deployment checklist', '')
  push(
    `- [ ] The plan is valid and every file it names exists.`,
    '',
    ...sh(`phase-gate lint ${pf}`),
    ''
  )
  const helm =
    (plan.phases ?? []).some(p => p.helm) || (plan.rollbackLevels ?? []).some(l => l.helm)
  const toolChecks = allChecks(plan).filter(
    (c): c is Extract<CheckSpec, { tools: unknown }> => 'tools' in c
  )
  push(
    `- [ ] The tools this runbook calls are installed${toolChecks.length ? ` at the versions the plan requires (${toolChecks.flatMap(t => Object.entries(t.tools).map(([n, v]) => `${n} ${v}`)).join(', ')})` : ''}.`,
    '',
    ...sh('kubectl version --client', ...(helm ? ['helm version --short'] : [])),
    ''
  )
  push(
    `- [ ] The target namespace exists and this identity can reach it.`,
    '',
    ...sh(`${k} get serviceaccount default -o name`),
    ''
  )
  for (const c of allChecks(plan)) {
    if ('pullRequest' in c) push(`- [ ] Review complete: ${describeCheck(c)}.`)
    if ('migration' in c)
      push(`- [ ] Migrations: ${describeCheck(c)} (old code must work with the new schema).`)
    if ('alertRules' in c)
      push(`- [ ] Alerting is ready: ${describeCheck(c)} (checked by the validate gate).`)
  }
  if (plan.dashboards?.length)
    push(`- [ ] Dashboards open: ${plan.dashboards.map(d => `[${d.name}](${d.url})`).join(', ')}.`)
  if (plan.notify?.length)
    push(
      `- [ ] Webhook secrets are set where phase-gate runs: ${plan.notify.map(n => code(n.urlEnv)).join(', ')} (never paste the URLs anywhere else).`
    )
  push(
    `- [ ] The owners (${owners}) know the deployment window${plan.ticket ? ` of ${plan.ticket}` : ''}.`
  )
  push(`- [ ] Critical findings of the reality check are resolved (below).`, '')
}

/** The reality check's findings from the reports given. */
function renderFindings(w: RunbookWriter): void {
  const { input, planFile, push } = w
  push('### Reality check findings', '')
  if (!input.findings)
    push(
      `No reality-check report was given. After the reality check, ${code(`phase-gate runbook ${planFile} --reports DIR`)} lists its findings here.`,
      ''
    )
  else if (input.findings.length === 0)
    push('The reality check and the tracer bullets found nothing to fix.', '')
  else {
    push('| gate | severity | check | finding | adjustment |', '| --- | --- | --- | --- | --- |')
    for (const f of input.findings)
      push(
        `| ${f.gate} | ${f.check.severity} | ${cell(`${f.check.kind} ${f.check.target}`)} | ${cell(f.check.message)} | ${cell(f.check.adjustment ?? '')} |`
      )
    push('')
  }
  for (const p of input.problems ?? []) push(`> ${p}`, '')
}

/** Step: the reality check. */
function renderRealityCheck(w: RunbookWriter): void {
  const { plan, pf, push, step } = w
  step(`Reality check (budget ${dur(budgetMs(plan, 'reality-check'))})`)
  const a = plan.assumptions ?? {}
  const proves = [
    a.apis?.length ? `${a.apis.length} APIs` : '',
    a.images?.length ? `${a.images.length} images pullable` : '',
    a.operators?.length ? `${a.operators.length} operators ready` : '',
    a.permissions?.length ? 'permissions' : '',
    a.quota ? 'quota headroom' : '',
    a.storageClasses?.length ? 'storage classes' : '',
    a.manifests?.length ? 'admission (server-side dry run) of every manifest' : ''
  ].filter(Boolean)
  push(
    `Proves against the live cluster: ${proves.join(', ') || "the namespace and phase-gate's own rights"}. Nothing changes in the cluster but the state record: when the gate passes with every image pullable the deployment is **images-ready** (unless a release is still in flight there).`,
    ''
  )
  push(...sh(`phase-gate check ${pf} --gate reality-check`), '')
  push(
    'Go on when the gate passes (warnings allowed). Otherwise fix the plan or the cluster as each finding says, and run it again.',
    ''
  )
}

/** Step: the tracer bullets, when the plan has any. */
function renderTracers(w: RunbookWriter): void {
  const { plan, pf, push, step } = w
  if (plan.tracers?.length) {
    step(`Tracer bullets (budget ${dur(budgetMs(plan, 'tracer'))})`)
    push('| bullet | assumption | success | timeout |', '| --- | --- | --- | --- |')
    for (const t of plan.tracers)
      push(
        `| ${t.name} | ${cell(t.assumption)} | ${cell(JSON.stringify(t.success))} | ${t.timeout ?? '-'} |`
      )
    push('', ...sh(`phase-gate check ${pf} --gate tracer`), '')
    push(
      'Each bullet cleans up after itself. A failed bullet sends the deployment back to research: its evidence names the assumption that did not hold.',
      ''
    )
  }
}

/** Step: the plan gate and approval. */
function renderPlanStep(w: RunbookWriter): void {
  const { plan, pf, push, step } = w
  step(`Plan and approval (budget ${dur(budgetMs(plan, 'plan'))})`)
  push(...sh(`phase-gate check ${pf} --gate plan`), '')
  push(
    `The rendered plan goes to the approvers. In CI the job after this one runs in the environment ${code(plan.approval?.environment ?? 'plan-approval')}, whose required reviewers are the approval.`,
    ''
  )
}

/** Step: the validation gate. */
function renderValidation(w: RunbookWriter): void {
  const { plan, pf, run, push, step } = w
  step(`Validation (budget ${dur(budgetMs(plan, 'validate'))})`)
  const vsteps = (plan.validation?.checks ?? []).map(c => `- ${describeCheck(c)}`)
  if (plan.validation?.rollbackTest !== false)
    vsteps.push(
      '- the rollback test: a server-side dry run of undoing every phase (what would be deleted, restored and kept)'
    )
  if (vsteps.length) push('Validation steps:', '', ...vsteps, '')
  push(...sh(`phase-gate check ${pf} --gate validate ${run}`), '')
  push('On a pass the deployment is **active**.', '')
}

/** Steps: each rollout stage, when the plan has a rollout. */
function renderRollout(w: RunbookWriter): void {
  const { plan, pf, k, run, push, step } = w
  if (plan.rollout) {
    const r = plan.rollout
    const canary = canaryWorkload(r)
    const triggers = compileStageTriggers(r)
    const interval = r.interval ?? '30s'
    const traffic = r.route
      ? `the weights of HTTPRoute ${r.route.name} (stable → ${r.target.name}, canary → ${canary.name})`
      : `the replicas of ${r.target.kind} ${r.target.name} (stable) and ${canary.kind} ${canary.name} (canary)${r.replicas ? `, ${r.replicas} in all` : ''}`
    for (const stage of rolloutStages(r)) {
      step(
        stage.infra
          ? 'Rollout: infra steps at 0 %'
          : `Rollout stage ${code(stage.name)}: ${stage.weight} %${stage.holdMs ? `, hold ${dur(stage.holdMs)}` : ''}`
      )
      if (stage.infra)
        push(
          'Infra steps (a failed step is the trigger):',
          '',
          ...(r.infra ?? []).map(c => `- ${describeCheck(c)}`),
          ''
        )
      else push(`Traffic moves through ${traffic}.`, '')
      const obj = [r.target, canary].flatMap(w => kubectlWorkload(w.kind, w.name) ?? [])
      push(
        ...sh(
          `phase-gate check ${pf} --gate rollout --stage ${shq(stage.name)} ${run}`,
          ...(obj.length ? [`${k} get ${obj.join(' ')}`] : [])
        ),
        ''
      )
      if (!stage.infra && stage.holdMs > 0) {
        push(
          `Rollback if any of these holds, judged every ${interval} during the hold (\`value\` is the canary's, \`baseline\` the stable track's); on a trigger the canary goes to 0 % at once${r.onTrigger && r.onTrigger !== 'none' ? ` and the ${code(r.onTrigger)} level runs` : ''}; a warn tier only writes a warning and a notification:`,
          '',
          '| trigger | condition (CEL) | canary PromQL |',
          '| --- | --- | --- |'
        )
        for (const t of stage.index !== undefined
          ? compileStageTriggers(r, stage.index)
          : triggers) {
          const q = t.metric ? r.metrics?.[t.metric] : undefined
          const promql = t.resource
            ? cell(
                `${code(CADVISOR_SERIES[t.resource])} of the canary's pods, against their limits`
              )
            : typeof q === 'string'
              ? cell(code(withTrack(q, 'canary')))
              : t.metric
                ? '-'
                : 'every metric'
          push(`| ${cell(t.source)} | ${t.cel ? code(t.cel) : 'no sample'} | ${promql} |`)
        }
        push('')
      } else if (!stage.infra) push('No hold at this stage: metrics are not judged here.', '')
    }
    push(`After the last stage the deployment is **active** at 100 %.`, '')
  }
}

/** Step: the soak, when the plan has one. */
function renderSoak(w: RunbookWriter): void {
  const { plan, pf, run, push, step } = w
  if (plan.soak) {
    const s = soakSettings(plan)
    step(`Soak: ${dur(s.windowMs)} window`)
    push(
      `Samples every ${dur(s.intervalMs)}: restart counts must not grow and readiness must hold in every sample; resource use above 80 % of a limit is a warning; the thresholds below breach when ${s.sustained.samples} of the last ${s.sustained.of} samples do. After the window with at least ${s.minSamples} samples and no violation the release is **stable** (and the last known-good version); a violation makes it **degraded**${s.onDegraded ? ` and runs the ${code(s.onDegraded)} rollback level` : ''}.`,
      ''
    )
    if (plan.soak.thresholds?.length)
      push('Thresholds:', '', ...plan.soak.thresholds.map(c => `- ${describeCheck(c)}`), '')
    if (s.runForMs !== undefined)
      push(
        `${s.runForMs === 0 ? 'Each run takes one sample' : `Each run samples for ${dur(s.runForMs)}`}; a scheduled workflow runs this gate until the window is over, the samples adding up in the state record (\`phase-gate status\` shows them).`,
        ''
      )
    push(...sh(`phase-gate check ${pf} --gate soak ${run}`, `phase-gate status ${pf}`), '')
  }
}

/** Step: the record gate. */
function renderRecordStep(w: RunbookWriter): void {
  const { plan, pf, run, push, step } = w
  step(`Record (budget ${dur(budgetMs(plan, 'record'))})`)
  push(
    'The deployment record and retrospective (with the incident, when a gate failed or a rollback ran), and the runs so far:',
    ''
  )
  push(...sh(`phase-gate check ${pf} --gate record ${run}`, `phase-gate history ${pf}`), '')
}

/** The dashboards the plan names. */
function renderDashboards(w: RunbookWriter): void {
  const { plan, push } = w
  push('## Dashboards', '')
  push(
    ...(plan.dashboards?.length
      ? plan.dashboards.map(d => `- [${d.name}](${d.url})`)
      : ['None named (add `dashboards:` to the plan).']),
    ''
  )
}

function renderPhase(
  push: (...l: string[]) => void,
  step: (t: string) => void,
  plan: Plan,
  phase: PhaseSpec,
  i: number,
  input: RunbookInput,
  pf: string,
  k: string,
  run: string
): void {
  const budget = budgetMs(plan, 'phase', { phase })
  const timeout = Math.min(durationMs(phase.timeout, budget), budget)
  step(`Phase ${code(phase.name)} (budget ${dur(budget)}, timeout ${dur(timeout)})`)
  const objects = input.objects[phase.name] ?? []
  const helm = phase.helm
  if (helm)
    push(
      `Installs or upgrades Helm release ${code(helm.release)} (chart ${code(helm.chart)}${helm.version ? ` ${helm.version}` : ''}) and waits with phase-gate's readiness.`,
      ''
    )
  else if (objects.length)
    push(
      `Applies (server-side, field manager \`phase-gate\`): ${objects.map(o => `${o.kind} ${o.name}`).join(', ')}.`,
      ''
    )
  if (phase.migration) {
    const m = phase.migration
    push(
      `Runs the migration ${code(describeMigrationRun(m, 'up'))}${hasDown(m) ? ` (down: ${code(describeMigrationRun(m, 'down'))})` : ' with **no down step: code rollback is frozen after it**'}.`,
      '',
      `The commands exactly as phase-gate runs them, from the plan's directory (with PHASE_GATE_NAMESPACE, PHASE_GATE_RUN_ID, PHASE_GATE_PHASE and PHASE_GATE_MIGRATION_STEP set; a Job is created, waited for until complete, and removed): up before the phase applies anything (a failing up fails the phase with nothing applied)${hasDown(m) ? ', down after the undo when the phase is rolled back' : ''}.`,
      '',
      ...sh(
        ...migrationLines(m, 'up', pf, k),
        ...(hasDown(m) ? migrationLines(m, 'down', pf, k).map(l => `${l}   # on rollback`) : [])
      ),
      ''
    )
  }
  const lines = [`phase-gate check ${pf} --gate phase --phase ${shq(phase.name)} ${run}`]
  for (const o of objects) {
    const x = kubectlWorkload(o.kind, o.name)
    if (x)
      lines.push(`${k} rollout status ${x} --timeout=${Math.max(1, Math.round(timeout / 1000))}s`)
  }
  if (helm)
    lines.push(
      `helm -n ${shq(helm.namespace ?? input.namespace)} status ${shq(helm.release)}`,
      `helm -n ${shq(helm.namespace ?? input.namespace)} history ${shq(helm.release)} --max 5`
    )
  else lines.push(`${k} get all,configmaps -l ${shq(`phase-gate.dev/phase=${phase.name}`)}`)
  push(...sh(...lines), '')
  if (phase.validate?.length)
    push(
      'Validation steps (besides every applied object being ready):',
      '',
      ...phase.validate.map(c => `- ${describeCheck(c)}`),
      ''
    )
  const actions = phase.rollback?.length ? phase.rollback : [{ undo: true as const }]
  const how = actions
    .map(x =>
      'undo' in x
        ? 'undo: delete what the phase created (PersistentVolumeClaims and objects marked keep stay), restore what existed before to its recorded state'
        : 'helm' in x
          ? 'helm rollback to the previous revision'
          : `run ${code(x.command.run.join(' '))}`
    )
    .join('; then ')
  push(
    phase.onFailure === 'stop' && !helm
      ? `On failure (an object not ready within ${dur(timeout)}, a known failure such as ImagePullBackOff, or a failing validation step) phase-gate **stops without rolling back** (onFailure: stop): the phase keeps its objects, the evidence is collected, and the deployment state is \`failed\` until someone acts. To roll back (${how}), within a budget of ${dur(budgetMs(plan, 'rollback', { phase }))}, run:`
      : `Rollback if an object is not ready within ${dur(timeout)} (a known failure such as ImagePullBackOff ends the wait at once) or a validation step fails: phase-gate rolls the phase back by itself, within its own budget of ${dur(budgetMs(plan, 'rollback', { phase }))}: ${how}. The deployment stops there.`,
    ''
  )
  if (phase.onFailure === 'stop' && !helm)
    push(
      ...sh(
        `phase-gate check ${pf} --gate rollback --phase ${shq(phase.name)} ${run}   # also undoes every later applied phase of the run`
      ),
      ''
    )
}

/** One migration step as shell lines: the command from the plan's directory, or the Job created and waited for. */
function migrationLines(m: PhaseMigration, step: 'up' | 'down', pf: string, k: string): string[] {
  const run = step === 'up' ? m.up : m.down
  if (!isJobRun(run)) return [`(cd "$(dirname ${pf})" && ${migrationCommand(m, step)})`]
  if (!run.job.file)
    return [
      `# the ${step} Job is inline in the plan (migration.${step}.job.inline): create it with ${k} create -f -`
    ]
  const file = `"$(dirname ${pf})"/${shq(run.job.file)}`
  return [`${k} create -f ${file} && ${k} wait --for=condition=complete -f ${file}`]
}

function renderLevels(
  push: (...l: string[]) => void,
  plan: Plan,
  input: RunbookInput,
  pf: string,
  k: string,
  run: string
): void {
  push('## Rollback levels', '')
  const levels = plan.rollbackLevels ?? []
  if (!levels.length) {
    push(
      `The plan defines no rollback levels: only each phase's own undo is available. Add \`rollbackLevels:\` (${levelBudgetWords()}).`,
      ''
    )
    return
  }
  push(
    `Cheapest first. Each level runs within its own budget (${levelBudgetWords()} unless the plan says otherwise), is verified, and reports its time against the budget. Use the next level only when the one before did not restore the service.`,
    '',
    '| level | budget | what it does |',
    '| --- | --- | --- |'
  )
  for (const l of levels)
    push(`| ${l.level} | ${dur(levelBudgetMs(l))} | ${cell(LEVELS[l.level].wording.runbook(l))} |`)
  push('')
  const env = (l: RollbackLevelSpec): LevelRunbookEnv => ({
    plan,
    namespace: input.namespace,
    kubectl: k,
    budgetMs: levelBudgetMs(l),
    readers: names => readers(input, names)
  })
  for (const l of levels) {
    const level = LEVELS[l.level]
    const what = level.wording.runbook(l)
    push(
      `### ${l.level} (budget ${dur(levelBudgetMs(l))})`,
      '',
      `${what[0].toUpperCase()}${what.slice(1)}.`,
      ''
    )
    push(...sh(`phase-gate check ${pf} --gate rollback --level ${l.level} ${run}`), '')
    const lines = level.runbook(l, env(l))
    if (lines.byHand) push(lines.byHand.why, '', ...sh(...lines.byHand.commands), '')
    for (const note of lines.notes ?? []) push(`> ${note}`, '')
  }
}

/** `resource/name` of the phases' workloads whose pod template reads any of these `Kind/name` objects. */
function readers(input: RunbookInput, names: string[]): string[] {
  const want = new Set(names)
  const out = new Set<string>()
  for (const objs of Object.values(input.objects))
    for (const o of objs) {
      const x = kubectlWorkload(o.kind, o.name)
      if (x && o.reads.some(r => want.has(r))) out.add(x)
    }
  return [...out]
}

function renderMetrics(
  push: (...l: string[]) => void,
  plan: Plan,
  prom: string | PrometheusSpec | undefined
): void {
  push('## Metrics to watch and alert thresholds', '')
  const rows: { name: string; query: string; threshold: string }[] = []
  const r = plan.rollout
  if (r) push(...renderJudgePlan(judgePlanView(r)))
  if (r?.metrics) {
    const triggers = compileStageTriggers(r)
    for (const [name, q] of Object.entries(r.metrics)) {
      if (typeof q !== 'string' || name === 'prometheus') continue
      const t = triggers.filter(x => x.metric === name).map(x => x.source)
      rows.push({
        name: `${name} (canary)`,
        query: withTrack(q, 'canary'),
        threshold:
          name === 'requests' ? 'zero means no traffic: the stage holds' : t.join('; ') || '-'
      })
    }
  }
  if (r)
    for (const t of compileStageTriggers(r))
      if (t.resource)
        rows.push({
          name: `${t.resource} share of limits (canary)`,
          query: CADVISOR_SERIES[t.resource],
          threshold: t.source
        })
  for (const c of allChecks(plan))
    if ('metric' in c && !rows.some(x => x.query === c.metric.query))
      rows.push({
        name: c.metric.name ?? 'metric check',
        query: c.metric.query,
        threshold: `${checkCondition(c.metric).text}${c.metric.warn !== undefined ? `; warn above ${String(c.metric.warn)}` : ''}`
      })
  if (rows.length) {
    push(
      `Prometheus: ${prom ? code(typeof prom === 'string' ? prom : prom.url) : `${code('$PHASE_GATE_PROMETHEUS')} (the plan names none)`}.`,
      ''
    )
    push('| metric | PromQL | threshold |', '| --- | --- | --- |')
    for (const x of rows)
      push(`| ${cell(x.name)} | ${cell(code(x.query))} | ${cell(x.threshold)} |`)
    push(
      '',
      'Ask Prometheus by hand:',
      '',
      ...sh(...rows.map(x => promQueryCommand(prom, x.query))),
      ''
    )
  } else
    push(
      'The plan judges no metrics. Add `rollout.metrics` or `metric` checks to have numbers to watch.',
      ''
    )
  const alerts = allChecks(plan).flatMap(c => ('alertRules' in c ? c.alertRules.names : []))
  push(
    alerts.length
      ? `Alert rules that must be loaded (the validate gate checks): ${alerts.map(code).join(', ')}.`
      : 'The plan names no alert rules (an `alertRules` check makes the validate gate prove they are loaded).',
    ''
  )
  push(
    "Thresholds teams start from: **critical** when the error rate is above 5 %, p99 above 5 s, or any 5xx on a health check; **warning** when the error rate is above 2 %, p95 above 2 s, or resource use above 80 % of a limit; canary rollback when its error rate is above 2× the stable one; no metrics for 5 minutes is a trigger (dead-man's switch).",
    ''
  )
}

function renderCommunication(push: (...l: string[]) => void, plan: Plan, owners: string): void {
  push('## Communication plan', '')
  const hooks = plan.notify ?? []
  const when: Record<NotifyEventKind, string> = {
    'awaiting-approval': 'the plan gate passes',
    'stage-promoted': 'a rollout stage passes its hold',
    'rollback-triggered': 'a rollout trigger fires or a rollback level runs',
    degraded: 'the soak finds a violation',
    stable: 'the soak window passes clean',
    'deployment-started': 'the first phase starts applying',
    'phase-failed': 'a phase fails (with the result of its rollback)',
    'deployment-validated': 'the validation gate passes',
    'deployment-rejected': 'a reviewer rejects the deployment',
    'threshold-warning': 'a metric crosses its warn tier (no rollback)'
  }
  const extra: Record<NotifyEventKind, string> = {
    'awaiting-approval': `the approvers of ${code(plan.approval?.environment ?? 'plan-approval')}`,
    'stage-promoted': '',
    'rollback-triggered': `owners and on-call (${owners})`,
    degraded: `owners and on-call (${owners})`,
    stable: '',
    'deployment-started': '',
    'phase-failed': `owners and on-call (${owners})`,
    'deployment-validated': '',
    'deployment-rejected': `owners (${owners})`,
    'threshold-warning': `owners (${owners})`
  }
  push('| event | when | webhooks | also tell |', '| --- | --- | --- | --- |')
  for (const e of NOTIFY_EVENTS) {
    const to = hooks
      .filter(h => !h.events?.length || h.events.includes(e))
      .map(h => `${h.name ?? h.urlEnv} (${h.format ?? 'json'})`)
    push(`| ${e} | ${when[e]} | ${cell(to.join(', ') || 'none')} | ${cell(extra[e])} |`)
  }
  push('')
  push(
    hooks.length
      ? `Webhook URLs come from the environment variables ${hooks.map(h => code(h.urlEnv)).join(', ')} (secrets). phase-gate retries a webhook with backoff and never lets it hold up a verdict; a failed delivery is a note in the gate's summary.`
      : 'No webhook is configured (`notify:`): tell the owners by hand at each event above.',
    '',
    `On-call and owners: ${owners}.`,
    ''
  )
}

/** A date `YYYY-MM-DD` from SOURCE_DATE_EPOCH (reproducible builds) or now. */
export function runbookDate(
  env: Record<string, string | undefined> = process.env,
  now = Date.now()
): string {
  const epoch = env.SOURCE_DATE_EPOCH
  const ms = epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : now
  return new Date(ms).toISOString().slice(0, 10)
}

/** The runbook for a gate to attach (the plan gate): its reports are the run's earlier ones and those of `--reports DIR`. */
export async function gateRunbook(
  ctx: Pick<GateContext, 'loaded' | 'settings' | 'namespace' | 'earlier'>
): Promise<string> {
  const plan = ctx.loaded.plan.name
  const reports = ctx.earlier.filter(r => r.plan === plan)
  if (ctx.settings.reportsDir)
    reports.push(
      ...(await readReportsDir(ctx.settings.reportsDir, plan).then(
        r => r.reports.map(x => x.report),
        () => []
      ))
    )
  const input = await runbookInput(ctx.loaded, {
    workspace: ctx.settings.workspace,
    namespace: ctx.namespace,
    date: runbookDate(),
    reports: reports.length ? reports : undefined
  })
  return renderRunbook(input)
}
