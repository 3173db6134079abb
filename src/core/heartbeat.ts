/**
 * The job log's sign of life: where no live progress line can be drawn (the
 * action's log, a CLI without a TTY), whatever a gate is waiting on — a
 * wait for objects, a hold, a soak, a rollback, a lock — is printed at least
 * every HEARTBEAT_MS: what is awaited, its status now, the time spent and
 * the time left. Fed by the gates' progress events, so waits only say what
 * they wait on and until when; the timing lives here once.
 */

import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'

/**
 * A line at least this often during a wait. Under 10 s on purpose: the ticker
 * looks every HEARTBEAT_TICK_MS and a loaded runner fires timers late, and
 * the promise is "at least every 10 s".
 */
export const HEARTBEAT_MS = 8_000
/** How often the ticker looks whether a line is due. */
export const HEARTBEAT_TICK_MS = 500

/** What a gate tells the heartbeat (a subset of its progress event). */
export interface HeartbeatEvent {
  /** Prefix, e.g. the gate name. */
  gate: string
  /** What is awaited now, e.g. `web: waiting for Ready of Pod web`. */
  activity: string
  /** Its status now, e.g. `InProgress: Pod is not ready`. */
  status?: string
  /** When the wait gives up (the Clock's milliseconds). */
  deadline?: number
  done?: number
  total?: number
}

export interface Heartbeat {
  /** A gate says what it does now (a new activity, or a status or deadline for the current one). */
  progress(e: HeartbeatEvent): void
  /** Nothing is awaited any more (a gate ended, the lock was taken). */
  idle(): void
  /** Stops the ticker. */
  stop(): void
}

interface Current {
  event: HeartbeatEvent
  since: number
}

/** Starts the ticker; `write` gets one line per beat. */
export function startHeartbeat(opts: {
  clock: Clock
  write: (line: string) => void
  everyMs?: number
  tickMs?: number
}): Heartbeat {
  const every = opts.everyMs ?? HEARTBEAT_MS
  const tick = opts.tickMs ?? HEARTBEAT_TICK_MS
  const stop = new AbortController()
  let current: Current | undefined
  // When the next line is due; undefined while idle.
  let dueAt: number | undefined

  const beat = (): void => {
    const now = opts.clock.now()
    if (!current || dueAt === undefined || now < dueAt) return
    opts.write(heartbeatLine(current.event, now - current.since, now))
    dueAt = now + every
  }
  void (async () => {
    for (;;) {
      try {
        await opts.clock.sleep(tick, stop.signal)
      } catch {
        return
      }
      beat()
    }
  })()

  return {
    progress(e) {
      const now = opts.clock.now()
      if (current && current.event.activity === e.activity && current.event.gate === e.gate) {
        current.event = {
          ...current.event,
          ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined))
        }
        return
      }
      current = { event: { ...e }, since: now }
      // A new activity right after another keeps the beat going (a hold's samples, a phase's
      // objects); after idle the first line comes one period after the wait began.
      dueAt ??= now + every
    },
    idle() {
      current = undefined
      dueAt = undefined
    },
    stop() {
      stop.abort()
    }
  }
}

/** `tracer: web: waiting for Ready of Pod web — InProgress: not ready (20s spent, 1m40s left)`. */
export function heartbeatLine(e: HeartbeatEvent, spentMs: number, now: number): string {
  const count = e.total ? ` (${e.done ?? 0}/${e.total})` : ''
  const status = e.status ? ` — ${e.status}` : ''
  const left =
    e.deadline !== undefined ? `, ${formatDuration(Math.max(0, e.deadline - now))} left` : ''
  return `${e.gate}: ${e.activity}${count}${status} (${formatDuration(Math.max(0, spentMs))} spent${left})`
}
