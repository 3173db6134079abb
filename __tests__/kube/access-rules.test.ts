// RBAC's rule matching over a SelfSubjectRulesReview's rules, and which
// reviews may stand in for access reviews at all (the real apiserver's
// answers are compared in access-rules.itg.test.ts).
import { describe, expect, it } from '@jest/globals'
import { completeRules, rulesAllow, type ResourceRule } from '../../src/kube/access-rules.js'

const rule = (r: Partial<ResourceRule>): ResourceRule => ({
  verbs: [],
  apiGroups: [''],
  resources: [],
  resourceNames: [],
  ...r
})

describe('rulesAllow', () => {
  const rules = [
    rule({ verbs: ['get', 'list'], resources: ['configmaps'] }),
    rule({ verbs: ['get'], resources: ['secrets'], resourceNames: ['one'] }),
    rule({ verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments/scale'] }),
    rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/status'] }),
    rule({ verbs: ['*'], apiGroups: ['batch'], resources: ['*'] })
  ]
  it.each([
    ['get configmaps', { verb: 'get', group: '', resource: 'configmaps' }, true],
    ['delete configmaps', { verb: 'delete', group: '', resource: 'configmaps' }, false],
    ['configmaps in another group', { verb: 'get', group: 'apps', resource: 'configmaps' }, false],
    ['the named secret', { verb: 'get', group: '', resource: 'secrets', name: 'one' }, true],
    ['another secret', { verb: 'get', group: '', resource: 'secrets', name: 'two' }, false],
    ['secrets without a name', { verb: 'get', group: '', resource: 'secrets' }, false],
    [
      'the scale subresource',
      { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale' },
      true
    ],
    ['the resource without it', { verb: 'patch', group: 'apps', resource: 'deployments' }, false],
    [
      'any status (*/status)',
      { verb: 'get', group: 'apps', resource: 'deployments', subresource: 'status' },
      true
    ],
    [
      'not */status for another subresource',
      { verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale' },
      false
    ],
    ['* verbs and resources', { verb: 'deletecollection', group: 'batch', resource: 'jobs' }, true],
    [
      '* resources include subresources',
      { verb: 'get', group: 'batch', resource: 'jobs', subresource: 'status' },
      true
    ]
  ])('%s', (_name, attrs, allowed) => {
    expect(rulesAllow(rules, attrs)).toBe(allowed)
  })
})

describe('completeRules', () => {
  const resourceRules = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]
  it('takes the rules of a complete review', () => {
    expect(completeRules({ resourceRules, incomplete: false })).toEqual([
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }
    ])
    expect(completeRules({ resourceRules })).toHaveLength(1)
  })
  it.each([
    ['incomplete', { resourceRules, incomplete: true }],
    ['an evaluation error', { resourceRules, evaluationError: 'role not found' }],
    ['no rules list', { incomplete: false }],
    ['no status', undefined]
  ])('refuses a review with %s', (_name, status) => {
    expect(completeRules(status)).toBeUndefined()
  })
})
