/**
 * Container resource use against limits: the limits come from the pods'
 * specs, the use from cAdvisor's series in Prometheus
 * (`container_memory_working_set_bytes`, `rate(container_cpu_usage_seconds_total)`),
 * matched per pod and container. The soak gate warns from it; the rollout
 * gate judges its canary's share of limits with it.
 */

import { formatQuantity, parseQuantity, quantityToNumber } from '../kube/quantity.js'
import { UsageError, errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { formatNumber } from './judge.js'
import type { MetricSample, Metrics } from './types.js'
import { rec, recordItems } from '../core/fields.js'

/** A resource whose use is compared against limits. */
export type Resource = 'cpu' | 'memory'

/** Every resource compared against limits. */
export const RESOURCES: readonly Resource[] = ['cpu', 'memory']

/** The cAdvisor series each resource's use comes from. */
export const CADVISOR_SERIES: Readonly<Record<Resource, string>> = {
  cpu: 'container_cpu_usage_seconds_total',
  memory: 'container_memory_working_set_bytes'
}

/** One container's use of one resource, with its limit when it sets one. */
export interface ContainerUse {
  pod: string
  container: string
  resource: Resource
  /** Cores or bytes. */
  value: number
  limit?: number
  /** value / limit, when there is a limit. */
  share?: number
}

/** What reading resource use found: the uses, or why there are none. */
export type ResourceUse =
  | { kind: 'ok'; uses: ContainerUse[]; url: string }
  | { kind: 'no-pods' }
  | { kind: 'no-limits' }
  | { kind: 'no-prometheus' }
  | { kind: 'unavailable'; message: string }
  /** Prometheus answered, with no cAdvisor series for these pods. */
  | { kind: 'no-series'; url: string }

/** Limits of every container, `pod/container` → {cpu, memory} in units (cores, bytes). */
export function containerLimits(
  pods: KubeObject[]
): Map<string, { cpu?: number; memory?: number }> {
  const out = new Map<string, { cpu?: number; memory?: number }>()
  for (const p of pods)
    for (const c of recordItems(rec(p.spec).containers)) {
      const limits = rec(rec(c.resources).limits)
      const cpu = parseQuantity(limits.cpu as string | undefined)
      const memory = parseQuantity(limits.memory as string | undefined)
      if (cpu !== undefined || memory !== undefined)
        out.set(`${p.metadata.name}/${String(c.name)}`, {
          cpu: cpu !== undefined ? quantityToNumber(cpu) : undefined,
          memory: memory !== undefined ? quantityToNumber(memory) : undefined
        })
    }
  return out
}

/** Containers of these pods that set no limit for the resource, as `pod/container`. */
export function unlimitedContainers(pods: KubeObject[], resource: Resource): string[] {
  const limits = containerLimits(pods)
  const out: string[] = []
  for (const p of pods)
    for (const c of recordItems(rec(p.spec).containers)) {
      const k = `${p.metadata.name}/${String(c.name)}`
      if (limits.get(k)?.[resource] === undefined) out.push(k)
    }
  return out.sort()
}

/** Regex-safe alternation of pod names for a PromQL `=~` matcher. */
function podPattern(pods: KubeObject[]): string {
  return pods.map(p => p.metadata.name.replace(/[.\\+*?^$()[\]{}|]/g, m => `\\\\${m}`)).join('|')
}

/**
 * How CPU use is read from its counter: `rate` over a long window (the soak's average), or
 * `irate` (the last two scrapes in the window: the use now, which a rollout judges; a young
 * canary's `rate` would be its increase spread over the whole window).
 */
export interface CpuRate {
  fn: 'rate' | 'irate'
  window: string
}

/** The PromQL queries for container memory and CPU use of these pods. */
export function resourceQueries(
  namespace: string,
  pods: KubeObject[],
  cpuRate: CpuRate = { fn: 'rate', window: '5m' }
): { memory: string; cpu: string } {
  const sel = `namespace="${namespace}",pod=~"${podPattern(pods)}",container!="",container!="POD"`
  return {
    memory: `max by (pod, container) (container_memory_working_set_bytes{${sel}})`,
    cpu: `sum by (pod, container) (${cpuRate.fn}(container_cpu_usage_seconds_total{${sel}}[${cpuRate.window}]))`
  }
}

/**
 * Reads these pods' use of each resource from Prometheus and matches it to
 * their limits. `metrics` is called only when there is something to compare
 * (a UsageError from it means no Prometheus is configured).
 */
export async function readResourceUse(
  metrics: () => Metrics,
  namespace: string,
  pods: KubeObject[],
  opts: { signal?: AbortSignal; cpuRate?: CpuRate; resources?: readonly Resource[] } = {}
): Promise<ResourceUse> {
  if (pods.length === 0) return { kind: 'no-pods' }
  const limits = containerLimits(pods)
  if (limits.size === 0) return { kind: 'no-limits' }
  let m: Metrics
  try {
    m = metrics()
  } catch (err) {
    if (err instanceof UsageError) return { kind: 'no-prometheus' }
    throw err
  }
  const q = resourceQueries(namespace, pods, opts.cpuRate)
  const wanted = opts.resources ?? RESOURCES
  let answers: [Resource, MetricSample[]][]
  try {
    answers = await Promise.all(
      wanted.map(
        async r => [r, await m.query(q[r], { signal: opts.signal })] as [Resource, MetricSample[]]
      )
    )
  } catch (err) {
    if (opts.signal?.aborted) throw err
    return { kind: 'unavailable', message: errorMessage(err) }
  }
  if (answers.every(([, samples]) => samples.length === 0)) return { kind: 'no-series', url: m.url }
  const uses: ContainerUse[] = []
  for (const [resource, samples] of answers)
    for (const s of samples) {
      if (!Number.isFinite(s.value)) continue
      const pod = s.labels.pod ?? ''
      const container = s.labels.container ?? ''
      const limit = limits.get(`${pod}/${container}`)?.[resource] || undefined
      uses.push({
        pod,
        container,
        resource,
        value: s.value,
        limit,
        share: limit ? s.value / limit : undefined
      })
    }
  return { kind: 'ok', uses, url: m.url }
}

/** A quantity as the pod spec would write it: `900m`, `90Mi`. */
export function formatResource(n: number, resource: Resource): string {
  return formatQuantity(BigInt(Math.round(n * 1e9)), resource)
}

/** A use against its limit in words: `0.9 of 1 core`, `90Mi of 100Mi`. */
export function describeUse(value: number, limit: number, resource: Resource): string {
  if (resource === 'memory')
    return `${formatResource(value, resource)} of ${formatResource(limit, resource)}`
  return `${formatNumber(value)} of ${formatNumber(limit)} core${limit === 1 ? '' : 's'}`
}

/** A share as a whole percentage: `90 %`. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`
}
