/**
 * The record gate: the deployment record and retrospective, built from the
 * reports of the gates before it (`--reports DIR`, in CI the artifact
 * directory, plus this call's own earlier gates) and from the live cluster:
 * the state record's phase records, the objects as they are now, the pods'
 * image digests, the ways in, the Secrets referenced (names and keys only).
 * It runs even when the gates before it failed, so a failed or rolled-back
 * deployment gets its record too; its own verdict only says whether the
 * record could be made. It reads, never changes, the cluster.
 */

import { describeOverrides } from '../render/overrides.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { checkResult } from '../checks/result.js'
import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import { key } from '../kube/apply.js'
import { LABEL_PLAN, labelValue } from '../kube/labels.js'
import { computeStatus } from '../kube/readiness.js'
import { StateRecord, type PhaseRecord, type StateIndex } from '../lifecycle/record.js'
import type { Cluster, KubeObject, ObjectRef } from '../kube/types.js'
import { budgetMs } from '../plan/budgets.js'
import type { CheckSpec } from '../plan/types.js'
import { formatReference, parseImageReference } from '../registry/reference.js'
import { buildIncident } from '../report/incident.js'
import type { FlowNode } from '../report/summary.js'
import { gateResult, type CheckResult, type GateResult, type RunReport } from '../report/model.js'
import {
  RECORD_SCHEMA_VERSION,
  chooseState,
  deriveState,
  gateOccurrences,
  knownIssues,
  mergeReports,
  renderRecord,
  retrospect,
  standingVerdict,
  workloadCommands,
  type AccessPoint,
  type CredentialRef,
  type DeploymentRecord,
  type RecordImage,
  type RecordPhase,
  type RecordWorkload
} from '../report/record.js'
import { readReportsDir } from '../report/reports-dir.js'
import { VERSION } from '../version.js'
import type { Gate, GateContext } from './types.js'
import { findRun, type RunChoice } from './validate.js'
import { num, rec, recordItems, scalarText } from '../core/fields.js'

const REGISTRY_TIMEOUT_MS = 15_000

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])
const ACCESS_KINDS = new Set(['Service', 'Ingress', 'Route', 'HTTPRoute'])
/** What is listed by the plan's label when no phase record names the objects. */
const FALLBACK_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'route.openshift.io/v1', kind: 'Route' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }
]

/** The record's file names; the gate writes them beside the report (`--report`, the action's `report` output). */
export const RECORD_FILES = { markdown: 'record.md', json: 'record.json' } as const

// ------------------------------------------------------------------ live facts

/** A label selector (`matchLabels` and `matchExpressions`) as the `labelSelector` query parameter. */
export function selectorString(selector: unknown): string | undefined {
  const s = rec(selector)
  const parts = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`)
  for (const e of recordItems(s.matchExpressions)) {
    const k = scalarText(e.key)
    const values = (Array.isArray(e.values) ? e.values : []).map(String).join(',')
    if (!k) continue
    if (e.operator === 'In') parts.push(`${k} in (${values})`)
    else if (e.operator === 'NotIn') parts.push(`${k} notin (${values})`)
    else if (e.operator === 'Exists') parts.push(k)
    else if (e.operator === 'DoesNotExist') parts.push(`!${k}`)
  }
  return parts.length ? parts.join(',') : undefined
}

/** The sha256 digest in an imageID (`docker-pullable://repo@sha256:…`, `sha256:…`). */
export function digestOf(imageId: unknown): string | undefined {
  return /sha256:[a-f0-9]{64}/.exec(typeof imageId === 'string' ? imageId : '')?.[0]
}

function podSpecOf(o: KubeObject): Record<string, unknown> {
  return rec(rec(rec(o.spec).template).spec)
}

/** The images of a workload's pod template, with the digests its pods run when they report them. */
export function workloadImages(w: KubeObject, pods: KubeObject[]): RecordImage[] {
  const spec = podSpecOf(w)
  const status = (
    s: Record<string, unknown>,
    init: boolean
  ): { name?: string; image?: string; imageID: unknown; init: boolean } => ({
    name: scalarText(s.name),
    image: scalarText(s.image),
    imageID: s.imageID,
    init
  })
  const statuses = pods.flatMap(p => [
    ...recordItems(rec(p.status).containerStatuses).map(s => status(s, false)),
    ...recordItems(rec(p.status).initContainerStatuses).map(s => status(s, true))
  ])
  const images: RecordImage[] = []
  for (const [list, init] of [
    [recordItems(spec.initContainers), true],
    [recordItems(spec.containers), false]
  ] as const) {
    for (const c of list) {
      const name = scalarText(c.name) ?? '?'
      const image = scalarText(c.image) ?? '?'
      const mine = statuses.filter(s => s.name === name && s.init === init)
      // Pods of an older revision may still run mid-rollout: prefer those running this image.
      const digest =
        digestOf(mine.find(s => s.image === image && digestOf(s.imageID))?.imageID) ??
        digestOf(mine.find(s => digestOf(s.imageID))?.imageID)
      const pinned = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1]
      const img: RecordImage = { container: name, image }
      if (init) img.init = true
      if (digest) Object.assign(img, { digest, digestSource: 'node' })
      else if (pinned) Object.assign(img, { digest: pinned, digestSource: 'reference' })
      images.push(img)
    }
  }
  return images
}

/** Replica counts of a workload from its status. */
export function replicasOf(w: KubeObject): RecordWorkload['replicas'] {
  const spec = rec(w.spec)
  const s = rec(w.status)
  if (w.kind === 'DaemonSet')
    return {
      desired: num(s.desiredNumberScheduled),
      ready: num(s.numberReady) ?? 0,
      available: num(s.numberAvailable),
      updated: num(s.updatedNumberScheduled)
    }
  return {
    desired: num(spec.replicas) ?? 1,
    ready: num(s.readyReplicas) ?? 0,
    available: num(s.availableReplicas),
    updated: num(s.updatedReplicas)
  }
}

function serviceUrls(svc: KubeObject): string[] {
  const ns = svc.metadata.namespace ?? ''
  const spec = rec(svc.spec)
  const ports = recordItems(spec.ports)
  const urls: string[] = []
  if (spec.type === 'ExternalName' && scalarText(spec.externalName))
    return [scalarText(spec.externalName) as string]
  for (const p of ports)
    urls.push(`${svc.metadata.name}.${ns}.svc.cluster.local:${scalarText(p.port) ?? '?'}`)
  const lb = recordItems(rec(rec(svc.status).loadBalancer).ingress)
  for (const i of lb)
    for (const p of ports)
      urls.push(`${scalarText(i.hostname) ?? scalarText(i.ip)}:${scalarText(p.port)}`)
  return urls
}

/** Hosts, ports, paths and URLs of a Service, Ingress, Route or HTTPRoute. */
export function accessPoint(
  o: KubeObject,
  gateways: Map<string, KubeObject> = new Map()
): AccessPoint | undefined {
  const ns = o.metadata.namespace ?? ''
  const spec = rec(o.spec)
  const base = { name: o.metadata.name, namespace: ns }
  switch (o.kind) {
    case 'Service':
      return serviceAccess(o, spec, base)
    case 'Ingress':
      return ingressAccess(o, spec, base)
    case 'Route':
      return routeAccess(o, spec, base)
    case 'HTTPRoute':
      return httpRouteAccess(spec, base, gateways)
    default:
      return undefined
  }
}

type AccessBase = { name: string; namespace: string }

function serviceAccess(
  o: KubeObject,
  spec: Record<string, unknown>,
  base: AccessBase
): AccessPoint {
  const ports = recordItems(spec.ports).map(
    p =>
      `${scalarText(p.name) ? `${scalarText(p.name)} ` : ''}${scalarText(p.port)}/${scalarText(p.protocol) ?? 'TCP'}${p.targetPort !== undefined ? ` → ${scalarText(p.targetPort)}` : ''}${p.nodePort ? ` (node port ${scalarText(p.nodePort)})` : ''}`
  )
  const lbHosts = recordItems(rec(rec(o.status).loadBalancer).ingress).map(
    i => scalarText(i.hostname) ?? scalarText(i.ip) ?? ''
  )
  return {
    kind: 'Service',
    ...base,
    type: scalarText(spec.type) ?? 'ClusterIP',
    hosts: [
      ...lbHosts,
      ...(Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [])
    ].filter(Boolean),
    ports,
    paths: [],
    urls: serviceUrls(o),
    backends: []
  }
}

function ingressAccess(
  o: KubeObject,
  spec: Record<string, unknown>,
  base: AccessBase
): AccessPoint {
  const tlsHosts = new Set(
    recordItems(spec.tls).flatMap(t => (Array.isArray(t.hosts) ? t.hosts.map(String) : []))
  )
  const hosts: string[] = []
  const paths: string[] = []
  const urls: string[] = []
  const backends = new Set<string>()
  const defaultSvc = scalarText(rec(rec(spec.defaultBackend).service).name)
  if (defaultSvc) backends.add(defaultSvc)
  for (const rule of recordItems(spec.rules)) {
    const host = scalarText(rule.host)
    if (host) hosts.push(host)
    for (const p of recordItems(rec(rule.http).paths)) {
      const path = scalarText(p.path) ?? '/'
      paths.push(path)
      const svc = scalarText(rec(rec(p.backend).service).name)
      if (svc) backends.add(svc)
      if (host) urls.push(`${tlsHosts.has(host) ? 'https' : 'http'}://${host}${path}`)
    }
  }
  for (const i of recordItems(rec(rec(o.status).loadBalancer).ingress)) {
    const at = scalarText(i.hostname) ?? scalarText(i.ip)
    if (at && hosts.length === 0) urls.push(`http://${at}/`)
  }
  return {
    kind: 'Ingress',
    ...base,
    type: scalarText(spec.ingressClassName),
    hosts: [...new Set(hosts)],
    ports: [],
    paths: [...new Set(paths)],
    urls: [...new Set(urls)],
    backends: [...backends]
  }
}

function routeAccess(o: KubeObject, spec: Record<string, unknown>, base: AccessBase): AccessPoint {
  const host = scalarText(spec.host) ?? scalarText(recordItems(rec(o.status).ingress)[0]?.host)
  const path = scalarText(spec.path) ?? '/'
  const tls = scalarText(rec(spec.tls).termination)
  const backends = [
    scalarText(rec(spec.to).name),
    ...recordItems(spec.alternateBackends).map(b => scalarText(b.name))
  ].filter((x): x is string => !!x)
  const port = scalarText(rec(spec.port).targetPort)
  return {
    kind: 'Route',
    ...base,
    type: tls ? `TLS ${tls}` : 'plain HTTP',
    hosts: host ? [host] : [],
    ports: port ? [port] : [],
    paths: [path],
    urls: host ? [`${tls ? 'https' : 'http'}://${host}${path}`] : [],
    backends
  }
}

function httpRouteAccess(
  spec: Record<string, unknown>,
  base: AccessBase,
  gateways: Map<string, KubeObject>
): AccessPoint {
  const ns = base.namespace
  const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.map(String) : []
  const parents = recordItems(spec.parentRefs).map(
    p => `${scalarText(p.namespace) ?? ns}/${scalarText(p.name) ?? '?'}`
  )
  const https = parents.some(p =>
    recordItems(rec(gateways.get(p)?.spec).listeners).some(l => l.protocol === 'HTTPS')
  )
  const known = parents.some(p => gateways.has(p))
  const paths = [
    ...new Set(
      recordItems(spec.rules).flatMap(r =>
        recordItems(r.matches).map(m => scalarText(rec(m.path).value) ?? '/')
      )
    )
  ]
  const shownPaths = paths.length ? paths : ['/']
  const backends = [
    ...new Set(
      recordItems(spec.rules).flatMap(r =>
        recordItems(r.backendRefs)
          .map(b => scalarText(b.name))
          .filter((x): x is string => !!x)
      )
    )
  ]
  const scheme = known ? (https ? 'https://' : 'http://') : ''
  return {
    kind: 'HTTPRoute',
    ...base,
    type: parents.length ? `via ${parents.join(', ')}` : undefined,
    hosts: hostnames,
    ports: [],
    paths: shownPaths,
    urls: hostnames.flatMap(h => shownPaths.map(p => `${scheme}${h}${p}`)),
    backends
  }
}

/** Every Secret a workload's pod template references, by name and key (values are never read here). */
export function secretRefsOf(w: KubeObject): { secret: string; keys: string[]; use: string }[] {
  const spec = podSpecOf(w)
  const who = `${w.kind} ${w.metadata.name}`
  const out: { secret: string; keys: string[]; use: string }[] = []
  for (const c of [...recordItems(spec.initContainers), ...recordItems(spec.containers)]) {
    const cname = scalarText(c.name) ?? '?'
    for (const e of recordItems(c.env)) {
      const ref = rec(rec(e.valueFrom).secretKeyRef)
      if (scalarText(ref.name))
        out.push({
          secret: scalarText(ref.name) as string,
          keys: scalarText(ref.key) ? [scalarText(ref.key) as string] : [],
          use: `${who}: env ${scalarText(e.name) ?? '?'} (container ${cname})`
        })
    }
    for (const e of recordItems(c.envFrom)) {
      const name = scalarText(rec(e.secretRef).name)
      if (name)
        out.push({
          secret: name,
          keys: [],
          use: `${who}: all keys as env${scalarText(e.prefix) ? ` with prefix ${scalarText(e.prefix)}` : ''} (container ${cname})`
        })
    }
  }
  for (const v of recordItems(spec.volumes)) {
    const s = rec(v.secret)
    if (scalarText(s.secretName))
      out.push({
        secret: scalarText(s.secretName) as string,
        keys: recordItems(s.items).map(i => scalarText(i.key) ?? '?'),
        use: `${who}: volume ${scalarText(v.name) ?? '?'}`
      })
    for (const src of recordItems(rec(v.projected).sources)) {
      const ps = rec(src.secret)
      if (scalarText(ps.name))
        out.push({
          secret: scalarText(ps.name) as string,
          keys: recordItems(ps.items).map(i => scalarText(i.key) ?? '?'),
          use: `${who}: projected volume ${scalarText(v.name) ?? '?'}`
        })
    }
  }
  for (const p of recordItems(spec.imagePullSecrets))
    if (scalarText(p.name))
      out.push({ secret: scalarText(p.name) as string, keys: [], use: `${who}: image pull` })
  return out
}

/** True when a Service's selector picks a workload's pods. */
function selects(svc: KubeObject, w: KubeObject): boolean {
  const selector = rec(rec(svc.spec).selector)
  const labels = rec(rec(rec(rec(w.spec).template).metadata).labels)
  const entries = Object.entries(selector)
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v)
}

function imageLabel(image: string): string {
  try {
    const ref = parseImageReference(image)
    const name = ref.repository.split('/').pop() ?? ref.repository
    return ref.tag ? `${name}:${ref.tag}` : ref.digest ? `${name}@${ref.digest.slice(0, 19)}` : name
  } catch {
    return image
  }
}

export function normalisedImage(image: string): string {
  try {
    return formatReference(parseImageReference(image))
  } catch {
    return image
  }
}

/** Digests the reality check read from the registry, by normalised image reference. */
export function realityCheckDigests(reports: RunReport[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const { gate } of gateOccurrences(reports)) {
    if (gate.gate !== 'reality-check') continue
    for (const c of gate.checks) {
      const digest = c.data?.digest
      const reference = c.data?.reference
      if (c.kind === 'image' && typeof digest === 'string' && typeof reference === 'string')
        out.set(normalisedImage(reference), digest)
    }
  }
  return out
}

/** Commands that repeat the plan's http checks by hand. */
export function healthCommands(specs: CheckSpec[], namespace: string): string[] {
  const out: string[] = []
  for (const s of specs) {
    if (!('http' in s)) continue
    const h = s.http
    if (h.url) out.push(`curl -fsS ${h.url}`)
    else if (h.service)
      out.push(
        `kubectl get --raw /api/v1/namespaces/${h.namespace ?? namespace}/services/${h.service}:${h.port ?? 80}/proxy${h.path ?? '/'}`
      )
  }
  return [...new Set(out)]
}

interface LiveFacts {
  run?: RunChoice
  index?: StateIndex
  phases: RecordPhase[]
  workloads: RecordWorkload[]
  access: AccessPoint[]
  credentials: CredentialRef[]
  architecture: { from: string; to: string }[]
  stateRecord: 'read' | 'unreadable' | 'none'
  notes: string[]
  objectsRead: number
}

/** The run the record is about: the given one, else the newest run of the reports that applied a phase, else what validate would pick. */
async function chooseRun(
  ctx: GateContext,
  cluster: Cluster,
  record: StateRecord,
  reports: RunReport[]
): Promise<RunChoice> {
  if (!ctx.settings.runIdGiven) {
    const withPhases = gateOccurrences(reports).filter(
      o => o.gate.gate === 'phase' && o.gate.verdict !== 'skip'
    )
    const candidate = withPhases[withPhases.length - 1]?.report.runId
    if (candidate) {
      const phases = await record.readPhases(candidate)
      if (phases.length)
        return {
          runId: candidate,
          source: candidate === ctx.settings.runId ? 'this-run' : 'reports',
          phases: phases.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
        }
    }
  }
  return findRun(ctx, cluster, record)
}

/** Live facts before anything is read. */
function noFacts(): LiveFacts {
  return {
    phases: [],
    workloads: [],
    access: [],
    credentials: [],
    architecture: [],
    stateRecord: 'none',
    notes: [],
    objectsRead: 0
  }
}

async function readLive(
  ctx: GateContext,
  cluster: Cluster,
  reports: RunReport[]
): Promise<LiveFacts> {
  const facts = noFacts()
  const phaseRecords = await readRunRecord(ctx, cluster, reports, facts)
  const { live, failedReads, subjects } = await readSubjects(ctx, cluster, phaseRecords, facts)
  facts.objectsRead = subjects.length
  facts.phases = phaseFacts(phaseRecords, live, failedReads)

  const workloads = subjects.filter(o => WORKLOAD_KINDS.has(o.kind))
  const accessObjects = subjects.filter(o => ACCESS_KINDS.has(o.kind))
  const gateways = await readGateways(ctx, cluster, accessObjects)
  facts.workloads = await workloadFacts(ctx, cluster, workloads)
  facts.access = accessObjects
    .map(o => accessPoint(o, gateways))
    .filter((a): a is AccessPoint => a !== undefined)
  facts.architecture = architectureOf(facts.access, accessObjects, workloads)
  facts.credentials = await credentialFacts(ctx, cluster, workloads, phaseRecords, live)
  if (failedReads.size)
    facts.notes.push(
      `${failedReads.size} object${failedReads.size === 1 ? '' : 's'} could not be read: ${[...failedReads.values()][0]}`
    )
  return facts
}

/** The run's phase records from the state record (the run chosen, the index read into `facts`). */
async function readRunRecord(
  ctx: GateContext,
  cluster: Cluster,
  reports: RunReport[],
  facts: LiveFacts
): Promise<PhaseRecord[]> {
  const record = await ctx.stateRecord()
  let phaseRecords: PhaseRecord[] = []
  try {
    facts.run = await chooseRun(ctx, cluster, record, reports)
    phaseRecords = facts.run.phases
    facts.index = await record.readIndex()
    facts.stateRecord = phaseRecords.length || facts.index.history.length ? 'read' : 'none'
    if (facts.run.source === 'state-record')
      facts.notes.push(
        `run ${facts.run.runId} is the newest run recorded in ${ctx.namespace} (pass --run-id to record another)`
      )
  } catch (err) {
    facts.stateRecord = 'unreadable'
    facts.notes.push(`the state record could not be read: ${errorMessage(err)}`)
  }
  return phaseRecords
}

/** Live objects: those the run's phases applied, else those labelled with the plan. */
async function readSubjects(
  ctx: GateContext,
  cluster: Cluster,
  phaseRecords: PhaseRecord[],
  facts: LiveFacts
): Promise<{
  live: Map<string, KubeObject | undefined>
  failedReads: Map<string, string>
  subjects: KubeObject[]
}> {
  const live = new Map<string, KubeObject | undefined>()
  const failedReads = new Map<string, string>()
  const read = async (ref: ObjectRef): Promise<void> => {
    if (live.has(key(ref)) || failedReads.has(key(ref))) return
    try {
      live.set(key(ref), await cluster.get(ref))
    } catch (err) {
      failedReads.set(key(ref), errorMessage(err))
    }
  }
  await Promise.all(phaseRecords.flatMap(p => p.objects.map(a => read(a.ref))))
  let subjects: KubeObject[] = [...live.values()].filter((o): o is KubeObject => o !== undefined)
  if (phaseRecords.length === 0) {
    facts.notes.push(
      `no phase record of this run: the objects below are those labelled ${LABEL_PLAN}=${labelValue(ctx.loaded.plan.name)} in ${ctx.namespace}`
    )
    const lists = await Promise.all(
      FALLBACK_KINDS.map(async k => {
        if (!(await cluster.resourceFor(k.apiVersion, k.kind).catch(() => undefined))) return []
        try {
          return (
            await cluster.list(k.apiVersion, k.kind, {
              namespace: ctx.namespace,
              labelSelector: `${LABEL_PLAN}=${labelValue(ctx.loaded.plan.name)}`
            })
          ).items
        } catch (err) {
          // One kind this identity may not list costs that kind, not the record.
          facts.notes.push(`cannot list ${k.kind}: ${errorMessage(err)}`)
          return []
        }
      })
    )
    subjects = lists.flat()
  }
  return { live, failedReads, subjects }
}

/** What each phase applied, with each object's status now. */
function phaseFacts(
  phaseRecords: PhaseRecord[],
  live: Map<string, KubeObject | undefined>,
  failedReads: Map<string, string>
): LiveFacts['phases'] {
  return phaseRecords.map(p => ({
    name: p.phase,
    status: p.status,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    helm: p.helm,
    objects: p.objects.map(a => {
      const k = key(a.ref)
      const obj = live.get(k)
      const st = failedReads.has(k)
        ? { status: 'unknown', message: failedReads.get(k) }
        : computeStatus(obj)
      return {
        ...a.ref,
        created: a.created,
        kept: a.kept,
        status: st.status,
        message: st.message || undefined
      }
    })
  }))
}

/** The Gateways the HTTPRoutes attach to (their listeners tell http from https). */
async function readGateways(
  ctx: GateContext,
  cluster: Cluster,
  accessObjects: KubeObject[]
): Promise<Map<string, KubeObject>> {
  const gateways = new Map<string, KubeObject>()
  for (const o of accessObjects.filter(a => a.kind === 'HTTPRoute')) {
    for (const p of recordItems(rec(o.spec).parentRefs)) {
      const ns = scalarText(p.namespace) ?? o.metadata.namespace ?? ctx.namespace
      const name = scalarText(p.name)
      if (!name || gateways.has(`${ns}/${name}`)) continue
      const gw = await cluster
        .get({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name, namespace: ns })
        .catch(() => undefined)
      if (gw) gateways.set(`${ns}/${name}`, gw)
    }
  }
  return gateways
}

/** Each workload with its replicas, status, images (from its pods) and commands. */
async function workloadFacts(
  ctx: GateContext,
  cluster: Cluster,
  workloads: KubeObject[]
): Promise<RecordWorkload[]> {
  return Promise.all(
    workloads.map(async w => {
      const ns = w.metadata.namespace ?? ctx.namespace
      const selector = selectorString(rec(w.spec).selector)
      const pods = selector
        ? (
            await cluster
              .list('v1', 'Pod', { namespace: ns, labelSelector: selector })
              .catch(() => ({ items: [] as KubeObject[] }))
          ).items
        : []
      const st = computeStatus(w)
      const revision =
        w.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
        scalarText(rec(w.status).updateRevision)
      const out: RecordWorkload = {
        kind: w.kind,
        name: w.metadata.name,
        namespace: ns,
        replicas: replicasOf(w),
        status: st.status,
        images: workloadImages(w, pods),
        commands: workloadCommands(w.kind, w.metadata.name, ns)
      }
      if (st.status !== 'Current') out.message = st.message
      if (revision) out.revision = revision
      return out
    })
  )
}

/** Access point → Service → workload. */
function architectureOf(
  access: AccessPoint[],
  accessObjects: KubeObject[],
  workloads: KubeObject[]
): LiveFacts['architecture'] {
  const architecture: LiveFacts['architecture'] = []
  for (const a of access) {
    if (a.kind === 'Service') {
      const svc = accessObjects.find(o => o.kind === 'Service' && o.metadata.name === a.name)
      for (const w of workloads)
        if (svc && selects(svc, w))
          architecture.push({ from: `Service ${a.name}`, to: `${w.kind} ${w.metadata.name}` })
    } else
      for (const b of a.backends)
        architecture.push({ from: `${a.kind} ${a.name}`, to: `Service ${b}` })
  }
  return architecture
}

/** Credentials: Secrets the workloads reference and Secrets the run applied, by name and key. */
async function credentialFacts(
  ctx: GateContext,
  cluster: Cluster,
  workloads: KubeObject[],
  phaseRecords: PhaseRecord[],
  live: Map<string, KubeObject | undefined>
): Promise<LiveFacts['credentials']> {
  const creds = new Map<string, CredentialRef & { needKeys: boolean }>()
  const add = (secret: string, namespace: string, keys: string[], use: string): void => {
    const k = `${namespace}/${secret}`
    const c = creds.get(k) ?? { secret, namespace, keys: [], usedBy: [], needKeys: false }
    for (const x of keys) if (!c.keys.includes(x)) c.keys.push(x)
    if (keys.length === 0) c.needKeys = true
    if (!c.usedBy.includes(use)) c.usedBy.push(use)
    creds.set(k, c)
  }
  for (const w of workloads)
    for (const r of secretRefsOf(w))
      add(r.secret, w.metadata.namespace ?? ctx.namespace, r.keys, r.use)
  for (const p of phaseRecords)
    for (const a of p.objects)
      if (a.ref.kind === 'Secret')
        add(a.ref.name, a.ref.namespace ?? ctx.namespace, [], `applied in phase ${p.phase}`)
  for (const c of creds.values()) {
    if (!c.needKeys) continue
    // Key names only: the values never leave this function.
    const s =
      live.get(key({ apiVersion: 'v1', kind: 'Secret', name: c.secret, namespace: c.namespace })) ??
      (await cluster
        .get({ apiVersion: 'v1', kind: 'Secret', name: c.secret, namespace: c.namespace })
        .catch(() => undefined))
    for (const k of [...Object.keys(rec(s?.data)), ...Object.keys(rec(s?.stringData))])
      if (!c.keys.includes(k)) c.keys.push(k)
  }
  return [...creds.values()].map(({ needKeys: _n, ...c }) => ({
    ...c,
    keys: c.keys.sort()
  }))
}

/** Fills in digests the pods did not report: from the reality check's registry answers, else by asking the registry now. */
async function completeDigests(
  ctx: GateContext,
  workloads: RecordWorkload[],
  reports: RunReport[],
  notes: string[]
): Promise<void> {
  const known = realityCheckDigests(reports)
  const missing: RecordImage[] = []
  for (const img of workloads.flatMap(w => w.images)) {
    if (img.digest) continue
    const d = known.get(normalisedImage(img.image))
    if (d) Object.assign(img, { digest: d, digestSource: 'reality-check' })
    else missing.push(img)
  }
  if (missing.length === 0) return
  let registry: ReturnType<GateContext['registry']>
  try {
    registry = ctx.registry()
  } catch {
    return
  }
  // One request per image, all at once; containers sharing an image share the answer.
  const asked = new Map<string, Promise<string | undefined>>()
  for (const img of missing) {
    const ref = normalisedImage(img.image)
    if (!asked.has(ref))
      asked.set(
        ref,
        Promise.resolve()
          .then(() =>
            registry.inspect({
              ref: parseImageReference(img.image),
              signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(REGISTRY_TIMEOUT_MS)])
            })
          )
          .then(i => (i.status === 'found' ? i.digest : undefined))
          .catch(err => {
            notes.push(`digest of ${img.image} unknown: ${errorMessage(err)}`)
            return undefined
          })
      )
  }
  await Promise.all(
    missing.map(async img => {
      const d = await asked.get(normalisedImage(img.image))
      if (d) Object.assign(img, { digest: d, digestSource: 'registry' })
    })
  )
}

async function runRecord(ctx: GateContext): Promise<GateResult> {
  const started = ctx.clock.now()
  const plan = ctx.loaded.plan
  const checks: CheckResult[] = []
  const notes: string[] = []

  // 1. The reports of the gates before this one.
  const { reports, sources, check } = await gatherReports(ctx, notes)
  checks.push(check)
  // 2. The live cluster.
  const seen = await readCluster(ctx, reports)
  checks.push(seen.check)
  // 3. The record.
  const record = buildRecord(ctx, reports, sources, seen, notes)
  if (ctx.settings.approvalResult === 'failure') {
    // The approval job failed: a reviewer rejected the deployment (its only step cannot fail otherwise).
    record.outcome = 'rejected'
    notes.push(
      `rejected at the approval: run ${record.runId} deploys nothing more; the next run starts again at the reality check`
    )
    checks.push(await recordRejection(ctx, seen.cluster, record.runId))
  }
  const markdown = renderRecord(record)
  // 4. record.md / record.json next to --report.
  if (ctx.settings.reportPath) checks.push(await writeRecordFiles(ctx, record, markdown))
  notes.push(`state reached: ${record.state.reached}`)
  return gateResult('record', started, checks, {
    now: ctx.clock.now(),
    budgetMs: budgetMs(plan, 'record'),
    notes,
    // The summary draws the whole run from this (src/report/summary.ts): latest verdict per gate and unit.
    details: { record, recordMarkdown: markdown, flow: runFlow(reports) }
  })
}

/** The plan's reports from the reports directory and this call, with the check saying what was read. */
async function gatherReports(
  ctx: GateContext,
  notes: string[]
): Promise<{ reports: RunReport[]; sources: string[]; check: CheckResult }> {
  const plan = ctx.loaded.plan
  let fromDir: Awaited<ReturnType<typeof readReportsDir>> = { reports: [], skipped: [] }
  let dirProblem: string | undefined
  if (ctx.settings.reportsDir) {
    try {
      fromDir = await readReportsDir(ctx.settings.reportsDir, plan.name)
    } catch (err) {
      dirProblem = `cannot read ${ctx.settings.reportsDir}: ${errorMessage(err)}`
    }
  }
  let reports = mergeReports([
    ...fromDir.reports.map(r => r.report),
    ...ctx.earlier.filter(r => r.plan === plan.name)
  ])
  // With a run id given (CI: the workflow run), other runs' reports in the directory belong to other deployments.
  if (ctx.settings.runIdGiven && reports.some(r => r.runId === ctx.settings.runId)) {
    const others = reports.filter(r => r.runId !== ctx.settings.runId).length
    reports = reports.filter(r => r.runId === ctx.settings.runId)
    if (others)
      notes.push(
        `${others} report${others === 1 ? '' : 's'} of other runs left out (run ${ctx.settings.runId} was given)`
      )
  }
  const gateCount = gateOccurrences(reports).length
  const sources = [
    ...fromDir.reports.map(r => r.file),
    ...(ctx.earlier.length ? ['this call'] : [])
  ]
  const check = checkResult('record', 'reports', {
    verdict: dirProblem || gateCount === 0 ? 'warn' : 'pass',
    message: dirProblem
      ? `${dirProblem}; the record holds what the cluster says`
      : gateCount === 0
        ? 'no report of an earlier gate: the record holds what the cluster says, without a retrospective'
        : `read ${gateCount} gate result${gateCount === 1 ? '' : 's'} from ${reports.length} report${reports.length === 1 ? '' : 's'}${ctx.settings.reportsDir ? ` (${ctx.settings.reportsDir})` : ''}`,
    evidence: fromDir.skipped.length
      ? fromDir.skipped.map(s => `skipped ${s.file}: ${s.why}`).join('\n')
      : undefined,
    adjustment:
      gateCount === 0
        ? "pass --reports DIR (the action's `reports` input: the directory the earlier jobs' report artifacts were downloaded to)"
        : undefined
  })
  return { reports, sources, check }
}

/** What the cluster was read into, and how that went. */
interface ClusterView {
  facts: LiveFacts
  cluster?: Cluster
  live: 'read' | 'unreadable'
  check: CheckResult
}

/** The state record and the live objects, with the check saying what could be read. */
async function readCluster(ctx: GateContext, reports: RunReport[]): Promise<ClusterView> {
  let facts = noFacts()
  let cluster: Cluster | undefined
  try {
    cluster = await ctx.cluster()
    ctx.progress({ gate: 'record', activity: 'reading the state record and the live objects' })
    facts = await readLive(ctx, cluster, reports)
    await completeDigests(ctx, facts.workloads, reports, facts.notes)
    const check = checkResult('record', 'cluster', {
      // The record is still written from what could be read; the verdict says it is incomplete (exit 3).
      verdict: facts.stateRecord === 'unreadable' ? 'error' : 'pass',
      message:
        facts.stateRecord === 'unreadable'
          ? `read ${facts.objectsRead} live objects, but not the state record${stateRecordProblem(facts.notes)}`
          : `read ${facts.phases.length} phase record${facts.phases.length === 1 ? '' : 's'} of run ${facts.run?.runId ?? ctx.runId} and ${facts.objectsRead} live object${facts.objectsRead === 1 ? '' : 's'}`,
      evidence: facts.notes.length ? facts.notes.join('\n') : undefined
    })
    return { facts, cluster, live: 'read', check }
  } catch (err) {
    const check = checkResult('record', 'cluster', {
      // Never a pass when the cluster could not be asked (reliability suite): the record is
      // still written from the reports, and exit 3 says it lacks the cluster's side.
      verdict: 'error',
      message: `the cluster could not be read: ${errorMessage(err)}; the record holds what the reports say`,
      adjustment:
        'check the kubeconfig and that the apiserver is reachable from the runner, then re-run the record gate'
    })
    return { facts, cluster, live: 'unreadable', check }
  }
}

/** The deployment record from the reports and what the cluster said. */
function buildRecord(
  ctx: GateContext,
  reports: RunReport[],
  sources: string[],
  { facts, cluster, live }: ClusterView,
  notes: string[]
): DeploymentRecord {
  const plan = ctx.loaded.plan
  const runId = facts.run?.runId ?? ctx.runId
  const runs = [...new Set([...reports.map(r => r.runId), runId])]
  const applied = facts.phases
    .filter(p => p.status === 'applied' && p.finishedAt)
    .map(p => p.finishedAt as string)
  const images = [
    ...new Set(facts.workloads.flatMap(w => w.images.filter(i => !i.init).map(i => i.image)))
  ]
  const last = reports[reports.length - 1]
  const given = describeOverrides(ctx.loaded.overrides)
  const overrides = given.length
    ? given
    : [...reports].reverse().find(r => r.overrides?.length)?.overrides
  const record: DeploymentRecord = {
    schemaVersion: RECORD_SCHEMA_VERSION,
    plan: plan.name,
    planFile: ctx.loaded.displayFile,
    owners: plan.owners,
    ticket: plan.ticket,
    runId,
    runs,
    version: {
      label: [...new Set(images.map(imageLabel))].join(', '),
      images,
      commit: ctx.github?.headSha ?? ctx.github?.sha,
      tool: VERSION
    },
    ...(overrides?.length ? { overrides } : {}),
    deployedAt: applied.sort().at(-1),
    recordedAt: new Date(ctx.clock.now()).toISOString(),
    target: {
      context:
        cluster?.context ?? last?.target.context ?? ctx.settings.context ?? plan.target.context,
      namespace: ctx.namespace,
      server: cluster?.server ?? last?.target.server
    },
    outcome: standingVerdict(reports),
    state: chooseState(deriveState(reports), facts.index, runs),
    phases: facts.phases,
    architecture: facts.architecture,
    workloads: facts.workloads,
    access: facts.access,
    healthChecks: healthCommands(
      [...(plan.phases ?? []).flatMap(p => p.validate ?? []), ...(plan.validation?.checks ?? [])],
      ctx.namespace
    ),
    credentials: facts.credentials,
    knownIssues: knownIssues(reports),
    incident: buildIncident(reports),
    retrospective: retrospect(reports),
    sources: {
      reports: sources,
      stateRecord: facts.stateRecord,
      live,
      notes: [...facts.notes, ...notes]
    }
  }
  return record
}

/** Writes record.md and record.json beside the report. */
async function writeRecordFiles(
  ctx: GateContext,
  record: DeploymentRecord,
  markdown: string
): Promise<CheckResult> {
  const dir = dirname(resolve(ctx.settings.workspace, ctx.settings.reportPath as string))
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, RECORD_FILES.markdown), markdown)
    await writeFile(join(dir, RECORD_FILES.json), redact(`${JSON.stringify(record, null, 2)}\n`))
    return checkResult('record', 'files', {
      verdict: 'pass',
      message: `wrote record.md and record.json to ${dir}`
    })
  } catch (err) {
    return checkResult('record', 'files', {
      verdict: 'error',
      message: `could not write the record to ${dir}: ${errorMessage(err)}`
    })
  }
}

/** Keeps a rejection in the state record, so the phases of that run are refused from now on. */
async function recordRejection(
  ctx: GateContext,
  cluster: Cluster | undefined,
  runId: string
): Promise<CheckResult> {
  if (!cluster)
    return checkResult('approval', runId, {
      verdict: 'error',
      message: 'the deployment was rejected, but the state record could not be reached to keep it'
    })
  try {
    const at = new Date(ctx.clock.now()).toISOString()
    await (
      await ctx.stateRecord()
    ).updateIndex(i => {
      i.extra = { ...(i.extra ?? {}), rejected: { runId, at } }
    })
    return checkResult('approval', runId, {
      verdict: 'pass',
      message: `the rejection of run ${runId} is kept in the state record: its phases are refused, and a new run starts at the reality check`
    })
  } catch (err) {
    return checkResult('approval', runId, {
      verdict: 'error',
      message: `the deployment was rejected, but the state record could not be updated: ${errorMessage(err)}`
    })
  }
}

export const recordGate: Gate = {
  name: 'record',
  async run(ctx) {
    return [await runRecord(ctx)]
  }
}

/** Every gate (and phase, stage, level) of the reports in the order it first ran, at its latest verdict. */
function runFlow(reports: RunReport[]): FlowNode[] {
  const latest = new Map<string, FlowNode>()
  for (const { gate } of gateOccurrences(reports))
    latest.set(`${gate.gate}/${gate.name ?? ''}`, {
      gate: gate.gate,
      ...(gate.name ? { name: gate.name } : {}),
      verdict: gate.verdict
    })
  return [...latest.values()]
}

/** Why the state record could not be read, from the notes, for the check's message (the fault named). */
function stateRecordProblem(notes: string[]): string {
  const note = notes.find(n => n.startsWith('the state record could not be read: '))
  return note ? `: ${note.slice('the state record could not be read: '.length)}` : ''
}
