// JSON-like values into CEL input: converted once per bound object, and a
// value that cannot be converted still named by its path.
import { describe, expect, it } from '@jest/globals'
import { celInputOnce, toCelInput } from '../../src/cel/values.js'

describe('toCelInput', () => {
  it('converts objects to maps, integers to bigints, and keeps the rest', () => {
    expect(toCelInput({ a: [1, 1.5, 'x', null, true], b: undefined })).toEqual(
      new Map<string, unknown>([['a', [1n, 1.5, 'x', null, true]]])
    )
  })

  it('names the path of what cannot be passed to CEL', () => {
    expect(() =>
      toCelInput({ spec: { items: [{ ok: 1 }, { f: () => 1, s: Symbol('x') }] } }, 'object')
    ).toThrow('object.spec.items[1].s: a symbol cannot be passed to CEL')
    expect(() => toCelInput({ m: new Map([[{}, 1]]) })).toThrow('$.m: map keys must be strings')
  })

  it('converts a bound object once, and leaves what it produced as it is', () => {
    const obj = { metadata: { name: 'web' }, spec: { replicas: 2 } }
    const first = celInputOnce(obj)
    expect(celInputOnce(obj)).toBe(first)
    expect(toCelInput(first)).toBe(first)
    expect(celInputOnce({ ...obj })).not.toBe(first)
  })
})
