// Phase bounds and proxies over loopback sockets: a listener that accepts and
// never answers is named with the phase awaited; a webhook goes through
// HTTP_PROXY in absolute form; a proxy that refuses the CONNECT is named.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import {
  PhaseTimeoutError,
  ProxyError,
  TunnelAgent,
  phaseTimeouts,
  routedRequest
} from '../../src/core/net.js'
import { httpWebhookTransport } from '../../src/notify/webhook.js'
import { GitHubClient } from '../../src/github/client.js'

const closers: (() => void)[] = []
afterAll(() => closers.forEach(c => c()))

async function listen(s: net.Server): Promise<number> {
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  closers.push(() => s.close())
  return (s.address() as AddressInfo).port
}

async function blackHole(): Promise<number> {
  const socks: net.Socket[] = []
  const s = net.createServer(c => void socks.push(c))
  closers.push(() => socks.forEach(c => c.destroy()))
  return listen(s)
}

function outcome(req: http.ClientRequest): Promise<Error | number> {
  return new Promise(resolve => {
    req.on('error', resolve)
    req.on('response', res => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.end()
  })
}

const tight = { connectMs: 300, tlsMs: 300, headersMs: 300, bodyIdleMs: 300 }

describe('phase bounds', () => {
  it('a TLS server that never answers the handshake is named with the phase', async () => {
    const port = await blackHole()
    const started = Date.now()
    const err = await outcome(
      routedRequest({ target: new URL(`https://127.0.0.1:${port}/`) }, { path: '/' }, tight, 'S')
    )
    expect(err).toBeInstanceOf(PhaseTimeoutError)
    expect((err as Error).message).toBe('waited 300 ms for the TLS handshake from S, and none came')
    // 300 ms bound; up to 2 s of slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(2300)
  })
  it('a plain-http server that never answers is named waiting for response headers', async () => {
    const port = await blackHole()
    const err = await outcome(
      routedRequest({ target: new URL(`http://127.0.0.1:${port}/`) }, { path: '/' }, tight, 'S')
    )
    expect((err as Error).message).toBe('waited 300 ms for response headers from S, and none came')
  })
  it('a body that stalls half-way is named', async () => {
    const s = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '10' })
      res.write('12345')
    })
    const port = await listen(s)
    const body = await new Promise<Error>(resolve => {
      const req = routedRequest(
        { target: new URL(`http://127.0.0.1:${port}/`) },
        { path: '/' },
        tight,
        'S'
      )
      req.on('error', resolve)
      req.on('response', res => {
        res.on('error', resolve)
        res.resume()
      })
      req.end()
    })
    expect(body.message).toMatch(/the rest of the body from S/)
  })
  it('a healthy answer is read in full (the bounds do not eat the body)', async () => {
    const big = 'x'.repeat(1 << 20)
    const s = http.createServer((_req, res) => res.end(big))
    const port = await listen(s)
    const text = await new Promise<string>((resolve, reject) => {
      const req = routedRequest(
        { target: new URL(`http://127.0.0.1:${port}/`) },
        { path: '/' },
        phaseTimeouts(5000),
        'S'
      )
      req.on('error', reject)
      req.on('response', async res => {
        // The reader attaches late, as a caller awaiting something first would.
        await new Promise(r => setTimeout(r, 50))
        let t = ''
        for await (const c of res) t += String(c)
        resolve(t)
      })
      req.end()
    })
    expect(text.length).toBe(big.length)
  })
})

describe('proxies', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const k of ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })

  it('a webhook goes through HTTP_PROXY in absolute form', async () => {
    const seen: string[] = []
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.end('ok')
    })
    const port = await listen(proxy)
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`
    process.env.NO_PROXY = ''
    const r = await httpWebhookTransport(new URL('http://hooks.example:8080/x?y=1'), '{}', {
      timeoutMs: 2000
    })
    expect(r.status).toBe(200)
    expect(seen).toEqual(['POST http://hooks.example:8080/x?y=1'])
  })

  it('the GitHub API goes through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    const seen: string[] = []
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"full_name":"o/r"}')
    })
    const port = await listen(proxy)
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`
    process.env.NO_PROXY = ''
    const gh = new GitHubClient({ repository: 'o/r', apiUrl: 'http://api.example', retries: 0 })
    const r = await gh.request<{ full_name: string }>('GET', '/repos/o/r')
    expect(r.data.full_name).toBe('o/r')
    expect(seen).toEqual(['GET http://api.example/repos/o/r'])
    // Bypassed: the direct request goes to the proxy's own port on 127.0.0.1, in origin form.
    seen.length = 0
    process.env.NO_PROXY = '127.0.0.1'
    const direct = new GitHubClient({
      repository: 'o/r',
      apiUrl: `http://127.0.0.1:${port}`,
      retries: 0
    })
    await direct.request('GET', '/repos/o/r')
    expect(seen).toEqual(['GET /repos/o/r'])
  })

  it('a proxy that refuses the CONNECT is named', async () => {
    const proxy = http.createServer()
    proxy.on('connect', (_req, sock: net.Socket) => {
      sock.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    const port = await listen(proxy)
    const p = new URL(`http://127.0.0.1:${port}`)
    const err = await outcome(
      routedRequest(
        { target: new URL('https://api.example:443/'), proxy: p },
        { path: '/', agent: new TunnelAgent(p, {}, tight) },
        tight
      )
    )
    expect(err).toBeInstanceOf(ProxyError)
    expect((err as Error).message).toBe(
      `proxy http://127.0.0.1:${port} refused the tunnel to api.example:443: HTTP 403 Forbidden`
    )
  })

  it('an IPv6 target is reached bare and tunnelled by its bracketed authority', async () => {
    const seen: string[] = []
    const proxy = http.createServer()
    proxy.on('connect', (req: http.IncomingMessage, sock: net.Socket) => {
      seen.push(`${req.method} ${req.url}`)
      sock.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    const port = await listen(proxy)
    const p = new URL(`http://127.0.0.1:${port}`)
    await outcome(
      routedRequest(
        { target: new URL('https://[::1]:6443/'), proxy: p },
        { path: '/', agent: new TunnelAgent(p, {}, tight) },
        tight
      )
    )
    expect(seen).toEqual(['CONNECT [::1]:6443'])
    // Direct: the socket is opened to ::1 (a refused connection, not "host not found").
    const refused = new URL('http://[::1]:1/')
    const err = await outcome(routedRequest({ target: refused }, { path: '/' }, tight))
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })
})
