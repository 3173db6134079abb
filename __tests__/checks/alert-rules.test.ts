// The alertRules check: each alert judged against what Prometheus loaded and
// what PrometheusRule objects define (table-driven), the rules API answer
// parsed, and the check end to end over a fake cluster and a fake Prometheus.
import { describe, expect, it } from '@jest/globals'
import {
  alertsOf,
  judgeRules,
  runAlertRulesCheck,
  type RuleSources
} from '../../src/checks/alert-rules.js'
import type { ValidationContext } from '../../src/checks/validation.js'
import { UsageError } from '../../src/core/errors.js'
import { memoryLogger } from '../../src/core/log.js'
import { parseRulesAnswer } from '../../src/metrics/prometheus.js'
import { MetricsUnavailableError, type LoadedRule, type Metrics } from '../../src/metrics/types.js'
import type { KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const rule = (name: string, over: Partial<LoadedRule> = {}): LoadedRule => ({
  name,
  type: 'alerting',
  group: 'shop',
  health: 'ok',
  state: 'inactive',
  ...over
})

describe('judgeRules', () => {
  it.each<[string, RuleSources, string, RegExp]>([
    [
      'loaded and quiet',
      { loaded: [rule('HighErrorRate')] },
      'pass',
      /^HighErrorRate is loaded \(group shop, inactive\)$/
    ],
    [
      'loaded and firing',
      { loaded: [rule('HighErrorRate', { state: 'firing' })] },
      'warn',
      /is loaded and firing now/
    ],
    [
      'loaded but failing to evaluate',
      {
        loaded: [
          rule('HighErrorRate', {
            health: 'err',
            lastError: 'vector contains metrics with the same labelset'
          })
        ]
      },
      'fail',
      /failing to evaluate: vector contains/
    ],
    [
      'a recording rule of that name is not an alert',
      { loaded: [rule('HighErrorRate', { type: 'recording' })] },
      'fail',
      /^HighErrorRate is not loaded in Prometheus$/
    ],
    [
      'missing, with a near name',
      { loaded: [rule('HighErrorRatio')] },
      'fail',
      /is not loaded in Prometheus.*did you mean "HighErrorRatio"/
    ],
    [
      'defined but not picked up',
      { loaded: [], defined: new Map([['HighErrorRate', ['monitoring/shop-rules']]]) },
      'fail',
      /defined in PrometheusRule monitoring\/shop-rules but Prometheus has not loaded it: check the Prometheus ruleSelector/
    ],
    [
      'defined and loaded',
      { loaded: [rule('HighErrorRate')], defined: new Map([['HighErrorRate', ['shop/rules']]]) },
      'pass',
      /loaded \(group shop, inactive\) \(PrometheusRule shop\/rules\)/
    ],
    [
      'defined, no Prometheus to ask',
      {
        defined: new Map([['HighErrorRate', ['shop/rules']]]),
        prometheusNote: 'the plan names no Prometheus'
      },
      'pass',
      /not checked: the plan names no Prometheus/
    ],
    [
      'neither',
      { loaded: [], defined: new Map() },
      'fail',
      /is not loaded in Prometheus nor defined in any PrometheusRule/
    ]
  ])('%s', (_, src, verdict, message) => {
    const [f] = judgeRules(['HighErrorRate'], src)
    expect(f.verdict).toBe(verdict)
    expect(f.message).toMatch(message)
  })
})

describe('parseRulesAnswer', () => {
  it('lists alerting and recording rules with group, file, health, state', () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        groups: [
          {
            name: 'shop',
            file: '/etc/prometheus/rules/shop.yml',
            rules: [
              {
                name: 'HighErrorRate',
                type: 'alerting',
                health: 'ok',
                state: 'firing',
                query: 'x > 1',
                lastError: ''
              },
              {
                name: 'job:errors:rate1m',
                type: 'recording',
                health: 'err',
                lastError: 'bad',
                query: 'rate(x[1m])'
              }
            ]
          }
        ]
      }
    })
    expect(parseRulesAnswer({ status: 200, headers: {}, body })).toEqual([
      {
        name: 'HighErrorRate',
        type: 'alerting',
        group: 'shop',
        file: '/etc/prometheus/rules/shop.yml',
        health: 'ok',
        lastError: undefined,
        state: 'firing',
        query: 'x > 1'
      },
      {
        name: 'job:errors:rate1m',
        type: 'recording',
        group: 'shop',
        file: '/etc/prometheus/rules/shop.yml',
        health: 'err',
        lastError: 'bad',
        state: undefined,
        query: 'rate(x[1m])'
      }
    ])
  })
  it.each([
    [{ status: 503, headers: {}, body: '' }, /HTTP 503/],
    [{ status: 200, headers: {}, body: '<html>' }, /no rule groups/]
  ])('refuses %#', (res, msg) => expect(() => parseRulesAnswer(res)).toThrow(msg))
})

describe('alertsOf', () => {
  it('reads spec.groups[].rules[].alert, skipping recording rules', () => {
    const o: KubeObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'r', namespace: 'shop' },
      spec: {
        groups: [
          {
            name: 'g',
            rules: [
              { alert: 'A', expr: '1' },
              { record: 'r:x', expr: '1' }
            ]
          },
          { name: 'h', rules: [{ alert: 'B', expr: '1' }] }
        ]
      }
    }
    expect(alertsOf(o)).toEqual(['A', 'B'])
  })
})

describe('alertRules check', () => {
  const promRule = (ns: string, name: string, alerts: string[]): KubeObject => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, namespace: ns },
    spec: { groups: [{ name: 'g', rules: alerts.map(a => ({ alert: a, expr: 'vector(1)' })) }] }
  })
  const crd = {
    group: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'PrometheusRule',
    resource: 'prometheusrules',
    namespaced: true,
    verbs: ['get', 'list'],
    subresources: []
  }
  function ctx(cluster: FakeCluster, metrics: () => Metrics): ValidationContext {
    return {
      cluster: async () => cluster,
      metrics,
      namespace: 'shop',
      signal: new AbortController().signal,
      log: memoryLogger()
    } as unknown as ValidationContext
  }
  const prom =
    (rules: LoadedRule[] | Error): (() => Metrics) =>
    () => ({
      url: 'http://127.0.0.1:9090',
      query: async () => [],
      rules: async () => {
        if (rules instanceof Error) throw rules
        return rules
      }
    })

  it('passes when Prometheus has every alert loaded', async () => {
    const r = await runAlertRulesCheck(
      { names: ['A', 'B'] },
      ctx(new FakeCluster(), prom([rule('A'), rule('B')]))
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe('all 2 alert rules loaded in Prometheus http://127.0.0.1:9090')
    expect(r.evidence).toContain('note the PrometheusRule CRD is not served')
  })

  it('with the CRD served: a rule defined in another namespace but not loaded fails, naming the object', async () => {
    const c = new FakeCluster({
      resources: [crd],
      objects: [promRule('monitoring', 'shop-rules', ['A', 'B']), promRule('shop', 'local', ['C'])]
    })
    const r = await runAlertRulesCheck(
      { names: ['A', 'B', 'C'] },
      ctx(c, prom([rule('A'), rule('C')]))
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      '1 of 3 alert rules not ready: B is defined in PrometheusRule monitoring/shop-rules but Prometheus has not loaded it: check the Prometheus ruleSelector and ruleNamespaceSelector'
    )
  })

  it('cannot check without Prometheus and without the CRD: error (exit 3), not a pass', async () => {
    const r = await runAlertRulesCheck(
      { names: ['A'] },
      ctx(new FakeCluster(), () => {
        throw new UsageError('no Prometheus')
      })
    )
    expect(r.verdict).toBe('error')
    expect(r.message).toBe(
      'could not check the alert rules: the plan names no Prometheus, and the PrometheusRule CRD is not served'
    )
  })

  it('an unreachable Prometheus with the CRD served: defined rules pass with the reason loading was not checked', async () => {
    const c = new FakeCluster({ resources: [crd], objects: [promRule('shop', 'rules', ['A'])] })
    const r = await runAlertRulesCheck(
      { names: ['A'] },
      ctx(
        c,
        prom(
          new MetricsUnavailableError(
            'cannot reach Prometheus at http://127.0.0.1:9090: connection refused'
          )
        )
      )
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe(
      'the alert rule A defined in PrometheusRules (loading not checked: cannot reach Prometheus at http://127.0.0.1:9090: connection refused)'
    )
    expect(r.evidence).toMatch(/not checked: cannot reach Prometheus/)
  })
})
