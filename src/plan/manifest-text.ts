/**
 * Manifest text to objects: multi-document YAML split into objects, each
 * remembering its file and line, so findings point at the manifest. Below both
 * the plan's manifest loading and the renderers (Kustomize, Helm output).
 */

import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml'
import { UsageError } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'

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
