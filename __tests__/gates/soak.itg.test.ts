// The soak gate on the local cluster with a real Prometheus: a Prometheus of
// the test's own scrapes a loopback stand-in for the kubelet's cAdvisor
// endpoint (kwok runs no containers, so nothing else has their use) that
// reports one pod at 90 % of its memory limit. The soak warns about that pod
// (and only that one) and still turns the release stable; a crash loop
// under the stable release then makes it degraded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { planDir, type PlanDir } from '../gates/engine-env.js'
import { startPrometheus, type OwnPrometheus } from '../support/prometheus-of-our-own.js'

let ns: string
let dir: PlanDir
let prom: OwnPrometheus
let cadvisor: http.Server
/** pod name → memory working set in bytes, as the stand-in reports it. */
const memory = new Map<string, number>()

const MI = 2 ** 20

function app(replicas: number, simulate?: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web${simulate ? `, phase-gate.test/simulate: ${simulate}` : ''}}
    spec:
      containers:
        - name: web
          image: registry.invalid/web:1.0
          resources: {limits: {cpu: 200m, memory: 100Mi}}
`
}

function plan(promUrl: string, soak: string): string {
  return `version: 1
name: soak-itg
target: {namespace: ${ns}}
prometheus: ${promUrl}
phases:
  - name: app
    apply: [app.yaml]
    timeout: 60s
validation: {rollbackTest: false}
soak:
${soak}
`
}

async function gate(g: Settings['gate'], runId: string): Promise<GateResult[]> {
  const log = memoryLogger()
  const settings: Settings = {
    gate: g,
    planPath: dir.planPath,
    runId,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: dir.dir
  }
  const { report } = await runEngine(settings, { ...productionDeps(settings, log), log })
  return report.gates
}

async function pods(): Promise<string[]> {
  const list = await kubectlJson<{ items: KubeObject[] }>([
    'get',
    'pods',
    '-n',
    ns,
    '-l',
    'app=web'
  ])
  return list.items.map(p => p.metadata.name).sort()
}

beforeAll(async () => {
  ns = await createTestNamespace('soak')
  // The kubelet's cAdvisor metrics, for the pods the test names: a gauge and a counter that grows at 0.05 cores.
  const started = Date.now()
  cadvisor = http.createServer((req, res) => {
    const lines = [
      '# TYPE container_memory_working_set_bytes gauge',
      '# TYPE container_cpu_usage_seconds_total counter'
    ]
    for (const [pod, bytes] of memory) {
      const l = `namespace="${ns}",pod="${pod}",container="web"`
      lines.push(
        `container_memory_working_set_bytes{${l}} ${bytes}`,
        `container_cpu_usage_seconds_total{${l}} ${((Date.now() - started) / 1000) * 0.05}`
      )
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(`${lines.join('\n')}\n`)
  })
  await new Promise<void>(r => cadvisor.listen(0, '127.0.0.1', r))
  prom = await startPrometheus({
    targets: [`127.0.0.1:${(cadvisor.address() as AddressInfo).port}`]
  })
  dir = await planDir(plan(prom.url, '  window: 2s\n  interval: 1s\n  minSamples: 2'), {
    'app.yaml': app(2)
  })
}, 60_000)

afterAll(async () => {
  await prom?.stop()
  await new Promise<void>(r => (cadvisor ? cadvisor.close(() => r()) : r()))
  await dir?.remove()
  await deleteNamespace(ns)
})

describe('soak gate against a real Prometheus', () => {
  it('warns about the container above 80 % of its memory limit and still turns the release stable', async () => {
    const [phase] = await gate('phase', 'r1')
    expect(phase.verdict).toBe('pass')
    expect((await gate('validate', 'r1'))[0].verdict).toBe('pass')
    const [hot, cool] = await pods()
    memory.set(hot, 90 * MI)
    memory.set(cool, 10 * MI)
    await prom.waitForSeries(`container_memory_working_set_bytes{namespace="${ns}",pod="${cool}"}`)

    const [soak] = await gate('soak', 'cron-1')
    expect(soak.verdict).toBe('warn')
    const resources = soak.checks.find(c => c.kind === 'resources')
    expect(resources?.verdict).toBe('warn')
    expect(resources?.message).toBe(
      `above 80 % of a limit: ${hot}/web memory 90Mi of 100Mi limit (90 %)`
    )
    expect(soak.checks[0].message).toMatch(/^release r1 is stable: /)
    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    try {
      expect((await new StateRecord(cluster, 'soak-itg', ns).readIndex()).state).toBe('stable')
    } finally {
      cluster.close()
    }
  }, 90_000)

  it('a stable release whose pods start crash-looping is degraded at the first sample that is not ready', async () => {
    // The workload changes under the stable release (not through the phase gate, which would fail fast).
    // kwok's crash loop is never Ready, so readiness, which must hold in every sample, decides before
    // the restart counts can grow between samples (that rule is covered in soak.test.ts).
    await kubectl(['apply', '-n', ns, '-f', '-'], { input: app(1, 'crash-loop') })
    await dir.write(
      'phase-gate.yaml',
      plan(prom.url, '  window: 1h\n  interval: 2s\n  runFor: 10s')
    )
    const [soak] = await gate('soak', 'cron-2')
    expect(soak.verdict).toBe('fail')
    expect(soak.checks[0].message).toMatch(
      /^release r1 is degraded: not ready: Deployment \S+\/web InProgress: /
    )
    expect(soak.checks.find(c => c.kind === 'readiness')?.verdict).toBe('fail')
    expect((soak.details?.soak as { status: string }).status).toBe('degraded')
    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    try {
      const index = await new StateRecord(cluster, 'soak-itg', ns).readIndex()
      expect(index.history.map(h => h.state)).toEqual([
        'packaged',
        'deploying',
        'active',
        'stable',
        'degraded'
      ])
      expect(index.lastKnownGood?.runId).toBe('r1')
    } finally {
      cluster.close()
    }
  }, 90_000)
})
