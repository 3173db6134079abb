/**
 * Kubernetes' list library (library.Lists: isSorted, sum, min, max, indexOf, lastIndexOf) and
 * cel-go's sets extension (sets.contains, sets.equivalent, sets.intersects), both in the
 * Kubernetes base environment. Equality, ordering and addition are CEL's own `==`, `<` and `+`,
 * taken from a plain @bufbuild/cel environment, so cross-type numbers and overflow behave as in CEL.
 */
import {
  CelScalar,
  celEnv,
  celFunc,
  celMethod,
  isCelError,
  listType,
  type CelFunc,
  type CelValue
} from '@bufbuild/cel'

const standard = celEnv().funcs

function callStandard(name: string, a: CelValue, b: CelValue): CelValue {
  const result = standard.find(name)?.call(0, undefined, [a, b])
  if (result === undefined) throw new Error(`found no matching overload for '${name}'`)
  if (isCelError(result)) throw result
  return result
}

const equals = (a: CelValue, b: CelValue) => callStandard('_==_', a, b) === true
const less = (a: CelValue, b: CelValue) => callStandard('_<_', a, b) === true

function extreme(
  list: Iterable<CelValue>,
  name: string,
  better: (a: CelValue, b: CelValue) => boolean
): CelValue {
  let best: CelValue | undefined
  for (const v of list) if (best === undefined || better(v, best)) best = v
  if (best === undefined) throw new Error(`${name} called on empty list`)
  return best
}

function indexOf(list: Iterable<CelValue>, x: CelValue, last: boolean): bigint {
  let found = -1
  let i = 0
  for (const v of list) {
    if (equals(v, x)) {
      found = i
      if (!last) break
    }
    i++
  }
  return BigInt(found)
}

function containsAll(list: Iterable<CelValue>, sub: Iterable<CelValue>): boolean {
  const items = [...list]
  for (const x of sub) if (!items.some(v => equals(v, x))) return false
  return true
}

const LIST = listType(CelScalar.DYN)
const { DYN, BOOL, INT } = CelScalar

/** The list and sets functions. */
export const listsLibrary: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    let prev: CelValue | undefined
    for (const v of this) {
      if (prev !== undefined && less(v, prev)) return false
      prev = v
    }
    return true
  }),
  celMethod('sum', LIST, [], DYN, function () {
    let total: CelValue | undefined
    for (const v of this) total = total === undefined ? v : callStandard('_+_', total, v)
    return total ?? 0n
  }),
  celMethod('min', LIST, [], DYN, function () {
    return extreme(this, 'min', less)
  }),
  celMethod('max', LIST, [], DYN, function () {
    return extreme(this, 'max', (a, b) => less(b, a))
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return indexOf(this, x, false)
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    return indexOf(this, x, true)
  }),
  celFunc('sets.contains', [LIST, LIST], BOOL, (list, sub) => containsAll(list, sub)),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => containsAll(a, b) && containsAll(b, a)),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => {
    const items = [...a]
    for (const x of b) if (items.some(v => equals(v, x))) return true
    return false
  })
]
