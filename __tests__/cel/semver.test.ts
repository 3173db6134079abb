import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'
import { compareSemver, parseSemver } from '../../src/cel/semver.js'

const cel = (source: string) => evaluateCel(source, {})

describe('semver() and isSemver(), with the cases of Kubernetes library/semverlib.go', () => {
  it.each<[string, unknown]>([
    ["isSemver('1.0.0')", true],
    ["isSemver('0.1.0-alpha.1')", true],
    ["isSemver('1.0.0+build.5')", true],
    ["isSemver('hello')", false],
    ["isSemver('v1.0')", false],
    ["isSemver('v1.0', true)", true],
    ["isSemver('1.0', true)", true],
    ["isSemver('01.01.01', true)", true],
    ["isSemver('01.01.01')", false],
    ["isSemver('1.0-rc1', true)", false],
    ["isSemver('1.2.3-')", false],
    ["isSemver('1.2.3-01')", false],
    ["isSemver('1.2.3-a..b')", false],
    ["semver('v1.0.0', true) == semver('1.0.0')", true],
    ["semver('01.01.01', true) == semver('1.1.1')", true],
    ["semver('1.2.3').major()", 1],
    ["semver('1.2.3').minor()", 2],
    ["semver('1.2.3').patch()", 3],
    ["semver('1.2.3').compareTo(semver('1.2.3'))", 0],
    ["semver('1.2.3').compareTo(semver('2.0.0'))", -1],
    ["semver('1.2.3').compareTo(semver('0.1.2'))", 1],
    ["semver('1.10.0').isGreaterThan(semver('1.9.9'))", true],
    ["semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))", true],
    ["semver('1.0.0+a') == semver('1.0.0+b')", true],
    ["semver('1.0.0-alpha')", '1.0.0-alpha'],
    ["semver('1.0.0+build.5')", '1.0.0+build.5']
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it.each<[string, string]>([
    ["semver('Three')", 'No Major.Minor.Patch elements found'],
    ["semver('1.02.3')", 'Minor number must not contain leading zeroes "02"'],
    ["semver('1.2.x')", 'Invalid character(s) found in patch number "x"'],
    ["semver('1.2', true).major() == 1 && semver('1.2')", 'No Major.Minor.Patch elements found']
  ])('%s fails: %s', (source, message) => {
    expect(() => cel(source)).toThrow(message)
  })

  it('orders pre-releases the SemVer 2.0.0 way', () => {
    const order = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0'
    ]
    for (let i = 0; i + 1 < order.length; i++) {
      expect(compareSemver(parseSemver(order[i]), parseSemver(order[i + 1]))).toBe(-1)
      expect(compareSemver(parseSemver(order[i + 1]), parseSemver(order[i]))).toBe(1)
    }
  })
})
