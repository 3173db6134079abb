// The canary judge (rollout.judge) against the real Prometheus and the test
// exporter (scraped every second), driven per track: equal error ratios at
// low traffic are inconclusive with the requests still needed; ten times the
// traffic passes; 10 % against 1 % fails and the canary is back at 0 %
// within one interval of the evidence (recomputed independently from
// Prometheus's own counter history); 3x latency fails Mann-Whitney; equal
// latency passes once minSamples is reached. Deployments are real (kwok).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../src/kube/types.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderCommentSection } from '../../src/report/comment.js'
import { judgeProportion } from '../../src/rollout/judge/index.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { runGate, workspace } from './engine-support.js'

const SERVICE = `judge-${randomBytes(3).toString('hex')}`
let ns: string
let dir: string

const requests = `sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))`
const failed = `sum(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"})`
const total = `sum(http_requests_total{service="${SERVICE}",track="{{track}}"})`
const latencyP99 = `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="${SERVICE}",track="{{track}}"}[5s])))`

async function setTrack(
  track: 'stable' | 'canary',
  s: { rps: number; errorRate?: number; latencyMs?: number }
): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}/control`, {
    method: 'POST',
    body: JSON.stringify({
      service: SERVICE,
      track,
      rps: s.rps,
      errorRate: s.errorRate ?? 0,
      latencyMs: s.latencyMs ?? 50
    })
  })
  expect(res.status).toBe(200)
}

async function promValue(query: string, time?: number): Promise<number | undefined> {
  const url = new URL('/api/v1/query', clusterEnv().prometheus)
  url.searchParams.set('query', query)
  if (time !== undefined) url.searchParams.set('time', (time / 1000).toFixed(3))
  const body = (await (await fetch(url)).json()) as {
    data: { result: { value: [number, string] }[] }
  }
  const r = body.data.result[0]
  return r ? Number(r.value[1]) : undefined
}

async function until(query: string, ok: (v: number | undefined) => boolean): Promise<void> {
  const end = Date.now() + 30_000
  while (!ok(await promValue(query))) {
    if (Date.now() > end) throw new Error(`timed out waiting on ${query}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

const track = (q: string, t: 'canary' | 'stable'): string => q.replaceAll('{{track}}', t)

// The exporter's histogram buckets (scripts/cluster/exporter.mjs): histogram_quantile of one fixed latency.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
function p99Of(latencyMs: number): number {
  const i = BUCKETS.findIndex(le => latencyMs / 1000 <= le)
  const lo = i > 0 ? BUCKETS[i - 1] : 0
  return lo + (BUCKETS[i] - lo) * 0.99
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

async function canaryReplicas(): Promise<number> {
  const d = await kubectlJson<KubeObject>(['get', 'deployment', 'api-canary', '-n', ns])
  return (d.spec as { replicas: number }).replicas
}

/** Sets both tracks, waits until Prometheus sees the canary's rate, runs the stage. */
async function stage(
  o: {
    canary: { rps: number; errorRate?: number; latencyMs?: number }
    stable: { rps: number; errorRate?: number; latencyMs?: number }
    judge: string
    hold: string
    maxHold?: string
    onInconclusive?: string
  },
  runId: string
): Promise<{ report: RunReport; gate: GateResult }> {
  await setTrack('stable', o.stable)
  await setTrack('canary', o.canary)
  await until(
    track(requests, 'canary'),
    v => Math.abs((v ?? 0) - o.canary.rps) < o.canary.rps * 0.2
  )
  // An earlier test's latencies leave the 5 s rate window only after a while: wait for the set ones.
  for (const t of ['canary', 'stable'] as const)
    await until(
      track(latencyP99, t),
      v => v !== undefined && Math.abs(v - p99Of(o[t].latencyMs ?? 50)) < 1e-6
    )
  await writeFile(
    join(dir, 'phase-gate.yaml'),
    `version: 1
name: judgetest
target: {namespace: ${ns}}
prometheus: ${clusterEnv().prometheus}
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: ${o.hold}${o.maxHold ? `, maxHold: ${o.maxHold}` : ''}}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests}'
    failed: '${failed}'
    total: '${total}'
    latencyP99: '${latencyP99}'
  judge:
${o.judge}
  onInconclusive: ${o.onInconclusive ?? 'hold'}
  rollbackIf:
    - {noDataFor: 20s}
`
  )
  const { report } = await runGate({ dir, gate: 'rollout', runId, stage: 'canary' })
  return { report, gate: report.gates[0] }
}

const judgeCheck = (g: GateResult, name: string) =>
  g.checks.find(c => c.kind === 'judge' && c.target === `canary:${name}`)

beforeAll(async () => {
  ns = await createTestNamespace('judge')
  dir = await workspace()
}, 60_000)
afterAll(async () => {
  await fetch(`${clusterEnv().exporter}/control/reset`, {
    method: 'POST',
    body: JSON.stringify({ service: SERVICE })
  })
  await deleteNamespace(ns)
})
beforeEach(async () => {
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
}, 60_000)

const ERROR_RATIO =
  '    - {name: error ratio, test: proportion, failures: failed, total: total, worseBy: 5%, confidence: 0.95}'

describe('rollout.judge: proportion', () => {
  it('equal error ratios at low traffic: inconclusive with the requests needed, then the stage fails at maxHold; ten times the traffic passes', async () => {
    // 1 % on both tracks; 5 canary requests a second cannot show "not worse by 5 points" in 4 s.
    const low = await stage(
      {
        canary: { rps: 5, errorRate: 0.01 },
        stable: { rps: 15, errorRate: 0.01 },
        judge: ERROR_RATIO,
        hold: '3s',
        maxHold: '4s'
      },
      'judge-low'
    )
    const row = judgeCheck(low.gate, 'error ratio')
    expect(row?.verdict).toBe('inconclusive')
    const data = row?.data as { stillNeeded: { canary: number }; canary: { total: number } }
    expect(data.stillNeeded.canary).toBeGreaterThan(0)
    expect(data.canary.total).toBeGreaterThan(5)
    expect(row?.message).toMatch(/about \d+ more canary requests \(and \d+ stable\) needed/)
    // onInconclusive: hold ran out at maxHold: the stage fails, never promoted, the canary back at 0 %;
    // the comparison itself stays inconclusive with the requests still needed.
    expect(low.gate.verdict).toBe('fail')
    expect(low.report.verdict).toBe('fail')
    expect(JSON.stringify(low.gate)).toMatch(
      /still inconclusive after holding 4(\.0+)?s .*error ratio: about \d+ more canary requests/
    )
    expect(low.gate.details?.trigger).toMatchObject({ what: 'judge-inconclusive' })
    expect(await canaryReplicas()).toBe(0)
    expect(renderSummary(low.report)).toMatch(/more canary requests/)

    const high = await stage(
      {
        canary: { rps: 50, errorRate: 0.01 },
        stable: { rps: 150, errorRate: 0.01 },
        judge: ERROR_RATIO,
        hold: '3s',
        maxHold: '4s'
      },
      'judge-high'
    )
    const ok = judgeCheck(high.gate, 'error ratio')
    expect(ok?.verdict).toBe('pass')
    expect(high.gate.verdict).toBe('pass')
    expect((ok?.data as { canary: { total: number } }).canary.total).toBeGreaterThan(
      data.canary.total * 5
    )
    expect(await canaryReplicas()).toBe(1)
  }, 120_000)

  it('10 % against 1 % fails and is back at 0 % within one interval of the evidence', async () => {
    const { report, gate } = await stage(
      {
        canary: { rps: 20, errorRate: 0.1 },
        stable: { rps: 60, errorRate: 0.01 },
        judge: ERROR_RATIO,
        hold: '30s'
      },
      'judge-fail'
    )
    expect(gate.verdict).toBe('fail')
    const row = judgeCheck(gate, 'error ratio')
    expect(row?.verdict).toBe('fail')
    const t = gate.details?.trigger as { at: string; rolledBackAt: string; what: string }
    expect(t.what).toBe('judge')
    expect(await canaryReplicas()).toBe(0)
    // The summary and the comment show both ratios and the interval.
    const summary = renderSummary(report)
    const ratios = row?.data as { canary: { ratio: number }; stable: { ratio: number } }
    expect(ratios.canary.ratio).toBeGreaterThan(0.08)
    expect(ratios.stable.ratio).toBeLessThan(0.02)
    const pct = (x: number): string => `${+(x * 100).toPrecision(3)}%`
    expect(summary).toContain(`failed (${pct(ratios.canary.ratio)}), stable`)
    expect(summary).toMatch(
      /canary \d+\/\d+ failed \(\d+(\.\d+)?%\), stable \d+\/\d+ failed \(\d+(\.\d+)?%\)/
    )
    expect(summary).toMatch(/interval \d+(\.\d+)?% … \d+(\.\d+)?% \(95% each end\)/)
    expect(renderCommentSection(report.gates)).toMatch(/error ratio/)

    // The evidence, recomputed from Prometheus's own counter history: the first moment the
    // counters' increase since the stage began would fail; the trigger fires within one interval of it.
    const hold = gate.details?.hold as { startedAt: string }
    const start = Date.parse(hold.startedAt)
    const firedAt = Date.parse(t.at)
    const judged = gate.details?.judge as { looksPlanned: number }
    const read = async (q: string, at: number) => (await promValue(q, at)) ?? 0
    const base = {
      cf: await read(track(failed, 'canary'), start),
      ct: await read(track(total, 'canary'), start),
      sf: await read(track(failed, 'stable'), start),
      st: await read(track(total, 'stable'), start)
    }
    let evidenceAt: number | undefined
    for (let at = start; at <= firedAt; at += 100) {
      const r = judgeProportion({
        canary: {
          failures: Math.round((await read(track(failed, 'canary'), at)) - base.cf),
          total: Math.round((await read(track(total, 'canary'), at)) - base.ct)
        },
        stable: {
          failures: Math.round((await read(track(failed, 'stable'), at)) - base.sf),
          total: Math.round((await read(track(total, 'stable'), at)) - base.st)
        },
        worseBy: 0.05,
        confidence: 0.95,
        looks: judged.looksPlanned
      })
      if (r.verdict === 'fail') {
        evidenceAt = at
        break
      }
    }
    expect(evidenceAt).toBeDefined()
    // One interval (1 s) plus slack for a query's latency on a loaded machine (500 ms).
    expect(firedAt - (evidenceAt as number)).toBeLessThanOrEqual(1500)
    expect(Date.parse(t.rolledBackAt)).toBeGreaterThanOrEqual(firedAt)
    // Back at 0 % (verified) within one interval of the evidence, plus the same slack and 1 s for the scale-down.
    expect(Date.parse(t.rolledBackAt) - (evidenceAt as number)).toBeLessThanOrEqual(
      1000 + 1500 + 1000
    )
    console.log(
      `evidence in Prometheus → judge fail: ${firedAt - (evidenceAt as number)} ms; fail → canary verified at 0 %: ${Date.parse(t.rolledBackAt) - firedAt} ms (interval 1 s)`
    )
  }, 120_000)
})

const LATENCY =
  '    - {name: p99 latency, test: mann-whitney, metric: latencyP99, worseBy: 20%, confidence: 0.95, minSamples: 8}'

describe('rollout.judge: mann-whitney', () => {
  it('a canary 3x slower than the stable fails', async () => {
    const { gate } = await stage(
      {
        canary: { rps: 20, latencyMs: 150 },
        stable: { rps: 20, latencyMs: 50 },
        judge: LATENCY,
        hold: '20s'
      },
      'judge-slow'
    )
    const row = judgeCheck(gate, 'p99 latency')
    expect(row?.verdict).toBe('fail')
    expect(gate.verdict).toBe('fail')
    const data = row?.data as {
      canary: { samples: number; median: number }
      stable: { median: number }
    }
    expect(data.canary.samples).toBeGreaterThanOrEqual(8)
    expect(data.canary.median / data.stable.median).toBeGreaterThan(2)
    expect(await canaryReplicas()).toBe(0)
  }, 120_000)

  it('equal latency passes once minSamples is reached (the stage holds past its hold for it)', async () => {
    const { gate } = await stage(
      {
        canary: { rps: 20, latencyMs: 50 },
        stable: { rps: 20, latencyMs: 50 },
        judge: LATENCY,
        hold: '3s',
        maxHold: '15s'
      },
      'judge-equal'
    )
    const row = judgeCheck(gate, 'p99 latency')
    expect(row?.verdict).toBe('pass')
    expect(gate.verdict).toBe('pass')
    const data = row?.data as { canary: { samples: number }; stable: { samples: number } }
    expect(Math.min(data.canary.samples, data.stable.samples)).toBe(8)
    const samples = gate.details?.samples as unknown[]
    // A 3 s hold gives 4 samples; the stage held on until the 8th.
    expect(samples.length).toBe(8)
  }, 120_000)
})
