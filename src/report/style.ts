/**
 * Terminal colours through node:util's styleText, and the one decision of
 * whether to colour: FORCE_COLOR set (other than 0 or false) colours even a
 * pipe and wins over NO_COLOR, as in Node; NO_COLOR (non-empty) turns colour
 * off; otherwise a TTY whose terminal has colours. styleText exists from
 * Node 20.12; where it is missing (older 20.x) the same ANSI codes are
 * written by hand, so the CLI still runs on Node 20, 22 and 24.
 */

import util from 'node:util'

/** The styles the terminal view uses. */
export type Style = 'red' | 'green' | 'yellow' | 'magenta' | 'gray' | 'dim' | 'bold'

const ANSI: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  gray: [90, 39],
  dim: [2, 22],
  bold: [1, 22]
}

/** True when output to `stream` should be coloured, given the environment. */
export function colorEnabled(
  stream: { isTTY?: boolean; hasColors?: (env?: object) => boolean },
  env: NodeJS.ProcessEnv
): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (env.NO_COLOR) return false
  if (stream.isTTY !== true) return false
  return typeof stream.hasColors === 'function' ? stream.hasColors(env) : true
}

type StyleText = (format: string, text: string, options?: { validateStream?: boolean }) => string
const styleText = (util as unknown as { styleText?: StyleText }).styleText

/** `text` in `style` when `enabled`; the decision is the caller's (see colorEnabled), not the stream's. */
export function style(enabled: boolean, s: Style, text: string): string {
  if (!enabled) return text
  // validateStream: false, because colorEnabled decided already (Node 20 ignores the option and always styles).
  if (styleText) return styleText(s, text, { validateStream: false })
  const [on, off] = ANSI[s]
  return `\x1b[${on}m${text}\x1b[${off}m`
}
