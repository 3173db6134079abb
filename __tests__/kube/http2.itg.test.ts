// The kube transport over HTTP/2, against a scripted HTTP/2 server on
// loopback that presents the local cluster's apiserver certificate (so the
// transport's TLS checks run as against the apiserver): one connection for
// many requests; a stalled stream bounded and its connection retired; a reset
// stream, a GOAWAY and a connection cut mid-body retried as on HTTP/1.1; a
// server without h2 (or DISABLE_HTTP2) served over HTTP/1.1. The fault matrix
// runs through an HTTP/1.1 proxy, so these are the HTTP/2 path's faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import http2 from 'node:http2'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { KubeTransport } from '../../src/kube/http.js'
import type { Connection } from '../../src/kube/kubeconfig.js'
import { KubeApiError } from '../../src/kube/types.js'
import { clusterEnv } from '../support/cluster-env.js'

type Step = 'ok' | 'stall' | 'reset' | 'goaway' | 'cut'

let h2server: http2.Http2SecureServer
let h1server: https.Server
let h2port = 0
let h1port = 0
let script: Step[] = []
let streams = 0
let sessions = 0
const versions: string[] = []
let ca: Buffer

beforeAll(async () => {
  const env = clusterEnv()
  const pki = join(env.dir, 'pki')
  ca = readFileSync(env.caFile)
  const tlsFiles = {
    cert: readFileSync(join(pki, 'apiserver.crt')),
    key: readFileSync(join(pki, 'apiserver.key'))
  }
  h2server = http2.createSecureServer({ ...tlsFiles, allowHTTP1: true })
  h2server.on('session', () => sessions++)
  h2server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    versions.push(req.httpVersion)
    const step = script[Math.min(streams, script.length - 1)] ?? 'ok'
    streams++
    let received = ''
    req.on('data', (c: Buffer) => (received += c.toString('utf8')))
    req.on('end', () => {
      if (step === 'stall') return
      if (step === 'reset') return req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR)
      if (step === 'goaway') {
        req.stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, 0)
        req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      if (step === 'cut') {
        res.write('{"kind":"Pod","meta')
        setTimeout(() => req.stream.session?.destroy(), 10)
        return
      }
      res.end(JSON.stringify({ kind: 'Pod', path: req.url, method: req.method, received }))
    })
  })
  await new Promise<void>(r => h2server.listen(0, '127.0.0.1', () => r()))
  h2port = (h2server.address() as AddressInfo).port
  h1server = https.createServer(tlsFiles, (req, res) => {
    versions.push(req.httpVersion)
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ kind: 'Pod', path: req.url }))
    })
  })
  await new Promise<void>(r => h1server.listen(0, '127.0.0.1', () => r()))
  h1port = (h1server.address() as AddressInfo).port
})

afterEach(() => {
  script = []
  streams = 0
  sessions = 0
  versions.length = 0
})

afterAll(async () => {
  h1server.closeAllConnections()
  await new Promise<void>(r => h1server.close(() => r()))
  await new Promise<void>(r => h2server.close(() => r()))
})

function conn(port: number): Connection {
  return {
    context: 'ctx-h2',
    cluster: 'c',
    user: 'u',
    server: `https://127.0.0.1:${port}`,
    ca,
    insecureSkipTlsVerify: false,
    authHeaders: async () => ({ Authorization: 'Bearer test' }),
    source: 'test'
  }
}

const instantRetries = {
  maxRetries: 2,
  baseDelayMs: 1,
  maxDelayMs: 1,
  clock: { now: () => Date.now(), sleep: async () => undefined }
}

describe('the kube transport over HTTP/2', () => {
  it('sends many requests over one connection', async () => {
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kube.json<{ path: string }>({ path: `/api/v1/pods/p${i}` })
        )
      )
      expect(answers.map(a => a.path)).toEqual(
        Array.from({ length: 20 }, (_, i) => `/api/v1/pods/p${i}`)
      )
      expect(sessions).toBe(1)
      expect(new Set(versions)).toEqual(new Set(['2.0']))
    } finally {
      kube.close()
    }
  })

  it('sends a body with any method, the options of a DELETE included', async () => {
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      const del = await kube.json<{ method: string; received: string }>({
        method: 'DELETE',
        path: '/api/v1/namespaces/x/pods/p',
        body: { propagationPolicy: 'Foreground' }
      })
      expect(del).toMatchObject({
        method: 'DELETE',
        received: JSON.stringify({ propagationPolicy: 'Foreground' })
      })
      const get = await kube.json<{ method: string; received: string }>({ path: '/api/v1/pods' })
      expect(get).toMatchObject({ method: 'GET', received: '' })
    } finally {
      kube.close()
    }
  })

  it('bounds a stalled stream, and asks again on a new connection', async () => {
    script = ['stall', 'ok']
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      const started = Date.now()
      const a = await kube.json<{ kind: string }>({ path: '/api/v1/pods/x', timeoutMs: 400 })
      expect(a.kind).toBe('Pod')
      expect(Date.now() - started).toBeGreaterThanOrEqual(350)
      expect(kube.retries).toBe(1)
      // The connection that stopped answering is not asked again.
      expect(sessions).toBe(2)
    } finally {
      kube.close()
    }
  })

  it('names the server and the phase when every attempt stalls', async () => {
    script = ['stall']
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      const err = await kube.json({ path: '/api/v1/pods/x', timeoutMs: 200 }).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(KubeApiError)
      expect((err as Error).message).toMatch(
        new RegExp(
          `^the API server https://127\\.0\\.0\\.1:${h2port} \\(context "ctx-h2"\\) did not answer GET /api/v1/pods/x: waited .* for response headers .*\\(after 2 retries\\)$`
        )
      )
    } finally {
      kube.close()
    }
  })

  it('retries a reset stream for a GET, not for a POST', async () => {
    script = ['reset', 'ok']
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      expect((await kube.json<{ kind: string }>({ path: '/api/v1/pods/a' })).kind).toBe('Pod')
      expect(kube.retries).toBe(1)
    } finally {
      kube.close()
    }
    streams = 0
    script = ['reset', 'ok']
    const post = new KubeTransport(conn(h2port), instantRetries)
    try {
      const err = await post
        .json({ method: 'POST', path: '/api/v1/namespaces/x/pods', body: { kind: 'Pod' } })
        .then(
          () => undefined,
          (e: unknown) => e
        )
      expect(err).toBeInstanceOf(KubeApiError)
      expect((err as KubeApiError).transport).toBe(true)
      expect(post.retries).toBe(0)
    } finally {
      post.close()
    }
  })

  it('moves to a new connection after a GOAWAY', async () => {
    script = ['goaway', 'ok']
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      expect((await kube.json<{ kind: string }>({ path: '/api/v1/pods/g' })).kind).toBe('Pod')
      expect((await kube.json<{ kind: string }>({ path: '/api/v1/pods/h' })).kind).toBe('Pod')
      expect(sessions).toBe(2)
    } finally {
      kube.close()
    }
  })

  it('retries an answer cut mid-body with its connection', async () => {
    script = ['cut', 'ok']
    const kube = new KubeTransport(conn(h2port), instantRetries)
    try {
      expect((await kube.json<{ kind: string }>({ path: '/api/v1/pods/c' })).kind).toBe('Pod')
      expect(kube.retries).toBe(1)
      expect(sessions).toBe(2)
    } finally {
      kube.close()
    }
  })
})

describe('an API server at an IPv6 address', () => {
  it.each([
    ['HTTP/2', true, '2.0'],
    ['HTTP/1.1', false, '1.1']
  ])('is reached over %s at [::1]', async (_name, useHttp2, version) => {
    const v6 = http2.createSecureServer({
      cert: readFileSync(join(clusterEnv().dir, 'pki', 'apiserver.crt')),
      key: readFileSync(join(clusterEnv().dir, 'pki', 'apiserver.key')),
      allowHTTP1: true
    })
    v6.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ kind: 'Pod', version: req.httpVersion }))
    })
    await new Promise<void>(r => v6.listen(0, '::1', () => r()))
    // The certificate names 127.0.0.1, not ::1: this test is about the address, not the name.
    const kube = new KubeTransport(
      {
        ...conn((v6.address() as AddressInfo).port),
        server: `https://[::1]:${(v6.address() as AddressInfo).port}`,
        insecureSkipTlsVerify: true
      },
      instantRetries,
      useHttp2
    )
    try {
      expect(await kube.json({ path: '/api/v1/pods/v6' })).toEqual({ kind: 'Pod', version })
    } finally {
      kube.close()
      await new Promise<void>(r => v6.close(() => r()))
    }
  })
})

describe('HTTP/1.1 where HTTP/2 is not to be had', () => {
  it('uses HTTP/1.1 with a server that offers no h2', async () => {
    const kube = new KubeTransport(conn(h1port), instantRetries)
    try {
      const answers = await Promise.all(
        [1, 2, 3].map(i => kube.json<{ path: string }>({ path: `/api/v1/pods/q${i}` }))
      )
      expect(answers).toHaveLength(3)
      expect(new Set(versions)).toEqual(new Set(['1.1']))
    } finally {
      kube.close()
    }
  })

  it('uses HTTP/1.1 when HTTP/2 is switched off (DISABLE_HTTP2)', async () => {
    const kube = new KubeTransport(conn(h2port), instantRetries, false)
    try {
      await kube.json({ path: '/api/v1/pods/d' })
      expect(versions).toEqual(['1.1'])
      expect(sessions).toBe(0)
    } finally {
      kube.close()
    }
  })
})
