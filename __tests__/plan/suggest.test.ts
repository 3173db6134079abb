import { describe, expect, it } from '@jest/globals'
import { closestMatch, didYouMean, editDistance, listWords } from '../../src/plan/suggest.js'

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['abc', '', 3],
    ['name', 'name', 0],
    ['aassumptions', 'assumptions', 1],
    ['tagret', 'target', 1],
    ['kitten', 'sitting', 3],
    ['phases', 'phase', 1]
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })
})

const TOP = [
  'version',
  'name',
  'target',
  'budgets',
  'assumptions',
  'tracers',
  'phases',
  'validation',
  'rollout',
  'rollbackLevels'
]

describe('closestMatch', () => {
  it.each<[string, string[], string | undefined]>([
    ['aassumptions', TOP, 'assumptions'],
    ['tagret', TOP, 'target'],
    ['Phases', TOP, 'phases'],
    ['rollback_levels', TOP, 'rollbackLevels'],
    ['nmae', TOP, 'name'],
    ['validate', TOP, 'validation'],
    ['foo', TOP, undefined],
    ['x', ['y'], 'y'],
    ['zzzzzz', TOP, undefined],
    ['name', ['name'], undefined]
  ])('%s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected)
  })
})

describe('didYouMean and listWords', () => {
  it('phrases a suggestion or nothing', () => {
    expect(didYouMean('htp', ['http', 'ready'])).toBe(' (did you mean "http"?)')
    expect(didYouMean('qqq', ['http', 'ready'])).toBe('')
  })
  it.each<[string[], string]>([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a or b'],
    [['a', 'b', 'c'], 'a, b or c']
  ])('%j → %s', (words, expected) => {
    expect(listWords(words)).toBe(expected)
  })
  it('cuts long lists', () => {
    expect(listWords(['a', 'b', 'c', 'd'], 'and', 2)).toBe('a, b and …')
  })
})
