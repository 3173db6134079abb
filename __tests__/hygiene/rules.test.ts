// The built-in hygiene rules on our CEL engine: every rule has objects that
// pass and fail it, a finding names what is wrong, and the good fixtures pass
// every rule (so each failing case fails for its own reason).
import { describe, expect, it } from '@jest/globals'
import { ObjectBindings, compileRule, judgeObject, ruleApplies } from '../../src/hygiene/engine.js'
import { BUILTIN_RULES } from '../../src/hygiene/rules.js'
import type { KubeObject } from '../../src/kube/types.js'
import { CASES, PDBS, goodDeployment } from './fixtures.js'

const compiled = new Map(BUILTIN_RULES.map(r => [r.id, compileRule(r)]))

function judge(ruleId: string, object: KubeObject, pdbs = PDBS) {
  const rule = compiled.get(ruleId)
  if (!rule) throw new Error(`no rule ${ruleId}`)
  return judgeObject(rule, new ObjectBindings(object, { pdbs }))
}

/** The rules an object fails (of those that judge its kind). */
function failing(object: KubeObject): string[] {
  return BUILTIN_RULES.filter(r => ruleApplies(r, object))
    .filter(r => judge(r.id, object).verdict !== 'pass')
    .map(r => r.id)
}

describe('built-in hygiene rules', () => {
  it('every rule has at least one passing and one failing case', () => {
    for (const rule of BUILTIN_RULES) {
      const cases = CASES.filter(c => c.rule === rule.id)
      expect([rule.id, cases.some(c => c.pass)]).toEqual([rule.id, true])
      expect([rule.id, cases.some(c => !c.pass)]).toEqual([rule.id, true])
    }
  })

  it.each(CASES.map(c => [c.rule, c.name, c.pass ? 'pass' : 'fail', c] as const))(
    '%s: %s gives %s',
    (rule, _name, verdict, c) => {
      const outcome = judge(rule, c.object)
      expect(outcome.verdict).toBe(verdict)
      if (outcome.verdict === 'fail' && c.message) expect(outcome.message).toContain(c.message)
    }
  )

  it.each(CASES.map(c => [c.name, c] as const))('%s fails no rule but its own', (_name, c) => {
    expect(failing(c.object)).toEqual([...(c.pass ? [] : [c.rule]), ...(c.alsoFails ?? [])])
  })

  it('judges a replicated Deployment with no PodDisruptionBudget at all', () => {
    const outcome = judge('pod-disruption-budget', goodDeployment('alone'), [])
    expect(outcome).toEqual({
      verdict: 'fail',
      message:
        'Deployment alone runs 2 replicas, but no PodDisruptionBudget beside it selects its pods'
    })
  })

  it('judges objects of other kinds only by the rules for their kind', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { password: 'x' }
    }
    expect(BUILTIN_RULES.filter(r => ruleApplies(r, cm))).toEqual([])
  })

  it('gives every rule an id, a fix and a message', () => {
    for (const r of BUILTIN_RULES) {
      expect(r.id).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
      expect(r.fix.length).toBeGreaterThan(20)
      expect(r.message.length).toBeGreaterThan(10)
    }
    expect(new Set(BUILTIN_RULES.map(r => r.id)).size).toBe(BUILTIN_RULES.length)
  })
})
