/**
 * Kubernetes' semver library for CEL: `semver(s[, normalize])`, `isSemver(s[, normalize])` and the
 * Semver methods. Parsing and ordering follow github.com/blang/semver/v4, which Kubernetes uses
 * (strict SemVer 2.0.0: no `v`, no leading zeros, build metadata ignored when comparing).
 */
import { CelScalar, celFunc, celMethod, type CelFunc } from '@bufbuild/cel'
import { OBJECT_TYPES, unwrapObject, wrapObject } from './object-types.js'

/** A parsed semantic version. */
export interface SemverValue {
  readonly major: bigint
  readonly minor: bigint
  readonly patch: bigint
  /** Pre-release identifiers; numeric ones as bigint. */
  readonly pre: readonly (string | bigint)[]
  readonly build: readonly string[]
}

const NUMBERS = /^[0-9]+$/
const ALPHANUM = /^[0-9A-Za-z-]+$/
const UINT64_MAX = 2n ** 64n - 1n

function parseNumber(part: string, what: string): bigint {
  if (!NUMBERS.test(part)) throw new Error(`Invalid character(s) found in ${what} number "${part}"`)
  if (part.length > 1 && part[0] === '0')
    throw new Error(`${capitalize(what)} number must not contain leading zeroes "${part}"`)
  const n = BigInt(part)
  if (n > UINT64_MAX) throw new Error(`${capitalize(what)} number "${part}" is out of range`)
  return n
}

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1)

function parsePre(part: string): string | bigint {
  if (part === '') throw new Error('Prerelease is empty')
  if (NUMBERS.test(part)) {
    if (part.length > 1 && part[0] === '0')
      throw new Error(`Numeric PreRelease version must not contain leading zeroes "${part}"`)
    return BigInt(part)
  }
  if (!ALPHANUM.test(part)) throw new Error(`Invalid character(s) found in prerelease "${part}"`)
  return part
}

/** blang/semver's Parse: strict MAJOR.MINOR.PATCH[-PRE][+BUILD]. */
export function parseSemver(s: string): SemverValue {
  if (s === '') throw new Error('Version string empty')
  const parts = splitN(s, '.', 3)
  if (parts.length !== 3) throw new Error('No Major.Minor.Patch elements found')
  const major = parseNumber(parts[0], 'major')
  const minor = parseNumber(parts[1], 'minor')
  let rest = parts[2]
  const preIndex = rest.indexOf('-')
  const buildIndex = rest.indexOf('+')
  const cut = [preIndex, buildIndex].filter(i => i >= 0)
  const subVersion = cut.length ? Math.min(...cut) : rest.length
  const patch = parseNumber(rest.slice(0, subVersion), 'patch')
  rest = rest.slice(subVersion)
  let build: string[] = []
  const plus = rest.indexOf('+')
  if (plus >= 0) {
    build = rest.slice(plus + 1).split('.')
    rest = rest.slice(0, plus)
  }
  const pre = rest.startsWith('-') ? rest.slice(1).split('.').map(parsePre) : []
  for (const b of build) {
    if (b === '') throw new Error('Build meta data is empty')
    if (!ALPHANUM.test(b)) throw new Error(`Invalid character(s) found in build meta data "${b}"`)
  }
  return { major, minor, patch, pre, build }
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = []
  let rest = s
  while (out.length < n - 1) {
    const i = rest.indexOf(sep)
    if (i < 0) break
    out.push(rest.slice(0, i))
    rest = rest.slice(i + 1)
  }
  out.push(rest)
  return out
}

/** Kubernetes' normalizeAndParse: drops a leading `v`, fills missing minor/patch, strips leading zeros. */
export function parseSemverNormalized(s: string): SemverValue {
  const parts = splitN(s.startsWith('v') ? s.slice(1) : s, '.', 3).map(p => {
    if (p.length <= 1) return p
    const trimmed = p.replace(/^0+/, '')
    return trimmed === '' || !/^[0-9]/.test(trimmed) ? `0${trimmed}` : trimmed
  })
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1]))
      throw new Error('short version cannot contain PreRelease/Build meta data')
    while (parts.length < 3) parts.push('0')
  }
  return parseSemver(parts.join('.'))
}

const cmp = <T extends bigint | string | number>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0)

/** SemVer precedence: -1, 0 or 1 (build metadata ignored). */
export function compareSemver(a: SemverValue, b: SemverValue): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    const c = cmp(a[key], b[key])
    if (c !== 0) return c
  }
  // A release ranks above its pre-releases.
  if (a.pre.length === 0 || b.pre.length === 0) return cmp(b.pre.length, a.pre.length)
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]
    const y = b.pre[i]
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1
    const c = cmp(x, y)
    if (c !== 0) return c
  }
  return cmp(a.pre.length, b.pre.length)
}

function display(v: SemverValue, withBuild = true): string {
  const core = `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}`
  return withBuild && v.build.length ? `${core}+${v.build.join('.')}` : core
}

const semverValue = (v: SemverValue) => wrapObject('semver', display(v, false), v, display(v))
const S = OBJECT_TYPES.semver
const { STRING, BOOL, INT } = CelScalar
const get = (v: Parameters<typeof unwrapObject>[1]) => unwrapObject<SemverValue>('semver', v)
const succeeds = (parse: () => unknown) => {
  try {
    parse()
    return true
  } catch {
    return false
  }
}

/** semver / isSemver and the Semver methods, as Kubernetes declares them (library.SemverLib v1). */
export const semverLibrary: CelFunc[] = [
  celFunc('semver', [STRING], S, s => semverValue(parseSemver(s))),
  celFunc('semver', [STRING, BOOL], S, (s, normalize) =>
    semverValue(normalize ? parseSemverNormalized(s) : parseSemver(s))
  ),
  celFunc('isSemver', [STRING], BOOL, s => succeeds(() => parseSemver(s))),
  celFunc('isSemver', [STRING, BOOL], BOOL, (s, normalize) =>
    succeeds(() => (normalize ? parseSemverNormalized(s) : parseSemver(s)))
  ),
  celMethod('major', S, [], INT, function () {
    return get(this).major
  }),
  celMethod('minor', S, [], INT, function () {
    return get(this).minor
  }),
  celMethod('patch', S, [], INT, function () {
    return get(this).patch
  }),
  celMethod('isGreaterThan', S, [S], BOOL, function (other) {
    return compareSemver(get(this), get(other)) === 1
  }),
  celMethod('isLessThan', S, [S], BOOL, function (other) {
    return compareSemver(get(this), get(other)) === -1
  }),
  celMethod('compareTo', S, [S], INT, function (other) {
    return BigInt(compareSemver(get(this), get(other)))
  })
]
