// Small test images, pushed to the local registries through the registry v2
// API with Node's fetch. Every byte is deterministic, so the digests are the
// same on every machine and every run; a push is skipped when the tag already
// points at the expected digest.
//
//   node scripts/cluster/seed-registry.mjs [CLUSTER_DIR]   # default: .cluster of the checkout
//
// Images (on the open registry and on the token-auth one, where the test user
// may pull and push phase-gate/*):
//   phase-gate/app:1.0         OCI manifest, linux/amd64, one small layer
//   phase-gate/app:2.0         the same app, a newer version (for rollouts)
//   phase-gate/app-docker:1.0  Docker schema 2 manifest, linux/amd64
//   phase-gate/multi:1.0       OCI index: linux/amd64 and linux/arm64
//   phase-gate/big:1.0         OCI manifest whose layer is about 2 MiB
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { pathToFileURL } from 'node:url'

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip'
const CREATED = '2026-01-01T00:00:00Z'
const ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST,
  'application/vnd.docker.distribution.manifest.list.v2+json'
].join(', ')

const sha256 = buf => `sha256:${createHash('sha256').update(buf).digest('hex')}`

/** A one-file ustar archive (mtime 0, root-owned), as an image layer holds. */
function tar(name, content) {
  const header = Buffer.alloc(512)
  const put = (value, offset, length) => header.write(value, offset, length, 'ascii')
  const octal = (n, width) => n.toString(8).padStart(width - 1, '0') + '\0'
  put(name, 0, 100)
  put(octal(0o644, 8), 100, 8)
  put(octal(0, 8), 108, 8)
  put(octal(0, 8), 116, 8)
  put(octal(content.length, 12), 124, 12)
  put(octal(0, 12), 136, 12)
  put('        ', 148, 8)
  put('0', 156, 1)
  put('ustar\0', 257, 6)
  put('00', 263, 2)
  put('root', 265, 32)
  put('root', 297, 32)
  let sum = 0
  for (const b of header) sum += b
  put(octal(sum, 7) + ' ', 148, 8)
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512)
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)])
}

/** `size` bytes that do not compress, the same on every run. */
function noise(size) {
  const out = Buffer.alloc(size)
  for (let off = 0, i = 0; off < size; i++)
    off += createHash('sha256').update(`phase-gate-big-${i}`).digest().copy(out, off)
  return out
}

function blob(data, mediaType) {
  return { data, digest: sha256(data), size: data.length, mediaType }
}

/** A single-platform image: its config, its layer and its manifest. */
function image({ file, content, arch = 'amd64', docker = false, version }) {
  const raw = tar(file, Buffer.from(content))
  const layer = blob(gzipSync(raw, { level: 9 }), docker ? DOCKER_LAYER : OCI_LAYER)
  const config = blob(
    Buffer.from(
      JSON.stringify({
        created: CREATED,
        architecture: arch,
        os: 'linux',
        config: {
          Entrypoint: [`/${file}`],
          Labels: { 'org.opencontainers.image.version': version }
        },
        rootfs: { type: 'layers', diff_ids: [sha256(raw)] },
        history: [{ created: CREATED, created_by: 'phase-gate seed-registry.mjs' }]
      })
    ),
    docker ? DOCKER_CONFIG : OCI_CONFIG
  )
  const strip = ({ mediaType, digest, size }) => ({ mediaType, digest, size })
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: docker ? DOCKER_MANIFEST : OCI_MANIFEST,
        config: strip(config),
        layers: [strip(layer)]
      })
    ),
    docker ? DOCKER_MANIFEST : OCI_MANIFEST
  )
  return { blobs: [config, layer], manifest, platform: { os: 'linux', architecture: arch } }
}

/** The images to seed: repository, tag, blobs, child manifests, top manifest. */
export function testImages() {
  const one = (repo, tag, spec) => {
    const img = image(spec)
    return {
      repo,
      tag,
      blobs: img.blobs,
      children: [],
      manifest: img.manifest,
      platforms: [img.platform]
    }
  }
  const amd64 = image({
    file: 'multi',
    content: 'multi-arch test image, linux/amd64\n',
    version: '1.0'
  })
  const arm64 = image({
    file: 'multi',
    content: 'multi-arch test image, linux/arm64\n',
    arch: 'arm64',
    version: '1.0'
  })
  const index = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [amd64, arm64].map(m => ({
          mediaType: m.manifest.mediaType,
          digest: m.manifest.digest,
          size: m.manifest.size,
          platform: m.platform
        }))
      })
    ),
    OCI_INDEX
  )
  return [
    one('phase-gate/app', '1.0', {
      file: 'app',
      content: 'phase-gate test app 1.0\n',
      version: '1.0'
    }),
    one('phase-gate/app', '2.0', {
      file: 'app',
      content: 'phase-gate test app 2.0\n',
      version: '2.0'
    }),
    one('phase-gate/app-docker', '1.0', {
      file: 'app',
      content: 'phase-gate test app (docker manifest)\n',
      docker: true,
      version: '1.0'
    }),
    {
      repo: 'phase-gate/multi',
      tag: '1.0',
      blobs: [...amd64.blobs, ...arm64.blobs],
      children: [amd64.manifest, arm64.manifest],
      manifest: index,
      platforms: [amd64.platform, arm64.platform]
    },
    {
      ...one('phase-gate/big', '1.0', {
        file: 'big',
        content: noise(2 * 1024 * 1024),
        version: '1.0'
      })
    }
  ]
}

/** A registry v2 client: plain HTTP on loopback, bearer tokens when asked. */
export class RegistryClient {
  constructor(host, credentials) {
    this.base = `http://${host}`
    this.credentials = credentials
    this.tokens = new Map()
  }

  async request(method, path, { scope, headers = {}, body } = {}) {
    const send = () =>
      fetch(path.startsWith('http') ? path : this.base + path, {
        method,
        body,
        headers: {
          ...headers,
          ...(this.tokens.has(scope) ? { authorization: `Bearer ${this.tokens.get(scope)}` } : {})
        }
      })
    let res = await send()
    if (res.status === 401 && this.credentials) {
      await res.arrayBuffer()
      await this.login(res.headers.get('www-authenticate'), scope)
      res = await send()
    }
    return res
  }

  async login(challenge, scope) {
    const params = Object.fromEntries(
      [...(challenge || '').matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]])
    )
    if (!/^Bearer /i.test(challenge || '') || !params.realm)
      throw new Error(`unexpected challenge ${challenge}`)
    const url = new URL(params.realm)
    if (params.service) url.searchParams.set('service', params.service)
    if (scope) url.searchParams.set('scope', scope)
    const basic = Buffer.from(`${this.credentials.user}:${this.credentials.password}`).toString(
      'base64'
    )
    const res = await fetch(url, { headers: { authorization: `Basic ${basic}` } })
    if (!res.ok) throw new Error(`token server ${url.origin} answered ${res.status}`)
    this.tokens.set(scope, (await res.json()).token)
  }

  async ensureBlob(repo, b) {
    const scope = `repository:${repo}:pull,push`
    const head = await this.request('HEAD', `/v2/${repo}/blobs/${b.digest}`, { scope })
    if (head.status === 200) return
    const start = await this.request('POST', `/v2/${repo}/blobs/uploads/`, { scope })
    if (start.status !== 202)
      throw new Error(`${repo}: starting an upload got ${start.status} ${await start.text()}`)
    const location = new URL(start.headers.get('location'), this.base)
    location.searchParams.set('digest', b.digest)
    const put = await this.request('PUT', location.href, {
      scope,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(b.size) },
      body: b.data
    })
    if (put.status !== 201)
      throw new Error(`${repo}: uploading ${b.digest} got ${put.status} ${await put.text()}`)
  }

  /** The digest a tag or digest reference resolves to, or null. */
  async manifestDigest(repo, reference) {
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${reference}`, {
      scope: `repository:${repo}:pull`,
      headers: { accept: ACCEPT }
    })
    return res.status === 200 ? res.headers.get('docker-content-digest') : null
  }

  async putManifest(repo, reference, m) {
    const res = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, {
      scope: `repository:${repo}:pull,push`,
      headers: { 'content-type': m.mediaType },
      body: m.data
    })
    if (res.status !== 201)
      throw new Error(
        `${repo}:${reference}: pushing the manifest got ${res.status} ${await res.text()}`
      )
  }
}

/**
 * Pushes the test images to the registry at `host` (credentials for a token
 * registry) unless already there. Returns {"repo:tag": {digest, mediaType, size, platforms}}.
 */
export async function seedRegistry(host, credentials) {
  const client = new RegistryClient(host, credentials)
  const out = {}
  for (const img of testImages()) {
    if ((await client.manifestDigest(img.repo, img.tag)) !== img.manifest.digest) {
      for (const b of img.blobs) await client.ensureBlob(img.repo, b)
      for (const child of img.children) await client.putManifest(img.repo, child.digest, child)
      await client.putManifest(img.repo, img.tag, img.manifest)
    }
    const layerBytes = img.blobs
      .filter(b => /layer|rootfs/.test(b.mediaType))
      .reduce((n, b) => n + b.size, 0)
    out[`${img.repo}:${img.tag}`] = {
      digest: img.manifest.digest,
      mediaType: img.manifest.mediaType,
      size: img.manifest.size,
      layerBytes,
      platforms: img.platforms.map(p => `${p.os}/${p.architecture}`)
    }
  }
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { readClusterState, defaultClusterDir } = await import('./lib.mjs')
  const state = readClusterState(process.argv[2] || defaultClusterDir())
  if (!state) throw new Error('no cluster state: run npm run cluster:up first')
  const { registry } = state
  const images = {
    open: await seedRegistry(registry.open),
    auth: await seedRegistry(registry.auth, { user: registry.user, password: registry.password })
  }
  console.log(JSON.stringify(images, null, 2))
}
