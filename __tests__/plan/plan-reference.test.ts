// docs/plan-reference.md is generated from schemas/plan.schema.json (and the
// example plans' values) by scripts/plan-reference.mjs: it must be what the
// script renders now, must go stale when a schema description changes, and
// must document every property the schema has with a type and an example.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  DOC_FILE,
  SCHEMA_FILE,
  examplePlans,
  isStale,
  renderPlanReference
} from '../../scripts/plan-reference.mjs'

type Node = Record<string, unknown>
const root = join(import.meta.dirname, '..', '..')
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Node
const doc = readFileSync(DOC_FILE, 'utf8')
const plans = examplePlans()

/** Every property name anywhere in the schema, with the description it carries. */
function properties(node: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(node)) for (const n of node) properties(n, out)
  else if (node && typeof node === 'object') {
    const n = node as Node
    for (const [k, v] of Object.entries((n.properties as Record<string, Node>) ?? {}))
      if (!out.has(k)) out.set(k, String(v.description ?? ''))
    for (const [k, v] of Object.entries(n))
      if (!['enum', 'const', 'default', 'examples'].includes(k)) properties(v, out)
  }
  return out
}

describe('docs/plan-reference.md', () => {
  it('is what npm run docs:plan-reference writes now', () => {
    // Names the fix: regenerate and commit.
    expect(isStale(doc, schema, plans)).toBe(false)
    const r = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'plan-reference.mjs'), '--check'],
      {
        cwd: root,
        encoding: 'utf8'
      }
    )
    expect(r.status).toBe(0)
  })

  it('goes stale when a schema description changes, and is fresh again once regenerated', () => {
    const changed = structuredClone(schema) as {
      properties: { target: { properties: { namespace: { description: string } } } }
    }
    changed.properties.target.properties.namespace.description = 'The namespace, reworded.'
    expect(isStale(doc, changed, plans)).toBe(true)
    const regenerated = renderPlanReference(changed, plans).text
    expect(regenerated).toContain('### `target.namespace`\n\nThe namespace, reworded.\n')
    expect(isStale(regenerated, changed, plans)).toBe(false)
  })

  it('documents every property of the schema with its description, a type and an example', () => {
    const blocks = doc.split(/\n(?=#{2,6} `)/).filter(b => /^#{2,6} `/.test(b))
    const byName = new Map<string, string[]>()
    for (const b of blocks) {
      const path = /^#{2,6} `([^`]+)`/.exec(b)![1]
      const name = path.split('.').pop()!.replace(/\[\]$/, '')
      byName.set(name, [...(byName.get(name) ?? []), b])
      expect(`${path}\n${b}`).toMatch(/\n- \*\*type\*\*: \S/)
      expect(`${path}\n${b}`).toMatch(/\n- \*\*required\*\*: (yes|no)\n/)
      expect(`${path}\n${b}`).toMatch(/\n- \*\*example\*\*:\n\n```yaml\n/)
    }
    const missing: string[] = []
    for (const [name, description] of properties(schema)) {
      const found = byName.get(name)
      if (!found) missing.push(name)
      else expect(found.some(b => b.includes(description))).toBe(true)
    }
    expect(missing).toEqual([])
  })

  it('groups fields as the plan is: a section per top-level field, in schema order', () => {
    const sections = [...doc.matchAll(/^## `([^`]+)`$/gm)].map(m => m[1])
    expect(sections).toEqual(Object.keys(schema.properties as Node))
    expect(doc).toContain(`# yaml-language-server: $schema=${String(schema.$id)}`)
  })

  it('shows allowed values and defaults from the schema', () => {
    expect(doc).toMatch(
      /### `target.platform`[\s\S]*?- \*\*allowed\*\*: one of `kubernetes`, `openshift`/
    )
    const withDefault = doc.match(/- \*\*default\*\*: /g) ?? []
    expect(withDefault.length).toBe((JSON.stringify(schema).match(/"default":/g) ?? []).length)
  })
})
