/**
 * SIGINT/SIGTERM as cancellation: the first aborts the run's signal, so a
 * tracer cleans up and a phase rolls back; later ones are only logged, since
 * cleanup must finish rather than stop half-way (GitHub sends SIGINT, then
 * SIGTERM, and kills the process a few seconds later; the post step finishes
 * what is left).
 */

import type { Logger } from './log.js'

export type TerminationSignal = 'SIGINT' | 'SIGTERM'

/** A run's cancellation by signal. */
export interface Termination {
  /** Aborts at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal
  /** The first signal received, if any. */
  received(): TerminationSignal | undefined
  /** Stops listening (the process's default handling comes back). */
  dispose(): void
}

/** Listens for SIGINT and SIGTERM on `proc` until disposed. */
export function onTermination(
  log: Pick<Logger, 'warn'>,
  proc: Pick<NodeJS.Process, 'on' | 'off'> = process
): Termination {
  const controller = new AbortController()
  let first: TerminationSignal | undefined
  const handle = (sig: TerminationSignal): void => {
    if (first) {
      log.warn(
        `${sig} again: cleanup is running and will finish; the post step or the next run removes anything it cannot`
      )
      return
    }
    first = sig
    log.warn(`${sig}: stopping; cleaning up what this run created`)
    controller.abort(new Error(sig))
  }
  const sigint = (): void => handle('SIGINT')
  const sigterm = (): void => handle('SIGTERM')
  proc.on('SIGINT', sigint)
  proc.on('SIGTERM', sigterm)
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      proc.off('SIGINT', sigint)
      proc.off('SIGTERM', sigterm)
    }
  }
}
