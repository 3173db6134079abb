// The rollout gate against the local cluster, the real Prometheus and the
// test exporter (scraped every second). The exporter is driven directly per
// track (a traffic data plane that follows the live split comes later), with
// a service name of this file's own. Deployments are real (kwok runs their
// pods); the HTTPRoute is a real Gateway API object on the real API server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { GateResult } from '../../src/report/model.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { writeFigures } from '../reliability/figures.js'
import { runGate, workspace } from './engine-support.js'

const SERVICE = `rollout-${randomBytes(3).toString('hex')}`
let ns: string
let dir: string

const requests = (svc = SERVICE): string =>
  `sum(rate(http_requests_total{service="${svc}",track="{{track}}"}[5s]))`
const errorRate = (svc = SERVICE): string =>
  `(sum(rate(http_requests_total{service="${svc}",track="{{track}}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${svc}",track="{{track}}"}[5s]))`

const latencyP99 = (svc = SERVICE): string =>
  `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="${svc}",track="{{track}}"}[5s])))`

async function exporter(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}${path}`, {
    method: 'POST',
    body: JSON.stringify(body)
  })
  expect(res.status).toBe(200)
}

async function setTrack(
  track: 'stable' | 'canary',
  s: { rps: number; errorRate?: number; latencyMs?: number },
  service = SERVICE
): Promise<void> {
  await exporter('/control', {
    service,
    track,
    rps: s.rps,
    errorRate: s.errorRate ?? 0,
    latencyMs: s.latencyMs ?? 50
  })
}

async function promValue(query: string): Promise<number | undefined> {
  const url = new URL('/api/v1/query', clusterEnv().prometheus)
  url.searchParams.set('query', query)
  const body = (await (await fetch(url)).json()) as {
    data: { result: { value: [number, string] }[] }
  }
  const r = body.data.result[0]
  return r ? Number(r.value[1]) : undefined
}

/** Polls Prometheus until `ok` holds for the query's value; returns when it first did. */
async function until(
  query: string,
  ok: (v: number | undefined) => boolean,
  timeoutMs = 30_000
): Promise<number> {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (ok(await promValue(query))) return Date.now()
    if (Date.now() > end) throw new Error(`timed out waiting on ${query}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

function deployment(name: string, replicas: number, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image }] }
      }
    }
  }
}

async function resetWorkloads(): Promise<void> {
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        deployment('api', 4, 'registry.invalid/app:1.0'),
        deployment('api-canary', 0, 'registry.invalid/app:2.0')
      ]
    })
  })
  await kubectl(['scale', 'deployment/api', '--replicas=4', '-n', ns])
  await kubectl(['scale', 'deployment/api-canary', '--replicas=0', '-n', ns])
  await kubectl(['rollout', 'status', 'deployment/api', '-n', ns, '--timeout=60s'])
  await kubectl(['rollout', 'status', 'deployment/api-canary', '-n', ns, '--timeout=60s'])
}

async function replicas(name: string): Promise<{ spec: number; available: number }> {
  const d = await kubectlJson<KubeObject>(['get', 'deployment', name, '-n', ns])
  return {
    spec: (d.spec as { replicas: number }).replicas,
    available: (d.status as { availableReplicas?: number }).availableReplicas ?? 0
  }
}

async function state(): Promise<string | undefined> {
  const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  try {
    return (await new StateRecord(cluster, 'rollouttest', ns).readIndex()).state
  } finally {
    cluster.close()
  }
}

function plan(body: string): string {
  return `version: 1
name: rollouttest
target: {namespace: ${ns}}
prometheus: ${clusterEnv().prometheus}
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
${body}`
}

beforeAll(async () => {
  ns = await createTestNamespace('rollout')
  dir = await workspace()
  await setTrack('stable', { rps: 20 })
  await setTrack('canary', { rps: 10 })
  await until(withTrackQuery(requests(), 'canary'), v => (v ?? 0) > 5)
}, 60_000)
afterAll(async () => {
  await exporter('/control/reset', { service: SERVICE })
  await deleteNamespace(ns)
})
beforeEach(async () => {
  await resetWorkloads()
}, 90_000)

function withTrackQuery(q: string, track: string): string {
  return q.replaceAll('{{track}}', track)
}

describe('the rollout gate (replica ratio)', () => {
  it('takes a healthy canary through every stage, judging the metrics against the baseline', async () => {
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 3s}
    - {name: partial, weight: 50, hold: 3s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
    errorRate: '${errorRate()}'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: 10s}
`)
    )
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-healthy' })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([
      ['canary', 'pass'],
      ['partial', 'pass'],
      ['full', 'pass']
    ])
    const canary = report.gates[0]
    expect(canary.checks.find(c => c.kind === 'traffic')?.message).toMatch(
      /^canary at 25% \(canary api-canary 1 of 4 replicas, stable api 3\)/
    )
    const err = canary.checks.find(c => c.id === 'metric:canary:errorRate')
    expect(err?.verdict).toBe('pass')
    expect(err?.message).toMatch(
      /^errorRate: canary 0, baseline 0 .*rollback if errorRate above 2x baseline/
    )
    expect(err?.data).toMatchObject({
      value: 0,
      baseline: 0,
      query: withTrackQuery(errorRate(), 'canary')
    })
    const samples = canary.details?.samples as { traffic: string }[]
    // A 3 s hold judged every second: samples at 0, 1, 2 and 3 s.
    expect(samples.length).toBeGreaterThanOrEqual(4)
    expect(samples.every(s => s.traffic === 'yes')).toBe(true)
    expect(await replicas('api-canary')).toEqual({ spec: 4, available: 4 })
    expect((await replicas('api')).spec).toBe(0)
    expect(await state()).toBe('active')
  }, 90_000)

  it('rolls an error spike at the 25% stage back to 0% within one interval of the spike being visible', async () => {
    const interval = 2000
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 2s
  stages:
    - {name: canary, weight: 25, hold: 60s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
    errorRate: '${errorRate()}'
  rollbackIf:
    - {metric: errorRate, above: 0.2}
`)
    )
    let visibleAt: Promise<number> | undefined
    const { report } = await runGate({
      dir,
      gate: 'rollout',
      runId: 'ro-spike',
      progress: e => {
        // Once the stage holds, the canary starts failing half of its requests.
        if (!visibleAt && /^canary: holding/.test(e.activity)) {
          visibleAt = setTrack('canary', { rps: 10, errorRate: 0.5 }).then(() =>
            until(withTrackQuery(errorRate(), 'canary'), v => (v ?? 0) > 0.2)
          )
        }
      }
    })
    await setTrack('canary', { rps: 10, errorRate: 0 })
    expect(visibleAt).toBeDefined()
    const visible = await (visibleAt as Promise<number>)
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'fail']])
    const gate = report.gates[0] as GateResult
    const trigger = gate.checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      /^rollback triggered at 25%: errorRate = 0\.\d+: value > 0\.2 \(trigger: errorRate above 0\.2\)/
    )
    expect(trigger?.data).toMatchObject({
      metric: 'errorRate',
      kind: 'threshold',
      query: withTrackQuery(errorRate(), 'canary')
    })
    const t = gate.details?.trigger as { at: string; rolledBackAt: string; rollbackMs: number }
    const firedAt = Date.parse(t.at)
    // Within one evaluation interval of the spike becoming visible in Prometheus (plus a query's latency).
    expect(firedAt - visible).toBeLessThanOrEqual(interval + 500)
    writeFigures('rollout-spike', {
      intervalMs: interval,
      spikeVisibleToTriggerMs: firedAt - visible,
      triggerToZeroMs: t.rollbackMs
    })
    const back = gate.checks.find(c => c.id === 'rollback:canary:0%')
    expect(back?.verdict).toBe('pass')
    expect(back?.message).toMatch(
      /^canary back to 0% .* after the trigger: canary at 0% \(canary api-canary 0 of 4 replicas, stable api 4\)/
    )
    expect(await replicas('api-canary')).toEqual({ spec: 0, available: 0 })
    expect(await replicas('api')).toEqual({ spec: 4, available: 4 })
    expect(await state()).toBe('previous-stable')
  }, 120_000)

  it("rolls back when the canary's p99 latency (histogram_quantile) passes its bound, with the value", async () => {
    await setTrack('canary', { rps: 10, latencyMs: 800 })
    await until(withTrackQuery(latencyP99(), 'canary'), v => (v ?? 0) > 0.5)
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 30s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
    latencyP99: '${latencyP99()}'
  rollbackIf:
    - {metric: latencyP99, above: 500ms}
`)
    )
    const started = Date.now()
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-latency' })
    await setTrack('canary', { rps: 10 })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'fail']])
    const gate = report.gates[0]
    const trigger = gate.checks.find(c => c.kind === 'trigger')
    // 800 ms requests fall in the (0.5, 1] bucket: once the window holds only them the quantile
    // interpolates to about 0.995 s; while earlier fast requests are still in the window it reads
    // lower, but above the bound (that is what tripped it) and never past the bucket's edge.
    const reading =
      /^rollback triggered at 25%: latencyP99 = ([\d.]+): value > 0\.5 \(trigger: latencyP99 above 500ms\)/.exec(
        trigger?.message ?? ''
      )
    expect(reading).not.toBeNull()
    const p99 = Number(reading?.[1])
    expect(p99).toBeGreaterThan(0.5)
    expect(p99).toBeLessThanOrEqual(1)
    expect(trigger?.data).toMatchObject({
      metric: 'latencyP99',
      kind: 'threshold',
      query: withTrackQuery(latencyP99(), 'canary')
    })
    // The first evaluation tripped it, not the 30 s hold.
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await replicas('api-canary')).toEqual({ spec: 0, available: 0 })
  }, 90_000)

  it('rolls back when the error rate passes 2x the stable baseline, showing both', async () => {
    await setTrack('stable', { rps: 20, errorRate: 0.05 })
    await setTrack('canary', { rps: 10, errorRate: 0.3 })
    await until(withTrackQuery(errorRate(), 'canary'), v => (v ?? 0) > 0.2)
    await until(withTrackQuery(errorRate(), 'stable'), v => (v ?? 0) > 0.02)
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 30s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
    errorRate: '${errorRate()}'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
`)
    )
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-baseline' })
    await setTrack('stable', { rps: 20 })
    await setTrack('canary', { rps: 10 })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'fail']])
    const trigger = report.gates[0].checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      /^rollback triggered at 25%: errorRate = 0\.\d+ \(baseline 0\.0\d+\): value > 2(\.0)? \* baseline \(trigger: errorRate above 2x baseline\)/
    )
    // The sample that tripped it, with the stable track's value it was judged against.
    const samples = trigger?.data?.samples as {
      value: number
      baseline: number
      crossed: boolean
    }[]
    const last = samples[samples.length - 1]
    expect(last.crossed).toBe(true)
    expect(last.baseline).toBeGreaterThan(0)
    expect(last.value).toBeGreaterThan(2 * last.baseline)
    expect(trigger?.data?.baselineQuery).toBe(withTrackQuery(errorRate(), 'stable'))
    expect(await replicas('api-canary')).toEqual({ spec: 0, available: 0 })
  }, 90_000)

  it('fails with "no data" when a metric has no series for its noDataFor, and rolls back', async () => {
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 30s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
    latencyP99: 'histogram_quantile(0.99, sum by (le) (rate(no_such_histogram_bucket{service="${SERVICE}",track="{{track}}"}[5s])))'
  rollbackIf:
    - {metric: latencyP99, above: 5s}
    - {noDataFor: 3s}
`)
    )
    const started = Date.now()
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-nodata' })
    const gate = report.gates[0]
    expect(gate.verdict).toBe('fail')
    const trigger = gate.checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      /^rollback triggered at 25%: no data for latencyP99 since \d{4}-\d\d-\d\dT[\d:.]+Z \(3\.\d+s, limit 3\.00s\): no data/
    )
    // The dead-man's switch, not the 30 s hold, ended the stage.
    expect(Date.now() - started).toBeLessThan(25_000)
    expect(await replicas('api-canary')).toEqual({ spec: 0, available: 0 })
  }, 90_000)

  it("treats an unreachable Prometheus as no data: the dead-man's switch rolls back", async () => {
    const srv = createServer()
    await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as AddressInfo).port
    await new Promise(r => srv.close(r))
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 30s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    prometheus: http://127.0.0.1:${port}
    requests: '${requests()}'
    errorRate: '${errorRate()}'
  rollbackIf:
    - {metric: errorRate, above: 0.1}
    - {noDataFor: 3s}
`)
    )
    const started = Date.now()
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-unreachable' })
    const gate = report.gates[0]
    expect(gate.verdict).toBe('fail')
    const trigger = gate.checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      new RegExp(
        `^rollback triggered at 25%: no data for requests since .*: Prometheus unavailable \\(cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}: connection refused`
      )
    )
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await replicas('api-canary')).toEqual({ spec: 0, available: 0 })
  }, 90_000)

  it('is inconclusive when the canary gets no traffic, and holds at its weight', async () => {
    const idle = `${SERVICE}-idle`
    await setTrack('stable', { rps: 10 }, idle)
    await setTrack('canary', { rps: 10 }, idle)
    await until(withTrackQuery(requests(idle), 'canary'), v => (v ?? 0) > 5)
    await setTrack('canary', { rps: 0 }, idle)
    await until(withTrackQuery(requests(idle), 'canary'), v => v === 0)
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 3s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests(idle)}'
    errorRate: '${errorRate(idle)}'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: 2s}
`)
    )
    const { report } = await runGate({ dir, gate: 'rollout', runId: 'ro-idle' })
    await exporter('/control/reset', { service: idle })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'inconclusive']])
    const check = report.gates[0].checks.find(c => c.id === 'traffic:canary:canary')
    expect(check?.message).toMatch(
      /^no canary traffic \(requests = 0\) in any of \d+ samples over 3\.00s: inconclusive/
    )
    expect(report.gates[0].checks.some(c => c.kind === 'trigger' || c.kind === 'rollback')).toBe(
      false
    )
    expect(await replicas('api-canary')).toEqual({ spec: 1, available: 1 })
    expect(report.verdict).toBe('inconclusive')
  }, 90_000)
})

describe('the rollout gate (HTTPRoute weights)', () => {
  beforeAll(async () => {
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: ['api', 'api-canary'].map(name => ({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: ns },
          spec: { selector: { app: name }, ports: [{ port: 80 }] }
        }))
      })
    })
  })

  async function weights(): Promise<{ name: string; weight?: number }[]> {
    const route = await kubectlJson<KubeObject>(['get', 'httproute', 'api', '-n', ns])
    return (
      route.spec as { rules: { backendRefs: { name: string; weight?: number }[] }[] }
    ).rules[0].backendRefs.map(b => ({ name: b.name, weight: b.weight }))
  }

  it('moves the backend weights on the real API server stage by stage, and back to 0% on a trigger', async () => {
    await kubectl(['scale', 'deployment/api-canary', '--replicas=2', '-n', ns])
    await kubectl(['rollout', 'status', 'deployment/api-canary', '-n', ns, '--timeout=60s'])
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'api', namespace: ns },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [{ backendRefs: [{ name: 'api', port: 80 }] }]
        }
      })
    })
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  route: {name: api}
  interval: 1s
  stages:
    - {name: canary, weight: 10, hold: 0s}
    - {name: partial, weight: 40, hold: 5s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests()}'
  rollbackIf:
    - {metric: requests, cel: 'value >= 0.0'}
`)
    )
    const first = await runGate({ dir, gate: 'rollout', stage: 'canary', runId: 'ro-route' })
    expect(first.report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'pass']])
    expect(first.report.gates[0].checks[0].message).toMatch(
      /^canary at 10%: HTTPRoute .*\/api weights api=90 api-canary=10 in 1 rule/
    )
    expect(await weights()).toEqual([
      { name: 'api', weight: 90 },
      { name: 'api-canary', weight: 10 }
    ])
    // Replicas do not move in route mode.
    expect((await replicas('api')).spec).toBe(4)

    // The trigger (any traffic at all) fires at the first sample of the partial stage.
    const second = await runGate({ dir, gate: 'rollout', stage: 'partial', runId: 'ro-route' })
    expect(second.report.gates[0].verdict).toBe('fail')
    expect(second.report.gates[0].checks.find(c => c.id === 'rollback:partial:0%')?.verdict).toBe(
      'pass'
    )
    expect(await weights()).toEqual([
      { name: 'api', weight: 100 },
      { name: 'api-canary', weight: 0 }
    ])
  }, 90_000)
})
