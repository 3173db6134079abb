import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { CelError } from '../../src/cel/cel-error.js'
import { evaluateCel } from '../../src/cel/criteria.js'
import { compareQuantities, formatQuantity, parseQuantity } from '../../src/cel/quantity.js'

const cel = (source: string, bindings: Record<string, unknown> = {}) =>
  evaluateCel(source, bindings)

describe('quantity() in CEL, with the cases of Kubernetes library/quantity_test.go', () => {
  it.each<[string, unknown]>([
    ["quantity('500m').isLessThan(quantity('1'))", true],
    ["quantity('1').isLessThan(quantity('500m'))", false],
    ["quantity('1Gi').compareTo(quantity('1024Mi')) == 0", true],
    ["quantity('1Gi') == quantity('1024Mi')", true],
    ["quantity('1') == quantity('1000m')", true],
    ["quantity('200M') == quantity('0.2G') && quantity('0.2G') == quantity('200M')", true],
    ["quantity('2M') == quantity('0.002G') && quantity('2000k') == quantity('2M')", true],
    ["quantity('200M') == quantity('0.3G')", false],
    ["quantity('200M') != quantity('0.3G')", true],
    ["quantity('50M').isLessThan(quantity('50Mi'))", true],
    ["quantity('50Mi').isGreaterThan(quantity('50M'))", true],
    ["quantity('150Mi').isGreaterThan(quantity('100Mi'))", true],
    ["quantity('50M').isGreaterThan(quantity('100M'))", false],
    ["quantity('200M').compareTo(quantity('0.2G'))", 0],
    ["quantity('50M').compareTo(quantity('50Mi'))", -1],
    ["quantity('50Mi').compareTo(quantity('50M'))", 1],
    ["quantity('50k').add(quantity('20')) == quantity('50.02k')", true],
    ["quantity('50k').add(20).isLessThan(quantity('50020'))", false],
    ["quantity('50k').sub(quantity('20')) == quantity('49.98k')", true],
    ["quantity('50k').sub(20) == quantity('49980')", true],
    ["quantity('50k').mul(2) == quantity('100000')", true],
    ["quantity('50k').add(20).sub(quantity('100k')).asInteger()", -49980],
    ["quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger()", 20],
    ["quantity('50k').asInteger()", 50000],
    ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
    ["quantity('50').isInteger()", true],
    // The int64 fast path keeps the scale: 1000m is one, but not an integer to Kubernetes.
    ["quantity('1000m').isInteger()", false],
    ["quantity('50.703k').asApproximateFloat()", 50703],
    ["quantity('1.5Gi').asApproximateFloat()", 1610612736],
    ["quantity('100m').asApproximateFloat()", 0.1],
    ["quantity('-1').sign()", -1],
    ["sign(quantity('0'))", 0],
    ["isQuantity('20')", true],
    ["isQuantity('20M')", true],
    ["isQuantity('20Mi')", true],
    ["isQuantity('1.3G')", true],
    ["isQuantity('10000k')", true],
    ["isQuantity('20Mo')", false],
    ["isQuantity('10Mm')", false],
    ["isQuantity('200K')", false],
    ["isQuantity('1,3G')", false],
    ["isQuantity('Three')", false],
    ["isQuantity('')", false],
    ["isQuantity('1e3')", true],
    ["isQuantity('1E3')", true],
    ["quantity('1e3') == quantity('1k')", true],
    ["type(quantity('1')) == type(quantity('2Gi'))", true],
    ["quantity('1') in [quantity('1000m')]", true]
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it.each<[string, string]>([
    ["quantity('10Mo')", 'quantities must match the regular expression'],
    ["quantity('10Mm')", "unable to parse quantity's suffix"],
    [
      "quantity('9999999999999999999999999999999999999G').asInteger()",
      'cannot convert value to integer'
    ],
    ["quantity('1').isLessThan(1)", "no matching overload for 'isLessThan'"]
  ])('%s fails: %s', (source, message) => {
    expect(() => cel(source)).toThrow(CelError)
    expect(() => cel(source)).toThrow(message)
  })

  it('compares resource limits of a container against a bound', () => {
    const container = { resources: { limits: { cpu: '1500m', memory: '512Mi' } } }
    const rule =
      "quantity(c.resources.limits.cpu).isLessThan(quantity('2')) && quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) < 0"
    expect(cel(rule, { c: container })).toBe(true)
    expect(cel(rule, { c: { resources: { limits: { cpu: '2', memory: '512Mi' } } } })).toBe(false)
  })

  it('returns a quantity as the text it was written as, or a plain decimal after arithmetic', () => {
    expect(cel("quantity('1.5Gi')")).toBe('1.5Gi')
    expect(cel("quantity('50k').sub(20)")).toBe('49980')
    expect(cel("quantity('1').sub(quantity('250m'))")).toBe('0.75')
  })
})

describe('parseQuantity follows resource.ParseQuantity', () => {
  it.each<[string, bigint, number, boolean]>([
    ['0', 0n, 0, true],
    ['100m', 100n, -3, true],
    ['1.5', 15n, -1, true],
    ['+2k', 2n, 3, true],
    ['-1Mi', -1048576n, 0, true],
    ['1.5Gi', 1610612736n, 0, false],
    ['0.5n', 1n, -9, false],
    ['1e-12', 1n, -9, false],
    ['-1e-12', -1n, -9, false],
    ['.5', 5n, -1, true],
    ['007', 7n, 0, true]
  ])('%s is %s × 10^%i (fast path: %s)', (text, unscaled, exp, fast) => {
    const q = parseQuantity(text)
    expect(compareQuantities(q, { unscaled, exp, fast })).toBe(0)
    expect(q.fast).toBe(fast)
  })

  it('caps binary quantities at 2^63-1, like Kubernetes', () => {
    expect(formatQuantity(parseQuantity('100000000000Ei'))).toBe('9223372036854775807')
  })

  it('orders quantities the same way as their approximate values (property)', () => {
    const quantity = fc
      .tuple(
        fc.integer({ min: -99999, max: 99999 }),
        fc.constantFrom('', 'm', 'k', 'M', 'Ki', 'Mi', 'Gi', 'n', 'u')
      )
      .map(([n, suffix]) => `${n}${suffix}`)
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        const exact = compareQuantities(parseQuantity(a), parseQuantity(b))
        const approx = Math.sign(
          (cel(`quantity('${a}').asApproximateFloat()`) as number) -
            (cel(`quantity('${b}').asApproximateFloat()`) as number)
        )
        expect(exact).toBe(approx)
        expect(cel(`quantity('${a}').compareTo(quantity('${b}'))`)).toBe(exact)
      }),
      { numRuns: 200 }
    )
  })
})
