/**
 * Helm phases: `helm upgrade --install` under our own gate. Helm applies
 * (without `--wait`); readiness is ours: the revision's manifest
 * (`helm get manifest`) is waited on with kstatus and fail-fast within the
 * phase timeout, then the phase's validation checks run. On failure the
 * release goes back with `helm rollback` to the revision it was on (a first
 * install is uninstalled) within the rollback's own budget, verified by the
 * revision and chart it ends on and its objects being Current. Run labels
 * reach the objects' metadata through our post-renderer. The phase record
 * keeps `helm: {release, revisionBefore, revisionAfter}` and the objects'
 * state before the upgrade, and the report carries the release history. A
 * release another helm operation left pending is reported with the command
 * that frees it, and nothing is attempted.
 */

import { mkdtemp, rm, stat, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { helmValuesFiles } from '../helm/values.js'
import { checkResult } from '../checks/result.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import {
  Helm,
  HelmError,
  historyRows,
  latestRevision,
  stuckReleaseAdvice,
  type HelmRevision
} from '../helm/helm.js'
import { startPostRenderer } from '../helm/post-renderer.js'
import { helmSetsFor } from '../render/overrides.js'
import { manifestObjects, refsOf, rollbackRelease, waitForRevision } from '../helm/release.js'
import { snapshot, type AppliedObject } from '../kube/apply.js'
import { LABEL_PHASE, LABEL_PLAN, LABEL_ROLE, LABEL_RUN, labelValue } from '../kube/labels.js'
import type { PhaseRecord, StateRecord } from '../lifecycle/record.js'
import type { Cluster, ObjectRef } from '../kube/types.js'
import { waitForGone } from '../kube/wait.js'
import { rollbackBudgetMs } from '../plan/budgets.js'
import type { HelmSpec, LoadedPlan, PhaseSpec, RollbackAction } from '../plan/types.js'
import {
  isPassing,
  type CheckResult,
  type GateResult,
  type SourceLocation
} from '../report/model.js'
import type { GateRun } from './gate-run.js'
import {
  notReadyCheck,
  notReadyReason,
  phaseRun,
  phaseTime,
  recordApplied,
  recordBeforeChange,
  rollbackCommand,
  validatePhase,
  type PhaseTime
} from './phase-steps.js'
import type { GateContext } from './types.js'

/** A chart path relative to the plan when it exists there; otherwise the reference as written (repo/chart, oci://). */
export async function resolveChart(loaded: LoadedPlan, chart: string): Promise<string> {
  if (/^[a-z]+:\/\//.test(chart)) return chart
  const local = resolve(loaded.dir, chart)
  return stat(local).then(
    () => local,
    () => chart
  )
}

/** The labels the post-renderer puts on the release's objects (metadata only; managed-by stays Helm's). */
export function helmRunLabels(plan: string, runId: string, phase: string): Record<string, string> {
  return {
    [LABEL_PLAN]: labelValue(plan),
    [LABEL_RUN]: labelValue(runId),
    [LABEL_ROLE]: 'phase',
    [LABEL_PHASE]: labelValue(phase)
  }
}

function helmFor(ctx: GateContext, namespace: string, signal?: AbortSignal): Helm {
  return new Helm({
    exec: ctx.exec,
    namespace,
    kubeconfig: ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
    context: ctx.settings.context ?? ctx.loaded.plan.target.context,
    signal
  })
}

/** One Helm phase under way: its release, time and what it collects. */
interface HelmUnderWay {
  ctx: GateContext
  phase: PhaseSpec
  index: number
  spec: HelmSpec
  run: GateRun
  time: PhaseTime
  deadline: number
  location: SourceLocation | undefined
  namespace: string
  release: string
  /** The result's details (release, chart, history before and after, revisions). */
  details: Record<string, unknown>
  cluster: Cluster
  helm: Helm
  chart: string
  /** The release's deployed revision before this phase (none on a first install). */
  revisionBefore?: number
  /** Every values file, inline values last. */
  values: string[]
  /** What the upgrade will touch, with its live state before it. */
  objects: AppliedObject[]
}

/** A Helm phase past its dry run: its record is written; after the upgrade, the release's history and revision. */
interface HelmRecorded extends HelmUnderWay {
  record: StateRecord
  rec: PhaseRecord
  afterUpgrade: HelmRevision[]
  revisionAfter: number
  /** The revision's objects, once waited on. */
  refs: ObjectRef[]
}

/**
 * Runs a phase that deploys a Helm chart: stuck release? → render → record →
 * upgrade → wait for the revision → validate → record applied. A failing
 * step after the upgrade rolls the release back.
 */
export async function runHelmPhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number
): Promise<GateResult> {
  const h = await openHelmPhase(ctx, phase, index)
  const stuck = await stuckRelease(h)
  if (stuck) return stuck
  const tmp = await mkdtemp(join(tmpdir(), 'phase-gate-values-'))
  await chmod(tmp, 0o700)
  try {
    h.values = await helmValuesFiles(ctx.loaded.dir, h.spec, tmp)
    if (!(await rendered(h))) return helmResult(h)
    if (ctx.settings.dryRun) return dryRunRelease(h)
    const r = await recordRelease(h)
    const ended = (await upgrade(r)) ?? (await waitRevision(r)) ?? (await validateRelease(r))
    if (ended) return ended
    await recordApplied(ctx, r.record, r.rec, r.time.started)
    r.details.history = historyRows(await r.helm.history(r.release).catch(() => r.afterUpgrade))
    return helmResult(r)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

async function openHelmPhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number
): Promise<HelmUnderWay> {
  const spec = phase.helm as HelmSpec
  const time = phaseTime(ctx, phase)
  const namespace = spec.namespace ?? ctx.namespace
  const details: Record<string, unknown> = {
    release: spec.release,
    namespace,
    chart: spec.chart,
    version: spec.version
  }
  return {
    ctx,
    phase,
    index,
    spec,
    run: phaseRun(ctx, phase, time, details),
    time,
    deadline: time.started + time.timeoutMs,
    location: ctx.loaded.locate(['phases', index, 'helm']),
    namespace,
    release: spec.release,
    details,
    cluster: await ctx.cluster(),
    helm: helmFor(ctx, namespace, ctx.signal),
    chart: await resolveChart(ctx.loaded, spec.chart),
    values: [],
    objects: []
  }
}

/** The phase's result; a cancelled run's phase is cancelled whatever its checks say. */
function helmResult(h: HelmUnderWay): GateResult {
  return h.run.result(h.ctx.signal.aborted ? 'cancelled' : undefined)
}

function warnState(ctx: GateContext): (err: unknown) => void {
  return err => ctx.log.warn(`state record: ${errorMessage(err)}`)
}

/** A release another helm operation left pending: the phase's end, with the command that frees it. */
async function stuckRelease(h: HelmUnderWay): Promise<GateResult | undefined> {
  const { release, namespace } = h
  const before = await h.helm.history(release)
  h.details.historyBefore = historyRows(before)
  const stuck = stuckReleaseAdvice(release, namespace, before)
  if (stuck) {
    h.run.check(
      checkResult('helm', release, {
        verdict: 'fail',
        message: stuck.message,
        adjustment: `free it, then run the phase again: ${stuck.command}`,
        data: { command: stuck.command, history: historyRows(before) },
        location: h.location
      })
    )
    return helmResult(h)
  }
  h.revisionBefore = [...before].reverse().find(r => r.status === 'deployed')?.revision
  return undefined
}

/** What the upgrade will touch, rendered first: its live state is recorded before anything changes. */
async function rendered(h: HelmUnderWay): Promise<boolean> {
  try {
    const text = await h.helm.template(h.release, h.chart, {
      version: h.spec.version,
      set: helmSetsFor(h.ctx.loaded, h.phase.name),
      valuesFiles: h.values
    })
    h.objects = await snapshot(
      h.cluster,
      await manifestObjects(h.cluster, text, h.namespace, `${h.release} (helm template)`)
    )
    return true
  } catch (err) {
    h.run.check(
      checkResult('helm', h.release, {
        verdict: 'fail',
        message: `the chart does not render: ${errorMessage(err)}`,
        evidence: err instanceof HelmError ? err.result.stderr.slice(-2000) : undefined,
        adjustment: 'fix the chart or its values; nothing was changed',
        location: h.location
      })
    )
    return false
  }
}

async function dryRunRelease(h: HelmUnderWay): Promise<GateResult> {
  const { release, location } = h
  try {
    await h.helm.upgradeInstall(release, h.chart, {
      version: h.spec.version,
      set: helmSetsFor(h.ctx.loaded, h.phase.name),
      valuesFiles: h.values,
      timeoutMs: h.time.timeoutMs,
      dryRun: true
    })
    h.run.check(
      checkResult('helm', release, {
        verdict: 'pass',
        message: `dry run: the server accepts release ${release} (${h.objects.length} objects)`,
        location
      })
    )
  } catch (err) {
    h.run.check(
      checkResult('helm', release, { verdict: 'fail', message: errorMessage(err), location })
    )
  }
  return helmResult(h)
}

/** The phase record (with the release's revision before), written before the upgrade. */
async function recordRelease(h: HelmUnderWay): Promise<HelmRecorded> {
  const { ctx, phase, spec, release, namespace, revisionBefore } = h
  const { record, rec } = await recordBeforeChange(ctx, h.run, {
    phase,
    started: h.time.started,
    objects: h.objects,
    helm: { release, namespace, revisionBefore },
    packaged: `phase ${phase.name}: chart ${spec.chart}${spec.version ? ` ${spec.version}` : ''} rendered (helm template, ${h.objects.length} objects)`,
    deploying: `phase ${phase.name} (helm ${release})`
  })
  return { ...h, record, rec, afterUpgrade: [], revisionAfter: 0, refs: [] }
}

/** `helm upgrade --install` with our post-renderer; the phase's end when it fails or the run is cancelled. */
async function upgrade(r: HelmRecorded): Promise<GateResult | undefined> {
  const { ctx, release, revisionBefore, rec } = r
  const upgradeStarted = ctx.clock.now()
  const { error, renders } = await upgradeInstall(r)
  // Without the cancellation signal: a cancelled upgrade may have left a revision to undo.
  r.afterUpgrade = await helmFor(ctx, r.namespace)
    .history(release)
    .catch(() => [] as HelmRevision[])
  const latest = latestRevision(r.afterUpgrade)
  if (latest && latest.revision !== revisionBefore)
    rec.helm = { release, namespace: r.namespace, revisionBefore, revisionAfter: latest.revision }
  await r.record.writePhase(rec).catch(warnState(ctx))
  r.details.revisionBefore = revisionBefore
  r.details.revisionAfter = rec.helm?.revisionAfter
  if (error) {
    r.run.check(
      checkResult('helm', release, {
        verdict: ctx.signal.aborted ? 'cancelled' : 'fail',
        message: errorMessage(error),
        evidence: error instanceof HelmError ? error.result.stderr.slice(-2000) : undefined,
        location: r.location
      })
    )
    // Nothing to undo when helm made no new revision.
    if (!rec.helm?.revisionAfter) {
      r.details.history = historyRows(r.afterUpgrade)
      return helmResult(r)
    }
    return failRelease(r, 'helm upgrade failed')
  }
  r.revisionAfter = rec.helm?.revisionAfter ?? (latest?.revision as number)
  r.run.check(
    checkResult('helm', release, {
      verdict: 'pass',
      message: `release ${release} ${revisionBefore === undefined ? 'installed' : `upgraded from revision ${revisionBefore}`} to revision ${r.revisionAfter} (${latest?.chart ?? r.spec.chart}) in ${formatDuration(ctx.clock.now() - upgradeStarted)}; run labels added by the post-renderer (${renders} render${renders === 1 ? '' : 's'})`,
      data: {
        revisionBefore,
        revisionAfter: r.revisionAfter,
        chart: latest?.chart,
        appVersion: latest?.app_version
      },
      location: r.location
    })
  )
  if (ctx.signal.aborted) return failRelease(r, 'cancelled after the upgrade')
  return undefined
}

/** The upgrade itself, run labels added by the post-renderer; its error, and how often the renderer ran. */
async function upgradeInstall(r: HelmRecorded): Promise<{ error?: unknown; renders: number }> {
  const { ctx, phase } = r
  ctx.progress({
    gate: 'phase',
    activity: `${phase.name}: helm upgrade --install ${r.release}`,
    deadline: r.deadline
  })
  const renderer = await startPostRenderer(
    helmRunLabels(ctx.loaded.plan.name, ctx.runId, phase.name),
    { images: ctx.loaded.overrides?.images }
  )
  let error: unknown
  try {
    await r.helm.upgradeInstall(r.release, r.chart, {
      version: r.spec.version,
      set: helmSetsFor(ctx.loaded, phase.name),
      valuesFiles: r.values,
      postRenderer: { executable: renderer.executable, args: renderer.args },
      timeoutMs: Math.max(1000, r.deadline - ctx.clock.now())
    })
  } catch (err) {
    error = err
  } finally {
    await renderer.close()
  }
  return { error, renders: renderer.rendered }
}

/** Waits until the revision's objects are Current (fail-fast); the phase's end when not. */
async function waitRevision(r: HelmRecorded): Promise<GateResult | undefined> {
  const { ctx, release, revisionAfter } = r
  ctx.progress({
    gate: 'phase',
    activity: `${r.phase.name}: waiting for release ${release} revision ${revisionAfter}`,
    deadline: r.deadline
  })
  const waited = await waitForRevision(r.helm, r.cluster, release, revisionAfter, {
    timeoutMs: Math.max(0, r.deadline - ctx.clock.now()),
    clock: ctx.clock,
    signal: ctx.signal
  })
  r.details.objects = waited.refs.length
  r.refs = waited.refs
  if (waited.outcome.result !== 'done') {
    r.run.check(
      notReadyCheck(waited.outcome, {
        fallback: release,
        evidence: waited.evidence,
        timeoutAdvice: `still progressing after ${formatDuration(r.time.timeoutMs)}: raise the phase timeout, or fix what the evidence shows`,
        location: r.location
      })
    )
    return failRelease(r, notReadyReason(waited.outcome))
  }
  r.run.check(
    checkResult('ready', r.phase.name, {
      verdict: 'pass',
      message: `all ${waited.refs.length} objects of revision ${revisionAfter} ready in ${formatDuration(waited.outcome.durationMs)}`,
      location: r.location
    })
  )
  return undefined
}

/** The phase's validation checks over the revision's live objects; the phase's end when one does not pass. */
async function validateRelease(r: HelmRecorded): Promise<GateResult | undefined> {
  if (!r.phase.validate?.length) return undefined
  const live = await Promise.all(r.refs.map(ref => r.cluster.get(ref).catch(() => undefined)))
  const applied = live.filter(o => o !== undefined)
  const why = await validatePhase(r.ctx, r.phase, r.index, r.run, applied, r.deadline)
  return why ? failRelease(r, why) : undefined
}

/** A failed Helm phase: the release goes back, and the result carries its history after. */
async function failRelease(r: HelmRecorded, why: string): Promise<GateResult> {
  const { ctx, release } = r
  r.run.check(...(await rollbackHelmPhase(ctx, r.cluster, r.phase, r.index, r.rec, r.record, why)))
  const after = await helmFor(ctx, r.namespace)
    .history(release)
    .catch(() => [] as HelmRevision[])
  r.details.history = historyRows(after)
  r.run.note(
    ctx.signal.aborted
      ? `cancelled: release ${release} was rolled back`
      : `phase ${r.phase.name} failed (${why}) and release ${release} was rolled back`
  )
  return helmResult(r)
}

/** A Helm phase's rollback (default `helm rollback` to the revision before), within its own budget. */
export async function rollbackHelmPhase(
  ctx: GateContext,
  cluster: Cluster,
  phase: PhaseSpec,
  index: number,
  rec: PhaseRecord,
  record: StateRecord,
  why: string
): Promise<CheckResult[]> {
  const spec = phase.helm as HelmSpec
  const namespace = rec.helm?.namespace ?? spec.namespace ?? ctx.namespace
  const actions: RollbackAction[] = phase.rollback?.length ? phase.rollback : [{ helm: 'rollback' }]
  const budget = rollbackBudgetMs(ctx.loaded.plan, phase)
  const started = ctx.clock.now()
  const deadline = started + budget
  // No cancellation signal: a cancelled phase must still be rolled back.
  const helm = helmFor(ctx, namespace)
  const results: CheckResult[] = []
  rec.status = 'rolling-back'
  await record.writePhase(rec).catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))
  ctx.progress({
    gate: 'phase',
    activity: `${phase.name}: rolling back release ${spec.release} (${why})`,
    deadline
  })
  for (const [i, action] of actions.entries()) {
    const location = ctx.loaded.locate(['phases', index, 'rollback', i])
    if ('command' in action) {
      const timeoutMs = Math.min(
        Math.max(1000, deadline - ctx.clock.now()),
        durationMs(action.command.timeout, budget)
      )
      results.push(await rollbackCommand(ctx, phase, action, { namespace, timeoutMs, location }))
      continue
    }
    // `undo` on a Helm phase means the release's own undo.
    const t0 = ctx.clock.now()
    const undone = await undoRelease(ctx, helm, cluster, { spec, namespace, rec, deadline })
    const took = ctx.clock.now() - t0
    results.push(
      checkResult('rollback', `${phase.name}: helm`, {
        verdict: undone.ok ? 'pass' : 'fail',
        message: undone.ok
          ? `rolled back in ${formatDuration(took)} (budget ${formatDuration(budget)}): ${undone.message}`
          : `rollback incomplete: ${undone.message}`,
        evidence: undone.evidence,
        data: { ...undone.data, durationMs: took, budgetMs: budget },
        location
      })
    )
  }
  const ok = results.every(r => isPassing(r.verdict))
  rec.status = ok ? 'rolled-back' : 'failed'
  rec.finishedAt = new Date(ctx.clock.now()).toISOString()
  await record.writePhase(rec).catch(err => ctx.log.warn(`state record: ${errorMessage(err)}`))
  return results
}

/** What undoing a release came to. */
interface ReleaseUndo {
  ok: boolean
  message: string
  evidence?: string
  data: Record<string, unknown>
}

/**
 * The release back to the revision it was on before the phase (`helm
 * rollback`, verified); a first install has no earlier revision, so the
 * release goes away, and what it created with it.
 */
async function undoRelease(
  ctx: GateContext,
  helm: Helm,
  cluster: Cluster,
  o: { spec: HelmSpec; namespace: string; rec: PhaseRecord; deadline: number }
): Promise<ReleaseUndo> {
  const { spec, namespace, deadline } = o
  const revisionBefore = o.rec.helm?.revisionBefore
  try {
    if (revisionBefore !== undefined) {
      const r = await rollbackRelease(helm, cluster, spec.release, {
        to: revisionBefore,
        deadline,
        clock: ctx.clock
      })
      return { ok: r.ok, message: r.message, evidence: r.evidence, data: r.data }
    }
    const manifest = await helm.manifest(spec.release).catch(() => '')
    const refs = manifest ? refsOf(await manifestObjects(cluster, manifest, namespace)) : []
    await helm.uninstall(spec.release, Math.max(1000, deadline - ctx.clock.now()))
    const gone = refs.length
      ? await waitForGone(cluster, refs, {
          timeoutMs: Math.max(0, deadline - ctx.clock.now()),
          clock: ctx.clock
        })
      : undefined
    const ok = !gone || gone.result === 'done'
    return {
      ok,
      message: ok
        ? `release ${spec.release} uninstalled (it had no earlier revision); ${refs.length} objects gone`
        : `release ${spec.release} uninstalled, but ${gone?.message}`,
      data: { uninstalled: true, objects: refs.length }
    }
  } catch (err) {
    return { ok: false, message: errorMessage(err), data: {} }
  }
}
