/**
 * A pass over the expression text before @bufbuild/cel parses it.
 *
 * 1. Plain syntax errors with exact positions. The PEG parser reports where its longest parse
 *    stopped ("1:3: found + but expecting end of input" for `1 +`), which points at the wrong
 *    place with the wrong words; unbalanced brackets, unterminated strings, `=` for `==`, `and`
 *    for `&&` and missing operands are found here first, with what to write instead.
 * 2. Optional access, which the parser does not know: `a.?b` becomes `a.__opt_select__("b")` and
 *    `a[?k]` becomes `a.__opt_index__(k)` (see optional.ts). A map from output offsets back to the
 *    user's text keeps every later error position in their coordinates.
 */
import { CelError } from './cel-error.js'
import { OPTIONAL_INDEX, OPTIONAL_SELECT } from './optional.js'

/** The text the parser gets, and how to find a position in the user's text. */
export interface Preprocessed {
  readonly text: string
  /** The offset in the original expression of an offset in `text`. */
  toOriginal(offset: number): number
}

type TokenKind = 'ident' | 'number' | 'string' | 'punct'
interface Token {
  kind: TokenKind
  text: string
  start: number
  end: number
}

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||'])
const ONE_CHAR = new Set([...'+-*/%<>!?:.,()[]{}'])
const BINARY_ONLY = new Set([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  '*',
  '/',
  '%',
  '+',
  '?',
  ':',
  'in'
])
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }
const CLOSERS = new Set([')', ']', '}'])
const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||' }

const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c)
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c)
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

function tokenize(src: string): Token[] {
  const fail = (message: string, at: number): never => {
    throw new CelError(message, 'syntax', src, at)
  }
  const tokens: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++
      continue
    }
    const start = i
    const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?="|')/.exec(src.slice(i))
    if (prefix) {
      const raw = /r/i.test(prefix[0])
      i += prefix[0].length
      const quote = src.startsWith(src[i].repeat(3), i) ? src[i].repeat(3) : src[i]
      i += quote.length
      for (;;) {
        if (i >= src.length || (quote.length === 1 && src[i] === '\n'))
          fail('this string is never closed', start)
        if (!raw && src[i] === '\\') i += 2
        else if (src.startsWith(quote, i)) break
        else i++
      }
      i += quote.length
      tokens.push({ kind: 'string', text: src.slice(start, i), start, end: i })
      continue
    }
    const prev = tokens[tokens.length - 1]
    const afterValue = prev !== undefined && endsValue(prev)
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]) && !afterValue)) {
      const number =
        /^(?:0[xX][0-9a-fA-F]+[uU]?|\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+[uU]?)/.exec(
          src.slice(i)
        )
      i += number ? number[0].length : 1
      tokens.push({ kind: 'number', text: src.slice(start, i), start, end: i })
      continue
    }
    if (isIdentStart(c)) {
      while (isIdentPart(src[i])) i++
      tokens.push({ kind: 'ident', text: src.slice(start, i), start, end: i })
      continue
    }
    const two = src.slice(i, i + 2)
    if (TWO_CHAR.has(two)) {
      tokens.push({ kind: 'punct', text: two, start, end: i + 2 })
      i += 2
      continue
    }
    if (c === '=') fail("'=' is not an operator: write '==' to compare", start)
    if (c === '&') fail("'&' is not an operator: write '&&'", start)
    if (c === '|') fail("'|' is not an operator: write '||'", start)
    if (!ONE_CHAR.has(c)) fail(`unexpected character '${c}'`, start)
    tokens.push({ kind: 'punct', text: c, start, end: i + 1 })
    i++
  }
  return tokens
}

function endsValue(t: Token): boolean {
  if (t.kind === 'punct') return CLOSERS.has(t.text)
  return !(t.kind === 'ident' && t.text === 'in')
}

function startsValue(t: Token): boolean {
  if (t.kind === 'punct')
    return t.text in OPENERS || t.text === '-' || t.text === '!' || t.text === '.'
  return !(t.kind === 'ident' && t.text === 'in')
}

const isOperator = (t: Token) =>
  BINARY_ONLY.has(t.text) || (t.kind === 'punct' && (t.text === '-' || t.text === '!'))
const isBinaryOnly = (t: Token) =>
  BINARY_ONLY.has(t.text) && (t.kind === 'punct' || t.text === 'in')

/** Checks the expression's shape and rewrites optional access; throws CelError with the position. */
export function preprocess(source: string): Preprocessed {
  if (source.trim() === '') throw new CelError('the expression is empty', 'syntax', source, 0)
  const tokens = tokenize(source)
  const fail = (message: string, at: number): never => {
    throw new CelError(message, 'syntax', source, at)
  }

  let text = ''
  const origin: number[] = []
  let copied = 0
  const copyUpTo = (end: number) => {
    for (; copied < end; copied++) {
      text += source[copied]
      origin.push(copied)
    }
  }
  const replace = (from: number, to: number, replacement: string) => {
    copyUpTo(from)
    text += replacement
    for (let k = 0; k < replacement.length; k++) origin.push(from)
    copied = to
  }

  const stack: { token: Token; closeAs?: string }[] = []
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    const prev = tokens[k - 1]
    const next = tokens[k + 1]

    if (
      t.kind === 'ident' &&
      t.text in WORD_OPERATORS &&
      prev &&
      endsValue(prev) &&
      next &&
      startsValue(next)
    ) {
      fail(`'${t.text}' is not an operator: write '${WORD_OPERATORS[t.text]}'`, t.start)
    }
    if (t.text === '.' && t.kind === 'punct') {
      if (next?.text === '?' && next.kind === 'punct') {
        const field = tokens[k + 2]
        if (!field || field.kind !== 'ident') fail("expected a field name after '.?'", next.start)
        replace(t.start, field.end, `.${OPTIONAL_SELECT}(${JSON.stringify(field.text)})`)
        k += 2
        continue
      }
      if (!next || next.kind !== 'ident') fail("expected a field name after '.'", t.start)
      continue
    }
    if (
      t.text === '?' &&
      t.kind === 'punct' &&
      prev &&
      prev.kind === 'punct' &&
      ['[', '{', ','].includes(prev.text)
    ) {
      fail(
        'optional list and map entries ([?x], {?k: v}) are not supported: build the list or map with a conditional instead',
        t.start
      )
    }
    if (t.kind === 'punct' && t.text in OPENERS) {
      if (
        t.text === '[' &&
        next?.text === '?' &&
        next.kind === 'punct' &&
        prev &&
        endsValue(prev)
      ) {
        replace(t.start, next.end, `.${OPTIONAL_INDEX}(`)
        stack.push({ token: t, closeAs: ')' })
        k++
        continue
      }
      stack.push({ token: t })
      continue
    }
    if (t.kind === 'punct' && CLOSERS.has(t.text)) {
      const open = stack.pop()
      if (!open) fail(`'${t.text}' has no matching opening bracket`, t.start)
      else if (OPENERS[open.token.text] !== t.text) {
        fail(`'${t.text}' does not close the '${open.token.text}' opened before it`, t.start)
      } else if (open.closeAs) replace(t.start, t.end, open.closeAs)
      if (prev && isOperator(prev)) fail(`missing operand after '${prev.text}'`, prev.start)
      continue
    }
    if (t.kind === 'punct' && t.text === ',' && (!prev || !endsValue(prev)))
      fail("unexpected ','", t.start)
    if (isBinaryOnly(t) && (!prev || !endsValue(prev)))
      fail(`missing operand before '${t.text}'`, t.start)
    if (isOperator(t) && (!next || !startsValue(next)))
      fail(`missing operand after '${t.text}'`, t.start)
  }
  const unclosed = stack.pop()
  if (unclosed) fail(`'${unclosed.token.text}' is never closed`, unclosed.token.start)
  copyUpTo(source.length)
  origin.push(source.length)
  return {
    text,
    toOriginal: offset => origin[Math.max(0, Math.min(offset, origin.length - 1))]
  }
}
