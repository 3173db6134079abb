import { describe, expect, it } from '@jest/globals'
import { judgeApi, parseApiAssumption } from '../../src/checks/api.js'
import type { ApiSurface, ResourceInfo } from '../../src/kube/types.js'

function res(group: string, version: string, kind: string, resource: string): ResourceInfo {
  return {
    group,
    version,
    kind,
    resource,
    namespaced: true,
    verbs: ['get', 'list'],
    subresources: []
  }
}

const surface: ApiSurface = {
  aggregated: true,
  requests: 2,
  resources: [
    res('', 'v1', 'ConfigMap', 'configmaps'),
    res('apps', 'v1', 'Deployment', 'deployments'),
    res('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
    res('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
    res('networking.k8s.io', 'v1', 'Ingress', 'ingresses'),
    res('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes')
  ],
  groups: new Map([
    ['', { preferred: 'v1', versions: ['v1'] }],
    ['apps', { preferred: 'v1', versions: ['v1'] }],
    ['autoscaling', { preferred: 'v2', versions: ['v2', 'v1'] }],
    ['networking.k8s.io', { preferred: 'v1', versions: ['v1'] }],
    ['gateway.networking.k8s.io', { preferred: 'v1', versions: ['v1'] }]
  ])
}

describe('parseApiAssumption', () => {
  it.each([
    ['v1/ConfigMap', { group: '', version: 'v1', kind: 'ConfigMap' }],
    ['apps/v1/Deployment', { group: 'apps', version: 'v1', kind: 'Deployment' }],
    [
      'postgresql.k8s.enterprisedb.io/v1/Cluster',
      { group: 'postgresql.k8s.enterprisedb.io', version: 'v1', kind: 'Cluster' }
    ],
    ['Deployment', undefined],
    ['a/b/c/d', undefined]
  ])('%s', (text, expected) => expect(parseApiAssumption(text)).toEqual(expected))
})

describe('judgeApi', () => {
  it.each([
    ['v1/ConfigMap', 'pass', /served at v1/],
    ['apps/v1/Deployment', 'pass', /deployments, namespaced/],
    [
      'autoscaling/v2beta2/HorizontalPodAutoscaler',
      'fail',
      /serves it at autoscaling\/v2, autoscaling\/v1/
    ],
    ['extensions/v1beta1/Ingress', 'fail', /served at networking\.k8s\.io\/v1/],
    ['apps/v1/Deploymnet', 'fail', /has no such kind/],
    [
      'postgresql.k8s.enterprisedb.io/v1/Cluster',
      'fail',
      /no API group postgresql\.k8s\.enterprisedb\.io/
    ],
    ['Deployment', 'fail', /not an API of the form/]
  ])('%s → %s', (text, verdict, message) => {
    const r = judgeApi(text, surface)
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
    if (verdict === 'fail') expect(r.adjustment).toBeTruthy()
  })
  it('suggests the preferred version', () => {
    expect(judgeApi('autoscaling/v2beta2/HorizontalPodAutoscaler', surface).adjustment).toContain(
      'autoscaling/v2/HorizontalPodAutoscaler'
    )
  })
})
