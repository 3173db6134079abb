/**
 * File globs for plan paths (`deploy/**\/*.yaml`), the same on every Node the
 * CLI supports: `fs.glob` exists only from Node 22, so lint and the gates
 * share this small walker instead, which follows `fs.globSync`'s rules on
 * Node 24 (a parity test holds it to them): `*` and `?` stay inside one path
 * segment and skip names starting with a dot unless the pattern's segment
 * starts with one; `**` is any number of directories (dot directories and
 * symlinked directories are not entered); `[...]` and `[!...]` classes;
 * `{a,b}` alternatives; a trailing `/` matches directories only.
 */

import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs'
import { isAbsolute, join, normalize, resolve } from 'node:path'

const MAGIC = /[*?[]/

/** The paths `pattern` matches, relative to `cwd` (absolute when the pattern is), sorted. */
export function globSync(pattern: string, options: { cwd: string }): string[] {
  const found = new Set<string>()
  for (const alternative of expandBraces(pattern)) {
    const absolute = isAbsolute(alternative)
    const dirOnly = alternative.endsWith('/')
    const segments = alternative.split('/').filter(s => s !== '' && s !== '.')
    const start = absolute ? '/' : resolve(options.cwd)
    walk(start, absolute ? '/' : '', segments, 0, dirOnly, found)
  }
  return [...found].sort()
}

function walk(
  dir: string,
  rel: string,
  segments: string[],
  i: number,
  dirOnly: boolean,
  found: Set<string>
): void {
  if (i === segments.length) {
    // As fs.globSync: a trailing `/` takes real directories, not symlinks to them.
    if (dirOnly && !(lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false)) return
    found.add(rel === '' ? '.' : normalize(rel))
    return
  }
  const segment = segments[i]
  if (segment === '**') {
    walk(dir, rel, segments, i + 1, dirOnly, found)
    const last = i === segments.length - 1
    for (const entry of entries(dir)) {
      if (entry.name.startsWith('.')) continue
      if (entry.isDirectory())
        walk(join(dir, entry.name), join(rel, entry.name), segments, i, dirOnly, found)
      // A trailing `**` also matches the files (and symlinks) it passes, without entering links.
      else if (last && !dirOnly) found.add(normalize(join(rel, entry.name)))
    }
    return
  }
  if (!MAGIC.test(segment)) {
    const next = join(dir, unescape(segment))
    // Intermediate literal segments must be directories; the last one must merely exist.
    if (i === segments.length - 1 ? exists(next) : isDirectory(next))
      walk(next, join(rel, unescape(segment)), segments, i + 1, dirOnly, found)
    return
  }
  const re = segmentRegExp(segment)
  const dotOk = segment.startsWith('.')
  for (const entry of entries(dir)) {
    if (entry.name.startsWith('.') && !dotOk) continue
    if (re.test(entry.name))
      walk(join(dir, entry.name), join(rel, entry.name), segments, i + 1, dirOnly, found)
  }
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

function exists(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false }) !== undefined
}

function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/g, '$1')
}

/** One path segment's pattern as an anchored RegExp. */
export function segmentRegExp(segment: string): RegExp {
  let out = ''
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]
    if (c === '\\' && i + 1 < segment.length) {
      out += escapeRe(segment[++i])
    } else if (c === '*') {
      out += '[^/]*'
    } else if (c === '?') {
      out += '[^/]'
    } else if (c === '[') {
      let j = i + 1
      if (segment[j] === '!' || segment[j] === '^') j++
      if (segment[j] === ']') j++
      while (j < segment.length && segment[j] !== ']') j++
      if (j >= segment.length) {
        out += '\\['
        continue
      }
      let body = segment.slice(i + 1, j)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      out += `[${negate ? '^' : ''}${body.replace(/[\\\][^]/g, '\\$&')}]`
      i = j
    } else {
      out += escapeRe(c)
    }
  }
  return new RegExp(`^${out}$`)
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** `a/{b,c}/*.{yaml,yml}` → its four alternatives; braces without a comma stay literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0
  let open = -1
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (c === '{') {
      if (depth === 0) open = i
      depth++
    } else if (c === '}' && depth > 0) {
      depth--
      if (depth === 0) {
        const parts = splitTopLevel(pattern.slice(open + 1, i))
        if (parts.length < 2) continue
        const head = pattern.slice(0, open)
        const tails = expandBraces(pattern.slice(i + 1))
        return parts.flatMap(p => expandBraces(p).flatMap(m => tails.map(t => head + m + t)))
      }
    }
  }
  return [pattern]
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = []
  let depth = 0
  let last = 0
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === '\\') i++
    else if (c === '{') depth++
    else if (c === '}') depth--
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(last, i))
      last = i + 1
    }
  }
  parts.push(body.slice(last))
  return parts
}
