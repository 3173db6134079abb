/**
 * State that must outlive a job lives in the target cluster: a ConfigMap
 * `phase-gate-<plan>` for the small index (deployment state, its history, the
 * last runs, the last known-good version) and a Secret
 * `phase-gate-<plan>-<run>` per run for what may hold secret data (the live
 * objects recorded before a phase, ConfigMaps and Secrets among them).
 */

import { dnsName, labelValue, LABEL_MANAGED_BY, LABEL_PLAN, LABEL_RUN } from './labels.js'
import { KubeApiError, type Cluster, type KubeObject, type ObjectRef } from './types.js'
import type { AppliedObject } from './apply.js'

/** Deployment states a plan and target move through. */
export type DeploymentState =
  | 'images-ready'
  | 'packaged'
  | 'deploying'
  | 'active'
  | 'stable'
  | 'degraded'
  | 'rolling-back'
  | 'previous-stable'
  | 'failed'

/** The check that moves a deployment into each state, and the gate that runs it (DESIGN "Deployment states"). */
export const STATE_CHECKS: Readonly<Record<DeploymentState, string>> = {
  'images-ready':
    'reality-check: it passed with every image of the plan pullable (not while a release is in flight)',
  packaged:
    "phase: before the run's first change, its manifests passed the server's dry run (a Helm phase: the chart rendered)",
  deploying: 'phase / rollout: the first object applied, or the canary shifted',
  active:
    'validate: every validation check and the rollback test passed; rollout: the last stage reached 100 %',
  stable: 'soak: the window passed with enough samples and no violation',
  degraded: 'soak: readiness lost, restarts grew, or a threshold breached N of M samples',
  'rolling-back': 'rollback / rollout trigger / soak.onDegraded: a rollback started',
  'previous-stable': 'rollback: the level verified the previous version back',
  failed: 'rollback: the level could not verify the previous version'
}

export interface StateTransition {
  state: DeploymentState
  at: string
  runId: string
  reason?: string
}

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
}

const HISTORY_LIMIT = 50

/** The plan's state record in the target namespace. */
export class StateRecord {
  readonly indexName: string
  constructor(
    private readonly cluster: Cluster,
    readonly plan: string,
    readonly namespace: string,
    private readonly keepRuns = 20
  ) {
    this.indexName = dnsName(`phase-gate-${plan}`, 253)
  }

  /** Name of a run's Secret. */
  runSecretName(runId: string): string {
    return dnsName(`phase-gate-${this.plan}-${runId}`, 253)
  }

  private ref(kind: 'ConfigMap' | 'Secret', name: string): ObjectRef {
    return { apiVersion: 'v1', kind, name, namespace: this.namespace }
  }

  /** The index, or an empty one when none was written yet. */
  async readIndex(): Promise<StateIndex> {
    const cm = await this.cluster.get(this.ref('ConfigMap', this.indexName))
    return parseIndex(cm, this.plan, this.namespace)
  }

  /** Read-modify-write of the index with optimistic concurrency (retried on conflict). */
  async updateIndex(mutate: (index: StateIndex) => void): Promise<StateIndex> {
    for (let attempt = 0; ; attempt++) {
      const cm = await this.cluster.get(this.ref('ConfigMap', this.indexName))
      const index = parseIndex(cm, this.plan, this.namespace)
      mutate(index)
      index.history = index.history.slice(-HISTORY_LIMIT)
      index.runs = index.runs.slice(-this.keepRuns)
      const body: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: this.indexName,
          namespace: this.namespace,
          labels: { [LABEL_MANAGED_BY]: 'phase-gate', [LABEL_PLAN]: labelValue(this.plan) },
          ...(cm ? { resourceVersion: cm.metadata.resourceVersion } : {})
        },
        data: { 'state.json': JSON.stringify(index, null, 1) }
      }
      try {
        if (cm) await this.cluster.replace(body)
        else await this.cluster.create(body)
        return index
      } catch (err) {
        const conflict =
          err instanceof KubeApiError && (err.status === 409 || err.reason === 'AlreadyExists')
        if (!conflict || attempt >= 8) throw err
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

  /** Writes (creates or updates) one phase's record into the run's Secret. */
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
    const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)))
    const data = (secret?.data ?? {}) as Record<string, string>
    return Object.entries(data)
      .filter(([k]) => k.startsWith('phase.'))
      .map(([, v]) => JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as PhaseRecord)
  }

  /** One key of the run's Secret, decoded. */
  async readRunData(runId: string, key: string): Promise<string | undefined> {
    const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)))
    const v = (secret?.data as Record<string, string> | undefined)?.[key]
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8')
  }

  /** Writes one key of the run's Secret (server-side apply: other keys stay). */
  async writeRunData(runId: string, key: string, value: string): Promise<void> {
    const name = this.runSecretName(runId)
    await this.cluster.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          namespace: this.namespace,
          labels: {
            [LABEL_MANAGED_BY]: 'phase-gate',
            [LABEL_PLAN]: labelValue(this.plan),
            [LABEL_RUN]: labelValue(runId)
          }
        },
        type: 'Opaque',
        data: { [key]: Buffer.from(value).toString('base64') }
      },
      // One field manager per key, so applying one key never drops another.
      { fieldManager: `phase-gate-${dnsName(key, 100)}`.slice(0, 128) }
    )
  }

  /** Deletes run Secrets beyond the newest `keepRuns` runs of the index. */
  async pruneRuns(): Promise<string[]> {
    const index = await this.readIndex()
    const keep = new Set(index.runs.slice(-this.keepRuns).map(r => this.runSecretName(r.runId)))
    const { items } = await this.cluster.list('v1', 'Secret', {
      namespace: this.namespace,
      labelSelector: `${LABEL_MANAGED_BY}=phase-gate,${LABEL_PLAN}=${labelValue(this.plan)}`
    })
    const doomed = items.filter(
      s => s.metadata.name.startsWith(`${this.indexName}-`) && !keep.has(s.metadata.name)
    )
    await Promise.all(doomed.map(s => this.cluster.delete(this.ref('Secret', s.metadata.name))))
    return doomed.map(s => s.metadata.name)
  }
}

function parseIndex(cm: KubeObject | undefined, plan: string, namespace: string): StateIndex {
  const text = (cm?.data as Record<string, string> | undefined)?.['state.json']
  const empty: StateIndex = { plan, namespace, history: [], runs: [] }
  if (!text) return empty
  try {
    return { ...empty, ...(JSON.parse(text) as StateIndex) }
  } catch {
    return empty
  }
}
