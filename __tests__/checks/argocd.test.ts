// The argocd check over a fake cluster: the Application's sync and health
// statuses decide; a failure carries Argo CD's conditions, the last operation
// and the resources that are not Healthy.
import { describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { readArgoStatus, troubledResources } from '../../src/checks/argocd.js'
import { runValidation } from '../../src/checks/validation.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { Verdict } from '../../src/report/model.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { gateContext } from './validation-ctx.js'

const APP_RESOURCE = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Application',
  resource: 'applications',
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  subresources: []
}

function app(
  status: Record<string, unknown> | undefined,
  name = 'shop',
  namespace = 'argocd'
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: { project: 'default', destination: { namespace: 'shop' } },
    ...(status ? { status } : {})
  }
}

const healthy = {
  sync: { status: 'Synced', revision: '4f2c9e1d0b7a6c5e' },
  health: { status: 'Healthy' },
  resources: [
    {
      kind: 'Deployment',
      name: 'api',
      namespace: 'shop',
      status: 'Synced',
      health: { status: 'Healthy' }
    },
    { kind: 'ConfigMap', name: 'api', namespace: 'shop', status: 'Synced' }
  ]
}

const degraded = {
  sync: { status: 'Synced', revision: 'abc' },
  health: { status: 'Degraded', message: 'Deployment api exceeded its progress deadline' },
  conditions: [{ type: 'SyncError', message: 'one or more objects failed to apply' }],
  operationState: {
    phase: 'Failed',
    message: 'one or more synchronization tasks completed unsuccessfully'
  },
  resources: [
    {
      kind: 'Deployment',
      name: 'api',
      namespace: 'shop',
      status: 'Synced',
      health: { status: 'Degraded', message: 'progress deadline exceeded' }
    },
    {
      kind: 'Service',
      name: 'api',
      namespace: 'shop',
      status: 'Synced',
      health: { status: 'Healthy' }
    }
  ]
}

const outOfSync = {
  sync: { status: 'OutOfSync', revision: 'def' },
  health: { status: 'Healthy' },
  resources: [{ kind: 'ConfigMap', name: 'flags', namespace: 'shop', status: 'OutOfSync' }]
}

describe('argocd check', () => {
  it.each<
    [
      string,
      Record<string, unknown> | undefined,
      { sync?: string; health?: string },
      Verdict,
      RegExp,
      string[]
    ]
  >([
    [
      'Synced and Healthy',
      healthy,
      {},
      'pass',
      /^argocd\/shop is Synced and Healthy at 4f2c9e1d0b7a$/,
      []
    ],
    [
      'Degraded, with conditions, operation and resources',
      degraded,
      {},
      'fail',
      /^argocd\/shop: health Degraded \(Deployment api exceeded its progress deadline\), expected Healthy; 1 resource not Healthy or not in sync$/,
      [
        'condition SyncError: one or more objects failed to apply',
        'last operation: Failed: one or more synchronization tasks completed unsuccessfully',
        'Deployment shop/api: Degraded (progress deadline exceeded)'
      ]
    ],
    [
      'OutOfSync',
      outOfSync,
      {},
      'fail',
      /^argocd\/shop: sync status OutOfSync, expected Synced; 1 resource/,
      ['ConfigMap shop/flags: OutOfSync']
    ],
    [
      'no status yet',
      undefined,
      {},
      'fail',
      /sync status Unknown, expected Synced; health Unknown, expected Healthy/,
      []
    ],
    [
      'an expected Progressing',
      { ...healthy, health: { status: 'Progressing' } },
      { health: 'Progressing' },
      'pass',
      /is Synced and Progressing/,
      []
    ]
  ])('%s', async (_name, status, want, verdict, message, evidence) => {
    const cluster = new FakeCluster({ resources: [APP_RESOURCE], objects: [app(status)] })
    const r = await runValidation(
      { argocd: { application: 'shop', ...want } as { application: string } },
      gateContext({ cluster })
    )
    expect(r.verdict).toBe(verdict)
    expect(r.id).toBe('argocd:argocd/shop')
    expect(r.message).toMatch(message)
    for (const line of evidence) expect(r.evidence).toContain(line)
    if (verdict === 'pass') expect(r.evidence).toBeUndefined()
  })

  it('finds the Application in the namespace the check names', async () => {
    const cluster = new FakeCluster({
      resources: [APP_RESOURCE],
      objects: [app(healthy, 'web', 'gitops')]
    })
    expect(
      (
        await runValidation(
          { argocd: { application: 'web', namespace: 'gitops' } },
          gateContext({ cluster })
        )
      ).verdict
    ).toBe('pass')
    const missing = await runValidation(
      { argocd: { application: 'web' } },
      gateContext({ cluster })
    )
    expect(missing.verdict).toBe('fail')
    expect(missing.message).toBe('Argo CD Application argocd/web not found')
  })

  it('fails naming Argo CD when the cluster does not serve Applications', async () => {
    const r = await runValidation(
      { argocd: { application: 'shop' } },
      gateContext({ cluster: new FakeCluster({ context: 'prod' }) })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      'the cluster serves no Application in argoproj.io/v1alpha1: Argo CD is not installed on prod'
    )
  })

  it('counts resources without a health (ConfigMaps) as healthy unless out of sync', () => {
    expect(troubledResources(readArgoStatus(app(healthy)))).toEqual([])
    expect(troubledResources(readArgoStatus(app(degraded))).map(r => r.name)).toEqual(['api'])
  })
})
