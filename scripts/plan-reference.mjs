// docs/plan-reference.md from schemas/plan.schema.json: every field of the
// plan, grouped as the plan is (one section per top-level field, the shared
// types after), with its type, whether it is required, its default, the
// values it allows, its description and an example. Examples come from the
// example plans under examples/ where one uses the field (real, linted
// plans), else from the schema (examples, default, const, enum).
//
//   node scripts/plan-reference.mjs           writes docs/plan-reference.md
//   node scripts/plan-reference.mjs --check   exits 1 when the file is stale
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SCHEMA_FILE = join(root, 'schemas', 'plan.schema.json')
export const DOC_FILE = join(root, 'docs', 'plan-reference.md')

/** The example plans' parsed contents, in a stable order. */
export function examplePlans(dir = join(root, 'examples')) {
  return readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => join(dir, d.name, 'phase-gate.yaml'))
    .filter(f => existsSync(f))
    .sort()
    .map(f => parse(readFileSync(f, 'utf8')))
}

/** Renders the reference from a schema object and example plan objects. */
export function renderPlanReference(schema, plans = examplePlans()) {
  const defs = schema.$defs ?? {}
  const resolveRef = node => {
    let n = node
    const seen = new Set()
    while (n && n.$ref && !seen.has(n.$ref)) {
      seen.add(n.$ref)
      n = defs[n.$ref.replace('#/$defs/', '')]
    }
    return n ?? {}
  }
  const defName = node => node?.$ref?.replace('#/$defs/', '')

  // First value the example plans give each property node (by schema-node identity).
  const seen = new Map()
  const collect = (node, value, depth = 0) => {
    if (!node || value === undefined || depth > 40) return
    const n = resolveRef(node)
    for (const branch of [...(n.oneOf ?? []), ...(n.anyOf ?? [])]) collect(branch, value, depth + 1)
    if (Array.isArray(value)) {
      if (n.items) for (const item of value) collect(n.items, item, depth + 1)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [k, v] of Object.entries(value)) {
      const child = n.properties?.[k]
      if (child) {
        if (!seen.has(child)) seen.set(child, v)
        collect(child, v, depth + 1)
      } else if (n.additionalProperties && typeof n.additionalProperties === 'object') {
        collect(n.additionalProperties, v, depth + 1)
      }
    }
  }
  for (const plan of plans) collect(schema, plan)

  const anchor = name => `type-${name.toLowerCase()}`
  const code = v => `\`${String(v).replace(/`/g, "'")}\``
  const typeOf = node => {
    if (!node) return 'any'
    const ref = defName(node)
    if (ref) return `[${ref}](#${anchor(ref)})`
    if (node.const !== undefined)
      return `${typeof node.const} (${code(JSON.stringify(node.const))})`
    const branches = node.oneOf ?? node.anyOf
    if (branches) return [...new Set(branches.map(typeOf))].join(' or ')
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : []
    return (
      types
        .map(t => {
          if (t === 'array') return `list of ${typeOf(node.items)}`
          if (t === 'object' && !node.properties && typeof node.additionalProperties === 'object')
            return `map of ${typeOf(node.additionalProperties)}`
          return t
        })
        .join(' or ') || 'any'
    )
  }
  const allowed = node => {
    const out = []
    if (node.enum) out.push(`one of ${node.enum.map(v => code(v)).join(', ')}`)
    if (node.const !== undefined) out.push(`exactly ${code(JSON.stringify(node.const))}`)
    if (node.pattern) out.push(`matches ${code(node.pattern)}`)
    if (node.minimum !== undefined) out.push(`at least ${node.minimum}`)
    if (node.maximum !== undefined) out.push(`at most ${node.maximum}`)
    if (node.minLength !== undefined && node.minLength > 1)
      out.push(`at least ${node.minLength} characters`)
    if (node.maxLength !== undefined) out.push(`at most ${node.maxLength} characters`)
    if (node.minItems !== undefined) out.push(`at least ${node.minItems} item(s)`)
    if (node.minProperties !== undefined) out.push(`at least ${node.minProperties} key(s)`)
    if (node.items?.enum) out.push(`items one of ${node.items.enum.map(v => code(v)).join(', ')}`)
    if (node.propertyNames?.enum)
      out.push(`keys one of ${node.propertyNames.enum.map(v => code(v)).join(', ')}`)
    if (node.propertyNames?.pattern) out.push(`keys match ${code(node.propertyNames.pattern)}`)
    return out
  }
  const fromSchema = node => {
    for (const n of [node, resolveRef(node)]) {
      if (n.examples?.length) return n.examples[0]
      if (n.default !== undefined) return n.default
      if (n.const !== undefined) return n.const
      if (n.enum?.length) return n.enum[0]
    }
    return undefined
  }
  // A made-up but valid-looking value for a field no example plan uses and the schema gives none.
  const synth = (node, depth = 0) => {
    if (!node || depth > 6) return undefined
    if (seen.has(node)) return seen.get(node)
    const given = fromSchema(node)
    if (given !== undefined) return given
    const n = resolveRef(node)
    if (n !== node) return synth(n, depth + 1)
    const branch = (n.oneOf ?? n.anyOf)?.[0]
    if (branch) return synth(branch, depth + 1)
    const types = Array.isArray(n.type) ? n.type : [n.type]
    if (types.includes('array')) return [synth(n.items, depth + 1) ?? 'example']
    if (n.properties) {
      const keys = n.required?.length ? n.required : Object.keys(n.properties).slice(0, 2)
      return Object.fromEntries(keys.map(k => [k, synth(n.properties[k], depth + 1) ?? 'example']))
    }
    if (typeof n.additionalProperties === 'object')
      return { NAME: synth(n.additionalProperties, depth + 1) ?? 'example' }
    if (types.includes('boolean')) return true
    if (types.includes('integer') || types.includes('number')) return n.minimum ?? 1
    const eg = /e\.g\.,?\s+`?([^`\s,;)]+)/.exec(n.description ?? '')?.[1]?.replace(/\.$/, '')
    if (types.includes('string')) return eg ?? 'example'
    if (types.includes('object')) return { NAME: 'value' }
    return undefined
  }
  const yamlBlock = (name, value) => {
    const text = stringify({ [name]: value }, { lineWidth: 0, flowCollectionPadding: false })
      .trimEnd()
      .split('\n')
    const shown = text.length > 12 ? [...text.slice(0, 12), '  # ...'] : text
    return ['```yaml', ...shown, '```']
  }
  // The fields under a node: its properties plus those of its inline oneOf/anyOf object branches.
  const childrenOf = node => {
    const out = new Map()
    for (const [k, v] of Object.entries(node.properties ?? {}))
      out.set(k, { node: v, parent: node })
    for (const b of [...(node.oneOf ?? []), ...(node.anyOf ?? [])])
      if (!b.$ref)
        for (const [k, v] of Object.entries(b.properties ?? {}))
          if (!out.has(k)) out.set(k, { node: v, parent: b })
    return out
  }

  const lines = []
  let fields = 0
  let fromPlans = 0
  const field = (path, name, node, parent, level) => {
    fields++
    const heading = '#'.repeat(Math.min(level, 6))
    lines.push(`${heading} \`${path}\``, '')
    if (node.description) lines.push(node.description, '')
    const facts = [`- **type**: ${typeOf(node)}`]
    facts.push(`- **required**: ${parent?.required?.includes(name) ? 'yes' : 'no'}`)
    const def = node.default ?? resolveRef(node).default
    if (def !== undefined) facts.push(`- **default**: ${code(JSON.stringify(def))}`)
    const allow = allowed(node)
    if (allow.length) facts.push(`- **allowed**: ${allow.join('; ')}`)
    lines.push(...facts)
    if (seen.has(node)) fromPlans++
    const example = synth(node)
    if (example !== undefined) lines.push('- **example**:', '', ...yamlBlock(name, example))
    lines.push('')
    // Nested fields of an inline object (a $ref'd type is documented once, below).
    if (!node.$ref) {
      const inner = node.type === 'array' && node.items && !node.items.$ref ? node.items : node
      const suffix = inner === node ? '' : '[]'
      for (const [k, c] of childrenOf(inner))
        field(`${path}${suffix}.${k}`, k, c.node, c.parent, level + 1)
    }
  }

  lines.push(
    '# Plan file reference',
    '',
    '<!-- Generated from schemas/plan.schema.json by `npm run docs:plan-reference`; do not edit. -->',
    '',
    `Every field of \`phase-gate.yaml\`, generated from [the plan's JSON Schema](../schemas/plan.schema.json)`,
    `(\`$id\` ${code(schema.$id)}). Editors validate the file against it with this first line:`,
    '',
    '```yaml',
    `# yaml-language-server: $schema=${schema.$id}`,
    '```',
    '',
    schema.description ?? '',
    '',
    'Examples are taken from the plans under [examples/](../examples) where one uses the field.',
    '',
    '## Contents',
    '',
    ...Object.keys(schema.properties ?? {}).map(
      k => `- [\`${k}\`](#${k.toLowerCase().replace(/[^a-z0-9 _-]/g, '')})`
    ),
    `- [Shared types](#shared-types)`,
    ''
  )
  for (const [k, node] of Object.entries(schema.properties ?? {})) field(k, k, node, schema, 2)
  lines.push('## Shared types', '', 'Types that several fields use, linked from their fields.', '')
  for (const [name, node] of Object.entries(defs)) {
    lines.push(`<a id="${anchor(name)}"></a>`, '', `### ${name}`, '')
    if (node.title) lines.push(`**${node.title}.** ${node.description ?? ''}`, '')
    else if (node.description) lines.push(node.description, '')
    lines.push(`- **type**: ${typeOf({ ...node, $ref: undefined })}`)
    const allow = allowed(node)
    if (allow.length) lines.push(`- **allowed**: ${allow.join('; ')}`)
    const example = fromSchema(node)
    if (example !== undefined && !childrenOf(node).size)
      lines.push('- **example**:', '', ...yamlBlock(name, example))
    lines.push('')
    for (const [k, c] of childrenOf(node.type === 'array' && node.items ? node.items : node))
      field(`${name}.${k}`, k, c.node, c.parent, 4)
  }
  const text = `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
  return { text, fields, fromPlans }
}

/** True when `doc` is not what the schema and example plans render to now. */
export function isStale(doc, schema, plans = examplePlans()) {
  return doc !== renderPlanReference(schema, plans).text
}

function main(argv) {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))
  const { text, fields, fromPlans } = renderPlanReference(schema)
  if (argv.includes('--check')) {
    const current = existsSync(DOC_FILE) ? readFileSync(DOC_FILE, 'utf8') : ''
    if (current !== text) {
      console.error(
        'docs/plan-reference.md is stale: run npm run docs:plan-reference and commit it'
      )
      return 1
    }
    return 0
  }
  writeFileSync(DOC_FILE, text)
  console.log(
    `wrote docs/plan-reference.md: ${fields} fields, ${fromPlans} with an example from examples/`
  )
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2))
