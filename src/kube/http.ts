/**
 * The HTTP transport to one API server: keep-alive connections, TLS from the
 * kubeconfig, auth headers per request, Kubernetes `Status` errors turned into
 * KubeApiError, and newline-delimited streams for watches.
 */

import http from 'node:http'
import https from 'node:https'
import { KubeApiError } from './types.js'
import { redact } from '../core/secrets.js'
import type { Connection } from './kubeconfig.js'

export interface RequestOptions {
  method?: string
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  contentType?: string
  accept?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** One keep-alive transport to one API server. */
export class KubeTransport {
  private readonly agent: http.Agent
  private readonly url: URL
  /** Requests sent, for benchmarks and the discovery round-trip count. */
  requests = 0

  constructor(readonly conn: Connection) {
    this.url = new URL(conn.server)
    const common = { keepAlive: true, maxSockets: 32, keepAliveMsecs: 10_000 }
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({
            ...common,
            ca: conn.ca,
            cert: conn.cert,
            key: conn.key,
            rejectUnauthorized: !conn.insecureSkipTlsVerify,
            servername: conn.tlsServerName
          })
        : new http.Agent(common)
  }

  /** Frees the keep-alive sockets so the process can exit. */
  close(): void {
    this.agent.destroy()
  }

  private buildPath(path: string, query?: RequestOptions['query']): string {
    const base = this.url.pathname.replace(/\/+$/, '')
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v))
    const q = qs.toString()
    return `${base}${path}${q ? `?${q}` : ''}`
  }

  private async open(opts: RequestOptions): Promise<http.IncomingMessage> {
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
    const mod = this.url.protocol === 'https:' ? https : http
    this.requests++
    return new Promise((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method: opts.method ?? 'GET',
          path: this.buildPath(opts.path, opts.query),
          headers,
          agent: this.agent,
          signal: opts.signal
        },
        resolve
      )
      if (opts.timeoutMs) {
        req.setTimeout(opts.timeoutMs, () => {
          req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`))
        })
      }
      req.on('error', err => reject(this.transportError(err, opts)))
      req.end(payload)
    })
  }

  private transportError(err: Error & { code?: string }, opts: RequestOptions): Error {
    if (err.name === 'AbortError') return err
    const what =
      err.code === 'ECONNREFUSED'
        ? 'connection refused'
        : err.code === 'ECONNRESET'
          ? 'connection reset'
          : err.code === 'ENOTFOUND'
            ? 'host not found'
            : err.message
    return new KubeApiError(
      redact(`cannot reach the API server ${this.conn.server} (context "${this.conn.context}") for ${opts.method ?? 'GET'} ${opts.path}: ${what}`),
      0,
      err.code ?? 'TransportError',
      undefined,
      true
    )
  }

  /** A request whose whole body is read; non-2xx answers become KubeApiError. */
  async request(opts: RequestOptions): Promise<RawResponse> {
    const res = await this.open(opts)
    const chunks: Buffer[] = []
    try {
      for await (const c of res) chunks.push(c as Buffer)
    } catch (err) {
      throw this.transportError(err as Error, opts)
    }
    const body = Buffer.concat(chunks).toString('utf8')
    const status = res.statusCode ?? 0
    if (status < 200 || status >= 300) throw this.statusError(status, body, opts, res.headers)
    return { status, headers: res.headers, body }
  }

  /** A request answered with JSON. */
  async json<T>(opts: RequestOptions): Promise<T> {
    const res = await this.request(opts)
    try {
      return JSON.parse(res.body) as T
    } catch {
      throw new KubeApiError(
        `the API server answered ${opts.method ?? 'GET'} ${opts.path} with something that is not JSON (content-type ${res.headers['content-type'] ?? 'none'}): ${redact(res.body.slice(0, 200))}`,
        res.status,
        'MalformedResponse'
      )
    }
  }

  /** A streaming request: calls onLine for each newline-delimited line until the stream ends. */
  async stream(opts: RequestOptions, onLine: (line: string) => void): Promise<void> {
    const res = await this.open(opts)
    const status = res.statusCode ?? 0
    if (status < 200 || status >= 300) {
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      throw this.statusError(status, Buffer.concat(chunks).toString('utf8'), opts, res.headers)
    }
    let buf = ''
    try {
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString('utf8')
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
    const err = new KubeApiError(
      redact(message || `HTTP ${status} for ${opts.method ?? 'GET'} ${opts.path}`),
      status,
      reason ?? http.STATUS_CODES[status]?.replace(/\s+/g, ''),
      details
    )
    if (retryAfter) Object.assign(err, { retryAfter: Number(retryAfter) })
    return err
  }
}
