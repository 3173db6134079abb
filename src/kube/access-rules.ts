/**
 * Access rules from a SelfSubjectRulesReview: one request lists what the
 * caller may do in a namespace, and a right those rules grant needs no
 * SelfSubjectAccessReview of its own. Only a grant is taken from the rules. A
 * review the server marks incomplete (an authorizer that cannot list its
 * rules, such as a webhook, which may also deny) or answers with an
 * evaluation error is not used at all, and a right the rules do not grant is
 * still asked with a SelfSubjectAccessReview, whose answer (and reason) stands.
 */

import { isRecord } from '../core/fields.js'
import type { AccessAttributes } from './types.js'

/** One resource rule as the review lists it (RBAC's PolicyRule without non-resource URLs). */
export interface ResourceRule {
  verbs: string[]
  apiGroups: string[]
  resources: string[]
  resourceNames: string[]
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []

/**
 * The resource rules of a SelfSubjectRulesReview's status, or undefined when
 * they cannot stand in for access reviews (incomplete, an evaluation error, or
 * no status at all).
 */
export function completeRules(status: unknown): ResourceRule[] | undefined {
  if (!isRecord(status)) return undefined
  if (status.incomplete === true) return undefined
  if (typeof status.evaluationError === 'string' && status.evaluationError !== '') return undefined
  if (!Array.isArray(status.resourceRules)) return undefined
  return status.resourceRules.filter(isRecord).map(r => ({
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames)
  }))
}

// The matching below is Kubernetes RBAC's (pkg/apis/rbac/v1 helpers): `*`
// matches any verb, group and resource; `*/sub` matches that subresource of
// any resource; a rule naming resourceNames grants only requests for one of
// those names (so never a list or a create, which carry no name).

function resourceMatches(rule: ResourceRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource
  return rule.resources.some(
    r => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`)
  )
}

/** True when one of the rules grants the request the attributes describe. */
export function rulesAllow(rules: ResourceRule[], attrs: AccessAttributes): boolean {
  const subresource = attrs.subresource ?? ''
  const name = attrs.name ?? ''
  return rules.some(
    rule =>
      (rule.verbs.includes('*') || rule.verbs.includes(attrs.verb)) &&
      (rule.apiGroups.includes('*') || rule.apiGroups.includes(attrs.group)) &&
      resourceMatches(rule, attrs.resource, subresource) &&
      (rule.resourceNames.length === 0 || rule.resourceNames.includes(name))
  )
}
