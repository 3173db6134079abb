/**
 * How the registry client reaches registries: one request with retries on
 * 429/5xx and transport errors, over node:http(s) with keep-alive agents
 * (a private CA bundle and proxies included), and transport errors in words.
 */

import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { type RetryDecision, parseRetryAfter, withRetry } from '../core/retry.js'
import { redact } from '../core/secrets.js'
import { ProxyError, TunnelAgent, phaseTimeouts, proxyFromEnv, routedRequest } from '../core/net.js'
import type { FoundCredential } from './credentials.js'
import type { ImageInspection, ImageStatus } from './types.js'

/** An answer's headers as the client reads them (a fetch `Headers` is one). */
export interface HeaderReader {
  get(name: string): string | null
}

/** The part of a fetch `Response` the client reads (a `Response` is one). */
export interface FetchAnswer {
  status: number
  headers: HeaderReader
  arrayBuffer(): Promise<ArrayBuffer>
  body?: { cancel(): Promise<void> } | null
}

/** The subset of `fetch` the client uses; tests provide their own. */
export type FetchLike = (
  url: string,
  init: {
    method: string
    headers: Record<string, string>
    signal?: AbortSignal
    body?: string
  }
) => Promise<FetchAnswer>

export const RETRY_STATUSES = new Set([429, 502, 503, 504])
export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000
export const MAX_BODY_BYTES = 8 * 1024 * 1024

export interface Answer {
  status: number
  headers: HeaderReader
  body: Buffer
}

/** Per-inspection tally of retries, and the credential actually sent. */
export interface Tally {
  retries: number
  signal?: AbortSignal
  credentialUsed?: FoundCredential
}

/** A definite outcome found mid-way (a token refused, a TLS failure), carried to `inspect`. */
export class InspectionFailure extends Error {
  constructor(
    readonly status: ImageStatus,
    message: string,
    readonly extra: Partial<ImageInspection> = {}
  ) {
    super(message)
    this.name = 'InspectionFailure'
  }
}

/** What a transport needs: the fetch to use, time, and retry bounds. */
export interface TransportOptions {
  fetchImpl: FetchLike
  clock: Clock
  timeoutMs: number
  maxRetries?: number
  baseDelayMs?: number
  maxRetryAfterMs?: number
  logger?: Logger
}

/** Sends requests for one client (its retries counted in each inspection's tally). */
export class Transport {
  constructor(private readonly opts: TransportOptions) {}

  // One request with retries on 429/5xx and transport errors; the whole body
  // is read inside the attempt so a response cut mid-way is retried too.
  async send(
    tally: Tally,
    url: string,
    headers: Record<string, string>,
    method = 'GET',
    body?: string
  ): Promise<Answer> {
    const host = new URL(url).host
    const result = await withRetry(
      async () => {
        const signals = [AbortSignal.timeout(this.opts.timeoutMs)]
        if (tally.signal) signals.push(tally.signal)
        const init: Parameters<FetchLike>[1] = { method, headers, signal: AbortSignal.any(signals) }
        if (body !== undefined) init.body = body
        const res = await this.opts.fetchImpl(url, init)
        const len = Number(res.headers.get('content-length'))
        if (len > MAX_BODY_BYTES) {
          await res.body?.cancel()
          return { status: res.status, headers: res.headers, body: Buffer.alloc(0) }
        }
        const buf = Buffer.from(await res.arrayBuffer())
        return { status: res.status, headers: res.headers, body: buf }
      },
      {
        maxRetries: this.opts.maxRetries ?? 3,
        baseDelayMs: this.opts.baseDelayMs ?? 250,
        maxDelayMs: 4000,
        maxRetryAfterMs: this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
        clock: this.opts.clock,
        signal: tally.signal,
        retryResult: (a: Answer): RetryDecision | undefined =>
          RETRY_STATUSES.has(a.status)
            ? {
                reason: `${a.status} from ${host}`,
                retryAfterMs: parseRetryAfter(a.headers.get('retry-after'), this.opts.clock.now())
              }
            : undefined,
        retryError: err => {
          if (tally.signal?.aborted) return undefined
          const f = transportFailure(err, host, this.opts.timeoutMs)
          return f && f.status === 'unreachable' ? { reason: f.message } : undefined
        },
        onRetry: r =>
          this.opts.logger?.debug(
            `registry: retry ${r.retry} of ${method} ${redactUrl(url)} in ${r.delayMs}ms: ${r.reason}`
          )
      }
    )
    tally.retries += result.retries
    this.opts.logger?.debug(`registry: ${method} ${redactUrl(url)} → ${result.value.status}`)
    return result.value
  }
}

let viaNode: FetchLike | undefined

// node:http(s) with keep-alive agents, not Node's fetch: loading fetch's
// implementation and its per-request streams cost more CPU than a whole
// reality check's registry requests (measured with `node --cpu-prof` on the
// bench plan's 40 registry requests), and node:http has no blocked ports
// (registries do run on 6000 or 10080). Proxies come from HTTPS_PROXY /
// HTTP_PROXY with curl's rules (NO_PROXY honoured).
export const defaultFetch: FetchLike = (url, init) => {
  viaNode ??= nodeFetch()
  return viaNode(url, init)
}

// A CA bundle that cannot be read fails each inspection with the reason
// instead of failing the client's creation (and with it every other gate).
export function caFetch(file: string): FetchLike {
  try {
    return nodeFetch(readFileSync(file, 'utf8'))
  } catch (err) {
    const message = `cannot read the CA bundle ${file} (registries.caFile): ${messageOf(err)}`
    return async () => {
      throw new InspectionFailure('error', message)
    }
  }
}

/** The reason a transport error happened, in words, or undefined for a non-transport error. */
export function transportFailure(
  err: unknown,
  host: string,
  timeoutMs: number
): InspectionFailure | undefined {
  const links = chain(err)
  const names = links.map(e => e.name ?? '')
  const codes = links.map(e => (e.code === undefined ? '' : String(e.code)))
  const messages = links.map(e => e.message ?? '')
  const has = (...c: string[]): boolean => codes.some(x => c.includes(x))
  const unreachable = (m: string): InspectionFailure => new InspectionFailure('unreachable', m)
  const named = links.find(e => e.name === 'PhaseTimeoutError' || e.name === 'ProxyError')
  if (named?.message) return unreachable(named.message)
  if (
    names.includes('TimeoutError') ||
    has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')
  ) {
    return unreachable(`${host} did not answer within ${Math.round(timeoutMs / 100) / 10}s`)
  }
  if (has('ECONNREFUSED'))
    return unreachable(`could not connect to ${host}: connection refused (nothing listens there)`)
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'))
    return unreachable(`could not resolve the host name of ${host} (DNS)`)
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'))
    return unreachable(`no network route to ${host}`)
  if (
    has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED') ||
    messages.some(m => /other side closed|socket hang up|terminated/i.test(m))
  ) {
    return unreachable(`${host} closed the connection before answering in full`)
  }
  if (
    codes.some(c => /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL/.test(c)) ||
    messages.some(m => /certificate|wrong version number/i.test(m))
  ) {
    return new InspectionFailure(
      'error',
      `TLS with ${host} failed (${codes.find(c => c) || messages[messages.length - 1]}); set registries.caFile to the CA bundle that signs it, or list it in registries.insecure if it serves plain HTTP`
    )
  }
  return undefined
}

interface ErrorLike {
  name?: string
  code?: unknown
  message?: string
  cause?: unknown
  errors?: unknown[]
}

// The error, its causes and an AggregateError's members, duck-typed: fetch's
// errors come from another realm under jest's VM, where `instanceof Error` fails.
function chain(err: unknown, depth = 0): ErrorLike[] {
  if (typeof err !== 'object' || err === null || depth > 5) return []
  const e = err as ErrorLike
  const out: ErrorLike[] = [e]
  out.push(...chain(e.cause, depth + 1))
  if (Array.isArray(e.errors)) for (const x of e.errors) out.push(...chain(x, depth + 1))
  return out
}

export function messageOf(err: unknown): string {
  const m = chain(err)[0]?.message
  return typeof m === 'string' && m ? m : errorMessage(err)
}

// Token URLs carry the scope and service only, but a realm could embed anything.
export function redactUrl(url: string): string {
  return redact(url.replace(/\/\/[^@/]*@/, '//'))
}

/**
 * A `fetch` over node:http(s), trusting the given CA bundle if any (registries
 * signed by a private CA). Follows redirects, dropping Authorization when the
 * origin changes, as fetch does. The body is read when asked for, so an answer
 * larger than the client accepts is dropped unread.
 */
export function nodeFetch(ca?: string, env: NodeJS.ProcessEnv = process.env): FetchLike {
  const tlsOpts = { ...(ca ? { ca } : {}), keepAlive: true }
  const agent = new https.Agent(tlsOpts)
  const tunnels = new Map<string, TunnelAgent>()
  const bounds = phaseTimeouts(30_000)
  const once = (url: URL, init: Parameters<FetchLike>[1]): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const proxy = proxyFromEnv(url, env)
      const secure = url.protocol === 'https:'
      let via: http.Agent | undefined = secure ? agent : undefined
      if (proxy && secure) {
        via = tunnels.get(proxy.href)
        if (!via) tunnels.set(proxy.href, (via = new TunnelAgent(proxy, tlsOpts, bounds)))
      }
      const req = routedRequest(
        { target: url, proxy },
        {
          method: init.method,
          path: `${url.pathname}${url.search}`,
          headers: init.headers,
          signal: init.signal,
          ...(via ? { agent: via } : {})
        },
        bounds,
        url.host
      )
      req.on('response', resolve)
      req.on('error', (err: Error & { code?: string }) =>
        // In absolute form every socket error is the proxy's: name it, not the registry.
        reject(
          proxy && !secure && err.name !== 'PhaseTimeoutError' && err.name !== 'AbortError'
            ? new ProxyError(
                proxy.origin,
                `proxy ${proxy.origin} (HTTP_PROXY) could not be reached for ${url.host}: ${err.code ?? err.message}`,
                err.code
              )
            : err
        )
      )
      req.end(init.body)
    })
  return async (rawUrl, init) => {
    let url = new URL(rawUrl)
    let current = init
    for (let hop = 0; ; hop++) {
      const res = await once(url, current)
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (status >= 300 && status < 400 && location && hop < 5) {
        res.resume()
        const next = new URL(location, url)
        const headers = { ...current.headers }
        if (next.origin !== url.origin) delete headers.Authorization
        const method = status === 303 ? 'GET' : current.method
        current = { ...current, method, headers, ...(method === 'GET' ? { body: undefined } : {}) }
        url = next
        continue
      }
      const nullBody = status === 204 || status === 304 || init.method === 'HEAD'
      if (nullBody) res.resume()
      return nodeAnswer(res, status, nullBody)
    }
  }
}

/** An IncomingMessage's headers read as a fetch `Headers` reads them. */
class IncomingHeaders implements HeaderReader {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()]
    if (v === undefined) return null
    return Array.isArray(v) ? v.join(', ') : String(v)
  }
  toHeaders(): Headers {
    const headers = new Headers()
    for (const [k, v] of Object.entries(this.raw)) {
      if (v === undefined) continue
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one)
    }
    return headers
  }
}

function nodeAnswer(res: http.IncomingMessage, status: number, nullBody: boolean): FetchAnswer {
  return {
    status,
    headers: new IncomingHeaders(res.headers),
    async arrayBuffer() {
      if (nullBody) return new ArrayBuffer(0)
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      const all = Buffer.concat(chunks)
      return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer
    },
    body: nullBody
      ? null
      : {
          cancel: async () => {
            res.destroy()
          }
        }
  }
}

/** A fetch `Response` of an answer, for callers that read more of it than the registry client does. */
export async function asResponse(a: FetchAnswer): Promise<Response> {
  if (a instanceof Response) return a
  const headers = a.headers instanceof IncomingHeaders ? a.headers.toHeaders() : new Headers()
  const empty = a.body === null || a.status === 204 || a.status === 304
  return new Response(empty ? null : await a.arrayBuffer(), { status: a.status, headers })
}
