import { describe, expect, it } from '@jest/globals'
import { mapBounded } from '../../src/core/bounded.js'

describe('mapBounded', () => {
  it('keeps the input order and never has more than the limit in flight', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapBounded(
      [30, 5, 20, 1, 10, 2],
      async (ms, i) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise(r => setTimeout(r, ms))
        inFlight--
        return `${i}:${ms}`
      },
      2
    )
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2'])
    expect(most).toBe(2)
  })

  it('runs one at a time when the limit is below one, and nothing for no items', async () => {
    let most = 0
    let inFlight = 0
    const out = await mapBounded(
      [1, 2, 3],
      async x => {
        most = Math.max(most, ++inFlight)
        await Promise.resolve()
        inFlight--
        return x * 2
      },
      0
    )
    expect(out).toEqual([2, 4, 6])
    expect(most).toBe(1)
    expect(await mapBounded([], async () => 1, 4)).toEqual([])
  })
})
