/**
 * HTTP/2 to an API server, as client-go speaks it: one TLS connection for
 * every request of a run instead of a socket (and a handshake, on both
 * sides) per request in flight. The protocol is chosen by ALPN on the first
 * connection; a server (or a TLS-terminating proxy in front of it) that does
 * not offer h2 gets HTTP/1.1 for the rest of the run. Each request keeps the
 * bounds of node:http requests (core/net.ts): TCP connect and TLS handshake
 * for the connection, response headers and each gap of the body per stream.
 * A stream that times out retires its connection: requests already on it
 * finish there, new ones open another, so a connection gone silent is not
 * asked again. `DISABLE_HTTP2` (any value, as client-go reads it) keeps
 * HTTP/1.1.
 */

import type http from 'node:http'
import http2 from 'node:http2'
import tls from 'node:tls'
import { PhaseTimeoutError, bareHost, type PhaseTimeouts } from '../core/net.js'

/** A response as the transport reads it, over either protocol. */
export interface OpenedResponse {
  statusCode: number
  headers: http.IncomingHttpHeaders
  body: AsyncIterable<Buffer>
}

/** One request over HTTP/2. */
export interface H2Request {
  method: string
  path: string
  headers: Record<string, string>
  payload?: string
  signal?: AbortSignal
  bounds: PhaseTimeouts
}

interface Live {
  session: http2.ClientHttp2Session
  active: number
}

/** HTTP/2 connections to one server: opened on demand, one at a time, retired when they stop answering. */
export class H2Connections {
  /** undefined: not asked yet; false: the server speaks HTTP/1.1 only. */
  private speaksH2: boolean | undefined
  /** The connection new requests go to, while it opens and once open. */
  private current: Promise<Live | undefined> | undefined
  private currentLive: Live | undefined

  constructor(
    private readonly target: URL,
    private readonly tlsOptions: tls.ConnectionOptions,
    private readonly server: string
  ) {}

  /**
   * Sends one request; resolves with the response once its headers are in,
   * or undefined when the server speaks only HTTP/1.1. A connection that
   * closed before the request could be put on it (nothing was sent) is
   * replaced once, whatever the method.
   */
  async request(req: H2Request): Promise<OpenedResponse | undefined> {
    if (this.speaksH2 === false) return undefined
    for (let attempt = 0; ; attempt++) {
      const live = await this.connection(req.bounds)
      if (!live) return undefined
      const stream = this.start(live, req)
      if (stream) return this.answer(live, stream, req)
      if (attempt >= 1)
        throw new Error(
          `the HTTP/2 connection to ${this.server} closed before the request could be sent`
        )
    }
  }

  /** Closes every connection (requests in flight end with an error). */
  close(): void {
    const current = this.current
    this.current = undefined
    this.currentLive = undefined
    void current?.then(l => l?.session.destroy()).catch(() => undefined)
  }

  private connection(bounds: PhaseTimeouts): Promise<Live | undefined> {
    if (this.current) return this.current
    const opening = this.open(bounds)
    this.current = opening
    // A connection that failed to open is not kept: the next request tries again.
    opening.then(
      live => {
        if (!live && this.current === opening) this.current = undefined
      },
      () => {
        if (this.current === opening) this.current = undefined
      }
    )
    return opening
  }

  private open(bounds: PhaseTimeouts): Promise<Live | undefined> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        ...this.tlsOptions,
        host: bareHost(this.target),
        port: Number(this.target.port || 443),
        ALPNProtocols: ['h2', 'http/1.1']
      })
      let timer = setTimeout(
        () =>
          socket.destroy(
            new PhaseTimeoutError(this.server, 'the TCP connection', bounds.connectMs)
          ),
        bounds.connectMs
      )
      socket.once('connect', () => {
        clearTimeout(timer)
        timer = setTimeout(
          () =>
            socket.destroy(new PhaseTimeoutError(this.server, 'the TLS handshake', bounds.tlsMs)),
          bounds.tlsMs
        )
      })
      socket.once('error', err => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('secureConnect', () => {
        clearTimeout(timer)
        if (socket.alpnProtocol !== 'h2') {
          this.speaksH2 = false
          socket.destroy()
          resolve(undefined)
          return
        }
        this.speaksH2 = true
        const session = http2.connect(this.target.origin, { createConnection: () => socket })
        const live: Live = { session, active: 0 }
        // Errors reach the streams; the session only has to stop being handed out.
        session.on('error', () => this.retire(live))
        session.once('goaway', () => this.retire(live))
        session.once('close', () => this.retire(live))
        // Idle, the connection does not keep the process alive (as an agent's free sockets).
        session.unref()
        this.currentLive = live
        resolve(live)
      })
    })
  }

  /** New requests go to a new connection; this one closes once its streams are done. */
  private retire(live: Live): void {
    if (this.currentLive === live) {
      this.current = undefined
      this.currentLive = undefined
    }
    if (!live.session.closed && !live.session.destroyed) live.session.close()
  }

  /** The request's stream, or undefined when the connection no longer takes streams (nothing was sent). */
  private start(live: Live, req: H2Request): http2.ClientHttp2Stream | undefined {
    const headers: http2.OutgoingHttpHeaders = { ':method': req.method, ':path': req.path }
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v
    try {
      // Node ends a GET's, HEAD's or DELETE's stream at once unless told; a DELETE may carry options.
      return live.session.request(headers, {
        endStream: req.payload === undefined,
        ...(req.signal ? { signal: req.signal } : {})
      })
    } catch {
      this.retire(live)
      return undefined
    }
  }

  private answer(
    live: Live,
    stream: http2.ClientHttp2Stream,
    req: H2Request
  ): Promise<OpenedResponse> {
    if (live.active++ === 0) live.session.ref()
    stream.once('close', () => {
      if (--live.active === 0 && !live.session.destroyed) live.session.unref()
    })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.retire(live)
        stream.destroy(new PhaseTimeoutError(this.server, 'response headers', req.bounds.headersMs))
      }, req.bounds.headersMs)
      stream.once('error', err => {
        clearTimeout(timer)
        reject(err)
      })
      stream.once('response', h => {
        clearTimeout(timer)
        stream.setTimeout(req.bounds.bodyIdleMs, () => {
          this.retire(live)
          stream.destroy(
            new PhaseTimeoutError(this.server, 'the rest of the body', req.bounds.bodyIdleMs)
          )
        })
        resolve({
          statusCode: Number(h[':status'] ?? 0),
          headers: h as http.IncomingHttpHeaders,
          body: stream
        })
      })
      if (req.payload !== undefined) stream.end(req.payload)
    })
  }
}
