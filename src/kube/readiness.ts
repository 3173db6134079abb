/**
 * Readiness as kstatus computes it: a port of sigs.k8s.io/cli-utils
 * `pkg/kstatus/status` (core.go, generic.go, status.go, util.go at
 * 5895ad6c, Oct 2025), the rules Flux and kpt wait with. Every rule below names
 * the kstatus function it copies; where phase-gate deliberately differs the
 * comment says "phase-gate:" and why.
 *
 * Deliberate differences, all small:
 * - A LoadBalancer Service also needs `status.loadBalancer.ingress` (kstatus
 *   only needs a clusterIP): a gate that calls a Service "ready" must mean it
 *   is reachable, as Helm's and Argo CD's checks do.
 * - Errors kstatus returns (malformed conditions, unknown pod phase) become
 *   the `Unknown` status with the error as message, so a waiter keeps going.
 * - Pods in a hopeless waiting state (ErrImagePull, ...) stay InProgress here
 *   exactly as in kstatus; `podFailure()` in pod-failures.ts is what flags them.
 */

import type { KubeObject } from './types.js'
import { splitApiVersion } from './types.js'
import { isRecord, str } from '../core/fields.js'

/** The kstatus statuses, plus NotFound for an object that does not exist. */
export type KStatus = 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown'

/** What kstatus says about one object. */
export interface ResourceStatus {
  status: KStatus
  message: string
  /** CamelCase reason of the Reconciling/Stalled condition kstatus attaches (InProgress and Failed). */
  reason?: string
}

/** A `status.conditions[]` entry as most Kubernetes objects write it. */
export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  lastTransitionTime?: string
}

export interface ComputeOptions {
  /** Milliseconds since the epoch; the Pod rule's scheduling window is measured from it. */
  now?: number
}

/** How long a Pod may stay unschedulable before kstatus reports it Failed (kstatus `ScheduleWindow`). */
export const SCHEDULE_WINDOW_MS = 15_000

/** Thrown inside the port where kstatus returns an error; surfaces as `Unknown`. */
class StatusError extends Error {}

const current = (message: string): ResourceStatus => ({ status: 'Current', message })
// kstatus newInProgressStatus / newFailedStatus: the reason is the attached condition's.
const inProgress = (reason: string, message: string): ResourceStatus => ({
  status: 'InProgress',
  message,
  reason
})
const failed = (reason: string, message: string): ResourceStatus => ({
  status: 'Failed',
  message,
  reason
})

/** The kstatus status of an object; `undefined` (the object does not exist) is NotFound. */
export function computeStatus(
  obj: KubeObject | undefined,
  opts: ComputeOptions = {}
): ResourceStatus {
  if (!obj) return { status: 'NotFound', message: 'Resource not found' }
  try {
    // kstatus Compute: generic properties first, then the built-in type's rule,
    // then a Ready condition, otherwise Current.
    const generic = checkGenericProperties(obj)
    if (generic) return generic
    const rule = builtInRule(obj)
    if (rule) return rule(obj, opts.now ?? Date.now())
    return checkReadyCondition(obj) ?? current('Resource is current')
  } catch (err) {
    if (err instanceof StatusError) return { status: 'Unknown', message: err.message }
    throw err
  }
}

/** The object's `status.conditions`, validated the way kstatus's converter would reject bad ones. */
export function conditionsOf(obj: KubeObject): Condition[] {
  const status = obj.status
  if (status === undefined || status === null) return []
  if (!isRecord(status)) throw new StatusError('.status is not an object')
  const list = status.conditions
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) throw new StatusError('.status.conditions is not a list')
  return list.map((c: unknown, i) => {
    if (!isRecord(c)) throw new StatusError(`.status.conditions[${i}] is not an object`)
    for (const f of ['type', 'status', 'reason', 'message'] as const) {
      if (c[f] !== undefined && c[f] !== null && typeof c[f] !== 'string') {
        throw new StatusError(`.status.conditions[${i}].${f} is not a string`)
      }
    }
    return {
      type: str(c.type) ?? '',
      status: str(c.status) ?? '',
      reason: str(c.reason),
      message: str(c.message),
      lastTransitionTime: str(c.lastTransitionTime)
    }
  })
}

/** The first condition of a type, ignoring malformed condition lists. */
export function findCondition(obj: KubeObject, type: string): Condition | undefined {
  try {
    return conditionsOf(obj).find(c => c.type === type)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------- generic.go

/** kstatus checkGenericProperties: deletion, generation, Reconciling/Stalled. */
function checkGenericProperties(obj: KubeObject): ResourceStatus | undefined {
  if (obj.metadata.deletionTimestamp)
    return { status: 'Terminating', message: 'Resource scheduled for deletion' }
  const gen = checkGeneration(obj)
  if (gen) return gen
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Reconciling' && c.status === 'True')
      return inProgress(c.reason ?? '', c.message ?? '')
    if (c.type === 'Stalled' && c.status === 'True') return failed(c.reason ?? '', c.message ?? '')
  }
  return undefined
}

/**
 * kstatus checkGeneration: InProgress while `status.observedGeneration`
 * differs from `metadata.generation`; skipped when either is absent.
 */
function checkGeneration(obj: KubeObject): ResourceStatus | undefined {
  const generation = int64(obj, 'metadata.generation')
  if (generation === undefined) return undefined
  const observed = int64(obj, 'status.observedGeneration')
  if (observed === undefined || observed === generation) return undefined
  const message = `${obj.kind} generation is ${generation}, but latest observed generation is ${observed}`
  return inProgress('LatestGenerationNotObserved', message)
}

/** kstatus checkGenerationSet (DaemonSet only): both generation fields must exist. */
function checkGenerationSet(obj: KubeObject): ResourceStatus | undefined {
  if (int64(obj, 'metadata.generation') === undefined) {
    return inProgress('NoGeneration', `${obj.kind} metadata.generation not found`)
  }
  if (int64(obj, 'status.observedGeneration') === undefined) {
    return inProgress('NoObservedGeneration', `${obj.kind} status.observedGeneration not found`)
  }
  return undefined
}

// ----------------------------------------------------------------- status.go

/** kstatus checkReadyCondition: a `Ready` condition decides for kinds without a built-in rule. */
function checkReadyCondition(obj: KubeObject): ResourceStatus | undefined {
  for (const c of conditionsOf(obj)) {
    if (c.type !== 'Ready') continue
    if (c.status === 'True') return current('Resource is Ready')
    if (c.status === 'False' || c.status === 'Unknown')
      return inProgress(c.reason ?? '', c.message ?? '')
  }
  return undefined
}

// ------------------------------------------------------------------- core.go

type Rule = (obj: KubeObject, now: number) => ResourceStatus

/** kstatus legacyTypes, keyed `group/Kind` (core group: `Kind`). */
const RULES: Record<string, Rule> = {
  Service: serviceRule,
  Pod: podRule,
  Secret: alwaysReady,
  PersistentVolumeClaim: pvcRule,
  'apps/StatefulSet': statefulSetRule,
  'apps/DaemonSet': daemonSetRule,
  'extensions/DaemonSet': daemonSetRule,
  'apps/Deployment': deploymentRule,
  'extensions/Deployment': deploymentRule,
  'apps/ReplicaSet': replicaSetRule,
  'extensions/ReplicaSet': replicaSetRule,
  'policy/PodDisruptionBudget': pdbRule,
  'batch/CronJob': alwaysReady,
  ConfigMap: alwaysReady,
  'batch/Job': jobRule,
  'apiextensions.k8s.io/CustomResourceDefinition': crdRule
}

/** kstatus GetLegacyConditionsFn. */
function builtInRule(obj: KubeObject): Rule | undefined {
  const { group } = splitApiVersion(obj.apiVersion)
  return RULES[group ? `${group}/${obj.kind}` : obj.kind]
}

/** kstatus alwaysReady (Secret, ConfigMap, CronJob). */
function alwaysReady(): ResourceStatus {
  return current('Resource is always ready')
}

/**
 * kstatus stsConditions. The StatefulSet controller sets no conditions, so
 * only the replica counts and revisions tell; OnDelete is user-managed.
 */
function statefulSetRule(obj: KubeObject): ResourceStatus {
  if (str(field(obj, 'spec.updateStrategy.type')) === 'OnDelete') {
    return current('StatefulSet is using the ondelete update strategy')
  }
  const spec = intField(obj, 'spec.replicas', 1)
  const ready = intField(obj, 'status.readyReplicas', 0)
  const currentReplicas = intField(obj, 'status.currentReplicas', 0)
  const updated = intField(obj, 'status.updatedReplicas', 0)
  const replicas = intField(obj, 'status.replicas', 0)
  const partition = intField(obj, 'spec.updateStrategy.rollingUpdate.partition', -1)

  if (spec > replicas) return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`)
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`)
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`)
  if (partition !== -1) {
    if (updated < spec - partition) {
      return inProgress('PartitionRollout', `updated: ${updated}/${spec - partition}`)
    }
    return current(`Partition rollout complete. updated: ${updated}`)
  }
  if (spec > currentReplicas)
    return inProgress('LessCurrent', `current: ${currentReplicas}/${spec}`)
  const currentRevision = str(field(obj, 'status.currentRevision')) ?? ''
  const updateRevision = str(field(obj, 'status.updateRevision')) ?? ''
  if (currentRevision !== updateRevision) {
    return inProgress('RevisionMismatch', 'Waiting for updated revision to match current')
  }
  return current(`All replicas scheduled as expected. Replicas: ${replicas}`)
}

/**
 * kstatus deploymentConditions: Failed once the progress deadline is
 * exceeded; Current when every replica is updated, available and ready and the
 * Progressing/Available conditions agree.
 */
function deploymentRule(obj: KubeObject): ResourceStatus {
  // Without progressDeadlineSeconds the controller never sets Progressing, so
  // kstatus treats the Deployment as progressing (MaxInt32 is the "unset" value).
  let progressing = intField(obj, 'spec.progressDeadlineSeconds', MAX_INT32) === MAX_INT32
  let available = false
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Progressing') {
      if (c.reason === 'ProgressDeadlineExceeded') {
        return failed('ProgressDeadlineExceeded', 'Progress deadline exceeded')
      }
      if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable') progressing = true
    } else if (c.type === 'Available' && c.status === 'True') {
      available = true
    }
  }
  const spec = intField(obj, 'spec.replicas', 1)
  const replicas = intField(obj, 'status.replicas', 0)
  const updated = intField(obj, 'status.updatedReplicas', 0)
  const ready = intField(obj, 'status.readyReplicas', 0)
  const availableReplicas = intField(obj, 'status.availableReplicas', 0)

  if (spec > replicas) return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`)
  if (spec > updated) return inProgress('LessUpdated', `Updated: ${updated}/${spec}`)
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`)
  if (updated > availableReplicas) {
    return inProgress('LessAvailable', `Available: ${availableReplicas}/${updated}`)
  }
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`)
  if (!progressing) return inProgress('ReplicaSetNotAvailable', 'ReplicaSet not Available')
  if (!available) return inProgress('DeploymentNotAvailable', 'Deployment not Available')
  return current(`Deployment is available. Replicas: ${replicas}`)
}

/** kstatus replicasetConditions: ReplicaFailure is InProgress (workloadFailure() flags FailedCreate). */
function replicaSetRule(obj: KubeObject): ResourceStatus {
  for (const c of conditionsOf(obj)) {
    if (c.type === 'ReplicaFailure' && c.status === 'True') {
      return inProgress('ReplicaFailure', 'Replica Failure condition. Check Pods')
    }
  }
  const spec = intField(obj, 'spec.replicas', 1)
  const replicas = intField(obj, 'status.replicas', 0)
  const ready = intField(obj, 'status.readyReplicas', 0)
  const availableReplicas = intField(obj, 'status.availableReplicas', 0)
  const labelled = intField(obj, 'status.fullyLabeledReplicas', 0)

  if (spec > labelled) return inProgress('LessLabelled', `Labelled: ${labelled}/${spec}`)
  if (spec > availableReplicas) {
    return inProgress('LessAvailable', `Available: ${availableReplicas}/${spec}`)
  }
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`)
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`)
  return current(`ReplicaSet is available. Replicas: ${replicas}`)
}

/**
 * kstatus daemonsetConditions: the DaemonSet controller always sets both
 * generation fields, so their absence means it has not acted yet.
 */
function daemonSetRule(obj: KubeObject): ResourceStatus {
  const gen = checkGenerationSet(obj)
  if (gen) return gen
  const desired = intField(obj, 'status.desiredNumberScheduled', -1)
  const scheduled = intField(obj, 'status.currentNumberScheduled', 0)
  const updated = intField(obj, 'status.updatedNumberScheduled', 0)
  const availableCount = intField(obj, 'status.numberAvailable', 0)
  const ready = intField(obj, 'status.numberReady', 0)

  if (desired === -1) return inProgress('NoDesiredNumber', 'Missing .status.desiredNumberScheduled')
  if (desired > scheduled) return inProgress('LessCurrent', `Current: ${scheduled}/${desired}`)
  if (desired > updated) return inProgress('LessUpdated', `Updated: ${updated}/${desired}`)
  if (desired > availableCount) {
    return inProgress('LessAvailable', `Available: ${availableCount}/${desired}`)
  }
  if (desired > ready) return inProgress('LessReady', `Ready: ${ready}/${desired}`)
  return current(`All replicas scheduled as expected. Replicas: ${desired}`)
}

/** kstatus pvcConditions: Current once Bound. */
function pvcRule(obj: KubeObject): ResourceStatus {
  const phase = str(field(obj, 'status.phase')) ?? 'unknown'
  if (phase !== 'Bound') return inProgress('NotBound', `PVC is not Bound. phase: ${phase}`)
  return current('PVC is Bound')
}

/**
 * kstatus podConditions. A finished Pod (Succeeded or Failed) is Current, as
 * in kstatus: it will not change any more. A running Pod in CrashLoopBackOff
 * is Failed; an unschedulable one is Failed after SCHEDULE_WINDOW_MS.
 */
function podRule(obj: KubeObject, now: number): ResourceStatus {
  const conditions = conditionsOf(obj)
  const phase = str(field(obj, 'status.phase')) ?? ''
  switch (phase) {
    case 'Succeeded':
      return current('Pod has completed successfully')
    case 'Failed':
      return current('Pod has completed, but not successfully')
    case 'Running': {
      if (conditions.some(c => c.type === 'Ready' && c.status === 'True'))
        return current('Pod is Ready')
      const looping = crashLoopingContainers(obj)
      if (looping.length > 0) {
        return failed(
          'ContainerCrashLooping',
          `Containers in CrashLoop state: ${looping.join(',')}`
        )
      }
      return inProgress('PodRunningNotReady', 'Pod is running but is not Ready')
    }
    case 'Pending': {
      const scheduled = conditions.find(c => c.type === 'PodScheduled' && c.status === 'False')
      if (scheduled?.reason === 'Unschedulable') {
        // Go's zero time when the timestamp is missing: the window has passed.
        const created = Date.parse(obj.metadata.creationTimestamp ?? '')
        if (Number.isFinite(created) && now - SCHEDULE_WINDOW_MS < created) {
          return inProgress('PodNotScheduled', 'Pod has not been scheduled')
        }
        return failed('PodUnschedulable', 'Pod could not be scheduled')
      }
      return inProgress('PodPending', 'Pod is in the Pending phase')
    }
    case '':
      return inProgress('PodNotObserved', 'Pod phase not available')
    default:
      throw new StatusError(`unknown phase ${phase}`)
  }
}

/** kstatus getCrashLoopingContainers (regular containers only, as in kstatus). */
function crashLoopingContainers(obj: KubeObject): string[] {
  const statuses = field(obj, 'status.containerStatuses')
  if (!Array.isArray(statuses)) return []
  const names: string[] = []
  for (const cs of statuses) {
    if (!isRecord(cs) || typeof cs.name !== 'string') continue
    const waiting = isRecord(cs.state) && isRecord(cs.state.waiting) ? cs.state.waiting : undefined
    if (waiting?.reason === 'CrashLoopBackOff') names.push(cs.name)
  }
  return names
}

/**
 * kstatus pdbConditions: reaching this rule means observedGeneration matched
 * (checked generically), so AllowedDisruptions has been computed.
 */
function pdbRule(): ResourceStatus {
  return current('AllowedDisruptions has been computed.')
}

/**
 * kstatus jobConditions: InProgress until it starts, Current while running and
 * after completing, Failed on the Failed condition; a suspended Job is Current.
 */
function jobRule(obj: KubeObject): ResourceStatus {
  const parallelism = intField(obj, 'spec.parallelism', 1)
  const completions = intField(obj, 'spec.completions', parallelism)
  const succeeded = intField(obj, 'status.succeeded', 0)
  const active = intField(obj, 'status.active', 0)
  const failedCount = intField(obj, 'status.failed', 0)
  const startTime = str(field(obj, 'status.startTime')) ?? ''
  const suspended = field(obj, 'spec.suspend') === true

  for (const c of conditionsOf(obj)) {
    if (c.type === 'Complete' && c.status === 'True') {
      return current(`Job Completed. succeeded: ${succeeded}/${completions}`)
    }
    if (c.type === 'Failed' && c.status === 'True') {
      return failed('JobFailed', `Job Failed. failed: ${failedCount}/${completions}`)
    }
    if (c.type === 'Suspended' && c.status === 'True' && suspended)
      return current('Job is suspended')
  }
  if (startTime === '') return inProgress('JobNotStarted', 'Job not started')
  return current(`Job in progress. success:${succeeded}, active: ${active}, failed: ${failedCount}`)
}

/** kstatus serviceConditions, plus (phase-gate) a LoadBalancer needs an ingress address. */
function serviceRule(obj: KubeObject): ResourceStatus {
  const type = str(field(obj, 'spec.type')) ?? 'ClusterIP'
  if (type === 'LoadBalancer') {
    if (!str(field(obj, 'spec.clusterIP'))) {
      return inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer')
    }
    // phase-gate: kstatus stops at the clusterIP; we also want the address
    // users reach, which only a load-balancer controller provides.
    const ingress = field(obj, 'status.loadBalancer.ingress')
    if (!Array.isArray(ingress) || ingress.length === 0) {
      return inProgress(
        'NoIngressAssigned',
        'LoadBalancer has no ingress address yet (no load-balancer controller has answered)'
      )
    }
  }
  return current('Service is ready')
}

/**
 * kstatus CRDConditions: NamesAccepted=False or Established=False (other
 * than Installing) is Failed; Established=True is Current.
 */
function crdRule(obj: KubeObject): ResourceStatus {
  for (const c of conditionsOf(obj)) {
    if (c.type === 'NamesAccepted' && c.status === 'False') {
      return failed(c.reason ?? '', c.message ?? '')
    }
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing')
        return failed(c.reason ?? '', c.message ?? '')
      if (c.status === 'True') return current('CRD is established')
    }
  }
  return inProgress('Installing', 'Install in progress')
}

// ------------------------------------------------------------------- util.go

const MAX_INT32 = 2_147_483_647

/** The value at a dotted path, or undefined. */
function field(obj: KubeObject, path: string): unknown {
  let v: unknown = obj
  for (const part of path.split('.')) {
    if (!isRecord(v)) return undefined
    v = v[part]
  }
  return v
}

/**
 * kstatus GetIntField: JSON integers decode as int64 in Go, anything else
 * (a float, a string) falls back to the default.
 */
function intField(obj: KubeObject, path: string, fallback: number): number {
  const v = field(obj, path)
  return typeof v === 'number' && Number.isInteger(v) ? v : fallback
}

/** unstructured.NestedInt64: absent is undefined, present but not an integer is an error. */
function int64(obj: KubeObject, path: string): number | undefined {
  const v = field(obj, path)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new StatusError(`looking up ${path} from resource: not an integer`)
  }
  return v
}
