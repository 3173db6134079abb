/**
 * The canary's share of its limits, read each sample of a stage's hold for
 * the `resource:` rollback triggers: the canary workload's pods (by its
 * selector, listed anew each sample since the replica ratio replaces them),
 * their limits, and cAdvisor's use of each container from Prometheus. The
 * value is the highest share of any container. A container without a limit
 * is not judged (the gate says so once); no cAdvisor series, no pods or no
 * limit at all is no data, which only the dead-man's switch acts on.
 */

import { errorMessage } from '../core/errors.js'
import { labelSelectorOf } from '../kube/pod-failures.js'
import { describeRef, type Cluster, type KubeObject } from '../kube/types.js'
import { resourceMetric, type Reading } from '../metrics/judge.js'
import {
  CADVISOR_SERIES,
  containerLimits,
  describeUse,
  formatShare,
  readResourceUse,
  unlimitedContainers,
  type CpuRate,
  type Resource
} from '../metrics/resource-use.js'
import type { Metrics } from '../metrics/types.js'
import type { RolloutSpec } from '../plan/types.js'
import type { ExtraReaders } from './hold.js'
import { canaryWorkload, workloadRef } from './workloads.js'

/**
 * CPU use now: irate over the last two scrapes within 1m (a few scrapes at the usual 15–30 s
 * cAdvisor interval). A rate would under-read a canary younger than its window; the trigger's
 * samples/of is what smooths a spike.
 */
export const CANARY_CPU_RATE: CpuRate = { fn: 'irate', window: '1m' }

/** The resources a rollout's triggers judge against limits, in plan order. */
export function judgedResources(rollout: Pick<RolloutSpec, 'rollbackIf'>): Resource[] {
  const out: Resource[] = []
  for (const t of rollout.rollbackIf ?? [])
    if (t.resource && !out.includes(t.resource)) out.push(t.resource)
  return out
}

/** A reader of the canary's share of its limits, plus the containers it could not judge. */
export interface ShareReader extends ExtraReaders {
  /** `cpu` → containers (by name) of the canary that set no limit for it, as seen so far. */
  readonly unlimited: Map<Resource, Set<string>>
}

function live(p: KubeObject): boolean {
  const phase = (p.status as { phase?: string } | undefined)?.phase
  return !p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed'
}

/** Reads the canary's highest share of each resource's limits, once per sample. */
export function canaryShareReader(o: {
  cluster: Cluster
  metrics: Metrics
  rollout: Pick<RolloutSpec, 'target' | 'canary'>
  namespace: string
  resources: Resource[]
}): ShareReader {
  const ref = workloadRef(canaryWorkload(o.rollout), o.namespace)
  const unlimited = new Map<Resource, Set<string>>()
  const every = (reading: Reading): Record<string, Reading> =>
    Object.fromEntries(o.resources.map(r => [resourceMetric(r), reading]))
  return {
    names: o.resources.map(resourceMetric),
    unlimited,
    async read(signal) {
      let pods: KubeObject[]
      try {
        const workload = await o.cluster.get(ref)
        if (!workload)
          return every({ kind: 'empty', reason: `canary ${describeRef(ref)} not found` })
        const selector = labelSelectorOf(workload)
        if (!selector)
          return every({ kind: 'empty', reason: `canary ${describeRef(ref)} has no selector` })
        pods = (
          await o.cluster.list('v1', 'Pod', { namespace: o.namespace, labelSelector: selector })
        ).items.filter(live)
      } catch (err) {
        if (signal?.aborted) throw err
        return every({
          kind: 'unavailable',
          message: `canary pods not read: ${errorMessage(err)}`
        })
      }
      for (const r of o.resources)
        for (const k of unlimitedContainers(pods, r)) {
          const set = unlimited.get(r) ?? new Set<string>()
          set.add(k.slice(k.indexOf('/') + 1))
          unlimited.set(r, set)
        }
      const use = await readResourceUse(() => o.metrics, o.namespace, pods, {
        signal,
        cpuRate: CANARY_CPU_RATE,
        resources: o.resources
      })
      const out: Record<string, Reading> = {}
      for (const r of o.resources) {
        const name = resourceMetric(r)
        switch (use.kind) {
          case 'no-pods':
            out[name] = { kind: 'empty', reason: `no canary pods of ${describeRef(ref)}` }
            break
          case 'no-limits':
            out[name] = { kind: 'empty', reason: `no canary container sets a ${r} limit` }
            break
          case 'no-prometheus':
            out[name] = { kind: 'unavailable', message: 'no Prometheus configured' }
            break
          case 'unavailable':
            out[name] = { kind: 'unavailable', message: use.message }
            break
          case 'no-series':
          case 'ok': {
            const uses = use.kind === 'ok' ? use.uses.filter(u => u.resource === r) : []
            const limited = uses.filter(u => u.share !== undefined)
            if (limited.length === 0) {
              out[name] = {
                kind: 'empty',
                reason: ![...containerLimits(pods).values()].some(l => l[r] !== undefined)
                  ? `no canary container sets a ${r} limit`
                  : `no ${CADVISOR_SERIES[r]} series for the canary's limited containers in ${use.url} (cAdvisor not scraped?)`
              }
              break
            }
            const top = limited.reduce((a, b) => ((b.share ?? 0) > (a.share ?? 0) ? b : a))
            out[name] = {
              kind: 'value',
              value: top.share ?? 0,
              labels: { pod: top.pod, container: top.container },
              detail: `${top.pod}/${top.container} ${describeUse(top.value, top.limit ?? 0, r)} (${formatShare(top.share ?? 0)})`
            }
          }
        }
      }
      return out
    }
  }
}
