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

import { mkdtemp, rm, stat, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { stringify } from 'yaml'
import { checkResult } from '../checks/result.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
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
import { describeOverrides, helmSetsFor } from '../render/overrides.js'
import { manifestObjects, refsOf, rollbackRelease, waitForRevision } from '../helm/release.js'
import { snapshot, type AppliedObject } from '../kube/apply.js'
import { LABEL_PHASE, LABEL_PLAN, LABEL_ROLE, LABEL_RUN, labelValue } from '../kube/labels.js'
import { StateRecord, type PhaseRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import { waitForGone } from '../kube/wait.js'
import { budgetMs, rollbackBudgetMs } from '../plan/budgets.js'
import type { HelmSpec, LoadedPlan, PhaseSpec, RollbackAction } from '../plan/types.js'
import { gateResult, isPassing, type CheckResult, type GateResult } from '../report/model.js'
import { markPackaged } from './mark-packaged.js'
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

/** Writes the plan's inline values to a private temp file; returns every values file in order. */
async function valuesFiles(ctx: GateContext, spec: HelmSpec, dir: string): Promise<string[]> {
  const files = (spec.valuesFiles ?? []).map(f => resolve(ctx.loaded.dir, f))
  if (spec.values && Object.keys(spec.values).length) {
    const file = join(dir, 'values.yaml')
    await writeFile(file, stringify(spec.values), { mode: 0o600 })
    // Inline values come last, so they win over the files, as later -f files do.
    files.push(file)
  }
  return files
}

/** Runs a phase that deploys a Helm chart. */
export async function runHelmPhase(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number
): Promise<GateResult> {
  const spec = phase.helm as HelmSpec
  const started = ctx.clock.now()
  const location = ctx.loaded.locate(['phases', index, 'helm'])
  const budget = durationMs(phase.budget, budgetMs(ctx.loaded.plan, 'phase', { phase }))
  const timeoutMs = Math.min(durationMs(phase.timeout, budget), budget)
  const deadline = started + timeoutMs
  const namespace = spec.namespace ?? ctx.namespace
  const release = spec.release
  const checks: CheckResult[] = []
  const notes: string[] = []
  const details: Record<string, unknown> = {
    release,
    namespace,
    chart: spec.chart,
    version: spec.version
  }
  const done = (): GateResult =>
    gateResult('phase', started, checks, {
      now: ctx.clock.now(),
      name: phase.name,
      budgetMs: budget,
      notes: notes.length ? notes : undefined,
      details,
      ...(ctx.signal.aborted ? { verdict: 'cancelled' as const } : {})
    })
  const warnState = (err: unknown): void => ctx.log.warn(`state record: ${errorMessage(err)}`)

  const cluster = await ctx.cluster()
  const helm = helmFor(ctx, namespace, ctx.signal)
  const chart = await resolveChart(ctx.loaded, spec.chart)

  const before = await helm.history(release)
  details.historyBefore = historyRows(before)
  const stuck = stuckReleaseAdvice(release, namespace, before)
  if (stuck) {
    checks.push(
      checkResult('helm', release, {
        verdict: 'fail',
        message: stuck.message,
        adjustment: `free it, then run the phase again: ${stuck.command}`,
        data: { command: stuck.command, history: historyRows(before) },
        location
      })
    )
    return done()
  }
  const deployedBefore = [...before].reverse().find(h => h.status === 'deployed')
  const revisionBefore = deployedBefore?.revision

  const tmp = await mkdtemp(join(tmpdir(), 'phase-gate-values-'))
  await chmod(tmp, 0o700)
  try {
    const values = await valuesFiles(ctx, spec, tmp)
    // What the upgrade will touch, rendered first: its live state is recorded before anything changes.
    let objects: AppliedObject[] = []
    try {
      const rendered = await helm.template(release, chart, {
        version: spec.version,
        set: helmSetsFor(ctx.loaded, phase.name),
        valuesFiles: values
      })
      objects = await snapshot(
        cluster,
        await manifestObjects(cluster, rendered, namespace, `${release} (helm template)`)
      )
    } catch (err) {
      checks.push(
        checkResult('helm', release, {
          verdict: 'fail',
          message: `the chart does not render: ${errorMessage(err)}`,
          evidence: err instanceof HelmError ? err.result.stderr.slice(-2000) : undefined,
          adjustment: 'fix the chart or its values; nothing was changed',
          location
        })
      )
      return done()
    }
    if (ctx.settings.dryRun) {
      try {
        await helm.upgradeInstall(release, chart, {
          version: spec.version,
          set: helmSetsFor(ctx.loaded, phase.name),
          valuesFiles: values,
          timeoutMs,
          dryRun: true
        })
        checks.push(
          checkResult('helm', release, {
            verdict: 'pass',
            message: `dry run: the server accepts release ${release} (${objects.length} objects)`,
            location
          })
        )
      } catch (err) {
        checks.push(
          checkResult('helm', release, { verdict: 'fail', message: errorMessage(err), location })
        )
      }
      return done()
    }

    const record = StateRecord.forPlan(cluster, ctx.loaded.plan, ctx.namespace)
    const rec: PhaseRecord = {
      phase: phase.name,
      runId: ctx.runId,
      status: 'applying',
      startedAt: new Date(started).toISOString(),
      objects,
      helm: { release, namespace, revisionBefore }
    }
    await record.writePhase(rec)
    await markPackaged(
      ctx,
      record,
      `phase ${phase.name}: chart ${spec.chart}${spec.version ? ` ${spec.version}` : ''} rendered (helm template, ${objects.length} objects)`,
      notes
    )
    await record
      .transition('deploying', ctx.runId, `phase ${phase.name} (helm ${release})`)
      .catch(warnState)

    const fail = async (why: string): Promise<GateResult> => {
      checks.push(...(await rollbackHelmPhase(ctx, cluster, phase, index, rec, record, why)))
      const after = await helmFor(ctx, namespace)
        .history(release)
        .catch(() => [] as HelmRevision[])
      details.history = historyRows(after)
      notes.push(
        ctx.signal.aborted
          ? `cancelled: release ${release} was rolled back`
          : `phase ${phase.name} failed (${why}) and release ${release} was rolled back`
      )
      return done()
    }

    ctx.progress({
      gate: 'phase',
      activity: `${phase.name}: helm upgrade --install ${release}`,
      deadline
    })
    const renderer = await startPostRenderer(
      helmRunLabels(ctx.loaded.plan.name, ctx.runId, phase.name),
      { images: ctx.loaded.overrides?.images }
    )
    let upgradeError: unknown
    const upgradeStarted = ctx.clock.now()
    try {
      await helm.upgradeInstall(release, chart, {
        version: spec.version,
        set: helmSetsFor(ctx.loaded, phase.name),
        valuesFiles: values,
        postRenderer: { executable: renderer.executable, args: renderer.args },
        timeoutMs: Math.max(1000, deadline - ctx.clock.now())
      })
    } catch (err) {
      upgradeError = err
    } finally {
      await renderer.close()
    }
    // Without the cancellation signal: a cancelled upgrade may have left a revision to undo.
    const afterUpgrade = await helmFor(ctx, namespace)
      .history(release)
      .catch(() => [] as HelmRevision[])
    const latest = latestRevision(afterUpgrade)
    if (latest && latest.revision !== revisionBefore)
      rec.helm = { release, namespace, revisionBefore, revisionAfter: latest.revision }
    await record.writePhase(rec).catch(warnState)
    details.revisionBefore = revisionBefore
    details.revisionAfter = rec.helm?.revisionAfter
    if (upgradeError) {
      checks.push(
        checkResult('helm', release, {
          verdict: ctx.signal.aborted ? 'cancelled' : 'fail',
          message: errorMessage(upgradeError),
          evidence:
            upgradeError instanceof HelmError ? upgradeError.result.stderr.slice(-2000) : undefined,
          location
        })
      )
      // Nothing to undo when helm made no new revision.
      if (!rec.helm?.revisionAfter) {
        details.history = historyRows(afterUpgrade)
        return done()
      }
      return fail('helm upgrade failed')
    }
    const revisionAfter = rec.helm?.revisionAfter ?? (latest?.revision as number)
    checks.push(
      checkResult('helm', release, {
        verdict: 'pass',
        message: `release ${release} ${revisionBefore === undefined ? 'installed' : `upgraded from revision ${revisionBefore}`} to revision ${revisionAfter} (${latest?.chart ?? spec.chart}) in ${formatDuration(ctx.clock.now() - upgradeStarted)}; run labels added by the post-renderer (${renderer.rendered} render${renderer.rendered === 1 ? '' : 's'})`,
        data: {
          revisionBefore,
          revisionAfter,
          chart: latest?.chart,
          appVersion: latest?.app_version
        },
        location
      })
    )
    if (ctx.signal.aborted) return fail('cancelled after the upgrade')

    ctx.progress({
      gate: 'phase',
      activity: `${phase.name}: waiting for release ${release} revision ${revisionAfter}`,
      deadline
    })
    const waited = await waitForRevision(helm, cluster, release, revisionAfter, {
      timeoutMs: Math.max(0, deadline - ctx.clock.now()),
      clock: ctx.clock,
      signal: ctx.signal
    })
    details.objects = waited.refs.length
    if (waited.outcome.result !== 'done') {
      const o = waited.outcome
      const culprit = o.failure?.ref ?? o.objects.find(x => x.state !== 'done')?.ref
      checks.push(
        checkResult(
          'ready',
          culprit
            ? `${culprit.kind} ${culprit.namespace ? `${culprit.namespace}/` : ''}${culprit.name}`
            : release,
          {
            verdict:
              o.result === 'cancelled' ? 'cancelled' : o.result === 'error' ? 'error' : 'fail',
            message: o.message,
            evidence: waited.evidence,
            adjustment:
              o.result === 'timeout'
                ? `still progressing after ${formatDuration(timeoutMs)}: raise the phase timeout, or fix what the evidence shows`
                : 'fix what the evidence shows, then re-run the phase',
            location
          }
        )
      )
      return fail(
        o.result === 'cancelled' ? 'cancelled while waiting' : (o.failure?.reason ?? o.result)
      )
    }
    checks.push(
      checkResult('ready', phase.name, {
        verdict: 'pass',
        message: `all ${waited.refs.length} objects of revision ${revisionAfter} ready in ${formatDuration(waited.outcome.durationMs)}`,
        location
      })
    )

    if (phase.validate?.length) {
      ctx.progress({
        gate: 'phase',
        activity: `${phase.name}: ${phase.validate.length} validation checks`
      })
      const live = await Promise.all(waited.refs.map(r => cluster.get(r).catch(() => undefined)))
      const results = await runValidations(
        phase.validate,
        { ...ctx, applied: live.filter(o => o !== undefined), deadline },
        ['phases', index, 'validate']
      )
      checks.push(...results)
      if (ctx.signal.aborted) return fail('cancelled while validating')
      if (!results.every(r => isPassing(r.verdict))) return fail('validation failed')
    }

    rec.status = 'applied'
    rec.finishedAt = new Date(ctx.clock.now()).toISOString()
    await record.writePhase(rec)
    await record
      .updateIndex(ix => {
        const overrides = describeOverrides(ctx.loaded.overrides)
        const run = ix.runs.find(r => r.runId === ctx.runId)
        if (run) {
          if (!run.phases.includes(phase.name)) run.phases.push(phase.name)
          if (overrides.length) run.overrides = overrides
        } else
          ix.runs.push({
            runId: ctx.runId,
            startedAt: new Date(started).toISOString(),
            phases: [phase.name],
            ...(overrides.length ? { overrides } : {})
          })
      })
      .catch(warnState)
    details.history = historyRows(await helm.history(release).catch(() => afterUpgrade))
    return done()
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
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
      const r = await ctx.exec.run(action.command.run, {
        shell: action.command.shell,
        cwd: ctx.loaded.dir,
        timeoutMs: Math.min(
          Math.max(1000, deadline - ctx.clock.now()),
          durationMs(action.command.timeout, budget)
        ),
        env: {
          PHASE_GATE_NAMESPACE: namespace,
          PHASE_GATE_RUN_ID: ctx.runId,
          PHASE_GATE_PHASE: phase.name
        }
      })
      const ok = r.exitCode === 0 && !r.timedOut
      results.push(
        checkResult('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
          verdict: ok ? 'pass' : 'fail',
          message: ok
            ? `rollback command succeeded in ${formatDuration(r.durationMs)}`
            : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
          evidence: (r.stderr || r.stdout).slice(-2000),
          location
        })
      )
      continue
    }
    // `undo` on a Helm phase means the release's own undo.
    const t0 = ctx.clock.now()
    const revisionBefore = rec.helm?.revisionBefore
    let ok: boolean
    let message: string
    let evidence: string | undefined
    let data: Record<string, unknown> = {}
    try {
      if (revisionBefore !== undefined) {
        const r = await rollbackRelease(helm, cluster, spec.release, {
          to: revisionBefore,
          deadline,
          clock: ctx.clock
        })
        ok = r.ok
        message = r.message
        evidence = r.evidence
        data = r.data
      } else {
        // A first install has no earlier revision: the release goes away (what it created with it).
        const manifest = await helm.manifest(spec.release).catch(() => '')
        const refs = manifest ? refsOf(await manifestObjects(cluster, manifest, namespace)) : []
        await helm.uninstall(spec.release, Math.max(1000, deadline - ctx.clock.now()))
        const gone = refs.length
          ? await waitForGone(cluster, refs, {
              timeoutMs: Math.max(0, deadline - ctx.clock.now()),
              clock: ctx.clock
            })
          : undefined
        ok = !gone || gone.result === 'done'
        message = ok
          ? `release ${spec.release} uninstalled (it had no earlier revision); ${refs.length} objects gone`
          : `release ${spec.release} uninstalled, but ${gone?.message}`
        data = { uninstalled: true, objects: refs.length }
      }
    } catch (err) {
      ok = false
      message = errorMessage(err)
    }
    const took = ctx.clock.now() - t0
    results.push(
      checkResult('rollback', `${phase.name}: helm`, {
        verdict: ok ? 'pass' : 'fail',
        message: ok
          ? `rolled back in ${formatDuration(took)} (budget ${formatDuration(budget)}): ${message}`
          : `rollback incomplete: ${message}`,
        evidence,
        data: { ...data, durationMs: took, budgetMs: budget },
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
