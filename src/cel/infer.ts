/**
 * Static types of an expression, as far as they are known without a schema, and the overload
 * errors a type checker reports from them.
 *
 * Kubernetes compiles a rule with a type checker: `size(x) * 0.5` or `(object.spec.replicas + 1) *
 * 0.5` never compile there, because `size` and `dyn + int` are `int` and there is no `int * double`.
 * @bufbuild/cel exports no checker, so this infers what it can bottom-up: literals, the declared
 * result of the overloads that fit, list element types through literals, indexes, comprehension
 * macros (`map`, `filter`, `all`, ...) and `sum`/`min`/`max`. Variables, fields and anything an
 * overload declares as `dyn` stay `dyn`, which fits every overload, so an unknown type never makes
 * an error; only arithmetic and equality between types known to be different do.
 */
import type { CelEnv, CelType } from '@bufbuild/cel'
import type { AstProblem, Expr, ParsedExpr } from './expr.js'
import { OPTIONAL_INDEX, OPTIONAL_SELECT } from './optional.js'

/** A static type: `dyn` when unknown, `fresh` for the element of an empty list literal. */
export type StaticType =
  | { k: 'dyn' }
  | { k: 'fresh' }
  | { k: 'scalar'; name: string }
  | { k: 'object'; name: string }
  | { k: 'list'; elem: StaticType }
  | { k: 'map'; key: StaticType; value: StaticType }

const DYN: StaticType = { k: 'dyn' }
const FRESH: StaticType = { k: 'fresh' }
const scalar = (name: string): StaticType => ({ k: 'scalar', name })
const BOOL = scalar('bool')

const CONSTANT_TYPES: Record<string, string> = {
  int64Value: 'int',
  uint64Value: 'uint',
  doubleValue: 'double',
  stringValue: 'string',
  boolValue: 'bool',
  bytesValue: 'bytes',
  nullValue: 'null_type'
}
const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_'])
const EQUALITY = new Set(['_==_', '_!=_'])
const LOGIC = new Set(['_&&_', '_||_', '@not_strictly_false', 'not_strictly_false'])
// Methods whose result is the element type of the list they are called on (Kubernetes' lists library).
const ELEMENT_RESULT = new Set(['sum', 'min', 'max'])
const OBJECT_NAMES: Record<string, string> = {
  'google.protobuf.Duration': 'duration',
  'google.protobuf.Timestamp': 'timestamp'
}

/** The type as cel-go prints it in "found no matching overload" messages. */
export function typeName(t: StaticType): string {
  switch (t.k) {
    case 'dyn':
    case 'fresh':
      return 'dyn'
    case 'scalar':
      return t.name === 'null_type' ? 'null' : t.name
    case 'object':
      return OBJECT_NAMES[t.name] ?? t.name
    case 'list':
      return `list(${typeName(t.elem)})`
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`
  }
}

function fromCel(t: CelType): StaticType {
  switch (t.kind) {
    case 'scalar':
      return t.scalar === 'dyn' ? DYN : scalar(t.scalar)
    case 'object':
      return { k: 'object', name: t.name }
    case 'list':
      return { k: 'list', elem: fromCel(t.element) }
    case 'map':
      return { k: 'map', key: fromCel(t.key), value: fromCel(t.value) }
  }
}

const known = (t: StaticType) => t.k !== 'dyn' && t.k !== 'fresh'

function same(a: StaticType, b: StaticType): boolean {
  return typeName(a) === typeName(b) && a.k === b.k
}

/** The type both branches share; `fresh` takes the other side's, anything else different is dyn. */
function join(a: StaticType, b: StaticType): StaticType {
  if (a.k === 'fresh') return b
  if (b.k === 'fresh') return a
  if (a.k === 'list' && b.k === 'list') return { k: 'list', elem: join(a.elem, b.elem) }
  if (a.k === 'map' && b.k === 'map')
    return { k: 'map', key: join(a.key, b.key), value: join(a.value, b.value) }
  return same(a, b) ? a : DYN
}

const isNull = (t: StaticType) => t.k === 'scalar' && t.name === 'null_type'

/** Whether `==` accepts the two: the same type, element by element; null only beside null or an object. */
function comparable(a: StaticType, b: StaticType): boolean {
  if (!known(a) || !known(b)) return true
  if (isNull(a) || isNull(b))
    return (isNull(a) || a.k === 'object') && (isNull(b) || b.k === 'object')
  if (a.k === 'list' && b.k === 'list') return comparable(a.elem, b.elem)
  if (a.k === 'map' && b.k === 'map')
    return comparable(a.key, b.key) && comparable(a.value, b.value)
  return typeName(a) === typeName(b)
}

function assignable(arg: StaticType, param: CelType): boolean {
  if (!known(arg)) return true
  switch (param.kind) {
    case 'scalar':
      return param.scalar === 'dyn' || (arg.k === 'scalar' && arg.name === param.scalar)
    case 'object':
      return arg.k === 'object' && arg.name === param.name
    case 'list':
      return arg.k === 'list' && assignable(arg.elem, param.element)
    case 'map':
      return arg.k === 'map' && assignable(arg.key, param.key) && assignable(arg.value, param.value)
  }
}

/** Element type of what a comprehension iterates: a list's elements, a map's keys. */
function iterated(t: StaticType): StaticType {
  if (t.k === 'list') return t.elem
  if (t.k === 'map') return t.key
  return DYN
}

/** The dotted name an expression spells (`a.b.c`), if it is only identifiers and selections. */
export function qualifiedName(e: Expr | undefined): string | undefined {
  if (!e) return undefined
  if (e.exprKind.case === 'identExpr') return e.exprKind.value.name
  if (e.exprKind.case === 'selectExpr' && !e.exprKind.value.testOnly) {
    const base = qualifiedName(e.exprKind.value.operand)
    return base === undefined ? undefined : `${base}.${e.exprKind.value.field}`
  }
  return undefined
}

/**
 * The first arithmetic or equality between types known not to fit, as the checker reports it:
 * `found no matching overload for '_*_' applied to '(int, double)'`.
 */
export function overloadProblem(
  parsed: ParsedExpr,
  env: CelEnv,
  vars: readonly string[]
): AstProblem | undefined {
  return infer(parsed, env, vars).problem
}

function infer(
  parsed: ParsedExpr,
  env: CelEnv,
  vars: readonly string[]
): { type: StaticType; problem: AstProblem | undefined } {
  const positions = parsed.sourceInfo?.positions as Record<string, number> | undefined
  let problem: AstProblem | undefined
  const fail = (e: Expr, message: string) => {
    problem ??= { message, offset: positions?.[String(e.id)] }
  }

  const typeOf = (e: Expr | undefined, scope: ReadonlyMap<string, StaticType>): StaticType => {
    if (!e) return DYN
    const k = e.exprKind
    switch (k.case) {
      case 'constExpr': {
        const name = CONSTANT_TYPES[k.value.constantKind.case ?? '']
        return name ? scalar(name) : DYN
      }
      case 'identExpr':
        return scope.get(k.value.name) ?? DYN
      case 'selectExpr': {
        if (k.value.testOnly) {
          typeOf(k.value.operand, scope)
          return BOOL
        }
        const name = qualifiedName(e)
        if (name !== undefined && !scope.has(name.split('.')[0])) return DYN
        const operand = typeOf(k.value.operand, scope)
        return operand.k === 'map' ? operand.value : DYN
      }
      case 'listExpr': {
        let elem = FRESH
        for (const x of k.value.elements) elem = join(elem, typeOf(x, scope))
        return { k: 'list', elem }
      }
      case 'structExpr': {
        let key = FRESH
        let value = FRESH
        for (const en of k.value.entries) {
          if (en.keyKind.case === 'mapKey') key = join(key, typeOf(en.keyKind.value, scope))
          value = join(value, typeOf(en.value, scope))
        }
        return k.value.messageName ? DYN : { k: 'map', key, value }
      }
      case 'comprehensionExpr': {
        const c = k.value
        const range = typeOf(c.iterRange, scope)
        const inner = new Map(scope)
        inner.set(c.iterVar, iterated(range))
        if (c.iterVar2) inner.set(c.iterVar2, range.k === 'map' ? range.value : DYN)
        // One round of the loop settles the accumulator: `[]` becomes the list its step builds.
        let accu = typeOf(c.accuInit, scope)
        inner.set(c.accuVar, accu)
        typeOf(c.loopCondition, inner)
        accu = join(accu, typeOf(c.loopStep, inner))
        inner.set(c.accuVar, accu)
        return typeOf(c.result, inner)
      }
      case 'callExpr':
        return callType(e, k.value, scope)
      default:
        return DYN
    }
  }

  const callType = (
    e: Expr,
    call: Extract<Expr['exprKind'], { case: 'callExpr' }>['value'],
    scope: ReadonlyMap<string, StaticType>
  ): StaticType => {
    const name = call.target ? qualifiedName(call.target) : undefined
    const namespacedName =
      name !== undefined && !scope.has(name.split('.')[0]) ? `${name}.${call.function}` : undefined
    const namespaced = namespacedName !== undefined && env.funcs.find(namespacedName)
    const target = call.target && !namespaced ? typeOf(call.target, scope) : undefined
    const args = call.args.map(a => typeOf(a, scope))
    const fn = call.function
    if (LOGIC.has(fn)) return BOOL
    if (fn === '_?_:_') return join(args[1], args[2])
    if (fn === '_[_]') {
      const [on] = args
      return on.k === 'list' ? on.elem : on.k === 'map' ? on.value : DYN
    }
    if (fn === OPTIONAL_SELECT || fn === OPTIONAL_INDEX || fn === '_[?_]' || fn === '_?._')
      return DYN
    if (EQUALITY.has(fn) && args.length === 2) {
      if (!comparable(args[0], args[1])) fail(e, noOverload(fn, args))
      return BOOL
    }
    if (target && ELEMENT_RESULT.has(fn) && args.length === 0 && target.k === 'list')
      return known(target.elem) ? target.elem : DYN
    if (fn === '_+_' && args.length === 2 && args[0].k === 'list' && args[1].k === 'list')
      return { k: 'list', elem: join(args[0].elem, args[1].elem) }
    const group = (namespaced || undefined) ?? env.funcs.find(fn)
    if (!group) return DYN
    const isMethod = call.target !== undefined && !namespaced
    const fits = [...group].filter(
      f =>
        (f.target !== undefined) === isMethod &&
        f.arguments.length === args.length &&
        (!isMethod || !target || assignable(target, f.target as CelType)) &&
        f.arguments.every((p, i) => assignable(args[i], p))
    )
    if (fits.length === 0) {
      if (ARITHMETIC.has(fn) && args.every(known)) fail(e, noOverload(fn, args))
      return DYN
    }
    const results = fits.map(f => fromCel(f.result))
    return results.every(r => same(r, results[0])) ? results[0] : DYN
  }

  const scope = new Map<string, StaticType>(vars.map(v => [v, DYN]))
  const type = typeOf(parsed.expr, scope)
  return { type, problem }
}

const NUMBERS = new Set(['int', 'uint', 'double'])

function noOverload(fn: string, args: StaticType[]): string {
  const names = args.map(typeName)
  const numbers = names.every(n => NUMBERS.has(n))
  return (
    `found no matching overload for '${fn}' applied to '(${names.join(', ')})'` +
    (numbers ? ': write 2.0 rather than 2, or convert with double(x)' : '')
  )
}

/** The static type of the whole expression (dyn where it cannot be known). */
export function staticTypeOf(parsed: ParsedExpr, env: CelEnv, vars: readonly string[]): StaticType {
  return infer(parsed, env, vars).type
}
