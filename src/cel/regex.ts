/**
 * Kubernetes' regex library for CEL: `s.find(re)` and `s.findAll(re[, n])`, in linear time.
 *
 * Patterns are RE2 (Go's regexp), the same syntax `matches` takes, compiled by @bufbuild/re2, so
 * whatever RE2 rejects (lookaround, backreferences) fails with Go's message. @bufbuild/re2 only
 * says whether a pattern matches, not where, and a JS RegExp backtracks: `(a+)+$` on a long run
 * of `a`s would hold the gate for minutes. So the search is a Pike VM (Go's regexp/exec.go, as
 * leftmost-first) over the program RE2 compiled: every thread advances one character at a time,
 * one thread per instruction, so a search costs at most text length × program size steps.
 * The program is @bufbuild/re2's internal (its public API has no matcher), so the package is
 * pinned to 0.6.1 and __tests__/core/pinned-dependencies.test.ts fails on any upgrade.
 */
import { CelScalar, celMethod, listType, type CelFunc } from '@bufbuild/cel'
import { RE2JS } from '@bufbuild/re2'
import { errorMessage } from '../core/errors.js'

type Re2 = ReturnType<RE2JS['re2']>
type Prog = Re2['prog']
type Inst = ReturnType<Prog['getInst']>

/** Instruction opcodes, read from @bufbuild/re2's own Inst class so they cannot drift. */
interface Ops {
  ALT: number
  ALT_MATCH: number
  CAPTURE: number
  EMPTY_WIDTH: number
  FAIL: number
  MATCH: number
  NOP: number
}

/** A pattern compiled for searching. */
export interface CompiledRe2 {
  re2: Re2
  prog: Prog
  ops: Ops
}

// Go's syntax.EmptyOp bits, which RE2's EMPTY_WIDTH instructions carry in `arg`.
const BEGIN_LINE = 0x01
const END_LINE = 0x02
const BEGIN_TEXT = 0x04
const END_TEXT = 0x08
const WORD_BOUNDARY = 0x10
const NO_WORD_BOUNDARY = 0x20

const isWordRune = (r: number) =>
  (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r === 0x5f

/** The zero-width assertions that hold between rune r1 and rune r2 (-1: the text's edge). */
function emptyContext(r1: number, r2: number): number {
  let op = 0
  if (r1 < 0) op |= BEGIN_TEXT | BEGIN_LINE
  if (r1 === 0x0a) op |= BEGIN_LINE
  if (r2 < 0) op |= END_TEXT | END_LINE
  if (r2 === 0x0a) op |= END_LINE
  op |= isWordRune(r1) !== isWordRune(r2) ? WORD_BOUNDARY : NO_WORD_BOUNDARY
  return op
}

const runeAt = (text: string, i: number): number =>
  i < text.length ? (text.codePointAt(i) ?? -1) : -1
const widthOf = (r: number): number => (r < 0 ? 0 : r > 0xffff ? 2 : 1)

function runeBefore(text: string, i: number): number {
  if (i <= 0) return -1
  const low = text.charCodeAt(i - 1)
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const cp = text.codePointAt(i - 2) ?? -1
    if (cp > 0xffff) return cp
  }
  return low
}

const compiled = new Map<string, CompiledRe2>()
const CACHE_LIMIT = 256

/** Compiles an RE2 pattern; throws Go's "error parsing regexp" message for invalid RE2. */
export function compileRe2(pattern: string): CompiledRe2 {
  const hit = compiled.get(pattern)
  if (hit) return hit
  let re2: Re2
  try {
    re2 = RE2JS.compile(pattern).re2()
  } catch (err) {
    throw new Error(`Illegal regex: ${errorMessage(err)}`, { cause: err })
  }
  const prog = re2.prog
  const ops = prog.getInst(0).constructor as unknown as Ops
  const out: CompiledRe2 = { re2, prog, ops }
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
  compiled.set(pattern, out)
  return out
}

interface Thread {
  pc: number
  start: number
}

/**
 * Follows the empty transitions from `pc` and queues the instructions that consume a rune or
 * match, in priority order (an alternation's first branch first), each pc once per step.
 */
function addThread(
  c: CompiledRe2,
  queue: Thread[],
  seen: Set<number>,
  pc0: number,
  start: number,
  context: number
): void {
  const stack = [pc0]
  while (stack.length > 0) {
    const pc = stack.pop() as number
    if (seen.has(pc)) continue
    seen.add(pc)
    const inst: Inst = c.prog.getInst(pc)
    switch (inst.op) {
      case c.ops.FAIL:
        break
      case c.ops.ALT:
      case c.ops.ALT_MATCH:
        stack.push(inst.arg, inst.out)
        break
      case c.ops.EMPTY_WIDTH:
        if ((inst.arg & ~context) === 0) stack.push(inst.out)
        break
      case c.ops.NOP:
      case c.ops.CAPTURE:
        stack.push(inst.out)
        break
      default:
        queue.push({ pc, start })
    }
  }
}

/** The leftmost-first match at or after `pos`, as [start, end) in UTF-16 units, or undefined. */
export function searchRe2(c: CompiledRe2, text: string, pos: number): [number, number] | undefined {
  let run: Thread[] = []
  let next: Thread[] = []
  let match: [number, number] | undefined
  let i = pos
  let r = runeAt(text, i)
  let context = emptyContext(runeBefore(text, i), r)
  for (;;) {
    if (run.length === 0 && match) break
    // A new thread starts here, behind every thread already running: leftmost wins.
    if (!match) addThread(c, run, new Set(), c.prog.start, i, context)
    if (run.length === 0) {
      if (i >= text.length) break
      i += widthOf(r)
      r = runeAt(text, i)
      context = emptyContext(runeBefore(text, i), r)
      continue
    }
    const width = widthOf(r)
    const after = runeAt(text, i + width)
    const nextContext = width ? emptyContext(r, after) : 0
    const seen = new Set<number>()
    next.length = 0
    for (const t of run) {
      const inst = c.prog.getInst(t.pc)
      if (inst.op === c.ops.MATCH) {
        // First match in priority order: the threads behind it can only lose.
        match = [t.start, i]
        break
      }
      if (width && inst.matchRune(r)) addThread(c, next, seen, inst.out, t.start, nextContext)
    }
    if (!width) break
    i += width
    r = after
    context = nextContext
    ;[run, next] = [next, run]
  }
  return match
}

/** Go's Regexp.FindAllString: successive non-overlapping matches, no empty match right after a match. */
export function findAllMatches(text: string, pattern: string, limit = -1): string[] {
  const c = compileRe2(pattern)
  const max = limit < 0 ? text.length + 1 : limit
  const out: string[] = []
  // The DFA answers "no match at all" fastest.
  if (max === 0 || !c.re2.match(text)) return out
  let pos = 0
  let prevEnd = -1
  while (out.length < max && pos <= text.length) {
    const m = searchRe2(c, text, pos)
    if (!m) break
    const [start, end] = m
    let accept = true
    if (end === pos) {
      if (start === prevEnd) accept = false
      pos += Math.max(1, widthOf(runeAt(text, pos)))
    } else pos = end
    prevEnd = end
    if (accept) out.push(text.slice(start, end))
  }
  return out
}

/** Go's Regexp.FindString: the leftmost match, or '' when there is none. */
export function findFirstMatch(text: string, pattern: string): string {
  const c = compileRe2(pattern)
  if (!c.re2.match(text)) return ''
  const m = searchRe2(c, text, 0)
  return m ? text.slice(m[0], m[1]) : ''
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
