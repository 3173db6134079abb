/**
 * Kubernetes resource quantities (`500m`, `1.5`, `1Gi`, `512Mi`, `1e3`) as
 * exact integers of nano-units, so sums of many requests compare with quota
 * figures without floating-point drift. The apiserver rounds up to the same
 * precision, so a sub-nano remainder is rounded up here too.
 */

/** A quantity in nano-units (1 = 10^-9 of the unit: 1 cpu = 10^9, 1 byte = 10^9). */
export type Quantity = bigint

const NANO = 1_000_000_000n

const DECIMAL_SUFFIX: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18
}
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }

// The grammar of k8s.io/apimachinery resource.ParseQuantity: a signed decimal
// number followed by a binary suffix, a decimal suffix or a decimal exponent.
const QUANTITY_RE =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/

/** The quantity in nano-units, or undefined when the text is not a Kubernetes quantity. */
export function parseQuantity(text: string | number | undefined | null): Quantity | undefined {
  if (text === undefined || text === null) return undefined
  const s = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim()
  const m = QUANTITY_RE.exec(s)
  if (!m) return undefined
  const [, sign, number, exponent, suffix = ''] = m
  const [whole, fraction = ''] = number.split('.')
  let numerator = BigInt(`${whole || '0'}${fraction}`)
  let denominator = 10n ** BigInt(fraction.length)
  let power10 = 9
  if (exponent) {
    const e = Number(exponent.slice(1))
    // Beyond this no quantity means anything, and 10n ** huge would hang.
    if (Math.abs(e) > 60) return undefined
    power10 += e
  } else if (suffix in BINARY_SUFFIX) {
    numerator *= 2n ** BigInt(BINARY_SUFFIX[suffix])
  } else {
    power10 += DECIMAL_SUFFIX[suffix]
  }
  if (power10 >= 0) numerator *= 10n ** BigInt(power10)
  else denominator *= 10n ** BigInt(-power10)
  const rounded = (numerator + denominator - 1n) / denominator
  return sign === '-' ? -rounded : rounded
}

/** True for resources measured in bytes (memory, storage), which read best with binary suffixes. */
export function isByteResource(resource: string): boolean {
  return /memory|storage/.test(resource)
}

/** A quantity as a person reads it: cores as `1.5`/`250m`, bytes as `1.5Gi`/`512Mi`, counts as integers. */
export function formatQuantity(q: Quantity, resource = ''): string {
  if (q < 0n) return `-${formatQuantity(-q, resource)}`
  if (isByteResource(resource)) return formatBytes(q)
  if (q % NANO === 0n) return String(q / NANO)
  if (q % 1_000_000n === 0n) {
    const milli = q / 1_000_000n
    // 1.5 reads better than 1500m once a whole core is involved.
    return milli >= 1000n ? decimal(q) : `${milli}m`
  }
  return decimal(q)
}

function formatBytes(q: Quantity): string {
  const bytes = (q + NANO - 1n) / NANO
  const units: [string, bigint][] = [
    ['Ei', 1n << 60n],
    ['Pi', 1n << 50n],
    ['Ti', 1n << 40n],
    ['Gi', 1n << 30n],
    ['Mi', 1n << 20n],
    ['Ki', 1n << 10n]
  ]
  for (const [suffix, size] of units) {
    if (bytes < size) continue
    if (bytes % size === 0n) return `${bytes / size}${suffix}`
    // Two decimals are plenty for a message; the exact figure is in `data`.
    const hundredths = (bytes * 100n) / size
    if (hundredths >= 100n)
      return `${trimZeros(`${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`)}${suffix}`
  }
  return String(bytes)
}

function decimal(q: Quantity): string {
  const whole = q / NANO
  const frac = String(q % NANO).padStart(9, '0')
  return trimZeros(`${whole}.${frac}`)
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** The quantity as a float of whole units, for `data` fields and JSON. */
export function quantityToNumber(q: Quantity): number {
  return Number(q) / 1e9
}
