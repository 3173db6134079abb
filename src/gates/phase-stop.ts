/**
 * `onFailure: stop`: a failed phase keeps its objects for a person to choose.
 * What that person needs is exactly the commands that roll it back: the
 * phase-gate command (undo of this phase and every later applied one,
 * verified, PVCs kept) and the same steps by hand with kubectl.
 */

import type { AppliedObject } from '../kube/apply.js'
import { undoOrder } from '../kube/undo.js'
import type { PhaseSpec } from '../plan/types.js'
import { migrationCommand, type MigrationStepRecord } from './phase-migration.js'
import { describeMigrationRun, hasDown, isJobRun } from '../plan/migration.js'

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])

/** Quotes an argument for a POSIX shell when it needs it. */
function sh(arg: string): string {
  return /^[-A-Za-z0-9_./:=@,]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** `kind.group/name`, the resource form kubectl accepts for any kind. */
function resource(a: AppliedObject): string {
  const slash = a.ref.apiVersion.indexOf('/')
  const group = slash > 0 ? a.ref.apiVersion.slice(0, slash) : ''
  return `${a.ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${a.ref.name}`
}

/** The phase-gate command that rolls back `phase` (and every later applied phase) of run `runId`. */
export function phaseRollbackCommand(planFile: string, phase: string, runId: string): string {
  return `phase-gate check ${sh(planFile)} --gate rollback --phase ${sh(phase)} --run-id ${sh(runId)}`
}

/** The same rollback by hand: kubectl per object in reverse install order, then the migration's down. */
export function byHandCommands(opts: {
  objects: AppliedObject[]
  namespace: string
  context?: string
  stateSecret: string
  phase: PhaseSpec
  migration?: MigrationStepRecord[]
  planDir: string
}): string[] {
  const ctx = opts.context ? ` --context ${sh(opts.context)}` : ''
  const out: string[] = []
  const recordKey = `phase.${opts.phase.name}.json`
  for (const a of undoOrder(opts.objects)) {
    const ns = ` -n ${sh(a.ref.namespace ?? opts.namespace)}`
    if (a.created && a.kept)
      out.push(
        `# keep ${a.ref.kind} ${a.ref.name}: undo keeps PersistentVolumeClaims and kept objects`
      )
    else if (a.created) out.push(`kubectl${ctx}${ns} delete ${resource(a)} --wait`)
    else if (WORKLOADS.has(a.ref.kind))
      out.push(
        `kubectl${ctx}${ns} rollout undo ${resource(a)} && kubectl${ctx}${ns} rollout status ${resource(a)}`
      )
    else
      out.push(
        `# restore ${a.ref.kind} ${a.ref.name} to its recorded state (objects[].before of ${recordKey}): kubectl${ctx} -n ${sh(opts.namespace)} get secret ${sh(opts.stateSecret)} -o jsonpath='{.data.${recordKey.replace(/\./g, '\\.')}}' | base64 -d`
      )
  }
  const upRan = opts.migration?.some(m => m.step === 'up' && m.exitCode === 0 && !m.timedOut)
  const m = opts.phase.migration
  if (upRan && m) {
    if (isJobRun(m.down))
      out.push(
        `# run the migration's down Job (${describeMigrationRun(m, 'down')}) with kubectl${ctx} -n ${sh(opts.namespace)} create -f, and wait for it to complete`
      )
    else if (hasDown(m)) out.push(`(cd ${sh(opts.planDir)} && ${migrationCommand(m, 'down')})`)
    else out.push(`# the migration has no down step: the schema stays migrated`)
  }
  return out
}
