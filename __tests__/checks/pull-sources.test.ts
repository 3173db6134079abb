import { describe, expect, it } from '@jest/globals'
import { pullSourcesOf } from '../../src/checks/pull-sources.js'
import type { KubeObject } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'

const objects = (yaml: string): KubeObject[] => parseManifests(yaml, 'm.yaml').map(m => m.object)

describe('pullSourcesOf', () => {
  it('collects the accounts and pull secrets of every pod spec bound for the namespace', () => {
    const s = pullSourcesOf(
      objects(`apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: {spec: {serviceAccountName: builder, imagePullSecrets: [{name: one}], containers: [{name: c, image: x}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: b}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {serviceAccount: legacy, imagePullSecrets: [{name: two}, {name: one}], containers: [{name: c, image: x}]}}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: c}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere, namespace: other}
spec: {serviceAccountName: theirs, imagePullSecrets: [{name: theirs}], containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
---
apiVersion: v1
kind: Secret
metadata: {name: one, namespace: other}
`),
      'shop'
    )
    expect(s.serviceAccounts).toEqual(['builder', 'legacy', 'default'])
    expect(s.pullSecretNames).toEqual(['one', 'two'])
    expect(s.planned.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/builder'])
  })

  it('names no account when there are no pods', () => {
    expect(
      pullSourcesOf(objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n'), 'shop')
    ).toEqual({
      serviceAccounts: [],
      pullSecretNames: [],
      planned: [],
      notes: []
    })
  })
})
