/**
 * Builders for workload objects in the states the Kubernetes controllers put
 * them in, for unit tests that play the controllers against a FakeCluster.
 * Shapes follow what kube-controller-manager and the kubelet write (condition
 * types, reasons, revision annotations, ownerReferences).
 */

import type { KubeObject } from '../../src/kube/types.js'

const REVISION = 'deployment.kubernetes.io/revision'

/** A Deployment the controller has not acted on yet (`replicas` wanted, none available). */
export function deployment(
  name: string,
  opts: { namespace?: string; replicas?: number; image?: string; revision?: number } = {}
): KubeObject {
  const replicas = opts.replicas ?? 1
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: opts.namespace ?? 'ns',
      generation: 1,
      annotations: { [REVISION]: String(opts.revision ?? 1) }
    },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: opts.image ?? `registry.invalid/${name}:1` }] }
      }
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: replicas,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.'
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${name}-1" is progressing.`
        }
      ]
    }
  }
}

/** Mutates a Deployment into the Available state the controller reports when the rollout is done. */
export function makeAvailable(d: KubeObject): void {
  const replicas = (d.spec as { replicas?: number }).replicas ?? 1
  d.status = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.'
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${d.metadata.name}-1" has successfully progressed.`
      }
    ]
  }
}

/** The ReplicaSet a Deployment (as stored, with its uid) owns for a revision. */
export function replicaSetOf(d: KubeObject, revision = 1, hash = `h${revision}`): KubeObject {
  const labels = { app: d.metadata.name, 'pod-template-hash': hash }
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: { [REVISION]: String(revision) },
      ownerReferences: [ownerRef(d)]
    },
    spec: { replicas: 1, selector: { matchLabels: labels } },
    status: { replicas: 0, observedGeneration: 1 }
  }
}

/** A Pod owned by `owner` (as stored, with its uid), labelled like the owner's template. */
export function podOf(
  owner: KubeObject,
  name: string,
  status: Record<string, unknown> = { phase: 'Pending' },
  extraLabels: Record<string, string> = {}
): KubeObject {
  const labels = {
    ...((owner.metadata.labels as Record<string, string> | undefined) ?? {}),
    app: owner.metadata.labels?.app ?? owner.metadata.name,
    ...extraLabels
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [ownerRef(owner)]
    },
    spec: {
      restartPolicy: 'Always',
      containers: [{ name: 'app', image: 'registry.invalid/app:1' }]
    },
    status
  }
}

/** Pod status the kubelet reports while an image cannot be pulled. */
export function imagePullBackOff(image: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }
    ],
    containerStatuses: [
      {
        name: 'app',
        image,
        ready: false,
        restartCount: 0,
        state: {
          waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }
        }
      }
    ]
  }
}

/** Pod status of a container in CrashLoopBackOff after `restarts` restarts. */
export function crashLoop(restarts = 3): Record<string, unknown> {
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    containerStatuses: [
      {
        name: 'app',
        image: 'registry.invalid/app:1',
        ready: false,
        restartCount: restarts,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 40s restarting failed container=app'
          }
        },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } }
      }
    ]
  }
}

/** Pod status the scheduler leaves when no node fits. */
export function unschedulable(message: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }]
  }
}

/** Pod status of a running, Ready Pod. */
export function runningReady(): Record<string, unknown> {
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'app',
        image: 'registry.invalid/app:1',
        ready: true,
        restartCount: 0,
        state: { running: {} }
      }
    ]
  }
}

function ownerRef(o: KubeObject): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  if (!o.metadata.uid)
    throw new Error(`fixture: ${o.kind} ${o.metadata.name} has no uid; pass the stored object`)
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    uid: o.metadata.uid,
    controller: true
  }
}
