// The post step finishing a Helm phase a killed run left behind, with the
// real helm binary and the local cluster: an upgrade that landed goes back to
// the revision before the phase by `helm rollback` (verified), a first install
// is uninstalled, and a release helm left in pending-upgrade is reported
// with the command that frees it and left alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { finishInterruptedWork } from '../../src/action/post.js'
import { memoryLogger } from '../../src/core/log.js'
import { processExec } from '../../src/core/exec.js'
import { Helm } from '../../src/helm/helm.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'

const run = promisify(execFile)
const CHARTS = join(process.cwd(), '__tests__', 'fixtures', 'charts')
const PLAN = 'helm-post'

let ns: string
let cluster: KubeCluster

async function helm(...args: string[]): Promise<string> {
  const r = await run('helm', [...args, '--namespace', ns, '--kubeconfig', clusterEnv().kubeconfig])
  return r.stdout
}

async function history(release: string): Promise<[number, string, string][]> {
  const h = JSON.parse(await helm('history', release, '-o', 'json')) as {
    revision: number
    status: string
    chart: string
  }[]
  return h.map(x => [x.revision, x.status, x.chart])
}

/** A run killed while its Helm phase was applying: the state record as the phase gate wrote it. */
async function killedRun(runId: string, rel: NonNullable<PhaseRecord['helm']>): Promise<void> {
  await new StateRecord(cluster, PLAN, ns).writePhase({
    phase: 'web',
    runId,
    status: 'applying',
    startedAt: new Date().toISOString(),
    objects: [],
    helm: rel
  })
}

async function postStep(runId: string) {
  const log = memoryLogger()
  const out = await finishInterruptedWork({
    cluster,
    plan: PLAN,
    namespace: ns,
    runId,
    log,
    timeoutMs: 60_000,
    helm: namespace =>
      new Helm({ exec: processExec, namespace, kubeconfig: clusterEnv().kubeconfig })
  })
  const rec = await new StateRecord(cluster, PLAN, ns).readPhase(runId, 'web')
  return { out, status: rec?.status, lines: log.lines.join('\n') }
}

beforeAll(async () => {
  ns = await createTestNamespace('helm-post')
  cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
})
afterAll(async () => {
  cluster?.close()
  await deleteNamespace(ns)
})

describe('the post step after a killed Helm phase', () => {
  it('rolls an upgrade that landed back to the revision before the phase, verified', async () => {
    await helm('install', 'web', join(CHARTS, 'web-0.1.0'), '--set', 'replicas=1')
    // The killed run's upgrade: helm finished it (no --wait), the wait was cut short.
    await helm('upgrade', 'web', join(CHARTS, 'web-0.2.0'), '--set', 'replicas=1')
    await killedRun('hp-1', { release: 'web', namespace: ns, revisionBefore: 1, revisionAfter: 2 })

    const r = await postStep('hp-1')
    expect(r.out.problems).toEqual([])
    expect(r.out.phasesRolledBack).toEqual(['web'])
    expect(r.lines).toMatch(
      /post step: phase web rolled back: release web back on revision 1's chart web-0\.1\.0 \(now revision 3, deployed\), was revision 2 \(web-0\.2\.0\)/
    )
    expect(r.status).toBe('rolled-back')
    expect(await history('web')).toEqual([
      [1, 'superseded', 'web-0.1.0'],
      [2, 'superseded', 'web-0.2.0'],
      [3, 'deployed', 'web-0.1.0']
    ])
    const dep = await kubectlJson<KubeObject>(['get', 'deployment', 'web', '-n', ns])
    const spec = dep.spec as { template: { spec: { containers: { image: string }[] } } }
    expect(spec.template.spec.containers[0].image).toBe('registry.invalid/phase-gate/app:1.0')
  }, 120_000)

  it('reports a release helm left in pending-upgrade with the command that frees it, and touches nothing', async () => {
    // Revision 4 as a killed `helm upgrade` leaves it: pending-upgrade, 3 still deployed.
    const secrets = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'secrets',
      '-n',
      ns,
      '-l',
      'owner=helm,name=web'
    ])
    const newest = secrets.items.find(s => s.metadata.labels?.version === '3') as KubeObject
    const payload = Buffer.from(
      Buffer.from((newest.data as { release: string }).release, 'base64').toString(),
      'base64'
    )
    const rel = JSON.parse(gunzipSync(payload).toString()) as {
      version: number
      info: { status: string }
    }
    rel.version = 4
    rel.info.status = 'pending-upgrade'
    await kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: 'sh.helm.release.v1.web.v4',
          namespace: ns,
          labels: { ...newest.metadata.labels, version: '4', status: 'pending-upgrade' }
        },
        data: {
          release: Buffer.from(
            gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64')
          ).toString('base64')
        }
      })
    })
    await killedRun('hp-2', { release: 'web', namespace: ns, revisionBefore: 3 })
    const before = await history('web')

    const r = await postStep('hp-2')
    expect(r.out.phasesRolledBack).toEqual([])
    expect(r.out.problems).toHaveLength(1)
    expect(r.out.problems[0]).toMatch(
      /^post step: phase web of run hp-2 was interrupted inside helm: release web is stuck in pending-upgrade at revision 4 \(.*\); helm refuses another operation until it is freed; free it with: helm rollback web 3 --namespace /
    )
    expect(r.out.problems[0].endsWith(`helm rollback web 3 --namespace ${ns}`)).toBe(true)
    expect(r.status).toBe('failed')
    expect(await history('web')).toEqual(before)
  }, 120_000)

  it('uninstalls a first install, and its objects are gone', async () => {
    await helm('install', 'fresh', join(CHARTS, 'web-0.1.0'), '--set', 'replicas=1')
    const manifest = await helm('get', 'manifest', 'fresh')
    expect(manifest).toMatch(/kind: Deployment/)
    await killedRun('hp-3', { release: 'fresh', namespace: ns, revisionAfter: 1 })

    const r = await postStep('hp-3')
    expect(r.out.problems).toEqual([])
    expect(r.out.phasesRolledBack).toEqual(['web'])
    expect(r.lines).toMatch(/release fresh uninstalled \(a first install\); \d+ objects gone/)
    expect(r.status).toBe('rolled-back')
    await expect(helm('history', 'fresh')).rejects.toThrow(/not found/)
    const left = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'deployments,configmaps',
      '-n',
      ns,
      '-l',
      'app.kubernetes.io/instance=fresh'
    ])
    expect(left.items).toEqual([])
  }, 120_000)

  it('finds a release helm never changed unchanged, and undoes nothing', async () => {
    const before = await history('fresh').catch(() => [])
    expect(before).toEqual([])
    await killedRun('hp-4', { release: 'fresh', namespace: ns })
    const r = await postStep('hp-4')
    expect(r.out.problems).toEqual([])
    expect(r.lines).toMatch(/release fresh was never installed; nothing to undo/)
    expect(r.status).toBe('rolled-back')
  }, 60_000)
})
