import { describe, expect, it } from '@jest/globals'
import { applyInOrder } from '../../src/kube/apply.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'tracer-app', namespace: 'fresh' },
  spec: { containers: [{ name: 'app', image: 'app:1.0' }] }
}
const defaultAccount: KubeObject = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'default', namespace: 'fresh' }
}

// What the apiserver's ServiceAccount admission plugin answers for a Pod in a namespace whose
// account does not exist (yet).
function accountMissing(account: string): KubeApiError {
  return new KubeApiError(
    `pods "tracer-app" is forbidden: error looking up service account fresh/${account}: serviceaccount "${account}" not found`,
    403,
    'Forbidden'
  )
}

describe('applyInOrder in a namespace created moments ago', () => {
  it('applies a Pod again once the namespace default account exists', async () => {
    const cluster = new FakeCluster()
    cluster.failNext('apply', accountMissing('default'), 'Pod')
    // The controller-manager creates the account a moment later.
    setTimeout(() => cluster.set(defaultAccount), 50)
    const result = await applyInOrder(cluster, [pod], [])
    expect(result.failed).toBeUndefined()
    expect(result.applied.map(r => r.ref.name)).toEqual(['tracer-app'])
    expect(cluster.callsOf('apply')).toHaveLength(2)
    expect(cluster.peek(pod)).toBeDefined()
  })

  it('lets the rejection stand for an account the plan names, which no controller will make', async () => {
    const cluster = new FakeCluster()
    cluster.failNext('apply', accountMissing('builder'), 'Pod')
    const result = await applyInOrder(cluster, [pod], [])
    expect(result.failed?.message).toContain('serviceaccount "builder" not found')
    expect(result.failed?.status).toBe(403)
    expect(cluster.callsOf('apply')).toHaveLength(1)
  })

  it('gives up with the original rejection when the run is cancelled while it waits', async () => {
    const cluster = new FakeCluster()
    cluster.failNext('apply', accountMissing('default'), 'Pod')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const result = await applyInOrder(cluster, [pod], [], { signal: controller.signal })
    expect(result.failed?.message).toContain('serviceaccount "default" not found')
    expect(cluster.callsOf('apply')).toHaveLength(1)
    expect(cluster.peek(pod)).toBeUndefined()
  })
})
