// The rollout's `resource:` trigger on the local cluster with a real
// Prometheus: a Prometheus of the test's own scrapes a loopback stand-in for
// the kubelet's cAdvisor endpoint (kwok runs no containers, so nothing else
// has their use). The stand-in integrates a CPU counter per canary pod at a
// rate the test sets, so Prometheus computes `rate()` itself. The canary's
// `app` container has a 1-core limit; its `proxy` sidecar has none (and burns
// 2 cores, which must not count). CPU rising above 80 % of the limit during
// the stage rolls the canary back to 0 %, naming the container and the
// share; CPU staying below lets the stage pass.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../src/kube/types.js'
import type { ProgressEvent } from '../../src/gates/types.js'
import {
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { writeFigures } from '../reliability/figures.js'
import { startPrometheus, type OwnPrometheus } from '../support/prometheus-of-our-own.js'
import { runGate, workspace } from './engine-support.js'

const MI = 2 ** 20
let ns: string
let dir: string
let prom: OwnPrometheus
let cadvisor: http.Server

/** pod → its containers' CPU counters (core-seconds) and the rate they grow at (cores). */
const cpu = new Map<string, Record<string, { total: number; rate: number; at: number }>>()

function setRate(pod: string, container: string, rate: number): void {
  const now = Date.now()
  const c = (cpu.get(pod) ?? {})[container]
  const total = c ? c.total + (c.rate * (now - c.at)) / 1000 : 0
  cpu.set(pod, { ...(cpu.get(pod) ?? {}), [container]: { total, rate, at: now } })
}

function deployment(name: string, replicas: number, canary: boolean): KubeObject {
  const app = {
    name: 'app',
    image: `registry.invalid/app:${canary ? '2.0' : '1.0'}`,
    resources: { limits: { cpu: '1', memory: '100Mi' } }
  }
  const proxy = { name: 'proxy', image: 'registry.invalid/proxy:1.0' }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: canary ? [app, proxy] : [app] }
      }
    }
  }
}

async function canaryPods(): Promise<string[]> {
  const list = await kubectlJson<{ items: KubeObject[] }>([
    'get',
    'pods',
    '-n',
    ns,
    '-l',
    'app=api-canary'
  ])
  return list.items.filter(p => !p.metadata.deletionTimestamp).map(p => p.metadata.name)
}

async function canaryReplicas(): Promise<number> {
  const d = await kubectlJson<KubeObject>(['get', 'deployment', 'api-canary', '-n', ns])
  return (d.spec as { replicas: number }).replicas
}

function plan(hold: string): string {
  return `version: 1
name: resourcetest
target: {namespace: ${ns}}
prometheus: ${prom.url}
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
  interval: 1s
  stages:
    - {name: canary, weight: 50, hold: ${hold}}
    - {name: full, weight: 100, hold: 0s}
  rollbackIf:
    - {resource: cpu, above: 80%, samples: 2, of: 3}
    - {resource: memory, above: 80%}
    - {noDataFor: 45s}
`
}

/** When the stage starts holding: the canary's pods start using `app` CPU at `rate` (the sidecar at 2 cores). */
function onHold(rate: number, started: { pods?: Promise<string[]> }): (e: ProgressEvent) => void {
  return e => {
    if (started.pods || !/holding/.test(e.activity ?? '')) return
    started.pods = canaryPods().then(pods => {
      for (const p of pods) {
        setRate(p, 'app', rate)
        setRate(p, 'proxy', 2)
      }
      return pods
    })
  }
}

beforeAll(async () => {
  ns = await createTestNamespace('rollout-res')
  cadvisor = http.createServer((_req, res) => {
    const now = Date.now()
    const lines = [
      '# TYPE container_memory_working_set_bytes gauge',
      '# TYPE container_cpu_usage_seconds_total counter'
    ]
    for (const [pod, containers] of cpu)
      for (const [container, c] of Object.entries(containers)) {
        const l = `namespace="${ns}",pod="${pod}",container="${container}"`
        lines.push(
          `container_memory_working_set_bytes{${l}} ${30 * MI}`,
          `container_cpu_usage_seconds_total{${l}} ${c.total + (c.rate * (now - c.at)) / 1000}`
        )
      }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(`${lines.join('\n')}\n`)
  })
  await new Promise<void>(r => cadvisor.listen(0, '127.0.0.1', r))
  prom = await startPrometheus({
    targets: [`127.0.0.1:${(cadvisor.address() as AddressInfo).port}`]
  })
  dir = await workspace()
}, 60_000)

afterAll(async () => {
  await prom?.stop()
  cadvisor?.closeAllConnections()
  await new Promise<void>(r => (cadvisor ? cadvisor.close(() => r()) : r()))
  await deleteNamespace(ns)
})

beforeEach(async () => {
  cpu.clear()
  await kubectl(['delete', 'deployment', '--all', '-n', ns, '--wait=true'])
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [deployment('api', 4, false), deployment('api-canary', 0, true)]
    })
  })
  await kubectl(['rollout', 'status', 'deployment/api', '-n', ns, '--timeout=60s'])
}, 90_000)

describe('the rollout gate judging the canary against its limits (real Prometheus, cAdvisor stand-in)', () => {
  it('rolls back to 0% when the canary CPU rises above 80% of its limit, naming the container and the share', async () => {
    await writeFile(join(dir, 'phase-gate.yaml'), plan('90s'))
    const started: { pods?: Promise<string[]> } = {}
    let hot: string | undefined
    const run = runGate({ dir, gate: 'rollout', runId: 'res-hot', progress: onHold(0.3, started) })
    // Once Prometheus has a rate for the canary at 0.3 cores, one pod's app container climbs to 0.95.
    const spike = (async () => {
      const until = Date.now() + 60_000
      while (!started.pods && Date.now() < until) await new Promise(r => setTimeout(r, 100))
      if (!started.pods) throw new Error('the stage never started holding')
      const pods = await started.pods
      hot = pods[0]
      await prom.waitForSeries(
        `irate(container_cpu_usage_seconds_total{namespace="${ns}",pod="${hot}",container="app"}[1m]) > 0`,
        30_000
      )
      setRate(hot, 'app', 0.95)
      return Date.now()
    })()
    const { report } = await run
    const spikeAt = await spike
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'fail']])
    const gate = report.gates[0]
    const trigger = gate.checks.find(c => c.kind === 'trigger')
    // irate reads the use now: 0.95 from the spike on, in two of the last three samples.
    expect(trigger?.message).toMatch(
      new RegExp(
        `^rollback triggered at 50%: canary cpu above 80 % of limits: ${hot}/app 0\\.9\\d* of 1 core \\(9\\d %\\) in [23] of the last [23] samples \\(trigger: cpu above 80 % of limits \\(2 of 3 samples\\)\\)$`
      )
    )
    expect(trigger?.data).toMatchObject({
      metric: 'cpu/limit',
      resource: 'cpu',
      pod: hot,
      container: 'app'
    })
    const triggeredAt = Date.parse((gate.details?.trigger as { at: string }).at)
    expect(triggeredAt).toBeGreaterThan(spikeAt)
    // A scrape, then two samples a second apart; generous for a loaded machine.
    expect(triggeredAt - spikeAt).toBeLessThan(15_000)
    writeFigures('rollout-resource', {
      intervalMs: 1000,
      scrapeIntervalMs: 1000,
      spikeToTriggerMs: triggeredAt - spikeAt,
      triggerToZeroMs: (gate.details?.trigger as { rollbackMs: number }).rollbackMs,
      message: trigger?.message
    })
    // The sidecar's 2 cores have no limit to be a share of: not judged, said once.
    expect(gate.notes?.filter(n => /container proxy sets no cpu limit/.test(n))).toEqual([
      'canary container proxy sets no cpu limit: its cpu use is not judged against limits'
    ])
    const back = gate.checks.find(c => c.kind === 'rollback')
    expect(back?.verdict).toBe('pass')
    expect(back?.message).toMatch(/^canary back to 0% /)
    expect(await canaryReplicas()).toBe(0)
  }, 150_000)

  it('passes the stage when the canary stays below 80% of its limits', async () => {
    await writeFile(join(dir, 'phase-gate.yaml'), plan('15s'))
    const started: { pods?: Promise<string[]> } = {}
    const { report } = await runGate({
      dir,
      gate: 'rollout',
      runId: 'res-cool',
      progress: onHold(0.5, started)
    })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([
      ['canary', 'pass'],
      ['full', 'pass']
    ])
    const row = report.gates[0].checks.find(c => c.id === 'metric:canary:cpu/limit')
    expect(row?.verdict).toBe('pass')
    expect(row?.data).toMatchObject({
      resource: 'cpu',
      thresholds: ['cpu above 80 % of limits (2 of 3 samples)']
    })
    // Judged on real numbers: the canary's app container at about half its core.
    const max = row?.data?.max as number
    expect(max).toBeGreaterThan(0.4)
    expect(max).toBeLessThan(0.6)
    const mem = report.gates[0].checks.find(c => c.id === 'metric:canary:memory/limit')
    expect(mem?.data?.max).toBeCloseTo(0.3, 5)
    expect(await canaryReplicas()).toBe(4)
  }, 150_000)
})
