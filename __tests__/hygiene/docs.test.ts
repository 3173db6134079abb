// docs/hygiene.md stays true: every built-in rule is in the table, the
// variables block is the one the engine and the policies use, and the plan
// rules shown compile and judge as described.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ObjectBindings, compileRule, judgeObject } from '../../src/hygiene/engine.js'
import { planRules } from '../../src/hygiene/plan-rules.js'
import { BUILTIN_RULES } from '../../src/hygiene/rules.js'
import { OBJECT_VARIABLES } from '../../src/hygiene/variables.js'
import type { HygieneSpec } from '../../src/plan/types.js'
import { goodDeployment } from './fixtures.js'

const doc = readFileSync(join(process.cwd(), 'docs', 'hygiene.md'), 'utf8')
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
  m => parse(m[1]) as Record<string, unknown>
)

describe('docs/hygiene.md', () => {
  it('lists every built-in rule with its severity', () => {
    for (const r of BUILTIN_RULES) expect(doc).toContain(`| \`${r.id}\` | ${r.severity} |`)
  })

  it('shows the variables exactly as the engine defines them', () => {
    const block = yamlBlocks.find(b => Array.isArray(b.variables))
    expect(block?.variables).toEqual(
      OBJECT_VARIABLES.map(v => ({ name: v.name, expression: v.expression }))
    )
  })

  it('shows plan rules that compile and judge as described', () => {
    const specs = yamlBlocks.map(b => b.hygiene as HygieneSpec | undefined).filter(Boolean)
    expect(specs.length).toBe(2)
    const set = planRules(specs[0])
    const compiled = set.rules.filter(r => r.source === 'plan').map(compileRule)
    expect(compiled.map(c => c.rule.id)).toEqual([
      'team-label',
      'read-only-root',
      'own-registry',
      'resources-limits'
    ])
    const subject = new ObjectBindings(goodDeployment('web'), { params: specs[0]?.params })
    const verdicts = Object.fromEntries(
      compiled.map(c => [c.rule.id, judgeObject(c, subject).verdict])
    )
    // The fixture has no team label, a writable root, images from registry.invalid and both limits.
    expect(verdicts).toEqual({
      'team-label': 'fail',
      'read-only-root': 'fail',
      'own-registry': 'fail',
      'resources-limits': 'pass'
    })
    expect(planRules(specs[1]).unknownDisabled).toEqual([])
  })
})
