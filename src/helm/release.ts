/**
 * A Helm release as the gates judge it: the objects of a revision's
 * manifest waited on with our readiness (kstatus, fail fast), and a
 * rollback to an earlier revision verified by the revision and chart the
 * release ends on and by its objects being Current again.
 */

import type { Clock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { describeRef, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { waitForObjects, type WaitOutcome } from '../kube/wait.js'
import { parseManifests } from '../plan/manifests.js'
import {
  Helm,
  latestRevision,
  previousGoodRevision,
  historyRows,
  type HelmRevision
} from './helm.js'

/** The objects of a rendered manifest, namespaced into the release namespace where they need one. */
export async function manifestObjects(
  cluster: Cluster,
  manifest: string,
  namespace: string,
  display = 'helm manifest'
): Promise<KubeObject[]> {
  const objects = parseManifests(manifest, display).map(m => m.object)
  return Promise.all(
    objects.map(async o => {
      if (o.metadata.namespace) return o
      const info = await cluster.resourceFor(o.apiVersion, o.kind).catch(() => undefined)
      const namespaced = info
        ? info.namespaced
        : o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition'
      return namespaced ? { ...o, metadata: { ...o.metadata, namespace } } : o
    })
  )
}

/** Refs of a manifest's objects. */
export function refsOf(objects: KubeObject[]): ObjectRef[] {
  return objects.map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace
  }))
}

/** Waits for a revision's objects to be Current (fail fast on known causes). */
export async function waitForRevision(
  helm: Helm,
  cluster: Cluster,
  release: string,
  revision: number,
  opts: { timeoutMs: number; clock: Clock; signal?: AbortSignal }
): Promise<{ outcome: WaitOutcome; refs: ObjectRef[]; evidence?: string }> {
  const manifest = await helm.manifest(release, revision)
  const refs = refsOf(
    await manifestObjects(cluster, manifest, helm.opts.namespace, `${release} revision ${revision}`)
  )
  const outcome = await waitForObjects(cluster, refs, { ...opts, failFast: true })
  let evidence: string | undefined
  if (outcome.result !== 'done') {
    const culprit = outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref
    if (culprit)
      evidence = await collectEvidence(cluster, culprit).then(
        formatEvidence,
        e => `evidence unavailable: ${errorMessage(e)}`
      )
  }
  return { outcome, refs, evidence }
}

/** What a release rollback did. */
export interface ReleaseRollback {
  ok: boolean
  message: string
  evidence?: string
  data: Record<string, unknown>
}

/**
 * Rolls a release back to `to` (default: the newest earlier revision that
 * was deployed) and verifies it: a new revision, `deployed`, on the chart of
 * `to`, with every object Current within the deadline.
 */
export async function rollbackRelease(
  helm: Helm,
  cluster: Cluster,
  release: string,
  opts: { to?: number; deadline: number; clock: Clock; signal?: AbortSignal; dryRun?: boolean }
): Promise<ReleaseRollback> {
  const before = await helm.history(release)
  const current = latestRevision(before)
  if (!current)
    return {
      ok: false,
      message: `release ${release} not found in namespace ${helm.opts.namespace}`,
      data: {}
    }
  const target =
    opts.to !== undefined
      ? before.find(h => h.revision === opts.to)
      : previousGoodRevision(before, current.revision)
  if (!target)
    return {
      ok: false,
      message: `release ${release} has no earlier deployed revision to go back to (revision ${current.revision} is its ${current.revision === 1 ? 'first' : 'oldest kept'})`,
      data: { history: historyRows(before) }
    }
  const left = (): number => Math.max(1000, opts.deadline - opts.clock.now())
  if (opts.dryRun) {
    return {
      ok: true,
      message: `dry run: would roll release ${release} back from revision ${current.revision} (${current.chart}) to ${target.revision} (${target.chart})`,
      data: { from: current.revision, to: target.revision, history: historyRows(before) }
    }
  }
  try {
    await helm.rollback(release, target.revision, left())
  } catch (err) {
    return {
      ok: false,
      message: errorMessage(err),
      data: { from: current.revision, to: target.revision, history: historyRows(before) }
    }
  }
  const after = await helm.history(release)
  const now = latestRevision(after) as HelmRevision
  const data = {
    from: { revision: current.revision, chart: current.chart, appVersion: current.app_version },
    to: { revision: target.revision, chart: target.chart, appVersion: target.app_version },
    now: { revision: now.revision, status: now.status, chart: now.chart },
    history: historyRows(after)
  }
  const problems: string[] = []
  if (now.revision <= current.revision)
    problems.push(`no new revision after the rollback (still ${now.revision})`)
  if (now.status !== 'deployed')
    problems.push(`revision ${now.revision} is ${now.status}, not deployed`)
  if (now.chart !== target.chart)
    problems.push(`revision ${now.revision} runs ${now.chart}, not ${target.chart}`)
  const waited = await waitForRevision(helm, cluster, release, now.revision, {
    timeoutMs: left(),
    clock: opts.clock,
    signal: opts.signal
  })
  if (waited.outcome.result !== 'done')
    problems.push(`objects not ready: ${waited.outcome.message}`)
  if (problems.length)
    return {
      ok: false,
      message: `rollback of release ${release} to revision ${target.revision} not verified: ${problems.join('; ')}`,
      evidence: waited.evidence,
      data
    }
  return {
    ok: true,
    message: `release ${release} back on revision ${target.revision}'s chart ${target.chart} (now revision ${now.revision}, deployed), was revision ${current.revision} (${current.chart}); ${waited.refs.length} objects ready in ${formatDuration(waited.outcome.durationMs)}`,
    data: { ...data, objects: waited.refs.map(describeRef) }
  }
}
