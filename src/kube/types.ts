/**
 * The `Cluster` interface gates and checks talk to. Only the adapter in
 * `client.ts` imports `@kubernetes/client-node`; unit tests hand in fakes.
 */

export interface ObjectMeta {
  name: string
  namespace?: string
  generateName?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  ownerReferences?: {
    apiVersion: string
    kind: string
    name: string
    uid: string
    controller?: boolean
  }[]
  finalizers?: string[]
  managedFields?: unknown[]
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  [field: string]: unknown
}

/** Names one object. */
export interface ObjectRef {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
}

/** One served resource, as discovery describes it. */
export interface ResourceInfo {
  group: string
  version: string
  kind: string
  /** Plural resource name, e.g. `deployments`. */
  resource: string
  namespaced: boolean
  verbs: string[]
  subresources: string[]
  shortNames?: string[]
}

/** What the server serves, from (aggregated) discovery. */
export interface ApiSurface {
  /** Every served group/version/resource (subresources folded into their parent). */
  resources: ResourceInfo[]
  /** Group → served versions, preferred first. */
  groups: Map<string, { preferred: string; versions: string[] }>
  /** True when aggregated discovery (apidiscovery.k8s.io/v2) answered. */
  aggregated: boolean
  /** HTTP requests discovery took. */
  requests: number
}

export interface ServerVersion {
  gitVersion: string
  major: number
  minor: number
}

export interface ListOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  limit?: number
}

export interface WatchOptions extends ListOptions {
  resourceVersion: string
  /** Server-side timeout for the stream; the caller reconnects after it. */
  timeoutSeconds?: number
  allowBookmarks?: boolean
  signal?: AbortSignal
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: KubeObject
}

export interface ApplyOptions {
  dryRun?: boolean
  fieldManager?: string
  /** Take fields other field managers own; default false, so a conflict is answered (409) naming the manager. */
  force?: boolean
  /** Receives the server's `Warning:` headers for this request. */
  onWarnings?: (warnings: string[]) => void
}

export interface DeleteOptions {
  dryRun?: boolean
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'
  gracePeriodSeconds?: number
}

export interface AccessAttributes {
  verb: string
  group: string
  resource: string
  namespace?: string
  name?: string
  subresource?: string
}

export interface AccessDecision {
  allowed: boolean
  denied?: boolean
  reason?: string
  evaluationError?: string
}

export interface LogOptions {
  container?: string
  tailLines?: number
  previous?: boolean
}

export interface ProxyRequest {
  namespace: string
  service: string
  port: string | number
  path: string
  method?: string
  headers?: Record<string, string>
  body?: string
  timeoutMs?: number
  scheme?: 'http' | 'https'
}

export interface HttpResult {
  status: number
  headers: Record<string, string>
  body: string
  durationMs: number
}

/** The live cluster as the gates see it. */
export interface Cluster {
  readonly context: string
  readonly server: string
  /** The namespace the kubeconfig context defaults to, when it names one. */
  readonly defaultNamespace?: string

  version(): Promise<ServerVersion>
  /** The whole API surface; cached per Cluster after the first call. */
  discover(): Promise<ApiSurface>
  /** The served resource for an apiVersion/kind, or undefined when not served. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>

  get(ref: ObjectRef): Promise<KubeObject | undefined>
  list(
    apiVersion: string,
    kind: string,
    opts?: ListOptions
  ): Promise<{ items: KubeObject[]; resourceVersion: string }>
  /** Streams events until the server ends the stream or the signal aborts; rejects with KubeApiError (410 Gone included). */
  watch(
    apiVersion: string,
    kind: string,
    opts: WatchOptions,
    onEvent: (event: WatchEvent) => void
  ): Promise<void>

  /** Server-side apply. */
  apply(obj: KubeObject, opts?: ApplyOptions): Promise<KubeObject>
  /** Create (POST); used for reviews and objects that must not exist before. */
  create(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject>
  /** Full replace (PUT) of an object, resourceVersion taken from `obj` when present. */
  replace(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject>
  /** JSON merge patch. */
  mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    opts?: { dryRun?: boolean; subresource?: string }
  ): Promise<KubeObject>
  /** Delete; resolves undefined when the object did not exist. */
  delete(ref: ObjectRef, opts?: DeleteOptions): Promise<KubeObject | undefined>

  accessReview(attrs: AccessAttributes): Promise<AccessDecision>
  podLogs(namespace: string, pod: string, opts?: LogOptions): Promise<string>
  /** An HTTP request to a Service through the apiserver's service proxy. */
  proxy(req: ProxyRequest): Promise<HttpResult>
}

/** An error answered by the API server (or the transport to it). */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly details?: unknown,
    /** True when no answer arrived (connection refused, reset, timeout). */
    readonly transport = false
  ) {
    super(message)
    this.name = 'KubeApiError'
  }
}

/** Splits `apps/v1` into group and version (`v1` → core group ''). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/')
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) }
}

/** Joins group and version into an apiVersion. */
export function joinApiVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** `Kind namespace/name` for messages. */
export function describeRef(ref: ObjectRef | KubeObject): string {
  const name = 'metadata' in ref ? ref.metadata.name : ref.name
  const ns = 'metadata' in ref ? ref.metadata.namespace : ref.namespace
  return `${ref.kind} ${ns ? `${ns}/` : ''}${name}`
}

/** ObjectRef of an object. */
export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace
  }
}
