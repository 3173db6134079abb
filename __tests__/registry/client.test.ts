// The client's own decisions over its fetch seam: challenge parsing, platform
// matching, which auth flow answers which challenge, scheme choice, error
// classification. Wire behaviour against a real registry is in client.itg.test.ts.
import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../../src/core/clock.js'
import { parseAuthChallenges } from '../../src/registry/auth.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { platformMatches } from '../../src/registry/manifest.js'
import type { FetchLike } from '../../src/registry/transport.js'
import { parseDockerConfig } from '../../src/registry/credentials.js'
import { parseImageReference } from '../../src/registry/reference.js'

interface Call {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}

type Route = (call: Call) => Response | Promise<Response>

/** A fetch answering from a handler, recording every call. */
function scriptedFetch(route: Route): FetchLike & { calls: Call[] } {
  const calls: Call[] = []
  const fetchLike: FetchLike = async (url, init) => {
    const call: Call = { method: init.method, url, headers: { ...init.headers }, body: init.body }
    calls.push(call)
    return route(call)
  }
  return Object.assign(fetchLike, { calls })
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const image = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { size: 100, digest: 'sha256:c' },
  layers: [{ size: 900 }, { size: 1000 }]
}
const manifest = () =>
  json(200, image, { 'content-type': OCI_MANIFEST, 'docker-content-digest': 'sha256:abc' })

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000
  return { now: () => now, sleep: async ms => void (now += ms), advance: ms => void (now += ms) }
}

const creds = (entry: Record<string, string>, host = 'reg.example.com') =>
  parseDockerConfig(JSON.stringify({ auths: { [host]: entry } }), 'imagePullSecret ns/regcred')

describe('parseAuthChallenges', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/nginx:pull'
          }
        }
      ]
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'Bearer realm="https://t/token",error="insufficient_scope",scope="repository:a:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://t/token',
            error: 'insufficient_scope',
            scope: 'repository:a:pull,push'
          }
        }
      ]
    ],
    [
      'Basic realm="a", Bearer realm="b",service="c"',
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'b', service: 'c' } }
      ]
    ],
    ['Bearer realm="a\\"b"', [{ scheme: 'bearer', params: { realm: 'a"b' } }]],
    [
      'Bearer realm=https://x/token,service=reg',
      [{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } }]
    ],
    ['BEARER Realm="x"', [{ scheme: 'bearer', params: { realm: 'x' } }]],
    ['', []],
    [null, []]
  ])('%j', (header, want) => {
    expect(parseAuthChallenges(header)).toEqual(want)
  })
})

describe('platformMatches', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }, true],
    ['linux/amd64', { os: 'linux', architecture: 'arm64' }, false],
    ['linux/arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }, true],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64' }, true],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }, true],
    ['linux/arm/v6', { os: 'linux', architecture: 'arm', variant: 'v7' }, false],
    ['linux/arm', { os: 'linux', architecture: 'arm', variant: 'v7' }, true],
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }, true],
    ['linux/aarch64', { os: 'linux', architecture: 'arm64' }, true],
    ['windows/amd64', { os: 'linux', architecture: 'amd64' }, false],
    ['linux/amd64', undefined, false]
  ])('%s vs %j → %s', (wanted, have, want) => {
    expect(platformMatches(wanted, have)).toBe(want)
  })
})

describe('scheme and host', () => {
  it.each([
    ['nginx:1', 'https://registry-1.docker.io/v2/library/nginx/manifests/1', {}],
    ['ghcr.io/o/a:1', 'https://ghcr.io/v2/o/a/manifests/1', {}],
    ['127.0.0.1:5000/o/a:1', 'http://127.0.0.1:5000/v2/o/a/manifests/1', {}],
    ['localhost:5000/o/a', 'http://localhost:5000/v2/o/a/manifests/latest', {}],
    ['[::1]:5000/o/a:1', 'http://[::1]:5000/v2/o/a/manifests/1', {}],
    [
      'reg.lan:5000/o/a:1',
      'http://reg.lan:5000/v2/o/a/manifests/1',
      { insecure: ['reg.lan:5000'] }
    ],
    ['reg.lan:5000/o/a:1', 'https://reg.lan:5000/v2/o/a/manifests/1', { insecure: ['reg.lan'] }],
    [
      'nginx:1',
      'http://127.0.0.1:5000/v2/library/nginx/manifests/1',
      { mirrors: { 'docker.io': '127.0.0.1:5000' } }
    ],
    [
      `ghcr.io/o/a:1@sha256:${'a'.repeat(64)}`,
      `https://ghcr.io/v2/o/a/manifests/sha256:${'a'.repeat(64)}`,
      {}
    ]
  ])('%s → %s', async (ref, url, extra) => {
    const f = scriptedFetch(() => manifest())
    const client = createRegistryClient({ credentials: [], fetchImpl: f, ...extra })
    const r = await client.inspect({ ref: parseImageReference(ref) })
    expect(r.status).toBe('found')
    expect(f.calls[0].url).toBe(url)
    expect(f.calls[0].headers.Accept).toContain(OCI_INDEX)
    expect(f.calls[0].headers.Accept).toContain(
      'application/vnd.docker.distribution.manifest.v2+json'
    )
    expect(r.compressedSize).toBe(2000)
  })
})

describe('authentication flows', () => {
  const ref = parseImageReference('reg.example.com/team/app:1')

  it('answers a Basic challenge with the credentials, then sends them up front', async () => {
    const f = scriptedFetch(c =>
      c.headers.Authorization === `Basic ${Buffer.from('u:basic-pw-1').toString('base64')}`
        ? manifest()
        : json(401, {}, { 'www-authenticate': 'Basic realm="r"' })
    )
    const client = createRegistryClient({
      credentials: [creds({ username: 'u', password: 'basic-pw-1' })],
      fetchImpl: f
    })
    const first = await client.inspect({ ref })
    expect(first.status).toBe('found')
    expect(first.credentialSource).toBe('imagePullSecret ns/regcred')
    const manifestCalls = () => f.calls.filter(c => c.url.includes('/manifests/'))
    expect(manifestCalls()).toHaveLength(2)
    const second = await client.inspect({ ref })
    expect(second.status).toBe('found')
    expect(manifestCalls()).toHaveLength(3)
    expect(manifestCalls()[2].headers.Authorization).toMatch(/^Basic /)
    expect(second.credentialSource).toBe('imagePullSecret ns/regcred')
  })

  it('is unauthorized on a Basic challenge without credentials, without retrying', async () => {
    const f = scriptedFetch(() => json(401, {}, { 'www-authenticate': 'Basic realm="r"' }))
    const client = createRegistryClient({ credentials: [], fetchImpl: f })
    const r = await client.inspect({ ref })
    expect(r.status).toBe('unauthorized')
    expect(r.message).toContain('(no pull secrets or docker config were given)')
    expect(f.calls).toHaveLength(1)
  })

  it('gets a bearer token with basic auth, passing service and scope, and renews it when it expires', async () => {
    const clock = fakeClock()
    let issued = 0
    const f = scriptedFetch(c => {
      const u = new URL(c.url)
      if (u.pathname === '/token') {
        issued++
        return json(200, { token: `tok-${issued}-abcdef`, expires_in: 300 })
      }
      return c.headers.Authorization === `Bearer tok-${issued}-abcdef`
        ? manifest()
        : json(
            401,
            {},
            { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' }
          )
    })
    const client = createRegistryClient({
      credentials: [creds({ username: 'u', password: 'bearer-pw-2' })],
      fetchImpl: f,
      clock
    })
    expect((await client.inspect({ ref })).status).toBe('found')
    const token = f.calls.find(c => c.url.startsWith('https://auth.example.com/token'))
    expect(token?.url).toBe(
      'https://auth.example.com/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull'
    )
    expect(token?.headers.Authorization).toBe(
      `Basic ${Buffer.from('u:bearer-pw-2').toString('base64')}`
    )
    expect((await client.inspect({ ref })).status).toBe('found')
    expect(issued).toBe(1)
    clock.advance(300_000)
    expect((await client.inspect({ ref })).status).toBe('found')
    expect(issued).toBe(2)
  })

  it('asks an anonymous token when there are no credentials', async () => {
    const f = scriptedFetch(c =>
      c.url.includes('/token')
        ? json(200, { access_token: 'anon-token-1' })
        : c.headers.Authorization === 'Bearer anon-token-1'
          ? manifest()
          : json(401, {}, { 'www-authenticate': 'Bearer realm="https://auth.example.com/token"' })
    )
    const client = createRegistryClient({ credentials: [], fetchImpl: f })
    const r = await client.inspect({ ref })
    expect(r.status).toBe('found')
    expect(r.credentialSource).toBeUndefined()
    expect(f.calls[1].headers.Authorization).toBeUndefined()
  })

  it('sends a registry token as the bearer token without asking the token server', async () => {
    const f = scriptedFetch(c =>
      c.headers.Authorization === 'Bearer reg-token-xyz'
        ? manifest()
        : json(401, {}, { 'www-authenticate': 'Bearer realm="https://auth.example.com/token"' })
    )
    const client = createRegistryClient({
      credentials: [creds({ registrytoken: 'reg-token-xyz' })],
      fetchImpl: f
    })
    expect((await client.inspect({ ref })).status).toBe('found')
    expect(f.calls.some(c => c.url.includes('auth.example.com'))).toBe(false)
  })

  it('exchanges an identity token with the OAuth2 refresh-token flow', async () => {
    const f = scriptedFetch(c => {
      if (c.url === 'https://auth.example.com/oauth2/token') {
        const form = new URLSearchParams(c.body)
        return form.get('grant_type') === 'refresh_token' &&
          form.get('refresh_token') === 'id-token-123'
          ? json(200, { access_token: 'acc-456' })
          : json(400, {})
      }
      return c.headers.Authorization === 'Bearer acc-456'
        ? manifest()
        : json(
            401,
            {},
            {
              'www-authenticate':
                'Bearer realm="https://auth.example.com/oauth2/token",service="reg"'
            }
          )
    })
    const client = createRegistryClient({
      credentials: [creds({ identitytoken: 'id-token-123' })],
      fetchImpl: f
    })
    expect((await client.inspect({ ref })).status).toBe('found')
    const post = f.calls.find(c => c.method === 'POST')
    expect(post?.headers['Content-Type']).toBe('application/x-www-form-urlencoded')
    expect(new URLSearchParams(post?.body).get('service')).toBe('reg')
    expect(new URLSearchParams(post?.body).get('scope')).toBe('repository:team/app:pull')
  })

  it('never puts the password or token in a message', async () => {
    const f = scriptedFetch(c =>
      c.url.includes('/token')
        ? json(403, { details: 'bad password p4ssw0rd-leak' })
        : json(401, {}, { 'www-authenticate': 'Bearer realm="https://auth.example.com/token"' })
    )
    const client = createRegistryClient({
      credentials: [creds({ username: 'u', password: 'p4ssw0rd-leak' })],
      fetchImpl: f
    })
    const r = await client.inspect({ ref })
    expect(r.status).toBe('unauthorized')
    expect(r.message).toBe(
      'the token server at auth.example.com refused the credentials for reg.example.com from imagePullSecret ns/regcred (403)'
    )
  })
})

describe('manifests', () => {
  const ref = parseImageReference('ghcr.io/o/a:1')

  it('skips attestation manifests when listing platforms and picking the default', async () => {
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          digest: 'sha256:att',
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }
        },
        { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } }
      ]
    }
    const f = scriptedFetch(c =>
      c.url.endsWith('/manifests/1')
        ? json(200, index, { 'content-type': OCI_INDEX })
        : c.url.endsWith('/manifests/sha256:amd')
          ? json(200, { ...image, layers: [{ size: 5 }] }, { 'content-type': OCI_MANIFEST })
          : json(404, {})
    )
    const client = createRegistryClient({ credentials: [], fetchImpl: f })
    const r = await client.inspect({ ref })
    expect(r.platforms).toEqual(['linux/arm64/v8', 'linux/amd64'])
    expect(r.sizePlatform).toBe('linux/amd64')
    expect(r.compressedSize).toBe(105)
    // Without Docker-Content-Digest, the digest is the body's sha256.
    expect(r.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
  })

  it('refuses a Docker schema 1 manifest', async () => {
    const f = scriptedFetch(() =>
      json(
        200,
        { schemaVersion: 1, name: 'o/a', fsLayers: [] },
        { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }
      )
    )
    const r = await createRegistryClient({ credentials: [], fetchImpl: f }).inspect({ ref })
    expect(r.status).toBe('error')
    expect(r.message).toContain('Docker schema 1 manifest')
  })

  it('says found but unverified when a single image config cannot be read', async () => {
    const f = scriptedFetch(c => (c.url.includes('/blobs/') ? json(404, {}) : manifest()))
    const r = await createRegistryClient({ credentials: [], fetchImpl: f }).inspect({
      ref,
      platform: 'linux/arm64'
    })
    expect(r.status).toBe('found')
    expect(r.message).toContain('linux/arm64 is not verified')
  })
})

describe('failures', () => {
  const ref = parseImageReference('ghcr.io/o/a:1')
  const failing =
    (cause: Record<string, unknown>): FetchLike =>
    async () => {
      throw new TypeError('fetch failed', { cause })
    }
  it.each([
    [{ code: 'ENOTFOUND' }, 'unreachable', 'could not resolve the host name of ghcr.io (DNS)', 2],
    [
      { code: 'ECONNREFUSED' },
      'unreachable',
      'could not connect to ghcr.io: connection refused (nothing listens there)',
      2
    ],
    [{ code: 'EHOSTUNREACH' }, 'unreachable', 'no network route to ghcr.io', 2],
    [
      { code: 'UND_ERR_SOCKET', message: 'other side closed' },
      'unreachable',
      'ghcr.io closed the connection before answering in full',
      2
    ],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'error', 'set registries.caFile', 0],
    [
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      'error',
      'TLS with ghcr.io failed (ERR_TLS_CERT_ALTNAME_INVALID)',
      0
    ],
    [{ code: 'EWEIRD', message: 'strange' }, 'error', 'asking ghcr.io failed: fetch failed', 0]
  ])('%j → %s', async (cause, status, words, retries) => {
    const client = createRegistryClient({
      credentials: [],
      fetchImpl: failing(cause),
      maxRetries: 2,
      clock: fakeClock()
    })
    const r = await client.inspect({ ref })
    expect(r.status).toBe(status)
    expect(r.message).toContain(words)
    expect(r.retries).toBe(retries)
  })

  it('reads lazy credentials once, and reports when they cannot be read', async () => {
    let calls = 0
    const f = scriptedFetch(() => manifest())
    const ok = createRegistryClient({
      credentials: async () => {
        calls++
        return []
      },
      fetchImpl: f
    })
    await Promise.all([ok.inspect({ ref }), ok.inspect({ ref })])
    expect(calls).toBe(1)
    const broken = createRegistryClient({
      credentials: async () => {
        throw new Error('registry-auth input is not valid JSON (syntax error)')
      },
      fetchImpl: f
    })
    const r = await broken.inspect({ ref })
    expect(r.status).toBe('error')
    expect(r.message).toBe(
      'could not read the pull credentials: registry-auth input is not valid JSON (syntax error)'
    )
  })

  it('rejects when the caller aborts, instead of reporting a status', async () => {
    const ac = new AbortController()
    const f: FetchLike = async (_url, init) => {
      ac.abort(new Error('run cancelled'))
      throw init.signal?.reason
    }
    const client = createRegistryClient({ credentials: [], fetchImpl: f })
    await expect(client.inspect({ ref, signal: ac.signal })).rejects.toThrow('run cancelled')
  })

  it('reports a 400 with the registry error code, unretried', async () => {
    const f = scriptedFetch(() =>
      json(400, { errors: [{ code: 'NAME_INVALID', message: 'invalid repository name' }] })
    )
    const r = await createRegistryClient({ credentials: [], fetchImpl: f }).inspect({ ref })
    expect(r.status).toBe('error')
    expect(r.message).toBe(
      'ghcr.io answered 400 (NAME_INVALID: invalid repository name) for ghcr.io/o/a:1'
    )
    expect(f.calls).toHaveLength(1)
  })
})
