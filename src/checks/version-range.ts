/**
 * Version ranges for `operators[].version` and `validate.tools`, with the
 * `semver` package's semantics (npm's): `>=1.20`, `<2`, `^1.2`, `~1.2.3`,
 * `1.2.x`, `1.2.3`, `>=1.2 <2`, `A - B` and `||`; a comma separates
 * comparators like a space. A pre-release satisfies a range only when a
 * comparator names a pre-release of the same major.minor.patch, so
 * `2.0.0-beta.1` does not satisfy `<2` and `1.25.3-alpine` not `>=1.20`.
 * A version may lead with `v` and leave out minor and patch (`v1.20` is
 * 1.20.0).
 */

import semver from 'semver'

/** A parsed version. */
export interface Version {
  major: number
  minor: number
  patch: number
  prerelease: string[]
}

// What a version looks like here: a leading number, optional minor and patch, pre-release and build.
const VERSION_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

/** A version from text such as `1.2.3`, `v1.20`, `1.25.3-alpine`; undefined when it has no leading number. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim())
  if (!m) return undefined
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    prerelease: m[4] ? m[4].split('.') : []
  }
}

function format(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length ? `-${v.prerelease.join('.')}` : ''}`
}

/** The range as a predicate, or undefined when it does not parse. */
export function parseRange(range: string): ((v: Version) => boolean) | undefined {
  let parsed: semver.Range
  try {
    parsed = new semver.Range(range.replace(/,/g, ' '))
  } catch {
    return undefined
  }
  // semver drops what it cannot read from a comparator set ("1.2 foo" would read as "1.2").
  const tokens = range.split(/\s*\|\|\s*/).flatMap(a => a.trim().split(/[\s,]+/))
  const comparatorLike =
    /^(?:[<>=^~]*\s*v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?|-|[<>=^~]+)$/
  if (tokens.some(t => t && !comparatorLike.test(t))) return undefined
  if (parsed.set.length === 0) return undefined
  return v => {
    const text = format(v)
    return semver.valid(text) !== null && parsed.test(text)
  }
}

/** True/false when `version` satisfies `range`; undefined when either does not parse. */
export function satisfies(version: string, range: string): boolean | undefined {
  const ver = parseVersion(version)
  const pred = parseRange(range)
  if (!ver || !pred) return undefined
  return pred(ver)
}
