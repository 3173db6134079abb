// The approver's diff of a Helm phase against the local cluster and the real
// helm binary: the release is installed by a phase (replicas 2), then the plan
// asks for 3 replicas; the plan gate diffs the rendered release against the
// live objects: the Deployment's replicas line changes, the ConfigMap and the
// Service are unchanged.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { runGate, workspace } from '../rollout/engine-support.js'

const CHARTS = join(process.cwd(), '__tests__', 'fixtures', 'charts')

let ns: string
let dir: string

const plan = (replicas: number): string => `version: 1
name: helmdiff
target: {namespace: ${ns}}
phases:
  - name: web
    helm:
      release: web
      chart: charts/web-0.1.0
      values: {replicas: ${replicas}}
    timeout: 60s
`

beforeAll(async () => {
  ns = await createTestNamespace('plan-diff-helm')
  dir = await workspace({}, { charts: CHARTS })
  await writeFile(join(dir, 'phase-gate.yaml'), plan(2))
  const { report } = await runGate({ dir, gate: 'phase', phase: 'web', runId: 'helm-diff-1' })
  expect(report.gates[0].verdict).toBe('pass')
}, 180_000)

afterAll(async () => {
  if (ns) await deleteNamespace(ns)
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the plan gate diffs a Helm phase', () => {
  it('shows the rendered release against the live objects: only replicas changed', async () => {
    await writeFile(join(dir, 'phase-gate.yaml'), plan(3))
    const { report } = await runGate({ dir, gate: 'plan', runId: 'helm-diff-2' })
    const gate = report.gates[0]
    const check = gate.checks.find(c => c.kind === 'diff' && c.target === 'web')
    expect(check?.data).toEqual({
      new: [],
      changed: [`Deployment ${ns}/web`],
      unchanged: [`ConfigMap ${ns}/web-config`, `Service ${ns}/web`]
    })
    const phases = gate.details?.diff as { changes: { object: string; diff?: string[] }[] }[]
    const dep = phases[0].changes.find(c => c.object === `Deployment ${ns}/web`)
    expect(dep?.diff?.filter(l => /^[-+]/.test(l))).toEqual(['-  replicas: 2', '+  replicas: 3'])
    expect(String(gate.details?.diffMarkdown)).toContain(
      `<summary>Deployment ${ns}/web: 2 lines changed</summary>`
    )
  }, 120_000)
})
