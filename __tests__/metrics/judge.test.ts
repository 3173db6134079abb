// Decisions on metric values: readings, numbers in words, conditions over
// value and baseline, compiled triggers, and the trigger state over a
// stage (thresholds, baselines, N of M, no traffic, no data, unreachable).
import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_NO_DATA_MS,
  TriggerJudge,
  compileTriggers,
  resourceMetric,
  describeReading,
  evaluateCondition,
  formatNumber,
  readMetric,
  readingOf,
  type Reading,
  type Tick
} from '../../src/metrics/judge.js'
import { PromQLError } from '../../src/metrics/prometheus.js'
import {
  MetricsUnavailableError,
  type MetricSample,
  type Metrics
} from '../../src/metrics/types.js'
import type { RollbackTrigger } from '../../src/plan/types.js'

const sample = (value: number, labels: Record<string, string> = {}): MetricSample => ({
  labels,
  value,
  timestamp: 1
})

describe('readingOf', () => {
  it.each<[string, MetricSample[], Reading['kind']]>([
    ['no series', [], 'empty'],
    ['one value', [sample(0.5)], 'value'],
    ['zero', [sample(0)], 'value'],
    ['+Inf', [sample(Infinity)], 'value'],
    ['NaN', [sample(NaN)], 'nan'],
    ['two series', [sample(1, { a: '1' }), sample(2, { a: '2' })], 'ambiguous']
  ])('%s', (_, samples, kind) => {
    expect(readingOf(samples).kind).toBe(kind)
  })
})

describe('readMetric', () => {
  const failing = (err: Error): Metrics => ({ url: 'x', query: async () => Promise.reject(err) })
  it.each<[string, Error, Reading['kind']]>([
    ['an unreachable server', new MetricsUnavailableError('connection refused'), 'unavailable'],
    ['a rejected query', new PromQLError('bad', 'q'), 'rejected'],
    ['anything else', new Error('boom'), 'unavailable']
  ])('turns %s into a reading', async (_, err, kind) => {
    expect((await readMetric(failing(err), 'q')).kind).toBe(kind)
  })
})

describe('formatNumber and describeReading', () => {
  it.each([
    [0, '0'],
    [0.052345, '0.05235'],
    [12.5, '12.5'],
    [1234567, '1.235e6'],
    [0.00001234, '1.234e-5'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf']
  ])('%p → %s', (n, text) => {
    expect(formatNumber(n)).toBe(text)
  })
  it.each<[Reading, string]>([
    [{ kind: 'value', value: 0.25 }, '0.25'],
    [{ kind: 'empty' }, 'no data'],
    [{ kind: 'nan' }, 'NaN (nothing to divide: no requests?)'],
    [
      { kind: 'ambiguous', series: 3, labels: [] },
      '3 series (aggregate the query to one value, e.g. with sum or max)'
    ],
    [
      { kind: 'unavailable', message: 'connection refused' },
      'Prometheus unavailable (connection refused)'
    ]
  ])('%j → %s', (r, text) => {
    expect(describeReading(r)).toBe(text)
  })
})

describe('evaluateCondition', () => {
  it.each<[string, number, number | undefined, boolean]>([
    ['value < 0.5', 0.4, undefined, true],
    ['value < 0.5', 0, undefined, true],
    ['value > 2.0 * baseline', 0.05, 0.02, true],
    ['value > 2.0 * baseline', 0.03, 0.02, false],
    ['value > 2.0 * baseline', 0, 0, false],
    ['value > 5.0', Infinity, undefined, true],
    ['value <= 1.5 * baseline || baseline == 0.0', 3, 0, true]
  ])('%s with value %p, baseline %p', (cel, value, baseline, want) => {
    expect(evaluateCondition(cel, value, baseline)).toBe(want)
  })
  it('refuses a baseline expression without a baseline', () => {
    expect(() => evaluateCondition('value > baseline', 1)).toThrow(
      /needs a baseline, and there is none/
    )
  })
})

describe('compileTriggers', () => {
  it('compiles the shorthands and names each trigger as the plan wrote it', () => {
    const t = compileTriggers([
      { metric: 'errorRate', above: '2x baseline' },
      { metric: 'latencyP99', above: '5s', samples: 2, of: 3 },
      { metric: 'saturation', below: 0.1 },
      { metric: 'x', cel: 'value > 1.0 && baseline < 1.0' },
      { noDataFor: '2m' }
    ])
    expect(t.map(x => [x.metric, x.cel, x.source, x.noDataForMs, x.samples, x.of])).toEqual([
      ['errorRate', 'value > 2.0 * baseline', 'errorRate above 2x baseline', undefined, 1, 1],
      ['latencyP99', 'value > 5.0', 'latencyP99 above 5s (2 of 3 samples)', undefined, 2, 3],
      ['saturation', 'value < 0.1', 'saturation below 0.1', undefined, 1, 1],
      [
        'x',
        'value > 1.0 && baseline < 1.0',
        'x cel value > 1.0 && baseline < 1.0',
        undefined,
        1,
        1
      ],
      [undefined, undefined, 'no data for 2m', 120_000, 1, 1]
    ])
  })
  it("adds the default dead-man's switch when the plan sets no noDataFor", () => {
    const t = compileTriggers([{ metric: 'errorRate', above: 0.05 }])
    expect(t[1]).toMatchObject({ implicit: true, noDataForMs: DEFAULT_NO_DATA_MS, index: -1 })
    expect(compileTriggers(undefined).map(x => x.noDataForMs)).toEqual([DEFAULT_NO_DATA_MS])
  })
  it('rejects a threshold that is none of the forms', () => {
    expect(() => compileTriggers([{ metric: 'e', above: 'lots' }])).toThrow(
      /"lots" is not a threshold/
    )
  })
})

describe('TriggerJudge', () => {
  const v = (value: number): Reading => ({ kind: 'value', value })
  const empty: Reading = { kind: 'empty' }
  const down: Reading = { kind: 'unavailable', message: 'connection refused' }
  const S = 1000
  type Row = [traffic: Tick['traffic'], canary: Reading, baseline?: Reading]

  /** Feeds rows one second apart; answers the tick index and firing of the first trigger that fired. */
  function feed(triggers: RollbackTrigger[], rows: Row[], metric = 'errorRate') {
    const judge = new TriggerJudge(compileTriggers(triggers), ['requests', metric], 0)
    for (const [i, [traffic, canary, baseline]] of rows.entries()) {
      const requests =
        traffic === 'yes'
          ? v(10)
          : traffic === 'none'
            ? v(0)
            : canary.kind === 'unavailable'
              ? canary
              : empty
      const f = judge.observe({
        at: i * S,
        traffic,
        metrics: { requests: { canary: requests }, [metric]: { canary, baseline } }
      })
      if (f) return { at: i, firing: f, judge }
    }
    return { at: undefined, firing: undefined, judge }
  }

  it.each<[string, RollbackTrigger[], Row[], number | undefined, string | undefined]>([
    [
      'an absolute threshold fires on the first crossing',
      [{ metric: 'errorRate', above: 0.05 }],
      [
        ['yes', v(0.01)],
        ['yes', v(0.2)]
      ],
      1,
      'threshold'
    ],
    [
      'a healthy canary never fires',
      [{ metric: 'errorRate', above: 0.05 }, { noDataFor: '10s' }],
      [
        ['yes', v(0.01)],
        ['yes', v(0.02)],
        ['yes', v(0.03)]
      ],
      undefined,
      undefined
    ],
    [
      '2x baseline compares with the stable track',
      [{ metric: 'errorRate', above: '2x baseline' }],
      [
        ['yes', v(0.03), v(0.02)],
        ['yes', v(0.05), v(0.02)]
      ],
      1,
      'threshold'
    ],
    [
      'a missing baseline uses the last one seen (stable at 0 % has none)',
      [{ metric: 'errorRate', above: '2x baseline' }],
      [
        ['yes', v(0.01), v(0.02)],
        ['yes', v(0.05), empty]
      ],
      1,
      'threshold'
    ],
    [
      'no baseline ever seen is no data, not a pass',
      [
        { metric: 'errorRate', above: '2x baseline' },
        { metric: 'errorRate', noDataFor: '3s' }
      ],
      [
        ['yes', v(0.5), empty],
        ['yes', v(0.5), empty],
        ['yes', v(0.5), empty],
        ['yes', v(0.5), empty]
      ],
      3,
      'no-data'
    ],
    [
      '2 of 3 samples: one spike is not enough',
      [{ metric: 'errorRate', above: 0.1, samples: 2, of: 3 }],
      [
        ['yes', v(0.5)],
        ['yes', v(0.01)],
        ['yes', v(0.01)],
        ['yes', v(0.01)]
      ],
      undefined,
      undefined
    ],
    [
      '2 of 3 samples: two within three fire',
      [{ metric: 'errorRate', above: 0.1, samples: 2, of: 3 }],
      [
        ['yes', v(0.5)],
        ['yes', v(0.01)],
        ['yes', v(0.5)]
      ],
      2,
      'threshold'
    ],
    [
      '2 of 3 samples: spikes further apart do not',
      [{ metric: 'errorRate', above: 0.1, samples: 2, of: 3 }],
      [
        ['yes', v(0.5)],
        ['yes', v(0.01)],
        ['yes', v(0.01)],
        ['yes', v(0.5)]
      ],
      undefined,
      undefined
    ],
    [
      'no data for the limit fires the dead-man switch',
      [{ metric: 'errorRate', above: 0.1 }, { noDataFor: '2s' }],
      [
        ['yes', v(0.01)],
        ['yes', empty],
        ['yes', empty],
        ['yes', empty]
      ],
      2,
      'no-data'
    ],
    [
      'NaN counts as no data',
      [{ noDataFor: '2s' }],
      [
        ['yes', { kind: 'nan' }],
        ['yes', { kind: 'nan' }],
        ['yes', { kind: 'nan' }]
      ],
      2,
      'no-data'
    ],
    [
      'an unreachable Prometheus counts as no data',
      [{ metric: 'errorRate', above: 0.1 }, { noDataFor: '2s' }],
      [
        ['unknown', down],
        ['unknown', down],
        ['unknown', down]
      ],
      2,
      'no-data'
    ],
    [
      'zero traffic pauses the no-data clock',
      [{ noDataFor: '2s' }],
      [
        ['none', empty],
        ['none', empty],
        ['none', empty],
        ['none', empty]
      ],
      undefined,
      undefined
    ],
    [
      'data coming back resets the clock',
      [{ noDataFor: '2s' }],
      [
        ['yes', empty],
        ['yes', v(0.01)],
        ['yes', empty],
        ['yes', v(0.01)],
        ['yes', empty]
      ],
      undefined,
      undefined
    ],
    [
      'a rejected query fires at once',
      [{ metric: 'errorRate', above: 0.1 }],
      [['yes', { kind: 'rejected', message: 'parse error' }]],
      0,
      'rejected'
    ]
  ])('%s', (_, triggers, rows, at, kind) => {
    const r = feed(triggers, rows)
    expect(r.at).toBe(at)
    expect(r.firing?.kind).toBe(kind)
  })

  it('says which numbers tripped it', () => {
    const { firing } = feed(
      [{ metric: 'errorRate', above: '2x baseline', samples: 2, of: 3 }],
      [
        ['yes', v(0.05), v(0.02)],
        ['yes', v(0.01), v(0.02)],
        ['yes', v(0.06), v(0.02)]
      ]
    )
    expect(firing?.message).toBe(
      'errorRate = 0.06 (baseline 0.02): value > 2.0 * baseline in 2 of the last 3 samples'
    )
    expect(firing?.samples).toEqual([
      { at: 0, value: 0.05, baseline: 0.02, crossed: true },
      { at: 1000, value: 0.01, baseline: 0.02, crossed: false },
      { at: 2000, value: 0.06, baseline: 0.02, crossed: true }
    ])
  })

  it('says since when a metric has had no data', () => {
    const { firing } = feed(
      [{ noDataFor: '2s' }],
      [
        ['yes', v(0.01)],
        ['yes', empty],
        ['yes', empty],
        ['yes', empty]
      ]
    )
    expect(firing?.metric).toBe('errorRate')
    expect(firing?.message).toBe(
      'no data for errorRate since 1970-01-01T00:00:00.000Z (2.00s, limit 2.00s): no data'
    )
  })

  it('reports a trigger it cannot evaluate instead of failing the stage', () => {
    const { firing, judge } = feed(
      [{ metric: 'errorRate', cel: 'value.size() > 1' }],
      [['yes', v(0.5)]]
    )
    expect(firing).toBeUndefined()
    expect(judge.problems[0]).toMatch(/^errorRate cel value\.size\(\) > 1: CEL/)
  })
})

describe('resource triggers (the canary share of its limits)', () => {
  const share = (value: number, pod = 'api-canary-1'): Reading => ({
    kind: 'value',
    value,
    labels: { pod, container: 'app' },
    detail: `${pod}/app ${formatNumber(value)} of 1 core (${Math.round(value * 100)} %)`
  })

  it('compiles to the share of limits, named with the percentage, under the resource metric', () => {
    const t = compileTriggers([
      { resource: 'cpu', above: '80%' },
      { resource: 'memory', above: 0.9, samples: 2, of: 3 },
      { resource: 'cpu', below: '5%', noDataFor: '1m' }
    ])
    expect(t.map(x => [x.metric, x.resource, x.cel, x.source, x.condition])).toEqual([
      ['cpu/limit', 'cpu', 'value > 0.8', 'cpu above 80 % of limits', 'cpu above 80 % of limits'],
      [
        'memory/limit',
        'memory',
        'value > 0.9',
        'memory above 90 % of limits (2 of 3 samples)',
        'memory above 90 % of limits'
      ],
      [
        'cpu/limit',
        'cpu',
        'value < 0.05',
        'cpu below 5 % of limits no data for 1m',
        'cpu below 5 % of limits no data for 1m'
      ]
    ])
    expect(resourceMetric('memory')).toBe('memory/limit')
  })

  function feed(triggers: RollbackTrigger[], readings: Reading[]) {
    const judge = new TriggerJudge(compileTriggers(triggers), ['cpu/limit'], 0)
    for (const [i, canary] of readings.entries()) {
      const f = judge.observe({
        at: i * 1000,
        traffic: 'unknown',
        metrics: { 'cpu/limit': { canary } }
      })
      if (f) return { at: i, firing: f }
    }
    return { at: undefined, firing: undefined }
  }

  it('fires above the share with the container and its use in the message and labels', () => {
    const r = feed(
      [{ resource: 'cpu', above: '80%' }],
      [share(0.5), share(0.79), share(0.9, 'api-canary-2')]
    )
    expect(r.at).toBe(2)
    expect(r.firing?.message).toBe(
      'canary cpu above 80 % of limits: api-canary-2/app 0.9 of 1 core (90 %)'
    )
    expect(r.firing?.labels).toEqual({ pod: 'api-canary-2', container: 'app' })
    expect(r.firing?.trigger.index).toBe(0)
  })

  it('fires only when sustained: 2 of the last 3 samples', () => {
    const r = feed(
      [{ resource: 'cpu', above: '80%', samples: 2, of: 3 }],
      [share(0.9), share(0.5), share(0.5), share(0.85), share(0.6), share(0.95)]
    )
    expect(r.at).toBe(5)
    expect(r.firing?.message).toBe(
      'canary cpu above 80 % of limits: api-canary-1/app 0.95 of 1 core (95 %) in 2 of the last 3 samples'
    )
  })

  it("treats no cAdvisor series as no data: the dead-man's switch fires, never a pass", () => {
    const none: Reading = { kind: 'empty', reason: 'no container_cpu_usage_seconds_total series' }
    const r = feed(
      [{ resource: 'cpu', above: '80%' }, { noDataFor: '3s' }],
      [none, none, none, none, none]
    )
    expect(r.at).toBe(3)
    expect(r.firing?.kind).toBe('no-data')
    expect(r.firing?.message).toMatch(
      /^no data for cpu\/limit since .* \(3\.00s, limit 3\.00s\): no data \(no container_cpu_usage_seconds_total series\)$/
    )
  })
})
