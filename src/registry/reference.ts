/**
 * Image references parsed and normalised the way distribution/reference's
 * `ParseNormalizedNamed` does, so `nginx`, `docker.io/library/nginx` and
 * `index.docker.io/library/nginx` all name the same image the cluster pulls.
 */

import type { ImageReference } from './types.js'

/** Docker Hub's canonical name. */
export const DOCKER_HUB = 'docker.io'
const LEGACY_DOCKER_HUB = 'index.docker.io'
const OFFICIAL_PREFIX = 'library/'

/** Longest repository path a registry accepts (distribution's RepositoryNameTotalLengthMax). */
export const MAX_REPOSITORY_LENGTH = 255

// The grammar, built the way distribution's regexp.go builds it so each piece
// can also be used alone when explaining what part of a reference is wrong.
const ALPHANUMERIC = '[a-z0-9]+'
const SEPARATOR = '(?:[._]|__|[-]+)'
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]'
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'

const REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`
)
const NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`)
const PATH_COMPONENT_RE = new RegExp(`^${PATH_COMPONENT}$`)
const DOMAIN_RE = new RegExp(`^${DOMAIN_AND_PORT}$`)
const TAG_RE = new RegExp(`^${TAG}$`)
const DIGEST_RE = new RegExp(`^${DIGEST}$`)
const IDENTIFIER_RE = /^[a-f0-9]{64}$/

// Digest algorithms go-digest registers, with their hex lengths.
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }

/** Thrown for a reference that is not a valid image name; the message names the wrong part. */
export class ImageReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly problem: string
  ) {
    super(`invalid image reference "${reference}": ${problem}`)
    this.name = 'ImageReferenceError'
  }
}

/** Parses an image reference the way the container runtime will, defaulting Docker Hub and `library/`. */
export function parseImageReference(text: string): ImageReference {
  const fail = (problem: string): never => {
    throw new ImageReferenceError(text, problem)
  }
  if (text === '') fail('it is empty')
  if (text.trim() !== text) fail('it has leading or trailing whitespace')
  if (/^[:@]/.test(text)) fail('the repository name before the tag or digest is empty')
  if (text.includes('://')) fail('image references have no URL scheme: drop the "http(s)://"')
  if (IDENTIFIER_RE.test(text)) {
    fail('a 64-character hexadecimal string is an image ID, not a repository name')
  }

  const [registry, remainder] = splitDockerDomain(text)
  // The lowercase rule applies to the repository path only, so check it before
  // the tag (which may hold capitals) is part of the match.
  const colon = remainder.indexOf(':')
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder
  if (remote.toLowerCase() !== remote) {
    fail(`repository name "${remote.split('@')[0]}" must be lowercase`)
  }

  const full = `${registry}/${remainder}`
  const m = REFERENCE_RE.exec(full)
  if (!m) fail(explain(full))
  const [, name, tag, digest] = m as RegExpExecArray
  const nm = NAME_RE.exec(name)
  const repository = nm ? nm[2] : name
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    fail(
      `repository name is ${repository.length} characters, more than the ${MAX_REPOSITORY_LENGTH} registries accept`
    )
  }
  if (digest) {
    const problem = digestProblem(digest)
    if (problem) fail(problem)
  }
  const ref: ImageReference = { original: text, registry, repository }
  if (tag) ref.tag = tag
  if (digest) ref.digest = digest
  return ref
}

/** The parse error's message, or undefined when the text is a valid reference. */
export function validateImageReference(text: string): string | undefined {
  try {
    parseImageReference(text)
    return undefined
  } catch (err) {
    return err instanceof ImageReferenceError ? err.problem : String(err)
  }
}

/**
 * The canonical form `registry/repository[:tag][@digest]`, or with `familiar`
 * the short form people write (`nginx:1.25`, `bitnami/redis`).
 */
export function formatReference(ref: ImageReference, opts: { familiar?: boolean } = {}): string {
  let s = opts.familiar ? familiarName(ref) : `${ref.registry}/${ref.repository}`
  if (ref.tag) s += `:${ref.tag}`
  if (ref.digest) s += `@${ref.digest}`
  return s
}

/** The name without Docker Hub's domain and `library/` prefix, as `docker` shows it. */
export function familiarName(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`
  const rest = ref.repository.slice(OFFICIAL_PREFIX.length)
  // `library/foo/bar` keeps its prefix: dropping it would make `foo/bar`, another image.
  if (ref.repository.startsWith(OFFICIAL_PREFIX) && !rest.includes('/')) return rest
  return ref.repository
}

/** What the manifest endpoint is asked for: the digest when pinned, else the tag (`latest` by default). */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest'
}

// Splits off the registry host the way docker does: the first component is a
// host only when it contains `.` or `:`, is `localhost`, or has capitals
// (repository paths cannot).
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/')
  if (slash < 0) return [DOCKER_HUB, OFFICIAL_PREFIX + name]
  const first = name.slice(0, slash)
  let rest = name.slice(slash + 1)
  let domain: string
  if (first === 'localhost') domain = first
  else if (first === LEGACY_DOCKER_HUB) domain = DOCKER_HUB
  else if (/[.:]/.test(first)) domain = first
  else if (first.toLowerCase() !== first) domain = first
  else {
    domain = DOCKER_HUB
    rest = name
  }
  if (domain === DOCKER_HUB && !rest.includes('/')) rest = OFFICIAL_PREFIX + rest
  return [domain, rest]
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':')
  const algorithm = digest.slice(0, colon)
  const hex = digest.slice(colon + 1)
  const want = DIGEST_HEX_LENGTH[algorithm]
  if (want === undefined) {
    return `digest algorithm "${algorithm}" is not supported (use sha256, sha384 or sha512)`
  }
  if (hex.length !== want) {
    return `${algorithm} digest has ${hex.length} hex characters, expected ${want}`
  }
  if (!/^[a-f0-9]+$/.test(hex)) return `${algorithm} digest must be lowercase hexadecimal`
  return undefined
}

// Says which part of `registry/remainder` breaks the grammar, so the error
// points at the tag, the digest, the host or the path component at fault.
function explain(full: string): string {
  let rest = full
  const at = rest.indexOf('@')
  if (at >= 0) {
    const digest = rest.slice(at + 1)
    if (!DIGEST_RE.test(digest)) {
      return `digest "${digest}" is not of the form algorithm:hex (e.g. sha256: and 64 hex characters)`
    }
    rest = rest.slice(0, at)
  }
  const lastColon = rest.lastIndexOf(':')
  if (lastColon > rest.lastIndexOf('/')) {
    const tag = rest.slice(lastColon + 1)
    if (!TAG_RE.test(tag)) {
      return tag === ''
        ? 'the tag after ":" is empty'
        : `tag "${tag}" is invalid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`
    }
    rest = rest.slice(0, lastColon)
  }
  const parts = rest.split('/')
  const [domain, ...path] = parts
  if (!DOMAIN_RE.test(domain)) return `registry host "${domain}" is not a valid host[:port]`
  if (path.length === 0 || (path.length === 1 && path[0] === ''))
    return 'the repository name is empty'
  for (const c of path) {
    if (c === '') return 'the repository path has an empty component ("//" or a trailing "/")'
    if (!PATH_COMPONENT_RE.test(c)) {
      return `path component "${c}" is invalid: lowercase letters and digits, separated by ".", "_", "__" or dashes, starting and ending with a letter or digit`
    }
  }
  return 'it is not of the form [host[:port]/]path[:tag][@digest]'
}
