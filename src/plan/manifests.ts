/**
 * Manifest files named by a plan: globs expanded inside the repository,
 * multi-document YAML split into objects, each remembering its file and line
 * so findings point at the manifest.
 */

import { readFile, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { UsageError, errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { parseManifests, type LoadedManifest } from './manifest-text.js'
import type { LoadedPlan, PhaseSpec } from './types.js'
import { globSync } from './glob.js'
import { isKustomizeDir, renderKustomize } from '../render/kustomize.js'
import { withOverrides } from '../render/overrides.js'

export { parseManifests, type LoadedManifest } from './manifest-text.js'

const MAX_MANIFEST_BYTES = 4 << 20

/** True when `p` lies inside `root` (after resolving symlinks where the path exists). */
export async function isInside(root: string, p: string): Promise<boolean> {
  const real = await realpath(p).catch(() => resolve(p))
  const realRoot = await realpath(root).catch(() => resolve(root))
  const rel = relative(realRoot, real)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** Expands plan-relative paths and globs to files inside the repository root. */
export async function expandManifestPaths(
  loaded: LoadedPlan,
  patterns: string[],
  field: string
): Promise<string[]> {
  const files: string[] = []
  for (const pattern of patterns) {
    const abs = isAbsolute(pattern) ? pattern : resolve(loaded.dir, pattern)
    if (!(await isInside(loaded.root, abs.replace(/[*?[{].*$/, '') || loaded.root)))
      throw new UsageError(`${field}: "${pattern}" points outside the repository (${loaded.root})`)
    const matched: string[] = []
    if (/[*?[{]/.test(pattern)) {
      // The same walker as lint, on every supported Node (fs.glob is Node 22+).
      for (const f of globSync(relative(loaded.dir, abs), { cwd: loaded.dir }))
        matched.push(resolve(loaded.dir, f))
      matched.sort()
    } else {
      matched.push(abs)
    }
    for (const f of matched) {
      if (!(await isInside(loaded.root, f)))
        throw new UsageError(`${field}: "${f}" resolves outside the repository (${loaded.root})`)
      if (!files.includes(f)) files.push(f)
    }
  }
  return files
}

/**
 * Loads every object of the given files and Kustomize directories (rendered
 * with Kustomize), then applies the run's image overrides: what every gate
 * and check sees, however the objects were written.
 */
export async function loadManifestFiles(
  loaded: LoadedPlan,
  files: string[],
  workspace: string
): Promise<LoadedManifest[]> {
  const all = await Promise.all(
    files.map(async f => {
      const display = relative(workspace, f) || f
      if (await isKustomizeDir(f))
        return renderKustomize(f, display, { field: `${display} (named by ${loaded.displayFile})` })
      let text: string
      try {
        const buf = await readFile(f)
        if (buf.length > MAX_MANIFEST_BYTES)
          throw new UsageError(
            `${display}: manifest is ${buf.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`
          )
        text = buf.toString('utf8')
      } catch (err) {
        if (err instanceof UsageError) throw err
        throw new UsageError(
          `${display}: cannot read manifest: ${errorMessage(err)} (named by ${loaded.displayFile})`
        )
      }
      return parseManifests(text, display)
    })
  )
  return withOverrides(loaded, all.flat())
}

const assumed = new WeakMap<LoadedPlan, Promise<LoadedManifest[]>>()

/** Every manifest object `assumptions.manifests` names (loaded once per loaded plan; callers get copies of the list). */
export async function loadAssumedManifests(
  loaded: LoadedPlan,
  workspace: string
): Promise<LoadedManifest[]> {
  let p = assumed.get(loaded)
  if (!p) {
    p = loadAssumed(loaded, workspace)
    assumed.set(loaded, p)
    p.catch(() => assumed.delete(loaded))
  }
  return [...(await p)]
}

async function loadAssumed(loaded: LoadedPlan, workspace: string): Promise<LoadedManifest[]> {
  const patterns = loaded.plan.assumptions?.manifests ?? []
  if (patterns.length === 0) return []
  const files = await expandManifestPaths(loaded, patterns, 'assumptions.manifests')
  return loadManifestFiles(loaded, files, workspace)
}

/** The object with the plan's target namespace filled in for namespaced kinds that name none. */
export function withNamespace(obj: KubeObject, namespace: string, namespaced: boolean): KubeObject {
  if (!namespaced || obj.metadata.namespace) return obj
  return { ...obj, metadata: { ...obj.metadata, namespace } }
}

/** The files (or the Kustomize directory) a phase applies: `kustomize:` when given, else `apply:`. */
export async function phaseManifestPaths(
  loaded: LoadedPlan,
  phase: Pick<PhaseSpec, 'apply' | 'kustomize'>,
  index: number
): Promise<string[]> {
  if (phase.kustomize !== undefined) {
    const field = `phases[${index}].kustomize`
    const dirs = await expandManifestPaths(loaded, [phase.kustomize], field)
    for (const d of dirs)
      if (!(await isKustomizeDir(d)))
        throw new UsageError(
          `${field}: "${phase.kustomize}" is not a directory with a kustomization.yaml (named by ${loaded.displayFile})`
        )
    return dirs
  }
  return expandManifestPaths(loaded, phase.apply ?? [], `phases[${index}].apply`)
}
