/**
 * The rights applying a plan needs, derived from its manifests: what the
 * reality check asks the API server about (SelfSubjectAccessReview) and,
 * when denied, the Role rules that grant exactly what is missing.
 */

import type { ApiSurface, KubeObject } from '../kube/types.js'
import { splitApiVersion } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { PermissionAssumption } from '../plan/types.js'
import type { SourceLocation } from '../report/model.js'
import { describeManifest, findResource, manifestLocation } from './manifest-info.js'
import type { PlanCreations, PlanUnit } from './plan-objects.js'

/** Why phase-gate needs a right; decides how bad a denial is. */
export type NeedPurpose = 'apply' | 'delete' | 'wait' | 'state' | 'lock' | 'evidence' | 'explicit'

/** One verb on one resource (in one namespace, or cluster-wide) that the plan needs. */
export interface PermissionNeed {
  verb: string
  group: string
  resource: string
  subresource?: string
  namespace?: string
  name?: string
  purposes: NeedPurpose[]
  /** What needs it, for the evidence (`apply Deployment web (deploy/app.yaml:1)`). */
  reasons: string[]
  location?: SourceLocation
}

/** A manifest object whose resource could not be resolved (kind not served, no CRD in the plan). */
export interface UnresolvedObject {
  manifest: LoadedManifest
  reason: string
}

/** What derivation looks at: the plan's objects by role, discovery and the explicit entries. */
export interface DeriveInput {
  planName: string
  namespace: string
  surface: ApiSurface
  creations?: PlanCreations
  /** `assumptions.manifests`: applied by phases, dry-run and waited on. */
  assumed: LoadedManifest[]
  tracers: PlanUnit[]
  phases: PlanUnit[]
  explicit: { permission: PermissionAssumption; location?: SourceLocation }[]
  /** Where phase-gate's own rights are blamed in the plan (the target namespace). */
  ownLocation?: SourceLocation
}

const APPLY_VERBS = ['get', 'create', 'patch'] as const
const WAIT_VERBS = ['list', 'watch'] as const

/** Splits `deployments.apps`, `pods/log`, `ingresses.networking.k8s.io` into resource, group and subresource. */
export function parseResourceName(text: string): {
  group: string
  resource: string
  subresource?: string
} {
  const [main, subresource] = text.split('/', 2)
  const dot = main.indexOf('.')
  const resource = dot < 0 ? main : main.slice(0, dot)
  const group = dot < 0 ? '' : main.slice(dot + 1)
  return subresource ? { group, resource, subresource } : { group, resource }
}

/** `deployments.apps`, `pods/log`: a resource as RBAC rules and kubectl name it. */
export function formatResourceName(
  n: Pick<PermissionNeed, 'group' | 'resource' | 'subresource'>
): string {
  return `${n.resource}${n.group ? `.${n.group}` : ''}${n.subresource ? `/${n.subresource}` : ''}`
}

interface Resolved {
  group: string
  resource: string
  namespaced: boolean
}

function resolve(
  obj: KubeObject,
  surface: ApiSurface,
  creations?: PlanCreations
): Resolved | undefined {
  const served = findResource(surface, obj.apiVersion, obj.kind)
  if (served)
    return { group: served.group, resource: served.resource, namespaced: served.namespaced }
  const { group } = splitApiVersion(obj.apiVersion)
  // A kind whose CRD the plan itself installs: RBAC rules may name it before it exists.
  const crd = creations?.crds.get(`${group}/${obj.kind}`)
  if (crd) return { group, resource: crd.plural, namespaced: crd.namespaced }
  return undefined
}

/** Every right the plan needs, deduplicated; objects whose kind cannot be resolved are returned apart. */
export function derivePermissions(input: DeriveInput): {
  needs: PermissionNeed[]
  unresolved: UnresolvedObject[]
} {
  const needs = new Map<string, PermissionNeed>()
  const unresolved: UnresolvedObject[] = []
  const add: AddNeed = (n, purpose, reason, location) => {
    const key = [
      n.verb,
      n.group,
      n.resource,
      n.subresource ?? '',
      n.namespace ?? '',
      n.name ?? ''
    ].join('|')
    const have = needs.get(key)
    if (have) {
      if (!have.purposes.includes(purpose)) have.purposes.push(purpose)
      if (!have.reasons.includes(reason)) have.reasons.push(reason)
      have.location ??= location
      return
    }
    const need: PermissionNeed = { ...n, purposes: [purpose], reasons: [reason] }
    if (location) need.location = location
    needs.set(key, need)
  }

  const objectNeeds = (m: LoadedManifest, deletable: boolean): void => {
    const r = resolve(m.object, input.surface, input.creations)
    if (!r) {
      unresolved.push({
        manifest: m,
        reason: `${m.object.apiVersion} ${m.object.kind} is not served and no CRD in the plan defines it`
      })
      return
    }
    const namespace = r.namespaced ? (m.object.metadata.namespace ?? input.namespace) : undefined
    const base = { group: r.group, resource: r.resource, namespace }
    const what = describeManifest(m)
    const location = manifestLocation(m)
    // Server-side apply needs patch, and create as well when the object is new.
    for (const verb of APPLY_VERBS) add({ ...base, verb }, 'apply', `apply ${what}`, location)
    for (const verb of WAIT_VERBS) add({ ...base, verb }, 'wait', `wait for ${what}`, location)
    if (deletable)
      add({ ...base, verb: 'delete' }, 'delete', `clean up or roll back ${what}`, location)
    // Readiness of a Deployment is judged through its ReplicaSets and pods (fail-fast causes).
    if (m.object.kind === 'Deployment' && m.object.apiVersion === 'apps/v1')
      for (const verb of WAIT_VERBS)
        add(
          { verb, group: 'apps', resource: 'replicasets', namespace },
          'wait',
          `wait for ${what}`,
          location
        )
  }

  for (const m of input.assumed) objectNeeds(m, false)
  for (const unit of [...input.tracers, ...input.phases])
    for (const m of unit.manifests) objectNeeds(m, true)

  ownNeeds(input, add)
  explicitNeeds(input, add)
  return { needs: [...needs.values()], unresolved }
}

/** Records one need (merged with an equal one). */
type AddNeed = (
  n: Omit<PermissionNeed, 'purposes' | 'reasons' | 'location'>,
  purpose: NeedPurpose,
  reason: string,
  location?: SourceLocation
) => void

/** phase-gate's own rights (state record, lock, evidence), in the target namespace. */
function ownNeeds(input: DeriveInput, add: AddNeed): void {
  const ns = input.namespace
  const own = input.ownLocation
  for (const verb of ['get', 'create', 'patch', 'delete'])
    add(
      { verb, group: '', resource: 'configmaps', namespace: ns },
      'state',
      `state record ConfigMap phase-gate-${input.planName}`,
      own
    )
  for (const verb of ['get', 'create', 'patch', 'delete'])
    add(
      { verb, group: '', resource: 'secrets', namespace: ns },
      'state',
      `per-run state Secrets phase-gate-${input.planName}-<run>`,
      own
    )
  for (const verb of ['get', 'create', 'update', 'delete'])
    add(
      { verb, group: 'coordination.k8s.io', resource: 'leases', namespace: ns },
      'lock',
      'the Lease that keeps two runs of the plan apart',
      own
    )
  add(
    { verb: 'list', group: '', resource: 'events', namespace: ns },
    'evidence',
    'events as evidence of failures',
    own
  )
  add(
    { verb: 'list', group: '', resource: 'pods', namespace: ns },
    'evidence',
    'pod states as evidence of failures',
    own
  )
  add(
    { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: ns },
    'evidence',
    'last log lines as evidence',
    own
  )
}

/** The rights `assumptions.permissions` names. */
function explicitNeeds(input: DeriveInput, add: AddNeed): void {
  const ns = input.namespace
  for (const { permission: p, location } of input.explicit) {
    const r = parseResourceName(p.resource)
    const served = input.surface.resources.find(
      x => x.group === r.group && x.resource === r.resource
    )
    const namespaced = served ? served.namespaced : true
    const namespace = namespaced ? (p.namespace ?? ns) : undefined
    const subresource = p.subresource ?? r.subresource
    const n: Omit<PermissionNeed, 'purposes' | 'reasons' | 'location'> = {
      verb: p.verb,
      group: r.group,
      resource: r.resource,
      namespace
    }
    if (subresource) n.subresource = subresource
    if (p.name) n.name = p.name
    add(
      n,
      'explicit',
      `assumptions.permissions: ${p.verb} ${p.resource}${p.name ? ` ${p.name}` : ''}`,
      location
    )
  }
}

/** A resource in one scope: what one CheckResult of the permission check covers. */
export function resourceKey(
  n: Pick<PermissionNeed, 'group' | 'resource' | 'subresource' | 'namespace'>
): string {
  return `${formatResourceName(n)}${n.namespace ? ` in ${n.namespace}` : ' (cluster-wide)'}`
}

const q = (s: string): string => JSON.stringify(s)

/**
 * The Roles (one per namespace) and ClusterRole (cluster-scoped resources)
 * that grant exactly the given rights, as YAML an admin can apply: rules
 * group resources of one API group that need the same verbs.
 */
export function missingRulesYaml(
  denied: PermissionNeed[],
  opts: { name: string; subject?: string }
): string {
  const scopes = new Map<string, PermissionNeed[]>()
  for (const n of denied) {
    const key = n.namespace ?? ''
    scopes.set(key, [...(scopes.get(key) ?? []), n])
  }
  const docs: string[] = []
  for (const [namespace, list] of [...scopes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // resource (with names) → verbs
    const perResource = new Map<
      string,
      { group: string; resource: string; names: string[]; verbs: Set<string> }
    >()
    for (const n of list) {
      const res = `${n.resource}${n.subresource ? `/${n.subresource}` : ''}`
      const key = `${n.group}|${res}|${n.name ?? ''}`
      const entry = perResource.get(key) ?? {
        group: n.group,
        resource: res,
        names: n.name ? [n.name] : [],
        verbs: new Set<string>()
      }
      entry.verbs.add(n.verb)
      perResource.set(key, entry)
    }
    // (group, verbs, names) → resources
    const rules = new Map<
      string,
      { group: string; verbs: string[]; names: string[]; resources: string[] }
    >()
    for (const e of perResource.values()) {
      const verbs = [...e.verbs].sort()
      const key = `${e.group}|${verbs.join(',')}|${e.names.join(',')}`
      const rule = rules.get(key) ?? { group: e.group, verbs, names: e.names, resources: [] }
      rule.resources.push(e.resource)
      rules.set(key, rule)
    }
    const sorted = [...rules.values()].sort(
      (a, b) => a.group.localeCompare(b.group) || a.resources[0].localeCompare(b.resources[0])
    )
    const lines = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      `kind: ${namespace ? 'Role' : 'ClusterRole'}`,
      'metadata:',
      `  name: ${opts.name}`,
      ...(namespace ? [`  namespace: ${namespace}`] : []),
      'rules:'
    ]
    for (const r of sorted) {
      lines.push(`  - apiGroups: [${q(r.group)}]`)
      lines.push(`    resources: [${r.resources.sort().map(q).join(', ')}]`)
      if (r.names.length) lines.push(`    resourceNames: [${r.names.map(q).join(', ')}]`)
      lines.push(`    verbs: [${r.verbs.map(q).join(', ')}]`)
    }
    if (opts.subject) {
      const [kind, subjectName, subjectNs] = subjectOf(opts.subject)
      lines.push(
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        `kind: ${namespace ? 'RoleBinding' : 'ClusterRoleBinding'}`,
        'metadata:',
        `  name: ${opts.name}`,
        ...(namespace ? [`  namespace: ${namespace}`] : []),
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        `  kind: ${namespace ? 'Role' : 'ClusterRole'}`,
        `  name: ${opts.name}`,
        'subjects:',
        kind === 'ServiceAccount'
          ? `  - kind: ServiceAccount\n    name: ${subjectName}\n    namespace: ${subjectNs}`
          : `  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: ${q(subjectName)}`
      )
    }
    docs.push(lines.join('\n'))
  }
  return docs.join('\n---\n')
}

function subjectOf(username: string): ['ServiceAccount' | 'User', string, string] {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username)
  return m ? ['ServiceAccount', m[2], m[1]] : ['User', username, '']
}
