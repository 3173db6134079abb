// Helm phases against the local cluster with the real helm binary: install,
// run labels on metadata only (post-renderer), an upgrade to a chart whose
// pods crash-loop fails fast and is rolled back to the previous revision
// (verified by revision, chart and ready objects), a failing first install is
// uninstalled, and a stuck release is reported with the command that frees it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { StateRecord } from '../../src/lifecycle/record.js'
import { connectCluster } from '../../src/kube/client.js'
import type { KubeObject } from '../../src/kube/types.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectlJson,
  kubectl
} from '../support/cluster-env.js'
import { runGate, workspace } from '../rollout/engine-support.js'

const run = promisify(execFile)
const CHARTS = join(process.cwd(), '__tests__', 'fixtures', 'charts')

let ns: string
let dir: string

function plan(chart: string, extra = ''): string {
  return `version: 1
name: helmtest
target: {namespace: ${ns}}
phases:
  - name: web
    helm:
      release: web
      chart: charts/${chart}
      values: {replicas: 2}
    timeout: 60s
${extra}`
}

async function helm(...args: string[]): Promise<string> {
  const r = await run('helm', [...args, '--namespace', ns, '--kubeconfig', clusterEnv().kubeconfig])
  return r.stdout
}

async function history(): Promise<{ revision: number; status: string; chart: string }[]> {
  return JSON.parse(await helm('history', 'web', '-o', 'json')) as {
    revision: number
    status: string
    chart: string
  }[]
}

beforeAll(async () => {
  ns = await createTestNamespace('helm-phase')
  dir = await workspace({}, { charts: CHARTS })
})
afterAll(async () => {
  await deleteNamespace(ns)
})

describe('a Helm phase', () => {
  it('installs the release under our readiness, with run labels on metadata only', async () => {
    await writeFile(join(dir, 'phase-gate.yaml'), plan('web-0.1.0'))
    const { report } = await runGate({ dir, gate: 'phase', phase: 'web', runId: 'helm-run-1' })
    const gate = report.gates[0]
    expect(gate.verdict).toBe('pass')
    expect(gate.checks.map(c => [c.kind, c.verdict])).toEqual([
      ['helm', 'pass'],
      ['ready', 'pass']
    ])
    expect(gate.checks[0].message).toMatch(/release web installed to revision 1 \(web-0\.1\.0\)/)
    expect(gate.details?.revisionAfter).toBe(1)

    const dep = await kubectlJson<KubeObject>(['get', 'deployment', 'web', '-n', ns])
    expect(dep.metadata.labels).toMatchObject({
      'phase-gate.dev/plan': 'helmtest',
      'phase-gate.dev/run': 'helm-run-1',
      'phase-gate.dev/role': 'phase',
      'phase-gate.dev/phase': 'web',
      // Helm's own convention stays.
      'app.kubernetes.io/managed-by': 'Helm'
    })
    const spec = dep.spec as {
      selector: { matchLabels: Record<string, string> }
      template: { metadata: { labels: Record<string, string> } }
    }
    expect(
      Object.keys(spec.template.metadata.labels).filter(k => k.startsWith('phase-gate.dev/'))
    ).toEqual([])
    expect(
      Object.keys(spec.selector.matchLabels).filter(k => k.startsWith('phase-gate.dev/'))
    ).toEqual([])
    const cm = await kubectlJson<KubeObject>(['get', 'configmap', 'web-config', '-n', ns])
    expect(cm.metadata.labels?.['phase-gate.dev/run']).toBe('helm-run-1')

    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    const rec = await new StateRecord(cluster, 'helmtest', ns).readPhase('helm-run-1', 'web')
    cluster.close()
    expect(rec?.status).toBe('applied')
    expect(rec?.helm).toEqual({ release: 'web', namespace: ns, revisionAfter: 1 })
  })

  it('rolls an upgrade to a crash-looping chart back to the previous revision, failing fast', async () => {
    await writeFile(join(dir, 'phase-gate.yaml'), plan('web-0.2.0'))
    const started = Date.now()
    const { report } = await runGate({ dir, gate: 'phase', phase: 'web', runId: 'helm-run-2' })
    const took = Date.now() - started
    const gate = report.gates[0]
    expect(gate.verdict).toBe('fail')
    // Fail fast: the crash loop ends the wait long before the 60 s timeout.
    expect(took).toBeLessThan(45_000)
    const ready = gate.checks.find(c => c.kind === 'ready')
    expect(ready?.verdict).toBe('fail')
    expect(`${ready?.message}\n${ready?.evidence}`).toMatch(/CrashLoopBackOff|crash/i)
    const rollback = gate.checks.find(c => c.kind === 'rollback')
    expect(rollback?.verdict).toBe('pass')
    expect(rollback?.message).toMatch(
      /release web back on revision 1's chart web-0\.1\.0 \(now revision 3, deployed\), was revision 2 \(web-0\.2\.0\)/
    )
    expect(rollback?.message).toMatch(/budget/)

    const h = await history()
    expect(h.map(x => [x.revision, x.status, x.chart])).toEqual([
      [1, 'superseded', 'web-0.1.0'],
      [2, 'superseded', 'web-0.2.0'],
      [3, 'deployed', 'web-0.1.0']
    ])
    expect((gate.details?.history as unknown[]).length).toBe(3)
    const dep = await kubectlJson<KubeObject>(['get', 'deployment', 'web', '-n', ns])
    const image = (dep.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers[0].image
    expect(image).toBe('registry.invalid/phase-gate/app:1.0')

    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    const rec = await new StateRecord(cluster, 'helmtest', ns).readPhase('helm-run-2', 'web')
    cluster.close()
    expect(rec?.status).toBe('rolled-back')
    expect(rec?.helm).toEqual({
      release: 'web',
      namespace: ns,
      revisionBefore: 1,
      revisionAfter: 2
    })
    // The ConfigMap's state before the upgrade was recorded (the config level restores from it).
    const cm = rec?.objects.find(o => o.ref.kind === 'ConfigMap')
    expect((cm?.before?.data as Record<string, string>).GREETING).toBe('hello')
  })

  it('rollback --level code takes the release back to its previous good revision, timed against its budget', async () => {
    // A good upgrade (revision 4: same chart, other values) to roll back from.
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan('web-0.1.0').replace('values: {replicas: 2}', 'values: {replicas: 2, greeting: hi}')
    )
    const up = await runGate({ dir, gate: 'phase', phase: 'web', runId: 'helm-run-3' })
    expect(up.report.gates[0].verdict).toBe('pass')
    expect(up.report.gates[0].details?.revisionAfter).toBe(4)
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      `${plan('web-0.1.0')}rollbackLevels:\n  - {level: code, helm: {release: web}, budget: 2m}\n`
    )
    const { report } = await runGate({ dir, gate: 'rollback', level: 'code', runId: 'helm-run-3' })
    const check = report.gates[0].checks[0]
    expect(check.verdict).toBe('pass')
    expect(check.message).toMatch(
      /^code rollback in (\d+ms|[\d.]+s) of 2m00s: release web back on revision 3's chart web-0\.1\.0 \(now revision 5, deployed\), was revision 4 \(web-0\.1\.0\); 3 objects ready in/
    )
    const cm = await kubectlJson<KubeObject>(['get', 'configmap', 'web-config', '-n', ns])
    expect((cm.data as Record<string, string>).GREETING).toBe('hello')
    expect((await history()).at(-1)).toEqual(
      expect.objectContaining({ revision: 5, status: 'deployed' })
    )
  }, 120_000)

  it('reports a release stuck in pending-upgrade with the command that frees it, and changes nothing', async () => {
    // A revision 6 as an upgrade a cancelled job leaves it: pending-upgrade, with 5 still deployed.
    const secrets = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'secrets',
      '-n',
      ns,
      '-l',
      'owner=helm,name=web'
    ])
    const newest = secrets.items.find(s => s.metadata.labels?.version === '5') as KubeObject
    const payload = Buffer.from(
      Buffer.from((newest.data as { release: string }).release, 'base64').toString(),
      'base64'
    )
    const rel = JSON.parse(gunzipSync(payload).toString()) as {
      version: number
      info: { status: string }
    }
    rel.version = 6
    rel.info.status = 'pending-upgrade'
    const encoded = Buffer.from(
      gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64')
    ).toString('base64')
    await kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: 'sh.helm.release.v1.web.v6',
          namespace: ns,
          labels: { ...newest.metadata.labels, version: '6', status: 'pending-upgrade' }
        },
        data: { release: encoded }
      })
    })
    const before = await history()
    expect(before[before.length - 1].status).toBe('pending-upgrade')

    await writeFile(join(dir, 'phase-gate.yaml'), plan('web-0.1.0'))
    const { report } = await runGate({ dir, gate: 'phase', phase: 'web', runId: 'helm-run-4' })
    const check = report.gates[0].checks[0]
    expect(report.gates[0].verdict).toBe('fail')
    expect(check.message).toMatch(/release web is stuck in pending-upgrade at revision 6/)
    expect(check.adjustment).toBe(
      `free it, then run the phase again: helm rollback web 5 --namespace ${ns}`
    )
    expect(await history()).toEqual(before)
  })

  it('uninstalls a failing first install (no earlier revision), objects gone, then runs its rollback command', async () => {
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      `version: 1
name: helmtest
target: {namespace: ${ns}}
phases:
  - name: fresh
    helm:
      release: fresh
      chart: charts/web-0.2.0
      values: {replicas: 1}
    timeout: 60s
    rollback:
      - helm: rollback
      - command: {run: [sh, -c, 'echo "undone $PHASE_GATE_PHASE of $PHASE_GATE_RUN_ID in $PHASE_GATE_NAMESPACE"']}
`
    )
    const { report } = await runGate({ dir, gate: 'phase', phase: 'fresh', runId: 'helm-run-5' })
    const gate = report.gates[0]
    expect(gate.verdict).toBe('fail')
    expect(gate.checks.find(c => c.kind === 'ready')?.verdict).toBe('fail')
    const rollbacks = gate.checks.filter(c => c.kind === 'rollback')
    expect(rollbacks.map(c => [c.target, c.verdict])).toEqual([
      ['fresh: helm', 'pass'],
      [expect.stringMatching(/^fresh: sh -c /), 'pass']
    ])
    expect(rollbacks[0].message).toMatch(
      /^rolled back in .* \(budget .*\): release fresh uninstalled \(it had no earlier revision\); 3 objects gone$/
    )
    expect(rollbacks[1].evidence).toContain(`undone fresh of helm-run-5 in ${ns}`)
    expect(gate.notes).toContain(
      'phase fresh failed (CrashLoopBackOff) and release fresh was rolled back'
    )
    // Nothing of the release is left: no release, no Deployment, no ConfigMap.
    await expect(helm('status', 'fresh')).rejects.toThrow(/not found/)
    const left = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'deployments,configmaps,services',
      '-n',
      ns,
      '-l',
      'phase-gate.dev/run=helm-run-5'
    ])
    expect(left.items.map(o => `${o.kind} ${o.metadata.name}`)).toEqual([])

    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    const rec = await new StateRecord(cluster, 'helmtest', ns).readPhase('helm-run-5', 'fresh')
    cluster.close()
    expect(rec?.status).toBe('rolled-back')
    expect(rec?.helm).toEqual({ release: 'fresh', namespace: ns, revisionAfter: 1 })
  }, 120_000)
})
