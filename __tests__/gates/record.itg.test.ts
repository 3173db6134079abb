// The record gate from real reports: reality check, tracers, a phase that
// fails and is rolled back, the same phase fixed, validation, each run
// through the engine against the local cluster and its report written to a
// directory as CI's artifacts would be; then the record gate reads that
// directory and the live cluster.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runEngine } from '../../src/engine.js'
import type { GateSelection } from '../../src/settings.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import type { DeploymentRecord } from '../../src/report/record.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { cliSettings, planDir, realDeps, type PlanDir } from './engine-env.js'

const SECRET_VALUE = 's3cr3t-Value-never-in-a-record'

let ns: string
let plan: PlanDir
let reportsDir: string
let image: string
let n = 0
const runId = `rec-${Date.now().toString(36)}`

function planText(ns: string, registry: string): string {
  return `
version: 1
name: recorded
owners: ['@ops']
ticket: OPS-42
target: {namespace: ${ns}}
registries: {insecure: ['${registry}']}
assumptions:
  apis: [apps/v1/Deployment, v1/Service, gateway.networking.k8s.io/v1/HTTPRoute]
  images: ['${registry}/phase-gate/app:1.0']
tracers:
  - name: config-ok
    assumption: ConfigMaps keep their data here
    manifest:
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: tracer-config}
        data: {probe: ok}
    success: {cel: 'object.data.probe == "ok"'}
    timeout: 20s
  - name: pull-private
    assumption: nodes pull from the private mirror
    manifest:
      inline: |
        apiVersion: v1
        kind: Pod
        metadata:
          name: tracer-pull
          labels: {phase-gate.test/simulate: image-pull-failure}
        spec:
          containers: [{name: app, image: ${registry}/phase-gate/private:9}]
    success: {ready: true}
    timeout: 30s
phases:
  - name: app
    apply: [deploy/app.yaml]
    timeout: 60s
    validate:
      - command: {run: [sh, -c, 'test -f ready.flag'], expect: {exitCode: 0}}
validation:
  checks:
    - ready: {kind: Deployment, name: web}
`
}

function manifests(image: string): Record<string, string> {
  return {
    'deploy/app.yaml': `
apiVersion: v1
kind: Secret
metadata: {name: db-creds}
stringData: {password: ${SECRET_VALUE}, user: app}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: extra}
data: {a: b}
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
      containers:
        - name: web
          image: ${image}
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db-creds, key: password}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls: [{hosts: [web.example.test], secretName: web-tls}]
  rules:
    - host: web.example.test
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: public}]
  hostnames: [app.example.test]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: web, port: 80}]
`
  }
}

async function run(
  gate: GateSelection,
  extra: Partial<Parameters<typeof cliSettings>[2]> = {}
): Promise<RunReport> {
  const { report } = await runEngine(
    cliSettings(plan, clusterEnv().kubeconfig, { gate, runId, ...extra }),
    realDeps()
  )
  // What CI's jobs upload as artifacts and the record job downloads, one directory per artifact.
  const dir = join(reportsDir, `${String(++n).padStart(2, '0')}-${gate}`)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2))
  return report
}

function gate(report: RunReport, name: string): GateResult {
  const g = report.gates.find(x => x.gate === name)
  if (!g) throw new Error(`no ${name} gate in ${report.gates.map(x => x.gate).join(', ')}`)
  return g
}

function recordOf(report: RunReport): {
  record: DeploymentRecord
  markdown: string
  gate: GateResult
} {
  const g = gate(report, 'record')
  return {
    record: g.details?.record as DeploymentRecord,
    markdown: g.details?.recordMarkdown as string,
    gate: g
  }
}

beforeAll(async () => {
  const env = clusterEnv()
  ns = await createTestNamespace('record')
  image = `${env.registry}/phase-gate/app:1.0`
  plan = await planDir(planText(ns, env.registry), manifests(image))
  reportsDir = join(plan.dir, 'reports')
}, 60_000)

afterAll(async () => {
  await plan?.remove()
  if (ns) await deleteNamespace(ns)
}, 60_000)

describe('record gate from real reports', () => {
  it('records a failed, rolled-back deployment as an incident', async () => {
    const rc = await run('reality-check')
    expect(
      gate(rc, 'reality-check').checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')
    ).toEqual([])
    const tracer = await run('tracer')
    expect(gate(tracer, 'tracer').checks.map(c => [c.target, c.verdict])).toEqual([
      ['config-ok', 'pass'],
      ['pull-private', 'fail']
    ])
    const phase = await run('phase')
    expect(gate(phase, 'phase').verdict).toBe('fail')

    const { record, markdown, gate: g } = recordOf(await run('record', { reportsDir }))
    expect(g.verdict).toBe('pass')
    expect(record.state.reached).toBe('previous-stable')
    expect(record.outcome).toBe('fail')
    expect(record.phases.map(p => [p.name, p.status])).toEqual([['app', 'rolled-back']])
    // Everything the phase created is gone again.
    expect(record.phases[0].objects.filter(o => o.created).map(o => o.status)).toEqual(
      Array(6).fill('NotFound')
    )
    expect(record.workloads).toEqual([])
    expect(record.retrospective.rollbacks).toEqual([
      expect.objectContaining({ gate: 'phase', unit: 'app', verdict: 'pass' })
    ])
    expect(record.knownIssues.map(i => [i.checkId, i.verdict])).toEqual(
      expect.arrayContaining([
        ['command:sh -c test -f ready.flag', 'fail'],
        ['tracer:pull-private', 'fail']
      ])
    )
    expect(record.incident?.status).toBe('recovered')
    expect(markdown).toContain('**previous stable (rolled back)**')
    expect(markdown).toContain('## Incident')
    expect(markdown).not.toContain(SECRET_VALUE)
  }, 180_000)

  it('records the fixed deployment: objects, digests, access, operations, credentials, known issues and the retrospective', async () => {
    const env = clusterEnv()
    await plan.write('ready.flag', 'ok\n')
    expect(gate(await run('phase'), 'phase').verdict).toBe('pass')
    await kubectl(['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s'])
    // Removed behind phase-gate's back: the rollback test warns, and the warning is a known issue.
    await kubectl(['-n', ns, 'delete', 'configmap', 'extra'])
    const validate = gate(await run('validate'), 'validate')
    expect(validate.verdict).toBe('warn')

    const outDir = join(plan.dir, 'out')
    const report = await run('record', { reportsDir, reportPath: join(outDir, 'report.json') })
    const { record, markdown, gate: g } = recordOf(report)
    expect(g.verdict).toBe('pass')
    expect(record.state.reached).toBe('active')
    expect(record.state.current).toBe('active')
    expect(record.runId).toBe(runId)
    expect(record.target).toMatchObject({
      namespace: ns,
      context: 'phase-gate-admin',
      server: env.apiserver
    })
    expect(record.ticket).toBe('OPS-42')
    expect(record.version.label).toBe('app:1.0')
    expect(record.deployedAt).toEqual(expect.any(String))

    // What was deployed, live.
    const objects = Object.fromEntries(
      record.phases[0].objects.map(o => [`${o.kind}/${o.name}`, o.status])
    )
    expect(objects).toEqual({
      'Secret/db-creds': 'Current',
      'ConfigMap/extra': 'NotFound',
      'Deployment/web': 'Current',
      'Service/web': 'Current',
      'Ingress/web': 'Current',
      'HTTPRoute/web': expect.any(String)
    })
    expect(record.workloads).toHaveLength(1)
    const web = record.workloads[0]
    expect(web).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      namespace: ns,
      status: 'Current',
      replicas: { desired: 2, ready: 2 }
    })
    // kwok reports no imageID: the digest is the one the registry gave the reality check.
    expect(web.images).toEqual([
      {
        container: 'web',
        image,
        digest: env.images['phase-gate/app:1.0'].digest,
        digestSource: 'reality-check'
      }
    ])
    expect(web.commands).toEqual({
      health: `kubectl -n ${ns} rollout status deploy/web`,
      logs: `kubectl -n ${ns} logs deploy/web --tail=100`,
      restart: `kubectl -n ${ns} rollout restart deploy/web`,
      rollback: `kubectl -n ${ns} rollout undo deploy/web`
    })

    // Access points.
    const access = Object.fromEntries(record.access.map(a => [a.kind, a]))
    expect(access.Service).toMatchObject({
      type: 'ClusterIP',
      urls: [`web.${ns}.svc.cluster.local:80`],
      ports: ['http 80/TCP → 8080']
    })
    expect(access.Ingress).toMatchObject({
      hosts: ['web.example.test'],
      paths: ['/'],
      urls: ['https://web.example.test/'],
      backends: ['web']
    })
    expect(access.HTTPRoute).toMatchObject({
      hosts: ['app.example.test'],
      paths: ['/api'],
      backends: ['web'],
      type: `via ${ns}/public`
    })
    expect(record.architecture).toEqual(
      expect.arrayContaining([
        { from: 'Service web', to: 'Deployment web' },
        { from: 'Ingress web', to: 'Service web' },
        { from: 'HTTPRoute web', to: 'Service web' }
      ])
    )

    // Credentials by reference, never by value.
    expect(record.credentials).toEqual([
      {
        secret: 'db-creds',
        namespace: ns,
        keys: ['password', 'user'],
        usedBy: ['Deployment web: env DB_PASSWORD (container web)', 'applied in phase app']
      }
    ])

    // Known issues: the rollback test's warning with its workaround, and the failed tracer.
    const issues = Object.fromEntries(record.knownIssues.map(i => [i.checkId, i]))
    expect(issues['rollbackTest:app']).toMatchObject({
      verdict: 'warn',
      workaround: expect.stringContaining('outside phase-gate')
    })
    expect(issues['tracer:pull-private']).toMatchObject({ verdict: 'fail' })
    // Fixed since: no longer an issue.
    expect(issues['command:sh -c test -f ready.flag']).toBeUndefined()

    // The retrospective.
    const retro = record.retrospective
    expect(retro.fixed).toEqual([
      expect.objectContaining({
        gate: 'phase',
        unit: 'app',
        checkId: 'command:sh -c test -f ready.flag',
        failed: expect.objectContaining({ verdict: 'fail' })
      })
    ])
    expect(retro.rollbacks).toHaveLength(1)
    expect(retro.tracers.map(t => [t.bullet, t.verdict, t.assumption])).toEqual([
      ['config-ok', 'pass', 'ConfigMaps keep their data here'],
      ['pull-private', 'fail', 'nodes pull from the private mirror']
    ])
    expect(retro.times.map(t => t.gate)).toEqual([
      'reality-check',
      'tracer',
      'phase',
      'phase',
      'validate'
    ])
    expect(retro.times.every(t => t.budgetMs !== undefined)).toBe(true)
    expect(retro.divergences.join('\n')).toContain('failed (')

    // Markdown and the files beside --report.
    for (const text of [
      '# Deployment record: recorded app:1.0',
      '**active (validated)**',
      `kubectl -n ${ns} rollout undo deploy/web`,
      'https://web.example.test/',
      `\`${ns}/db-creds\``,
      env.images['phase-gate/app:1.0'].digest,
      '## Retrospective',
      '### Tracer bullets'
    ])
      expect(markdown).toContain(text)
    expect(await readFile(join(outDir, 'record.md'), 'utf8')).toBe(markdown)
    if (process.env.DUMP_RECORD) await writeFile(process.env.DUMP_RECORD, markdown)
    const json = await readFile(join(outDir, 'record.json'), 'utf8')
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(record)))
    for (const text of [markdown, json, JSON.stringify(report)]) {
      expect(text).not.toContain(SECRET_VALUE)
      expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'))
    }
    // The record changed nothing: the state is still what validate left.
    expect(record.sources.reports).toHaveLength(6)
  }, 180_000)
})
