// The rollout gate with rollout.judge over fakes (a cluster that plays the
// Deployment controller, scripted counters, virtual time): a judge fail takes
// the trigger path (canary to 0 %), an inconclusive stage per onInconclusive
// (hold: inconclusive at maxHold, the canary stays; fail: back to 0 %), and
// a stage passes only when every comparison passes.
import { describe, expect, it } from '@jest/globals'
import { rolloutGate } from '../../../src/gates/rollout.js'
import type { KubeObject } from '../../../src/kube/types.js'
import type { Plan, RolloutSpec } from '../../../src/plan/types.js'
import {
  ControllerCluster,
  ScriptedMetrics,
  VirtualClock,
  availableDeployment,
  gateContext
} from '../fakes.js'

const NS = 'ns'

function plan(rollout: Partial<RolloutSpec> = {}): Plan {
  return {
    version: 1,
    name: 'shop',
    target: { namespace: NS },
    rollout: {
      target: { kind: 'Deployment', name: 'api' },
      replicas: 4,
      interval: '10s',
      stages: [
        { name: 'canary', weight: 25, hold: '30s', maxHold: '60s' },
        { name: 'full', weight: 100, hold: '0s' }
      ],
      metrics: {
        requests: 'req{track="{{track}}"}',
        failed: 'failed_total{track="{{track}}"}',
        total: 'req_total{track="{{track}}"}'
      },
      judge: [
        {
          name: 'error ratio',
          test: 'proportion',
          failures: 'failed',
          total: 'total',
          worseBy: '2%'
        }
      ],
      ...rollout
    }
  }
}

/** Counters per track: [failures/s, requests/s]. */
function run(p: Plan, rates: { canary: [number, number]; stable: [number, number] }) {
  const clock = new VirtualClock()
  const start = clock.now()
  const cluster = new ControllerCluster({
    objects: [availableDeployment('api', 4, NS), availableDeployment('api-canary', 0, NS)]
  })
  const metrics = new ScriptedMetrics(clock, (q, now) => {
    const t = (now - start) / 1000
    const [err, rps] = q.includes('canary') ? rates.canary : rates.stable
    if (q.startsWith('req{')) return rps
    return 500 + (q.startsWith('failed') ? err : rps) * t
  })
  const ctx = gateContext({ plan: p, cluster, clock, metrics })
  return { ctx, cluster }
}

const canaryReplicas = (cluster: ControllerCluster): number =>
  (
    (
      cluster.peek({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'api-canary',
        namespace: NS
      }) as KubeObject
    ).spec as { replicas: number }
  ).replicas

describe('the rollout gate with a judge', () => {
  it('passes a stage when every comparison passes, and goes on', async () => {
    const { ctx, cluster } = run(plan(), { canary: [1, 100], stable: [3, 300] })
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.name, r.verdict])).toEqual([
      ['canary', 'pass'],
      ['full', 'pass']
    ])
    const row = results[0].checks.find(c => c.id === 'judge:canary:error ratio')
    expect(row?.verdict).toBe('pass')
    expect(results[0].details?.judge).toMatchObject({ onInconclusive: 'hold', maxHoldMs: 60_000 })
    expect(canaryReplicas(cluster)).toBe(4)
  })

  it('a judge fail moves the canary to 0 % like a trigger', async () => {
    const { ctx, cluster } = run(plan(), { canary: [10, 100], stable: [3, 300] })
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.name, r.verdict])).toEqual([['canary', 'fail']])
    const trigger = results[0].checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      /^rollback triggered at 25%: judge: error ratio: canary 100\/1000 failed \(10%\), stable 30\/3000 failed \(1%\)/
    )
    expect(results[0].details?.trigger).toMatchObject({ what: 'judge' })
    expect(canaryReplicas(cluster)).toBe(0)
  })

  it('onInconclusive hold: fails at maxHold, back to 0 %; fail: back to 0 % at the end of the hold', async () => {
    const held = run(plan(), { canary: [0, 1], stable: [0, 3] })
    const r = await rolloutGate.run(held.ctx)
    expect(r.map(x => [x.name, x.verdict])).toEqual([['canary', 'fail']])
    expect(r[0].durationMs).toBeGreaterThanOrEqual(60_000)
    expect(r[0].details?.trigger).toMatchObject({ what: 'judge-inconclusive' })
    expect(JSON.stringify(r[0])).toMatch(/more canary requests/)
    expect(canaryReplicas(held.cluster)).toBe(0)

    const failed = run(plan({ onInconclusive: 'fail' }), { canary: [0, 1], stable: [0, 3] })
    const f = await rolloutGate.run(failed.ctx)
    expect(f.map(x => [x.name, x.verdict])).toEqual([['canary', 'fail']])
    expect(f[0].details?.trigger).toMatchObject({ what: 'judge-inconclusive' })
    expect(canaryReplicas(failed.cluster)).toBe(0)

    const promoted = run(plan({ onInconclusive: 'promote' }), { canary: [0, 1], stable: [0, 3] })
    const p = await rolloutGate.run(promoted.ctx)
    expect(p.map(x => [x.name, x.verdict])).toEqual([
      ['canary', 'warn'],
      ['full', 'pass']
    ])
  })
})
