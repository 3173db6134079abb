// Which events a finished run implies, gate by gate.
import { describe, expect, it } from '@jest/globals'
import { eventsFromReport } from '../../src/notify/report-events.js'
import type { CheckResult, GateResult, RunReport } from '../../src/report/model.js'

function check(
  kind: string,
  verdict: CheckResult['verdict'],
  message: string,
  data?: Record<string, unknown>
): CheckResult {
  return {
    id: `${kind}:x`,
    kind,
    target: 'x',
    verdict,
    severity: 'info',
    message,
    durationMs: 1,
    data
  }
}

function gate(g: Partial<GateResult> & Pick<GateResult, 'gate' | 'verdict'>): GateResult {
  return { durationMs: 1000, startedAt: '2025-06-01T12:00:00.000Z', checks: [], ...g }
}

function report(gates: GateResult[]): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId: '77',
    target: { namespace: 'shop' },
    startedAt: '2025-06-01T12:00:00.000Z',
    finishedAt: '2025-06-01T12:10:00.000Z',
    verdict: 'pass',
    gates
  }
}

const plan = {
  approval: { environment: 'prod-approval' },
  rollout: {
    target: { kind: 'Deployment', name: 'api' },
    stages: [
      { name: 'canary', weight: 5 },
      { name: 'full', weight: 100 }
    ]
  }
}

describe('eventsFromReport', () => {
  it.each<[string, GateResult[], { kind: string; summary: string; state?: string }[]]>([
    [
      'a passed plan gate awaits approval',
      [
        gate({
          gate: 'plan',
          verdict: 'pass',
          details: { approvalEnvironment: 'prod-approval', risks: 2 }
        })
      ],
      [
        {
          kind: 'awaiting-approval',
          summary: 'the plan is rendered; approve it in the environment prod-approval'
        }
      ]
    ],
    ['a failed plan gate awaits nothing', [gate({ gate: 'plan', verdict: 'fail' })], []],
    [
      'a passed stage was promoted',
      [gate({ gate: 'rollout', name: 'canary', verdict: 'pass', details: { weight: 5 } })],
      [{ kind: 'stage-promoted', summary: 'stage canary (5%) promoted', state: 'deploying' }]
    ],
    [
      'the full stage makes the release active',
      [gate({ gate: 'rollout', name: 'full', verdict: 'pass' })],
      [{ kind: 'stage-promoted', summary: 'stage full (100%) promoted', state: 'active' }]
    ],
    [
      'a rollout trigger is a rollback',
      [
        gate({
          gate: 'rollout',
          name: 'canary',
          verdict: 'fail',
          checks: [
            check('trigger', 'fail', 'rollback triggered at 5%: errorRate 0.2 > 0.05'),
            check('rollback', 'pass', 'canary back to 0% 1.2s after the trigger')
          ]
        })
      ],
      [
        {
          kind: 'rollback-triggered',
          summary: 'stage canary (5%): rollback triggered at 5%: errorRate 0.2 > 0.05',
          state: 'previous-stable'
        }
      ]
    ],
    [
      'an inconclusive stage tells nothing',
      [gate({ gate: 'rollout', name: 'canary', verdict: 'inconclusive' })],
      []
    ],
    [
      'a rollback level',
      [
        gate({
          gate: 'rollback',
          name: 'flag',
          verdict: 'pass',
          checks: [check('rollback', 'pass', 'flag rollback in 0.80s of 1m00s')]
        })
      ],
      [
        {
          kind: 'rollback-triggered',
          summary: 'flag rollback done and verified',
          state: 'previous-stable'
        }
      ]
    ],
    [
      'a failed rollback level',
      [
        gate({
          gate: 'rollback',
          name: 'code',
          verdict: 'fail',
          checks: [check('rollback', 'fail', 'refused')]
        })
      ],
      [{ kind: 'rollback-triggered', summary: 'code rollback did not complete', state: 'failed' }]
    ],
    [
      'a stage the rollout gate told as it happened is not told again',
      [
        gate({
          gate: 'rollout',
          name: 'canary',
          verdict: 'pass',
          details: { weight: 5, notified: true }
        })
      ],
      []
    ],
    ['soak tells its own events', [gate({ gate: 'soak', verdict: 'fail' })], []],
    ['phases tell nothing', [gate({ gate: 'phase', name: 'web', verdict: 'pass' })], []]
  ])('%s', (_, gates, expected) => {
    const events = eventsFromReport(report(gates), plan, { runUrl: 'https://example.invalid/run' })
    expect(
      events.map(e => ({
        kind: e.kind,
        summary: e.summary,
        ...(e.state ? { state: e.state } : {})
      }))
    ).toEqual(expected.map(x => ({ ...x })))
    for (const e of events) {
      expect(e).toMatchObject({
        plan: 'shop',
        runId: '77',
        target: { namespace: 'shop' },
        runUrl: 'https://example.invalid/run',
        at: '2025-06-01T12:00:01.000Z'
      })
    }
  })
})
