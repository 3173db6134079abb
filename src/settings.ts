/**
 * One typed settings object for a run. The action builds it from its inputs
 * (`action/inputs.ts`), the CLI from its flags (`cli/args.ts`).
 */

import type { GateName } from './report/model.js'
import { UsageError } from './core/errors.js'
import type { PlanOverrides } from './render/overrides.js'

export type GateSelection = GateName | 'all'

export type KubeconfigSource =
  | { kind: 'default' }
  | { kind: 'path'; path: string }
  /** The action's input: the file's content, written to a private temp file. */
  | { kind: 'content'; content: string }

export interface Settings {
  gate: GateSelection
  /** Path of the plan file as given. */
  planPath: string
  phase?: string
  tracer?: string
  stage?: string
  level?: string
  /** The run id: the workflow run id in CI, a fresh id per CLI call unless given. */
  runId: string
  /** True when the run id was given (by flag, input or CI), not generated. */
  runIdGiven: boolean
  kubeconfig: KubeconfigSource
  context?: string
  namespace?: string
  reportPath?: string
  summaryPath?: string
  /** Directory of earlier gates' JSON reports (the record gate reads them). */
  reportsDir?: string
  dryRun: boolean
  /** Docker config.json content for registry credentials. */
  registryAuth?: string
  githubToken?: string
  comment: boolean
  /** Root that relative paths and manifest globs resolve inside. */
  workspace: string
  /** Bound on waiting for another run's lock on the same plan and target. */
  lockWaitMs?: number
  /** Registry host → mirror host overrides (on top of the plan's). */
  mirrors?: Record<string, string>
  /** The environment of the job after the plan (the approval point); overrides the plan's `approval.environment`. */
  approvalEnvironment?: string
  /** The job's deployment environment: the action sets its GitHub deployment statuses (none when unset). */
  environment?: string
  /** `--approve` / `approve: true`: `--gate all` goes past the plan without asking; the report records "no human approval". */
  approve?: boolean
  /** For the record gate in a workflow: the result of the approval job (`failure`: a reviewer rejected the deployment). */
  approvalResult?: string
  /** Where to write the SARIF 2.1.0 log of lint, hygiene and divergence findings. */
  sarifPath?: string
  /** `--image NAME=REF` / input `images` and `--set PHASE.KEY=VALUE` / input `helm-set`. */
  overrides?: PlanOverrides
}

/** Registry mirrors from `PHASE_GATE_REGISTRY_MIRRORS` (`docker.io=127.0.0.1:5000,ghcr.io=mirror.local`). */
export function mirrorsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const text = env.PHASE_GATE_REGISTRY_MIRRORS
  if (!text?.trim()) return undefined
  const out: Record<string, string> = {}
  for (const pair of text.split(/[,\s]+/).filter(Boolean)) {
    const i = pair.indexOf('=')
    if (i <= 0 || i === pair.length - 1)
      throw new UsageError(
        `PHASE_GATE_REGISTRY_MIRRORS: "${pair}" is not of the form registry=mirror`
      )
    out[pair.slice(0, i)] = pair.slice(i + 1)
  }
  return out
}
