/**
 * Values in and out of CEL.
 *
 * In: JSON the Kubernetes way. Kubernetes types every field from its OpenAPI schema, so
 * `spec.replicas` is an `int` and `object.spec.replicas + 1` works. We have no schema, so every
 * integer-valued number becomes an `int` (bigint) and every other number stays a `double`; the
 * arithmetic overloads in numbers.ts make the mixed cases work.
 *
 * Out: plain JS values (bigint becomes number when it is safe), so callers never see CEL types.
 */
import {
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  type CelInput,
  type CelValue
} from '@bufbuild/cel'
import { isReflectMessage, type ReflectMessage } from '@bufbuild/protobuf/reflect'
import { objectDisplay, objectKind, type OptionalPayload, unwrapObject } from './object-types.js'

const INT64_LIMIT = 2 ** 63

/** A JSON number as CEL sees it: integer-valued within int64 is `int`, anything else `double`. */
export function celNumber(n: number): bigint | number {
  return Number.isInteger(n) && Math.abs(n) < INT64_LIMIT ? BigInt(n) : n
}

/** Converts a JSON-like JS value (what a Kubernetes client or JSON.parse returns) into CEL input. */
export function toCelInput(value: unknown, path = '$'): CelInput {
  const out = convert(value, [path])
  if (typeof out === 'object' && out !== null) produced.add(out)
  return out
}

/** A CEL result to bind again as it is (a variable's value), without a round trip through plain JS. */
export function asCelInput(value: CelValue): CelInput {
  if (typeof value === 'object' && value !== null) produced.add(value)
  return value as CelInput
}

// Values this module produced (the roots of conversions, and CEL results bound
// again): converting one again returns it as it is. Only roots are recorded:
// a weak set entry per node cost more than the conversion, mostly in the
// garbage collector.
const produced = new WeakSet<object>()
// Conversions by source object, for values the caller does not change (see celInputOnce).
const once = new WeakMap<object, CelInput>()

/**
 * toCelInput, converted once per object: for a value bound to many
 * evaluations (the object the hygiene rules judge, 18 rules × every
 * manifest), which must not change while it is bound.
 */
export function celInputOnce(value: unknown): CelInput {
  if (typeof value !== 'object' || value === null) return toCelInput(value)
  let c = once.get(value)
  if (c === undefined) {
    c = toCelInput(value)
    once.set(value, c)
  }
  return c
}

// The path is a stack of segments, formatted only when a value cannot be converted
// (formatting it for every node cost more than the conversion).
function at(path: (string | number)[]): string {
  return path
    .map((p, i) =>
      i === 0 ? String(p) : typeof p === 'number' ? `[${p}]` : p.startsWith('[') ? p : `.${p}`
    )
    .join('')
}

function convert(value: unknown, path: (string | number)[]): CelInput {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value
    case 'number':
      return celNumber(value)
    case 'undefined':
      return null
    case 'object':
      break
    default:
      throw new TypeError(`${at(path)}: a ${typeof value} cannot be passed to CEL`)
  }
  if (value === null) return null
  if (value instanceof Uint8Array) return value
  if (produced.has(value)) return value as CelInput
  let out: CelInput
  if (Array.isArray(value)) {
    const list: CelInput[] = new Array<CelInput>(value.length)
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      list[i] = convert(value[i], path)
      path.pop()
    }
    out = list
  } else if (value instanceof Map) {
    const map = new Map<string | bigint | boolean, CelInput>()
    for (const [k, v] of value) {
      const key = typeof k === 'number' ? celNumber(k) : k
      if (typeof key !== 'string' && typeof key !== 'bigint' && typeof key !== 'boolean') {
        throw new TypeError(`${at(path)}: map keys must be strings, integers or booleans`)
      }
      if (v === undefined) continue
      path.push(`[${String(k)}]`)
      map.set(key, convert(v, path))
      path.pop()
    }
    out = map
  } else {
    // Like JSON.stringify: Dates and client-library model classes go through toJSON.
    const withToJson = value as { toJSON?: () => unknown }
    if (typeof withToJson.toJSON === 'function') return convert(withToJson.toJSON(), path)
    const map = new Map<string, CelInput>()
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue
      const v = (value as Record<string, unknown>)[k]
      if (v === undefined || typeof v === 'function') continue
      path.push(k)
      map.set(k, convert(v, path))
      path.pop()
    }
    out = map
  }
  return out
}

function fromMessage(value: ReflectMessage): unknown {
  const kind = objectKind(value)
  if (kind === 'optional') {
    const opt = unwrapObject<OptionalPayload>('optional', value)
    return opt.value === undefined ? undefined : fromCelValue(opt.value)
  }
  if (kind) return objectDisplay(value)
  const fields = value.message as unknown as { seconds?: bigint; nanos?: number }
  const seconds = Number(fields.seconds ?? 0n)
  const nanos = fields.nanos ?? 0
  switch (value.desc.typeName) {
    case 'google.protobuf.Timestamp':
      return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString()
    case 'google.protobuf.Duration':
      return `${Number((seconds + nanos / 1e9).toPrecision(15))}s`
    default:
      return `<${value.desc.typeName}>`
  }
}

/** Converts a CEL result into a plain JS value: int/uint become number when safe, lists arrays, maps objects. */
export function fromCelValue(value: CelValue): unknown {
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value
    case 'number':
    case 'string':
    case 'boolean':
      return value
  }
  if (value === null || value instanceof Uint8Array) return value
  if (isCelUint(value)) return fromCelValue(value.value)
  if (isCelList(value)) return [...value].map(fromCelValue)
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of value) out[String(isCelUint(k) ? k.value : k)] = fromCelValue(v)
    return out
  }
  if (isCelType(value)) return value.name
  if (isReflectMessage(value)) return fromMessage(value)
  return String(value)
}

/** The CEL type name of a value, for messages such as "expected a bool, got int". */
export function celTypeName(value: CelValue): string {
  switch (typeof value) {
    case 'bigint':
      return 'int'
    case 'number':
      return 'double'
    case 'string':
      return 'string'
    case 'boolean':
      return 'bool'
  }
  if (value === null) return 'null'
  if (value instanceof Uint8Array) return 'bytes'
  if (isCelUint(value)) return 'uint'
  if (isCelList(value)) return 'list'
  if (isCelMap(value)) return 'map'
  if (isCelType(value)) return 'type'
  if (isReflectMessage(value)) return value.desc.typeName
  return 'unknown'
}
