/**
 * The `image` assumption: every image the plan names or its manifests run is
 * pullable, offers the platform asked, and is not larger than allowed. The
 * registry is asked from the runner; the tracer proves the pull from a node.
 */

import { errorMessage } from '../core/errors.js'
import type { LoadedManifest } from '../plan/manifests.js'
import { formatReference, parseImageReference } from '../registry/reference.js'
import type { ImageInspection, ImageReference, Registry } from '../registry/types.js'
import {
  VERDICT_RANK,
  type CheckResult,
  type Severity,
  type SourceLocation,
  type Verdict
} from '../report/model.js'
import { checkResult, errorResult } from './result.js'
import type { AssumptionCheck } from './types.js'
import { isRecord } from '../core/fields.js'
import { CHECK_CONCURRENCY, mapBounded } from './concurrency.js'

const KIND = 'image'

/** The size above which an image is a warning when the plan sets no `maxSize` (500 MB). */
export const DEFAULT_MAX_IMAGE_BYTES = 500_000_000

/** One image to check, as the plan or a manifest names it. */
export interface ImageToCheck {
  ref: string
  /** `os/arch[/variant]` the image must offer. */
  platform?: string
  /** The largest compressed size allowed (`500MB`, `1.5GiB`, `200Mi`); above it the check fails. */
  maxSize?: string
  location?: SourceLocation
  source: 'assumption' | 'manifest'
}

/** The images to check, the registry to ask and the plan's limits. */
export interface CheckImagesInput {
  images: ImageToCheck[]
  registry: Registry
  /** Registries (hosts, `host/path` prefixes, `*.domain` globs) images may come from. */
  allow?: string[]
  /** Registry host → mirror host, so the report can name the registry behind a mirror. */
  mirrors?: Record<string, string>
  defaultMaxBytes?: number
  /** Inspections in flight at once; default 16. */
  concurrency?: number
  signal?: AbortSignal
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4
}

/** Bytes of a size string (`500MB` decimal, `1.5GiB`/`200Mi` binary, a bare number is bytes), or undefined. */
export function parseSize(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim())
  if (!m) return undefined
  const unit = UNITS[m[2].toLowerCase()]
  if (unit === undefined) return undefined
  return Math.round(Number(m[1]) * unit)
}

/** Megabytes (10^6 bytes), as registries show sizes; kilobytes below 1 MB. */
export function formatMegabytes(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`
  const mb = bytes / 1e6
  return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`
}

/** True when an image on `registry`/`repository` is allowed by the list (empty list: all are). */
export function registryAllowed(
  ref: Pick<ImageReference, 'registry' | 'repository'>,
  allow: string[] | undefined
): boolean {
  if (!allow || allow.length === 0) return true
  const full = `${ref.registry}/${ref.repository}`
  return allow.some(raw => {
    const entry = raw.trim().replace(/\/+$/, '')
    if (entry === '') return false
    if (entry.startsWith('*.')) {
      const host = ref.registry.replace(/:\d+$/, '')
      return host.endsWith(entry.slice(1)) && host.length > entry.length - 1
    }
    const normal = entry === 'index.docker.io' ? 'docker.io' : entry
    return normal === ref.registry || full === normal || full.startsWith(`${normal}/`)
  })
}

/** The tag closest to `wanted` by edit distance (ties: the later one in sort order, usually newer). */
export function closestTag(wanted: string, tags: string[]): string | undefined {
  let best: { tag: string; d: number } | undefined
  for (const tag of [...tags].sort()) {
    const d = editDistance(wanted, tag)
    if (!best || d <= best.d) best = { tag, d }
  }
  return best?.tag
}

/** Checks every distinct image, at most `concurrency` at once; one CheckResult per image. */
export async function checkImages(input: CheckImagesInput): Promise<CheckResult[]> {
  const groups = groupImages(input.images)
  return mapBounded(
    groups,
    async g => {
      try {
        return await checkOne(g, input)
      } catch (err) {
        if (input.signal?.aborted) throw err
        const target = g.ref ? formatReference(g.ref, { familiar: true }) : g.text
        return errorResult(KIND, target, err, g.location)
      }
    },
    input.concurrency ?? CHECK_CONCURRENCY
  )
}

/** The `image` kind of the reality check: images from `assumptions.images` and the manifests' pod specs. */
export const imageCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx =>
    (ctx.loaded.plan.assumptions?.images?.length ?? 0) > 0 ||
    imagesOfManifests(ctx.manifests).length > 0,
  async run(ctx) {
    const images: ImageToCheck[] = (ctx.loaded.plan.assumptions?.images ?? []).map((a, i) => {
      const location = ctx.loaded.locate(['assumptions', 'images', i])
      return typeof a === 'string'
        ? { ref: a, source: 'assumption' as const, location }
        : { ...a, source: 'assumption' as const, location }
    })
    images.push(...imagesOfManifests(ctx.manifests))
    const settings = ctx.loaded.plan.registries
    return checkImages({
      images,
      registry: ctx.registry(),
      allow: settings?.allow,
      mirrors: { ...settings?.mirrors, ...ctx.settings.mirrors },
      signal: ctx.signal
    })
  }
}

/** Every container and init container image of the pod specs in the manifests, located in their files. */
export function imagesOfManifests(manifests: LoadedManifest[]): ImageToCheck[] {
  const out: ImageToCheck[] = []
  for (const m of manifests) {
    const spec = podSpecOf(m.object)
    if (!spec) continue
    for (const field of ['initContainers', 'containers'] as const) {
      const list = spec[field]
      if (!Array.isArray(list)) continue
      list.forEach((c: unknown, i: number) => {
        if (!isRecord(c) || typeof c.image !== 'string' || c.image === '') return
        out.push({
          ref: c.image,
          source: 'manifest',
          location: {
            file: m.file,
            line: m.line,
            column: m.column,
            path: `${m.object.kind}/${m.object.metadata.name} ${field}[${i}].image`
          }
        })
      })
    }
  }
  return out
}

/** The pod spec of a Pod, a workload's template, or a CronJob's job template. */
export function podSpecOf(obj: {
  kind: string
  [k: string]: unknown
}): Record<string, unknown> | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : undefined
  if (!spec) return undefined
  if (obj.kind === 'Pod') return spec
  if (obj.kind === 'CronJob') {
    const job = isRecord(spec.jobTemplate) ? spec.jobTemplate.spec : undefined
    const tpl = isRecord(job) ? job.template : undefined
    return isRecord(tpl) && isRecord(tpl.spec) ? tpl.spec : undefined
  }
  // Deployments, StatefulSets, DaemonSets, Jobs, ReplicaSets and look-alikes (Rollouts, DeploymentConfigs).
  const tpl = spec.template
  return isRecord(tpl) && isRecord(tpl.spec) && Array.isArray(tpl.spec.containers)
    ? tpl.spec
    : undefined
}

interface ImageGroup {
  key: string
  /** The text as first written, for messages when it does not parse. */
  text: string
  ref?: ImageReference
  parseError?: string
  platforms: string[]
  maxSizes: string[]
  location?: SourceLocation
  sources: Set<'assumption' | 'manifest'>
}

// One group per image (however it is spelled); assumptions' locations win
// because that is where a person adjusts platform and size.
function groupImages(images: ImageToCheck[]): ImageGroup[] {
  const groups = new Map<string, ImageGroup>()
  for (const img of images) {
    let ref: ImageReference | undefined
    let parseError: string | undefined
    try {
      ref = parseImageReference(img.ref)
    } catch (err) {
      parseError = errorMessage(err)
    }
    const key = ref ? formatReference(withDefaultTag(ref)) : `invalid:${img.ref}`
    let g = groups.get(key)
    if (!g) {
      g = { key, text: img.ref, ref, parseError, platforms: [], maxSizes: [], sources: new Set() }
      groups.set(key, g)
    }
    g.sources.add(img.source)
    if (img.platform && !g.platforms.includes(img.platform)) g.platforms.push(img.platform)
    if (img.maxSize) g.maxSizes.push(img.maxSize)
    if (
      img.location &&
      (!g.location || (img.source === 'assumption' && !isAssumptionLocation(g)))
    ) {
      g.location = img.location
    }
  }
  return [...groups.values()]
}

function isAssumptionLocation(g: ImageGroup): boolean {
  return g.location?.path?.startsWith('assumptions') ?? false
}

function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' }
}

interface Judgement {
  verdict: Verdict
  severity: Severity
  message: string
  adjustment?: string
}

async function checkOne(g: ImageGroup, input: CheckImagesInput): Promise<CheckResult> {
  const started = performance.now()
  const took = (): number => performance.now() - started
  const target = g.ref ? formatReference(g.ref, { familiar: true }) : g.text
  const base = { location: g.location }

  if (!g.ref) {
    return checkResult(KIND, target, {
      ...base,
      verdict: 'fail',
      severity: 'high',
      message: g.parseError ?? `invalid image reference "${g.text}"`,
      adjustment:
        'fix the image reference: [registry[:port]/]repository[:tag][@sha256:digest], repository in lowercase',
      durationMs: took()
    })
  }
  const ref = g.ref

  if (!registryAllowed(ref, input.allow)) {
    return checkResult(KIND, target, {
      ...base,
      // Not asked, and not failed twice: the divergence check owns the allow-list finding.
      verdict: 'skip',
      severity: 'info',
      message: `${target} comes from ${ref.registry}, outside the plan's allowed registries (${(input.allow ?? []).join(', ')}): not asked; the divergence check reports it`,
      adjustment: `copy the image into an allowed registry (\`skopeo copy docker://${formatReference(ref)} docker://${input.allow?.[0] ?? '<allowed-registry>'}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}\`) and use that, or add ${ref.registry} to registries.allow`,
      data: { registry: ref.registry, allowed: input.allow },
      durationMs: took()
    })
  }

  // The smallest explicit maxSize wins: every place that names it must hold.
  const explicit = g.maxSizes.map(s => ({ text: s, bytes: parseSize(s) }))
  const badSize = explicit.find(s => s.bytes === undefined)
  if (badSize) {
    return checkResult(KIND, target, {
      ...base,
      verdict: 'error',
      severity: 'high',
      message: `maxSize "${badSize.text}" for ${target} is not a size`,
      adjustment:
        'write maxSize as a number with a unit: 500MB, 1.5GB (decimal) or 200Mi, 1.5GiB (binary)',
      durationMs: took()
    })
  }
  const explicitMax = explicit.length
    ? Math.min(...explicit.map(s => s.bytes as number))
    : undefined
  const maxText = explicit.find(s => s.bytes === explicitMax)?.text
  const limit = explicitMax ?? input.defaultMaxBytes ?? DEFAULT_MAX_IMAGE_BYTES

  const platforms = g.platforms.length ? g.platforms : [undefined]
  const inspections: { platform?: string; ins: ImageInspection }[] = []
  for (const platform of platforms) {
    const ins = await input.registry.inspect({ ref, platform, signal: input.signal })
    inspections.push({ platform, ins })
  }

  const judged = inspections.map(({ platform, ins }) =>
    judge(target, ref, platform, ins, limit, explicitMax !== undefined, maxText)
  )
  const worst = judged.reduce((a, b) => (rank(b.j) > rank(a.j) ? b : a))
  const ins = worst.ins
  const retries = inspections.reduce((n, x) => n + x.ins.retries, 0)
  const mirrorOf = ins.host !== ref.registry ? ref.registry : undefined

  return checkResult(KIND, target, {
    ...base,
    verdict: worst.j.verdict,
    severity: worst.j.severity,
    message: `${worst.j.message} (checked from the runner)`,
    evidence: evidenceOf(inspections, mirrorOf),
    adjustment: worst.j.adjustment,
    retries,
    durationMs: took(),
    data: {
      reference: formatReference(ref),
      registry: ref.registry,
      host: ins.host,
      ...(mirrorOf ? { mirrorOf } : {}),
      status: ins.status,
      statusCode: ins.statusCode,
      digest: ins.digest,
      mediaType: ins.mediaType,
      platforms: ins.platforms,
      platformsAsked: g.platforms,
      sizePlatform: ins.sizePlatform,
      sizeBytes: ins.compressedSize,
      sizeMB:
        ins.compressedSize === undefined ? undefined : Math.round(ins.compressedSize / 1e5) / 10,
      maxBytes: limit,
      maxSizeExplicit: explicitMax !== undefined,
      retryAfter: ins.retryAfter,
      credentialSource: ins.credentialSource,
      tags: ins.tags,
      namedIn: [...g.sources],
      checkedFrom: 'runner'
    }
  })
}

/** Registries whose nodes pull with their own cloud identity, and what lets the runner read them. */
const CLOUD_REGISTRIES: { pattern: RegExp; name: string; add: string }[] = [
  {
    pattern: /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
    name: 'Amazon ECR',
    add: 'log in with aws-actions/amazon-ecr-login (OIDC role with ecr:BatchGetImage) and pass its docker config in registry-auth'
  },
  {
    pattern: /^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/,
    name: 'Google Artifact Registry',
    add: 'authenticate with google-github-actions/auth (Workload Identity Federation, roles/artifactregistry.reader) and pass `gcloud auth print-access-token` as an oauth2accesstoken login in registry-auth'
  },
  {
    pattern: /^[a-z0-9]+\.azurecr\.(io|cn|us)$/,
    name: 'Azure Container Registry',
    add: 'log in with azure/login (OIDC, AcrPull on the registry) then `az acr login --name REGISTRY --expose-token`, and pass that token in registry-auth'
  }
]

/** The cloud registry a host belongs to, if any. */
export function cloudRegistry(host: string): { name: string; add: string } | undefined {
  return CLOUD_REGISTRIES.find(c => c.pattern.test(host.toLowerCase()))
}

function judge(
  target: string,
  ref: ImageReference,
  platform: string | undefined,
  ins: ImageInspection,
  limit: number,
  explicit: boolean,
  maxText: string | undefined
): { j: Judgement; ins: ImageInspection } {
  const host = ins.host
  const viaMirror = host !== ref.registry
  const j = ((): Judgement => {
    switch (ins.status) {
      case 'found': {
        const size = ins.compressedSize
        const sizeText = size === undefined ? 'unknown size' : formatMegabytes(size)
        const forPlatform = ins.sizePlatform ? ` for ${ins.sizePlatform}` : ''
        if (size !== undefined && size > limit) {
          // Rounded up to the next 10 MB, so the suggested limit holds the image.
          const need = `${Math.ceil(size / 1e7) * 10}MB`
          return explicit
            ? {
                verdict: 'fail',
                severity: 'high',
                message: `${target} is ${sizeText} compressed${forPlatform}, over its maxSize of ${maxText}`,
                adjustment: `slim the image (multi-stage build, smaller base image, fewer layers), or raise maxSize to at least ${need}`
              }
            : {
                verdict: 'warn',
                severity: 'medium',
                message: `${target} is ${sizeText} compressed${forPlatform}, over the default limit of ${formatMegabytes(limit)}; large images slow every rollout and node start`,
                adjustment: `slim the image, or accept it by setting maxSize: ${need} on its entry in assumptions.images`
              }
        }
        const creds = ins.credentialSource
        return {
          verdict: 'pass',
          severity: 'info',
          message: `${target} is pullable${platform ? ` for ${platform}` : ''}: ${sizeText} compressed${forPlatform}${creds ? `, with the credentials from ${creds}` : ''}`,
          adjustment:
            creds && !creds.startsWith('imagePullSecret')
              ? `the pull worked with credentials from ${creds}, which the cluster does not have: add them as an imagePullSecret of the pods' service account`
              : undefined
        }
      }
      case 'not-found': {
        const wanted = ref.digest ?? ref.tag ?? 'latest'
        const suggestion =
          !ref.digest && ins.tags?.length ? closestTag(wanted, ins.tags) : undefined
        let adjustment: string
        if (suggestion) {
          adjustment = `use tag ${suggestion}; the registry has ${listSome(ins.tags ?? [], 10)}`
        } else if (ins.tags && ins.tags.length === 0) {
          adjustment = `push ${target} first: the repository has no tags`
        } else if (ref.digest) {
          adjustment = `pin a digest that exists in ${ref.repository} (\`skopeo inspect docker://${formatReference({ ...ref, digest: undefined })}\` shows the current one)`
        } else {
          adjustment = `check the repository name and the registry; push the image if it was never pushed${viaMirror ? `, or check that the mirror ${host} carries it` : ''}`
        }
        return { verdict: 'fail', severity: 'high', message: ins.message, adjustment }
      }
      case 'unauthorized': {
        const cloud = cloudRegistry(host)
        if (cloud && !ins.credentialSource)
          return {
            verdict: 'warn',
            severity: 'medium',
            message: `${host} is ${cloud.name}: pulled with the node's identity; not checkable from the runner (${ins.message})`,
            adjustment: `to check it from the runner, ${cloud.add}; the tracer still proves the pull from a node`
          }
        const adjustment = ins.message.includes('none were found')
          ? `add an imagePullSecret for ${host} to the namespace's default service account (\`kubectl create secret docker-registry regcred --docker-server=${host} ...\`, then list it under imagePullSecrets of the service account the pods use), or pass it in registry-auth`
          : `renew the credentials for ${host}, or grant their account pull access to ${ref.repository}`
        return { verdict: 'fail', severity: 'high', message: ins.message, adjustment }
      }
      case 'platform-missing':
        return {
          verdict: 'fail',
          severity: 'high',
          message: ins.message,
          adjustment: `build and push ${platform} too (\`docker buildx build --platform ${[...new Set([...(ins.platforms ?? []), platform ?? ''])].filter(Boolean).join(',')} --push\`), or run the pods on nodes of ${listSome(ins.platforms ?? [], 5) || 'the platform the image has'}`
        }
      case 'rate-limited':
        return {
          verdict: 'error',
          severity: 'medium',
          message: ins.message,
          adjustment: `re-run${ins.retryAfter ? ` after ${ins.retryAfter}s` : ' later'}; authenticate to ${host} (authenticated pulls get higher limits) or pull through a mirror (registries.mirrors)`
        }
      case 'unreachable':
        return {
          verdict: 'error',
          severity: 'medium',
          message: ins.message,
          adjustment: `check the registry host name and the runner's network; if only the cluster reaches ${host}, the tracer's pull from a node is the proof`
        }
      case 'error':
        return { verdict: 'error', severity: 'medium', message: ins.message }
    }
  })()
  return { j, ins }
}

function evidenceOf(
  inspections: { platform?: string; ins: ImageInspection }[],
  mirrorOf?: string
): string {
  return inspections
    .map(({ platform, ins }) => {
      const parts = [
        `asked ${ins.host}${mirrorOf ? ` (mirror of ${mirrorOf})` : ''} from the runner`,
        ins.statusCode ? `HTTP ${ins.statusCode}` : undefined,
        `status ${ins.status}`,
        platform ? `platform asked ${platform}` : undefined,
        ins.digest ? `digest ${ins.digest}` : undefined,
        ins.platforms?.length ? `platforms ${ins.platforms.join(', ')}` : undefined,
        ins.compressedSize !== undefined
          ? `size ${formatMegabytes(ins.compressedSize)}${ins.sizePlatform ? ` (${ins.sizePlatform})` : ''}`
          : undefined,
        ins.retryAfter !== undefined ? `Retry-After ${ins.retryAfter}s` : undefined,
        `retries ${ins.retries}`
      ]
      return parts.filter(Boolean).join('; ')
    })
    .concat('a tracer proves the pull from a node')
    .join('\n')
}

function rank(j: Judgement): number {
  return VERDICT_RANK[j.verdict]
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]
}

function listSome(items: string[], n: number): string {
  return items.length <= n
    ? items.join(', ')
    : `${items.slice(0, n).join(', ')} and ${items.length - n} more`
}
