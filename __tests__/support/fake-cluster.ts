/**
 * An in-memory `Cluster` for unit tests: objects with resourceVersions, list
 * and watch with label/field selectors and a replayable history, and faults
 * on demand (410 Gone by compaction or as an ERROR event, dropped streams,
 * one-shot errors). Not a real apiserver: apply replaces the object, no
 * defaulting, no admission, no controllers; tests play the controllers by
 * calling `set`/`update`/`remove`.
 */

import type {
  AccessAttributes,
  AccessDecision,
  ApiSurface,
  ApplyOptions,
  Cluster,
  DeleteOptions,
  HttpResult,
  KubeObject,
  ListOptions,
  LogOptions,
  ObjectRef,
  ProxyRequest,
  ResourceInfo,
  ServerVersion,
  WatchEvent,
  WatchOptions
} from '../../src/kube/types.js'
import { KubeApiError, splitApiVersion } from '../../src/kube/types.js'

/** One recorded call, for assertions on what the code under test asked. */
export interface FakeCall {
  method: string
  apiVersion?: string
  kind?: string
  opts?: ListOptions | WatchOptions | LogOptions | ApplyOptions | DeleteOptions
  ref?: ObjectRef
}

interface ActiveWatch {
  group: string
  kind: string
  opts: WatchOptions
  onEvent: (e: WatchEvent) => void
  end: (err?: unknown) => void
}

interface HistoryEntry {
  rv: number
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KubeObject
}

type Method = 'list' | 'watch' | 'get' | 'podLogs' | 'apply' | 'create' | 'delete'

const BUILTIN_KINDS: [string, string, string, boolean][] = [
  // apiVersion, kind, plural, namespaced
  ['v1', 'Pod', 'pods', true],
  ['v1', 'Service', 'services', true],
  ['v1', 'ConfigMap', 'configmaps', true],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'Event', 'events', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'Namespace', 'namespaces', false],
  ['v1', 'Node', 'nodes', false],
  ['apps/v1', 'Deployment', 'deployments', true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['apps/v1', 'DaemonSet', 'daemonsets', true],
  ['batch/v1', 'Job', 'jobs', true],
  ['batch/v1', 'CronJob', 'cronjobs', true],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false]
]

/** A fake `Cluster` holding objects in memory. */
export class FakeCluster implements Cluster {
  readonly context: string
  readonly server = 'https://127.0.0.1:6443'
  readonly defaultNamespace?: string
  /** Every call made, in order. */
  readonly calls: FakeCall[] = []
  /** Answers `accessReview`; allows everything unless replaced. */
  access: (attrs: AccessAttributes) => AccessDecision = () => ({ allowed: true })
  /** Answers `proxy`; throws unless replaced. */
  proxyHandler?: (req: ProxyRequest) => Promise<HttpResult>

  private rv = 1
  private compactedRv = 0
  private uidSeq = 0
  private readonly objects = new Map<string, KubeObject>()
  private readonly history: HistoryEntry[] = []
  private readonly watches = new Set<ActiveWatch>()
  private readonly faults: { method: Method; kind?: string; error: unknown }[] = []
  private readonly logs = new Map<string, string | Error>()
  private readonly resources: ResourceInfo[]

  constructor(
    opts: {
      objects?: KubeObject[]
      context?: string
      defaultNamespace?: string
      resources?: ResourceInfo[]
    } = {}
  ) {
    this.context = opts.context ?? 'fake'
    this.defaultNamespace = opts.defaultNamespace ?? 'default'
    this.resources = BUILTIN_KINDS.map(([apiVersion, kind, resource, namespaced]) => ({
      ...splitApiVersion(apiVersion),
      kind,
      resource,
      namespaced,
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      subresources: kind === 'Pod' ? ['log', 'status'] : ['status']
    }))
    this.resources.push(...(opts.resources ?? []))
    for (const o of opts.objects ?? []) this.set(o)
  }

  // ------------------------------------------------------------ test controls

  /** Creates or replaces an object (ADDED/MODIFIED to watchers); fills uid, resourceVersion, creationTimestamp. */
  set(obj: KubeObject): KubeObject {
    const key = keyOf(obj)
    const old = this.objects.get(key)
    const stored = structuredClone(obj)
    stored.metadata.uid = old?.metadata.uid ?? obj.metadata.uid ?? `uid-${++this.uidSeq}`
    stored.metadata.creationTimestamp =
      old?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? new Date().toISOString()
    stored.metadata.resourceVersion = String(++this.rv)
    this.objects.set(key, stored)
    this.emit(old ? 'MODIFIED' : 'ADDED', stored)
    return structuredClone(stored)
  }

  /** Changes a stored object in place (a controller's status update); throws when missing. */
  update(ref: ObjectRef | KubeObject, mutate: (obj: KubeObject) => void): KubeObject {
    const obj = this.objects.get(keyOf(ref))
    if (!obj) throw new Error(`fake: no ${describe(ref)} to update`)
    const next = structuredClone(obj)
    mutate(next)
    return this.set(next)
  }

  /** Removes an object at once (DELETED to watchers); false when it was not there. */
  remove(ref: ObjectRef | KubeObject): boolean {
    const key = keyOf(ref)
    const obj = this.objects.get(key)
    if (!obj) return false
    this.objects.delete(key)
    const gone = structuredClone(obj)
    gone.metadata.resourceVersion = String(++this.rv)
    this.emit('DELETED', gone)
    return true
  }

  /** The stored object (a copy), or undefined. */
  peek(ref: ObjectRef | KubeObject): KubeObject | undefined {
    const obj = this.objects.get(keyOf(ref))
    return obj && structuredClone(obj)
  }

  /** Records a core/v1 Event about an object. */
  addEvent(
    about: KubeObject,
    e: { type?: 'Normal' | 'Warning'; reason: string; message: string; count?: number; at?: string }
  ): KubeObject {
    const at = e.at ?? new Date().toISOString()
    return this.set({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${about.metadata.name}.${(++this.uidSeq).toString(16)}`,
        namespace: about.metadata.namespace ?? 'default'
      },
      involvedObject: {
        apiVersion: about.apiVersion,
        kind: about.kind,
        name: about.metadata.name,
        namespace: about.metadata.namespace,
        uid: about.metadata.uid
      },
      type: e.type ?? 'Warning',
      reason: e.reason,
      message: e.message,
      count: e.count ?? 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: 'fake' }
    })
  }

  /** Sets what `podLogs` returns for a container (an Error is thrown instead). */
  setLogs(
    namespace: string,
    pod: string,
    container: string,
    text: string | Error,
    previous = false
  ): void {
    this.logs.set(`${namespace}/${pod}/${container}/${previous}`, text)
  }

  /** Makes the next call of `method` (optionally only for `kind`) fail with `error`. */
  failNext(method: Method, error: unknown, kind?: string): void {
    this.faults.push({ method, kind, error })
  }

  /** Ends every open watch stream normally, as a server-side timeout or a dropped connection does. */
  dropWatches(): number {
    const open = [...this.watches]
    for (const w of open) w.end()
    return open.length
  }

  /** Ends every open watch stream with an error (a reset connection). */
  breakWatches(error: unknown = transportError()): number {
    const open = [...this.watches]
    for (const w of open) w.end(error)
    return open.length
  }

  /**
   * Compacts history so every resourceVersion handed out so far is too old,
   * and ends open watches with 410 Gone: rejected as KubeApiError, or (`asEvent`)
   * as the ERROR event with code 410 the apiserver sends before closing.
   */
  expire(opts: { asEvent?: boolean } = {}): number {
    this.compactedRv = ++this.rv
    const open = [...this.watches]
    for (const w of open) {
      if (opts.asEvent) {
        w.onEvent({ type: 'ERROR', object: goneStatus() })
        w.end()
      } else {
        w.end(goneError())
      }
    }
    return open.length
  }

  /** Sends a BOOKMARK with the current resourceVersion to watches that allow them. */
  bookmark(): void {
    for (const w of [...this.watches]) {
      if (!w.opts.allowBookmarks) continue
      w.onEvent({
        type: 'BOOKMARK',
        object: {
          apiVersion: w.group ? `${w.group}/v1` : 'v1',
          kind: w.kind,
          metadata: { name: '', resourceVersion: String(this.rv) }
        }
      })
    }
  }

  /** Open watch streams (to check nothing leaks after a wait ends). */
  openWatches(): { kind: string; opts: Omit<WatchOptions, 'signal'> }[] {
    return [...this.watches].map(w => {
      // The signal is left out so a failed assertion can print the rest.
      const { signal, ...opts } = w.opts
      void signal
      return { kind: w.kind, opts: { ...opts } }
    })
  }

  /** Recorded calls of one method. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter(c => c.method === method)
  }

  /** Serves an extra resource (a CRD's kind) in discovery. */
  serve(info: ResourceInfo): void {
    this.resources.push(info)
  }

  // ------------------------------------------------------------------ Cluster

  async version(): Promise<ServerVersion> {
    this.calls.push({ method: 'version' })
    return { gitVersion: 'v1.34.0-fake', major: 1, minor: 34 }
  }

  async discover(): Promise<ApiSurface> {
    this.calls.push({ method: 'discover' })
    const groups = new Map<string, { preferred: string; versions: string[] }>()
    for (const r of this.resources) {
      const g = groups.get(r.group) ?? { preferred: r.version, versions: [] }
      if (!g.versions.includes(r.version)) g.versions.push(r.version)
      groups.set(r.group, g)
    }
    return { resources: [...this.resources], groups, aggregated: true, requests: 1 }
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const { group, version } = splitApiVersion(apiVersion)
    return this.resources.find(r => r.group === group && r.version === version && r.kind === kind)
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.calls.push({ method: 'get', ref })
    this.fault('get', ref.kind)
    return this.peek(ref)
  }

  async list(
    apiVersion: string,
    kind: string,
    opts: ListOptions = {}
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    this.calls.push({ method: 'list', apiVersion, kind, opts })
    this.fault('list', kind)
    const { group } = splitApiVersion(apiVersion)
    const items = [...this.objects.values()]
      .filter(o => matches(o, group, kind, opts))
      .map(o => structuredClone(o))
    return { items, resourceVersion: String(this.rv) }
  }

  watch(
    apiVersion: string,
    kind: string,
    opts: WatchOptions,
    onEvent: (event: WatchEvent) => void
  ): Promise<void> {
    this.calls.push({ method: 'watch', apiVersion, kind, opts })
    try {
      this.fault('watch', kind)
    } catch (err) {
      return Promise.reject(err)
    }
    const { group } = splitApiVersion(apiVersion)
    const from = Number(opts.resourceVersion || 0)
    if (from > 0 && from < this.compactedRv) return Promise.reject(goneError())
    if (opts.signal?.aborted) return Promise.resolve()

    return new Promise<void>((resolve, reject) => {
      const w: ActiveWatch = {
        group,
        kind,
        opts,
        onEvent,
        end: err => {
          if (!this.watches.delete(w)) return
          opts.signal?.removeEventListener('abort', onAbort)
          if (err === undefined) resolve()
          else reject(err)
        }
      }
      const onAbort = (): void => w.end()
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      this.watches.add(w)
      // "0"/"" means "from now, with the current state as ADDED events".
      if (from === 0) {
        for (const o of this.objects.values()) {
          if (matches(o, group, kind, opts)) onEvent({ type: 'ADDED', object: structuredClone(o) })
        }
      } else {
        for (const h of this.history) {
          if (h.rv > from && matches(h.object, group, kind, opts) && this.watches.has(w)) {
            onEvent({ type: h.type, object: structuredClone(h.object) })
          }
        }
      }
    })
  }

  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    this.calls.push({ method: 'apply', apiVersion: obj.apiVersion, kind: obj.kind, opts })
    this.fault('apply', obj.kind)
    if (opts.dryRun) return structuredClone({ ...this.peek(obj), ...obj })
    return this.set(obj)
  }

  async create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    this.calls.push({ method: 'create', apiVersion: obj.apiVersion, kind: obj.kind })
    this.fault('create', obj.kind)
    const named = structuredClone(obj)
    if (!named.metadata.name && named.metadata.generateName) {
      named.metadata.name = `${named.metadata.generateName}${(++this.uidSeq).toString(36)}`
    }
    if (this.objects.has(keyOf(named))) {
      throw new KubeApiError(`${describe(named)} already exists`, 409, 'AlreadyExists')
    }
    return opts.dryRun ? named : this.set(named)
  }

  async replace(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    this.calls.push({ method: 'replace', apiVersion: obj.apiVersion, kind: obj.kind })
    const old = this.objects.get(keyOf(obj))
    if (!old) throw new KubeApiError(`${describe(obj)} not found`, 404, 'NotFound')
    const rv = obj.metadata.resourceVersion
    if (rv && rv !== old.metadata.resourceVersion) {
      throw new KubeApiError(`${describe(obj)}: the object has been modified`, 409, 'Conflict')
    }
    return opts.dryRun ? structuredClone(obj) : this.set(obj)
  }

  async mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    opts: { dryRun?: boolean; subresource?: string } = {}
  ): Promise<KubeObject> {
    this.calls.push({ method: 'mergePatch', ref })
    const old = this.objects.get(keyOf(ref))
    if (!old) throw new KubeApiError(`${describe(ref)} not found`, 404, 'NotFound')
    const next = mergePatch(structuredClone(old), patch) as KubeObject
    return opts.dryRun ? next : this.set(next)
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<KubeObject | undefined> {
    this.calls.push({ method: 'delete', ref, opts })
    this.fault('delete', ref.kind)
    const obj = this.objects.get(keyOf(ref))
    if (!obj) return undefined
    if (opts.dryRun) return structuredClone(obj)
    if (obj.metadata.finalizers?.length) {
      return this.update(ref, o => {
        o.metadata.deletionTimestamp ??= new Date().toISOString()
      })
    }
    this.remove(ref)
    return structuredClone(obj)
  }

  async accessReview(attrs: AccessAttributes): Promise<AccessDecision> {
    this.calls.push({ method: 'accessReview' })
    return this.access(attrs)
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
    this.calls.push({
      method: 'podLogs',
      ref: { apiVersion: 'v1', kind: 'Pod', name: pod, namespace },
      opts
    })
    this.fault('podLogs', 'Pod')
    const text = this.logs.get(
      `${namespace}/${pod}/${opts.container ?? ''}/${opts.previous ?? false}`
    )
    if (text === undefined) {
      throw new KubeApiError(
        `container ${opts.container} in pod ${pod} has no logs`,
        400,
        'BadRequest'
      )
    }
    if (text instanceof Error) throw text
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return opts.tailLines !== undefined ? lines.slice(-opts.tailLines).join('\n') + '\n' : text
  }

  async proxy(req: ProxyRequest): Promise<HttpResult> {
    this.calls.push({ method: 'proxy' })
    if (!this.proxyHandler) throw new Error('fake: no proxyHandler set')
    return this.proxyHandler(req)
  }

  // ---------------------------------------------------------------- internals

  private emit(type: HistoryEntry['type'], obj: KubeObject): void {
    const entry = { rv: this.rv, type, object: structuredClone(obj) }
    this.history.push(entry)
    for (const w of [...this.watches]) {
      if (this.watches.has(w) && matches(obj, w.group, w.kind, w.opts)) {
        w.onEvent({ type, object: structuredClone(obj) })
      }
    }
  }

  private fault(method: Method, kind?: string): void {
    const i = this.faults.findIndex(f => f.method === method && (!f.kind || f.kind === kind))
    if (i < 0) return
    const [f] = this.faults.splice(i, 1)
    throw f.error
  }
}

/** The KubeApiError a watch from a compacted resourceVersion gets. */
export function goneError(): KubeApiError {
  return new KubeApiError('too old resource version', 410, 'Expired')
}

/** A transport failure (connection reset). */
export function transportError(): KubeApiError {
  return new KubeApiError('read ECONNRESET', 0, undefined, undefined, true)
}

function goneStatus(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: { name: '' },
    status: 'Failure',
    message: 'too old resource version',
    reason: 'Expired',
    code: 410
  }
}

function keyOf(ref: ObjectRef | KubeObject): string {
  const name = 'metadata' in ref ? ref.metadata.name : ref.name
  const ns = 'metadata' in ref ? ref.metadata.namespace : ref.namespace
  return `${splitApiVersion(ref.apiVersion).group}|${ref.kind}|${ns ?? ''}|${name}`
}

function describe(ref: ObjectRef | KubeObject): string {
  const name = 'metadata' in ref ? ref.metadata.name : ref.name
  const ns = 'metadata' in ref ? ref.metadata.namespace : ref.namespace
  return `${ref.kind} ${ns ? `${ns}/` : ''}${name}`
}

function matches(o: KubeObject, group: string, kind: string, opts: ListOptions): boolean {
  if (o.kind !== kind || splitApiVersion(o.apiVersion).group !== group) return false
  if (opts.namespace !== undefined && o.metadata.namespace !== opts.namespace) return false
  if (opts.labelSelector && !matchLabels(o.metadata.labels ?? {}, opts.labelSelector)) return false
  if (opts.fieldSelector && !matchFields(o, opts.fieldSelector)) return false
  return true
}

/** Splits on commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}

/** Label selector semantics of the apiserver: =, ==, !=, in, notin, exists, !exists. */
export function matchLabels(labels: Record<string, string>, selector: string): boolean {
  return terms(selector).every(t => {
    let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(t)
    if (m) {
      const values = m[3].split(',').map(v => v.trim())
      const has = m[1] in labels && values.includes(labels[m[1]])
      return m[2] === 'in' ? has : !has
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(t)
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3]
    if (t.startsWith('!')) return !(t.slice(1) in labels)
    return t in labels
  })
}

function matchFields(o: KubeObject, selector: string): boolean {
  return terms(selector).every(t => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(t)
    if (!m) throw new KubeApiError(`invalid field selector "${t}"`, 400, 'BadRequest')
    let v: unknown = o
    for (const part of m[1].split('.')) {
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined
    }
    const actual = v === undefined || v === null ? '' : String(v)
    return m[2] === '!=' ? actual !== m[3] : actual === m[3]
  })
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}
