// The Lease lock's decisions over an in-memory cluster and a virtual clock:
// free, held, released, expired, skewed, lost, raced, refused, cancelled.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { CancelledError, InfraError } from '../../src/core/errors.js'
import { memoryLogger } from '../../src/core/log.js'
import {
  ANNOTATION_LOCK_TOKEN,
  LockBusyError,
  acquireLock,
  leaseExpired,
  lockToken,
  releaseStaleLock,
  leaseName,
  microTime,
  type LockOptions
} from '../../src/kube/lock.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { VirtualClock } from './virtual-clock.js'
import { publishFigures, suiteCommand } from './figures.js'

// The cases run, for docs/reliability.md (published with PHASE_GATE_PUBLISH=1).
let cases = 0
afterEach(() => {
  cases++
})
afterAll(() => {
  if (cases > 0)
    publishFigures(
      'lock',
      { cases: { value: cases, unit: 'cases', text: `${cases} cases` } },
      suiteCommand('unit', '__tests__/reliability/lock.test.ts')
    )
})

const LEASE = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  namespaced: true,
  verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  subresources: []
}
const ref = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  name: 'phase-gate-shop',
  namespace: 'ns'
}

function setup(objects: KubeObject[] = []) {
  const cluster = new FakeCluster({ resources: [LEASE], objects })
  const clock = new VirtualClock()
  const log = memoryLogger()
  const opts = (holder: string, over: Partial<LockOptions> = {}): LockOptions => ({
    cluster,
    namespace: 'ns',
    plan: 'shop',
    holder,
    waitMs: 60_000,
    leaseDurationMs: 30_000,
    pollMs: 1000,
    clock,
    log,
    ...over
  })
  const spec = () => cluster.peek(ref)?.spec as Record<string, unknown> | undefined
  return { cluster, clock, log, opts, spec }
}

function lease(
  holder: string | undefined,
  renewedAt: number,
  extra: Record<string, unknown> = {}
): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'phase-gate-shop',
      namespace: 'ns',
      annotations: { [ANNOTATION_LOCK_TOKEN]: 'other' }
    },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 30,
      acquireTime: microTime(renewedAt),
      renewTime: microTime(renewedAt),
      leaseTransitions: 3,
      ...extra
    }
  }
}

describe('Lease lock', () => {
  it('names the Lease after the plan and writes MicroTime', () => {
    expect(leaseName('Web App_2')).toBe('phase-gate-web-app-2')
    expect(microTime(Date.parse('2026-11-24T12:00:00.123Z'))).toBe('2026-11-24T12:00:00.123000Z')
  })

  it.each([
    ['no holder', { holderIdentity: undefined, renewTime: microTime(1000) }, 2000, true],
    [
      'renewed within its duration',
      { holderIdentity: 'a', renewTime: microTime(0), leaseDurationSeconds: 30 },
      29_000,
      false
    ],
    [
      'renewed longer ago than its duration',
      { holderIdentity: 'a', renewTime: microTime(0), leaseDurationSeconds: 30 },
      31_000,
      true
    ],
    ['no renew time at all', { holderIdentity: 'a' }, 0, true]
  ])('leaseExpired: %s', (_n, spec, now, expired) => {
    expect(leaseExpired(spec, now)).toBe(expired)
  })

  it('takes a free lock at once and renews it while held', async () => {
    const { cluster, clock, opts, spec } = setup()
    const held = await clock.runUntil(acquireLock(opts('run-1', { renewEveryMs: 10_000 })))
    expect(held.waitedMs).toBe(0)
    expect(held.name).toBe('Lease ns/phase-gate-shop')
    expect(spec()).toMatchObject({ holderIdentity: 'run-1', leaseDurationSeconds: 30 })
    const first = String(spec()?.renewTime)
    // Let two renewal periods pass.
    await clock.runUntil(clock.sleep(25_000))
    expect(Date.parse(String(spec()?.renewTime))).toBeGreaterThan(Date.parse(first))
    await clock.runUntil(held.release())
    expect(spec()?.holderIdentity).toBeUndefined()
    expect(cluster.callsOf('create')).toHaveLength(1)
  })

  it('waits for a live holder and takes over the moment it releases', async () => {
    const { clock, opts, spec, log } = setup()
    const first = await clock.runUntil(acquireLock(opts('run-1')))
    const start = clock.now()
    const second = acquireLock(opts('run-2'))
    // The first run works for 12 s, then releases.
    const releaseLater = clock.sleep(12_000).then(() => first.release())
    const held = await clock.runUntil(Promise.all([second, releaseLater]).then(([h]) => h))
    expect(held.waitedFor).toBe('run-1')
    expect(held.waitedMs).toBeGreaterThanOrEqual(12_000)
    // Polling every second (with jitter), so the takeover follows the release closely.
    expect(clock.now() - start).toBeLessThan(14_000)
    expect(spec()).toMatchObject({ holderIdentity: 'run-2' })
    expect(log.lines.join('\n')).toMatch(
      /is held by run run-1, holding it since .*, last renewed .* ago; waiting up to 1m00s/
    )
  })

  it('fails clearly after the wait bound, naming the holder and what to do', async () => {
    const { clock, opts, spec } = setup()
    await clock.runUntil(acquireLock(opts('run-1', { purpose: 'phase web' })))
    const start = clock.now()
    const err = await clock.runUntil(
      acquireLock(opts('run-2', { waitMs: 20_000 })).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    expect(err).toBeInstanceOf(LockBusyError)
    expect(err).toBeInstanceOf(InfraError)
    const busy = err as LockBusyError
    expect(busy.holder).toBe('run-1')
    expect(busy.message).toMatch(
      /another run of plan shop holds the lock on namespace ns: run run-1 \(phase web\), holding it since .*waited 20\.0s/
    )
    expect(busy.hint).toMatch(/--lock-wait.*kubectl -n ns delete lease phase-gate-shop/)
    expect(clock.now() - start).toBeGreaterThanOrEqual(20_000)
    expect(clock.now() - start).toBeLessThan(22_000)
    // The holder was left alone.
    expect(spec()?.holderIdentity).toBe('run-1')
  })

  it('takes over a lease whose holder stopped renewing (a killed job), counting the transition', async () => {
    const s = setup([lease('dead-run', Date.parse('2026-11-24T11:55:00Z'))])
    const held = await s.clock.runUntil(acquireLock(s.opts('run-2')))
    expect(held.waitedMs).toBe(0)
    expect(s.spec()).toMatchObject({ holderIdentity: 'run-2', leaseTransitions: 4 })
    expect(s.log.lines.join('\n')).toMatch(/took over from run dead-run, whose lease had expired/)
  })

  it('does not trust a renew time from a clock ahead of ours: the lease lapses when it stops changing for its duration', async () => {
    // The holder's clock runs 10 minutes ahead: by its renewTime the lease looks alive for ever.
    const s = setup([lease('skewed-run', Date.parse('2026-11-24T12:10:00Z'))])
    const start = s.clock.now()
    const held = await s.clock.runUntil(acquireLock(s.opts('run-2', { waitMs: 120_000 })))
    expect(held.waitedFor).toBe('skewed-run')
    expect(s.clock.now() - start).toBeGreaterThanOrEqual(30_000)
    expect(s.clock.now() - start).toBeLessThan(33_000)
  })

  it('keeps waiting while the holder renews, however long its own clock says', async () => {
    const { clock, opts } = setup()
    const first = await clock.runUntil(acquireLock(opts('run-1', { renewEveryMs: 5000 })))
    const err = await clock.runUntil(
      acquireLock(opts('run-2', { waitMs: 90_000 })).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    // 90 s is three lease durations: a renewing holder never looks lapsed.
    expect(err).toBeInstanceOf(LockBusyError)
    await clock.runUntil(first.release())
  })

  it('two runs racing for a free lock: exactly one gets it, the other waits', async () => {
    const { clock, opts, spec } = setup()
    const a = acquireLock(opts('run-a', { waitMs: 5000 }))
    const b = acquireLock(opts('run-b', { waitMs: 5000 }))
    const results = await clock.runUntil(Promise.allSettled([a, b]))
    const won = results.filter(r => r.status === 'fulfilled')
    const lost = results.filter(r => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(LockBusyError)
    expect(['run-a', 'run-b']).toContain(spec()?.holderIdentity)
  })

  it('a second process of the same run id waits like another run (two jobs of one workflow run)', async () => {
    const { clock, opts } = setup()
    await clock.runUntil(acquireLock(opts('run-1')))
    const err = await clock.runUntil(
      acquireLock(opts('run-1', { waitMs: 3000 })).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    expect(err).toBeInstanceOf(LockBusyError)
  })

  it('notices a lost lock at its next renewal and then never releases the new holder', async () => {
    const { cluster, clock, opts, spec, log } = setup()
    const held = await clock.runUntil(acquireLock(opts('run-1', { renewEveryMs: 5000 })))
    cluster.update(ref, o => {
      o.spec = { ...(o.spec as object), holderIdentity: 'intruder' }
      o.metadata.annotations = { [ANNOTATION_LOCK_TOKEN]: 'theirs' }
    })
    await clock.runUntil(clock.sleep(6000))
    expect(held.lost).toBe('taken by run intruder')
    expect(log.lines.join('\n')).toMatch(/lost the lock \(taken by run intruder\)/)
    await clock.runUntil(held.release())
    expect(spec()?.holderIdentity).toBe('intruder')
  })

  it('a renewal that fails (apiserver restarting) is tried again at the next period', async () => {
    const { cluster, clock, opts, spec } = setup()
    const held = await clock.runUntil(acquireLock(opts('run-1', { renewEveryMs: 5000 })))
    cluster.failNext(
      'get',
      new KubeApiError('connection refused', 0, 'ECONNREFUSED', undefined, true)
    )
    const before = String(spec()?.renewTime)
    await clock.runUntil(clock.sleep(5500))
    expect(String(spec()?.renewTime)).toBe(before)
    await clock.runUntil(clock.sleep(5000))
    expect(Date.parse(String(spec()?.renewTime))).toBeGreaterThan(Date.parse(before))
    expect(held.lost).toBeUndefined()
    await clock.runUntil(held.release())
  })

  it('refused by RBAC: says which rights on leases are missing', async () => {
    const { cluster, clock, opts } = setup()
    cluster.failNext(
      'get',
      new KubeApiError(
        'leases.coordination.k8s.io "phase-gate-shop" is forbidden',
        403,
        'Forbidden'
      )
    )
    const err = await clock.runUntil(
      acquireLock(opts('run-1')).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    expect(err).toBeInstanceOf(InfraError)
    expect((err as InfraError).message).toMatch(
      /run run-1 may not take the lock Lease ns\/phase-gate-shop: .*forbidden/
    )
    expect((err as InfraError).hint).toMatch(
      /get, create and update on leases\.coordination\.k8s\.io/
    )
  })

  it('rides out a create that meets a 5xx (creates are never retried by the transport)', async () => {
    const { cluster, clock, opts, spec } = setup()
    cluster.failNext('create', new KubeApiError('etcdserver: leader changed', 500, 'InternalError'))
    const held = await clock.runUntil(acquireLock(opts('run-1')))
    expect(spec()?.holderIdentity).toBe('run-1')
    expect(cluster.callsOf('create')).toHaveLength(2)
    await clock.runUntil(held.release())
  })

  it('an unreachable apiserver is "could not check" after a few rounds, not a crash nor the whole wait', async () => {
    const { cluster, clock, opts } = setup()
    const down = () =>
      new KubeApiError(
        'cannot reach the API server: connection refused (after 4 retries)',
        0,
        'ECONNREFUSED',
        undefined,
        true
      )
    for (let i = 0; i < 4; i++) cluster.failNext('get', down())
    const start = clock.now()
    const err = await clock.runUntil(
      acquireLock(opts('run-1', { waitMs: 600_000 })).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    expect(err).toBeInstanceOf(InfraError)
    expect((err as InfraError).message).toMatch(
      /cannot take the lock Lease ns\/phase-gate-shop: cannot reach the API server: connection refused \(after 4 retries\)/
    )
    expect(clock.now() - start).toBeLessThan(10_000)
    expect(cluster.callsOf('get')).toHaveLength(4)
  })

  it('a cancelled run stops waiting at once', async () => {
    const { clock, opts } = setup()
    await clock.runUntil(acquireLock(opts('run-1')))
    const controller = new AbortController()
    const waiting = acquireLock(opts('run-2', { signal: controller.signal }))
    const cancel = clock.sleep(3000).then(() => controller.abort(new Error('SIGTERM')))
    const err = await clock.runUntil(
      Promise.all([
        waiting.then(
          () => undefined,
          (e: unknown) => e
        ),
        cancel
      ]).then(([e]) => e)
    )
    expect(err).toBeInstanceOf(CancelledError)
  })

  it("in a GitHub job the token is the job's, so its post step can free a lock its killed main step held", async () => {
    const job = {
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: '/r/_temp',
      GITHUB_RUN_ID: '7',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'deploy',
      RUNNER_NAME: 'r1'
    }
    expect(lockToken(job)).toBe(lockToken({ ...job }))
    expect(lockToken(job)).not.toBe(lockToken({ ...job, RUNNER_NAME: 'r2' }))
    expect(lockToken(job)).not.toBe(lockToken({ ...job, GITHUB_RUN_ATTEMPT: '2' }))
    // Outside Actions every process is its own holder.
    expect(lockToken({})).not.toBe(lockToken({}))

    const { cluster, clock, opts, spec } = setup()
    const token = lockToken(job)
    await clock.runUntil(acquireLock(opts('7', { token })))
    // The main step was killed: nothing released it. Another job's post step may not free it...
    expect(
      await releaseStaleLock(cluster, {
        namespace: 'ns',
        plan: 'shop',
        holder: '7',
        token: lockToken({ ...job, RUNNER_NAME: 'r2' }),
        clock
      })
    ).toBe(false)
    expect(spec()?.holderIdentity).toBe('7')
    // ...its own post step does, and the next run takes it at once.
    expect(
      await releaseStaleLock(cluster, { namespace: 'ns', plan: 'shop', holder: '7', token, clock })
    ).toBe(true)
    expect(spec()?.holderIdentity).toBeUndefined()
    const next = await clock.runUntil(acquireLock(opts('8')))
    expect(next.waitedMs).toBe(0)
  })
})
