/**
 * The HTTP transport to one API server: keep-alive connections, TLS from the
 * kubeconfig, auth headers per request, Kubernetes `Status` errors turned into
 * KubeApiError, newline-delimited streams for watches, and bounded retries
 * (exponential backoff with jitter, honouring Retry-After) of requests that
 * are safe to repeat.
 */

import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import { KubeApiError } from './types.js'
import { redact } from '../core/secrets.js'
import { systemClock, type Clock } from '../core/clock.js'
import { RetryError, parseRetryAfter, withRetry, type RetryDecision } from '../core/retry.js'
import type { Connection } from './kubeconfig.js'
import { H2Connections, type OpenedResponse } from './http2.js'
import {
  PhaseTimeoutError,
  ProxyError,
  TunnelAgent,
  phaseTimeouts,
  routedRequest,
  type Route
} from '../core/net.js'

/** Overall bound of a request without its own timeout (its retries included, backoff not). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export interface RequestOptions {
  method?: string
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  contentType?: string
  accept?: string
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * Whether repeating the request cannot change its effect. Default: true for
   * GET, HEAD, PUT, DELETE and PATCH (server-side apply and merge patches give
   * the same result twice), false for POST (a create); a POST that only asks
   * (a SelfSubjectAccessReview, a dry run) sets it.
   */
  idempotent?: boolean
  /** Retry only when no answer arrived: any answer is judged as it is (a request proxied to a workload). */
  noRetry?: boolean
  /** Receives the texts of the answer's `Warning:` headers (deprecated APIs, unknown fields, ...). */
  onWarnings?: (warnings: string[]) => void
}

/** The texts of `Warning: 299 - "text"` response headers (RFC 7234 format the apiserver uses). */
export function warningTexts(headers: http.IncomingHttpHeaders): string[] {
  const raw = headers.warning
  if (raw === undefined) return []
  const out: string[] = []
  for (const h of Array.isArray(raw) ? raw : [raw]) {
    const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g
    let m: RegExpExecArray | null
    let any = false
    while ((m = re.exec(h)) !== null) {
      any = true
      out.push(m[1].replace(/\\(.)/g, '$1'))
    }
    if (!any && h.trim()) out.push(h.trim())
  }
  return out
}

/** Bounds of the transport's retries. */
export interface TransportRetry {
  /** Retries after the first attempt; default 4. */
  maxRetries?: number
  /** First backoff, doubling with jitter; default 250 ms. */
  baseDelayMs?: number
  /** Cap on a computed backoff; default 5 s. */
  maxDelayMs?: number
  /** Longest Retry-After honoured; a server asking for more gets its answer reported. Default 30 s. */
  maxRetryAfterMs?: number
  clock?: Clock
  random?: () => number
}

// Answers a healthy apiserver (or a proxy in front of it) gives while busy or restarting.
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])

/** Why a failed request may be sent again, or undefined when its answer stands. */
export function retryDecision(err: unknown, idempotent: boolean): RetryDecision | undefined {
  if (!(err instanceof KubeApiError)) return undefined
  const retryAfterMs = (err as KubeApiError & { retryAfterMs?: number }).retryAfterMs
  // A 429 from the apiserver's priority and fairness means the request was not served: safe for any method.
  if (err.status === 429)
    return { reason: `HTTP 429${err.reason ? ` ${err.reason}` : ''}`, retryAfterMs }
  // A refused connection never reached the server.
  if (err.transport && err.reason === 'ECONNREFUSED') return { reason: 'connection refused' }
  if (!idempotent) return undefined
  // A certificate the CA does not vouch for will not change on the next attempt.
  if (err.transport && isTlsFailure(err.reason)) return undefined
  if (err.transport) return { reason: err.reason ?? 'transport error' }
  // Server-side apply answers a field its schema lacks with a 500 (strict field validation): the manifest's fault, not the server's.
  if (isSchemaRejection(err.message)) return undefined
  if (RETRY_STATUSES.has(err.status))
    return { reason: `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}`, retryAfterMs }
  // A body cut short or an HTML page from a proxy: the next attempt may get the real answer.
  if (err.reason === 'MalformedResponse') return { reason: 'malformed answer' }
  return undefined
}

/** True when the message says the object does not fit its schema (answered as 500 by server-side apply). */
export function isSchemaRejection(message: string): boolean {
  return /failed to create typed patch object|field not declared in schema/.test(message)
}

// The phases of a request before the server has said anything at all (src/core/net.ts names them).
const CONNECTION_PHASES = new Set(['the TCP connection', 'the TLS handshake'])

/** True for a timeout before the connection was made: the server (or what stands for it) is silent. */
export function isSilentConnection(err: unknown): boolean {
  return (
    err instanceof KubeApiError &&
    (err as KubeApiError & { silentConnection?: boolean }).silentConnection === true
  )
}

/** True for Node's TLS verification error codes (the server's certificate, not the network). */
export function isTlsFailure(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (/^(CERT_|ERR_TLS_CERT|ERR_SSL_)/.test(code) ||
      [
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        'UNABLE_TO_GET_ISSUER_CERT',
        'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        'SELF_SIGNED_CERT_IN_CHAIN',
        'DEPTH_ZERO_SELF_SIGNED_CERT'
      ].includes(code))
  )
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** One keep-alive transport to one API server: HTTP/2 where the server offers it, else HTTP/1.1. */
export class KubeTransport {
  private readonly agent: http.Agent | undefined
  /** HTTP/2 connections, for an https server reached without a proxy (unless DISABLE_HTTP2). */
  private readonly h2: H2Connections | undefined
  private readonly url: URL
  private readonly route: Route
  /** Set once a request ran out of time on every attempt: later requests fail at once instead of waiting again. */
  private blackHole: KubeApiError | undefined
  /** Requests sent, for benchmarks and the discovery round-trip count. */
  requests = 0
  /** Requests sent again after a retryable failure. */
  retries = 0

  constructor(
    readonly conn: Connection,
    private readonly retry: TransportRetry = {},
    /** HTTP/2 when the server offers it; default: unless DISABLE_HTTP2 is set (client-go's switch). */
    http2 = !process.env.DISABLE_HTTP2
  ) {
    this.url = new URL(conn.server)
    const proxy = conn.proxyUrl ? new URL(conn.proxyUrl) : undefined
    this.route = { target: this.url, proxy }
    const common = { keepAlive: true, maxSockets: 32, keepAliveMsecs: 10_000 }
    const tlsOpts = {
      ...common,
      ca: conn.ca,
      cert: conn.cert,
      key: conn.key,
      rejectUnauthorized: !conn.insecureSkipTlsVerify,
      servername: conn.tlsServerName
    }
    const connectBounds = phaseTimeouts(DEFAULT_REQUEST_TIMEOUT_MS)
    const direct = this.url.protocol === 'https:' && !proxy
    // One TLS context for every connection to this server: given only
    // ca/cert/key, Node builds a new one (parsing the CA) per socket.
    const secureContext = direct
      ? tls.createSecureContext({ ca: conn.ca, cert: conn.cert, key: conn.key })
      : undefined
    this.agent =
      this.url.protocol === 'https:'
        ? proxy
          ? new TunnelAgent(proxy, tlsOpts, connectBounds)
          : new https.Agent({ ...tlsOpts, secureContext })
        : proxy
          ? undefined
          : new http.Agent(common)
    this.h2 =
      direct && http2
        ? new H2Connections(
            this.url,
            {
              secureContext,
              rejectUnauthorized: !conn.insecureSkipTlsVerify,
              servername: conn.tlsServerName
            },
            `the API server ${conn.server}`
          )
        : undefined
  }

  /** Frees the keep-alive sockets so the process can exit. */
  close(): void {
    this.agent?.destroy()
    this.h2?.close()
  }

  private buildPath(path: string, query?: RequestOptions['query']): string {
    const base = this.url.pathname.replace(/\/+$/, '')
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v))
    const q = qs.toString()
    return `${base}${path}${q ? `?${q}` : ''}`
  }

  private async open(opts: RequestOptions): Promise<OpenedResponse> {
    const headers: Record<string, string> = {
      Accept: opts.accept ?? 'application/json',
      'User-Agent': 'phase-gate',
      ...(await this.conn.authHeaders())
    }
    let payload: string | undefined
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
      headers['Content-Type'] = opts.contentType ?? 'application/json'
      headers['Content-Length'] = String(Buffer.byteLength(payload))
    }
    this.requests++
    // A watch has no overall timeout, but its connection and handshake are still bounded.
    const bounds = phaseTimeouts(opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)
    if (!opts.timeoutMs) bounds.headersMs = bounds.bodyIdleMs = 2 ** 31 - 1
    const method = opts.method ?? 'GET'
    const path = this.buildPath(opts.path, opts.query)
    if (this.h2) {
      try {
        const res = await this.h2.request({
          method,
          path,
          headers,
          payload,
          signal: opts.signal,
          bounds
        })
        if (res) return res
      } catch (err) {
        throw this.transportError(err as Error, opts)
      }
    }
    return new Promise((resolve, reject) => {
      const req = routedRequest(
        this.route,
        { method, path, headers, agent: this.agent, signal: opts.signal },
        bounds,
        `the API server ${this.conn.server}`
      )
      req.once('response', res =>
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res })
      )
      req.on('error', err => reject(this.transportError(err, opts)))
      req.end(payload)
    })
  }

  private transportError(err: Error & { code?: string }, opts: RequestOptions): Error {
    if (err.name === 'AbortError') return err
    if (err instanceof ProxyError)
      return new KubeApiError(
        redact(
          `cannot reach the API server ${this.conn.server} (context "${this.conn.context}") through proxy-url ${err.proxy} for ${opts.method ?? 'GET'} ${opts.path}: ${err.message}`
        ),
        0,
        err.code,
        undefined,
        true
      )
    if (err instanceof PhaseTimeoutError) {
      const out = new KubeApiError(
        redact(
          `the API server ${this.conn.server} (context "${this.conn.context}") did not answer ${opts.method ?? 'GET'} ${opts.path}: ${err.message}`
        ),
        0,
        'ETIMEDOUT',
        undefined,
        true
      )
      return Object.assign(out, { silentConnection: CONNECTION_PHASES.has(err.phase) })
    }
    const what =
      err.code === 'ECONNREFUSED'
        ? 'connection refused'
        : err.code === 'ECONNRESET'
          ? 'connection reset'
          : err.code === 'ENOTFOUND'
            ? 'host not found'
            : err.message
    return new KubeApiError(
      redact(
        `cannot reach the API server ${this.conn.server} (context "${this.conn.context}") for ${opts.method ?? 'GET'} ${opts.path}: ${what}`
      ),
      0,
      err.code ?? 'TransportError',
      undefined,
      true
    )
  }

  /** Sends a request, again on a retryable failure, and parses its answer; the last error names the retries. */
  private async send<T>(opts: RequestOptions, parse: (res: RawResponse) => T): Promise<T> {
    const method = (opts.method ?? 'GET').toUpperCase()
    const idempotent = opts.idempotent ?? method !== 'POST'
    if (this.blackHole) throw this.blackHole
    const clock = this.retry.clock ?? systemClock
    // A server that never completes the connection (a black hole: no TCP accept or no TLS
    // handshake) is tried until one request timeout has passed, not once per attempt. A
    // slow or stalled answer on a working connection keeps its retries, each with the
    // whole timeout: that is a busy server, which the next attempt may find answering.
    const deadline = clock.now() + (opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)
    let silent = false
    // After a silent connection the next attempt gets only what is left of the deadline.
    const attempt = (): RequestOptions =>
      silent ? { ...opts, timeoutMs: Math.max(1, deadline - clock.now()) } : opts
    try {
      const r = await withRetry(
        async () => {
          const res = await this.once(attempt())
          const warnings = opts.onWarnings ? warningTexts(res.headers) : []
          if (warnings.length) opts.onWarnings?.(warnings)
          return parse(res)
        },
        {
          maxRetries: this.retry.maxRetries ?? 4,
          baseDelayMs: this.retry.baseDelayMs ?? 250,
          maxDelayMs: this.retry.maxDelayMs ?? 5000,
          maxRetryAfterMs: this.retry.maxRetryAfterMs ?? 30_000,
          clock,
          random: this.retry.random,
          signal: opts.signal,
          retryError: err => {
            if (opts.signal?.aborted) return undefined
            if (isSilentConnection(err)) {
              silent = true
              if (clock.now() >= deadline - 50) return undefined
            }
            if (opts.noRetry && !(err instanceof KubeApiError && err.transport)) return undefined
            return retryDecision(err, idempotent)
          },
          onRetry: () => void this.retries++
        }
      )
      return r.value
    } catch (err) {
      if (!(err instanceof RetryError)) throw this.remember(err)
      const cause = err.cause
      if (!(cause instanceof KubeApiError)) throw cause
      // The same error, saying how hard we tried, so a report names the fault and the retries.
      const out = new KubeApiError(
        `${cause.message} (after ${err.retries} ${err.retries === 1 ? 'retry' : 'retries'})`,
        cause.status,
        cause.reason,
        cause.details,
        cause.transport
      )
      Object.assign(out, { retries: err.retries, silentConnection: isSilentConnection(cause) })
      throw this.remember(out)
    }
  }

  /** A server found silent at the connection stays so for this run: later requests fail at once. */
  private remember(err: unknown): unknown {
    if (isSilentConnection(err)) this.blackHole = err as KubeApiError
    return err
  }

  /** A request whose whole body is read; non-2xx answers become KubeApiError. Retried when safe. */
  request(opts: RequestOptions): Promise<RawResponse> {
    return this.send(opts, res => res)
  }

  private async once(opts: RequestOptions): Promise<RawResponse> {
    const res = await this.open(opts)
    const chunks: Buffer[] = []
    try {
      for await (const c of res.body) chunks.push(c)
    } catch (err) {
      throw this.transportError(err as Error, opts)
    }
    const body = Buffer.concat(chunks).toString('utf8')
    const status = res.statusCode
    if (status < 200 || status >= 300) throw this.statusError(status, body, opts, res.headers)
    return { status, headers: res.headers, body }
  }

  /** A request answered with JSON; an answer that is not JSON is a MalformedResponse (retried like a fault). */
  json<T>(opts: RequestOptions): Promise<T> {
    return this.send(opts, res => parseJson<T>(res, opts))
  }

  /** A streaming request: calls onLine for each newline-delimited line until the stream ends. */
  async stream(opts: RequestOptions, onLine: (line: string) => void): Promise<void> {
    const res = await this.open(opts)
    const status = res.statusCode
    if (status < 200 || status >= 300) {
      const chunks: Buffer[] = []
      for await (const c of res.body) chunks.push(c)
      throw this.statusError(status, Buffer.concat(chunks).toString('utf8'), opts, res.headers)
    }
    let buf = ''
    try {
      for await (const chunk of res.body) {
        buf += chunk.toString('utf8')
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim()
          buf = buf.slice(nl + 1)
          if (line) onLine(line)
        }
      }
    } catch (err) {
      if (opts.signal?.aborted) return
      // An ERROR event (410 Gone, say) raised by onLine is the server's answer, not a transport fault.
      if (err instanceof KubeApiError) throw err
      throw this.transportError(err as Error, opts)
    }
    if (buf.trim()) onLine(buf.trim())
  }

  private statusError(
    status: number,
    body: string,
    opts: RequestOptions,
    headers: http.IncomingHttpHeaders
  ): KubeApiError {
    let message: string
    let reason: string | undefined
    let details: unknown
    try {
      const s = JSON.parse(body) as { message?: string; reason?: string; details?: unknown }
      message = s.message ?? ''
      reason = s.reason
      details = s.details
    } catch {
      const type = headers['content-type'] ?? 'none'
      message = `unexpected ${type} answer: ${body.replace(/\s+/g, ' ').slice(0, 200)}`
    }
    const retryAfter = headers['retry-after']
    const why = reason ?? http.STATUS_CODES[status]?.replace(/\s+/g, '')
    // A server or proxy fault is named by its status, whatever words came with it.
    const fault = (status === 429 || status >= 500) && message && !message.includes(String(status))
    const err = new KubeApiError(
      redact(
        message
          ? `${message}${fault ? ` (HTTP ${status}${why ? ` ${why}` : ''} for ${opts.method ?? 'GET'} ${opts.path})` : ''}`
          : `HTTP ${status} for ${opts.method ?? 'GET'} ${opts.path}`
      ),
      status,
      why,
      details
    )
    const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
    if (retryAfterMs !== undefined)
      Object.assign(err, { retryAfter: retryAfterMs / 1000, retryAfterMs })
    return err
  }
}

/** The JSON body of an answer, or a KubeApiError naming what came instead. */
export function parseJson<T>(res: RawResponse, opts: Pick<RequestOptions, 'method' | 'path'>): T {
  try {
    return JSON.parse(res.body) as T
  } catch {
    throw new KubeApiError(
      `the API server answered ${opts.method ?? 'GET'} ${opts.path} with something that is not JSON (content-type ${res.headers['content-type'] ?? 'none'}): ${redact(res.body.replace(/\s+/g, ' ').slice(0, 200))}`,
      res.status,
      'MalformedResponse'
    )
  }
}
