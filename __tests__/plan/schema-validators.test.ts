// The plan schema's validators are compiled at build time
// (scripts/schema-validators.mjs → src/plan/schema-validators.generated.js):
// this fails when the generated file no longer matches the schema, naming the
// one command that brings it back.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { GENERATED_FILE, SCHEMA_FILE, generate } from '../../scripts/schema-validators.mjs'
import { validatePlanData } from '../../src/plan/schema.js'

describe('generated schema validators', () => {
  it('are up to date with schemas/plan.schema.json (else: npm run schema:validators)', () => {
    const fresh = generate()
    const current = readFileSync(GENERATED_FILE, 'utf8')
    // toBe on 500 KiB would print both; say what to do instead.
    expect({ stale: current !== fresh, fix: 'npm run schema:validators' }).toEqual({
      stale: false,
      fix: 'npm run schema:validators'
    })
  })

  it('the staleness check notices a schema change', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as {
      properties: Record<string, unknown>
    }
    schema.properties.extraField = { title: 'x', description: 'x', type: 'string' }
    expect(generate(JSON.stringify(schema))).not.toBe(readFileSync(GENERATED_FILE, 'utf8'))
  })

  it('validate with the compiled branches (an alternative explained by the branch meant)', () => {
    expect(validatePlanData({ version: 1, name: 'x', target: { namespace: 'n' } })).toEqual([])
    const issues = validatePlanData({ version: 1, name: 'x', target: { namespace: 7 } })
    expect(issues.map(i => i.path.join('.'))).toContain('target.namespace')
  })
})
