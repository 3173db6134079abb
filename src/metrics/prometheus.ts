/**
 * The Prometheus client behind the `Metrics` seam: instant queries against
 * `/api/v1/query`, directly (bearer token, basic auth, a CA bundle) or through
 * the API server's service proxy, retried with bounded backoff and jitter
 * (honouring Retry-After). Answers are parsed strictly: NaN and ±Inf are kept
 * as numbers for the judge to decide on, a rejected query is a PromQLError
 * (the plan is wrong), and a server that cannot be asked is a
 * MetricsUnavailableError.
 */

import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import {
  PhaseTimeoutError,
  ProxyError,
  TunnelAgent,
  phaseTimeouts,
  proxyFromEnv,
  routedRequest
} from '../core/net.js'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { systemClock, type Clock } from '../core/clock.js'
import { UsageError, errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import {
  RetryError,
  parseRetryAfter,
  withRetry,
  type RetryDecision,
  type RetryOptions
} from '../core/retry.js'
import { redact, registerSecret } from '../core/secrets.js'
import type { Cluster } from '../kube/types.js'
import type { PrometheusSpec } from '../plan/types.js'
import {
  MetricsUnavailableError,
  type LoadedRule,
  type MetricSample,
  type Metrics
} from './types.js'
import { isRecord } from '../core/fields.js'

/** One request to the Prometheus HTTP API. */
export interface PromRequest {
  /** API path, e.g. `/api/v1/query`. */
  path: string
  params: Record<string, string>
  timeoutMs: number
  signal?: AbortSignal
}

/** The raw answer: any status, the body as text. */
export interface PromResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** How requests reach Prometheus; throws only when no answer arrived. */
export type PromTransport = (req: PromRequest) => Promise<PromResponse>

/** Prometheus rejected the query itself (HTTP 400/422): a mistake in the plan, never retried. */
export class PromQLError extends Error {
  constructor(
    message: string,
    readonly query: string,
    readonly errorType?: string
  ) {
    super(message)
    this.name = 'PromQLError'
  }
}

/** Options of the client. */
export interface PrometheusOptions {
  /** The URL shown in reports (never with credentials). */
  url: string
  transport: PromTransport
  clock?: Clock
  log?: Logger
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number
  retry?: Pick<
    RetryOptions<unknown>,
    'maxRetries' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'random'
  >
}

// Statuses a healthy Prometheus (or the proxy in front of it) answers while busy or restarting.
const RETRY_STATUSES = new Set([429, 502, 503, 504])

/** A Prometheus-compatible query API. */
export class PrometheusClient implements Metrics {
  readonly url: string
  private readonly clock: Clock
  /** Retries spent by the last query (for reports). */
  lastRetries = 0

  constructor(private readonly opts: PrometheusOptions) {
    this.url = opts.url
    this.clock = opts.clock ?? systemClock
  }

  /** Instant query; [] means no data. */
  async query(
    promql: string,
    opts: { time?: number; signal?: AbortSignal } = {}
  ): Promise<MetricSample[]> {
    const params: Record<string, string> = { query: promql }
    if (opts.time !== undefined) params.time = String(opts.time)
    const timeoutMs = this.opts.timeoutMs ?? 10_000
    let answer: PromResponse
    try {
      const r = await withRetry(
        () =>
          this.opts.transport({ path: '/api/v1/query', params, timeoutMs, signal: opts.signal }),
        {
          maxRetries: 2,
          baseDelayMs: 200,
          maxDelayMs: 2000,
          maxRetryAfterMs: 10_000,
          ...this.opts.retry,
          clock: this.clock,
          signal: opts.signal,
          retryResult: (res): RetryDecision | undefined =>
            RETRY_STATUSES.has(res.status)
              ? {
                  reason: `HTTP ${res.status}`,
                  retryAfterMs: parseRetryAfter(res.headers['retry-after'], this.clock.now())
                }
              : undefined,
          retryError: err => (opts.signal?.aborted ? undefined : { reason: errorMessage(err) }),
          onRetry: i =>
            this.opts.log?.debug(
              `prometheus ${this.url}: retry ${i.retry} in ${i.delayMs} ms (${i.reason})`
            )
        }
      )
      answer = r.value
      this.lastRetries = r.retries
      if (r.exhausted)
        throw new MetricsUnavailableError(
          `Prometheus at ${this.url} answered HTTP ${answer.status} (after ${r.retries} ${r.retries === 1 ? 'retry' : 'retries'})`,
          answer.status
        )
    } catch (err) {
      if (opts.signal?.aborted || err instanceof MetricsUnavailableError) throw err
      const retries = err instanceof RetryError ? err.retries : 0
      this.lastRetries = retries
      const cause = err instanceof RetryError ? err.cause : err
      throw new MetricsUnavailableError(
        redact(
          `cannot reach Prometheus at ${this.url}: ${errorMessage(cause)}${retries ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : ''}`
        )
      )
    }
    return parseAnswer(answer, promql, this.url)
  }

  /** The rules Prometheus has loaded (`/api/v1/rules`), retried like a query. */
  async rules(opts: { signal?: AbortSignal } = {}): Promise<LoadedRule[]> {
    const timeoutMs = this.opts.timeoutMs ?? 10_000
    let res: PromResponse
    try {
      const r = await withRetry(
        () =>
          this.opts.transport({
            path: '/api/v1/rules',
            params: {},
            timeoutMs,
            signal: opts.signal
          }),
        {
          maxRetries: 2,
          baseDelayMs: 200,
          maxDelayMs: 2000,
          ...this.opts.retry,
          clock: this.clock,
          signal: opts.signal,
          retryResult: x =>
            RETRY_STATUSES.has(x.status) ? { reason: `HTTP ${x.status}` } : undefined,
          retryError: err => (opts.signal?.aborted ? undefined : { reason: errorMessage(err) })
        }
      )
      res = r.value
    } catch (err) {
      if (opts.signal?.aborted) throw err
      const cause = err instanceof RetryError ? err.cause : err
      throw new MetricsUnavailableError(
        redact(`cannot reach Prometheus at ${this.url}: ${errorMessage(cause)}`)
      )
    }
    return parseRulesAnswer(res, this.url)
  }
}

/** Parses an answer of `/api/v1/rules` into the rules it lists. */
export function parseRulesAnswer(res: PromResponse, url = 'Prometheus'): LoadedRule[] {
  if (res.status < 200 || res.status >= 300)
    throw new MetricsUnavailableError(
      `Prometheus at ${url} answered HTTP ${res.status} to /api/v1/rules`,
      res.status
    )
  let body: unknown
  try {
    body = JSON.parse(res.body)
  } catch {
    body = undefined
  }
  const data =
    isRecord(body) && body.status === 'success' && isRecord(body.data) ? body.data : undefined
  if (!data || !Array.isArray(data.groups))
    throw new MetricsUnavailableError(
      `Prometheus at ${url} answered /api/v1/rules with no rule groups`
    )
  const out: LoadedRule[] = []
  for (const g of data.groups) {
    if (!isRecord(g) || !Array.isArray(g.rules)) continue
    for (const r of g.rules) {
      if (!isRecord(r) || typeof r.name !== 'string') continue
      out.push({
        name: r.name,
        type: r.type === 'recording' ? 'recording' : 'alerting',
        group: typeof g.name === 'string' ? g.name : '',
        file: typeof g.file === 'string' ? g.file : undefined,
        health: typeof r.health === 'string' ? r.health : undefined,
        lastError: typeof r.lastError === 'string' && r.lastError ? r.lastError : undefined,
        state: typeof r.state === 'string' ? r.state : undefined,
        query: typeof r.query === 'string' ? r.query : undefined
      })
    }
  }
  return out
}

/** Parses an answer of `/api/v1/query` into samples (throws PromQLError / MetricsUnavailableError). */
export function parseAnswer(res: PromResponse, promql: string, url = 'Prometheus'): MetricSample[] {
  let json: unknown
  try {
    json = JSON.parse(res.body)
  } catch {
    json = undefined
  }
  const body = isRecord(json) ? json : undefined
  if (res.status === 400 || res.status === 422) {
    const why = typeof body?.error === 'string' ? body.error : res.body.slice(0, 300)
    throw new PromQLError(
      `Prometheus rejected the query ${promql}: ${why}`,
      promql,
      typeof body?.errorType === 'string' ? body.errorType : undefined
    )
  }
  if (res.status === 401 || res.status === 403) {
    throw new MetricsUnavailableError(
      `Prometheus at ${url} refused the request (HTTP ${res.status}): check the bearer token or basic auth settings`,
      res.status
    )
  }
  if (res.status < 200 || res.status >= 300) {
    const why = typeof body?.error === 'string' ? `: ${body.error}` : ''
    throw new MetricsUnavailableError(
      `Prometheus at ${url} answered HTTP ${res.status}${why}`,
      res.status
    )
  }
  if (!body || body.status !== 'success' || !isRecord(body.data)) {
    // Name what came instead (a proxy's HTML page, a body cut short), so the report says what failed.
    const why =
      typeof body?.error === 'string'
        ? body.error
        : `something that is not a Prometheus API answer (HTTP ${res.status}, content-type ${res.headers['content-type'] ?? 'none'}): ${redact(res.body.replace(/\s+/g, ' ').slice(0, 120))}`
    throw new MetricsUnavailableError(`Prometheus at ${url} answered ${why}`, res.status)
  }
  const { resultType, result } = body.data as { resultType?: unknown; result?: unknown }
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) throw malformed(url)
      return result.map(item => {
        if (!isRecord(item) || !Array.isArray(item.value)) throw malformed(url)
        return {
          labels: stringRecord(item.metric),
          timestamp: Number(item.value[0]),
          value: parseSampleValue(item.value[1])
        }
      })
    case 'scalar':
      if (!Array.isArray(result)) throw malformed(url)
      return [{ labels: {}, timestamp: Number(result[0]), value: parseSampleValue(result[1]) }]
    case 'matrix':
      throw new PromQLError(
        `the query ${promql} gives a range vector; an instant value is needed: wrap the selector in a function such as rate(...) or last_over_time(...)`,
        promql,
        'range-vector'
      )
    default:
      throw new PromQLError(
        `the query ${promql} gives a ${String(resultType)}, not a number`,
        promql,
        'result-type'
      )
  }
}

/** A sample value as Prometheus writes it ("1.5", "NaN", "+Inf", "-Inf") as a number. */
export function parseSampleValue(text: unknown): number {
  if (text === 'NaN') return Number.NaN
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY
  if (text === '-Inf') return Number.NEGATIVE_INFINITY
  if (typeof text !== 'string' || text.trim() === '')
    throw new Error(`not a sample value: ${String(text)}`)
  const n = Number(text)
  if (Number.isNaN(n)) throw new Error(`not a sample value: ${text}`)
  return n
}

/** The query with `{{track}}` (spaces allowed inside the braces) replaced by the track. */
export function withTrack(query: string, track: string): string {
  return query.replace(/\{\{\s*track\s*\}\}/g, track)
}

/** True when the query names a track. */
export function hasTrack(query: string): boolean {
  return /\{\{\s*track\s*\}\}/.test(query)
}

function malformed(url: string): MetricsUnavailableError {
  return new MetricsUnavailableError(`Prometheus at ${url} answered a malformed result`)
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Direct HTTP(S) to a Prometheus base URL, with extra headers and an optional CA bundle. */
export function httpTransport(opts: {
  url: string
  headers?: Record<string, string>
  ca?: string
  env?: NodeJS.ProcessEnv
}): PromTransport {
  const base = new URL(opts.url)
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them.
  const proxy = proxyFromEnv(base, opts.env)
  const tlsOpts = { keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) }
  const agent =
    base.protocol === 'https:'
      ? proxy
        ? new TunnelAgent(proxy, tlsOpts, phaseTimeouts(10_000))
        : new https.Agent({
            ...tlsOpts,
            // One TLS context for this server, not one per socket.
            secureContext: tls.createSecureContext(opts.ca ? { ca: opts.ca } : {})
          })
      : proxy
        ? undefined
        : new http.Agent({ keepAlive: true })
  return req =>
    new Promise((resolvePromise, reject) => {
      const url = new URL(base.href.replace(/\/+$/, '') + req.path)
      for (const [k, v] of Object.entries(req.params)) url.searchParams.set(k, v)
      const r = routedRequest(
        { target: url, proxy },
        {
          method: 'GET',
          agent,
          path: `${url.pathname}${url.search}`,
          headers: { Accept: 'application/json', 'User-Agent': 'phase-gate', ...opts.headers },
          signal: req.signal
        },
        phaseTimeouts(req.timeoutMs),
        `Prometheus ${base.origin}`
      )
      r.on('response', res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
          resolvePromise({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        })
      })
      r.on('error', err => reject(describeTransportError(err, opts.url)))
      r.end()
    })
}

function describeTransportError(err: Error & { code?: string }, url: string): Error {
  if (err.name === 'AbortError') return err
  if (err instanceof PhaseTimeoutError || err instanceof ProxyError) return new Error(err.message)
  const code = err.code ?? ''
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return new Error(
      `TLS with ${url} failed (${code}): set the CA bundle (prometheus.caFile) that signed its certificate`
    )
  if (code === 'ECONNREFUSED') return new Error('connection refused')
  if (code === 'ECONNRESET') return new Error('connection reset')
  if (code === 'ENOTFOUND') return new Error('host not found')
  return new Error(err.message)
}

/** Through the API server's service proxy (`namespace/service:port`). */
export function serviceProxyTransport(
  cluster: () => Promise<Pick<Cluster, 'proxy'>>,
  target: string
): PromTransport {
  const m = /^([^/]+)\/([^:]+):(.+)$/.exec(target)
  if (!m) throw new UsageError(`prometheus.serviceProxy "${target}" is not namespace/service:port`)
  const [, namespace, service, port] = m
  return async req => {
    const qs = new URLSearchParams(req.params).toString()
    const c = await cluster()
    // A non-2xx answer comes back as a result; only a transport failure throws.
    const res = await c.proxy({
      namespace,
      service,
      port,
      path: `${req.path}?${qs}`,
      timeoutMs: req.timeoutMs
    })
    return { status: res.status, headers: res.headers, body: res.body }
  }
}

/** Where the plan's Prometheus comes from: `rollout.metrics.prometheus`, else the top-level `prometheus`. */
export function planPrometheus(plan: {
  prometheus?: string | PrometheusSpec
  rollout?: { metrics?: { prometheus?: unknown } }
}): string | PrometheusSpec | undefined {
  const fromRollout = plan.rollout?.metrics?.prometheus as string | PrometheusSpec | undefined
  return fromRollout ?? plan.prometheus
}

/** Everything createPrometheus needs besides the spec. */
export interface CreatePrometheusOptions {
  /** Environment the credential variables are read from; default process.env. */
  env?: Record<string, string | undefined>
  /** Directory a relative caFile resolves against (the plan's directory). */
  baseDir?: string
  /** The cluster, for `serviceProxy`. */
  cluster?: () => Promise<Pick<Cluster, 'proxy'>>
  clock?: Clock
  log?: Logger
  timeoutMs?: number
  retry?: PrometheusOptions['retry']
  /** Replaces the transport (tests). */
  transport?: PromTransport
}

/** A client for a plan's Prometheus setting; credentials from the environment, registered as secrets. */
export function createPrometheus(
  spec: string | PrometheusSpec,
  opts: CreatePrometheusOptions = {}
): PrometheusClient {
  const s: PrometheusSpec = typeof spec === 'string' ? { url: spec } : spec
  const env = opts.env ?? process.env
  const need = (name: string, what: string): string => {
    const v = env[name]
    if (!v) throw new UsageError(`${what}: the environment variable ${name} is not set`)
    registerSecret(v)
    return v
  }
  const headers: Record<string, string> = {}
  if (s.bearerTokenEnv)
    headers.Authorization = `Bearer ${need(s.bearerTokenEnv, 'prometheus.bearerTokenEnv')}`
  if (s.basicAuth) {
    const user = need(s.basicAuth.usernameEnv, 'prometheus.basicAuth.usernameEnv')
    const pass = need(s.basicAuth.passwordEnv, 'prometheus.basicAuth.passwordEnv')
    const token = Buffer.from(`${user}:${pass}`).toString('base64')
    registerSecret(token)
    headers.Authorization = `Basic ${token}`
  }
  let ca: string | undefined
  if (s.caFile) {
    const path = isAbsolute(s.caFile) ? s.caFile : resolve(opts.baseDir ?? '.', s.caFile)
    try {
      ca = readFileSync(path, 'utf8')
    } catch (err) {
      throw new UsageError(`prometheus.caFile ${s.caFile} cannot be read: ${errorMessage(err)}`)
    }
  }
  let transport = opts.transport
  let shown = s.url
  if (!transport) {
    if (s.serviceProxy) {
      if (!opts.cluster) throw new UsageError('prometheus.serviceProxy needs a cluster connection')
      transport = serviceProxyTransport(opts.cluster, s.serviceProxy)
      shown = `service proxy ${s.serviceProxy}`
    } else transport = httpTransport({ url: s.url, headers, ca, env })
  }
  return new PrometheusClient({
    url: stripCredentials(shown),
    transport,
    clock: opts.clock,
    log: opts.log,
    timeoutMs: opts.timeoutMs,
    retry: opts.retry
  })
}

function stripCredentials(url: string): string {
  try {
    const u = new URL(url)
    if (u.username || u.password) {
      registerSecret(decodeURIComponent(u.password))
      u.username = ''
      u.password = ''
    }
    return u.href.replace(/\/$/, '')
  } catch {
    return url
  }
}
