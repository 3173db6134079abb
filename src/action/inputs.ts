/** The one module that reads the action's inputs: returns a typed, validated Settings. */

import * as core from '@actions/core'
import { resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { parseDuration } from '../core/duration.js'
import { registerSecret } from '../core/secrets.js'
import { GATE_NAMES } from '../report/model.js'
import { mirrorsFromEnv, type GateSelection, type Settings } from '../settings.js'
import { INPUT } from './names.js'
import { parseOverrides } from '../render/overrides.js'

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/

function optional(name: string): string | undefined {
  const v = core.getInput(name).trim()
  return v === '' ? undefined : v
}

function bool(name: string, fallback: boolean): boolean {
  const v = core.getInput(name).trim().toLowerCase()
  if (v === '') return fallback
  if (['true', 'yes', '1', 'on'].includes(v)) return true
  if (['false', 'no', '0', 'off'].includes(v)) return false
  throw new UsageError(`input "${name}" must be true or false, got "${v}"`)
}

/** Reads and validates every input; secrets are masked before anything else happens. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Settings {
  // Secrets first: masked before any log line could carry them.
  const kubeconfig = core.getInput(INPUT.kubeconfig)
  const token = optional(INPUT.githubToken)
  const registryAuth = optional(INPUT.registryAuth)
  for (const s of [kubeconfig, token, registryAuth]) if (s) registerSecret(s)

  // A fleet step runs the fleet's gates itself: the gate input is not needed then.
  const gate = optional(INPUT.gate) ?? (optional(INPUT.fleetStep) ? 'reality-check' : undefined)
  if (!gate)
    throw new UsageError(`input "gate" is required: one of ${[...GATE_NAMES, 'all'].join(', ')}`)
  if (gate !== 'all' && !(GATE_NAMES as readonly string[]).includes(gate))
    throw new UsageError(
      `input "gate" is "${gate}"; expected one of ${[...GATE_NAMES, 'all'].join(', ')}`
    )
  const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd())
  const plan = optional(INPUT.plan) ?? 'phase-gate.yaml'
  const runId = optional(INPUT.runId) ?? env.GITHUB_RUN_ID
  if (!runId)
    throw new UsageError('no run id: set input "run-id" (GITHUB_RUN_ID is not set outside Actions)')
  if (!LABEL_VALUE.test(runId))
    throw new UsageError(`input "run-id" "${runId}" is not a valid label value`)
  const lockWait = optional(INPUT.lockWait)
  const lockWaitMs = lockWait === undefined ? undefined : parseDuration(lockWait)
  if (lockWait !== undefined && lockWaitMs === undefined)
    throw new UsageError(`input "lock-wait" "${lockWait}" is not a duration like 30s or 5m`)
  const reports = optional(INPUT.reports)
  return {
    gate: gate as GateSelection,
    planPath: resolve(workspace, plan),
    phase: optional(INPUT.phase),
    tracer: optional(INPUT.tracer),
    stage: optional(INPUT.stage),
    level: optional(INPUT.level),
    runId,
    runIdGiven: true,
    kubeconfig: kubeconfig.trim() ? { kind: 'content', content: kubeconfig } : { kind: 'default' },
    context: optional(INPUT.context),
    namespace: optional(INPUT.namespace),
    dryRun: bool(INPUT.dryRun, false),
    githubToken: token,
    comment: bool(INPUT.comment, true),
    registryAuth,
    reportsDir: reports ? resolve(workspace, reports) : undefined,
    workspace,
    lockWaitMs,
    mirrors: mirrorsFromEnv(env),
    approvalEnvironment: optional(INPUT.approvalEnvironment),
    environment: optional(INPUT.environment),
    approve: bool(INPUT.approve, false),
    approvalResult: optional(INPUT.approvalResult),
    overrides: parseOverrides(
      core.getMultilineInput(INPUT.images),
      core.getMultilineInput(INPUT.helmSet),
      { images: 'input "images"', helmSet: 'input "helm-set"' }
    )
  }
}

export const FLEET_STEPS = ['list', 'check', 'deploy', 'soak', 'rollback', 'record'] as const

/** The fleet step the action runs instead of a gate (`fleet-step`), with its wave, cluster and reports directory. */
export interface FleetInputs {
  step: (typeof FLEET_STEPS)[number]
  wave?: string
  cluster?: string
  from?: string
  environmentPrefix?: string
}

/** The fleet-step inputs, or undefined when the action runs a gate. */
export function readFleetInputs(env: NodeJS.ProcessEnv = process.env): FleetInputs | undefined {
  const step = optional(INPUT.fleetStep)
  if (!step) return undefined
  if (!(FLEET_STEPS as readonly string[]).includes(step))
    throw new UsageError(
      `input "fleet-step" is "${step}"; expected one of ${FLEET_STEPS.join(', ')}`
    )
  const from = optional(INPUT.from)
  const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd())
  return {
    step: step as FleetInputs['step'],
    wave: optional(INPUT.wave),
    cluster: optional(INPUT.cluster),
    from: from ? resolve(workspace, from) : undefined,
    environmentPrefix: optional(INPUT.environmentPrefix)
  }
}
