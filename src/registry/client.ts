/**
 * The registry v2 client behind the `Registry` seam: fetches an image's
 * manifest as the container runtime would (mirrors, pull credentials, the
 * bearer-token dance), picks the platform, sums the compressed size, and
 * tells apart not found, unauthorized, rate-limited and unreachable. The
 * wire is transport.ts, authentication auth.ts, manifests manifest.ts.
 */

import { resolve } from 'node:path'
import { type Clock, systemClock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { parseRetryAfter, retriesOf, unwrapRetryError } from '../core/retry.js'
import { redact } from '../core/secrets.js'
import type { Cluster } from '../kube/types.js'
import type { LoadedPlan } from '../plan/types.js'
import type { Settings } from '../settings.js'
import {
  type DockerConfig,
  type PullCredentialSources,
  collectPullCredentials,
  credentialsFor
} from './credentials.js'
import { type Target, RegistryAuth, parseAuthChallenges } from './auth.js'
import {
  type Descriptor,
  type ManifestDoc,
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  compressedSize,
  contentType,
  formatMB,
  guessMediaType,
  isAttestation,
  isIndex,
  parseJson,
  parseManifest,
  platformMatches,
  platformOf,
  registryError,
  sha256
} from './manifest.js'
import { DOCKER_HUB, formatReference, manifestReference } from './reference.js'
import {
  type Answer,
  type FetchLike,
  type Tally,
  DEFAULT_MAX_RETRY_AFTER_MS,
  InspectionFailure,
  RETRY_STATUSES,
  Transport,
  caFetch,
  defaultFetch,
  messageOf,
  transportFailure
} from './transport.js'
import type { ImageInspection, ImageReference, InspectRequest, Registry } from './types.js'

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

/** Creates the registry client. */
export function createRegistryClient(opts: RegistryClientOptions): Registry {
  return new RegistryClient(opts)
}

class RegistryClient implements Registry {
  private readonly fetchImpl: FetchLike
  private readonly clock: Clock
  private readonly timeoutMs: number
  private readonly transport: Transport
  private readonly auth: RegistryAuth
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
    this.transport = new Transport({
      fetchImpl: this.fetchImpl,
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      maxRetries: opts.maxRetries,
      baseDelayMs: opts.baseDelayMs,
      maxRetryAfterMs: opts.maxRetryAfterMs,
      logger: opts.logger
    })
    this.auth = new RegistryAuth(this.transport, this.clock, (where, target) =>
      this.noCredentials(where, target)
    )
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

    if (isIndex(mediaType, doc)) return this.inspectIndex(req, target, tally, doc, common, subject)
    return this.inspectSingle(req, target, tally, doc, common, subject)
  }

  /** An index: picks the platform (the one asked, else linux/amd64, else the first) and reads its manifest. */
  private async inspectIndex(
    req: InspectRequest,
    target: Target,
    tally: Tally,
    doc: ManifestDoc,
    common: { digest: string; mediaType: string | undefined; statusCode: number },
    subject: string
  ): Promise<Omit<ImageInspection, 'retries' | 'host'>> {
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

  /** A single image: its size, and its platform from the config blob when one was asked. */
  private async inspectSingle(
    req: InspectRequest,
    target: Target,
    tally: Tally,
    doc: ManifestDoc,
    common: { digest: string; mediaType: string | undefined; statusCode: number },
    subject: string
  ): Promise<Omit<ImageInspection, 'retries' | 'host'>> {
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
    const cached = this.auth.cachedAuthorization(target.host, scope)
    if (cached) {
      headers.Authorization = await cached.token
      if (cached.credential) tally.credentialUsed = cached.credential
    }
    const first = await this.transport.send(tally, url, headers)
    if (first.status !== 401) return first
    const challenges = parseAuthChallenges(first.headers.get('www-authenticate'))
    const authorization = await this.auth.answerChallenge(tally, target, challenges, scope)
    if (!authorization) return first
    return this.transport.send(tally, url, { ...headers, Authorization: authorization })
  }
}

function listOrNone(items: string[]): string {
  return items.length ? items.join(', ') : 'none'
}

function listSome(items: string[], n: number): string {
  return items.length <= n
    ? items.join(', ')
    : `${items.slice(0, n).join(', ')} and ${items.length - n} more`
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
