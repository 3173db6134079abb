import { afterEach, describe, expect, it } from '@jest/globals'
import type { WaitOptions, WaitOutcome, WaitProgress } from '../../src/kube/wait.js'
import { waitForGone, waitForObjects } from '../../src/kube/wait.js'
import type { KubeObject, ObjectRef } from '../../src/kube/types.js'
import { KubeApiError, refOf } from '../../src/kube/types.js'
import { FakeCluster, transportError } from '../support/fake-cluster.js'
import {
  crashLoop,
  deployment,
  imagePullBackOff,
  makeAvailable,
  podOf,
  replicaSetOf,
  runningReady,
  unschedulable
} from '../support/kube-fixtures.js'

const FAST: Partial<WaitOptions> = { retry: { initialMs: 5, maxMs: 20 } }
const tick = (ms = 0): Promise<void> => new Promise(r => setTimeout(r, ms))

/** Resolves once `check` holds (polling is fine in a test; the code under test must not poll). */
async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`test: timed out waiting for ${what}`)
    await tick(2)
  }
}

let fake: FakeCluster
const open: Promise<WaitOutcome>[] = []
afterEach(async () => {
  // Every wait must have been settled and must leave no watch behind.
  await Promise.all(open.splice(0))
  await tick(5)
  expect(fake.openWatches()).toEqual([])
})

function start(targets: ObjectRef[], opts: Partial<WaitOptions> = {}): Promise<WaitOutcome> {
  const p = waitForObjects(fake, targets, { timeoutMs: 2000, ...FAST, ...opts })
  open.push(p)
  return p
}

const ref = (name: string, kind = 'Deployment', apiVersion = 'apps/v1'): ObjectRef => ({
  apiVersion,
  kind,
  name,
  namespace: 'ns'
})

describe('waitForObjects', () => {
  it('is done at once when the object is already current, after one LIST and one WATCH', async () => {
    const d = deployment('web')
    makeAvailable(d)
    fake = new FakeCluster({ objects: [d] })
    const out = await start([ref('web')])
    expect(out.result).toBe('done')
    expect(out.objects[0]).toMatchObject({ state: 'done', status: { status: 'Current' } })
    expect(out.objects[0].readyAfterMs).toBeLessThan(200)
    const [list] = fake.callsOf('list')
    expect(list.opts).toMatchObject({ namespace: 'ns', fieldSelector: 'metadata.name=web' })
    expect(fake.callsOf('list')).toHaveLength(1)
  })

  it('resolves on the MODIFIED event that makes it current, within milliseconds', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const progress: WaitProgress[] = []
    const p = start([ref('web')], { onProgress: e => progress.push(e) })
    await until(() => fake.openWatches().length === 1, 'the watch')
    const watch = fake.callsOf('watch')[0].opts as {
      resourceVersion: string
      allowBookmarks: boolean
    }
    expect(watch.allowBookmarks).toBe(true)
    expect(watch.resourceVersion).toBe('2') // the LIST's resourceVersion

    const readyAt = Date.now()
    fake.update(ref('web'), makeAvailable)
    const out = await p
    const latency = Date.now() - readyAt
    expect(out.result).toBe('done')
    expect(latency).toBeLessThan(200)
    expect(out.stats).toMatchObject({ lists: 1, watches: 1, events: 1 })
    expect(progress.map(e => [e.state, e.status.status])).toEqual([
      ['pending', 'InProgress'],
      ['done', 'Current']
    ])
    expect(progress[1]).toMatchObject({ done: 1, total: 1 })
  })

  it('is pending while the object does not exist and done once it is created ready', async () => {
    fake = new FakeCluster()
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    const d = deployment('web')
    makeAvailable(d)
    fake.set(d)
    expect((await p).result).toBe('done')
  })

  it('relists after 410 Gone from the watch', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    expect(fake.expire()).toBe(1)
    // Changed while no watch was open: only a relist sees it.
    fake.update(ref('web'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    expect(out.stats.relists).toBe(1)
    expect(fake.callsOf('list')).toHaveLength(2)
  })

  it('relists after an ERROR event with code 410', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    fake.expire({ asEvent: true })
    await until(
      () => fake.callsOf('list').length === 2 && fake.openWatches().length === 1,
      'relist'
    )
    fake.update(ref('web'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    expect(out.stats.relists).toBe(1)
  })

  it('reconnects from the last resourceVersion after a dropped stream, without relisting', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    fake.update(ref('web'), d => ((d.status as { readyReplicas: number }).readyReplicas = 0))
    const seenRv = fake.peek(ref('web'))!.metadata.resourceVersion
    fake.dropWatches()
    // Changed between the drop and the reconnect: the watch replays it from history.
    fake.update(ref('web'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    expect(fake.callsOf('list')).toHaveLength(1)
    const watches = fake
      .callsOf('watch')
      .map(c => (c.opts as { resourceVersion: string }).resourceVersion)
    expect(watches).toEqual(['2', seenRv])
    expect(out.stats.reconnects).toBe(1)
  })

  it('resumes from a BOOKMARK resourceVersion', async () => {
    fake = new FakeCluster({ objects: [deployment('web'), deployment('other')] })
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    fake.update(ref('other'), d => (d.metadata.labels = { touched: 'yes' })) // not ours: no event
    fake.bookmark()
    const bookmarkRv = String(Number(fake.peek(ref('other'))!.metadata.resourceVersion))
    fake.dropWatches()
    await until(() => fake.callsOf('watch').length === 2, 'the reconnect')
    expect((fake.callsOf('watch')[1].opts as { resourceVersion: string }).resourceVersion).toBe(
      bookmarkRv
    )
    fake.update(ref('web'), makeAvailable)
    expect((await p).result).toBe('done')
  })

  it('relists (with backoff) after transport errors, as a reflector does', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    fake.failNext('list', transportError())
    const p = start([ref('web')])
    await until(() => fake.openWatches().length === 1, 'the watch')
    for (let i = 0; i < 3; i++) {
      fake.breakWatches()
      await until(() => fake.openWatches().length === 1, `reconnect ${i}`)
    }
    fake.update(ref('web'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    // One failed LIST, the first LIST, then a relist after each of the 3 broken watches.
    expect(fake.callsOf('list')).toHaveLength(5)
    expect(out.stats).toMatchObject({ lists: 4, relists: 3, watches: 4, reconnects: 3 })
  })

  it('keeps retrying while the kind is not served (404) and finishes once it is', async () => {
    const cr: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'ns' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] }
    }
    fake = new FakeCluster({ objects: [cr] })
    fake.failNext(
      'list',
      new KubeApiError('the server could not find the requested resource', 404, 'NotFound')
    )
    const out = await start([
      { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', namespace: 'ns' }
    ])
    expect(out.result).toBe('done')
    expect(fake.callsOf('list')).toHaveLength(2)
  })

  it('times out with the last status of what is not ready', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await start([ref('web')], { timeoutMs: 60 })
    expect(out.result).toBe('timeout')
    expect(out.durationMs).toBeGreaterThanOrEqual(55)
    expect(out.objects[0]).toMatchObject({ state: 'pending', status: { status: 'InProgress' } })
    expect(out.message).toMatch(/timed out after .*Deployment ns\/web InProgress: Available: 0\/1/)
  })

  it('ends as "could not check" (error), naming the list error, when the kind never becomes listable', async () => {
    fake = new FakeCluster()
    for (let i = 0; i < 50; i++) fake.failNext('list', transportError())
    const out = await start([ref('web')], { timeoutMs: 80 })
    // Not a timeout: nothing was ever seen, so no verdict on the object may follow (reliability suite).
    expect(out.result).toBe('error')
    expect(out.message).toMatch(
      /^could not observe Deployment ns\/web when the wait ran out after \d+ms: read ECONNRESET$/
    )
  })

  it('ends as "could not check" when the server stops answering after the objects were listed', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const p = start([ref('web')], { timeoutMs: 150, retry: { initialMs: 1, maxMs: 5 } })
    await until(() => fake.openWatches().length === 1, 'the watch')
    for (let i = 0; i < 500; i++) fake.failNext('list', transportError())
    fake.breakWatches()
    const out = await p
    expect(out.result).toBe('error')
    expect(out.message).toMatch(/could not observe Deployment ns\/web .*read ECONNRESET/)
  })

  it('a plain timeout stays a timeout when the server answered all along', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await start([ref('web')], { timeoutMs: 80 })
    expect(out.result).toBe('timeout')
  })

  it('stops at once when the signal aborts', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const ctl = new AbortController()
    const p = start([ref('web')], { signal: ctl.signal, timeoutMs: 10_000 })
    await until(() => fake.openWatches().length === 1, 'the watch')
    const t = Date.now()
    ctl.abort()
    const out = await p
    expect(out.result).toBe('cancelled')
    expect(Date.now() - t).toBeLessThan(100)
    expect(out.message).toMatch(/^cancelled after/)
  })

  it('does not even list when the signal is already aborted', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await start([ref('web')], { signal: AbortSignal.abort() })
    expect(out.result).toBe('cancelled')
    expect(fake.callsOf('list')).toHaveLength(0)
  })

  it('fails at once on a Failed kstatus (a Job with the Failed condition)', async () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'ns' },
      status: {
        startTime: '2025-01-01T00:00:00Z',
        failed: 1,
        conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]
      }
    }
    fake = new FakeCluster({ objects: [job] })
    const out = await start([ref('migrate', 'Job', 'batch/v1')], { timeoutMs: 10_000 })
    expect(out.result).toBe('failed')
    expect(out.failure).toMatchObject({ reason: 'JobFailed', message: 'Job Failed. failed: 1/1' })
    expect(out.durationMs).toBeLessThan(500)
  })

  it('fails on the decision of a custom `until`', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await start([ref('web')], {
      until: obj => (obj ? { failed: 'not allowed to exist' } : 'pending')
    })
    expect(out.result).toBe('failed')
    expect(out.failure?.message).toBe('not allowed to exist')
  })

  it('reports an error when the `until` throws', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await start([ref('web')], {
      until: () => {
        throw new Error('no such field')
      }
    })
    expect(out.result).toBe('error')
    expect(out.message).toMatch(/deciding readiness failed: no such field/)
  })

  it('ends with an error when listing is forbidden', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    fake.failNext('list', new KubeApiError('deployments.apps is forbidden', 403, 'Forbidden'))
    const out = await start([ref('web')], { timeoutMs: 10_000 })
    expect(out.result).toBe('error')
    expect(out.message).toBe('cannot list/watch Deployment in ns: deployments.apps is forbidden')
  })

  it('waits for all objects of a group with one LIST (by the given label selector)', async () => {
    const a = {
      ...deployment('a'),
      metadata: { ...deployment('a').metadata, labels: { run: 'r1' } }
    }
    const b = {
      ...deployment('b'),
      metadata: { ...deployment('b').metadata, labels: { run: 'r1' } }
    }
    fake = new FakeCluster({ objects: [a, b] })
    const p = start([ref('a'), ref('b')], { labelSelector: 'run=r1' })
    await until(() => fake.openWatches().length === 1, 'the watch')
    expect(fake.callsOf('list')[0].opts).toMatchObject({ labelSelector: 'run=r1' })
    expect(fake.callsOf('list')[0].opts).not.toHaveProperty('fieldSelector', expect.anything())
    fake.update(ref('a'), makeAvailable)
    await tick(10)
    fake.update(ref('b'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    expect(out.objects.map(o => o.state)).toEqual(['done', 'done'])
    expect(out.objects[1].readyAt!).toBeGreaterThanOrEqual(out.objects[0].readyAt!)
  })

  it('uses one LIST/WATCH per (apiVersion, kind, namespace) group', async () => {
    const d = deployment('web')
    makeAvailable(d)
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'ns' }
    }
    fake = new FakeCluster({ objects: [d, cm] })
    const out = await start([ref('web'), ref('cfg', 'ConfigMap', 'v1')])
    expect(out.result).toBe('done')
    expect(
      fake
        .callsOf('list')
        .map(c => c.kind)
        .sort()
    ).toEqual(['ConfigMap', 'Deployment'])
  })

  it('defaults a namespaced kind without namespace to the context namespace', async () => {
    const d = { ...deployment('web', { namespace: 'team' }) }
    makeAvailable(d)
    fake = new FakeCluster({ objects: [d], defaultNamespace: 'team' })
    const out = await start([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }])
    expect(out.result).toBe('done')
    expect(fake.callsOf('list')[0].opts).toMatchObject({ namespace: 'team' })
  })

  it('is done at once for no targets', async () => {
    fake = new FakeCluster()
    expect((await start([])).result).toBe('done')
  })
})

describe('waitForObjects with failFast', () => {
  /** A Deployment mid-rollout: stored Deployment, its current ReplicaSet, one Pod in `podStatus`. */
  function rollout(podStatus: Record<string, unknown>): { rs: KubeObject } {
    const d = fake.set(deployment('web', { revision: 2 }))
    const old = fake.set(replicaSetOf(d, 1))
    const rs = fake.set(replicaSetOf(d, 2))
    fake.set(podOf(old, 'web-old', crashLoop())) // the old revision's crash loop must not count
    fake.set(podOf(rs, 'web-new', podStatus))
    return { rs }
  }

  it('ends at once on ImagePullBackOff of a Deployment Pod, naming Pod, container and image', async () => {
    fake = new FakeCluster()
    rollout({ phase: 'Pending' })
    const p = start([ref('web')], { failFast: true, timeoutMs: 10_000 })
    await until(() => fake.openWatches().length === 3, 'Deployment, Pod and ReplicaSet watches')
    const podWatch = fake.openWatches().find(w => w.kind === 'Pod')!
    expect(podWatch.opts).toMatchObject({ namespace: 'ns', labelSelector: 'app=web' })
    const t = Date.now()
    fake.update({ apiVersion: 'v1', kind: 'Pod', name: 'web-new', namespace: 'ns' }, pod => {
      pod.status = imagePullBackOff('registry.invalid/web:2')
    })
    const out = await p
    expect(Date.now() - t).toBeLessThan(200)
    expect(out.result).toBe('failed')
    expect(out.failure).toMatchObject({
      ref: ref('web'),
      reason: 'ImagePullBackOff',
      category: 'image',
      container: 'app',
      image: 'registry.invalid/web:2',
      source: { kind: 'Pod', name: 'web-new', namespace: 'ns' }
    })
    expect(out.message).toMatch(
      /^Deployment ns\/web failed after \S+: ImagePullBackOff: container app: Back-off pulling image "registry.invalid\/web:2"$/
    )
  })

  it('without failFast the same rollout only times out', async () => {
    fake = new FakeCluster()
    rollout(imagePullBackOff('registry.invalid/web:2'))
    const out = await start([ref('web')], { timeoutMs: 80 })
    expect(out.result).toBe('timeout')
  })

  it('ignores the crash loop of an old revision and succeeds when the new Pods are ready', async () => {
    fake = new FakeCluster()
    rollout(runningReady())
    const p = start([ref('web')], { failFast: true })
    await until(() => fake.openWatches().length === 3, 'watches')
    fake.update(ref('web'), makeAvailable)
    expect((await p).result).toBe('done')
  })

  it('ends on FailedCreate of the current ReplicaSet (admission rejected the Pods)', async () => {
    fake = new FakeCluster()
    const { rs } = rollout({ phase: 'Pending' })
    const p = start([ref('web')], { failFast: true })
    await until(() => fake.openWatches().length === 3, 'watches')
    fake.update(rs, r => {
      r.status = {
        replicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message:
              'pods "web-h2-" is forbidden: unable to validate against any security context constraint'
          }
        ]
      }
    })
    const out = await p
    expect(out.failure).toMatchObject({ reason: 'FailedCreate', category: 'admission' })
    expect(out.failure?.source?.kind).toBe('ReplicaSet')
    expect(out.failure?.message).toMatch(/security context constraint/)
  })

  it('ends on an unschedulable Pod of a StatefulSet with the scheduler message', async () => {
    fake = new FakeCluster()
    const sts = fake.set({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'ns', generation: 1 },
      spec: { replicas: 1, selector: { matchLabels: { app: 'db' } } },
      status: { observedGeneration: 1, replicas: 1, updateRevision: 'db-1' }
    })
    fake.set(
      podOf(
        sts,
        'db-0',
        unschedulable(
          "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
        ),
        { 'controller-revision-hash': 'db-1' }
      )
    )
    const out = await start([ref('db', 'StatefulSet')], { failFast: true })
    expect(out.result).toBe('failed')
    expect(out.failure).toMatchObject({ reason: 'Unschedulable', category: 'unschedulable' })
    expect(out.failure?.message).toMatch(/didn't match Pod's node affinity/)
  })

  it('fails a crash-looping Pod target by kstatus alone (Running + CrashLoopBackOff is Failed)', async () => {
    fake = new FakeCluster()
    const d = fake.set(deployment('x'))
    fake.set(podOf(d, 'solo', crashLoop()))
    const out = await start([ref('solo', 'Pod', 'v1')])
    expect(out.failure).toMatchObject({ reason: 'ContainerCrashLooping' })
  })

  it('judges a Pod target by itself', async () => {
    fake = new FakeCluster()
    const d = fake.set(deployment('x'))
    fake.set(podOf(d, 'solo', imagePullBackOff('registry.invalid/solo:1')))
    const out = await start([ref('solo', 'Pod', 'v1')], { failFast: true })
    expect(out.failure).toMatchObject({ reason: 'ImagePullBackOff', category: 'image' })
    expect(out.failure?.source).toBeUndefined()
    expect(fake.callsOf('list')).toHaveLength(1) // no extra Pod watch for a Pod target
  })

  it('keeps going with a warning when Pods cannot be watched', async () => {
    fake = new FakeCluster()
    rollout({ phase: 'Pending' })
    fake.failNext('list', new KubeApiError('pods is forbidden', 403, 'Forbidden'), 'Pod')
    const p = start([ref('web')], { failFast: true })
    await until(() => fake.openWatches().length === 2, 'Deployment and ReplicaSet watches')
    fake.update(ref('web'), makeAvailable)
    const out = await p
    expect(out.result).toBe('done')
    expect(out.warnings).toEqual([
      'cannot list/watch Pod in ns: pods is forbidden (fail-fast checks of Pod are off)'
    ])
  })
})

describe('waitForGone', () => {
  it('is done at once when nothing exists', async () => {
    fake = new FakeCluster()
    const out = await waitForGone(fake, [ref('web')], { timeoutMs: 1000 })
    expect(out.result).toBe('done')
    expect(out.objects[0].status.status).toBe('NotFound')
  })

  it('waits through Terminating until DELETED', async () => {
    const d = deployment('web')
    d.metadata.finalizers = ['example.com/cleanup']
    fake = new FakeCluster({ objects: [d] })
    const progress: string[] = []
    const p = waitForGone(fake, [ref('web')], {
      timeoutMs: 2000,
      onProgress: e => progress.push(e.status.status)
    })
    open.push(p)
    await until(() => fake.openWatches().length === 1, 'the watch')
    await fake.delete(ref('web'))
    await until(() => progress.includes('Terminating'), 'Terminating')
    fake.remove(ref('web'))
    const out = await p
    expect(out.result).toBe('done')
    expect(progress).toEqual(['InProgress', 'Terminating', 'NotFound'])
  })

  it('times out while the object stays', async () => {
    fake = new FakeCluster({ objects: [deployment('web')] })
    const out = await waitForGone(fake, [refOf(deployment('web'))], { timeoutMs: 50 })
    expect(out.result).toBe('timeout')
  })
})
