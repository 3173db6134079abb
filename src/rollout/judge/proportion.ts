/**
 * The `proportion` comparison: the canary's failure ratio against the
 * stable's, from the counters' increase over the stage. The interval for
 * the difference (canary − stable) is Newcombe's hybrid score interval
 * (Newcombe 1998, method 10), built on a Wilson score interval per track:
 * it stays inside [−1, 1] and behaves with zero failures, where the Wald
 * interval collapses to a point. Each end of the interval is a one-sided
 * bound at the comparison's confidence (the interval is two-sided at
 * 2·confidence − 1).
 */

import { normalQuantile } from './normal.js'

/** Failures out of a total, on one track. */
export interface Counts {
  failures: number
  total: number
}

/** Wilson's score interval for failures/total at the normal quantile `z`. */
export function wilsonInterval(c: Counts, z: number): [number, number] {
  if (c.total <= 0) return [0, 1]
  const n = c.total
  const p = c.failures / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // Exact ends where rounding would leave a hair's breadth off 0 or 1.
  return [
    c.failures <= 0 ? 0 : Math.max(0, centre - half),
    c.failures >= n ? 1 : Math.min(1, centre + half)
  ]
}

/**
 * Newcombe's hybrid score interval for the difference of two ratios
 * (canary − stable), at the normal quantile `z` per end.
 */
export function newcombeInterval(canary: Counts, stable: Counts, z: number): [number, number] {
  const p1 = canary.total > 0 ? canary.failures / canary.total : 0
  const p2 = stable.total > 0 ? stable.failures / stable.total : 0
  const [l1, u1] = wilsonInterval(canary, z)
  const [l2, u2] = wilsonInterval(stable, z)
  const d = p1 - p2
  return [d - Math.hypot(p1 - l1, u2 - p2), d + Math.hypot(u1 - p1, p2 - l2)]
}

/**
 * Canary requests a one-sided test at `confidence` needs to tell a true
 * difference `delta` (≠ 0) apart with probability `power`, when the stable
 * track gets `ratio` requests per canary request: the normal approximation
 * n = ((z_conf + z_power)/delta)² · (p1(1−p1) + p2(1−p2)/ratio), with the
 * ratios `p1`, `p2` that the observations suggest.
 */
export function proportionSampleSize(
  p1: number,
  p2: number,
  delta: number,
  confidence: number,
  power: number,
  ratio: number
): number {
  const z = normalQuantile(confidence) + normalQuantile(power)
  const variance = p1 * (1 - p1) + (p2 * (1 - p2)) / ratio
  return Math.ceil(((z * z) / (delta * delta)) * variance)
}

/**
 * The fewest canary requests with which the comparison can pass at all:
 * with no failure on either track, the upper end of Newcombe's interval is
 * the canary's Wilson upper bound z²/(n + z²), below `worseBy` only once
 * n > z²(1 − worseBy)/worseBy. Fewer requests are inconclusive whatever
 * they show.
 */
export function minimumRequests(worseBy: number, confidence: number): number {
  const z = normalQuantile(confidence)
  return Math.floor((z * z * (1 - worseBy)) / worseBy) + 1
}
