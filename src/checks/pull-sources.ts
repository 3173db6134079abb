/**
 * Where the plan's pods would get their pull credentials: the ServiceAccounts they run as and the
 * imagePullSecrets they name, and the ServiceAccounts and Secrets the plan creates itself. The
 * image check's registry client reads these (the cluster's copies when the plan has none) so an
 * image is asked for with the credentials its pod will pull it with.
 */

import { errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { loadAssumedManifests } from '../plan/manifests.js'
import type { LoadedPlan } from '../plan/types.js'
import { isRecord } from '../core/fields.js'
import { loadPlanObjects } from './plan-objects.js'
import { podTemplateOf } from './pod-templates.js'

/** What `collectPullCredentials` needs from the plan's objects. */
export interface PullSources {
  /** Service accounts the pods run as (`default` for a pod that names none). */
  serviceAccounts: string[]
  /** imagePullSecrets the pod specs list themselves. */
  pullSecretNames: string[]
  /** ServiceAccounts and Secrets the plan will apply, which win over the cluster's. */
  planned: KubeObject[]
  /** Manifests that could not be read. */
  notes: string[]
}

/** The pull sources of objects bound for `namespace` (objects naming another namespace are not its pods). */
export function pullSourcesOf(objects: KubeObject[], namespace: string): PullSources {
  const accounts = new Set<string>()
  const secrets = new Set<string>()
  const planned: KubeObject[] = []
  for (const obj of objects) {
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) continue
    if (obj.apiVersion === 'v1' && (obj.kind === 'ServiceAccount' || obj.kind === 'Secret')) {
      planned.push(obj)
      continue
    }
    const spec = podTemplateOf(obj)?.spec
    if (!spec) continue
    // serviceAccount is the deprecated alias the apiserver still honours.
    const sa = spec.serviceAccountName ?? spec.serviceAccount
    accounts.add(typeof sa === 'string' && sa !== '' ? sa : 'default')
    if (Array.isArray(spec.imagePullSecrets)) {
      for (const ref of spec.imagePullSecrets) {
        if (isRecord(ref) && typeof ref.name === 'string' && ref.name !== '') secrets.add(ref.name)
      }
    }
  }
  return {
    serviceAccounts: [...accounts],
    pullSecretNames: [...secrets],
    planned,
    notes: []
  }
}

/**
 * The pull sources of everything the plan applies (assumed manifests, tracers, phases). Images the
 * plan names without a manifest are pulled by pods running as `default`, so that account counts too.
 */
export async function planPullSources(
  loaded: LoadedPlan,
  workspace: string,
  namespace: string
): Promise<PullSources> {
  const notes: string[] = []
  const objects: KubeObject[] = []
  const [assumed, units] = await Promise.all([
    loadAssumedManifests(loaded, workspace).catch((err: unknown) => {
      notes.push(`assumptions.manifests: ${errorMessage(err)}`)
      return []
    }),
    loadPlanObjects(loaded, workspace)
  ])
  objects.push(...assumed.map(m => m.object))
  for (const unit of [...units.tracers, ...units.phases])
    objects.push(...unit.manifests.map(m => m.object))
  notes.push(...units.problems)
  const sources = pullSourcesOf(objects, namespace)
  const pods = sources.serviceAccounts.length > 0
  if (!pods || (loaded.plan.assumptions?.images?.length ?? 0) > 0) {
    if (!sources.serviceAccounts.includes('default')) sources.serviceAccounts.push('default')
  }
  return { ...sources, notes }
}
