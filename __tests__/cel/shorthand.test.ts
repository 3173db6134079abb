import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { evaluateCel } from '../../src/cel/criteria.js'
import {
  doubleLiteral,
  expectationToCel,
  triggerToCel,
  type TriggerThreshold
} from '../../src/cel/shorthand.js'

describe('expectationToCel', () => {
  it.each<[string, string]>([
    ['< 0.5', 'value < 0.5'],
    ['<0.5', 'value < 0.5'],
    ['<= 1', 'value <= 1.0'],
    ['> 0', 'value > 0.0'],
    ['>= 3', 'value >= 3.0'],
    ['== 200', 'value == 200.0'],
    ['!= 0', 'value != 0.0'],
    ['> -1', 'value > -1.0'],
    ['< 1e-3', 'value < 0.001'],
    ['< 2x baseline', 'value < 2.0 * baseline'],
    ['<= 1.5x baseline', 'value <= 1.5 * baseline'],
    ['<= 1.5 x baseline', 'value <= 1.5 * baseline'],
    ['< 2 * baseline', 'value < 2.0 * baseline'],
    ['<= baseline', 'value <= baseline'],
    ['< 500ms', 'value < 0.5'],
    ['< 5s', 'value < 5.0'],
    ['< 2m', 'value < 120.0'],
    ['< 1h30m', 'value < 5400.0'],
    ['< 2%', 'value < 0.02'],
    ['< 1.1%', 'value < 0.011'],
    ["== 'ok'", "value == 'ok'"],
    ['  >= 3  ', 'value >= 3.0'],
    // A full CEL expression passes through unchanged, spacing and all.
    ['value < 0.5', 'value < 0.5'],
    [' value > 2.0 * baseline || baseline == 0.0', ' value > 2.0 * baseline || baseline == 0.0'],
    ['has(value.x)', 'has(value.x)']
  ])('%j → %s', (shorthand, cel) => {
    expect(expectationToCel(shorthand)).toBe(cel)
  })

  it.each<[string, string]>([
    ['', 'invalid expectation "": it is empty'],
    [
      '< fast',
      'invalid expectation "< fast": "fast" is not a threshold; write a comparison with a number'
    ],
    ['< 2x', '"2x" is not a threshold'],
    ['< 5 sec', '"5 sec" is not a threshold'],
    ['= 5', "'=' is not a comparison"],
    ['=> 5', "'=>' is not a comparison"],
    ['0.5', 'a bare value is not an expectation, add a comparison ("== 0.5", "< 0.5")'],
    ['2x baseline', 'a bare value is not an expectation']
  ])('%j fails: %s', (shorthand, message) => {
    expect(() => expectationToCel(shorthand)).toThrow(message)
  })

  it('produces CEL that judges like the shorthand says', () => {
    const judge = (expect: string, value: number, baseline = 1) =>
      evaluateCel(expectationToCel(expect), { value, baseline })
    expect(judge('< 0.5', 0)).toBe(true)
    expect(judge('< 0.5', 0.5)).toBe(false)
    expect(judge('== 200', 200)).toBe(true)
    expect(judge('< 2x baseline', 1.5, 1)).toBe(true)
    expect(judge('< 2x baseline', 3, 1)).toBe(false)
    expect(judge('< 500ms', 0.4)).toBe(true)
  })
})

describe('triggerToCel', () => {
  it.each<[TriggerThreshold, string]>([
    [{ above: '5s' }, 'value > 5.0'],
    [{ above: '500ms' }, 'value > 0.5'],
    [{ above: '2%' }, 'value > 0.02'],
    [{ above: '2x baseline' }, 'value > 2.0 * baseline'],
    [{ above: '1.5x baseline' }, 'value > 1.5 * baseline'],
    [{ above: 5 }, 'value > 5.0'],
    [{ above: 0.5 }, 'value > 0.5'],
    [{ above: '5' }, 'value > 5.0'],
    [{ below: 1 }, 'value < 1.0'],
    [{ below: '10%' }, 'value < 0.1'],
    [
      { above: '2x baseline', below: '0.5x baseline' },
      'value > 2.0 * baseline || value < 0.5 * baseline'
    ],
    [{ cel: 'value > 2.0 * baseline && value > 0.01' }, 'value > 2.0 * baseline && value > 0.01']
  ])('%j → %s', (trigger, cel) => {
    expect(triggerToCel(trigger)).toBe(cel)
  })

  it.each<[TriggerThreshold, string]>([
    [{}, 'invalid trigger: give above, below or cel'],
    [
      { above: 'fast' },
      'invalid trigger above: "fast" is not a threshold; write a number (5, 0.5), a duration in seconds'
    ],
    [{ below: '2x' }, 'invalid trigger below: "2x" is not a threshold'],
    [{ above: 5, cel: 'value > 5.0' }, 'give either cel or above/below, not both'],
    [{ cel: '  ' }, 'cel is empty'],
    [{ above: Number.NaN }, 'NaN cannot be written as a CEL number']
  ])('%j fails: %s', (trigger, message) => {
    expect(() => triggerToCel(trigger)).toThrow(message)
  })

  it('fires exactly when the value crosses the threshold, even with integer-valued metrics', () => {
    const fires = (trigger: TriggerThreshold, value: number, baseline: number) =>
      evaluateCel(triggerToCel(trigger), { value, baseline })
    expect(fires({ above: '2x baseline' }, 0, 0)).toBe(false)
    expect(fires({ above: '2x baseline' }, 3, 1)).toBe(true)
    expect(fires({ above: '5s' }, 5, 0)).toBe(false)
    expect(fires({ above: '5s' }, 6, 0)).toBe(true)
  })
})

describe('doubleLiteral', () => {
  it.each<[number, string]>([
    [5, '5.0'],
    [0.02, '0.02'],
    [-3, '-3.0'],
    [0.1 + 0.2, '0.3'],
    [1e21, '1e+21'],
    [5e-7, '5e-7'],
    [-1.7976931348623151e308, '-1.7976931348623151e+308']
  ])('%d → %s', (n, text) => {
    expect(doubleLiteral(n)).toBe(text)
  })

  it('always gives a CEL double that equals the number (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), n => {
        const literal = doubleLiteral(n)
        expect(evaluateCel(`type(${literal}) == double`, {})).toBe(true)
        expect(evaluateCel(`${literal} == value`, { value: Number(literal) })).toBe(true)
        expect(Math.abs(Number(literal) - n)).toBeLessThanOrEqual(Math.abs(n) * 1e-14)
      }),
      { numRuns: 300 }
    )
  })
})
