import { describe, expect, it } from '@jest/globals'
import type { FailureCategory } from '../../src/kube/pod-failures.js'
import {
  currentPods,
  currentReplicaSet,
  labelSelectorOf,
  ownedBy,
  podFailure,
  workloadFailure
} from '../../src/kube/pod-failures.js'
import type { KubeObject } from '../../src/kube/types.js'
import { matchLabels } from '../support/fake-cluster.js'

const NOW = Date.parse('2025-06-01T12:00:00Z')
const IMAGE = 'registry.invalid/web:1'

function pod(
  status: Record<string, unknown>,
  opts: { restartPolicy?: string; created?: number; deleting?: boolean; init?: boolean } = {}
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'ns',
      creationTimestamp: new Date(opts.created ?? NOW - 60_000).toISOString(),
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {})
    },
    spec: {
      restartPolicy: opts.restartPolicy,
      initContainers: opts.init ? [{ name: 'migrate', image: 'registry.invalid/migrate:1' }] : [],
      containers: [{ name: 'web', image: IMAGE }]
    },
    status
  }
}

const waiting = (reason: string, message?: string, restartCount = 0) => ({
  phase: 'Pending',
  containerStatuses: [
    { name: 'web', image: IMAGE, restartCount, state: { waiting: { reason, message } } }
  ]
})
const terminated = (exitCode: number, restartCount: number, reason = 'Error') => ({
  phase: 'Running',
  containerStatuses: [
    { name: 'web', image: IMAGE, restartCount, state: { terminated: { exitCode, reason } } }
  ]
})
const unschedulable = (
  message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
) => ({
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }]
})

interface PodRow {
  name: string
  pod: KubeObject
  category?: FailureCategory
  reason?: string
  message?: RegExp
  graceMs?: number
}

const podRows: PodRow[] = [
  {
    name: 'running and ready',
    pod: pod({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', restartCount: 0, state: { running: {} } }]
    })
  },
  { name: 'pending without container statuses', pod: pod({ phase: 'Pending' }) },
  { name: 'ContainerCreating is progress', pod: pod(waiting('ContainerCreating')) },
  { name: 'PodInitializing is progress', pod: pod(waiting('PodInitializing')) },
  {
    name: 'ErrImagePull names the image when the kubelet message does not',
    pod: pod(waiting('ErrImagePull', 'rpc error: code = NotFound')),
    category: 'image',
    reason: 'ErrImagePull',
    message: /^container web \(image registry\.invalid\/web:1\): rpc error: code = NotFound$/
  },
  {
    name: 'ImagePullBackOff with the image in the message is not repeated',
    pod: pod(waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`)),
    category: 'image',
    reason: 'ImagePullBackOff',
    message: /^container web: Back-off pulling image "registry\.invalid\/web:1"$/
  },
  {
    name: 'InvalidImageName',
    pod: pod(waiting('InvalidImageName', 'Failed to apply default image tag')),
    category: 'image',
    reason: 'InvalidImageName'
  },
  {
    name: 'ErrImageNeverPull without a kubelet message',
    pod: pod(waiting('ErrImageNeverPull')),
    category: 'image',
    reason: 'ErrImageNeverPull',
    message: /^container web \(image registry\.invalid\/web:1\): waiting ErrImageNeverPull$/
  },
  {
    name: 'CreateContainerConfigError (missing Secret)',
    pod: pod(waiting('CreateContainerConfigError', 'secret "db" not found')),
    category: 'config',
    reason: 'CreateContainerConfigError',
    message: /secret "db" not found/
  },
  {
    name: 'CreateContainerError',
    pod: pod(waiting('CreateContainerError', 'no command specified')),
    category: 'config',
    reason: 'CreateContainerError'
  },
  {
    name: 'CrashLoopBackOff',
    pod: pod(waiting('CrashLoopBackOff', 'back-off 10s restarting failed container', 2)),
    category: 'crash',
    reason: 'CrashLoopBackOff'
  },
  {
    name: 'init container in CrashLoopBackOff',
    pod: pod(
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'migrate', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }
        ]
      },
      { init: true }
    ),
    category: 'crash',
    reason: 'CrashLoopBackOff',
    message: /^init container migrate \(image registry\.invalid\/migrate:1\)/
  },
  {
    name: 'first crash under restartPolicy Always: the kubelet restarts it',
    pod: pod(terminated(1, 0))
  },
  {
    name: 'crashed again after a restart',
    pod: pod(terminated(137, 2, 'OOMKilled')),
    category: 'crash',
    reason: 'CrashLoopBackOff',
    message: /exited with code 137 \(OOMKilled\) after 2 restarts/
  },
  {
    name: 'running again after restarts is not a failure',
    pod: pod({
      phase: 'Running',
      containerStatuses: [{ name: 'web', restartCount: 3, state: { running: {} } }]
    })
  },
  {
    name: 'non-zero exit with restartPolicy Never',
    pod: pod(terminated(2, 0), { restartPolicy: 'Never' }),
    category: 'exit',
    reason: 'Error',
    message: /exited with code 2 \(Error\) and restartPolicy is Never/
  },
  {
    name: 'zero exit with restartPolicy Never is success',
    pod: pod(terminated(0, 0, 'Completed'), { restartPolicy: 'Never' })
  },
  {
    name: 'non-zero exit under OnFailure, first time',
    pod: pod(terminated(1, 0), { restartPolicy: 'OnFailure' })
  },
  {
    name: 'Unschedulable carries the scheduler message',
    pod: pod(unschedulable()),
    category: 'unschedulable',
    reason: 'Unschedulable',
    message: /Pod cannot be scheduled: 0\/3 nodes are available: 3 node\(s\) didn't match/
  },
  {
    name: 'Unschedulable inside the grace period',
    pod: pod(unschedulable(), { created: NOW - 5_000 }),
    graceMs: 30_000
  },
  {
    name: 'Unschedulable after the grace period',
    pod: pod(unschedulable(), { created: NOW - 31_000 }),
    graceMs: 30_000,
    category: 'unschedulable',
    reason: 'Unschedulable'
  },
  {
    name: 'SchedulingGated is not a failure',
    pod: pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }]
    })
  },
  {
    name: 'Failed phase (evicted)',
    pod: pod({
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.'
    }),
    category: 'exit',
    reason: 'Evicted',
    message: /Pod failed: The node was low on resource: memory\./
  },
  {
    name: 'Failed phase without a reason describes the container',
    pod: pod({ ...terminated(3, 0), phase: 'Failed' }, { restartPolicy: 'Never' }),
    category: 'exit',
    reason: 'PodFailed',
    message: /container web exited with code 3/
  },
  {
    name: 'a Pod being deleted is not judged',
    pod: pod(waiting('ImagePullBackOff'), { deleting: true })
  }
]

describe('podFailure', () => {
  it.each(podRows.map(r => [r.name, r] as const))('%s', (_n, row) => {
    const got = podFailure(row.pod, { now: NOW, unschedulableGraceMs: row.graceMs })
    if (!row.category) {
      expect(got).toBeUndefined()
      return
    }
    expect(got?.category).toBe(row.category)
    expect(got?.reason).toBe(row.reason)
    expect(got?.source).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'ns' })
    if (row.message) expect(got?.message).toMatch(row.message)
  })

  it('reports the image and container of a pull failure', () => {
    const got = podFailure(pod(waiting('ImagePullBackOff')))
    expect(got).toMatchObject({ container: 'web', image: IMAGE })
  })
})

const meta = (kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  namespace: 'ns',
  uid: `${kind}-${name}`,
  ...extra
})
const withConditions = (apiVersion: string, kind: string, conditions: unknown[]): KubeObject => ({
  apiVersion,
  kind,
  metadata: meta(kind, 'web'),
  status: { conditions }
})

interface WorkloadRow {
  name: string
  obj: KubeObject
  category?: FailureCategory
  reason?: string
  message?: RegExp
}

const workloadRows: WorkloadRow[] = [
  {
    name: 'ReplicaSet FailedCreate (admission rejected the Pods)',
    obj: withConditions('apps/v1', 'ReplicaSet', [
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message:
          'pods "web-" is forbidden: unable to validate against any security context constraint'
      }
    ]),
    category: 'admission',
    reason: 'FailedCreate',
    message: /ReplicaSet web cannot create Pods: pods "web-" is forbidden: unable to validate/
  },
  {
    name: 'ReplicaSet ReplicaFailure for another reason',
    obj: withConditions('apps/v1', 'ReplicaSet', [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedDelete' }
    ])
  },
  {
    name: 'ReplicaSet ReplicaFailure=False',
    obj: withConditions('apps/v1', 'ReplicaSet', [
      { type: 'ReplicaFailure', status: 'False', reason: 'FailedCreate' }
    ])
  },
  {
    name: 'Deployment mirroring FailedCreate',
    obj: withConditions('apps/v1', 'Deployment', [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' }
    ]),
    category: 'admission',
    reason: 'FailedCreate',
    message: /exceeded quota/
  },
  {
    name: 'Deployment past its progress deadline',
    obj: withConditions('apps/v1', 'Deployment', [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "web-1" has timed out progressing.'
      }
    ]),
    category: 'deadline',
    reason: 'ProgressDeadlineExceeded',
    message: /has timed out progressing/
  },
  {
    name: 'Deployment progressing normally',
    obj: withConditions('apps/v1', 'Deployment', [
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }
    ])
  },
  {
    name: 'Job failed',
    obj: withConditions('batch/v1', 'Job', [
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit'
      }
    ]),
    category: 'job',
    reason: 'BackoffLimitExceeded',
    message: /Job web failed: Job has reached the specified backoff limit/
  },
  {
    name: 'Job complete',
    obj: withConditions('batch/v1', 'Job', [{ type: 'Complete', status: 'True' }])
  },
  {
    name: 'StatefulSet has no failure conditions',
    obj: withConditions('apps/v1', 'StatefulSet', [])
  },
  {
    name: 'a ReplicaSet being deleted is not judged',
    obj: {
      ...withConditions('apps/v1', 'ReplicaSet', [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }
      ]),
      metadata: meta('ReplicaSet', 'web', { deletionTimestamp: new Date(NOW).toISOString() })
    }
  }
]

describe('workloadFailure', () => {
  it.each(workloadRows.map(r => [r.name, r] as const))('%s', (_n, row) => {
    const got = workloadFailure(row.obj)
    if (!row.category) {
      expect(got).toBeUndefined()
      return
    }
    expect(got?.category).toBe(row.category)
    expect(got?.reason).toBe(row.reason)
    expect(got?.source.kind).toBe(row.obj.kind)
    if (row.message) expect(got?.message).toMatch(row.message)
  })
})

const selectorRows: [string, unknown, string | undefined][] = [
  ['matchLabels', { matchLabels: { app: 'web', tier: 'fe' } }, 'app=web,tier=fe'],
  [
    'matchExpressions',
    {
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'stage'] },
        { key: 'canary', operator: 'NotIn', values: ['true'] },
        { key: 'app', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' }
      ]
    },
    'env in (prod,stage),canary notin (true),app,!legacy'
  ],
  [
    'both',
    { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'Exists' }] },
    'app=web,x'
  ],
  ['empty selector', {}, undefined],
  ['no selector', undefined, undefined]
]

describe('labelSelectorOf', () => {
  it.each(selectorRows)('%s', (_n, selector, want) => {
    const w: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('Deployment', 'w'),
      spec: { selector }
    }
    expect(labelSelectorOf(w)).toBe(want)
  })

  it('selects what the apiserver would (checked with the fake apiserver matcher)', () => {
    const sel = labelSelectorOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('Deployment', 'w'),
      spec: { selector: selectorRows[1][1] }
    })!
    expect(matchLabels({ env: 'prod', app: 'a' }, sel)).toBe(true)
    expect(matchLabels({ env: 'dev', app: 'a' }, sel)).toBe(false)
    expect(matchLabels({ env: 'prod', app: 'a', canary: 'true' }, sel)).toBe(false)
    expect(matchLabels({ env: 'prod' }, sel)).toBe(false)
    expect(matchLabels({ env: 'prod', app: 'a', legacy: '1' }, sel)).toBe(false)
  })
})

describe('current revision of a workload', () => {
  const owner = (o: KubeObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    uid: o.metadata.uid!,
    controller: true
  })
  const rev = 'deployment.kubernetes.io/revision'
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('Deployment', 'web', { annotations: { [rev]: '2' } })
  }
  const rsFor = (name: string, r: string, d = deploy): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('ReplicaSet', name, { annotations: { [rev]: r }, ownerReferences: [owner(d)] })
  })
  const other: KubeObject = {
    ...deploy,
    metadata: meta('Deployment', 'other', { annotations: { [rev]: '9' } })
  }
  const rs1 = rsFor('web-1', '1')
  const rs2 = rsFor('web-2', '2')
  const rsOther = rsFor('other-9', '9', other)
  const podOf = (
    name: string,
    o: KubeObject,
    labels: Record<string, string> = {},
    ns = 'ns'
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, ownerReferences: [owner(o)] }
  })

  it('picks the ReplicaSet carrying the Deployment revision', () => {
    expect(currentReplicaSet(deploy, [rs1, rs2, rsOther])?.metadata.name).toBe('web-2')
  })

  it('falls back to the newest owned revision', () => {
    const noRev = { ...deploy, metadata: meta('Deployment', 'web') }
    expect(currentReplicaSet(noRev, [rs2, rs1, rsOther])?.metadata.name).toBe('web-2')
    expect(currentReplicaSet(noRev, [rsOther])).toBeUndefined()
  })

  it('keeps only the current ReplicaSet Pods of a Deployment', () => {
    const pods = [
      podOf('old', rs1),
      podOf('new', rs2),
      podOf('foreign', rsOther),
      podOf('elsewhere', rs2, {}, 'other-ns')
    ]
    expect(currentPods(deploy, pods, [rs1, rs2, rsOther]).map(p => p.metadata.name)).toEqual([
      'new'
    ])
    expect(currentPods(deploy, pods, [])).toEqual([])
  })

  it('keeps the StatefulSet Pods of the update revision', () => {
    const sts: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('StatefulSet', 'db'),
      status: { updateRevision: 'db-2' }
    }
    const pods = [
      podOf('db-0', sts, { 'controller-revision-hash': 'db-2' }),
      podOf('db-1', sts, { 'controller-revision-hash': 'db-1' })
    ]
    expect(currentPods(sts, pods).map(p => p.metadata.name)).toEqual(['db-0'])
  })

  it('keeps the DaemonSet Pods of the current template generation', () => {
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('DaemonSet', 'agent', { generation: 3 })
    }
    const pods = [
      podOf('a', ds, { 'pod-template-generation': '3' }),
      podOf('b', ds, { 'pod-template-generation': '2' })
    ]
    expect(currentPods(ds, pods).map(p => p.metadata.name)).toEqual(['a'])
  })

  it('keeps the Pods a Job owns', () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('Job', 'migrate')
    }
    const pods = [podOf('m-1', job), podOf('x', rs2)]
    expect(currentPods(job, pods).map(p => p.metadata.name)).toEqual(['m-1'])
  })

  it('ownedBy matches by uid, or by kind and name without one', () => {
    expect(ownedBy(podOf('p', rs2), rs2)).toBe(true)
    expect(ownedBy(podOf('p', rs2), rs1)).toBe(false)
    const noUid = { ...rs2, metadata: { ...rs2.metadata, uid: undefined } }
    expect(ownedBy(podOf('p', rs2), noUid)).toBe(true)
  })
})
