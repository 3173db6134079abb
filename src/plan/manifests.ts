/**
 * Manifest files named by a plan: globs expanded inside the repository,
 * multi-document YAML split into objects, each remembering its file and line
 * so findings point at the manifest.
 */

import { glob, readFile, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml'
import { UsageError, errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import type { LoadedPlan, PhaseSpec } from './types.js'
import { isKustomizeDir, renderKustomize } from '../render/kustomize.js'
import { withOverrides } from '../render/overrides.js'

/** One object from a manifest file. */
export interface LoadedManifest {
  object: KubeObject
  /** Path relative to the workspace, as shown to users. */
  file: string
  line: number
  column: number
  /** For Helm output: the chart template it came from (`# Source:`); for Kustomize output, the overlay. */
  source?: string
  /** The line of a field inside the object (`['spec','replicsa']`), when the file has it. */
  lineOf?: (path: (string | number)[]) => number | undefined
}

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
      for await (const f of glob(relative(loaded.dir, abs), { cwd: loaded.dir }))
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

/** Parses manifest YAML text (many documents) into objects with their lines. */
export function parseManifests(text: string, displayFile: string): LoadedManifest[] {
  const lc = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true })
  const out: LoadedManifest[] = []
  const list = Array.isArray(docs) ? docs : [docs]
  let source: string | undefined
  for (const doc of list) {
    const firstError = doc.errors[0]
    if (firstError) {
      const pos = firstError.linePos?.[0]
      throw new UsageError(
        `${displayFile}:${pos?.line ?? 1}:${pos?.col ?? 1}: not valid YAML: ${firstError.message.split('\n')[0]}`
      )
    }
    const range = doc.contents?.range
    const start = lc.linePos(range?.[0] ?? 0)
    // Helm writes `# Source: chart/templates/x.yaml` above each document.
    const src =
      /#\s*Source:\s*(\S+)/.exec(doc.commentBefore ?? '')?.[1] ??
      /#\s*Source:\s*(\S+)/.exec(
        text
          .slice(0, range?.[0] ?? 0)
          .split('---')
          .pop() ?? ''
      )?.[1]
    if (src) source = src
    const value: unknown = doc.toJS({ maxAliasCount: 100 })
    if (value === null || value === undefined) continue
    const listed = isList(value)
    const objects = listed ? (value.items as unknown[]) : [value]
    for (const [index, o] of objects.entries()) {
      if (!isObject(o))
        throw new UsageError(
          `${displayFile}:${start.line}:${start.col}: a manifest document must be a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`
        )
      out.push({
        object: o,
        file: displayFile,
        line: start.line,
        column: start.col,
        source: src ?? source,
        lineOf: path => {
          const full = listed ? ['items', index, ...path] : path
          if (full.length === 0) return undefined
          const parent = full.length > 1 ? doc.getIn(full.slice(0, -1), true) : doc.contents
          const last = full[full.length - 1]
          // The key's own line (a map), or the item's (a list).
          if (isMap(parent)) {
            const pair = parent.items.find(
              p => isScalar(p.key) && String(p.key.value) === String(last)
            )
            const range = pair && isScalar(pair.key) ? pair.key.range : undefined
            return range ? lc.linePos(range[0]).line : undefined
          }
          if (isSeq(parent)) {
            const item = parent.items[Number(last)] as
              { range?: [number, number, number] } | undefined
            return item?.range ? lc.linePos(item.range[0]).line : undefined
          }
          return undefined
        }
      })
    }
  }
  return out
}

function isList(v: unknown): v is { kind: string; items: unknown[] } {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { kind?: string }).kind === 'List' &&
    Array.isArray((v as { items?: unknown }).items)
  )
}

function isObject(v: unknown): v is KubeObject {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Partial<KubeObject>
  return (
    typeof o.apiVersion === 'string' &&
    typeof o.kind === 'string' &&
    typeof o.metadata?.name === 'string'
  )
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
