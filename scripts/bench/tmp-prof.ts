import { sorted, mannWhitneyU, hodgesLehmann, kthDifference } from '../../src/rollout/judge/mann-whitney.js'
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}
const rnd = prng(20)
const n = 10000
const sample = (scale: number): number[] => Array.from({ length: n }, () => scale * (0.08 + 0.04 * rnd()))
const c0 = sample(1.02), s0 = sample(1)
const time = (name: string, f: () => unknown) => { for (let i=0;i<3;i++) f(); const ts: number[] = []; for (let i=0;i<15;i++){const t=process.hrtime.bigint(); f(); ts.push(Number(process.hrtime.bigint()-t)/1e6)}; ts.sort((a,b)=>a-b); console.log(name, ts[7].toFixed(3)) }
time('filter+sort', () => { sorted(c0.filter(Number.isFinite)); sorted(s0.filter(Number.isFinite)) })
const c = sorted(c0), s = sorted(s0)
time('U', () => mannWhitneyU(c, s))
const u = mannWhitneyU(c, s)
time('kth median', () => kthDifference(c, s, 50_000_000))
time('HL', () => hodgesLehmann(c, s, 1.645, u.sd))
