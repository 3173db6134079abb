/** `hygiene.ignore`: a rule switched off for one object (or all), with the reason a report shows. */

import type { KubeObject } from '../kube/types.js'

/** One entry of `hygiene.ignore`. */
export interface IgnoreEntry {
  rule: string
  object?: string
  reason: string
}

/**
 * True when `pattern` names the object: `Kind/name`, `Kind/namespace/name` or a bare `name`;
 * kinds compare case-insensitively and `*` matches any run of characters in a name.
 */
export function objectMatches(
  pattern: string,
  obj: KubeObject,
  defaultNamespace?: string
): boolean {
  const parts = pattern.trim().split('/')
  const nameMatches = (p: string): boolean =>
    new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`).test(obj.metadata.name)
  const kindMatches = (k: string): boolean =>
    k === '*' || k.toLowerCase() === obj.kind.toLowerCase()
  if (parts.length === 1) return nameMatches(parts[0])
  if (parts.length === 2) return kindMatches(parts[0]) && nameMatches(parts[1])
  if (parts.length === 3) {
    const ns = obj.metadata.namespace ?? defaultNamespace
    return kindMatches(parts[0]) && (parts[1] === '*' || parts[1] === ns) && nameMatches(parts[2])
  }
  return false
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

/** The index of the first entry that ignores `rule` for `obj`, or undefined. */
export function findIgnore(
  entries: readonly IgnoreEntry[],
  rule: string,
  obj: KubeObject,
  defaultNamespace?: string
): number | undefined {
  const i = entries.findIndex(
    e =>
      (e.rule === rule || e.rule === '*') &&
      (e.object === undefined || objectMatches(e.object, obj, defaultNamespace))
  )
  return i < 0 ? undefined : i
}
