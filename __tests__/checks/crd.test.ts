import { describe, expect, it } from '@jest/globals'
import { crdCheck, crdTargets, judgeCrd, type CrdTarget } from '../../src/checks/crd.js'
import type { KubeObject } from '../../src/kube/types.js'
import { KubeApiError } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { realityContext, served } from '../fixtures/reality/context.js'

type Version = {
  name: string
  served: boolean
  storage: boolean
  deprecated?: boolean
  deprecationWarning?: string
}

function crd(
  name: string,
  group: string,
  kind: string,
  versions: Version[],
  conditions: Record<string, string> = { Established: 'True', NamesAccepted: 'True' }
): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: { group, names: { kind, plural: name.split('.')[0] }, scope: 'Namespaced', versions },
    status: {
      conditions: Object.entries(conditions).map(([type, status]) => ({
        type,
        status,
        reason:
          status === 'True'
            ? 'OK'
            : type === 'NamesAccepted'
              ? 'MultipleNamesNotAllowed'
              : 'Installing',
        message: status === 'True' ? 'fine' : `"${name.split('.')[0]}" is already in use`
      }))
    }
  }
}

const loc = { file: 'phase-gate.yaml', line: 1, column: 1 }
const cnpg = (versions: Version[], conditions?: Record<string, string>) =>
  crd('clusters.postgresql.cnpg.io', 'postgresql.cnpg.io', 'Cluster', versions, conditions)

describe('judgeCrd', () => {
  const byApi: CrdTarget = {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    kind: 'Cluster',
    text: 'postgresql.cnpg.io/v1/Cluster',
    location: loc
  }
  const byName: CrdTarget = {
    name: 'clusters.postgresql.cnpg.io',
    text: 'clusters.postgresql.cnpg.io',
    location: loc
  }
  const v1: Version = { name: 'v1', served: true, storage: true }
  it.each<[string, CrdTarget, KubeObject | undefined, string, RegExp]>([
    [
      'missing',
      byApi,
      undefined,
      'fail',
      /does not exist \(needed for postgresql\.cnpg\.io\/v1\/Cluster\)/
    ],
    [
      'established, version served',
      byApi,
      cnpg([v1]),
      'pass',
      /served by CustomResourceDefinition clusters\.postgresql\.cnpg\.io \(Established; storage version v1\)/
    ],
    [
      'by name, no version asked',
      byName,
      cnpg([{ name: 'v1beta1', served: true, storage: false }, v1]),
      'pass',
      /serves v1beta1, v1, stores v1/
    ],
    [
      'not established yet',
      byApi,
      cnpg([v1], { Established: 'False', NamesAccepted: 'True' }),
      'fail',
      /not Established/
    ],
    [
      'names not accepted',
      byApi,
      cnpg([v1], { Established: 'False', NamesAccepted: 'False' }),
      'fail',
      /names were not accepted/
    ],
    [
      'version not defined',
      { ...byApi, version: 'v2' },
      cnpg([v1]),
      'fail',
      /defines no version v2; it serves v1/
    ],
    [
      'version defined, not served',
      { ...byApi, version: 'v1beta1' },
      cnpg([{ name: 'v1beta1', served: false, storage: false }, v1]),
      'fail',
      /defines v1beta1 but does not serve it/
    ],
    [
      'deprecated version',
      { ...byApi, version: 'v1beta1' },
      cnpg([
        {
          name: 'v1beta1',
          served: true,
          storage: false,
          deprecated: true,
          deprecationWarning: 'v1beta1 Cluster is deprecated; use v1'
        },
        v1
      ]),
      'warn',
      /deprecated: v1beta1 Cluster is deprecated; use v1/
    ]
  ])('%s', (_n, target, obj, verdict, message) => {
    const r = judgeCrd(target, obj, 'clusters.postgresql.cnpg.io')
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
    if (verdict !== 'pass') expect(r.adjustment).toBeTruthy()
  })
  it('quotes the conditions when names are not accepted', () => {
    const r = judgeCrd(byApi, cnpg([v1], { Established: 'False', NamesAccepted: 'False' }), 'x')
    expect(r.evidence).toContain(
      'NamesAccepted=False (MultipleNamesNotAllowed: "clusters" is already in use)'
    )
  })
})

describe('crdTargets', () => {
  it('takes crds and the non-built-in apis, deduplicated', async () => {
    const ctx = await realityContext({
      plan: 'assumptions:\n  apis: [apps/v1/Deployment, v1/ConfigMap, postgresql.cnpg.io/v1/Cluster, postgresql.cnpg.io/v1/Cluster, gateway.networking.k8s.io/v1/HTTPRoute, networking.k8s.io/v1/Ingress]\n  crds: [clusters.postgresql.cnpg.io]\n',
      cluster: new FakeCluster()
    })
    expect(crdTargets(ctx).map(t => t.text)).toEqual([
      'clusters.postgresql.cnpg.io',
      'postgresql.cnpg.io/v1/Cluster',
      'gateway.networking.k8s.io/v1/HTTPRoute'
    ])
  })
})

describe('the crd kind against a fake cluster', () => {
  it('gets CRDs by the name discovery gives, and lists them only for a kind discovery does not know', async () => {
    const cluster = new FakeCluster({
      objects: [
        cnpg([{ name: 'v1', served: true, storage: true }]),
        crd(
          'widgets.example.com',
          'example.com',
          'Widget',
          [{ name: 'v1', served: true, storage: true }],
          { Established: 'False', NamesAccepted: 'True' }
        )
      ],
      resources: [served('postgresql.cnpg.io/v1', 'Cluster', 'clusters')]
    })
    const ctx = await realityContext({
      plan: 'assumptions:\n  apis: [postgresql.cnpg.io/v1/Cluster, postgresql.cnpg.io/v2/Cluster, example.com/v1/Widget, absent.example.com/v1/Thing]\n',
      cluster
    })
    const results = await crdCheck.run(ctx)
    const by = Object.fromEntries(results.map(r => [r.target, r]))
    expect(by['postgresql.cnpg.io/v1/Cluster'].verdict).toBe('pass')
    expect(by['postgresql.cnpg.io/v2/Cluster']).toMatchObject({
      verdict: 'fail',
      message: expect.stringMatching(/defines no version v2/)
    })
    expect(by['example.com/v1/Widget']).toMatchObject({
      verdict: 'fail',
      message: expect.stringMatching(/widgets\.example\.com is not ready/)
    })
    expect(by['absent.example.com/v1/Thing']).toMatchObject({
      verdict: 'fail',
      message: expect.stringMatching(/does not exist/)
    })
    // One list for both unknown kinds, however many there are.
    expect(cluster.callsOf('list').filter(c => c.kind === 'CustomResourceDefinition')).toHaveLength(
      1
    )
    expect(by['postgresql.cnpg.io/v1/Cluster'].location?.line).toBe(5)
  })

  it('passes an API served without a CRD (an aggregated APIService)', async () => {
    const cluster = new FakeCluster({
      resources: [served('metrics.k8s.io/v1beta1', 'PodMetrics', 'pods')]
    })
    const ctx = await realityContext({
      plan: 'assumptions:\n  apis: [metrics.k8s.io/v1beta1/PodMetrics]\n',
      cluster
    })
    const [r] = await crdCheck.run(ctx)
    expect(r).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/aggregated API/) })
  })

  it('reads discovery when the CRD itself may not be read', async () => {
    const cluster = new FakeCluster({
      resources: [served('postgresql.cnpg.io/v1', 'Cluster', 'clusters')]
    })
    cluster.failNext(
      'get',
      new KubeApiError('forbidden', 403, 'Forbidden'),
      'CustomResourceDefinition'
    )
    const ctx = await realityContext({
      plan: 'assumptions:\n  apis: [postgresql.cnpg.io/v1/Cluster]\n',
      cluster
    })
    const [r] = await crdCheck.run(ctx)
    expect(r).toMatchObject({
      verdict: 'warn',
      severity: 'low',
      message: expect.stringMatching(/forbidden.*discovery serves/)
    })
  })
})

describe('CRDs the plan installs itself', () => {
  it('skips a CRD a phase applies, naming the phase, and still fails one nobody installs', async () => {
    const crdYaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}, versions: [{name: v1, served: true, storage: true}]}
`
    const cluster = new FakeCluster()
    const ctx = await realityContext({
      plan: 'assumptions:\n  apis: [example.com/v1/Widget, example.com/v2/Widget, other.example.com/v1/Gadget]\n  crds: [widgets.example.com]\nphases:\n  - {name: crds, apply: [crd.yaml]}\n',
      files: { 'crd.yaml': crdYaml },
      cluster
    })
    const by = Object.fromEntries((await crdCheck.run(ctx)).map(r => [r.target, r]))
    expect(by['widgets.example.com']).toMatchObject({
      verdict: 'skip',
      message:
        'CustomResourceDefinition widgets.example.com does not exist yet: the plan installs it (phase 1 (crds))'
    })
    expect(by['example.com/v1/Widget'].verdict).toBe('skip')
    // The plan's CRD does not define v2, so that assumption cannot hold.
    expect(by['example.com/v2/Widget'].verdict).toBe('fail')
    expect(by['other.example.com/v1/Gadget'].verdict).toBe('fail')
  })
})
