import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../../src/core/clock.js'
import {
  RetryError,
  nextDelay,
  parseRetryAfter,
  retriesOf,
  unwrapRetryError,
  withRetry
} from '../../src/core/retry.js'

/** A clock whose sleeps return at once and are recorded. */
function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason
      sleeps.push(ms)
      now += ms
    }
  }
}

/** An operation answering from a script, one entry per attempt. */
function scripted<T>(answers: (T | Error)[]): { op: () => Promise<T>; calls: () => number } {
  let i = 0
  return {
    calls: () => i,
    op: async () => {
      const a = answers[Math.min(i++, answers.length - 1)]
      if (a instanceof Error) throw a
      return a
    }
  }
}

const retryOn5xx = (s: number) => (s >= 500 || s === 429 ? { reason: String(s) } : undefined)

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  it.each([
    ['120', 120_000],
    [' 3 ', 3000],
    ['0', 0],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['', undefined],
    [null, undefined],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined]
  ])('%j → %j ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms)
  })
})

describe('nextDelay', () => {
  it.each([
    // [retry, random, expected] with base 100, max 1000: equal jitter in [c/2, c]
    [0, 0, 50],
    [0, 0.999999, 100],
    [1, 0, 100],
    [2, 0.5, 300],
    [3, 0, 400],
    [4, 0, 500],
    [10, 0.999999, 1000]
  ])('retry %d with jitter %d waits %d ms', (retry, random, want) => {
    expect(
      nextDelay({ reason: 'x' }, retry, {
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => random
      })
    ).toBe(want)
  })

  it.each([
    [5000, 60_000, 5000],
    [60_000, 60_000, 60_000],
    [60_001, 60_000, undefined],
    [0, 10, 0]
  ])('Retry-After %d ms with cap %d waits %j', (after, cap, want) => {
    expect(nextDelay({ reason: '429', retryAfterMs: after }, 0, { maxRetryAfterMs: cap })).toBe(
      want
    )
  })
})

describe('withRetry', () => {
  it('returns the first answer that is not retryable and counts retries', async () => {
    const clock = fakeClock()
    const s = scripted([503, 502, 200])
    const r = await withRetry(s.op, {
      clock,
      retryResult: retryOn5xx,
      random: () => 0,
      baseDelayMs: 100
    })
    expect(r).toEqual({ value: 200, retries: 2, waitedMs: 150 })
    expect(clock.sleeps).toEqual([50, 100])
  })

  it('returns the last retryable answer with `exhausted` when retries run out', async () => {
    const clock = fakeClock()
    const s = scripted([503])
    const r = await withRetry(s.op, { clock, retryResult: retryOn5xx, maxRetries: 2 })
    expect(r.value).toBe(503)
    expect(r.retries).toBe(2)
    expect(r.exhausted).toEqual({ reason: '503' })
    expect(s.calls()).toBe(3)
  })

  it('waits exactly what Retry-After asks', async () => {
    const clock = fakeClock()
    const s = scripted([429, 429, 200])
    const r = await withRetry(s.op, {
      clock,
      retryResult: v => (v === 429 ? { reason: '429', retryAfterMs: 2000 } : undefined)
    })
    expect(clock.sleeps).toEqual([2000, 2000])
    expect(r).toEqual({ value: 200, retries: 2, waitedMs: 4000 })
  })

  it('does not retry early when Retry-After exceeds the cap', async () => {
    const clock = fakeClock()
    const s = scripted([429, 200])
    const r = await withRetry(s.op, {
      clock,
      maxRetryAfterMs: 1000,
      retryResult: v => (v === 429 ? { reason: '429', retryAfterMs: 5000 } : undefined)
    })
    expect(r).toEqual({
      value: 429,
      retries: 0,
      waitedMs: 0,
      exhausted: { reason: '429', retryAfterMs: 5000 }
    })
    expect(clock.sleeps).toEqual([])
  })

  it('throws a non-retryable error at once, unwrapped', async () => {
    const boom = new Error('boom')
    const s = scripted<number>([boom])
    await expect(withRetry(s.op, { clock: fakeClock(), retryError: () => undefined })).rejects.toBe(
      boom
    )
    expect(s.calls()).toBe(1)
  })

  it('retries retryable errors, then throws RetryError carrying the count and cause', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const s = scripted<number>([refused])
    const err = await withRetry(s.op, {
      clock: fakeClock(),
      maxRetries: 3,
      retryError: e =>
        (e as { code?: string }).code === 'ECONNREFUSED' ? { reason: 'refused' } : undefined
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryError)
    expect(retriesOf(err)).toBe(3)
    expect(unwrapRetryError(err)).toBe(refused)
    expect((err as Error).message).toBe('connect ECONNREFUSED')
    expect(s.calls()).toBe(4)
  })

  it('recovers after transport errors', async () => {
    const s = scripted<number>([new Error('reset'), 200])
    const retries: number[] = []
    const r = await withRetry(s.op, {
      clock: fakeClock(),
      retryError: () => ({ reason: 'reset' }),
      onRetry: i => retries.push(i.retry)
    })
    expect(r.value).toBe(200)
    expect(r.retries).toBe(1)
    expect(retries).toEqual([1])
  })

  it('stops waiting when the signal aborts', async () => {
    const ac = new AbortController()
    const s = scripted([503])
    const clock = fakeClock()
    const p = withRetry(
      async () => {
        const v = await s.op()
        ac.abort(new Error('cancelled'))
        return v
      },
      { clock, signal: ac.signal, retryResult: retryOn5xx }
    )
    await expect(p).rejects.toThrow('cancelled')
    expect(s.calls()).toBe(1)
  })

  it('retriesOf is 0 for plain errors', () => {
    expect(retriesOf(new Error('x'))).toBe(0)
  })
})
