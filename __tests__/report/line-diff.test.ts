// The approver's diff engine: Myers' shortest edit script checked against an
// LCS oracle on random inputs (it rebuilds both sides and is minimal), and the
// unified hunks as `diff -u` prints them.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { diffLines, unifiedDiff } from '../../src/report/line-diff.js'

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1])
  return dp[a.length][b.length]
}

describe('diffLines', () => {
  it('rebuilds both sides and is a shortest edit script (random inputs, LCS oracle)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 })
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const s = diffLines(a, b)
        expect(s.filter(l => l.op !== '+').map(l => l.text)).toEqual(a)
        expect(s.filter(l => l.op !== '-').map(l => l.text)).toEqual(b)
        const edits = s.filter(l => l.op !== ' ').length
        expect(edits).toBe(a.length + b.length - 2 * lcsLength(a, b))
      }),
      { numRuns: 500 }
    )
  })

  it('handles empty sides', () => {
    expect(diffLines([], [])).toEqual([])
    expect(diffLines([], ['x'])).toEqual([{ op: '+', text: 'x' }])
    expect(diffLines(['x'], [])).toEqual([{ op: '-', text: 'x' }])
  })
})

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context and diff -u ranges', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14']
    const b = [...a]
    b[1] = 'two'
    b[12] = 'thirteen'
    expect(unifiedDiff(a, b)).toEqual([
      '@@ -1,5 +1,5 @@',
      ' 1',
      '-2',
      '+two',
      ' 3',
      ' 4',
      ' 5',
      '@@ -10,5 +10,5 @@',
      ' 10',
      ' 11',
      ' 12',
      '-13',
      '+thirteen',
      ' 14'
    ])
  })

  it('joins changes closer than twice the context into one hunk, and is empty for equal texts', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8']
    const b = ['1', 'x', '3', '4', '5', '6', 'y', '8']
    const hunks = unifiedDiff(a, b).filter(l => l.startsWith('@@'))
    expect(hunks).toEqual(['@@ -1,8 +1,8 @@'])
    expect(unifiedDiff(a, a)).toEqual([])
  })

  it('ranges of an insertion into an empty text', () => {
    expect(unifiedDiff([], ['a', 'b'])).toEqual(['@@ -0,0 +1,2 @@', '+a', '+b'])
  })
})
