// The Prometheus client over its transport seam (answers, retries,
// Retry-After, errors) and its settings (credentials from the environment,
// masked; CA file; service proxy), plus an in-process HTTP server for the
// headers a real request carries.
import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { UsageError } from '../../src/core/errors.js'
import { clearSecrets, redact } from '../../src/core/secrets.js'
import {
  PromQLError,
  PrometheusClient,
  createPrometheus,
  hasTrack,
  parseAnswer,
  parseSampleValue,
  planPrometheus,
  serviceProxyTransport,
  withTrack,
  type PromResponse,
  type PromTransport
} from '../../src/metrics/prometheus.js'
import { MetricsUnavailableError } from '../../src/metrics/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { VirtualClock } from '../rollout/fakes.js'

const ok = (data: unknown): PromResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({ status: 'success', data })
})

afterEach(() => clearSecrets())

describe('parseSampleValue', () => {
  it.each([
    ['1.5', 1.5],
    ['0', 0],
    ['-2e-3', -0.002],
    ['NaN', Number.NaN],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY]
  ])('%s is %p', (text, want) => {
    expect(parseSampleValue(text)).toBe(want)
  })
  it.each([[''], ['abc'], [undefined], [3]])('rejects %p', text => {
    expect(() => parseSampleValue(text)).toThrow(/not a sample value/)
  })
})

describe('parseAnswer', () => {
  it('reads a vector with labels and timestamps', () => {
    const res = ok({
      resultType: 'vector',
      result: [
        { metric: { track: 'canary' }, value: [1700000000.5, '0.25'] },
        { metric: { track: 'stable' }, value: [1700000000.5, 'NaN'] }
      ]
    })
    const s = parseAnswer(res, 'q')
    expect(s.map(x => [x.labels, x.timestamp])).toEqual([
      [{ track: 'canary' }, 1700000000.5],
      [{ track: 'stable' }, 1700000000.5]
    ])
    expect(s[0].value).toBe(0.25)
    expect(s[1].value).toBeNaN()
  })

  it('reads a scalar as one unlabelled sample, and an empty vector as no data', () => {
    expect(parseAnswer(ok({ resultType: 'scalar', result: [1, '+Inf'] }), 'q')).toEqual([
      { labels: {}, timestamp: 1, value: Number.POSITIVE_INFINITY }
    ])
    expect(parseAnswer(ok({ resultType: 'vector', result: [] }), 'q')).toEqual([])
  })

  it.each<[string, PromResponse, RegExp, string]>([
    [
      'a range vector',
      ok({ resultType: 'matrix', result: [] }),
      /gives a range vector; an instant value is needed/,
      'PromQLError'
    ],
    [
      'a string',
      ok({ resultType: 'string', result: [1, 'x'] }),
      /gives a string, not a number/,
      'PromQLError'
    ],
    [
      '400 bad_data',
      {
        status: 400,
        headers: {},
        body: JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: 'parse error: unexpected }'
        })
      },
      /^Prometheus rejected the query q: parse error: unexpected }$/,
      'PromQLError'
    ],
    [
      '422 execution',
      {
        status: 422,
        headers: {},
        body: JSON.stringify({
          status: 'error',
          errorType: 'execution',
          error: 'many-to-many matching'
        })
      },
      /rejected the query q: many-to-many/,
      'PromQLError'
    ],
    [
      '401',
      { status: 401, headers: {}, body: 'Unauthorized' },
      /refused the request \(HTTP 401\): check the bearer token or basic auth/,
      'MetricsUnavailableError'
    ],
    ['403', { status: 403, headers: {}, body: '' }, /HTTP 403/, 'MetricsUnavailableError'],
    [
      '500 with an error',
      {
        status: 500,
        headers: {},
        body: JSON.stringify({ status: 'error', error: 'out of memory' })
      },
      /answered HTTP 500: out of memory/,
      'MetricsUnavailableError'
    ],
    [
      '200 that is not the API',
      { status: 200, headers: {}, body: '<html>' },
      /answered something that is not a Prometheus API answer \(HTTP 200, content-type none\): <html>/,
      'MetricsUnavailableError'
    ],
    [
      'a malformed vector',
      ok({ resultType: 'vector', result: [{ metric: {} }] }),
      /malformed result/,
      'MetricsUnavailableError'
    ]
  ])('%s', (_, res, message, type) => {
    let err: unknown
    try {
      parseAnswer(res, 'q', 'http://p')
    } catch (e) {
      err = e
    }
    expect((err as Error).name).toBe(type)
    expect((err as Error).message).toMatch(message)
  })

  it('keeps the status and error type', () => {
    const e = (() => {
      try {
        parseAnswer(
          { status: 400, headers: {}, body: JSON.stringify({ errorType: 'bad_data', error: 'x' }) },
          'up{'
        )
      } catch (err) {
        return err as PromQLError
      }
    })()
    expect(e).toBeInstanceOf(PromQLError)
    expect(e?.errorType).toBe('bad_data')
    expect(e?.query).toBe('up{')
  })
})

describe('{{track}}', () => {
  it.each([
    ['rate(x{track="{{track}}"}[1m])', 'canary', 'rate(x{track="canary"}[1m])', true],
    ['a{t="{{ track }}"} / b{t="{{track}}"}', 'stable', 'a{t="stable"} / b{t="stable"}', true],
    ['sum(rate(x[1m]))', 'canary', 'sum(rate(x[1m]))', false]
  ])('%s for %s', (q, track, want, has) => {
    expect(withTrack(q, track)).toBe(want)
    expect(hasTrack(q)).toBe(has)
  })
})

describe('PrometheusClient retries', () => {
  function scripted(answers: (PromResponse | Error)[]): {
    transport: PromTransport
    calls: number
  } {
    const box = { calls: 0, transport: undefined as unknown as PromTransport }
    box.transport = async () => {
      const a = answers[Math.min(box.calls++, answers.length - 1)]
      if (a instanceof Error) throw a
      return a
    }
    return box
  }
  const vector = ok({ resultType: 'vector', result: [{ metric: {}, value: [1, '3'] }] })

  it('retries 503 and 429 with the server Retry-After, then answers', async () => {
    const clock = new VirtualClock()
    const s = scripted([
      { status: 503, headers: { 'retry-after': '3' }, body: '' },
      { status: 429, headers: { 'retry-after': '1' }, body: '' },
      vector
    ])
    const c = new PrometheusClient({ url: 'http://p', transport: r => s.transport(r), clock })
    expect((await c.query('q')).map(x => x.value)).toEqual([3])
    expect(s.calls).toBe(3)
    expect(clock.sleeps).toEqual([3000, 1000])
    expect(c.lastRetries).toBe(2)
  })

  it('gives up after its retries with the last status', async () => {
    const s = scripted([{ status: 502, headers: {}, body: '' }])
    const c = new PrometheusClient({
      url: 'http://p',
      transport: r => s.transport(r),
      clock: new VirtualClock(),
      retry: { random: () => 0 }
    })
    await expect(c.query('q')).rejects.toThrow(
      new MetricsUnavailableError('Prometheus at http://p answered HTTP 502 (after 2 retries)')
    )
    expect(s.calls).toBe(3)
  })

  it('retries a transport failure and reports it as unavailable', async () => {
    const clock = new VirtualClock()
    const s = scripted([new Error('connection refused')])
    const c = new PrometheusClient({
      url: 'http://p',
      transport: r => s.transport(r),
      clock,
      retry: { random: () => 0 }
    })
    const err = await c.query('q').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MetricsUnavailableError)
    expect((err as Error).message).toBe(
      'cannot reach Prometheus at http://p: connection refused (after 2 retries)'
    )
    // Equal jitter with random 0: half of 200 ms, then half of 400 ms.
    expect(clock.sleeps).toEqual([100, 200])
  })

  it('never retries a rejected query', async () => {
    const s = scripted([
      { status: 400, headers: {}, body: JSON.stringify({ errorType: 'bad_data', error: 'bad' }) }
    ])
    const c = new PrometheusClient({
      url: 'http://p',
      transport: r => s.transport(r),
      clock: new VirtualClock()
    })
    await expect(c.query('q')).rejects.toBeInstanceOf(PromQLError)
    expect(s.calls).toBe(1)
  })

  it('passes the time of an instant query', async () => {
    const seen: Record<string, string>[] = []
    const c = new PrometheusClient({
      url: 'http://p',
      transport: async r => {
        seen.push(r.params)
        return vector
      }
    })
    await c.query('up', { time: 1700000000 })
    expect(seen).toEqual([{ query: 'up', time: '1700000000' }])
  })
})

describe('createPrometheus', () => {
  let server: http.Server | undefined
  afterEach(async () => {
    await new Promise(r => (server ? server.close(r) : r(undefined)))
    server = undefined
  })

  async function recordingServer(): Promise<{
    url: string
    seen: http.IncomingHttpHeaders[]
    paths: string[]
  }> {
    const seen: http.IncomingHttpHeaders[] = []
    const paths: string[] = []
    server = http.createServer((req, res) => {
      seen.push(req.headers)
      paths.push(req.url ?? '')
      res.setHeader('Content-Type', 'application/json')
      res.end(
        JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '1'] } })
      )
    })
    await new Promise<void>(r => server?.listen(0, '127.0.0.1', r))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, paths }
  }

  it('sends the bearer token from the environment and masks it', async () => {
    const s = await recordingServer()
    const c = createPrometheus(
      { url: s.url, bearerTokenEnv: 'PROM_TOKEN' },
      { env: { PROM_TOKEN: 'tok-1234567' } }
    )
    await c.query('sum(up)')
    expect(s.seen[0].authorization).toBe('Bearer tok-1234567')
    expect(s.paths[0]).toBe('/api/v1/query?query=sum%28up%29')
    expect(redact('token tok-1234567')).toBe('token ***')
    expect(c.url).toBe(s.url)
  })

  it('sends basic auth from the environment and masks both forms', async () => {
    const s = await recordingServer()
    const c = createPrometheus(
      { url: s.url, basicAuth: { usernameEnv: 'U', passwordEnv: 'P' } },
      { env: { U: 'reader', P: 'pa55word' } }
    )
    await c.query('1')
    const header = `Basic ${Buffer.from('reader:pa55word').toString('base64')}`
    expect(s.seen[0].authorization).toBe(header)
    expect(redact(header)).toBe('Basic ***')
    expect(redact('pa55word')).toBe('***')
  })

  it.each<[string, Parameters<typeof createPrometheus>[0], RegExp]>([
    [
      'a missing token variable',
      { url: 'http://p', bearerTokenEnv: 'NOPE' },
      /prometheus\.bearerTokenEnv: the environment variable NOPE is not set/
    ],
    [
      'a missing password variable',
      { url: 'http://p', basicAuth: { usernameEnv: 'U', passwordEnv: 'NOPE' } },
      /passwordEnv: the environment variable NOPE is not set/
    ],
    [
      'an unreadable CA file',
      { url: 'https://p', caFile: 'no-such-ca.pem' },
      /prometheus\.caFile no-such-ca\.pem cannot be read/
    ],
    [
      'a service proxy without a cluster',
      { url: 'http://p', serviceProxy: 'monitoring/prometheus:9090' },
      /serviceProxy needs a cluster connection/
    ]
  ])('refuses %s with a usage error', (_, spec, message) => {
    let err: unknown
    try {
      createPrometheus(spec, { env: { U: 'u' }, baseDir: '/nonexistent' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UsageError)
    expect((err as Error).message).toMatch(message)
  })

  it('never shows credentials written in the URL', () => {
    const c = createPrometheus('http://admin:hunter22@127.0.0.1:9/prom')
    expect(c.url).toBe('http://127.0.0.1:9/prom')
    expect(redact('hunter22')).toBe('***')
  })

  it('goes through the API server service proxy', async () => {
    const cluster = new FakeCluster()
    const asked: unknown[] = []
    cluster.proxyHandler = async req => {
      asked.push(req)
      return {
        status: 200,
        headers: {},
        body: JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.5'] }] }
        }),
        durationMs: 1
      }
    }
    const c = createPrometheus(
      { url: 'http://prometheus.monitoring:9090', serviceProxy: 'monitoring/prometheus:9090' },
      { cluster: async () => cluster }
    )
    expect((await c.query('rate(x[1m])')).map(s => s.value)).toEqual([0.5])
    expect(asked).toEqual([
      {
        namespace: 'monitoring',
        service: 'prometheus',
        port: '9090',
        path: '/api/v1/query?query=rate%28x%5B1m%5D%29',
        timeoutMs: 10_000
      }
    ])
    expect(c.url).toBe('service proxy monitoring/prometheus:9090')
  })

  it('a non-2xx through the service proxy is an answer, judged like any other', async () => {
    const cluster = new FakeCluster()
    cluster.proxyHandler = async () => ({
      status: 503,
      headers: {},
      body: 'no endpoints available for service "prometheus"',
      durationMs: 1
    })
    const t = serviceProxyTransport(async () => cluster, 'monitoring/prometheus:web')
    const c = new PrometheusClient({ url: 'proxy', transport: t, clock: new VirtualClock() })
    await expect(c.query('1')).rejects.toThrow(/answered HTTP 503 \(after 2 retries\)/)
    expect(() => serviceProxyTransport(async () => cluster, 'prometheus:9090')).toThrow(UsageError)
  })
})

describe('planPrometheus', () => {
  it.each([
    [{ prometheus: 'http://top' }, 'http://top'],
    [
      { prometheus: 'http://top', rollout: { metrics: { prometheus: 'http://rollout' } } },
      'http://rollout'
    ],
    [{ rollout: { metrics: {} } }, undefined]
  ])('%j → %s', (plan, want) => {
    expect(planPrometheus(plan)).toBe(want)
  })
})
