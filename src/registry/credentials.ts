/**
 * Registry credentials from docker `config.json` files and Kubernetes pull
 * Secrets, matched to a registry host the way the kubelet matches them. Every
 * password and token is registered as a secret the moment it is read.
 */

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../core/errors.js'
import { registerSecret } from '../core/secrets.js'
import type { Cluster, KubeObject } from '../kube/types.js'
import { DOCKER_HUB } from './reference.js'
import { isRecord, nonEmpty } from '../core/fields.js'

/** What a config holds for one registry. */
export interface RegistryCredential {
  username?: string
  password?: string
  /** An OAuth2 refresh token (`docker login` with a token flow), exchanged at the token server. */
  identityToken?: string
  /** A bearer token sent to the registry as is. */
  registryToken?: string
}

/** One config key (`ghcr.io`, `registry.example.com:5000/team`, `*.example.com`) and its credential. */
export interface CredentialEntry {
  /** The key normalised: no scheme, Docker Hub's legacy names folded into `docker.io`. */
  key: string
  credential: RegistryCredential
}

/** A parsed docker config: where it came from and its credentials. */
export interface DockerConfig {
  /** For messages: `imagePullSecret shop/regcred`, `registry-auth input`, `DOCKER_CONFIG`. */
  source: string
  auths: CredentialEntry[]
  /** Hosts whose credentials live in a credential helper, which phase-gate does not run. */
  credHelpers?: Record<string, string>
  credsStore?: string
}

/** The credential chosen for a host, and where it was found. */
export interface FoundCredential {
  credential: RegistryCredential
  source: string
  key: string
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** Parses docker `config.json` text (or the legacy `.dockercfg` map); `source` names it in errors. */
export function parseDockerConfig(text: string, source: string): DockerConfig {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    // The parser's message can quote the text, which holds credentials: keep
    // only its position, and do not attach the original error as the cause.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${source} is not valid JSON (${redactJsonError(errorMessage(err))})`)
  }
  if (!isRecord(doc)) throw new Error(`${source} is not a JSON object`)
  return dockerConfigFromObject(doc, source)
}

/** A DockerConfig from an already parsed config object. */
export function dockerConfigFromObject(doc: Record<string, unknown>, source: string): DockerConfig {
  // `.dockercfg` is the bare map of hosts; config.json wraps it in `auths`.
  const legacy = !('auths' in doc) && !('credHelpers' in doc) && !('credsStore' in doc)
  const map = legacy ? doc : doc.auths
  const auths: CredentialEntry[] = []
  if (map !== undefined && !isRecord(map)) throw new Error(`${source}: "auths" is not an object`)
  for (const [rawKey, value] of Object.entries(map ?? {})) {
    if (!isRecord(value)) continue
    const credential = credentialFrom(value, `${source}: ${rawKey}`)
    if (credential) auths.push({ key: normaliseKey(rawKey), credential })
  }
  const config: DockerConfig = { source, auths }
  if (!legacy && isRecord(doc.credHelpers)) {
    config.credHelpers = {}
    for (const [k, v] of Object.entries(doc.credHelpers)) {
      if (typeof v === 'string') config.credHelpers[normaliseKey(k)] = v
    }
  }
  if (!legacy && typeof doc.credsStore === 'string') config.credsStore = doc.credsStore
  return config
}

/** The docker config inside a `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg` Secret. */
export function dockerConfigFromPullSecret(secret: KubeObject): DockerConfig {
  const name = `${secret.metadata.namespace ?? ''}/${secret.metadata.name}`.replace(/^\//, '')
  const source = `imagePullSecret ${name}`
  const type = typeof secret.type === 'string' ? secret.type : 'Opaque'
  const key =
    type === 'kubernetes.io/dockerconfigjson'
      ? '.dockerconfigjson'
      : type === 'kubernetes.io/dockercfg'
        ? '.dockercfg'
        : undefined
  if (!key) {
    throw new Error(
      `Secret ${name} is of type ${type}; the kubelet only uses kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg Secrets as imagePullSecrets`
    )
  }
  const data = isRecord(secret.data) ? secret.data[key] : undefined
  const stringData = isRecord(secret.stringData) ? secret.stringData[key] : undefined
  let text: string
  if (typeof data === 'string') {
    registerSecret(data)
    text = Buffer.from(data, 'base64').toString('utf8')
  } else if (typeof stringData === 'string') {
    text = stringData
  } else {
    throw new Error(`Secret ${name} has no "${key}" key`)
  }
  registerSecret(text)
  return parseDockerConfig(text, source)
}

/**
 * The docker config the docker CLI would use: `$DOCKER_CONFIG/config.json`,
 * else `$HOME/.docker/config.json`; undefined when there is none.
 */
export async function dockerConfigFromEnv(
  env: Record<string, string | undefined> = process.env
): Promise<DockerConfig | undefined> {
  const dir = env.DOCKER_CONFIG ?? (env.HOME ? join(env.HOME, '.docker') : undefined)
  if (!dir) return undefined
  const file = join(dir, 'config.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`cannot read ${file}: ${errorMessage(err)}`, { cause: err })
  }
  registerSecret(text)
  return parseDockerConfig(text, env.DOCKER_CONFIG ? `DOCKER_CONFIG (${file})` : file)
}

/**
 * The credential for an image on `host` (with `repository` for keys that carry
 * a path), matched as the kubelet does: the host may be a `*.` glob per label,
 * the port must match, a key's path must prefix the repository, the most
 * specific key wins, and earlier configs win over later ones.
 */
export function credentialsFor(
  host: string,
  configs: DockerConfig[],
  repository = ''
): FoundCredential | undefined {
  const target = splitKey(normaliseKey(host))
  for (const config of configs) {
    let best: { entry: CredentialEntry; score: number } | undefined
    for (const entry of config.auths) {
      const score = matchScore(splitKey(entry.key), target.host, repository)
      if (score !== undefined && (!best || score > best.score)) best = { entry, score }
    }
    if (best)
      return { credential: best.entry.credential, source: config.source, key: best.entry.key }
  }
  return undefined
}

/** The config key form of a host or URL: no scheme, no `/v1/`, Docker Hub's aliases as `docker.io`. */
export function normaliseKey(raw: string): string {
  let s = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  s = s.replace(/\/+$/, '').replace(/\/v[12]$/, '')
  const slash = s.indexOf('/')
  const host = (slash < 0 ? s : s.slice(0, slash)).toLowerCase()
  const path = slash < 0 ? '' : s.slice(slash)
  return (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host) + path
}

function splitKey(key: string): { host: string; path: string } {
  const slash = key.indexOf('/')
  return slash < 0
    ? { host: key, path: '' }
    : { host: key.slice(0, slash), path: key.slice(slash + 1) }
}

// Higher is more specific; undefined when the key does not apply.
function matchScore(
  key: { host: string; path: string },
  host: string,
  repository: string
): number | undefined {
  const [keyName, keyPort = ''] = splitPort(key.host)
  const [name, port = ''] = splitPort(host)
  if (keyPort !== port) return undefined
  const keyLabels = keyName.split('.')
  const labels = name.split('.')
  if (keyLabels.length !== labels.length) return undefined
  let wildcards = 0
  for (let i = 0; i < labels.length; i++) {
    if (keyLabels[i] === labels[i]) continue
    if (!globMatch(keyLabels[i], labels[i])) return undefined
    wildcards++
  }
  if (key.path) {
    if (repository !== key.path && !repository.startsWith(`${key.path}/`)) return undefined
  }
  return key.path.length * 100 - wildcards
}

function splitPort(host: string): [string, string?] {
  // `[::1]:5000` keeps its brackets; only a colon after them is a port.
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host)
  return m ? [m[1], m[2]] : [host]
}

function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return false
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^.]*')}$`)
  return re.test(text)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function credentialFrom(
  value: Record<string, unknown>,
  where: string
): RegistryCredential | undefined {
  const str = (k: string): string | undefined => nonEmpty(value[k])
  const cred: RegistryCredential = {}
  const auth = str('auth')
  if (auth) {
    registerSecret(auth)
    const decoded = Buffer.from(auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new Error(`${where}: "auth" is not base64 of user:password`)
    cred.username = decoded.slice(0, colon)
    cred.password = decoded.slice(colon + 1)
  }
  // Explicit fields win over `auth`, as in docker's config loader.
  if (str('username')) cred.username = str('username')
  if (str('password')) cred.password = str('password')
  if (str('identitytoken')) cred.identityToken = str('identitytoken')
  if (str('registrytoken')) cred.registryToken = str('registrytoken')
  registerSecret(cred.password)
  registerSecret(cred.identityToken)
  registerSecret(cred.registryToken)
  if (!cred.password && !cred.identityToken && !cred.registryToken) return undefined
  return cred
}

function redactJsonError(message: string): string {
  // Node's message looks like `Unexpected token x in JSON at position 12` or quotes the input.
  const pos = /position \d+/.exec(message)
  return pos ? `syntax error at ${pos[0]}` : 'syntax error'
}

/** Inputs for gathering the credentials the kubelet would use in a namespace. */
export interface PullCredentialSources {
  /** Reads ServiceAccounts and Secrets; absent when checking without a cluster. */
  cluster?: Pick<Cluster, 'get'>
  namespace: string
  /** Service accounts the pods run as (`default` when none is named). */
  serviceAccounts?: string[]
  /** Pull secret names the pod specs list themselves. */
  pullSecretNames?: string[]
  /** Objects the plan will apply: ServiceAccounts and Secrets there win over the cluster's. */
  planned?: KubeObject[]
  /** The `registry-auth` input: docker config.json text. */
  registryAuth?: string
  /** Environment for DOCKER_CONFIG (the runner's docker login); only read when set. */
  env?: Record<string, string | undefined>
}

/** What was gathered, and what could not be (a missing or unreadable Secret). */
export interface PullCredentials {
  configs: DockerConfig[]
  notes: string[]
}

/**
 * The docker configs an image pull in `namespace` would use, most
 * authoritative first: the pods' and service accounts' imagePullSecrets (from
 * the plan's own objects when it creates them, else the cluster), then the
 * `registry-auth` input, then `$DOCKER_CONFIG`. A Secret that cannot be read
 * is a note, not an error: the kubelet goes on without it too.
 */
export async function collectPullCredentials(src: PullCredentialSources): Promise<PullCredentials> {
  const notes: string[] = []
  const configs: DockerConfig[] = []
  const planned = (kind: string, name: string): KubeObject | undefined =>
    src.planned?.find(
      o =>
        o.kind === kind &&
        o.metadata.name === name &&
        (!o.metadata.namespace || o.metadata.namespace === src.namespace)
    )
  const read = async (kind: string, name: string): Promise<KubeObject | undefined> => {
    const own = planned(kind, name)
    if (own) return own
    if (!src.cluster) return undefined
    return src.cluster.get({ apiVersion: 'v1', kind, name, namespace: src.namespace })
  }

  const secretNames = new Set(src.pullSecretNames ?? [])
  const accounts = new Set(src.serviceAccounts?.length ? src.serviceAccounts : ['default'])
  for (const sa of accounts) {
    try {
      const obj = await read('ServiceAccount', sa)
      if (!obj) {
        if (src.cluster) notes.push(`service account ${src.namespace}/${sa} does not exist (yet)`)
        continue
      }
      const refs = Array.isArray(obj.imagePullSecrets) ? obj.imagePullSecrets : []
      for (const r of refs) {
        if (isRecord(r) && typeof r.name === 'string') secretNames.add(r.name)
      }
    } catch (err) {
      notes.push(`could not read service account ${src.namespace}/${sa}: ${errorMessage(err)}`)
    }
  }
  for (const name of secretNames) {
    try {
      const secret = await read('Secret', name)
      if (!secret) {
        notes.push(
          `imagePullSecret ${src.namespace}/${name} does not exist; the kubelet pulls without it`
        )
        continue
      }
      const named = secret.metadata.namespace
        ? secret
        : { ...secret, metadata: { ...secret.metadata, namespace: src.namespace } }
      configs.push(dockerConfigFromPullSecret(named))
    } catch (err) {
      notes.push(`could not use imagePullSecret ${src.namespace}/${name}: ${errorMessage(err)}`)
    }
  }
  if (src.registryAuth) {
    registerSecret(src.registryAuth)
    configs.push(parseDockerConfig(src.registryAuth, 'registry-auth input'))
  }
  if (src.env?.DOCKER_CONFIG) {
    const fromEnv = await dockerConfigFromEnv({ DOCKER_CONFIG: src.env.DOCKER_CONFIG })
    if (fromEnv) configs.push(fromEnv)
  }
  return { configs, notes }
}
