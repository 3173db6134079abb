// restoreObject puts an object back to its recorded state whatever happened
// to it meanwhile: changed (replace on the live resourceVersion), deleted
// (create), or created again between the read and the write (a 409 on the
// create, retried as a replace) — the race both the phase undo and the
// config rollback level run into.
import { describe, expect, it } from '@jest/globals'
import { restoreObject } from '../../src/kube/undo.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const recorded: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'app' },
  data: { LEVEL: 'info' }
}
const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'app' }

describe('restoreObject', () => {
  it('replaces a changed object with the recorded one', async () => {
    const cluster = new FakeCluster({
      objects: [{ ...recorded, data: { LEVEL: 'debug', EXTRA: '1' } }]
    })
    await restoreObject(cluster, recorded)
    expect((await cluster.get(ref))?.data).toEqual({ LEVEL: 'info' })
  })

  it('creates a deleted object again', async () => {
    const cluster = new FakeCluster()
    await restoreObject(cluster, recorded)
    expect((await cluster.get(ref))?.data).toEqual({ LEVEL: 'info' })
  })

  it('retries a create that lost the race to another writer as a replace', async () => {
    const cluster = new FakeCluster()
    // Between restoreObject's read (gone) and its create, someone else creates it.
    const get = cluster.get.bind(cluster)
    let reads = 0
    cluster.get = async r => {
      const live = await get(r)
      if (++reads === 1) cluster.set({ ...recorded, data: { LEVEL: 'trace' } })
      return live
    }
    await restoreObject(cluster, recorded)
    expect((await get(ref))?.data).toEqual({ LEVEL: 'info' })
    expect(cluster.calls.map(c => c.method).filter(m => m !== 'get')).toEqual(['create', 'replace'])
  })

  it('gives up after five conflicts in a row, with the server error', async () => {
    const cluster = new FakeCluster({ objects: [recorded] })
    let tries = 0
    cluster.replace = async () => {
      tries++
      throw new KubeApiError('the object has been modified', 409, 'Conflict')
    }
    await expect(restoreObject(cluster, recorded)).rejects.toThrow('the object has been modified')
    expect(tries).toBe(6)
  })

  it('changes nothing on a dry run', async () => {
    const cluster = new FakeCluster({ objects: [{ ...recorded, data: { LEVEL: 'debug' } }] })
    await restoreObject(cluster, recorded, true)
    expect((await cluster.get(ref))?.data).toEqual({ LEVEL: 'debug' })
  })
})
