/**
 * Evaluating success criteria, thresholds and rules by their source text: compiled programs are
 * cached (a rollout judges the same few expressions every interval), and errors are described
 * for people, with the line and a caret under the column.
 */
import { errorMessage } from '../core/errors.js'
import { CelError } from './cel-error.js'
import { compileExpression, evaluate, type CompileOptions, type CompiledExpression } from './env.js'

/** Options for evaluateCel. */
export interface EvaluateOptions extends CompileOptions {
  /** The variables the expression may use; default: the keys of the bindings. */
  vars?: readonly string[]
}

const CACHE_LIMIT = 1000
const cache = new Map<string, CompiledExpression>()

/** A compiled expression from the cache, compiling it on first use. */
export function compileCached(
  source: string,
  vars: readonly string[],
  options: CompileOptions = {}
): CompiledExpression {
  const key = `${options.mixedArithmetic === false ? 'strict' : 'mixed'}\u0000${[...vars].sort().join(',')}\u0000${source}`
  const hit = cache.get(key)
  if (hit) {
    // Re-insert so the least recently used entry is the one evicted.
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const compiled = compileExpression(source, vars, options)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(key, compiled)
  return compiled
}

/** Evaluates a CEL expression with these bindings; returns a plain JS value, throws CelError. */
export function evaluateCel(
  source: string,
  bindings: Record<string, unknown>,
  options: EvaluateOptions = {}
): unknown {
  const { vars = Object.keys(bindings), ...compileOptions } = options
  return evaluate(compileCached(source, vars, compileOptions), bindings)
}

/** Evaluates a condition: the expression must give true or false (CelError otherwise). */
export function evaluateCelCondition(
  source: string,
  bindings: Record<string, unknown>,
  options: EvaluateOptions = {}
): boolean {
  const result = evaluateCel(source, bindings, options)
  if (typeof result !== 'boolean') {
    const shown = typeof result === 'bigint' ? String(result) : JSON.stringify(result)
    throw new CelError(
      `the expression must give true or false, but it gave ${shown ?? String(result)}`,
      'evaluation',
      source
    )
  }
  return result
}

const LABELS = {
  syntax: 'CEL syntax error',
  check: 'CEL error',
  evaluation: 'CEL evaluation error'
} as const

/**
 * A multi-line description of an error: what failed, where, and the expression line with a caret
 * under the column. Anything that is not a CelError is described by its message.
 */
export function describeCelError(err: unknown): string {
  if (!(err instanceof CelError)) return errorMessage(err)
  const label = LABELS[err.kind]
  if (err.line === undefined || err.column === undefined)
    return `${label}: ${err.plain}\n  ${err.source.split('\n').join('\n  ')}`
  const line = err.source.split('\n')[err.line - 1] ?? ''
  // Keep tabs so the caret lines up under the same column in a terminal.
  const pad = [...line]
    .slice(0, err.column - 1)
    .map(c => (c === '\t' ? '\t' : ' '))
    .join('')
  return `${label} at line ${err.line}, column ${err.column}: ${err.plain}\n  ${line}\n  ${pad}^`
}
