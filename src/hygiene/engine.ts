/**
 * Judging objects by hygiene rules: each rule's CEL is compiled once (with Kubernetes' number
 * rules, as a ValidatingAdmissionPolicy compiles it) and evaluated per object with `object`,
 * `params` and `variables` bound.
 */

import { CelError } from '../cel/cel-error.js'
import { compileExpression, evaluate, evaluateValue, type CompiledExpression } from '../cel/env.js'
import { celInputOnce } from '../cel/values.js'
import { errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { BUILTIN_PARSED } from './builtin-cel.generated.js'
import type { HygieneRule, RuleVerdict } from './types.js'
import { OBJECT_VARIABLES, PDBS_VARIABLE, VARIABLE_NAMES, variablesUsed } from './variables.js'

/** The names a rule's expressions may use. */
export const RULE_VARS = ['object', 'params', 'variables'] as const

/** A PodDisruptionBudget as rules see it in `variables.pdbs`. */
export interface PdbSummary {
  name: string
  matchLabels: Record<string, string>
}

/** What a rule is judged with besides the object. */
export interface RuleContext {
  /** The plan's `hygiene.params`. */
  params?: Record<string, unknown>
  /** The PodDisruptionBudgets in the object's namespace. */
  pdbs?: PdbSummary[]
}

/** A rule ready to judge objects. */
export interface CompiledRule {
  rule: HygieneRule
  /** The `variables.<name>` it needs, in evaluation order. */
  variables: string[]
  check: CompiledExpression
  message?: CompiledExpression
}

const compiledVariables = new Map<string, CompiledExpression>()

function variableProgram(name: string): CompiledExpression {
  let p = compiledVariables.get(name)
  if (!p) {
    const def = OBJECT_VARIABLES.find(v => v.name === name)
    if (!def) throw new Error(`internal: no hygiene variable ${name}`)
    p = compileExpression(def.expression, RULE_VARS, {
      mixedArithmetic: false,
      parsed: builtinParsed(def.expression)
    })
    compiledVariables.set(name, p)
  }
  return p
}

// Compiled rules by rule object: the built-in rules are constants, so each is
// compiled once per process, and only when an object it judges comes by
// (compiling all of them at every run cost about 115 ms of CPU).
const compiledRules = new WeakMap<HygieneRule, CompiledRule>()

/** Compiles a rule once per rule object; throws CelError (with the position) when its CEL is invalid. */
export function compileRule(rule: HygieneRule): CompiledRule {
  let c = compiledRules.get(rule)
  if (!c) {
    c = compileRuleNow(rule)
    compiledRules.set(rule, c)
  }
  return c
}

/**
 * The build-time tree of a built-in expression (parsed and checked by
 * scripts/hygiene-cel.mjs with RULE_VARS and no mixed arithmetic, as compiled
 * here), or undefined for any other text: a plan's own rule, or a built-in
 * edited since the table was generated, is parsed and checked now.
 */
function builtinParsed(source: string): string | undefined {
  return Object.hasOwn(BUILTIN_PARSED, source) ? BUILTIN_PARSED[source] : undefined
}

function compileRuleNow(rule: HygieneRule): CompiledRule {
  const opts = (source: string) => ({
    mixedArithmetic: false,
    parsed: rule.source === 'builtin' ? builtinParsed(source) : undefined
  })
  const check = compileExpression(rule.cel, RULE_VARS, opts(rule.cel))
  let message: CompiledExpression | undefined
  if (rule.messageExpression)
    message = compileExpression(rule.messageExpression, RULE_VARS, opts(rule.messageExpression))
  const variables = variablesUsed(rule.cel, rule.messageExpression)
  for (const source of [rule.cel, rule.messageExpression ?? '']) {
    const unknown = [...source.matchAll(/\bvariables\.([A-Za-z_]\w*)/g)]
      .map(m => m[1])
      .find(n => !variables.includes(n))
    if (unknown)
      throw new CelError(
        `unknown variable variables.${unknown}; rules may use ${VARIABLE_NAMES.map(v => `variables.${v}`).join(', ')}`,
        'check',
        source,
        source.indexOf(`variables.${unknown}`)
      )
  }
  return { rule, variables, check, message }
}

/** True when the rule judges this kind of object. */
export function ruleApplies(rule: HygieneRule, obj: KubeObject): boolean {
  return !rule.kinds || rule.kinds.includes(obj.kind)
}

const NO_PARAMS = {}

/** The variables a rule needs for one object (cached per object across rules). */
export class ObjectBindings {
  private readonly values = new Map<string, unknown>()

  constructor(
    readonly object: KubeObject,
    readonly context: RuleContext
  ) {}

  /** `object`, `params` and the named variables, ready for evaluate(). */
  bindings(names: string[]): Record<string, unknown> {
    const variables: Record<string, unknown> = {}
    for (const name of names) variables[name] = celInputOnce(this.variable(name, variables))
    // Converted for CEL once per object, not once per rule (the object is not changed while judged).
    return {
      object: celInputOnce(this.object),
      params: celInputOnce(this.context.params ?? NO_PARAMS),
      variables
    }
  }

  private variable(name: string, earlier: Record<string, unknown>): unknown {
    if (this.values.has(name)) return this.values.get(name)
    const value =
      name === PDBS_VARIABLE
        ? (this.context.pdbs ?? [])
        : evaluateValue(variableProgram(name), {
            object: celInputOnce(this.object),
            params: celInputOnce(this.context.params ?? NO_PARAMS),
            variables: earlier
          })
    this.values.set(name, value)
    return value
  }
}

/** Judges one object by one rule: pass, fail (with the message) or error (the CEL failed). */
export function judgeObject(rule: CompiledRule, subject: ObjectBindings): RuleVerdict {
  let bindings: Record<string, unknown>
  let result: unknown
  try {
    bindings = subject.bindings(rule.variables)
    result = evaluate(rule.check, bindings)
  } catch (err) {
    return { verdict: 'error', message: errorMessage(err) }
  }
  if (result === true) return { verdict: 'pass' }
  if (result !== false)
    return {
      verdict: 'error',
      message: `the expression must give true or false, but it gave ${typeof result === 'bigint' ? String(result) : JSON.stringify(result)}`
    }
  let message = rule.rule.message
  if (rule.message) {
    try {
      const m = evaluate(rule.message, bindings)
      if (typeof m === 'string' && m.trim() !== '') message = m
    } catch {
      // As on the apiserver: a failing messageExpression falls back to the static message.
    }
  }
  return { verdict: 'fail', message }
}

/** The PodDisruptionBudgets among these objects in `namespace` (objects without one are in `defaultNamespace`). */
export function pdbSummaries(
  objects: KubeObject[],
  namespace: string,
  defaultNamespace: string
): PdbSummary[] {
  const out: PdbSummary[] = []
  for (const o of objects) {
    if (o.kind !== 'PodDisruptionBudget' || !o.apiVersion.startsWith('policy/')) continue
    if ((o.metadata.namespace ?? defaultNamespace) !== namespace) continue
    const spec = (typeof o.spec === 'object' && o.spec !== null ? o.spec : {}) as Record<
      string,
      unknown
    >
    const sel = (
      typeof spec.selector === 'object' && spec.selector !== null ? spec.selector : {}
    ) as Record<string, unknown>
    const labels: Record<string, string> = {}
    if (typeof sel.matchLabels === 'object' && sel.matchLabels !== null)
      for (const [k, v] of Object.entries(sel.matchLabels)) if (typeof v === 'string') labels[k] = v
    out.push({ name: o.metadata.name, matchLabels: labels })
  }
  return out
}
