/**
 * Image manifests and indexes: media types, parsing that refuses what only
 * looks like a manifest, platforms, sizes, and registry error bodies.
 */

import { createHash } from 'node:crypto'
import { type HeaderReader, InspectionFailure } from './transport.js'

/** The manifest and config media types the client understands. */
export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json'
} as const

export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest
].join(', ')

export interface Descriptor {
  mediaType?: string
  digest?: string
  size?: number
  platform?: { os?: string; architecture?: string; variant?: string }
  annotations?: Record<string, string>
}

export interface ManifestDoc {
  schemaVersion?: number
  mediaType?: string
  manifests?: Descriptor[]
  config?: Descriptor
  layers?: Descriptor[]
}

/** The size the runtime downloads: config plus every layer, compressed. */
export function compressedSize(doc: {
  config?: { size?: number }
  layers?: { size?: number }[]
}): number {
  let total = Number(doc.config?.size) || 0
  for (const l of doc.layers ?? []) total += Number(l.size) || 0
  return total
}

/** `os/arch[/variant]` of a descriptor's platform. */
export function platformOf(p: Descriptor['platform']): string {
  if (!p) return 'unknown'
  return [p.os ?? 'unknown', p.architecture ?? 'unknown', p.variant].filter(Boolean).join('/')
}

/** True when `have` satisfies the wanted `os/arch[/variant]` (arm64's v8 and arch aliases folded). */
export function platformMatches(wanted: string, have: Descriptor['platform']): boolean {
  if (!have) return false
  const [os, arch, variant] = wanted.toLowerCase().split('/')
  const w = normalisePlatform(os, arch, variant)
  const h = normalisePlatform(have.os ?? '', have.architecture ?? '', have.variant)
  return w.os === h.os && w.arch === h.arch && (!w.variant || w.variant === h.variant)
}

function normalisePlatform(
  os: string,
  arch: string,
  variant?: string
): { os: string; arch: string; variant: string } {
  const aliases: Record<string, string> = {
    x86_64: 'amd64',
    'x86-64': 'amd64',
    aarch64: 'arm64',
    i386: '386'
  }
  const a = aliases[arch.toLowerCase()] ?? arch.toLowerCase()
  let v = (variant ?? '').toLowerCase()
  if (a === 'arm64' && v === 'v8') v = ''
  return { os: os.toLowerCase(), arch: a, variant: v }
}

/** Megabytes (10^6 bytes), as registries and `docker images` show sizes; kilobytes below 1 MB. */
export function formatMB(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`
  const mb = bytes / 1e6
  return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`
}

export function isIndex(mediaType: string | undefined, doc: ManifestDoc): boolean {
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerList) return true
  return Array.isArray(doc.manifests) && !Array.isArray(doc.layers)
}

export function guessMediaType(doc: ManifestDoc): string | undefined {
  if (Array.isArray(doc.manifests)) return MEDIA_TYPES.ociIndex
  if (Array.isArray(doc.layers)) return MEDIA_TYPES.ociManifest
  return undefined
}

// buildx attaches provenance/SBOM "images" with platform unknown/unknown; no node pulls them.
export function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    d.platform?.os === 'unknown'
  )
}

export function contentType(h: HeaderReader): string | undefined {
  const ct = h.get('content-type')?.split(';')[0].trim()
  return ct && ct !== 'application/json' && ct !== 'text/plain' ? ct : undefined
}

export function registryError(body: Buffer): string | undefined {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      errors?: { code?: string; message?: string }[]
    }
    const e = doc.errors?.[0]
    if (!e?.code) return undefined
    return e.message ? `${e.code}: ${e.message}` : e.code
  } catch {
    return undefined
  }
}

export function parseJson<T>(body: Buffer, what: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T
  } catch {
    throw new InspectionFailure('error', `the registry's ${what} is not valid JSON`)
  }
}

/**
 * A manifest or index, or an InspectionFailure when the answer only looks like
 * one: JSON without a schemaVersion and a config, layers or manifests (a proxy
 * or a misbehaving registry answering 200 with `{}` or an error page) must
 * never count as a found image.
 */
export function parseManifest(body: Buffer, what: string, headers: HeaderReader): ManifestDoc {
  const doc = parseJson<unknown>(body, what)
  const m =
    doc && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as ManifestDoc & { fsLayers?: unknown })
      : undefined
  const shaped =
    m !== undefined &&
    typeof m.schemaVersion === 'number' &&
    (m.schemaVersion === 1
      ? Array.isArray(m.fsLayers)
      : Array.isArray(m.manifests) || (typeof m.config === 'object' && m.config !== null))
  if (!shaped)
    throw new InspectionFailure(
      'error',
      `the registry answered the ${what} with something that is not an image manifest (content-type ${headers.get('content-type') ?? 'none'}): ${body.toString('utf8').replace(/\s+/g, ' ').slice(0, 120)}; is a proxy in front of it?`
    )
  return m
}

export function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`
}
