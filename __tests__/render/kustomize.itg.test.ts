// Kustomize, rendered with the real Kustomize (kubectl kustomize, or a
// standalone kustomize on PATH) and applied by a phase against the real
// cluster: the example's staging overlay (a name prefix, a strategic-merge
// patch and a JSON patch over the base) lands with the prefix and the patched
// values; its undo removes what it created. The reality check renders an
// overlay listed under assumptions.manifests and points findings at it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { systemClock } from '../../src/core/clock.js'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import { undoApplied } from '../../src/kube/undo.js'
import type { GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'

let ns: string
let work: string
let plan: string

beforeAll(async () => {
  ns = await createTestNamespace('kustomize')
  work = mkdtempSync(join(tmpdir(), 'pg-kustomize-'))
  cpSync(resolve(import.meta.dirname, '../../examples/kustomize-app'), join(work, 'app'), {
    recursive: true
  })
  plan = join(work, 'app', 'phase-gate.yaml')
  // The example's namespace is the test's; nothing else changes.
  writeFileSync(
    plan,
    readFileSync(plan, 'utf8').replace('namespace: kustomize-demo', `namespace: ${ns}`)
  )
}, 60_000)
afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
}, 60_000)

function settings(over: Partial<Settings>): Settings {
  return {
    gate: 'phase',
    planPath: plan,
    runId: `k-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: work,
    ...over
  }
}

async function run(s: Settings): Promise<GateResult[]> {
  return (await runEngine(s, { log: memoryLogger() })).report.gates
}

describe('a Kustomize overlay', () => {
  it('is rendered and dry-run by the reality check, findings naming the overlay and the object', async () => {
    const [gate] = await run(settings({ gate: 'reality-check', dryRun: true }))
    const admission = gate.checks.filter(c => c.kind === 'admission')
    expect(admission.map(c => c.target).sort()).toEqual([
      `ConfigMap ${ns}/staging-web-config`,
      `Deployment ${ns}/staging-web`,
      `Service ${ns}/staging-web`
    ])
    expect(admission.every(c => c.verdict === 'pass')).toBe(true)
    const dep = admission.find(c => c.target === `Deployment ${ns}/staging-web`)
    expect(dep?.location).toMatchObject({
      file: 'app/overlays/staging/kustomization.yaml',
      path: 'Deployment/staging-web'
    })
  }, 60_000)

  it('is applied by a phase with its prefix and patched values; its undo removes them', async () => {
    const s = settings({})
    const [gate] = await run(s)
    expect(gate.verdict).toBe('pass')

    const dep = await kubectlJson<{
      metadata: { labels: Record<string, string> }
      spec: {
        replicas: number
        template: { spec: { containers: { env: { name: string; value?: string }[] }[] } }
      }
    }>(['get', 'deployment', 'staging-web', '-n', ns])
    expect(dep.spec.replicas).toBe(2)
    expect(dep.spec.template.spec.containers[0].env.find(e => e.name === 'GREETING')?.value).toBe(
      'hello from staging'
    )
    // Kustomize's own labels stay beside the run's.
    expect(dep.metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'kustomize-app',
      'phase-gate.dev/run': s.runId,
      'app.kubernetes.io/managed-by': 'phase-gate'
    })
    const cm = await kubectlJson<{ data: Record<string, string> }>([
      'get',
      'configmap',
      'staging-web-config',
      '-n',
      ns
    ])
    expect(cm.data.APP_MODE).toBe('staging')
    await kubectl(['get', 'service', 'staging-web', '-n', ns])
    // The unprefixed base names were never applied.
    await expect(kubectl(['get', 'deployment', 'web', '-n', ns])).rejects.toThrow(/not found/i)

    // The phase's undo, from what the state record kept of it.
    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    try {
      const record = new StateRecord(cluster, 'kustomize-app', ns)
      const [rec] = await record.readPhases(s.runId)
      expect(
        rec.objects
          .filter(o => o.created)
          .map(o => o.ref.name)
          .sort()
      ).toEqual(['staging-web', 'staging-web', 'staging-web-config'])
      const undo = await undoApplied(cluster, rec.objects, {
        timeoutMs: 60_000,
        clock: systemClock
      })
      expect(undo.verified).toBe(true)
    } finally {
      cluster.close()
    }
    for (const [kind, name] of [
      ['deployment', 'staging-web'],
      ['service', 'staging-web'],
      ['configmap', 'staging-web-config']
    ])
      await expect(kubectl(['get', kind, name, '-n', ns])).rejects.toThrow(/not found/i)
  }, 120_000)

  it('takes --image like any manifest: the override applies to the rendered output', async () => {
    const [gate] = await run(
      settings({
        gate: 'reality-check',
        dryRun: true,
        overrides: {
          images: [
            { name: 'ghcr.io/phase-gate/app', newTag: '2.0', text: 'ghcr.io/phase-gate/app=:2.0' }
          ],
          helmSet: []
        }
      })
    )
    const text = JSON.stringify(gate)
    expect(text).toContain('ghcr.io/phase-gate/app:2.0')
    expect(text).not.toContain('ghcr.io/phase-gate/app:1.0')
  }, 60_000)
})
