/** Error types shared by every layer, and the one helper that turns an unknown into a message. */

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'string') return err
  try {
    return JSON.stringify(err)
  } catch {
    return String(err)
  }
}

/** The line a bug's message ends with. */
export const REPORT_BUG = 'this is a bug in phase-gate: please report it with the command you ran'

/**
 * True when a thrown value means a bug in phase-gate rather than a check that
 * could not be made: a TypeError, ReferenceError or RangeError of our own
 * code, or an Error whose message starts "internal:". undici's fetch reports a
 * network failure as TypeError('fetch failed', { cause }): one with a cause
 * is a failed request, not a bug.
 */
export function isBug(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError)
    return err.cause === undefined
  return err instanceof Error && err.message.startsWith('internal:')
}

/** The plan or the invocation is invalid: exit 2, no stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Every problem found, each already formatted `file:line:col: path: message`. */
    readonly problems: string[] = []
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A check could not be made (server unreachable, authentication, retries exhausted): exit 3. */
export class InfraError extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint?: string
  ) {
    super(message)
    this.name = 'InfraError'
  }
}

/** The run was cancelled by a signal. */
export class CancelledError extends Error {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM' | 'abort' = 'abort') {
    super(`cancelled by ${signal}`)
    this.name = 'CancelledError'
  }
}
