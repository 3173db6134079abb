/**
 * Image overrides (`--image NAME=REF`, input `images`) with Kustomize `images`
 * semantics: NAME is an image repository exactly as the plan or a manifest
 * writes it, without tag or digest (a registry host with its port included);
 * REF is a full reference, or `:TAG` / `@DIGEST` to keep the name. They apply
 * after rendering, to every pod template and to `assumptions.images`.
 */

import { UsageError } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { podTemplateOf } from '../checks/pod-templates.js'

import type { ImageOverride } from '../plan/overrides-spec.js'
export type { ImageOverride }

/** One image reference split into repository, tag and digest (nothing normalised). */
export interface ImageParts {
  name: string
  tag?: string
  digest?: string
}

/** Splits `reg:5000/app:1.0@sha256:…` without normalising: a port is part of the name. */
export function splitImage(image: string): ImageParts {
  let rest = image
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  return { name: rest, tag, digest }
}

function joinImage(p: ImageParts): string {
  return `${p.name}${p.tag ? `:${p.tag}` : ''}${p.digest ? `@${p.digest}` : ''}`
}

const NAME_CHARS = /^[A-Za-z0-9._\-/:[\]]+$/

/** Parses `NAME=REF`; `source` names the flag or input in the error. */
export function parseImageOverride(text: string, source: string): ImageOverride {
  const t = text.trim()
  const eq = t.indexOf('=')
  const bad = (why: string): never => {
    throw new UsageError(
      `${source} "${text}": ${why}; write NAME=REF, e.g. app=registry.example.com/app:1.2.3, app=:1.2.3 or app=@sha256:<digest>`
    )
  }
  if (eq <= 0) bad('no NAME= before the reference')
  const name = t.slice(0, eq).trim()
  const ref = t.slice(eq + 1).trim()
  if (!ref) bad('nothing after =')
  const n = splitImage(name)
  if (n.tag !== undefined || n.digest !== undefined || !NAME_CHARS.test(name))
    bad(`NAME "${name}" must be an image repository without tag or digest`)
  const out: ImageOverride = { name, text: `${name}=${ref}` }
  if (ref.startsWith(':')) {
    const tag = ref.slice(1)
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) bad(`":${tag}" is not a valid tag`)
    out.newTag = tag
  } else if (ref.startsWith('@')) {
    const digest = ref.slice(1)
    if (!/^[A-Za-z][A-Za-z0-9]*:[0-9a-fA-F]{32,}$/.test(digest))
      bad(`"@${digest}" is not a digest like @sha256:<64 hex>`)
    out.newDigest = digest
  } else {
    const p = splitImage(ref)
    if (!NAME_CHARS.test(p.name)) bad(`"${ref}" is not an image reference`)
    out.newName = p.name
    out.newTag = p.tag
    out.newDigest = p.digest
  }
  return out
}

/** Parses every override; two for the same NAME is a usage error. */
export function parseImageOverrides(texts: string[], source: string): ImageOverride[] {
  const out: ImageOverride[] = []
  for (const t of texts.filter(x => x.trim())) {
    const o = parseImageOverride(t, source)
    const twice = out.find(x => x.name === o.name)
    if (twice)
      throw new UsageError(`${source}: "${o.name}" is given twice (${twice.text}, ${o.text})`)
    out.push(o)
  }
  return out
}

/** The image with the matching override applied, or the image itself when none matches. */
export function overrideImage(image: string, overrides: readonly ImageOverride[]): string {
  if (overrides.length === 0) return image
  const p = splitImage(image)
  const o = overrides.find(x => x.name === p.name)
  if (!o) return image
  const next: ImageParts = { name: o.newName ?? p.name, tag: p.tag, digest: p.digest }
  // As Kustomize does: a new tag or digest replaces both the tag and the digest written.
  if (o.newTag !== undefined || o.newDigest !== undefined) {
    next.tag = o.newTag
    next.digest = o.newDigest
  }
  return joinImage(next)
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const

/** Every image an object's pod template names (containers, init and ephemeral containers). */
export function imagesOf(obj: KubeObject): string[] {
  const tpl = podTemplateOf(obj)
  if (!tpl) return []
  const out: string[] = []
  for (const list of CONTAINER_LISTS) {
    const cs = tpl.spec[list]
    if (!Array.isArray(cs)) continue
    for (const c of cs as unknown[])
      if (
        typeof c === 'object' &&
        c !== null &&
        typeof (c as { image?: unknown }).image === 'string'
      )
        out.push((c as { image: string }).image)
  }
  return out
}

/**
 * The object with overrides applied to every container of its pod template
 * (a copy; the object itself is not changed). Objects without a pod template
 * or without a matching image come back as they are.
 */
export function overrideObjectImages(
  obj: KubeObject,
  overrides: readonly ImageOverride[]
): KubeObject {
  if (overrides.length === 0) return obj
  const images = imagesOf(obj)
  if (!images.some(i => overrideImage(i, overrides) !== i)) return obj
  const copy = structuredClone(obj)
  const tpl = podTemplateOf(copy)
  if (!tpl) return obj
  for (const list of CONTAINER_LISTS) {
    const cs = tpl.spec[list]
    if (!Array.isArray(cs)) continue
    for (const c of cs as { image?: unknown }[])
      if (typeof c?.image === 'string') c.image = overrideImage(c.image, overrides)
  }
  return copy
}

/** The overrides whose NAME matches none of `images` (repositories compared as written). */
export function unmatchedOverrides(
  overrides: readonly ImageOverride[],
  images: Iterable<string>
): ImageOverride[] {
  const names = new Set([...images].map(i => splitImage(i).name))
  return overrides.filter(o => !names.has(o.name))
}
