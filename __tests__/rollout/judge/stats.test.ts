// The canary judge's statistics against reference values computed
// independently with scipy and statsmodels (reference-values.ts says how),
// and the verdict rules: fail, pass, inconclusive with the evidence needed.
import { describe, expect, it } from '@jest/globals'
import {
  judgeMannWhitney,
  judgeProportion,
  lookConfidence,
  minimumRequests,
  parseWorseBy
} from '../../../src/rollout/judge/index.js'
import {
  hodgesLehmann,
  kthDifference,
  mannWhitneyU,
  radixSort,
  sorted,
  sortedFinite
} from '../../../src/rollout/judge/mann-whitney.js'
import { normalQuantile } from '../../../src/rollout/judge/normal.js'
import {
  newcombeInterval,
  proportionSampleSize,
  wilsonInterval
} from '../../../src/rollout/judge/proportion.js'
import * as ref from './reference-values.js'

const close = (actual: number, expected: number, rel = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1e-12, Math.abs(expected)))
}

describe('Wilson and Newcombe intervals (statsmodels)', () => {
  it.each(ref.wilson.map(w => [`${w.failures}/${w.total} at ${w.confidence}`, w] as const))(
    'Wilson %s',
    (_, w) => {
      const [lo, hi] = wilsonInterval(w, normalQuantile(w.confidence))
      if (w.lower === 0) expect(lo).toBe(0)
      else close(lo, w.lower)
      close(hi, w.upper)
    }
  )
  it.each(
    ref.newcombe.map(
      n => [`${n.canary.join('/')} vs ${n.stable.join('/')} at ${n.confidence}`, n] as const
    )
  )('Newcombe hybrid score %s', (_, n) => {
    const [lo, hi] = newcombeInterval(
      { failures: n.canary[0], total: n.canary[1] },
      { failures: n.stable[0], total: n.stable[1] },
      normalQuantile(n.confidence)
    )
    close(lo, n.lower)
    close(hi, n.upper)
  })
})

describe('Mann-Whitney U and the Hodges-Lehmann shift (scipy, brute force)', () => {
  it.each(ref.mannWhitney.map(m => [`${m.name} at ${m.confidence}`, m] as const))('%s', (_, m) => {
    const c = sorted(m.canary)
    const s = sorted(m.stable)
    const u = mannWhitneyU(c, s)
    close(u.u, m.U)
    if (m.name === 'equal') expect(u.pValue).toBe(1)
    else close(u.pValue, m.p, 1e-7)
    const shift = hodgesLehmann(c, s, normalQuantile(m.confidence), u.sd)
    close(shift.estimate, m.hl, 1e-12)
    expect(shift.k).toBe(Math.max(0, m.k))
    if (m.lower !== null && m.upper !== null) {
      close(shift.lower, m.lower, 1e-12)
      close(shift.upper, m.upper, 1e-12)
    }
  })

  it('selects every order statistic of the differences like a brute-force sort', () => {
    let seed = 7
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const c = sorted(Array.from({ length: 23 }, () => Math.round(rnd() * 40) / 10))
    const s = sorted(Array.from({ length: 17 }, () => Math.round(rnd() * 40) / 10))
    const all: number[] = []
    for (const y of c) for (const x of s) all.push(y - x)
    all.sort((a, b) => a - b)
    for (let k = 1; k <= all.length; k++) expect(kthDifference(c, s, k)).toBe(all[k - 1])
  })

  it('selects from 360,000 differences (the counting and interpolation path) like a brute-force sort', () => {
    let seed = 11
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const c = sorted(Array.from({ length: 600 }, () => Math.exp(rnd() + rnd())))
    // Half the stable samples rounded: ties inside the differences too.
    const s = sorted(
      Array.from({ length: 600 }, (_, i) =>
        i % 2 ? Math.round(Math.exp(rnd() + rnd()) * 10) / 10 : Math.exp(rnd() + rnd())
      )
    )
    const all = new Float64Array(c.length * s.length)
    let n = 0
    for (const y of c) for (const x of s) all[n++] = y - x
    all.sort()
    for (const k of [
      1, 2, 17, 1000, 90_000, 179_999, 180_000, 180_001, 270_000, 359_000, 359_999, 360_000
    ])
      expect(kthDifference(c, s, k)).toBe(all[k - 1])
  })
})

describe('sorting the samples', () => {
  it('the radix sort orders like the built-in sort: negatives, zeros, ties, tiny and huge values', () => {
    let seed = 5
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const values = Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0
        ? 0
        : i % 11 === 0
          ? -0
          : i % 13 === 0
            ? Math.round(rnd() * 10) / 10
            : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)
    )
    values.push(
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      NaN,
      Infinity
    )
    const want = Float64Array.from(
      values.filter(Number.isFinite).map(v => (v === 0 ? 0 : v))
    ).sort()
    expect(Array.from(sortedFinite(values))).toEqual(Array.from(want))
    expect(Array.from(radixSort(Float64Array.from([3, -1, 2, -5, 0])))).toEqual([-5, -1, 0, 2, 3])
  })
})

describe('sample sizes (statsmodels normal_sample_size_one_tail)', () => {
  it.each(ref.sampleSize.map(r => [`${r.p1} vs ${r.p2}, ratio ${r.ratio}`, r] as const))(
    '%s',
    (_, r) => {
      expect(proportionSampleSize(r.p1, r.p2, r.delta, r.confidence, 0.8, r.ratio)).toBe(
        Math.ceil(r.n - 1e-9)
      )
    }
  )
  it('the fewest requests that can pass: zero failures just below worseBy', () => {
    const n = minimumRequests(0.01, 0.95)
    const z = normalQuantile(0.95)
    expect(wilsonInterval({ failures: 0, total: n }, z)[1]).toBeLessThan(0.01)
    expect(wilsonInterval({ failures: 0, total: n - 1 }, z)[1]).toBeGreaterThanOrEqual(0.01)
  })
})

describe('proportion verdicts', () => {
  const judge = (c: [number, number], s: [number, number], looks = 1) =>
    judgeProportion({
      canary: { failures: c[0], total: c[1] },
      stable: { failures: s[0], total: s[1] },
      worseBy: 0.01,
      confidence: 0.95,
      looks
    })
  it('equal ratios at low traffic: inconclusive, with the requests still needed', () => {
    const r = judge([2, 200], [38, 3800])
    expect(r.verdict).toBe('inconclusive')
    expect(r.stillNeeded?.canary).toBeGreaterThan(0)
    expect(r.needed?.canary).toBeGreaterThan(200)
    // ten times the traffic passes
    const t = judge([2 * 10, 200 * 10], [38 * 10, 3800 * 10])
    expect(t.verdict).toBe('pass')
    expect(t.interval[1]).toBeLessThan(0.01)
  })
  it('as many requests as the power calculation asked for mostly pass at equal ratios', () => {
    const r = judge([2, 200], [38, 3800])
    const n = r.needed!.canary
    const t = judge(
      [Math.round(n * 0.01), n],
      [Math.round(r.needed!.stable * 0.01), r.needed!.stable]
    )
    expect(t.verdict).toBe('pass')
  })
  it('zero failures: a real interval, not a point', () => {
    const r = judge([0, 100], [0, 1900])
    expect(r.interval[1]).toBeGreaterThan(0.01)
    expect(r.verdict).toBe('inconclusive')
    expect(judge([0, 1000], [0, 19000]).verdict).toBe('pass')
  })
  it('10 % against 1 % fails, also at the adjusted confidence of many looks', () => {
    const r = judge([20, 200], [38, 3800], 40)
    expect(r.verdict).toBe('fail')
    expect(r.failConfidence).toBeCloseTo(lookConfidence(0.95, 40), 12)
  })
  it('worse with confidence but by less than worseBy is not a fail', () => {
    const r = judge([700, 100_000], [200, 100_000])
    expect(r.estimate).toBeLessThan(0.01)
    expect(r.interval[0]).toBeGreaterThan(0)
    expect(r.verdict).not.toBe('fail')
  })
  it('no canary traffic: inconclusive', () => {
    expect(judge([0, 0], [3, 300]).verdict).toBe('inconclusive')
  })
})

describe('mann-whitney verdicts', () => {
  const base = [0.1, 0.11, 0.09, 0.1, 0.12, 0.1, 0.095, 0.105, 0.1, 0.11]
  const judge = (c: number[], s: number[], minSamples = 8) =>
    judgeMannWhitney({
      canary: c,
      stable: s,
      worseBy: parseWorseBy('mann-whitney', '20%'),
      confidence: 0.95,
      minSamples
    })
  it('3x latency fails', () => {
    const r = judge(
      base.map(v => v * 3),
      base
    )
    expect(r.verdict).toBe('fail')
    expect(r.estimate).toBeGreaterThan(0.1)
  })
  it('equal latency passes once minSamples is reached, not before', () => {
    expect(judge(base.slice(0, 7), base.slice(0, 7)).verdict).toBe('inconclusive')
    expect(judge(base.slice(0, 7), base.slice(0, 7)).stillNeeded).toBe(1)
    expect(judge(base.slice(0, 8), base.slice(0, 8)).verdict).toBe('pass')
  })
  it('identical values on both tracks (ties everywhere) pass', () => {
    expect(judge(Array(8).fill(0.25), Array(8).fill(0.25)).verdict).toBe('pass')
  })
})

describe('worseBy', () => {
  it.each([
    ['proportion', '1%', { kind: 'absolute', value: 0.01 }],
    ['proportion', 0.02, { kind: 'absolute', value: 0.02 }],
    ['mann-whitney', '20%', { kind: 'relative', fraction: 0.2 }],
    ['mann-whitney', '200ms', { kind: 'absolute', value: 0.2 }],
    ['mann-whitney', '1.5s', { kind: 'absolute', value: 1.5 }],
    ['mann-whitney', 3, { kind: 'absolute', value: 3 }]
  ] as const)('%s %s', (test, raw, want) => {
    const got = parseWorseBy(test, raw)
    expect(got.kind).toBe(want.kind)
    if (got.kind === 'absolute' && want.kind === 'absolute') close(got.value, want.value)
    if (got.kind === 'relative' && want.kind === 'relative') close(got.fraction, want.fraction)
  })
  it.each([
    ['proportion', '200ms'],
    ['proportion', '0%'],
    ['proportion', '2'],
    ['mann-whitney', '20 parsecs'],
    ['mann-whitney', '-1s'],
    ['mann-whitney', 'fast']
  ] as const)('rejects %s %s', (test, raw) => {
    expect(() => parseWorseBy(test, raw)).toThrow(/worseBy/)
  })
})
