/**
 * The real `Cluster`: a kubeconfig context reached over keep-alive HTTPS.
 * Paths come from discovery, so custom resources work like built-in ones.
 */

import { InfraError, UsageError } from '../core/errors.js'
import { completeRules, rulesAllow, type ResourceRule } from './access-rules.js'
import { discoverApi } from './discovery.js'
import {
  KubeTransport,
  isSchemaRejection,
  isTlsFailure,
  type RequestOptions,
  type TransportRetry
} from './http.js'
import { loadConnection } from './kubeconfig.js'
import {
  KubeApiError,
  describeRef,
  splitApiVersion,
  type AccessAttributes,
  type AccessDecision,
  type ApiSurface,
  type ApplyOptions,
  type Cluster,
  type DeleteOptions,
  type HttpResult,
  type KubeObject,
  type ListOptions,
  type LogOptions,
  type ObjectRef,
  type ProxyRequest,
  type ResourceInfo,
  type ServerVersion,
  type WatchEvent,
  type WatchOptions
} from './types.js'

/** The field manager every server-side apply uses. */
export const FIELD_MANAGER = 'phase-gate'

/** Every write asks for strict field validation: an unknown or duplicate field is an error, not a dropped field. */
export const FIELD_VALIDATION = 'Strict'

export interface ConnectOptions {
  kubeconfigPath?: string
  context?: string
  /** Per-request timeout for non-streaming requests. */
  timeoutMs?: number
  /** Bounds of the transport's retries (tests shorten them). */
  retry?: TransportRetry
}

/** Connects to a kubeconfig context (no request is made until the first call). */
export async function connectCluster(opts: ConnectOptions = {}): Promise<KubeCluster> {
  const conn = await loadConnection({ path: opts.kubeconfigPath, context: opts.context })
  return new KubeCluster(new KubeTransport(conn, opts.retry), opts.timeoutMs ?? 30_000)
}

/** The live cluster over its API server. */
export class KubeCluster implements Cluster {
  private surface?: Promise<ApiSurface>
  private serverVersion?: Promise<ServerVersion>
  /** SelfSubjectRulesReview answers by namespace, with when each was asked. */
  private readonly rules = new Map<
    string,
    { at: number; rules: Promise<ResourceRule[] | undefined> }
  >()

  constructor(
    readonly transport: KubeTransport,
    private readonly timeoutMs: number
  ) {}

  get context(): string {
    return this.transport.conn.context
  }
  get server(): string {
    return this.transport.conn.server
  }
  get defaultNamespace(): string | undefined {
    return this.transport.conn.namespace
  }
  /** Requests sent so far. */
  get requestCount(): number {
    return this.transport.requests
  }
  /** Requests sent again after a retryable failure (429, 5xx, reset, timeout, malformed answer). */
  get retryCount(): number {
    return this.transport.retries
  }

  /** Releases keep-alive sockets. */
  close(): void {
    this.transport.close()
  }

  private req<T>(opts: RequestOptions): Promise<T> {
    return this.transport.json<T>({ timeoutMs: this.timeoutMs, ...opts })
  }

  version(): Promise<ServerVersion> {
    this.serverVersion ??= this.req<{ gitVersion: string; major: string; minor: string }>({
      path: '/version'
    }).then(v => ({
      gitVersion: v.gitVersion,
      major: parseInt(v.major, 10),
      minor: parseInt(v.minor, 10)
    }))
    this.serverVersion.catch(() => (this.serverVersion = undefined))
    return this.serverVersion
  }

  discover(): Promise<ApiSurface> {
    this.surface ??= discoverApi(this.transport)
    this.surface.catch(() => (this.surface = undefined))
    return this.surface
  }

  /** Forgets the cached discovery (after a CRD was installed). */
  invalidateDiscovery(): void {
    this.surface = undefined
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const { group, version } = splitApiVersion(apiVersion)
    const find = (s: ApiSurface): ResourceInfo | undefined =>
      s.resources.find(r => r.group === group && r.version === version && r.kind === kind)
    const hit = find(await this.discover())
    if (hit) return hit
    // A CRD may have been established since discovery was cached.
    this.invalidateDiscovery()
    return find(await this.discover())
  }

  private async info(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const r = await this.resourceFor(apiVersion, kind)
    if (!r)
      throw new KubeApiError(
        `the cluster does not serve ${kind} in ${apiVersion} (no such resource in discovery)`,
        404,
        'NotServed'
      )
    return r
  }

  private collectionPath(r: ResourceInfo, namespace?: string): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
    if (r.namespaced && namespace)
      return `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`
    return `${base}/${r.resource}`
  }

  private objectPath(r: ResourceInfo, name: string, namespace?: string): string {
    if (r.namespaced && !namespace)
      throw new UsageError(`${r.kind} ${name} is namespaced but no namespace was given`)
    return `${this.collectionPath(r, namespace)}/${encodeURIComponent(name)}`
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const r = await this.info(ref.apiVersion, ref.kind)
    try {
      return await this.req<KubeObject>({ path: this.objectPath(r, ref.name, ref.namespace) })
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined
      throw err
    }
  }

  async list(
    apiVersion: string,
    kind: string,
    opts: ListOptions = {}
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const r = await this.info(apiVersion, kind)
    const items: KubeObject[] = []
    let cont: string | undefined
    let resourceVersion: string
    do {
      const page = await this.req<{
        items: KubeObject[]
        metadata: { resourceVersion: string; continue?: string }
      }>({
        path: this.collectionPath(r, opts.namespace),
        query: {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.limit ?? 500,
          continue: cont
        }
      })
      // Lists omit apiVersion/kind on items; put them back so objects are self-describing.
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind })
      resourceVersion = page.metadata.resourceVersion
      cont = page.metadata.continue || undefined
    } while (cont && (!opts.limit || items.length < opts.limit))
    return { items, resourceVersion }
  }

  async watch(
    apiVersion: string,
    kind: string,
    opts: WatchOptions,
    onEvent: (event: WatchEvent) => void
  ): Promise<void> {
    const r = await this.info(apiVersion, kind)
    await this.transport.stream(
      {
        path: this.collectionPath(r, opts.namespace),
        query: {
          watch: 1,
          resourceVersion: opts.resourceVersion,
          allowWatchBookmarks: opts.allowBookmarks ?? true,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          timeoutSeconds: opts.timeoutSeconds ?? 300
        },
        signal: opts.signal
      },
      line => {
        let ev: WatchEvent
        try {
          ev = JSON.parse(line) as WatchEvent
        } catch {
          throw new KubeApiError(
            `malformed watch event: ${line.slice(0, 120)}`,
            0,
            'MalformedResponse',
            undefined,
            true
          )
        }
        if (ev.type === 'ERROR') {
          const status = ev.object as unknown as {
            code?: number
            message?: string
            reason?: string
          }
          throw new KubeApiError(status.message ?? 'watch error', status.code ?? 500, status.reason)
        }
        if (ev.object && ev.type !== 'BOOKMARK') {
          ev.object.apiVersion ??= apiVersion
          ev.object.kind ??= kind
        }
        onEvent(ev)
      }
    )
  }

  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    const r = await this.info(obj.apiVersion, obj.kind)
    return this.req<KubeObject>({
      method: 'PATCH',
      path: this.objectPath(r, obj.metadata.name, obj.metadata.namespace),
      query: {
        fieldManager: opts.fieldManager ?? FIELD_MANAGER,
        // Never forced silently: a field another manager owns is a conflict the plan decides on.
        force: opts.force === true ? true : undefined,
        dryRun: opts.dryRun ? 'All' : undefined,
        fieldValidation: FIELD_VALIDATION
      },
      contentType: 'application/apply-patch+yaml',
      body: obj,
      onWarnings: opts.onWarnings
    })
  }

  async create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const r = await this.info(obj.apiVersion, obj.kind)
    return this.req<KubeObject>({
      method: 'POST',
      path: this.collectionPath(r, obj.metadata?.namespace),
      query: {
        dryRun: opts.dryRun ? 'All' : undefined,
        fieldManager: FIELD_MANAGER,
        fieldValidation: FIELD_VALIDATION
      },
      body: obj,
      // A dry-run create changes nothing; a real one must not be sent twice.
      idempotent: opts.dryRun === true
    })
  }

  async replace(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const r = await this.info(obj.apiVersion, obj.kind)
    return this.req<KubeObject>({
      method: 'PUT',
      path: this.objectPath(r, obj.metadata.name, obj.metadata.namespace),
      query: {
        dryRun: opts.dryRun ? 'All' : undefined,
        fieldManager: FIELD_MANAGER,
        fieldValidation: FIELD_VALIDATION
      },
      body: obj
    })
  }

  async mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    opts: { dryRun?: boolean; subresource?: string } = {}
  ): Promise<KubeObject> {
    const r = await this.info(ref.apiVersion, ref.kind)
    const path =
      this.objectPath(r, ref.name, ref.namespace) + (opts.subresource ? `/${opts.subresource}` : '')
    return this.req<KubeObject>({
      method: 'PATCH',
      path,
      query: {
        dryRun: opts.dryRun ? 'All' : undefined,
        fieldManager: FIELD_MANAGER,
        fieldValidation: FIELD_VALIDATION
      },
      contentType: 'application/merge-patch+json',
      body: patch
    })
  }

  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<KubeObject | undefined> {
    const r = await this.info(ref.apiVersion, ref.kind)
    try {
      return await this.req<KubeObject>({
        method: 'DELETE',
        path: this.objectPath(r, ref.name, ref.namespace),
        query: { dryRun: opts.dryRun ? 'All' : undefined },
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: opts.propagationPolicy ?? 'Background',
          gracePeriodSeconds: opts.gracePeriodSeconds,
          // With a body the apiserver reads DeleteOptions from it and ignores the
          // query's dryRun: without this a "dry run" deletes for real.
          dryRun: opts.dryRun ? ['All'] : undefined
        }
      })
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined
      throw err
    }
  }

  /**
   * A right in a namespace the caller's listed rules grant is allowed without
   * a request of its own (one SelfSubjectRulesReview per namespace, not one
   * SelfSubjectAccessReview per right); anything else, and every cluster-wide
   * right, is asked with a SelfSubjectAccessReview, whose answer stands.
   */
  async accessReview(attrs: AccessAttributes): Promise<AccessDecision> {
    if (attrs.namespace) {
      const rules = await this.rulesIn(attrs.namespace)
      if (rules && rulesAllow(rules, attrs))
        return {
          allowed: true,
          reason: `granted by the rules a SelfSubjectRulesReview lists in namespace ${attrs.namespace}`
        }
    }
    return this.subjectAccessReview(attrs)
  }

  // Rules change rarely, but a long-lived client (a soak, a fleet run) asks again after this long.
  private static readonly RULES_TTL_MS = 10_000

  /** The caller's complete rules in a namespace, or undefined when the server cannot list them completely. */
  private rulesIn(namespace: string): Promise<ResourceRule[] | undefined> {
    const cached = this.rules.get(namespace)
    if (cached && Date.now() - cached.at < KubeCluster.RULES_TTL_MS) return cached.rules
    const rules = this.req<{ status?: unknown }>({
      method: 'POST',
      idempotent: true,
      path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace }
      }
    }).then(
      review => completeRules(review.status),
      // Not served or not allowed: every right is asked on its own, as before.
      () => undefined
    )
    this.rules.set(namespace, { at: Date.now(), rules })
    return rules
  }

  /** One SelfSubjectAccessReview. */
  async subjectAccessReview(attrs: AccessAttributes): Promise<AccessDecision> {
    const review = await this.req<{ status?: AccessDecision }>({
      method: 'POST',
      idempotent: true,
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: attrs }
      }
    })
    return { allowed: false, ...review.status }
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
    const res = await this.transport.request({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: {
        container: opts.container,
        tailLines: opts.tailLines,
        previous: opts.previous || undefined
      },
      accept: '*/*',
      timeoutMs: this.timeoutMs
    })
    return res.body
  }

  async proxy(req: ProxyRequest): Promise<HttpResult> {
    const started = Date.now()
    const svc = `${req.scheme ? `${req.scheme}:` : ''}${req.service}:${req.port}`
    const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/services/${encodeURIComponent(svc)}/proxy${req.path.startsWith('/') ? '' : '/'}${req.path}`
    try {
      const res = await this.transport.request({
        method: req.method ?? 'GET',
        path,
        body: req.body,
        accept: '*/*',
        timeoutMs: req.timeoutMs ?? this.timeoutMs,
        // The workload's answer is what the check judges, 5xx included.
        noRetry: true
      })
      return {
        status: res.status,
        headers: flatHeaders(res.headers),
        body: res.body,
        durationMs: Date.now() - started
      }
    } catch (err) {
      // A non-2xx answer is still an answer the check judges.
      if (err instanceof KubeApiError && !err.transport && err.status > 0)
        return {
          status: err.status,
          headers: {},
          body: err.message,
          durationMs: Date.now() - started
        }
      throw err
    }
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

/**
 * True when a failed request says nothing about the objects or the plan: no
 * answer, the credentials refused, the server shedding load (429) or failing
 * (5xx, except an admission webhook's refusal, which is the cluster's answer).
 */
export function isInfraFailure(err: unknown): boolean {
  return (
    err instanceof KubeApiError &&
    (err.reason === 'MalformedResponse' || isInfraStatus(err.status, err.message, err.transport))
  )
}

/**
 * The same judgement from a status and message: status 0 means no answer
 * arrived, and a failure under a 2xx status is an answer that was not the
 * API's (an HTML page from a proxy, a body cut short).
 */
export function isInfraStatus(
  status: number | undefined,
  message = '',
  transport = false
): boolean {
  if (transport || status === 0) return true
  if (status === undefined) return false
  if (status >= 200 && status < 300) return true
  if (status === 401 || status === 429) return true
  return status >= 500 && !/webhook/.test(message) && !isSchemaRejection(message)
}

/** Turns a transport failure into the "could not check" error a gate reports (exit 3). */
export function asInfraError(
  err: unknown,
  cluster: Pick<Cluster, 'context' | 'server'>
): InfraError | undefined {
  if (err instanceof KubeApiError && isInfraFailure(err)) {
    const hint =
      err.status === 401
        ? `the credentials of context "${cluster.context}" were rejected; refresh the token or kubeconfig`
        : err.transport && isTlsFailure(err.reason)
          ? `the certificate of ${cluster.server} does not verify against the CA of context "${cluster.context}": fix certificate-authority(-data) or tls-server-name of its cluster in the kubeconfig`
          : err.transport && /through proxy-url /.test(err.message)
            ? `check the proxy-url of the cluster in the kubeconfig: the proxy must be up and allow CONNECT to ${cluster.server}`
            : err.transport && err.reason === 'ETIMEDOUT'
              ? `${cluster.server} accepted the connection but never answered (a black hole: a dead load balancer, a firewall or a stuck proxy); check the server address and what sits in front of it`
              : err.status === 429
                ? `the API server ${cluster.server} is shedding load (429, Retry-After honoured); re-run when it is less busy`
                : `check that ${cluster.server} is up and reachable from this runner`
    return new InfraError(err.message, hint)
  }
  return undefined
}

/** `Kind ns/name` of a ref, re-exported for callers that only import the client. */
export { describeRef }
