/**
 * Kubernetes resource quantities (`500m`, `1.5`, `1Gi`, `512Mi`, `1e3`) as
 * exact integers of nano-units, so sums of many requests compare with quota
 * figures without floating-point drift. The apiserver rounds up to the same
 * precision, so a sub-nano remainder is rounded up here too.
 */

import { parseQuantity as parseExact } from '../cel/quantity.js'

/** A quantity in nano-units (1 = 10^-9 of the unit: 1 cpu = 10^9, 1 byte = 10^9). */
export type Quantity = bigint

const NANO = 1_000_000_000n

/** The quantity in nano-units, or undefined when the text is not a Kubernetes quantity. */
export function parseQuantity(text: string | number | undefined | null): Quantity | undefined {
  if (text === undefined || text === null) return undefined
  const s = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim()
  if (s === '') return undefined
  let q: ReturnType<typeof parseExact>
  try {
    // The CEL library's parser is a port of resource.ParseQuantity; one grammar for the whole project.
    q = parseExact(s)
  } catch {
    return undefined
  }
  // No resource quantity is larger than exa-units; a huge exponent would only build a huge number.
  if (q.exp > 30) return undefined
  const shift = q.exp + 9
  if (shift >= 0) return q.unscaled * 10n ** BigInt(shift)
  // Finer than nano: round away from zero, as the apiserver does.
  const div = 10n ** BigInt(-shift)
  const mag = q.unscaled < 0n ? -q.unscaled : q.unscaled
  const up = (mag + div - 1n) / div
  return q.unscaled < 0n ? -up : up
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
