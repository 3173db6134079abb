/**
 * Simple semver comparison for `operators[].version`: `>=1.20`, `<2`,
 * `^1.2`, `~1.2.3`, `1.2.x`, `1.2.3`, `>=1.2 <2`, `A - B` and `||`. A leading
 * `v` is ignored; missing minor/patch parts count as 0 (or as a wildcard in an
 * exact comparator). Pre-releases sort before their release.
 */

/** A parsed version. */
export interface Version {
  major: number
  minor: number
  patch: number
  prerelease: string[]
}

const VERSION_RE =
  /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

interface Partial {
  major: number
  minor?: number
  patch?: number
  prerelease: string[]
}

function parsePartial(text: string): Partial | undefined {
  const m = VERSION_RE.exec(text.trim())
  if (!m) return undefined
  const part = (s: string | undefined): number | undefined =>
    s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s)
  const minor = part(m[2])
  return {
    major: Number(m[1]),
    minor,
    patch: minor === undefined ? undefined : part(m[3]),
    prerelease: m[4] ? m[4].split('.') : []
  }
}

/** A version from text such as `1.2.3`, `v1.20`, `1.25.3-alpine`; undefined when it has no leading number. */
export function parseVersion(text: string): Version | undefined {
  const p = parsePartial(text)
  if (!p) return undefined
  return { major: p.major, minor: p.minor ?? 0, patch: p.patch ?? 0, prerelease: p.prerelease }
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (semver precedence). */
export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] - b[k]
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return b.prerelease.length - a.prerelease.length
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i]
    const y = b.prerelease[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const nx = /^\d+$/.test(x)
    const ny = /^\d+$/.test(y)
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y)
    if (nx !== ny) return nx ? -1 : 1
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

type Comparator = (v: Version) => boolean

const v = (major: number, minor = 0, patch = 0): Version => ({
  major,
  minor,
  patch,
  prerelease: []
})
const lower = (p: Partial): Version => ({
  major: p.major,
  minor: p.minor ?? 0,
  patch: p.patch ?? 0,
  prerelease: p.prerelease
})
// The first version above every version the partial matches (1.2 → 1.3.0, 1 → 2.0.0).
const upper = (p: Partial): Version =>
  p.minor === undefined
    ? v(p.major + 1)
    : p.patch === undefined
      ? v(p.major, p.minor + 1)
      : v(p.major, p.minor, p.patch + 1)
const ge =
  (x: Version): Comparator =>
  y =>
    compareVersions(y, x) >= 0
const lt =
  (x: Version): Comparator =>
  y =>
    compareVersions(y, x) < 0

function comparator(text: string): Comparator | undefined {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(text)
  if (!m) return undefined
  const [, op = '', rest] = m
  if (/^[xX*]$/.test(rest)) return () => true
  const p = parsePartial(rest)
  if (!p) return undefined
  switch (op) {
    case '>=':
      return ge(lower(p))
    case '>':
      return p.patch === undefined ? ge(upper(p)) : y => compareVersions(y, lower(p)) > 0
    case '<':
      return lt(lower(p))
    case '<=':
      return p.patch === undefined ? lt(upper(p)) : y => compareVersions(y, lower(p)) <= 0
    case '^': {
      // Caret allows changes that do not modify the left-most non-zero part.
      const hi =
        p.major > 0 || p.minor === undefined
          ? v(p.major + 1)
          : p.minor > 0 || p.patch === undefined
            ? v(0, p.minor + 1)
            : v(0, 0, (p.patch ?? 0) + 1)
      return y => ge(lower(p))(y) && lt(hi)(y)
    }
    case '~': {
      const hi = p.minor === undefined ? v(p.major + 1) : v(p.major, p.minor + 1)
      return y => ge(lower(p))(y) && lt(hi)(y)
    }
    default:
      // An exact comparator with missing parts is a wildcard range (1.2 = 1.2.x).
      if (p.patch === undefined) return y => ge(lower(p))(y) && lt(upper(p))(y)
      return y => compareVersions(y, lower(p)) === 0
  }
}

/** The range as a predicate, or undefined when it does not parse. */
export function parseRange(range: string): Comparator | undefined {
  const alternatives: Comparator[] = []
  for (const alt of range.split('||')) {
    const text = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text)
    const parts: Comparator[] = []
    if (hyphen) {
      const a = comparator(`>=${hyphen[1]}`)
      const b = comparator(`<=${hyphen[2]}`)
      if (!a || !b) return undefined
      parts.push(a, b)
    } else {
      for (const token of text.split(/[\s,]+/).filter(Boolean)) {
        const c = comparator(token)
        if (!c) return undefined
        parts.push(c)
      }
    }
    if (parts.length === 0) return undefined
    alternatives.push(y => parts.every(c => c(y)))
  }
  return y => alternatives.some(c => c(y))
}

/** True/false when `version` satisfies `range`; undefined when either does not parse. */
export function satisfies(version: string, range: string): boolean | undefined {
  const ver = parseVersion(version)
  const pred = parseRange(range)
  if (!ver || !pred) return undefined
  return pred(ver)
}
