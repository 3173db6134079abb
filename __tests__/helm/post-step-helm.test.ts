// The post step's choice for an interrupted Helm phase without a helm to
// run: the release is not undone object by object behind helm's back (helm's
// record would stay on the new revision); the phase is reported with the
// command that finishes it, and its objects are left as they are.
import { describe, expect, it } from '@jest/globals'
import { finishInterruptedWork } from '../../src/action/post.js'
import { memoryLogger } from '../../src/core/log.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const NS = 'shop'
const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: NS },
  data
})

describe('the post step and a Helm phase', () => {
  it('without helm, reports the command that finishes the rollback and changes no object', async () => {
    const cluster = new FakeCluster()
    cluster.set(cm({ GREETING: 'new' }))
    const record = new StateRecord(cluster, 'web', NS)
    await record.writePhase({
      phase: 'web',
      runId: 'r1',
      status: 'applying',
      startedAt: '2026-11-24T12:00:00Z',
      objects: [
        {
          ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'web-config', namespace: NS },
          created: false,
          before: cm({ GREETING: 'old' }),
          kept: false
        }
      ],
      helm: { release: 'web', namespace: NS, revisionBefore: 4, revisionAfter: 5 }
    })
    const out = await finishInterruptedWork({
      cluster,
      plan: 'web',
      namespace: NS,
      runId: 'r1',
      log: memoryLogger()
    })
    expect(out.phasesRolledBack).toEqual([])
    expect(out.problems).toEqual([
      'post step: phase web of run r1 could not be rolled back: no helm to finish it with; finish it with: helm rollback web 4 --namespace shop'
    ])
    expect((await record.readPhase('r1', 'web'))?.status).toBe('failed')
    const live = await cluster.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'web-config',
      namespace: NS
    })
    expect(live?.data).toEqual({ GREETING: 'new' })
  })
})
