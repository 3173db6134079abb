/** What assumption checks (the reality check's kinds) and validation checks receive. */

import type { Clock } from '../core/clock.js'
import type { Exec } from '../core/exec.js'
import type { Logger } from '../core/log.js'
import type { ApiSurface, Cluster } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { LoadedPlan } from '../plan/types.js'
import type { CheckResult } from '../report/model.js'
import type { Registry } from '../registry/types.js'
import type { Settings } from '../settings.js'

/** Everything a reality-check kind may look at; discovery and manifests are loaded once for all. */
export interface RealityContext {
  loaded: LoadedPlan
  settings: Settings
  namespace: string
  runId: string
  cluster: Cluster
  surface: ApiSurface
  /** Objects of `assumptions.manifests` (and rendered Helm phases), target namespace not yet filled in. */
  manifests: LoadedManifest[]
  registry(): Registry
  exec: Exec
  clock: Clock
  log: Logger
  signal: AbortSignal
}

/** One kind of assumption the reality check proves; one module per kind under src/checks/. */
export interface AssumptionCheck<K extends string = string> {
  kind: K
  /** True when the plan gives this kind anything to check. */
  applies(ctx: RealityContext): boolean
  run(ctx: RealityContext): Promise<CheckResult[]>
}
