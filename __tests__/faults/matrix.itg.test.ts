// The fault matrix (`npm run test:faults`): every gate kind against every
// fault, injected by a proxy of our own between phase-gate and the real
// apiserver, registry and Prometheus of the local cluster. A fault that
// clears within the retry budget must leave the verdict a fault-free run
// gets; one that does not must end in "could not check" (error, exit 3) with
// the fault named. A pass where the check could not be made is a false pass:
// the matrix counts them and must end `false passes: 0`. Each cell records
// how many faulted answers its verdict depended on (at least one, or it
// proves nothing), and the same faults run against deliberately broken
// clients that treat a failed request as success, whose false passes must
// be counted, so the counter is known to work.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exitCodeFor, isPassing, type GateName, type Verdict } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import type { Fault, FaultRule } from '../support/fault-proxy.js'
import { clusterEnv, deleteNamespace, kubectl } from '../support/cluster-env.js'
import { markdownTable, publishFigures, writeFigures } from '../reliability/figures.js'
import {
  cellNamespace,
  runGate,
  startFaultServers,
  writeWorkspace,
  type FaultServers,
  type GateRun,
  type ServerName
} from './harness.js'

const SERVICE = 'faults-matrix'

/** The gates under test, each with what it needs before the faulted run. */
interface Scenario {
  gate: GateName
  /** Servers the gate talks to (a server's faults apply only where it is used). */
  servers: ServerName[]
  /**
   * Whether the gate waits on a watch. Its watch-fault cells are registered
   * only then, and each must be reached by its fault: the scenario's objects
   * turn ready only after the wait began (kwok's slow-ready pods), so a wait
   * that did not watch fails the cell instead of being left out of it.
   */
  watches: boolean
  /** Runs (without faults) what the faulted run builds on: the validate gate needs a phase applied. */
  prepare?: (run: (gate: GateName) => Promise<GateRun>, namespace: string) => Promise<void>
  /** Settings of the faulted run (`--level`, `--stage`). */
  settings?: Partial<Settings>
  /**
   * The verdict a fault that does not clear must give, when it is not "could not
   * check": during a rollout an unreachable Prometheus is no data, and the
   * dead-man's switch must roll back (DESIGN: "No data, no traffic, unreachable").
   */
  persistent?: (f: FaultCase) => { verdict: Verdict; names: RegExp } | undefined
}

/** Applies objects straight to the real apiserver (never through a proxy) and waits for Deployments. */
async function seed(namespace: string, objects: Record<string, unknown>[]): Promise<void> {
  await kubectl(['apply', '-n', namespace, '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })
  })
  for (const o of objects)
    if (o.kind === 'Deployment')
      await kubectl([
        'rollout',
        'status',
        `deployment/${(o.metadata as { name: string }).name}`,
        '-n',
        namespace,
        '--timeout=60s'
      ])
}

// kwok keeps these pods running and not ready for 2 s: whatever waits on them must watch.
const SLOW_READY = {
  labels: { 'phase-gate.test/simulate': 'slow-ready' },
  annotations: { 'phase-gate.test/ready-after': '2s' }
}

const deployment = (name: string, replicas: number): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: {
        labels: { app: name, ...SLOW_READY.labels },
        annotations: SLOW_READY.annotations
      },
      spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] }
    }
  }
})

const phaseFirst = async (run: (gate: GateName) => Promise<GateRun>): Promise<void> => {
  const r = await run('phase')
  if (r.verdict !== 'pass') throw new Error(`the phase before the cell did not pass: ${r.text}`)
}

const SCENARIOS: Scenario[] = [
  { gate: 'reality-check', servers: ['kube', 'registry'], watches: false },
  { gate: 'tracer', servers: ['kube'], watches: true },
  { gate: 'phase', servers: ['kube'], watches: true },
  // Validation reads what the phase made ready; it does not wait.
  { gate: 'validate', servers: ['kube', 'prometheus'], watches: false, prepare: phaseFirst },
  {
    gate: 'rollout',
    servers: ['kube', 'prometheus'],
    watches: true,
    prepare: (_run, namespace) =>
      seed(namespace, [deployment('api', 4), deployment('api-canary', 0)]),
    persistent: f =>
      f.server === 'prometheus' ? { verdict: 'fail', names: /no data for \w+ since/ } : undefined
  },
  {
    // The flag level sets a key and reads it back; nothing is waited for.
    gate: 'rollback',
    servers: ['kube'],
    watches: false,
    settings: { level: 'flag' },
    prepare: (_run, namespace) =>
      seed(namespace, [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'flags' },
          data: { FEATURE_X: 'true' }
        }
      ])
  },
  { gate: 'record', servers: ['kube'], watches: false, prepare: phaseFirst },
  {
    // The plan gate reads the cluster only for the approver's view of what is deployed
    // now; unreadable, that view is a warning naming why (the plan job may run with no
    // cluster access at all), never a silent pass. The cells pin that down.
    gate: 'plan',
    servers: ['kube'],
    watches: false,
    prepare: phaseFirst,
    persistent: () => ({ verdict: 'warn', names: /could not read the deployment state/ })
  },
  {
    // The soak samples a release that validation made active: readiness and restarts
    // from the apiserver, the plan's threshold from Prometheus.
    gate: 'soak',
    servers: ['kube', 'prometheus'],
    watches: false,
    prepare: async (run, namespace) => {
      // The release's workloads include the rollout's target.
      await seed(namespace, [deployment('api', 2), deployment('api-canary', 0)])
      await phaseFirst(run)
      const v = await run('validate')
      if (!isPassing(v.verdict))
        throw new Error(`the validation before the cell did not pass: ${v.text}`)
    }
  }
]

/** A fault, the servers it targets, and what the verdict must then be. */
interface FaultCase {
  id: string
  server: ServerName
  rules: FaultRule[]
  /** `clean`: the verdict of a fault-free run; `error`: could not check, exit 3. */
  expect: 'clean' | 'error'
  /** How the fault must be named where the verdict is error. */
  names?: RegExp
  /** Only for gates that watch. */
  watchOnly?: boolean
}

const kubeStatus = (code: number, reason: string): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: 'injected by the fault proxy',
    reason,
    code
  })
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
const HTML_200 =
  '<!DOCTYPE html><html><body><h1>Sign in to continue</h1><form action="/login"></form></body></html>'

// The gate's own work: namespaced objects and access reviews, not discovery
// nor the Lease (those have cells of their own below).
const WORK = /^(?!.*\/leases(\/|\?|$)).*(\/namespaces\/[^/]+\/|selfsubjectaccessreviews)/
const WORK_NOT_WATCH =
  /^(?!.*\/leases(\/|\?|$))(?!.*[?&]watch=1).*(\/namespaces\/[^/]+\/|selfsubjectaccessreviews)/
const WATCH = /[?&]watch=1/

const status = (s: number, extra: Partial<Extract<Fault, { kind: 'status' }>> = {}): Fault => ({
  kind: 'status',
  status: s,
  ...extra
})

const KUBE: FaultCase[] = [
  {
    id: '429 + Retry-After: 1, twice',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { path: WORK },
        fault: status(429, { retryAfter: '1', body: kubeStatus(429, 'TooManyRequests') }),
        times: 2
      }
    ]
  },
  {
    id: '500 once',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { path: WORK },
        fault: status(500, { body: kubeStatus(500, 'InternalError') }),
        times: 1
      }
    ]
  },
  {
    id: '503 three times',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { path: WORK },
        fault: status(503, { body: kubeStatus(503, 'ServiceUnavailable') }),
        times: 3
      }
    ]
  },
  {
    id: 'connection reset, twice',
    server: 'kube',
    expect: 'clean',
    rules: [{ match: { path: WORK }, fault: { kind: 'reset' }, times: 2 }]
  },
  {
    id: 'stall past the client timeout, once',
    server: 'kube',
    expect: 'clean',
    rules: [{ match: { path: WORK_NOT_WATCH }, fault: { kind: 'stall', ms: 2500 }, times: 1 }]
  },
  {
    id: 'body cut short (truncated JSON), once',
    server: 'kube',
    expect: 'clean',
    rules: [{ match: { method: 'GET', path: WORK_NOT_WATCH }, fault: { kind: 'cut' }, times: 1 }]
  },
  {
    id: 'HTML 502 page from a proxy, twice',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { path: WORK },
        fault: status(502, { body: HTML_502, headers: { 'content-type': 'text/html' } }),
        times: 2
      }
    ]
  },
  {
    id: 'HTML 200 page (wrong content type), twice',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { method: 'GET', path: WORK_NOT_WATCH },
        fault: status(200, { body: HTML_200, headers: { 'content-type': 'text/html' } }),
        times: 2
      }
    ]
  },
  {
    id: 'watch streams cut mid-way, 3 times',
    server: 'kube',
    expect: 'clean',
    watchOnly: true,
    rules: [{ match: { path: WATCH }, fault: { kind: 'cut', afterMs: 150 }, times: 3 }]
  },
  {
    id: 'watch streams always cut (lists answer)',
    server: 'kube',
    expect: 'clean',
    watchOnly: true,
    rules: [{ match: { path: WATCH }, fault: { kind: 'cut', afterMs: 150 } }]
  },
  {
    id: 'discovery and Lease: 503 twice',
    server: 'kube',
    expect: 'clean',
    rules: [
      {
        match: { path: /^\/apis?(\?|$)|\/leases/ },
        fault: status(503, { body: kubeStatus(503, 'ServiceUnavailable') }),
        times: 2
      }
    ]
  },
  {
    id: '503 from then on',
    server: 'kube',
    expect: 'error',
    names: /503|ServiceUnavailable/,
    rules: [
      { match: { path: WORK }, fault: status(503, { body: kubeStatus(503, 'ServiceUnavailable') }) }
    ]
  },
  {
    id: 'reset from then on',
    server: 'kube',
    expect: 'error',
    names: /connection reset|socket hang up|ECONNRESET/,
    rules: [{ match: { path: WORK }, fault: { kind: 'reset' } }]
  },
  {
    id: '429 + Retry-After: 1 from then on',
    server: 'kube',
    expect: 'error',
    names: /429|TooManyRequests/,
    rules: [
      {
        match: { path: WORK },
        fault: status(429, { retryAfter: '1', body: kubeStatus(429, 'TooManyRequests') })
      }
    ]
  },
  {
    id: 'stall from then on',
    server: 'kube',
    expect: 'error',
    names: /no answer within 1500 ms|waited 1500 ms for response headers/,
    rules: [{ match: { path: WORK_NOT_WATCH }, fault: { kind: 'stall', ms: 2500 } }]
  },
  {
    id: 'HTML 200 page from then on',
    server: 'kube',
    expect: 'error',
    names: /not JSON \(content-type text\/html\)/,
    rules: [
      {
        match: { path: WORK_NOT_WATCH },
        fault: status(200, { body: HTML_200, headers: { 'content-type': 'text/html' } })
      }
    ]
  },
  {
    id: 'apiserver down: 503 to everything',
    server: 'kube',
    expect: 'error',
    names: /503|ServiceUnavailable/,
    rules: [{ fault: status(503, { body: kubeStatus(503, 'ServiceUnavailable') }) }]
  }
]

const REGISTRY: FaultCase[] = [
  {
    id: '429 + Retry-After: 1, twice',
    server: 'registry',
    expect: 'clean',
    rules: [{ fault: status(429, { retryAfter: '1' }), times: 2 }]
  },
  {
    id: '503 twice',
    server: 'registry',
    expect: 'clean',
    rules: [{ fault: status(503), times: 2 }]
  },
  {
    id: 'connection reset, twice',
    server: 'registry',
    expect: 'clean',
    rules: [{ fault: { kind: 'reset' }, times: 2 }]
  },
  {
    id: 'stall past the client timeout, once',
    server: 'registry',
    expect: 'clean',
    rules: [{ fault: { kind: 'stall', ms: 2500 }, times: 1 }]
  },
  {
    id: 'HTML 502 page from a proxy, twice',
    server: 'registry',
    expect: 'clean',
    rules: [
      { fault: status(502, { body: HTML_502, headers: { 'content-type': 'text/html' } }), times: 2 }
    ]
  },
  {
    id: '503 from then on',
    server: 'registry',
    expect: 'error',
    names: /503|unavailable|Service Unavailable/i,
    rules: [{ fault: status(503) }]
  },
  {
    id: 'reset from then on',
    server: 'registry',
    expect: 'error',
    names: /reset|socket|closed|fetch failed|terminated/i,
    rules: [{ fault: { kind: 'reset' } }]
  }
]

const PROMETHEUS: FaultCase[] = [
  {
    id: '503 twice',
    server: 'prometheus',
    expect: 'clean',
    rules: [{ fault: status(503), times: 2 }]
  },
  {
    id: 'connection reset, twice',
    server: 'prometheus',
    expect: 'clean',
    rules: [{ fault: { kind: 'reset' }, times: 2 }]
  },
  {
    id: 'stall past the client timeout, once',
    server: 'prometheus',
    expect: 'clean',
    rules: [{ fault: { kind: 'stall', ms: 2500 }, times: 1 }]
  },
  {
    id: 'body cut short (truncated JSON), once',
    server: 'prometheus',
    expect: 'clean',
    rules: [{ fault: { kind: 'cut' }, times: 1 }]
  },
  {
    id: 'HTML 502 page from a proxy, twice',
    server: 'prometheus',
    expect: 'clean',
    rules: [
      { fault: status(502, { body: HTML_502, headers: { 'content-type': 'text/html' } }), times: 2 }
    ]
  },
  {
    id: '503 from then on',
    server: 'prometheus',
    expect: 'error',
    names: /503/,
    rules: [{ fault: status(503) }]
  },
  {
    id: 'HTML 200 page from then on',
    server: 'prometheus',
    expect: 'error',
    names: /not JSON|html|unexpected|parse/i,
    rules: [{ fault: status(200, { body: HTML_200, headers: { 'content-type': 'text/html' } }) }]
  }
]

const FAULTS = [...KUBE, ...REGISTRY, ...PROMETHEUS]

/** One row of the matrix. */
interface Cell {
  gate: GateName
  server: ServerName
  fault: string
  expected: Verdict
  verdict: Verdict
  exitCode: number
  retries: number
  /** Faulted answers the verdict depended on. */
  faulted: number
  ms: number
  text: string
  named: boolean
  /** Whether the fault lasts (it must end in could-not-check or the scenario's lasting verdict). */
  lasting: boolean
  /** The broken clients' run of the same cell (for cells that must end in error). */
  broken?: { verdict: Verdict; swallowed: number }
}

const baseline = new Map<GateName, Verdict>()
const cells: Cell[] = []
let seq = 0
const startedAt = performance.now()

function planFiles(prometheusUrl: string): Record<string, string> {
  return {
    'phase-gate.yaml': `version: 1
name: faults
target: {namespace: set-by-the-test}
prometheus: ${prometheusUrl}
# Short budgets: a cell whose client hides failures waits out the budget, not five minutes.
budgets: {tracer: 1m, phase: 30s, validate: 20s, soak: 30s}
assumptions:
  apis: [apps/v1/Deployment, v1/ConfigMap]
  images: [ghcr.io/phase-gate/app:1.0]
  permissions:
    - {verb: create, resource: deployments.apps}
  manifests: [deploy/*.yaml]
tracers:
  - name: config
    assumption: ConfigMaps keep their data here
    manifest:
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: tracer-config}
        data: {probe: ok}
    success: {cel: 'object.data.probe == "ok"'}
    timeout: 6s
  - name: pod
    assumption: a pod turns Ready on a node of this cluster
    manifest: {file: tracers/pod.yaml}
    success: {ready: true}
    timeout: 8s
phases:
  - name: app
    apply: [deploy/app.yaml]
    validate:
      - ready: {kind: Deployment, name: web}
    timeout: 10s
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 6s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: 'sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
    errorRate: '(sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: 4s}
rollbackLevels:
  - {level: flag, configMap: flags, key: FEATURE_X, value: "false", budget: 30s}
validation:
  checks:
    - ready: {kind: Deployment, name: web}
    - metric: {query: 'max(phase_gate_exporter_target{service="${SERVICE}",track="stable",setting="errorRate"})', expect: '< 0.05'}
  rollbackTest: true
soak:
  window: 2s
  interval: 1s
  minSamples: 2
  runFor: 6s
  thresholds:
    - metric: {query: 'max(phase_gate_exporter_target{service="${SERVICE}",track="stable",setting="errorRate"})', expect: '< 0.05'}
`,
    'tracers/pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: tracer-pod
  labels: {phase-gate.test/simulate: slow-ready}
  annotations: {phase-gate.test/ready-after: 2s}
spec:
  containers: [{name: app, image: ghcr.io/phase-gate/app:1.0}]
`,
    'deploy/app.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {MODE: faults}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, phase-gate.test/simulate: slow-ready}
      annotations: {phase-gate.test/ready-after: 2s}
    spec:
      containers:
        - name: app
          image: ghcr.io/phase-gate/app:1.0
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}}
          envFrom: [{configMapRef: {name: web-config}}]
`
  }
}

/**
 * Cells run this many at a time (FAULTS_LANES, default 4): a cell mostly waits
 * (stalls, timeouts, retry delays), so the matrix's wall time is its waits.
 * Each lane has proxies, a kubeconfig and a workspace of its own, and each
 * cell a namespace and run id of its own, so a cell's faults and counts never
 * reach another cell.
 */
const LANES = Math.max(1, Math.floor(Number(process.env.FAULTS_LANES ?? 4)) || 1)

interface Lane {
  servers: FaultServers
  workspace: string
  /** The cell that owns the lane's proxies. */
  owner: number
}

const lanes: Lane[] = []
const idle: Lane[] = []
const queued: ((lane: Lane) => void)[] = []

/** Runs `fn` on the next free lane, in the order asked for. */
async function onLane<T>(fn: (lane: Lane) => Promise<T>): Promise<T> {
  const lane = idle.shift() ?? (await new Promise<Lane>(resolve => queued.push(resolve)))
  try {
    return await fn(lane)
  } finally {
    const next = queued.shift()
    if (next) next(lane)
    else idle.push(lane)
  }
}

async function freshRun(
  s: Scenario,
  lane: Lane,
  broken: boolean
): Promise<{ namespace: string; run: (gate: GateName) => Promise<GateRun> }> {
  const namespace = await cellNamespace('faults')
  const runId = `faults-${++seq}`
  return {
    namespace,
    run: gate =>
      runGate(lane.servers, {
        gate,
        workspace: lane.workspace,
        namespace,
        runId,
        broken,
        settings: gate === s.gate ? s.settings : undefined
      })
  }
}

let cellSeq = 0

function clearFaultsOf(lane: Lane, cell: number): void {
  // A lane runs one cell at a time; the check stays as a guard against that changing.
  if (cell !== lane.owner) return
  for (const p of [lane.servers.kube, lane.servers.registry, lane.servers.prometheus]) {
    p.setRules([])
    p.resetCounts()
  }
}

/** Runs one cell on a lane: prepare without faults, then the gate with the fault in place. */
async function runCell(
  s: Scenario,
  f: FaultCase,
  broken: boolean
): Promise<{ run: GateRun; faulted: number }> {
  return onLane(async lane => {
    const me = ++cellSeq
    lane.owner = me
    const clearFaults = (): void => clearFaultsOf(lane, me)
    const { namespace, run } = await freshRun(s, lane, broken)
    try {
      clearFaults()
      if (s.prepare) await s.prepare(run, namespace)
      clearFaults()
      if (me !== lane.owner) throw new Error("another cell took the lane's proxies over")
      lane.servers[f.server].setRules(f.rules)
      const r = await run(s.gate)
      const faulted = lane.servers[f.server].faulted
      clearFaults()
      return { run: r, faulted }
    } finally {
      clearFaults()
      await deleteNamespace(namespace).catch(() => undefined)
    }
  })
}

/** A cell's runs, started ahead of its test (in the tests' order) so the lanes keep busy. */
const started = new Map<string, Promise<{ run: GateRun; faulted: number }>>()

function startCell(key: string, go: () => Promise<{ run: GateRun; faulted: number }>): void {
  const p = go()
  // Awaited by the cell's test; a rejection before then is not an unhandled one.
  p.catch(() => undefined)
  started.set(key, p)
}

async function cellResult(key: string): Promise<{ run: GateRun; faulted: number }> {
  const p = started.get(key)
  if (!p) throw new Error(`the cell ${key} was not started`)
  return p
}

/** Everything the registered tests will ask for, in their order. */
const plannedCells: { key: string; s: Scenario; f: FaultCase; broken: boolean }[] = []
const NO_FAULT: FaultCase = { id: 'none', server: 'kube', rules: [], expect: 'clean' }

beforeAll(async () => {
  const env = clusterEnv()
  // A service of our own on the shared exporter, traffic on both tracks and no errors:
  // the metric check passes on it, and so does the rollout's canary stage.
  await fetch(`${env.exporter}/control`, {
    method: 'POST',
    body: JSON.stringify(
      ['stable', 'canary'].map(track => ({ service: SERVICE, track, rps: 5, errorRate: 0 }))
    )
  })
  for (let i = 0; i < LANES; i++) {
    const servers = await startFaultServers()
    lanes.push({
      servers,
      workspace: await writeWorkspace(servers.workdir, 'plan', planFiles(servers.prometheus.url)),
      owner: 0
    })
  }
  // Prometheus must have scraped the service before the metric check can see it.
  // (and seen canary traffic over the rollout's 5 s rate window).
  const q = `${env.prometheus}/api/v1/query?query=${encodeURIComponent(`sum(rate(http_requests_total{service="${SERVICE}",track="canary"}[5s])) > 1`)}`
  for (let i = 0; i < 150; i++) {
    const body = (await (await fetch(q)).json()) as { data?: { result?: unknown[] } }
    if ((body.data?.result ?? []).length > 0) break
    await new Promise(r => setTimeout(r, 200))
  }
  idle.push(...lanes)
  for (const c of plannedCells) startCell(c.key, () => runCell(c.s, c.f, c.broken))
}, 60_000)

afterAll(async () => {
  // A cell whose test timed out may still run: let it end before its lane closes.
  await Promise.allSettled(started.values())
  await Promise.all(lanes.map(l => l.servers.close()))
}, 300_000)

// For working on one corner: FAULTS_ONLY=tracer,phase FAULTS_MATCH='reset'.
const only = process.env.FAULTS_ONLY?.split(',')
const matching = process.env.FAULTS_MATCH ? new RegExp(process.env.FAULTS_MATCH) : undefined

describe('fault matrix', () => {
  for (const s of SCENARIOS) {
    if (only && !only.includes(s.gate)) continue
    describe(s.gate, () => {
      const baselineKey = `${s.gate} baseline`
      plannedCells.push({ key: baselineKey, s, f: NO_FAULT, broken: false })
      it('fault-free baseline', async () => {
        const { run: r, faulted } = await cellResult(baselineKey)
        expect(faulted).toBe(0)
        // Every scenario is built to pass; a warning would do, a failure would make the matrix meaningless.
        // A skip would do nothing a fault could reach: the gate must do its work here.
        expect({
          verdict: r.verdict,
          passing: isPassing(r.verdict) && r.verdict !== 'skip',
          text: r.text
        }).toEqual({
          verdict: r.verdict,
          passing: true,
          text: r.text
        })
        baseline.set(s.gate, r.verdict)
      }, 120_000)

      for (const f of FAULTS) {
        if (!s.servers.includes(f.server)) continue
        // A watch fault can never reach a gate that does not watch: no cell.
        if (f.watchOnly && !s.watches) continue
        if (matching && !matching.test(`${f.server}: ${f.id}`)) continue
        const key = `${s.gate} ${f.server}: ${f.id}`
        const persistent = f.expect === 'error' ? s.persistent?.(f) : undefined
        // The broken clients can only pass falsely where a pass is wrong.
        const withBroken = f.expect === 'error' && !isPassing(persistent?.verdict ?? 'error')
        plannedCells.push({ key, s, f, broken: false })
        if (withBroken) plannedCells.push({ key: `${key} (broken)`, s, f, broken: true })
        it(`${f.server}: ${f.id}`, async () => {
          const clean = baseline.get(s.gate)
          if (!clean) throw new Error('the baseline did not run')
          const expected: Verdict = f.expect === 'clean' ? clean : (persistent?.verdict ?? 'error')
          const { run: r, faulted } = await cellResult(key)
          const named =
            f.expect !== 'error' || ((persistent?.names ?? f.names)?.test(r.text) ?? false)
          const cell: Cell = {
            gate: s.gate,
            server: f.server,
            fault: f.id,
            expected,
            verdict: r.verdict,
            exitCode: r.exitCode,
            retries: r.retries,
            faulted,
            ms: r.durationMs,
            text: r.text,
            named,
            lasting: f.expect === 'error'
          }
          if (withBroken) {
            const b = await cellResult(`${key} (broken)`)
            cell.broken = { verdict: b.run.verdict, swallowed: b.run.swallowed }
          }
          cells.push(cell)
          // The cell proves something only when the fault really hit the gate (a watch
          // fault too: a watching gate that was not reached did not watch).
          expect(faulted).toBeGreaterThanOrEqual(1)
          expect({ fault: f.id, verdict: r.verdict, text: r.text }).toEqual({
            fault: f.id,
            verdict: expected,
            text: r.text
          })
          if (f.expect === 'error') {
            expect(r.exitCode).toBe(exitCodeFor(expected))
            expect({ fault: f.id, text: r.text, named }).toEqual({
              fault: f.id,
              text: r.text,
              named: true
            })
          }
          // Where the fault's lasting form is a named warning, a fault that clears must not leave it.
          const lasting = s.persistent?.({ ...f, expect: 'error' })
          if (f.expect === 'clean' && lasting && isPassing(lasting.verdict))
            expect(r.text).not.toMatch(lasting.names)
          // Retries are counted in the report whenever the fault asked for them.
          if (f.expect === 'clean' && !f.id.startsWith('watch'))
            expect(r.retries).toBeGreaterThanOrEqual(1)
        }, 300_000)
      }
    })
  }

  afterAll(() => {
    if (cells.length === 0) return
    const rows = cells
    const falsePasses = rows.filter(c => isPassing(c.verdict) && !isPassing(c.expected))
    const wrong = rows.filter(c => c.verdict !== c.expected)
    const brokenRows = rows.filter(c => c.broken)
    const brokenFalsePasses = brokenRows.filter(c => c.broken && isPassing(c.broken.verdict))
    const w = (t: string, n: number): string => t.padEnd(n).slice(0, n)
    const header = `${w('gate', 14)}${w('server', 11)}${w('fault', 42)}${w('expected', 10)}${w('verdict', 10)}${w('exit', 5)}${w('retries', 8)}${w('faulted', 8)}${w('time', 8)}broken client`
    const row = (c: Cell): string =>
      `${w(c.gate, 14)}${w(c.server, 11)}${w(c.fault, 42)}${w(c.expected, 10)}${w(c.verdict, 10)}${w(String(c.exitCode), 5)}${w(String(c.retries), 8)}${w(String(c.faulted), 8)}${w(`${(c.ms / 1000).toFixed(1)}s`, 8)}${c.broken ? `${c.broken.verdict}${isPassing(c.broken.verdict) ? ' (FALSE PASS)' : ''}, ${c.broken.swallowed} failures hidden` : ''}`.trimEnd()
    const sum = (cs: Cell[], k: 'faulted' | 'retries'): number => cs.reduce((n, c) => n + c[k], 0)
    const lines = [
      '',
      'fault matrix: gate × fault (real apiserver, registry and Prometheus behind a fault proxy)',
      header,
      ...cells.map(row),
      '',
      `cells: ${rows.length}, faulted answers: ${sum(rows, 'faulted')}, retries: ${sum(rows, 'retries')}, wrong verdicts: ${wrong.length}`,
      `broken client (treats a failed request as success): ${brokenRows.length} cells, false passes: ${brokenFalsePasses.length}`,
      `false passes: ${falsePasses.length}`,
      ''
    ]
    process.stdout.write(lines.join('\n'))
    const path = writeFigures('fault-matrix', {
      cells: cells.map(({ text, ...c }) => ({ ...c, text: text.slice(0, 400) })),
      totals: {
        cells: rows.length,
        faulted: sum(rows, 'faulted'),
        retries: sum(rows, 'retries'),
        wrongVerdicts: wrong.length,
        falsePasses: falsePasses.length,
        brokenCells: brokenRows.length,
        brokenFalsePasses: brokenFalsePasses.length
      }
    })
    writeFileSync(join(path, '..', 'fault-matrix.txt'), lines.join('\n'))
    // Only a whole run of the real matrix is published (not a narrowed one, not the control run).
    if (only || matching || process.env.FAULTS_MUTANT) return
    const gates = [...new Set(cells.map(c => c.gate))]
    const perGate = gates.map(g => {
      const cs = cells.filter(c => c.gate === g)
      const clear = cs.filter(c => !c.lasting)
      const lasting = cs.filter(c => c.lasting)
      const broken = cs.filter(c => c.broken)
      return [
        g,
        cs.length,
        `${clear.filter(c => c.verdict === c.expected).length}/${clear.length}`,
        `${lasting.filter(c => c.verdict === c.expected).length}/${lasting.length}, ${lasting.filter(c => c.named).length} named`,
        sum(cs, 'faulted'),
        sum(cs, 'retries'),
        cs.filter(c => isPassing(c.verdict) && !isPassing(c.expected)).length,
        `${broken.length} / ${broken.filter(c => c.broken && isPassing(c.broken.verdict)).length}`
      ]
    })
    const n = (value: number, text: string): { value: number; unit: string; text: string } => ({
      value,
      unit: '',
      text
    })
    const took = (performance.now() - startedAt) / 1000
    publishFigures(
      'fault-matrix',
      {
        summary: n(
          rows.length,
          `\n${markdownTable(
            [
              'gate',
              'cells',
              'faults that clear (right verdict)',
              'lasting faults (right verdict, named)',
              'faulted answers',
              'retries',
              'false passes',
              'broken client: cells / false passes'
            ],
            [
              ...perGate,
              [
                '**all**',
                `**${rows.length}**`,
                '',
                '',
                `**${sum(rows, 'faulted')}**`,
                `**${sum(rows, 'retries')}**`,
                `**${falsePasses.length}**`,
                `**${brokenRows.length} / ${brokenFalsePasses.length}**`
              ]
            ]
          )}`
        ),
        'tracer-rows': n(
          cells.filter(c => c.gate === 'tracer').length,
          `\n\`\`\`text\n${[header, ...cells.filter(c => c.gate === 'tracer').map(row)].join('\n')}\n\`\`\`\n`
        ),
        cells: n(rows.length, `${rows.length} cells`),
        faulted: n(sum(rows, 'faulted'), `${sum(rows, 'faulted')} faulted answers`),
        retries: n(sum(rows, 'retries'), `${sum(rows, 'retries')} retries`),
        wrong: n(wrong.length, `${wrong.length} wrong verdicts`),
        'false-passes': n(falsePasses.length, `**false passes: ${falsePasses.length}**`),
        'broken-cells': n(brokenRows.length, `${brokenRows.length} cells`),
        'broken-cells-n': n(brokenRows.length, String(brokenRows.length)),
        'broken-false-passes': n(
          brokenFalsePasses.length,
          `**${brokenFalsePasses.length} false passes**`
        ),
        'broken-false-passes-n': n(brokenFalsePasses.length, String(brokenFalsePasses.length)),
        took: {
          value: took,
          unit: 's',
          text: `${Math.round(took).toLocaleString('en-US')} s (${Math.round(took / 60)} min)`
        }
      },
      'npm run test:faults && npm run figures'
    )
  })

  it('counts false passes: none with the real clients, some with the broken ones', () => {
    // Runs last: the counters over every cell above.
    const rows = cells
    if (rows.length === 0) return
    expect(
      rows
        .filter(c => isPassing(c.verdict) && !isPassing(c.expected))
        .map(c => `${c.gate} ${c.fault}`)
    ).toEqual([])
    const brokenRows = rows.filter(c => c.broken)
    if (brokenRows.length > 0)
      expect(
        brokenRows.filter(c => c.broken && isPassing(c.broken.verdict)).length
      ).toBeGreaterThan(0)
  })
})
