// Last known-good without a soak, on the real control plane: a run that
// passes validation records its workloads' images and revisions as the last
// known-good when the plan has no soak; with a soak, validation leaves it to
// the soak's `stable`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord, type StateIndex } from '../../src/lifecycle/record.js'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { runGate } from '../rollout/engine-support.js'

let ns: string
let dir: string

function writePlan(name: string, soak: boolean): void {
  writeFileSync(
    join(dir, `${name}.yaml`),
    `version: 1
name: ${name}
target: {namespace: ${ns}}
phases:
  - name: app
    apply: [deploy-${name}.yaml]
    validate:
      - ready: {kind: Deployment, name: ${name}}
    timeout: 60s
validation:
  checks:
    - ready: {kind: Deployment, name: ${name}}
${soak ? 'soak: {window: 10m}\n' : ''}`
  )
  writeFileSync(
    join(dir, `deploy-${name}.yaml`),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: 'registry.invalid/${name}:3.1'}]}
`
  )
}

async function index(plan: string): Promise<StateIndex> {
  const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  try {
    return await new StateRecord(cluster, plan, ns).readIndex()
  } finally {
    cluster.close()
  }
}

async function deployAndValidate(plan: string, runId: string): Promise<void> {
  for (const gate of ['phase', 'validate'] as const) {
    const { report } = await runGate({ dir, plan: `${plan}.yaml`, gate, runId })
    expect(report.gates.map(g => [g.gate, g.verdict])).toEqual([[gate, 'pass']])
  }
}

beforeAll(async () => {
  ns = await createTestNamespace('known-good')
  dir = mkdtempSync(join(tmpdir(), 'phase-gate-lkg-'))
}, 60_000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await deleteNamespace(ns)
})

describe('last known-good', () => {
  it('without a soak: validation records the images and revisions', async () => {
    writePlan('nosoak', false)
    const runId = `lkg-${Date.now()}`
    await deployAndValidate('nosoak', runId)
    const ix = await index('nosoak')
    expect(ix.state).toBe('active')
    expect(ix.lastKnownGood).toMatchObject({
      runId,
      images: { 'Deployment/nosoak': 'registry.invalid/nosoak:3.1' },
      revisions: { 'Deployment/nosoak': '1' }
    })
  }, 120_000)

  it('with a soak: validation leaves the last known-good to the soak', async () => {
    writePlan('withsoak', true)
    await deployAndValidate('withsoak', `lkg-soak-${Date.now()}`)
    const ix = await index('withsoak')
    expect(ix.state).toBe('active')
    expect(ix.lastKnownGood).toBeUndefined()
  }, 120_000)
})
