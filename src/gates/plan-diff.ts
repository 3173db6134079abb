/**
 * What each phase would change on the cluster, for the approver: its objects
 * prepared as the phase gate prepares them (namespace, run labels), each
 * compared live against the server's dry-run apply (src/kube/object-diff.ts).
 * Shared by the plan gate and `phase-gate diff`.
 */

import { errorMessage } from '../core/errors.js'
import { prepareObjects } from '../kube/apply.js'
import { changesOf, type ObjectChange } from '../kube/object-diff.js'
import type { Cluster } from '../kube/types.js'
import type { LoadedPlan } from '../plan/types.js'
import { loadManifestFiles, phaseManifestPaths } from '../plan/manifests.js'
import type { HelmRendering } from '../checks/helm-render.js'
import { helmRunLabels } from './helm-phase.js'

/** One phase's changes. */
export interface PhaseDiff {
  phase: string
  changes: ObjectChange[]
  /** Why the phase has no per-object diff (a Helm phase, files that could not be read). */
  note?: string
}

/** The changes of the plan's phases (or one, by name), in plan order. */
export async function planDiff(input: {
  loaded: LoadedPlan
  workspace: string
  namespace: string
  runId: string
  cluster: Cluster
  phase?: string
  /** Renders the Helm phases (`helm template`, as the reality check does); without it they are not diffed. */
  renderHelm?: () => Promise<HelmRendering>
}): Promise<PhaseDiff[]> {
  const out: PhaseDiff[] = []
  const phases = (input.loaded.plan.phases ?? []).map((p, index) => ({ p, index }))
  for (const { p, index } of phases) {
    if (input.phase && p.name !== input.phase) continue
    if (p.helm) {
      const rendered = input.renderHelm ? await input.renderHelm() : undefined
      const manifests = rendered?.byPhase?.[p.name]
      if (!manifests) {
        const failed = rendered?.results.find(
          r => r.verdict !== 'pass' && r.target === `template ${p.helm?.release}`
        )
        out.push({
          phase: p.name,
          changes: [],
          note: `Helm release ${p.helm.release}: not rendered${failed ? ` (${failed.message})` : ''}`
        })
        continue
      }
      // The rendered release against the live objects, labelled as the post-renderer labels them.
      const namespace = p.helm.namespace ?? input.namespace
      const labels = helmRunLabels(input.loaded.plan.name, input.runId, p.name)
      const objects = await prepareObjects(
        input.cluster,
        manifests.map(m => m.object),
        namespace,
        { plan: input.loaded.plan.name, run: input.runId, role: 'phase', unit: p.name }
      )
      const helmLabelled = objects.map((o, i) => ({
        ...o,
        metadata: {
          ...o.metadata,
          labels: { ...(manifests[i].object.metadata.labels ?? {}), ...labels }
        }
      }))
      // helm upgrades the release as its own field manager, so the fields are helm's: the
      // dry-run takes them (force) to show what the upgrade makes of them, not a conflict.
      out.push({
        phase: p.name,
        changes: await changesOf(input.cluster, helmLabelled, { force: true })
      })
      continue
    }
    let raw
    try {
      // The phase's own objects as it would apply them: apply files or its Kustomize output, overrides applied.
      const files = await phaseManifestPaths(input.loaded, p, index)
      raw = (await loadManifestFiles(input.loaded, files, input.workspace)).map(m => m.object)
    } catch (err) {
      out.push({ phase: p.name, changes: [], note: `manifests not readable: ${errorMessage(err)}` })
      continue
    }
    const objects = await prepareObjects(input.cluster, raw, input.namespace, {
      plan: input.loaded.plan.name,
      run: input.runId,
      role: 'phase',
      unit: p.name
    })
    out.push({
      phase: p.name,
      changes: await changesOf(input.cluster, objects, { force: p.forceConflicts === true })
    })
  }
  return out
}

/** `2 new, 1 changed, 3 unchanged`. */
export function tallyChanges(changes: ObjectChange[]): string {
  const n = (s: ObjectChange['status']) => changes.filter(c => c.status === s).length
  const parts = [
    `${n('new')} new`,
    `${n('changed')} changed`,
    `${n('unchanged')} unchanged`,
    ...(n('unknown') ? [`${n('unknown')} not dry-run`] : [])
  ]
  return parts.join(', ')
}
