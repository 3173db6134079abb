/**
 * The tracer gate, tracer bullets: each critical assumption survives a minimal real
 * deployment. Apply one small object with the run's labels, wait for its
 * success criterion within its timeout (failing fast when the cause is
 * known), capture evidence, and always clean up and wait until it is gone:
 * on success, failure, timeout, exception and cancellation.
 */

import { checkResult, type CheckFields } from '../checks/result.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { applyOnceAccountExists, prepareObjects } from '../kube/apply.js'
import { asInfraError } from '../kube/client.js'
import { criterionDecision, describeCriterion } from '../kube/criteria.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { runSelector } from '../kube/labels.js'
import { describeRef, refOf, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { waitForGone, waitForObjects, waitStatus, type WaitOutcome } from '../kube/wait.js'
import { budgetMs } from '../plan/budgets.js'
import { withOverrides } from '../render/overrides.js'
import { expandManifestPaths, loadManifestFiles, parseManifests } from '../plan/manifests.js'
import type { LoadedPlan, SuccessCriterion, TracerSpec } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { GateRun, selectNamed } from './gate-run.js'
import type { Gate, GateContext } from './types.js'

const DEFAULT_TIMEOUT_MS = 120_000
/** Cleanup has its own time, never what the wait left over. */
const CLEANUP_TIMEOUT_MS = 90_000

/** The objects of a tracer's manifest (file or inline). */
export async function tracerObjects(
  loaded: LoadedPlan,
  t: TracerSpec,
  index: number,
  workspace: string
): Promise<KubeObject[]> {
  if (t.manifest.inline !== undefined) {
    const loc = loaded.locate(['tracers', index, 'manifest', 'inline'])
    return withOverrides(
      loaded,
      parseManifests(
        t.manifest.inline,
        `${loaded.displayFile}:${loc.line} (tracers[${index}].manifest.inline)`
      )
    ).map(m => m.object)
  }
  if (!t.manifest.file)
    throw new UsageError(`tracers[${index}] (${t.name}): manifest needs file or inline`)
  const files = await expandManifestPaths(
    loaded,
    [t.manifest.file],
    `tracers[${index}].manifest.file`
  )
  return (await loadManifestFiles(loaded, files, workspace)).map(m => m.object)
}

/** Deletes objects and waits until they are gone; never throws. */
export async function cleanupObjects(
  cluster: Cluster,
  refs: ObjectRef[],
  ctx: Pick<GateContext, 'clock' | 'log'>
): Promise<{ ok: boolean; message: string }> {
  if (refs.length === 0) return { ok: true, message: 'nothing to clean up' }
  // Its own deadline and no cancellation signal: a cancelled run must still clean up.
  try {
    await Promise.all(refs.map(r => cluster.delete(r, { propagationPolicy: 'Foreground' })))
    const gone = await waitForGone(cluster, refs, {
      timeoutMs: CLEANUP_TIMEOUT_MS,
      clock: ctx.clock
    })
    if (gone.result === 'done')
      return { ok: true, message: `cleaned up: ${refs.map(describeRef).join(', ')} gone` }
    return { ok: false, message: `cleanup incomplete: ${gone.message}` }
  } catch (err) {
    ctx.log.warn(`tracer cleanup: ${errorMessage(err)}`)
    return { ok: false, message: `cleanup failed: ${errorMessage(err)}` }
  }
}

/** Removes every tracer object of a run still in the cluster (the post step and signal handlers call it). */
export async function cleanupRunTracers(
  cluster: Cluster,
  plan: string,
  runId: string,
  namespace: string,
  kinds: { apiVersion: string; kind: string }[],
  ctx: Pick<GateContext, 'clock' | 'log'>
): Promise<{ ok: boolean; message: string; removed: number }> {
  const selector = runSelector(plan, runId, 'tracer')
  const found: ObjectRef[] = []
  for (const k of kinds) {
    try {
      const { items } = await cluster.list(k.apiVersion, k.kind, {
        namespace,
        labelSelector: selector
      })
      found.push(...items.map(refOf))
    } catch (err) {
      ctx.log.warn(`cannot list ${k.kind} for cleanup: ${errorMessage(err)}`)
    }
  }
  const r = await cleanupObjects(cluster, found, ctx)
  return { ...r, removed: found.length }
}

/** One tracer bullet under way: its objects, the one its criterion judges, and its time. */
interface Bullet {
  ctx: GateContext
  t: TracerSpec
  location: SourceLocation | undefined
  started: number
  timeoutMs: number
  cluster: Cluster
  objects: KubeObject[]
  refs: ObjectRef[]
  /** The tracer's main object (the last): the criterion judges it; the others must only exist. */
  main: ObjectRef
  criterion: SuccessCriterion
  decision: ReturnType<typeof criterionDecision>
}

/**
 * A tracer: load → record its objects → fire (apply, wait for its
 * criterion) → soften when not critical → clean up, whatever happened.
 */
async function fireTracer(ctx: GateContext, t: TracerSpec, index: number): Promise<CheckResult> {
  const b = await loadBullet(ctx, t, index)
  await recordBullet(b)
  let result: CheckResult
  try {
    result = await fire(b)
  } catch (err) {
    result = tracerCheck(b, {
      verdict: ctx.signal.aborted ? 'cancelled' : 'error',
      message: `tracer ${t.name} could not run: ${errorMessage(err)}`
    })
  }
  return cleanUp(b, softenNonCritical(t, result))
}

async function loadBullet(ctx: GateContext, t: TracerSpec, index: number): Promise<Bullet> {
  const started = ctx.clock.now()
  const cluster = await ctx.cluster()
  const raw = await tracerObjects(ctx.loaded, t, index, ctx.settings.workspace)
  if (raw.length === 0) throw new UsageError(`tracer ${t.name}: its manifest holds no object`)
  const objects = await prepareObjects(cluster, raw, ctx.namespace, {
    plan: ctx.loaded.plan.name,
    run: ctx.runId,
    role: 'tracer',
    unit: t.name
  })
  const refs = objects.map(refOf)
  const criterion = t.success ?? { ready: true }
  return {
    ctx,
    t,
    location: ctx.loaded.locate(['tracers', index]),
    started,
    timeoutMs: durationMs(t.timeout, DEFAULT_TIMEOUT_MS),
    cluster,
    objects,
    refs,
    main: refs[refs.length - 1],
    criterion,
    decision: criterionDecision(criterion)
  }
}

/** Written before the apply, so a post step after a kill knows which kinds to sweep. */
async function recordBullet(b: Bullet): Promise<void> {
  const { ctx, t } = b
  await ctx
    .stateRecord()
    .then(record =>
      record.writeRunData(
        ctx.runId,
        `tracer.${t.name}.json`,
        JSON.stringify({ refs: b.refs, at: new Date(b.started).toISOString() })
      )
    )
    .catch(err => ctx.log.debug(`could not record tracer ${t.name}: ${errorMessage(err)}`))
}

/** The tracer's finding, with its location and the assumption it proves. */
function tracerCheck(b: Bullet, o: Omit<CheckFields, 'location'>): CheckResult {
  return checkResult('tracer', b.t.name, {
    ...o,
    location: b.location,
    data: { assumption: b.t.assumption, ...o.data }
  })
}

/** Applies the objects, then waits for the criterion (a dry run only asks the server). */
async function fire(b: Bullet): Promise<CheckResult> {
  const { ctx, refs } = b
  ctx.progress({
    gate: 'tracer',
    activity: `${b.t.name}: applying ${refs.map(describeRef).join(', ')}`
  })
  const refused = await applyBullet(b)
  if (refused) return refused
  if (ctx.settings.dryRun)
    return tracerCheck(b, {
      verdict: 'pass',
      message: `dry run: the cluster accepts ${refs.map(describeRef).join(', ')}`
    })
  return waitForCriterion(b)
}

/** Applies each object in order; the finding when the cluster refuses one or cannot be asked. */
async function applyBullet(b: Bullet): Promise<CheckResult | undefined> {
  const { ctx, cluster, t } = b
  for (const o of b.objects) {
    if (ctx.signal.aborted) break
    try {
      await applyOnceAccountExists(cluster, o, {
        dryRun: ctx.settings.dryRun,
        signal: ctx.signal
      })
    } catch (err) {
      // No answer, 429 or a 5xx says nothing about the assumption: could not check (exit 3).
      const infra = asInfraError(err, cluster)
      if (infra)
        return tracerCheck(b, {
          verdict: 'error',
          message: `could not apply ${describeRef(o)}: ${errorMessage(err)}`,
          adjustment: infra.hint
        })
      return tracerCheck(b, {
        verdict: 'fail',
        message: `${describeRef(o)} was rejected by the cluster: ${errorMessage(err)}`,
        evidence: errorMessage(err),
        adjustment: `back to research: the assumption "${t.assumption}" does not hold; fix the manifest or the cluster, then re-run the reality check`
      })
    }
  }
  return undefined
}

/** Waits for the criterion on the main object within the tracer's timeout (failing fast on known causes). */
async function waitForCriterion(b: Bullet): Promise<CheckResult> {
  const { ctx, t, main, criterion, decision } = b
  const activity = `${t.name}: waiting for ${describeCriterion(criterion)} of ${describeRef(main)}`
  ctx.progress({ gate: 'tracer', activity, deadline: ctx.clock.now() + b.timeoutMs })
  const isMain = (r: ObjectRef): boolean => r.kind === main.kind && r.name === main.name
  const outcome = await waitForObjects(b.cluster, b.refs, {
    timeoutMs: b.timeoutMs,
    signal: ctx.signal,
    clock: ctx.clock,
    failFast: true,
    onProgress: p => ctx.progress({ gate: 'tracer', activity, status: waitStatus(p) }),
    // The criterion judges the tracer's main object (the last); the others must only exist.
    until: (obj, wctx) => (isMain(wctx.ref) ? decision.until(obj, wctx) : obj ? 'done' : 'pending')
  })
  if (outcome.result === 'done') {
    const readyAfter = outcome.objects.find(o => isMain(o.ref))?.readyAfterMs ?? outcome.durationMs
    return tracerCheck(b, {
      verdict: 'pass',
      message: `${main.kind} ${main.name} ${describeCriterion(criterion)} in ${formatDuration(readyAfter)}`,
      data: { readyAfterMs: readyAfter }
    })
  }
  return missedCriterion(b, outcome)
}

/** A tracer whose criterion was not met: the reason, and the main object's evidence. */
async function missedCriterion(b: Bullet, outcome: WaitOutcome): Promise<CheckResult> {
  const { t } = b
  const ev = await collectEvidence(b.cluster, b.main).then(
    formatEvidence,
    err => `evidence unavailable: ${errorMessage(err)}`
  )
  const reason = outcome.failure?.reason ?? outcome.result
  return tracerCheck(b, {
    verdict:
      outcome.result === 'cancelled' ? 'cancelled' : outcome.result === 'error' ? 'error' : 'fail',
    message: outcome.failure
      ? `${outcome.failure.reason}: ${outcome.failure.message}`
      : outcome.message,
    evidence: [b.decision.lastError(), ev].filter(Boolean).join('\n'),
    adjustment: `back to research: the assumption "${t.assumption}" failed (${reason}); fix what the evidence shows, then re-run the reality check and this tracer`,
    data: { reason }
  })
}

/** Removes the tracer's objects and waits until they are gone (also when cancelled); a pass that leaves them fails. */
async function cleanUp(b: Bullet, result: CheckResult): Promise<CheckResult> {
  const { ctx, t } = b
  if (t.cleanup === false && !ctx.signal.aborted) return result
  ctx.progress({ gate: 'tracer', activity: `${t.name}: cleaning up` })
  const c = await cleanupObjects(b.cluster, b.refs, ctx)
  result.data = { ...result.data, cleanedUp: c.ok }
  result.evidence = [result.evidence, c.message].filter(Boolean).join('\n')
  if (!c.ok && result.verdict === 'pass') {
    result.verdict = 'fail'
    result.message = `${result.message}; but ${c.message}`
  }
  return result
}

/**
 * A tracer marked `critical: false` warns instead of failing: the assumption
 * it proves is worth knowing about (the plan gate lists it as a risk) but
 * does not stop the deployment. Errors (could not check) and cancellations
 * stay what they are.
 */
export function softenNonCritical(
  t: Pick<TracerSpec, 'name' | 'critical'>,
  r: CheckResult
): CheckResult {
  if (t.critical !== false || r.verdict !== 'fail') return r
  return {
    ...r,
    verdict: 'warn',
    message: `${r.message} (tracer ${t.name} is not critical: a warning, not a failure)`,
    data: { ...r.data, critical: false, failed: true }
  }
}

export const tracerGate: Gate = {
  name: 'tracer',
  async run(ctx) {
    const all = ctx.loaded.plan.tracers ?? []
    const selected = selectNamed(all, ctx.settings.tracer, 'tracer')
    const run = new GateRun('tracer', ctx.clock, ctx.clock.now(), {
      name: ctx.settings.tracer,
      budgetMs: budgetMs(ctx.loaded.plan, 'tracer')
    })
    // One at a time: each bullet proves one assumption, and evidence stays readable.
    for (const t of selected) {
      if (ctx.signal.aborted) {
        run.check(
          checkResult('tracer', t.name, {
            verdict: 'cancelled',
            message: 'not fired: the run was cancelled'
          })
        )
        continue
      }
      run.check(await fireTracer(ctx, t, all.indexOf(t)))
    }
    if (selected.length === 0) run.note('the plan has no tracers')
    return [run.result()]
  }
}
