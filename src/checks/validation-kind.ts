/**
 * What one validation check kind is (the kinds a phase's `validate`,
 * `validation.checks`, rollout `infra` and soak `thresholds` use): its key in
 * the plan, its target, its run and its descriptions. Each kind's module
 * exports one; validation-registry.ts keys them by CheckKind, so a kind of
 * CheckSpec without a module is a compile error there.
 */

import type { GateContext } from '../context.js'
import type { KubeObject } from '../kube/types.js'
import type { CheckSpec } from '../plan/types.js'
import type { CheckResult, SourceLocation } from '../report/model.js'

type KeysOfUnion<T> = T extends T ? keyof T : never

/** A check kind: the key of a CheckSpec (`ready`, `http`, …). */
export type CheckKind = KeysOfUnion<CheckSpec> & string

/** The body of a check spec of kind K (`{ http: BODY }`). */
export type CheckBody<K extends CheckKind> = Extract<CheckSpec, Record<K, unknown>>[K]

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

/** One validation check kind. */
export interface ValidationCheck<K extends CheckKind = CheckKind> {
  /** The spec key, e.g. `http`. */
  key: K
  /** A short target for ids and tables, e.g. `api:80/health`. */
  target(spec: CheckBody<K>): string
  run(spec: CheckBody<K>, ctx: ValidationContext, location?: SourceLocation): Promise<CheckResult>
  /** What the check proves in one line: as the plan gate shows it, and as the runbook says it. */
  describe: { plan(spec: CheckBody<K>): string; runbook(spec: CheckBody<K>): string }
}
