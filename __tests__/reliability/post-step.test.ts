// The post step's decisions over an in-memory cluster: what a killed main
// step left (tracer objects, phases applying or rolling back) is finished
// from the state record; finished work, other runs and `cleanup: false`
// tracers are left alone.
import { describe, expect, it } from '@jest/globals'
import { finishInterruptedWork } from '../../src/action/post.js'
import { memoryLogger } from '../../src/core/log.js'
import { withRunLabels } from '../../src/kube/labels.js'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'

const NS = 'shop'
const cm = (
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
  data
})
const ref = (name: string, kind = 'ConfigMap', apiVersion = 'v1') => ({
  apiVersion,
  kind,
  name,
  namespace: NS
})

async function killedRun(
  cluster: FakeCluster,
  runId: string,
  status: PhaseRecord['status']
): Promise<StateRecord> {
  const record = new StateRecord(cluster, 'web', NS)
  // A tracer that was waiting when the job was killed.
  cluster.set(
    withRunLabels(cm('tracer-probe', { a: 'b' }), {
      plan: 'web',
      run: runId,
      role: 'tracer',
      unit: 'probe'
    })
  )
  // A phase that created one ConfigMap and changed another that existed before.
  cluster.set(
    withRunLabels(cm('created', { new: 'yes' }), {
      plan: 'web',
      run: runId,
      role: 'phase',
      unit: 'app'
    })
  )
  cluster.set(
    withRunLabels(cm('changed', { v: 'new' }), {
      plan: 'web',
      run: runId,
      role: 'phase',
      unit: 'app'
    })
  )
  const phase: PhaseRecord = {
    phase: 'app',
    runId,
    status,
    startedAt: '2026-11-24T12:00:01Z',
    objects: [
      { ref: ref('changed'), created: false, before: cm('changed', { v: 'old' }), kept: false },
      { ref: ref('created'), created: true, kept: false }
    ]
  }
  // The run's Secret as the server keeps it after two server-side applies by different field managers
  // (the in-memory cluster's apply would replace it whole).
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64')
  cluster.set({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: record.runSecretName(runId), namespace: NS },
    type: 'Opaque',
    data: {
      'tracer.probe.json': b64({ refs: [ref('tracer-probe')], at: '2026-11-24T12:00:00Z' }),
      'phase.app.json': b64(phase)
    }
  })
  return record
}

describe('post step: finishing interrupted work', () => {
  it.each(['applying', 'rolling-back'] as const)(
    'a phase left %s is rolled back from the record, tracers are removed',
    async status => {
      const cluster = new FakeCluster({ objects: [cm('changed', { v: 'old' })] })
      const record = await killedRun(cluster, 'run-1', status)
      const log = memoryLogger()
      const out = await finishInterruptedWork({
        cluster,
        plan: 'web',
        namespace: NS,
        runId: 'run-1',
        log,
        timeoutMs: 5000
      })
      expect(out).toEqual({ tracerObjectsRemoved: 1, phasesRolledBack: ['app'], problems: [] })
      expect(cluster.peek(ref('tracer-probe'))).toBeUndefined()
      expect(cluster.peek(ref('created'))).toBeUndefined()
      expect(cluster.peek(ref('changed'))?.data).toEqual({ v: 'old' })
      expect((await record.readPhase('run-1', 'app'))?.status).toBe('rolled-back')
      expect((await record.readIndex()).state).toBe('previous-stable')
      expect(log.lines.join('\n')).toMatch(
        /phase app of run run-1 was interrupted .*rolling it back/
      )
    }
  )

  it('leaves finished phases, other runs and cleanup:false tracers alone', async () => {
    const cluster = new FakeCluster({ objects: [cm('changed', { v: 'old' })] })
    await killedRun(cluster, 'run-1', 'applied')
    // Another run's tracer object of the same plan.
    cluster.set(
      withRunLabels(cm('other-probe', { a: 'b' }), {
        plan: 'web',
        run: 'run-2',
        role: 'tracer',
        unit: 'probe'
      })
    )
    const out = await finishInterruptedWork({
      cluster,
      plan: 'web',
      namespace: NS,
      runId: 'run-1',
      log: memoryLogger(),
      keepTracers: ['probe'],
      timeoutMs: 5000
    })
    expect(out).toEqual({ tracerObjectsRemoved: 0, phasesRolledBack: [], problems: [] })
    expect(cluster.peek(ref('tracer-probe'))).toBeDefined()
    expect(cluster.peek(ref('other-probe'))).toBeDefined()
    expect(cluster.peek(ref('created'))).toBeDefined()
    expect(cluster.peek(ref('changed'))?.data).toEqual({ v: 'new' })
  })

  it('a run that left no record: nothing to do, nothing touched', async () => {
    const cluster = new FakeCluster({ objects: [cm('x', { a: 'b' })] })
    const log = memoryLogger()
    const out = await finishInterruptedWork({
      cluster,
      plan: 'web',
      namespace: NS,
      runId: 'never-ran',
      log
    })
    expect(out).toEqual({ tracerObjectsRemoved: 0, phasesRolledBack: [], problems: [] })
    expect(cluster.callsOf('delete')).toHaveLength(0)
    expect(log.lines.join('\n')).toMatch(/left no state record in shop; nothing to finish/)
  })

  it('an undo that cannot finish is reported (a warning), and the record says failed', async () => {
    const cluster = new FakeCluster({ objects: [cm('changed', { v: 'old' })] })
    const record = await killedRun(cluster, 'run-1', 'applying')
    cluster.failNext('delete', new Error('connection refused'), 'ConfigMap')
    cluster.failNext('delete', new Error('connection refused'), 'ConfigMap')
    const log = memoryLogger()
    const out = await finishInterruptedWork({
      cluster,
      plan: 'web',
      namespace: NS,
      runId: 'run-1',
      log,
      timeoutMs: 3000
    })
    expect(out.problems.join('\n')).toMatch(
      /could not be rolled back completely: .*connection refused.*re-run the phase's rollback/
    )
    expect((await record.readPhase('run-1', 'app'))?.status).toBe('failed')
    expect((await record.readIndex()).state).toBe('failed')
    expect(log.lines.join('\n')).toMatch(/^warning: post step: /m)
  })
})
