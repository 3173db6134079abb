/**
 * Causes that end a wait at once ("fail fast when the cause is known"), and
 * which Pods and ReplicaSets speak for a workload's current revision. kstatus
 * keeps a Pod in ImagePullBackOff InProgress forever (it cannot know the image
 * will never appear); a deployment gate can: these causes do not heal without
 * a change to the manifest or the cluster.
 */

import { findCondition } from './readiness.js'
import type { KubeObject, ObjectRef } from './types.js'
import { refOf } from './types.js'
import { num, recordOf, str } from '../core/fields.js'

/**
 * What kind of cause it is. `exit` (a container or Pod that ended in failure)
 * is final for a bare Pod but not for a controller's Pod, which gets replaced.
 */
export type FailureCategory =
  'image' | 'config' | 'crash' | 'unschedulable' | 'exit' | 'admission' | 'deadline' | 'job'

/** A cause that ends a wait. */
export interface FailureCause {
  /** Kubernetes' own reason word: `ImagePullBackOff`, `Unschedulable`, `FailedCreate`, ... */
  reason: string
  /** One line a person reads: which container or object, and the server's words. */
  message: string
  category: FailureCategory
  /** The Pod, ReplicaSet, Job or Deployment the cause was seen on. */
  source: ObjectRef
  container?: string
  image?: string
}

/** Container waiting reasons that never heal without a change (the kubelet only backs off). */
export const HOPELESS_WAITING_REASONS: Readonly<Record<string, FailureCategory>> = {
  ErrImagePull: 'image',
  ImagePullBackOff: 'image',
  InvalidImageName: 'image',
  ErrImageNeverPull: 'image',
  ImageInspectError: 'image',
  CreateContainerConfigError: 'config',
  CreateContainerError: 'config',
  CrashLoopBackOff: 'crash'
}

export interface PodFailureOptions {
  /** Milliseconds since the epoch (for `unschedulableGraceMs`). */
  now?: number
  /**
   * How long after creation an Unschedulable Pod is still given a chance
   * (a cluster autoscaler may add a node). Default 0: fail at once.
   */
  unschedulableGraceMs?: number
}

/** The cause that dooms a Pod, or undefined while it may still become ready. */
export function podFailure(
  pod: KubeObject,
  opts: PodFailureOptions = {}
): FailureCause | undefined {
  const source = refOf(pod)
  const status = recordOf(pod.status)
  const spec = recordOf(pod.spec)
  const restartPolicy = str(spec?.restartPolicy) ?? 'Always'
  if (pod.metadata.deletionTimestamp) return undefined

  if (str(status?.phase) === 'Failed') {
    const reason = str(status?.reason) ?? 'PodFailed'
    const message = str(status?.message) ?? describeTerminations(status) ?? 'the Pod failed'
    return { reason, message: `Pod failed: ${message}`, category: 'exit', source }
  }

  const scheduled = findCondition(pod, 'PodScheduled')
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const created = Date.parse(pod.metadata.creationTimestamp ?? '')
    const grace = opts.unschedulableGraceMs ?? 0
    const now = opts.now ?? Date.now()
    if (grace <= 0 || !Number.isFinite(created) || now - created >= grace) {
      return {
        reason: 'Unschedulable',
        message: `Pod cannot be scheduled: ${scheduled.message ?? 'no node fits'}`,
        category: 'unschedulable',
        source
      }
    }
  }

  const images = containerImages(spec)
  for (const [key, init] of [
    ['initContainerStatuses', true],
    ['containerStatuses', false]
  ] as const) {
    const statuses = status?.[key]
    if (!Array.isArray(statuses)) continue
    for (const raw of statuses) {
      const cs = recordOf(raw)
      if (!cs) continue
      const name = str(cs.name) ?? '?'
      const image = str(cs.image) || images.get(name)
      const what = `${init ? 'init container' : 'container'} ${name}`
      const state = recordOf(cs.state)
      const waiting = recordOf(state?.waiting)
      const waitingReason = str(waiting?.reason)
      if (waitingReason && waitingReason in HOPELESS_WAITING_REASONS) {
        const detail = str(waiting?.message)
        const imageNote = image && !detail?.includes(image) ? ` (image ${image})` : ''
        return {
          reason: waitingReason,
          // The reason travels in `reason`; consumers print `reason: message`.
          message: `${what}${imageNote}: ${detail || `waiting ${waitingReason}`}`,
          category: HOPELESS_WAITING_REASONS[waitingReason],
          source,
          container: name,
          image
        }
      }
      const terminated = recordOf(state?.terminated)
      const exitCode = num(terminated?.exitCode)
      if (terminated && exitCode !== undefined && exitCode !== 0) {
        const restarts = num(cs.restartCount) ?? 0
        const term = describeTermination(terminated)
        if (restartPolicy === 'Never') {
          return {
            reason: str(terminated.reason) ?? 'Error',
            message: `${what} ${term} and restartPolicy is Never`,
            category: 'exit',
            source,
            container: name,
            image
          }
        }
        // It has crashed again after a restart: the kubelet's back-off is next.
        if (restarts >= 1) {
          return {
            reason: 'CrashLoopBackOff',
            message: `${what} ${term} after ${restarts} restart${restarts === 1 ? '' : 's'}`,
            category: 'crash',
            source,
            container: name,
            image
          }
        }
      }
    }
  }
  return undefined
}

/**
 * The cause that dooms a workload by its own status: a ReplicaSet (or the
 * Deployment mirroring it) whose Pods admission rejects (FailedCreate, e.g. an
 * OpenShift SCC or a quota), a Deployment past its progress deadline, a failed Job.
 */
export function workloadFailure(obj: KubeObject): FailureCause | undefined {
  const source = refOf(obj)
  if (obj.metadata.deletionTimestamp) return undefined
  if (obj.kind === 'ReplicaSet' || obj.kind === 'Deployment') {
    const rf = findCondition(obj, 'ReplicaFailure')
    if (rf?.status === 'True' && rf.reason === 'FailedCreate') {
      return {
        reason: 'FailedCreate',
        message: `${obj.kind} ${obj.metadata.name} cannot create Pods: ${rf.message ?? 'FailedCreate'}`,
        category: 'admission',
        source
      }
    }
  }
  if (obj.kind === 'Deployment') {
    const p = findCondition(obj, 'Progressing')
    if (p?.reason === 'ProgressDeadlineExceeded') {
      return {
        reason: 'ProgressDeadlineExceeded',
        message:
          `Deployment ${obj.metadata.name} exceeded its progress deadline: ${p.message ?? ''}`.trim(),
        category: 'deadline',
        source
      }
    }
  }
  if (obj.kind === 'Job') {
    const f = findCondition(obj, 'Failed')
    if (f?.status === 'True') {
      return {
        reason: f.reason ?? 'JobFailed',
        message: `Job ${obj.metadata.name} failed: ${f.message ?? f.reason ?? 'Failed condition'}`,
        category: 'job',
        source
      }
    }
  }
  return undefined
}

/** Kinds whose Pods a wait watches for fail-fast causes. */
export const POD_OWNER_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job'
])

/**
 * The workload's `spec.selector` as a label-selector string (matchLabels and
 * matchExpressions), or undefined when it has none or one that selects nothing.
 */
export function labelSelectorOf(workload: KubeObject): string | undefined {
  const selector = recordOf(recordOf(workload.spec)?.selector)
  if (!selector) return undefined
  const parts: string[] = []
  const labels = recordOf(selector.matchLabels)
  for (const [k, v] of Object.entries(labels ?? {}))
    if (typeof v === 'string') parts.push(`${k}=${v}`)
  const exprs = selector.matchExpressions
  for (const raw of Array.isArray(exprs) ? exprs : []) {
    const e = recordOf(raw)
    const key = str(e?.key)
    if (!e || !key) continue
    const values = Array.isArray(e.values) ? e.values.filter(v => typeof v === 'string') : []
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values.join(',')})`)
        break
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`)
        break
      case 'Exists':
        parts.push(key)
        break
      case 'DoesNotExist':
        parts.push(`!${key}`)
        break
    }
  }
  return parts.length > 0 ? parts.join(',') : undefined
}

/** Revision annotation the Deployment controller keeps on a Deployment and its ReplicaSets. */
const REVISION = 'deployment.kubernetes.io/revision'

/**
 * The Deployment's current ReplicaSet among `replicaSets`: the one it owns
 * carrying the Deployment's revision, else the newest revision it owns.
 */
export function currentReplicaSet(
  deployment: KubeObject,
  replicaSets: Iterable<KubeObject>
): KubeObject | undefined {
  const owned = [...replicaSets].filter(rs => ownedBy(rs, deployment))
  const want = deployment.metadata.annotations?.[REVISION]
  const exact = want ? owned.find(rs => rs.metadata.annotations?.[REVISION] === want) : undefined
  if (exact) return exact
  const rev = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0
  return owned.sort((a, b) => rev(b) - rev(a))[0]
}

/**
 * The Pods of the workload's current revision among `pods`. Old revisions'
 * Pods are left out: an old ReplicaSet's crash loop (what a rollout may be
 * fixing) must not fail the new rollout.
 */
export function currentPods(
  workload: KubeObject,
  pods: Iterable<KubeObject>,
  replicaSets: Iterable<KubeObject> = []
): KubeObject[] {
  const all = [...pods].filter(p => p.metadata.namespace === workload.metadata.namespace)
  switch (workload.kind) {
    case 'Deployment': {
      const rs = currentReplicaSet(workload, replicaSets)
      return rs ? all.filter(p => ownedBy(p, rs)) : []
    }
    case 'StatefulSet': {
      const revision = str(recordOf(workload.status)?.updateRevision)
      return all.filter(
        p =>
          ownedBy(p, workload) &&
          (!revision || p.metadata.labels?.['controller-revision-hash'] === revision)
      )
    }
    case 'DaemonSet': {
      // The DaemonSet controller labels Pods with the template generation they came from.
      const gen = workload.metadata.generation
      return all.filter(p => {
        const podGen = p.metadata.labels?.['pod-template-generation']
        return ownedBy(p, workload) && (gen === undefined || !podGen || podGen === String(gen))
      })
    }
    default:
      return all.filter(p => ownedBy(p, workload))
  }
}

/** True when `child` names `owner` (by uid, else by kind and name) among its ownerReferences. */
export function ownedBy(child: KubeObject, owner: KubeObject): boolean {
  return (child.metadata.ownerReferences ?? []).some(o =>
    owner.metadata.uid
      ? o.uid === owner.metadata.uid
      : o.kind === owner.kind && o.name === owner.metadata.name
  )
}

function containerImages(spec: Record<string, unknown> | undefined): Map<string, string> {
  const images = new Map<string, string>()
  for (const key of ['initContainers', 'containers']) {
    const list = spec?.[key]
    for (const c of Array.isArray(list) ? list : []) {
      const r = recordOf(c)
      const name = str(r?.name)
      const image = str(r?.image)
      if (name && image) images.set(name, image)
    }
  }
  return images
}

function describeTermination(t: Record<string, unknown>): string {
  const reason = str(t.reason)
  const message = str(t.message)
  return `exited with code ${num(t.exitCode) ?? '?'}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`
}

function describeTerminations(status: Record<string, unknown> | undefined): string | undefined {
  const statuses = status?.containerStatuses
  for (const raw of Array.isArray(statuses) ? statuses : []) {
    const t = recordOf(recordOf(recordOf(raw)?.state)?.terminated)
    if (t && num(t.exitCode) !== 0)
      return `container ${str(recordOf(raw)?.name)} ${describeTermination(t)}`
  }
  return undefined
}
