/**
 * Evidence for a failed wait: what a person needs to act without opening a
 * terminal on the cluster. The object's kstatus and conditions, its Events,
 * for workloads the current ReplicaSet and Pods (container states, the
 * scheduler's word, their Events) and the last log lines of failing
 * containers. Collecting never throws for a missing piece: what could not be
 * read becomes a note. Every string passes through `redact`.
 */

import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import type { FailureCause } from './pod-failures.js'
import {
  POD_OWNER_KINDS,
  currentPods,
  currentReplicaSet,
  labelSelectorOf,
  podFailure,
  workloadFailure
} from './pod-failures.js'
import type { Condition, ResourceStatus } from './readiness.js'
import { computeStatus, conditionsOf } from './readiness.js'
import type { Cluster, KubeObject, ObjectRef } from './types.js'
import { describeRef, refOf } from './types.js'
import { arrayOf, num, recordOf, str } from '../core/fields.js'

/** One Event, folded the way `kubectl describe` shows it. */
export interface EventSummary {
  type: string
  reason: string
  message: string
  count: number
  /** RFC 3339 time it was last seen, when the Event says. */
  lastSeen?: string
  /** Who reported it (`default-scheduler`, `kubelet`, ...). */
  source?: string
}

/** A container's state as the kubelet reports it. */
export interface ContainerEvidence {
  name: string
  init: boolean
  image?: string
  ready: boolean
  restartCount: number
  state: 'waiting' | 'running' | 'terminated' | 'unknown'
  reason?: string
  message?: string
  exitCode?: number
  lastTermination?: { exitCode?: number; reason?: string; message?: string }
  /** The last lines of its log (of the previous instance for a crash loop). */
  logs?: { previous: boolean; lines: string[] }
}

/** One Pod of the object. */
export interface PodEvidence {
  ref: ObjectRef
  phase?: string
  node?: string
  status: ResourceStatus
  failure?: FailureCause
  /** The PodScheduled condition when it is not True (carries the scheduler's message). */
  unscheduled?: Condition
  conditions: Condition[]
  containers: ContainerEvidence[]
  events: EventSummary[]
}

/** A related object (a Deployment's current ReplicaSet). */
export interface RelatedEvidence {
  ref: ObjectRef
  status: ResourceStatus
  conditions: Condition[]
  events: EventSummary[]
}

/** Everything collected about one object. */
export interface Evidence {
  ref: ObjectRef
  found: boolean
  status: ResourceStatus
  conditions: Condition[]
  events: EventSummary[]
  /** The known cause, from the object, its ReplicaSet or its Pods. */
  failure?: FailureCause
  replicaSet?: RelatedEvidence
  /** The Pods shown, failing ones first. */
  pods: PodEvidence[]
  /** Pods of the current revision left out to keep the evidence short. */
  omittedPods: number
  /** What could not be collected, and why. */
  notes: string[]
}

export interface EvidenceOptions {
  /** Log lines per failing container; default 20, 0 for none. */
  logLines?: number
  /** Pods described in full; default 3. */
  maxPods?: number
  /** Events kept per object (the most recent); default 10. */
  maxEvents?: number
  /** Milliseconds since the epoch, for the kstatus Pod scheduling window. */
  now?: number
}

/** Gathers the evidence about an object (re-read from the cluster) and what it runs. */
export async function collectEvidence(
  cluster: Cluster,
  target: KubeObject | ObjectRef,
  opts: EvidenceOptions = {}
): Promise<Evidence> {
  const o = {
    logLines: opts.logLines ?? 20,
    maxPods: opts.maxPods ?? 3,
    maxEvents: opts.maxEvents ?? 10,
    now: opts.now ?? Date.now()
  }
  const notes: string[] = []
  const ref = await withNamespace(cluster, 'metadata' in target ? refOf(target) : target)

  let obj: KubeObject | undefined
  try {
    obj = await cluster.get(ref)
  } catch (err) {
    notes.push(`could not read ${describeRef(ref)}: ${errorMessage(err)}`)
    // A passed object that came from the cluster (it has a uid) is the best left.
    if ('metadata' in target && target.metadata.uid) obj = target
  }

  const evidence: Evidence = {
    ref,
    found: obj !== undefined,
    status: computeStatus(obj, { now: o.now }),
    conditions: obj ? safeConditions(obj) : [],
    events: obj ? await eventsOf(cluster, obj, o.maxEvents, notes) : [],
    pods: [],
    omittedPods: 0,
    notes
  }
  if (!obj) return redactAll(evidence)

  let pods: KubeObject[] = []
  if (obj.kind === 'Pod') {
    pods = [obj]
  } else if (POD_OWNER_KINDS.has(obj.kind)) {
    const selector = labelSelectorOf(obj)
    const namespace = obj.metadata.namespace
    let replicaSets: KubeObject[] = []
    if (selector && obj.kind === 'Deployment') {
      replicaSets = await listOrNote(cluster, 'apps/v1', 'ReplicaSet', namespace, selector, notes)
      const rs = currentReplicaSet(obj, replicaSets)
      if (rs) {
        evidence.replicaSet = {
          ref: refOf(rs),
          status: computeStatus(rs, { now: o.now }),
          conditions: safeConditions(rs),
          events: await eventsOf(cluster, rs, o.maxEvents, notes)
        }
      }
      evidence.failure ??= rs && workloadFailure(rs)
    }
    if (selector) {
      const listed = await listOrNote(cluster, 'v1', 'Pod', namespace, selector, notes)
      pods = currentPods(obj, listed, replicaSets)
    }
  }
  evidence.failure = workloadFailure(obj) ?? evidence.failure

  const ranked = pods
    .map(p => ({ pod: p, failure: podFailure(p, { now: o.now }), rank: rank(p) }))
    .sort((a, b) => a.rank - b.rank || a.pod.metadata.name.localeCompare(b.pod.metadata.name))
  evidence.omittedPods = Math.max(0, ranked.length - o.maxPods)
  for (const { pod, failure } of ranked.slice(0, o.maxPods)) {
    evidence.pods.push(await podEvidence(cluster, pod, failure, o, notes))
  }
  evidence.failure ??= ranked.find(r => r.failure)?.failure
  return redactAll(evidence)
}

/** Renders evidence as plain text lines (no Markdown), redacted. */
export function formatEvidence(e: Evidence): string {
  const lines: string[] = []
  const status = (s: ResourceStatus): string =>
    `${s.status}${s.reason ? ` (${s.reason})` : ''}${s.message ? `: ${s.message}` : ''}`
  if (!e.found) {
    lines.push(`${describeRef(e.ref)}: not found`)
  } else {
    lines.push(`${describeRef(e.ref)}: ${status(e.status)}`)
    if (e.failure) lines.push(`  cause: ${e.failure.reason}: ${e.failure.message}`)
    pushConditions(lines, e.conditions)
    pushEvents(lines, e.events)
  }
  if (e.replicaSet) {
    lines.push(`${describeRef(e.replicaSet.ref)}: ${status(e.replicaSet.status)}`)
    pushConditions(lines, e.replicaSet.conditions)
    pushEvents(lines, e.replicaSet.events)
  }
  for (const p of e.pods) {
    // The Pod itself was the object: its header is already out.
    const same = p.ref.kind === e.ref.kind && p.ref.name === e.ref.name
    if (!same) {
      lines.push(
        `${describeRef(p.ref)} (phase ${p.phase ?? 'unknown'}, node ${p.node ?? 'none'}): ${status(p.status)}`
      )
      // Shown once when it is the object's own cause.
      if (p.failure && p.failure.message !== e.failure?.message) {
        lines.push(`  cause: ${p.failure.reason}: ${p.failure.message}`)
      }
    } else {
      lines.push(`  phase ${p.phase ?? 'unknown'}, node ${p.node ?? 'none'}`)
    }
    if (p.unscheduled) {
      const u = p.unscheduled
      lines.push(
        `  scheduling: PodScheduled=${u.status} ${u.reason ?? ''}${u.message ? `: ${u.message}` : ''}`
      )
    }
    for (const c of p.containers) {
      const what = `${c.init ? 'init container' : 'container'} ${c.name}${c.image ? ` (image ${c.image})` : ''}`
      const state =
        c.state === 'terminated'
          ? `terminated exit ${c.exitCode ?? '?'}${c.reason ? ` ${c.reason}` : ''}`
          : `${c.state}${c.reason ? ` ${c.reason}` : ''}`
      lines.push(
        `  ${what}: ${state}${c.message ? `: ${c.message}` : ''}; ready ${c.ready}; restarts ${c.restartCount}`
      )
      const lt = c.lastTermination
      if (lt) {
        lines.push(
          `    last terminated: exit ${lt.exitCode ?? '?'}${lt.reason ? ` ${lt.reason}` : ''}${lt.message ? `: ${lt.message}` : ''}`
        )
      }
      if (c.logs) {
        const which = c.logs.previous ? 'previous instance' : 'current instance'
        lines.push(`    last ${c.logs.lines.length} log lines of ${c.name} (${which}):`)
        for (const l of c.logs.lines) lines.push(`      | ${l}`)
      }
    }
    pushEvents(lines, p.events)
  }
  if (e.omittedPods > 0) {
    lines.push(
      `${e.omittedPods} more Pod${e.omittedPods === 1 ? '' : 's'} of the current revision not shown`
    )
  }
  for (const n of e.notes) lines.push(`note: ${n}`)
  return redact(lines.join('\n'))
}

// ------------------------------------------------------------------ internals

function pushConditions(lines: string[], conditions: Condition[]): void {
  for (const c of conditions) {
    lines.push(
      `  condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`
    )
  }
}

function pushEvents(lines: string[], events: EventSummary[]): void {
  for (const ev of events) {
    const from = ev.source ? ` from ${ev.source}` : ''
    const times = ev.count > 1 ? ` (x${ev.count})` : ''
    lines.push(`  event ${ev.type} ${ev.reason}${times}${from}: ${ev.message}`)
  }
}

/** A namespaced kind without namespace means the context's namespace, as in wait.ts. */
async function withNamespace(cluster: Cluster, ref: ObjectRef): Promise<ObjectRef> {
  if (ref.namespace) return ref
  try {
    const info = await cluster.resourceFor(ref.apiVersion, ref.kind)
    if (info?.namespaced) return { ...ref, namespace: cluster.defaultNamespace ?? 'default' }
  } catch {
    // Unknown scope: ask as given.
  }
  return ref
}

function safeConditions(obj: KubeObject): Condition[] {
  try {
    return conditionsOf(obj)
  } catch {
    return []
  }
}

async function listOrNote(
  cluster: Cluster,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  labelSelector: string,
  notes: string[]
): Promise<KubeObject[]> {
  try {
    return (await cluster.list(apiVersion, kind, { namespace, labelSelector })).items
  } catch (err) {
    notes.push(`could not list ${kind}s (${labelSelector}): ${errorMessage(err)}`)
    return []
  }
}

/** The object's Events, oldest first, the last `max` of them. */
async function eventsOf(
  cluster: Cluster,
  obj: KubeObject,
  max: number,
  notes: string[]
): Promise<EventSummary[]> {
  const m = obj.metadata
  const fieldSelector = m.uid
    ? `involvedObject.uid=${m.uid}`
    : `involvedObject.kind=${obj.kind},involvedObject.name=${m.name}`
  let items: KubeObject[]
  try {
    // Events of cluster-scoped objects live in `default`; listing across namespaces finds them.
    items = (await cluster.list('v1', 'Event', { namespace: m.namespace, fieldSelector })).items
  } catch (err) {
    notes.push(`could not list events of ${describeRef(obj)}: ${errorMessage(err)}`)
    return []
  }
  const summaries = items.map(e => {
    const series = recordOf(e.series)
    const source = recordOf(e.source)
    return {
      type: str(e.type) ?? 'Normal',
      reason: str(e.reason) ?? '',
      message: (str(e.message) ?? '').trim(),
      count: num(e.count) ?? num(series?.count) ?? 1,
      lastSeen:
        str(e.lastTimestamp) ??
        str(series?.lastObservedTime) ??
        str(e.eventTime) ??
        str(e.firstTimestamp) ??
        e.metadata.creationTimestamp,
      source: str(source?.component) ?? str(e.reportingComponent) ?? undefined
    }
  })
  summaries.sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''))
  return summaries.slice(-max)
}

/** Failing Pods first, then not-ready ones, then the rest. */
function rank(pod: KubeObject): number {
  if (podFailure(pod)) return 0
  const s = computeStatus(pod)
  return s.status === 'Current' ? 2 : 1
}

async function podEvidence(
  cluster: Cluster,
  pod: KubeObject,
  failure: FailureCause | undefined,
  o: { logLines: number; maxEvents: number; now: number },
  notes: string[]
): Promise<PodEvidence> {
  const status = recordOf(pod.status)
  const spec = recordOf(pod.spec)
  const conditions = safeConditions(pod)
  const scheduled = conditions.find(c => c.type === 'PodScheduled')
  const images = new Map<string, string>()
  for (const key of ['initContainers', 'containers']) {
    for (const c of arrayOf(spec?.[key])) {
      const r = recordOf(c)
      if (str(r?.name) && str(r?.image)) images.set(str(r?.name)!, str(r?.image)!)
    }
  }
  const containers: ContainerEvidence[] = []
  for (const [key, init] of [
    ['initContainerStatuses', true],
    ['containerStatuses', false]
  ] as const) {
    for (const raw of arrayOf(status?.[key])) {
      const cs = recordOf(raw)
      if (!cs) continue
      const name = str(cs.name) ?? '?'
      const state = recordOf(cs.state)
      const waiting = recordOf(state?.waiting)
      const running = recordOf(state?.running)
      const terminated = recordOf(state?.terminated)
      const last = recordOf(recordOf(cs.lastState)?.terminated)
      const c: ContainerEvidence = {
        name,
        init,
        image: str(cs.image) || images.get(name),
        ready: cs.ready === true,
        restartCount: num(cs.restartCount) ?? 0,
        state: waiting ? 'waiting' : running ? 'running' : terminated ? 'terminated' : 'unknown',
        reason: str(waiting?.reason) ?? str(terminated?.reason),
        message: str(waiting?.message) ?? str(terminated?.message),
        exitCode: num(terminated?.exitCode),
        lastTermination: last
          ? { exitCode: num(last.exitCode), reason: str(last.reason), message: str(last.message) }
          : undefined
      }
      const wanted = logsWanted(c)
      if (wanted && o.logLines > 0) {
        const where = pod.metadata.namespace ?? 'default'
        const tail = (previous: boolean): Promise<string> =>
          cluster.podLogs(where, pod.metadata.name, {
            container: name,
            tailLines: o.logLines,
            previous
          })
        let text: string | undefined
        let previous = wanted.previous
        try {
          text = await tail(previous)
        } catch (err) {
          // The kubelet usually serves a crash-looping container's last run as its
          // current log too; try that before giving up.
          if (previous) {
            previous = false
            text = await tail(false).catch(() => undefined)
          }
          if (text === undefined)
            notes.push(`no logs of ${pod.metadata.name}/${name}: ${errorMessage(err)}`)
        }
        if (text !== undefined) {
          const lines = text.split('\n')
          if (lines.at(-1) === '') lines.pop()
          c.logs = { previous, lines: lines.slice(-o.logLines) }
        }
      }
      containers.push(c)
    }
  }
  return {
    ref: refOf(pod),
    phase: str(status?.phase),
    node: str(spec?.nodeName),
    status: computeStatus(pod, { now: o.now }),
    failure,
    unscheduled: scheduled && scheduled.status !== 'True' ? scheduled : undefined,
    conditions,
    containers,
    events: await eventsOf(cluster, pod, o.maxEvents, notes)
  }
}

/**
 * Which log a failing container has to show: the previous instance for one
 * that crashed and restarted, the current one for one that ended in failure
 * or runs without being ready. A container that never started has none.
 */
function logsWanted(c: ContainerEvidence): { previous: boolean } | undefined {
  if (c.state === 'waiting' && c.reason === 'CrashLoopBackOff') return { previous: true }
  if (c.state === 'terminated' && c.exitCode !== undefined && c.exitCode !== 0)
    return { previous: false }
  if (c.restartCount > 0 && c.lastTermination && !c.ready) return { previous: true }
  if (c.state === 'running' && !c.ready && !c.init) return { previous: false }
  return undefined
}

/** The same structure with every string redacted. */
function redactAll<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map(v => redactAll(v)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = redactAll(v)
    return out as T
  }
  return value
}
