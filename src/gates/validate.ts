/**
 * The validate gate: the plan's validation suite (`validation.checks`, any
 * kind, concurrently), then the rollback test: the real undo of every phase
 * the run applied, sent to the server as a dry run (deletions, restores of
 * what existed before, PVCs and keep-annotated objects kept) and
 * `helm rollback --dry-run` for Helm releases. It proves the rollback path is
 * permitted and possible without touching anything, and checks that it did
 * not. On a pass the deployment becomes `active` in the state record.
 */

import { checkResult } from '../checks/result.js'
import { tail } from '../checks/command.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { key, type AppliedObject } from '../kube/apply.js'
import { LABEL_MANAGED_BY, LABEL_PLAN, labelValue } from '../kube/labels.js'
import type { StateRecord, PhaseRecord } from '../lifecycle/record.js'
import { knownGoodOnValidation, recordKnownGood } from './known-good.js'
import { describeRef, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { undoApplied, type UndoStep } from '../kube/undo.js'
import { budgetMs } from '../plan/budgets.js'
import { gateResult, isPassing, type CheckResult, type GateResult } from '../report/model.js'
import type { Gate, GateContext } from './types.js'

/** Which run a gate after the phases works on, and how it was found. */
export interface RunChoice {
  runId: string
  /** given: `--run-id`/CI; this-run: this call's own id had phases; reports: the newest run of the earlier reports that applied a phase; state-record: the newest run recorded in the cluster; none: nothing recorded. */
  source: 'given' | 'this-run' | 'reports' | 'state-record' | 'none'
  /** The run's phase records, oldest first. */
  phases: PhaseRecord[]
}

const byStart = (a: PhaseRecord, b: PhaseRecord): number =>
  a.startedAt.localeCompare(b.startedAt) || a.phase.localeCompare(b.phase)

/**
 * The run whose phases validate and record work on: the given run id; else
 * this call's own (`--gate all` on the CLI); else the newest run whose Secret
 * in the target namespace holds phase records (a CLI call without `--run-id`
 * after a phase call of its own id). With `applied` (validate), the newest
 * run that left a phase applied wins over a newer one that was rolled back.
 */
export async function findRun(
  ctx: Pick<GateContext, 'settings' | 'loaded' | 'namespace'>,
  cluster: Cluster,
  record: StateRecord,
  opts: { applied?: boolean } = {}
): Promise<RunChoice> {
  const own = (await record.readPhases(ctx.settings.runId)).sort(byStart)
  if (ctx.settings.runIdGiven) return { runId: ctx.settings.runId, source: 'given', phases: own }
  if (own.length > 0) return { runId: ctx.settings.runId, source: 'this-run', phases: own }
  const { items } = await cluster.list('v1', 'Secret', {
    namespace: ctx.namespace,
    labelSelector: `${LABEL_MANAGED_BY}=phase-gate,${LABEL_PLAN}=${labelValue(ctx.loaded.plan.name)}`
  })
  let best: { runId: string; at: string; phases: PhaseRecord[] } | undefined
  let bestApplied: typeof best
  for (const s of items) {
    if (!s.metadata.name.startsWith(`${record.indexName}-`)) continue
    const phases = Object.entries((s.data ?? {}) as Record<string, string>)
      .filter(([k]) => k.startsWith('phase.'))
      .flatMap(([, v]) => {
        try {
          return [JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as PhaseRecord]
        } catch {
          return []
        }
      })
      .sort(byStart)
    if (phases.length === 0) continue
    const at = phases[phases.length - 1].startedAt
    const run = { runId: phases[0].runId, at, phases }
    if (!best || at > best.at) best = run
    if (phases.some(p => p.status === 'applied') && (!bestApplied || at > bestApplied.at))
      bestApplied = run
  }
  const pick = (opts.applied && bestApplied) || best
  if (pick) return { runId: pick.runId, source: 'state-record', phases: pick.phases }
  return { runId: ctx.settings.runId, source: 'none', phases: [] }
}

/** What the rollback test found for one phase. */
export interface RollbackTestFindings {
  phase: string
  wouldDelete: string[]
  wouldRestore: string[]
  kept: string[]
  /** Objects the phase created that are gone already (removed outside phase-gate). */
  missing: string[]
  /** Requests the server refused, with its words. */
  refused: { object: string; message: string }[]
  /** Objects the dry run changed anyway (a server or webhook that ignores dryRun). */
  changed: string[]
}

/** An object's identity and spec generation: what a real delete or update would change. */
function fingerprint(o: KubeObject | undefined): string {
  if (!o) return 'absent'
  return `${o.metadata.uid ?? ''}/${o.metadata.generation ?? ''}/${o.metadata.deletionTimestamp ?? ''}/${o.metadata.resourceVersion ?? ''}`
}

// resourceVersion moves with every status write of a controller; only a change
// of identity, generation or deletion says the dry run touched the object.
function sameObject(before: string, after: string): boolean {
  const [a, b] = [before.split('/'), after.split('/')]
  return a.slice(0, 3).join('/') === b.slice(0, 3).join('/')
}

/** Sorts undo steps into the test's findings. */
export function summariseSteps(
  phase: string,
  steps: UndoStep[],
  missing: Set<string>
): RollbackTestFindings {
  const f: RollbackTestFindings = {
    phase,
    wouldDelete: [],
    wouldRestore: [],
    kept: [],
    missing: [],
    refused: [],
    changed: []
  }
  for (const s of steps) {
    const name = describeRef(s.ref)
    if (!s.ok) f.refused.push({ object: name, message: s.message })
    else if (s.action === 'keep') f.kept.push(name)
    else if (s.action === 'delete') (missing.has(key(s.ref)) ? f.missing : f.wouldDelete).push(name)
    else f.wouldRestore.push(name)
  }
  return f
}

/** The `helm` argv that undoes a release as a dry run: back to the revision before, or an uninstall when it was new. */
export function helmDryRunArgs(
  h: NonNullable<PhaseRecord['helm']>,
  conn: { kubeconfig?: string; context?: string }
): string[] {
  const args =
    h.revisionBefore !== undefined && h.revisionBefore > 0
      ? [
          'helm',
          'rollback',
          h.release,
          String(h.revisionBefore),
          '--dry-run',
          '--namespace',
          h.namespace
        ]
      : ['helm', 'uninstall', h.release, '--dry-run', '--namespace', h.namespace]
  if (conn.kubeconfig) args.push('--kubeconfig', conn.kubeconfig)
  if (conn.context) args.push('--kube-context', conn.context)
  return args
}

function unreadableResult(
  rec: PhaseRecord,
  unreadable: string[],
  location: CheckResult['location']
): CheckResult {
  return checkResult('rollbackTest', rec.phase, {
    verdict: 'error',
    message: `could not test the undo of phase ${rec.phase}: cannot read ${unreadable.join('; ')}`,
    adjustment: 'check that the API server is reachable and the identity may get these objects',
    location
  })
}

async function testPhaseObjects(
  ctx: GateContext,
  cluster: Cluster,
  rec: PhaseRecord,
  timeoutMs: number
): Promise<CheckResult> {
  const location = phaseLocation(ctx, rec.phase)
  const refs: ObjectRef[] = rec.objects.map(a => a.ref)
  const before = new Map<string, string>()
  // An object that cannot be read is not "gone": that would turn a fault into a warning.
  const unreadable: string[] = []
  const read = (r: ObjectRef): Promise<KubeObject | undefined> =>
    cluster.get(r).catch((err: unknown) => {
      unreadable.push(`${describeRef(r)}: ${errorMessage(err)}`)
      return undefined
    })
  await Promise.all(refs.map(async r => before.set(key(r), fingerprint(await read(r)))))
  if (unreadable.length) return unreadableResult(rec, unreadable, location)
  const missing = new Set(
    rec.objects.filter(a => a.created && before.get(key(a.ref)) === 'absent').map(a => key(a.ref))
  )

  const outcome = await undoApplied(cluster, rec.objects, {
    dryRun: true,
    timeoutMs,
    clock: ctx.clock,
    signal: ctx.signal
  })

  const findings = summariseSteps(rec.phase, outcome.steps, missing)
  await Promise.all(
    refs.map(async r => {
      const after = fingerprint(await read(r))
      if (!sameObject(before.get(key(r)) ?? 'absent', after)) findings.changed.push(describeRef(r))
    })
  )
  if (unreadable.length) return unreadableResult(rec, unreadable, location)
  const counts = `would delete ${findings.wouldDelete.length}, restore ${findings.wouldRestore.length}, keep ${findings.kept.length}`
  const keptText = findings.kept.length ? ` (kept: ${findings.kept.join(', ')})` : ''
  const evidence = [
    ...outcome.steps.map(
      s =>
        `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}${missing.has(key(s.ref)) ? ' (already gone)' : ''}`
    ),
    ...findings.changed.map(c => `CHANGED ${c}: the dry run was not side-effect free`),
    findings.changed.length
      ? ''
      : `unchanged: ${refs.length} object${refs.length === 1 ? '' : 's'} kept their uid and generation`
  ]
    .filter(Boolean)
    .join('\n')
  const data = { ...findings, durationMs: outcome.durationMs }
  if (findings.refused.length)
    return checkResult('rollbackTest', rec.phase, {
      verdict: 'fail',
      message: `the undo of phase ${rec.phase} would fail: ${findings.refused.map(r => r.message).join('; ')}`,
      evidence,
      adjustment:
        'give the deploying identity the rights the undo needs (delete on what the phase created, update on what it changed), or remove the webhook or finalizer that refuses it; until then a failed deployment cannot be rolled back',
      data,
      location
    })
  if (findings.changed.length)
    return checkResult('rollbackTest', rec.phase, {
      verdict: 'fail',
      message: `the dry run changed ${findings.changed.join(', ')}: the server or an admission webhook does not honour dryRun`,
      evidence,
      adjustment:
        'find the webhook with sideEffects other than None/NoneOnDryRun (kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations) and fix it',
      data,
      location
    })
  if (findings.missing.length)
    return checkResult('rollbackTest', rec.phase, {
      verdict: 'warn',
      message: `the undo of phase ${rec.phase} is possible (${counts}${keptText}), but ${findings.missing.join(', ')} no longer exist${findings.missing.length === 1 ? 's' : ''}`,
      evidence,
      adjustment:
        'something outside phase-gate removed them; find out what before relying on this deployment',
      data,
      location
    })
  return checkResult('rollbackTest', rec.phase, {
    verdict: 'pass',
    message: `the undo of phase ${rec.phase} is possible and permitted: ${counts}${keptText}; nothing changed`,
    evidence,
    data,
    location
  })
}

async function testPhaseHelm(
  ctx: GateContext,
  cluster: Cluster,
  rec: PhaseRecord,
  timeoutMs: number
): Promise<CheckResult> {
  const h = rec.helm as NonNullable<PhaseRecord['helm']>
  const argv = helmDryRunArgs(h, {
    kubeconfig: ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
    context: cluster.context || undefined
  })
  const r = await ctx.exec.run(argv, { cwd: ctx.loaded.dir, timeoutMs, signal: ctx.signal })
  const what = h.revisionBefore
    ? `roll release ${h.release} back to revision ${h.revisionBefore}`
    : `uninstall release ${h.release} (it was new in this run)`
  const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError
  return checkResult('rollbackTest', `${rec.phase}: helm ${h.release}`, {
    verdict: ok ? 'pass' : 'fail',
    message: ok
      ? `helm would ${what}: ${argv.slice(0, 3).join(' ')} --dry-run succeeded in ${formatDuration(r.durationMs)}`
      : `helm cannot ${what}: ${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}`,
    evidence: [`$ ${argv.join(' ')}`, tail(r.stderr || r.stdout, 15)].filter(Boolean).join('\n'),
    adjustment: ok
      ? undefined
      : r.spawnError
        ? 'install helm on the runner'
        : 'fix what helm says (a release stuck in pending-upgrade needs `helm rollback` or `helm uninstall` first)',
    data: {
      release: h.release,
      namespace: h.namespace,
      revisionBefore: h.revisionBefore,
      revisionAfter: h.revisionAfter,
      exitCode: r.exitCode,
      command: argv.join(' ')
    },
    location: phaseLocation(ctx, rec.phase)
  })
}

function phaseLocation(
  ctx: GateContext,
  phase: string
): ReturnType<GateContext['loaded']['locate']> {
  const i = (ctx.loaded.plan.phases ?? []).findIndex(p => p.name === phase)
  return ctx.loaded.locate(i >= 0 ? ['phases', i] : ['validation', 'rollbackTest'])
}

/** Runs the rollback test over a run's phases, newest phase first (the order a real undo takes). */
async function rollbackTest(
  ctx: GateContext,
  cluster: Cluster,
  run: RunChoice,
  deadline: number,
  notes: string[]
): Promise<CheckResult[]> {
  const location = ctx.loaded.locate(['validation', 'rollbackTest'])
  if (run.phases.length === 0)
    return [
      checkResult('rollbackTest', ctx.loaded.plan.name, {
        verdict: 'skip',
        message: `nothing to test: no phase of ${run.source === 'given' ? `run ${run.runId}` : 'any run'} is recorded in ${ctx.namespace}`,
        adjustment: 'run the phases first, or pass the run id that applied them (--run-id)',
        location
      })
    ]
  const results: CheckResult[] = []
  for (const rec of [...run.phases].reverse()) {
    if (ctx.signal.aborted) break
    const left = Math.max(5000, deadline - ctx.clock.now())
    if (rec.status === 'rolled-back') {
      notes.push(`phase ${rec.phase} was rolled back already; its undo is not tested`)
      continue
    }
    if (rec.status !== 'applied') {
      results.push(
        checkResult('rollbackTest', rec.phase, {
          verdict: 'warn',
          message: `phase ${rec.phase} is ${rec.status}, not applied: its undo is not tested`,
          adjustment:
            rec.status === 'failed'
              ? 'its rollback did not finish: run the rollback again (phase-gate check --gate phase) or clean up by hand'
              : 'a job was interrupted: the post step finishes its rollback from the state record',
          location: phaseLocation(ctx, rec.phase)
        })
      )
      continue
    }
    ctx.progress({
      gate: 'validate',
      activity: `rollback test: phase ${rec.phase} (${rec.objects.length} objects)`
    })
    if (rec.objects.length > 0 || !rec.helm)
      results.push(await testPhaseObjects(ctx, cluster, rec, left))
    if (rec.helm) results.push(await testPhaseHelm(ctx, cluster, rec, left))
  }
  return results
}

/** Objects the run's phases left applied, for `ready` checks that name them. */
function appliedObjects(phases: PhaseRecord[]): KubeObject[] {
  return phases
    .flatMap(p => p.objects)
    .map((a: AppliedObject) => a.after)
    .filter((o): o is KubeObject => o !== undefined)
}

async function runValidate(ctx: GateContext): Promise<GateResult> {
  const started = ctx.clock.now()
  const budget = budgetMs(ctx.loaded.plan, 'validate')
  const deadline = started + budget
  const spec = ctx.loaded.plan.validation ?? {}
  const notes: string[] = []
  const checks: CheckResult[] = []
  const cluster = await ctx.cluster()
  const record = await ctx.stateRecord()
  const run = await findRun(ctx, cluster, record, { applied: true })
  if (run.source === 'state-record')
    notes.push(
      `run ${run.runId}: the newest run recorded in ${ctx.namespace} (pass --run-id to pick another)`
    )

  const specs = spec.checks ?? []
  if (specs.length) {
    ctx.progress({ gate: 'validate', activity: `${specs.length} validation checks` })
    checks.push(
      ...(await runValidations(
        specs,
        { ...ctx, runId: run.runId, applied: appliedObjects(run.phases), deadline },
        ['validation', 'checks']
      ))
    )
  }
  if (spec.rollbackTest !== false)
    checks.push(...(await rollbackTest(ctx, cluster, run, deadline, notes)))
  else notes.push('rollback test disabled (validation.rollbackTest: false)')

  const result = gateResult('validate', started, checks, { now: ctx.clock.now(), budgetMs: budget })
  if (ctx.signal.aborted) result.verdict = 'cancelled'
  const validated = isPassing(result.verdict) && result.verdict !== 'skip'
  if (validated && !ctx.settings.dryRun) {
    try {
      await record.transition(
        'active',
        run.runId,
        `validated by ${checks.length} check${checks.length === 1 ? '' : 's'}`
      )
      notes.push(`deployment state: active (validated, run ${run.runId})`)
      if (knownGoodOnValidation(ctx.loaded.plan))
        notes.push(
          await recordKnownGood(
            cluster,
            record,
            ctx.loaded.plan,
            ctx.namespace,
            run.runId,
            new Date(ctx.clock.now()).toISOString()
          )
        )
    } catch (err) {
      result.checks.push(
        checkResult('state', 'active', {
          verdict: 'warn',
          message: `validated, but the state record could not be updated: ${errorMessage(err)}`,
          adjustment: `phase-gate needs get/update on ConfigMap ${record.indexName} in ${ctx.namespace}`
        })
      )
      result.verdict = 'warn'
    }
  } else if (!validated) notes.push('deployment state not changed: validation did not pass')
  result.durationMs = Math.max(0, ctx.clock.now() - started)
  if (notes.length) result.notes = notes
  result.details = {
    runId: run.runId,
    runSource: run.source,
    phases: run.phases.map(p => ({ phase: p.phase, status: p.status, objects: p.objects.length }))
  }
  return result
}

export const validateGate: Gate = {
  name: 'validate',
  async run(ctx) {
    return [await runValidate(ctx)]
  }
}
