/**
 * Validation checks (the kinds a phase's `validate`, `validation.checks` and
 * rollout `infra` steps use): one module per kind, picked by the spec's key.
 */

import type { GateContext } from '../context.js'
import type { KubeObject } from '../kube/types.js'
import type { CheckSpec } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'
import { checkResult, timed } from './result.js'

/** What a validation check may use: the gate's seams plus what the current phase applied. */
export type ValidationContext = Pick<
  GateContext,
  | 'loaded'
  | 'settings'
  | 'namespace'
  | 'runId'
  | 'cluster'
  | 'metrics'
  | 'github'
  | 'exec'
  | 'clock'
  | 'log'
  | 'signal'
> & {
  /** Objects the current phase applied (a `ready` check finds kinds among them first). */
  applied?: KubeObject[]
  /** Deadline (clock ms) no check may wait past: the phase's timeout or budget. */
  deadline?: number
}

export interface ValidationCheck<S = unknown> {
  /** The spec key, e.g. `http`. */
  key: string
  /** A short target for ids and tables, e.g. `api:80/health`. */
  target(spec: S): string
  run(spec: S, ctx: ValidationContext, location?: SourceLocation): Promise<CheckResult>
}

const registry = new Map<string, ValidationCheck>()

/** Registers a validation check kind (each kind's module calls this once). */
export function registerValidation<S>(check: ValidationCheck<S>): void {
  registry.set(check.key, check as ValidationCheck)
}

/** The kinds registered so far. */
export function validationKinds(): string[] {
  return [...registry.keys()]
}

/** Runs one check spec; a kind not known (or not built yet) is an error result, not a crash. */
export async function runValidation(
  spec: CheckSpec,
  ctx: ValidationContext,
  location?: SourceLocation
): Promise<CheckResult> {
  const key = Object.keys(spec)[0]
  const body = (spec as unknown as Record<string, unknown>)[key]
  const check = registry.get(key)
  if (!check)
    return checkResult(key, key, {
      verdict: 'error',
      message: `check kind "${key}" is not available in this version of phase-gate (available: ${validationKinds().join(', ')})`,
      location
    })
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
