/**
 * `migration: {up, down}`: proves a migration is reversible against the
 * database its commands reach, the way a team
 * tests `alembic downgrade -1` before merging: run up, down, then up again;
 * all three must succeed: a migration is ready when its forward and backward
 * runs both succeed. It stops at the first failing
 * step and reports each step's exit code and the tail of its stderr. It
 * refuses to run against a target marked `production: true` unless the check
 * says `allowOnProduction: true`.
 */

import { durationMs, formatDuration } from '../core/duration.js'
import { checkResult } from './result.js'
import { tail } from './command.js'
import { code, argvLine } from '../report/shell.js'
import type { ValidationCheck } from './validation-kind.js'

/** The three runs, in order. */
export const MIGRATION_STEPS = ['up', 'down', 'up again'] as const
export type MigrationStep = (typeof MIGRATION_STEPS)[number]

/** What one run of a step did. */
export interface StepOutcome {
  step: MigrationStep
  command: string
  exitCode: number
  durationMs: number
  timedOut: boolean
  spawnError?: string
  /** The last lines of stderr (stdout when stderr was empty). */
  stderrTail: string
}

const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000

// What a failure at each step means for the deployment, and what to do about it.
const MEANING: Record<MigrationStep, { what: string; fix: string }> = {
  up: {
    what: 'the forward migration does not run',
    fix: 'fix the up migration (nothing else was tried)'
  },
  down: {
    what: 'the migration is not reversible: after it, old code cannot be brought back with its schema',
    fix: 'write or fix the down migration so it reverses up; until then a code rollback after this migration must be refused (the test database is left migrated up)'
  },
  'up again': {
    what: 'down does not leave a schema that up can start from again',
    fix: 'make down undo everything up does (tables, indexes, data, the version table), so up runs again cleanly'
  }
}

const ok = (s: StepOutcome): boolean => s.exitCode === 0 && !s.timedOut && !s.spawnError

export const migrationCheck: ValidationCheck<'migration'> = {
  key: 'migration',
  target: s => s.up.join(' ').slice(0, 80),
  async run(spec, ctx, location) {
    const target = spec.up.join(' ').slice(0, 80)
    // up → down → up changes whatever database the commands reach: never production by accident.
    if (ctx.loaded.plan.target.production === true && spec.allowOnProduction !== true)
      return checkResult('migration', target, {
        verdict: 'fail',
        message: `refused: the target is marked production: true, and this check runs up, down and up again against the database the commands reach`,
        adjustment:
          'prove reversibility against a staging target (its own plan or --namespace/--context), or set allowOnProduction: true on this check to run it here anyway',
        data: { refused: true },
        location
      })
    const stepTimeout = durationMs(spec.timeout, DEFAULT_STEP_TIMEOUT_MS)
    const steps: StepOutcome[] = []
    for (const step of MIGRATION_STEPS) {
      const argv = step === 'down' ? spec.down : spec.up
      const left = ctx.deadline ? Math.max(1000, ctx.deadline - ctx.clock.now()) : stepTimeout
      const r = await ctx.exec.run(argv, {
        shell: spec.shell,
        cwd: spec.cwd ? `${ctx.loaded.dir}/${spec.cwd}` : ctx.loaded.dir,
        env: {
          ...spec.env,
          PHASE_GATE_NAMESPACE: ctx.namespace,
          PHASE_GATE_RUN_ID: ctx.runId,
          PHASE_GATE_MIGRATION_STEP: step === 'down' ? 'down' : 'up'
        },
        timeoutMs: Math.min(stepTimeout, left),
        signal: ctx.signal
      })
      const outcome: StepOutcome = {
        step,
        command: argv.join(' '),
        exitCode: r.exitCode,
        durationMs: r.durationMs,
        timedOut: r.timedOut,
        spawnError: r.spawnError,
        stderrTail: tail(r.stderr || r.stdout, 10)
      }
      steps.push(outcome)
      if (!ok(outcome) || ctx.signal.aborted) break
    }
    const failed = steps.find(s => !ok(s))
    const total = steps.reduce((n, s) => n + s.durationMs, 0)
    const how = (s: StepOutcome): string =>
      s.spawnError
        ? `could not start: ${s.spawnError}`
        : s.timedOut
          ? `timed out after ${formatDuration(s.durationMs)}`
          : `exit ${s.exitCode}`
    const evidence = steps
      .map(s =>
        [
          `${ok(s) ? 'ok  ' : 'FAIL'} ${s.step}: ${how(s)} in ${formatDuration(s.durationMs)} (${s.command})`,
          s.stderrTail && indent(s.stderrTail)
        ]
          .filter(Boolean)
          .join('\n')
      )
      .join('\n')
    const cancelled = ctx.signal.aborted && steps.length < MIGRATION_STEPS.length
    return checkResult('migration', target, {
      verdict: cancelled ? 'cancelled' : failed ? 'fail' : 'pass',
      message: failed
        ? `migration ${failed.step} failed (${how(failed)})${
            failed.step === 'up'
              ? ''
              : ` after ${steps
                  .filter(ok)
                  .map(s => s.step)
                  .join(', ')} succeeded`
          }: ${MEANING[failed.step].what}`
        : cancelled
          ? `cancelled after ${steps.map(s => s.step).join(', ')}`
          : `up, down and up again succeeded in ${formatDuration(total)}: the migration is reversible`,
      evidence,
      adjustment: failed ? MEANING[failed.step].fix : undefined,
      data: { steps, reversible: !failed && !cancelled },
      location
    })
  },
  describe: {
    plan: m => `migration: up ${argvLine(m.up)}, down ${argvLine(m.down)} (both directions proven)`,
    runbook: m =>
      `the migration runs forward (${code(m.up.join(' '))}) and back (${code(m.down.join(' '))})`
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map(l => `     ${l}`)
    .join('\n')
}
