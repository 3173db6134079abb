/**
 * `assumptions.crds`, plus every `assumptions.apis` entry outside the
 * built-in groups: the CustomResourceDefinition exists, is Established with
 * its names accepted, and serves the assumed version; which version is
 * stored, and a deprecated version's warning.
 */

import { computeStatus, findCondition } from '../kube/readiness.js'
import { KubeApiError, type KubeObject } from '../kube/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { parseApiAssumption } from './api.js'
import { mapBounded } from './concurrency.js'
import { isRecord, records, str } from '../core/fields.js'
import {
  describePhase,
  loadPlanObjects,
  planCreations,
  type PlanCreations
} from './plan-objects.js'
import { checkResult, timed, type CheckFields } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'crd'
const CRD_API = 'apiextensions.k8s.io/v1'

/** API groups kube-apiserver serves itself; anything else comes from a CRD or an aggregated APIService. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io'
])

/** One CRD to check: by name (`assumptions.crds`) or by group/kind with the assumed version (`assumptions.apis`). */
export interface CrdTarget {
  /** `clusters.postgresql.k8s.enterprisedb.io`, when known. */
  name?: string
  group?: string
  kind?: string
  version?: string
  location: SourceLocation
  /** The plan's words, for messages. */
  text: string
}

/** The CRDs a plan assumes, deduplicated by CRD and version. */
export function crdTargets(ctx: Pick<RealityContext, 'loaded'>): CrdTarget[] {
  const out = new Map<string, CrdTarget>()
  const a = ctx.loaded.plan.assumptions
  ;(a?.crds ?? []).forEach((name, i) => {
    const key = `${name}|`
    if (!out.has(key))
      out.set(key, { name, text: name, location: ctx.loaded.locate(['assumptions', 'crds', i]) })
  })
  ;(a?.apis ?? []).forEach((text, i) => {
    const api = parseApiAssumption(text)
    if (!api || BUILT_IN_GROUPS.has(api.group)) return
    const key = `${api.group}/${api.kind}|${api.version}`
    if (!out.has(key))
      out.set(key, { ...api, text, location: ctx.loaded.locate(['assumptions', 'apis', i]) })
  })
  return [...out.values()]
}

interface CrdVersion {
  name: string
  served: boolean
  storage: boolean
  deprecated: boolean
  deprecationWarning?: string
}

/** The versions a CRD object defines. */
export function crdVersions(crd: KubeObject): CrdVersion[] {
  const spec = isRecord(crd.spec) ? crd.spec : {}
  return records(spec.versions).map(v => ({
    name: str(v.name) ?? '?',
    served: v.served === true,
    storage: v.storage === true,
    deprecated: v.deprecated === true,
    deprecationWarning: str(v.deprecationWarning)
  }))
}

/** Judges one CRD object (or its absence) against the target. */
export function judgeCrd(
  target: CrdTarget,
  crd: KubeObject | undefined,
  crdName: string
): Omit<CheckFields, 'location'> {
  const gvk = target.group ? `${target.group}/${target.version}/${target.kind}` : crdName
  if (!crd)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `CustomResourceDefinition ${crdName} does not exist${target.kind ? ` (needed for ${gvk})` : ''}`,
      adjustment: `install the operator or chart that ships ${crdName} before this deployment, or add the CRD to an earlier phase`
    }
  const versions = crdVersions(crd)
  const storage = versions.find(v => v.storage)?.name
  const served = versions.filter(v => v.served).map(v => v.name)
  const data: Record<string, unknown> = { crd: crdName, served, storage }
  const established = findCondition(crd, 'Established')
  const names = findCondition(crd, 'NamesAccepted')
  const status = computeStatus(crd)
  const conditions = [established, names]
    .filter(c => c !== undefined)
    .map(
      c =>
        `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`
    )
    .join(', ')
  if (crd.metadata.deletionTimestamp)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `CustomResourceDefinition ${crdName} is being deleted`,
      evidence: `deletionTimestamp ${crd.metadata.deletionTimestamp}; ${conditions || 'no conditions'}`,
      adjustment:
        'wait for the deletion to finish and reinstall the CRD, or find out who is removing it',
      data
    }
  if (established?.status !== 'True' || names?.status !== 'True')
    return {
      verdict: 'fail',
      severity: 'high',
      message: `CustomResourceDefinition ${crdName} is not ready: ${names?.status === 'False' ? 'its names were not accepted' : 'it is not Established'}`,
      evidence: `${conditions || 'no conditions yet'}; kstatus: ${status.status} ${status.message}`,
      adjustment:
        names?.status === 'False'
          ? 'another CRD claims the same plural, singular, short name or kind in this group; rename or remove the conflicting CRD'
          : 'wait for the apiserver to establish it (seconds), or look at the apiserver log if it stays so',
      data
    }
  if (!target.version)
    return {
      verdict: 'pass',
      message: `CustomResourceDefinition ${crdName} is Established; serves ${served.join(', ') || 'no version'}, stores ${storage ?? '?'}`,
      data
    }
  const v = versions.find(x => x.name === target.version)
  if (!v)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `${crdName} defines no version ${target.version}; it serves ${served.join(', ') || 'none'}`,
      evidence: `versions: ${versions.map(x => `${x.name}${x.served ? '' : ' (not served)'}${x.storage ? ' (storage)' : ''}`).join(', ')}`,
      adjustment: `move the plan and manifests to ${target.group}/${storage ?? served[0] ?? '?'}, or upgrade the operator to one that serves ${target.version}`,
      data
    }
  if (!v.served)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `${crdName} defines ${target.version} but does not serve it; it serves ${served.join(', ') || 'none'}`,
      evidence: `spec.versions[${target.version}].served: false; storage version ${storage ?? '?'}`,
      adjustment: `use ${target.group}/${storage ?? served[0] ?? '?'}/${target.kind} in the plan and manifests`,
      data
    }
  if (v.deprecated)
    return {
      verdict: 'warn',
      severity: 'medium',
      message: `${gvk} is served but deprecated${v.deprecationWarning ? `: ${v.deprecationWarning}` : ''}`,
      evidence: `spec.versions[${target.version}].deprecated: true; served ${served.join(', ')}; storage ${storage ?? '?'}`,
      adjustment: `move to ${target.group}/${served.find(s => !versions.find(x => x.name === s)?.deprecated) ?? storage}/${target.kind} before the operator drops ${target.version}`,
      data
    }
  return {
    verdict: 'pass',
    message: `${gvk} is served by CustomResourceDefinition ${crdName} (Established; storage version ${storage ?? '?'})`,
    data
  }
}

/** Gets a CRD by name; forbidden reads are told apart from absence. */
async function getCrd(
  ctx: RealityContext,
  name: string
): Promise<KubeObject | undefined | 'forbidden'> {
  try {
    return await ctx.cluster.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name })
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403) return 'forbidden'
    throw err
  }
}

async function checkOne(
  ctx: RealityContext,
  target: CrdTarget,
  allCrds: () => Promise<KubeObject[]>,
  planned?: PlanCreations
): Promise<CheckResult> {
  const served = target.group
    ? ctx.surface.resources.find(r => r.group === target.group && r.kind === target.kind)
    : undefined
  // Discovery knows the plural of a served kind; CRD objects are named <plural>.<group>.
  let name = target.name ?? (served ? `${served.resource}.${target.group}` : undefined)
  let crd: KubeObject | undefined | 'forbidden' = name ? await getCrd(ctx, name) : undefined
  if (crd === undefined && !target.name && target.group) {
    // Not served: the CRD may exist but not be Established, so look it up by group and kind.
    crd = (await allCrds()).find(c => {
      const spec = isRecord(c.spec) ? c.spec : {}
      const names = isRecord(spec.names) ? spec.names : {}
      return spec.group === target.group && names.kind === target.kind
    })
    if (crd) name = crd.metadata.name
  }
  const label = name ?? `${target.kind} in ${target.group}`
  if (crd === 'forbidden') {
    const version = target.version
    const servedHere = target.group
      ? ctx.surface.resources.some(
          r => r.group === target.group && r.kind === target.kind && r.version === version
        )
      : false
    return checkResult(KIND, target.text, {
      verdict: target.group && !servedHere ? 'fail' : 'warn',
      severity: target.group && !servedHere ? 'high' : 'low',
      message: target.group
        ? servedHere
          ? `cannot read CustomResourceDefinition ${label} (forbidden), but discovery serves ${target.group}/${version}/${target.kind}`
          : `${target.group}/${version}/${target.kind} is not served, and CustomResourceDefinition ${label} cannot be read (forbidden)`
        : `cannot read CustomResourceDefinition ${label} (forbidden)`,
      adjustment:
        'grant this identity get on customresourcedefinitions.apiextensions.k8s.io (cluster-scoped) for a full check',
      location: target.location
    })
  }
  if (!crd && target.group && served && !target.name) {
    // Served without a CRD: an aggregated APIService (metrics.k8s.io, OpenShift's own groups).
    const exact = ctx.surface.resources.find(
      r => r.group === target.group && r.kind === target.kind && r.version === target.version
    )
    return checkResult(KIND, target.text, {
      verdict: exact ? 'pass' : 'fail',
      severity: exact ? 'info' : 'high',
      message: exact
        ? `${target.text} is served by an aggregated API, not a CustomResourceDefinition`
        : `${target.text} is not served; the aggregated API serves ${target.group}/${served.version}`,
      location: target.location
    })
  }
  if (!crd && planned) {
    // The plan installs it itself; the phase that applies it proves it.
    const c = target.name
      ? [...planned.crds.values()].find(x => x.object.metadata.name === target.name)
      : planned.crds.get(`${target.group}/${target.kind}`)
    if (c && (!target.version || c.versions.includes(target.version)))
      return checkResult(KIND, target.text, {
        verdict: 'skip',
        severity: 'info',
        message: `CustomResourceDefinition ${c.object.metadata.name} does not exist yet: the plan installs it (${c.phase ? describePhase(c.phase) : `${c.manifest.file}:${c.manifest.line}`})`,
        location: target.location
      })
  }
  return checkResult(KIND, target.text, {
    ...judgeCrd(target, crd, label),
    location: target.location
  })
}

/** The `crd` kind: one result per assumed CRD, or per CRD-backed API and version. */
export const crdCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => crdTargets(ctx).length > 0,
  async run(ctx) {
    let listing: Promise<KubeObject[]> | undefined
    // A cluster's CRDs with their schemas can weigh megabytes: list them only when a name is not known.
    const allCrds = (): Promise<KubeObject[]> => {
      listing ??= ctx.cluster
        .list(CRD_API, 'CustomResourceDefinition')
        .then(r => r.items)
        .catch(err => {
          if (err instanceof KubeApiError && err.status === 403) return []
          throw err
        })
      return listing
    }
    const planned = planCreations(
      await loadPlanObjects(ctx.loaded, ctx.settings.workspace),
      ctx.manifests
    )
    const results = await mapBounded(crdTargets(ctx), t =>
      timed(KIND, t.text, () => checkOne(ctx, t, allCrds, planned), t.location)
    )
    return results.flat()
  }
}
