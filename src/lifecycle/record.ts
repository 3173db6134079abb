/**
 * The deployment's record: the small index (deployment state, its history,
 * the last runs, the last known-good version) and per run what may hold
 * secret data (the live objects recorded before a phase, ConfigMaps and
 * Secrets among them). What is kept and how it changes lives here; where it
 * is kept (a ConfigMap and per-run Secrets in the target namespace) is
 * kube/state-store.ts.
 */

import type { AppliedObject } from '../kube/apply.js'
import { dnsName } from '../kube/labels.js'
import { KubeStateStore, isWriteConflict } from '../kube/state-store.js'
import type { Cluster } from '../kube/types.js'
import type { DeploymentState, StateTransition } from './states.js'

export interface RunSummary {
  runId: string
  startedAt: string
  finishedAt?: string
  verdict?: string
  phases: string[]
  /** Images of the workloads the run applied, `kind/name: image`. */
  images?: Record<string, string>
  /** The run's overrides as given (`--image app=reg/app:2.0`, `--set web.k=v`): later gates of the run must agree. */
  overrides?: string[]
}

export interface StateIndex {
  plan: string
  namespace: string
  state?: DeploymentState
  stateSince?: string
  history: StateTransition[]
  runs: RunSummary[]
  lastKnownGood?: {
    runId: string
    at: string
    images?: Record<string, string>
    revisions?: Record<string, string>
  }
  /** Soak samples and other per-gate data kept small. */
  extra?: Record<string, unknown>
}

/** What a phase applied, with the state before it, so its undo can restore exactly that. */
export interface PhaseRecord {
  phase: string
  runId: string
  status: 'applying' | 'applied' | 'failed' | 'rolling-back' | 'rolled-back'
  startedAt: string
  finishedAt?: string
  objects: AppliedObject[]
  helm?: { release: string; namespace: string; revisionBefore?: number; revisionAfter?: number }
  /** The phase's migration steps that ran (up before applying, down on its rollback); never their output. */
  migration?: MigrationStepRecord[]
  /** Set when the phase failed with `onFailure: stop` and keeps its objects for a person to choose. */
  stopped?: { reason: string; at: string }
}

/** One run of a phase's migration step. */
export interface MigrationStepRecord {
  step: 'up' | 'down'
  command: string
  exitCode: number
  timedOut: boolean
  durationMs: number
  at: string
}

const HISTORY_LIMIT = 50

/** The plan's state record in the target namespace. */
export class StateRecord {
  readonly indexName: string
  private readonly store: KubeStateStore
  constructor(
    cluster: Cluster,
    readonly plan: string,
    readonly namespace: string,
    private readonly keepRuns = 20
  ) {
    this.store = new KubeStateStore(cluster, plan, namespace)
    this.indexName = this.store.indexName
  }

  /** The record of a plan in its target namespace, keeping the runs the plan's `state.keepRuns` says. */
  static forPlan(
    cluster: Cluster,
    plan: { name: string; state?: { keepRuns?: number } },
    namespace: string
  ): StateRecord {
    return new StateRecord(cluster, plan.name, namespace, plan.state?.keepRuns)
  }

  /** Name of a run's Secret. */
  runSecretName(runId: string): string {
    return this.store.runSecretName(runId)
  }

  /** The index, or an empty one when none was written yet. */
  async readIndex(): Promise<StateIndex> {
    return parseIndex((await this.store.readIndex()).text, this.plan, this.namespace)
  }

  /** Read-modify-write of the index with optimistic concurrency (retried on conflict). */
  async updateIndex(mutate: (index: StateIndex) => void): Promise<StateIndex> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.store.readIndex()
      const index = parseIndex(stored.text, this.plan, this.namespace)
      mutate(index)
      index.history = index.history.slice(-HISTORY_LIMIT)
      index.runs = index.runs.slice(-this.keepRuns)
      try {
        await this.store.writeIndex(JSON.stringify(index, null, 1), stored)
        return index
      } catch (err) {
        if (!isWriteConflict(err) || attempt >= 8) throw err
      }
    }
  }

  /** Moves the deployment to a new state, keeping the transition in its history (`at`: the gate's clock, default now). */
  async transition(
    state: DeploymentState,
    runId: string,
    reason?: string,
    at: string = new Date().toISOString()
  ): Promise<StateIndex> {
    return this.updateIndex(index => {
      if (index.state !== state) index.stateSince = at
      index.state = state
      index.history.push({ state, at, runId, reason })
    })
  }

  /** Writes (creates or updates) one phase's record into the run's data. */
  async writePhase(rec: PhaseRecord): Promise<void> {
    await this.writeRunData(rec.runId, `phase.${dnsName(rec.phase, 200)}.json`, JSON.stringify(rec))
  }

  /** The record of one phase in one run, if written. */
  async readPhase(runId: string, phase: string): Promise<PhaseRecord | undefined> {
    const text = await this.readRunData(runId, `phase.${dnsName(phase, 200)}.json`)
    return text ? (JSON.parse(text) as PhaseRecord) : undefined
  }

  /** Every phase record of a run. */
  async readPhases(runId: string): Promise<PhaseRecord[]> {
    return Object.entries(await this.store.readRun(runId))
      .filter(([k]) => k.startsWith('phase.'))
      .map(([, v]) => JSON.parse(v) as PhaseRecord)
  }

  /** One key of the run's data. */
  async readRunData(runId: string, key: string): Promise<string | undefined> {
    return this.store.readRunKey(runId, key)
  }

  /** Writes one key of the run's data (other keys stay). */
  async writeRunData(runId: string, key: string, value: string): Promise<void> {
    await this.store.writeRunKey(runId, key, value)
  }

  /** Deletes run data beyond the newest `keepRuns` runs of the index. */
  async pruneRuns(): Promise<string[]> {
    const index = await this.readIndex()
    return this.store.pruneRuns(index.runs.slice(-this.keepRuns).map(r => r.runId))
  }
}

function parseIndex(text: string | undefined, plan: string, namespace: string): StateIndex {
  const empty: StateIndex = { plan, namespace, history: [], runs: [] }
  if (!text) return empty
  try {
    return { ...empty, ...(JSON.parse(text) as StateIndex) }
  } catch {
    return empty
  }
}
