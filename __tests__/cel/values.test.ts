// JSON-like values into CEL input: converted once per bound object, and a
// value that cannot be converted still named by its path.
import { describe, expect, it } from '@jest/globals'
import { compileExpression, evaluate, evaluateValue } from '../../src/cel/env.js'
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

describe('evaluateValue', () => {
  it('keeps a result as CEL sees it, to bind again without a round trip', () => {
    const vars = ['object', 'variables'] as const
    const spec = compileExpression('object.spec', vars)
    const object = { spec: { replicas: 2, ratio: 0.5, names: ['a', 'b'] } }
    const value = evaluateValue(spec, { object })
    // Bound again as it is: not converted a second time.
    expect(toCelInput(value)).toBe(value)
    const use = compileExpression(
      'variables.spec.replicas + 1 == 3 && variables.spec.ratio * 2.0 == 1.0 && variables.spec.names.size() == 2',
      vars
    )
    expect(evaluate(use, { object, variables: { spec: value } })).toBe(true)
    // The same as binding the plain value evaluate() gives.
    expect(evaluate(use, { object, variables: { spec: evaluate(spec, { object }) } })).toBe(true)
  })
})
