/**
 * Validation checks (the kinds a phase's `validate`, `validation.checks` and
 * rollout `infra` steps use): one module per kind, picked by the spec's key
 * from validation-registry.ts.
 */

import type { CheckSpec } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { checkResult, timed } from './result.js'
import { VALIDATION_CHECKS, checkKindOf } from './validation-registry.js'
import type { ValidationContext } from './validation-kind.js'

export type { ValidationCheck, ValidationContext } from './validation-kind.js'

/** The kinds there are. */
export function validationKinds(): string[] {
  return Object.keys(VALIDATION_CHECKS)
}

/** Runs one check spec; a kind not known (or not built yet) is an error result, not a crash. */
export async function runValidation(
  spec: CheckSpec,
  ctx: ValidationContext,
  location?: SourceLocation
): Promise<CheckResult> {
  const kind = checkKindOf(spec)
  if (!kind) {
    const key = Object.keys(spec)[0]
    return checkResult(key, key, {
      verdict: 'error',
      message: `check kind "${key}" is not available in this version of phase-gate (available: ${validationKinds().join(', ')})`,
      location
    })
  }
  const { check, body } = kind
  const key = check.key
  const [r] = await timed(key, check.target(body), () => check.run(body, ctx, location), location)
  return r
}

/** Runs a list of checks concurrently, each located at `basePath[i]` in the plan. */
export async function runValidations(
  specs: CheckSpec[],
  ctx: ValidationContext,
  basePath: (string | number)[]
): Promise<CheckResult[]> {
  return Promise.all(
    specs.map((s, i) => runValidation(s, ctx, ctx.loaded.locate([...basePath, i])))
  )
}
