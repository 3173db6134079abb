/**
 * Reads a plan file: refuses what is not a small UTF-8 YAML document, parses
 * it keeping the position of every node, and validates it against the plan
 * schema. Every problem becomes one line `file:line:col: field.path: what was
 * expected`, so a user can jump to it and the action can annotate it.
 */

import { open, realpath } from 'node:fs/promises'
import path from 'node:path'
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLError
} from 'yaml'
import { errorMessage, UsageError } from '../core/errors.js'
import type { SourceLocation } from '../report/model.js'
import { validatePlanData, type PathSegment, type SchemaIssue } from './schema.js'
import type { LoadedPlan, Plan } from './types.js'
import { plural } from '../report/markdown.js'

/** Default size limit of a plan file: 1 MiB. */
export const DEFAULT_MAX_PLAN_BYTES = 1024 * 1024

/**
 * Aliases may expand to at most this many nodes' worth: plans rarely use
 * anchors at all, and a "billion laughs" file must fail fast, not eat memory.
 */
export const MAX_ALIAS_COUNT = 50

/** Options of loadPlan. */
export interface LoadPlanOptions {
  /** Root the plan's paths may not leave, and that displayed file names are relative to. */
  workspace: string
  /** Size limit in bytes (default 1 MiB). */
  maxBytes?: number
}

// Tags YAML's core schema resolves; anything else (!!binary, !!set, custom tags)
// would reach the schema as a surprise type, so it is refused by name.
const ALLOWED_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq'
])

/** Loads and validates a plan file; throws UsageError listing every problem. `file` resolves against the current directory. */
export async function loadPlan(file: string, opts: LoadPlanOptions): Promise<LoadedPlan> {
  const abs = path.resolve(file)
  const displayFile = displayPath(path.resolve(opts.workspace), abs)
  const bytes = await readLimited(abs, displayFile, opts.maxBytes ?? DEFAULT_MAX_PLAN_BYTES)
  const text = decodeText(bytes, displayFile)
  let root = path.resolve(opts.workspace)
  try {
    // Symlinks are judged by where they really lead, so the root must be real too.
    root = await realpath(root)
  } catch {
    // A workspace that does not exist is compared lexically.
  }
  return parsePlan(text, { file: abs, workspace: opts.workspace, root })
}

/** Options of parsePlan. */
export interface ParsePlanOptions {
  /** Path of the file the text came from (for messages and relative paths). */
  file: string
  workspace: string
  /** The root paths may not leave (default the workspace). */
  root?: string
}

/** Parses and validates plan text already read (size and encoding checked by the caller); throws UsageError. */
export function parsePlan(text: string, opts: ParsePlanOptions): LoadedPlan {
  const abs = path.resolve(opts.file)
  const workspace = path.resolve(opts.workspace)
  const displayFile = displayPath(workspace, abs)
  const source = parseSource(text, displayFile)
  const plan = validate(toData(source, displayFile), source, displayFile)
  return {
    plan,
    file: abs,
    displayFile,
    dir: path.dirname(abs),
    root: opts.root ?? workspace,
    locate: (p: PathSegment[]) => source.locate(p, 'field')
  }
}

function displayPath(workspace: string, abs: string): string {
  const rel = path.relative(workspace, abs)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return abs
  return rel.split(path.sep).join('/')
}

function fail(displayFile: string, summary: string, problems: string[]): never {
  throw new UsageError(`${displayFile}: ${summary}`, problems)
}

function line(
  displayFile: string,
  at: { line: number; column: number },
  where: string,
  message: string
): string {
  return `${displayFile}:${at.line}:${at.column}: ${where}: ${message}`
}

async function readLimited(abs: string, displayFile: string, maxBytes: number): Promise<Buffer> {
  let handle
  try {
    handle = await open(abs, 'r')
  } catch (err) {
    fail(displayFile, 'cannot read the plan file', [
      line(displayFile, { line: 1, column: 1 }, '(file)', `cannot open: ${errorMessage(err)}`)
    ])
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      fail(displayFile, 'the plan is not a file', [
        line(
          displayFile,
          { line: 1, column: 1 },
          '(file)',
          'expected a YAML file, got a directory or device'
        )
      ])
    }
    // Read one byte past the limit so a file growing after stat() is still caught.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) break
    }
    if (length > maxBytes || stat.size > maxBytes) {
      fail(displayFile, 'the plan file is too large', [
        line(
          displayFile,
          { line: 1, column: 1 },
          '(file)',
          `file is ${Math.max(stat.size, length)} bytes; a plan may be at most ${maxBytes} bytes (${formatBytes(maxBytes)}): split it or move data out of it`
        )
      ])
    }
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

function decodeText(bytes: Buffer, displayFile: string): string {
  const nul = bytes.indexOf(0)
  if (nul >= 0) {
    fail(displayFile, 'the plan file is binary', [
      line(
        displayFile,
        positionOfByte(bytes, nul),
        '(file)',
        `binary data (a NUL byte at offset ${nul}): a plan must be UTF-8 YAML text`
      )
    ])
  }
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    fail(displayFile, 'the plan file is not UTF-8', [
      line(
        displayFile,
        positionOfByte(bytes, bad),
        '(file)',
        `invalid UTF-8 at offset ${bad}: a plan must be UTF-8 YAML text`
      )
    ])
  }
  // TextDecoder drops a leading BOM, which YAML would otherwise keep in the first key.
  return new TextDecoder('utf-8').decode(bytes)
}

function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let lineNo = 1
  let start = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      lineNo++
      start = i + 1
    }
  }
  return { line: lineNo, column: offset - start + 1 }
}

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80]
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800]
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000]
    else return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

/** A parsed plan document that can say where each node is. */
interface Source {
  doc: Document
  lineCounter: LineCounter
  locate(p: PathSegment[], point: 'field' | 'key' | 'value'): SourceLocation
}

function parseSource(text: string, displayFile: string): Source {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    merge: false
  })
  const source: Source = {
    doc,
    lineCounter,
    locate: (p, point) => locateIn(doc, lineCounter, displayFile, p, point)
  }
  const problems = [...doc.errors, ...doc.warnings].map(e => yamlProblem(e, source, displayFile))
  if (problems.length > 0) fail(displayFile, 'the plan is not valid YAML', problems)

  const contents = doc.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    fail(displayFile, 'the plan is empty', [
      line(
        displayFile,
        { line: 1, column: 1 },
        '(root)',
        'the file is empty: expected a mapping with version, name and target'
      )
    ])
  }
  if (!isMap(contents)) {
    const what = isSeq(contents) ? 'a list' : isAlias(contents) ? 'an alias' : 'a single value'
    fail(displayFile, 'the plan is not a mapping', [
      line(
        displayFile,
        position(lineCounter, contents),
        '(root)',
        `expected a mapping with version, name and target at the top level, got ${what}`
      )
    ])
  }
  const structural = structureProblems(doc, lineCounter, displayFile)
  if (structural.length > 0)
    fail(displayFile, 'the plan uses YAML features plans do not allow', structural)
  return source
}

function yamlProblem(e: YAMLError, source: Source, displayFile: string): string {
  const at = e.linePos?.[0] ?? source.lineCounter.linePos(e.pos[0])
  const where = { line: at.line, column: at.col }
  // prettyErrors appends " at line L, column C:" and a code frame; the location is already in front.
  const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  if (e.code === 'DUPLICATE_KEY') {
    const dup = findDuplicate(source.doc, e.pos[0])
    if (dup) {
      const first = source.lineCounter.linePos(dup.firstOffset)
      return line(
        displayFile,
        where,
        formatFieldPath(dup.path),
        `duplicate key "${String(dup.path[dup.path.length - 1])}" (first defined at line ${first.line}, column ${first.col})`
      )
    }
    return line(displayFile, where, '(yaml)', `duplicate key: ${message}`)
  }
  if (e.code === 'MULTIPLE_DOCS') {
    return line(
      displayFile,
      where,
      '(yaml)',
      'a second YAML document starts here: a plan file holds exactly one document (remove the "---" separator or split the file)'
    )
  }
  return line(displayFile, where, '(yaml)', message)
}

/** The pair whose key starts at `offset` and the earlier pair with the same key in its mapping. */
function findDuplicate(
  doc: Document,
  offset: number
): { path: PathSegment[]; firstOffset: number } | undefined {
  let found: { path: PathSegment[]; firstOffset: number } | undefined
  visitNodes(doc, (node, p) => {
    if (found || !isMap(node)) return
    const seen = new Map<string, number>()
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined
      const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined
      if (key === undefined || start === undefined) continue
      const first = seen.get(key)
      if (first !== undefined && start === offset) {
        found = { path: [...p, key], firstOffset: first }
        return
      }
      if (first === undefined) seen.set(key, start)
    }
  })
  return found
}

/** Calls `visit` for every collection and scalar in document order, with its field path; aliases are not followed. */
function visitNodes(doc: Document, visit: (node: YamlNode, p: PathSegment[]) => void): void {
  const go = (node: unknown, p: PathSegment[]): void => {
    if (!node || typeof node !== 'object') return
    if (isAlias(node)) return visit(node, p)
    if (isMap(node)) {
      visit(node, p)
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?'
        if (pair.key && typeof pair.key === 'object') go(pair.key, p)
        go(pair.value, [...p, key])
      }
    } else if (isSeq(node)) {
      visit(node, p)
      node.items.forEach((item, i) => go(item, [...p, i]))
    } else if (isScalar(node)) {
      visit(node, p)
    }
  }
  go(doc.contents, [])
}

/** Problems the parser accepts but a plan must not contain: exotic tags, non-scalar keys, dangling aliases. */
function structureProblems(doc: Document, lineCounter: LineCounter, displayFile: string): string[] {
  const problems: string[] = []
  const anchors = new Set<string>()
  visitNodes(doc, (node, p) => {
    const where = formatFieldPath(p)
    if (isAlias(node)) {
      if (!anchors.has(node.source)) {
        problems.push(
          line(
            displayFile,
            position(lineCounter, node),
            where,
            `alias *${node.source} refers to no anchor defined before it`
          )
        )
      }
      return
    }
    const anchor = (node as { anchor?: string }).anchor
    if (anchor) anchors.add(anchor)
    const tag = (node as { tag?: string }).tag
    if (tag !== undefined && !ALLOWED_TAGS.has(tag)) {
      problems.push(
        line(
          displayFile,
          position(lineCounter, node),
          where,
          `the YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in a plan: write a plain value`
        )
      )
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          problems.push(
            line(
              displayFile,
              position(lineCounter, pair.key ?? node),
              where,
              'a mapping key must be a plain value, not a list or mapping'
            )
          )
        }
      }
    }
  })
  return problems
}

function toData(source: Source, displayFile: string): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (err) {
    let first: YamlNode | undefined
    visitNodes(source.doc, node => {
      if (!first && isAlias(node)) first = node
    })
    const at = first ? position(source.lineCounter, first) : { line: 1, column: 1 }
    const message = /alias count/i.test(errorMessage(err))
      ? `too many aliases: anchors and aliases here would expand beyond ${MAX_ALIAS_COUNT} nodes (a "billion laughs" file?); write the values out`
      : `cannot read the YAML: ${errorMessage(err)}`
    fail(displayFile, 'the plan is not valid YAML', [line(displayFile, at, '(yaml)', message)])
  }
}

function validate(data: unknown, source: Source, displayFile: string): Plan {
  const issues = validatePlanData(data)
  if (issues.length === 0) return data as Plan
  const located = issues.map(issue => ({ issue, at: locateIssue(source, issue) }))
  located.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column)
  const problems = located.map(({ issue, at }) =>
    line(displayFile, at, formatFieldPath(issue.path), issue.message)
  )
  fail(
    displayFile,
    `the plan does not match the schema (${plural(problems.length, 'problem')})`,
    problems
  )
}

function locateIssue(source: Source, issue: SchemaIssue): SourceLocation {
  if (issue.at === 'parent') return source.locate(issue.path.slice(0, -1), 'field')
  return source.locate(issue.path, issue.at)
}

function position(lineCounter: LineCounter, node: unknown): { line: number; column: number } {
  const range = (node as { range?: [number, number, number] } | null)?.range
  if (!range) return { line: 1, column: 1 }
  const pos = lineCounter.linePos(range[0])
  return { line: pos.line, column: pos.col }
}

function locateIn(
  doc: Document,
  lineCounter: LineCounter,
  displayFile: string,
  p: PathSegment[],
  point: 'field' | 'key' | 'value'
): SourceLocation {
  let node: unknown = doc.contents
  let keyNode: unknown
  for (const segment of p) {
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      const pair = node.items.find(
        it => isPair(it) && isScalar(it.key) && String(it.key.value) === String(segment)
      )
      if (!pair) break
      keyNode = pair.key
      // `key:` with nothing after it has no value node; the key stands for it.
      node = pair.value ?? pair.key
    } else if (isSeq(node) && Number.isInteger(Number(segment))) {
      const item = node.items[Number(segment)]
      if (item === undefined) break
      keyNode = undefined
      node = item
    } else {
      break
    }
  }
  const valueIsScalar = isScalar(node) || isAlias(node)
  const target =
    point === 'key'
      ? (keyNode ?? node)
      : point === 'value'
        ? valueIsScalar && hasRange(node)
          ? node
          : (keyNode ?? node)
        : // A field: its key when it has one (the line a reader looks for), else the node itself.
          (keyNode ?? node)
  const at = position(lineCounter, target)
  return { file: displayFile, line: at.line, column: at.column, path: formatFieldPath(p) }
}

function hasRange(node: unknown): boolean {
  const range = (node as { range?: unknown } | null)?.range
  return Array.isArray(range)
}

/** A field path as users read it: `assumptions.images[1].maxSize`; `(root)` for the whole plan. */
export function formatFieldPath(p: readonly PathSegment[]): string {
  if (p.length === 0) return '(root)'
  let out = ''
  for (const segment of p) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}
