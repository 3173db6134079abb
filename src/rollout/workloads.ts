/**
 * Workload helpers the rollout and the rollback levels share: references
 * from the plan's `{kind, name}`, what a pod template mounts (ConfigMaps and
 * Secrets, and how), the workloads that consume a ConfigMap or Secret, and a
 * restart the way `kubectl rollout restart` does it (a pod-template
 * annotation), since a value read through env or subPath only reaches a pod
 * that starts again.
 */

import type { Cluster, KubeObject, ObjectRef } from '../kube/types.js'
import type { RolloutSpec, WorkloadRef } from '../plan/types.js'

/** The annotation a restart sets on the pod template (kubectl uses kubectl.kubernetes.io/restartedAt). */
export const RESTARTED_AT = 'phase-gate.dev/restartedAt'

const APPS_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'])

/** The ObjectRef of a plan's workload reference in a namespace. */
export function workloadRef(w: WorkloadRef, namespace: string): ObjectRef {
  const apiVersion = w.apiVersion ?? (APPS_KINDS.has(w.kind) ? 'apps/v1' : undefined)
  if (!apiVersion)
    throw new Error(
      `${w.kind} ${w.name}: give apiVersion for a kind other than ${[...APPS_KINDS].join(', ')}`
    )
  return { apiVersion, kind: w.kind, name: w.name, namespace }
}

/** The canary of a rollout: `canary:`, else `<target>-canary` of the same kind. */
export function canaryWorkload(r: Pick<RolloutSpec, 'target' | 'canary'>): WorkloadRef {
  return r.canary ?? { ...r.target, name: `${r.target.name}-canary` }
}

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
export function podTemplateOf(obj: KubeObject | undefined): Record<string, unknown> | undefined {
  const t = (obj?.spec as { template?: unknown } | undefined)?.template
  return t && typeof t === 'object' ? (t as Record<string, unknown>) : undefined
}

/** The images of a pod template's containers, in order. */
export function imagesOf(template: Record<string, unknown> | undefined): string[] {
  const spec = template?.spec as { containers?: { image?: string }[] } | undefined
  return (spec?.containers ?? []).map(c => c.image ?? '')
}

/** How a pod uses a ConfigMap or Secret: env vars and subPath mounts keep their value until a restart. */
export type Use = 'env' | 'volume' | 'subPath'

/** One ConfigMap or Secret a template references. */
export interface Reference {
  kind: 'ConfigMap' | 'Secret'
  name: string
  use: Use
}

interface Container {
  env?: { valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } } }[]
  envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[]
  volumeMounts?: { name?: string; subPath?: string; subPathExpr?: string }[]
}
interface Volume {
  name?: string
  configMap?: { name?: string }
  secret?: { secretName?: string }
  projected?: { sources?: { configMap?: { name?: string }; secret?: { name?: string } }[] }
}

/** The ConfigMaps and Secrets a pod template references, and how. */
export function templateReferences(template: Record<string, unknown> | undefined): Reference[] {
  const spec = (template?.spec ?? {}) as {
    containers?: Container[]
    initContainers?: Container[]
    volumes?: Volume[]
  }
  const out: Reference[] = []
  const add = (kind: Reference['kind'], name: string | undefined, use: Use): void => {
    if (name && !out.some(r => r.kind === kind && r.name === name && r.use === use))
      out.push({ kind, name, use })
  }
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name, 'env')
      add('Secret', e.valueFrom?.secretKeyRef?.name, 'env')
    }
    for (const e of c.envFrom ?? []) {
      add('ConfigMap', e.configMapRef?.name, 'env')
      add('Secret', e.secretRef?.name, 'env')
    }
  }
  for (const v of spec.volumes ?? []) {
    // A volume mounted with subPath never sees updates; a whole-volume mount does (after the kubelet's sync).
    const sub = containers.some(c =>
      (c.volumeMounts ?? []).some(m => m.name === v.name && (m.subPath || m.subPathExpr))
    )
    const use: Use = sub ? 'subPath' : 'volume'
    add('ConfigMap', v.configMap?.name, use)
    add('Secret', v.secret?.secretName, use)
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap?.name, use)
      add('Secret', s.secret?.name, use)
    }
  }
  return out
}

/** A workload that references one of the named ConfigMaps or Secrets. */
export interface Consumer {
  ref: ObjectRef
  uses: Reference[]
}

const WORKLOAD_KINDS: [string, string][] = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet']
]

/** Workloads in the namespace whose pods reference any of these ConfigMaps or Secrets. */
export async function consumersOf(
  cluster: Cluster,
  namespace: string,
  wanted: { configMaps?: string[]; secrets?: string[] }
): Promise<Consumer[]> {
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(([apiVersion, kind]) => cluster.list(apiVersion, kind, { namespace }))
  )
  const out: Consumer[] = []
  for (const obj of lists.flatMap(l => l.items)) {
    const uses = templateReferences(podTemplateOf(obj)).filter(r =>
      r.kind === 'ConfigMap'
        ? (wanted.configMaps ?? []).includes(r.name)
        : (wanted.secrets ?? []).includes(r.name)
    )
    if (uses.length)
      out.push({
        ref: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace },
        uses
      })
  }
  return out
}

/** Restarts workloads by stamping their pod template (a new rollout of the same spec). */
export async function restartWorkloads(
  cluster: Cluster,
  refs: ObjectRef[],
  at: Date
): Promise<void> {
  await Promise.all(
    refs.map(ref =>
      cluster.mergePatch(ref, {
        spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at.toISOString() } } } }
      })
    )
  )
}

/** `Kind name` of a workload ref. */
export function describeWorkload(ref: ObjectRef): string {
  return `${ref.kind} ${ref.name}`
}

const KUBECTL_RESOURCE: Readonly<Record<string, string>> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset'
}

/** `deployment/web` as kubectl's rollout commands take it; undefined for a kind they do not roll. */
export function kubectlWorkload(kind: string, name: string): string | undefined {
  const resource = Object.hasOwn(KUBECTL_RESOURCE, kind) ? KUBECTL_RESOURCE[kind] : undefined
  return resource && `${resource}/${name}`
}
