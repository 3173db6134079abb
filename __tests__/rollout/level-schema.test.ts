// Each rollback level owns its part of the plan schema (src/rollout/*-level.ts,
// `schema`); schemas/plan.schema.json is what editors and the generated
// validators read. This test holds the two together: the level enum and the
// levels named by onTrigger/onDegraded are the registry's, and every property
// of $defs/rollbackLevel is `level`, `budget` or a property some level
// declares, identical to that level's fragment.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  LEVELS,
  LEVEL_NAMES,
  levelBudgetWords,
  levelNamesOr
} from '../../src/rollout/level-registry.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const schema = JSON.parse(readFileSync(resolve(root, 'schemas/plan.schema.json'), 'utf8')) as {
  $defs: Record<string, { properties: Record<string, Record<string, unknown>> }>
  properties: Record<string, { properties: Record<string, { enum?: string[] }> }>
}
const def = schema.$defs.rollbackLevel
const COMMON = ['level', 'budget']

describe('rollback levels and schemas/plan.schema.json', () => {
  it('the level enum is the registry, in its order', () => {
    expect(def.properties.level.enum).toEqual(LEVEL_NAMES)
  })

  it('rollout.onTrigger and soak.onDegraded name the registry levels and none', () => {
    expect(schema.properties.rollout.properties.onTrigger.enum).toEqual([...LEVEL_NAMES, 'none'])
    expect(schema.properties.soak.properties.onDegraded.enum).toEqual([...LEVEL_NAMES, 'none'])
  })

  it.each(LEVEL_NAMES)('the %s level schema part is in the schema as written', name => {
    for (const [prop, fragment] of Object.entries(LEVELS[name].schema)) {
      expect([name, prop, def.properties[prop]]).toEqual([name, prop, fragment])
    }
  })

  it('the schema has no level property no level declares', () => {
    const declared = new Set([
      ...COMMON,
      ...LEVEL_NAMES.flatMap(n => Object.keys(LEVELS[n].schema))
    ])
    expect(Object.keys(def.properties).filter(p => !declared.has(p))).toEqual([])
  })

  it('each default budget is the one the budget field describes', () => {
    const text = LEVEL_NAMES.map(n => `${n} ${LEVELS[n].defaultBudgetMs / 60_000}m`).join(', ')
    expect(def.properties.budget.description).toContain(text)
  })

  it('the words naming every level come from the registry', () => {
    // Every level once, in the registry's order, the last after "or" (today "flag, config or code").
    const names = levelNamesOr().split(/, | or /)
    expect(names).toEqual(LEVEL_NAMES)
    expect(levelNamesOr()).toMatch(new RegExp(` or ${LEVEL_NAMES[LEVEL_NAMES.length - 1]}$`))
    // Each level's default budget (today "flag < 1 min, config < 5 min, code < 15 min").
    expect(levelBudgetWords().split(', ')).toEqual(
      LEVEL_NAMES.map(n => `${n} < ${LEVELS[n].defaultBudgetMs / 60_000} min`)
    )
  })
})
