// The registry client against the local cluster's real registries (Debian's
// docker-registry 2.8: an open one, and one behind the bearer-token server),
// with a loopback fault proxy in front for 429/5xx/reset/stall/cut behaviour.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'
import { checkImages } from '../../src/checks/image.js'
import { memoryLogger } from '../../src/core/log.js'
import { containsSecret } from '../../src/core/secrets.js'
import { createRegistryClient } from '../../src/registry/client.js'
import type { FetchLike } from '../../src/registry/transport.js'
import { parseDockerConfig } from '../../src/registry/credentials.js'
import { parseImageReference } from '../../src/registry/reference.js'
import type { RegistryClientOptions } from '../../src/registry/client.js'
import { type ClusterEnv, clusterEnv } from '../support/cluster-env.js'
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js'

let env: ClusterEnv

beforeAll(() => {
  env = clusterEnv()
})

const ref = (s: string) => parseImageReference(s)
const fast: Partial<RegistryClientOptions> = { baseDelayMs: 20, timeoutMs: 5000 }

/** Config and layer sizes of a manifest, read with plain fetch: what the client must sum. */
async function expectedSize(
  host: string,
  repo: string,
  reference: string,
  accept: string
): Promise<number> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    headers: { Accept: accept }
  })
  const doc = (await res.json()) as { config: { size: number }; layers: { size: number }[] }
  return doc.config.size + doc.layers.reduce((n, l) => n + l.size, 0)
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()))
  const { port } = srv.address() as { port: number }
  await new Promise<void>(r => srv.close(() => r()))
  return port
}

function authConfig(password: string) {
  return parseDockerConfig(
    JSON.stringify({ auths: { [env.registryAuth]: { username: env.registryUser, password } } }),
    'imagePullSecret itg/regcred'
  )
}

describe('open registry', () => {
  it('finds a single-platform OCI image anonymously, with digest, platform and size', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: ref(`${env.registry}/phase-gate/app:1.0`) })
    const seeded = env.images['phase-gate/app:1.0']
    expect(r.status).toBe('found')
    expect(r.host).toBe(env.registry)
    expect(r.statusCode).toBe(200)
    expect(r.digest).toBe(seeded.digest)
    expect(r.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    expect(r.platforms).toEqual(['linux/amd64'])
    expect(r.compressedSize).toBe(
      await expectedSize(
        env.registry,
        'phase-gate/app',
        '1.0',
        'application/vnd.oci.image.manifest.v1+json'
      )
    )
    expect(r.compressedSize).toBeGreaterThan(seeded.layerBytes)
    expect(r.retries).toBe(0)
    expect(r.credentialSource).toBeUndefined()
  })

  it('finds a Docker schema 2 image', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: ref(`${env.registry}/phase-gate/app-docker:1.0`) })
    expect(r.status).toBe('found')
    expect(r.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json')
    expect(r.digest).toBe(env.images['phase-gate/app-docker:1.0'].digest)
  })

  it('finds an image pinned by digest, and not a digest that is not there', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const digest = env.images['phase-gate/app:1.0'].digest
    const pinned = await client.inspect({ ref: ref(`${env.registry}/phase-gate/app@${digest}`) })
    expect(pinned.status).toBe('found')
    expect(pinned.digest).toBe(digest)
    const missing = await client.inspect({
      ref: ref(`${env.registry}/phase-gate/app@sha256:${'0'.repeat(64)}`)
    })
    expect(missing.status).toBe('not-found')
    expect(missing.statusCode).toBe(404)
    expect(missing.message).toContain(`no manifest with digest sha256:${'0'.repeat(64)}`)
  })

  it('selects a platform of an index, defaulting to linux/amd64, and sizes that platform', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const multi = ref(`${env.registry}/phase-gate/multi:1.0`)
    const dflt = await client.inspect({ ref: multi })
    expect(dflt.status).toBe('found')
    expect(dflt.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(dflt.digest).toBe(env.images['phase-gate/multi:1.0'].digest)
    expect(dflt.platforms).toEqual(['linux/amd64', 'linux/arm64'])
    expect(dflt.sizePlatform).toBe('linux/amd64')
    expect(dflt.message).toContain('no platform was asked')

    const arm = await client.inspect({ ref: multi, platform: 'linux/arm64' })
    expect(arm.status).toBe('found')
    expect(arm.sizePlatform).toBe('linux/arm64')
    expect(arm.message).toContain('linux/arm64, as asked')
    expect(arm.compressedSize).toBeGreaterThan(0)

    const s390 = await client.inspect({ ref: multi, platform: 'linux/s390x' })
    expect(s390.status).toBe('platform-missing')
    expect(s390.message).toContain(
      'does not offer linux/s390x; its index offers linux/amd64, linux/arm64'
    )
  })

  it('reads a single-platform image config to tell a missing platform', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({
      ref: ref(`${env.registry}/phase-gate/app:1.0`),
      platform: 'linux/arm64'
    })
    expect(r.status).toBe('platform-missing')
    expect(r.message).toContain('single-platform image for linux/amd64, not linux/arm64')
    const ok = await client.inspect({
      ref: ref(`${env.registry}/phase-gate/app:1.0`),
      platform: 'linux/amd64'
    })
    expect(ok.status).toBe('found')
  })

  it('tells a missing tag (listing the tags there are) from a missing repository', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const tag = await client.inspect({ ref: ref(`${env.registry}/phase-gate/app:9.9`) })
    expect(tag.status).toBe('not-found')
    expect(tag.statusCode).toBe(404)
    expect(tag.tags).toEqual(expect.arrayContaining(['1.0', '2.0']))
    expect(tag.message).toContain('tag 9.9 was not found in phase-gate/app')
    expect(tag.message).toContain('MANIFEST_UNKNOWN')

    const repo = await client.inspect({ ref: ref(`${env.registry}/phase-gate/does-not-exist:1.0`) })
    expect(repo.status).toBe('not-found')
    expect(repo.message).toContain('repository phase-gate/does-not-exist does not exist')
  })

  it('asks the mirror for an image of the registry it mirrors', async () => {
    const client = createRegistryClient({
      credentials: [],
      mirrors: { 'docker.io': env.registry },
      ...fast
    })
    const r = await client.inspect({ ref: ref('phase-gate/app:1.0') })
    expect(r.status).toBe('found')
    expect(r.host).toBe(env.registry)
    expect(r.message).toContain(`${env.registry} (mirror of docker.io)`)
    expect(r.digest).toBe(env.images['phase-gate/app:1.0'].digest)
  })

  it('measures the big image', async () => {
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: ref(`${env.registry}/phase-gate/big:1.0`) })
    expect(r.status).toBe('found')
    // A layer of about 2 MiB of incompressible bytes.
    expect(r.compressedSize).toBeGreaterThan(2_000_000)
    expect(r.compressedSize).toBeLessThan(2_300_000)
  })
})

describe('token-auth registry', () => {
  it('is unauthorized without credentials, naming where it looked', async () => {
    const client = createRegistryClient({
      credentials: [parseDockerConfig('{"auths":{}}', 'registry-auth input')],
      ...fast
    })
    const r = await client.inspect({ ref: ref(`${env.registryAuth}/phase-gate/app:1.0`) })
    expect(r.status).toBe('unauthorized')
    expect(r.statusCode).toBe(401)
    expect(r.message).toContain(
      `none were found for ${env.registryAuth} (looked in registry-auth input)`
    )
  })

  it('finds the image with credentials (bearer token), reporting their source', async () => {
    const client = createRegistryClient({
      credentials: [authConfig(env.registryPassword)],
      ...fast
    })
    const r = await client.inspect({ ref: ref(`${env.registryAuth}/phase-gate/app:1.0`) })
    expect(r.status).toBe('found')
    expect(r.digest).toBe(env.images['phase-gate/app:1.0'].digest)
    expect(r.credentialSource).toBe('imagePullSecret itg/regcred')
    expect(r.platforms).toEqual(['linux/amd64'])
  })

  it('is unauthorized with a wrong password, and never shows a secret', async () => {
    const wrong = 'definitely-not-the-password-42'
    const log = memoryLogger()
    const client = createRegistryClient({ credentials: [authConfig(wrong)], logger: log, ...fast })
    const r = await client.inspect({ ref: ref(`${env.registryAuth}/phase-gate/app:1.0`) })
    expect(r.status).toBe('unauthorized')
    expect(r.message).toContain('refused the credentials')
    expect(r.message).toContain('imagePullSecret itg/regcred')
    expect(r.message).not.toContain(wrong)
    expect(containsSecret(wrong)).toBe(true)
    for (const line of [r.message, ...log.lines]) {
      expect(line).not.toMatch(/authorization|bearer|basic /i)
      expect(line).not.toContain(wrong)
    }
  })

  it('fetches a token once per repository and reuses it', async () => {
    const seen: string[] = []
    const counting: FetchLike = (url, init) => {
      seen.push(new URL(url).pathname)
      return fetch(url, init)
    }
    const client = createRegistryClient({
      credentials: [authConfig(env.registryPassword)],
      fetchImpl: counting,
      ...fast
    })
    const a = await client.inspect({ ref: ref(`${env.registryAuth}/phase-gate/app:1.0`) })
    const b = await client.inspect({ ref: ref(`${env.registryAuth}/phase-gate/app:2.0`) })
    expect([a.status, b.status]).toEqual(['found', 'found'])
    expect(seen.filter(p => p === '/token')).toHaveLength(1)
    expect(b.credentialSource).toBe('imagePullSecret itg/regcred')
    // The second inspection went straight to the manifest with the cached token.
    const second = seen.slice(seen.lastIndexOf('/token') + 1)
    expect(second.filter(p => p === '/v2/phase-gate/app/manifests/2.0')).toHaveLength(1)
  })
})

describe('unreachable', () => {
  it('says a closed loopback port refuses the connection, after bounded retries', async () => {
    const port = await closedPort()
    const client = createRegistryClient({ credentials: [], maxRetries: 2, ...fast })
    const r = await client.inspect({ ref: ref(`127.0.0.1:${port}/phase-gate/app:1.0`) })
    expect(r.status).toBe('unreachable')
    expect(r.host).toBe(`127.0.0.1:${port}`)
    expect(r.message).toBe(
      `could not connect to 127.0.0.1:${port}: connection refused (nothing listens there)`
    )
    expect(r.retries).toBe(2)
  })
})

describe('ports the fetch standard blocks', () => {
  it('still reaches them over node:http (port 1 here: refused, not "bad port")', async () => {
    const client = createRegistryClient({ credentials: [], maxRetries: 0, ...fast })
    const r = await client.inspect({ ref: ref('127.0.0.1:1/phase-gate/app:1.0') })
    expect(r.status).toBe('unreachable')
    expect(r.message).toBe(
      'could not connect to 127.0.0.1:1: connection refused (nothing listens there)'
    )
  })
})

describe('the default transport', () => {
  it('inspects over node:http without loading fetch (whose start-up costs more CPU than the requests)', async () => {
    const real = globalThis.fetch
    let calls = 0
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
      calls++
      return real(...args)
    }) as typeof fetch
    try {
      const client = createRegistryClient({ credentials: [], ...fast })
      const r = await client.inspect({ ref: ref(`${env.registry}/phase-gate/app:1.0`) })
      expect(r.status).toBe('found')
      expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(r.platforms?.length).toBeGreaterThan(0)
      expect(calls).toBe(0)
    } finally {
      globalThis.fetch = real
    }
  })

  it('drops an answer above the size limit unread and says so', async () => {
    const http = await import('node:http')
    const huge = http.createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
        'Content-Length': String(9 * 1024 * 1024)
      })
      res.write('{')
      // never finishes: a client reading the body would wait for the timeout
    })
    await new Promise<void>(r => huge.listen(0, '127.0.0.1', () => r()))
    try {
      const { port } = huge.address() as { port: number }
      const client = createRegistryClient({ credentials: [], maxRetries: 0, ...fast })
      const started = Date.now()
      const r = await client.inspect({ ref: ref(`127.0.0.1:${port}/phase-gate/app:1.0`) })
      expect(Date.now() - started).toBeLessThan(2000)
      expect(r.status).toBe('error')
    } finally {
      huge.closeAllConnections()
      await new Promise<void>(r => huge.close(() => r()))
    }
  })
})

describe('through the fault proxy', () => {
  let proxy: FaultProxy
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: env.registry })
  })
  afterEach(() => {
    proxy.setRules([])
    proxy.resetCounts()
  })
  afterAll(() => proxy.close())

  const app = () => ref(`${proxy.host}/phase-gate/app:1.0`)
  const manifests = { path: '/v2/phase-gate/app/manifests/' }

  it('waits what Retry-After asks on 429, then succeeds, counting the retries', async () => {
    proxy.setRules([
      { match: manifests, fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 2 }
    ])
    const client = createRegistryClient({ credentials: [], ...fast })
    const started = Date.now()
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('found')
    expect(r.retries).toBe(2)
    expect(proxy.faulted).toBe(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
  })

  it('honours Retry-After as an HTTP date', async () => {
    const inTwo = new Date(Date.now() + 2000).toUTCString()
    proxy.setRules([
      { match: manifests, fault: { kind: 'status', status: 429, retryAfter: inTwo }, times: 1 }
    ])
    const client = createRegistryClient({ credentials: [], ...fast })
    const started = Date.now()
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('found')
    expect(r.retries).toBe(1)
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('is rate-limited with the retry-after when 429s outlast the retries', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'status', status: 429, retryAfter: '1' } }])
    const client = createRegistryClient({ credentials: [], maxRetries: 2, ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('rate-limited')
    expect(r.statusCode).toBe(429)
    expect(r.retryAfter).toBe(1)
    expect(r.retries).toBe(2)
    expect(proxy.faulted).toBe(3)
    expect(r.message).toContain('is rate-limiting pulls (429')
    expect(r.message).toContain('asks to wait 1s; gave up after 2 retries')
  })

  it('does not retry early when Retry-After is longer than the cap', async () => {
    proxy.setRules([
      { match: manifests, fault: { kind: 'status', status: 429, retryAfter: '120' } }
    ])
    const client = createRegistryClient({ credentials: [], maxRetryAfterMs: 5000, ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('rate-limited')
    expect(r.retryAfter).toBe(120)
    expect(r.retries).toBe(0)
    expect(proxy.faulted).toBe(1)
    expect(r.message).toContain('longer than the 5s phase-gate waits')
  })

  it.each([502, 503, 504])('retries %d and recovers', async status => {
    proxy.setRules([{ match: manifests, fault: { kind: 'status', status }, times: 2 }])
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('found')
    expect(r.retries).toBe(2)
    expect(proxy.faulted).toBe(2)
  })

  it('gives up on a 503 that lasts, saying so', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'status', status: 503 } }])
    const client = createRegistryClient({ credentials: [], maxRetries: 2, ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('error')
    expect(r.statusCode).toBe(503)
    expect(r.message).toContain('answered 503')
    expect(r.message).toContain('after 2 retries')
    expect(proxy.faulted).toBe(3)
  })

  it('does not retry a 500', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'status', status: 500 } }])
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('error')
    expect(r.statusCode).toBe(500)
    expect(r.retries).toBe(0)
    expect(proxy.faulted).toBe(1)
  })

  it('retries connection resets, then recovers', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'reset' }, times: 2 }])
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('found')
    expect(r.retries).toBe(2)
  })

  it('is unreachable when every connection is reset', async () => {
    proxy.setRules([{ fault: { kind: 'reset' } }])
    const client = createRegistryClient({ credentials: [], maxRetries: 1, ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('unreachable')
    expect(r.message).toBe(`${proxy.host} closed the connection before answering in full`)
    expect(r.retries).toBe(1)
  })

  it('times out a stalled request, naming the host and the timeout', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'stall' } }])
    const client = createRegistryClient({ credentials: [], ...fast, timeoutMs: 300, maxRetries: 1 })
    const started = Date.now()
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('unreachable')
    expect(r.message).toBe(`${proxy.host} did not answer within 0.3s`)
    expect(r.retries).toBe(1)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('retries a response cut mid-way and uses the full one', async () => {
    proxy.setRules([{ match: manifests, fault: { kind: 'cut' }, times: 1 }])
    const client = createRegistryClient({ credentials: [], ...fast })
    const r = await client.inspect({ ref: app() })
    expect(r.status).toBe('found')
    expect(r.digest).toBe(env.images['phase-gate/app:1.0'].digest)
    expect(r.retries).toBe(1)
    expect(proxy.requests.filter(q => q.fault === 'cut')).toHaveLength(1)
  })
})

describe('checkImages against the real registry', () => {
  it('passes, warns and fails on size, and fails missing and unauthorized images', async () => {
    const registry = createRegistryClient({ credentials: [], ...fast })
    const results = await checkImages({
      registry,
      defaultMaxBytes: 1_000_000,
      images: [
        { ref: `${env.registry}/phase-gate/app:1.0`, source: 'assumption' },
        { ref: `${env.registry}/phase-gate/big:1.0`, source: 'manifest' },
        { ref: `${env.registry}/phase-gate/big:1.0`, maxSize: '1.5MiB', source: 'assumption' },
        { ref: `${env.registry}/phase-gate/app:1.1`, source: 'assumption' },
        { ref: `${env.registryAuth}/phase-gate/app:1.0`, source: 'assumption' },
        {
          ref: `${env.registry}/phase-gate/multi:1.0`,
          platform: 'linux/ppc64le',
          source: 'assumption'
        }
      ]
    })
    const by = Object.fromEntries(results.map(r => [r.target, r]))
    expect(by[`${env.registry}/phase-gate/app:1.0`].verdict).toBe('pass')
    const big = by[`${env.registry}/phase-gate/big:1.0`]
    expect(big.verdict).toBe('fail')
    expect(big.message).toContain('over its maxSize of 1.5MiB')
    const missing = by[`${env.registry}/phase-gate/app:1.1`]
    expect(missing.verdict).toBe('fail')
    expect(missing.adjustment).toContain('use tag 1.0')
    const auth = by[`${env.registryAuth}/phase-gate/app:1.0`]
    expect(auth.verdict).toBe('fail')
    expect(auth.adjustment).toContain(`add an imagePullSecret for ${env.registryAuth}`)
    const multi = by[`${env.registry}/phase-gate/multi:1.0`]
    expect(multi.verdict).toBe('fail')
    expect(multi.message).toContain('does not offer linux/ppc64le')

    const warned = await checkImages({
      registry,
      defaultMaxBytes: 1_000_000,
      images: [{ ref: `${env.registry}/phase-gate/big:1.0`, source: 'manifest' }]
    })
    expect(warned[0].verdict).toBe('warn')
    expect(warned[0].message).toContain('over the default limit of 1.00 MB')
  })
})
