/** Hygiene rules: CEL over one object, the language a ValidatingAdmissionPolicy speaks. */

/** How bad a violation is: `high` fails the reality check, `medium` and `low` warn. */
export type HygieneSeverity = 'high' | 'medium' | 'low'

/** One rule, built in or from the plan's `hygiene.rules`. */
export interface HygieneRule {
  /** Stable id, used in reports, `hygiene.ignore` and `hygiene.disable`. */
  id: string
  severity: HygieneSeverity
  /** Kinds the rule judges; undefined means every kind. */
  kinds?: readonly string[]
  /** CEL over `object`, `params` and `variables` that must be true. */
  cel: string
  /** What is wrong when the expression is false. */
  message: string
  /** CEL giving a more specific message (e.g. naming the containers); the message is the fallback. */
  messageExpression?: string
  /** How to fix it. */
  fix: string
  /** `builtin`, or `plan` for the plan's own rules. */
  source: 'builtin' | 'plan'
}

/** What a rule decided about one object. */
export type RuleVerdict =
  | { verdict: 'pass' }
  | { verdict: 'fail'; message: string }
  /** The expression could not be evaluated (a ValidatingAdmissionPolicy with failurePolicy Fail denies then). */
  | { verdict: 'error'; message: string }
