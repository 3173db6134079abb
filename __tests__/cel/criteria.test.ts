import { describe, expect, it } from '@jest/globals'
import { CelError } from '../../src/cel/cel-error.js'
import {
  compileCached,
  describeCelError,
  evaluateCel,
  evaluateCelCondition
} from '../../src/cel/criteria.js'

describe('evaluateCel', () => {
  it('declares the bindings as variables and caches the compiled program', () => {
    const first = compileCached('value < 0.5', ['value'])
    expect(compileCached('value < 0.5', ['value'])).toBe(first)
    expect(compileCached('value < 0.5', ['value', 'baseline'])).not.toBe(first)
    expect(compileCached('value < 0.5', ['value'], { mixedArithmetic: false })).not.toBe(first)
    expect(evaluateCel('value < 0.5', { value: 0.1 })).toBe(true)
    expect(evaluateCel('value < 0.5', { value: 1 })).toBe(false)
  })

  it('can declare more variables than are bound, and reports the unbound one', () => {
    expect(evaluateCel('value < 1.0', { value: 0 }, { vars: ['value', 'baseline'] })).toBe(true)
    expect(() =>
      evaluateCel('value < baseline', { value: 0 }, { vars: ['value', 'baseline'] })
    ).toThrow("no value for variable 'baseline'")
    expect(() => evaluateCel('value < baseline', { value: 0 })).toThrow(
      "undeclared reference to 'baseline'"
    )
  })

  it('honours mixedArithmetic: false', () => {
    expect(evaluateCel('value * 2.0', { value: 2 })).toBe(4)
    expect(() => evaluateCel('value * 2.0', { value: 2 }, { mixedArithmetic: false })).toThrow(
      "no matching overload for '_*_' applied to '(int, double)'"
    )
  })
})

describe('evaluateCelCondition', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['object.status.readyInstances >= 1', { object: { status: { readyInstances: 2 } } }, true],
    ['object.status.phase == "Running"', { object: { status: { phase: 'Pending' } } }, false]
  ])('%s is %s', (source, bindings, expected) => {
    expect(evaluateCelCondition(source, bindings)).toBe(expected)
  })

  it('refuses a result that is not true or false', () => {
    expect(() =>
      evaluateCelCondition('object.spec.replicas', { object: { spec: { replicas: 3 } } })
    ).toThrow('the expression must give true or false, but it gave 3')
  })
})

describe('describeCelError', () => {
  const describeFailure = (source: string, bindings: Record<string, unknown> = { value: 1 }) => {
    try {
      evaluateCel(source, bindings)
    } catch (err) {
      return describeCelError(err)
    }
    throw new Error('expected a failure')
  }

  it('shows the line and a caret under the column', () => {
    expect(describeFailure('value >')).toBe(
      "CEL syntax error at line 1, column 7: missing operand after '>'\n  value >\n        ^"
    )
    expect(describeFailure('value > 1 &&\n  nope(value)')).toBe(
      "CEL error at line 2, column 3: unknown function 'nope'\n    nope(value)\n    ^"
    )
    expect(describeFailure('value + "s"')).toBe(
      "CEL evaluation error at line 1, column 7: found no matching overload for '_+_' applied to '(int, string)'\n  value + \"s\"\n        ^"
    )
  })

  it('keeps tabs so the caret lines up', () => {
    expect(describeFailure('\tvalue >')).toBe(
      "CEL syntax error at line 1, column 8: missing operand after '>'\n  \tvalue >\n  \t      ^"
    )
  })

  it('describes errors without a position and other errors', () => {
    expect(describeCelError(new CelError('boom', 'evaluation', 'a\nb'))).toBe(
      'CEL evaluation error: boom\n  a\n  b'
    )
    expect(describeCelError(new Error('plain'))).toBe('plain')
    expect(describeCelError('text')).toBe('text')
  })
})
