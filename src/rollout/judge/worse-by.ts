/**
 * `worseBy` of a judge comparison: for `proportion` an absolute difference
 * of failure ratios (`1%` or `0.01`); for `mann-whitney` relative to the
 * stable track's median (`20%`) or absolute in the metric's unit, with a
 * time unit read as seconds (`200ms`, `0.2s`, or a bare number).
 */

/** A parsed `worseBy`. */
export type WorseBy = { kind: 'absolute'; value: number } | { kind: 'relative'; fraction: number }

const TIME_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600
}

/** Parses `worseBy` for a test; throws an Error saying what is accepted. */
export function parseWorseBy(test: 'proportion' | 'mann-whitney', raw: unknown): WorseBy {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|[a-zµ]+)?$/i.exec(text)
  const number = m ? Number(m[1]) : Number.NaN
  const unit = m?.[2]?.toLowerCase()
  if (test === 'proportion') {
    if (m && unit === '%' && number > 0 && number < 100)
      return { kind: 'absolute', value: number / 100 }
    if (m && unit === undefined && number > 0 && number < 1)
      return { kind: 'absolute', value: number }
    throw new Error(
      `worseBy ${JSON.stringify(raw)} is not a difference of failure ratios: write a percentage such as 1% (or a fraction such as 0.01), above 0 and below 100%`
    )
  }
  if (m && unit === '%' && number > 0) return { kind: 'relative', fraction: number / 100 }
  if (m && unit === undefined && number > 0) return { kind: 'absolute', value: number }
  if (m && unit !== undefined && TIME_UNITS[unit] !== undefined && number > 0)
    return { kind: 'absolute', value: number * TIME_UNITS[unit] }
  throw new Error(
    `worseBy ${JSON.stringify(raw)} is not a shift: write a percentage of the stable median (20%), a time (200ms, 0.5s; the metric in seconds) or a number in the metric's unit, above 0`
  )
}

/** `worseBy` as reports show it. */
export function describeWorseBy(w: WorseBy): string {
  return w.kind === 'relative'
    ? `${+(w.fraction * 100).toPrecision(6)}% of the stable median`
    : `${+w.value.toPrecision(6)}`
}
