/**
 * Divergence: where the manifests assume what this cluster will not do.
 * (a) apiVersions not served, deprecated or removed in this server's version
 * (only the manifests' own apiVersions: never last-applied-configuration or
 * managedFields); (b) the namespace's Pod Security levels against every pod
 * spec; (c) OpenShift's SCC and UID-range rules; (d) LoadBalancer Services
 * on a cluster that has never handed out a load balancer address; (e) images
 * from registries outside `registries.allow`. Findings name file:line and
 * the object.
 */

import { KubeApiError, splitApiVersion, type KubeObject } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import { parseImageReference } from '../registry/reference.js'
import type { CheckResult, Severity, Verdict } from '../report/model.js'
import { judgeApi } from './api.js'
import { mapBounded } from './concurrency.js'
import { deprecationStatus, findDeprecation } from './deprecations.js'
import { registryAllowed } from './image.js'
import {
  describeManifest,
  describeObject,
  findResource,
  manifestLocation
} from './manifest-info.js'
import { isRecord, records, str } from '../core/fields.js'
import { loadPlanObjects, planCreations, type PlanCreations } from './plan-objects.js'
import {
  checkPodSecurity,
  isLevel,
  POD_SECURITY_FIXES,
  type PodSecurityLevel,
  type PodSecurityViolation
} from './pod-security.js'
import { containersOf, podTemplateOf, type PodTemplate } from './pod-templates.js'
import { checkResult, timed, type CheckFields } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'divergence'

type Fields = Omit<CheckFields, 'location'>

// ------------------------------------------------------------ (a) API versions

/** Judges one apiVersion/kind the manifests use against the table, discovery and the server's version. */
export function judgeApiVersion(
  apiVersion: string,
  kind: string,
  opts: {
    surface: RealityContext['surface']
    minor: number
    gitVersion: string
    plannedCrd: boolean
  }
): Fields {
  const { group, version } = splitApiVersion(apiVersion)
  const served = findResource(opts.surface, apiVersion, kind) !== undefined
  const d = findDeprecation(group, version, kind)
  const server = `this cluster runs ${opts.gitVersion}`
  if (d) {
    const status = deprecationStatus(d, opts.minor)
    const when = `deprecated in 1.${d.deprecatedIn}${d.removedIn !== undefined ? `, removed in 1.${d.removedIn}` : ''}`
    const data = {
      deprecatedIn: `1.${d.deprecatedIn}`,
      removedIn: d.removedIn !== undefined ? `1.${d.removedIn}` : undefined,
      replacement: d.replacement,
      served
    }
    if (!served)
      return {
        verdict: 'fail',
        severity: 'high',
        message: `${apiVersion} ${kind} is not served: ${status === 'removed' ? `removed in 1.${d.removedIn}` : d.alpha ? 'an alpha API, off by default' : 'this cluster does not serve it'} (${when}; ${server})`,
        adjustment: `use ${d.replacement}${d.replacement.includes('/') ? ` ${kind}` : ''}`,
        data
      }
    if (status === 'removed' || status === 'deprecated')
      return {
        verdict: 'warn',
        severity: status === 'removed' ? 'high' : 'medium',
        message: `${apiVersion} ${kind} is ${when}; ${server}, which still serves it${d.removedIn !== undefined ? `: an upgrade to 1.${d.removedIn} breaks this manifest` : ''}`,
        adjustment: `move to ${d.replacement}${d.replacement.includes('/') ? ` ${kind}` : ''} now`,
        data
      }
    return {
      verdict: 'pass',
      message: `${apiVersion} ${kind} is served (to be deprecated in 1.${d.deprecatedIn}; ${server})`,
      data
    }
  }
  if (served) return { verdict: 'pass', message: `${apiVersion} ${kind} is served` }
  if (opts.plannedCrd)
    return {
      verdict: 'pass',
      message: `${apiVersion} ${kind} is not served yet; the plan installs its CustomResourceDefinition first`
    }
  const j = judgeApi(`${apiVersion}/${kind}`, opts.surface)
  return { ...j, verdict: 'fail', severity: 'high' }
}

// ------------------------------------------------------------ (b) Pod Security

/** A namespace's Pod Security labels (absent modes are undefined). */
export interface PodSecurityLabels {
  enforce?: PodSecurityLevel
  warn?: PodSecurityLevel
  audit?: PodSecurityLevel
}

/** The levels a namespace's labels set; unknown values are ignored (the apiserver rejects them anyway). */
export function podSecurityLabels(labels: Record<string, string>): PodSecurityLabels {
  const out: PodSecurityLabels = {}
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const v = labels[`pod-security.kubernetes.io/${mode}`]
    if (isLevel(v)) out[mode] = v
  }
  return out
}

const MODE_RANK = { enforce: 3, warn: 2, audit: 1 } as const

/** Judges one workload's pod spec against the namespace's levels: enforce fails, warn and audit warn. */
export function judgePodSecurity(
  m: LoadedManifest,
  t: PodTemplate,
  ns: string,
  levels: PodSecurityLabels
): Fields | undefined {
  const found = new Map<
    string,
    { v: PodSecurityViolation; mode: keyof typeof MODE_RANK; level: PodSecurityLevel }
  >()
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const level = levels[mode]
    if (!level) continue
    for (const v of checkPodSecurity(t, level)) {
      const key = `${v.check}|${v.path}`
      const have = found.get(key)
      if (!have || MODE_RANK[mode] > MODE_RANK[have.mode]) found.set(key, { v, mode, level })
    }
  }
  if (found.size === 0) return undefined
  const list = [...found.values()]
  const enforced = list.filter(f => f.mode === 'enforce')
  const top = enforced.length ? 'enforce' : list.some(f => f.mode === 'warn') ? 'warn' : 'audit'
  const level = list.find(f => f.mode === top)?.level
  const isPod = m.object.kind === 'Pod'
  const verdict: Verdict = top === 'enforce' ? 'fail' : 'warn'
  const severity: Severity = top === 'enforce' ? 'high' : top === 'warn' ? 'medium' : 'low'
  const consequence =
    top === 'enforce'
      ? isPod
        ? 'the API server will reject it'
        : `the ${m.object.kind} is admitted with a warning, but its pods will be rejected and it never becomes ready`
      : top === 'warn'
        ? 'the apply will print Pod Security warnings'
        : 'the audit log will record violations'
  const fixes = [...new Set(list.map(f => POD_SECURITY_FIXES[f.v.check]).filter(Boolean))]
  return {
    verdict,
    severity,
    message: `${describeManifest(m)} violates Pod Security "${level}" (${top} in namespace ${ns}): ${consequence}`,
    evidence: list
      .sort((a, b) => MODE_RANK[b.mode] - MODE_RANK[a.mode])
      .map(f => `[${f.mode} ${f.level}] ${f.v.check}: ${f.v.path}: ${f.v.detail}`)
      .join('\n'),
    adjustment: fixes.join('; '),
    data: {
      namespace: ns,
      mode: top,
      level,
      violations: list.map(f => ({ check: f.v.check, path: f.v.path, mode: f.mode }))
    }
  }
}

// ------------------------------------------------------------ (c) OpenShift

/** True when the plan targets OpenShift or the cluster serves OpenShift's own API groups. */
export function isOpenShift(ctx: Pick<RealityContext, 'loaded' | 'surface'>): boolean {
  return (
    ctx.loaded.plan.target.platform === 'openshift' ||
    ['config.openshift.io', 'security.openshift.io'].some(g => ctx.surface.groups.has(g))
  )
}

/** `1000680000/10000` (or `1000680000-1000689999`) as the first and last id of the range. */
export function parseIdRange(
  text: string | undefined
): { first: number; last: number } | undefined {
  if (!text) return undefined
  const first = text.split(',')[0].trim()
  let m = /^(\d+)\/(\d+)$/.exec(first)
  if (m) return { first: Number(m[1]), last: Number(m[1]) + Number(m[2]) - 1 }
  m = /^(\d+)-(\d+)$/.exec(first)
  if (m) return { first: Number(m[1]), last: Number(m[2]) }
  return undefined
}

/**
 * The span OpenShift hands namespace UID and group blocks out of (its default `--uid-range`,
 * 1000000000-1999999999 in blocks of 10000). A namespace without its annotation yet (one the
 * plan creates, or one seconds old) gets a block from here, so an id outside it is outside
 * whatever block the namespace will get.
 */
export const OPENSHIFT_ID_SPAN = { first: 1_000_000_000, last: 1_999_999_999 } as const

/** What restricted-v2 (OpenShift's default SCC) refuses in a pod spec, each with the SCC that would allow it. */
export function openShiftFindings(
  t: PodTemplate,
  annotations: Record<string, string>
): { path: string; problem: string; scc: string }[] {
  const out: { path: string; problem: string; scc: string }[] = []
  const spec = t.spec
  const psc = isRecord(spec.securityContext) ? spec.securityContext : {}
  const range = (key: string): { first: number; last: number; what: string } => {
    const r = parseIdRange(annotations[key])
    return r
      ? { ...r, what: `the namespace's range ${r.first}-${r.last} (${key})` }
      : {
          ...OPENSHIFT_ID_SPAN,
          what: `the span OpenShift allocates namespace ranges from (${OPENSHIFT_ID_SPAN.first}-${OPENSHIFT_ID_SPAN.last}; the namespace has no ${key} annotation yet)`
        }
  }
  const uid = range('openshift.io/sa.scc.uid-range')
  const groups = range('openshift.io/sa.scc.supplemental-groups')
  const outside = (n: number, r: { first: number; last: number }): boolean =>
    n < r.first || n > r.last
  const uidCheck = (v: unknown, path: string, who: string): void => {
    if (typeof v !== 'number') return
    if (v === 0) out.push({ path, problem: `${who} runs as UID 0 (root)`, scc: 'anyuid' })
    else if (outside(v, uid))
      out.push({
        path,
        problem: `${who} runs as UID ${v}, outside ${uid.what}`,
        scc: 'nonroot-v2 (or anyuid)'
      })
  }
  uidCheck(psc.runAsUser, `${t.path}.securityContext.runAsUser`, 'the pod')
  if (typeof psc.fsGroup === 'number' && outside(psc.fsGroup, groups))
    out.push({
      path: `${t.path}.securityContext.fsGroup`,
      problem: `fsGroup ${psc.fsGroup} is outside ${groups.what}`,
      scc: 'nonroot-v2 (or anyuid)'
    })
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (spec[ns] === true)
      out.push({
        path: `${t.path}.${ns}`,
        problem: `${ns}: true`,
        scc: ns === 'hostNetwork' ? 'hostnetwork-v2' : 'privileged'
      })
  records(spec.volumes).forEach((v, i) => {
    if (v.hostPath !== undefined)
      out.push({
        path: `${t.path}.volumes[${i}].hostPath`,
        problem: `hostPath volume ${str(v.name) ?? i}`,
        scc: 'hostmount-anyuid'
      })
  })
  for (const c of containersOf(t)) {
    const sc = isRecord(c.container.securityContext) ? c.container.securityContext : {}
    const who = `container ${c.name}`
    if (sc.privileged === true)
      out.push({
        path: `${c.path}.securityContext.privileged`,
        problem: `${who} is privileged`,
        scc: 'privileged'
      })
    if (sc.allowPrivilegeEscalation === true)
      out.push({
        path: `${c.path}.securityContext.allowPrivilegeEscalation`,
        problem: `${who} allows privilege escalation`,
        scc: 'privileged'
      })
    uidCheck(sc.runAsUser, `${c.path}.securityContext.runAsUser`, who)
    const caps = isRecord(sc.capabilities) ? sc.capabilities : {}
    const added = (Array.isArray(caps.add) ? caps.add : []).filter(
      (x): x is string => typeof x === 'string' && x !== 'NET_BIND_SERVICE'
    )
    if (added.length)
      out.push({
        path: `${c.path}.securityContext.capabilities.add`,
        problem: `${who} adds ${added.join(', ')}`,
        scc: 'privileged (or a custom SCC allowing them)'
      })
    records(c.container.ports).forEach((p, i) => {
      if (typeof p.hostPort === 'number' && p.hostPort !== 0)
        out.push({
          path: `${c.path}.ports[${i}].hostPort`,
          problem: `${who} uses hostPort ${p.hostPort}`,
          scc: 'hostnetwork-v2'
        })
    })
  }
  return out
}

// ------------------------------------------------------------ (d) LoadBalancer

// Controllers that hand out LoadBalancer addresses without a cloud provider, by the API groups they serve.
const LB_CONTROLLER_GROUPS: Record<string, string> = {
  'metallb.io': 'MetalLB',
  'cilium.io': 'Cilium LB IPAM',
  'kube-vip.io': 'kube-vip',
  'openelb.kubesphere.io': 'OpenELB',
  'purelb.io': 'PureLB',
  'elbv2.k8s.aws': 'AWS Load Balancer Controller',
  'loadbalancer.openstack.org': 'OpenStack cloud provider'
}

/** How the cluster was judged able (or not) to provision load balancers. */
export interface LoadBalancerJudgement {
  available: boolean | undefined
  how: string
}

/** Whether anything hands out LoadBalancer addresses: a Service that got one, a known controller, a cloud provider on the nodes. */
export async function judgeLoadBalancer(ctx: RealityContext): Promise<LoadBalancerJudgement> {
  const notes: string[] = []
  const controller = Object.entries(LB_CONTROLLER_GROUPS).find(([g]) => ctx.surface.groups.has(g))
  if (controller)
    return {
      available: true,
      how: `${controller[1]} is installed (API group ${controller[0]} is served)`
    }
  let services: KubeObject[]
  try {
    services = (await ctx.cluster.list('v1', 'Service')).items
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 403)) throw err
    notes.push(
      'Services in all namespaces cannot be listed (forbidden); looked in the target namespace'
    )
    services = (
      await ctx.cluster
        .list('v1', 'Service', { namespace: ctx.namespace })
        .catch(() => ({ items: [] }))
    ).items
  }
  const lbs = services.filter(s => isRecord(s.spec) && s.spec.type === 'LoadBalancer')
  const served = lbs.find(s => {
    const st = isRecord(s.status) && isRecord(s.status.loadBalancer) ? s.status.loadBalancer : {}
    return records(st.ingress).length > 0
  })
  if (served) {
    const st =
      isRecord(served.status) && isRecord(served.status.loadBalancer)
        ? served.status.loadBalancer
        : {}
    const ing = records(st.ingress)[0] ?? {}
    return {
      available: true,
      how: `Service ${served.metadata.namespace}/${served.metadata.name} got a load balancer address (${str(ing.ip) ?? str(ing.hostname) ?? '?'})`
    }
  }
  let provider: string | undefined
  try {
    const nodes = (await ctx.cluster.list('v1', 'Node', { limit: 5 })).items
    provider = nodes
      .map(n => (isRecord(n.spec) ? str(n.spec.providerID) : undefined))
      .find(
        p =>
          p &&
          /^(aws|gce|azure|openstack|vsphere|digitalocean|linode|hcloud|oci|ibm|alicloud|exoscale|scaleway|vultr|upcloud|civo|equinixmetal):\/\//.test(
            p
          )
      )
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 403)) throw err
    notes.push('nodes cannot be listed (forbidden)')
  }
  if (provider)
    return {
      available: true,
      how: `the nodes run on a cloud provider (providerID ${provider.split('://')[0]}://…), whose controller provisions load balancers`
    }
  const how = [
    `no Service of type LoadBalancer has an address (${lbs.length} LoadBalancer Service${lbs.length === 1 ? '' : 's'} of ${services.length} seen)`,
    `no known load-balancer controller (${[...new Set(Object.values(LB_CONTROLLER_GROUPS))].join(', ')}) serves its API`,
    'no node has a cloud providerID',
    ...notes
  ].join('; ')
  return { available: notes.length ? undefined : false, how }
}

// ------------------------------------------------------------ the check

async function namespaceObject(
  ctx: RealityContext,
  ns: string,
  creations: PlanCreations
): Promise<KubeObject | 'forbidden' | undefined> {
  try {
    const live = await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })
    // A namespace the plan creates will carry the plan's labels.
    return live ?? creations.namespaces.get(ns)?.object
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403)
      return creations.namespaces.get(ns)?.object ?? 'forbidden'
    throw err
  }
}

/** The `divergence` kind: one result per apiVersion, per workload finding, per LoadBalancer Service and for registries. */
export const divergenceCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => ctx.manifests.length > 0,
  run: ctx => timed(KIND, KIND, () => checkDivergence(ctx))
}

async function checkDivergence(ctx: RealityContext): Promise<CheckResult[]> {
  const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
  const creations = planCreations(objects, ctx.manifests)
  const version = await ctx.cluster.version()
  // (a) one result per apiVersion/kind, naming every manifest that uses it.
  const results = apiVersionResults(ctx, creations, version)

  // (b) and (c): every workload's pod spec against its namespace.
  const workloads = ctx.manifests
    .map(m => ({ m, t: podTemplateOf(m.object) }))
    .filter((w): w is Workload => w.t !== undefined)
  const namespaces = [
    ...new Set(workloads.map(w => w.m.object.metadata.namespace ?? ctx.namespace))
  ]
  const nsObjects: NamespaceObjects = new Map()
  await mapBounded(
    namespaces,
    async ns => void nsObjects.set(ns, await namespaceObject(ctx, ns, creations))
  )
  const openshift = isOpenShift(ctx)
  const clean = new Map<string, number>()
  for (const w of workloads) results.push(...workloadResults(ctx, w, nsObjects, openshift, clean))
  for (const ns of namespaces) results.push(...namespaceResults(ctx, ns, nsObjects, clean))
  if (openshift) results.push(...openShiftIngressResults(ctx))

  // (d) LoadBalancer Services.
  results.push(...(await loadBalancerResults(ctx)))
  // (e) registries outside the plan's allow-list.
  const allow = ctx.loaded.plan.registries?.allow
  if (allow && allow.length > 0) results.push(registryResult(ctx, workloads, allow))
  return results
}

interface Workload {
  m: LoadedManifest
  t: PodTemplate
}
type NamespaceObjects = Map<string, KubeObject | 'forbidden' | undefined>

function apiVersionResults(
  ctx: RealityContext,
  creations: ReturnType<typeof planCreations>,
  version: Awaited<ReturnType<RealityContext['cluster']['version']>>
): CheckResult[] {
  const results: CheckResult[] = []
  const byApi = new Map<string, LoadedManifest[]>()
  for (const m of ctx.manifests) {
    const key = `${m.object.apiVersion}|${m.object.kind}`
    byApi.set(key, [...(byApi.get(key) ?? []), m])
  }
  for (const [key, list] of byApi) {
    const [apiVersion, kind] = key.split('|')
    const { group } = splitApiVersion(apiVersion)
    const f = judgeApiVersion(apiVersion, kind, {
      surface: ctx.surface,
      minor: version.minor,
      gitVersion: version.gitVersion,
      plannedCrd: creations.crds.has(`${group}/${kind}`)
    })
    const users = list.map(m => `${m.file}:${m.line} ${describeObject(m.object)}`)
    results.push(
      checkResult(KIND, `apiVersion ${apiVersion} ${kind}`, {
        ...f,
        message:
          f.verdict === 'pass'
            ? `${f.message} (${list.length} manifest${list.length === 1 ? '' : 's'})`
            : f.message,
        evidence:
          [f.evidence, f.verdict === 'pass' ? undefined : `used by ${users.join(', ')}`]
            .filter(Boolean)
            .join('\n') || undefined,
        location: manifestLocation(list[0])
      })
    )
  }
  return results
}

/** Pod Security (and on OpenShift, SCC) findings of one workload; a clean one is counted per namespace. */
function workloadResults(
  ctx: RealityContext,
  { m, t }: Workload,
  nsObjects: NamespaceObjects,
  openshift: boolean,
  clean: Map<string, number>
): CheckResult[] {
  const results: CheckResult[] = []
  const ns = m.object.metadata.namespace ?? ctx.namespace
  const nsObj = nsObjects.get(ns)
  if (nsObj === 'forbidden' || nsObj === undefined) return results
  const levels = podSecurityLabels(nsObj.metadata.labels ?? {})
  const f = judgePodSecurity(m, t, ns, levels)
  if (f)
    results.push(
      checkResult(
        KIND,
        `pod-security ${describeObject({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`,
        {
          ...f,
          location: manifestLocation(
            m,
            f.data?.violations ? (f.data.violations as { path: string }[])[0].path : undefined
          )
        }
      )
    )
  else clean.set(ns, (clean.get(ns) ?? 0) + 1)
  if (openshift) {
    const found = openShiftFindings(t, nsObj.metadata.annotations ?? {})
    if (found.length)
      results.push(
        checkResult(
          KIND,
          `openshift ${describeObject({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`,
          {
            verdict: 'fail',
            severity: 'high',
            message: `${describeManifest(m)} needs more than OpenShift's default SCC restricted-v2 allows: its pods will not be admitted unless its service account is granted ${[...new Set(found.map(f => f.scc))].join(' / ')}`,
            evidence: found.map(f => `${f.path}: ${f.problem} (needs SCC ${f.scc})`).join('\n'),
            adjustment: `drop the fixed UIDs and privileges (let OpenShift assign the UID from the namespace range), or have an admin run \`oc adm policy add-scc-to-user ${found[0].scc.split(' ')[0]} -z ${str(t.spec.serviceAccountName) ?? 'default'} -n ${ns}\``,
            location: manifestLocation(m, found[0].path),
            data: { findings: found }
          }
        )
      )
  }
  return results
}

/** One namespace's Pod Security result: unreadable, or how many workloads meet its levels. */
function namespaceResults(
  ctx: RealityContext,
  ns: string,
  nsObjects: NamespaceObjects,
  clean: Map<string, number>
): CheckResult[] {
  const results: CheckResult[] = []
  const nsObj = nsObjects.get(ns)
  if (nsObj === 'forbidden') {
    results.push(
      checkResult(KIND, `pod-security namespace ${ns}`, {
        verdict: 'warn',
        severity: 'low',
        message: `cannot read namespace ${ns} (forbidden), so its Pod Security levels are unknown; the admission dry-run still applies them`,
        location: ctx.loaded.locate(['target', 'namespace'])
      })
    )
    return results
  }
  if (!nsObj) return results
  const levels = podSecurityLabels(nsObj.metadata.labels ?? {})
  const set = (['enforce', 'warn', 'audit'] as const)
    .filter(k => levels[k])
    .map(k => `${k}=${levels[k]}`)
  if (clean.get(ns))
    results.push(
      checkResult(KIND, `pod-security namespace ${ns}`, {
        verdict: 'pass',
        message: set.length
          ? `${clean.get(ns)} workload${clean.get(ns) === 1 ? '' : 's'} in ${ns} ${clean.get(ns) === 1 ? 'meets' : 'meet'} its Pod Security levels (${set.join(', ')})`
          : `namespace ${ns} sets no Pod Security level (the cluster default applies, privileged unless configured)`,
        location: ctx.loaded.locate(['target', 'namespace'])
      })
    )
  return results
}

/** On OpenShift, Ingresses become Routes with default TLS settings. */
function openShiftIngressResults(ctx: RealityContext): CheckResult[] {
  const results: CheckResult[] = []
  const ingresses = ctx.manifests.filter(m => m.object.kind === 'Ingress')
  for (const m of ingresses)
    results.push(
      checkResult(KIND, `openshift ${describeObject(m.object)} (Ingress)`, {
        verdict: 'warn',
        severity: 'low',
        message: `${describeManifest(m)}: on OpenShift, Routes are the norm; the ingress-to-route controller turns this Ingress into a Route with default TLS settings`,
        adjustment:
          'consider a route.openshift.io/v1 Route for edge/passthrough/reencrypt TLS and router annotations',
        location: manifestLocation(m)
      })
    )
  return results
}

async function loadBalancerResults(ctx: RealityContext): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  const lbServices = ctx.manifests.filter(
    m =>
      m.object.kind === 'Service' &&
      isRecord(m.object.spec) &&
      m.object.spec.type === 'LoadBalancer'
  )
  if (lbServices.length) {
    const lb = await judgeLoadBalancer(ctx)
    for (const m of lbServices)
      results.push(
        checkResult(KIND, `load-balancer ${describeObject(m.object)}`, {
          verdict: lb.available === true ? 'pass' : 'warn',
          severity: lb.available === true ? 'info' : 'medium',
          message:
            lb.available === true
              ? `${describeManifest(m)} is type LoadBalancer: this cluster provisions them`
              : `${describeManifest(m)} is type LoadBalancer, but nothing in this cluster seems to provision load balancers: its EXTERNAL-IP would stay <pending>`,
          evidence: `judged by: ${lb.how}`,
          adjustment:
            lb.available === true
              ? undefined
              : 'use a ClusterIP Service behind an Ingress/Gateway/Route, or NodePort; or install a load-balancer controller (MetalLB, kube-vip) first',
          location: manifestLocation(m, 'spec.type')
        })
      )
  }
  return results
}

/** Container images (and assumed images) from registries outside `registries.allow`. */
function registryResult(ctx: RealityContext, workloads: Workload[], allow: string[]): CheckResult {
  const outside: string[] = []
  let firstOutside: CheckResult['location']
  for (const { m, t } of workloads)
    for (const c of containersOf(t)) {
      const image = str(c.container.image)
      if (!image) continue
      let registry: string
      try {
        const ref = parseImageReference(image)
        registry = ref.registry
        if (registryAllowed(ref, allow)) continue
      } catch {
        continue
      }
      outside.push(
        `${m.file}:${m.line} ${describeObject(m.object)} ${c.path}.image: ${image} (registry ${registry})`
      )
      firstOutside ??= manifestLocation(m, `${c.path}.image`)
    }
  // Images the plan assumes without a manifest using them count too.
  for (const [i, a] of (ctx.loaded.plan.assumptions?.images ?? []).entries()) {
    const image = typeof a === 'string' ? a : a.ref
    try {
      const ref = parseImageReference(image)
      if (registryAllowed(ref, allow)) continue
      outside.push(
        `${ctx.loaded.displayFile} assumptions.images[${i}]: ${image} (registry ${ref.registry})`
      )
      firstOutside ??= ctx.loaded.locate(['assumptions', 'images', i])
    } catch {
      // An unparsable reference is the image check's finding.
    }
  }
  return checkResult(KIND, 'registries', {
    verdict: outside.length ? 'fail' : 'pass',
    severity: outside.length ? 'high' : 'info',
    message: outside.length
      ? `${outside.length} container image${outside.length === 1 ? ' comes' : 's come'} from registries outside registries.allow (${allow.join(', ')})`
      : `every container image comes from an allowed registry (${allow.join(', ')})`,
    evidence: outside.length ? outside.join('\n') : undefined,
    adjustment: outside.length
      ? 'mirror those images into an allowed registry and change the manifests, or extend registries.allow if the registry is approved'
      : undefined,
    location: firstOutside ?? ctx.loaded.locate(['registries', 'allow'])
  })
}
