import { describe, expect, it } from '@jest/globals'
import { renderSummary, renderFlowchart, SUMMARY_LIMIT_BYTES } from '../../src/report/summary.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { collectAnnotations } from '../../src/report/annotations.js'
import type { RunReport } from '../../src/report/model.js'

function report(): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'web',
    planFile: 'deploy/phase-gate.yaml',
    runId: 'r1',
    target: { context: 'staging', namespace: 'web' },
    startedAt: '2026-11-24T00:00:00.000Z',
    finishedAt: '2026-11-24T00:00:01.000Z',
    verdict: 'fail',
    gates: [
      {
        gate: 'reality-check',
        verdict: 'fail',
        durationMs: 812,
        budgetMs: 600_000,
        startedAt: '2026-11-24T00:00:00.000Z',
        checks: [
          {
            id: 'api:v1/ConfigMap',
            kind: 'api',
            target: 'v1/ConfigMap',
            verdict: 'pass',
            severity: 'info',
            message: 'served',
            durationMs: 1
          },
          {
            id: 'api:extensions/v1beta1/Ingress',
            kind: 'api',
            target: 'extensions/v1beta1/Ingress',
            verdict: 'fail',
            severity: 'high',
            message: 'Ingress is not served at extensions/v1beta1; served at networking.k8s.io/v1',
            evidence: 'served versions: v1 | pipe',
            adjustment: 'use networking.k8s.io/v1/Ingress',
            durationMs: 1,
            location: {
              file: 'deploy/phase-gate.yaml',
              line: 7,
              column: 9,
              path: 'assumptions.apis[1]'
            }
          },
          {
            id: 'namespace:web',
            kind: 'namespace',
            target: 'web',
            verdict: 'warn',
            severity: 'low',
            message: 'does not exist yet',
            durationMs: 1
          }
        ]
      }
    ]
  }
}

describe('renderSummary', () => {
  it('shows the headline, the flowchart, the gate table, the problems first and their details', () => {
    const md = renderSummary(report(), { reportPath: '/tmp/r.json' })
    expect(md).toContain('phase-gate: web → staging/web: fail')
    expect(md).toContain('```mermaid')
    expect(md).toMatch(/g0\["R reality-check<br\/>fail"\]:::fail/)
    expect(md).toContain('812ms / 10m00s')
    const failRow = md.indexOf('| ❌ | api | extensions/v1beta1/Ingress')
    const passRow = md.indexOf('| ✅ | api | v1/ConfigMap')
    expect(failRow).toBeGreaterThan(0)
    expect(failRow).toBeLessThan(passRow)
    expect(md).toContain('<details><summary>❌ <b>api</b> extensions/v1beta1/Ingress')
    expect(md).toContain('**What to do:** use networking.k8s.io/v1/Ingress')
    expect(md).toContain('`deploy/phase-gate.yaml:7`')
    // The evidence sits inside the check's <details>, not in the open page.
    const details = md.slice(md.indexOf('<details><summary>❌'), md.indexOf('</details>'))
    expect(details).toContain('```text\nserved versions: v1 | pipe\n```')
    expect(md.split('served versions: v1 | pipe')).toHaveLength(2)
  })
  it('folds evidence to stay under the size limit', () => {
    const r = report()
    r.gates[0].checks = Array.from({ length: 400 }, (_, i) => ({
      id: `x:${i}`,
      kind: 'x',
      target: `t${i}`,
      verdict: 'fail' as const,
      severity: 'high' as const,
      message: 'm',
      evidence: 'e'.repeat(5000),
      durationMs: 0
    }))
    const md = renderSummary(r)
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    expect(md).toContain('Evidence folded into the JSON report')
  })
  it('colours each flowchart node by verdict and chains them', () => {
    const r = report()
    r.gates.push({ gate: 'tracer', verdict: 'skip', durationMs: 0, startedAt: '', checks: [] })
    const chart = renderFlowchart(r.gates)
    expect(chart).toContain('g1["0 tracer<br/>skip"]:::skip')
    expect(chart).toContain('g0 --> g1')
  })
})

describe('the flowchart of a job that read the whole run', () => {
  it("draws the run's gates the record read before the record, each coloured by its verdict", () => {
    const r = report()
    r.gates = [
      {
        gate: 'record',
        verdict: 'pass',
        durationMs: 1,
        startedAt: '',
        checks: [],
        details: {
          flow: [
            { gate: 'reality-check', verdict: 'warn' },
            { gate: 'phase', name: 'web', verdict: 'pass' },
            { gate: 'rollout', name: 'partial', verdict: 'fail' },
            { gate: 'rollout', verdict: 'not-a-verdict' },
            'junk'
          ]
        }
      }
    ]
    const chart = renderFlowchart(r.gates)
    expect(chart.split('\n').filter(l => /^ {2}g\d/.test(l))).toEqual([
      '  g0["R reality-check<br/>warn"]:::warn',
      '  g1["I phase web<br/>pass"]:::pass',
      '  g0 --> g1',
      '  g2["S rollout partial<br/>fail"]:::fail',
      '  g1 --> g2',
      '  g3["V record<br/>pass"]:::pass',
      '  g2 --> g3'
    ])
  })
})

describe('the flowchart of a run of every gate in one report (the CLI)', () => {
  it('draws each gate once, where it ran, though the record read them too', () => {
    const r = report()
    r.gates.push({
      gate: 'record',
      verdict: 'pass',
      durationMs: 1,
      startedAt: '',
      checks: [],
      details: { flow: [{ gate: 'reality-check', verdict: 'fail' }] }
    })
    const nodes = renderFlowchart(r.gates)
      .split('\n')
      .filter(l => /^ {2}g\d+\[/.test(l))
    expect(nodes).toEqual([
      '  g0["R reality-check<br/>fail"]:::fail',
      '  g1["V record<br/>pass"]:::pass'
    ])
  })
})

describe('gate documents in the summary', () => {
  it('puts the plan and the deployment record under their gate', () => {
    const r = report()
    r.gates.push(
      {
        gate: 'plan',
        verdict: 'pass',
        durationMs: 1,
        startedAt: '',
        checks: [],
        details: { planMarkdown: '## Plan for approval\nphases: web' }
      },
      {
        gate: 'record',
        verdict: 'pass',
        durationMs: 1,
        startedAt: '',
        checks: [],
        details: { recordMarkdown: '## Deployment record\nweb: ghcr.io/x@sha256:abc' }
      }
    )
    const md = renderSummary(r)
    expect(md.indexOf('## Plan for approval')).toBeGreaterThan(md.indexOf('plan: pass'))
    expect(md.indexOf('## Deployment record')).toBeGreaterThan(md.indexOf('record: pass'))
    expect(md).toContain('web: ghcr.io/x@sha256:abc')
  })
})

describe('renderTerminal', () => {
  it('prints problems with evidence and what to do, not passes, and the exit code', () => {
    const text = renderTerminal(report(), { color: false })
    expect(text).toContain('✗ FAIL  reality-check')
    expect(text).toContain('extensions/v1beta1/Ingress: Ingress is not served')
    expect(text).toContain('(deploy/phase-gate.yaml:7)')
    expect(text).toContain('→ use networking.k8s.io/v1/Ingress')
    expect(text).not.toContain('v1/ConfigMap: served')
    expect(text).toContain('verdict: fail (exit 1)')
    expect(renderTerminal(report(), { color: true })).toContain('\x1b[31m')
  })
})

describe('collectAnnotations', () => {
  it('annotates failing checks at their plan line, errors before warnings', () => {
    const a = collectAnnotations(report())
    expect(a).toHaveLength(1)
    expect(a[0]).toMatchObject({
      level: 'error',
      file: 'deploy/phase-gate.yaml',
      line: 7,
      column: 9
    })
    expect(a[0].message).toContain('What to do: use networking.k8s.io/v1/Ingress')
  })
})
