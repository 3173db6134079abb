/**
 * The registry v2 client behind the `Registry` seam: fetches an image's
 * manifest as the container runtime would (mirrors, pull credentials, the
 * bearer-token dance), picks the platform, sums the compressed size, and
 * tells apart not found, unauthorized, rate-limited and unreachable.
 */

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { resolve } from 'node:path'
import { type Clock, systemClock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import {
  type RetryDecision,
  parseRetryAfter,
  retriesOf,
  unwrapRetryError,
  withRetry
} from '../core/retry.js'
import { redact, registerSecret } from '../core/secrets.js'
import type { Cluster } from '../kube/types.js'
import type { LoadedPlan } from '../plan/types.js'
import type { Settings } from '../settings.js'
import {
  type DockerConfig,
  type FoundCredential,
  type PullCredentialSources,
  collectPullCredentials,
  credentialsFor
} from './credentials.js'
import { DOCKER_HUB, formatReference, manifestReference } from './reference.js'
import type {
  ImageInspection,
  ImageReference,
  ImageStatus,
  InspectRequest,
  Registry
} from './types.js'

/** The subset of `fetch` the client uses; tests and the CA-bundle transport provide their own. */
export type FetchLike = (
  url: string,
  init: {
    method: string
    headers: Record<string, string>
    signal?: AbortSignal
    body?: string
  }
) => Promise<Response>

/** How the client reaches registries: credentials, mirrors, transport and retry bounds. */
export interface RegistryClientOptions {
  /**
   * Pull credentials, most authoritative first (pull secrets, then
   * `registry-auth`, then DOCKER_CONFIG); a function is called once, at the
   * first inspection, so building the client needs no cluster round-trip.
   */
  credentials: DockerConfig[] | (() => Promise<DockerConfig[]>)
  /** Registry host → mirror host asked instead (the runtime's mirror configuration). */
  mirrors?: Record<string, string>
  /** Hosts reached over plain HTTP; loopback hosts always are. */
  insecure?: string[]
  /** PEM bundle of CAs that sign the registries' certificates. */
  caFile?: string
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number
  /** Retries per request on 429/502/503/504 and transport errors; default 3. */
  maxRetries?: number
  /** First backoff, doubling per retry; default 250 ms. */
  baseDelayMs?: number
  /** Longest Retry-After honoured; a registry asking for longer is reported rate-limited at once. Default 30 s. */
  maxRetryAfterMs?: number
  fetchImpl?: FetchLike
  clock?: Clock
  logger?: Logger
}

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

const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest
].join(', ')

const RETRY_STATUSES = new Set([429, 502, 503, 504])
const DEFAULT_MAX_RETRY_AFTER_MS = 30_000
const MAX_BODY_BYTES = 8 * 1024 * 1024

/** Creates the registry client. */
export function createRegistryClient(opts: RegistryClientOptions): Registry {
  return new RegistryClient(opts)
}

/** A registry challenge from `WWW-Authenticate`. */
export interface AuthChallenge {
  scheme: string
  params: Record<string, string>
}

/** Parses a `WWW-Authenticate` header into its challenges (`Bearer realm="…",service="…"`). */
export function parseAuthChallenges(header: string | null | undefined): AuthChallenge[] {
  if (!header) return []
  const out: AuthChallenge[] = []
  // auth-param values may be quoted strings holding commas and escaped quotes.
  const re =
    /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+|$)|\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy
  let current: AuthChallenge | undefined
  let pos = 0
  while (pos < header.length) {
    re.lastIndex = pos
    const m = re.exec(header)
    if (!m || m[0] === '') break
    pos = re.lastIndex
    if (m[2] !== undefined && current) {
      const raw = m[3]
      const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw
      current.params[m[2].toLowerCase()] = value
    } else if (m[1] !== undefined) {
      current = { scheme: m[1].toLowerCase(), params: {} }
      out.push(current)
    } else {
      break
    }
    while (header[pos] === ',' || header[pos] === ' ') pos++
  }
  return out
}

/** Where an image is actually asked for. */
interface Target {
  /** The host asked (the mirror when one is set). */
  host: string
  /** The image's own registry when `host` is its mirror. */
  mirrorOf?: string
  /** `https://registry-1.docker.io` for docker.io, else scheme + host. */
  baseUrl: string
  repository: string
  credential?: FoundCredential
}

interface CachedAuth {
  token: Promise<string>
  expiresAt: number
  credential?: FoundCredential
}

interface Answer {
  status: number
  headers: Headers
  body: Buffer
}

/** Per-inspection tally of retries, and the credential actually sent. */
interface Tally {
  retries: number
  signal?: AbortSignal
  credentialUsed?: FoundCredential
}

/** A definite outcome found mid-way (a token refused, a TLS failure), carried to `inspect`. */
class InspectionFailure extends Error {
  constructor(
    readonly status: ImageStatus,
    message: string,
    readonly extra: Partial<ImageInspection> = {}
  ) {
    super(message)
    this.name = 'InspectionFailure'
  }
}

interface Descriptor {
  mediaType?: string
  digest?: string
  size?: number
  platform?: { os?: string; architecture?: string; variant?: string }
  annotations?: Record<string, string>
}

interface ManifestDoc {
  schemaVersion?: number
  mediaType?: string
  manifests?: Descriptor[]
  config?: Descriptor
  layers?: Descriptor[]
}

class RegistryClient implements Registry {
  private readonly fetchImpl: FetchLike
  private readonly clock: Clock
  private readonly timeoutMs: number
  /** Authorization header values per `host|scope` (or `host|basic`), with the credential behind each. */
  private readonly tokens = new Map<string, CachedAuth>()
  private readonly insecure: Set<string>
  private configs: Promise<DockerConfig[]> | undefined
  private sources: string[] = []

  constructor(private readonly opts: RegistryClientOptions) {
    this.clock = opts.clock ?? systemClock
    this.timeoutMs = opts.timeoutMs ?? 10_000
    this.insecure = new Set((opts.insecure ?? []).map(h => h.toLowerCase()))
    if (opts.fetchImpl) this.fetchImpl = opts.fetchImpl
    else if (opts.caFile) this.fetchImpl = caFetch(opts.caFile)
    else this.fetchImpl = defaultFetch
  }

  async inspect(req: InspectRequest): Promise<ImageInspection> {
    const tally: Tally = { retries: 0, signal: req.signal }
    const host = this.opts.mirrors?.[req.ref.registry] ?? req.ref.registry
    let configs: DockerConfig[]
    try {
      configs = await this.credentials()
    } catch (err) {
      return {
        host,
        status: 'error',
        retries: 0,
        message: redact(`could not read the pull credentials: ${errorMessage(err)}`)
      }
    }
    const target = this.target(req.ref, configs)
    const base = { host: target.host }
    try {
      const result = await this.inspectManifest(req, target, tally)
      const out: ImageInspection = {
        ...base,
        ...result,
        retries: tally.retries,
        message: redact(result.message)
      }
      if (tally.credentialUsed) out.credentialSource = tally.credentialUsed.source
      return out
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason ?? err
      tally.retries += retriesOf(err)
      const cause = unwrapRetryError(err)
      const failure =
        cause instanceof InspectionFailure
          ? cause
          : (transportFailure(cause, target.host, this.timeoutMs) ??
            new InspectionFailure('error', `asking ${target.host} failed: ${messageOf(cause)}`))
      return {
        ...base,
        ...failure.extra,
        status: failure.status,
        message: redact(failure.message),
        retries: tally.retries
      }
    }
  }

  private credentials(): Promise<DockerConfig[]> {
    const given = this.opts.credentials
    this.configs ??= (typeof given === 'function' ? given() : Promise.resolve(given)).then(c => {
      this.sources = c.map(x => x.source)
      return c
    })
    return this.configs
  }

  private target(ref: ImageReference, configs: DockerConfig[]): Target {
    const mirror = this.opts.mirrors?.[ref.registry]
    const host = mirror ?? ref.registry
    const apiHost = host === DOCKER_HUB ? 'registry-1.docker.io' : host
    const scheme = this.plainHttp(host) ? 'http' : 'https'
    const t: Target = {
      host,
      baseUrl: `${scheme}://${apiHost}`,
      repository: ref.repository,
      // A mirror gets the mirror's credentials only: the image registry's would leak to it.
      credential: credentialsFor(host, configs, ref.repository)
    }
    if (mirror) t.mirrorOf = ref.registry
    return t
  }

  private plainHttp(host: string): boolean {
    const h = host.toLowerCase()
    if (this.insecure.has(h)) return true
    const name = h.replace(/:\d+$/, '')
    return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name)
  }

  private async inspectManifest(
    req: InspectRequest,
    target: Target,
    tally: Tally
  ): Promise<Omit<ImageInspection, 'retries' | 'host'>> {
    const reference = manifestReference(req.ref)
    const what = formatReference(req.ref)
    // The image's name already holds its registry; a mirror is worth naming.
    const subject = target.mirrorOf
      ? `${what} on ${target.host} (mirror of ${target.mirrorOf})`
      : what
    const ans = await this.get(
      tally,
      target,
      `/v2/${target.repository}/manifests/${reference}`,
      MANIFEST_ACCEPT
    )
    if (ans.status !== 200) return this.explainStatus(ans, req, target, tally)

    const doc = parseManifest(ans.body, `manifest of ${what}`, ans.headers)
    const mediaType = contentType(ans.headers) ?? doc.mediaType ?? guessMediaType(doc)
    const digest = ans.headers.get('docker-content-digest') ?? sha256(ans.body)
    const common = { digest, mediaType, statusCode: 200 }

    if (
      mediaType === MEDIA_TYPES.dockerSchema1 ||
      mediaType === MEDIA_TYPES.dockerSchema1Signed ||
      doc.schemaVersion === 1
    ) {
      return {
        ...common,
        status: 'error',
        message: `${subject} has a Docker schema 1 manifest, which containerd 2 no longer pulls; rebuild and push it with a current builder`
      }
    }

    if (isIndex(mediaType, doc)) {
      const entries = (doc.manifests ?? []).filter(d => !isAttestation(d))
      const platforms = entries.map(d => platformOf(d.platform))
      let chosen: Descriptor | undefined
      let why: string
      if (req.platform) {
        chosen = entries.find(d => platformMatches(req.platform as string, d.platform))
        if (!chosen) {
          return {
            ...common,
            status: 'platform-missing',
            platforms,
            message: `${subject} does not offer ${req.platform}; its index offers ${listOrNone(platforms)}`
          }
        }
        why = `${platformOf(chosen.platform)}, as asked`
      } else {
        chosen = entries.find(d => platformMatches('linux/amd64', d.platform)) ?? entries[0]
        if (!chosen) {
          return {
            ...common,
            status: 'error',
            platforms,
            message: `${subject} is an index listing no images`
          }
        }
        why = `${platformOf(chosen.platform)}, ${platformMatches('linux/amd64', chosen.platform) ? 'the default platform' : 'the first listed'}; no platform was asked`
      }
      const child = await this.get(
        tally,
        target,
        `/v2/${target.repository}/manifests/${chosen.digest}`,
        MANIFEST_ACCEPT
      )
      if (child.status !== 200) {
        const explained = await this.explainStatus(child, req, target, tally)
        return {
          ...explained,
          ...common,
          platforms,
          status: explained.status === 'not-found' ? 'error' : explained.status,
          message: `${subject}: the index lists ${platformOf(chosen.platform)} as ${chosen.digest} but fetching it failed: ${explained.message}`
        }
      }
      const childDoc = parseManifest(child.body, `manifest ${chosen.digest}`, child.headers)
      const size = compressedSize(childDoc)
      const sizePlatform = platformOf(chosen.platform)
      return {
        ...common,
        status: 'found',
        platforms,
        compressedSize: size,
        sizePlatform,
        message: `found ${subject}: an index of ${platforms.length} platform${platforms.length === 1 ? '' : 's'} (${listOrNone(platforms)}); ${formatMB(size)} compressed for ${why}`
      }
    }

    const size = compressedSize(doc)
    const found = { ...common, status: 'found' as const, compressedSize: size }
    const config = await this.imagePlatform(tally, target, doc)
    if (config === undefined) {
      const note = req.platform
        ? `; its platform could not be read, so ${req.platform} is not verified`
        : ''
      return {
        ...found,
        message: `found ${subject}: a single image of ${formatMB(size)} compressed${note}`
      }
    }
    if (req.platform && !platformMatches(req.platform, config)) {
      return {
        ...common,
        status: 'platform-missing',
        platforms: [platformOf(config)],
        compressedSize: size,
        sizePlatform: platformOf(config),
        message: `${subject} is a single-platform image for ${platformOf(config)}, not ${req.platform}`
      }
    }
    return {
      ...found,
      platforms: [platformOf(config)],
      sizePlatform: platformOf(config),
      message: `found ${subject}: a single ${platformOf(config)} image of ${formatMB(size)} compressed`
    }
  }

  // Reads the image config blob for its os/architecture; undefined when it is
  // not an image config or cannot be read (the size stands either way).
  private async imagePlatform(
    tally: Tally,
    target: Target,
    doc: ManifestDoc
  ): Promise<Descriptor['platform'] | undefined> {
    const cfg = doc.config
    if (!cfg?.digest) return undefined
    if (
      cfg.mediaType &&
      cfg.mediaType !== MEDIA_TYPES.ociConfig &&
      cfg.mediaType !== MEDIA_TYPES.dockerConfig
    ) {
      return undefined
    }
    try {
      const ans = await this.get(
        tally,
        target,
        `/v2/${target.repository}/blobs/${cfg.digest}`,
        '*/*'
      )
      if (ans.status !== 200) return undefined
      const c = parseJson<{ os?: string; architecture?: string; variant?: string }>(
        ans.body,
        'image config'
      )
      if (!c.os || !c.architecture) return undefined
      return { os: c.os, architecture: c.architecture, variant: c.variant }
    } catch (err) {
      tally.retries += retriesOf(err)
      return undefined
    }
  }

  private async explainStatus(
    ans: Answer,
    req: InspectRequest,
    target: Target,
    tally: Tally
  ): Promise<Omit<ImageInspection, 'retries' | 'host'>> {
    const what = formatReference(req.ref)
    const where = target.mirrorOf ? `${target.host} (mirror of ${target.mirrorOf})` : target.host
    const statusCode = ans.status
    const regErr = registryError(ans.body)
    const said = regErr ? ` (${regErr})` : ''
    const cred = target.credential
    if (ans.status === 401 || ans.status === 403) {
      let message: string
      if (ans.status === 403) {
        message = `${where} denied access to ${target.repository} (403${said})${cred ? ` with the credentials for ${cred.key} from ${cred.source}` : ''}`
      } else if (!cred) {
        message = this.noCredentials(where, target)
      } else {
        message = `${where} did not accept the credentials for ${cred.key} from ${cred.source} for pulling ${target.repository} (401${said})`
      }
      return { status: 'unauthorized', statusCode, message }
    }
    if (ans.status === 404) {
      // distribution answers MANIFEST_UNKNOWN for a missing repository too; the
      // tag list tells the two apart (and offers tags to suggest).
      const listed = regErr?.startsWith('NAME_UNKNOWN')
        ? ({ unknownRepo: true } as const)
        : await this.listTags(tally, target)
      if (listed && 'unknownRepo' in listed) {
        return {
          status: 'not-found',
          statusCode,
          message: `repository ${target.repository} does not exist on ${where}`
        }
      }
      const tags = listed?.tags
      if (req.ref.digest) {
        return {
          status: 'not-found',
          statusCode,
          message: `${what} was not found on ${where}: no manifest with digest ${req.ref.digest}${said}`
        }
      }
      return {
        status: 'not-found',
        statusCode,
        ...(tags ? { tags } : {}),
        message: `tag ${manifestReference(req.ref)} was not found in ${target.repository} on ${where}${said}${
          tags ? `; the repository has ${tags.length ? listSome(tags, 10) : 'no tags'}` : ''
        }`
      }
    }
    if (ans.status === 429) {
      const retryAfterMs = parseRetryAfter(ans.headers.get('retry-after'), this.clock.now())
      const retryAfter = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000)
      const capMs = this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
      const gaveUp =
        retryAfterMs !== undefined && retryAfterMs > capMs
          ? `, longer than the ${Math.round(capMs / 1000)}s phase-gate waits, so it did not retry`
          : `; gave up after ${tally.retries} ${tally.retries === 1 ? 'retry' : 'retries'}`
      return {
        status: 'rate-limited',
        statusCode,
        ...(retryAfter === undefined ? {} : { retryAfter }),
        message: `${where} is rate-limiting pulls (429${said})${
          retryAfter === undefined ? '' : ` and asks to wait ${retryAfter}s`
        }${gaveUp}`
      }
    }
    return {
      status: 'error',
      statusCode,
      message: `${where} answered ${ans.status}${said} for ${what}${
        RETRY_STATUSES.has(ans.status)
          ? ` after ${tally.retries} ${tally.retries === 1 ? 'retry' : 'retries'}`
          : ''
      }`
    }
  }

  private noCredentials(where: string, target: Target): string {
    const looked = this.sources
    let message = `${where} needs credentials to pull ${target.repository} and none were found for ${target.host}${
      looked.length
        ? ` (looked in ${looked.join(', ')})`
        : ' (no pull secrets or docker config were given)'
    }`
    if (target.host === DOCKER_HUB) {
      message += '; Docker Hub also answers this way for a repository that does not exist'
    }
    return message
  }

  private async listTags(
    tally: Tally,
    target: Target
  ): Promise<{ tags: string[] } | { unknownRepo: true } | undefined> {
    try {
      const ans = await this.get(
        tally,
        target,
        `/v2/${target.repository}/tags/list?n=100`,
        'application/json'
      )
      if (ans.status === 404 && registryError(ans.body)?.startsWith('NAME_UNKNOWN')) {
        return { unknownRepo: true }
      }
      if (ans.status !== 200) return undefined
      const doc = parseJson<{ tags?: string[] | null }>(ans.body, 'tag list')
      return { tags: Array.isArray(doc.tags) ? doc.tags.filter(t => typeof t === 'string') : [] }
    } catch (err) {
      tally.retries += retriesOf(err)
      return undefined
    }
  }

  // One authorised GET: the cached authorisation first; on 401 the challenge
  // is answered once with fresh credentials (a cached token may have expired).
  private async get(tally: Tally, target: Target, path: string, accept: string): Promise<Answer> {
    const url = target.baseUrl + path
    const scope = `repository:${target.repository}:pull`
    const headers: Record<string, string> = { Accept: accept }
    const cached = this.cachedAuthorization(target.host, scope)
    if (cached) {
      headers.Authorization = await cached.token
      if (cached.credential) tally.credentialUsed = cached.credential
    }
    const first = await this.send(tally, url, headers)
    if (first.status !== 401) return first
    const challenges = parseAuthChallenges(first.headers.get('www-authenticate'))
    const authorization = await this.answerChallenge(tally, target, challenges, scope)
    if (!authorization) return first
    return this.send(tally, url, { ...headers, Authorization: authorization })
  }

  private cachedAuthorization(host: string, scope: string): CachedAuth | undefined {
    for (const key of [`${host}|${scope}`, `${host}|basic`]) {
      const hit = this.tokens.get(key)
      if (hit && hit.expiresAt > this.clock.now()) return hit
    }
    return undefined
  }

  private async answerChallenge(
    tally: Tally,
    target: Target,
    challenges: AuthChallenge[],
    scope: string
  ): Promise<string | undefined> {
    const found = target.credential
    const cred = found?.credential
    const bearer = challenges.find(c => c.scheme === 'bearer')
    if (bearer?.params.realm) {
      // The registry may name a wider or different scope than ours: ask for what it wants.
      const wanted = bearer.params.scope ?? scope
      const key = `${target.host}|${wanted}`
      const token = this.fetchToken(tally, target, bearer.params, wanted)
      // Share one token request among concurrent inspections of the same repository.
      const shared = token.then(t => `Bearer ${t.token}`)
      // Nobody may await the shared copy; its rejection is handled through `token` below.
      shared.catch(() => undefined)
      this.tokens.set(key, { token: shared, expiresAt: Infinity, credential: found })
      try {
        const t = await token
        const authorization = `Bearer ${t.token}`
        const entry = {
          token: Promise.resolve(authorization),
          expiresAt: t.expiresAt,
          credential: found
        }
        this.tokens.set(key, entry)
        if (wanted !== scope) this.tokens.set(`${target.host}|${scope}`, entry)
        if (found) tally.credentialUsed = found
        return authorization
      } catch (err) {
        this.tokens.delete(key)
        throw err
      }
    }
    if (challenges.some(c => c.scheme === 'basic')) {
      if (!cred?.username || !cred.password) return undefined
      const authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`
      registerSecret(authorization)
      this.tokens.set(`${target.host}|basic`, {
        token: Promise.resolve(authorization),
        expiresAt: Infinity,
        credential: found
      })
      tally.credentialUsed = found
      return authorization
    }
    return undefined
  }

  private async fetchToken(
    tally: Tally,
    target: Target,
    params: Record<string, string>,
    scope: string
  ): Promise<{ token: string; expiresAt: number }> {
    const found = target.credential
    const cred = found?.credential
    // A registry token is the bearer token itself; no exchange needed.
    if (cred?.registryToken) return { token: cred.registryToken, expiresAt: Infinity }
    let realm: URL
    try {
      realm = new URL(params.realm)
    } catch {
      throw new InspectionFailure(
        'error',
        `${target.host} named an invalid token server "${params.realm}"`
      )
    }
    const realmHost = realm.host
    const headers: Record<string, string> = { Accept: 'application/json' }
    let ans: Answer
    if (cred?.identityToken) {
      // docker's OAuth2 refresh-token flow for identity tokens.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cred.identityToken,
        client_id: 'phase-gate',
        scope
      })
      if (params.service) form.set('service', params.service)
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      ans = await this.send(tally, realm.toString(), headers, 'POST', form.toString())
    } else {
      if (params.service) realm.searchParams.set('service', params.service)
      realm.searchParams.set('scope', scope)
      if (cred?.username && cred.password) {
        const basic = Buffer.from(`${cred.username}:${cred.password}`).toString('base64')
        registerSecret(basic)
        headers.Authorization = `Basic ${basic}`
      }
      ans = await this.send(tally, realm.toString(), headers)
    }
    if (ans.status === 401 || ans.status === 403) {
      throw new InspectionFailure(
        'unauthorized',
        found
          ? `the token server at ${realmHost} refused the credentials for ${found.key} from ${found.source} (${ans.status})`
          : `${this.noCredentials(target.mirrorOf ? `${target.host} (mirror of ${target.mirrorOf})` : target.host, target)} (its token server at ${realmHost} answered ${ans.status})`,
        { statusCode: ans.status }
      )
    }
    if (ans.status === 429) {
      const retryAfterMs = parseRetryAfter(ans.headers.get('retry-after'), this.clock.now())
      throw new InspectionFailure(
        'rate-limited',
        `the token server at ${realmHost} is rate-limiting (429)`,
        {
          statusCode: 429,
          ...(retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) })
        }
      )
    }
    if (ans.status !== 200) {
      throw new InspectionFailure(
        'error',
        `the token server at ${realmHost} answered ${ans.status}`,
        {
          statusCode: ans.status
        }
      )
    }
    const doc = parseJson<{ token?: string; access_token?: string; expires_in?: number }>(
      ans.body,
      'token answer'
    )
    const token = doc.token ?? doc.access_token
    if (!token)
      throw new InspectionFailure(
        'error',
        `the token server at ${realmHost} answered without a token`
      )
    registerSecret(token)
    // Tokens last at least 60 s (distribution's default); renew a little early.
    const lifetime = Math.max(60, Number(doc.expires_in) || 60)
    return { token, expiresAt: this.clock.now() + (lifetime - 10) * 1000 }
  }

  // One request with retries on 429/5xx and transport errors; the whole body
  // is read inside the attempt so a response cut mid-way is retried too.
  private async send(
    tally: Tally,
    url: string,
    headers: Record<string, string>,
    method = 'GET',
    body?: string
  ): Promise<Answer> {
    const host = new URL(url).host
    const result = await withRetry(
      async () => {
        const signals = [AbortSignal.timeout(this.timeoutMs)]
        if (tally.signal) signals.push(tally.signal)
        const init: Parameters<FetchLike>[1] = { method, headers, signal: AbortSignal.any(signals) }
        if (body !== undefined) init.body = body
        const res = await this.fetchImpl(url, init)
        const len = Number(res.headers.get('content-length'))
        if (len > MAX_BODY_BYTES) {
          await res.body?.cancel()
          return { status: res.status, headers: res.headers, body: Buffer.alloc(0) }
        }
        const buf = Buffer.from(await res.arrayBuffer())
        return { status: res.status, headers: res.headers, body: buf }
      },
      {
        maxRetries: this.opts.maxRetries ?? 3,
        baseDelayMs: this.opts.baseDelayMs ?? 250,
        maxDelayMs: 4000,
        maxRetryAfterMs: this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
        clock: this.clock,
        signal: tally.signal,
        retryResult: (a: Answer): RetryDecision | undefined =>
          RETRY_STATUSES.has(a.status)
            ? {
                reason: `${a.status} from ${host}`,
                retryAfterMs: parseRetryAfter(a.headers.get('retry-after'), this.clock.now())
              }
            : undefined,
        retryError: err => {
          if (tally.signal?.aborted) return undefined
          const f = transportFailure(err, host, this.timeoutMs)
          return f && f.status === 'unreachable' ? { reason: f.message } : undefined
        },
        onRetry: r =>
          this.opts.logger?.debug(
            `registry: retry ${r.retry} of ${method} ${redactUrl(url)} in ${r.delayMs}ms: ${r.reason}`
          )
      }
    )
    tally.retries += result.retries
    this.opts.logger?.debug(`registry: ${method} ${redactUrl(url)} → ${result.value.status}`)
    return result.value
  }
}

let viaNode: FetchLike | undefined

// Node's fetch, except for the ports the fetch standard blocks (6000,
// 6665-6669, 10080 ...), where registries do run: those go over node:http(s).
const defaultFetch: FetchLike = async (url, init) => {
  try {
    return await fetch(url, { ...init, redirect: 'follow' })
  } catch (err) {
    if (!chain(err).some(e => e.message === 'bad port')) throw err
    viaNode ??= nodeFetch()
    return viaNode(url, init)
  }
}

// A CA bundle that cannot be read fails each inspection with the reason
// instead of failing the client's creation (and with it every other gate).
function caFetch(file: string): FetchLike {
  try {
    return nodeFetch(readFileSync(file, 'utf8'))
  } catch (err) {
    const message = `cannot read the CA bundle ${file} (registries.caFile): ${messageOf(err)}`
    return async () => {
      throw new InspectionFailure('error', message)
    }
  }
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

/** The reason a transport error happened, in words, or undefined for a non-transport error. */
function transportFailure(
  err: unknown,
  host: string,
  timeoutMs: number
): InspectionFailure | undefined {
  const links = chain(err)
  const names = links.map(e => e.name ?? '')
  const codes = links.map(e => (e.code === undefined ? '' : String(e.code)))
  const messages = links.map(e => e.message ?? '')
  const has = (...c: string[]): boolean => codes.some(x => c.includes(x))
  const unreachable = (m: string): InspectionFailure => new InspectionFailure('unreachable', m)
  if (
    names.includes('TimeoutError') ||
    has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')
  ) {
    return unreachable(`${host} did not answer within ${Math.round(timeoutMs / 100) / 10}s`)
  }
  if (has('ECONNREFUSED'))
    return unreachable(`could not connect to ${host}: connection refused (nothing listens there)`)
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'))
    return unreachable(`could not resolve the host name of ${host} (DNS)`)
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'))
    return unreachable(`no network route to ${host}`)
  if (
    has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED') ||
    messages.some(m => /other side closed|socket hang up|terminated/i.test(m))
  ) {
    return unreachable(`${host} closed the connection before answering in full`)
  }
  if (
    codes.some(c => /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL/.test(c)) ||
    messages.some(m => /certificate|wrong version number/i.test(m))
  ) {
    return new InspectionFailure(
      'error',
      `TLS with ${host} failed (${codes.find(c => c) || messages[messages.length - 1]}); set registries.caFile to the CA bundle that signs it, or list it in registries.insecure if it serves plain HTTP`
    )
  }
  return undefined
}

interface ErrorLike {
  name?: string
  code?: unknown
  message?: string
  cause?: unknown
  errors?: unknown[]
}

// The error, its causes and an AggregateError's members, duck-typed: fetch's
// errors come from another realm under jest's VM, where `instanceof Error` fails.
function chain(err: unknown, depth = 0): ErrorLike[] {
  if (typeof err !== 'object' || err === null || depth > 5) return []
  const e = err as ErrorLike
  const out: ErrorLike[] = [e]
  out.push(...chain(e.cause, depth + 1))
  if (Array.isArray(e.errors)) for (const x of e.errors) out.push(...chain(x, depth + 1))
  return out
}

function messageOf(err: unknown): string {
  const m = chain(err)[0]?.message
  return typeof m === 'string' && m ? m : errorMessage(err)
}

function isIndex(mediaType: string | undefined, doc: ManifestDoc): boolean {
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerList) return true
  return Array.isArray(doc.manifests) && !Array.isArray(doc.layers)
}

function guessMediaType(doc: ManifestDoc): string | undefined {
  if (Array.isArray(doc.manifests)) return MEDIA_TYPES.ociIndex
  if (Array.isArray(doc.layers)) return MEDIA_TYPES.ociManifest
  return undefined
}

// buildx attaches provenance/SBOM "images" with platform unknown/unknown; no node pulls them.
function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    d.platform?.os === 'unknown'
  )
}

function contentType(h: Headers): string | undefined {
  const ct = h.get('content-type')?.split(';')[0].trim()
  return ct && ct !== 'application/json' && ct !== 'text/plain' ? ct : undefined
}

function registryError(body: Buffer): string | undefined {
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

function parseJson<T>(body: Buffer, what: string): T {
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
function parseManifest(body: Buffer, what: string, headers: Headers): ManifestDoc {
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

function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`
}

function listOrNone(items: string[]): string {
  return items.length ? items.join(', ') : 'none'
}

function listSome(items: string[], n: number): string {
  return items.length <= n
    ? items.join(', ')
    : `${items.slice(0, n).join(', ')} and ${items.length - n} more`
}

// Token URLs carry the scope and service only, but a realm could embed anything.
function redactUrl(url: string): string {
  return redact(url.replace(/\/\/[^@/]*@/, '//'))
}

/**
 * A `fetch` over node:http(s) that trusts the given CA bundle, for registries
 * signed by a private CA (node's global fetch takes no CA option, and undici
 * is not a dependency of ours). Follows redirects, dropping Authorization when
 * the origin changes, as fetch does.
 */
export function nodeFetch(ca?: string): FetchLike {
  const agent = new https.Agent({ ...(ca ? { ca } : {}), keepAlive: true })
  const once = (url: URL, init: Parameters<FetchLike>[1]): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http
      const req = mod.request(url, {
        method: init.method,
        headers: init.headers,
        signal: init.signal,
        ...(url.protocol === 'https:' ? { agent } : {})
      })
      req.on('response', resolve)
      req.on('error', reject)
      req.end(init.body)
    })
  return async (rawUrl, init) => {
    let url = new URL(rawUrl)
    let current = init
    for (let hop = 0; ; hop++) {
      const res = await once(url, current)
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (status >= 300 && status < 400 && location && hop < 5) {
        res.resume()
        const next = new URL(location, url)
        const headers = { ...current.headers }
        if (next.origin !== url.origin) delete headers.Authorization
        const method = status === 303 ? 'GET' : current.method
        current = { ...current, method, headers, ...(method === 'GET' ? { body: undefined } : {}) }
        url = next
        continue
      }
      const chunks: Buffer[] = []
      for await (const c of res) chunks.push(c as Buffer)
      const headers = new Headers()
      for (const [k, v] of Object.entries(res.headers)) {
        if (v === undefined) continue
        for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one)
      }
      const nullBody = status === 204 || status === 304 || init.method === 'HEAD'
      return new Response(nullBody ? null : Buffer.concat(chunks), { status, headers })
    }
  }
}

/** What `createTargetRegistry` needs from the run. */
export interface TargetRegistryOptions {
  /** The `registry-auth` input and mirror overrides. */
  settings: Pick<Settings, 'registryAuth' | 'mirrors'>
  /** The plan's `registries` settings; `caFile` resolves against `dir`. */
  loaded: Pick<LoadedPlan, 'plan' | 'dir'>
  cluster: () => Promise<Cluster>
  namespace: string
  log?: Logger
  /** For DOCKER_CONFIG; default process.env. */
  env?: Record<string, string | undefined>
  /**
   * The service accounts and imagePullSecrets the plan's pods name, and the ServiceAccounts and
   * Secrets the plan creates; without it, only the namespace's `default` account is read.
   */
  pullSources?: () => Promise<
    Pick<PullCredentialSources, 'serviceAccounts' | 'pullSecretNames' | 'planned'> & {
      notes?: string[]
    }
  >
  /** Tests only. */
  fetchImpl?: FetchLike
}

/**
 * The Registry the engine hands to gates (the shape of `EngineDeps.registry`):
 * the plan's mirrors, insecure hosts and CA bundle, and the credentials a pull
 * in the target namespace would use (the imagePullSecrets of the service
 * accounts the plan's pods run as and of the pods themselves), read at the
 * first inspection. A cluster that cannot be read costs the pull secrets, not the check.
 */
export function createTargetRegistry(o: TargetRegistryOptions): Registry {
  const plan = o.loaded.plan.registries
  const caFile = plan?.caFile ? resolve(o.loaded.dir, plan.caFile) : undefined
  return createRegistryClient({
    mirrors: { ...plan?.mirrors, ...o.settings.mirrors },
    insecure: plan?.insecure,
    caFile,
    logger: o.log,
    ...(o.fetchImpl ? { fetchImpl: o.fetchImpl } : {}),
    credentials: async () => {
      let cluster: Cluster | undefined
      const early: string[] = []
      try {
        cluster = await o.cluster()
      } catch (err) {
        early.push(`could not read the namespace's pull secrets: ${messageOf(err)}`)
      }
      let sources: Awaited<ReturnType<NonNullable<TargetRegistryOptions['pullSources']>>> = {}
      try {
        sources = (await o.pullSources?.()) ?? {}
      } catch (err) {
        early.push(`could not read the plan's pull secrets: ${messageOf(err)}`)
      }
      const { configs, notes } = await collectPullCredentials({
        cluster,
        namespace: o.namespace,
        serviceAccounts: sources.serviceAccounts,
        pullSecretNames: sources.pullSecretNames,
        planned: sources.planned,
        registryAuth: o.settings.registryAuth,
        env: o.env ?? process.env
      })
      early.push(...(sources.notes ?? []))
      for (const n of [...early, ...notes]) o.log?.warn(`image check: ${n}`)
      return configs
    }
  })
}
