/**
 * CEL's optional types (cel.OptionalTypes, on in Kubernetes since 1.28): `optional.of/none/ofNonZeroValue`,
 * `hasValue()`, `value()`, `orValue(x)`, `or(opt)`, and optional field and index access.
 *
 * @bufbuild/cel's parser rejects `a.?b` and `a[?k]`, so preprocess.ts rewrites them into calls of
 * OPTIONAL_SELECT / OPTIONAL_INDEX before parsing, and ast.ts makes every later `.c` or `[k]` in
 * the same chain optional too (as cel-go does: once a chain is optional, a missing step is none).
 * Optional list and map entries (`[?x]`, `{?k: v}`) and the optMap/optFlatMap macros are not supported.
 */
import {
  CelScalar,
  celFunc,
  celMethod,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  type CelFunc,
  type CelValue
} from '@bufbuild/cel'
import { isReflectMessage, type ReflectMessage } from '@bufbuild/protobuf/reflect'
import {
  OBJECT_TYPES,
  objectKind,
  type OptionalPayload,
  unwrapObject,
  wrapObject
} from './object-types.js'
import { celTypeName } from './values.js'

/** The method that `x.?f` becomes: `x.__opt_select__('f')`. */
export const OPTIONAL_SELECT = '__opt_select__'
/** The method that `x[?k]` becomes: `x.__opt_index__(k)`. */
export const OPTIONAL_INDEX = '__opt_index__'
/** Calls that produce an optional, so a field selection on their result stays optional. */
export const OPTIONAL_PRODUCERS = new Set([
  OPTIONAL_SELECT,
  OPTIONAL_INDEX,
  'optional.of',
  'optional.ofNonZeroValue',
  'optional.none'
])

/** A stable text for a CEL value, so that two equal optionals have equal keys. */
function valueKey(v: CelValue): string {
  switch (typeof v) {
    case 'bigint':
    case 'number':
      return `n:${Number(v)}`
    case 'string':
      return `s:${JSON.stringify(v)}`
    case 'boolean':
      return `b:${v}`
  }
  if (v === null) return 'null'
  if (v instanceof Uint8Array) return `y:${[...v].join(',')}`
  if (isCelUint(v)) return `n:${Number(v.value)}`
  if (isCelList(v)) return `[${[...v].map(valueKey).join(',')}]`
  if (isCelMap(v)) {
    const entries = [...v].map(([k, x]) => `${valueKey(k as CelValue)}=${valueKey(x)}`).sort()
    return `{${entries.join(',')}}`
  }
  if (isCelType(v)) return `t:${v.name}`
  if (isReflectMessage(v)) {
    const key = (v.message as unknown as { key?: string }).key
    return `m:${v.desc.typeName}:${key ?? JSON.stringify(v.message, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`
  }
  return '?'
}

const NONE = wrapObject('optional', '', {} satisfies OptionalPayload, 'optional.none()')

/** An optional holding `value`. */
export function someValue(value: CelValue) {
  return wrapObject(
    'optional',
    () => `some:${valueKey(value)}`,
    { value } satisfies OptionalPayload,
    'optional'
  )
}

function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === 0 || v === 0n || v === '') return true
  if (v instanceof Uint8Array) return v.length === 0
  if (isCelUint(v)) return v.value === 0n
  if (isCelList(v) || isCelMap(v)) return v.size === 0
  return false
}

const OPT = OBJECT_TYPES.optional
const { DYN, BOOL, STRING } = CelScalar
const payload = (v: CelValue) => unwrapObject<OptionalPayload>('optional', v)

function selectIfPresent(target: CelValue, key: CelValue): ReflectMessage {
  if (objectKind(target) === 'optional') {
    const inner = payload(target).value
    return inner === undefined ? NONE : selectIfPresent(inner, key)
  }
  if (isCelMap(target)) {
    const value = target.get(key as never)
    return value === undefined ? NONE : someValue(value)
  }
  if (isCelList(target)) {
    const index = typeof key === 'bigint' ? Number(key) : isCelUint(key) ? Number(key.value) : key
    if (typeof index !== 'number' || !Number.isInteger(index))
      throw new Error(`invalid list index ${String(index)}`)
    const value = index >= 0 ? target.get(index) : undefined
    return value === undefined ? NONE : someValue(value)
  }
  throw new Error(`optional access is not supported on ${celTypeName(target)}`)
}

/** The optional library functions and the two rewritten access methods. */
export const optionalLibrary: CelFunc[] = [
  celFunc('optional.of', [DYN], OPT, v => someValue(v)),
  celFunc('optional.ofNonZeroValue', [DYN], OPT, v => (isZero(v) ? NONE : someValue(v))),
  celFunc('optional.none', [], OPT, () => NONE),
  celMethod('hasValue', OPT, [], BOOL, function () {
    return payload(this).value !== undefined
  }),
  celMethod('value', OPT, [], DYN, function () {
    const value = payload(this).value
    if (value === undefined) throw new Error('optional.none() dereference')
    return value
  }),
  celMethod('orValue', OPT, [DYN], DYN, function (fallback) {
    const value = payload(this).value
    return value === undefined ? fallback : value
  }),
  celMethod('or', OPT, [OPT], OPT, function (other) {
    return payload(this).value === undefined ? other : this
  }),
  celMethod(OPTIONAL_SELECT, DYN, [STRING], OPT, function (field) {
    return selectIfPresent(this, field)
  }),
  celMethod(OPTIONAL_INDEX, DYN, [DYN], OPT, function (key) {
    return selectIfPresent(this, key)
  })
]
