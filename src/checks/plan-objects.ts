/**
 * The objects a plan's tracers and phases apply (beside `assumptions.manifests`),
 * loaded once per plan, and what the plan itself creates that later objects
 * depend on: Namespaces and CustomResourceDefinitions.
 */

import { errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { withOverrides } from '../render/overrides.js'
import {
  expandManifestPaths,
  loadManifestFiles,
  phaseManifestPaths,
  parseManifests,
  type LoadedManifest
} from '../plan/manifests.js'
import type { LoadedPlan } from '../plan/types.js'
import type { SourceLocation } from '../report/model.js'
import { isRecord, records, str } from '../core/fields.js'

/** The manifests of one tracer or one phase. */
export interface PlanUnit {
  unit: 'tracer' | 'phase'
  name: string
  /** 0-based position in `tracers` or `phases`. */
  index: number
  manifests: LoadedManifest[]
  location: SourceLocation
}

/** What tracers and phases apply; files that could not be read are named in `problems`. */
export interface PlanObjects {
  tracers: PlanUnit[]
  phases: PlanUnit[]
  problems: string[]
}

const cache = new WeakMap<LoadedPlan, Promise<PlanObjects>>()

/** Loads the tracers' and phases' manifests once per loaded plan (kinds share the promise). */
export function loadPlanObjects(loaded: LoadedPlan, workspace: string): Promise<PlanObjects> {
  let p = cache.get(loaded)
  if (!p) {
    p = load(loaded, workspace)
    cache.set(loaded, p)
  }
  return p
}

async function load(loaded: LoadedPlan, workspace: string): Promise<PlanObjects> {
  const problems: string[] = []
  const tracers = await Promise.all(
    (loaded.plan.tracers ?? []).map(async (t, index): Promise<PlanUnit> => {
      const location = loaded.locate(['tracers', index, 'manifest'])
      let manifests: LoadedManifest[] = []
      try {
        if (t.manifest.inline !== undefined) {
          // Lines inside an inline block count from the line after `inline: |`.
          const at = loaded.locate(['tracers', index, 'manifest', 'inline'])
          manifests = withOverrides(
            loaded,
            parseManifests(t.manifest.inline, loaded.displayFile)
          ).map(m => ({
            ...m,
            line: m.line + at.line
          }))
        } else if (t.manifest.file) {
          const files = await expandManifestPaths(
            loaded,
            [t.manifest.file],
            `tracers[${index}].manifest.file`
          )
          manifests = await loadManifestFiles(loaded, files, workspace)
        }
      } catch (err) {
        problems.push(`tracer ${t.name}: ${errorMessage(err)}`)
      }
      return { unit: 'tracer', name: t.name, index, manifests, location }
    })
  )
  const phases = await Promise.all(
    (loaded.plan.phases ?? []).map(async (p, index): Promise<PlanUnit> => {
      const location = loaded.locate(['phases', index, p.kustomize ? 'kustomize' : 'apply'])
      let manifests: LoadedManifest[] = []
      try {
        if (p.apply?.length || p.kustomize) {
          const files = await phaseManifestPaths(loaded, p, index)
          manifests = await loadManifestFiles(loaded, files, workspace)
        }
      } catch (err) {
        problems.push(`phase ${p.name}: ${errorMessage(err)}`)
      }
      return { unit: 'phase', name: p.name, index, manifests, location }
    })
  )
  return { tracers, phases, problems }
}

/** An object the plan creates, and where: the phase that applies it, else the manifest only. */
export interface Creator {
  object: KubeObject
  manifest: LoadedManifest
  phase?: PlanUnit
}

/** A custom resource type the plan's own CRD manifests define. */
export interface PlannedCrd extends Creator {
  group: string
  kind: string
  plural: string
  namespaced: boolean
  versions: string[]
}

/** Namespaces and CRDs the plan creates, keyed by namespace name and by `group/Kind`. */
export interface PlanCreations {
  namespaces: Map<string, Creator>
  crds: Map<string, PlannedCrd>
}

/** Indexes what the phases (then the assumed manifests) create; the earliest phase wins. */
export function planCreations(objects: PlanObjects, assumed: LoadedManifest[]): PlanCreations {
  const namespaces = new Map<string, Creator>()
  const crds = new Map<string, PlannedCrd>()
  const visit = (manifest: LoadedManifest, phase?: PlanUnit): void => {
    const object = manifest.object
    if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
      if (!namespaces.has(object.metadata.name))
        namespaces.set(object.metadata.name, { object, manifest, phase })
    } else if (
      object.kind === 'CustomResourceDefinition' &&
      object.apiVersion.startsWith('apiextensions.k8s.io/')
    ) {
      const spec = isRecord(object.spec) ? object.spec : {}
      const names = isRecord(spec.names) ? spec.names : {}
      const group = str(spec.group)
      const kind = str(names.kind)
      if (!group || !kind) return
      const key = `${group}/${kind}`
      if (crds.has(key)) return
      crds.set(key, {
        object,
        manifest,
        phase,
        group,
        kind,
        plural: str(names.plural) ?? `${kind.toLowerCase()}s`,
        namespaced: spec.scope !== 'Cluster',
        versions: records(spec.versions)
          .filter(v => v.served !== false)
          .map(v => str(v.name))
          .filter((v): v is string => v !== undefined)
      })
    }
  }
  for (const p of objects.phases) for (const m of p.manifests) visit(m, p)
  for (const m of assumed) visit(m, phaseOf(objects, m))
  return { namespaces, crds }
}

/** The first phase that applies the same object from the same file, if any. */
export function phaseOf(objects: PlanObjects, m: LoadedManifest): PlanUnit | undefined {
  return objects.phases.find(p =>
    p.manifests.some(
      x =>
        x.file === m.file &&
        x.object.kind === m.object.kind &&
        x.object.metadata.name === m.object.metadata.name &&
        x.object.metadata.namespace === m.object.metadata.namespace
    )
  )
}

/** `phase 2 (database)`, as findings name phases (1-based, as people count). */
export function describePhase(p: PlanUnit): string {
  return `${p.unit} ${p.index + 1} (${p.name})`
}
