// The tracer and phase gates against the real control plane: apply, wait,
// judge, roll back, clean up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { runEngine } from '../../src/engine.js'
import { memoryLogger } from '../../src/core/log.js'
import type { Settings } from '../../src/settings.js'
import type { GateResult } from '../../src/report/model.js'

let ns: string
let work: string

beforeAll(async () => {
  ns = await createTestNamespace('gates')
  work = mkdtempSync(join(tmpdir(), 'phase-gate-gates-'))
})
afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await deleteNamespace(ns)
})

function writePlan(name: string, body: string, files: Record<string, string> = {}): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1\nname: ${name}\ntarget: {namespace: ${ns}}\n${body}`
  )
  return join(dir, 'phase-gate.yaml')
}

function settings(planPath: string, over: Partial<Settings> = {}): Settings {
  return {
    gate: 'tracer',
    planPath,
    runId: `t-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: work,
    ...over
  }
}

async function run(s: Settings): Promise<GateResult[]> {
  const { report } = await runEngine(s, { log: memoryLogger() })
  return report.gates
}

async function tracerObjectsLeft(runId: string): Promise<number> {
  const out = await kubectlJson<{ items: unknown[] }>([
    'get',
    'pods,configmaps,applications.argoproj.io',
    '-n',
    ns,
    '-l',
    `phase-gate.dev/run=${runId},phase-gate.dev/role=tracer`,
    '-o',
    'json'
  ])
  return out.items.length
}

describe('tracer gate', () => {
  it('passes a pod that becomes Ready and leaves nothing behind', async () => {
    const plan = writePlan(
      'ready',
      `tracers:
  - name: pod
    assumption: a pod starts here
    manifest:
      inline: |
        apiVersion: v1
        kind: Pod
        metadata: {name: tracer-ready}
        spec: {containers: [{name: c, image: registry.invalid/web:1}]}
    success: {ready: true}
    timeout: 30s
`
    )
    const s = settings(plan)
    const [gate] = await run(s)
    expect(gate.verdict).toBe('pass')
    expect(gate.checks[0].message).toMatch(/Pod tracer-ready ready in/)
    expect(gate.checks[0].data).toMatchObject({ cleanedUp: true })
    expect(await tracerObjectsLeft(s.runId)).toBe(0)
  }, 60_000)

  it('fails an unschedulable pod within its timeout with the scheduler’s reason, and cleans up', async () => {
    const plan = writePlan(
      'unschedulable',
      `tracers:
  - name: nowhere
    assumption: a node with disk=ssd exists
    manifest:
      inline: |
        apiVersion: v1
        kind: Pod
        metadata: {name: tracer-nowhere}
        spec:
          nodeSelector: {disk: ssd}
          containers: [{name: c, image: registry.invalid/web:1}]
    success: {ready: true}
    timeout: 20s
`
    )
    const s = settings(plan)
    const started = Date.now()
    const [gate] = await run(s)
    expect(gate.verdict).toBe('fail')
    // Fail fast: the cause is known, so the gate does not wait out the timeout.
    expect(Date.now() - started).toBeLessThan(20_000)
    const c = gate.checks[0]
    expect(c.message).toMatch(/Unschedulable/)
    expect(`${c.message}\n${c.evidence}`).toMatch(
      /node\(s\) didn't match Pod's node affinity\/selector|didn't match/
    )
    expect(c.adjustment).toMatch(/back to research/)
    expect(await tracerObjectsLeft(s.runId)).toBe(0)
  }, 60_000)

  it('judges a custom resource by CEL over its status, set by its "operator"', async () => {
    const plan = writePlan(
      'cel',
      `tracers:
  - name: app
    assumption: Argo CD reconciles an Application to Healthy
    manifest:
      inline: |
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: tracer-app}
        spec:
          project: default
          source: {repoURL: https://git.example.test/app.git, path: deploy, targetRevision: main}
          destination: {server: https://kubernetes.default.svc, namespace: ${ns}}
    success: {cel: 'has(object.status) && has(object.status.health) && object.status.health.status == "Healthy"'}
    timeout: 30s
`
    )
    const s = settings(plan)
    // The test plays the operator: once the object exists, it reports Healthy
    // (Argo CD writes status through the main resource: the CRD has no status subresource).
    const operator = (async () => {
      for (let i = 0; i < 100; i++) {
        try {
          await kubectl([
            'patch',
            'applications.argoproj.io',
            'tracer-app',
            '-n',
            ns,
            '--type=merge',
            '-p',
            '{"status":{"health":{"status":"Healthy"},"sync":{"status":"Synced"}}}'
          ])
          return true
        } catch {
          await new Promise(r => setTimeout(r, 100))
        }
      }
      return false
    })()
    const [gate] = await run(s)
    expect(await operator).toBe(true)
    expect(gate.verdict).toBe('pass')
    expect(gate.checks[0].message).toMatch(/Application tracer-app CEL .*Healthy/)
    expect(await tracerObjectsLeft(s.runId)).toBe(0)
  }, 60_000)
})

describe('phase gate', () => {
  const deployment = (image: string, simulate?: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  progressDeadlineSeconds: 600
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web${simulate ? `, phase-gate.test/simulate: ${simulate}` : ''}}
    spec:
      containers: [{name: web, image: ${image}}]
`
  it('rolls a failing Deployment back to the previous template and verifies it', async () => {
    const body = `phases:
  - name: web
    apply: [web.yaml]
    timeout: 60s
    rollback: [{undo: true}]
`
    const good = writePlan('phase', body, { 'web.yaml': deployment('ghcr.io/phase-gate/app:1.0') })
    const first = await run(settings(good, { gate: 'phase' }))
    expect(first.map(g => g.verdict)).toEqual(['pass'])

    const bad = writePlan('phase', body, {
      'web.yaml': deployment('ghcr.io/phase-gate/app:2.0', 'crash-loop')
    })
    const started = Date.now()
    const [gate] = await run(settings(bad, { gate: 'phase' }))
    expect(gate.verdict).toBe('fail')
    expect(Date.now() - started).toBeLessThan(60_000)
    const ready = gate.checks.find(c => c.kind === 'ready' && c.verdict === 'fail')
    expect(ready?.message).toMatch(/CrashLoopBackOff|exit code 1|crash/i)
    const rollback = gate.checks.find(c => c.kind === 'rollback')
    expect(rollback?.verdict).toBe('pass')
    expect(rollback?.message).toMatch(/verified/)
    expect(gate.notes?.join(' ')).toMatch(/rolled back/)

    // Back on the previous template: the good image, no simulate label, Available.
    const live = await kubectlJson<{
      spec: {
        template: {
          metadata: { labels: Record<string, string> }
          spec: { containers: { image: string }[] }
        }
      }
      status: { conditions: { type: string; status: string }[] }
    }>(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])
    expect(live.spec.template.spec.containers[0].image).toBe('ghcr.io/phase-gate/app:1.0')
    expect(live.spec.template.metadata.labels['phase-gate.test/simulate']).toBeUndefined()
    expect(live.status.conditions.find(c => c.type === 'Available')?.status).toBe('True')
  }, 120_000)

  it("runs the phase's rollback commands after the undo, with the phase and run in their environment, and reports one that fails", async () => {
    const body = (cmd: string): string => `phases:
  - name: cmds
    apply: [pod.yaml]
    timeout: 30s
    rollback:
      - {undo: true}
      - {command: {run: [sh, -c, '${cmd}']}}
`
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: cmd-pod, labels: {phase-gate.test/simulate: image-pull-failure}}
spec: {containers: [{name: c, image: ghcr.io/phase-gate/missing:9}]}
`
    const ok = writePlan(
      'rollback-cmd',
      body('echo "$PHASE_GATE_PHASE $PHASE_GATE_RUN_ID" > rolled-back.txt'),
      { 'pod.yaml': pod }
    )
    const s = settings(ok, { gate: 'phase' })
    const [gate] = await run(s)
    expect(gate.verdict).toBe('fail')
    const steps = gate.checks.filter(c => c.kind === 'rollback')
    expect(steps.map(c => c.verdict)).toEqual(['pass', 'pass'])
    expect(steps[1].message).toMatch(/^rollback command succeeded in /)
    expect(readFileSync(join(work, 'rollback-cmd', 'rolled-back.txt'), 'utf8')).toBe(
      `cmds ${s.runId}\n`
    )
    await expect(kubectl(['get', 'pod', 'cmd-pod', '-n', ns])).rejects.toThrow(/NotFound|not found/)

    const bad = writePlan(
      'rollback-cmd-bad',
      body('echo cannot reach the flag service >&2; exit 4'),
      { 'pod.yaml': pod }
    )
    const [failed] = await run(settings(bad, { gate: 'phase' }))
    const cmd = failed.checks.filter(c => c.kind === 'rollback')[1]
    expect(cmd.verdict).toBe('fail')
    expect(cmd.message).toBe('rollback command failed (exit 4)')
    expect(cmd.evidence).toMatch(/cannot reach the flag service/)
  }, 120_000)

  it('deletes what a failed phase created, but keeps PVCs', async () => {
    const plan = writePlan(
      'create',
      `phases:
  - name: new
    apply: [objs.yaml]
    timeout: 30s
`,
      {
        'objs.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: fresh-config}
data: {a: b}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fresh-data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: none-such
---
apiVersion: v1
kind: Pod
metadata: {name: fresh-pod, labels: {phase-gate.test/simulate: image-pull-failure}}
spec: {containers: [{name: c, image: ghcr.io/phase-gate/missing:9}]}
`
      }
    )
    const [gate] = await run(settings(plan, { gate: 'phase' }))
    expect(gate.verdict).toBe('fail')
    const rollback = gate.checks.find(c => c.kind === 'rollback')
    expect(rollback?.verdict).toBe('pass')
    expect(rollback?.data?.kept).toEqual([`PersistentVolumeClaim ${ns}/fresh-data`])
    await expect(kubectl(['get', 'configmap', 'fresh-config', '-n', ns])).rejects.toThrow(
      /NotFound|not found/
    )
    await expect(kubectl(['get', 'pod', 'fresh-pod', '-n', ns])).rejects.toThrow(
      /NotFound|not found/
    )
    expect(await kubectl(['get', 'pvc', 'fresh-data', '-n', ns, '-o', 'name'])).toMatch(
      /fresh-data/
    )
  }, 120_000)
})
