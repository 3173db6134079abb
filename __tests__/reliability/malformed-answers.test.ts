// Malformed answers from the servers, fuzzed: a loopback server answers the
// kube, Prometheus and registry clients with truncated JSON, JSON of the
// wrong shape, the wrong content type, HTML error pages from a proxy and
// random bytes, under random statuses. Every answer must end in the client's
// own typed outcome (a KubeApiError, a MetricsUnavailableError/PromQLError,
// an inspection status other than "found"), never a TypeError or an
// unhandled SyntaxError, and never in a success built from garbage.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { KubeTransport } from '../../src/kube/http.js'
import type { Connection } from '../../src/kube/kubeconfig.js'
import { KubeApiError } from '../../src/kube/types.js'
import { PromQLError, createPrometheus } from '../../src/metrics/prometheus.js'
import { MetricsUnavailableError } from '../../src/metrics/types.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

interface Answer {
  status: number
  type: string
  body: Buffer
  /** The kind of malformation (what the figures are reported by). */
  cls?: string
}

let answer: Answer = { status: 200, type: 'application/json', body: Buffer.from('{}') }
let server: http.Server
let base = ''
const figures: Record<
  string,
  { answers: number; typed: number; byClass: Record<string, { answers: number; typed: number }> }
> = {}

/** Counts one answer of `a`'s class for client `f`; returns the mark to call once it was typed. */
function count(f: (typeof figures)[string], a: Answer): () => void {
  const c = (f.byClass[a.cls ?? 'other'] ??= { answers: 0, typed: 0 })
  f.answers++
  c.answers++
  return () => {
    f.typed++
    c.typed++
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(answer.status, {
        'content-type': answer.type,
        'content-length': String(answer.body.length)
      })
      res.end(answer.body)
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()))
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>(r => server.close(() => r()))
  const classes = [...new Set(Object.values(figures).flatMap(f => Object.keys(f.byClass)))]
  const w = (t: string | number, n: number): string => String(t).padEnd(n)
  process.stdout.write(
    [
      '',
      'malformed server answers (answers / typed outcomes, per client and class)',
      `${w('class', 26)}${Object.keys(figures)
        .map(c => w(c, 14))
        .join('')}`,
      ...classes.map(
        cls =>
          `${w(cls, 26)}${Object.values(figures)
            .map(f => w(`${f.byClass[cls]?.answers ?? 0} / ${f.byClass[cls]?.typed ?? 0}`, 14))
            .join('')}`
      ),
      ''
    ].join('\n')
  )
  const total = Object.values(figures).reduce((n, f) => n + f.answers, 0)
  writeFigures('malformed-answers', { clients: figures, total })
  const clients = Object.keys(figures)
  const cell = (a?: { answers: number; typed: number }): string =>
    `${a?.answers ?? 0} / ${a?.typed ?? 0}`
  publishFigures(
    'malformed-answers',
    {
      table: {
        value: total,
        unit: 'answers',
        text: `\n${markdownTable(
          ['class', ...clients],
          [
            ...[...classes]
              .sort()
              .map(cls => [cls, ...clients.map(c => cell(figures[c].byClass[cls]))]),
            ['**total**', ...clients.map(c => cell(figures[c]))]
          ]
        )}`
      },
      total: { value: total, unit: 'answers', text: `${total} malformed answers` }
    },
    suiteCommand('unit', '__tests__/reliability/malformed-answers.test.ts')
  )
})

const HTML = [
  '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
  '<!DOCTYPE html><title>Sign in</title><form action=/login>',
  '<html>'
]
const realJson = [
  JSON.stringify({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'p', namespace: 'n' },
    status: { phase: 'Running' }
  }),
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.5'] }] }
  }),
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { digest: 'sha256:' + 'a'.repeat(64), size: 10 },
    layers: []
  })
]

/** Answers that are not what a healthy server sends. */
const malformed: fc.Arbitrary<Answer> = fc.oneof(
  // Truncated JSON (a body cut short by a proxy) under 200.
  fc
    .tuple(fc.constantFrom(...realJson), fc.double({ min: 0.05, max: 0.95, noNaN: true }))
    .map(([j, f]) => ({
      status: 200,
      type: 'application/json',
      body: Buffer.from(j.slice(0, Math.max(1, Math.floor(j.length * f)))),
      cls: 'truncated JSON'
    })),
  // An HTML page (a proxy's error or login page) under any status.
  fc
    .tuple(fc.constantFrom(200, 302, 403, 500, 502, 503, 504), fc.constantFrom(...HTML))
    .map(([status, html]) => ({
      status,
      type: 'text/html',
      body: Buffer.from(html),
      cls: 'HTML page from a proxy'
    })),
  // JSON of the wrong shape, or JSON claimed as something else.
  fc
    .tuple(
      fc.constantFrom(200, 500),
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('application/json', 'text/plain', 'application/octet-stream')
    )
    .map(([status, v, type]) => ({
      status,
      type,
      body: Buffer.from(JSON.stringify(v) ?? 'null'),
      cls: type === 'application/json' ? 'JSON of the wrong shape' : 'wrong content type'
    })),
  // Random bytes.
  fc
    .tuple(fc.constantFrom(200, 500, 503), fc.uint8Array({ maxLength: 300 }))
    .map(([status, b]) => ({
      status,
      type: 'application/octet-stream',
      body: Buffer.from(b),
      cls: 'random bytes'
    }))
)

const conn: () => Connection = () => ({
  context: 'fuzz',
  cluster: 'c',
  user: 'u',
  server: `http://${base}`,
  insecureSkipTlsVerify: false,
  authHeaders: async () => ({}),
  source: 'test'
})
const noWait = { now: () => 0, sleep: async () => undefined }

describe('malformed answers from the servers', () => {
  it('kube: every answer is a KubeApiError or a parsed object, never a crash or garbage', async () => {
    const kube = new KubeTransport(conn(), { clock: noWait, maxRetries: 1 })
    const f = (figures.kube = { answers: 0, typed: 0, byClass: {} })
    await fc.assert(
      fc.asyncProperty(malformed, async a => {
        answer = a
        const typed = count(f, a)
        const r = await kube
          .json<Record<string, unknown>>({ path: '/api/v1/namespaces/n/pods/p' })
          .then(
            v => ({ ok: true as const, v }),
            (e: unknown) => ({ ok: false as const, e })
          )
        if (r.ok) {
          // Only an answer that really was JSON under a 2xx may come back, and then as that JSON.
          expect(a.status).toBe(200)
          expect(r.v).toEqual(JSON.parse(a.body.toString('utf8')))
        } else {
          expect(r.e).toBeInstanceOf(KubeApiError)
          expect((r.e as Error).message).not.toMatch(/undefined|\[object Object\]/)
        }
        typed()
      }),
      { numRuns: 250, seed: 7 }
    )
    kube.close()
  })

  it('Prometheus: every answer is samples, no data, MetricsUnavailableError or PromQLError', async () => {
    const prom = createPrometheus(`http://${base}`, {
      timeoutMs: 2000,
      retry: { maxRetries: 1, baseDelayMs: 1 }
    })
    const f = (figures.prometheus = { answers: 0, typed: 0, byClass: {} })
    await fc.assert(
      fc.asyncProperty(malformed, async a => {
        answer = a
        const typed = count(f, a)
        const r = await prom.query('up').then(
          v => ({ ok: true as const, v }),
          (e: unknown) => ({ ok: false as const, e })
        )
        if (r.ok) {
          expect(a.status).toBe(200)
          for (const s of r.v) expect(typeof s.value).toBe('number')
        } else
          expect(r.e instanceof MetricsUnavailableError || r.e instanceof PromQLError).toBe(true)
        typed()
      }),
      { numRuns: 250, seed: 7 }
    )
  })

  it('registry: every answer is an inspection that is not "found" (or a well-formed manifest), never a throw', async () => {
    const registry = createRegistryClient({
      credentials: [],
      mirrors: { 'ghcr.io': base },
      timeoutMs: 2000,
      maxRetries: 1,
      baseDelayMs: 1
    })
    const f = (figures.registry = { answers: 0, typed: 0, byClass: {} })
    await fc.assert(
      fc.asyncProperty(malformed, async a => {
        answer = a
        const typed = count(f, a)
        const ins = await registry.inspect({
          ref: { original: 'ghcr.io/x/app:1', registry: 'ghcr.io', repository: 'x/app', tag: '1' }
        })
        expect(typeof ins.message).toBe('string')
        expect(ins.message).not.toMatch(/undefined|\[object Object\]/)
        if (ins.status === 'found') {
          // Only a real manifest may be found: JSON with a schemaVersion and a media type.
          expect(a.status).toBe(200)
          const m = JSON.parse(a.body.toString('utf8')) as {
            schemaVersion?: unknown
            mediaType?: unknown
            manifests?: unknown
            config?: unknown
          }
          expect(
            m.schemaVersion === 2 && (m.config !== undefined || m.manifests !== undefined)
          ).toBe(true)
        }
        typed()
      }),
      { numRuns: 250, seed: 7 }
    )
  })
})
