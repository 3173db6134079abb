/**
 * What every gate (and each check, level and renderer it hands it to)
 * receives. Its own module below checks/, rollout/ and report/, so those can
 * name the context without importing gates/.
 */

import type { Clock } from './core/clock.js'
import type { Exec } from './core/exec.js'
import type { Logger } from './core/log.js'
import type { Cluster } from './kube/types.js'
import type { StateRecord } from './lifecycle/record.js'
import type { LoadedPlan } from './plan/types.js'
import type { GateName, RunReport } from './report/model.js'
import type { Settings } from './settings.js'
import type { Registry } from './registry/types.js'
import type { Metrics } from './metrics/types.js'
import type { GitHub } from './github/types.js'

/** Live progress of a gate, for the terminal's progress line. */
export interface ProgressEvent {
  gate: GateName
  /** What is happening now, e.g. `waiting for Deployment web`. */
  activity: string
  done?: number
  total?: number
  /** The awaited thing's status now (`InProgress: Pod is not ready`), for the job log's heartbeat. */
  status?: string
  /** When the current wait gives up (the Clock's milliseconds), for "time left". */
  deadline?: number
}

export interface GateContext {
  loaded: LoadedPlan
  settings: Settings
  runId: string
  /** The effective target namespace (flag > plan > kubeconfig context). */
  namespace: string
  /** The cluster, connected lazily; throws InfraError when it cannot be reached. */
  cluster(): Promise<Cluster>
  /** The plan's state record in the target namespace (made once, over the cluster); throws as cluster() does. */
  stateRecord(): Promise<StateRecord>
  registry(): Registry
  /** The plan's Prometheus; throws UsageError when the plan names none. */
  metrics(): Metrics
  github?: GitHub
  exec: Exec
  clock: Clock
  log: Logger
  /** Aborts on SIGINT/SIGTERM or cancellation. */
  signal: AbortSignal
  progress(event: ProgressEvent): void
  /** Reports of earlier gates of this run (the record and plan gates read them). */
  earlier: RunReport[]
}
