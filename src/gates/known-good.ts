/**
 * The last known-good version of a plan without a soak: a run that passed
 * validation is as good as it will be proven, so its workloads' images and
 * revisions become the last known-good at once (the `code` rollback level
 * returns to them). With a soak, only `stable` records it (gates/soak.ts).
 */

import type { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import type { Plan } from '../plan/types.js'
import { releaseWorkloads, versionsOf } from './soak.js'

/** True when validation alone makes a run the last known-good: the plan has no soak. */
export function knownGoodOnValidation(plan: Pick<Plan, 'soak'>): boolean {
  return plan.soak === undefined
}

/** Records the run's live workload images and revisions as the last known-good; resolves to a note for the report. */
export async function recordKnownGood(
  cluster: Cluster,
  record: StateRecord,
  plan: Plan,
  namespace: string,
  runId: string,
  at: string
): Promise<string> {
  const refs = await releaseWorkloads(cluster, record, plan, namespace, runId)
  const live = await Promise.all(refs.map(async ref => ({ ref, object: await cluster.get(ref) })))
  const { images, revisions } = versionsOf(live)
  await record.updateIndex(i => {
    i.lastKnownGood = { runId, at, images, revisions }
    const run = i.runs.find(r => r.runId === runId)
    if (run && !run.images && Object.keys(images).length) run.images = images
  })
  const shown = Object.entries(images)
    .map(([k, v]) => `${k} ${v}${revisions[k] ? ` (revision ${revisions[k]})` : ''}`)
    .join(', ')
  return `last known-good: run ${runId} (${shown || 'no workload images'}), recorded on validation since the plan has no soak`
}
