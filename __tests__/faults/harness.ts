// The fault matrix's harness: fault proxies on loopback in front of the real
// apiserver, registry and Prometheus of the local cluster, a kubeconfig that
// reaches the apiserver only through its proxy, and one engine run of a gate
// with every seam pointed at the proxies (optionally through the deliberately
// broken clients), reduced to what the matrix prints and asserts.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { InfraError, UsageError, errorMessage } from '../../src/core/errors.js'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine, type EngineDeps } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import type { Cluster, KubeObject } from '../../src/kube/types.js'
import { createPrometheus } from '../../src/metrics/prometheus.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { exitCodeFor, type GateName, type RunReport, type Verdict } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { clusterEnv, kubectl } from '../support/cluster-env.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import {
  OptimisticCluster,
  optimisticMetrics,
  optimisticRegistry,
  type Swallowed
} from './broken-clients.js'

export type ServerName = 'kube' | 'registry' | 'prometheus'

/** The proxies and the kubeconfig that goes through the apiserver's. */
export interface FaultServers {
  kube: FaultProxy
  registry: FaultProxy
  prometheus: FaultProxy
  /** Context `faults`: the admin token, the apiserver through its proxy. */
  kubeconfig: string
  workdir: string
  close(): Promise<void>
}

/** Short client bounds so a cell settles in seconds: 1.5 s per request, 3 retries. */
export const CLIENT_TIMEOUT_MS = 1500
export const RETRY = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 800, maxRetryAfterMs: 5000 }

/** A fault proxy in front of the shared apiserver (TLS to it, plain HTTP to clients). */
export async function startKubeProxy(): Promise<FaultProxy> {
  const env = clusterEnv()
  const api = new URL(env.apiserver)
  return startFaultProxy({
    target: `${api.hostname}:${api.port}`,
    upstreamTls: { ca: readFileSync(env.caFile) }
  })
}

/** Writes a kubeconfig whose context `faults` reaches the apiserver through the proxy, as admin. */
export async function writeProxiedKubeconfig(
  path: string,
  proxy: FaultProxy,
  token = clusterEnv().adminToken
): Promise<string> {
  await writeFile(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'faults', cluster: { server: proxy.url } }],
      users: [{ name: 'faults', user: { token } }],
      contexts: [{ name: 'faults', context: { cluster: 'faults', user: 'faults' } }],
      'current-context': 'faults'
    }),
    { mode: 0o600 }
  )
  return path
}

/** Starts one proxy per server and writes the kubeconfig. */
export async function startFaultServers(): Promise<FaultServers> {
  const env = clusterEnv()
  const kube = await startKubeProxy()
  const registry = await startFaultProxy({ target: env.registry })
  const prometheus = await startFaultProxy({ target: new URL(env.prometheus).host })
  const workdir = await mkdtemp(join(tmpdir(), 'pg-faults-'))
  const kubeconfig = await writeProxiedKubeconfig(join(workdir, 'kubeconfig'), kube)
  return {
    kube,
    registry,
    prometheus,
    kubeconfig,
    workdir,
    close: async () => {
      await Promise.all([kube.close(), registry.close(), prometheus.close()])
      await rm(workdir, { recursive: true, force: true })
    }
  }
}

/** A plan and its files, written into a workspace of its own. */
export async function writeWorkspace(
  root: string,
  name: string,
  files: Record<string, string>
): Promise<string> {
  const dir = join(root, name)
  for (const [p, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true })
    await writeFile(join(dir, p), text)
  }
  return dir
}

/** What one engine run gave. */
export interface GateRun {
  verdict: Verdict
  exitCode: number
  report?: RunReport
  /** Non-passing checks' messages, gate notes and a thrown error: where the fault must be named. */
  text: string
  /** Retries the clients made (the report's per-gate count). */
  retries: number
  /** Failed calls the broken clients hid (0 with the real clients). */
  swallowed: number
  durationMs: number
}

export interface RunOptions {
  gate: GateName
  workspace: string
  namespace: string
  runId: string
  broken?: boolean
  settings?: Partial<Settings>
}

/** One engine run with every seam through the proxies; exit code as the CLI computes it. */
export async function runGate(servers: FaultServers, o: RunOptions): Promise<GateRun> {
  const swallowed: Swallowed = { count: 0 }
  const log = memoryLogger()
  const settings: Settings = {
    gate: o.gate,
    planPath: join(o.workspace, 'phase-gate.yaml'),
    runId: o.runId,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: servers.kubeconfig },
    context: 'faults',
    namespace: o.namespace,
    dryRun: false,
    comment: false,
    workspace: o.workspace,
    lockWaitMs: 20_000,
    ...o.settings
  }
  const deps: EngineDeps = {
    log,
    connect: async () => {
      const real = await connectCluster({
        kubeconfigPath: servers.kubeconfig,
        context: 'faults',
        timeoutMs: CLIENT_TIMEOUT_MS,
        retry: RETRY
      })
      const cluster = o.broken ? new OptimisticCluster(real, swallowed) : real
      return process.env.FAULTS_MUTANT === 'no-watch' ? withoutWatch(cluster) : cluster
    },
    registry: () => {
      const real = createRegistryClient({
        credentials: [],
        mirrors: { 'ghcr.io': servers.registry.host },
        timeoutMs: CLIENT_TIMEOUT_MS,
        maxRetries: RETRY.maxRetries,
        baseDelayMs: RETRY.baseDelayMs,
        maxRetryAfterMs: RETRY.maxRetryAfterMs
      })
      return o.broken ? optimisticRegistry(real, swallowed) : real
    },
    metrics: () => {
      const real = createPrometheus(servers.prometheus.url, {
        timeoutMs: CLIENT_TIMEOUT_MS,
        retry: RETRY
      })
      return o.broken ? optimisticMetrics(real, swallowed) : real
    }
  }
  const started = Date.now()
  try {
    const { report } = await runEngine(settings, deps)
    const text = report.gates
      .flatMap(g => [
        ...(g.notes ?? []),
        ...g.checks
          .filter(c => c.verdict !== 'pass' && c.verdict !== 'skip')
          .map(c => `${c.kind} ${c.target}: ${c.message}`)
      ])
      .join('\n')
    const retries = report.gates.reduce((n, g) => n + Number(g.details?.retries ?? 0), 0)
    return {
      verdict: report.verdict,
      exitCode: exitCodeFor(report.verdict),
      report,
      text,
      retries,
      swallowed: swallowed.count,
      durationMs: Date.now() - started
    }
  } catch (err) {
    // What the CLI's main does with an error the engine throws.
    const exitCode = err instanceof UsageError ? 2 : 3
    const problems = err instanceof UsageError ? err.problems.join('\n') : ''
    const hint = err instanceof InfraError && err.hint ? `\n${err.hint}` : ''
    return {
      verdict: 'error',
      exitCode,
      text: `${errorMessage(err)}\n${problems}${hint}`,
      retries: 0,
      swallowed: swallowed.count,
      durationMs: Date.now() - started
    }
  }
}

/** A namespace for one cell, made through the real apiserver (never through a proxy). */
export async function cellNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`
  await kubectl(['create', 'namespace', name])
  await kubectl(['label', 'namespace', name, 'phase-gate.test/namespace=true'])
  const end = Date.now() + 30_000
  for (;;) {
    try {
      await kubectl(['get', 'serviceaccount', 'default', '-n', name, '-o', 'name'])
      return name
    } catch (err) {
      if (Date.now() > end) throw err
      await new Promise(r => setTimeout(r, 100))
    }
  }
}

/**
 * The matrix's control run (FAULTS_MUTANT=no-watch): a Cluster whose waits
 * never open a watch stream but poll lists instead, so the gates still reach
 * their verdicts while no watch fault can reach them. The matrix must fail
 * on it: a watching gate's watch-fault cell that no fault reached proves
 * nothing.
 */
export function withoutWatch(real: Cluster): Cluster {
  const poll: Cluster['watch'] = async (apiVersion, kind, opts, onEvent) => {
    const { resourceVersion: _rv, timeoutSeconds: _t, allowBookmarks: _b, signal, ...list } = opts
    let seen = new Map<string, KubeObject>()
    while (!signal?.aborted) {
      const r = await real.list(apiVersion, kind, list)
      const now = new Map(r.items.map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o]))
      for (const object of r.items) onEvent({ type: 'MODIFIED', object })
      // What a list no longer holds was deleted (a wait for a deletion must see it).
      for (const [k, object] of seen) if (!now.has(k)) onEvent({ type: 'DELETED', object })
      seen = now
      await new Promise<void>(resolve => {
        const t = setTimeout(resolve, 300)
        signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
      })
    }
  }
  return new Proxy(real, {
    get: (target, prop) => {
      if (prop === 'watch') return poll
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    }
  })
}
