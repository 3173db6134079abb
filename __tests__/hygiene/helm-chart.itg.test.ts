// examples/helm-hygiene through the reality check on the local cluster with
// the real helm: the rendered chart's hygiene finding (image tag latest) and
// its admission rejection (a PodDisruptionBudget with both bounds, refused by
// the API server's validation) are both reported against the chart template.
// With the values fixed, both pass (and the image check finds the tag).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import { memoryLogger } from '../../src/core/log.js'
import type { CheckResult, GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'

const EXAMPLE = join(process.cwd(), 'examples', 'helm-hygiene')
let ns: string
let work: string

beforeAll(async () => {
  ns = await createTestNamespace('helm-hygiene')
  work = mkdtempSync(join(tmpdir(), 'phase-gate-helm-hygiene-'))
})
afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await deleteNamespace(ns)
})

async function realityCheck(planPath: string, workspace: string): Promise<GateResult> {
  const settings: Settings = {
    gate: 'reality-check',
    planPath,
    namespace: ns,
    runId: `helm-hygiene-${Date.now()}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace,
    // The chart's images resolve on the local registry.
    mirrors: { 'ghcr.io': clusterEnv().registry }
  }
  const log = memoryLogger()
  const { report } = await runEngine(settings, { log, ...productionDeps(settings, log) })
  expect(report.gates.map(g => g.gate)).toEqual(['reality-check'])
  return report.gates[0]
}

const find = (gate: GateResult, kind: string, target: string): CheckResult | undefined =>
  gate.checks.find(c => c.kind === kind && c.target === target)

describe('a Helm chart in the reality check', () => {
  it('reports the rendered hygiene finding and admission rejection against the templates', async () => {
    const gate = await realityCheck(join(EXAMPLE, 'phase-gate.yaml'), process.cwd())
    expect(gate.verdict).toBe('fail')
    expect(find(gate, 'helm', 'lint shop')?.verdict).toBe('pass')
    expect(find(gate, 'helm', 'template shop')).toMatchObject({
      verdict: 'pass',
      data: { objects: 3 }
    })

    const tag = find(gate, 'hygiene', 'image-tag Deployment shop')
    expect(tag).toMatchObject({
      verdict: 'fail',
      location: { file: 'examples/helm-hygiene/chart/templates/deployment.yaml', line: 2 },
      data: { template: 'shop/templates/deployment.yaml' }
    })
    expect(tag?.message).toBe(
      'Deployment shop (examples/helm-hygiene/chart/templates/deployment.yaml:2): images without a fixed tag: web (ghcr.io/phase-gate/app:latest)'
    )
    // The plan ignores image-digest with a reason; the report shows it.
    expect(find(gate, 'hygiene', 'image-digest Deployment shop')).toMatchObject({
      verdict: 'skip',
      data: { reason: 'tags are immutable in our registry (tag immutability is on)' }
    })

    const pdb = gate.checks.find(
      c => c.kind === 'admission' && c.target.startsWith('PodDisruptionBudget')
    )
    expect(pdb).toMatchObject({
      verdict: 'fail',
      location: { file: 'examples/helm-hygiene/chart/templates/pdb.yaml', line: 3 },
      data: { status: 422, cause: 'schema validation' }
    })
    expect(pdb?.evidence).toMatch(/minAvailable and maxUnavailable cannot be both set/)
    const deploy = gate.checks.find(
      c => c.kind === 'admission' && c.target.startsWith('Deployment')
    )
    expect(deploy).toMatchObject({
      verdict: 'pass',
      location: { file: 'examples/helm-hygiene/chart/templates/deployment.yaml' }
    })
    // Divergence sees the rendered apiVersions too.
    expect(find(gate, 'divergence', 'apiVersion policy/v1 PodDisruptionBudget')?.verdict).toBe(
      'pass'
    )
  }, 120_000)

  it('passes both once the values are fixed', async () => {
    cpSync(EXAMPLE, join(work, 'example'), { recursive: true })
    const planPath = join(work, 'example', 'phase-gate.yaml')
    const fixed = readFileSync(planPath, 'utf8').replace(
      'pdb: {minAvailable: 1}',
      "pdb: {minAvailable: 1, maxUnavailable: null}\n        image: {tag: '2.0'}"
    )
    writeFileSync(planPath, fixed)
    const gate = await realityCheck(planPath, work)
    expect(gate.checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')).toEqual([])
    expect(find(gate, 'hygiene', 'image-tag Deployment shop')).toBeUndefined()
    expect(gate.checks.filter(c => c.kind === 'image').map(c => [c.target, c.verdict])).toEqual([
      ['ghcr.io/phase-gate/app:2.0', 'pass']
    ])
    expect(
      gate.checks.find(c => c.kind === 'admission' && c.target.startsWith('PodDisruptionBudget'))
    ).toMatchObject({
      verdict: 'pass',
      location: { file: 'example/chart/templates/pdb.yaml' }
    })
  }, 120_000)
})
