// The bench's judge probe: times judging one stage as the rollout gate does
// after a sample (queries aside): a mann-whitney comparison over 10,000
// samples per track and a proportion comparison over the counters, on seeded
// data. Prints the median of `rounds` timings (after warm-ups) as JSON.
// CPU time is printed beside wall time: on a shared, loaded machine the
// wall time mostly measures waiting for a core. Bundled by the judge
// section; not part of the product.
import { judgeMannWhitney, judgeProportion, parseWorseBy } from '../../src/rollout/judge/index.js'

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

const n = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 21)
const rnd = prng(20)
// p99 latencies around 100 ms, continuous as histogram_quantile interpolates them (no ties: the harder case).
const sample = (scale: number): number[] =>
  Array.from({ length: n }, () => scale * 0.1 * Math.exp(0.2 * (rnd() + rnd() + rnd() - 1.5)))
const canary = sample(1.02)
const stable = sample(1)
const worseBy = parseWorseBy('mann-whitney', '20%')

function judgeStage(): string {
  const rank = judgeMannWhitney({
    canary,
    stable,
    worseBy,
    confidence: 0.95,
    minSamples: 8,
    looks: 61
  })
  const prop = judgeProportion({
    canary: { failures: 120, total: 10_000 },
    stable: { failures: 1900, total: 190_000 },
    worseBy: 0.01,
    confidence: 0.95,
    looks: 61
  })
  return `${rank.verdict}/${prop.verdict}`
}

for (let i = 0; i < 3; i++) judgeStage()
const times: number[] = []
const cpu: number[] = []
let verdicts = ''
for (let i = 0; i < rounds; i++) {
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  verdicts = judgeStage()
  times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  const c1 = process.cpuUsage(c0)
  cpu.push((c1.user + c1.system) / 1000)
}
times.sort((a, b) => a - b)
cpu.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    samplesPerTrack: n,
    rounds,
    medianMs: times[rounds >> 1],
    cpuMedianMs: cpu[rounds >> 1],
    maxMs: times[rounds - 1],
    verdicts
  })
)
