// The local cluster as integration tests see it: what the jest global setup
// put into the environment plus the cluster's state.json, and a few helpers.
// Each test file works in a namespace of its own:
//
//   const ns = await createTestNamespace('rollout')
//   afterAll(() => deleteNamespace(ns))
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SeededImage {
  digest: string
  mediaType: string
  size: number
  layerBytes: number
  platforms: string[]
}

export interface ClusterEnv {
  /** The cluster's directory (`.cluster` of the checkout). */
  dir: string
  /** Kubeconfig path; current context `phase-gate-admin` (cluster-admin). */
  kubeconfig: string
  contexts: { admin: string; restricted: string; cert: string }
  /** The one namespace where the restricted context may edit. */
  restrictedNamespace: string
  apiserver: string
  /** PEM CA of the apiserver (also inline in the kubeconfig). */
  caFile: string
  /** Bearer tokens of the admin and restricted users. */
  adminToken: string
  restrictedToken: string
  nodes: string[]
  /** host:port of the open registry (plain HTTP on loopback). */
  registry: string
  /** host:port of the token-auth registry; the user may pull and push phase-gate/*. */
  registryAuth: string
  registryUser: string
  registryPassword: string
  /** Seeded images ("phase-gate/app:1.0" -> digest, ...), the same on both registries. */
  images: Record<string, SeededImage>
  /** Prometheus base URL. */
  prometheus: string
  /** Test exporter base URL (POST /control, /control/reset, /observe). */
  exporter: string
  /** Directory holding the default pod log, for tests writing logs of their own beside it. */
  kwokLogsDir: string
  /** The cluster's kubectl, same version as the server. */
  kubectl: string
}

interface StateFile {
  dir: string
  kubeconfig: string
  caFile: string
  bin: string
  contexts: ClusterEnv['contexts']
  namespaces: { restricted: string }
  nodes: string[]
  urls: { apiserver: string }
  tokens: { admin: string; restricted: string }
  images: { open?: Record<string, SeededImage> }
  kwokLogsDir: string
}

function need(name: string): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(
      `${name} is not set: integration tests need the local cluster (run them with --selectProjects itg, whose global setup starts it, or source .cluster/env after npm run cluster:up)`
    )
  }
  return value
}

let cached: ClusterEnv | undefined

/** The local cluster's coordinates and credentials. */
export function clusterEnv(): ClusterEnv {
  if (cached) return cached
  const dir = need('PHASE_GATE_CLUSTER_DIR')
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StateFile
  const token = (file: string) => readFileSync(file, 'utf8').trim()
  cached = {
    dir,
    kubeconfig: need('KUBECONFIG'),
    contexts: state.contexts,
    restrictedNamespace: state.namespaces.restricted,
    apiserver: state.urls.apiserver,
    caFile: state.caFile,
    adminToken: token(state.tokens.admin),
    restrictedToken: token(state.tokens.restricted),
    nodes: state.nodes,
    registry: need('PHASE_GATE_REGISTRY'),
    registryAuth: need('PHASE_GATE_REGISTRY_AUTH'),
    registryUser: need('PHASE_GATE_REGISTRY_USER'),
    registryPassword: need('PHASE_GATE_REGISTRY_PASSWORD'),
    images: state.images.open ?? {},
    prometheus: need('PHASE_GATE_PROMETHEUS'),
    exporter: need('PHASE_GATE_EXPORTER'),
    kwokLogsDir: state.kwokLogsDir,
    kubectl: join(state.bin, 'kubectl')
  }
  return cached
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (for `apply -f -`). */
  input?: string
  /** A context of the kubeconfig; default the current (admin). */
  context?: string
  /** Another kubeconfig (a cluster of the test's own); default the shared cluster's. */
  kubeconfig?: string
  namespace?: string
  timeoutMs?: number
}

/** Runs the cluster's kubectl; resolves to stdout, rejects with stderr in the message. */
export function kubectl(args: string[], opts: KubectlOptions = {}): Promise<string> {
  const env = clusterEnv()
  const full = ['--kubeconfig', opts.kubeconfig ?? env.kubeconfig]
  if (opts.context) full.push('--context', opts.context)
  if (opts.namespace) full.push('--namespace', opts.namespace)
  full.push(...args)
  return new Promise((resolve, reject) => {
    const child = execFile(
      env.kubectl,
      full,
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || err.message}`, { cause: err })
          )
        else resolve(stdout)
      }
    )
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

/** kubectl with `-o json`, parsed. */
export async function kubectlJson<T = unknown>(
  args: string[],
  opts: KubectlOptions = {}
): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'], opts)) as T
}

/**
 * Creates a namespace `<prefix>-<random>` labelled `phase-gate.test/namespace`
 * and waits for its default ServiceAccount (pods are refused until it exists).
 */
export async function createTestNamespace(prefix: string): Promise<string> {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
  const name = `${base || 'test'}-${randomBytes(3).toString('hex')}`
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'phase-gate.test/namespace': 'true' } }
  }
  await kubectl(['create', '-f', '-'], { input: JSON.stringify(ns) })
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      await kubectl(['get', 'serviceaccount', 'default', '--namespace', name, '-o', 'name'])
      return name
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise(r => setTimeout(r, 100))
    }
  }
}

/**
 * Deletes a namespace. Without `wait` it returns at once (deletion takes
 * about 10 s while the controllers empty it).
 */
export async function deleteNamespace(name: string, opts: { wait?: boolean } = {}): Promise<void> {
  await kubectl([
    'delete',
    'namespace',
    name,
    '--ignore-not-found',
    `--wait=${opts.wait ? 'true' : 'false'}`,
    '--timeout=120s'
  ])
}
