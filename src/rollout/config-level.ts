/**
 * Rollback level `config`: put the named ConfigMaps and Secrets back to the
 * version recorded before the deployment changed them, then restart the
 * workloads that mount them and wait until they are ready again.
 *
 * The recorded version comes from the state record: the phase gate writes
 * the live objects it is about to change into the run's Secret before it
 * applies. The newest phase record (this run first, then the runs of the
 * index, newest first) that lists the object gives its `before`. An object
 * that phase created has no earlier version: that is reported, not guessed.
 * Secret values never reach the report; only key names do.
 */

import { formatDuration } from '../core/duration.js'
import type { KubeObject, ObjectRef } from '../kube/types.js'
import type { AppliedObject } from '../kube/apply.js'
import type { PhaseRecord, StateRecord } from '../lifecycle/record.js'
import type { RollbackLevelSpec } from '../plan/types.js'
import { matchesRecorded, restoreObject } from '../kube/undo.js'
import { waitForObjects } from '../kube/wait.js'
import type { Level, LevelOutcome, LevelRun } from './level.js'
import { consumersOf, describeWorkload, restartWorkloads } from './workloads.js'

/** Where an object's recorded version was found. */
export interface RecordedVersion {
  runId: string
  phase: string
  applied: AppliedObject
}

/** The newest recorded version of an object: this run first, then the index's runs newest first. */
export async function findRecordedVersion(
  record: StateRecord,
  ref: ObjectRef,
  runId: string,
  cache = new Map<string, PhaseRecord[]>()
): Promise<RecordedVersion | undefined> {
  const index = await record.readIndex()
  const runs = [runId, ...index.runs.map(r => r.runId).reverse()].filter(
    (r, i, all) => all.indexOf(r) === i
  )
  for (const run of runs) {
    let phases = cache.get(run)
    if (!phases) {
      phases = await record.readPhases(run)
      cache.set(run, phases)
    }
    const newestFirst = [...phases].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    for (const p of newestFirst) {
      const hit = p.objects.find(
        o =>
          o.ref.kind === ref.kind &&
          o.ref.name === ref.name &&
          (o.ref.namespace ?? ref.namespace) === ref.namespace
      )
      if (hit) return { runId: run, phase: p.phase, applied: hit }
    }
  }
  return undefined
}

function changedKeys(live: KubeObject | undefined, before: KubeObject): string[] {
  const flat = (o: KubeObject | undefined): Record<string, unknown> => ({
    ...((o?.data as Record<string, unknown> | undefined) ?? {}),
    ...((o?.binaryData as Record<string, unknown> | undefined) ?? {})
  })
  const a = flat(live)
  const b = flat(before)
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(k => a[k] !== b[k]).sort()
}

/** Runs the config level. */
export async function runConfigLevel(run: LevelRun): Promise<LevelOutcome> {
  const { ctx, cluster, spec, record, deadline } = run
  const ns = ctx.namespace
  const wanted: ObjectRef[] = [
    ...(spec.configMaps ?? []).map(name => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name,
      namespace: ns
    })),
    ...(spec.secrets ?? []).map(name => ({ apiVersion: 'v1', kind: 'Secret', name, namespace: ns }))
  ]
  const cache = new Map<string, PhaseRecord[]>()
  const found: { ref: ObjectRef; version: RecordedVersion; before: KubeObject }[] = []
  const problems: string[] = []
  for (const ref of wanted) {
    const version = await findRecordedVersion(record, ref, ctx.runId, cache)
    if (!version)
      problems.push(
        `no recorded version of ${ref.kind} ${ref.name} in the state record (only objects a phase applied are recorded)`
      )
    else if (version.applied.created || !version.applied.before)
      problems.push(
        `${ref.kind} ${ref.name} did not exist before phase ${version.phase} of run ${version.runId}: there is no earlier version to restore`
      )
    else found.push({ ref, version, before: version.applied.before })
  }
  if (problems.length)
    return {
      ok: false,
      message: problems.join('; '),
      adjustment:
        'apply the ConfigMaps and Secrets through a phase (which records their previous version), or restore them by hand',
      data: { missing: problems }
    }

  const lines: string[] = []
  for (const f of found) {
    const live = await cluster.get(f.ref)
    const keys = changedKeys(live, f.before)
    await restoreObject(cluster, f.before, ctx.settings.dryRun)
    lines.push(
      `${ctx.settings.dryRun ? 'would restore' : 'restored'} ${f.ref.kind} ${f.ref.name} to its version before phase ${f.version.phase} of run ${f.version.runId}${keys.length ? ` (keys changed: ${keys.join(', ')})` : ' (it already matched)'}`
    )
  }
  const restoredWords = found.map(f => `${f.ref.kind} ${f.ref.name}`).join(', ')
  if (ctx.settings.dryRun)
    return {
      ok: true,
      message: `dry run: the server accepts restoring ${restoredWords}`,
      evidence: lines.join('\n')
    }

  const mismatched: string[] = []
  for (const f of found) {
    const live = await cluster.get(f.ref)
    if (!live || !matchesRecorded(live, f.before)) mismatched.push(`${f.ref.kind} ${f.ref.name}`)
  }
  if (mismatched.length)
    return {
      ok: false,
      message: `${mismatched.join(', ')} differ${mismatched.length === 1 ? 's' : ''} from the recorded version after the restore`,
      evidence: lines.join('\n')
    }

  const consumers = await consumersOf(cluster, ns, {
    configMaps: spec.configMaps,
    secrets: spec.secrets
  })
  const refs = consumers.map(c => c.ref)
  let ready = ''
  if (refs.length) {
    await restartWorkloads(cluster, refs, new Date(ctx.clock.now()))
    const w = await waitForObjects(cluster, refs, {
      timeoutMs: Math.max(0, deadline - ctx.clock.now()),
      clock: ctx.clock,
      signal: ctx.signal,
      failFast: true
    })
    if (w.result !== 'done')
      return {
        ok: false,
        message: `restored ${restoredWords}, but the restarted workloads are not ready: ${w.message}`,
        evidence: lines.join('\n'),
        data: {
          restored: found.map(f => `${f.ref.kind}/${f.ref.name}`),
          restarted: refs.map(describeWorkload)
        }
      }
    ready = `; restarted ${refs.map(describeWorkload).join(', ')}, ready in ${formatDuration(w.durationMs)}`
    lines.push(
      `restarted ${refs.map(describeWorkload).join(', ')} (pod template annotation phase-gate.dev/restartedAt)`
    )
  } else
    lines.push(
      'no Deployment, StatefulSet or DaemonSet in the namespace mounts them: nothing to restart'
    )
  return {
    ok: true,
    message: `restored ${restoredWords} to their recorded versions, verified${ready}`,
    evidence: lines.join('\n'),
    data: {
      restored: found.map(f => ({
        object: `${f.ref.kind}/${f.ref.name}`,
        runId: f.version.runId,
        phase: f.version.phase
      })),
      restarted: refs.map(describeWorkload)
    }
  }
}

/** The config level: the recorded ConfigMaps and Secrets back, what reads them restarted. */
export const configLevel = {
  name: 'config',
  defaultBudgetMs: 5 * 60_000,
  schema: {
    configMaps: {
      title: 'ConfigMaps',
      description: 'config: ConfigMaps whose recorded versions are restored.',
      type: 'array',
      items: { type: 'string', minLength: 1 }
    },
    secrets: {
      title: 'Secrets',
      description: 'config: Secrets whose recorded versions are restored.',
      type: 'array',
      items: { type: 'string', minLength: 1 }
    }
  },
  lint: spec =>
    (spec.configMaps ?? []).length === 0 && (spec.secrets ?? []).length === 0
      ? 'level config needs configMaps or secrets to restore'
      : undefined,
  run: runConfigLevel,
  wording: {
    plan: l =>
      `restore ${restoredObjects(l).join(', ') || 'the recorded ConfigMaps and Secrets'} to their recorded versions, restart what mounts them`,
    runbook: l =>
      `restores ${restoredObjects(l).join(', ') || 'the recorded ConfigMaps and Secrets'} to the versions recorded before the release (the state record), then restarts the workloads that read them`
  },
  runbook(l, { kubectl: k, budgetMs, readers }) {
    const w = readers([
      ...(l.configMaps ?? []).map(c => `ConfigMap/${c}`),
      ...(l.secrets ?? []).map(s => `Secret/${s}`)
    ])
    if (!w.length) return {}
    return {
      byHand: {
        why: 'By hand, once the recorded versions are back (`phase-gate history` names the run), restart what reads them:',
        commands: [
          `${k} rollout restart ${w.join(' ')}`,
          ...w.map(x => `${k} rollout status ${x} --timeout=${Math.round(budgetMs / 1000)}s`)
        ]
      }
    }
  }
} satisfies Level<'config'>

function restoredObjects(l: RollbackLevelSpec): string[] {
  return [
    ...(l.configMaps ?? []).map(c => `ConfigMap ${c}`),
    ...(l.secrets ?? []).map(s => `Secret ${s}`)
  ]
}
