/**
 * A phase's own migration (`phases[].migration`): `up` runs before the phase
 * applies anything, `down` after the undo when the phase is rolled back.
 * Each run becomes a `migration` check whose evidence is the command's
 * output, so the report and the runbook show exactly what ran.
 */

import { checkResult } from '../checks/result.js'
import { tail } from '../checks/command.js'
import { durationMs, formatDuration } from '../core/duration.js'
import type { PhaseMigration, PhaseSpec } from '../plan/types.js'
import type { CheckResult } from '../report/model.js'
import type { MigrationStepRecord } from '../kube/state-record.js'
import type { GateContext } from './types.js'

/** Default bound on one migration command. */
export const DEFAULT_MIGRATION_TIMEOUT_MS = 5 * 60_000

/** The command as it is executed: `sh -c '<joined>'` with `shell`, else the argv. */
export function migrationCommand(m: PhaseMigration, step: 'up' | 'down'): string {
  const argv = (step === 'up' ? m.up : m.down) ?? []
  const joined = argv.join(' ')
  return m.shell ? `sh -c ${JSON.stringify(joined)}` : joined
}

export type { MigrationStepRecord }

/** Runs one step of a phase's migration within `deadline` and returns it as a check. */
export async function runPhaseMigration(
  ctx: GateContext,
  phase: PhaseSpec & { migration: PhaseMigration },
  index: number,
  step: 'up' | 'down',
  deadline: number
): Promise<{ check: CheckResult; record: MigrationStepRecord; ok: boolean }> {
  const m = phase.migration
  const argv = (step === 'up' ? m.up : m.down) ?? []
  const command = migrationCommand(m, step)
  const left = Math.max(1000, deadline - ctx.clock.now())
  const timeoutMs = Math.min(durationMs(m.timeout, DEFAULT_MIGRATION_TIMEOUT_MS), left)
  ctx.progress({ gate: 'phase', activity: `${phase.name}: migration ${step}: ${command}` })
  const r = await ctx.exec.run(argv, {
    shell: m.shell,
    cwd: ctx.loaded.dir,
    timeoutMs,
    // A rollback's down must run even when the run was cancelled: it is part of undoing.
    signal: step === 'up' ? ctx.signal : undefined,
    env: {
      ...m.env,
      PHASE_GATE_NAMESPACE: ctx.namespace,
      PHASE_GATE_RUN_ID: ctx.runId,
      PHASE_GATE_PHASE: phase.name,
      PHASE_GATE_MIGRATION_STEP: step
    }
  })
  const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError
  const how = r.spawnError
    ? `could not start: ${r.spawnError}`
    : r.timedOut
      ? `timed out after ${formatDuration(r.durationMs)}`
      : `exit ${r.exitCode}`
  const output = [r.stdout && tail(r.stdout, 20), r.stderr && tail(r.stderr, 20)]
    .filter(Boolean)
    .join('\n')
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
    evidence: `$ ${command}\n${output || '(no output)'}`,
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
