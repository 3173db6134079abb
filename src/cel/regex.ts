/**
 * Kubernetes' regex library for CEL: `s.find(re)` and `s.findAll(re[, n])`.
 *
 * Patterns are RE2 (Go's regexp), the same syntax `matches` takes. Each pattern is first compiled
 * by @bufbuild/re2, so whatever RE2 rejects (lookaround, backreferences) fails with Go's message;
 * the search itself runs on a JS RegExp translated from the RE2 pattern, because @bufbuild/re2 can
 * only say whether a pattern matches, not where.
 */
import { CelScalar, celMethod, listType, type CelFunc } from '@bufbuild/cel'
import { RE2JS } from '@bufbuild/re2'
import { errorMessage } from '../core/errors.js'

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f'
}
const RE2_SPACE = '\\t\\n\\f\\r '
const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
const isWordChar = (c: string) => /[0-9A-Za-z_]/.test(c)

function literal(c: string): string {
  if (c.length > 1 || c.charCodeAt(0) > 0x7f) return c
  return isWordChar(c) || c === ' ' ? c : hex(c)
}

function codePoint(n: number, unicode: boolean): string {
  if (n <= 0xff) return `\\x${n.toString(16).padStart(2, '0')}`
  if (n <= 0xffff) return `\\u${n.toString(16).padStart(4, '0')}`
  if (!unicode) throw new Error('code points above U+FFFF need \\p or a literal character')
  return `\\u{${n.toString(16)}}`
}

function unicodeClass(name: string, negated: boolean): string {
  const category = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`
  return `\\${negated ? 'P' : 'p'}{${category}}`
}

/**
 * Translates an RE2 pattern (already validated by RE2) into JS RegExp source and flags.
 * Inline flag groups `(?i)` become scoped modifier groups `(?i:...)` up to the end of their group.
 */
export function re2ToJs(pattern: string): { source: string; flags: string } {
  const unicode = /\\[pP]/.test(pattern)
  let out = ''
  // Per open group, the inline flag sets opened inside it that must close with it.
  const pending: string[][] = [[]]
  let i = 0
  const closePending = () => {
    const flags = pending[pending.length - 1]
    out += ')'.repeat(flags.length)
    return flags
  }
  while (i < pattern.length) {
    const c = pattern[i]
    if (c === '\\') {
      const { text, next } = escape(pattern, i, false, unicode)
      out += text
      i = next
    } else if (c === '[') {
      const { text, next } = charClass(pattern, i, unicode)
      out += text
      i = next
    } else if (c === '(') {
      const inline = /^\(\?([imsU]*(?:-[imsU]*)?)\)/.exec(pattern.slice(i))
      if (inline) {
        if (inline[1].includes('U'))
          throw new Error('the U (ungreedy) flag is not supported by find/findAll')
        if (inline[1] !== '' && inline[1] !== '-') {
          out += `(?${inline[1]}:`
          pending[pending.length - 1].push(inline[1])
        }
        i += inline[0].length
        continue
      }
      if (pattern.startsWith('(?P<', i)) {
        out += '(?<'
        i += 4
      } else if (/^\(\?[imsU-]+:/.test(pattern.slice(i))) {
        const end = pattern.indexOf(':', i)
        const flags = pattern.slice(i + 2, end)
        if (flags.includes('U'))
          throw new Error('the U (ungreedy) flag is not supported by find/findAll')
        out += `(?${flags}:`
        i = end + 1
      } else {
        out += '('
        i++
      }
      pending.push([])
    } else if (c === ')') {
      closePending()
      pending.pop()
      out += ')'
      i++
    } else if (c === '|') {
      // RE2's inline flags reach across `|` to the end of the group: reopen them in each branch.
      const flags = closePending()
      out += '|' + flags.map(f => `(?${f}:`).join('')
      i++
    } else {
      out += c
      i++
    }
  }
  closePending()
  return { source: out, flags: unicode ? 'gu' : 'g' }
}

function escape(
  p: string,
  i: number,
  inClass: boolean,
  unicode: boolean
): { text: string; next: number } {
  const c = p[i + 1]
  switch (c) {
    case 'A':
      return { text: '(?<![\\s\\S])', next: i + 2 }
    case 'z':
      return { text: '(?![\\s\\S])', next: i + 2 }
    case 's':
      return { text: inClass ? RE2_SPACE : `[${RE2_SPACE}]`, next: i + 2 }
    case 'S':
      return { text: inClass ? '\\S' : `[^${RE2_SPACE}]`, next: i + 2 }
    case 'a':
      return { text: '\\x07', next: i + 2 }
    case 'Q': {
      const end = p.indexOf('\\E', i + 2)
      const text = p.slice(i + 2, end < 0 ? p.length : end)
      return { text: [...text].map(literal).join(''), next: end < 0 ? p.length : end + 2 }
    }
    case 'C':
      throw new Error('\\C (any byte) is not supported by find/findAll')
    case 'x': {
      const braced = /^\\x\{([0-9A-Fa-f]+)\}/.exec(p.slice(i))
      if (braced)
        return { text: codePoint(parseInt(braced[1], 16), unicode), next: i + braced[0].length }
      return { text: p.slice(i, i + 4), next: i + 4 }
    }
    case 'p':
    case 'P': {
      const braced = /^\\[pP](\{\^?\w+\}|\w)/.exec(p.slice(i))
      if (!braced) return { text: p.slice(i, i + 2), next: i + 2 }
      let name = braced[1].replace(/[{}]/g, '')
      let negated = c === 'P'
      if (name.startsWith('^')) {
        name = name.slice(1)
        negated = !negated
      }
      return { text: unicodeClass(name, negated), next: i + braced[0].length }
    }
  }
  if (c >= '0' && c <= '7') {
    const octal = /^\\([0-7]{1,3})/.exec(p.slice(i))
    if (octal) return { text: codePoint(parseInt(octal[1], 8), unicode), next: i + octal[0].length }
  }
  // Escaped punctuation is a literal in RE2; written as \xHH it is one in JS with or without the u flag.
  if (c !== undefined && !isWordChar(c) && c.charCodeAt(0) <= 0x7f)
    return { text: hex(c), next: i + 2 }
  return { text: p.slice(i, i + 2), next: i + 2 }
}

function charClass(p: string, start: number, unicode: boolean): { text: string; next: number } {
  let i = start + 1
  let out = '['
  if (p[i] === '^') {
    out += '^'
    i++
  }
  // A `]` first in the class is a literal in RE2, an empty class in JS.
  if (p[i] === ']') {
    out += '\\]'
    i++
  }
  while (i < p.length && p[i] !== ']') {
    const posix = /^\[:(\^?)(\w+):\]/.exec(p.slice(i))
    if (posix) {
      if (posix[1] || !(posix[2] in POSIX_CLASSES))
        throw new Error(`[:${posix[1]}${posix[2]}:] is not supported by find/findAll`)
      out += POSIX_CLASSES[posix[2]]
      i += posix[0].length
    } else if (p[i] === '\\') {
      const { text, next } = escape(p, i, true, unicode)
      out += text
      i = next
    } else if (p[i] === '[') {
      out += '\\['
      i++
    } else {
      out += p[i]
      i++
    }
  }
  return { text: out + ']', next: i + 1 }
}

const compiled = new Map<string, RegExp>()
const CACHE_LIMIT = 256

/** An RE2 pattern as a global JS RegExp; throws Go's "error parsing regexp" message for invalid RE2. */
export function compileRe2(pattern: string): RegExp {
  const hit = compiled.get(pattern)
  if (hit) return hit
  try {
    RE2JS.compile(pattern)
  } catch (err) {
    throw new Error(`Illegal regex: ${errorMessage(err)}`, { cause: err })
  }
  const { source, flags } = re2ToJs(pattern)
  const re = new RegExp(source, flags)
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
  compiled.set(pattern, re)
  return re
}

/** Go's Regexp.FindAllString: successive non-overlapping matches, no empty match right after a match. */
export function findAllMatches(text: string, pattern: string, limit = -1): string[] {
  const re = compileRe2(pattern)
  const max = limit < 0 ? text.length + 1 : limit
  const out: string[] = []
  let pos = 0
  let prevEnd = -1
  while (out.length < max && pos <= text.length) {
    re.lastIndex = pos
    const m = re.exec(text)
    if (!m) break
    const start = m.index
    const end = start + m[0].length
    let accept = true
    if (end === pos) {
      if (start === prevEnd) accept = false
      const cp = text.codePointAt(pos)
      pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1
    } else pos = end
    prevEnd = end
    if (accept) out.push(m[0])
  }
  return out
}

/** Go's Regexp.FindString: the leftmost match, or '' when there is none. */
export function findFirstMatch(text: string, pattern: string): string {
  const re = compileRe2(pattern)
  re.lastIndex = 0
  return re.exec(text)?.[0] ?? ''
}

const { STRING, INT } = CelScalar

/** find / findAll, as Kubernetes declares them (library.Regex). */
export const regexLibrary: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return findFirstMatch(this, pattern)
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (pattern) {
    return findAllMatches(this, pattern)
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (pattern, n) {
    return findAllMatches(this, pattern, Number(n))
  })
]
