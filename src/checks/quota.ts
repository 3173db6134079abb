/**
 * Quota headroom: the target namespace's ResourceQuotas and LimitRanges
 * against what the plan declares (`assumptions.quota`) or, when it declares
 * nothing, what its manifests add up to (replicas × pod requests after
 * LimitRange defaults, pods, object counts, storage). Objects that already
 * exist count only by how much they grow. A quota on a resource the pods do
 * not set (limits.cpu without limits or a default) rejects every pod: fail.
 */

import { KubeApiError, type KubeObject } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { QuotaAssumption } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { mapBounded } from './concurrency.js'
import { describeManifest, findResource, manifestLocation } from './manifest-info.js'
import { isRecord, records, str } from '../core/fields.js'
import {
  containerDefaults,
  podResources,
  type ContainerDefaults,
  type PodResources,
  type ResourceAmounts
} from './pod-resources.js'
import { podCount, podTemplateOf } from './pod-templates.js'
import { formatQuantity, parseQuantity, quantityToNumber, type Quantity } from '../kube/quantity.js'
import { checkResult, timed } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'quota'

// Quota names that mean the same thing (quota/v1 evaluator: `cpu` is `requests.cpu`, `count/pods` is `pods`, ...).
const CORE_COUNTED = new Set([
  'pods',
  'services',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'resourcequotas'
])

/** The one name a quota resource is compared under (`cpu` → `requests.cpu`, `count/services` → `services`). */
export function canonicalQuotaKey(key: string): string {
  if (key === 'cpu' || key === 'memory' || key === 'ephemeral-storage') return `requests.${key}`
  if (key.startsWith('count/') && CORE_COUNTED.has(key.slice(6))) return key.slice(6)
  return key
}

// Resources every container must set once a quota tracks them (quota's podEvaluator.Constraints).
const MUST_SPECIFY = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'])

/** What one manifest object adds to the namespace: pod-bound amounts (scoped quotas count them per pod) and the rest. */
export interface ObjectDemand {
  manifest: LoadedManifest
  /** The pod template's resources and the number of pods at once, for workloads. */
  pod?: { resources: PodResources; count: number }
  /** Object counts and storage (only unscoped quotas count these). */
  objects: ResourceAmounts
}

function addTo(m: ResourceAmounts, key: string, q: Quantity): void {
  m.set(key, (m.get(key) ?? 0n) + q)
}

const ONE = 1_000_000_000n

function storageOf(claim: Record<string, unknown>): Quantity | undefined {
  const spec = isRecord(claim.spec) ? claim.spec : claim
  const res = isRecord(spec.resources) ? spec.resources : {}
  const req = isRecord(res.requests) ? res.requests : {}
  const v = req.storage
  return parseQuantity(typeof v === 'string' || typeof v === 'number' ? v : undefined)
}

function claimAmounts(m: ResourceAmounts, claim: Record<string, unknown>, times: number): void {
  const spec = isRecord(claim.spec) ? claim.spec : {}
  const storage = storageOf(claim) ?? 0n
  const cls = str(spec.storageClassName)
  addTo(m, 'persistentvolumeclaims', ONE * BigInt(times))
  addTo(m, 'requests.storage', storage * BigInt(times))
  if (cls) {
    addTo(m, `${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE * BigInt(times))
    addTo(m, `${cls}.storageclass.storage.k8s.io/requests.storage`, storage * BigInt(times))
  }
}

/** What an object adds to quota usage, as quota's evaluators count it. */
export function objectDemand(
  m: LoadedManifest,
  ctx: { surface: RealityContext['surface']; defaults: ContainerDefaults; nodes: number }
): ObjectDemand {
  const obj = m.object
  const objects: ResourceAmounts = new Map()
  const r = findResource(ctx.surface, obj.apiVersion, obj.kind)
  if (r) {
    const key = canonicalQuotaKey(`count/${r.resource}${r.group ? `.${r.group}` : ''}`)
    addTo(objects, key, ONE)
  }
  if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
    const spec = isRecord(obj.spec) ? obj.spec : {}
    const ports = records(spec.ports).length
    if (spec.type === 'LoadBalancer') addTo(objects, 'services.loadbalancers', ONE)
    if (
      spec.type === 'NodePort' ||
      (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
    )
      addTo(objects, 'services.nodeports', ONE * BigInt(ports))
  }
  if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1') claimAmounts(objects, obj, 1)
  const t = podTemplateOf(obj)
  if (!t) return { manifest: m, objects }
  const count = podCount(obj, ctx.nodes)
  if (obj.kind === 'StatefulSet') {
    const spec = isRecord(obj.spec) ? obj.spec : {}
    for (const claim of records(spec.volumeClaimTemplates)) claimAmounts(objects, claim, count)
  }
  return { manifest: m, objects, pod: { resources: podResources(t, ctx.defaults), count } }
}

/** The pod-bound amounts of an object: `pods`, `requests.*`, `limits.*`, times its pod count. */
export function podAmounts(d: ObjectDemand): ResourceAmounts {
  const out: ResourceAmounts = new Map()
  if (!d.pod || d.pod.count === 0) return out
  const n = BigInt(d.pod.count)
  addTo(out, 'pods', ONE * n)
  for (const [k, q] of d.pod.resources.requests) addTo(out, `requests.${k}`, q * n)
  for (const [k, q] of d.pod.resources.limits) addTo(out, `limits.${k}`, q * n)
  return out
}

/** True when a ResourceQuota's scopes select the pod (an unscoped quota selects every pod). */
export function quotaSelectsPod(quota: KubeObject, pod: PodResources): boolean {
  const spec = isRecord(quota.spec) ? quota.spec : {}
  const scopes = (Array.isArray(spec.scopes) ? spec.scopes : []).filter(
    (s): s is string => typeof s === 'string'
  )
  const selector = isRecord(spec.scopeSelector) ? records(spec.scopeSelector.matchExpressions) : []
  const matches = (scope: string, operator = 'Exists', values: string[] = []): boolean => {
    switch (scope) {
      case 'Terminating':
        return pod.terminating
      case 'NotTerminating':
        return !pod.terminating
      case 'BestEffort':
        return pod.bestEffort
      case 'NotBestEffort':
        return !pod.bestEffort
      case 'PriorityClass': {
        const p = pod.priorityClassName
        if (operator === 'Exists') return p !== undefined
        if (operator === 'DoesNotExist') return p === undefined
        if (operator === 'In') return p !== undefined && values.includes(p)
        if (operator === 'NotIn') return p === undefined || !values.includes(p)
        return false
      }
      default:
        // CrossNamespacePodAffinity and scopes this version does not know: assume the pod is not selected.
        return false
    }
  }
  return (
    scopes.every(s => matches(s)) &&
    selector.every(e =>
      matches(
        str(e.scopeName) ?? '',
        str(e.operator),
        (Array.isArray(e.values) ? e.values : []).filter((v): v is string => typeof v === 'string')
      )
    )
  )
}

function isScoped(quota: KubeObject): boolean {
  const spec = isRecord(quota.spec) ? quota.spec : {}
  return (Array.isArray(spec.scopes) && spec.scopes.length > 0) || isRecord(spec.scopeSelector)
}

/** Hard and used amounts of a quota, under canonical names (status first; spec when the controller has not synced yet). */
export function quotaFigures(quota: KubeObject): {
  hard: ResourceAmounts
  used: ResourceAmounts
  names: Map<string, string>
  synced: boolean
} {
  const spec = isRecord(quota.spec) ? quota.spec : {}
  const status = isRecord(quota.status) ? quota.status : {}
  const read = (v: unknown, names?: Map<string, string>): ResourceAmounts => {
    const out: ResourceAmounts = new Map()
    if (!isRecord(v)) return out
    for (const [k, x] of Object.entries(v)) {
      const q = parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined)
      if (q === undefined) continue
      out.set(canonicalQuotaKey(k), q)
      names?.set(canonicalQuotaKey(k), k)
    }
    return out
  }
  const names = new Map<string, string>()
  const synced = isRecord(status.hard)
  const hard = read(synced ? status.hard : spec.hard, names)
  return { hard, used: read(status.used), names, synced }
}

/** A resource a plan needs more of than a quota leaves. */
export interface Shortfall {
  resource: string
  need: Quantity
  hard: Quantity
  used: Quantity
}

/** Compares demand with one quota's headroom; every tracked resource the demand touches. */
export function headroom(
  quota: KubeObject,
  demand: ResourceAmounts
): { short: Shortfall[]; fits: Shortfall[]; names: Map<string, string>; synced: boolean } {
  const { hard, used, names, synced } = quotaFigures(quota)
  const short: Shortfall[] = []
  const fits: Shortfall[] = []
  for (const [key, h] of hard) {
    const need = demand.get(key)
    if (need === undefined || need <= 0n) continue
    const u = used.get(key) ?? 0n
    const row = { resource: key, need, hard: h, used: u }
    if (need > h - u) short.push(row)
    else fits.push(row)
  }
  return { short, fits, names, synced }
}

function fmt(key: string, q: Quantity): string {
  return key === 'pods' ||
    key.includes('count/') ||
    CORE_COUNTED.has(key) ||
    key.endsWith('persistentvolumeclaims') ||
    key.startsWith('services')
    ? String(quantityToNumber(q))
    : formatQuantity(q, key)
}

/** `needs cpu 2, quota compute allows 1.5 more (hard 4, used 2.5)`. */
export function describeShortfall(s: Shortfall, quotaName: string, shownAs = s.resource): string {
  const free = s.hard - s.used
  return `needs ${shownAs} ${fmt(s.resource, s.need)}, quota ${quotaName} allows ${free > 0n ? fmt(s.resource, free) : 'no'} more (hard ${fmt(s.resource, s.hard)}, used ${fmt(s.resource, s.used)})`
}

/** Plan-declared demand (`assumptions.quota`) under canonical names; values that do not parse are returned apart. */
export function declaredDemand(q: QuotaAssumption): { demand: ResourceAmounts; invalid: string[] } {
  const demand: ResourceAmounts = new Map()
  const invalid: string[] = []
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue
    const amount = parseQuantity(v)
    if (amount === undefined) invalid.push(`${k}: ${String(v)}`)
    else demand.set(canonicalQuotaKey(k), amount)
  }
  return { demand, invalid }
}

/** Containers missing a resource a quota requires every container to set: the pods would be rejected. */
export function missingRequirements(
  quota: KubeObject,
  demands: ObjectDemand[]
): { demand: ObjectDemand; missing: string[]; containers: string[] }[] {
  const { hard } = quotaFigures(quota)
  const required = [...hard.keys()].filter(k => MUST_SPECIFY.has(k))
  if (required.length === 0) return []
  const out: { demand: ObjectDemand; missing: string[]; containers: string[] }[] = []
  for (const d of demands) {
    if (!d.pod || !quotaSelectsPod(quota, d.pod.resources)) continue
    const missing = new Set<string>()
    const containers = new Set<string>()
    for (const c of d.pod.resources.containers) {
      for (const key of required) {
        const [kind, res] = key.split('.') as ['requests' | 'limits', string]
        if (!c[kind].has(res)) {
          missing.add(key)
          containers.add(c.name)
        }
      }
    }
    if (missing.size)
      out.push({ demand: d, missing: [...missing].sort(), containers: [...containers] })
  }
  return out
}

/** LimitRange min/max violations of containers and pods: the API would reject those pods. */
export function limitRangeViolations(
  lr: KubeObject,
  demands: ObjectDemand[]
): { demand: ObjectDemand; problems: string[] }[] {
  const spec = isRecord(lr.spec) ? lr.spec : {}
  const out: { demand: ObjectDemand; problems: string[] }[] = []
  const amounts = (v: unknown): ResourceAmounts => {
    const m: ResourceAmounts = new Map()
    if (isRecord(v))
      for (const [k, x] of Object.entries(v)) {
        const q = parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined)
        if (q !== undefined) m.set(k, q)
      }
    return m
  }
  for (const d of demands) {
    if (!d.pod) continue
    const problems: string[] = []
    for (const item of records(spec.limits)) {
      const max = amounts(item.max)
      const min = amounts(item.min)
      const subjects =
        item.type === 'Container'
          ? d.pod.resources.containers.map(c => ({
              what: `container ${c.name}`,
              requests: c.requests,
              limits: c.limits
            }))
          : item.type === 'Pod'
            ? [
                {
                  what: 'the pod',
                  requests: d.pod.resources.requests,
                  limits: d.pod.resources.limits
                }
              ]
            : []
      for (const s of subjects) {
        for (const [r, hi] of max) {
          const l = s.limits.get(r)
          if (l === undefined)
            problems.push(
              `${s.what} sets no ${r} limit, but LimitRange ${lr.metadata.name} has max ${r} ${formatQuantity(hi, r)}`
            )
          else if (l > hi)
            problems.push(
              `${s.what} limits ${r} to ${formatQuantity(l, r)}, above the max ${formatQuantity(hi, r)}`
            )
        }
        for (const [r, lo] of min) {
          const q = s.requests.get(r)
          if (q === undefined)
            problems.push(
              `${s.what} requests no ${r}, but LimitRange ${lr.metadata.name} has min ${r} ${formatQuantity(lo, r)}`
            )
          else if (q < lo)
            problems.push(
              `${s.what} requests ${r} ${formatQuantity(q, r)}, below the min ${formatQuantity(lo, r)}`
            )
        }
      }
    }
    if (problems.length) out.push({ demand: d, problems })
  }
  return out
}

async function listIn(
  ctx: RealityContext,
  apiVersion: string,
  kind: string
): Promise<KubeObject[] | 'forbidden'> {
  try {
    return (await ctx.cluster.list(apiVersion, kind, { namespace: ctx.namespace })).items
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403) return 'forbidden'
    throw err
  }
}

async function nodeCount(ctx: RealityContext): Promise<{ nodes: number; note?: string }> {
  try {
    const n = (await ctx.cluster.list('v1', 'Node')).items.length
    return { nodes: Math.max(1, n) }
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403)
      return { nodes: 1, note: 'nodes cannot be listed (forbidden): DaemonSets counted as one pod' }
    throw err
  }
}

function subtract(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, q] of from) into.set(k, (into.get(k) ?? 0n) - q)
}

/** The `quota` kind: one result per ResourceQuota and LimitRange of the target namespace. */
export const quotaCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => ctx.loaded.plan.assumptions?.quota !== undefined || ctx.manifests.length > 0,
  run: ctx => timed(KIND, KIND, () => checkQuota(ctx))
}

async function checkQuota(ctx: RealityContext): Promise<CheckResult[]> {
  const [quotas, limitRanges] = await Promise.all([
    listIn(ctx, 'v1', 'ResourceQuota'),
    listIn(ctx, 'v1', 'LimitRange')
  ])
  const quotaLocation = ctx.loaded.locate(['assumptions', 'quota'])
  if (quotas === 'forbidden' || limitRanges === 'forbidden')
    return [
      checkResult(KIND, ctx.namespace, {
        verdict: 'warn',
        severity: 'medium',
        message: `cannot read the ResourceQuotas and LimitRanges of ${ctx.namespace} (forbidden), so headroom is unknown`,
        adjustment: `grant this identity list on resourcequotas and limitranges in ${ctx.namespace} (the built-in view role has it)`,
        location: quotaLocation
      })
    ]
  if (quotas.length === 0 && limitRanges.length === 0)
    return [
      checkResult(KIND, ctx.namespace, {
        verdict: 'pass',
        message: `namespace ${ctx.namespace} has no ResourceQuota or LimitRange`,
        location: quotaLocation
      })
    ]

  const inNamespace = ctx.manifests.filter(m => {
    const r = findResource(ctx.surface, m.object.apiVersion, m.object.kind)
    return (
      r?.namespaced !== false && (m.object.metadata.namespace ?? ctx.namespace) === ctx.namespace
    )
  })
  const defaults = containerDefaults(
    limitRanges.map(lr => ({ name: lr.metadata.name, spec: lr.spec }))
  )
  const needsNodes = inNamespace.some(m => m.object.kind === 'DaemonSet')
  const { nodes, note } = needsNodes ? await nodeCount(ctx) : { nodes: 1, note: undefined }
  const dctx = { surface: ctx.surface, defaults, nodes }
  const demands = inNamespace.map(m => objectDemand(m, dctx))
  const declared = ctx.loaded.plan.assumptions?.quota
  const results: CheckResult[] = []

  if (declared) {
    const { demand, invalid } = declaredDemand(declared)
    if (invalid.length)
      results.push(
        checkResult(KIND, 'assumptions.quota', {
          verdict: 'fail',
          severity: 'high',
          message: `assumptions.quota has values that are not quantities: ${invalid.join(', ')}`,
          adjustment:
            'write quantities as Kubernetes does: cpu "500m" or "2", memory "512Mi" or "4Gi", pods 10',
          location: quotaLocation
        })
      )
    for (const quota of quotas)
      results.push(judgeHeadroom(quota, demand, [], ctx, quotaLocation, 'the plan declares'))
  } else if (quotas.length > 0)
    results.push(
      ...(await manifestHeadroom(ctx, quotas, inNamespace, demands, dctx, quotaLocation))
    )

  results.push(...requirementResults(ctx, quotas, demands, defaults))

  for (const lr of limitRanges) {
    const violations = limitRangeViolations(lr, demands)
    results.push(
      checkResult(KIND, `${ctx.namespace}/${lr.metadata.name} (LimitRange)`, {
        verdict: violations.length ? 'fail' : 'pass',
        severity: violations.length ? 'high' : 'info',
        message: violations.length
          ? `${violations.length} workload${violations.length === 1 ? '' : 's'} break LimitRange ${lr.metadata.name}: their pods would be rejected`
          : `every pod fits LimitRange ${lr.metadata.name}${defaults.source === lr.metadata.name ? ' (its defaults were applied to containers that set none)' : ''}`,
        evidence: violations.length
          ? violations
              .map(v => `${describeManifest(v.demand.manifest)}: ${v.problems.join('; ')}`)
              .join('\n')
          : undefined,
        adjustment: violations.length
          ? `change the containers' resources to lie within the LimitRange, or ask the namespace admin to widen it`
          : undefined,
        location: violations.length ? manifestLocation(violations[0].demand.manifest) : undefined
      })
    )
  }
  if (note) for (const r of results) r.evidence = r.evidence ? `${r.evidence}\n${note}` : note
  return results
}

/** Each quota's headroom against what the manifests add (objects that exist count by how much they change). */
async function manifestHeadroom(
  ctx: RealityContext,
  quotas: KubeObject[],
  inNamespace: LoadedManifest[],
  demands: ObjectDemand[],
  dctx: Parameters<typeof objectDemand>[1],
  quotaLocation: ReturnType<RealityContext['loaded']['locate']>
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  // Objects that exist already are counted by how much they change: their usage is in `used`.
  const live = await mapBounded(inNamespace, m =>
    ctx.cluster
      .get({
        apiVersion: m.object.apiVersion,
        kind: m.object.kind,
        name: m.object.metadata.name,
        namespace: ctx.namespace
      })
      .catch(() => undefined)
  )
  for (const quota of quotas) {
    const total: ResourceAmounts = new Map()
    const contributions: { demand: ObjectDemand; amounts: ResourceAmounts }[] = []
    demands.forEach((d, i) => {
      const mine: ResourceAmounts = new Map()
      if (!isScoped(quota)) for (const [k, q] of d.objects) addTo(mine, k, q)
      if (d.pod && quotaSelectsPod(quota, d.pod.resources))
        for (const [k, q] of podAmounts(d)) addTo(mine, k, q)
      const was = live[i]
      if (was) {
        const old = objectDemand({ ...d.manifest, object: was }, dctx)
        const oldMine: ResourceAmounts = new Map()
        if (!isScoped(quota)) for (const [k, q] of old.objects) addTo(oldMine, k, q)
        if (old.pod && quotaSelectsPod(quota, old.pod.resources))
          for (const [k, q] of podAmounts(old)) addTo(oldMine, k, q)
        subtract(mine, oldMine)
      }
      for (const [k, q] of mine) addTo(total, k, q)
      contributions.push({ demand: d, amounts: mine })
    })
    results.push(
      judgeHeadroom(quota, total, contributions, ctx, quotaLocation, 'the manifests add up to')
    )
  }
  return results
}

/** Quotas that track requests or limits every container must then set. */
function requirementResults(
  ctx: RealityContext,
  quotas: KubeObject[],
  demands: ObjectDemand[],
  defaults: ReturnType<typeof containerDefaults>
): CheckResult[] {
  const results: CheckResult[] = []
  for (const quota of quotas) {
    const missing = missingRequirements(quota, demands)
    if (missing.length === 0) continue
    const lines = missing.map(
      x =>
        `${describeManifest(x.demand.manifest)}: containers ${x.containers.join(', ')} set no ${x.missing.join(', ')}`
    )
    const keys = [...new Set(missing.flatMap(x => x.missing))].sort()
    results.push(
      checkResult(KIND, `${ctx.namespace}/${quota.metadata.name} requires ${keys.join(', ')}`, {
        verdict: 'fail',
        severity: 'high',
        message: `quota ${quota.metadata.name} tracks ${keys.join(', ')}, so every container must set ${keys.length === 1 ? 'it' : 'them'}; pods of ${missing.length} workload${missing.length === 1 ? '' : 's'} would be rejected ("must specify ${keys.join(',')}")`,
        evidence: `${lines.join('\n')}${defaults.source ? '' : `\nno LimitRange in ${ctx.namespace} gives defaults`}`,
        adjustment: `set resources.${keys.map(k => k).join(' and resources.')} on every container, or add a LimitRange with default/defaultRequest for ${keys.map(k => k.split('.')[1]).join(', ')} in ${ctx.namespace}`,
        location: manifestLocation(missing[0].demand.manifest),
        data: { quota: quota.metadata.name, missing: keys }
      })
    )
  }
  return results
}

function judgeHeadroom(
  quota: KubeObject,
  demand: ResourceAmounts,
  contributions: { demand: ObjectDemand; amounts: ResourceAmounts }[],
  ctx: RealityContext,
  planLocation: SourceLocation,
  source: string
): CheckResult {
  const name = quota.metadata.name
  const { short, fits, names, synced } = headroom(quota, demand)
  const shown = (k: string): string => names.get(k) ?? k
  const rows = [...short, ...fits].map(
    s =>
      `${shown(s.resource)}: needs ${fmt(s.resource, s.need)}, hard ${fmt(s.resource, s.hard)}, used ${fmt(s.resource, s.used)}, free ${fmt(s.resource, s.hard - s.used)}`
  )
  const data = {
    quota: name,
    resources: Object.fromEntries(
      [...short, ...fits].map(s => [
        shown(s.resource),
        {
          need: quantityToNumber(s.need),
          hard: quantityToNumber(s.hard),
          used: quantityToNumber(s.used)
        }
      ])
    )
  }
  const target = `${ctx.namespace}/${name}`
  const syncNote = synced
    ? ''
    : '\nthe quota controller has not reported usage yet: used counted as 0'
  if (short.length === 0)
    return checkResult(KIND, target, {
      verdict: 'pass',
      message: rows.length
        ? `${source} what quota ${name} leaves room for (${fits.map(s => `${shown(s.resource)} ${fmt(s.resource, s.need)} of ${fmt(s.resource, s.hard - s.used)} free`).join(', ')})`
        : `quota ${name} tracks nothing the plan adds`,
      evidence: rows.length ? rows.join('\n') + syncNote : undefined,
      data,
      location: planLocation
    })
  // The largest contributor to the first shortfall is where a person would start cutting.
  const first = short[0].resource
  const top = contributions
    .filter(c => (c.amounts.get(first) ?? 0n) > 0n)
    .sort((a, b) => Number((b.amounts.get(first) ?? 0n) - (a.amounts.get(first) ?? 0n)))
  const contributors = top
    .slice(0, 3)
    .map(c => `${describeManifest(c.demand.manifest)} ${fmt(first, c.amounts.get(first) ?? 0n)}`)
  return checkResult(KIND, target, {
    verdict: 'fail',
    severity: 'high',
    message: short.map(s => describeShortfall(s, name, shown(s.resource))).join('; '),
    evidence:
      rows.join('\n') +
      (contributors.length
        ? `\nlargest ${shown(first)} requests: ${contributors.join(', ')}`
        : '') +
      syncNote,
    adjustment: `raise quota ${name}'s ${short.map(s => `${shown(s.resource)} to at least ${fmt(s.resource, s.used + s.need)}`).join(', ')} (namespace admin), or lower replicas or requests${contributors.length ? ` (largest: ${top[0] ? describeManifest(top[0].demand.manifest) : ''})` : ''}`,
    data,
    location: top[0] ? manifestLocation(top[0].demand.manifest) : planLocation
  })
}
