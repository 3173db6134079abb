/**
 * Watch-based waiting: one LIST then a WATCH from its resourceVersion per
 * (apiVersion, kind, namespace) group, a decision on every event, a relist on
 * 410 Gone or a failed stream, and a resume from the last resourceVersion when
 * the server ends a stream; retries back off (bounded). Never a sleep loop: the verdict comes from the event that
 * made it true. With `failFast`, the Pods and ReplicaSets of the workloads
 * waited on are watched too, and a known-hopeless cause (pod-failures.ts)
 * ends the wait at once.
 */

import type { Clock } from '../core/clock.js'
import { systemClock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import type { FailureCategory, FailureCause } from './pod-failures.js'
import {
  POD_OWNER_KINDS,
  currentPods,
  currentReplicaSet,
  labelSelectorOf,
  podFailure,
  workloadFailure
} from './pod-failures.js'
import type { ResourceStatus } from './readiness.js'
import { computeStatus } from './readiness.js'
import type { Cluster, KubeObject, ObjectRef, WatchEvent } from './types.js'
import { KubeApiError, describeRef } from './types.js'

/** What `until` says about one object: finished, not yet, or never. */
export type WaitDecision = 'done' | 'pending' | { failed: string }

/** What `until` gets besides the object. */
export interface WaitContext {
  ref: ObjectRef
  /** kstatus of the object (NotFound when it does not exist). */
  status: ResourceStatus
  elapsedMs: number
}

/** How a wait ended. */
export type WaitResult = 'done' | 'failed' | 'timeout' | 'cancelled' | 'error'

/** Why an object failed. */
export interface WaitFailure {
  ref: ObjectRef
  reason: string
  message: string
  /** The Pod or ReplicaSet the cause was seen on, when not the object itself. */
  source?: ObjectRef
  category?: FailureCategory
  container?: string
  image?: string
}

/** One object's part of the outcome. */
export interface ObjectWait {
  ref: ObjectRef
  state: 'pending' | 'done' | 'failed'
  /** Last status seen (Unknown until its group was listed). */
  status: ResourceStatus
  /** Last version seen; undefined when it does not exist or was never listed. */
  object?: KubeObject
  /** Clock time at which it last became done. */
  readyAt?: number
  /** `readyAt` minus the wait's start. */
  readyAfterMs?: number
  failure?: WaitFailure
}

/** Counters of what the wait asked the server, for tests and debug logs. */
export interface WaitStats {
  lists: number
  relists: number
  watches: number
  reconnects: number
  events: number
}

/** The result of a wait. */
export interface WaitOutcome {
  result: WaitResult
  /** One line: what happened, naming the objects that were not ready or what failed. */
  message: string
  startedAt: number
  durationMs: number
  objects: ObjectWait[]
  /** The first failure (result `failed`). */
  failure?: WaitFailure
  /** Problems that did not end the wait (e.g. Pods could not be watched for fail-fast). */
  warnings: string[]
  stats: WaitStats
}

/** A change of one object's state, for progress lines. */
export interface WaitProgress {
  ref: ObjectRef
  state: ObjectWait['state']
  status: ResourceStatus
  done: number
  total: number
}

/** One object's status for a progress line: `Pod web InProgress: Pod is not ready (0/1 ready)`. */
export function waitStatus(p: WaitProgress): string {
  const msg = p.status.message ? `: ${p.status.message}` : ''
  return `${describeRef(p.ref)} ${p.status.status}${msg} (${p.done}/${p.total} done)`
}

export interface WaitOptions {
  /** Decides per object; default `untilCurrent`. */
  until?: (obj: KubeObject | undefined, ctx: WaitContext) => WaitDecision
  timeoutMs: number
  signal?: AbortSignal
  clock?: Clock
  onProgress?: (p: WaitProgress) => void
  /** Also watch the Pods/ReplicaSets of workloads and fail on a known-hopeless cause. */
  failFast?: boolean
  /** Narrows LIST/WATCH of groups with several objects (objects without the labels are never seen). */
  labelSelector?: string
  /** Server-side timeout of each watch stream; default 300. */
  watchTimeoutSeconds?: number
  /** Reconnect backoff; defaults 200 ms doubling up to 5 s. */
  retry?: { initialMs?: number; maxMs?: number }
  /** Grace for Unschedulable Pods (a cluster autoscaler may add a node); default 0. */
  unschedulableGraceMs?: number
}

/**
 * The default decision: kstatus Current is done and Failed is failed. A Pod
 * that completed unsuccessfully is Current to kstatus (it will not change
 * any more); a deployment gate calls it failed.
 */
export function untilCurrent(obj: KubeObject | undefined, ctx: WaitContext): WaitDecision {
  if (obj?.kind === 'Pod' && (obj.status as { phase?: unknown } | undefined)?.phase === 'Failed') {
    return { failed: podFailure(obj)?.message ?? 'Pod failed' }
  }
  if (ctx.status.status === 'Current') return 'done'
  if (ctx.status.status === 'Failed') {
    return { failed: ctx.status.message || ctx.status.reason || 'Failed' }
  }
  return 'pending'
}

/** Waits until every target satisfies `until` (default kstatus Current), one fails, or time runs out. */
export function waitForObjects(
  cluster: Cluster,
  targets: ObjectRef[],
  opts: WaitOptions
): Promise<WaitOutcome> {
  return new Waiter(cluster, targets, opts).run()
}

/** Waits until every object is gone (DELETED, or absent from the list). */
export function waitForGone(
  cluster: Cluster,
  refs: ObjectRef[],
  opts: Pick<
    WaitOptions,
    'timeoutMs' | 'signal' | 'clock' | 'onProgress' | 'retry' | 'watchTimeoutSeconds'
  >
): Promise<WaitOutcome> {
  return waitForObjects(cluster, refs, { ...opts, until: obj => (obj ? 'pending' : 'done') })
}

// ------------------------------------------------------------------ internals

interface Selection {
  apiVersion: string
  kind: string
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
}

interface Target {
  ref: ObjectRef
  key: string
  informer: Informer
  entry: ObjectWait
}

const objectKey = (namespace: string | undefined, name: string): string =>
  `${namespace ?? ''}/${name}`

/** Statuses that end a stream attempt without being worth a retry. */
function isFatal(err: unknown): boolean {
  return (
    err instanceof KubeApiError &&
    !err.transport &&
    [400, 401, 403, 405, 406, 415, 422].includes(err.status)
  )
}

function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 410
}

class Waiter {
  private readonly clock: Clock
  private readonly until: NonNullable<WaitOptions['until']>
  private readonly stop = new AbortController()
  private readonly startedAt: number
  private readonly stats: WaitStats = { lists: 0, relists: 0, watches: 0, reconnects: 0, events: 0 }
  private readonly warnings: string[] = []
  private readonly informers = new Map<string, Informer>()
  private targets: Target[] = []
  private finished = false
  private resolve: (o: WaitOutcome) => void = () => undefined
  private readonly onAbort = (): void => this.finish('cancelled')

  constructor(
    private readonly cluster: Cluster,
    private readonly refs: ObjectRef[],
    private readonly opts: WaitOptions
  ) {
    this.clock = opts.clock ?? systemClock
    this.until = opts.until ?? untilCurrent
    this.startedAt = this.clock.now()
  }

  run(): Promise<WaitOutcome> {
    const done = new Promise<WaitOutcome>(resolve => (this.resolve = resolve))
    if (this.opts.signal?.aborted) {
      this.finish('cancelled')
      return done
    }
    this.opts.signal?.addEventListener('abort', this.onAbort, { once: true })
    this.clock.sleep(Math.max(0, this.opts.timeoutMs), this.stop.signal).then(
      () => this.finish('timeout'),
      () => undefined
    )
    void this.start().catch(err => this.finish('error', undefined, errorMessage(err)))
    return done
  }

  private async start(): Promise<void> {
    const refs = await Promise.all(this.refs.map(r => this.resolveNamespace(r)))
    if (this.finished) return
    const groups = new Map<string, ObjectRef[]>()
    for (const ref of refs) {
      const k = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`
      groups.set(k, [...(groups.get(k) ?? []), ref])
    }
    for (const members of groups.values()) {
      const { apiVersion, kind, namespace } = members[0]
      const names = new Set(members.map(m => m.name))
      const sel: Selection = { apiVersion, kind, namespace }
      // One object: the server filters by name; several: by the caller's labels if any.
      if (names.size === 1) sel.fieldSelector = `metadata.name=${members[0].name}`
      else if (this.opts.labelSelector) sel.labelSelector = this.opts.labelSelector
      const informer = this.informer(sel, true)
      for (const ref of members) {
        this.targets.push({
          ref,
          key: objectKey(ref.namespace, ref.name),
          informer,
          entry: { ref, state: 'pending', status: { status: 'Unknown', message: 'not listed yet' } }
        })
      }
    }
    this.evaluate()
  }

  /** A namespaced kind without a namespace means the context's default namespace, as kubectl does. */
  private async resolveNamespace(ref: ObjectRef): Promise<ObjectRef> {
    if (ref.namespace) return ref
    try {
      const info = await this.cluster.resourceFor(ref.apiVersion, ref.kind)
      if (info?.namespaced) return { ...ref, namespace: this.cluster.defaultNamespace ?? 'default' }
    } catch {
      // Discovery failing is not this wait's problem; the list will say what is wrong.
    }
    return ref
  }

  private informer(sel: Selection, primary: boolean): Informer {
    const key = [
      sel.apiVersion,
      sel.kind,
      sel.namespace,
      sel.labelSelector,
      sel.fieldSelector
    ].join('|')
    let inf = this.informers.get(key)
    if (!inf) {
      inf = new Informer(this.cluster, sel, {
        clock: this.clock,
        stats: this.stats,
        watchTimeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
        initialBackoffMs: this.opts.retry?.initialMs ?? 200,
        maxBackoffMs: this.opts.retry?.maxMs ?? 5000,
        onChange: () => this.evaluate(),
        onFatal: message => {
          const what = `cannot list/watch ${sel.kind}${sel.namespace ? ` in ${sel.namespace}` : ''}: ${message}`
          if (primary) this.finish('error', undefined, what)
          else this.warnings.push(`${what} (fail-fast checks of ${sel.kind} are off)`)
        }
      })
      this.informers.set(key, inf)
      void inf.run(this.stop.signal)
    }
    return inf
  }

  /** Decides every target from what the informers hold; ends the wait when that settles it. */
  private evaluate(): void {
    if (this.finished) return
    try {
      const now = this.clock.now()
      let firstFailure: WaitFailure | undefined
      for (const t of this.targets) {
        this.decide(t, now)
        if (t.entry.state === 'failed' && !firstFailure) firstFailure = t.entry.failure
      }
      if (firstFailure) this.finish('failed', firstFailure)
      else if (
        this.targets.length === this.refs.length &&
        this.targets.every(t => t.entry.state === 'done')
      ) {
        this.finish('done')
      }
    } catch (err) {
      this.finish('error', undefined, `deciding readiness failed: ${errorMessage(err)}`)
    }
  }

  private decide(t: Target, now: number): void {
    const e = t.entry
    const before = `${e.state}|${e.status.status}|${e.status.message}`
    if (!t.informer.synced) {
      const why = t.informer.lastError
        ? `not listed yet: ${t.informer.lastError}`
        : 'not listed yet'
      e.status = { status: 'Unknown', message: why }
      e.state = 'pending'
    } else {
      const obj = t.informer.store.get(t.key)
      e.object = obj
      e.status = computeStatus(obj, { now })
      const decision = this.until(obj, {
        ref: t.ref,
        status: e.status,
        elapsedMs: now - this.startedAt
      })
      if (decision === 'done') {
        if (e.state !== 'done') {
          e.readyAt = now
          e.readyAfterMs = now - this.startedAt
        }
        e.state = 'done'
        e.failure = undefined
      } else if (typeof decision === 'object') {
        e.state = 'failed'
        e.failure = { ref: t.ref, reason: e.status.reason ?? 'Failed', message: decision.failed }
      } else {
        const cause = this.opts.failFast && obj ? this.failFastCause(obj, now) : undefined
        e.state = cause ? 'failed' : 'pending'
        e.failure = cause && toFailure(t.ref, cause)
      }
    }
    const after = `${e.state}|${e.status.status}|${e.status.message}`
    if (after !== before && this.opts.onProgress) {
      const done = this.targets.filter(x => x.entry.state === 'done').length
      this.opts.onProgress({
        ref: t.ref,
        state: e.state,
        status: e.status,
        done,
        total: this.refs.length
      })
    }
  }

  /** A hopeless cause on the object itself, its current ReplicaSet or its current Pods. */
  private failFastCause(obj: KubeObject, now: number): FailureCause | undefined {
    const podOpts = { now, unschedulableGraceMs: this.opts.unschedulableGraceMs }
    if (obj.kind === 'Pod') return podFailure(obj, podOpts)
    if (!POD_OWNER_KINDS.has(obj.kind)) return undefined
    const own = workloadFailure(obj)
    if (own) return own
    const selector = labelSelectorOf(obj)
    if (!selector) return undefined
    const namespace = obj.metadata.namespace
    const pods = this.informer(
      { apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector },
      false
    )
    let replicaSets: KubeObject[] = []
    if (obj.kind === 'Deployment') {
      const rsInformer = this.informer(
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: selector },
        false
      )
      replicaSets = [...rsInformer.store.values()]
      const rs = currentReplicaSet(obj, replicaSets)
      const rsCause = rs && workloadFailure(rs)
      if (rsCause) return rsCause
    }
    for (const pod of currentPods(obj, pods.store.values(), replicaSets)) {
      const cause = podFailure(pod, podOpts)
      // A controller replaces a Pod that merely ended; only causes that recur count.
      if (cause && cause.category !== 'exit') return cause
    }
    return undefined
  }

  private finish(result: WaitResult, failure?: WaitFailure, errorText?: string): void {
    if (this.finished) return
    if (result === 'timeout') {
      // Time ran out while the server could not be asked: the objects' state is
      // unknown, so this is "could not check" (exit 3), never a verdict on them.
      const blind = this.targets.find(
        t => t.informer.lastError !== undefined && t.entry.state !== 'done'
      )
      if (blind) {
        result = 'error'
        errorText = `could not observe ${describeRef(blind.ref)} when the wait ran out after ${formatDuration(this.clock.now() - this.startedAt)}: ${blind.informer.lastError}`
      }
    }
    this.finished = true
    this.stop.abort()
    this.opts.signal?.removeEventListener('abort', this.onAbort)
    const now = this.clock.now()
    const objects = this.targets.length
      ? this.targets.map(t => t.entry)
      : this.refs.map(ref => ({
          ref,
          state: 'pending' as const,
          status: { status: 'Unknown' as const, message: 'not listed yet' }
        }))
    const durationMs = now - this.startedAt
    this.resolve({
      result,
      message: this.describe(result, objects, durationMs, failure, errorText),
      startedAt: this.startedAt,
      durationMs,
      objects,
      failure,
      warnings: this.warnings,
      stats: this.stats
    })
  }

  private describe(
    result: WaitResult,
    objects: ObjectWait[],
    durationMs: number,
    failure?: WaitFailure,
    errorText?: string
  ): string {
    const took = formatDuration(durationMs)
    const pending = objects
      .filter(o => o.state !== 'done')
      .map(o => `${describeRef(o.ref)} ${o.status.status}: ${o.status.message}`)
    switch (result) {
      case 'done':
        return `${objects.length} object${objects.length === 1 ? '' : 's'} ready after ${took}`
      case 'failed':
        return `${describeRef(failure?.ref ?? objects[0].ref)} failed after ${took}: ${failure?.reason ?? 'Failed'}: ${failure?.message ?? ''}`
      case 'timeout':
        return `timed out after ${took}; not ready: ${pending.join('; ')}`
      case 'cancelled':
        return `cancelled after ${took}; not ready: ${pending.join('; ')}`
      case 'error':
        return errorText ?? 'wait failed'
    }
  }
}

function toFailure(ref: ObjectRef, cause: FailureCause): WaitFailure {
  const same =
    cause.source.kind === ref.kind &&
    cause.source.name === ref.name &&
    cause.source.namespace === ref.namespace
  return {
    ref,
    reason: cause.reason,
    message: cause.message,
    source: same ? undefined : cause.source,
    category: cause.category,
    container: cause.container,
    image: cause.image
  }
}

interface InformerDeps {
  clock: Clock
  stats: WaitStats
  watchTimeoutSeconds: number
  initialBackoffMs: number
  maxBackoffMs: number
  onChange: () => void
  onFatal: (message: string) => void
}

/** A list+watch cache of one selection, kept until the wait's signal aborts. */
class Informer {
  readonly store = new Map<string, KubeObject>()
  synced = false
  /** The last error of a list or watch attempt, shown while nothing is listed. */
  lastError?: string

  constructor(
    private readonly cluster: Cluster,
    private readonly sel: Selection,
    private readonly deps: InformerDeps
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const { apiVersion, kind, namespace, labelSelector, fieldSelector } = this.sel
    const { stats } = this.deps
    let rv: string | undefined
    // Consecutive attempts that brought no event; reset by any event.
    let failures = 0
    while (!signal.aborted) {
      try {
        if (rv === undefined) {
          const listed = await this.cluster.list(apiVersion, kind, {
            namespace,
            labelSelector,
            fieldSelector
          })
          if (signal.aborted) return
          stats.lists++
          if (this.synced) stats.relists++
          this.store.clear()
          for (const o of listed.items)
            this.store.set(objectKey(o.metadata.namespace, o.metadata.name), o)
          rv = listed.resourceVersion
          this.synced = true
          this.lastError = undefined
          this.deps.onChange()
        }

        if (signal.aborted) return
        // Its own controller so an ERROR event can end this stream alone.
        const stream = new AbortController()
        const streamSignal = AbortSignal.any([signal, stream.signal])
        let gone = false
        let errorEvent: string | undefined
        stats.watches++
        await this.cluster.watch(
          apiVersion,
          kind,
          {
            namespace,
            labelSelector,
            fieldSelector,
            resourceVersion: rv,
            allowBookmarks: true,
            timeoutSeconds: this.deps.watchTimeoutSeconds,
            signal: streamSignal
          },
          (ev: WatchEvent) => {
            if (streamSignal.aborted) return
            if (ev.type === 'ERROR') {
              // The apiserver reports an expired resourceVersion as an ERROR event with code 410.
              const code = ev.object.code
              if (code === 410) gone = true
              else errorEvent = String(ev.object.message ?? `watch error ${String(code)}`)
              stream.abort()
              return
            }
            failures = 0
            const evRv = ev.object.metadata.resourceVersion
            if (evRv) rv = evRv
            if (ev.type === 'BOOKMARK') return
            stats.events++
            const key = objectKey(ev.object.metadata.namespace, ev.object.metadata.name)
            if (ev.type === 'DELETED') this.store.delete(key)
            else this.store.set(key, ev.object)
            this.deps.onChange()
          }
        )
        if (signal.aborted) return
        if (gone) {
          rv = undefined
          failures++
        } else if (errorEvent !== undefined) {
          throw new KubeApiError(errorEvent, 500, 'WatchError')
        } else {
          // The server ended the stream (its timeout) or the connection dropped: resume from rv.
          stats.reconnects++
          failures++
        }
      } catch (err) {
        if (signal.aborted) return
        if (isGone(err)) {
          rv = undefined
          failures++
        } else if (isFatal(err)) {
          this.lastError = errorMessage(err)
          this.deps.onFatal(errorMessage(err))
          return
        } else {
          this.lastError = errorMessage(err)
          if (rv !== undefined) stats.reconnects++
          // As client-go's reflector does: after a failed (not ended) watch, relist.
          // The failure may hide an expired resourceVersion (a 410 a transport
          // or proxy turned into a reset), from which no watch would ever resume.
          rv = undefined
          failures++
          // Nothing listed yet: let the pending status say why.
          if (!this.synced) this.deps.onChange()
        }
      }
      // The first retry is immediate (a dropped stream or one 410 is routine); then back off.
      if (failures > 1) {
        const delay = Math.min(
          this.deps.maxBackoffMs,
          this.deps.initialBackoffMs * 2 ** Math.min(failures - 2, 20)
        )
        try {
          await this.deps.clock.sleep(delay, signal)
        } catch {
          return
        }
      }
    }
  }
}
