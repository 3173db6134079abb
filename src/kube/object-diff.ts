/**
 * What applying objects would change: each object's live state against the
 * server's answer to a server-side dry-run apply (the truth, defaults and
 * admission included, never the file), both stripped of the metadata the
 * server keeps for itself and of phase-gate's run label, as YAML lines and a
 * unified diff. Secret values never leave: `data`/`stringData` are replaced
 * by markers on both sides before anything is compared as text or rendered.
 */

import { stringify } from 'yaml'
import { errorMessage } from '../core/errors.js'
import { unifiedDiff } from '../report/line-diff.js'
import { LABEL_RUN } from './labels.js'
import { registerSecretValues } from './secret-values.js'
import { KubeApiError, describeRef, refOf, type Cluster, type KubeObject } from './types.js'

/** One object's change. */
export interface ObjectChange {
  /** `Deployment web` or `Deployment other/web`. */
  object: string
  kind: string
  name: string
  namespace?: string
  status: 'new' | 'changed' | 'unchanged' | 'unknown'
  /** Unified diff hunks (live → dry-run result), Secret values redacted. */
  diff?: string[]
  /** Why there is no diff (`unknown`): the dry-run's refusal or a dependency on an earlier phase. */
  reason?: string
}

/** Markers that stand for a Secret value in a diff. */
export const SECRET_MARK = {
  unchanged: '(unchanged)',
  changed: '(changed)',
  previous: '(previous value)',
  added: '(added)',
  set: '(set)'
} as const

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** An object without what the server keeps for itself (and phase-gate's per-run label): what a diff compares. */
export function stripNoise(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj) as KubeObject & { status?: unknown }
  delete copy.status
  const meta = copy.metadata as unknown as Record<string, unknown>
  for (const k of [
    'managedFields',
    'resourceVersion',
    'generation',
    'uid',
    'creationTimestamp',
    'selfLink'
  ])
    delete meta[k]
  const annotations = meta.annotations as Record<string, string> | undefined
  // Holds the whole last applied object, a Secret's values included.
  if (annotations) delete annotations[LAST_APPLIED]
  if (annotations && Object.keys(annotations).length === 0) delete meta.annotations
  const labels = meta.labels as Record<string, string> | undefined
  if (labels) delete labels[LABEL_RUN]
  if (labels && Object.keys(labels).length === 0) delete meta.labels
  return copy
}

function secretValues(obj: KubeObject | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (!obj) return out
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64').toString('utf8'))
  for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out.set(k, v)
  return out
}

/**
 * Both sides of a Secret with every value replaced by a marker: a key whose value
 * differs reads `(previous value)` live and `(changed)` after, so the diff names the
 * key and never a value. Other kinds pass through.
 */
export function redactSecretPair(
  live: KubeObject | undefined,
  next: KubeObject
): { live: KubeObject | undefined; next: KubeObject } {
  if (next.kind !== 'Secret' && live?.kind !== 'Secret') return { live, next }
  const before = secretValues(live)
  const after = secretValues(next)
  const mark = (obj: KubeObject, values: Map<string, string>, side: 'live' | 'next') => {
    const copy = { ...obj } as KubeObject & { data?: unknown; stringData?: unknown }
    delete copy.stringData
    delete copy.data
    if (values.size === 0) return copy as KubeObject
    const data: Record<string, string> = {}
    for (const [k, v] of values) {
      const other = side === 'live' ? after.get(k) : before.get(k)
      if (other === v) data[k] = SECRET_MARK.unchanged
      else if (side === 'live') data[k] = SECRET_MARK.previous
      else if (!live) data[k] = SECRET_MARK.set
      else data[k] = other === undefined ? SECRET_MARK.added : SECRET_MARK.changed
    }
    copy.data = data
    return copy as KubeObject
  }
  return { live: live && mark(live, before, 'live'), next: mark(next, after, 'next') }
}

/** YAML lines of an object for diffing: keys sorted so field order never shows as a change. */
export function diffText(obj: KubeObject): string[] {
  return stringify(obj, { sortMapEntries: true, lineWidth: 0 }).trimEnd().split('\n')
}

/**
 * Compares one prepared object's live state with the server's dry-run apply of
 * it; `force` as the phase would apply (its `forceConflicts`).
 */
export async function changeOf(
  cluster: Cluster,
  obj: KubeObject,
  { force = false }: { force?: boolean } = {}
): Promise<ObjectChange> {
  registerSecretValues(obj)
  const ref = refOf(obj)
  const base = {
    object: describeRef(obj),
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace
  }
  let live: KubeObject | undefined
  try {
    live = await cluster.get(ref)
  } catch (err) {
    // A kind not served yet (its CRD comes with the plan) cannot exist yet.
    if (!(err instanceof KubeApiError && err.reason === 'NotServed')) throw err
  }
  registerSecretValues(live)
  let dry: KubeObject
  try {
    dry = await cluster.apply(obj, { dryRun: true, force })
  } catch (err) {
    if (err instanceof KubeApiError && (err.status === 404 || err.reason === 'NotServed'))
      return {
        ...base,
        status: live ? 'unknown' : 'new',
        reason: `not dry-run: ${errorMessage(err)} (it depends on something an earlier phase creates)`
      }
    if (err instanceof KubeApiError && !err.transport && err.status >= 400 && err.status < 500)
      return { ...base, status: 'unknown', reason: `the server refuses it: ${errorMessage(err)}` }
    throw err
  }
  registerSecretValues(dry)
  const pair = redactSecretPair(live && stripNoise(live), stripNoise(dry))
  // A new object is listed, not printed: the approver reads its manifest in the pull request.
  if (!pair.live) return { ...base, status: 'new' }
  const diff = unifiedDiff(diffText(pair.live), diffText(pair.next))
  return diff.length ? { ...base, status: 'changed', diff } : { ...base, status: 'unchanged' }
}

/** The changes of a set of prepared objects, in their order. */
export async function changesOf(
  cluster: Cluster,
  objects: KubeObject[],
  options: { force?: boolean } = {}
): Promise<ObjectChange[]> {
  const out: ObjectChange[] = []
  for (const o of objects) out.push(await changeOf(cluster, o, options))
  return out
}
