/** The logger gates write through; the action maps it onto @actions/core, the CLI onto stderr. */

import { redact } from './secrets.js'

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** A logger that writes redacted lines to a stream (the CLI's stderr). */
export function streamLogger(
  write: (line: string) => void,
  opts: { debug?: boolean } = {}
): Logger {
  const out = (prefix: string, m: string): void => write(redact(`${prefix}${m}`))
  return {
    debug: m => {
      if (opts.debug) out('debug: ', m)
    },
    info: m => out('', m),
    warn: m => out('warning: ', m),
    error: m => out('error: ', m)
  }
}

/** A logger that keeps every line, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: m => lines.push(`debug: ${redact(m)}`),
    info: m => lines.push(redact(m)),
    warn: m => lines.push(`warning: ${redact(m)}`),
    error: m => lines.push(`error: ${redact(m)}`)
  }
}
