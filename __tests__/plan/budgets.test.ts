import { describe, expect, it } from '@jest/globals'
import {
  budgetMs,
  budgetTable,
  levelBudgetMs,
  phaseBudgetMs,
  rollbackBudgetMs
} from '../../src/plan/budgets.js'
import type { GateName } from '../../src/report/model.js'
import type { BudgetSize, Plan } from '../../src/plan/types.js'

const min = (n: number): number => n * 60_000
const plan = (extra: Partial<Plan> = {}): Plan => ({
  version: 1,
  name: 'web',
  target: { namespace: 'web' },
  ...extra
})

describe('budgetMs', () => {
  // DESIGN "Domain details": research 10/30/60, tracers 5/15/30, plan 10/20/40,
  // implementation 15/45/90, validation 5/15/30 minutes for simple/medium/complex.
  it.each<[BudgetSize | undefined, GateName, number]>([
    [undefined, 'reality-check', 10],
    [undefined, 'tracer', 5],
    [undefined, 'plan', 10],
    [undefined, 'phase', 15],
    [undefined, 'validate', 5],
    ['simple', 'reality-check', 10],
    ['medium', 'reality-check', 30],
    ['complex', 'reality-check', 60],
    ['medium', 'tracer', 15],
    ['complex', 'tracer', 30],
    ['medium', 'plan', 20],
    ['complex', 'plan', 40],
    ['medium', 'phase', 45],
    ['complex', 'phase', 90],
    ['medium', 'validate', 15],
    ['complex', 'validate', 30]
  ])('size %s, gate %s: %i minutes', (size, gate, minutes) => {
    expect(budgetMs(plan(size ? { budgets: { size } } : {}), gate)).toBe(min(minutes))
  })

  it.each<[GateName, Plan['budgets'], number]>([
    ['reality-check', { size: 'complex', 'reality-check': '7m' }, min(7)],
    ['tracer', { tracer: '90s' }, 90_000],
    ['plan', { plan: '1h' }, min(60)],
    ['validate', { size: 'medium', validate: '2m30s' }, min(2.5)],
    ['phase', { phase: '20m' }, min(20)]
  ])('the plan’s own %s budget wins over the size default', (gate, budgets, ms) => {
    expect(budgetMs(plan({ budgets }), gate)).toBe(ms)
  })

  it('takes a phase’s own budget over budgets.phase', () => {
    const p = plan({
      budgets: { phase: '20m' },
      phases: [{ name: 'a', budget: '3m' }, { name: 'b' }]
    })
    expect(budgetMs(p, 'phase', { phase: p.phases?.[0] })).toBe(min(3))
    expect(budgetMs(p, 'phase', { phase: p.phases?.[1] })).toBe(min(20))
    expect(phaseBudgetMs(p, p.phases?.[0])).toBe(min(3))
  })

  it('gives a phase’s rollback budgets.rollback, else the phase’s own budget', () => {
    const phases = [{ name: 'a', budget: '3m' }, { name: 'b' }]
    const withRollback = plan({ budgets: { rollback: '4m', size: 'medium' }, phases })
    const without = plan({ budgets: { size: 'medium' }, phases })
    expect(rollbackBudgetMs(withRollback, phases[0])).toBe(min(4))
    expect(rollbackBudgetMs(without, phases[0])).toBe(min(3))
    expect(rollbackBudgetMs(without, phases[1])).toBe(min(45))
    expect(budgetMs(without, 'rollback', { phase: phases[0] })).toBe(min(3))
  })

  it.each<['flag' | 'config' | 'code', string | undefined, number]>([
    ['flag', undefined, min(1)],
    ['config', undefined, min(5)],
    ['code', undefined, min(15)],
    ['code', '20m', min(20)]
  ])('rollback level %s (budget %s): %i ms', (level, budget, ms) => {
    expect(levelBudgetMs({ level, budget })).toBe(ms)
    if (budget === undefined) expect(levelBudgetMs(level)).toBe(ms)
    expect(budgetMs(plan(), 'rollback', { level: { level, budget } })).toBe(ms)
  })

  it('derives the rollout budget from the stage holds plus 10m', () => {
    const stages = [
      { name: 'a', weight: 5, hold: '10m' },
      { name: 'b', weight: 50, hold: '30m' },
      { name: 'c', weight: 100 }
    ]
    const p = plan({ rollout: { target: { kind: 'Deployment', name: 'api' }, stages } })
    expect(budgetMs(p, 'rollout')).toBe(min(50))
    expect(budgetMs({ ...p, budgets: { rollout: '2h' } }, 'rollout')).toBe(min(120))
    // No stages given: the default stages' holds (10m + 30m + 30m + 0s) plus 10m.
    expect(budgetMs(plan(), 'rollout')).toBe(min(80))
  })

  it('derives the soak budget from its window (default 24h) plus 5m', () => {
    expect(budgetMs(plan({ soak: { window: '1h' } }), 'soak')).toBe(min(65))
    expect(budgetMs(plan({ soak: {} }), 'soak')).toBe(min(24 * 60 + 5))
    expect(budgetMs(plan({ soak: { window: '1h' }, budgets: { soak: '3h' } }), 'soak')).toBe(
      min(180)
    )
  })

  it('gives record a fixed budget and throws on an invalid duration (lint catches it first)', () => {
    expect(budgetMs(plan(), 'record')).toBe(min(5))
    expect(() => budgetMs(plan({ budgets: { phase: 'soon' } }), 'phase')).toThrow(
      'invalid duration "soon"'
    )
  })
})

describe('budgetTable', () => {
  it('lists every budget with where it came from', () => {
    const p = plan({
      budgets: { size: 'medium', tracer: '1m', rollback: '2m' },
      tracers: [
        { name: 't', assumption: 'a', manifest: { file: 't.yaml' }, success: { ready: true } }
      ],
      phases: [{ name: 'db', budget: '10m' }, { name: 'api' }],
      rollout: {
        target: { kind: 'Deployment', name: 'api' },
        stages: [{ name: 'full', weight: 100, hold: '5m' }]
      },
      rollbackLevels: [
        { level: 'flag', configMap: 'f', key: 'k', value: 'v' },
        { level: 'code', budget: '9m', target: { kind: 'Deployment', name: 'api' } }
      ],
      soak: { window: '10m' }
    })
    expect(budgetTable(p).map(r => [r.gate, r.name ?? '', r.ms / 60_000, r.source])).toEqual([
      ['reality-check', '', 30, 'size'],
      ['tracer', '', 1, 'plan'],
      ['plan', '', 20, 'size'],
      ['phase', 'db', 10, 'phase'],
      ['rollback', 'db', 2, 'plan'],
      ['phase', 'api', 45, 'size'],
      ['rollback', 'api', 2, 'plan'],
      ['validate', '', 15, 'size'],
      ['rollout', '', 15, 'derived'],
      ['rollback', 'flag', 1, 'fixed'],
      ['rollback', 'code', 9, 'level'],
      ['soak', '', 15, 'derived']
    ])
  })
})
