/**
 * PromQL in the plan, parsed by Prometheus's own grammar
 * (@prometheus-io/lezer-promql, the parser of Prometheus's UI), so lint
 * reports a syntax error, an unknown function or a range without a unit at
 * the query's line instead of the rollout finding out from Prometheus.
 */

import { parser } from '@prometheus-io/lezer-promql'

// {{track}} (spaces allowed) becomes a name before parsing, as the track does at run time.
const TRACK = /\{\{\s*track\s*\}\}/g

// Nodes whose duration is a range or an offset: a bare number there has no unit.
const DURATION_PARENTS = new Set(['MatrixSelector', 'SubqueryExpr', 'OffsetExpr'])

/** The first problem of a PromQL query, with its character position; undefined when it parses. */
export function promqlProblem(query: string): string | undefined {
  if (query.trim() === '') return 'the query is empty'
  // Brackets and quotes first: their message names both ends, which the grammar's error cannot.
  const brackets = bracketProblem(query)
  if (brackets) return brackets
  // Same length, so positions stay those of the plan's text.
  const text = query.replace(TRACK, m => 's'.repeat(m.length))
  const tree = parser.parse(text)
  let problem: string | undefined
  tree.iterate({
    enter: node => {
      if (problem) return false
      if (node.type.isError) {
        problem = syntaxProblem(text, node.from)
        return false
      }
      if (node.name === 'DurationExpr' && DURATION_PARENTS.has(node.node.parent?.name ?? '')) {
        const d = text.slice(node.from, node.to)
        if (/^\d+(?:\.\d+)?$/.test(d))
          problem = `the duration "${d}" at character ${node.from + 1} has no unit: write e.g. ${d}s or ${d}m`
      }
      return undefined
    }
  })
  return problem
}

function syntaxProblem(text: string, at: number): string {
  // An identifier right before "(" that the grammar did not take for a function: no such function.
  const call = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, at))
  if (call && text.slice(at).trimStart().startsWith('(') && !isKeyword(call[1]))
    return `unknown function "${call[1]}" at character ${call.index + 1}`
  if (at >= text.length)
    return 'the query ends too early (an unclosed bracket or a missing operand)'
  return `syntax error at character ${at + 1} ("${text.slice(at, at + 12)}")`
}

function isKeyword(word: string): boolean {
  return /^(?:by|without|on|ignoring|group_left|group_right|offset|bool|and|or|unless)$/i.test(word)
}

/** Brackets balanced and nested properly, quotes closed; the first problem, by character. */
function bracketProblem(query: string): string | undefined {
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  const stack: { ch: string; at: number }[] = []
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = findQuoteEnd(query, i)
      if (end < 0) return `unclosed ${ch} quote at character ${i + 1}`
      i = end
    } else if (ch === '#') {
      // A comment runs to the end of the line.
      const nl = query.indexOf('\n', i)
      i = nl < 0 ? query.length : nl
    } else if (ch === '(' || ch === '[' || ch === '{') {
      stack.push({ ch, at: i })
    } else if (ch in closing) {
      const open = stack.pop()
      if (!open) return `unbalanced "${ch}" at character ${i + 1}`
      if (open.ch !== closing[ch])
        return `"${ch}" at character ${i + 1} does not close "${open.ch}" at character ${open.at + 1}`
    }
  }
  const open = stack.pop()
  return open ? `unclosed "${open.ch}" at character ${open.at + 1}` : undefined
}

function findQuoteEnd(text: string, start: number): number {
  const quote = text[start]
  for (let i = start + 1; i < text.length; i++) {
    if (quote !== '`' && text[i] === '\\') i++
    else if (text[i] === quote) return i
  }
  return -1
}
