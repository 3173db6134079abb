// What the reliability suite added to the fault proxy: rules that let the
// first N requests through, a cut in the middle of a stream (a watch), and an
// upstream request that ends when its client goes away.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'

let upstream: http.Server
let target = ''
let openStreams = 0

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url?.startsWith('/stream')) {
      // A watch: a line every 20 ms until the client goes away.
      openStreams++
      res.writeHead(200, { 'content-type': 'application/json' })
      const t = setInterval(() => res.write('{"type":"BOOKMARK"}\n'), 20)
      res.on('close', () => {
        clearInterval(t)
        openStreams--
      })
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ path: req.url }))
  })
  await new Promise<void>(r => upstream.listen(0, '127.0.0.1', () => r()))
  target = `127.0.0.1:${(upstream.address() as AddressInfo).port}`
})
afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise<void>(r => upstream.close(() => r()))
})

async function get(proxy: FaultProxy, path: string): Promise<number> {
  try {
    return (await fetch(`${proxy.url}${path}`)).status
  } catch {
    return 0
  }
}

describe('fault proxy additions', () => {
  it('skip: lets the first N matching requests through, then faults `times` of them', async () => {
    const proxy = await startFaultProxy({
      target,
      rules: [{ match: { path: '/a' }, fault: { kind: 'status', status: 503 }, skip: 2, times: 2 }]
    })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push(await get(proxy, '/a'))
    expect(statuses).toEqual([200, 200, 503, 503, 200, 200])
    // Requests the rule does not match neither count nor use up the skip.
    expect(await get(proxy, '/b')).toBe(200)
    expect(proxy.faulted).toBe(2)
    proxy.resetCounts()
    expect([await get(proxy, '/a'), await get(proxy, '/a'), await get(proxy, '/a')]).toEqual([
      200, 200, 503
    ])
    await proxy.close()
  })

  it('cut with afterMs: a stream flows, then dies mid-way', async () => {
    const proxy = await startFaultProxy({
      target,
      rules: [{ match: { path: '/stream' }, fault: { kind: 'cut', afterMs: 150 } }]
    })
    const started = Date.now()
    const res = await fetch(`${proxy.url}/stream`)
    expect(res.status).toBe(200)
    let lines = 0
    let failed = false
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        lines += Buffer.from(chunk).toString().split('\n').length - 1
    } catch {
      failed = true
    }
    expect(lines).toBeGreaterThan(1)
    expect(failed).toBe(true)
    expect(Date.now() - started).toBeLessThan(2000)
    await proxy.close()
  })

  it('a client that goes away ends the upstream request (no stream left open to its server timeout)', async () => {
    const proxy = await startFaultProxy({ target })
    const controller = new AbortController()
    const res = await fetch(`${proxy.url}/stream`, { signal: controller.signal })
    expect(res.status).toBe(200)
    expect(openStreams).toBe(1)
    controller.abort()
    const end = Date.now() + 2000
    while (openStreams > 0 && Date.now() < end) await new Promise(r => setTimeout(r, 10))
    expect(openStreams).toBe(0)
    await proxy.close()
  })

  it('close() ends streams still open upstream', async () => {
    const proxy = await startFaultProxy({ target })
    const res = await fetch(`${proxy.url}/stream`)
    expect(res.status).toBe(200)
    expect(openStreams).toBe(1)
    await proxy.close()
    const end = Date.now() + 2000
    while (openStreams > 0 && Date.now() < end) await new Promise(r => setTimeout(r, 10))
    expect(openStreams).toBe(0)
  })
})
