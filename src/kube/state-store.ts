/**
 * Where the deployment lifecycle (src/lifecycle/) keeps what must outlive a
 * job, in the target cluster: a ConfigMap `phase-gate-<plan>` for the small
 * index and a Secret `phase-gate-<plan>-<run>` per run for what may hold
 * secret data (the live objects recorded before a phase, ConfigMaps and
 * Secrets among them). The storage driver under the lifecycle's domain,
 * the way Helm's storage drivers sit under its releases.
 */

import { dnsName, labelValue, LABEL_MANAGED_BY, LABEL_PLAN, LABEL_RUN } from './labels.js'
import { KubeApiError, type Cluster, type KubeObject, type ObjectRef } from './types.js'

/** The index as stored: its text and the version a conditional write needs. */
export interface StoredIndex {
  text?: string
  /** Present when the index exists (its resourceVersion). */
  version?: string
  exists: boolean
}

/** A plan's ConfigMap index and per-run Secrets in one namespace. */
export class KubeStateStore {
  readonly indexName: string
  constructor(
    private readonly cluster: Cluster,
    readonly plan: string,
    readonly namespace: string
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

  /** The index's text (key `state.json`), if the ConfigMap exists. */
  async readIndex(): Promise<StoredIndex> {
    const cm = await this.cluster.get(this.ref('ConfigMap', this.indexName))
    return {
      text: (cm?.data as Record<string, string> | undefined)?.['state.json'],
      version: cm?.metadata.resourceVersion,
      exists: cm !== undefined
    }
  }

  /** Writes the index: replaces the version read (or creates it); a concurrent writer makes it throw a conflict. */
  async writeIndex(text: string, read: StoredIndex): Promise<void> {
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.indexName,
        namespace: this.namespace,
        labels: { [LABEL_MANAGED_BY]: 'phase-gate', [LABEL_PLAN]: labelValue(this.plan) },
        ...(read.exists ? { resourceVersion: read.version } : {})
      },
      data: { 'state.json': text }
    }
    if (read.exists) await this.cluster.replace(body)
    else await this.cluster.create(body)
  }

  /** Every key of a run's Secret, decoded. */
  async readRun(runId: string): Promise<Record<string, string>> {
    const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)))
    const data = (secret?.data ?? {}) as Record<string, string>
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])
    )
  }

  /** One key of the run's Secret, decoded. */
  async readRunKey(runId: string, key: string): Promise<string | undefined> {
    const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)))
    const v = (secret?.data as Record<string, string> | undefined)?.[key]
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8')
  }

  /** Writes one key of the run's Secret (server-side apply: other keys stay). */
  async writeRunKey(runId: string, key: string, value: string): Promise<void> {
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

  /** Deletes the plan's run Secrets except those of `keepRunIds`; the names deleted. */
  async pruneRuns(keepRunIds: string[]): Promise<string[]> {
    const keep = new Set(keepRunIds.map(r => this.runSecretName(r)))
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

/** A write that lost to a concurrent one (read the index again and retry). */
export function isWriteConflict(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 409 || err.reason === 'AlreadyExists')
}
