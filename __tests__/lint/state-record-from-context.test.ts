// Gates get the plan's state record from their context (the engine makes it
// once, over the run's cluster) instead of building one over the store
// themselves. The places still building their own are listed below; the list
// may only shrink.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const GATES = resolve(import.meta.dirname, '..', '..', 'src', 'gates')

/** `file: line` of records built in gates that do not come from the context yet. */
const STILL_BUILDING: readonly string[] = [
  // Written over the live cluster on purpose, not the reality check's shared reads.
  'reality-check.ts: const record = new StateRecord('
]

/** Every line of a source that builds a state record itself. */
export function buildsRecord(file: string, text: string): string[] {
  return text
    .split('\n')
    .filter(l => /\bnew StateRecord\(|\bStateRecord\.forPlan\(/.test(l))
    .map(l => `${file}: ${l.trim()}`)
}

describe('gates take the state record from the context', () => {
  const found = readdirSync(GATES)
    .filter(f => f.endsWith('.ts'))
    .sort()
    .flatMap(f => buildsRecord(f, readFileSync(join(GATES, f), 'utf8')))

  it('no gate outside the list builds its own record', () => {
    expect(found.filter(f => !STILL_BUILDING.includes(f))).toEqual([])
  })

  it('every listed place still builds one (take it off the list once it uses the context)', () => {
    expect(STILL_BUILDING.filter(f => !found.includes(f))).toEqual([])
  })

  it('finds both ways of building one', () => {
    const text = [
      'const a = new StateRecord(cluster, plan.name, ns)',
      'const b = StateRecord.forPlan(cluster, plan, ns)',
      'const c = await ctx.stateRecord()',
      'import type { StateRecord } from "../lifecycle/record.js"'
    ].join('\n')
    expect(buildsRecord('x.ts', text)).toEqual([
      'x.ts: const a = new StateRecord(cluster, plan.name, ns)',
      'x.ts: const b = StateRecord.forPlan(cluster, plan, ns)'
    ])
  })
})
