// The plan gate attaches the runbook (what `phase-gate runbook` prints, with
// the earlier gates' findings) and the job summary folds it under the plan.
import { describe, expect, it } from '@jest/globals'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryLogger } from '../../src/core/log.js'
import { loadValidPlan, runEngine } from '../../src/engine.js'
import type { RunReport } from '../../src/report/model.js'
import { renderRunbook, runbookDate, runbookInput } from '../../src/report/runbook.js'
import { renderSummary } from '../../src/report/summary.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const planPath = join(root, 'examples/soak/phase-gate.yaml')

describe('the plan gate', () => {
  it('attaches the runbook with the reality check’s findings, and the summary folds it', async () => {
    const settings: Settings = {
      gate: 'plan',
      planPath,
      runId: 'r1',
      runIdGiven: true,
      kubeconfig: { kind: 'default' },
      dryRun: false,
      comment: false,
      workspace: root
    }
    const earlier: RunReport = {
      schemaVersion: 1,
      tool: { name: 'phase-gate', version: '0' },
      plan: 'storefront',
      planFile: 'examples/soak/phase-gate.yaml',
      runId: 'r1',
      target: { namespace: 'storefront-demo' },
      startedAt: '2025-06-01T12:00:00Z',
      finishedAt: '2025-06-01T12:01:00Z',
      verdict: 'warn',
      gates: [
        {
          gate: 'reality-check',
          verdict: 'warn',
          durationMs: 1,
          startedAt: '2025-06-01T12:00:00Z',
          checks: [
            {
              id: 'hygiene:x',
              kind: 'hygiene',
              target: 'Deployment storefront',
              verdict: 'warn',
              severity: 'medium',
              message: 'no livenessProbe',
              adjustment: 'add one',
              durationMs: 1
            }
          ]
        }
      ]
    }
    const { report } = await runEngine(settings, {
      log: memoryLogger(),
      connect: async () => new FakeCluster(),
      earlier: [earlier]
    })
    const gate = report.gates.find(g => g.gate === 'plan')
    const md = gate?.details?.runbookMarkdown
    const loaded = await loadValidPlan(settings)
    expect(md).toBe(
      renderRunbook(
        await runbookInput(loaded, { workspace: root, date: runbookDate(), reports: [earlier] })
      )
    )
    expect(md).toContain(
      '| reality-check | medium | hygiene Deployment storefront | no livenessProbe | add one |'
    )
    const summary = renderSummary(report)
    expect(summary).toContain('<details><summary>📖 The runbook (phase-gate runbook)</summary>')
    expect(summary).toContain('# Runbook: storefront')
  })
})
