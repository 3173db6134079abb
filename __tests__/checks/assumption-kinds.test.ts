import { describe, expect, it } from '@jest/globals'
import { ASSUMPTION_CHECKS, ASSUMPTION_KINDS } from '../../src/checks/index.js'

describe("the reality check's kinds", () => {
  it('run in report order, each under its own name', () => {
    expect(ASSUMPTION_CHECKS.map(k => k.kind)).toEqual([
      'namespace',
      'helm',
      'api',
      'image',
      'crd',
      'operator',
      'permission',
      'quota',
      'storage-class',
      'admission',
      'divergence',
      'hygiene'
    ])
    for (const [name, check] of Object.entries(ASSUMPTION_KINDS)) expect(check.kind).toBe(name)
  })
})
