// Divergence's OpenShift UID rule when the namespace has no range yet (the
// plan creates it, or it is seconds old): OpenShift hands ranges out of
// 1000000000-1999999999, so a fixed UID outside that span is outside whatever
// range the namespace gets; one inside it cannot be judged yet.
import { describe, expect, it } from '@jest/globals'
import {
  OPENSHIFT_ID_SPAN,
  divergenceCheck,
  openShiftFindings
} from '../../src/checks/divergence.js'
import { podTemplateOf } from '../../src/checks/pod-templates.js'
import { EXTRA_RESOURCES, realityContext, served } from '../fixtures/reality/context.js'
import { FakeCluster } from '../support/fake-cluster.js'

const template = (spec: Record<string, unknown>) => {
  const t = podTemplateOf({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a' }], ...spec }
  })
  if (!t) throw new Error('no template')
  return t
}

describe('OpenShift UIDs in a namespace without its annotations', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'runAsUser 1000',
      { securityContext: { runAsUser: 1000 } },
      ['spec.securityContext.runAsUser']
    ],
    ['runAsUser inside the span', { securityContext: { runAsUser: 1_000_680_000 } }, []],
    [
      'runAsUser above the span',
      { securityContext: { runAsUser: 2_000_000_000 } },
      ['spec.securityContext.runAsUser']
    ],
    ['fsGroup 2000', { securityContext: { fsGroup: 2000 } }, ['spec.securityContext.fsGroup']],
    ['no ids', {}, []]
  ])('%s', (_n, spec, paths) => {
    const found = openShiftFindings(template(spec), {})
    expect(found.map(f => f.path)).toEqual(paths)
    for (const f of found)
      expect(f.problem).toMatch(
        /the span OpenShift allocates namespace ranges from \(1000000000-1999999999; the namespace has no openshift\.io\/sa\.scc\.(uid-range|supplemental-groups) annotation yet\)/
      )
  })

  it('spans the ids OpenShift allocates by default', () => {
    expect(OPENSHIFT_ID_SPAN).toEqual({ first: 1_000_000_000, last: 1_999_999_999 })
  })

  it('flags a fixed UID in a namespace the plan creates on OpenShift', async () => {
    const ctx = await realityContext({
      plan: 'target: {namespace: fresh, platform: openshift}\nassumptions: {manifests: [m.yaml]}\n',
      files: {
        'm.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: fresh}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: fresh}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsUser: 1000}
      containers: [{name: web, image: registry.invalid/web:1}]
`
      },
      cluster: new FakeCluster({
        resources: [...EXTRA_RESOURCES, served('v1', 'Namespace', 'namespaces', false)]
      }),
      namespace: 'fresh'
    })
    const results = await divergenceCheck.run(ctx)
    const r = results.find(x => x.target === 'openshift Deployment fresh/web')
    expect(r).toMatchObject({ verdict: 'fail', severity: 'high' })
    expect(r?.evidence).toMatch(/runs as UID 1000, outside the span OpenShift allocates/)
  })
})
