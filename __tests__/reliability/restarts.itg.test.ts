// Restarts survived, on a cluster of the test's own (never the shared one):
// the real kube-apiserver process is stopped while a tracer and a phase wait,
// and started again; the wait resumes (relisting) and the verdict is the one
// the objects deserve: ready pods pass, a pod that never turns ready fails
// on its timeout, not "could not check". Prometheus is restarted during a
// rollout stage: the samples in between count towards the dead-man's switch
// and nothing else (a hold that outlasts the gap passes; a noDataFor shorter
// than the gap rolls back with "no data").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import type { ProgressEvent } from '../../src/gates/types.js'
import type { GateName, RunReport } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { kubectl, kubectlJson } from '../support/cluster-env.js'
import {
  restartComponent,
  startCluster,
  startComponent,
  stopCluster,
  stopComponent
} from '../../scripts/cluster/lib.mjs'
import type { ClusterState } from '../../scripts/cluster/lib.mjs'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

let dir: string
let work: string
let own: ClusterState
const NS = 'restarts'
const SERVICE = 'restarts'
const figures: {
  case: string
  component: string
  downMs: number
  verdict: string
  seconds: number
}[] = []

const k = (args: string[], input?: string): Promise<string> =>
  kubectl(args, { kubeconfig: own.kubeconfig, input })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pg-own-cluster-'))
  own = await startCluster({ dir, log: () => undefined })
  work = await mkdtemp(join(tmpdir(), 'pg-restarts-'))
  await mkdir(join(work, 'tracers'))
  await mkdir(join(work, 'deploy'))
  await k(['create', 'namespace', NS])
  const end = Date.now() + 30_000
  while (Date.now() < end) {
    try {
      await k(['get', 'serviceaccount', 'default', '-n', NS])
      break
    } catch {
      await new Promise(r => setTimeout(r, 200))
    }
  }
  const pod = (name: string, simulate: string, after = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {phase-gate.test/simulate: ${simulate}}
  ${after ? `annotations: {phase-gate.test/ready-after: ${after}}` : ''}
spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`
  await writeFile(join(work, 'tracers', 'slow.yaml'), pod('tracer-slow', 'slow-ready', '8s'))
  await writeFile(join(work, 'tracers', 'never.yaml'), pod('tracer-never', 'not-ready'))
  await writeFile(
    join(work, 'deploy', 'web.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, phase-gate.test/simulate: slow-ready}
      annotations: {phase-gate.test/ready-after: 8s}
    spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`
  )
  // Traffic on both tracks of a service of our own, on this cluster's exporter.
  await fetch(`${own.urls.exporter}/control`, {
    method: 'POST',
    body: JSON.stringify(
      ['stable', 'canary'].map(track => ({ service: SERVICE, track, rps: 10, errorRate: 0 }))
    )
  })
}, 180_000)

afterAll(async () => {
  if (dir) await stopCluster({ dir, purge: true })
  if (work) await rm(work, { recursive: true, force: true })
  writeFigures('restarts', { restarts: figures })
  if (figures.length)
    publishFigures(
      'restarts',
      {
        table: {
          value: figures.length,
          unit: 'cases',
          text: `\n${markdownTable(
            ['case', 'component restarted', 'process down for', 'verdict', 'run took'],
            figures.map(f => [
              f.case,
              f.component,
              `${(f.downMs / 1000).toFixed(1)} s`,
              f.verdict,
              `${f.seconds.toFixed(1)} s`
            ])
          )}`
        }
      },
      suiteCommand('itg', '__tests__/reliability/restarts.itg.test.ts')
    )
})

function plan(rollout = ''): string {
  return `version: 1
name: restarts
target: {namespace: ${NS}}
prometheus: ${own.urls.prometheus}
tracers:
  - name: slow
    assumption: a pod turns Ready after 8 s
    manifest: {file: tracers/slow.yaml}
    success: {ready: true}
    timeout: 90s
  - name: never
    assumption: a pod that never turns Ready fails on its timeout
    manifest: {file: tracers/never.yaml}
    success: {ready: true}
    timeout: 25s
phases:
  - name: web
    apply: [deploy/web.yaml]
    validate:
      - ready: {kind: Deployment, name: web}
    timeout: 90s
${rollout}`
}

async function run(
  gate: GateName,
  runId: string,
  over: Partial<Settings> = {},
  progress?: (e: ProgressEvent) => void
): Promise<RunReport> {
  const settings: Settings = {
    gate,
    planPath: join(work, 'phase-gate.yaml'),
    runId,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: own.kubeconfig },
    dryRun: false,
    comment: false,
    workspace: work,
    ...over
  }
  const log = memoryLogger()
  const { report } = await runEngine(settings, { ...productionDeps(settings, log), log, progress })
  return report
}

/** Polls (the test may; the code under test may not) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`test: timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

/**
 * Stops the kube-apiserver for `downMs`, then starts it again; resolves when it answers.
 * Then it plays the kubelet that supervises a real control plane: the controller-manager,
 * the scheduler and kwok have no health endpoint here, and the controller-manager was seen
 * wedged after an outage (its ReplicaSet status frozen for minutes), so each is restarted,
 * as a failing liveness probe would.
 */
async function bounceApiserver(downMs: number): Promise<number> {
  const started = Date.now()
  await stopComponent(dir, 'kube-apiserver')
  await new Promise(r => setTimeout(r, downMs))
  await startComponent(dir, 'kube-apiserver')
  const down = Date.now() - started
  for (const c of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const)
    await restartComponent(dir, c)
  return down
}

describe("the apiserver restarted mid-wait (a cluster of the test's own)", () => {
  it('a tracer waiting on a pod that turns ready gets its pass; one that never does fails on its timeout', async () => {
    await writeFile(join(work, 'phase-gate.yaml'), plan())
    const started = Date.now()
    const slow = run('tracer', 'restart-tracer-slow', { tracer: 'slow' })
    await until(
      async () =>
        (
          await kubectlJson<{ items: unknown[] }>(
            ['get', 'pods', '-n', NS, '-l', 'phase-gate.dev/run=restart-tracer-slow'],
            { kubeconfig: own.kubeconfig }
          )
        ).items.length > 0,
      'the tracer pod'
    )
    const down = await bounceApiserver(3000)
    const report = await slow
    figures.push({
      case: 'tracer waiting on a pod that turns ready',
      component: 'kube-apiserver',
      downMs: down,
      verdict: report.verdict,
      seconds: (Date.now() - started) / 1000
    })
    expect({ verdict: report.verdict, checks: report.gates[0].checks.map(c => c.message) }).toEqual(
      { verdict: 'pass', checks: [expect.stringMatching(/^Pod tracer-slow ready in /)] }
    )
    // Cleaned up after the restart too.
    expect(
      (
        await kubectlJson<{ items: unknown[] }>(
          ['get', 'pods', '-n', NS, '-l', 'phase-gate.dev/run=restart-tracer-slow'],
          { kubeconfig: own.kubeconfig }
        )
      ).items
    ).toEqual([])

    const neverStarted = Date.now()
    const never = run('tracer', 'restart-tracer-never', { tracer: 'never' })
    await until(
      async () =>
        (
          await kubectlJson<{ items: unknown[] }>(
            ['get', 'pods', '-n', NS, '-l', 'phase-gate.dev/run=restart-tracer-never'],
            { kubeconfig: own.kubeconfig }
          )
        ).items.length > 0,
      'the tracer pod'
    )
    const down2 = await bounceApiserver(3000)
    const r2 = await never
    figures.push({
      case: 'tracer waiting on a pod that never turns ready',
      component: 'kube-apiserver',
      downMs: down2,
      verdict: r2.verdict,
      seconds: (Date.now() - neverStarted) / 1000
    })
    // The server answered again long before the timeout: a verdict on the pod, not "could not check".
    expect(r2.verdict).toBe('fail')
    expect(r2.gates[0].checks[0].message).toMatch(
      /^timed out after 25\.\ds; not ready: Pod .*tracer-never/
    )
  }, 240_000)

  it('a phase waiting on its Deployment gets its pass, validation included', async () => {
    await writeFile(join(work, 'phase-gate.yaml'), plan())
    const started = Date.now()
    const p = run('phase', 'restart-phase')
    await until(
      async () =>
        (
          await kubectlJson<{ items: unknown[] }>(
            ['get', 'deployments', '-n', NS, '-l', 'phase-gate.dev/run=restart-phase'],
            { kubeconfig: own.kubeconfig }
          )
        ).items.length > 0,
      'the Deployment'
    )
    const down = await bounceApiserver(3000)
    // What the cluster really holds meanwhile, to judge the verdict against.
    const seen: string[] = []
    let finished = false
    const watcher = (async () => {
      while (!finished) {
        seen.push(
          `${new Date().toISOString()} ${(await k(['get', 'deploy,rs,pods', '-n', NS, '--no-headers']).catch(e => String(e))).replace(/\s+/g, ' ')}`
        )
        await new Promise(r => setTimeout(r, 3000))
      }
    })()
    const report = await p
    finished = true
    await watcher
    figures.push({
      case: 'phase waiting on its Deployment',
      component: 'kube-apiserver',
      downMs: down,
      verdict: report.verdict,
      seconds: (Date.now() - started) / 1000
    })
    expect({
      verdict: report.verdict,
      checks: report.gates[0].checks.map(c => `${c.kind} ${c.verdict}: ${c.message}`),
      seen
    }).toEqual({
      seen,
      verdict: 'pass',
      checks: [
        expect.stringMatching(/^apply pass: applied 1 objects/),
        expect.stringMatching(/^ready pass: all 1 objects ready/),
        expect.stringMatching(/^ready pass: Deployment web is ready/)
      ]
    })
  }, 240_000)
})

describe("Prometheus restarted during a rollout stage (a cluster of the test's own)", () => {
  const rollout = (noDataFor: string) => `rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 25s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: 'sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
    errorRate: '(sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: ${noDataFor}}
`
  const workloads = async (): Promise<void> => {
    const d = (name: string, replicas: number) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] }
        }
      }
    })
    await k(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [d('api', 4), d('api-canary', 0)] })
    )
    await k(['scale', 'deployment/api', '--replicas=4', '-n', NS])
    await k(['scale', 'deployment/api-canary', '--replicas=0', '-n', NS])
    await k(['rollout', 'status', 'deployment/api', '-n', NS, '--timeout=60s'])
  }
  // Prometheus must see the canary's traffic over the 5 s window first.
  const traffic = async (): Promise<boolean> => {
    const url = new URL('/api/v1/query', own.urls.prometheus)
    url.searchParams.set(
      'query',
      `sum(rate(http_requests_total{service="${SERVICE}",track="canary"}[5s]))`
    )
    const body = (await (await fetch(url)).json()) as {
      data: { result: { value: [number, string] }[] }
    }
    return Number(body.data.result[0]?.value[1] ?? 0) > 5
  }

  async function holdThroughRestart(
    noDataFor: string,
    runId: string
  ): Promise<{ report: RunReport; downMs: number; seconds: number }> {
    await workloads()
    await until(traffic, 'canary traffic in Prometheus', 90_000)
    await writeFile(join(work, 'phase-gate.yaml'), plan(rollout(noDataFor)))
    let restarted: Promise<number> | undefined
    const started = Date.now()
    const report = await run('rollout', runId, {}, e => {
      // Three seconds into the hold, Prometheus goes away and comes back.
      if (!restarted && /^canary: holding/.test(e.activity))
        restarted = new Promise(r => setTimeout(r, 3000)).then(async () => {
          const t = Date.now()
          await restartComponent(dir, 'prometheus')
          return Date.now() - t
        })
    })
    const downMs = restarted ? await restarted : 0
    return { report, downMs, seconds: (Date.now() - started) / 1000 }
  }

  it("a gap shorter than noDataFor counts towards the dead-man's switch and nothing else: the stage passes", async () => {
    const { report, downMs, seconds } = await holdThroughRestart('20s', 'restart-prom-1')
    figures.push({
      case: 'rollout stage, noDataFor 20s',
      component: 'prometheus',
      downMs,
      verdict: report.verdict,
      seconds
    })
    expect(downMs).toBeGreaterThan(0)
    const canary = report.gates.find(g => g.name === 'canary')
    expect({
      verdict: canary?.verdict,
      checks: canary?.checks.filter(c => c.verdict !== 'pass').map(c => c.message)
    }).toEqual({ verdict: 'pass', checks: [] })
    // The gap shows in the samples as no data (it counted), and no trigger fired.
    const samples = (canary?.details?.samples ?? []) as { traffic?: string }[]
    expect(samples.length).toBeGreaterThanOrEqual(20)
    expect(samples.some(t => t.traffic === 'unknown')).toBe(true)
    expect(canary?.checks.some(c => c.kind === 'trigger')).toBe(false)
    expect(report.verdict).toBe('pass')
  }, 240_000)

  it("a noDataFor shorter than the gap fires the dead-man's switch: no data, rolled back", async () => {
    const { report, downMs, seconds } = await holdThroughRestart('2s', 'restart-prom-2')
    figures.push({
      case: 'rollout stage, noDataFor 2s',
      component: 'prometheus',
      downMs,
      verdict: report.verdict,
      seconds
    })
    const canary = report.gates.find(g => g.name === 'canary')
    expect(canary?.verdict).toBe('fail')
    expect(canary?.checks.find(c => c.kind === 'trigger')?.message).toMatch(
      /^rollback triggered at 25%: no data for \w+ since/
    )
    const api = await kubectlJson<{ spec: { replicas: number } }>(
      ['get', 'deployment', 'api-canary', '-n', NS],
      { kubeconfig: own.kubeconfig }
    )
    expect(api.spec.replicas).toBe(0)
  }, 240_000)
})

describe('a namespace created moments before the tracer (its default account not made yet)', () => {
  it('the tracer pod is applied once the controller-manager makes the account, not failed as rejected', async () => {
    const fresh = 'fresh-account'
    await writeFile(join(work, 'phase-gate.yaml'), plan())
    // No controller-manager: the namespace stays without its `default` ServiceAccount, as a
    // namespace created a moment ago is on a busy cluster.
    await stopComponent(dir, 'kube-controller-manager')
    try {
      await k(['create', 'namespace', fresh])
      const started = Date.now()
      const tracer = run('tracer', 'fresh-account', { tracer: 'slow', namespace: fresh })
      await new Promise(r => setTimeout(r, 2000))
      await expect(k(['get', 'serviceaccount', 'default', '-n', fresh])).rejects.toThrow(
        /NotFound|not found/
      )
      await startComponent(dir, 'kube-controller-manager')
      const report = await tracer
      figures.push({
        case: 'tracer in a namespace whose default account came 2 s late',
        component: 'kube-controller-manager',
        downMs: 2000,
        verdict: report.verdict,
        seconds: (Date.now() - started) / 1000
      })
      expect({
        verdict: report.verdict,
        checks: report.gates[0].checks.map(c => c.message)
      }).toEqual({ verdict: 'pass', checks: [expect.stringMatching(/^Pod tracer-slow ready in /)] })
    } finally {
      await startComponent(dir, 'kube-controller-manager')
    }
  }, 180_000)
})
