// Warn and fail tiers against the real Prometheus and the test exporter
// (scraped every second), on real Deployments of the local cluster: a canary
// whose error rate sits between the warn and the fail tier only gets a
// `warn` finding and a threshold-warning notification (loopback receiver)
// and is promoted; above the fail tier the same trigger rolls it back to 0 %.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../src/kube/types.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { startReceiver, type Receiver } from '../notify/receiver.js'
import { runGate, workspace } from '../rollout/engine-support.js'

const SERVICE = `tiers-${randomBytes(3).toString('hex')}`
const HOOK_ENV = `PG_TIERS_HOOK_${randomBytes(3).toString('hex').toUpperCase()}`
let ns: string
let dir: string
let rx: Receiver

const requests = `sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))`
const errorRate = `(sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))`

async function setTrack(track: 'stable' | 'canary', rps: number, errors: number): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}/control`, {
    method: 'POST',
    body: JSON.stringify({ service: SERVICE, track, rps, errorRate: errors, latencyMs: 50 })
  })
  expect(res.status).toBe(200)
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

async function until(query: string, ok: (v: number | undefined) => boolean): Promise<void> {
  const end = Date.now() + 30_000
  while (!ok(await promValue(query))) {
    if (Date.now() > end) throw new Error(`timed out waiting on ${query}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

const canaryErrors = errorRate.replaceAll('{{track}}', 'canary')

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

const PLAN = (): string => `version: 1
name: tierstest
target: {namespace: ${ns}}
prometheus: ${clusterEnv().prometheus}
notify:
  - {name: team, urlEnv: ${HOOK_ENV}, format: json, events: [threshold-warning, rollback-triggered]}
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 4
  interval: 1s
  stages:
    - {name: canary, weight: 25, hold: 4s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: '${requests}'
    errorRate: '${errorRate}'
  rollbackIf:
    - {metric: errorRate, warn: 10%, fail: 40%}
    - {noDataFor: 20s}
`

beforeAll(async () => {
  ns = await createTestNamespace('tiers')
  dir = await workspace()
  rx = await startReceiver()
  process.env[HOOK_ENV] = `${rx.url}/hook`
  await setTrack('stable', 20, 0)
}, 60_000)
afterAll(async () => {
  delete process.env[HOOK_ENV]
  await fetch(`${clusterEnv().exporter}/control/reset`, {
    method: 'POST',
    body: JSON.stringify({ service: SERVICE })
  })
  await rx.close()
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
  await kubectl(['rollout', 'status', 'deployment/api-canary', '-n', ns, '--timeout=60s'])
  await writeFile(join(dir, 'phase-gate.yaml'), PLAN())
}, 90_000)

describe('warn and fail tiers (real Prometheus)', () => {
  it('between the tiers: a warn finding and a threshold-warning notification, no rollback, promoted', async () => {
    await setTrack('canary', 20, 0.2)
    await until(canaryErrors, v => v !== undefined && v > 0.12 && v < 0.3)
    const before = rx.delivered().length
    const { report } = await runGate({ dir, gate: 'rollout', runId: `tiers-warn-${Date.now()}` })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([
      ['canary', 'warn'],
      ['full', 'pass']
    ])
    const canary = report.gates[0]
    const warn = canary.checks.filter(c => c.kind === 'trigger')
    expect(warn).toHaveLength(1)
    expect(warn[0]).toMatchObject({
      verdict: 'warn',
      data: { tier: 'warn', metric: 'errorRate', cel: 'value > 0.1' }
    })
    expect(warn[0].message).toMatch(/^warn tier crossed at 25%: errorRate = 0\.\d+.*no rollback/)
    expect(canary.checks.some(c => c.kind === 'rollback')).toBe(false)
    expect(await canaryReplicas()).toBe(4)
    const told = rx
      .delivered()
      .slice(before)
      .map(r => r.body as { event: string; summary: string })
    expect(told.map(b => b.event)).toEqual(['threshold-warning'])
    expect(told[0].summary).toMatch(/stage canary \(25%\): errorRate = 0\.\d+.*no rollback/)
  }, 90_000)

  it('above the fail tier: the same trigger rolls the canary back to 0%', async () => {
    await setTrack('canary', 20, 0.6)
    await until(canaryErrors, v => v !== undefined && v > 0.45)
    const before = rx.delivered().length
    const { report } = await runGate({ dir, gate: 'rollout', runId: `tiers-fail-${Date.now()}` })
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['canary', 'fail']])
    const trigger = report.gates[0].checks.find(c => c.kind === 'trigger' && c.verdict === 'fail')
    expect(trigger?.message).toMatch(/value > 0\.4/)
    expect(report.gates[0].checks.find(c => c.kind === 'rollback')?.verdict).toBe('pass')
    expect(await canaryReplicas()).toBe(0)
    const events = rx
      .delivered()
      .slice(before)
      .map(r => (r.body as { event: string }).event)
    expect(events).toContain('rollback-triggered')
  }, 90_000)
})
