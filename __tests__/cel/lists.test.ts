import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'

const cel = (source: string) => evaluateCel(source, {})

describe('Kubernetes list library and the sets extension', () => {
  it.each<[string, unknown]>([
    ['[1, 2, 3].isSorted()', true],
    ['[1, 3, 2].isSorted()', false],
    ["['a', 'b'].isSorted()", true],
    ['[].isSorted()', true],
    ['[1, 2, 3].sum()', 6],
    ['[0.5, 0.25].sum()', 0.75],
    ['[].sum()', 0],
    ['[3, 1, 2].min()', 1],
    ['[3, 1, 2].max()', 3],
    ["['b', 'a'].min()", 'a'],
    ['[1, 2, 1].indexOf(1)', 0],
    ['[1, 2, 1].lastIndexOf(1)', 2],
    ['[1, 2].indexOf(3)', -1],
    ["'hello'.indexOf('l')", 2],
    ['sets.contains([1, 2, 3], [3, 1])', true],
    ['sets.contains([1, 2], [3])', false],
    ['sets.contains([1], [])', true],
    ['sets.contains([1, 2], [2.0])', true],
    ['sets.equivalent([1, 2, 2], [2, 1])', true],
    ['sets.equivalent([1], [1, 2])', false],
    ['sets.intersects([1, 2], [2, 3])', true],
    ['sets.intersects([1], [])', false]
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it.each<[string, string]>([
    ['[].min()', 'min called on empty list'],
    ['[].max()', 'max called on empty list'],
    ['[9223372036854775807, 1].sum()', 'int overflow'],
    ["[1, 'a'].isSorted()", 'a list literal must not mix']
  ])('%s fails: %s', (source, message) => {
    expect(() => cel(source)).toThrow(message)
  })
})
