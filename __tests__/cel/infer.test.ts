// Static types and the overload errors they give, as the apiserver's checker
// gives them (each case was checked against the local kube-apiserver (v1.37) by creating a
// ValidatingAdmissionPolicy dry-run; the itg parity test keeps a sample of
// them checked on every run).
import { describe, expect, it } from '@jest/globals'
import { parse } from '@bufbuild/cel'
import { CelError } from '../../src/cel/cel-error.js'
import { compileExpression } from '../../src/cel/env.js'
import { celEnv } from '@bufbuild/cel'
import { staticTypeOf, typeName } from '../../src/cel/infer.js'

const strict = (source: string) => compileExpression(source, ['object'], { mixedArithmetic: false })

function compileError(source: string, mixed = false): string | undefined {
  try {
    compileExpression(source, ['object'], { mixedArithmetic: mixed })
    return undefined
  } catch (err) {
    if (err instanceof CelError) return err.message
    throw err
  }
}

describe('arithmetic and equality between known types, with mixed arithmetic off', () => {
  it.each<[string, string]>([
    ['size(object.spec.template.spec.containers) * 0.5 > 1.0', "'_*_' applied to '(int, double)'"],
    ['(object.spec.replicas + 1) * 0.5 > 1.0', "'_*_' applied to '(int, double)'"],
    ["int('3') + 1.5 > 0.0", "'_+_' applied to '(int, double)'"],
    ["size('ab') == 2.0", "'_==_' applied to '(int, double)'"],
    ['[1, 2].sum() * 0.5 > 0.0', "'_*_' applied to '(int, double)'"],
    [
      'object.spec.template.spec.containers.map(c, 1).sum() + 0.5 > 0.0',
      "'_+_' applied to '(int, double)'"
    ],
    ['[1,2].map(x, x * 0.5).size() > 0', "'_*_' applied to '(int, double)'"],
    [
      'object.spec.template.spec.containers.all(c, size(c.name) * 1.5 > 0.0)',
      "'_*_' applied to '(int, double)'"
    ],
    ["quantity('1').asApproximateFloat() + 1 > 0.0", "'_+_' applied to '(double, int)'"],
    ["duration('1s') + 1 > duration('1s')", "'_+_' applied to '(duration, int)'"],
    ["size('a') + 1u > 0u", "'_+_' applied to '(int, uint)'"],
    ['(1 + 2) * 0.5 > 0.0', "'_*_' applied to '(int, double)'"],
    ["size('ab') != 'x'", "'_!=_' applied to '(int, string)'"],
    ['size(object.spec) == null || true', "'_==_' applied to '(int, null)'"],
    ["'a' == null", "'_==_' applied to '(string, null)'"],
    ["{'a': 1} != null", "'_!=_' applied to '(map(string, int), null)'"],
    ["[1] == ['a'] || true", "'_==_' applied to '(list(int), list(string))'"],
    ['[1] == [1.0] || true', "'_==_' applied to '(list(int), list(double))'"],
    ['1 == 1u || true', "'_==_' applied to '(int, uint)'"]
  ])('%s does not compile', (source, message) => {
    expect(compileError(source)).toContain(`found no matching overload for ${message}`)
  })

  it.each([
    'double(object.spec.replicas) * 0.5 > 1.0',
    'object.spec.replicas * 0.5 > 1.0',
    "size('a') < 1.5",
    'object.spec.replicas + 1 == 4',
    "object.spec.template.spec.containers.map(c, c.name).join(',') == 'a'",
    'object.spec.template.spec.containers.filter(c, has(c.resources)).size() * 2 > 1',
    '[1, 2].filter(x, x > 1).sum() + 1 == 3',
    "{'a': 1}['a'] + 1 == 2",
    "duration('1s') + duration('2s') > duration('1s')",
    '[1] + [2] == [1, 2]',
    'dyn(1) + 1.0 > 0.0',
    'object.?spec.?replicas.orValue(1) * 0.5 > 0.0',
    "duration('1s') == null",
    "quantity('1') == null",
    'null == null',
    'object.spec == null',
    '[] == [1]'
  ])('%s compiles', source => {
    expect(() => strict(source)).not.toThrow()
  })

  it('puts the error at the operator', () => {
    let err: unknown
    try {
      strict('size(object.spec.template.spec.containers) * 0.5 > 1.0')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CelError)
    expect((err as CelError).offset).toBe(43)
  })
})

describe('with mixed arithmetic on (success criteria)', () => {
  it('computes int and double together, but still refuses other mixes', () => {
    expect(compileError('size(object.spec) * 0.5 > 1.0', true)).toBeUndefined()
    expect(compileError("size('a') + 'b' == 'x'", true)).toContain(
      "found no matching overload for '_+_' applied to '(int, string)'"
    )
  })
})

describe('staticTypeOf', () => {
  const env = celEnv()
  it.each<[string, string]>([
    ['[1, 2]', 'list(int)'],
    ['[]', 'list(dyn)'],
    ["{'a': [1]}", 'map(string, list(int))'],
    ['[1, 2].map(x, x * 2)', 'list(int)'],
    ['[1, 2].filter(x, x > 1)', 'list(int)'],
    ['[1, 2].all(x, x > 1)', 'bool'],
    ['[1, 2].exists_one(x, x > 1)', 'bool'],
    ['object.spec', 'dyn'],
    ["true ? 1 : 'a'", 'dyn'],
    ['true ? 1 : 2', 'int']
  ])('%s is %s', (source, type) => {
    expect(typeName(staticTypeOf(parse(source), env, ['object']))).toBe(type)
  })
})
