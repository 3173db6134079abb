// The kube transport's retries, against a scripted HTTP server on loopback:
// which failures are retried for which methods, Retry-After honoured, bounded
// attempts, the retries counted (on the transport and in the async scope a
// check runs in) and named in the final error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Clock } from '../../src/core/clock.js'
import { countRetries } from '../../src/core/retry.js'
import { KubeTransport, retryDecision } from '../../src/kube/http.js'
import type { Connection } from '../../src/kube/kubeconfig.js'
import { KubeApiError } from '../../src/kube/types.js'

/** What the server does for one attempt. */
type Step =
  | { status: number; body?: string; type?: string; retryAfter?: string }
  | 'reset'
  | 'cut'
  | 'html200'

let server: http.Server
let port = 0
let script: Step[] = []
let attempts = 0
const sockets = new Set<Socket>()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const step = script[Math.min(attempts, script.length - 1)]
      attempts++
      if (step === 'reset') return req.socket.destroy()
      if (step === 'cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.write('{"kind":"Pod","meta')
        setTimeout(() => res.socket?.destroy(), 10)
        return
      }
      if (step === 'html200') {
        res.writeHead(200, { 'content-type': 'text/html' })
        return res.end('<html><body><h1>Proxy Authentication Required</h1></body></html>')
      }
      const headers: Record<string, string> = { 'content-type': step.type ?? 'application/json' }
      if (step.retryAfter) headers['retry-after'] = step.retryAfter
      res.writeHead(step.status, headers)
      res.end(
        step.body ??
          JSON.stringify(
            step.status < 300
              ? { kind: 'Pod', ok: true }
              : {
                  kind: 'Status',
                  message: `injected ${step.status}`,
                  reason: 'Injected',
                  code: step.status
                }
          )
      )
    })
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise<void>(r => server.close(() => r()))
})

function conn(p = port): Connection {
  return {
    context: 'ctx-test',
    cluster: 'c',
    user: 'u',
    server: `http://127.0.0.1:${p}`,
    insecureSkipTlsVerify: false,
    authHeaders: async () => ({}),
    source: 'test'
  }
}

/** A clock whose sleeps pass at once and are recorded. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  let now = 0
  return {
    sleeps,
    now: () => now,
    sleep: async ms => {
      sleeps.push(ms)
      now += ms
    }
  }
}

function transport(clock = recordingClock()): KubeTransport {
  return new KubeTransport(conn(), {
    clock,
    maxRetries: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5
  })
}

const ok = { status: 200 }

describe('kube transport retries', () => {
  const table: {
    name: string
    method: string
    idempotent?: boolean
    steps: Step[]
    attempts: number
    result: 'ok' | { status: number; message: RegExp }
  }[] = [
    {
      name: 'GET after two 503s',
      method: 'GET',
      steps: [{ status: 503 }, { status: 503 }, ok],
      attempts: 3,
      result: 'ok'
    },
    {
      name: 'GET after a 500',
      method: 'GET',
      steps: [{ status: 500 }, ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'GET after a 502 HTML page from a proxy',
      method: 'GET',
      steps: [
        { status: 502, type: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' },
        ok
      ],
      attempts: 2,
      result: 'ok'
    },
    { name: 'GET after a reset', method: 'GET', steps: ['reset', ok], attempts: 2, result: 'ok' },
    {
      name: 'GET after a body cut short',
      method: 'GET',
      steps: ['cut', ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'GET after an HTML 200 (wrong content type)',
      method: 'GET',
      steps: ['html200', ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'PATCH (server-side apply) after a 503',
      method: 'PATCH',
      steps: [{ status: 503 }, ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'DELETE after a reset',
      method: 'DELETE',
      steps: ['reset', ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'POST create after a 429 (not served: safe)',
      method: 'POST',
      steps: [{ status: 429, retryAfter: '1' }, ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'POST access review (idempotent) after a 503',
      method: 'POST',
      idempotent: true,
      steps: [{ status: 503 }, ok],
      attempts: 2,
      result: 'ok'
    },
    {
      name: 'POST create is not repeated after a 503',
      method: 'POST',
      steps: [{ status: 503 }, ok],
      attempts: 1,
      result: { status: 503, message: /injected 503$/ }
    },
    {
      name: 'POST create is not repeated after a reset',
      method: 'POST',
      steps: ['reset', ok],
      attempts: 1,
      result: { status: 0, message: /connection reset|socket hang up/ }
    },
    {
      name: 'GET 403 is an answer, not retried',
      method: 'GET',
      steps: [{ status: 403 }, ok],
      attempts: 1,
      result: { status: 403, message: /injected 403$/ }
    },
    {
      name: 'GET 404 is an answer, not retried',
      method: 'GET',
      steps: [{ status: 404 }, ok],
      attempts: 1,
      result: { status: 404, message: /injected 404$/ }
    },
    {
      name: 'GET 409 is an answer, not retried',
      method: 'GET',
      steps: [{ status: 409 }, ok],
      attempts: 1,
      result: { status: 409, message: /injected 409$/ }
    },
    {
      name: 'GET persistent 503: bounded, the error names the retries',
      method: 'GET',
      steps: [{ status: 503 }],
      attempts: 4,
      result: { status: 503, message: /injected 503 \(after 3 retries\)$/ }
    },
    {
      name: 'GET persistent reset: bounded',
      method: 'GET',
      steps: ['reset'],
      attempts: 4,
      result: { status: 0, message: /\(after 3 retries\)$/ }
    },
    {
      name: 'GET persistent HTML 200: malformed, named',
      method: 'GET',
      steps: ['html200'],
      attempts: 4,
      result: {
        status: 200,
        message:
          /not JSON \(content-type text\/html\).*Proxy Authentication Required.*\(after 3 retries\)$/
      }
    }
  ]
  it.each(table)('$name', async t => {
    script = t.steps
    attempts = 0
    const kube = transport()
    const call = kube.json({
      method: t.method,
      path: '/api/v1/namespaces/x/pods/p',
      idempotent: t.idempotent,
      body: t.method === 'GET' || t.method === 'DELETE' ? undefined : {}
    })
    if (t.result === 'ok') await expect(call).resolves.toEqual({ kind: 'Pod', ok: true })
    else {
      const err = await call.then(
        () => undefined,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(KubeApiError)
      expect((err as KubeApiError).status).toBe(t.result.status)
      expect((err as KubeApiError).message).toMatch(t.result.message)
    }
    expect(attempts).toBe(t.attempts)
    expect(kube.retries).toBe(t.attempts - 1)
    kube.close()
  })

  it('honours Retry-After (seconds and HTTP dates) instead of its own backoff', async () => {
    script = [{ status: 429, retryAfter: '2' }, { status: 503, retryAfter: '1' }, ok]
    attempts = 0
    const clock = recordingClock()
    const kube = transport(clock)
    await kube.json({ path: '/api' })
    expect(clock.sleeps).toEqual([2000, 1000])
    // An HTTP date a few seconds ahead: the wait is what is left until then.
    script = [{ status: 503, retryAfter: new Date(Date.now() + 3000).toUTCString() }, ok]
    attempts = 0
    clock.sleeps.length = 0
    await kube.json({ path: '/api' })
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThan(1000)
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000)
    kube.close()
  })

  it('backs off exponentially with jitter when the server names no wait', async () => {
    script = [{ status: 503 }, { status: 503 }, { status: 503 }, ok]
    attempts = 0
    const clock = recordingClock()
    const kube = new KubeTransport(conn(), {
      clock,
      maxRetries: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.5
    })
    await kube.json({ path: '/api' })
    // Equal jitter: half the ceiling plus a random half (0.5 here): 75, 150, 300.
    expect(clock.sleeps).toEqual([75, 150, 300])
    kube.close()
  })

  it('does not wait out a Retry-After beyond its cap: the 429 stands, named', async () => {
    script = [{ status: 429, retryAfter: '3600' }, ok]
    attempts = 0
    const kube = new KubeTransport(conn(), { clock: recordingClock(), maxRetryAfterMs: 30_000 })
    await expect(kube.json({ path: '/api' })).rejects.toMatchObject({ status: 429 })
    expect(attempts).toBe(1)
    kube.close()
  })

  it('counts retries into the async scope of the check that caused them, concurrently', async () => {
    // Two checks at once: one meets two faults, the other none.
    const faulty = new KubeTransport(conn(), { clock: recordingClock(), baseDelayMs: 1 })
    const closed = await new Promise<number>(resolve => {
      const s = http.createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const refused = new KubeTransport(conn(closed), {
      clock: recordingClock(),
      maxRetries: 2,
      baseDelayMs: 1
    })
    script = [ok]
    attempts = 0
    const [a, b] = await Promise.all([
      countRetries(() => refused.json({ path: '/api' }).catch((e: unknown) => e)),
      countRetries(() => faulty.json({ path: '/api' }))
    ])
    expect(a.retries).toBe(2)
    expect(a.value).toBeInstanceOf(KubeApiError)
    expect((a.value as KubeApiError).message).toMatch(
      /127\.0\.0\.1:\d+ \(context "ctx-test"\).*connection refused \(after 2 retries\)/
    )
    expect(b.retries).toBe(0)
    // Scopes nest: an outer scope (the gate) sees its checks' retries.
    const outer = await countRetries(() =>
      countRetries(() => refused.json({ path: '/x' }).catch(() => undefined))
    )
    expect(outer.retries).toBe(2)
    expect(outer.value.retries).toBe(2)
    faulty.close()
    refused.close()
  })

  it('stops retrying when the caller aborts', async () => {
    script = [{ status: 503 }]
    attempts = 0
    const controller = new AbortController()
    const clock: Clock = {
      now: () => 0,
      sleep: async () => {
        controller.abort(new Error('SIGTERM'))
        throw new Error('SIGTERM')
      }
    }
    const kube = new KubeTransport(conn(), { clock })
    await expect(kube.json({ path: '/api', signal: controller.signal })).rejects.toThrow()
    expect(attempts).toBe(1)
    kube.close()
  })
})

describe('retryDecision', () => {
  const err = (status: number, reason?: string, transport = false) =>
    new KubeApiError('x', status, reason, undefined, transport)
  it.each([
    ['429 on a POST', err(429), false, 'HTTP 429'],
    ['refused on a POST', err(0, 'ECONNREFUSED', true), false, 'connection refused'],
    ['reset on a POST', err(0, 'ECONNRESET', true), false, undefined],
    ['reset on a GET', err(0, 'ECONNRESET', true), true, 'ECONNRESET'],
    ['504 on a GET', err(504, 'GatewayTimeout'), true, 'HTTP 504 GatewayTimeout'],
    ['410 Gone on a GET (the watch relists instead)', err(410, 'Expired'), true, undefined],
    ['401 on a GET', err(401), true, undefined],
    ['422 on a PATCH', err(422), true, undefined],
    ['malformed answer on a GET', err(200, 'MalformedResponse'), true, 'malformed answer'],
    [
      'a certificate the CA does not vouch for (not retried)',
      err(0, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', true),
      true,
      undefined
    ],
    [
      'a server name the certificate does not cover (not retried)',
      err(0, 'ERR_TLS_CERT_ALTNAME_INVALID', true),
      true,
      undefined
    ],
    ['a plain Error', new Error('boom'), true, undefined]
  ])('%s', (_name, e, idempotent, reason) => {
    expect(retryDecision(e, idempotent)?.reason).toBe(reason)
  })
})
