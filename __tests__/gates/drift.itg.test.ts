// `phase-gate drift` against the real control plane: a phase applies two
// Deployments (server-side apply, field manager phase-gate); `kubectl scale`
// and `kubectl set env` change one of them; drift reports both fields on that
// one (replicas changed, the env entry extra) and no drift on the untouched
// one. With drift.failOn: any the same drift fails the gate (exit 1).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { main } from '../../src/cli/main.js'
import type { RunReport } from '../../src/report/model.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { runGate } from '../rollout/engine-support.js'

let ns: string
let dir: string

const deployment = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: registry.invalid/${name}:1.0
          env: [{name: MODE, value: calm}]
`

function writePlan(failOn?: string): void {
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1
name: drifttest
target: {namespace: ${ns}}
${failOn ? `drift: {failOn: ${failOn}}\n` : ''}phases:
  - name: app
    apply: [deploy.yaml]
    validate:
      - ready: {kind: Deployment, name: web}
      - ready: {kind: Deployment, name: idle}
    timeout: 60s
`
  )
}

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString()
      cb()
    }
  })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text }
}

async function drift(): Promise<{ code: number; report: RunReport; err: string }> {
  const out = sink()
  const err = sink()
  const code = await main(
    ['drift', 'phase-gate.yaml', '--kubeconfig', clusterEnv().kubeconfig, '--json'],
    { stdout: out.stream, stderr: err.stream, env: { NO_COLOR: '1' }, cwd: dir }
  )
  return { code, report: JSON.parse(out.text()) as RunReport, err: err.text() }
}

beforeAll(async () => {
  ns = await createTestNamespace('drift')
  dir = mkdtempSync(join(tmpdir(), 'phase-gate-drift-'))
  writeFileSync(join(dir, 'deploy.yaml'), `${deployment('web')}---\n${deployment('idle')}`)
  writePlan()
  const { report } = await runGate({ dir, gate: 'phase', runId: `drift-${Date.now()}` })
  expect(report.gates.map(g => [g.name, g.verdict])).toEqual([['app', 'pass']])
}, 120_000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await deleteNamespace(ns)
})

describe('phase-gate drift', () => {
  it('reports no drift right after the phase applied', async () => {
    const { code, report } = await drift()
    expect(code).toBe(0)
    expect(report.gates[0].gate).toBe('drift')
    expect(report.gates[0].verdict).toBe('pass')
    expect(report.gates[0].checks.map(c => [c.target, c.verdict])).toEqual([
      ['app: Deployment web', 'pass'],
      ['app: Deployment idle', 'pass']
    ])
  }, 60_000)

  it('after kubectl scale and kubectl set env: both fields on that object, nothing on the untouched one', async () => {
    await kubectl(['scale', 'deployment/web', '--replicas=5', '-n', ns])
    await kubectl(['set', 'env', 'deployment/web', 'FOO=bar', '-n', ns])
    const { code, report } = await drift()
    expect(code).toBe(0)
    const gate = report.gates[0]
    expect(gate.verdict).toBe('warn')
    const web = gate.checks.find(c => c.target === 'app: Deployment web')
    const idle = gate.checks.find(c => c.target === 'app: Deployment idle')
    expect(idle?.verdict).toBe('pass')
    expect(idle?.data).toMatchObject({ changed: [], missing: [], extra: [] })
    expect(web?.verdict).toBe('warn')
    const data = web?.data as {
      changed: { path: string; applied: unknown; live: unknown; managers: string[] }[]
      missing: unknown[]
      extra: { path: string; live: unknown; managers: string[] }[]
    }
    expect(data.changed).toEqual([
      expect.objectContaining({ path: 'spec.replicas', applied: 2, live: 5 })
    ])
    expect(data.changed[0].managers.join()).toMatch(/kubectl/)
    expect(data.missing).toEqual([])
    expect(data.extra).toEqual([
      expect.objectContaining({
        path: 'spec.template.spec.containers[name=app].env[name=FOO]',
        live: { name: 'FOO', value: 'bar' }
      })
    ])
    expect(web?.evidence).toMatch(/changed spec\.replicas: applied 2, live 5/)
    expect(web?.evidence).toMatch(
      /extra spec\.template\.spec\.containers\[name=app\]\.env\[name=FOO\]/
    )
  }, 60_000)

  it('with drift.failOn: any the same drift fails the gate (exit 1)', async () => {
    writePlan('any')
    const { code, report } = await drift()
    expect(code).toBe(1)
    expect(report.gates[0].verdict).toBe('fail')
    writePlan()
  }, 60_000)
})
