/**
 * Undo of a phase: delete what it created (except PVCs and objects marked
 * keep), restore what existed before to its recorded state, then verify both.
 * With `dryRun` it is the rollback test: the same requests as a server-side
 * dry run, reporting what would be deleted, restored and kept.
 */

import { errorMessage } from '../core/errors.js'
import type { Clock } from '../core/clock.js'
import { installOrder, key, type AppliedObject } from './apply.js'
import { waitForGone, waitForObjects } from './wait.js'
import { KubeApiError, describeRef, type Cluster, type KubeObject } from './types.js'

export interface UndoStep {
  action: 'delete' | 'restore' | 'keep'
  ref: AppliedObject['ref']
  ok: boolean
  message: string
}

export interface UndoOutcome {
  ok: boolean
  steps: UndoStep[]
  /** Verification of the end state (gone / back to recorded spec and Current). */
  verified: boolean
  verifyMessage: string
  durationMs: number
}

/** True when the live object's spec-like content equals the recorded one (workload templates included). */
export function matchesRecorded(live: KubeObject, before: KubeObject): boolean {
  const pick = (o: KubeObject): unknown => {
    const x = o as Record<string, unknown>
    return {
      spec: x.spec,
      data: x.data,
      binaryData: x.binaryData,
      stringData: x.stringData,
      rules: x.rules,
      subjects: x.subjects,
      roleRef: x.roleRef
    }
  }
  return JSON.stringify(normalise(pick(live))) === JSON.stringify(normalise(pick(before)))
}

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const val = (v as Record<string, unknown>)[k]
      if (val !== undefined && val !== null) out[k] = normalise(val)
    }
    return out
  }
  return v
}

/** Applied objects in the order they are undone: the reverse of the order they are installed in. */
export function undoOrder(applied: AppliedObject[]): AppliedObject[] {
  return installOrder(
    applied.map(a => ({
      object: {
        apiVersion: a.ref.apiVersion,
        kind: a.ref.kind,
        metadata: { name: a.ref.name }
      } as KubeObject,
      a
    }))
  )
    .reverse()
    .map(({ a }) => a)
}

/** Undoes applied objects in reverse install order, then verifies. */
export async function undoApplied(
  cluster: Cluster,
  applied: AppliedObject[],
  opts: { dryRun?: boolean; timeoutMs: number; clock: Clock; signal?: AbortSignal }
): Promise<UndoOutcome> {
  const started = opts.clock.now()
  const steps: UndoStep[] = []
  for (const a of undoOrder(applied)) {
    if (a.created && a.kept) {
      steps.push({
        action: 'keep',
        ref: a.ref,
        ok: true,
        message: `${describeRef(a.ref)} kept (holds data or is marked keep)`
      })
      continue
    }
    try {
      if (a.created) {
        await cluster.delete(a.ref, { dryRun: opts.dryRun, propagationPolicy: 'Foreground' })
        steps.push({
          action: 'delete',
          ref: a.ref,
          ok: true,
          message: `${opts.dryRun ? 'would delete' : 'deleted'} ${describeRef(a.ref)}`
        })
      } else if (a.before) {
        await restoreObject(cluster, a.before, opts.dryRun)
        steps.push({
          action: 'restore',
          ref: a.ref,
          ok: true,
          message: `${opts.dryRun ? 'would restore' : 'restored'} ${describeRef(a.ref)} to its recorded state`
        })
      }
    } catch (err) {
      steps.push({
        action: a.created ? 'delete' : 'restore',
        ref: a.ref,
        ok: false,
        message: `${describeRef(a.ref)}: ${errorMessage(err)}`
      })
    }
  }
  if (opts.dryRun) {
    const ok = steps.every(s => s.ok)
    return {
      ok,
      steps,
      verified: ok,
      verifyMessage: ok
        ? 'the server accepted every undo request as a dry run'
        : 'the server refused part of the undo',
      durationMs: opts.clock.now() - started
    }
  }
  const left = Math.max(1000, opts.timeoutMs - (opts.clock.now() - started))
  const deleted = steps.filter(s => s.action === 'delete' && s.ok).map(s => s.ref)
  const restored = applied.filter(
    a =>
      !a.created &&
      a.before &&
      steps.some(s => s.action === 'restore' && s.ok && key(s.ref) === key(a.ref))
  )
  const [gone, current] = await Promise.all([
    deleted.length
      ? waitForGone(cluster, deleted, { timeoutMs: left, clock: opts.clock, signal: opts.signal })
      : undefined,
    restored.length
      ? waitForObjects(
          cluster,
          restored.map(a => a.ref),
          { timeoutMs: left, clock: opts.clock, signal: opts.signal }
        )
      : undefined
  ])
  const problems: string[] = []
  if (gone && gone.result !== 'done') problems.push(`not gone: ${gone.message}`)
  if (current && current.result !== 'done') problems.push(`not back to ready: ${current.message}`)
  for (const a of restored) {
    const live = await cluster.get(a.ref)
    if (!live || !a.before || !matchesRecorded(live, a.before))
      problems.push(`${describeRef(a.ref)} differs from its recorded state`)
  }
  const verified = problems.length === 0
  return {
    ok: steps.every(s => s.ok) && verified,
    steps,
    verified,
    verifyMessage: verified
      ? `verified: ${deleted.length} deleted and gone, ${restored.length} restored and ready`
      : problems.join('; '),
    durationMs: opts.clock.now() - started
  }
}

/**
 * Puts an object back to a recorded state: a full replace on the live
 * resourceVersion, or a create when it is gone. A conflict (the object
 * changed, or was created again, between the read and the write) is retried
 * on a fresh read, five times at most.
 */
export async function restoreObject(
  cluster: Cluster,
  before: KubeObject,
  dryRun?: boolean
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const live = await cluster.get({
      apiVersion: before.apiVersion,
      kind: before.kind,
      name: before.metadata.name,
      namespace: before.metadata.namespace
    })
    try {
      if (!live) await cluster.create(before, { dryRun })
      else
        await cluster.replace(
          {
            ...before,
            metadata: { ...before.metadata, resourceVersion: live.metadata.resourceVersion }
          },
          { dryRun }
        )
      return
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 409) || attempt >= 5) throw err
    }
  }
}
