/**
 * The pod specs inside workload manifests (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and look-alikes
 * with `spec.template.spec.containers`), with the field path of each, and
 * how many pods each workload asks for at once.
 */

import type { KubeObject } from '../kube/types.js'
import { isRecord, records } from '../core/fields.js'

/** One pod spec inside a manifest object. */
export interface PodTemplate {
  spec: Record<string, unknown>
  /** Field path of the pod spec in the object, e.g. `spec.template.spec`. */
  path: string
  /** Labels and annotations of the pod template (or the Pod). */
  metadata: { labels: Record<string, string>; annotations: Record<string, string> }
}

/** The kinds whose pod specs Pod Security admission evaluates (pod-security-admission's PodSpecExtractor). */
export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'PodTemplate'
])

/** The pod spec of a Pod, a workload's template or a CronJob's job template; undefined for other objects. */
export function podTemplateOf(obj: KubeObject): PodTemplate | undefined {
  if (obj.kind === 'Pod') {
    return isRecord(obj.spec)
      ? { spec: obj.spec, path: 'spec', metadata: metaOf(obj.metadata) }
      : undefined
  }
  if (obj.kind === 'PodTemplate') {
    const tpl = obj.template
    return isRecord(tpl) && isRecord(tpl.spec)
      ? { spec: tpl.spec, path: 'template.spec', metadata: metaOf(tpl.metadata) }
      : undefined
  }
  const spec = isRecord(obj.spec) ? obj.spec : undefined
  if (!spec) return undefined
  if (obj.kind === 'CronJob') {
    const job =
      isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec)
        ? spec.jobTemplate.spec
        : undefined
    const tpl = job && isRecord(job.template) ? job.template : undefined
    return tpl && isRecord(tpl.spec)
      ? {
          spec: tpl.spec,
          path: 'spec.jobTemplate.spec.template.spec',
          metadata: metaOf(tpl.metadata)
        }
      : undefined
  }
  const tpl = isRecord(spec.template) ? spec.template : undefined
  // Built-in workloads, and look-alikes (Argo Rollouts, DeploymentConfigs) that embed a pod template.
  if (!tpl || !isRecord(tpl.spec) || !Array.isArray(tpl.spec.containers)) return undefined
  return { spec: tpl.spec, path: 'spec.template.spec', metadata: metaOf(tpl.metadata) }
}

function metaOf(m: unknown): PodTemplate['metadata'] {
  const r = isRecord(m) ? m : {}
  return { labels: stringMap(r.labels), annotations: stringMap(r.annotations) }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Which list of the pod spec a container sits in. */
export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers'

/** One container with its field path (relative to the object), e.g. `spec.template.spec.containers[0]`. */
export interface ContainerRef {
  container: Record<string, unknown>
  list: ContainerList
  index: number
  path: string
  name: string
  /** An init container with `restartPolicy: Always`: it runs beside the app containers for the pod's life. */
  sidecar: boolean
}

/** Every container of a pod template: init containers, containers, ephemeral containers. */
export function containersOf(t: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = []
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    records(t.spec[list]).forEach((container, index) => {
      out.push({
        container,
        list,
        index,
        path: `${t.path}.${list}[${index}]`,
        name: typeof container.name === 'string' ? container.name : `${list}[${index}]`,
        sidecar: list === 'initContainers' && container.restartPolicy === 'Always'
      })
    })
  }
  return out
}

/**
 * Pods a workload runs at once: replicas for Deployments, StatefulSets and
 * ReplicaSets, parallelism for Jobs and CronJobs, one per node for DaemonSets.
 */
export function podCount(obj: KubeObject, nodes = 1): number {
  const spec = isRecord(obj.spec) ? obj.spec : {}
  const int = (v: unknown, dflt: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt
  switch (obj.kind) {
    case 'Pod':
      return 1
    case 'DaemonSet':
      return nodes
    case 'Job': {
      const parallelism = int(spec.parallelism, 1)
      const completions =
        spec.completions === undefined || spec.completions === null
          ? parallelism
          : int(spec.completions, 1)
      return Math.min(parallelism, completions)
    }
    case 'CronJob': {
      const job =
        isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {}
      const parallelism = int(job.parallelism, 1)
      const completions =
        job.completions === undefined || job.completions === null
          ? parallelism
          : int(job.completions, 1)
      return Math.min(parallelism, completions)
    }
    case 'PodTemplate':
      return 0
    default:
      return int(spec.replicas, 1)
  }
}
