/**
 * Kubernetes' quantity library for CEL: `quantity('500m')`, `isQuantity(s)` and the Quantity methods.
 *
 * Parsing follows k8s.io/apimachinery resource.ParseQuantity exactly, including its two internal
 * representations: a value that fits the int64 fast path keeps its scale (so `quantity('1000m')`
 * is not `isInteger()`, as in Kubernetes), anything else is an exact decimal rounded up to nano.
 */
import { CelScalar, celFunc, celMethod, type CelFunc } from '@bufbuild/cel'
import { OBJECT_TYPES, unwrapObject, wrapObject } from './object-types.js'

/** A parsed quantity: exactly `unscaled × 10^exp`. */
export interface QuantityValue {
  readonly unscaled: bigint
  readonly exp: number
  /** Held in Go's int64Amount form (only then does asInteger() succeed). */
  readonly fast: boolean
}

const INT64_MAX = 2n ** 63n - 1n
const INT64_MIN = -(2n ** 63n)
const NANO = -9
const fitsInt64 = (v: bigint) => v >= INT64_MIN && v <= INT64_MAX
const pow10 = (n: number) => 10n ** BigInt(n)

const DECIMAL_SUFFIXES: Record<string, number> = {
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
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

interface Scanned {
  positive: boolean
  value: string
  num: string
  denom: string
  suffix: string
}

/** Go's parseQuantityString: sign, numerator without leading zeros, denominator, suffix. */
function scan(str: string): Scanned {
  let pos = 0
  const end = str.length
  let positive = true
  if (str[0] === '-') {
    positive = false
    pos++
  } else if (str[0] === '+') pos++
  while (pos < end && str[pos] === '0') pos++
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' }
  let i = pos
  while (i < end && isDigit(str[i])) i++
  const num = str.slice(pos, i) || '0'
  pos = i
  let denom = ''
  if (pos < end && str[pos] === '.') {
    pos++
    i = pos
    while (i < end && isDigit(str[i])) i++
    denom = str.slice(pos, i)
    pos = i
  }
  const value = str.slice(0, pos)
  const suffixStart = pos
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++
  while (pos < end && isDigit(str[pos])) pos++
  if (pos < end) throw new Error(FORMAT_WRONG)
  return { positive, value, num, denom, suffix: str.slice(suffixStart) }
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; binary: boolean } {
  if (suffix in DECIMAL_SUFFIXES)
    return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], binary: false }
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], binary: true }
  if (
    suffix.length > 1 &&
    (suffix[0] === 'e' || suffix[0] === 'E') &&
    /^[+-]?\d+$/.test(suffix.slice(1))
  ) {
    return { base: 10, exponent: Number(suffix.slice(1)), binary: false }
  }
  throw new Error("unable to parse quantity's suffix")
}

/** Rounds a non-zero magnitude up (away from zero) to nano precision, as ParseQuantity does. */
function roundUpToNano(unscaled: bigint, exp: number): { unscaled: bigint; exp: number } {
  if (unscaled === 0n || exp >= NANO) return { unscaled, exp }
  const divisor = pow10(NANO - exp)
  const negative = unscaled < 0n
  const magnitude = negative ? -unscaled : unscaled
  let q = magnitude / divisor
  if (q * divisor !== magnitude) q += 1n
  return { unscaled: negative ? -q : q, exp: NANO }
}

/** Parses a quantity string the way resource.ParseQuantity does; throws its error messages. */
export function parseQuantity(str: string): QuantityValue {
  if (str.length === 0) throw new Error(FORMAT_WRONG)
  if (str === '0') return { unscaled: 0n, exp: 0, fast: true }
  const { positive, value, num, denom, suffix } = scan(str)
  const { base, exponent, binary } = interpretSuffix(suffix)

  // The int64 fast path, with Go's own precision estimate deciding when it is taken.
  let precision: number
  let scale: number
  let mantissa = 1n
  if (!binary) {
    scale = exponent
    precision = 18 - (num.length + denom.length)
  } else {
    scale = 0
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent)
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1
    } else precision = -1
  }
  if (precision >= 0) {
    scale -= denom.length
    if (scale >= NANO) {
      const result = BigInt(num + denom) * mantissa
      if (fitsInt64(result))
        return { unscaled: positive ? result : -result, exp: scale, fast: true }
    }
  }

  // The exact decimal path.
  const match = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(value)
  if (!match || (match[1] === '' && (match[2] ?? '') === ''))
    throw new Error('unable to parse numeric part of quantity')
  let unscaled = BigInt((match[1] || '0') + (match[2] ?? ''))
  let exp = -(match[2] ?? '').length
  if (base === 10) exp += exponent
  else unscaled *= 1n << BigInt(exponent)
  ;({ unscaled, exp } = roundUpToNano(unscaled, exp))
  if (
    binary &&
    unscaled > 0n &&
    compareExact({ unscaled, exp }, { unscaled: INT64_MAX, exp: 0 }) > 0
  ) {
    unscaled = INT64_MAX
    exp = 0
  }
  return { unscaled: positive ? unscaled : -unscaled, exp, fast: false }
}

function align(
  a: { unscaled: bigint; exp: number },
  b: { unscaled: bigint; exp: number }
): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp)
  return [a.unscaled * pow10(a.exp - exp), b.unscaled * pow10(b.exp - exp), exp]
}

function compareExact(
  a: { unscaled: bigint; exp: number },
  b: { unscaled: bigint; exp: number }
): number {
  const [x, y] = align(a, b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Compares two quantities exactly: -1, 0 or 1. */
export function compareQuantities(a: QuantityValue, b: QuantityValue): number {
  return compareExact(a, b)
}

/** Go's int64Amount.Add when both sides are int64 amounts, else an exact decimal sum. */
export function addQuantities(a: QuantityValue, b: QuantityValue): QuantityValue {
  if (a.fast && b.fast) {
    if (b.unscaled === 0n) return a
    if (a.unscaled === 0n) return b
    const [x, y, exp] = align(a, b)
    if (fitsInt64(x) && fitsInt64(y) && fitsInt64(x + y))
      return { unscaled: x + y, exp, fast: true }
  }
  const [x, y, exp] = align(a, b)
  return { unscaled: x + y, exp, fast: false }
}

/** a - b, with the same representation rules as add. */
export function subtractQuantities(a: QuantityValue, b: QuantityValue): QuantityValue {
  return addQuantities(a, { ...b, unscaled: -b.unscaled })
}

/** Go's Quantity.AsInt64: only an int64 amount with a non-negative scale that fits converts. */
export function quantityAsInt64(q: QuantityValue): bigint | undefined {
  if (!q.fast || q.exp < 0) return undefined
  const v = q.unscaled * pow10(q.exp)
  return fitsInt64(v) ? v : undefined
}

/** A plain decimal rendering: `1500`, `0.5`, `-2.25`. */
export function formatQuantity(q: QuantityValue): string {
  if (q.exp >= 0) return (q.unscaled * pow10(q.exp)).toString()
  const negative = q.unscaled < 0n
  const digits = (negative ? -q.unscaled : q.unscaled).toString().padStart(-q.exp + 1, '0')
  const cut = digits.length + q.exp
  const text = `${digits.slice(0, cut)}.${digits.slice(cut)}`.replace(/\.?0+$/, '')
  return negative ? `-${text}` : text
}

/** The canonical equality key: the exact value with trailing zeros moved into the exponent. */
function quantityKey(q: QuantityValue): string {
  let { unscaled, exp } = q
  if (unscaled === 0n) return '0'
  while (unscaled % 10n === 0n) {
    unscaled /= 10n
    exp++
  }
  return `${unscaled}e${exp}`
}

/** A quantity as a CEL value. */
export function quantityValue(q: QuantityValue, display = formatQuantity(q)) {
  return wrapObject('quantity', quantityKey(q), q, display)
}

const Q = OBJECT_TYPES.quantity
const { STRING, BOOL, INT, DOUBLE } = CelScalar
const get = (v: Parameters<typeof unwrapObject>[1]) => unwrapObject<QuantityValue>('quantity', v)
const fromInt = (n: bigint): QuantityValue => ({ unscaled: n, exp: 0, fast: true })

function multiply(q: QuantityValue, by: bigint): QuantityValue {
  const product = q.unscaled * by
  return { unscaled: product, exp: q.exp, fast: q.fast && fitsInt64(product) }
}

/** The quantity functions, as Kubernetes declares them (library.Quantity). */
export const quantityLibrary: CelFunc[] = [
  celFunc('quantity', [STRING], Q, s => quantityValue(parseQuantity(s), s)),
  celFunc('isQuantity', [STRING], BOOL, s => {
    try {
      parseQuantity(s)
      return true
    } catch {
      return false
    }
  }),
  // Kubernetes declares sign as a global overload; the receiver form is what its docs show.
  celFunc('sign', [Q], INT, q => BigInt(compareQuantities(get(q), fromInt(0n)))),
  celMethod('sign', Q, [], INT, function () {
    return BigInt(compareQuantities(get(this), fromInt(0n)))
  }),
  celMethod('isGreaterThan', Q, [Q], BOOL, function (other) {
    return compareQuantities(get(this), get(other)) === 1
  }),
  celMethod('isLessThan', Q, [Q], BOOL, function (other) {
    return compareQuantities(get(this), get(other)) === -1
  }),
  celMethod('compareTo', Q, [Q], INT, function (other) {
    return BigInt(compareQuantities(get(this), get(other)))
  }),
  celMethod('asApproximateFloat', Q, [], DOUBLE, function () {
    const q = get(this)
    return Number(`${q.unscaled}e${q.exp}`)
  }),
  celMethod('isInteger', Q, [], BOOL, function () {
    return quantityAsInt64(get(this)) !== undefined
  }),
  celMethod('asInteger', Q, [], INT, function () {
    const v = quantityAsInt64(get(this))
    if (v === undefined) throw new Error('cannot convert value to integer')
    return v
  }),
  celMethod('add', Q, [Q], Q, function (other) {
    return quantityValue(addQuantities(get(this), get(other)))
  }),
  celMethod('add', Q, [INT], Q, function (n) {
    return quantityValue(addQuantities(get(this), fromInt(n)))
  }),
  celMethod('sub', Q, [Q], Q, function (other) {
    return quantityValue(subtractQuantities(get(this), get(other)))
  }),
  celMethod('sub', Q, [INT], Q, function (n) {
    return quantityValue(subtractQuantities(get(this), fromInt(n)))
  }),
  celMethod('mul', Q, [INT], Q, function (n) {
    return quantityValue(multiply(get(this), n))
  })
]
