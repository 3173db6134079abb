// The Prometheus client and the metric check against the local Prometheus
// (scraping the test exporter every second): result types, NaN and
// infinities, rejected queries, an unreachable server, retries after 503
// with Retry-After (through the fault proxy), TLS with a CA bundle (the
// apiserver as the TLS server), and metric checks that pass, fail and find
// no data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { systemClock } from '../../src/core/clock.js'
import { runMetricCheck } from '../../src/checks/metric.js'
import { PromQLError, createPrometheus } from '../../src/metrics/prometheus.js'
import { MetricsUnavailableError, type Metrics } from '../../src/metrics/types.js'
import { clusterEnv } from '../support/cluster-env.js'
import { startFaultProxy } from '../support/fault-proxy.js'

const SERVICE = `prom-${randomBytes(3).toString('hex')}`
let prom: ReturnType<typeof createPrometheus>

async function control(body: unknown): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}/control`, {
    method: 'POST',
    body: JSON.stringify(body)
  })
  expect(res.status).toBe(200)
}

async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise(r => srv.close(r))
  return port
}

beforeAll(async () => {
  prom = createPrometheus(clusterEnv().prometheus)
  await control({ service: SERVICE, track: 'canary', rps: 20, errorRate: 0.25, latencyMs: 80 })
  const q = `sum(rate(http_requests_total{service="${SERVICE}",track="canary"}[5s]))`
  const end = Date.now() + 30_000
  while (Date.now() < end) {
    const [s] = await prom.query(q)
    if (s && s.value > 10) return
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error('the exporter series never reached Prometheus')
}, 40_000)
afterAll(async () => {
  await fetch(`${clusterEnv().exporter}/control/reset`, {
    method: 'POST',
    body: JSON.stringify({ service: SERVICE })
  })
})

describe('PrometheusClient against the real server', () => {
  it('parses vectors with labels and scalars', async () => {
    const v = await prom.query(
      `sum by (track, code) (rate(http_requests_total{service="${SERVICE}"}[5s]))`
    )
    expect(v.map(s => s.labels).sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { track: 'canary', code: '200' },
      { track: 'canary', code: '500' }
    ])
    expect(v.every(s => s.value > 0 && s.timestamp > 1e9)).toBe(true)
    expect((await prom.query('1 + 1')).map(s => [s.labels, s.value])).toEqual([[{}, 2]])
  })

  it.each([
    ['0/0', Number.NaN],
    ['1/0', Number.POSITIVE_INFINITY],
    ['-1/0', Number.NEGATIVE_INFINITY],
    ['vector(0.25)', 0.25]
  ])('keeps %s as %p', async (query, want) => {
    const [s] = await prom.query(query)
    expect(s.value).toBe(want)
  })

  it('answers an empty result as no data', async () => {
    expect(await prom.query(`http_requests_total{service="${SERVICE}-absent"}`)).toEqual([])
  })

  it('throws PromQLError for a query Prometheus rejects, and for a range vector', async () => {
    await expect(prom.query('sum(rate(http_requests_total{[5m]))')).rejects.toThrow(PromQLError)
    await expect(prom.query('sum(rate(http_requests_total{[5m]))')).rejects.toThrow(
      /^Prometheus rejected the query .*: .*parse error/
    )
    await expect(prom.query('http_requests_total[1m]')).rejects.toThrow(
      /gives a range vector; an instant value is needed/
    )
  })

  it('is unavailable on a closed port, after its retries', async () => {
    const port = await closedPort()
    const down = createPrometheus(`http://127.0.0.1:${port}`, { retry: { baseDelayMs: 10 } })
    const err = await down.query('1').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MetricsUnavailableError)
    expect((err as Error).message).toBe(
      `cannot reach Prometheus at http://127.0.0.1:${port}: connection refused (after 2 retries)`
    )
    expect(down.lastRetries).toBe(2)
  })

  it('retries a 503 after the Retry-After the server asked for', async () => {
    const proxy = await startFaultProxy({ target: new URL(clusterEnv().prometheus).host })
    try {
      proxy.setRules([
        {
          match: { path: '/api/v1/query' },
          fault: { kind: 'status', status: 503, retryAfter: '1' },
          times: 2
        }
      ])
      const client = createPrometheus(proxy.url)
      const started = Date.now()
      const [s] = await client.query('vector(7)')
      expect(s.value).toBe(7)
      expect(proxy.faulted).toBe(2)
      expect(client.lastRetries).toBe(2)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900)

      proxy.setRules([{ fault: { kind: 'status', status: 503 } }])
      const fast = createPrometheus(proxy.url, { retry: { baseDelayMs: 10 } })
      await expect(fast.query('vector(7)')).rejects.toThrow(
        `Prometheus at ${proxy.url} answered HTTP 503 (after 2 retries)`
      )
    } finally {
      await proxy.close()
    }
  })

  it('trusts a private CA from caFile and says how to fix TLS without it', async () => {
    // The apiserver is a TLS server on loopback signed by the cluster CA; as Prometheus it answers 403/404.
    const env = clusterEnv()
    const withCa = createPrometheus({ url: env.apiserver, caFile: env.caFile })
    const err = (await withCa.query('1').catch((e: unknown) => e)) as MetricsUnavailableError
    expect(err).toBeInstanceOf(MetricsUnavailableError)
    expect(err.status).toBeGreaterThanOrEqual(400)
    expect(err.message).toMatch(/answered HTTP 40\d|refused the request \(HTTP 40\d\)/)

    const without = createPrometheus(env.apiserver, { retry: { maxRetries: 0 } })
    const tls = (await without.query('1').catch((e: unknown) => e)) as Error
    expect(tls.message).toMatch(
      /TLS with https:\/\/127\.0\.0\.1:\d+ failed \([A-Z_]+\): set the CA bundle \(prometheus\.caFile\)/
    )
  })
})

describe('the metric check against the real exporter', () => {
  const ctx = (metrics: Metrics) => ({
    metrics: () => metrics,
    clock: systemClock,
    signal: new AbortController().signal
  })
  const errorRate = `sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"}[5s])) / sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))`

  it('passes and shows the numbers', async () => {
    const r = await runMetricCheck(
      { query: errorRate, expect: '< 0.5', name: 'errorRate' },
      ctx(prom)
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toMatch(/^errorRate = 0\.2\d* \(expect < 0\.5\)$/)
    expect(r.data).toMatchObject({
      query: errorRate.replaceAll('{{track}}', 'canary'),
      expect: '< 0.5',
      cel: 'value < 0.5',
      prometheus: clusterEnv().prometheus
    })
  })

  it('fails when the value breaks the expectation', async () => {
    const r = await runMetricCheck(
      { query: errorRate, expect: '< 0.1', name: 'errorRate' },
      ctx(prom)
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(/^errorRate = 0\.2\d* at \d{4}-[\d-]+T[\d:.]+Z: expected < 0\.1$/)
  })

  it('samples a window and holds the expectation at every sample', async () => {
    const started = Date.now()
    const r = await runMetricCheck({ query: errorRate, expect: '< 0.5', window: '3s' }, ctx(prom))
    expect(r.verdict).toBe('pass')
    expect(r.data?.samples).toBe(4)
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000)
  })

  it('fails with "no data" for a query without series (never a pass)', async () => {
    const q = `sum(rate(http_requests_total{service="${SERVICE}-absent"}[5s]))`
    const r = await runMetricCheck({ query: q, expect: '< 0.5' }, ctx(prom))
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(
      new RegExp(
        `^no data for ${q.replace(/[()[\]{}.*+?^$|\\]/g, '\\$&')} since \\d{4}-.*Z: the query returned no series$`
      )
    )
  })

  it('could not check (error, exit 3) when Prometheus is unreachable', async () => {
    const down = createPrometheus(`http://127.0.0.1:${await closedPort()}`, {
      retry: { baseDelayMs: 10 }
    })
    const r = await runMetricCheck({ query: 'vector(1)', expect: '< 2' }, ctx(down))
    expect(r.verdict).toBe('error')
    expect(r.message).toMatch(
      /^could not check vector\(1\): cannot reach Prometheus at .*connection refused/
    )
  })
})
