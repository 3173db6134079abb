/**
 * Validation check kind → its module's check (like kstatus's table of
 * status functions per kind): the compiler names a kind of CheckSpec with no
 * entry here.
 */

import { alertRulesCheck } from './alert-rules.js'
import { argoCdCheck } from './argocd.js'
import { commandCheck } from './command.js'
import { envCheck } from './env.js'
import { httpCheck } from './http.js'
import { metricCheck } from './metric.js'
import { migrationCheck } from './migration.js'
import { pullRequestCheck } from './pull-request.js'
import { readyCheck } from './ready.js'
import { toolsCheck } from './tools.js'
import type { CheckBody, CheckKind, ValidationCheck } from './validation-kind.js'
import type { CheckSpec } from '../plan/types.js'

/** Every validation check kind. */
export const VALIDATION_CHECKS: { readonly [K in CheckKind]: ValidationCheck<K> } = {
  ready: readyCheck,
  http: httpCheck,
  command: commandCheck,
  env: envCheck,
  metric: metricCheck,
  pullRequest: pullRequestCheck,
  tools: toolsCheck,
  migration: migrationCheck,
  argocd: argoCdCheck,
  alertRules: alertRulesCheck
}

/** The kind of a spec and its check, or undefined for a key no kind has (a plan the schema did not check). */
export function checkKindOf(
  spec: CheckSpec
): { check: ValidationCheck; body: CheckBody<CheckKind> } | undefined {
  const key = Object.keys(spec)[0]
  if (!Object.hasOwn(VALIDATION_CHECKS, key)) return undefined
  return {
    check: VALIDATION_CHECKS[key as CheckKind] as ValidationCheck,
    body: (spec as unknown as Record<string, CheckBody<CheckKind>>)[key]
  }
}
