// The fault proxy test helper itself, in front of a tiny in-process loopback server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js'

let upstream: http.Server
let target: string
let proxy: FaultProxy
const BODY = 'x'.repeat(10_000)

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-path': req.url ?? '' })
    res.end(req.url === '/big' ? BODY : `hello ${req.method} ${req.url}`)
  })
  await new Promise<void>(r => upstream.listen(0, '127.0.0.1', () => r()))
  target = `127.0.0.1:${(upstream.address() as AddressInfo).port}`
  proxy = await startFaultProxy({ target })
})

afterEach(() => {
  proxy.setRules([])
  proxy.resetCounts()
})

afterAll(async () => {
  await proxy.close()
  await new Promise<void>(r => upstream.close(() => r()))
})

describe('fault proxy', () => {
  it('forwards requests untouched when no rule matches', async () => {
    const res = await fetch(`${proxy.url}/a?b=1`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello GET /a?b=1')
    expect(proxy.faulted).toBe(0)
    expect(proxy.requests).toEqual([{ method: 'GET', path: '/a?b=1' }])
  })

  it('answers a status with Retry-After, then lets requests through after `times`', async () => {
    proxy.setRules([{ fault: { kind: 'status', status: 429, retryAfter: '7' }, times: 2 }])
    const answers = []
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${proxy.url}/x`)
      answers.push([res.status, res.headers.get('retry-after')])
      await res.arrayBuffer()
    }
    expect(answers).toEqual([
      [429, '7'],
      [429, '7'],
      [200, null]
    ])
    expect(proxy.faulted).toBe(2)
    expect(proxy.faultsPerRule()).toEqual([2])
    expect(proxy.requests.map(r => r.fault)).toEqual(['status', 'status', undefined])
  })

  it('matches rules by method and path (prefix or pattern)', async () => {
    proxy.setRules([
      { match: { method: 'POST' }, fault: { kind: 'status', status: 503 } },
      { match: { path: /\/blobs\// }, fault: { kind: 'status', status: 500 } },
      { match: { path: '/v2/a' }, fault: { kind: 'status', status: 502 } }
    ])
    const status = async (path: string, method = 'GET') => {
      const res = await fetch(`${proxy.url}${path}`, {
        method,
        body: method === 'POST' ? 'x' : undefined
      })
      await res.arrayBuffer()
      return res.status
    }
    expect(await status('/v2/a/manifests/1')).toBe(502)
    expect(await status('/v2/b/blobs/sha256:1')).toBe(500)
    expect(await status('/v2/b/manifests/1')).toBe(200)
    expect(await status('/v2/b/manifests/1', 'POST')).toBe(503)
    expect(proxy.faultsPerRule()).toEqual([1, 1, 1])
  })

  it('resets the connection', async () => {
    proxy.setRules([{ fault: { kind: 'reset' }, times: 1 }])
    await expect(fetch(`${proxy.url}/r`)).rejects.toThrow('fetch failed')
    expect((await fetch(`${proxy.url}/r`)).status).toBe(200)
  })

  it('stalls: forwards after `ms`, or never answers', async () => {
    proxy.setRules([{ fault: { kind: 'stall', ms: 300 }, times: 1 }])
    const started = Date.now()
    const res = await fetch(`${proxy.url}/slow`)
    expect(await res.text()).toBe('hello GET /slow')
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)

    proxy.setRules([{ fault: { kind: 'stall' } }])
    await expect(fetch(`${proxy.url}/never`, { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /timeout|aborted/i
    )
  })

  it('cuts a response mid-way under its full Content-Length', async () => {
    proxy.setRules([{ fault: { kind: 'cut', afterBytes: 1000 }, times: 1 }])
    const res = await fetch(`${proxy.url}/big`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(BODY.length))
    await expect(res.text()).rejects.toThrow()
    const whole = await fetch(`${proxy.url}/big`)
    expect((await whole.text()).length).toBe(BODY.length)
  })

  it('refuses a target that is not loopback', async () => {
    await expect(startFaultProxy({ target: '10.0.0.1:80' })).rejects.toThrow(
      'not a loopback address'
    )
  })
})
