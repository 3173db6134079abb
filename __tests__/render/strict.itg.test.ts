// Strict fields, the server's warnings, field-manager conflicts and a Helm
// version pin, against the real apiserver (and the real helm): the reality
// check names a misspelt field with its file and line, turns Warning headers
// into warn findings naming the object, names a conflict's manager and field
// (and with forceConflicts: true the phase takes the field), and fails a Helm
// phase whose pinned version its local chart does not have.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import type { CheckResult, GateResult } from '../../src/report/model.js'
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

beforeAll(async () => {
  ns = await createTestNamespace('strict')
  work = mkdtempSync(join(tmpdir(), 'pg-strict-'))
}, 60_000)
afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
}, 60_000)

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

async function run(planPath: string, over: Partial<Settings> = {}): Promise<GateResult[]> {
  const s: Settings = {
    gate: 'reality-check',
    planPath,
    runId: `s-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: true,
    comment: false,
    workspace: work,
    ...over
  }
  const { report } = await runEngine(s, { log: memoryLogger() })
  return report.gates
}

const admission = (g: GateResult[]): CheckResult[] =>
  g[0].checks.filter(c => c.kind === 'admission')

const deployment = (name: string, replicas: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: web, image: registry.invalid/web:1}]
`

describe('strict field validation', () => {
  it('fails the reality check for a misspelt field, naming the field, the file and the line', async () => {
    const plan = writePlan('misspelt', 'assumptions:\n  manifests: [deploy/web.yaml]\n', {
      'deploy/web.yaml': `# the web tier\n${deployment('web', 'replicsa: 2')}`
    })
    const [a] = admission(await run(plan))
    expect(a.verdict).toBe('fail')
    expect(a.message).toContain('spec.replicsa')
    expect(a.message).toContain('misspelt/deploy/web.yaml:7')
    expect(a.evidence).toMatch(/replicsa/)
    expect(a.location).toMatchObject({ file: 'misspelt/deploy/web.yaml', line: 7 })
  }, 60_000)

  it('is asked for on every write, not only server-side apply (create, replace, merge patch decode JSON leniently otherwise)', async () => {
    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    try {
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'strict-create', namespace: ns },
        dataa: { a: 'b' }
      }
      await expect(cluster.create(cm, { dryRun: true })).rejects.toThrow(/unknown field "dataa"/)
      await expect(
        cluster.mergePatch(
          { apiVersion: 'v1', kind: 'Namespace', name: ns },
          { metadata: { labelz: { a: 'b' } } },
          { dryRun: true }
        )
      ).rejects.toThrow(/unknown field "metadata.labelz"/)
    } finally {
      cluster.close()
    }
  }, 60_000)
})

describe("the server's warnings", () => {
  it('become warn findings naming the object', async () => {
    const plan = writePlan('warned', 'assumptions:\n  manifests: [pod.yaml]\n', {
      'pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: warned}\nspec:\n  nodeSelector: {beta.kubernetes.io/arch: amd64}\n  containers: [{name: web, image: registry.invalid/web:1}]\n'
    })
    const [a] = admission(await run(plan))
    expect(a.verdict).toBe('warn')
    expect(a.target).toBe(`Pod ${ns}/warned`)
    expect(a.message).toMatch(
      /Pod warned \(warned\/pod\.yaml:1\) is accepted by admission, but the API server warns: spec\.nodeSelector\[beta\.kubernetes\.io\/arch\]: deprecated since v1\.14/
    )
  }, 60_000)
})

describe('fields another field manager owns', () => {
  const body = (force: boolean) => `assumptions:\n  manifests: [web.yaml]
phases:
  - name: web
    apply: [web.yaml]
    timeout: 60s${force ? '\n    forceConflicts: true' : ''}
`
  beforeAll(async () => {
    await kubectl(['apply', '--server-side', '--field-manager=autoscaler-standin', '-f', '-'], {
      namespace: ns,
      input: deployment('scaled', 'replicas: 3')
    })
  }, 60_000)

  it('are a conflict the reality check names with the manager; forceConflicts: true takes the field', async () => {
    const files = { 'web.yaml': deployment('scaled', 'replicas: 2') }
    const [a] = admission(await run(writePlan('conflict', body(false), files)))
    expect(a.verdict).toBe('fail')
    expect(a.message).toMatch(/\.spec\.replicas is owned by "autoscaler-standin"/)
    expect(a.adjustment).toMatch(/leave \.spec\.replicas out of the manifest.*forceConflicts: true/)

    // The phase without force refuses too, and changes nothing.
    const [phase] = await run(writePlan('conflict', body(false), files), {
      gate: 'phase',
      dryRun: false
    })
    expect(phase.verdict).toBe('fail')
    expect(phase.checks.map(c => c.message).join('\n')).toMatch(/autoscaler-standin/)
    const before = await kubectlJson<{ spec: { replicas: number } }>([
      'get',
      'deployment',
      'scaled',
      '-n',
      ns
    ])
    expect(before.spec.replicas).toBe(3)

    const forced = writePlan('forced', body(true), files)
    const [b] = admission(await run(forced))
    expect(b.verdict).toBe('pass')
    const [applied] = await run(forced, { gate: 'phase', dryRun: false })
    expect(applied.verdict).toBe('pass')
    const live = await kubectlJson<{
      spec: { replicas: number }
      metadata: {
        managedFields: { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[]
      }
    }>(['get', 'deployment', 'scaled', '-n', ns, '--show-managed-fields'])
    expect(live.spec.replicas).toBe(2)
    const owner = live.metadata.managedFields.find(f => f.fieldsV1?.['f:spec']?.['f:replicas'])
    expect(owner?.manager).toBe('phase-gate')
  }, 180_000)
})

describe('a Helm phase version pin', () => {
  it('fails the reality check naming both versions when the local chart has another', async () => {
    const dir = join(work, 'pinned')
    mkdirSync(dir, { recursive: true })
    cpSync(resolve(import.meta.dirname, '../fixtures/charts/web-0.1.0'), join(dir, 'chart'), {
      recursive: true
    })
    const plan = writePlan(
      'pinned',
      'phases:\n  - name: web\n    helm: {release: web, chart: ./chart, version: 0.2.0}\n'
    )
    const [gate] = await run(plan)
    const c = gate.checks.find(x => x.kind === 'helm' && x.target === 'version web')
    expect(c?.verdict).toBe('fail')
    expect(c?.message).toMatch(
      /pins chart version 0\.2\.0, but the local chart .* is version 0\.1\.0/
    )
    expect(gate.verdict).toBe('fail')

    const right = writePlan(
      'pinned',
      'phases:\n  - name: web\n    helm: {release: web, chart: ./chart, version: 0.1.0}\n'
    )
    const [ok] = await run(right)
    expect(ok.checks.find(x => x.target === 'version web')).toBeUndefined()
  }, 120_000)
})
