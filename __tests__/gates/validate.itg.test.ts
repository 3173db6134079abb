// The validate gate against the real local control plane: a real phase apply
// through the engine, then the rollback test, which must list what the undo
// would delete, restore and keep, change nothing, and fail when the deploying
// identity may not delete.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { runEngine } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { CheckResult, GateResult } from '../../src/report/model.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { cliSettings, planDir, realDeps, type PlanDir } from './engine-env.js'

let ns: string
let pv: string
let plan: PlanDir

const manifests = (ns: string, pv: string): Record<string, string> => ({
  'deploy/app.yaml': `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: new}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keepme
  annotations: {phase-gate.dev/keep: "true"}
data: {note: stays}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual-${ns}
  volumeName: ${pv}
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.invalid/web:1}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`
})

const planText = (ns: string, extra = ''): string => `
version: 1
name: valid8
target: {namespace: ${ns}}
phases:
  - name: app
    apply: [deploy/app.yaml]
    timeout: 60s
    # The ConfigMap "settings" exists before, made by kubectl create: the phase takes its data.
    forceConflicts: true
validation:
  checks:
    - ready: {kind: Deployment, name: web}
    - tools: {kubectl: ">=1.20"}
${extra}`

beforeAll(async () => {
  ns = await createTestNamespace('validate')
  pv = `pv-${ns}`
  // A static volume the PVC binds to, so the phase's wait sees it Bound.
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pv, labels: { 'phase-gate.test/namespace': ns } },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: `manual-${ns}`,
        hostPath: { path: `/tmp/${pv}` },
        claimRef: { namespace: ns, name: 'data' }
      }
    })
  })
  // The ConfigMap exists before the deployment: the undo restores it.
  await kubectl(['-n', ns, 'create', 'configmap', 'settings', '--from-literal=mode=old'])
  plan = await planDir(planText(ns), manifests(ns, pv))
}, 60_000)

afterAll(async () => {
  await plan?.remove()
  if (ns) await deleteNamespace(ns)
  if (pv) await kubectl(['delete', 'pv', pv, '--ignore-not-found', '--wait=false'])
}, 60_000)

interface Fingerprint {
  uid: string
  resourceVersion: string
  generation?: number
}

async function fingerprints(): Promise<Record<string, Fingerprint>> {
  const out: Record<string, Fingerprint> = {}
  for (const r of [
    'configmap/settings',
    'configmap/keepme',
    'pvc/data',
    'deployment/web',
    'service/web'
  ]) {
    const o = await kubectlJson<{ metadata: Fingerprint }>(['-n', ns, 'get', r])
    out[r] = {
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      generation: o.metadata.generation
    }
  }
  return out
}

function only(gates: GateResult[], gate: string): GateResult {
  const g = gates.filter(x => x.gate === gate)
  expect(g).toHaveLength(1)
  return g[0]
}

function byId(g: GateResult, id: string): CheckResult {
  const c = g.checks.find(x => x.id === id)
  if (!c) throw new Error(`no check ${id} in ${g.checks.map(x => x.id).join(', ')}`)
  return c
}

describe('validate after a real phase apply', () => {
  const runId = `itg-${Date.now().toString(36)}`
  let before: Record<string, Fingerprint>

  beforeAll(async () => {
    const env = clusterEnv()
    const { report } = await runEngine(
      cliSettings(plan, env.kubeconfig, { gate: 'phase', runId }),
      realDeps()
    )
    const phase = only(report.gates, 'phase')
    expect(phase.checks.filter(c => c.verdict !== 'pass')).toEqual([])
    expect(phase.verdict).toBe('pass')
    // Let the controllers settle so the fingerprints are not racing the rollout.
    await kubectl(['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s'])
    before = await fingerprints()
  }, 120_000)

  it('lists what the undo would delete, restore and keep, changes nothing, and makes the deployment active', async () => {
    const env = clusterEnv()
    const { report } = await runEngine(
      cliSettings(plan, env.kubeconfig, { gate: 'validate', runId }),
      realDeps()
    )
    const v = only(report.gates, 'validate')
    expect(v.verdict).toBe('pass')
    expect(byId(v, 'ready:Deployment/web').verdict).toBe('pass')
    expect(byId(v, 'tools:kubectl').verdict).toBe('pass')

    const test = byId(v, 'rollbackTest:app')
    expect(test.verdict).toBe('pass')
    const data = test.data as {
      wouldDelete: string[]
      wouldRestore: string[]
      kept: string[]
      missing: string[]
      changed: string[]
    }
    expect(data.wouldDelete.sort()).toEqual([`Deployment ${ns}/web`, `Service ${ns}/web`])
    expect(data.wouldRestore).toEqual([`ConfigMap ${ns}/settings`])
    expect(data.kept.sort()).toEqual([`ConfigMap ${ns}/keepme`, `PersistentVolumeClaim ${ns}/data`])
    expect(data.missing).toEqual([])
    expect(data.changed).toEqual([])
    expect(test.message).toContain('would delete 2, restore 1, keep 2')

    // Nothing changed: same objects, same versions, the ConfigMap still holds the phase's value.
    expect(await fingerprints()).toEqual(before)
    const cm = await kubectlJson<{ data: Record<string, string> }>([
      '-n',
      ns,
      'get',
      'configmap',
      'settings'
    ])
    expect(cm.data).toEqual({ mode: 'new' })

    const cluster = await connectCluster({ kubeconfigPath: env.kubeconfig })
    try {
      const index = await new StateRecord(cluster, 'valid8', ns).readIndex()
      expect(index.state).toBe('active')
      expect(index.history.at(-1)).toMatchObject({ state: 'active', runId })
    } finally {
      cluster.close()
    }
  }, 120_000)

  it('without --run-id finds the newest run recorded in the namespace', async () => {
    const env = clusterEnv()
    const { report } = await runEngine(
      cliSettings(plan, env.kubeconfig, {
        gate: 'validate',
        runId: 'cli-fresh-id',
        runIdGiven: false
      }),
      realDeps()
    )
    const v = only(report.gates, 'validate')
    expect(v.details).toMatchObject({ runId, runSource: 'state-record' })
    expect(byId(v, 'rollbackTest:app').verdict).toBe('pass')
    expect(v.notes?.join('\n')).toContain(`run ${runId}`)
  }, 120_000)

  it('fails the rollback test when the deploying identity may not delete what the phase created', async () => {
    const env = clusterEnv()
    // A deployer that may do everything the apply needs, but not delete.
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name: 'no-delete', namespace: ns }
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'no-delete', namespace: ns },
            rules: [
              {
                apiGroups: ['', 'apps'],
                resources: ['*'],
                verbs: ['get', 'list', 'watch', 'create', 'update', 'patch']
              },
              // phase-gate's own lock on the plan and target.
              { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] }
            ]
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'no-delete', namespace: ns },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-delete' },
            subjects: [{ kind: 'ServiceAccount', name: 'no-delete', namespace: ns }]
          }
        ]
      })
    })
    const token = (
      await kubectl(['-n', ns, 'create', 'token', 'no-delete', '--duration=10m'])
    ).trim()
    const kubeconfig = join(plan.dir, 'no-delete.kubeconfig')
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'local', cluster: { server: env.apiserver, 'certificate-authority': env.caFile } }
        ],
        users: [{ name: 'no-delete', user: { token } }],
        contexts: [
          { name: 'no-delete', context: { cluster: 'local', user: 'no-delete', namespace: ns } }
        ],
        'current-context': 'no-delete'
      })
    )
    const cm = await fingerprints()
    const { report } = await runEngine(
      cliSettings(plan, kubeconfig, { gate: 'validate', runId }),
      realDeps()
    )
    const v = only(report.gates, 'validate')
    expect(v.verdict).toBe('fail')
    const test = byId(v, 'rollbackTest:app')
    expect(test.verdict).toBe('fail')
    const refused = (test.data as { refused: { object: string; message: string }[] }).refused
    expect(refused.map(r => r.object).sort()).toEqual([`Deployment ${ns}/web`, `Service ${ns}/web`])
    expect(refused[0].message).toMatch(/forbidden/i)
    expect(test.adjustment).toContain('delete')
    // The restore needs only update, which it has: it is not among the refusals.
    expect((test.data as { wouldRestore: string[] }).wouldRestore).toEqual([
      `ConfigMap ${ns}/settings`
    ])
    expect(await fingerprints()).toEqual(cm)
  }, 120_000)
})

describe('validate after a real Helm phase', () => {
  let helmPlan: PlanDir
  const runId = `itg-helm-${Date.now().toString(36)}`
  const chart = {
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'replicas: 1\n',
    'charts/api/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers: [{name: api, image: registry.invalid/api:1}]
`
  }
  const helmPlanText = (replicas: number): string => `
version: 1
name: helmy
target: {namespace: ${ns}}
phases:
  - name: api
    helm: {release: api, chart: ./charts/api, values: {replicas: ${replicas}}}
    timeout: 60s
`
  const history = async (): Promise<{ revision: number; status: string }[]> =>
    JSON.parse(await helmCli(['history', 'api', '--namespace', ns, '-o', 'json'])) as {
      revision: number
      status: string
    }[]

  beforeAll(async () => {
    helmPlan = await planDir(helmPlanText(1), chart)
  })
  afterAll(() => helmPlan?.remove())

  it('proves a first install can be uninstalled, and an upgrade rolled back, without doing either', async () => {
    const env = clusterEnv()
    const phase1 = await runEngine(
      cliSettings(helmPlan, env.kubeconfig, { gate: 'phase', runId }),
      realDeps()
    )
    expect(only(phase1.report.gates, 'phase').verdict).toBe('pass')

    const v1 = only(
      (
        await runEngine(
          cliSettings(helmPlan, env.kubeconfig, { gate: 'validate', runId }),
          realDeps()
        )
      ).report.gates,
      'validate'
    )
    const uninstall = byId(v1, 'rollbackTest:api: helm api')
    expect(uninstall.verdict).toBe('pass')
    expect(uninstall.message).toMatch(
      /^helm would uninstall release api \(it was new in this run\)/
    )
    expect(await history()).toEqual([expect.objectContaining({ revision: 1, status: 'deployed' })])

    // An upgrade of the same run: the undo is a rollback to revision 1.
    await helmPlan.write('phase-gate.yaml', helmPlanText(2))
    const runId2 = `${runId}-2`
    expect(
      only(
        (
          await runEngine(
            cliSettings(helmPlan, env.kubeconfig, { gate: 'phase', runId: runId2 }),
            realDeps()
          )
        ).report.gates,
        'phase'
      ).verdict
    ).toBe('pass')
    const v2 = only(
      (
        await runEngine(
          cliSettings(helmPlan, env.kubeconfig, { gate: 'validate', runId: runId2 }),
          realDeps()
        )
      ).report.gates,
      'validate'
    )
    const rollback = byId(v2, 'rollbackTest:api: helm api')
    expect(rollback.verdict).toBe('pass')
    expect(rollback.message).toMatch(/^helm would roll release api back to revision 1/)
    expect(rollback.data).toMatchObject({ revisionBefore: 1, revisionAfter: 2 })
    // Nothing was rolled back or uninstalled: revision 2 is still the deployed one.
    expect((await history()).map(h => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed']
    ])
    expect(v2.verdict).toBe('pass')
  }, 180_000)
})

function helmCli(args: string[]): Promise<string> {
  const env = clusterEnv()
  return new Promise((resolve, reject) => {
    execFile(
      join(dirname(env.kubectl), 'helm'),
      [...args, '--kubeconfig', env.kubeconfig],
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`helm ${args.join(' ')}: ${stderr || err.message}`))
          : resolve(stdout)
    )
  })
}
