/**
 * A phase's migration step is either a command (argv, run from the plan's
 * directory) or a Job manifest (applied, waited for, its logs kept, then
 * removed). These helpers keep the two forms apart for everyone who reads
 * them: the phase gate, the code level's freeze, lint, runbook and plan.
 */

import type { ManifestSource, MigrationRun, PhaseMigration } from './types.js'

/** True when the step is a Job manifest rather than a command. */
export function isJobRun(run: MigrationRun | undefined): run is { job: ManifestSource } {
  return run !== undefined && !Array.isArray(run) && typeof run === 'object' && 'job' in run
}

/** True when the migration has a down step (command or Job). */
export function hasDown(m: PhaseMigration | undefined): boolean {
  const down = m?.down
  return isJobRun(down) || (Array.isArray(down) && down.length > 0)
}

/** The step as it runs: the argv joined, `sh -c "…"` with `shell`, or the Job manifest it applies. */
export function describeMigrationRun(m: PhaseMigration, step: 'up' | 'down'): string {
  const run = step === 'up' ? m.up : m.down
  if (run === undefined) return ''
  if (isJobRun(run))
    return run.job.file ? `Job from ${run.job.file}` : 'Job from the inline manifest'
  const joined = run.join(' ')
  return m.shell ? `sh -c ${JSON.stringify(joined)}` : joined
}
