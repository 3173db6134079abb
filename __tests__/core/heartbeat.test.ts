// The job log's heartbeat over a manual clock: a wait longer than 10 s gets a
// line at least every 10 s naming what is awaited, its status, time spent and
// time left; a short activity gets none; idle ends the beat.
import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../../src/core/clock.js'
import { HEARTBEAT_MS, heartbeatLine, startHeartbeat } from '../../src/core/heartbeat.js'

/** A clock that moves only when told; sleeps resolve in time order. */
function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 1_000_000
  let timers: { at: number; resolve: () => void }[] = []
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve()
  }
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new Error('aborted'))
        const t = { at: now + ms, resolve }
        timers.push(t)
        signal?.addEventListener('abort', () => {
          timers = timers.filter(x => x !== t)
          reject(new Error('aborted'))
        })
      }),
    async advance(ms) {
      const end = now + ms
      for (;;) {
        timers.sort((a, b) => a.at - b.at)
        const next = timers[0]
        if (!next || next.at > end) break
        timers.shift()
        now = next.at
        next.resolve()
        await flush()
      }
      now = end
      await flush()
    }
  }
}

function beat() {
  const clock = manualClock()
  const lines: { at: number; line: string }[] = []
  const hb = startHeartbeat({ clock, write: line => lines.push({ at: clock.now(), line }) })
  return { clock, lines, hb }
}

describe('heartbeat', () => {
  it('prints a line at least every 10 s through a 30 s wait, with status, time spent and time left', async () => {
    const { clock, lines, hb } = beat()
    const start = clock.now()
    hb.progress({
      gate: 'tracer',
      activity: 'slow: waiting for Ready of Pod slow',
      deadline: start + 120_000
    })
    await clock.advance(3_000)
    hb.progress({
      gate: 'tracer',
      activity: 'slow: waiting for Ready of Pod slow',
      status: 'Pod slow InProgress: Pod is not ready'
    })
    await clock.advance(27_000)
    hb.idle()
    await clock.advance(30_000)
    hb.stop()
    expect(lines.length).toBeGreaterThanOrEqual(3)
    const times = [start, ...lines.map(l => l.at)]
    for (let i = 1; i < times.length; i++)
      expect(times[i] - times[i - 1]).toBeLessThanOrEqual(10_000)
    // Nothing after idle.
    expect(lines.every(l => l.at <= start + 30_000)).toBe(true)
    expect(lines[0].line).toMatch(
      /^tracer: slow: waiting for Ready of Pod slow — Pod slow InProgress: Pod is not ready \(8\.00s spent, 1m52s left\)$/
    )
  })

  it('says nothing for an activity shorter than a beat', async () => {
    const { clock, lines, hb } = beat()
    hb.progress({ gate: 'phase', activity: 'web: applying 3 objects' })
    await clock.advance(HEARTBEAT_MS - 1_000)
    hb.idle()
    await clock.advance(60_000)
    hb.stop()
    expect(lines).toEqual([])
  })

  it('keeps the beat across activities that follow each other (a hold sample by sample)', async () => {
    const { clock, lines, hb } = beat()
    const start = clock.now()
    for (let i = 0; i < 10; i++) {
      hb.progress({ gate: 'rollout', activity: `canary: sample ${i}` })
      await clock.advance(5_000)
    }
    hb.stop()
    const times = [start, ...lines.map(l => l.at)]
    expect(lines.length).toBeGreaterThanOrEqual(5)
    for (let i = 1; i < times.length; i++)
      expect(times[i] - times[i - 1]).toBeLessThanOrEqual(10_000)
  })

  it('formats counts and a passed deadline', () => {
    expect(
      heartbeatLine(
        { gate: 'phase', activity: 'web: waiting', done: 1, total: 3, deadline: 0 },
        61_000,
        5_000
      )
    ).toBe('phase: web: waiting (1/3) (1m01s spent, 0ms left)')
  })
})
