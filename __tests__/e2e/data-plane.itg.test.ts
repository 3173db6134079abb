// The traffic data plane against the real local cluster, test exporter and
// Prometheus: it follows a live HTTPRoute's weights (and nothing else), and
// the replica ratio of two Deployments without a route; what the backends
// serve reaches Prometheus per track within seconds, errors included.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { startDataPlane, type DataPlane } from './data-plane.mjs'

let ns: string
let kube: { server: string; ca: string; cert: string; key: string }
const planes: DataPlane[] = []
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

/** One PromQL value, or NaN when the result is empty. */
async function promValue(query: string): Promise<number> {
  const r = await fetch(
    `${clusterEnv().prometheus}/api/v1/query?query=${encodeURIComponent(query)}`
  )
  const body = (await r.json()) as { data: { result: { value: [number, string] }[] } }
  return Number(body.data.result[0]?.value[1] ?? NaN)
}

const apply = (objects: object[]): Promise<string> =>
  kubectl(['apply', '-f', '-'], {
    namespace: ns,
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })
  })

const service = (name: string, track: string): object => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: 'shop', track }, ports: [{ port: 80 }] }
})

const route = (stable: number, canary: number): object => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'shop' },
  spec: {
    rules: [
      {
        backendRefs: [
          { name: 'shop', port: 80, weight: stable },
          { name: 'shop-canary', port: 80, weight: canary }
        ]
      }
    ]
  }
})

const deployment = (name: string, track: string, replicas: number): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'shop', track } },
    template: {
      metadata: { labels: { app: 'shop', track } },
      spec: { containers: [{ name: 'app', image: 'registry.invalid/shop:1' }] }
    }
  }
})

/** The canary's share of what was served in [from, to). */
const share = (dp: DataPlane, from: number, to: number): number => {
  const c = dp.served('canary', from, to).total
  const s = dp.served('stable', from, to).total
  return c / (c + s)
}

beforeAll(async () => {
  ns = await createTestNamespace('e2e-data-plane')
  const state = JSON.parse(readFileSync(join(clusterEnv().dir, 'state.json'), 'utf8')) as {
    caFile: string
    clientCert: { cert: string; key: string }
  }
  kube = {
    server: clusterEnv().apiserver,
    ca: state.caFile,
    cert: state.clientCert.cert,
    key: state.clientCert.key
  }
}, 60_000)

afterAll(async () => {
  await Promise.all(planes.map(p => p.stop()))
  if (ns) await deleteNamespace(ns)
})

describe('route mode', () => {
  let dp: DataPlane
  const label = `e2e-dp-route-${Date.now()}`

  it('sends nothing while there is no route', async () => {
    await apply([service('shop', 'stable'), service('shop-canary', 'canary')])
    dp = await startDataPlane({
      kube,
      namespace: ns,
      route: 'shop',
      exporter: clusterEnv().exporter,
      service: label,
      rps: 50
    })
    planes.push(dp)
    await sleep(1500)
    expect(dp.sent()).toMatchObject({ stable: 0, canary: 0 })
  }, 30_000)

  it('follows the weights of the live route, and only them', async () => {
    await apply([route(100, 0)])
    const t0 = (await until('the route at 100/0', () => dp.history().find(h => h.stable === 100)))
      .at
    await sleep(1500)
    expect(dp.served('canary', t0).total).toBe(0)
    expect(dp.served('stable', t0).total).toBeGreaterThan(40)

    await kubectl(
      [
        'patch',
        'httproute',
        'shop',
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'replace', path: '/spec/rules/0/backendRefs/0/weight', value: 75 },
          { op: 'replace', path: '/spec/rules/0/backendRefs/1/weight', value: 25 }
        ])
      ],
      { namespace: ns }
    )
    const t1 = (await until('the route at 75/25', () => dp.history().find(h => h.canary === 25))).at
    expect(t1 - Date.now()).toBeLessThan(2000)
    await sleep(2000)
    expect(share(dp, t1, Date.now())).toBeCloseTo(0.25, 1)
  }, 30_000)

  it('what the backends serve reaches Prometheus per track, errors included', async () => {
    dp.setTrack('canary', { errorRate: 0.5 })
    const canary = await until(
      'Prometheus to see canary traffic',
      async () => {
        const v = await promValue(
          `sum(rate(http_requests_total{service="${label}",track="canary"}[5s]))`
        )
        return v > 0 ? v : undefined
      },
      15_000
    )
    expect(canary).toBeGreaterThan(0)
    const errors = await until(
      'Prometheus to see canary errors',
      async () => {
        const v = await promValue(
          `sum(rate(http_requests_total{service="${label}",track="canary",code="500"}[5s])) / sum(rate(http_requests_total{service="${label}",track="canary"}[5s]))`
        )
        return v > 0.3 ? v : undefined
      },
      15_000
    )
    expect(errors).toBeLessThanOrEqual(0.6)
    expect(
      await promValue(
        `sum(rate(http_requests_total{service="${label}",track="stable",code="500"}[5s]))`
      )
    ).toBe(0)
  }, 40_000)

  it('sends nothing once the route is gone', async () => {
    const deleted = Date.now()
    await kubectl(['delete', 'httproute', 'shop'], { namespace: ns })
    const t = (
      await until('the split to empty', () =>
        dp.history().find(h => h.at >= deleted && h.stable === 0 && h.canary === 0)
      )
    ).at
    await sleep(1000)
    expect(dp.served('stable', t + 300).total + dp.served('canary', t + 300).total).toBe(0)
  }, 30_000)
})

describe('replica mode', () => {
  it('splits by the ready replicas of the stable and canary Deployments', async () => {
    await apply([deployment('shop-stable', 'stable', 3), deployment('shop-canary', 'canary', 1)])
    const dp = await startDataPlane({
      kube,
      namespace: ns,
      workloads: { stable: 'shop-stable', canary: 'shop-canary' },
      exporter: clusterEnv().exporter,
      service: `e2e-dp-replicas-${Date.now()}`,
      rps: 60
    })
    planes.push(dp)
    const t = (
      await until(
        'both Deployments ready',
        () => dp.history().find(h => h.stable === 3 && h.canary === 1),
        30_000
      )
    ).at
    await sleep(2000)
    expect(share(dp, t, Date.now())).toBeCloseTo(0.25, 1)
    await kubectl(['scale', 'deployment', 'shop-canary', '--replicas=0'], { namespace: ns })
    const t0 = (
      await until(
        'the canary at 0 replicas',
        () => dp.history().find(h => h.at > t && h.canary === 0),
        30_000
      )
    ).at
    await sleep(1000)
    expect(dp.served('canary', t0 + 300).total).toBe(0)
  }, 90_000)
})
