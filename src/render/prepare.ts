/**
 * The engine's one step for the run's overrides, before any gate runs:
 * attach them to the loaded plan, and refuse (exit 2) an image override
 * whose NAME matches no image the plan, its manifests, tracers, phases,
 * Kustomize or Helm output name.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { helmValuesFiles } from '../helm/values.js'
import type { Exec } from '../core/exec.js'
import { Helm } from '../helm/helm.js'
import { loadPlanObjects } from '../checks/plan-objects.js'
import { localChart } from '../checks/helm-render.js'
import { loadAssumedManifests, parseManifests } from '../plan/manifests.js'
import type { LoadedPlan } from '../plan/types.js'
import { imagesOf, splitImage } from './images.js'
import {
  attachOverrides,
  checkOverridesMatch,
  helmSetsFor,
  noOverrides,
  type PlanOverrides
} from './overrides.js'

/** Attaches the overrides and checks every image override names an image there is. */
export async function prepareOverrides(
  loaded: LoadedPlan,
  overrides: PlanOverrides | undefined,
  opts: { workspace: string; exec: Exec; namespace: string }
): Promise<void> {
  if (!overrides || noOverrides(overrides)) return
  attachOverrides(loaded, overrides)
  if (overrides.images.length === 0) return
  // Loading records every image as written (src/render/overrides.ts); the gates reuse what is loaded.
  await loadPlanObjects(loaded, opts.workspace)
  await loadAssumedManifests(loaded, opts.workspace).catch(() => [])
  const written = overrides.written ?? new Set<string>()
  const names = new Set([...written].map(i => splitImage(i).name))
  if (overrides.images.every(o => names.has(o.name))) return
  for (const i of await helmImages(loaded, opts)) written.add(i)
  checkOverridesMatch(overrides.images, written)
}

/** Images the plan's Helm phases render (`helm template`); none when helm cannot render them. */
async function helmImages(
  loaded: LoadedPlan,
  opts: { exec: Exec; namespace: string }
): Promise<string[]> {
  const out: string[] = []
  for (const phase of loaded.plan.phases ?? []) {
    const spec = phase.helm
    if (!spec) continue
    const tmp = await mkdtemp(join(tmpdir(), 'phase-gate-images-'))
    try {
      const values = await helmValuesFiles(loaded.dir, spec, tmp)
      const chart = (await localChart(loaded, spec.chart)) ?? spec.chart
      const helm = new Helm({ exec: opts.exec, namespace: spec.namespace ?? opts.namespace })
      const text = await helm.template(spec.release, chart, {
        version: spec.version,
        valuesFiles: values,
        set: helmSetsFor(loaded, phase.name)
      })
      for (const m of parseManifests(text, spec.release)) out.push(...imagesOf(m.object))
    } catch {
      // A chart that does not render is the helm check's finding; its images are unknown here.
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  }
  return out
}
