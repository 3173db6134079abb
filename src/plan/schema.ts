/**
 * The plan's JSON Schema (schemas/plan.schema.json) through ajv, with its
 * errors turned into one plain sentence per problem: the field path, what was
 * expected and what was found. oneOf/anyOf noise is cut down to the branch the
 * user evidently meant. The validators are compiled at build time
 * (scripts/schema-validators.mjs, ajv standalone): compiling the schema at
 * every start cost about 250 ms of CPU.
 */

import type { ErrorObject, ValidateFunction } from 'ajv'
import planSchemaJson from '../../schemas/plan.schema.json' with { type: 'json' }
import {
  branches as branchValidators,
  root as rootValidator
} from './schema-validators.generated.js'
import { closestMatch, didYouMean, listWords } from './suggest.js'
import { plural } from '../report/markdown.js'

/** `$id` of the plan schema: its public URL at the major release tag (editors, SchemaStore). */
export const PLAN_SCHEMA_ID =
  'https://raw.githubusercontent.com/phase-gate/phase-gate/v1/schemas/plan.schema.json'

/** One step of a field path: a mapping key or a list index. */
export type PathSegment = string | number

/** The subset of JSON Schema the plan schema uses. */
export interface SchemaNode {
  $ref?: string
  title?: string
  description?: string
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  pattern?: string
  patternErrorMessage?: string
  required?: string[]
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  propertyNames?: SchemaNode
  items?: SchemaNode
  oneOf?: SchemaNode[]
  anyOf?: SchemaNode[]
  $defs?: Record<string, SchemaNode>
  [keyword: string]: unknown
}

/** The plan schema as data. */
// The JSON import is typed by its literal shape; SchemaNode is the view the code needs.
export const planSchema: SchemaNode = planSchemaJson as unknown as SchemaNode

/** One schema violation, by field path. */
export interface SchemaIssue {
  path: PathSegment[]
  /** What to point at: the field's name (unknown field), its value, or the mapping that lacks it. */
  at: 'key' | 'value' | 'parent'
  message: string
  /** For an unknown field: the allowed field it is most likely a typo of. */
  suggestion?: string
}

// JSON pointer of every schema object, by its JSON text: the generated
// validators report their own copies of the schema objects, so identity with
// planSchema is lost; identical objects validate identically wherever they are.
let pointers: Map<string, string> | undefined

function pointerOf(node: object): string | undefined {
  if (!pointers) {
    pointers = new Map()
    indexPointers(planSchema, '', pointers)
  }
  return pointers.get(JSON.stringify(node))
}

function indexPointers(node: unknown, pointer: string, out: Map<string, string>): void {
  if (node === null || typeof node !== 'object') return
  const key = JSON.stringify(node)
  if (!out.has(key)) out.set(key, pointer)
  const entries = Array.isArray(node)
    ? node.map((v, i) => [String(i), v] as const)
    : Object.entries(node)
  for (const [key, child] of entries) {
    indexPointers(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out)
  }
}

/** Every schema problem of `data` taken as a plan; empty when it is valid. */
export function validatePlanData(data: unknown): SchemaIssue[] {
  return dropExplainedMissing(dedupe(collect(rootValidator, data, [])))
}

/** Follows `$ref`s (local `#/$defs/...` only) to the schema they name, collecting the def names passed. */
export function resolveRef(node: SchemaNode, refs: string[] = []): SchemaNode {
  let current = node
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    const match = /^#\/\$defs\/([^/]+)$/.exec(current.$ref)
    const target = match ? planSchema.$defs?.[match[1]] : undefined
    if (!match || !target) throw new Error(`unsupported $ref ${current.$ref} in the plan schema`)
    refs.push(match[1])
    current = target
  }
  return current
}

/**
 * The branch of a oneOf/anyOf that the value evidently means: the only one of
 * the right type, or the only one whose required keys (the discriminator,
 * e.g. `http` for a check) are all present. Undefined when there is no such branch.
 */
export function chooseBranch(branches: SchemaNode[], value: unknown): number | undefined {
  const { byType, byKeys } = fittingBranches(branches, value)
  if (byType.length === 1) return byType[0]
  if (byKeys.length === 1) return byKeys[0]
  return undefined
}

function fittingBranches(
  branches: SchemaNode[],
  value: unknown
): { byType: number[]; byKeys: number[] } {
  const byType = branches
    .map((b, i) => [resolveRef(b), i] as const)
    .filter(([b]) => b.type === undefined || typeMatches(b.type, value))
    .map(([, i]) => i)
  const byKeys = isPlainObject(value)
    ? byType.filter(i => (resolveRef(branches[i]).required ?? []).every(k => k in value))
    : []
  return { byType, byKeys }
}

function collect(validate: ValidateFunction, data: unknown, base: PathSegment[]): SchemaIssue[] {
  if (validate(data)) return []
  // ajv reuses the array on the next call of the same function: copy before recursing.
  const errors = [...(validate.errors ?? [])]
  const alternatives = outermostAlternatives(errors)
  const issues: SchemaIssue[] = []
  for (const e of errors) {
    if (alternatives.some(a => within(e.instancePath, a.instancePath))) continue
    const issue = describeError(e, data, base)
    if (issue) issues.push(issue)
  }
  for (const alt of alternatives) issues.push(...resolveAlternatives(alt, data, base))
  return issues
}

function outermostAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const alts = errors
    .filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => a.instancePath.length - b.instancePath.length)
  const kept: ErrorObject[] = []
  for (const alt of alts) {
    if (!kept.some(k => within(alt.instancePath, k.instancePath))) kept.push(alt)
  }
  return kept
}

function within(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`)
}

function resolveAlternatives(alt: ErrorObject, data: unknown, base: PathSegment[]): SchemaIssue[] {
  const path = [...base, ...pointerToPath(alt.instancePath, data)]
  const value = alt.data
  const node = alt.parentSchema as SchemaNode | undefined
  const keyword = alt.keyword as 'oneOf' | 'anyOf'
  const branches = node?.[keyword]
  if (!node || !Array.isArray(branches))
    return [{ path, at: 'value', message: alt.message ?? 'invalid' }]

  const passing = (alt.params as { passingSchemas?: number[] | null }).passingSchemas
  if (Array.isArray(passing) && passing.length > 1) {
    return [
      { path, at: 'value', message: `matches more than one of: ${branchNames(branches, passing)}` }
    ]
  }

  const { byType, byKeys } = fittingBranches(branches, value)
  if (byType.length === 0) {
    const expected = listWords(unique(branches.map(b => expectedOfBranch(resolveRef(b)))))
    return [{ path, at: 'value', message: `expected ${expected}, got ${describeValue(value)}` }]
  }
  let chosen: number | undefined = byType.length === 1 ? byType[0] : undefined
  if (chosen === undefined && isPlainObject(value)) {
    const keys = unique(byType.flatMap(i => resolveRef(branches[i]).required?.slice(0, 1) ?? []))
    if (byKeys.length === 1) chosen = byKeys[0]
    else if (byKeys.length > 1) {
      const found = keys.filter(k => k in value)
      return [
        {
          path,
          at: 'value',
          message: `expected exactly one of ${listWords(keys)}, found ${listWords(found, 'and')}`
        }
      ]
    } else {
      const known = new Set(
        byType.flatMap(i => Object.keys(resolveRef(branches[i]).properties ?? {}))
      )
      const stray = Object.keys(value).find(k => !known.has(k))
      if (stray !== undefined) {
        return [
          {
            path: [...path, stray],
            at: 'key',
            message: `unknown field "${stray}"${didYouMean(stray, keys)}; expected exactly one of ${listWords(keys)}`
          }
        ]
      }
      return [{ path, at: 'value', message: `expected exactly one of ${listWords(keys)}` }]
    }
  }
  if (chosen === undefined) chosen = fewestErrors(node, keyword, byType, value)

  const validateBranch = branchValidator(node, keyword, chosen)
  const nested = validateBranch ? collect(validateBranch, value, path) : []
  if (nested.length > 0) return nested
  return [{ path, at: 'value', message: `expected ${branchNames(branches, byType)}` }]
}

function branchValidator(
  node: SchemaNode,
  keyword: 'oneOf' | 'anyOf',
  index: number
): ValidateFunction | undefined {
  const pointer = pointerOf(node)
  return pointer === undefined ? undefined : branchValidators[`${pointer}/${keyword}/${index}`]
}

function fewestErrors(
  node: SchemaNode,
  keyword: 'oneOf' | 'anyOf',
  candidates: number[],
  value: unknown
): number {
  let best = candidates[0]
  let bestCount = Infinity
  for (const i of candidates) {
    const validate = branchValidator(node, keyword, i)
    if (!validate) continue
    const count = validate(value) ? 0 : (validate.errors?.length ?? 0)
    if (count < bestCount) {
      best = i
      bestCount = count
    }
  }
  return best
}

function branchNames(branches: SchemaNode[], indexes: number[]): string {
  return listWords(indexes.map(i => resolveRef(branches[i]).title ?? `shape ${i + 1}`))
}

function expectedOfBranch(b: SchemaNode): string {
  return b.type === undefined ? (b.title ?? 'another shape') : typeWords(b.type)
}

function describeError(
  e: ErrorObject,
  data: unknown,
  base: PathSegment[]
): SchemaIssue | undefined {
  const path = [...base, ...pointerToPath(e.instancePath, data)]
  const parent = (e.parentSchema ?? {}) as SchemaNode
  const params = e.params as Record<string, unknown>
  const got = describeValue(e.data)
  // ajv reports a bad property name twice: the inner error carries `propertyName`.
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName
  if (propertyName !== undefined) {
    const expected =
      parent.patternErrorMessage ?? `expected a name matching ${String(parent.pattern)}`
    return {
      path: [...path, propertyName],
      at: 'key',
      message: `invalid field name "${propertyName}": ${expected}`
    }
  }
  switch (e.keyword) {
    case 'propertyNames':
      return undefined
    case 'required': {
      const missing = String(params.missingProperty)
      return {
        path: [...path, missing],
        at: 'parent',
        message: `missing required field "${missing}"`
      }
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty)
      const suggestion = closestMatch(field, Object.keys(parent.properties ?? {}))
      return { path: [...path, field], at: 'key', message: unknownField(field, parent), suggestion }
    }
    case 'type': {
      const expected =
        parent.patternErrorMessage ?? `expected ${typeWords(params.type as string | string[])}`
      return { path, at: 'value', message: `${expected}, got ${got}` }
    }
    case 'pattern': {
      const expected =
        parent.patternErrorMessage ?? `expected a value matching ${String(params.pattern)}`
      return { path, at: 'value', message: `${expected}, got ${got}` }
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(v => JSON.stringify(v))
      const hint =
        typeof e.data === 'string' ? didYouMean(e.data, params.allowedValues as string[]) : ''
      return {
        path,
        at: 'value',
        message: `expected one of ${listWords(allowed)}, got ${got}${hint}`
      }
    }
    case 'const':
      return {
        path,
        at: 'value',
        message: `expected ${JSON.stringify(params.allowedValue)}, got ${got}`
      }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        at: 'value',
        message: `expected a number ${String(params.comparison)} ${String(params.limit)}, got ${got}`
      }
    case 'minItems':
      return {
        path,
        at: 'value',
        message: `expected at least ${plural(Number(params.limit), 'item')}, got ${listLength(e.data)}`
      }
    case 'maxItems':
      return {
        path,
        at: 'value',
        message: `expected at most ${plural(Number(params.limit), 'item')}, got ${listLength(e.data)}`
      }
    case 'minLength':
      return Number(params.limit) === 1
        ? { path, at: 'value', message: 'expected a non-empty string' }
        : {
            path,
            at: 'value',
            message: `expected at least ${plural(Number(params.limit), 'character')}, got ${got}`
          }
    case 'maxLength':
      return {
        path,
        at: 'value',
        message: `expected at most ${plural(Number(params.limit), 'character')}, got ${String(e.data).length}`
      }
    case 'minProperties':
      return {
        path,
        at: 'value',
        message: `expected at least ${plural(Number(params.limit), 'field')}`
      }
    case 'uniqueItems':
      return {
        path: [...path, Number(params.i)],
        at: 'value',
        message: `duplicate of item ${String(params.j)}`
      }
    default:
      return { path, at: 'value', message: e.message ?? `fails ${e.keyword}` }
  }
}

function unknownField(field: string, parent: SchemaNode): string {
  if (field === '<<') return 'YAML merge keys (<<) are not supported: write the fields out'
  const allowed = Object.keys(parent.properties ?? {})
  const hint = didYouMean(field, allowed)
  if (hint) return `unknown field "${field}"${hint}`
  return allowed.length > 0
    ? `unknown field "${field}"; allowed: ${listWords(allowed)}`
    : `unknown field "${field}"`
}

/** Field path segments of a JSON pointer into `data` (list indexes as numbers). */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return []
  const path: PathSegment[] = []
  let cursor: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cursor) && /^\d+$/.test(key)) {
      path.push(Number(key))
      cursor = cursor[Number(key)]
    } else {
      path.push(key)
      cursor = isPlainObject(cursor) ? cursor[key] : undefined
    }
  }
  return path
}

/** The JSON type of a value as JSON Schema names it (`integer` for whole numbers). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeMatches(type: string | string[], value: unknown): boolean {
  const actual = jsonType(value)
  const types = Array.isArray(type) ? type : [type]
  return types.some(t => t === actual || (t === 'number' && actual === 'integer'))
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing'
}

function typeWords(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type]
  return listWords(types.map(t => TYPE_WORDS[t] ?? t))
}

/** How a found value reads in a message: strings quoted, others by type with the value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'an empty value'
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value
    return JSON.stringify(shown)
  }
  if (typeof value === 'number') return `a number (${value})`
  if (typeof value === 'boolean') return `${value}`
  if (Array.isArray(value)) return `a list of ${plural(value.length, 'item')}`
  return 'a mapping'
}

function listLength(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : describeValue(value)
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}

// `reff: x` already says "did you mean ref?"; "missing required field ref" would only repeat it.
function dropExplainedMissing(issues: SchemaIssue[]): SchemaIssue[] {
  const explained = new Set(
    issues
      .filter(i => i.suggestion !== undefined)
      .map(i => JSON.stringify([...i.path.slice(0, -1), i.suggestion]))
  )
  return issues.filter(i => !(i.at === 'parent' && explained.has(JSON.stringify(i.path))))
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>()
  return issues.filter(i => {
    const key = `${JSON.stringify(i.path)}\0${i.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** True for a plain mapping (not a list, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value found in the plan together with the schema that governs it. */
export interface TypedField {
  path: PathSegment[]
  value: unknown
  /** `$defs` names passed on the way (e.g. `duration`, `repoGlob`, `cel`). */
  defs: string[]
  schema: SchemaNode
}

/**
 * Every field of the plan paired with its schema, so lint can find all
 * durations, globs, CEL and PromQL strings without listing their paths.
 */
export function typedFields(data: unknown): TypedField[] {
  const out: TypedField[] = []
  walk(planSchema, data, [], [], out)
  return out
}

function walk(
  node: SchemaNode,
  value: unknown,
  path: PathSegment[],
  inherited: string[],
  out: TypedField[]
): void {
  const defs = [...inherited]
  let schema = resolveRef(node, defs)
  for (let depth = 0; depth < 8; depth++) {
    const branches = schema.oneOf ?? schema.anyOf
    if (!branches) break
    const chosen = chooseBranch(branches, value)
    if (chosen === undefined) return
    schema = resolveRef(branches[chosen], defs)
  }
  out.push({ path, value, defs, schema })
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => walk(schema.items as SchemaNode, item, [...path, i], [], out))
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      if (sub) walk(sub, child, [...path, key], [], out)
    }
  }
}
