/**
 * Table of kstatus rules. Rows marked "kstatus:" copy the case (and expected
 * status/reason) from sigs.k8s.io/cli-utils pkg/kstatus/status
 * status_compute_test.go or the rule in core.go/generic.go/status.go;
 * "phase-gate:" rows pin our documented differences.
 */

import { describe, expect, it } from '@jest/globals'
import type { KStatus } from '../../src/kube/readiness.js'
import {
  SCHEDULE_WINDOW_MS,
  computeStatus,
  conditionsOf,
  findCondition
} from '../../src/kube/readiness.js'
import type { KubeObject } from '../../src/kube/types.js'

const NOW = Date.parse('2025-06-01T12:00:00Z')
const iso = (ms: number): string => new Date(ms).toISOString()

function obj(
  apiVersion: string,
  kind: string,
  parts: { metadata?: Partial<KubeObject['metadata']>; spec?: unknown; status?: unknown } = {}
): KubeObject {
  const o: KubeObject = {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'ns', ...parts.metadata }
  }
  if (parts.spec !== undefined) o.spec = parts.spec
  if (parts.status !== undefined) o.status = parts.status
  return o
}

const cond = (type: string, status: string, reason?: string, message?: string) => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {})
})

const cr = (status?: unknown, metadata?: Partial<KubeObject['metadata']>) =>
  obj('example.com/v1', 'Widget', { status, metadata })
const dep = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
  obj('apps/v1', 'Deployment', { metadata: { generation: 1 }, spec, status })
const depStatus = (n: number, extra: Record<string, unknown> = {}) => ({
  observedGeneration: 1,
  replicas: n,
  updatedReplicas: n,
  readyReplicas: n,
  availableReplicas: n,
  conditions: [
    cond('Available', 'True', 'MinimumReplicasAvailable'),
    cond('Progressing', 'True', 'NewReplicaSetAvailable')
  ],
  ...extra
})
const sts = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
  obj('apps/v1', 'StatefulSet', { metadata: { generation: 1 }, spec, status })
const stsOk = {
  observedGeneration: 1,
  replicas: 2,
  readyReplicas: 2,
  currentReplicas: 2,
  updatedReplicas: 2,
  currentRevision: 'r1',
  updateRevision: 'r1'
}
const ds = (
  status?: Record<string, unknown>,
  metadata: Partial<KubeObject['metadata']> = { generation: 1 }
) => obj('apps/v1', 'DaemonSet', { metadata, status })
const dsOk = {
  observedGeneration: 1,
  desiredNumberScheduled: 3,
  currentNumberScheduled: 3,
  updatedNumberScheduled: 3,
  numberAvailable: 3,
  numberReady: 3
}
const rs = (status?: Record<string, unknown>) =>
  obj('apps/v1', 'ReplicaSet', { metadata: { generation: 1 }, spec: { replicas: 2 }, status })
const rsOk = {
  observedGeneration: 1,
  replicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
  fullyLabeledReplicas: 2
}
const job = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
  obj('batch/v1', 'Job', { metadata: { generation: 1 }, spec, status })
const pod = (status?: Record<string, unknown>, created = iso(NOW - 60_000)) =>
  obj('v1', 'Pod', { metadata: { creationTimestamp: created }, status })
const waitingPod = (reason: string) =>
  pod({
    phase: 'Pending',
    conditions: [cond('Ready', 'False', 'ContainersNotReady')],
    containerStatuses: [{ name: 'web', state: { waiting: { reason } }, restartCount: 0 }]
  })
const svc = (spec?: Record<string, unknown>, status?: Record<string, unknown>) =>
  obj('v1', 'Service', { spec, status })
const crd = (conditions?: unknown[]) =>
  obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
    metadata: { namespace: undefined },
    status: conditions ? { conditions } : undefined
  })

const deleting = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, deletionTimestamp: iso(NOW) }
})

interface Row {
  name: string
  object: KubeObject | undefined
  status: KStatus
  reason?: string
  message?: string | RegExp
}

const rows: Row[] = [
  // --- generic.go / status.go
  { name: 'absent object', object: undefined, status: 'NotFound' },
  {
    name: 'kstatus: deletionTimestamp wins over everything',
    object: deleting(dep({ replicas: 1 }, depStatus(1))),
    status: 'Terminating',
    message: 'Resource scheduled for deletion'
  },
  {
    name: 'kstatus: deletionTimestamp on a Ready custom resource',
    object: cr({ conditions: [cond('Ready', 'True')] }, { deletionTimestamp: iso(NOW) }),
    status: 'Terminating'
  },
  {
    name: 'kstatus: observedGeneration behind generation (pdbNotObserved)',
    object: obj('policy/v1', 'PodDisruptionBudget', {
      metadata: { generation: 2 },
      status: { observedGeneration: 1 }
    }),
    status: 'InProgress',
    reason: 'LatestGenerationNotObserved',
    message: 'PodDisruptionBudget generation is 2, but latest observed generation is 1'
  },
  {
    name: 'kstatus: observedGeneration ahead of generation also differs',
    object: cr({ observedGeneration: 3 }, { generation: 2 }),
    status: 'InProgress',
    reason: 'LatestGenerationNotObserved'
  },
  {
    name: 'kstatus: generation without observedGeneration skips the check',
    object: cr({ phase: 'whatever' }, { generation: 5 }),
    status: 'Current',
    message: 'Resource is current'
  },
  {
    name: 'kstatus: Reconciling=True is InProgress with its reason',
    object: cr({ conditions: [cond('Reconciling', 'True', 'Progressing', 'working on it')] }),
    status: 'InProgress',
    reason: 'Progressing',
    message: 'working on it'
  },
  {
    name: 'kstatus: Stalled=True is Failed with its reason',
    object: cr({ conditions: [cond('Stalled', 'True', 'BadConfig', 'spec.x is invalid')] }),
    status: 'Failed',
    reason: 'BadConfig',
    message: 'spec.x is invalid'
  },
  {
    name: 'kstatus: Reconciling/Stalled False are ignored',
    object: cr({ conditions: [cond('Reconciling', 'False'), cond('Stalled', 'False')] }),
    status: 'Current'
  },
  {
    name: 'kstatus: generic Reconciling applies before the Deployment rule',
    object: dep(
      { replicas: 1 },
      depStatus(1, {
        conditions: [cond('Reconciling', 'True', 'Rolling', 'rolling'), cond('Available', 'True')]
      })
    ),
    status: 'InProgress',
    reason: 'Rolling'
  },
  {
    name: 'kstatus: generic Stalled applies to an always-ready kind',
    object: obj('v1', 'ConfigMap', { status: { conditions: [cond('Stalled', 'True', 'X', 'y')] } }),
    status: 'Failed',
    reason: 'X'
  },
  {
    name: 'kstatus: Ready=True on a custom resource is Current',
    object: cr({ conditions: [cond('Ready', 'True')] }),
    status: 'Current',
    message: 'Resource is Ready'
  },
  {
    name: 'kstatus: Ready=False on a custom resource is InProgress with its reason',
    object: cr({ conditions: [cond('Ready', 'False', 'Provisioning', 'waiting for cloud')] }),
    status: 'InProgress',
    reason: 'Provisioning',
    message: 'waiting for cloud'
  },
  {
    name: 'kstatus: Ready=Unknown is InProgress',
    object: cr({ conditions: [cond('Ready', 'Unknown', 'Pending')] }),
    status: 'InProgress',
    reason: 'Pending'
  },
  {
    name: 'kstatus: a Ready condition with a non-standard status decides nothing',
    object: cr({ conditions: [cond('Ready', 'Maybe')] }),
    status: 'Current'
  },
  {
    name: 'kstatus: a custom resource without status is Current',
    object: cr(),
    status: 'Current',
    message: 'Resource is current'
  },
  {
    name: 'kstatus: a built-in kind ignores a Ready condition',
    object: dep(
      { replicas: 1 },
      depStatus(1, { conditions: [...depStatus(1).conditions, cond('Ready', 'False')] })
    ),
    status: 'Current'
  },
  {
    name: 'kstatus: a Deployment kind of another group gets the generic rules',
    object: obj('example.com/v1', 'Deployment', { status: { replicas: 0 } }),
    status: 'Current'
  },
  {
    name: 'phase-gate: conditions that are not a list are Unknown (kstatus: converter error)',
    object: cr({ conditions: { type: 'Ready' } }),
    status: 'Unknown',
    message: /not a list/
  },
  {
    name: 'phase-gate: a non-string condition field is Unknown (kstatus: converter error)',
    object: cr({ conditions: [{ type: 'Ready', status: true }] }),
    status: 'Unknown',
    message: /status is not a string/
  },
  {
    name: 'phase-gate: a non-integer generation is Unknown (kstatus: NestedInt64 error)',
    object: cr({ observedGeneration: 1 }, { generation: 1.5 }),
    status: 'Unknown'
  },

  // --- core.go deploymentConditions
  {
    name: 'kstatus: Deployment without status (depNoStatus)',
    object: dep({ replicas: 1 }),
    status: 'InProgress',
    reason: 'LessReplicas',
    message: 'Replicas: 0/1'
  },
  {
    name: 'kstatus: Deployment available (depOK)',
    object: dep({ replicas: 2, progressDeadlineSeconds: 600 }, depStatus(2)),
    status: 'Current',
    message: 'Deployment is available. Replicas: 2'
  },
  {
    name: 'kstatus: Deployment ProgressDeadlineExceeded is Failed',
    object: dep(
      { replicas: 1, progressDeadlineSeconds: 600 },
      depStatus(0, {
        conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'took too long')]
      })
    ),
    status: 'Failed',
    reason: 'ProgressDeadlineExceeded',
    message: 'Progress deadline exceeded'
  },
  {
    name: 'kstatus: Deployment spec.replicas defaults to 1',
    object: dep({}, depStatus(1)),
    status: 'Current'
  },
  {
    name: 'kstatus: Deployment with fewer updated replicas',
    object: dep({ replicas: 2 }, depStatus(2, { updatedReplicas: 1 })),
    status: 'InProgress',
    reason: 'LessUpdated',
    message: 'Updated: 1/2'
  },
  {
    name: 'kstatus: Deployment with old pods still terminating',
    object: dep({ replicas: 2 }, depStatus(2, { replicas: 3 })),
    status: 'InProgress',
    reason: 'ExtraPods',
    message: 'Pending termination: 1'
  },
  {
    name: 'kstatus: Deployment with fewer available than updated',
    object: dep({ replicas: 2 }, depStatus(2, { availableReplicas: 1 })),
    status: 'InProgress',
    reason: 'LessAvailable',
    message: 'Available: 1/2'
  },
  {
    name: 'kstatus: Deployment with fewer ready',
    object: dep({ replicas: 2 }, depStatus(2, { readyReplicas: 1 })),
    status: 'InProgress',
    reason: 'LessReady',
    message: 'Ready: 1/2'
  },
  {
    name: 'kstatus: Deployment with a deadline but not NewReplicaSetAvailable (depNotProgressing)',
    object: dep(
      { replicas: 1, progressDeadlineSeconds: 600 },
      depStatus(1, {
        conditions: [cond('Available', 'True'), cond('Progressing', 'True', 'ReplicaSetUpdated')]
      })
    ),
    status: 'InProgress',
    reason: 'ReplicaSetNotAvailable'
  },
  {
    name: 'kstatus: Deployment without a deadline counts as progressing (depNoProgressDeadlineSeconds)',
    object: dep({ replicas: 1 }, depStatus(1, { conditions: [cond('Available', 'True')] })),
    status: 'Current'
  },
  {
    name: 'kstatus: Deployment not Available (depNotAvailable)',
    object: dep(
      { replicas: 1, progressDeadlineSeconds: 600 },
      depStatus(1, {
        conditions: [
          cond('Available', 'False', 'MinimumReplicasUnavailable'),
          cond('Progressing', 'True', 'NewReplicaSetAvailable')
        ]
      })
    ),
    status: 'InProgress',
    reason: 'DeploymentNotAvailable'
  },
  {
    name: 'kstatus: a non-integer count falls back to the default (GetIntField)',
    object: dep({ replicas: 1.5 }, depStatus(1)),
    status: 'Current'
  },
  {
    name: 'kstatus: extensions/Deployment uses the same rule',
    object: obj('extensions/v1beta1', 'Deployment', { spec: { replicas: 1 } }),
    status: 'InProgress',
    reason: 'LessReplicas'
  },

  // --- core.go stsConditions
  {
    name: 'kstatus: StatefulSet OnDelete is user-managed',
    object: sts({ replicas: 3, updateStrategy: { type: 'OnDelete' } }),
    status: 'Current'
  },
  {
    name: 'kstatus: StatefulSet without status (stsNoStatus)',
    object: sts({ replicas: 2 }),
    status: 'InProgress',
    reason: 'LessReplicas',
    message: 'Replicas: 0/2'
  },
  {
    name: 'kstatus: StatefulSet with fewer ready (stsLessReady)',
    object: sts({ replicas: 2 }, { ...stsOk, readyReplicas: 1 }),
    status: 'InProgress',
    reason: 'LessReady'
  },
  {
    name: 'kstatus: StatefulSet with extra pods (stsExtraPods)',
    object: sts({ replicas: 2 }, { ...stsOk, replicas: 3 }),
    status: 'InProgress',
    reason: 'ExtraPods'
  },
  {
    name: 'kstatus: StatefulSet partition rollout in progress',
    object: sts(
      { replicas: 2, updateStrategy: { rollingUpdate: { partition: 1 } } },
      { ...stsOk, updatedReplicas: 0 }
    ),
    status: 'InProgress',
    reason: 'PartitionRollout',
    message: 'updated: 0/1'
  },
  {
    name: 'kstatus: StatefulSet partition rollout complete',
    object: sts(
      { replicas: 2, updateStrategy: { rollingUpdate: { partition: 1 } } },
      { ...stsOk, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' }
    ),
    status: 'Current',
    message: 'Partition rollout complete. updated: 1'
  },
  {
    name: 'kstatus: StatefulSet with fewer current (stsLessCurrent)',
    object: sts({ replicas: 2 }, { ...stsOk, currentReplicas: 1 }),
    status: 'InProgress',
    reason: 'LessCurrent'
  },
  {
    name: 'kstatus: StatefulSet revision mismatch',
    object: sts({ replicas: 2 }, { ...stsOk, updateRevision: 'r2' }),
    status: 'InProgress',
    reason: 'RevisionMismatch'
  },
  {
    name: 'kstatus: StatefulSet ready (stsOK)',
    object: sts({ replicas: 2 }, stsOk),
    status: 'Current',
    message: 'All replicas scheduled as expected. Replicas: 2'
  },

  // --- core.go daemonsetConditions
  {
    name: 'kstatus: DaemonSet without generation',
    object: ds(dsOk, {}),
    status: 'InProgress',
    reason: 'NoGeneration'
  },
  {
    name: 'kstatus: DaemonSet without observedGeneration (dsNoStatus)',
    object: ds(),
    status: 'InProgress',
    reason: 'NoObservedGeneration'
  },
  {
    name: 'kstatus: DaemonSet without desiredNumberScheduled',
    object: ds({ observedGeneration: 1 }),
    status: 'InProgress',
    reason: 'NoDesiredNumber'
  },
  {
    name: 'kstatus: DaemonSet with fewer scheduled',
    object: ds({ ...dsOk, currentNumberScheduled: 2 }),
    status: 'InProgress',
    reason: 'LessCurrent',
    message: 'Current: 2/3'
  },
  {
    name: 'kstatus: DaemonSet with fewer updated',
    object: ds({ ...dsOk, updatedNumberScheduled: 1 }),
    status: 'InProgress',
    reason: 'LessUpdated'
  },
  {
    name: 'kstatus: DaemonSet with fewer available (dsLessAvailable)',
    object: ds({ ...dsOk, numberAvailable: 2 }),
    status: 'InProgress',
    reason: 'LessAvailable'
  },
  {
    name: 'kstatus: DaemonSet with fewer ready (dsLessReady)',
    object: ds({ ...dsOk, numberReady: 2 }),
    status: 'InProgress',
    reason: 'LessReady'
  },
  {
    name: 'kstatus: DaemonSet generation not observed (dsDifferentGeneration)',
    object: ds({ ...dsOk, observedGeneration: 0 }, { generation: 1 }),
    status: 'InProgress',
    reason: 'LatestGenerationNotObserved'
  },
  { name: 'kstatus: DaemonSet ready (dsOK)', object: ds(dsOk), status: 'Current' },

  // --- core.go replicasetConditions
  {
    name: 'kstatus: ReplicaSet ReplicaFailure stays InProgress (rsReplicaFailure)',
    object: rs({
      ...rsOk,
      conditions: [cond('ReplicaFailure', 'True', 'FailedCreate', 'forbidden')]
    }),
    status: 'InProgress',
    reason: 'ReplicaFailure'
  },
  {
    name: 'kstatus: ReplicaSet with fewer labelled',
    object: rs({ ...rsOk, fullyLabeledReplicas: 1 }),
    status: 'InProgress',
    reason: 'LessLabelled'
  },
  {
    name: 'kstatus: ReplicaSet with fewer available (rsLessAvailable)',
    object: rs({ ...rsOk, availableReplicas: 1 }),
    status: 'InProgress',
    reason: 'LessAvailable'
  },
  {
    name: 'kstatus: ReplicaSet with fewer ready (rsLessReady)',
    object: rs({ ...rsOk, readyReplicas: 1 }),
    status: 'InProgress',
    reason: 'LessReady'
  },
  {
    name: 'kstatus: ReplicaSet with extra pods',
    object: rs({ ...rsOk, replicas: 3 }),
    status: 'InProgress',
    reason: 'ExtraPods'
  },
  { name: 'kstatus: ReplicaSet ready (rsOK1)', object: rs(rsOk), status: 'Current' },

  // --- core.go jobConditions
  {
    name: 'kstatus: Job not started (jobNoStatus)',
    object: job({}),
    status: 'InProgress',
    reason: 'JobNotStarted'
  },
  {
    name: 'kstatus: Job complete (jobComplete)',
    object: job(
      { completions: 2 },
      { succeeded: 2, startTime: iso(NOW), conditions: [cond('Complete', 'True')] }
    ),
    status: 'Current',
    message: 'Job Completed. succeeded: 2/2'
  },
  {
    name: 'kstatus: Job failed (jobFailed)',
    object: job(
      { parallelism: 3 },
      {
        failed: 1,
        startTime: iso(NOW),
        conditions: [cond('Failed', 'True', 'BackoffLimitExceeded')]
      }
    ),
    status: 'Failed',
    reason: 'JobFailed',
    message: 'Job Failed. failed: 1/3'
  },
  {
    name: 'kstatus: Job running is Current (jobInProgress)',
    object: job({}, { active: 1, startTime: iso(NOW) }),
    status: 'Current',
    message: 'Job in progress. success:0, active: 1, failed: 0'
  },
  {
    name: 'kstatus: suspended Job is Current',
    object: job({ suspend: true }, { conditions: [cond('Suspended', 'True')] }),
    status: 'Current',
    message: 'Job is suspended'
  },
  {
    name: 'kstatus: Suspended condition without spec.suspend is not enough',
    object: job({}, { conditions: [cond('Suspended', 'True')] }),
    status: 'InProgress',
    reason: 'JobNotStarted'
  },

  // --- core.go podConditions
  {
    name: 'kstatus: Pod without status (podNoStatus)',
    object: pod(),
    status: 'InProgress',
    reason: 'PodNotObserved'
  },
  {
    name: 'kstatus: Pod running and Ready (podReady)',
    object: pod({ phase: 'Running', conditions: [cond('Ready', 'True')] }),
    status: 'Current',
    message: 'Pod is Ready'
  },
  {
    name: 'kstatus: Pod succeeded (podCompletedOK)',
    object: pod({ phase: 'Succeeded', conditions: [cond('Ready', 'False', 'PodCompleted')] }),
    status: 'Current'
  },
  {
    name: 'kstatus: Pod failed is Current: it will not change (podCompletedFail)',
    object: pod({ phase: 'Failed' }),
    status: 'Current',
    message: 'Pod has completed, but not successfully'
  },
  {
    name: 'kstatus: Pod running, not Ready',
    object: pod({ phase: 'Running', conditions: [cond('Ready', 'False')] }),
    status: 'InProgress',
    reason: 'PodRunningNotReady'
  },
  {
    name: 'kstatus: running Pod in CrashLoopBackOff is Failed (podCrashLooping)',
    object: pod({
      phase: 'Running',
      containerStatuses: [
        { name: 'ok', state: { running: {} } },
        { name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }
      ]
    }),
    status: 'Failed',
    reason: 'ContainerCrashLooping',
    message: 'Containers in CrashLoop state: app'
  },
  {
    name: 'kstatus: Pod pending',
    object: pod({ phase: 'Pending' }),
    status: 'InProgress',
    reason: 'PodPending'
  },
  {
    name: 'phase-gate: ImagePullBackOff stays InProgress in kstatus (podFailure flags it)',
    object: waitingPod('ImagePullBackOff'),
    status: 'InProgress',
    reason: 'PodPending'
  },
  {
    name: 'kstatus: unschedulable Pod inside the 15 s window (podBeingScheduled)',
    object: pod(
      { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] },
      iso(NOW - SCHEDULE_WINDOW_MS + 1000)
    ),
    status: 'InProgress',
    reason: 'PodNotScheduled'
  },
  {
    name: 'kstatus: unschedulable Pod after the window (podUnschedulable)',
    object: pod(
      { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] },
      iso(NOW - SCHEDULE_WINDOW_MS - 1000)
    ),
    status: 'Failed',
    reason: 'PodUnschedulable'
  },
  {
    name: 'kstatus: unschedulable Pod without creationTimestamp counts as old',
    object: obj('v1', 'Pod', {
      status: { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] }
    }),
    status: 'Failed',
    reason: 'PodUnschedulable'
  },
  {
    name: 'phase-gate: unknown Pod phase is Unknown (kstatus: error)',
    object: pod({ phase: 'Exploded' }),
    status: 'Unknown',
    message: 'unknown phase Exploded'
  },

  // --- core.go pvcConditions
  {
    name: 'kstatus: PVC without status (pvcNoStatus)',
    object: obj('v1', 'PersistentVolumeClaim'),
    status: 'InProgress',
    reason: 'NotBound',
    message: 'PVC is not Bound. phase: unknown'
  },
  {
    name: 'kstatus: PVC pending',
    object: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }),
    status: 'InProgress',
    reason: 'NotBound'
  },
  {
    name: 'kstatus: PVC bound (pvcBound)',
    object: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }),
    status: 'Current'
  },

  // --- core.go serviceConditions
  { name: 'kstatus: ClusterIP Service (serviceDefault)', object: svc(), status: 'Current' },
  {
    name: 'kstatus: NodePort Service (serviceNodePort)',
    object: svc({ type: 'NodePort' }),
    status: 'Current'
  },
  {
    name: 'kstatus: LoadBalancer without clusterIP (serviceLBnok)',
    object: svc({ type: 'LoadBalancer' }),
    status: 'InProgress',
    reason: 'NoIPAssigned'
  },
  {
    name: 'phase-gate: LoadBalancer with clusterIP but no ingress (kstatus: Current)',
    object: svc({ type: 'LoadBalancer', clusterIP: '10.0.0.1' }, { loadBalancer: {} }),
    status: 'InProgress',
    reason: 'NoIngressAssigned'
  },
  {
    name: 'phase-gate: LoadBalancer with an ingress address',
    object: svc(
      { type: 'LoadBalancer', clusterIP: '10.0.0.1' },
      { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } }
    ),
    status: 'Current'
  },

  // --- core.go pdbConditions
  {
    name: 'kstatus: PDB observed (pdbObserved)',
    object: obj('policy/v1', 'PodDisruptionBudget', {
      metadata: { generation: 1 },
      status: { observedGeneration: 1 }
    }),
    status: 'Current',
    message: 'AllowedDisruptions has been computed.'
  },

  // --- core.go CRDConditions
  {
    name: 'kstatus: CRD without conditions (crdNoConditions)',
    object: crd(),
    status: 'InProgress',
    reason: 'Installing'
  },
  {
    name: 'kstatus: CRD installing (crdInstalling)',
    object: crd([cond('NamesAccepted', 'True'), cond('Established', 'False', 'Installing')]),
    status: 'InProgress',
    reason: 'Installing'
  },
  {
    name: 'kstatus: CRD names not accepted (crdNamesNotAccepted)',
    object: crd([cond('NamesAccepted', 'False', 'NameConflict', 'plural in use')]),
    status: 'Failed',
    reason: 'NameConflict',
    message: 'plural in use'
  },
  {
    name: 'kstatus: CRD not established for another reason',
    object: crd([cond('Established', 'False', 'Broken', 'no')]),
    status: 'Failed',
    reason: 'Broken'
  },
  {
    name: 'kstatus: CRD established (crdEstablished)',
    object: crd([cond('NamesAccepted', 'True'), cond('Established', 'True')]),
    status: 'Current',
    message: 'CRD is established'
  },

  // --- core.go alwaysReady
  { name: 'kstatus: ConfigMap', object: obj('v1', 'ConfigMap'), status: 'Current' },
  { name: 'kstatus: Secret', object: obj('v1', 'Secret'), status: 'Current' },
  {
    name: 'kstatus: CronJob (cronjobNoStatus)',
    object: obj('batch/v1', 'CronJob'),
    status: 'Current',
    message: 'Resource is always ready'
  }
]

describe('computeStatus (kstatus port)', () => {
  it('has a row for every rule', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60)
  })

  it.each(rows.map(r => [r.name, r] as const))('%s', (_name, row) => {
    const got = computeStatus(row.object, { now: NOW })
    expect(got.status).toBe(row.status)
    if (row.reason !== undefined) expect(got.reason).toBe(row.reason)
    if (row.status === 'Current') expect(got.reason).toBeUndefined()
    if (typeof row.message === 'string') expect(got.message).toBe(row.message)
    if (row.message instanceof RegExp) expect(got.message).toMatch(row.message)
  })

  it('defaults "now" to the wall clock for the scheduling window', () => {
    const fresh = pod(
      { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] },
      new Date().toISOString()
    )
    expect(computeStatus(fresh).reason).toBe('PodNotScheduled')
  })
})

describe('conditionsOf / findCondition', () => {
  it('reads conditions and skips absent status', () => {
    const o = cr({ conditions: [cond('Ready', 'False', 'R', 'm')] })
    expect(conditionsOf(o)).toEqual([
      { type: 'Ready', status: 'False', reason: 'R', message: 'm', lastTransitionTime: undefined }
    ])
    expect(conditionsOf(cr())).toEqual([])
    expect(findCondition(o, 'Ready')?.reason).toBe('R')
    expect(findCondition(o, 'Available')).toBeUndefined()
  })

  it('findCondition tolerates malformed lists; conditionsOf rejects them', () => {
    const bad = cr({ conditions: 'nope' })
    expect(findCondition(bad, 'Ready')).toBeUndefined()
    expect(() => conditionsOf(bad)).toThrow(/not a list/)
  })
})
