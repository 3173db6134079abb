// Proxies and dead ends, through the bundled CLI against the real local
// cluster and registry: a loopback listener that accepts connections and never
// sends a byte (a black hole) standing in for the apiserver, a registry and
// Prometheus in turn must end with exit 3 naming the server and what was
// awaited, within a bound computed from the clients' timeouts and retries; a
// local CONNECT proxy set as the kubeconfig's proxy-url carries every
// apiserver request; HTTP_PROXY carries registry requests, NO_PROXY bypasses
// it; a dead proxy is exit 3 naming the proxy. Every socket here is on
// 127.0.0.1: the proxy maps any target host to 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { freshBundle, type Bundle } from './bundle.js'
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/kube/http.js'
import { CONNECT_TIMEOUT_MS } from '../../src/core/net.js'
import { createPrometheus } from '../../src/metrics/prometheus.js'

let bundle: Bundle
let ns: string
let work: string
let shared: {
  clusters: { name: string; cluster: Record<string, string> }[]
  users: { name: string; user: Record<string, string> }[]
}
const servers: { close(): void }[] = []
/** Process start, plan load and the bundle's import: generous on a loaded 2-core machine. */
const STARTUP_SLACK_MS = 15_000

/** A listener that accepts every connection and never sends a byte. */
async function blackHole(): Promise<number> {
  const sockets: net.Socket[] = []
  const s = net.createServer(sock => {
    sockets.push(sock)
    sock.on('error', () => undefined)
  })
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  servers.push({
    close: () => {
      for (const x of sockets) x.destroy()
      s.close()
    }
  })
  return (s.address() as AddressInfo).port
}

/** A CONNECT + absolute-form proxy that sends every target to 127.0.0.1 and logs it. */
async function loggingProxy(): Promise<{ port: number; log: string[] }> {
  const log: string[] = []
  const s = http.createServer((req, res) => {
    // Absolute form: GET http://host:port/path
    log.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '')
    const up = http.request(
      {
        hostname: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers
      },
      r => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      }
    )
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  s.on('connect', (req, client: net.Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`)
    const port = Number(String(req.url).split(':').pop())
    const up = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      up.write(head)
      up.pipe(client)
      client.pipe(up)
    })
    up.on('error', () => client.destroy())
    client.on('error', () => up.destroy())
  })
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  servers.push({ close: () => s.close() })
  return { port: (s.address() as AddressInfo).port, log }
}

async function closedPort(): Promise<number> {
  return new Promise<number>(resolve => {
    const s = http.createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })
}

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('dead-ends')
  work = await mkdtemp(join(tmpdir(), 'pg-dead-'))
  shared = parse(await readFile(clusterEnv().kubeconfig, 'utf8')) as typeof shared
}, 240_000)

afterAll(async () => {
  for (const s of servers) s.close()
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
})

function kubeconfig(name: string, over: Record<string, unknown>): string {
  const admin = shared.users.find(u => u.name === 'phase-gate-admin')?.user ?? {}
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { ...shared.clusters[0].cluster, ...over } }],
    users: [{ name: 'u', user: admin }],
    contexts: [{ name, context: { cluster: 'c', user: 'u' } }],
    'current-context': name
  })
}

async function check(
  name: string,
  config: string,
  plan: string,
  env: NodeJS.ProcessEnv = {}
): Promise<{ code: number | null; out: string; ms: number }> {
  const kc = join(work, `${name}.kubeconfig`)
  await writeFile(kc, config, { mode: 0o600 })
  await writeFile(join(work, `${name}.yaml`), plan)
  const started = Date.now()
  return new Promise(resolve => {
    const child = spawn(
      process.execPath,
      [bundle.cli, 'check', `${name}.yaml`, '--gate', 'reality-check', '--kubeconfig', kc],
      {
        cwd: work,
        env: {
          ...process.env,
          NO_COLOR: '1',
          HTTPS_PROXY: '',
          HTTP_PROXY: '',
          NO_PROXY: '',
          https_proxy: '',
          http_proxy: '',
          no_proxy: '',
          ...env
        },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('exit', code => resolve({ code, out, ms: Date.now() - started }))
  })
}

const apisOnly = (): string =>
  `version: 1\nname: dead\ntarget: {namespace: ${ns}}\nassumptions:\n  apis: [v1/ConfigMap]\n`
const withImage = (ref: string): string =>
  `version: 1\nname: dead\ntarget: {namespace: ${ns}}\nassumptions:\n  apis: [v1/ConfigMap]\n  images: [${ref}]\n`
/** Largest backoffs of n retries: base doubling, capped. */
const backoff = (n: number, base: number, cap: number): number =>
  Array.from({ length: n }, (_, i) => Math.min(cap, base * 2 ** i)).reduce((a, b) => a + b, 0)

describe('black holes', () => {
  it('an apiserver that never answers the TLS handshake: exit 3 within the request timeout plus backoff, naming it', async () => {
    const port = await blackHole()
    // One deadline per request shared by its attempts (30 s), plus the backoff of at most 4 retries (250 ms doubling, 5 s cap).
    const bound = DEFAULT_REQUEST_TIMEOUT_MS + backoff(4, 250, 5000) + STARTUP_SLACK_MS
    const r = await check(
      'bh-api',
      kubeconfig('bh-ctx', { server: `https://127.0.0.1:${port}` }),
      apisOnly()
    )
    process.stderr.write(
      `black-hole apiserver: exit ${r.code} after ${r.ms} ms; bound ${bound} ms = ${DEFAULT_REQUEST_TIMEOUT_MS} timeout + ${backoff(4, 250, 5000)} backoff + ${STARTUP_SLACK_MS} start-up\n`
    )
    expect({ code: r.code, out: r.out }).toEqual({ code: 3, out: r.out })
    expect(r.out).toContain(`https://127.0.0.1:${port}`)
    expect(r.out).toMatch(/for the TLS handshake/)
    expect(r.out).toMatch(/black hole/)
    expect(r.ms).toBeLessThan(bound)
  }, 120_000)

  it('a registry that never answers: exit 3 within its timeouts and backoff, naming it', async () => {
    const port = await blackHole()
    // The registry client: 10 s per attempt, 3 retries, backoff 250 ms doubling (4 s cap).
    const bound = 4 * 10_000 + backoff(3, 250, 4000) + STARTUP_SLACK_MS
    const r = await check(
      'bh-reg',
      kubeconfig('reg-ctx', {}),
      withImage(`127.0.0.1:${port}/phase-gate/app:1.0`)
    )
    process.stderr.write(
      `black-hole registry: exit ${r.code} after ${r.ms} ms; bound ${bound} ms\n`
    )
    expect({ code: r.code, out: r.out }).toEqual({ code: 3, out: r.out })
    expect(r.out).toContain(`127.0.0.1:${port}`)
    expect(r.out).toMatch(/did not answer within 10s|for response headers/)
    expect(r.ms).toBeLessThan(bound)
  }, 120_000)

  it('a Prometheus that never answers: the query fails within its timeouts and backoff, naming it and what it waited for', async () => {
    const port = await blackHole()
    // The Prometheus client: 10 s per attempt, 2 retries, backoff 200 ms doubling.
    const bound = 3 * 10_000 + backoff(2, 200, 2000) + 3_000
    const prom = createPrometheus(`http://127.0.0.1:${port}`, { env: {} })
    const started = Date.now()
    const err = await prom.query('up').then(
      () => undefined,
      (e: unknown) => e as Error
    )
    const ms = Date.now() - started
    process.stderr.write(`black-hole Prometheus: failed after ${ms} ms; bound ${bound} ms\n`)
    expect(err?.message).toContain(`http://127.0.0.1:${port}`)
    expect(err?.message).toMatch(/for response headers/)
    expect(ms).toBeLessThan(bound)
    expect(ms).toBeGreaterThanOrEqual(3 * CONNECT_TIMEOUT_MS - 500)
  }, 60_000)
})

describe('proxies', () => {
  it("the kubeconfig's proxy-url carries every apiserver request (a host only the proxy resolves)", async () => {
    const proxy = await loggingProxy()
    const apiPort = new URL(clusterEnv().apiserver).port
    // kubernetes.default.svc is in the apiserver's certificate but resolves nowhere on this
    // machine: a request that skipped the proxy could not connect at all.
    const r = await check(
      'via-proxy',
      kubeconfig('proxy-ctx', {
        server: `https://kubernetes.default.svc:${apiPort}`,
        'proxy-url': `http://127.0.0.1:${proxy.port}`
      }),
      apisOnly()
    )
    expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: r.out })
    expect(proxy.log.length).toBeGreaterThan(0)
    expect(new Set(proxy.log)).toEqual(new Set([`CONNECT kubernetes.default.svc:${apiPort}`]))
  }, 120_000)

  it('a proxy-url that is down: exit 3 naming the proxy', async () => {
    const port = await closedPort()
    const r = await check(
      'dead-proxy',
      kubeconfig('dead-proxy-ctx', { 'proxy-url': `http://127.0.0.1:${port}` }),
      apisOnly()
    )
    expect({ code: r.code, out: r.out }).toEqual({ code: 3, out: r.out })
    expect(r.out).toContain(`proxy http://127.0.0.1:${port}`)
    expect(r.out).toMatch(/check the proxy-url/)
  }, 120_000)

  it('registry requests go through HTTP_PROXY (absolute form), NO_PROXY bypasses it, a dead one is exit 3 naming it', async () => {
    const proxy = await loggingProxy()
    const registry = clusterEnv().registry
    const plan = withImage(`${registry}/phase-gate/app:1.0`)
    const proxied = await check('reg-proxy', kubeconfig('rp-ctx', {}), plan, {
      HTTP_PROXY: `http://127.0.0.1:${proxy.port}`
    })
    expect({ code: proxied.code, out: proxied.out }).toEqual({ code: 0, out: proxied.out })
    const viaProxy = proxy.log.filter(l => l.includes(`http://${registry}/v2/`))
    expect(viaProxy.length).toBeGreaterThan(0)

    proxy.log.length = 0
    const bypassed = await check('reg-noproxy', kubeconfig('rn-ctx', {}), plan, {
      http_proxy: `http://127.0.0.1:${proxy.port}`,
      no_proxy: 'example.com,127.0.0.1'
    })
    expect({ code: bypassed.code, out: bypassed.out }).toEqual({ code: 0, out: bypassed.out })
    expect(proxy.log).toEqual([])

    const dead = await closedPort()
    const down = await check('reg-dead', kubeconfig('rd-ctx', {}), plan, {
      HTTP_PROXY: `http://127.0.0.1:${dead}`
    })
    expect({ code: down.code, out: down.out }).toEqual({ code: 3, out: down.out })
    expect(down.out).toContain(`proxy http://127.0.0.1:${dead}`)
  }, 180_000)
})
