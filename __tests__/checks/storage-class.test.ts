import { describe, expect, it } from '@jest/globals'
import {
  claimsOf,
  classExists,
  defaultClass,
  judgeClaim,
  storageClassCheck,
  type ClaimRef,
  type ClaimRule,
  type StorageClassInfo
} from '../../src/checks/storage-class.js'
import type { KubeObject } from '../../src/kube/types.js'
import { KubeApiError } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { EXTRA_RESOURCES, realityContext } from '../fixtures/reality/context.js'

function sc(name: string, isDefault = false, created = '2026-01-01T00:00:00Z'): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      creationTimestamp: created,
      annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {}
    },
    provisioner: `${name}.csi.example.com`,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer'
  }
}

const info = (name: string, isDefault = false, created?: string): StorageClassInfo => ({
  name,
  provisioner: 'p',
  isDefault,
  creationTimestamp: created
})
const claim = (className?: string): ClaimRef => ({
  manifest: parseManifests(
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n',
    'pvc.yaml'
  )[0],
  path: 'spec',
  name: 'data',
  className,
  accessModes: ['ReadWriteOnce']
})

const MANIFESTS = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: named}
spec: {storageClassName: gold, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: unnamed}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: pg}]
      volumes: [{name: scratch, ephemeral: {volumeClaimTemplate: {spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}}]
  volumeClaimTemplates: [{metadata: {name: data}, spec: {storageClassName: silver, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
`

describe('claimsOf', () => {
  it('finds PVCs, StatefulSet claim templates and generic ephemeral volumes with their paths', () => {
    const claims = claimsOf(parseManifests(MANIFESTS, 'm.yaml'))
    expect(claims.map(c => [c.manifest.object.metadata.name, c.path, c.className])).toEqual([
      ['named', 'spec', 'gold'],
      ['unnamed', 'spec', undefined],
      ['db', 'spec.volumeClaimTemplates[0]', 'silver'],
      ['db', 'spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate', 'fast']
    ])
  })
})

describe('classExists', () => {
  it.each<[string, string | undefined, StorageClassInfo[], string, RegExp]>([
    ['named and present', 'gold', [info('gold')], 'pass', /uses StorageClass gold/],
    [
      'named and missing',
      'gold',
      [info('silver', true)],
      'fail',
      /names StorageClass gold, which does not exist/
    ],
    ['static binding', '', [], 'pass', /pre-provisioned/],
    [
      'unnamed, default exists',
      undefined,
      [info('silver', true), info('gold')],
      'pass',
      /gets the default StorageClass silver/
    ],
    [
      'unnamed, no default',
      undefined,
      [info('gold')],
      'fail',
      /no default: the claim would stay Pending/
    ],
    ['unnamed, no class at all', undefined, [], 'fail', /no default/],
    [
      'unnamed, two defaults',
      undefined,
      [info('a', true, '2026-01-01'), info('b', true, '2026-02-01')],
      'warn',
      /2 default classes, so it gets the newest, b/
    ]
  ])('%s', (_n, className, classes, verdict, message) => {
    const r = classExists(claim(className), classes)
    expect(r?.verdict).toBe(verdict)
    expect(r?.message).toMatch(message)
    if (verdict === 'fail') expect(r?.evidence).toContain('StorageClasses here:')
  })
  it('names the classes that exist in the adjustment', () => {
    expect(classExists(claim('gold'), [info('silver'), info('bronze')])?.adjustment).toBe(
      'use one of silver, bronze, or ask an admin to create gold'
    )
  })
  it('picks the newest default', () =>
    expect(defaultClass([info('a', true, '2026-03-01'), info('b', true, '2026-02-01')])?.name).toBe(
      'a'
    ))
})

describe('judgeClaim: the rule list is the extension point', () => {
  it('lets a later rule turn a pass into a failure', () => {
    const rwx: ClaimRule = c =>
      c.accessModes.includes('ReadWriteOnce')
        ? { verdict: 'fail', severity: 'high', message: 'provisioner cannot do RWO' }
        : undefined
    expect(judgeClaim(claim('gold'), [info('gold')]).verdict).toBe('pass')
    expect(judgeClaim(claim('gold'), [info('gold')], [classExists, rwx])).toMatchObject({
      verdict: 'fail',
      message: 'provisioner cannot do RWO'
    })
  })
})

describe('the storage-class kind against a fake cluster', () => {
  it('checks the assumed classes and every claim, located in its manifest', async () => {
    const cluster = new FakeCluster({
      objects: [sc('gold'), sc('standard', true)],
      resources: EXTRA_RESOURCES
    })
    const ctx = await realityContext({
      plan: 'assumptions:\n  storageClasses: [gold, premium]\n  manifests: [m.yaml]\n',
      files: { 'm.yaml': MANIFESTS },
      cluster
    })
    const results = await storageClassCheck.run(ctx)
    const by = Object.fromEntries(results.map(r => [r.target, r]))
    expect(by.gold.verdict).toBe('pass')
    expect(by.gold.message).toBe(
      'StorageClass gold exists: provisioner gold.csi.example.com, WaitForFirstConsumer, reclaim Delete'
    )
    expect(by.premium).toMatchObject({
      verdict: 'fail',
      message: 'StorageClass premium does not exist; this cluster has gold, standard (default)'
    })
    expect(by['PersistentVolumeClaim/named spec'].verdict).toBe('pass')
    expect(by['PersistentVolumeClaim/unnamed spec'].message).toMatch(
      /default StorageClass standard/
    )
    expect(by['StatefulSet/db spec.volumeClaimTemplates[0]']).toMatchObject({
      verdict: 'fail',
      location: { file: 'm.yaml', line: 11, path: 'StatefulSet/db spec.volumeClaimTemplates[0]' }
    })
    expect(
      by['StatefulSet/db spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate'].verdict
    ).toBe('fail')
  })

  it('warns when StorageClasses may not be listed', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    cluster.failNext(
      'list',
      new KubeApiError('storageclasses is forbidden', 403, 'Forbidden'),
      'StorageClass'
    )
    const ctx = await realityContext({ plan: 'assumptions:\n  storageClasses: [gold]\n', cluster })
    const results = await storageClassCheck.run(ctx)
    expect(results).toEqual([
      expect.objectContaining({
        verdict: 'warn',
        severity: 'medium',
        message: expect.stringMatching(/forbidden/)
      })
    ])
  })
})
