/**
 * The shared CEL environment: @bufbuild/cel plus the parts of the Kubernetes CEL environment that
 * success criteria, thresholds and hygiene rules use, compiled once and evaluated many times.
 *
 * Kubernetes CEL here (base environment of 1.33): standard macros and functions, strings ext v2,
 * cross-type numeric comparisons, optional types (`a.?b.orValue(x)`, `a[?k]`, optional.*),
 * quantity, url, semver (v1), ip, cidr, regex find/findAll, the list library, the sets extension,
 * homogeneous aggregate literals, compile-time checks of regex/duration/timestamp literals, and
 * the checker's overload errors for arithmetic and equality between types known without a schema
 * (`size(x) * 0.5`, infer.ts).
 * Not here: format, image and authz libraries, two-variable comprehensions, optional list/map
 * entries (`[?x]`, `{?k: v}`), optMap/optFlatMap, schema typing (a field no schema declares is a
 * runtime "no such key", not a compile error) and cost limits.
 * One deliberate difference: int/double arithmetic mixes (numbers.ts); `mixedArithmetic: false`
 * turns it off for rules that must behave exactly as in a ValidatingAdmissionPolicy.
 */
import {
  celEnv,
  isCelError,
  parse,
  plan,
  type CelEnv,
  type CelFunc,
  type CelInput,
  type CelResult,
  type CelValue
} from '@bufbuild/cel'
import { strings } from '@bufbuild/cel/ext'
import { checkExpression, identifierNames, nodeOffset, propagateOptionals } from './ast.js'
import { CelError } from './cel-error.js'
import type { ParsedExpr } from './expr.js'
import { reviveParsed, serializeParsed } from './parsed-json.js'
import { listsLibrary } from './lists.js'
import { mixedArithmetic } from './numbers.js'
import { ipLibrary } from './ip.js'
import { OPTIONAL_INDEX, OPTIONAL_SELECT, optionalLibrary } from './optional.js'
import { preprocess, type Preprocessed } from './preprocess.js'
import { quantityLibrary } from './quantity.js'
import { regexLibrary } from './regex.js'
import { semverLibrary } from './semver.js'
import { urlLibrary } from './url.js'
import { asCelInput, fromCelValue, toCelInput } from './values.js'
import { errorMessage } from '../core/errors.js'

/** How an expression is compiled. */
export interface CompileOptions {
  /**
   * Let `int op double` arithmetic compute as double (default true). Turn off to reject what a
   * Kubernetes ValidatingAdmissionPolicy rejects, e.g. when checking rules meant for the apiserver.
   */
  mixedArithmetic?: boolean
  /**
   * The expression's tree, parsed (optionals propagated) and checked with the
   * same variables and options when phase-gate was built (serializeParsed's
   * text): the run revives it instead of parsing and checking again.
   */
  parsed?: string
}

/** A parsed, checked and planned expression, ready to evaluate. */
export interface CompiledExpression {
  /** The expression as written. */
  readonly source: string
  /** The variables it may use. */
  readonly vars: readonly string[]
}

interface Program {
  readonly run: (ctx: Record<string, CelInput>) => CelResult
  readonly parsed: ParsedExpr
  /** The preprocessed text's offsets, for positions in runtime errors (computed on the first one for a tree revived from build time). */
  pre?: Preprocessed
  readonly identifiers: Map<bigint, string>
}

const KUBERNETES_LIBRARY: CelFunc[] = [
  ...strings,
  ...quantityLibrary,
  ...regexLibrary,
  ...urlLibrary,
  ...semverLibrary,
  ...ipLibrary,
  ...optionalLibrary,
  ...listsLibrary
]

let strictEnv: CelEnv | undefined
let mixedEnv: CelEnv | undefined

/** The environment for the given options (built once each). */
function environment(mixed: boolean): CelEnv {
  if (mixed) return (mixedEnv ??= celEnv({ funcs: [...KUBERNETES_LIBRARY, ...mixedArithmetic] }))
  return (strictEnv ??= celEnv({ funcs: KUBERNETES_LIBRARY }))
}

const programs = new WeakMap<CompiledExpression, Program>()
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

interface PeggyError {
  location?: { start?: { offset?: number } }
  found?: string | null
  expected?: { description?: string; text?: string; type?: string }[] | null
}

function syntaxError(err: unknown, source: string, pre: Preprocessed): CelError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as PeggyError
  const at = e.location?.start?.offset
  const offset = at === undefined ? undefined : pre.toOriginal(at)
  // The parser reports one character; name the whole token the user sees there.
  const token =
    offset === undefined
      ? undefined
      : /^(?:[A-Za-z_]\w*|\d+(?:\.\d+)?|\S)/.exec(source.slice(offset))?.[0]
  const found = token !== undefined ? `'${token}'` : e.found ? `'${e.found}'` : 'end of expression'
  const expected = (e.expected ?? [])
    .filter(x => x.type !== 'end' && x.description !== 'whitespace' && x.description !== 'comment')
    .map(x => x.description ?? x.text ?? '')
  const hint =
    expected.length > 0 && expected.length <= 4 ? `, expected ${expected.join(' or ')}` : ''
  return new CelError(`syntax error: unexpected ${found}${hint}`, 'syntax', source, offset)
}

/** Where a node is in the user's text: the parser places a binary operator's node on the blank before the operator. */
function nodePosition(
  source: string,
  pre: Preprocessed,
  at: number | undefined
): number | undefined {
  if (at === undefined) return undefined
  let offset = pre.toOriginal(at)
  while (/\s/.test(source[offset] ?? '')) offset++
  return offset
}

/** Parses, checks and plans an expression over the given variables; throws CelError with the position. */
export function compileExpression(
  source: string,
  vars: readonly string[],
  options: CompileOptions = {}
): CompiledExpression {
  for (const v of vars) {
    if (!IDENTIFIER.test(v)) throw new Error(`internal: '${v}' is not a valid CEL variable name`)
  }
  const mixed = options.mixedArithmetic ?? true
  const env = environment(mixed)
  let pre: Preprocessed | undefined
  let parsed: ParsedExpr
  if (options.parsed !== undefined) parsed = reviveParsed(options.parsed)
  else {
    pre = preprocess(source)
    parsed = parseAndCheck(source, pre, env, vars, mixed)
  }
  let run: Program['run']
  try {
    run = plan(env, parsed) as Program['run']
  } catch (err) {
    throw new CelError(errorMessage(err), 'check', source)
  }
  const compiled: CompiledExpression = Object.freeze({ source, vars: Object.freeze([...vars]) })
  programs.set(compiled, { run, parsed, pre, identifiers: identifierNames(parsed) })
  return compiled
}

/** Parses the preprocessed text, propagates optionals and checks the tree; throws CelError with the position. */
export function parseAndCheck(
  source: string,
  pre: Preprocessed,
  env: CelEnv,
  vars: readonly string[],
  mixed: boolean
): ParsedExpr {
  let parsed: ParsedExpr
  try {
    parsed = parse(pre.text)
  } catch (err) {
    throw syntaxError(err, source, pre)
  }
  propagateOptionals(parsed)
  const problem = checkExpression(parsed, env, vars, mixed)
  if (problem) {
    throw new CelError(problem.message, 'check', source, nodePosition(source, pre, problem.offset))
  }
  return parsed
}

/** The checked tree of an expression as serializeParsed's text, for compiling it at build time. */
export function parsedText(
  source: string,
  vars: readonly string[],
  options: CompileOptions = {}
): string {
  const mixed = options.mixedArithmetic ?? true
  return serializeParsed(parseAndCheck(source, preprocess(source), environment(mixed), vars, mixed))
}

function runtimeMessage(message: string, unbound: string | undefined): string {
  if (message === 'unresolved attribute' && unbound !== undefined)
    return `no value for variable '${unbound}'`
  const missing = /^field not found: (.*)$/.exec(message)
  if (missing) {
    return `no such key: ${missing[1]} (guard with has(x.${missing[1]}) or write x.?${missing[1]}.orValue(default) when it may be absent)`
  }
  let out = message
    .replaceAll(`'${OPTIONAL_SELECT}'`, "'.?'")
    .replaceAll(`'${OPTIONAL_INDEX}'`, "'[?]'")
  if (/no matching overload for '_[-+*/]_' applied to '\((int, double|double, int)\)'/.test(out)) {
    out +=
      ': CEL does not mix int and double in arithmetic; write 2.0 rather than 2, or convert with double(x)'
  }
  return out
}

/** Evaluates a compiled expression with JSON-like bindings; returns a plain JS value, throws CelError. */
export function evaluate(compiled: CompiledExpression, bindings: Record<string, unknown>): unknown {
  return fromCelValue(evaluateCel(compiled, bindings))
}

/**
 * evaluate(), but the result stays a CEL value, ready to be bound to another
 * expression as it is (a variable other expressions use): no conversion to
 * plain JS and back.
 */
export function evaluateValue(
  compiled: CompiledExpression,
  bindings: Record<string, unknown>
): CelInput {
  return asCelInput(evaluateCel(compiled, bindings))
}

function evaluateCel(compiled: CompiledExpression, bindings: Record<string, unknown>): CelValue {
  const program = programs.get(compiled)
  if (!program) throw new Error('internal: evaluate() needs an expression from compileExpression()')
  const ctx: Record<string, CelInput> = {}
  for (const v of compiled.vars) {
    if (bindings[v] !== undefined) ctx[v] = toCelInput(bindings[v], v)
  }
  let result: CelResult
  try {
    result = program.run(ctx)
  } catch (err) {
    throw new CelError(errorMessage(err), 'evaluation', compiled.source)
  }
  if (isCelError(result)) {
    const id = result.exprId
    const name = id === undefined ? undefined : program.identifiers.get(id)
    const unbound =
      name !== undefined && compiled.vars.includes(name) && !(name in ctx) ? name : undefined
    const at = nodeOffset(program.parsed, id)
    program.pre ??= preprocess(compiled.source)
    const offset = nodePosition(compiled.source, program.pre, at)
    throw new CelError(
      runtimeMessage(result.message, unbound),
      'evaluation',
      compiled.source,
      offset
    )
  }
  return result
}
