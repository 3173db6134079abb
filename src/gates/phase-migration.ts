/**
 * A phase's own migration (`phases[].migration`): `up` runs before the phase
 * applies anything, `down` after the undo when the phase is rolled back.
 * Each run becomes a `migration` check whose evidence is the command's
 * output, so the report and the runbook show exactly what ran.
 */

import { checkResult } from '../checks/result.js'
import { tail } from '../checks/command.js'
import { durationMs, formatDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import { applyOnceAccountExists, prepareObjects } from '../kube/apply.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { describeRef, refOf, type KubeObject } from '../kube/types.js'
import { waitForGone, waitForObjects, type WaitDecision } from '../kube/wait.js'
import { expandManifestPaths, loadManifestFiles, parseManifests } from '../plan/manifests.js'
import { describeMigrationRun, isJobRun } from '../plan/migration.js'
import type { ManifestSource, PhaseMigration, PhaseSpec } from '../plan/types.js'
import type { CheckResult } from '../report/model.js'
import type { MigrationStepRecord } from '../lifecycle/record.js'
import type { GateContext } from './types.js'

/** Default bound on one migration step. */
export const DEFAULT_MIGRATION_TIMEOUT_MS = 5 * 60_000

/** The step as it is executed: `sh -c '<joined>'` with `shell`, the argv joined, or the Job it applies. */
export function migrationCommand(m: PhaseMigration, step: 'up' | 'down'): string {
  return describeMigrationRun(m, step)
}

export type { MigrationStepRecord }

/** What one step did, command or Job, in the same shape. */
interface StepRun {
  exitCode: number
  timedOut: boolean
  spawnError?: string
  durationMs: number
  output: string
}

/** Runs one step of a phase's migration within `deadline` and returns it as a check. */
export async function runPhaseMigration(
  ctx: GateContext,
  phase: PhaseSpec & { migration: PhaseMigration },
  index: number,
  step: 'up' | 'down',
  deadline: number
): Promise<{ check: CheckResult; record: MigrationStepRecord; ok: boolean }> {
  const m = phase.migration
  const run = (step === 'up' ? m.up : m.down) ?? []
  const command = migrationCommand(m, step)
  const left = Math.max(1000, deadline - ctx.clock.now())
  const timeoutMs = Math.min(durationMs(m.timeout, DEFAULT_MIGRATION_TIMEOUT_MS), left)
  ctx.progress({ gate: 'phase', activity: `${phase.name}: migration ${step}: ${command}` })
  // A rollback's down must run even when the run was cancelled: it is part of undoing.
  const signal = step === 'up' ? ctx.signal : undefined
  let r: StepRun
  if (isJobRun(run)) {
    try {
      r = await runJob(ctx, phase, index, step, run.job, timeoutMs, signal)
    } catch (err) {
      if (err instanceof UsageError) throw err
      r = {
        exitCode: -1,
        timedOut: false,
        durationMs: 0,
        output: '',
        spawnError: errorMessage(err)
      }
    }
  } else {
    const x = await ctx.exec.run(run, {
      shell: m.shell,
      cwd: ctx.loaded.dir,
      timeoutMs,
      signal,
      env: {
        ...m.env,
        PHASE_GATE_NAMESPACE: ctx.namespace,
        PHASE_GATE_RUN_ID: ctx.runId,
        PHASE_GATE_PHASE: phase.name,
        PHASE_GATE_MIGRATION_STEP: step
      }
    })
    r = {
      exitCode: x.exitCode,
      timedOut: x.timedOut,
      spawnError: x.spawnError,
      durationMs: x.durationMs,
      output: [x.stdout && tail(x.stdout, 20), x.stderr && tail(x.stderr, 20)]
        .filter(Boolean)
        .join('\n')
    }
  }
  const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError
  const how = r.spawnError
    ? `could not start: ${r.spawnError}`
    : r.timedOut
      ? `timed out after ${formatDuration(r.durationMs)}`
      : isJobRun(run)
        ? 'the Job failed'
        : `exit ${r.exitCode}`
  const output = r.output
  const record: MigrationStepRecord = {
    step,
    command,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    durationMs: r.durationMs,
    at: new Date(ctx.clock.now()).toISOString()
  }
  const check = checkResult('migration', `${phase.name}: ${step}`, {
    verdict: ok ? 'pass' : 'fail',
    message: ok
      ? `migration ${step} ran in ${formatDuration(r.durationMs)}: ${command}`
      : step === 'up'
        ? `migration up failed (${how}): ${command}; nothing of phase ${phase.name} was applied`
        : `migration down failed (${how}): ${command}; the schema stays migrated, so code rollback is refused`,
    evidence: `${isJobRun(run) ? '' : '$ '}${command}\n${output || '(no output)'}`,
    adjustment: ok
      ? undefined
      : step === 'up'
        ? 'fix the up migration (its output is above) and run the phase again'
        : 'run the down migration by hand once fixed, or roll the migration forward; the flag and config rollback levels stay available',
    // `steps`/`reversible` in the shape the migration check uses, so the code level's freeze reads both.
    data: {
      step,
      command,
      phase: phase.name,
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      ...(step === 'down'
        ? {
            steps: [{ step: 'down', exitCode: r.exitCode, timedOut: r.timedOut }],
            reversible: ok
          }
        : {})
    },
    location: ctx.loaded.locate(['phases', index, 'migration', step]),
    durationMs: r.durationMs
  })
  return { check, record, ok }
}

/**
 * A Job manifest as a migration step: any finished Job of the same name is
 * removed first (a Job runs once; applying it again would not run it), then
 * it is created with the run's labels, waited for until it completes (a
 * failing pod ends the wait at once), its evidence (events, container
 * states, last log lines) kept as the output, and removed with its pods.
 */
async function runJob(
  ctx: GateContext,
  phase: PhaseSpec,
  index: number,
  step: 'up' | 'down',
  source: ManifestSource,
  timeoutMs: number,
  signal: AbortSignal | undefined
): Promise<StepRun> {
  const started = ctx.clock.now()
  const field = `phases[${index}].migration.${step}.job`
  let raw: KubeObject[]
  if (source.inline !== undefined) {
    const loc = ctx.loaded.locate(['phases', index, 'migration', step, 'job', 'inline'])
    raw = parseManifests(
      source.inline,
      `${ctx.loaded.displayFile}:${loc.line} (${field}.inline)`
    ).map(x => x.object)
  } else if (source.file) {
    const files = await expandManifestPaths(ctx.loaded, [source.file], `${field}.file`)
    raw = (await loadManifestFiles(ctx.loaded, files, ctx.settings.workspace)).map(x => x.object)
  } else throw new UsageError(`${field}: needs file or inline`)
  if (raw.length !== 1 || raw[0].kind !== 'Job')
    throw new UsageError(
      `${field}: expected exactly one Job, found ${raw.map(o => o.kind).join(', ') || 'nothing'}`
    )
  const cluster = await ctx.cluster()
  const [job] = await prepareObjects(cluster, raw, ctx.namespace, {
    plan: ctx.loaded.plan.name,
    run: ctx.runId,
    role: 'phase',
    unit: phase.name
  })
  const ref = refOf(job)
  const gone = async (): Promise<void> => {
    await cluster.delete(ref, { propagationPolicy: 'Background' })
    await waitForGone(cluster, [ref], { timeoutMs: 60_000, clock: ctx.clock })
  }
  await gone()
  await applyOnceAccountExists(cluster, job, { signal })
  // kstatus calls a running Job Current; a migration is done only when its Job completed.
  const outcome = await waitForObjects(cluster, [ref], {
    timeoutMs,
    signal,
    clock: ctx.clock,
    failFast: true,
    until: jobFinished
  })
  const evidence = await collectEvidence(cluster, ref).then(
    formatEvidence,
    err => `evidence unavailable: ${errorMessage(err)}`
  )
  await gone().catch(err =>
    ctx.log.warn(`could not remove the migration Job ${describeRef(ref)}: ${errorMessage(err)}`)
  )
  return {
    exitCode: outcome.result === 'done' ? 0 : 1,
    timedOut: outcome.result === 'timeout',
    durationMs: ctx.clock.now() - started,
    output: [
      outcome.result === 'done' ? `${describeRef(ref)} completed` : outcome.message,
      evidence
    ].join('\n')
  }
}

/** A Job is done when Complete, failed when Failed (its message), pending otherwise. */
function jobFinished(obj: KubeObject | undefined): WaitDecision {
  const status = (
    obj as
      | {
          status?: {
            conditions?: { type: string; status: string; reason?: string; message?: string }[]
          }
        }
      | undefined
  )?.status
  const conditions = status?.conditions ?? []
  if (conditions.some(c => c.type === 'Complete' && c.status === 'True')) return 'done'
  const failed = conditions.find(c => c.type === 'Failed' && c.status === 'True')
  if (failed) return { failed: failed.message ?? failed.reason ?? 'the Job failed' }
  return 'pending'
}
