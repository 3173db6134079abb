// A virtual clock for unit tests of things that wait and renew: sleeps are
// timers on a virtual timeline, and `runUntil` advances time to the next
// timer only once everything else has settled, so several parties (a holder
// renewing, a waiter polling) interleave as they would in real time.
import type { Clock } from '../../src/core/clock.js'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

/** A Clock on a virtual timeline. */
export class VirtualClock implements Clock {
  private t: number
  private seq = 0
  private timers: Timer[] = []

  constructor(start = Date.parse('2026-11-24T12:00:00Z')) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => undefined
      }
      const onAbort = (): void => {
        this.timers = this.timers.filter(x => x !== timer)
        reject(signal?.reason)
      }
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.timers.push(timer)
    })
  }

  /** Moves time forward by `ms` without firing timers (a clock jump). */
  jump(ms: number): void {
    this.t += ms
  }

  /** Advances timer by timer until `done` settles or time passes `limitMs` from now; returns done's value. */
  async runUntil<T>(done: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false
    const watched = done.finally(() => {
      settled = true
    })
    watched.catch(() => undefined)
    const end = this.t + limitMs
    for (;;) {
      // Let every pending promise chain run before time moves.
      for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r))
      if (settled) return done
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.timers.shift()
      if (!next || next.at > end)
        throw new Error(`virtual clock: nothing settled within ${limitMs} ms`)
      this.t = Math.max(this.t, next.at)
      next.resolve()
    }
  }
}
