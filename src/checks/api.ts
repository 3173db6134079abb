/** `assumptions.apis`: each group/version/Kind is served; when not, name what is. */

import { joinApiVersion, type ApiSurface } from '../kube/types.js'
import type { AssumptionCheck, RealityContext } from './types.js'
import { checkResult } from './result.js'
import type { CheckResult } from '../report/model.js'

/** Splits `apps/v1/Deployment` or `v1/ConfigMap` into group, version and kind. */
export function parseApiAssumption(
  text: string
): { group: string; version: string; kind: string } | undefined {
  const parts = text.split('/')
  if (parts.length === 2) return { group: '', version: parts[0], kind: parts[1] }
  if (parts.length === 3) return { group: parts[0], version: parts[1], kind: parts[2] }
  return undefined
}

/** Judges one assumed API against the discovered surface. */
export function judgeApi(
  text: string,
  surface: ApiSurface
): Omit<Parameters<typeof checkResult>[2], 'location'> {
  const a = parseApiAssumption(text)
  if (!a)
    return {
      verdict: 'fail',
      message: `"${text}" is not an API of the form group/version/Kind (or v1/Kind for the core group)`,
      adjustment: 'write it like apps/v1/Deployment or v1/ConfigMap'
    }
  const exact = surface.resources.find(
    r => r.group === a.group && r.version === a.version && r.kind === a.kind
  )
  const gv = joinApiVersion(a.group, a.version)
  if (exact)
    return {
      verdict: 'pass',
      message: `${a.kind} is served at ${gv} (${exact.resource}, ${exact.namespaced ? 'namespaced' : 'cluster-scoped'})`,
      data: { resource: exact.resource, namespaced: exact.namespaced }
    }
  const sameKind = surface.resources.filter(r => r.group === a.group && r.kind === a.kind)
  if (sameKind.length > 0) {
    const versions = sameKind.map(r => joinApiVersion(r.group, r.version))
    const preferred = surface.groups.get(a.group)?.preferred
    const best = sameKind.find(r => r.version === preferred) ?? sameKind[0]
    return {
      verdict: 'fail',
      message: `${a.kind} is not served at ${gv}; this cluster serves it at ${versions.join(', ')}`,
      evidence: `served versions of group ${a.group || 'core'}: ${(surface.groups.get(a.group)?.versions ?? []).join(', ')}`,
      adjustment: `change the plan and manifests to ${joinApiVersion(best.group, best.version)}/${a.kind}`,
      data: { served: versions }
    }
  }
  const otherGroups = surface.resources.filter(r => r.kind === a.kind)
  if (otherGroups.length > 0) {
    const where = [...new Set(otherGroups.map(r => joinApiVersion(r.group, r.version)))]
    return {
      verdict: 'fail',
      message: `${a.kind} is not served in group ${a.group || 'core'}; a ${a.kind} is served at ${where.join(', ')}`,
      adjustment: `use ${where[0]}/${a.kind}, or install the operator or CRD that serves ${gv}`,
      data: { served: where }
    }
  }
  const group = surface.groups.get(a.group)
  return {
    verdict: 'fail',
    message: group
      ? `${a.kind} is not served: group ${a.group || 'core'} (${group.versions.join(', ')}) has no such kind`
      : `${gv} is not served: this cluster has no API group ${a.group}`,
    adjustment: group
      ? `check the kind's spelling (kinds are case-sensitive) or install the CRD that defines it`
      : `install the CRD or operator that provides ${a.group} before this deployment, or drop the assumption`
  }
}

export const apiCheck: AssumptionCheck<'api'> = {
  kind: 'api',
  applies: ctx => (ctx.loaded.plan.assumptions?.apis?.length ?? 0) > 0,
  async run(ctx: RealityContext): Promise<CheckResult[]> {
    const apis = ctx.loaded.plan.assumptions?.apis ?? []
    return apis.map((text, i) =>
      checkResult('api', text, {
        ...judgeApi(text, ctx.surface),
        severity: 'high',
        location: ctx.loaded.locate(['assumptions', 'apis', i])
      })
    )
  }
}
