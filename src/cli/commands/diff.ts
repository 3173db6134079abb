/**
 * `phase-gate diff <plan> [--phase NAME] [--output json]`: what the phases
 * would change, each object live against the server's dry-run apply, the same
 * the plan gate shows the approver. Changes nothing (dry runs only).
 */

import { UsageError } from '../../core/errors.js'
import { loadValidPlan } from '../../engine.js'
import { asInfraError } from '../../kube/client.js'
import { planDiff, type PhaseDiff } from '../../gates/plan-diff.js'
import { renderDiffTerminal } from '../../report/diff-render.js'
import { renderHelmPhases } from '../../checks/helm-render.js'
import { processExec } from '../../core/exec.js'
import type { Settings } from '../../settings.js'
import { connectFromSettings, type Connect } from './state-record.js'

/** What `diff --output json` prints. */
export interface DiffView {
  plan: string
  namespace: string
  phases: PhaseDiff[]
}

/** Runs the command; resolves to its exit code (0: the diff was made). */
export async function diffCommand(
  settings: Settings,
  out: (s: string) => void,
  opts: { json: boolean; color?: boolean; connect?: Connect }
): Promise<number> {
  const loaded = await loadValidPlan(settings)
  const names = (loaded.plan.phases ?? []).map(p => p.name)
  if (settings.phase && !names.includes(settings.phase))
    throw new UsageError(
      `--phase ${settings.phase}: the plan has no such phase; phases: ${names.join(', ') || '(none)'}`
    )
  const namespace = settings.namespace ?? loaded.plan.target.namespace
  const cluster = await (opts.connect ?? connectFromSettings)(settings, loaded)
  let phases: PhaseDiff[]
  try {
    phases = await planDiff({
      loaded,
      workspace: settings.workspace,
      namespace,
      runId: settings.runId,
      cluster,
      phase: settings.phase,
      renderHelm: async () =>
        renderHelmPhases({
          loaded,
          settings,
          namespace,
          exec: processExec,
          surface: await cluster.discover(),
          cluster,
          signal: new AbortController().signal
        })
    })
  } catch (err) {
    throw asInfraError(err, cluster) ?? err
  } finally {
    ;(cluster as { close?: () => void }).close?.()
  }
  const view: DiffView = { plan: loaded.plan.name, namespace, phases }
  if (opts.json) out(`${JSON.stringify(view, null, 2)}\n`)
  else out(renderDiffTerminal(phases, { color: opts.color ?? false }))
  return 0
}
