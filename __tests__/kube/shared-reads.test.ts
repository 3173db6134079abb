// The reality check's kinds share their reads: the same get or list while the
// gate runs is sent once, each caller gets its own copy, an error reaches
// every caller, and writes and other calls pass straight through.
import { describe, expect, it } from '@jest/globals'
import { withSharedReads } from '../../src/kube/shared-reads.js'
import { KubeApiError } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const cm = (name: string, ns = 'app') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data: { a: '1' }
})
const ref = (name: string, ns = 'app') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  namespace: ns
})

describe('withSharedReads', () => {
  it('sends one get per distinct object, however many kinds ask at once', async () => {
    const fake = new FakeCluster({ objects: [cm('a'), cm('b'), cm('a', 'other')] })
    const cluster = withSharedReads(fake)
    const got = await Promise.all([
      cluster.get(ref('a')),
      cluster.get(ref('a')),
      cluster.get(ref('b')),
      cluster.get(ref('a', 'other')),
      cluster.get(ref('a'))
    ])
    expect(got.map(o => `${o?.metadata.namespace}/${o?.metadata.name}`)).toEqual([
      'app/a',
      'app/a',
      'app/b',
      'other/a',
      'app/a'
    ])
    expect(fake.callsOf('get')).toHaveLength(3)
  })

  it('sends one list per distinct query', async () => {
    const fake = new FakeCluster({ objects: [cm('a'), cm('b')] })
    const cluster = withSharedReads(fake)
    const [one, two, labelled] = await Promise.all([
      cluster.list('v1', 'ConfigMap', { namespace: 'app' }),
      cluster.list('v1', 'ConfigMap', { namespace: 'app' }),
      cluster.list('v1', 'ConfigMap', { namespace: 'app', labelSelector: 'x=y' })
    ])
    expect(one.items).toHaveLength(2)
    expect(two.items).toHaveLength(2)
    expect(labelled.items).toHaveLength(0)
    expect(fake.callsOf('list')).toHaveLength(2)
  })

  it('gives each caller its own copy', async () => {
    const cluster = withSharedReads(new FakeCluster({ objects: [cm('a')] }))
    const first = await cluster.get(ref('a'))
    first!.metadata.name = 'edited'
    ;(first!.data as Record<string, string>).a = 'edited'
    const second = await cluster.get(ref('a'))
    expect(second).toMatchObject({ metadata: { name: 'a' }, data: { a: '1' } })
  })

  it('gives every caller the error of the one read', async () => {
    const fake = new FakeCluster()
    fake.failNext('get', new KubeApiError('forbidden', 403, 'Forbidden'), 'ConfigMap')
    const cluster = withSharedReads(fake)
    const outcomes = await Promise.allSettled([cluster.get(ref('a')), cluster.get(ref('a'))])
    expect(outcomes.map(o => o.status)).toEqual(['rejected', 'rejected'])
    expect(fake.callsOf('get')).toHaveLength(1)
  })

  it('passes writes and everything else straight through', async () => {
    const fake = new FakeCluster({ context: 'ctx' })
    const cluster = withSharedReads(fake)
    expect(cluster.context).toBe('ctx')
    expect(await cluster.get(ref('a'))).toBeUndefined()
    await cluster.apply(cm('a'))
    await cluster.apply(cm('a'))
    expect(fake.callsOf('apply')).toHaveLength(2)
    // The read before the write is the gate's snapshot; the live cluster sees the object.
    expect(await fake.get(ref('a'))).toBeDefined()
    expect((await cluster.discover()).resources.length).toBeGreaterThan(0)
  })
})
