// Terminal colours: util.styleText, and one decision of whether to colour
// that honours FORCE_COLOR and NO_COLOR.
import { describe, expect, it } from '@jest/globals'
import { colorEnabled, style } from '../../src/report/style.js'

const tty = { isTTY: true, hasColors: () => true }
const dumbTty = { isTTY: true, hasColors: () => false }
const pipe = { isTTY: false }

describe('colorEnabled', () => {
  it.each<[string, object, NodeJS.ProcessEnv, boolean]>([
    ['a colour TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a TTY without colours (TERM=dumb)', dumbTty, {}, false],
    ['NO_COLOR on a TTY', tty, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['an empty FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a TTY', tty, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR wins over NO_COLOR (as in Node)', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true]
  ])('%s', (_name, stream, env, want) => {
    expect(colorEnabled(stream, env)).toBe(want)
  })
})

describe('style', () => {
  it('colours with the ANSI codes styleText writes, and not at all when off', () => {
    expect(style(true, 'green', 'ok')).toBe('\x1b[32mok\x1b[39m')
    expect(style(true, 'bold', 'b')).toBe('\x1b[1mb\x1b[22m')
    expect(style(false, 'red', 'x')).toBe('x')
  })
})
