/**
 * What `phase-gate status` and `phase-gate history` share: the plan, the
 * target namespace, and its state record in the cluster, read-only.
 */

import { InfraError } from '../../core/errors.js'
import { loadValidPlan } from '../../engine.js'
import { asInfraError, connectCluster } from '../../kube/client.js'
import { StateRecord } from '../../lifecycle/record.js'
import { KubeApiError, type Cluster } from '../../kube/types.js'
import type { LoadedPlan } from '../../plan/types.js'
import type { Settings } from '../../settings.js'

/** How a command reaches the cluster (tests hand in a fake). */
export type Connect = (settings: Settings, loaded: LoadedPlan) => Promise<Cluster>

/** The production connection: the kubeconfig path and context of the flags, else the plan's context. */
export const connectFromSettings: Connect = (s, loaded) =>
  connectCluster({
    kubeconfigPath: s.kubeconfig.kind === 'path' ? s.kubeconfig.path : undefined,
    context: s.context ?? loaded.plan.target.context
  })

/** The plan, its target and the state record, ready to read. */
export interface OpenRecord {
  loaded: LoadedPlan
  namespace: string
  cluster: Cluster
  record: StateRecord
}

/** Loads the plan and opens its state record in the target namespace. */
export async function openRecord(
  settings: Settings,
  connect: Connect = connectFromSettings
): Promise<OpenRecord> {
  const loaded = await loadValidPlan(settings)
  const namespace = settings.namespace ?? loaded.plan.target.namespace
  const cluster = await connect(settings, loaded)
  return {
    loaded,
    namespace,
    cluster,
    record: new StateRecord(cluster, loaded.plan.name, namespace, loaded.plan.state?.keepRuns)
  }
}

/** A read of the record that fails the way the CLI reports it (exit 3 with a hint). */
export async function readOrExplain<T>(open: OpenRecord, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403)
      throw new InfraError(
        `not allowed to read ConfigMap ${open.record.indexName} in ${open.namespace}: ${err.message}`,
        'phase-gate needs get on ConfigMaps (and Secrets, for history) in the target namespace'
      )
    throw asInfraError(err, open.cluster) ?? err
  }
}

/** `2025-06-01 12:00:03Z` from an ISO time. */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : '-'
}

/** `5m ago` / `2h ago` from an ISO time. */
export function ago(iso: string | undefined, now: number): string {
  if (!iso) return ''
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m ago`
  return `${Math.floor(s / 86_400)}d ago`
}

/** Left-aligned text columns. */
export function columns(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  return rows
    .map(r =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}
