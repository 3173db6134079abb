/**
 * The plan's `fleet` as the fleet layer uses it: which clusters each wave
 * reaches, the halt rule and what the kubeconfig must hold. Pure, except
 * `assertFleetContexts`, which reads the kubeconfig.
 */

import { UsageError } from '../core/errors.js'
import { kubeconfigContexts } from '../kube/kubeconfig.js'
import type { FleetCluster, FleetSpec, FleetWave, LoadedPlan } from '../plan/types.js'

/** The most waves a fleet may have: the reusable workflow's wave jobs are generated from this fixed maximum. */
export const MAX_FLEET_WAVES = 8

/** Does a cluster carry every label the wave selects? */
export function selects(wave: FleetWave, cluster: FleetCluster): boolean {
  return Object.entries(wave.select).every(([k, v]) => cluster.labels?.[k] === v)
}

/** One wave with the clusters it reaches, in plan order. A cluster selected by an earlier wave is not selected again. */
export interface ResolvedWave {
  wave: FleetWave
  clusters: FleetCluster[]
}

/** The waves in order, each with its clusters; a cluster belongs to the first wave that selects it. */
export function resolveWaves(fleet: FleetSpec): ResolvedWave[] {
  const taken = new Set<string>()
  return fleet.waves.map(wave => {
    const clusters = fleet.clusters.filter(c => !taken.has(c.name) && selects(wave, c))
    for (const c of clusters) taken.add(c.name)
    return { wave, clusters }
  })
}

/** How many failed clusters of a wave of `size` halt the release. */
export function haltThreshold(fleet: FleetSpec, size: number): number {
  const rule = fleet.haltOn ?? { failedClusters: 1 }
  if ('failedClusters' in rule) return rule.failedClusters
  return Math.max(1, Math.ceil((rule.percent / 100) * size))
}

/** Every context the fleet names must be in the kubeconfig; throws UsageError (exit 2) naming each missing one. */
export function assertFleetContexts(loaded: LoadedPlan, kubeconfigPath?: string): void {
  const fleet = loaded.plan.fleet
  if (!fleet) return
  const { contexts, source } = kubeconfigContexts(kubeconfigPath)
  const known = new Set(contexts)
  const problems = fleet.clusters.flatMap((c, i) => {
    if (known.has(c.context)) return []
    const at = loaded.locate(['fleet', 'clusters', i, 'context'])
    return [
      `${at.file}:${at.line}:${at.column}: fleet.clusters[${i}].context: cluster "${c.name}" names context "${c.context}", which is not in kubeconfig ${source} (contexts there: ${contexts.join(', ') || 'none'}); add it or fix the plan`
    ]
  })
  if (problems.length)
    throw new UsageError(
      `${loaded.displayFile}: ${problems.length} fleet context${problems.length === 1 ? ' is' : 's are'} missing from the kubeconfig`,
      problems
    )
}

/**
 * `check --cluster NAME` on a plan with a fleet: that cluster's context and
 * namespace (its override, else the plan's). A UsageError (exit 2) names the
 * clusters there are when NAME is not one, when the plan has no fleet, or
 * when --context/--namespace are given too.
 */
export function fleetClusterTarget(
  loaded: LoadedPlan,
  name: string,
  given: { context?: string; namespace?: string } = {}
): { context: string; namespace: string } {
  const fleet = loaded.plan.fleet
  if (!fleet)
    throw new UsageError(
      `--cluster ${name}: ${loaded.displayFile} has no fleet (fleet.clusters); use --context and --namespace`
    )
  const cluster = fleet.clusters.find(c => c.name === name)
  if (!cluster)
    throw new UsageError(
      `no cluster "${name}" in ${loaded.displayFile}; clusters: ${fleet.clusters.map(c => c.name).join(', ')}`
    )
  if (given.context !== undefined || given.namespace !== undefined)
    throw new UsageError(
      `--cluster ${name} gives the context (${cluster.context}) and namespace: drop --context/--namespace, or drop --cluster`
    )
  return { context: cluster.context, namespace: cluster.namespace ?? loaded.plan.target.namespace }
}
