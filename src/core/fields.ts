/**
 * Reading fields of parsed YAML/JSON (`unknown`) without casts: the one home
 * of these helpers. `str` is a string as written, the empty string included
 * (an empty annotation or reason is a value, not an absence); `nonEmpty` is a
 * string that says something, for messages and fallbacks (`nonEmpty(x) ?? '?'`).
 */

/** True for a plain object (YAML mappings), as opposed to lists, scalars and null. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The mapping, or undefined. */
export function recordOf(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined
}

/** The mapping, or an empty one (for chains: `rec(rec(o.spec).template)`). */
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {}
}

/** The mappings of a list, others left out; anything else is an empty list (schema validation reports it, not us). */
export function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : []
}

/** Every item of a list as a mapping (a non-mapping becomes an empty one, positions kept); a non-list is empty. */
export function recordItems(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(rec) : []
}

/** The list, or an empty one. */
export function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/** A string field, '' included; undefined when absent or not a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A non-empty string, or undefined. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined
}

/** A non-empty string, or a number as text (ports, counts), or undefined. */
export function scalarText(v: unknown): string | undefined {
  return nonEmpty(v) ?? (typeof v === 'number' ? String(v) : undefined)
}

/** A number field, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined
}

/** A finite number, or undefined. */
export function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}
