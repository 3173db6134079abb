/** The real seams (cluster, registry, Prometheus) the engine runs with outside tests. */

import type { EngineDeps } from './engine.js'
import type { Logger } from './core/log.js'
import type { Settings } from './settings.js'
import { createTargetRegistry } from './registry/client.js'
import { planPullSources } from './checks/pull-sources.js'
import { connectCluster } from './kube/client.js'
import { createPrometheus, planPrometheus } from './metrics/prometheus.js'
import { UsageError } from './core/errors.js'
import type { LoadedPlan } from './plan/types.js'
import type { Metrics } from './metrics/types.js'

/** Production wiring shared by the action and the CLI. */
export function productionDeps(settings: Settings, log: Logger): Omit<EngineDeps, 'log'> {
  // One client per plan: the engine asks for it once per check or gate.
  const clients = new WeakMap<LoadedPlan, Metrics>()
  return {
    registry: (settings, loaded, cluster, namespace) =>
      createTargetRegistry({
        settings,
        loaded,
        cluster,
        namespace,
        log,
        pullSources: () => planPullSources(loaded, settings.workspace, namespace)
      }),
    // The plan's Prometheus (rollout.metrics.prometheus, else prometheus:), else PHASE_GATE_PROMETHEUS.
    metrics: loaded => {
      const known = clients.get(loaded)
      if (known) return known
      const spec = planPrometheus(loaded.plan) ?? process.env.PHASE_GATE_PROMETHEUS
      if (!spec)
        throw new UsageError(
          'the plan names no Prometheus (rollout.metrics.prometheus or prometheus:), and PHASE_GATE_PROMETHEUS is not set'
        )
      let proxyCluster: ReturnType<typeof connectCluster> | undefined
      const client = createPrometheus(spec, {
        baseDir: loaded.dir,
        log,
        // Only a serviceProxy setting connects; it uses the run's kubeconfig and context.
        cluster: () =>
          (proxyCluster ??= connectCluster({
            kubeconfigPath:
              settings.kubeconfig.kind === 'path' ? settings.kubeconfig.path : undefined,
            context: settings.context ?? loaded.plan.target.context
          }))
      })
      clients.set(loaded, client)
      return client
    }
  }
}
