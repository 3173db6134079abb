// Simulated stages, judged look by look as the rollout gate judges them
// (every interval from the stage's start to its longest hold, the fail
// decision at the look-adjusted confidence): an equal canary must end in
// fail at most 5 % of the time at confidence 0.95; a canary worse by twice
// worseBy, with enough traffic, at least 80 %. The rates are printed, and
// written to docs/figures/judge.json when PHASE_GATE_DOC_FIGURES=1.
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import {
  judgeMannWhitney,
  judgeProportion,
  parseWorseBy,
  stageDecision,
  stageLooks,
  type ComparisonResult
} from '../../../src/rollout/judge/index.js'

const STAGES = 2000
const CONFIDENCE = 0.95
// A stage as the gate runs it: hold 10 intervals, hold for evidence up to 3x (maxHold's default).
const HOLD = 10
const MAX_HOLD = 30
const LOOKS = stageLooks(MAX_HOLD, 1)

/** mulberry32: a small seeded PRNG, so every run draws the same stages. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Binomial(n, p) by inversion (np is small here). */
function binomial(rnd: () => number, n: number, p: number): number {
  const q = 1 - p
  let pmf = Math.pow(q, n)
  let cdf = pmf
  const u = rnd()
  let k = 0
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * (p / q)
    k++
    cdf += pmf
  }
  return k
}

/** Standard normal by Box-Muller. */
function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
}

/** Runs one stage; returns how it ended. */
function stage(judge: (look: number) => ComparisonResult): 'fail' | 'pass' | 'inconclusive' {
  for (let look = 0; look < LOOKS; look++) {
    const d = stageDecision([judge(look).verdict], {
      holdOver: look >= HOLD,
      lastLook: look === LOOKS - 1,
      holdForEvidence: true
    })
    if (d !== 'continue') return d
  }
  return 'inconclusive'
}

function rates(outcomes: string[]): { fail: number; pass: number; inconclusive: number } {
  const share = (v: string): number => outcomes.filter(o => o === v).length / outcomes.length
  return { fail: share('fail'), pass: share('pass'), inconclusive: share('inconclusive') }
}

/** Proportion stages: per interval `perInterval` canary requests and 19x as many on the stable track. */
function proportionStages(seed: number, pCanary: number, pStable: number, perInterval: number) {
  const rnd = prng(seed)
  const out: string[] = []
  for (let s = 0; s < STAGES; s++) {
    const canary = { failures: 0, total: 0 }
    const stable = { failures: 0, total: 0 }
    out.push(
      stage(look => {
        if (look > 0) {
          canary.total += perInterval
          canary.failures += binomial(rnd, perInterval, pCanary)
          stable.total += perInterval * 19
          stable.failures += binomial(rnd, perInterval * 19, pStable)
        }
        return judgeProportion({
          canary,
          stable,
          worseBy: 0.01,
          confidence: CONFIDENCE,
          looks: LOOKS
        })
      })
    )
  }
  return rates(out)
}

/** Mann-Whitney stages: one p99 sample per track per interval, log-normal around 100 ms. */
function rankStages(seed: number, factor: number) {
  const rnd = prng(seed)
  const worseBy = parseWorseBy('mann-whitney', '20%')
  const out: string[] = []
  for (let s = 0; s < STAGES; s++) {
    const canary: number[] = []
    const stable: number[] = []
    out.push(
      stage(() => {
        canary.push(0.1 * factor * Math.exp(0.15 * gauss(rnd)))
        stable.push(0.1 * Math.exp(0.15 * gauss(rnd)))
        return judgeMannWhitney({
          canary,
          stable,
          worseBy,
          confidence: CONFIDENCE,
          minSamples: 8,
          looks: LOOKS
        })
      })
    )
  }
  return rates(out)
}

const figures: Record<string, { value: number; unit: string; text: string }> = {}
function record(id: string, share: number): void {
  const value = Math.round(share * 1000) / 10
  figures[id] = { value, unit: '%', text: `${value.toFixed(1)} %` }
}

describe(`judge simulation: ${STAGES} stages each, ${LOOKS} looks, confidence ${CONFIDENCE}`, () => {
  it('proportion: equal canary fails at most 5 %; worse by 2x worseBy fails at least 80 %', () => {
    // 1 % failures on both tracks, worseBy 1 %, 400 canary and 7,600 stable requests per interval.
    const equal = proportionStages(1, 0.01, 0.01, 400)
    // The canary at 3 % (worse by 2 points, twice worseBy).
    const worse = proportionStages(2, 0.03, 0.01, 400)
    console.log(
      `proportion: equal canary → fail ${(equal.fail * 100).toFixed(1)} %, pass ${(equal.pass * 100).toFixed(1)} %, inconclusive ${(equal.inconclusive * 100).toFixed(1)} %; worse by 2x worseBy → fail ${(worse.fail * 100).toFixed(1)} %`
    )
    record('proportionFalseFail', equal.fail)
    record('proportionEqualPass', equal.pass)
    record('proportionDetection', worse.fail)
    expect(equal.fail).toBeLessThanOrEqual(0.05)
    expect(worse.fail).toBeGreaterThanOrEqual(0.8)
  })

  it('mann-whitney: equal canary fails at most 5 %; 1.4x (2x worseBy 20 %) fails at least 80 %', () => {
    const equal = rankStages(3, 1)
    const worse = rankStages(4, 1.4)
    console.log(
      `mann-whitney: equal canary → fail ${(equal.fail * 100).toFixed(1)} %, pass ${(equal.pass * 100).toFixed(1)} %, inconclusive ${(equal.inconclusive * 100).toFixed(1)} %; 1.4x → fail ${(worse.fail * 100).toFixed(1)} %`
    )
    record('mannWhitneyFalseFail', equal.fail)
    record('mannWhitneyEqualPass', equal.pass)
    record('mannWhitneyDetection', worse.fail)
    expect(equal.fail).toBeLessThanOrEqual(0.05)
    expect(worse.fail).toBeGreaterThanOrEqual(0.8)
  })

  it('writes docs/figures/judge.json when asked', () => {
    if (process.env.PHASE_GATE_DOC_FIGURES !== '1') return
    const command =
      'PHASE_GATE_DOC_FIGURES=1 node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects unit __tests__/rollout/judge/simulation.test.ts'
    const at = new Date().toISOString()
    mkdirSync('docs/figures', { recursive: true })
    const path = 'docs/figures/judge.json'
    let existing: Record<string, unknown>
    try {
      existing = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    } catch {
      existing = {}
    }
    for (const [id, f] of Object.entries(figures)) existing[id] = { ...f, command, measuredAt: at }
    writeFileSync(path, `${JSON.stringify(existing, null, 2)}\n`)
    expect(Object.keys(figures)).toHaveLength(6)
  })
})
