import { describe, expect, it } from '@jest/globals'
import { combineVerdicts, exitCodeFor, isPassing, type Verdict } from '../../src/report/model.js'

describe('combineVerdicts', () => {
  const rows: [Verdict[], Verdict][] = [
    [[], 'pass'],
    [['pass'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['pass', 'skip'], 'pass'],
    [['skip', 'skip'], 'skip'],
    [['warn', 'inconclusive'], 'inconclusive'],
    [['inconclusive', 'error'], 'error'],
    [['error', 'fail'], 'fail'],
    [['fail', 'cancelled'], 'cancelled'],
    [['pass', 'error', 'warn'], 'error']
  ]
  it.each(rows)('%j → %s', (input, expected) => {
    expect(combineVerdicts(input)).toBe(expected)
  })
})

describe('exit codes', () => {
  const rows: [Verdict, 'SIGINT' | 'SIGTERM' | undefined, number][] = [
    ['pass', undefined, 0],
    ['warn', undefined, 0],
    ['skip', undefined, 0],
    ['fail', undefined, 1],
    ['inconclusive', undefined, 1],
    ['error', undefined, 3],
    ['cancelled', 'SIGINT', 130],
    ['cancelled', 'SIGTERM', 143],
    // Stopped without a signal (not approved): a gate did not let the run go on.
    ['cancelled', undefined, 1]
  ]
  it.each(rows)('%s (%s) → %d', (v, sig, code) => {
    expect(exitCodeFor(v, sig)).toBe(code)
    expect(isPassing(v)).toBe(code === 0)
  })
})
