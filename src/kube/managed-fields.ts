/**
 * Drift, restricted to what phase-gate owns: the `fieldsV1` set of the
 * `phase-gate` field manager (server-side apply) in the object the last
 * successful run applied, compared with the live object. A field phase-gate
 * set is `changed` when the live value differs (with the manager that owns it
 * now), `missing` when it is gone; a field another (non-system) manager added
 * under what phase-gate manages is `extra`. Pure: no cluster here.
 */

import type { KubeObject } from './types.js'

/** A field manager's entry in `metadata.managedFields`. */
export interface ManagedFieldsEntry {
  manager?: string
  operation?: string
  subresource?: string
  fieldsType?: string
  fieldsV1?: FieldsV1
}

/** The `fieldsV1` trie: `f:name`, `k:{...}`, `v:...`, `i:N` and `.` keys. */
export type FieldsV1 = { [key: string]: FieldsV1 }

/** One step of a field path: a field name, a list item by its keys, a set value or an index. */
export type FieldStep =
  { f: string } | { k: Record<string, unknown> } | { v: unknown } | { i: number }

/** One drifted field. */
export interface FieldDrift {
  /** Dotted path, e.g. `spec.template.spec.containers[name=app].env[name=FOO]`. */
  path: string
  kind: 'changed' | 'missing' | 'extra'
  /** The value the run applied (changed, missing). */
  applied?: unknown
  /** The live value (changed, extra). */
  live?: unknown
  /** The managers that own the field now (changed, extra). */
  managers?: string[]
}

/** Managers whose fields are the cluster's own bookkeeping, never drift. */
export const SYSTEM_MANAGERS: readonly string[] = [
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-apiserver',
  'kwok'
]

/** The field manager phase-gate applies with. */
export const PHASE_GATE_MANAGER = 'phase-gate'

function entries(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const mf = obj?.metadata?.managedFields
  return Array.isArray(mf) ? (mf as ManagedFieldsEntry[]) : []
}

/** The `Apply` fieldsV1 of a manager in an object, when it has one. */
export function appliedFields(
  obj: KubeObject | undefined,
  manager = PHASE_GATE_MANAGER
): FieldsV1 | undefined {
  return entries(obj).find(
    e => e.manager === manager && e.operation === 'Apply' && !e.subresource && e.fieldsV1
  )?.fieldsV1
}

function parseStep(key: string): FieldStep | undefined {
  const kind = key.slice(0, 2)
  const rest = key.slice(2)
  switch (kind) {
    case 'f:':
      return { f: rest }
    case 'k:':
      return { k: JSON.parse(rest) as Record<string, unknown> }
    case 'v:':
      return { v: JSON.parse(rest) as unknown }
    case 'i:':
      return { i: Number(rest) }
  }
  return undefined
}

/** The leaf paths of a fieldsV1 trie (a node without children, or with only `.`). */
export function leafPaths(fields: FieldsV1, prefix: FieldStep[] = []): FieldStep[][] {
  const keys = Object.keys(fields).filter(k => k !== '.')
  if (keys.length === 0) return prefix.length ? [prefix] : []
  const out: FieldStep[][] = []
  for (const key of keys) {
    const step = parseStep(key)
    if (step) out.push(...leafPaths(fields[key], [...prefix, step]))
  }
  return out
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The value at a field path, or `undefined` when a step is absent. */
export function valueAt(obj: unknown, path: FieldStep[]): unknown {
  let cur: unknown = obj
  for (const step of path) {
    if ('f' in step) {
      if (!isObject(cur) || !(step.f in cur)) return undefined
      cur = cur[step.f]
    } else if ('k' in step) {
      if (!Array.isArray(cur)) return undefined
      cur = cur.find(
        item =>
          isObject(item) &&
          Object.entries(step.k).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v))
      )
      if (cur === undefined) return undefined
    } else if ('v' in step) {
      if (!Array.isArray(cur)) return undefined
      const want = JSON.stringify(step.v)
      cur = cur.find(item => JSON.stringify(item) === want)
      if (cur === undefined) return undefined
    } else {
      if (!Array.isArray(cur) || step.i >= cur.length) return undefined
      cur = cur[step.i]
    }
  }
  return cur
}

/** A field path in words: `spec.template.spec.containers[name=app].env[name=FOO]`. */
export function formatFieldSteps(path: FieldStep[]): string {
  let out = ''
  for (const step of path) {
    if ('f' in step) out += out ? `.${step.f}` : step.f
    else if ('k' in step)
      out += `[${Object.entries(step.k)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(',')}]`
    else if ('v' in step) out += `[${JSON.stringify(step.v)}]`
    else out += `[${step.i}]`
  }
  return out
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (isObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, canonical(v[k])])
    )
  return v
}

/** The managers of the live object whose fieldsV1 holds this path. */
function ownersOf(live: KubeObject, path: FieldStep[]): string[] {
  const key = formatFieldSteps(path)
  return entries(live)
    .filter(e => e.fieldsV1 && leafPaths(e.fieldsV1).some(p => formatFieldSteps(p) === key))
    .map(e => e.manager ?? '?')
}

/**
 * Compares the live object with what phase-gate applied: the fields of its
 * managed set at apply time (`applied`'s managedFields), and the fields other
 * non-system managers added under them since.
 */
export function compareManaged(applied: KubeObject, live: KubeObject): FieldDrift[] {
  const mine = appliedFields(applied)
  if (!mine) return []
  const out: FieldDrift[] = []
  const minePaths = leafPaths(mine)
  for (const path of minePaths) {
    const before = valueAt(applied, path)
    const now = valueAt(live, path)
    const name = formatFieldSteps(path)
    if (now === undefined && before !== undefined)
      out.push({ path: name, kind: 'missing', applied: before })
    else if (!sameValue(before, now)) {
      const managers = ownersOf(live, path)
      // phase-gate changed it itself (a rollout scaling through the scale subresource): not drift.
      if (managers.length > 0 && managers.every(m => m === PHASE_GATE_MANAGER)) continue
      out.push({ path: name, kind: 'changed', applied: before, live: now, managers })
    }
  }
  // Fields another manager added inside what phase-gate manages (not status, not the cluster's
  // own), reported where they leave phase-gate's set: a whole env entry, not each of its fields.
  const minePrefixes = new Set<string>()
  for (const p of minePaths)
    for (let n = 1; n <= p.length; n++) minePrefixes.add(formatFieldSteps(p.slice(0, n)))
  const seen = new Set<string>()
  for (const e of entries(live)) {
    if (!e.fieldsV1 || e.manager === PHASE_GATE_MANAGER) continue
    if (SYSTEM_MANAGERS.includes(e.manager ?? '')) continue
    for (const path of leafPaths(e.fieldsV1)) {
      const n = path.findIndex((_s, i) => !minePrefixes.has(formatFieldSteps(path.slice(0, i + 1))))
      // n < 0: phase-gate's own field (judged above); n === 0: a part of the object it never set.
      if (n <= 0) continue
      const at = path.slice(0, n + 1)
      const name = formatFieldSteps(at)
      if (seen.has(name) || name === 'status' || name.startsWith('status.')) continue
      seen.add(name)
      out.push({ path: name, kind: 'extra', live: valueAt(live, at), managers: [e.manager ?? '?'] })
    }
  }
  return out
}

/** A drift in words: `changed spec.replicas: applied 2, live 5 (managed by kubectl)`. */
export function describeDrift(d: FieldDrift): string {
  const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))
  const by = d.managers?.length ? ` (managed by ${d.managers.join(', ')})` : ''
  switch (d.kind) {
    case 'changed':
      return `changed ${d.path}: applied ${show(d.applied)}, live ${d.live === undefined ? 'unset' : show(d.live)}${by}`
    case 'missing':
      return `missing ${d.path}: applied ${show(d.applied)}, not in the live object`
    case 'extra':
      return `extra ${d.path}${d.live !== undefined ? ` = ${show(d.live)}` : ''}${by}`
  }
}
