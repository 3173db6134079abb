// Validation check kinds own their surface: the registry holds each kind under
// its own key, the schema's `check` offers exactly the registry's kinds (each
// `$defs/<kind>Check` requiring that key), and the plan gate and the runbook
// describe a check by asking its kind.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { VALIDATION_CHECKS, checkKindOf } from '../../src/checks/validation-registry.js'
import type { CheckSpec } from '../../src/plan/types.js'
import { describeCheck as planWords } from '../../src/report/plan-render.js'
import { describeCheck as runbookWords } from '../../src/report/runbook.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const schema = JSON.parse(readFileSync(resolve(root, 'schemas/plan.schema.json'), 'utf8')) as {
  $defs: Record<string, { oneOf?: { $ref: string }[]; required?: string[] }>
}

describe('validation check kinds', () => {
  it('each kind is filed under its own key', () => {
    for (const [key, check] of Object.entries(VALIDATION_CHECKS)) expect(check.key).toBe(key)
  })

  it("the schema's check kinds are the registry's", () => {
    const kinds = (schema.$defs.check.oneOf ?? []).map(
      b => schema.$defs[b.$ref.replace('#/$defs/', '')].required?.[0]
    )
    expect(kinds).toEqual(Object.keys(VALIDATION_CHECKS))
  })

  it.each<[CheckSpec, string, string]>([
    [
      { http: { service: 'api', port: 8080, path: '/healthz', expect: { status: 204 } } },
      'http: GET service api:8080/healthz → 204',
      'Service api:8080/healthz answers 204'
    ],
    [
      { command: { run: ['psql', '-c', 'select 1'] } },
      "command: psql -c 'select 1' exits 0",
      '`psql -c select 1` exits 0'
    ],
    [
      { ready: { kind: 'Deployment', name: 'web', timeout: '2m' } },
      'ready: Deployment/web within 2m',
      'Deployment web is ready (kstatus Current)'
    ],
    [
      { alertRules: { names: ['HighErrorRate'] } },
      'alert rules: HighErrorRate loaded',
      'alert rules loaded in Prometheus: HighErrorRate'
    ]
  ])('%j is described by its kind', (spec, plan, runbook) => {
    expect(planWords(spec)).toBe(plan)
    expect(runbookWords(spec)).toBe(runbook)
    const kind = checkKindOf(spec)!
    expect(kind.check.describe.plan(kind.body)).toBe(plan)
  })

  it('a spec of no known kind has no kind (the gate reports it as an error result)', () => {
    expect(checkKindOf({ nope: {} } as unknown as CheckSpec)).toBeUndefined()
  })
})
