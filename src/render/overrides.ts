/**
 * One plan, many inputs: what changes per build (image references, Helm
 * `--set` values) comes from flags and action inputs and is applied after
 * rendering, never by editing the plan. The engine attaches the run's
 * overrides to the loaded plan once; every loader and gate then sees the
 * overridden objects without knowing how they were rendered.
 */

import { UsageError } from '../core/errors.js'
import type { LoadedPlan } from '../plan/types.js'
import type { LoadedManifest } from '../plan/manifest-text.js'
import type { HelmSetOverride, PlanOverrides } from '../plan/overrides-spec.js'
import {
  imagesOf,
  overrideImage,
  overrideObjectImages,
  parseImageOverrides,
  splitImage,
  unmatchedOverrides
} from './images.js'
import type { ImageOverride } from '../plan/overrides-spec.js'

export type { HelmSetOverride, PlanOverrides }

/** Parses `PHASE.KEY=VALUE` lines; `source` names the flag or input in errors. */
export function parseHelmSets(texts: string[], source: string): HelmSetOverride[] {
  return texts
    .map(t => t.trim())
    .filter(Boolean)
    .map(t => {
      const dot = t.indexOf('.')
      const eq = t.indexOf('=')
      if (dot <= 0 || eq < 0 || eq < dot + 2)
        throw new UsageError(
          `${source} "${t}": write PHASE.KEY=VALUE (the Helm phase's name, then what helm --set takes), e.g. app.image.tag=1.2.3`
        )
      return { phase: t.slice(0, dot), set: t.slice(dot + 1), text: t }
    })
}

/** Both kinds of override from their raw texts (flags or input lines). */
export function parseOverrides(
  images: string[],
  helmSet: string[],
  sources: { images: string; helmSet: string }
): PlanOverrides {
  return {
    images: parseImageOverrides(images, sources.images),
    helmSet: parseHelmSets(helmSet, sources.helmSet)
  }
}

/** True when the run has no override at all. */
export function noOverrides(o: PlanOverrides | undefined): boolean {
  return !o || (o.images.length === 0 && o.helmSet.length === 0)
}

/** The overrides as report lines (`--image app=app:2.0`, `--set web.replicaCount=3`). */
export function describeOverrides(o: PlanOverrides | undefined): string[] {
  if (!o) return []
  return [...o.images.map(i => `--image ${i.text}`), ...o.helmSet.map(s => `--set ${s.text}`)]
}

/** The `--set KEY=VALUE` values for one Helm phase. */
export function helmSetsFor(loaded: LoadedPlan, phase: string): string[] {
  return (loaded.overrides?.helmSet ?? []).filter(s => s.phase === phase).map(s => s.set)
}

/**
 * Attaches the overrides to the loaded plan and applies the image overrides to
 * `assumptions.images` (in place: locations stay those of the plan's nodes).
 * A `--set` naming no Helm phase is a usage error.
 */
export function attachOverrides(loaded: LoadedPlan, o: PlanOverrides): void {
  loaded.overrides = o
  const helmPhases = (loaded.plan.phases ?? []).filter(p => p.helm).map(p => p.name)
  for (const s of o.helmSet)
    if (!helmPhases.includes(s.phase))
      throw new UsageError(
        `--set ${s.text}: "${s.phase}" is not a Helm phase of ${loaded.displayFile}; Helm phases: ${helmPhases.join(', ') || '(none)'}`
      )
  const images = loaded.plan.assumptions?.images
  if (!images || o.images.length === 0) return
  const written = (o.written ??= new Set())
  images.forEach((a, i) => {
    written.add(typeof a === 'string' ? a : a.ref)
    if (typeof a === 'string') images[i] = overrideImage(a, o.images)
    else a.ref = overrideImage(a.ref, o.images)
  })
}

/**
 * The manifests with the run's image overrides applied: every loader calls
 * this after rendering (files, Kustomize, inline manifests, Helm output).
 */
export function withOverrides(loaded: LoadedPlan, ms: LoadedManifest[]): LoadedManifest[] {
  const o = loaded.overrides
  if (!o || o.images.length === 0) return ms
  const written = (o.written ??= new Set())
  return ms.map(m => {
    for (const i of imagesOf(m.object)) written.add(i)
    return { ...m, object: overrideObjectImages(m.object, o.images) }
  })
}

/**
 * Fails (exit 2) for an image override whose NAME matches no image the plan
 * names, listing the repositories there are. `written` holds every image as
 * the plan and its rendered objects write it, before any override.
 */
export function checkOverridesMatch(overrides: ImageOverride[], written: Iterable<string>): void {
  const all = [...written]
  const unmatched = unmatchedOverrides(overrides, all)
  if (unmatched.length === 0) return
  const names = [...new Set(all.map(i => splitImage(i).name))].sort()
  throw new UsageError(
    `--image ${unmatched.map(u => u.name).join(', ')}: matches no image of the plan (assumptions.images, manifests, tracers, phases, Kustomize and Helm output); NAME is the repository as written there, without tag or digest. Images there are: ${names.join(', ') || '(none)'}`
  )
}

/** Every image a set of objects names (pod templates). */
export function imagesOfManifests(ms: LoadedManifest[]): string[] {
  return ms.flatMap(m => imagesOf(m.object))
}

/** Overrides back from their report lines (`--image a=b`, `--set p.k=v`), as the state record keeps them. */
export function overridesFromLines(lines: string[]): PlanOverrides {
  const images = lines.filter(l => l.startsWith('--image ')).map(l => l.slice('--image '.length))
  const sets = lines.filter(l => l.startsWith('--set ')).map(l => l.slice('--set '.length))
  return parseOverrides(images, sets, { images: 'recorded --image', helmSet: 'recorded --set' })
}

/**
 * Later gates of a run (validate, record, rollback, rollout, soak) agree with
 * the overrides its phases recorded: none given → the recorded ones are used
 * (returned as a note); different ones given → a usage error naming both.
 */
export function reconcileOverrides(
  loaded: LoadedPlan,
  recorded: string[] | undefined,
  runId: string
): string | undefined {
  if (!recorded?.length) return undefined
  const given = describeOverrides(loaded.overrides)
  if (given.length === 0) {
    attachOverrides(loaded, overridesFromLines(recorded))
    return `overrides of run ${runId} taken from the state record: ${recorded.join(', ')}`
  }
  const same = [...given].sort().join('\n') === [...recorded].sort().join('\n')
  if (!same)
    throw new UsageError(
      `run ${runId} was deployed with ${recorded.join(', ')}, but this gate was given ${given.join(', ')}: give every gate of a run the same --image and --set (or none, to use the recorded ones)`
    )
  return undefined
}
