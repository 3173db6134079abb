import { describe, expect, it } from '@jest/globals'
import {
  arrayOf,
  finite,
  isRecord,
  nonEmpty,
  num,
  rec,
  recordItems,
  recordOf,
  records,
  scalarText,
  str
} from '../../src/core/fields.js'

describe('field accessors', () => {
  it.each([
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['x', false],
    [undefined, false]
  ])('isRecord(%j) is %s; rec and recordOf agree', (v, yes) => {
    expect(isRecord(v)).toBe(yes)
    expect(rec(v)).toEqual(yes ? v : {})
    expect(recordOf(v)).toEqual(yes ? v : undefined)
  })

  it('records leaves non-mappings out; recordItems keeps their positions', () => {
    const list = [{ a: 1 }, 'x', null, { b: 2 }]
    expect(records(list)).toEqual([{ a: 1 }, { b: 2 }])
    expect(recordItems(list)).toEqual([{ a: 1 }, {}, {}, { b: 2 }])
    expect(records('x')).toEqual([])
    expect(recordItems({ a: 1 })).toEqual([])
    expect(arrayOf(list)).toBe(list)
    expect(arrayOf({})).toEqual([])
  })

  it.each([
    ['abc', 'abc', 'abc', 'abc'],
    ['', '', undefined, undefined],
    [8080, undefined, undefined, '8080'],
    [undefined, undefined, undefined, undefined],
    [true, undefined, undefined, undefined]
  ])('%j: str %j, nonEmpty %j, scalarText %j', (v, s, ne, st) => {
    expect(str(v)).toBe(s)
    expect(nonEmpty(v)).toBe(ne)
    expect(scalarText(v)).toBe(st)
  })

  it.each([
    [1.5, 1.5, 1.5],
    [Number.NaN, Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, undefined],
    ['1', undefined, undefined]
  ])('%j: num %j, finite %j', (v, n, f) => {
    expect(num(v)).toBe(n)
    expect(finite(v)).toBe(f)
  })
})
