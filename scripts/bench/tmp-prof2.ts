import { sorted, mannWhitneyU, hodgesLehmann, kthDifference } from '../../src/rollout/judge/mann-whitney.js'
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}
const rnd = prng(20)
const n = 10000
const sample = (scale: number): number[] => Array.from({ length: n }, () => scale * 0.1 * Math.exp(0.2 * (rnd() + rnd() + rnd() - 1.5)))
const c = sorted(sample(1.02)), s = sorted(sample(1))
const u = mannWhitneyU(c, s)
;(globalThis as any).trace = true
const h = hodgesLehmann(c, s, 1.645, u.sd)
console.log(h, (globalThis as any).passes)
