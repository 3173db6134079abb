/**
 * The tracer gate, tracer bullets: each critical assumption survives a minimal real
 * deployment. Apply one small object with the run's labels, wait for its
 * success criterion within its timeout (failing fast when the cause is
 * known), capture evidence, and always clean up and wait until it is gone:
 * on success, failure, timeout, exception and cancellation.
 */

import { checkResult } from '../checks/result.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { applyOnceAccountExists, prepareObjects } from '../kube/apply.js'
import { asInfraError } from '../kube/client.js'
import { criterionDecision, describeCriterion } from '../kube/criteria.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { runSelector } from '../kube/labels.js'
import { StateRecord } from '../lifecycle/record.js'
import { describeRef, refOf, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { waitForGone, waitForObjects, waitStatus } from '../kube/wait.js'
import { budgetMs } from '../plan/budgets.js'
import { withOverrides } from '../render/overrides.js'
import { expandManifestPaths, loadManifestFiles, parseManifests } from '../plan/manifests.js'
import type { LoadedPlan, TracerSpec } from '../plan/types.js'
import { gateResult, type CheckResult } from '../report/model.js'
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

async function fireTracer(ctx: GateContext, t: TracerSpec, index: number): Promise<CheckResult> {
  const location = ctx.loaded.locate(['tracers', index])
  const started = ctx.clock.now()
  const timeoutMs = durationMs(t.timeout, DEFAULT_TIMEOUT_MS)
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
  const record = new StateRecord(cluster, ctx.loaded.plan.name, ctx.namespace)
  // Written before the apply, so a post step after a kill knows which kinds to sweep.
  await record
    .writeRunData(
      ctx.runId,
      `tracer.${t.name}.json`,
      JSON.stringify({ refs, at: new Date(started).toISOString() })
    )
    .catch(err => ctx.log.debug(`could not record tracer ${t.name}: ${errorMessage(err)}`))
  const criterion = t.success ?? { ready: true }
  const decision = criterionDecision(criterion)
  const main = refs[refs.length - 1]
  let result: CheckResult
  try {
    result = await attempt()
  } catch (err) {
    result = checkResult('tracer', t.name, {
      verdict: ctx.signal.aborted ? 'cancelled' : 'error',
      message: `tracer ${t.name} could not run: ${errorMessage(err)}`,
      location,
      data: { assumption: t.assumption }
    })
  }
  result = softenNonCritical(t, result)
  if (t.cleanup !== false || ctx.signal.aborted) {
    ctx.progress({ gate: 'tracer', activity: `${t.name}: cleaning up` })
    const c = await cleanupObjects(cluster, refs, ctx)
    result.data = { ...result.data, cleanedUp: c.ok }
    result.evidence = [result.evidence, c.message].filter(Boolean).join('\n')
    if (!c.ok && result.verdict === 'pass') {
      result.verdict = 'fail'
      result.message = `${result.message}; but ${c.message}`
    }
  }
  return result

  async function attempt(): Promise<CheckResult> {
    ctx.progress({
      gate: 'tracer',
      activity: `${t.name}: applying ${refs.map(describeRef).join(', ')}`
    })
    for (const o of objects) {
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
          return checkResult('tracer', t.name, {
            verdict: 'error',
            message: `could not apply ${describeRef(o)}: ${errorMessage(err)}`,
            adjustment: infra.hint,
            location,
            data: { assumption: t.assumption }
          })
        return checkResult('tracer', t.name, {
          verdict: 'fail',
          message: `${describeRef(o)} was rejected by the cluster: ${errorMessage(err)}`,
          evidence: errorMessage(err),
          adjustment: `back to research: the assumption "${t.assumption}" does not hold; fix the manifest or the cluster, then re-run the reality check`,
          location,
          data: { assumption: t.assumption }
        })
      }
    }
    if (ctx.settings.dryRun)
      return checkResult('tracer', t.name, {
        verdict: 'pass',
        message: `dry run: the cluster accepts ${refs.map(describeRef).join(', ')}`,
        location,
        data: { assumption: t.assumption }
      })
    const activity = `${t.name}: waiting for ${describeCriterion(criterion)} of ${describeRef(main)}`
    ctx.progress({ gate: 'tracer', activity, deadline: ctx.clock.now() + timeoutMs })
    const isMain = (r: ObjectRef): boolean => r.kind === main.kind && r.name === main.name
    const outcome = await waitForObjects(cluster, refs, {
      timeoutMs,
      signal: ctx.signal,
      clock: ctx.clock,
      failFast: true,
      onProgress: p => ctx.progress({ gate: 'tracer', activity, status: waitStatus(p) }),
      // The criterion judges the tracer's main object (the last); the others must only exist.
      until: (obj, wctx) =>
        isMain(wctx.ref) ? decision.until(obj, wctx) : obj ? 'done' : 'pending'
    })
    if (outcome.result === 'done') {
      const readyAfter =
        outcome.objects.find(o => isMain(o.ref))?.readyAfterMs ?? outcome.durationMs
      return checkResult('tracer', t.name, {
        verdict: 'pass',
        message: `${main.kind} ${main.name} ${describeCriterion(criterion)} in ${formatDuration(readyAfter)}`,
        location,
        data: { assumption: t.assumption, readyAfterMs: readyAfter }
      })
    }
    const ev = await collectEvidence(cluster, main).then(
      formatEvidence,
      err => `evidence unavailable: ${errorMessage(err)}`
    )
    return checkResult('tracer', t.name, {
      verdict:
        outcome.result === 'cancelled'
          ? 'cancelled'
          : outcome.result === 'error'
            ? 'error'
            : 'fail',
      message: outcome.failure
        ? `${outcome.failure.reason}: ${outcome.failure.message}`
        : outcome.message,
      evidence: [decision.lastError(), ev].filter(Boolean).join('\n'),
      adjustment: `back to research: the assumption "${t.assumption}" failed (${outcome.failure?.reason ?? outcome.result}); fix what the evidence shows, then re-run the reality check and this tracer`,
      location,
      data: { assumption: t.assumption, reason: outcome.failure?.reason ?? outcome.result }
    })
  }
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
    const started = ctx.clock.now()
    const all = ctx.loaded.plan.tracers ?? []
    const selected = ctx.settings.tracer ? all.filter(t => t.name === ctx.settings.tracer) : all
    if (ctx.settings.tracer && selected.length === 0)
      throw new UsageError(
        `no tracer named "${ctx.settings.tracer}"; tracers: ${all.map(t => t.name).join(', ') || 'none'}`
      )
    const checks: CheckResult[] = []
    // One at a time: each bullet proves one assumption, and evidence stays readable.
    for (const t of selected) {
      if (ctx.signal.aborted) {
        checks.push(
          checkResult('tracer', t.name, {
            verdict: 'cancelled',
            message: 'not fired: the run was cancelled'
          })
        )
        continue
      }
      checks.push(await fireTracer(ctx, t, all.indexOf(t)))
    }
    return [
      gateResult('tracer', started, checks, {
        now: ctx.clock.now(),
        name: ctx.settings.tracer,
        budgetMs: budgetMs(ctx.loaded.plan, 'tracer'),
        notes: selected.length === 0 ? ['the plan has no tracers'] : undefined
      })
    ]
  }
}
