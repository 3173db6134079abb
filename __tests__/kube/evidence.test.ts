import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, registerSecret } from '../../src/core/secrets.js'
import { collectEvidence, formatEvidence } from '../../src/kube/evidence.js'
import type { KubeObject, ObjectRef } from '../../src/kube/types.js'
import { KubeApiError, refOf } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import {
  crashLoop,
  deployment,
  imagePullBackOff,
  podOf,
  replicaSetOf,
  runningReady,
  unschedulable
} from '../support/kube-fixtures.js'

afterEach(() => clearSecrets())

const IMAGE = 'registry.invalid/web:2'
const podRef = (name: string): ObjectRef => ({
  apiVersion: 'v1',
  kind: 'Pod',
  name,
  namespace: 'ns'
})

/** A Deployment whose current ReplicaSet has one Pod in `status`, plus an old ReplicaSet's Pod. */
function rollout(fake: FakeCluster, status: Record<string, unknown>) {
  const d = fake.set(deployment('web', { revision: 2 }))
  const old = fake.set(replicaSetOf(d, 1))
  const rs = fake.set(replicaSetOf(d, 2))
  fake.set(podOf(old, 'web-old', runningReady()))
  const pod = fake.set(podOf(rs, 'web-new', status))
  return { d, rs, pod }
}

describe('collectEvidence', () => {
  it('shows an image pull failure: cause, container state naming the image, the Pod events; no logs', async () => {
    const fake = new FakeCluster()
    const { d, pod } = rollout(fake, imagePullBackOff(IMAGE))
    fake.addEvent(pod, {
      reason: 'Failed',
      message: `Failed to pull image "${IMAGE}": not found`,
      count: 4,
      at: '2025-01-01T00:00:02Z'
    })
    fake.addEvent(pod, {
      type: 'Normal',
      reason: 'Pulling',
      message: `Pulling image "${IMAGE}"`,
      at: '2025-01-01T00:00:01Z'
    })
    fake.addEvent(d, {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-h2 to 1'
    })

    const e = await collectEvidence(fake, refOf(d))
    expect(e.found).toBe(true)
    expect(e.status).toMatchObject({ status: 'InProgress', reason: 'LessAvailable' })
    expect(e.failure).toMatchObject({ reason: 'ImagePullBackOff', image: IMAGE })
    expect(e.pods.map(p => p.ref.name)).toEqual(['web-new']) // the old revision is not evidence
    expect(e.pods[0].containers[0]).toMatchObject({
      name: 'app',
      image: IMAGE,
      state: 'waiting',
      reason: 'ImagePullBackOff',
      restartCount: 0
    })
    expect(e.pods[0].events.map(ev => ev.reason)).toEqual(['Pulling', 'Failed'])
    expect(e.events.map(ev => ev.reason)).toEqual(['ScalingReplicaSet'])
    expect(fake.callsOf('podLogs')).toHaveLength(0)

    const text = formatEvidence(e)
    expect(text).toContain('Deployment ns/web: InProgress (LessAvailable): Available: 0/1')
    expect(text).toContain(
      `  cause: ImagePullBackOff: container app: Back-off pulling image "${IMAGE}"`
    )
    expect(text).toContain(
      '  condition Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.'
    )
    expect(text).toContain(
      `  container app (image ${IMAGE}): waiting ImagePullBackOff: Back-off pulling image "${IMAGE}"; ready false; restarts 0`
    )
    expect(text).toContain(
      `  event Warning Failed (x4) from fake: Failed to pull image "${IMAGE}": not found`
    )
    expect(text).toMatch(/^ReplicaSet ns\/web-h2: /m)
    expect(text).not.toMatch(/[`*#|]{2}|^#/m) // plain text, no Markdown
  })

  it('fetches the previous instance log of a crash-looping container', async () => {
    const fake = new FakeCluster()
    const { d } = rollout(fake, crashLoop(3))
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)
    fake.setLogs('ns', 'web-new', 'app', lines.join('\n') + '\n', true)
    const e = await collectEvidence(fake, d, { logLines: 5 })
    const [call] = fake.callsOf('podLogs')
    expect(call.opts).toEqual({ container: 'app', tailLines: 5, previous: true })
    const c = e.pods[0].containers[0]
    expect(c.logs).toEqual({
      previous: true,
      lines: ['line 26', 'line 27', 'line 28', 'line 29', 'line 30']
    })
    expect(c.lastTermination).toEqual({ exitCode: 1, reason: 'Error' })
    const text = formatEvidence(e)
    expect(text).toContain('    last terminated: exit 1 Error')
    expect(text).toContain('    last 5 log lines of app (previous instance):\n      | line 26')
  })

  it('fetches the current log of a container that exited non-zero under restartPolicy Never', async () => {
    const fake = new FakeCluster()
    const pod = fake.set({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'task', namespace: 'ns' },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'registry.invalid/task:1' }]
      },
      status: {
        phase: 'Failed',
        containerStatuses: [
          { name: 'main', restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }
        ]
      }
    })
    fake.setLogs('ns', 'task', 'main', 'panic: config missing\n')
    const e = await collectEvidence(fake, refOf(pod))
    expect(fake.callsOf('podLogs')[0].opts).toMatchObject({ previous: false })
    expect(e.failure).toMatchObject({ reason: 'PodFailed', category: 'exit' })
    const text = formatEvidence(e)
    expect(text.split('\n')[0]).toBe(
      'Pod ns/task: Current: Pod has completed, but not successfully'
    )
    expect(text).toContain(
      '  container main (image registry.invalid/task:1): terminated exit 2 Error; ready false; restarts 0'
    )
    expect(text).toContain('      | panic: config missing')
  })

  it('shows the scheduler message of an unschedulable Pod', async () => {
    const fake = new FakeCluster()
    const msg = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
    const { d, pod } = rollout(fake, unschedulable(msg))
    fake.addEvent(pod, { reason: 'FailedScheduling', message: msg, count: 2 })
    const text = formatEvidence(await collectEvidence(fake, d))
    expect(text).toContain(`  scheduling: PodScheduled=False Unschedulable: ${msg}`)
    expect(text).toContain(`  event Warning FailedScheduling (x2) from fake: ${msg}`)
    expect(text).toMatch(/^Pod ns\/web-new \(phase Pending, node none\): /m)
  })

  it('shows FailedCreate on the current ReplicaSet with its events', async () => {
    const fake = new FakeCluster()
    const d = fake.set(deployment('web', { revision: 1 }))
    const rs = fake.set({
      ...replicaSetOf(d, 1),
      status: {
        replicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: 'pods "web-h1-" is forbidden: exceeded quota'
          }
        ]
      }
    })
    fake.addEvent(rs, {
      reason: 'FailedCreate',
      message: 'Error creating: pods "web-h1-x" is forbidden: exceeded quota',
      count: 7
    })
    const e = await collectEvidence(fake, d)
    expect(e.failure).toMatchObject({ reason: 'FailedCreate', category: 'admission' })
    expect(e.pods).toEqual([])
    const text = formatEvidence(e)
    expect(text).toContain(
      'ReplicaSet ns/web-h1: InProgress (ReplicaFailure): Replica Failure condition. Check Pods'
    )
    expect(text).toContain(
      '  condition ReplicaFailure=True FailedCreate: pods "web-h1-" is forbidden: exceeded quota'
    )
    expect(text).toContain(
      '  event Warning FailedCreate (x7) from fake: Error creating: pods "web-h1-x" is forbidden: exceeded quota'
    )
  })

  it('describes at most maxPods, failing ones first, and counts the rest', async () => {
    const fake = new FakeCluster()
    const d = fake.set(deployment('web', { replicas: 5 }))
    const rs = fake.set(replicaSetOf(d, 1))
    fake.set(podOf(rs, 'a-ready', runningReady()))
    fake.set(podOf(rs, 'b-ready', runningReady()))
    fake.set(podOf(rs, 'c-pending', { phase: 'Pending' }))
    fake.set(podOf(rs, 'd-pull', imagePullBackOff(IMAGE)))
    fake.set(podOf(rs, 'e-ready', runningReady()))
    const e = await collectEvidence(fake, d, { maxPods: 3 })
    expect(e.pods.map(p => p.ref.name)).toEqual(['d-pull', 'c-pending', 'a-ready'])
    expect(e.omittedPods).toBe(2)
    expect(formatEvidence(e)).toContain('2 more Pods of the current revision not shown')
  })

  it('keeps only the most recent events, and only the object’s own', async () => {
    const fake = new FakeCluster()
    const { pod } = rollout(fake, { phase: 'Pending' })
    const other = fake.peek(podRef('web-old'))!
    for (let i = 0; i < 15; i++) {
      fake.addEvent(pod, {
        reason: `R${i}`,
        message: 'm',
        at: `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`
      })
    }
    fake.addEvent(other, { reason: 'NotMine', message: 'm' })
    const e = await collectEvidence(fake, podRef('web-new'), { maxEvents: 3 })
    expect(e.events.map(ev => ev.reason)).toEqual(['R12', 'R13', 'R14'])
    const eventList = fake.callsOf('list').find(c => c.kind === 'Event')!
    expect(eventList.opts).toEqual({
      namespace: 'ns',
      fieldSelector: `involvedObject.uid=${pod.metadata.uid}`
    })
  })

  it('re-reads a manifest object from the cluster (no uid, no status in a manifest)', async () => {
    const fake = new FakeCluster()
    const { pod } = rollout(fake, imagePullBackOff(IMAGE))
    const manifest: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-new', namespace: 'ns' }
    }
    const e = await collectEvidence(fake, manifest)
    expect(e.failure?.reason).toBe('ImagePullBackOff')
    expect(e.ref).toEqual(refOf(pod))
  })

  it('says "not found" for an absent object', async () => {
    const fake = new FakeCluster()
    const e = await collectEvidence(fake, podRef('nope'))
    expect(e).toMatchObject({ found: false, status: { status: 'NotFound' }, pods: [] })
    expect(formatEvidence(e)).toBe('Pod ns/nope: not found')
  })

  it('turns unreadable pieces into notes instead of failing', async () => {
    const fake = new FakeCluster()
    const { d } = rollout(fake, crashLoop(2))
    fake.failNext('list', new KubeApiError('events is forbidden', 403, 'Forbidden'), 'Event')
    fake.setLogs(
      'ns',
      'web-new',
      'app',
      new KubeApiError('previous terminated container "app" not found', 400),
      true
    )
    const e = await collectEvidence(fake, d)
    expect(e.notes).toEqual([
      'could not list events of Deployment ns/web: events is forbidden',
      'no logs of web-new/app: previous terminated container "app" not found'
    ])
    expect(e.pods[0].containers[0].logs).toBeUndefined()
    expect(formatEvidence(e)).toContain(
      'note: could not list events of Deployment ns/web: events is forbidden'
    )
    expect(fake.callsOf('podLogs').map(c => c.opts)).toEqual([
      { container: 'app', tailLines: 20, previous: true },
      { container: 'app', tailLines: 20, previous: false }
    ])
  })

  it('falls back to the current log when the previous instance has none', async () => {
    const fake = new FakeCluster()
    const { d } = rollout(fake, crashLoop(2))
    fake.setLogs(
      'ns',
      'web-new',
      'app',
      new KubeApiError('previous terminated container not found', 400),
      true
    )
    fake.setLogs('ns', 'web-new', 'app', 'fatal: cannot bind :8080\n')
    const e = await collectEvidence(fake, d)
    expect(e.pods[0].containers[0].logs).toEqual({
      previous: false,
      lines: ['fatal: cannot bind :8080']
    })
    expect(e.notes).toEqual([])
    expect(formatEvidence(e)).toContain(
      '    last 1 log lines of app (current instance):\n      | fatal: cannot bind :8080'
    )
  })

  it('notes an object that cannot be read', async () => {
    const fake = new FakeCluster()
    fake.failNext('get', new KubeApiError('deployments.apps "web" is forbidden', 403, 'Forbidden'))
    const e = await collectEvidence(fake, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace: 'ns'
    })
    expect(e.found).toBe(false)
    expect(e.notes[0]).toBe('could not read Deployment ns/web: deployments.apps "web" is forbidden')
  })

  it('redacts registered secrets from logs, events and messages', async () => {
    const secret = 'hunter2-super-secret'
    registerSecret(secret)
    const fake = new FakeCluster()
    const { pod, d } = rollout(fake, crashLoop(1))
    fake.setLogs('ns', 'web-new', 'app', `connecting with password=${secret}\n`, true)
    fake.addEvent(pod, {
      reason: 'BackOff',
      message: `env DB_PASS=${Buffer.from(secret).toString('base64')}`
    })
    const e = await collectEvidence(fake, d)
    expect(JSON.stringify(e)).not.toContain(secret)
    const text = formatEvidence(e)
    expect(text).toContain('password=***')
    expect(text).toContain('DB_PASS=***')
    expect(text).not.toContain(secret)
    expect(text).not.toContain(Buffer.from(secret).toString('base64'))
  })

  it('defaults a namespaced kind without namespace to the context namespace', async () => {
    const fake = new FakeCluster({ defaultNamespace: 'ns' })
    rollout(fake, runningReady())
    const e = await collectEvidence(fake, { apiVersion: 'v1', kind: 'Pod', name: 'web-new' })
    expect(e.found).toBe(true)
    expect(e.ref.namespace).toBe('ns')
  })
})
