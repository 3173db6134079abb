import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration } from '../../src/core/duration.js'

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    ['10', 10_000],
    [' 5m ', 300_000]
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))
  it.each(['', 'five minutes', '5x', 'm5', '-5s', '5 m'])('rejects %j', text =>
    expect(parseDuration(text)).toBeUndefined()
  )
})

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [1234, '1.23s'],
    [12_340, '12.3s'],
    [245_000, '4m05s'],
    [3_720_000, '1h02m']
  ])('%d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})
