/**
 * The lock that keeps two runs of one plan on one target apart: a
 * `coordination.k8s.io/v1` Lease `phase-gate-<plan>` in the target namespace
 * whose holder is the run id. A second run waits (polling with jitter, the
 * way client-go's leader election does) up to a bound, then fails naming the
 * holder; a holder that stopped renewing (a killed job) loses the Lease once
 * it expires. The holder renews while its gates run and clears the holder on
 * release, so a waiting run takes over at once.
 */

import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import { CancelledError, InfraError, errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { LABEL_MANAGED_BY, LABEL_PLAN, dnsName, labelValue } from './labels.js'
import { KubeApiError, type Cluster, type KubeObject, type ObjectRef } from './types.js'

/** Annotation telling apart two processes of one run id (two jobs of one workflow run). */
export const ANNOTATION_LOCK_TOKEN = 'phase-gate.dev/lock-token'
/** Annotation naming what the holder is doing, for the waiter's message. */
export const ANNOTATION_LOCK_PURPOSE = 'phase-gate.dev/lock-purpose'

const DEFAULT_LEASE_MS = 30_000

export interface LockOptions {
  cluster: Cluster
  namespace: string
  plan: string
  /** The run id: the Lease's holderIdentity. */
  holder: string
  /** How long to wait for another holder before failing. */
  waitMs: number
  /** Lease duration: a holder that stops renewing loses it this long after its last renewal. Default 30 s. */
  leaseDurationMs?: number
  /** Renewal period; default a third of the lease duration. */
  renewEveryMs?: number
  /** Poll period while waiting; default 1 s (with jitter). */
  pollMs?: number
  /** What the holder does (`phase web`), shown to a run that waits. */
  purpose?: string
  /** Tells this holder's process apart from another of the same run id; default `lockToken()`. */
  token?: string
  clock: Clock
  log: Pick<Logger, 'info' | 'warn' | 'debug'>
  signal?: AbortSignal
  /** Told on every look while another run holds the lock (for the job log's heartbeat). */
  onWaiting?: (w: { lock: string; holder: string; deadline: number }) => void
}

/** A held lock: renewed in the background until released. */
export interface HeldLock {
  /** `Lease <namespace>/<name>`. */
  readonly name: string
  /** Time spent waiting for another holder (0 when it was free). */
  readonly waitedMs: number
  /** The holder waited for, when there was one. */
  readonly waitedFor?: string
  /** Set when a renewal found the Lease taken by another holder (this run no longer excludes others). */
  readonly lost?: string
  /** Stops renewing and clears the holder (never throws; a failure only leaves the Lease to expire). */
  release(): Promise<void>
}

/** Another run held the lock past the wait bound: exit 3, naming the holder and what to do. */
export class LockBusyError extends InfraError {
  constructor(
    message: string,
    hint: string,
    readonly holder: string
  ) {
    super(message, hint)
    this.name = 'LockBusyError'
  }
}

interface LeaseSpec {
  holderIdentity?: string
  leaseDurationSeconds?: number
  acquireTime?: string
  renewTime?: string
  leaseTransitions?: number
}

/**
 * The holder token of this process. In a GitHub Actions job it is derived
 * from the job (run, attempt, job, runner), so the job's post step can free a
 * lock its killed main step held; elsewhere it is random.
 */
export function lockToken(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_ACTIONS !== 'true' || !env.RUNNER_TEMP) return randomBytes(6).toString('hex')
  const job = [
    env.GITHUB_RUN_ID,
    env.GITHUB_RUN_ATTEMPT,
    env.GITHUB_JOB,
    env.RUNNER_NAME,
    env.RUNNER_TEMP
  ].join('|')
  return createHash('sha256').update(job).digest('hex').slice(0, 12)
}

/**
 * Frees the plan's lock when this job (run id and token) still holds it: the
 * post step after a killed main step, so the next run need not wait for the
 * Lease to expire. Resolves whether it freed it.
 */
export async function releaseStaleLock(
  cluster: Cluster,
  o: { namespace: string; plan: string; holder: string; token?: string; clock: Clock }
): Promise<boolean> {
  const ref: ObjectRef = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    name: leaseName(o.plan),
    namespace: o.namespace
  }
  const lease = await cluster.get(ref)
  const spec = (lease?.spec ?? {}) as LeaseSpec
  if (
    !lease ||
    spec.holderIdentity !== o.holder ||
    lease.metadata.annotations?.[ANNOTATION_LOCK_TOKEN] !== (o.token ?? lockToken())
  )
    return false
  const rest: LeaseSpec = { ...spec }
  delete rest.holderIdentity
  await cluster.replace({
    ...lease,
    spec: { ...rest, leaseDurationSeconds: 1, renewTime: microTime(o.clock.now()) }
  })
  return true
}

/** The Lease's name for a plan. */
export function leaseName(plan: string): string {
  return dnsName(`phase-gate-${plan}`, 253)
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

/** True when the Lease's holder let it lapse: renewed longer ago than its duration (on the holder's clock). */
export function leaseExpired(spec: LeaseSpec, now: number): boolean {
  if (!spec.holderIdentity) return true
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '')
  if (Number.isNaN(renewed)) return true
  return renewed + (spec.leaseDurationSeconds ?? DEFAULT_LEASE_MS / 1000) * 1000 < now
}

/** Takes the plan's lock in the namespace, waiting up to `waitMs` for another holder. */
export async function acquireLock(o: LockOptions): Promise<HeldLock> {
  const name = leaseName(o.plan)
  const ref: ObjectRef = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    name,
    namespace: o.namespace
  }
  const where = `Lease ${o.namespace}/${name}`
  const token = o.token ?? lockToken()
  const leaseMs = o.leaseDurationMs ?? DEFAULT_LEASE_MS
  const started = o.clock.now()
  // Clock skew between runners must not make a live lease look expired: a
  // lease also counts as lapsed when it did not change for its duration as
  // we watched it (client-go's rule).
  let observed: { key: string; since: number } | undefined
  let waitedFor: string | undefined
  let announced = false

  const body = (lease: KubeObject | undefined, now: number): KubeObject => {
    const before = (lease?.spec ?? {}) as LeaseSpec
    const changed = lease !== undefined && before.holderIdentity !== o.holder
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: o.namespace,
        labels: { [LABEL_MANAGED_BY]: 'phase-gate', [LABEL_PLAN]: labelValue(o.plan) },
        annotations: {
          [ANNOTATION_LOCK_TOKEN]: token,
          ...(o.purpose ? { [ANNOTATION_LOCK_PURPOSE]: o.purpose } : {})
        },
        ...(lease ? { resourceVersion: lease.metadata.resourceVersion } : {})
      },
      spec: {
        holderIdentity: o.holder,
        leaseDurationSeconds: Math.ceil(leaseMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (before.leaseTransitions ?? 0) + (changed ? 1 : 0)
      }
    }
  }

  // The transport already retried each request; a few more rounds ride out a
  // create (never retried by the transport) meeting a 5xx, without waiting out
  // the whole bound when the server is down.
  let faults = 0
  const fault = async (err: unknown): Promise<void> => {
    if (!isTransient(err) || ++faults > MAX_FAULTS) throw lockError(err, where, o.holder)
    o.log.debug(`${where}: ${errorMessage(err)}; trying again`)
    await pause(o, o.pollMs ?? 1000)
  }

  for (;;) {
    if (o.signal?.aborted) throw new CancelledError()
    const now = o.clock.now()
    let lease: KubeObject | undefined
    try {
      lease = await o.cluster.get(ref)
    } catch (err) {
      await fault(err)
      continue
    }
    const spec = (lease?.spec ?? {}) as LeaseSpec
    const key = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}|${lease?.metadata.resourceVersion ?? ''}`
    if (!observed || observed.key !== key) observed = { key, since: now }
    const lapsed = !lease || leaseExpired(spec, now) || now - observed.since >= leaseMs
    // The same run id in another process (two jobs of one workflow run) waits like any other run.
    if (lapsed) {
      try {
        if (lease) await o.cluster.replace(body(lease, now))
        else await o.cluster.create(body(undefined, now))
      } catch (err) {
        // Another run got there first: look again.
        if (err instanceof KubeApiError && (err.status === 409 || err.reason === 'AlreadyExists'))
          continue
        await fault(err)
        continue
      }
      if (lease && spec.holderIdentity && spec.holderIdentity !== o.holder)
        o.log.warn(
          `${where}: took over from run ${spec.holderIdentity}, whose lease had expired (a killed job?)`
        )
      o.log.debug(`${where}: held by run ${o.holder}`)
      return hold(o, ref, where, token, leaseMs, now - started, waitedFor)
    }
    waitedFor = spec.holderIdentity
    const waited = now - started
    const purpose = lease?.metadata.annotations?.[ANNOTATION_LOCK_PURPOSE]
    const renewedAgo = Date.parse(spec.renewTime ?? '')
    const holderText = `run ${spec.holderIdentity}${purpose ? ` (${purpose})` : ''}${spec.acquireTime ? `, holding it since ${spec.acquireTime}` : ''}${Number.isNaN(renewedAgo) ? '' : `, last renewed ${formatDuration(Math.max(0, now - renewedAgo))} ago`}`
    if (waited >= o.waitMs) {
      throw new LockBusyError(
        `another run of plan ${o.plan} holds the lock on namespace ${o.namespace}: ${holderText}; waited ${formatDuration(waited)}`,
        `let run ${spec.holderIdentity} finish (or cancel it), then re-run; raise lock.wait in the plan or lock-wait/--lock-wait to wait longer. A killed run's lease expires ${formatDuration(leaseMs)} after its last renewal; to free it by hand: kubectl -n ${o.namespace} delete lease ${name}`,
        spec.holderIdentity ?? ''
      )
    }
    if (!announced) {
      o.log.info(`${where} is held by ${holderText}; waiting up to ${formatDuration(o.waitMs)}`)
      announced = true
    }
    o.onWaiting?.({ lock: where, holder: holderText, deadline: started + o.waitMs })
    await pause(o, o.pollMs ?? 1000, o.waitMs - waited)
  }
}

const MAX_FAULTS = 3

/** A failure worth another round: no answer, 429 or a 5xx (a 403 or 422 will not change). */
function isTransient(err: unknown): boolean {
  return err instanceof KubeApiError && (err.transport || err.status === 429 || err.status >= 500)
}

/** Sleeps about `ms` (jittered so waiting runs spread out), never past `capMs`; a cancelled run stops at once. */
async function pause(
  o: Pick<LockOptions, 'clock' | 'signal'>,
  ms: number,
  capMs = Number.POSITIVE_INFINITY
): Promise<void> {
  const jittered = Math.round(ms * (0.75 + Math.random() * 0.5))
  try {
    await o.clock.sleep(Math.max(1, Math.min(capMs, jittered)), o.signal)
  } catch {
    throw new CancelledError()
  }
}

function lockError(err: unknown, where: string, holder: string): Error {
  if (err instanceof KubeApiError && err.status === 403)
    return new InfraError(
      `run ${holder} may not take the lock ${where}: ${err.message}`,
      'phase-gate needs get, create and update on leases.coordination.k8s.io in the target namespace (the built-in edit role has them)'
    )
  if (err instanceof InfraError) return err
  return new InfraError(
    `cannot take the lock ${where}: ${errorMessage(err)}`,
    'check that the API server is up and reachable from this runner'
  )
}

function hold(
  o: LockOptions,
  ref: ObjectRef,
  where: string,
  token: string,
  leaseMs: number,
  waitedMs: number,
  waitedFor: string | undefined
): HeldLock {
  const stop = new AbortController()
  const state: { lost?: string } = {}
  const renewEvery = o.renewEveryMs ?? Math.max(1000, Math.floor(leaseMs / 3))

  // Still this run's lease: held in its name and with the token it wrote.
  const ours = (lease: KubeObject): boolean =>
    (lease.spec as LeaseSpec | undefined)?.holderIdentity === o.holder &&
    lease.metadata.annotations?.[ANNOTATION_LOCK_TOKEN] === token

  const renewOnce = async (): Promise<void> => {
    const lease = await o.cluster.get(ref)
    const spec = (lease?.spec ?? {}) as LeaseSpec
    if (!lease || !ours(lease)) {
      state.lost = lease?.spec ? `taken by run ${spec.holderIdentity ?? '(none)'}` : 'deleted'
      o.log.warn(
        `${where}: lost the lock (${state.lost}); another run may now change this namespace`
      )
      stop.abort()
      return
    }
    await o.cluster.replace({
      ...lease,
      spec: {
        ...spec,
        renewTime: microTime(o.clock.now()),
        leaseDurationSeconds: Math.ceil(leaseMs / 1000)
      }
    })
  }

  const renewing = (async () => {
    while (!stop.signal.aborted) {
      try {
        await o.clock.sleep(renewEvery, stop.signal)
      } catch {
        return
      }
      try {
        await renewOnce()
      } catch (err) {
        // An apiserver restart or a conflict with our own previous write: the next period tries again.
        o.log.debug(`${where}: renewal failed: ${errorMessage(err)}`)
      }
    }
  })()

  return {
    name: where,
    waitedMs,
    waitedFor,
    get lost() {
      return state.lost
    },
    async release() {
      stop.abort()
      await renewing
      if (state.lost) return
      try {
        const lease = await o.cluster.get(ref)
        if (!lease || !ours(lease)) return
        const spec = (lease.spec ?? {}) as LeaseSpec
        // Clearing the holder (resourceVersion-checked) frees it at once, as client-go's ReleaseOnCancel does.
        const rest: LeaseSpec = { ...spec }
        delete rest.holderIdentity
        await o.cluster.replace({
          ...lease,
          spec: { ...rest, leaseDurationSeconds: 1, renewTime: microTime(o.clock.now()) }
        })
      } catch (err) {
        o.log.warn(
          `${where}: could not release the lock (${errorMessage(err)}); it expires ${formatDuration(leaseMs)} after its last renewal`
        )
      }
    }
  }
}
