/** The real seams (cluster, registry, Prometheus) the engine runs with outside tests. */

import type { EngineDeps } from './engine.js'
import type { Logger } from './core/log.js'
import type { Settings } from './settings.js'

/** Production wiring shared by the action and the CLI. */
export function productionDeps(_settings: Settings, _log: Logger): Omit<EngineDeps, 'log'> {
  return {}
}
