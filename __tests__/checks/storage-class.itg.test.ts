// Storage on the local cluster: the provisioner binds claims (a PVC tracer,
// a StatefulSet's volumeClaimTemplates, a WaitForFirstConsumer claim once a
// pod mounts it, pinned to that pod's node) and refuses what a class cannot
// give; the storage check predicts exactly that before anything is applied.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import type { GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'

interface Pvc {
  metadata: { name: string; uid: string }
  spec: { volumeName?: string }
  status: { phase: string }
}
interface Pv {
  metadata: { name: string; annotations?: Record<string, string> }
  spec: {
    storageClassName: string
    accessModes: string[]
    capacity: { storage: string }
    hostPath: { path: string }
    nodeAffinity?: {
      required: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] }
    }
  }
}

let ns: string
let work: string

beforeAll(async () => {
  ns = await createTestNamespace('storage')
  work = mkdtempSync(join(tmpdir(), 'phase-gate-storage-'))
})
afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await deleteNamespace(ns)
})

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await probe().catch(() => undefined)
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

const pvc = (name: string) => kubectlJson<Pvc>(['get', 'pvc', name, '-n', ns])
const pv = (name: string) => kubectlJson<Pv>(['get', 'pv', name])
const bound = (name: string) =>
  until(`${name} Bound`, async () =>
    (await pvc(name)).status.phase === 'Bound' ? pvc(name) : undefined
  )
const apply = (yaml: string) => kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml })

const claim = (name: string, modes: string, className?: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [${modes}]
  resources: {requests: {storage: 2Gi}}${className ? `\n  storageClassName: ${className}` : ''}
`

async function gate(
  name: string,
  body: string,
  files: Record<string, string>,
  over: Partial<Settings>
): Promise<GateResult> {
  const dir = join(work, name)
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1\nname: ${name}\ntarget: {namespace: ${ns}}\n${body}`
  )
  const { report } = await runEngine(
    {
      gate: 'reality-check',
      planPath: join(dir, 'phase-gate.yaml'),
      runId: `storage-${Date.now()}`,
      runIdGiven: true,
      kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
      dryRun: false,
      comment: false,
      workspace: dir,
      ...over
    },
    { log: memoryLogger() }
  )
  return report.gates[0]
}

describe('the storage provisioner', () => {
  it('a PVC tracer proves a claim of the default class binds, and cleans up', async () => {
    const g = await gate(
      'pvc-tracer',
      `tracers:
  - name: claim
    assumption: claims of the default StorageClass bind here
    manifest:
      inline: |
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: tracer-data}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    success: {ready: true}
    timeout: 30s
`,
      {},
      { gate: 'tracer' }
    )
    expect(g.verdict).toBe('pass')
    expect(g.checks[0].message).toMatch(/^PersistentVolumeClaim tracer-data ready in/)
    expect(g.checks[0].data).toMatchObject({ cleanedUp: true })
    await expect(pvc('tracer-data')).rejects.toThrow(/not found/i)
  }, 60_000)

  it('binds every claim of a StatefulSet’s volumeClaimTemplates to a volume of the requested size', async () => {
    await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: registry.invalid/db:1, volumeMounts: [{name: data, mountPath: /var/lib/db}]}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 3Gi}}}
`)
    for (const name of ['data-db-0', 'data-db-1']) {
      const c = await bound(name)
      const v = await pv(c.spec.volumeName ?? '')
      expect(v.metadata.name).toBe(`pvc-${c.metadata.uid}`)
      expect(v.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe(
        'phase-gate.dev/local'
      )
      expect(v.spec).toMatchObject({
        storageClassName: 'phase-gate-local',
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '3Gi' }
      })
      // Inside the cluster's directory, and nowhere else.
      expect(v.spec.hostPath.path).toBe(join(clusterEnv().dir, 'volumes', v.metadata.name))
    }
    await until('db ready', async () => {
      const s = await kubectlJson<{ status: { readyReplicas?: number } }>([
        'get',
        'statefulset',
        'db',
        '-n',
        ns
      ])
      return s.status.readyReplicas === 2 ? true : undefined
    })
  }, 60_000)

  it('predicts in the reality check what the provisioner then does with each claim', async () => {
    const manifests = [
      claim('rwx-local', 'ReadWriteMany', 'phase-gate-local'),
      claim('rwx-shared', 'ReadWriteMany', 'phase-gate-shared'),
      claim('waits', 'ReadWriteOnce', 'phase-gate-local-wait')
    ].join('---\n')
    const g = await gate(
      'predict',
      'assumptions: {manifests: [claims.yaml]}\n',
      { 'claims.yaml': manifests },
      { namespace: ns }
    )
    const storage = Object.fromEntries(
      g.checks.filter(c => c.kind === 'storage-class').map(c => [c.target, c])
    )
    expect(storage['PersistentVolumeClaim/rwx-local spec']).toMatchObject({
      verdict: 'fail',
      message:
        'rwx-local asks for ReadWriteMany, which StorageClass phase-gate-local (phase-gate.dev/local) cannot give: the claim would stay Pending (ProvisioningFailed)',
      adjustment: 'use a class that gives ReadWriteMany: phase-gate-shared'
    })
    expect(storage['PersistentVolumeClaim/rwx-shared spec']).toMatchObject({ verdict: 'pass' })
    expect(storage['PersistentVolumeClaim/rwx-shared spec'].evidence).toBeUndefined()
    expect(storage['binding PersistentVolumeClaim/waits spec']).toMatchObject({ verdict: 'warn' })
    expect(storage['binding PersistentVolumeClaim/waits spec'].message).toMatch(
      /WaitForFirstConsumer.*no pod in the plan mounts it/
    )

    // Now for real.
    await apply(manifests)
    const shared = await bound('rwx-shared')
    expect((await pv(shared.spec.volumeName ?? '')).spec.accessModes).toEqual(['ReadWriteMany'])
    const failed = await until('ProvisioningFailed for rwx-local', async () => {
      const ev = await kubectlJson<{ items: { reason: string; message: string }[] }>([
        'get',
        'events',
        '-n',
        ns,
        '--field-selector',
        'involvedObject.name=rwx-local,reason=ProvisioningFailed'
      ])
      return ev.items[0]
    })
    expect(failed.message).toMatch(
      /access mode ReadWriteMany not supported by StorageClass phase-gate-local/
    )
    expect((await pvc('rwx-local')).status.phase).toBe('Pending')
    expect((await pvc('waits')).status.phase).toBe('Pending')

    // A pod that mounts the waiting claim: it binds, on the pod's node.
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: consumer}
spec:
  containers: [{name: c, image: registry.invalid/app:1, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: waits}}]
`)
    const waits = await bound('waits')
    const node = await until('consumer scheduled', async () => {
      const p = await kubectlJson<{ spec: { nodeName?: string } }>([
        'get',
        'pod',
        'consumer',
        '-n',
        ns
      ])
      return p.spec.nodeName
    })
    const v = await pv(waits.spec.volumeName ?? '')
    expect(v.spec.nodeAffinity?.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([
      node
    ])
  }, 90_000)

  it('deletes a released volume and its directory', async () => {
    await apply(claim('short-lived', 'ReadWriteOnce'))
    const c = await bound('short-lived')
    const volume = c.spec.volumeName ?? ''
    const dir = (await pv(volume)).spec.hostPath.path
    expect(existsSync(dir)).toBe(true)
    await kubectl(['delete', 'pvc', 'short-lived', '-n', ns, '--wait=true'])
    await until(
      'the volume to go',
      async () =>
        (await pv(volume).then(
          () => false,
          () => true
        )) || undefined
    )
    expect(existsSync(dir)).toBe(false)
  }, 60_000)
})
