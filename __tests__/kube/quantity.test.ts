import { describe, expect, it } from '@jest/globals'
import { formatQuantity, parseQuantity } from '../../src/kube/quantity.js'

const N = 1_000_000_000n

describe('parseQuantity', () => {
  it.each<[string | number, bigint | undefined]>([
    ['500m', 500_000_000n],
    ['1.5', 1_500_000_000n],
    ['2', 2n * N],
    [2, 2n * N],
    ['1Gi', 1024n ** 3n * N],
    ['512Mi', 512n * 1024n ** 2n * N],
    ['1e3', 1000n * N],
    ['1E3', 1000n * N],
    ['1k', 1000n * N],
    ['0.1', 100_000_000n],
    ['100n', 100n],
    ['1.5Gi', (3n * 1024n ** 3n * N) / 2n],
    ['.5', 500_000_000n],
    ['0', 0n],
    // sub-nano rounds up, as the apiserver does
    ['0.0000000001', 1n],
    ['1Gb', undefined],
    ['abc', undefined],
    ['', undefined],
    ['1.2.3', undefined],
    ['1e999999', undefined]
  ])('%s', (text, want) => expect(parseQuantity(text)).toBe(want))
})

describe('formatQuantity', () => {
  it.each<[bigint, string, string]>([
    [1_500_000_000n, 'requests.cpu', '1.5'],
    [250_000_000n, 'cpu', '250m'],
    [2n * N, 'cpu', '2'],
    [1024n ** 3n * N, 'requests.memory', '1Gi'],
    [512n * 1024n ** 2n * N, 'memory', '512Mi'],
    [(3n * 1024n ** 3n * N) / 2n, 'memory', '1.5Gi'],
    [5n * N, 'pods', '5'],
    [-500_000_000n, 'cpu', '-500m']
  ])('%s %s → %s', (q, resource, want) => expect(formatQuantity(q, resource)).toBe(want))
})
