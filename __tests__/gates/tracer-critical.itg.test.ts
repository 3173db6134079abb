// Tracer criticality against the real control plane: a crash-looping tracer
// marked `critical: false` makes the gate warn (and the plan gate lists it as
// a risk); the same tracer left critical (the default) fails the gate.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { runEngine } from '../../src/engine.js'
import { memoryLogger } from '../../src/core/log.js'
import { latestResults, risksFrom } from '../../src/gates/plan.js'
import type { Settings } from '../../src/settings.js'

let ns: string
let work: string

beforeAll(async () => {
  ns = await createTestNamespace('tracer-critical')
  work = mkdtempSync(join(tmpdir(), 'phase-gate-critical-'))
})
afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await deleteNamespace(ns)
})

function plan(name: string, critical: string): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1
name: ${name}
target: {namespace: ${ns}}
tracers:
  - name: crasher
    assumption: the sidecar starts
    manifest:
      inline: |
        apiVersion: v1
        kind: Pod
        metadata:
          name: ${name}-crasher
          labels: {phase-gate.test/simulate: crash-loop}
        spec: {containers: [{name: c, image: registry.invalid/web:1}]}
    success: {ready: true}
    timeout: 40s
${critical}`
  )
  return join(dir, 'phase-gate.yaml')
}

function settings(planPath: string): Settings {
  return {
    gate: 'tracer',
    planPath,
    runId: `t-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: work
  }
}

describe('tracer critical', () => {
  it('critical: false turns a crash-looping tracer into a warning the plan gate lists as a risk', async () => {
    const { report } = await runEngine(settings(plan('soft', '    critical: false\n')), {
      log: memoryLogger()
    })
    const [gate] = report.gates
    expect(gate.verdict).toBe('warn')
    expect(report.verdict).toBe('warn')
    const [c] = gate.checks
    expect(c.verdict).toBe('warn')
    expect(c.message).toMatch(/CrashLoopBackOff|crash/i)
    expect(c.message).toMatch(/not critical/)
    expect(c.data).toMatchObject({ critical: false, failed: true, cleanedUp: true })
    const { risks } = risksFrom(latestResults([report], ['tracer']))
    expect(risks).toEqual([
      expect.objectContaining({ gate: 'tracer', target: 'crasher', verdict: 'warn' })
    ])
  }, 90_000)

  it('the default (critical) fails the gate on the same tracer', async () => {
    const { report } = await runEngine(settings(plan('hard', '')), { log: memoryLogger() })
    expect(report.gates[0].verdict).toBe('fail')
    expect(report.gates[0].checks[0].verdict).toBe('fail')
  }, 90_000)
})
