/**
 * Kubeconfig loading. The common cases (token, client certificate, basic auth,
 * CA data or file) are read here directly, which keeps the CLI's start fast;
 * exec credential plugins and auth providers are delegated to
 * `@kubernetes/client-node`, loaded only when a kubeconfig needs it.
 */

import { readFileSync, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, isAbsolute, resolve } from 'node:path'
import { parse } from 'yaml'
import { InfraError, UsageError, errorMessage } from '../core/errors.js'
import { registerSecret } from '../core/secrets.js'

/** What a request to the API server needs: where, TLS material and auth headers. */
export interface Connection {
  context: string
  cluster: string
  user: string
  server: string
  namespace?: string
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  insecureSkipTlsVerify: boolean
  tlsServerName?: string
  /** The cluster's `proxy-url`: requests to the server go through it (CONNECT for https). */
  proxyUrl?: string
  /** Headers for the next request (a bearer token may be refreshed by an exec plugin). */
  authHeaders(): Promise<Record<string, string>>
  /** Where the kubeconfig came from, for messages. */
  source: string
}

interface NamedCluster {
  name: string
  cluster?: {
    server?: string
    'certificate-authority'?: string
    'certificate-authority-data'?: string
    'insecure-skip-tls-verify'?: boolean
    'tls-server-name'?: string
    'proxy-url'?: string
  }
}
interface NamedUser {
  name: string
  user?: {
    token?: string
    tokenFile?: string
    'client-certificate'?: string
    'client-certificate-data'?: string
    'client-key'?: string
    'client-key-data'?: string
    username?: string
    password?: string
    exec?: unknown
    'auth-provider'?: unknown
  }
}
interface NamedContext {
  name: string
  context?: { cluster?: string; user?: string; namespace?: string }
}
interface KubeconfigFile {
  clusters?: NamedCluster[]
  users?: NamedUser[]
  contexts?: NamedContext[]
  'current-context'?: string
}

/** Where to read the kubeconfig from: an explicit path, else $KUBECONFIG (first file that has the context), else ~/.kube/config. */
export function kubeconfigPaths(explicit?: string): string[] {
  if (explicit) return [explicit]
  const env = process.env.KUBECONFIG
  if (env) return env.split(delimiter).filter(Boolean)
  return [resolve(homedir(), '.kube', 'config')]
}

function readKubeconfig(path: string): KubeconfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(
      `cannot read kubeconfig ${path}: ${errorMessage(err)}; pass --kubeconfig PATH or set KUBECONFIG`
    )
  }
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: 50 })
  } catch (err) {
    throw new UsageError(`kubeconfig ${path} is not valid YAML: ${errorMessage(err)}`)
  }
  if (!doc || typeof doc !== 'object') throw new UsageError(`kubeconfig ${path} is empty`)
  return doc as KubeconfigFile
}

/** Merges kubeconfig files the way kubectl does: the first file to set a name wins. */
function mergeKubeconfigs(paths: string[]): {
  merged: KubeconfigFile
  sourceOf: Map<string, string>
} {
  const merged: Required<Pick<KubeconfigFile, 'clusters' | 'users' | 'contexts'>> & KubeconfigFile =
    {
      clusters: [],
      users: [],
      contexts: []
    }
  const sourceOf = new Map<string, string>()
  for (const p of paths) {
    if (paths.length > 1 && !existsSync(p)) continue
    const k = readKubeconfig(p)
    merged['current-context'] ??= k['current-context']
    for (const c of k.clusters ?? [])
      if (!merged.clusters.some(x => x.name === c.name)) {
        merged.clusters.push(c)
        sourceOf.set(`cluster:${c.name}`, p)
      }
    for (const u of k.users ?? [])
      if (!merged.users.some(x => x.name === u.name)) {
        merged.users.push(u)
        sourceOf.set(`user:${u.name}`, p)
      }
    for (const c of k.contexts ?? [])
      if (!merged.contexts.some(x => x.name === c.name)) merged.contexts.push(c)
  }
  return { merged, sourceOf }
}

function fileOrData(
  base: string,
  file: string | undefined,
  data: string | undefined
): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64')
  if (file) return readFileSync(isAbsolute(file) ? file : resolve(base, file))
  return undefined
}

/** The context names of a kubeconfig (merged as kubectl merges $KUBECONFIG), and where they came from. */
export function kubeconfigContexts(path?: string): { contexts: string[]; source: string } {
  const paths = kubeconfigPaths(path)
  const { merged } = mergeKubeconfigs(paths)
  return { contexts: (merged.contexts ?? []).map(c => c.name), source: paths.join(delimiter) }
}

/** Resolves a kubeconfig and context into a Connection, registering every credential as a secret. */
export async function loadConnection(opts: {
  path?: string
  context?: string
}): Promise<Connection> {
  const paths = kubeconfigPaths(opts.path)
  if (!opts.path && !process.env.KUBECONFIG && !existsSync(paths[0])) {
    const inCluster = inClusterConnection(process.env, opts.context)
    if (inCluster) return inCluster
  }
  const { merged, sourceOf } = mergeKubeconfigs(paths)
  const source = paths.join(delimiter)
  const contextName = opts.context ?? merged['current-context']
  if (!contextName)
    throw new UsageError(
      `kubeconfig ${source} has no current context; pass --context NAME (contexts: ${names(merged.contexts)})`
    )
  const ctx = merged.contexts?.find(c => c.name === contextName)
  if (!ctx)
    throw new UsageError(
      `context "${contextName}" is not in kubeconfig ${source}; contexts there: ${names(merged.contexts)}. Pass --context with one of them, or fix target.context in the plan`
    )
  const clusterName = ctx.context?.cluster ?? ''
  const userName = ctx.context?.user ?? ''
  const cluster = merged.clusters?.find(c => c.name === clusterName)?.cluster
  if (!cluster?.server)
    throw new UsageError(
      `context "${contextName}" names cluster "${clusterName}", which kubeconfig ${source} does not define with a server`
    )
  const user = merged.users?.find(u => u.name === userName)?.user ?? {}
  const clusterBase = dirname(sourceOf.get(`cluster:${clusterName}`) ?? paths[0])
  const userBase = dirname(sourceOf.get(`user:${userName}`) ?? paths[0])

  let ca: Buffer | undefined
  let cert: Buffer | undefined
  let key: Buffer | undefined
  try {
    ca = fileOrData(
      clusterBase,
      cluster['certificate-authority'],
      cluster['certificate-authority-data']
    )
    cert = fileOrData(userBase, user['client-certificate'], user['client-certificate-data'])
    key = fileOrData(userBase, user['client-key'], user['client-key-data'])
  } catch (err) {
    throw new UsageError(
      `context "${contextName}": cannot read a certificate or key: ${errorMessage(err)}`
    )
  }
  if (key) registerSecret(key.toString('utf8'))
  if (user['client-key-data']) registerSecret(user['client-key-data'])
  if (user.token) registerSecret(user.token)
  if (user.password) registerSecret(user.password)

  let authHeaders: () => Promise<Record<string, string>>
  if (user.exec || user['auth-provider']) {
    const plugin = await pluginAuth(user, userName, contextName)
    authHeaders = plugin.headers
    cert ??= plugin.cert
    key ??= plugin.key
  } else if (user.token || user.tokenFile) {
    const tokenFile = user.tokenFile
    const staticToken = user.token
    authHeaders = async () => {
      const token = staticToken ?? readFileSync(resolve(userBase, tokenFile ?? ''), 'utf8').trim()
      registerSecret(token)
      return { Authorization: `Bearer ${token}` }
    }
  } else if (user.username && user.password) {
    const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64')
    registerSecret(basic)
    authHeaders = async () => ({ Authorization: `Basic ${basic}` })
  } else {
    authHeaders = async () => ({})
  }

  return {
    context: contextName,
    cluster: clusterName,
    user: userName,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: ctx.context?.namespace,
    ca,
    cert,
    key,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'],
    proxyUrl: proxyUrlOf(cluster['proxy-url'], contextName, source),
    authHeaders,
    source
  }
}

function proxyUrlOf(raw: string | undefined, context: string, source: string): string | undefined {
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    url = new URL('invalid://')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `context "${context}" in kubeconfig ${source}: proxy-url "${raw}" is not an http:// or https:// URL; fix the cluster's proxy-url (socks5 is not supported)`
    )
  if (url.password) registerSecret(decodeURIComponent(url.password))
  return raw
}

/** Where a pod's service account files are; PHASE_GATE_SERVICEACCOUNT_DIR overrides it (tests). */
export const SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/**
 * The pod's own service account, as client-go's in-cluster config: the
 * apiserver at KUBERNETES_SERVICE_HOST:PORT, the token and CA files of the
 * service account directory, the token re-read on every request (the
 * kubelet rotates it). Undefined when not in a pod.
 */
export function inClusterConnection(
  env: NodeJS.ProcessEnv,
  context?: string
): Connection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST
  const port = env.KUBERNETES_SERVICE_PORT
  const dir = env.PHASE_GATE_SERVICEACCOUNT_DIR || SERVICEACCOUNT_DIR
  const tokenFile = resolve(dir, 'token')
  if (!host || !port || !existsSync(tokenFile)) return undefined
  if (context)
    throw new UsageError(
      `context "${context}" was asked for, but there is no kubeconfig (in-cluster service account at ${dir}); pass --kubeconfig PATH, or drop --context and target.context to use the pod's service account`
    )
  const caFile = resolve(dir, 'ca.crt')
  let ca: Buffer | undefined
  try {
    ca = readFileSync(caFile)
  } catch (err) {
    throw new UsageError(`in-cluster: cannot read the CA ${caFile}: ${errorMessage(err)}`)
  }
  let namespace: string | undefined
  try {
    namespace = readFileSync(resolve(dir, 'namespace'), 'utf8').trim() || undefined
  } catch {
    namespace = undefined
  }
  const hostPart = host.includes(':') ? `[${host}]` : host
  return {
    context: 'in-cluster',
    cluster: 'in-cluster',
    user: 'service account',
    server: `https://${hostPart}:${port}`,
    namespace,
    ca,
    insecureSkipTlsVerify: false,
    authHeaders: async () => {
      let token: string
      try {
        token = readFileSync(tokenFile, 'utf8').trim()
      } catch (err) {
        throw new InfraError(
          `in-cluster: cannot read the service account token ${tokenFile}: ${errorMessage(err)}`,
          'check that the pod mounts its service account token (automountServiceAccountToken)'
        )
      }
      registerSecret(token)
      return { Authorization: `Bearer ${token}` }
    },
    source: `in-cluster service account (${dir})`
  }
}

function names(list: { name: string }[] | undefined): string {
  return (list ?? []).map(c => c.name).join(', ') || 'none'
}

/** The shape of client-node's ExecAuth we rely on. */
interface Authenticator {
  isAuthProvider(user: unknown): boolean
  applyAuthentication(
    user: unknown,
    opts: { headers?: Record<string, string>; cert?: unknown; key?: unknown }
  ): Promise<void>
}

/**
 * Exec credential plugins, delegated to @kubernetes/client-node's ExecAuth
 * (imported on its own, not through the package index, which loads every
 * generated API model: a plugin user pays milliseconds, not a second).
 */
async function pluginAuth(
  user: NonNullable<NamedUser['user']>,
  userName: string,
  context: string
): Promise<{ headers: () => Promise<Record<string, string>>; cert?: Buffer; key?: Buffer }> {
  const provider = user['auth-provider'] as
    { name?: string; config?: Record<string, unknown> } | undefined
  const clientUser = { name: userName, exec: user.exec, authProvider: provider }
  // kubectl dropped its built-in auth providers (azure, gcp, oidc) in 1.26 for exec plugins; so do we.
  if (!user.exec && provider?.name !== 'exec')
    throw new UsageError(
      `context "${context}": auth provider "${provider?.name}" is not supported; use an exec credential plugin (kubelogin, gke-gcloud-auth-plugin, aws eks get-token) as kubectl does since 1.26`
    )
  const { ExecAuth } = await import('@kubernetes/client-node/dist/exec_auth.js')
  const auth = new ExecAuth() as unknown as Authenticator
  const apply = async (): Promise<{
    headers: Record<string, string>
    cert?: unknown
    key?: unknown
  }> => {
    const opts: { headers: Record<string, string>; cert?: unknown; key?: unknown } = { headers: {} }
    try {
      await auth.applyAuthentication(clientUser, opts)
    } catch (err) {
      throw new InfraError(
        `the credential plugin of context "${context}" failed: ${errorMessage(err)}`,
        'run the plugin command by hand to see its error, or use a kubeconfig with a token'
      )
    }
    const bearer = opts.headers.Authorization
    if (bearer) registerSecret(bearer.replace(/^Bearer\s+/i, ''))
    return opts
  }
  // A plugin may answer with a client certificate instead of a token: the TLS agent needs it up front.
  const first = await apply()
  const asBuffer = (v: unknown): Buffer | undefined =>
    v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(String(v))
  const key = asBuffer(first.key)
  if (key) registerSecret(key.toString('utf8'))
  return { headers: async () => (await apply()).headers, cert: asBuffer(first.cert), key }
}
