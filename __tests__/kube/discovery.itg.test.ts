// Discovery against the real apiserver: the aggregated answer (two requests
// for the whole surface) parses to exactly what per-group discovery (one
// request per group version) gives: the same resources with their kinds,
// scope, verbs and subresources, and the same preferred versions.
import { describe, expect, it } from '@jest/globals'
import { connectCluster } from '../../src/kube/client.js'
import { discoverApi } from '../../src/kube/discovery.js'
import type { KubeTransport } from '../../src/kube/http.js'
import type { ApiSurface } from '../../src/kube/types.js'
import { clusterEnv } from '../support/cluster-env.js'

/** The transport, but every request asks for plain JSON: the server answers with per-group discovery. */
function withoutAggregated(t: KubeTransport): KubeTransport {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === 'json')
        return (opts: Parameters<KubeTransport['json']>[0]) =>
          target.json({ ...opts, accept: 'application/json' })
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    }
  })
}

function comparable(surface: ApiSurface) {
  return {
    resources: surface.resources
      .map(r => ({
        ...r,
        verbs: [...r.verbs].sort(),
        subresources: [...r.subresources].sort(),
        shortNames: [...(r.shortNames ?? [])].sort()
      }))
      .sort((a, b) =>
        `${a.group}/${a.version}/${a.resource}`.localeCompare(
          `${b.group}/${b.version}/${b.resource}`
        )
      ),
    groups: [...surface.groups].sort(([a], [b]) => a.localeCompare(b))
  }
}

describe('discovery', () => {
  it('parses aggregated discovery to what per-group discovery gives, in two requests', async () => {
    const env = clusterEnv()
    const cluster = await connectCluster({ kubeconfigPath: env.kubeconfig })
    try {
      const aggregated = await discoverApi(cluster.transport)
      const perGroup = await discoverApi(withoutAggregated(cluster.transport))
      expect(aggregated.aggregated).toBe(true)
      expect(aggregated.requests).toBe(2)
      expect(perGroup.aggregated).toBe(false)
      expect(perGroup.requests).toBeGreaterThan(10)
      // Kinds the local cluster is known to serve, built in and from CRDs.
      const kinds = aggregated.resources.map(r => `${r.group}/${r.version}/${r.kind}`)
      expect(kinds).toEqual(
        expect.arrayContaining([
          '/v1/ConfigMap',
          'apps/v1/Deployment',
          'gateway.networking.k8s.io/v1/HTTPRoute'
        ])
      )
      expect(aggregated.resources.find(r => r.kind === 'Deployment')).toMatchObject({
        namespaced: true,
        subresources: expect.arrayContaining(['scale', 'status'])
      })
      expect(comparable(aggregated)).toEqual(comparable(perGroup))
    } finally {
      cluster.close()
    }
  })
})
