/**
 * Applying a set of objects: install order, namespace filled in, run labels
 * on metadata, server-side apply as field manager `phase-gate`, and the live
 * state before the apply recorded so an undo can restore it exactly.
 */

import { errorMessage } from '../core/errors.js'
import { isKept, withRunLabels, type RunLabels } from './labels.js'
import { registerSecretValues } from './secret-values.js'
import {
  KubeApiError,
  describeRef,
  refOf,
  type Cluster,
  type KubeObject,
  type ObjectRef
} from './types.js'
import { waitForObjects } from './wait.js'

// Helm's install order, which respects what depends on what (namespaces and
// CRDs before what lives in them, config before the workloads that mount it).
const INSTALL_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService'
]

/** Objects sorted into install order (unknown kinds, custom resources included, last, stable). */
export function installOrder<T extends { object: KubeObject } | KubeObject>(items: T[]): T[] {
  const rank = (o: T): number => {
    const kind =
      'object' in o && (o as { object: KubeObject }).object
        ? (o as { object: KubeObject }).object.kind
        : (o as KubeObject).kind
    const i = INSTALL_ORDER.indexOf(kind)
    return i < 0 ? INSTALL_ORDER.length : i
  }
  return items
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map(x => x.o)
}

/** Fields the server owns, dropped from a recorded snapshot so it can be re-applied. */
export function sanitizeForRestore(obj: KubeObject): KubeObject {
  const { metadata, ...rest } = obj
  const {
    uid: _uid,
    resourceVersion: _rv,
    generation: _gen,
    creationTimestamp: _ct,
    managedFields: _mf,
    deletionTimestamp: _dt,
    ...meta
  } = metadata as KubeObject['metadata'] & { selfLink?: string }
  delete (meta as { selfLink?: string }).selfLink
  const out: KubeObject = { ...rest, metadata: meta } as KubeObject
  delete out.status
  return out
}

/** What one apply changed, enough to undo it. */
export interface AppliedObject {
  ref: ObjectRef
  /** The object did not exist before this apply. */
  created: boolean
  /** The live object before the apply (sanitised), when it existed. */
  before?: KubeObject
  /** The object as the server answered the apply. */
  after?: KubeObject
  /** Undo leaves it in place (PVC, keep annotation). */
  kept: boolean
}

export interface ApplyResult {
  applied: AppliedObject[]
  failed?: { ref: ObjectRef; message: string; status?: number }
}

/** Prepares objects for apply: namespace for namespaced kinds, run labels on metadata. */
export async function prepareObjects(
  cluster: Cluster,
  objects: KubeObject[],
  namespace: string,
  labels: RunLabels
): Promise<KubeObject[]> {
  return Promise.all(
    objects.map(async o => {
      registerSecretValues(o)
      const info = await cluster.resourceFor(o.apiVersion, o.kind)
      // Unknown kinds (a CRD the same phase installs) are assumed namespaced like most custom resources.
      const namespaced = info
        ? info.namespaced
        : o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition'
      const withNs =
        namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o
      return withRunLabels(withNs, labels)
    })
  )
}

/** Reads the live state of each object before an apply (undefined where it does not exist). */
export async function snapshot(cluster: Cluster, objects: KubeObject[]): Promise<AppliedObject[]> {
  return Promise.all(
    objects.map(async o => {
      const ref = refOf(o)
      let live: KubeObject | undefined
      try {
        live = await cluster.get(ref)
      } catch (err) {
        // A kind the server does not serve yet (its CRD comes in this phase) cannot exist yet.
        if (!(err instanceof KubeApiError && err.reason === 'NotServed')) throw err
      }
      // What a restore would put back is as secret as what the phase applies.
      registerSecretValues(o)
      registerSecretValues(live)
      return {
        ref,
        created: live === undefined,
        before: live ? sanitizeForRestore(live) : undefined,
        kept: isKept(o)
      }
    })
  )
}

/** Server-side applies objects in install order, stopping at the first rejection. */
export async function applyInOrder(
  cluster: Cluster,
  objects: KubeObject[],
  records: AppliedObject[],
  opts: {
    dryRun?: boolean
    signal?: AbortSignal
    onApplied?: (rec: AppliedObject) => void
    /** Take fields other managers own (the phase's `forceConflicts`). */
    force?: boolean
    /** The server's warnings for each object. */
    onWarnings?: (obj: KubeObject, warnings: string[]) => void
  } = {}
): Promise<ApplyResult> {
  const byKey = new Map(records.map(r => [key(r.ref), r]))
  const applied: AppliedObject[] = []
  for (const o of installOrder(objects)) {
    if (opts.signal?.aborted) break
    const rec = byKey.get(key(refOf(o))) ?? { ref: refOf(o), created: true, kept: isKept(o) }
    try {
      rec.after = await applyOnceAccountExists(cluster, o, {
        dryRun: opts.dryRun,
        signal: opts.signal,
        force: opts.force,
        onWarnings: opts.onWarnings ? w => opts.onWarnings?.(o, w) : undefined
      })
      applied.push(rec)
      opts.onApplied?.(rec)
      // A CRD applied in this phase must be served before its custom resources are applied.
      if (o.kind === 'CustomResourceDefinition' && 'invalidateDiscovery' in cluster)
        (cluster as { invalidateDiscovery(): void }).invalidateDiscovery()
    } catch (err) {
      return {
        applied,
        failed: {
          ref: refOf(o),
          message: `${describeRef(o)} was rejected: ${errorMessage(err)}${conflictAdvice(err)}`,
          status: err instanceof KubeApiError ? err.status : undefined
        }
      }
    }
  }
  return { applied }
}

// The ServiceAccount admission plugin rejects a Pod whose account does not exist. A namespace
// created moments ago has no `default` account yet: the controller-manager is about to create
// it. That rejection is a race, not a verdict, so the object is applied again once the account
// exists, within this bound; any other account is the plan's to create, and its rejection stands.
const DEFAULT_ACCOUNT_WAIT_MS = 30_000
const MISSING_DEFAULT_ACCOUNT =
  /error looking up service account ([^/\s]+)\/default: serviceaccount "default" not found/

/** Applies `o`; a Pod refused only because its namespace's `default` account is not made yet is applied again once it is. */
export async function applyOnceAccountExists(
  cluster: Cluster,
  o: KubeObject,
  opts: {
    dryRun?: boolean
    signal?: AbortSignal
    force?: boolean
    onWarnings?: (warnings: string[]) => void
  }
): Promise<KubeObject> {
  const applyOpts = { dryRun: opts.dryRun, force: opts.force, onWarnings: opts.onWarnings }
  try {
    return await cluster.apply(o, applyOpts)
  } catch (err) {
    const ns =
      err instanceof KubeApiError && err.status === 403
        ? MISSING_DEFAULT_ACCOUNT.exec(err.message)?.[1]
        : undefined
    if (!ns) throw err
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns, name: 'default' }
    const waited = await waitForObjects(cluster, [account], {
      until: obj => (obj ? 'done' : 'pending'),
      timeoutMs: DEFAULT_ACCOUNT_WAIT_MS,
      signal: opts.signal
    })
    if (waited.result !== 'done') throw err
    return cluster.apply(o, applyOpts)
  }
}

/** A server-side apply conflict: the other field managers and the fields they own. */
export interface FieldConflict {
  manager: string
  field: string
}

/** The conflicts a 409 from server-side apply names (`conflict with "hpa" using apps/v1: .spec.replicas`). */
export function fieldConflicts(err: unknown): FieldConflict[] {
  if (!(err instanceof KubeApiError) || err.status !== 409) return []
  const out: FieldConflict[] = []
  const causes = (err.details as { causes?: { type?: string; message?: string; field?: string }[] })
    ?.causes
  for (const c of causes ?? []) {
    const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1]
    if (manager && c.field) out.push({ manager, field: c.field })
  }
  if (out.length === 0) {
    const re = /conflict with "([^"]+)"[^:]*:\s*(\.[^\s,]+)/g
    let m: RegExpExecArray | null
    while ((m = re.exec(err.message)) !== null) out.push({ manager: m[1], field: m[2] })
  }
  return out
}

/** What to do about a conflict, appended to the rejection's message (empty for other errors). */
export function conflictAdvice(err: unknown): string {
  const conflicts = fieldConflicts(err)
  if (conflicts.length === 0) return ''
  const list = conflicts.map(c => `${c.field} (owned by field manager "${c.manager}")`).join(', ')
  return `; ${list}: leave the field out of the manifest so its owner keeps it, or set forceConflicts: true on the phase to take it`
}

/** `apiVersion/kind/namespace/name`, a map key. */
export function key(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`
}
