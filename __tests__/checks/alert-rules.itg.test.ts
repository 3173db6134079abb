// The alertRules check against a real Prometheus (one of the test's own, with
// a rule file) through the production client: loaded, missing with its
// near name, firing, and a recording rule that is not an alert.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { runValidation, type ValidationContext } from '../../src/checks/validation.js'
import { memoryLogger } from '../../src/core/log.js'
import { createPrometheus } from '../../src/metrics/prometheus.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { startPrometheus, type OwnPrometheus } from '../support/prometheus-of-our-own.js'

const RULES = `groups:
  - name: shop
    rules:
      - alert: ShopHighErrorRate
        expr: vector(0) > 1
        for: 1m
        labels: {severity: critical}
      - alert: ShopAlwaysFiring
        expr: vector(1)
      - record: shop:requests:rate1m
        expr: vector(1)
`

let prom: OwnPrometheus
beforeAll(async () => {
  prom = await startPrometheus({ rules: RULES })
  await prom.waitForAlert('ShopAlwaysFiring', 'firing')
}, 60_000)
afterAll(() => prom?.stop())

function ctx(): ValidationContext {
  const metrics = createPrometheus(prom.url)
  // The cluster serves no PrometheusRule CRD (as the local cluster): Prometheus alone answers.
  const cluster = new FakeCluster()
  return {
    cluster: async () => cluster,
    metrics: () => metrics,
    namespace: 'shop',
    signal: new AbortController().signal,
    log: memoryLogger()
  } as unknown as ValidationContext
}

describe('alertRules against a real Prometheus', () => {
  it('passes for a loaded, quiet alert', async () => {
    const r = await runValidation({ alertRules: { names: ['ShopHighErrorRate'] } }, ctx())
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe(`the alert rule ShopHighErrorRate loaded in Prometheus ${prom.url}`)
  })

  it('fails for a missing alert, naming the near one; a recording rule is not an alert', async () => {
    const r = await runValidation(
      { alertRules: { names: ['ShopHighErrorRates', 'shop:requests:rate1m'] } },
      ctx()
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      '2 of 2 alert rules not ready: ShopHighErrorRates is not loaded in Prometheus (did you mean "ShopHighErrorRate"?); shop:requests:rate1m is not loaded in Prometheus'
    )
  })

  it('warns while an alert fires', async () => {
    const r = await runValidation(
      { alertRules: { names: ['ShopHighErrorRate', 'ShopAlwaysFiring'] } },
      ctx()
    )
    expect(r.verdict).toBe('warn')
    expect(r.message).toBe('ShopAlwaysFiring is loaded and firing now (group shop)')
  })

  it('a closed port is an error (could not check), not a pass', async () => {
    const metrics = createPrometheus('http://127.0.0.1:9', { retry: { maxRetries: 0 } })
    const c = { ...ctx(), metrics: () => metrics } as ValidationContext
    const r = await runValidation({ alertRules: { names: ['ShopHighErrorRate'] } }, c)
    expect(r.verdict).toBe('error')
    expect(r.message).toMatch(
      /^could not check the alert rules: cannot reach Prometheus at http:\/\/127\.0\.0\.1:9: connection refused, and the PrometheusRule CRD is not served$/
    )
  })
})
