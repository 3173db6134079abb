/**
 * What happens to the parsed expression before it is planned.
 *
 * 1. Optional chains: after `a.?b`, every later `.c` and `[k]` is optional too (cel-go's rule),
 *    so those selections become OPTIONAL_SELECT / OPTIONAL_INDEX calls.
 * 2. Checks a type checker would make and @bufbuild/cel (which exports none) leaves to run time:
 *    undeclared variables, unknown functions, wrong argument counts, regex, duration and timestamp
 *    literals that cannot compile, and list/map literals mixing constant types (Kubernetes turns on
 *    HomogeneousAggregateLiterals), and arithmetic or equality between types known to differ
 *    (infer.ts). Each error carries the position of the offending node.
 */
import { isCelError, run, type CelEnv } from '@bufbuild/cel'
import type { AstProblem, Expr, ParsedExpr } from './expr.js'
import { OPTIONAL_INDEX, OPTIONAL_PRODUCERS, OPTIONAL_SELECT } from './optional.js'
import { overloadProblem, qualifiedName } from './infer.js'
import { compileRe2 } from './regex.js'
import { errorMessage } from '../core/errors.js'

type Kind = Expr['exprKind']
type CallValue = Extract<Kind, { case: 'callExpr' }>['value']
type ConstValue = Extract<Kind, { case: 'constExpr' }>['value']

// Handled by the planner itself, never looked up as functions.
const PLANNER_CALLS = new Set([
  '_&&_',
  '_||_',
  '_?_:_',
  '_[_]',
  '_[?_]',
  '_?._',
  '@not_strictly_false',
  'not_strictly_false'
])
const TYPE_NAMES = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type'
])
const REGEX_FUNCTIONS = new Set(['matches', 'find', 'findAll'])
const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_'])
const EQUALITY = new Set(['_==_', '_!=_'])
const NUMERIC_KINDS = new Set(['int64Value', 'uint64Value', 'doubleValue'])
const LITERAL_FUNCTIONS = new Set(['duration', 'timestamp'])

function positionOf(parsed: ParsedExpr, id: bigint): number | undefined {
  const positions = parsed.sourceInfo?.positions as Record<string, number> | undefined
  return positions?.[String(id)]
}

function producesOptional(e: Expr | undefined): boolean {
  if (!e || e.exprKind.case !== 'callExpr') return false
  const call = e.exprKind.value
  const qualified = call.target ? qualifiedName(call.target) : undefined
  if (qualified !== undefined && OPTIONAL_PRODUCERS.has(`${qualified}.${call.function}`))
    return true
  return (
    call.target !== undefined && (OPTIONAL_PRODUCERS.has(call.function) || call.function === 'or')
  )
}

function children(e: Expr): Expr[] {
  const k = e.exprKind
  switch (k.case) {
    case 'selectExpr':
      return k.value.operand ? [k.value.operand] : []
    case 'callExpr':
      return [...(k.value.target ? [k.value.target] : []), ...k.value.args]
    case 'listExpr':
      return k.value.elements
    case 'structExpr':
      return k.value.entries.flatMap(en => [
        ...(en.keyKind.case === 'mapKey' ? [en.keyKind.value] : []),
        ...(en.value ? [en.value] : [])
      ])
    case 'comprehensionExpr': {
      const c = k.value
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter(
        (x): x is Expr => x !== undefined
      )
    }
    default:
      return []
  }
}

/** Rewrites selections and indexes that follow an optional access into optional ones (in place). */
export function propagateOptionals(parsed: ParsedExpr): void {
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>
  let nextId = 0n
  const visitIds = (e: Expr) => {
    if (e.id >= nextId) nextId = e.id + 1n
    children(e).forEach(visitIds)
  }
  visitIds(parsed.expr)

  const call = (node: Expr, target: Expr, fn: string, arg: Expr) => {
    const value = {
      $typeName: 'cel.expr.Expr.Call',
      target,
      function: fn,
      args: [arg]
    } as CallValue
    node.exprKind = { case: 'callExpr', value }
  }
  const visit = (e: Expr) => {
    children(e).forEach(visit)
    const k = e.exprKind
    if (
      k.case === 'selectExpr' &&
      !k.value.testOnly &&
      k.value.operand &&
      producesOptional(k.value.operand)
    ) {
      const id = nextId++
      const pos = positions[String(e.id)]
      if (pos !== undefined) positions[String(id)] = pos
      const constant = {
        $typeName: 'cel.expr.Constant',
        constantKind: { case: 'stringValue', value: k.value.field }
      } as ConstValue
      const field = {
        $typeName: 'cel.expr.Expr',
        id,
        exprKind: { case: 'constExpr', value: constant }
      } as Expr
      call(e, k.value.operand, OPTIONAL_SELECT, field)
    } else if (
      k.case === 'callExpr' &&
      k.value.function === '_[_]' &&
      !k.value.target &&
      producesOptional(k.value.args[0])
    ) {
      call(e, k.value.args[0], OPTIONAL_INDEX, k.value.args[1])
    }
  }
  visit(parsed.expr)
}

function constantKind(e: Expr): string | undefined {
  return e.exprKind.case === 'constExpr' ? e.exprKind.value.constantKind.case : undefined
}

function constantString(e: Expr | undefined): string | undefined {
  if (!e || e.exprKind.case !== 'constExpr') return undefined
  const c = e.exprKind.value.constantKind
  return c.case === 'stringValue' ? c.value : undefined
}

const KIND_NAMES: Record<string, string> = {
  int64Value: 'int',
  uint64Value: 'uint',
  doubleValue: 'double',
  stringValue: 'string',
  boolValue: 'bool',
  bytesValue: 'bytes',
  nullValue: 'null'
}

function mixedConstants(items: Expr[]): string | undefined {
  const kinds = [...new Set(items.map(constantKind).filter((k): k is string => k !== undefined))]
  if (kinds.length < 2) return undefined
  return kinds.map(k => KIND_NAMES[k] ?? k).join(' and ')
}

/** What the checks of one expression share. */
interface Checker {
  env: CelEnv
  mixedArithmetic: boolean
  problem: (e: Expr, message: string) => AstProblem
}

/** A call's own problems: mixed literal operands, unknown functions, wrong arity, bad literals. */
function checkCall(
  c: Checker,
  e: Expr,
  call: CallValue,
  scope: ReadonlySet<string>
): AstProblem | undefined {
  const { env, mixedArithmetic } = c
  if (PLANNER_CALLS.has(call.function)) return undefined
  if (call.args.length === 2 && (EQUALITY.has(call.function) || ARITHMETIC.has(call.function))) {
    // What Kubernetes' checker sees even without a schema: two literals of different types.
    // Equality is heterogeneous only at run time (`dyn(1) == 1.0` is true, `1 == 1.0` does not compile);
    // arithmetic mixes only numbers, and only with mixedArithmetic (`1 + "a"` never compiles).
    const [a, b] = call.args.map(constantKind)
    const numbers =
      a !== undefined && b !== undefined && NUMERIC_KINDS.has(a) && NUMERIC_KINDS.has(b)
    const allowed = ARITHMETIC.has(call.function) && numbers && mixedArithmetic
    if (a && b && a !== b && a !== 'nullValue' && b !== 'nullValue' && !allowed) {
      return c.problem(
        e,
        `found no matching overload for '${call.function}' applied to '(${KIND_NAMES[a]}, ${KIND_NAMES[b]})'` +
          (numbers ? ': write 2.0 rather than 2, or convert with double(x)' : '')
      )
    }
  }
  const qualified = call.target ? qualifiedName(call.target) : undefined
  const namespaced =
    qualified !== undefined && !scope.has(qualified.split('.')[0])
      ? `${qualified}.${call.function}`
      : undefined
  const group = (namespaced && env.funcs.find(namespaced)) || env.funcs.find(call.function)
  if (!group && call.function === 'has' && !call.target) {
    return c.problem(e, 'has() takes a field selection, e.g. has(object.spec.replicas)')
  }
  if (!group) return c.problem(e, `unknown function '${namespaced ?? call.function}'`)
  const isMethod = call.target !== undefined && group.name === call.function
  const overloads = [...group].filter(
    f => (f.target !== undefined) === isMethod && f.arguments.length === call.args.length
  )
  if (overloads.length === 0) {
    const shape = isMethod
      ? `a method taking ${call.args.length}`
      : `a function taking ${call.args.length}`
    return c.problem(
      e,
      `'${group.name}' is not ${shape} argument${call.args.length === 1 ? '' : 's'}`
    )
  }
  return literalProblem(c, call, isMethod)
}

/** Regex patterns and duration/timestamp literals that cannot compile. */
function literalProblem(c: Checker, call: CallValue, isMethod: boolean): AstProblem | undefined {
  if (REGEX_FUNCTIONS.has(call.function)) {
    const patternArg = isMethod ? call.args[0] : call.args[1]
    const pattern = constantString(patternArg)
    if (pattern !== undefined && patternArg) {
      try {
        compileRe2(pattern)
      } catch (err) {
        return c.problem(patternArg, errorMessage(err))
      }
    }
  }
  if (!isMethod && LITERAL_FUNCTIONS.has(call.function) && call.args.length === 1) {
    const literal = constantString(call.args[0])
    if (literal !== undefined) {
      // Through run(), because @bufbuild/cel functions need an evaluation context.
      const result = run(`${call.function}(literal)`, { literal })
      if (isCelError(result))
        return c.problem(
          call.args[0],
          `invalid ${call.function} literal '${literal}': ${result.message}`
        )
    }
  }
  return undefined
}

/** Finds what a type checker would reject; returns the first problem, or undefined. */
export function checkExpression(
  parsed: ParsedExpr,
  env: CelEnv,
  vars: readonly string[],
  mixedArithmetic = true
): AstProblem | undefined {
  const problem = (e: Expr, message: string): AstProblem => ({
    message,
    offset: positionOf(parsed, e.id)
  })
  const checker: Checker = { env, mixedArithmetic, problem }

  const visit = (e: Expr, scope: ReadonlySet<string>): AstProblem | undefined => {
    const k = e.exprKind
    switch (k.case) {
      case 'identExpr':
        if (scope.has(k.value.name) || TYPE_NAMES.has(k.value.name)) return undefined
        return problem(
          e,
          `undeclared reference to '${k.value.name}'${vars.length ? ` (variables: ${vars.join(', ')})` : ''}`
        )
      case 'callExpr': {
        const own = checkCall(checker, e, k.value, scope)
        if (own) return own
        // A namespaced call's target (`sets` in sets.contains) is a name, not a variable.
        const qualified = k.value.target ? qualifiedName(k.value.target) : undefined
        const namespaced =
          qualified !== undefined &&
          !scope.has(qualified.split('.')[0]) &&
          env.funcs.find(`${qualified}.${k.value.function}`)
        const parts = namespaced ? k.value.args : children(e)
        for (const child of parts) {
          const found = visit(child, scope)
          if (found) return found
        }
        return undefined
      }
      case 'comprehensionExpr': {
        const c = k.value
        const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])])
        for (const [child, s] of [
          [c.iterRange, scope],
          [c.accuInit, scope],
          [c.loopCondition, inner],
          [c.loopStep, inner],
          [c.result, inner]
        ] as const) {
          const found = child && visit(child, s)
          if (found) return found
        }
        return undefined
      }
      case 'listExpr': {
        const mixed = mixedConstants(k.value.elements)
        if (mixed)
          return problem(e, `a list literal must not mix ${mixed} elements (Kubernetes rejects it)`)
        break
      }
      case 'structExpr': {
        if (k.value.messageName !== '')
          return problem(e, `creating a '${k.value.messageName}' object is not supported`)
        const keys = k.value.entries.flatMap(en =>
          en.keyKind.case === 'mapKey' ? [en.keyKind.value] : []
        )
        const values = k.value.entries.flatMap(en => (en.value ? [en.value] : []))
        const mixed = mixedConstants(keys) ?? mixedConstants(values)
        if (mixed)
          return problem(
            e,
            `a map literal must not mix ${mixed} keys or values (Kubernetes rejects it)`
          )
        break
      }
    }
    for (const child of children(e)) {
      const found = visit(child, scope)
      if (found) return found
    }
    return undefined
  }
  return visit(parsed.expr, new Set(vars)) ?? overloadProblem(parsed, env, vars)
}

/** Ids of identifier nodes and their names, to name an unbound variable in a runtime error. */
export function identifierNames(parsed: ParsedExpr): Map<bigint, string> {
  const out = new Map<bigint, string>()
  const visit = (e: Expr) => {
    if (e.exprKind.case === 'identExpr') out.set(e.id, e.exprKind.value.name)
    children(e).forEach(visit)
  }
  visit(parsed.expr)
  return out
}

/** The offset (in the parsed text) of a node, from the parser's position table. */
export function nodeOffset(parsed: ParsedExpr, id: bigint | undefined): number | undefined {
  return id === undefined ? undefined : positionOf(parsed, id)
}
