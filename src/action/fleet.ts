/**
 * The action's fleet steps (`fleet-step`): the same code as `phase-gate
 * fleet --list | --step …`, with the runner's log, the job summary and the
 * outputs `verdict`, `report`, `failed` and, for `list`, `fleet` (the list as
 * one line of JSON).
 */

import * as core from '@actions/core'
import { join, relative } from 'node:path'
import { tmpdir } from 'node:os'
import { redact } from '../core/secrets.js'
import { fleetCommand, type FleetOutcome } from '../cli/commands/fleet.js'
import { renderFleetSummary } from '../fleet/summary.js'
import { renderFleetRecord } from '../fleet/record-render.js'
import { isPassing } from '../report/model.js'
import type { Settings } from '../settings.js'
import type { Logger } from '../core/log.js'
import type { FleetInputs } from './inputs.js'
import { OUTPUT, STATE } from './names.js'
import { loadPlan } from '../plan/loader.js'
import { fleetClusterTarget } from '../fleet/plan.js'

/** Where a fleet step's report goes: one file per step, wave and cluster, so a workflow can upload it. */
export function fleetReportPath(settings: Settings, fleet: FleetInputs): string {
  if (settings.reportPath) return settings.reportPath
  const base = join(process.env.RUNNER_TEMP || tmpdir(), 'phase-gate', 'fleet')
  const parts = [fleet.step, fleet.wave, fleet.cluster].filter(Boolean).join('-')
  return join(base, `${parts}.json`)
}

/** Runs one fleet step; sets the outputs and the summary; resolves to the outcome (throws as the CLI does). */
export async function runFleetStep(
  settings: Settings,
  fleet: FleetInputs,
  log: Logger,
  signal?: AbortSignal
): Promise<FleetOutcome> {
  const path = fleetReportPath(settings, fleet)
  const outcome = await fleetCommand(
    { ...settings, reportPath: fleet.step === 'list' ? undefined : path, summaryPath: undefined },
    {
      wave: fleet.wave,
      cluster: fleet.cluster,
      list: fleet.step === 'list',
      step: fleet.step === 'list' ? undefined : fleet.step,
      from: fleet.from,
      environmentPrefix: fleet.environmentPrefix,
      comment: fleet.step === 'record' && settings.comment,
      json: fleet.step === 'list',
      planArg: relative(settings.workspace, settings.planPath) || settings.planPath
    },
    {
      out: s => core.info(redact(s.trimEnd())),
      err: s => core.info(redact(s.trimEnd())),
      log,
      signal
    }
  )
  core.setOutput(OUTPUT.verdict, outcome.verdict)
  core.setOutput(OUTPUT.failed, isPassing(outcome.verdict) ? 'false' : 'true')
  if (outcome.list) {
    core.setOutput(OUTPUT.fleet, JSON.stringify(outcome.list))
    return outcome
  }
  core.setOutput(OUTPUT.report, path)
  const markdown = outcome.record
    ? renderFleetRecord(outcome.record)
    : outcome.report
      ? renderFleetSummary(outcome.report)
      : ''
  if (markdown) await core.summary.addRaw(redact(markdown)).write()
  return outcome
}

/**
 * A deploy step works on one cluster: its run id, plan, context and
 * namespace are saved for the post step, which finishes an interrupted phase
 * or undo there when the job is cancelled (as for a single-cluster gate).
 */
export async function saveFleetRunState(settings: Settings, fleet: FleetInputs): Promise<void> {
  if (fleet.step !== 'deploy' || !fleet.cluster) return
  const loaded = await loadPlan(settings.planPath, { workspace: settings.workspace })
  const target = fleetClusterTarget(loaded, fleet.cluster)
  core.saveState(STATE.runId, settings.runId)
  core.saveState(STATE.gate, 'phase')
  core.saveState(STATE.planPath, settings.planPath)
  core.saveState(STATE.context, target.context)
  core.saveState(STATE.namespace, target.namespace)
}
