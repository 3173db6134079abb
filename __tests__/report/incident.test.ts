// The incident section: which runs have one, its timeline from each kind of
// gate (phase undo, rollout trigger, soak with its rollback level, a manual
// rollback, a failure without rollback), time to recover against the
// level's budget, evidence, what was kept and the open follow-ups.
import { describe, expect, it } from '@jest/globals'
import { buildIncident, incidentSection, renderIncident } from '../../src/report/incident.js'
import type { CheckResult, GateResult, RunReport } from '../../src/report/model.js'

const T0 = Date.parse('2025-06-01T12:00:00.000Z')
const at = (s: number): string => new Date(T0 + s * 1000).toISOString()

function check(
  kind: string,
  verdict: CheckResult['verdict'],
  message: string,
  extra: Partial<CheckResult> = {}
): CheckResult {
  return {
    id: `${kind}:${extra.target ?? 'x'}`,
    kind,
    target: 'x',
    verdict,
    severity: 'high',
    message,
    durationMs: 0,
    ...extra
  }
}

function gate(
  g: Partial<GateResult> & Pick<GateResult, 'gate' | 'verdict'>,
  startS = 0,
  durationS = 10
): GateResult {
  return { startedAt: at(startS), durationMs: durationS * 1000, checks: [], ...g }
}

function report(gates: GateResult[], runId = 'run-1'): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId,
    target: { namespace: 'shop' },
    startedAt: gates[0]?.startedAt ?? at(0),
    finishedAt: at(100),
    verdict: 'fail',
    gates
  }
}

describe('buildIncident', () => {
  it('no failed gate and no rollback: no incident', () => {
    expect(
      buildIncident([
        report([
          gate({ gate: 'phase', name: 'web', verdict: 'pass' }),
          gate({ gate: 'record', verdict: 'fail' })
        ])
      ])
    ).toBeUndefined()
  })

  it('a phase that failed and was undone: trigger when the undo began, kept PVC, adjustment as a follow-up', () => {
    const i = buildIncident([
      report([
        gate({ gate: 'phase', name: 'db', verdict: 'pass' }, 0, 20),
        gate(
          {
            gate: 'phase',
            name: 'web',
            verdict: 'fail',
            checks: [
              check('apply', 'pass', 'applied 3 objects'),
              check('ready', 'fail', 'Deployment web: ImagePullBackOff', {
                target: 'Deployment/web',
                evidence: 'Back-off pulling image "web:9"',
                adjustment: 'push the image or fix its tag'
              }),
              check('rollback', 'pass', 'rolled back in 4.00s (budget 15m00s)', {
                target: 'web: undo',
                data: { durationMs: 4000, budgetMs: 900_000, kept: ['PersistentVolumeClaim/data'] }
              })
            ]
          },
          20,
          30
        )
      ])
    ])
    expect(i).toBeDefined()
    expect(i?.status).toBe('recovered')
    expect(i?.trigger).toEqual({
      source: 'phase web',
      at: at(46),
      message: 'ready Deployment/web: Deployment web: ImagePullBackOff',
      checkId: 'ready:Deployment/web'
    })
    expect(i?.rollbacks).toEqual([
      {
        source: 'phase web',
        level: 'undo',
        startedAt: at(46),
        finishedAt: at(50),
        verdict: 'pass',
        message: 'rolled back in 4.00s (budget 15m00s)',
        durationMs: 4000,
        budgetMs: 900_000
      }
    ])
    expect(i?.recoveredAt).toBe(at(50))
    expect(i?.timeToRecoverMs).toBe(4000)
    expect(i?.withinBudget).toBe(true)
    expect(i?.kept).toEqual(['PersistentVolumeClaim/data'])
    expect(i?.evidence).toEqual([
      { source: 'phase web', check: 'ready Deployment/web', text: 'Back-off pulling image "web:9"' }
    ])
    expect(i?.followUps).toEqual([
      'find and fix the cause of: ready Deployment/web: Deployment web: ImagePullBackOff',
      'push the image or fix its tag',
      'PersistentVolumeClaim/data was kept by the undo (it holds data): delete it when it is no longer needed'
    ])
    expect(i?.timeline.map(s => `${s.at.slice(11, 19)} ${s.what.split(':')[0]}`)).toEqual([
      '12:00:46 trigger',
      '12:00:46 undo rollback started (budget 15m00s)',
      '12:00:50 undo rollback verified',
      '12:00:50 recovered'
    ])
  })

  it('a rollout trigger: first bad sample from the firing samples, the canary to 0 % and the onTrigger level', () => {
    const i = buildIncident([
      report([
        gate(
          {
            gate: 'rollout',
            name: 'partial',
            verdict: 'fail',
            details: {
              trigger: {
                what: 'threshold',
                message: 'errorRate 0.3 > 2x baseline 0.01',
                at: at(65),
                rolledBackAt: at(66)
              }
            },
            checks: [
              check('trigger', 'fail', 'rollback triggered at 25%: errorRate 0.3 > 2x baseline', {
                data: {
                  samples: [
                    { at: T0 + 55_000, value: 0.001, crossed: false },
                    { at: T0 + 60_000, value: 0.3, crossed: true },
                    { at: T0 + 65_000, value: 0.3, crossed: true }
                  ]
                }
              }),
              check('rollback', 'pass', 'canary back to 0% 1.00s after the trigger', {
                target: 'partial:0%',
                data: { durationMs: 1000 }
              }),
              check('rollback', 'pass', 'code rollback in 20.0s of 15m00s', {
                target: 'code',
                data: { level: 'code', durationMs: 20_000, budgetMs: 900_000 }
              })
            ]
          },
          0,
          90
        )
      ])
    ])
    expect(i?.firstBadAt).toBe(at(60))
    expect(i?.trigger.at).toBe(at(65))
    expect(i?.rollbacks.map(r => [r.level, r.startedAt, r.finishedAt])).toEqual([
      ['0%', at(65), at(66)],
      ['code', at(70), at(90)]
    ])
    expect(i?.status).toBe('recovered')
    expect(i?.timeToRecoverMs).toBe(25_000)
    expect(i?.budgetMs).toBe(900_000)
  })

  it('the soak’s own timeline and the rollback gate it ran: time to recover against the level’s budget', () => {
    const soak = gate(
      {
        gate: 'soak',
        verdict: 'fail',
        details: {
          incident: {
            firstBadAt: at(30),
            triggerAt: at(90),
            trigger: 'soak: metric:errors breached in 2 of the last 3 samples',
            level: 'code',
            rollbackStartedAt: at(91),
            recoveredAt: at(100),
            budgetMs: 900_000
          }
        },
        checks: [
          check('soak', 'fail', 'release r1 is degraded'),
          check('threshold', 'fail', 'metric:errors breached in 2 of the last 3 samples', {
            evidence: 'value 0.2 > 0.05'
          })
        ]
      },
      0,
      91
    )
    const rollback = gate(
      {
        gate: 'rollback',
        name: 'code',
        verdict: 'pass',
        budgetMs: 900_000,
        checks: [
          check(
            'rollback',
            'pass',
            'code rollback in 9.00s of 15m00s: Deployment web back on revision 1',
            { target: 'code', data: { level: 'code', durationMs: 9000, budgetMs: 900_000 } }
          )
        ]
      },
      91,
      9
    )
    const i = buildIncident([report([soak, rollback])])
    expect(i).toMatchObject({
      status: 'recovered',
      firstBadAt: at(30),
      trigger: {
        source: 'soak',
        at: at(90),
        message: 'soak: metric:errors breached in 2 of the last 3 samples'
      },
      recoveredAt: at(100),
      timeToRecoverMs: 10_000,
      budgetMs: 900_000,
      withinBudget: true
    })
    expect(i?.timeline.map(s => s.what.replace(/:.*/, ''))).toEqual([
      'first bad sample',
      'trigger',
      'code rollback started (budget 15m00s)',
      'code rollback verified',
      'recovered'
    ])
    const md = renderIncident(i as NonNullable<typeof i>)
    expect(md).toContain(
      '**Status:** ✅ recovered at 2025-06-01 12:01:40Z, 10.0s of the 15m00s budget after the trigger'
    )
    expect(md).toContain('**First bad sample:** 2025-06-01 12:00:30Z (detected 1m00s later)')
    expect(md).toContain('**Rollback level:** code (budget 15m00s)')
    expect(md).toContain(
      '| 2025-06-01 12:01:31Z | rollback code | code rollback started (budget 15m00s) |'
    )
    expect(md).toContain('<summary>soak: threshold x</summary>')
    expect(md).toContain(
      '- [ ] find and fix the cause of: soak: metric:errors breached in 2 of the last 3 samples'
    )
  })

  it('a rollback that failed: not recovered, escalate', () => {
    const i = buildIncident([
      report([
        gate(
          {
            gate: 'soak',
            verdict: 'fail',
            details: { incident: { triggerAt: at(5), trigger: 'soak: restarts grew' } }
          },
          0,
          5
        ),
        gate(
          {
            gate: 'rollback',
            name: 'flag',
            verdict: 'fail',
            checks: [
              check('rollback', 'fail', 'ConfigMap flags not found', {
                data: { level: 'flag', durationMs: 200, budgetMs: 60_000 },
                adjustment: 'create the flags ConfigMap'
              })
            ]
          },
          5,
          1
        )
      ])
    ])
    expect(i?.status).toBe('not-recovered')
    expect(i?.recoveredAt).toBeUndefined()
    expect(i?.followUps).toEqual(
      expect.arrayContaining([
        'create the flags ConfigMap',
        'the flag rollback did not complete (ConfigMap flags not found): check the target by hand and escalate to the next rollback level'
      ])
    )
    expect(renderIncident(i as NonNullable<typeof i>)).toContain('**Status:** ❌ not recovered')
  })

  it('a failure without a rollback (reality check), and a rollback over its budget', () => {
    const noRollback = buildIncident([
      report([
        gate({
          gate: 'reality-check',
          verdict: 'fail',
          checks: [check('api', 'fail', 'v1beta1 not served', { adjustment: 'use v1' })]
        })
      ])
    ])
    expect(noRollback?.status).toBe('no-rollback')
    expect(noRollback?.trigger.at).toBe(at(10))
    expect(noRollback?.followUps.at(-1)).toMatch(/^nothing was rolled back/)
    const slow = buildIncident([
      report([
        gate(
          {
            gate: 'rollback',
            name: 'config',
            verdict: 'pass',
            checks: [
              check('rollback', 'pass', 'config rollback in 6m of 5m', {
                data: { level: 'config', durationMs: 360_000, budgetMs: 300_000 }
              })
            ]
          },
          0,
          360
        )
      ])
    ])
    expect(slow?.trigger.message).toBe(
      'the config rollback level was run by hand (--gate rollback)'
    )
    expect(slow?.withinBudget).toBe(false)
    expect(slow?.followUps).toContain(
      'the config rollback took 6m00s of its 5m00s budget: make it faster or raise the budget'
    )
  })

  it('one call for the record gate: the section or nothing; duplicated reports count once', () => {
    const r = report([
      gate({
        gate: 'validate',
        verdict: 'error',
        checks: [check('http', 'error', 'could not check api: timeout')]
      })
    ])
    const s = incidentSection([r, r])
    expect(s?.incident.timeline).toHaveLength(1)
    expect(s?.markdown.startsWith('## Incident\n')).toBe(true)
    expect(incidentSection([report([gate({ gate: 'validate', verdict: 'pass' })])])).toBeUndefined()
  })
})
