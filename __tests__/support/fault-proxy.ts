// A fault-injecting HTTP proxy on 127.0.0.1 for integration tests: it
// forwards to a real server (a registry, the apiserver, Prometheus) and, per
// rule, answers a status with Retry-After, resets the connection, stalls past
// a timeout, or cuts a response mid-way, letting requests through after N
// faults. It counts what it faulted so tests can assert the retries.
//
//   const proxy = await startFaultProxy({ target: env.registry })
//   proxy.setRules([{ fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 2 }])
//   ... point the client at proxy.host ...
//   expect(proxy.faulted).toBe(2)
//   await proxy.close()
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** What to do to a matching request instead of (or while) forwarding it. */
export type Fault =
  /** Answer this status (with `Retry-After` when given) without forwarding. */
  | {
      kind: 'status'
      status: number
      retryAfter?: string
      body?: string
      headers?: Record<string, string>
    }
  /** Destroy the connection without answering (the client sees a reset / "other side closed"). */
  | { kind: 'reset' }
  /** Hold the request: forward it after `ms`, or never answer when `ms` is absent. */
  | { kind: 'stall'; ms?: number }
  /**
   * Forward, send the headers and the first `afterBytes` of the body (default
   * half), then destroy. With `afterMs` the answer streams through as it
   * comes (a watch) and the connection dies that long after the headers.
   */
  | { kind: 'cut'; afterBytes?: number; afterMs?: number }

export interface FaultRule {
  /** Which requests the rule applies to; all when absent. */
  match?: { method?: string; path?: string | RegExp }
  fault: Fault
  /** Faults before the rule lets matching requests through; unlimited when absent. */
  times?: number
  /** Matching requests let through before the rule starts faulting (so a fault lands mid-way). */
  skip?: number
}

export interface ProxiedRequest {
  method: string
  path: string
  /** The fault applied, when one was. */
  fault?: Fault['kind']
}

export interface FaultProxy {
  /** `127.0.0.1:<port>`, the host a client is pointed at. */
  readonly host: string
  readonly port: number
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Requests faulted so far (all rules). */
  readonly faulted: number
  /** Every request seen, in order. */
  readonly requests: ProxiedRequest[]
  /** Faults applied per rule, in the order of the rules last set. */
  faultsPerRule(): number[]
  /** Replaces the rules (and their per-rule counts). */
  setRules(rules: FaultRule[]): void
  /** Forgets the requests seen and the counts, keeping the rules. */
  resetCounts(): void
  /** Stops listening and destroys every open connection (stalled ones included). */
  close(): Promise<void>
}

export interface FaultProxyOptions {
  /** `host:port` of the real server (loopback). */
  target: string
  rules?: FaultRule[]
  /** Speak TLS to the target (the apiserver), trusting this CA; clients talk plain HTTP to the proxy. */
  upstreamTls?: { ca?: string | Buffer }
}

/** Starts a fault proxy on an ephemeral loopback port. */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const [targetHost, targetPort] = splitHostPort(opts.target)
  if (!isLoopback(targetHost))
    throw new Error(`fault proxy target ${opts.target} is not a loopback address`)
  let rules: { rule: FaultRule; count: number; skipped: number }[] = []
  const requests: ProxiedRequest[] = []
  let faulted = 0
  const sockets = new Set<Socket>()
  const upstream = new Set<http.ClientRequest>()
  const timers = new Set<NodeJS.Timeout>()

  const setRules = (next: FaultRule[]): void => {
    rules = next.map(rule => ({ rule, count: 0, skipped: 0 }))
  }
  setRules(opts.rules ?? [])

  const matches = (rule: FaultRule, req: http.IncomingMessage): boolean => {
    const m = rule.match
    if (m?.method && m.method.toUpperCase() !== req.method) return false
    if (m?.path !== undefined) {
      const path = req.url ?? ''
      if (typeof m.path === 'string' ? !path.startsWith(m.path) : !m.path.test(path)) return false
    }
    return true
  }

  const pick = (req: http.IncomingMessage): { rule: FaultRule; count: number } | undefined => {
    for (const r of rules) {
      if (r.rule.times !== undefined && r.count >= r.rule.times) continue
      if (!matches(r.rule, req)) continue
      if (r.skipped < (r.rule.skip ?? 0)) {
        r.skipped++
        continue
      }
      return r
    }
    return undefined
  }

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    cutAfter?: (total: number) => number,
    cutAfterMs?: number
  ): void => {
    const headers = { ...req.headers, host: opts.target }
    const request = opts.upstreamTls ? https.request : http.request
    const up = request(
      {
        host: targetHost,
        port: targetPort,
        method: req.method,
        path: req.url,
        headers,
        ...(opts.upstreamTls ? { ca: opts.upstreamTls.ca, agent: false } : {})
      },
      upRes => {
        if (cutAfterMs !== undefined) {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers)
          upRes.pipe(res)
          const t = setTimeout(() => {
            timers.delete(t)
            upRes.destroy()
            res.socket?.destroy()
          }, cutAfterMs)
          timers.add(t)
          return
        }
        if (cutAfter === undefined) {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers)
          upRes.pipe(res)
          return
        }
        // Read the whole answer, then send part of it under the full Content-Length.
        const chunks: Buffer[] = []
        upRes.on('data', (c: Buffer) => chunks.push(c))
        upRes.on('end', () => {
          const all = Buffer.concat(chunks)
          const n = Math.max(0, Math.min(all.length - 1, cutAfter(all.length)))
          const h = { ...upRes.headers, 'content-length': String(all.length) }
          delete h['transfer-encoding']
          res.writeHead(upRes.statusCode ?? 502, h)
          res.write(all.subarray(0, n), () => {
            // Let the partial body reach the client before the connection dies.
            const t = setTimeout(() => {
              timers.delete(t)
              res.socket?.destroy()
            }, 20)
            timers.add(t)
          })
        })
      }
    )
    up.on('error', err => {
      if (res.destroyed) return
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`fault proxy: upstream ${opts.target} failed: ${err.message}`)
      } else res.socket?.destroy()
    })
    // A client that went away (a watch it stopped) ends the upstream request too, or the
    // upstream stream would stay open to its server-side timeout and keep the process alive.
    upstream.add(up)
    up.on('close', () => upstream.delete(up))
    res.on('close', () => up.destroy())
    up.end(body)
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const hit = pick(req)
      const seen: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '' }
      requests.push(seen)
      if (!hit) return forward(req, res, body)
      hit.count++
      faulted++
      const fault = hit.rule.fault
      seen.fault = fault.kind
      switch (fault.kind) {
        case 'status': {
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            ...fault.headers
          }
          if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter
          const text =
            fault.body ??
            JSON.stringify({
              errors: [
                {
                  code: fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE',
                  message: 'injected by the fault proxy'
                }
              ]
            })
          res.writeHead(fault.status, headers)
          res.end(text)
          return
        }
        case 'reset':
          req.socket.destroy()
          return
        case 'stall': {
          if (fault.ms === undefined) return
          const t = setTimeout(() => {
            timers.delete(t)
            if (!req.socket.destroyed) forward(req, res, body)
          }, fault.ms)
          timers.add(t)
          return
        }
        case 'cut':
          if (fault.afterMs !== undefined) forward(req, res, body, undefined, fault.afterMs)
          else forward(req, res, body, total => fault.afterBytes ?? Math.floor(total / 2))
          return
      }
    })
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `http://127.0.0.1:${port}`,
    get faulted() {
      return faulted
    },
    requests,
    faultsPerRule: () => rules.map(r => r.count),
    setRules,
    resetCounts: () => {
      faulted = 0
      requests.length = 0
      for (const r of rules) {
        r.count = 0
        r.skipped = 0
      }
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const t of timers) clearTimeout(t)
        for (const u of upstream) u.destroy()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

function splitHostPort(hostPort: string): [string, number] {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(hostPort)
  if (!m) throw new Error(`fault proxy target "${hostPort}" is not host:port`)
  return [m[1].replace(/^\[|\]$/g, ''), Number(m[2])]
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
