/**
 * Connections that cannot hang and proxies as curl reads them. Every request
 * made over node:http(s) gets a bound per phase (TCP connect, TLS handshake,
 * response headers, each gap in the body), so a server, load balancer or
 * proxy that accepts the connection and never answers ends the request with
 * an error naming the server and what it waited for. Proxies come from the
 * kubeconfig's `proxy-url` or from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * (either case): https targets are tunnelled with CONNECT, plain-http ones
 * sent in absolute form, as curl does.
 */

import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'

/** Bounds of each phase of one request, in ms. */
export interface PhaseTimeouts {
  connectMs: number
  tlsMs: number
  /** From the request's send to its response headers. */
  headersMs: number
  /** Longest gap between two chunks of the body. */
  bodyIdleMs: number
}

/** Connect and handshake bound: a healthy server answers both in well under this. */
export const CONNECT_TIMEOUT_MS = 10_000

/** The phase bounds of a request whose overall timeout is `timeoutMs`. */
export function phaseTimeouts(timeoutMs: number): PhaseTimeouts {
  const c = Math.min(CONNECT_TIMEOUT_MS, timeoutMs)
  return { connectMs: c, tlsMs: c, headersMs: timeoutMs, bodyIdleMs: timeoutMs }
}

/** A request that ran out of time in one phase; `code` lets retry logic see a timeout. */
export class PhaseTimeoutError extends Error {
  readonly code = 'ETIMEDOUT'
  constructor(
    readonly server: string,
    readonly phase: string,
    readonly ms: number
  ) {
    super(`waited ${fmt(ms)} for ${phase} from ${server}, and none came`)
    this.name = 'PhaseTimeoutError'
  }
}

/** A proxy that refused the tunnel, or could not be reached. */
export class ProxyError extends Error {
  constructor(
    readonly proxy: string,
    message: string,
    readonly code = 'EPROXY'
  ) {
    super(message)
    this.name = 'ProxyError'
  }
}

function fmt(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** The proxy for a URL from the environment (curl's rules), or undefined for a direct connection. */
export function proxyFromEnv(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const pick = (...names: string[]): string | undefined =>
    names.map(n => env[n]?.trim()).find(v => v)
  const raw =
    url.protocol === 'https:'
      ? pick('https_proxy', 'HTTPS_PROXY')
      : pick('http_proxy', 'HTTP_PROXY')
  if (!raw || bypassed(url, pick('no_proxy', 'NO_PROXY') ?? '')) return undefined
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`)
  } catch {
    return undefined
  }
}

/** NO_PROXY: `*`, host names (a leading dot or none: the domain and its subdomains), IPs, optional `:port`. */
export function bypassed(url: URL, noProxy: string): boolean {
  const host = bareHost(url).toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  for (const raw of noProxy.split(/[,\s]+/).filter(Boolean)) {
    if (raw === '*') return true
    let entry = raw.toLowerCase()
    let entryPort: string | undefined
    const m = /^(.*):(\d+)$/.exec(entry)
    if (m && !entry.includes('::')) [, entry, entryPort] = m
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '')
    if (entryPort && entryPort !== port) continue
    if (host === entry || (!net.isIP(host) && host.endsWith(`.${entry}`))) return true
  }
  return false
}

/** How to send a request to `target`: direct, or through `proxy`. */
export interface Route {
  target: URL
  proxy?: URL
}

/**
 * Opens a request along a route with phase bounds. Https targets through a
 * proxy are tunnelled by `agent` (a TunnelAgent); http targets through a
 * proxy are sent in absolute form to the proxy.
 */
export function routedRequest(
  route: Route,
  options: https.RequestOptions,
  timeouts: PhaseTimeouts,
  server = route.target.origin
): http.ClientRequest {
  const { target, proxy } = route
  const secure = target.protocol === 'https:'
  let req: http.ClientRequest
  if (proxy && !secure) {
    const proxyMod = proxy.protocol === 'https:' ? https : http
    req = proxyMod.request({
      ...options,
      protocol: proxy.protocol,
      hostname: bareHost(proxy),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: `${target.origin}${options.path ?? '/'}`,
      headers: { ...options.headers, Host: target.host, ...proxyAuth(proxy) },
      agent: undefined
    })
    guardRequest(req, `${server} via proxy ${proxy.origin}`, timeouts)
  } else {
    req = (secure ? https : http).request({
      ...options,
      protocol: target.protocol,
      hostname: bareHost(target),
      port: target.port || (secure ? 443 : 80)
    })
    guardRequest(req, proxy ? `${server} via proxy ${proxy.origin}` : server, timeouts)
  }
  return req
}

/** A URL's host name as sockets want it: an IPv6 address without the brackets URL keeps. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {}
  const cred = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return { 'Proxy-Authorization': `Basic ${Buffer.from(cred).toString('base64')}` }
}

/** Arms a timer per phase on a request; the one that runs out destroys it with a PhaseTimeoutError. */
export function guardRequest(
  req: http.ClientRequest,
  server: string,
  t: PhaseTimeouts
): () => void {
  let timer: NodeJS.Timeout | undefined
  let responded = false
  const arm = (ms: number, phase: string): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => req.destroy(new PhaseTimeoutError(server, phase, ms)), ms)
    timer.unref?.()
  }
  const stop = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
  }
  req.once('socket', (sock: net.Socket) => {
    const secure = sock instanceof tls.TLSSocket
    const handshaking = (): boolean =>
      secure && ['unknown', null].includes((sock as tls.TLSSocket).getProtocol())
    // Listeners only on a socket still connecting or handshaking: a kept-alive socket is
    // reused by many requests, and a listener per request that never fires would pile up.
    const secured = (): void => arm(t.headersMs, 'response headers')
    if (sock.connecting) {
      arm(t.connectMs, 'the TCP connection')
      sock.once('connect', () =>
        secure ? arm(t.tlsMs, 'the TLS handshake') : arm(t.headersMs, 'response headers')
      )
      if (secure) sock.once('secureConnect', secured)
    } else if (handshaking()) {
      arm(t.tlsMs, 'the TLS handshake')
      sock.once('secureConnect', secured)
    } else arm(t.headersMs, 'response headers')
  })
  req.once('response', () => {
    responded = true
    stop()
    // The socket's idle timer bounds each gap in the body; a 'data' listener here would start
    // the stream flowing before its reader attaches and lose the first chunks.
    req.setTimeout(t.bodyIdleMs, () =>
      req.destroy(new PhaseTimeoutError(server, 'the rest of the body', t.bodyIdleMs))
    )
  })
  req.once('error', stop)
  req.once('close', () => {
    // A request closed before its response is done; a response still streaming keeps its timer.
    if (!responded) stop()
  })
  return stop
}

/**
 * An https agent whose connections go through an HTTP(S) proxy's CONNECT
 * tunnel; the proxy's refusal or silence is a ProxyError naming it.
 */
export class TunnelAgent extends https.Agent {
  constructor(
    readonly proxy: URL,
    opts: https.AgentOptions,
    private readonly timeouts: PhaseTimeouts
  ) {
    super(opts)
  }

  override createConnection(
    options: http.ClientRequestArgs,
    cb?: (err: Error | null, socket: net.Socket) => void
  ): undefined {
    const proxy = this.proxy
    // The request's host is bare (bareHost); an IPv6 address is bracketed in CONNECT's authority.
    const target = `${net.isIPv6(options.host ?? '') ? `[${options.host}]` : options.host}:${options.port}`
    const mod = proxy.protocol === 'https:' ? https : http
    const req = mod.request({
      method: 'CONNECT',
      hostname: bareHost(proxy),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: target,
      headers: { Host: target, ...proxyAuth(proxy) },
      agent: false
    })
    let done = false
    const fail = (err: Error): void => {
      if (done) return
      done = true
      cb?.(
        err instanceof PhaseTimeoutError
          ? new ProxyError(proxy.origin, `proxy ${proxy.origin}: ${err.message}`, 'ETIMEDOUT')
          : err instanceof ProxyError
            ? err
            : new ProxyError(
                proxy.origin,
                `proxy ${proxy.origin} could not be reached: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
                (err as NodeJS.ErrnoException).code ?? 'EPROXY'
              ),
        undefined as unknown as net.Socket
      )
    }
    const stop = guardRequest(req, `proxy ${proxy.origin}`, this.timeouts)
    req.once('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      stop()
      if (res.statusCode !== 200) {
        socket.destroy()
        fail(
          new ProxyError(
            proxy.origin,
            `proxy ${proxy.origin} refused the tunnel to ${target}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()
          )
        )
        return
      }
      done = true
      const o = options as tls.ConnectionOptions & { host?: string }
      const host = o.host ?? ''
      const secure = tls.connect({
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        rejectUnauthorized: o.rejectUnauthorized,
        socket,
        servername: o.servername || (net.isIP(host) ? undefined : host)
      })
      cb?.(null, secure)
    })
    req.once('error', fail)
    req.end()
    return undefined
  }
}
