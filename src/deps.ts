/** The real seams (cluster, registry, Prometheus) the engine runs with outside tests. */

import type { EngineDeps } from './engine.js'
import type { Logger } from './core/log.js'
import type { Settings } from './settings.js'
import { createTargetRegistry } from './registry/client.js'

/** Production wiring shared by the action and the CLI. */
export function productionDeps(_settings: Settings, log: Logger): Omit<EngineDeps, 'log'> {
  return {
    registry: (settings, loaded, cluster, namespace) => createTargetRegistry({ settings, loaded, cluster, namespace, log })
  }
}
