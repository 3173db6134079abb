/**
 * The `mann-whitney` comparison: a metric sampled on both tracks every
 * interval. The test is the Mann–Whitney U test (one-sided: canary greater),
 * by its normal approximation with midranks for ties, the tie-corrected
 * variance and a continuity correction (what scipy's
 * `mannwhitneyu(..., method='asymptotic')` computes). The shift is the
 * Hodges–Lehmann estimate, the median of all canary − stable differences,
 * with the distribution-free interval of order statistics of those
 * differences (Hollander & Wolfe): lower end the k-th smallest, upper end the
 * k-th largest, k = ⌊mn/2 − z·σ_U⌋ with σ_U tie-corrected. Order statistics
 * of the m·n differences are selected without forming them (counting over
 * the sorted samples), so 10,000 samples per track take milliseconds.
 */

import { normalQuantile, normalSf } from './normal.js'

/** Sorted copy of the samples. */
export function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort()
}

/** Sorted copy of the finite samples (NaN and infinities left out). */
export function sortedFinite(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length)
  let n = 0
  for (const v of values) if (Number.isFinite(v)) out[n++] = v === 0 ? 0 : v
  const finite = n === out.length ? out : out.slice(0, n)
  return n >= RADIX_FROM ? radixSort(finite) : finite.sort()
}

/** From this many samples a radix sort beats the built-in sort. */
const RADIX_FROM = 512

/**
 * Sorts finite doubles (no NaN, no −0) by LSD radix over their bits, 16 bits
 * a pass: each double's bits turned into an unsigned key that orders like the
 * number (sign bit flipped for positives, every bit for negatives).
 */
export function radixSort(values: Float64Array): Float64Array {
  const n = values.length
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2)
  let lo = new Uint32Array(n)
  let hi = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]
    const l = words[2 * i]
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0
      lo[i] = ~l >>> 0
    } else {
      hi[i] = (h | 0x80000000) >>> 0
      lo[i] = l
    }
  }
  let lo2 = new Uint32Array(n)
  let hi2 = new Uint32Array(n)
  const count = new Uint32Array(65536)
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi
    const shift = pass % 2 ? 16 : 0
    count.fill(0)
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & 0xffff]++
    let sum = 0
    for (let b = 0; b < 65536; b++) {
      const c = count[b]
      count[b] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const at = count[(src[i] >>> shift) & 0xffff]++
      lo2[at] = lo[i]
      hi2[at] = hi[i]
    }
    ;[lo, lo2] = [lo2, lo]
    ;[hi, hi2] = [hi2, hi]
  }
  const out = new Float64Array(n)
  const ow = new Uint32Array(out.buffer)
  for (let i = 0; i < n; i++) {
    const h = hi[i]
    if (h & 0x80000000) {
      ow[2 * i + 1] = (h & 0x7fffffff) >>> 0
      ow[2 * i] = lo[i]
    } else {
      ow[2 * i + 1] = ~h >>> 0
      ow[2 * i] = ~lo[i] >>> 0
    }
  }
  return out
}

/** The median of sorted values (NaN when empty). */
export function medianOf(s: Float64Array): number {
  const n = s.length
  if (n === 0) return Number.NaN
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/** U statistic of the canary, tie-corrected σ of U, and the one-sided p-value (canary greater). */
export interface UTest {
  u: number
  mean: number
  sd: number
  z: number
  pValue: number
}

/** The Mann–Whitney U test of canary > stable over sorted samples. */
export function mannWhitneyU(canary: Float64Array, stable: Float64Array): UTest {
  const n1 = canary.length
  const n2 = stable.length
  const n = n1 + n2
  let rankSum = 0
  let tieTerm = 0
  let i = 0
  let j = 0
  let rank = 0
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && canary[i] <= stable[j]) ? canary[i] : stable[j]
    let c1 = 0
    let c2 = 0
    while (i < n1 && canary[i] === v) {
      i++
      c1++
    }
    while (j < n2 && stable[j] === v) {
      j++
      c2++
    }
    const t = c1 + c2
    const mid = rank + (t + 1) / 2
    rankSum += c1 * mid
    rank += t
    if (t > 1) tieTerm += t * t * t - t
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - (n > 1 ? tieTerm / (n * (n - 1)) : 0))
  const sd = Math.sqrt(Math.max(0, variance))
  if (!(sd > 0)) return { u, mean, sd: 0, z: 0, pValue: u > mean ? 0 : 1 }
  const z = (u - mean - 0.5) / sd
  return { u, mean, sd, z, pValue: Math.min(1, normalSf(z)) }
}

/** One pass over the differences at `t`: how many lie at or below it, the largest of those, the smallest above it. */
interface Pass {
  count: number
  maxLe: number
  minGt: number
}

function countAt(canary: Float64Array, stable: Float64Array, t: number): Pass {
  const m = stable.length
  let count = 0
  let maxLe = Number.NEGATIVE_INFINITY
  let minGt = Number.POSITIVE_INFINITY
  let p = 0
  for (let j = 0; j < canary.length; j++) {
    const y = canary[j]
    while (p < m && y - stable[p] > t) p++
    count += m - p
    if (p < m) {
      const d = y - stable[p]
      if (d > maxLe) maxLe = d
    }
    if (p > 0) {
      const d = y - stable[p - 1]
      if (d < minGt) minGt = d
    }
  }
  return { count, maxLe, minGt }
}

/** The differences of evenly spaced quantiles of both samples, sorted: a coarse picture of all m·n. */
export interface Grid {
  diffs: Float64Array
  /** Ranks (as fractions of m·n) a grid value is off by, at most, in practice. */
  slack: number
}

const GRID = 48

/** The grid of both samples' quantile differences (computed once per comparison). */
export function differenceGrid(canary: Float64Array, stable: Float64Array): Grid {
  const gc = Math.min(GRID, canary.length)
  const gs = Math.min(GRID, stable.length)
  const diffs = new Float64Array(gc * gs)
  let n = 0
  for (let a = 0; a < gc; a++) {
    const y = canary[Math.floor(((a + 0.5) * canary.length) / gc)]
    for (let b = 0; b < gs; b++)
      diffs[n++] = y - stable[Math.floor(((b + 0.5) * stable.length) / gs)]
  }
  diffs.sort()
  return { diffs, slack: 0.3 / Math.min(gc, gs) }
}

function gridGuesses(grid: Grid, q: number): number[] {
  const d = grid.diffs
  if (d.length === 0) return []
  const at = (x: number): number => d[Math.min(d.length - 1, Math.max(0, Math.floor(x * d.length)))]
  return [at(q - grid.slack), at(q + grid.slack)]
}

/** Brackets this small are listed and selected from directly. */
const LIST_AT_MOST = 1 << 16

/** The (r)-th smallest (1-based) of the differences in (lo, hi], listed. */
function listAndSelect(
  canary: Float64Array,
  stable: Float64Array,
  lo: number,
  hi: number,
  r: number,
  size: number
): number {
  const m = stable.length
  const out = new Float64Array(size)
  let n = 0
  let a = 0
  let b = 0
  for (let j = 0; j < canary.length; j++) {
    const y = canary[j]
    // Row j: stable ascending, so y − stable[i] descends; (lo, hi] is the index range [a, b).
    while (a < m && y - stable[a] > hi) a++
    while (b < m && y - stable[b] > lo) b++
    for (let i = a; i < b && n < size; i++) out[n++] = y - stable[i]
  }
  return select(out.subarray(0, n), r - 1)
}

/** The r-th smallest (0-based) of `a`, reordering it in place (Hoare's quickselect, median-of-three). */
function select(a: Float64Array, r: number): number {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    const mid = (left + right) >> 1
    const x = a[left]
    const y = a[mid]
    const z = a[right]
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y
    let i = left
    let j = right
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        const t = a[i]
        a[i] = a[j]
        a[j] = t
        i++
        j--
      }
    }
    if (r <= j) right = j
    else if (r >= i) left = i
    else return a[r]
  }
  return a[r]
}

/**
 * The k-th smallest (1-based) of all differences canary[j] − stable[i],
 * selected without forming them: each pass over the sorted samples counts
 * the differences at or below a value (and finds the nearest actual
 * differences on either side); the value is interpolated on those counts,
 * with a bisection whenever interpolation gains little, until the bracket
 * holds one distinct difference or few enough to list.
 */
export function kthDifference(
  canary: Float64Array,
  stable: Float64Array,
  k: number,
  grid: Grid = differenceGrid(canary, stable)
): number {
  const m = stable.length
  const n = canary.length
  if (m === 0 || n === 0) return Number.NaN
  const minDiff = canary[0] - stable[m - 1]
  const maxDiff = canary[n - 1] - stable[0]
  if (k <= 1) return minDiff
  if (k >= m * n) return maxDiff
  const first = countAt(canary, stable, minDiff)
  if (first.count >= k) return minDiff
  // Invariant: count(<= lo) = cLo < k <= cHi = count(<= hi); loNext = the smallest difference above lo.
  let lo = minDiff
  let cLo = first.count
  let loNext = first.minGt
  let hi = maxDiff
  let cHi = m * n
  // Two first guesses from the grid, a little below and above k.
  for (const t of gridGuesses(grid, k / (m * n))) {
    if (!(t > lo && t < hi)) continue
    const p = countAt(canary, stable, t)
    if (p.count >= k) {
      hi = p.maxLe
      cHi = p.count
    } else {
      lo = t
      cLo = p.count
      loNext = p.minGt
    }
  }
  // Regula falsi on count(t) − k, Illinois-style: an end kept twice has its weight halved.
  let wLo = cLo - k
  let wHi = cHi - k
  let kept: 'lo' | 'hi' | undefined
  for (;;) {
    if (loNext >= hi) return hi
    if (cHi - cLo <= LIST_AT_MOST) return listAndSelect(canary, stable, lo, hi, k - cLo, cHi - cLo)
    let t = (lo * wHi - hi * wLo) / (wHi - wLo)
    if (!(t > lo && t < hi)) t = lo + (hi - lo) / 2
    if (!(t > lo && t < hi)) t = loNext
    const p = countAt(canary, stable, t)
    if (p.count >= k) {
      hi = p.maxLe
      cHi = p.count
      wHi = cHi - k + 0.5
      wLo = kept === 'lo' ? wLo / 2 : cLo - k + 0.5
      kept = 'lo'
    } else {
      lo = t
      cLo = p.count
      loNext = p.minGt
      wLo = cLo - k + 0.5
      wHi = kept === 'hi' ? wHi / 2 : cHi - k + 0.5
      kept = 'hi'
    }
  }
}

/** The Hodges–Lehmann shift (median of the differences) with its interval at `z` per end. */
export interface Shift {
  estimate: number
  lower: number
  upper: number
  /** The order statistic the ends are (k-th smallest and k-th largest); 0 when too few samples for any bound. */
  k: number
}

/** The Hodges–Lehmann shift canary − stable and its order-statistic interval. */
export function hodgesLehmann(
  canary: Float64Array,
  stable: Float64Array,
  z: number,
  sdU: number
): Shift {
  const mn = canary.length * stable.length
  if (mn === 0) return { estimate: Number.NaN, lower: -Infinity, upper: Infinity, k: 0 }
  const half = mn >> 1
  const grid = differenceGrid(canary, stable)
  let estimate: number
  if (mn % 2) estimate = kthDifference(canary, stable, half + 1, grid)
  else {
    // The next order statistic is the same value, or the smallest difference above it.
    const v = kthDifference(canary, stable, half, grid)
    const p = countAt(canary, stable, v)
    estimate = (v + (p.count >= half + 1 ? v : p.minGt)) / 2
  }
  const k = Math.floor(mn / 2 - z * sdU)
  if (k < 1) return { estimate, lower: -Infinity, upper: Infinity, k: 0 }
  return {
    estimate,
    lower: kthDifference(canary, stable, k, grid),
    upper: kthDifference(canary, stable, mn + 1 - k, grid),
    k
  }
}

/**
 * P(X + delta > X') + ½·P(X + delta = X') for X, X' drawn from the sorted
 * samples: what Noether's sample size needs for a shift of `delta`.
 */
export function shiftedSuperiority(s: Float64Array, delta: number): number {
  const n = s.length
  if (n === 0) return 0.5
  let less = 0
  let lessEq = 0
  let a = 0
  let b = 0
  for (let i = 0; i < n; i++) {
    const v = s[i] + delta
    while (a < n && s[a] < v) a++
    while (b < n && s[b] <= v) b++
    less += a
    lessEq += b
  }
  return (less + lessEq) / 2 / (n * n)
}

/**
 * Samples per track for a one-sided rank test at `confidence` to show a
 * shift with superiority probability `p` with probability `power`
 * (Noether 1987, equal tracks): N = (z_conf + z_power)² / (3 (p − ½)²) in all.
 */
export function rankSampleSize(p: number, confidence: number, power: number): number {
  const z = normalQuantile(confidence) + normalQuantile(power)
  const d = p - 0.5
  if (d === 0) return Number.POSITIVE_INFINITY
  return Math.ceil((z * z) / (3 * d * d) / 2)
}

/** The fewest samples per track for which an interval end exists at `confidence` (no ties). */
export function minimumSamples(confidence: number): number {
  const z = normalQuantile(confidence)
  for (let n = 1; n < 10_000; n++) {
    const sd = Math.sqrt((n * n * (2 * n + 1)) / 12)
    if (Math.floor((n * n) / 2 - z * sd) >= 1) return n
  }
  return 10_000
}
