// The rollout and rollback gates over fakes (a cluster that plays the
// Deployment controller, scripted Prometheus, virtual time): stage results,
// a trigger's rollback to 0 % and its onTrigger level, inconclusive stages,
// infra steps, dry runs, the state record, and choosing a rollback level.
import { describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import { rollbackGate } from '../../src/gates/rollback.js'
import { rolloutBudgetMs, rolloutGate } from '../../src/gates/rollout.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { Plan, RolloutSpec } from '../../src/plan/types.js'
import {
  ControllerCluster,
  ScriptedExec,
  ScriptedMetrics,
  VirtualClock,
  availableDeployment,
  gateContext,
  type Answer
} from './fakes.js'

const NS = 'ns'

function plan(rollout: Partial<RolloutSpec> = {}, extra: Partial<Plan> = {}): Plan {
  return {
    version: 1,
    name: 'shop',
    target: { namespace: NS },
    rollout: {
      target: { kind: 'Deployment', name: 'api' },
      replicas: 4,
      interval: '10s',
      stages: [
        { name: 'canary', weight: 25, hold: '30s' },
        { name: 'partial', weight: 50, hold: '30s' },
        { name: 'full', weight: 100, hold: '0s' }
      ],
      metrics: {
        requests: 'req{track="{{track}}"}',
        errorRate: 'err{track="{{track}}"}'
      },
      rollbackIf: [{ metric: 'errorRate', above: '2x baseline' }, { noDataFor: '1m' }],
      ...rollout
    },
    rollbackLevels: [{ level: 'flag', configMap: 'flags', key: 'FEATURE_X', value: 'false' }],
    ...extra
  }
}

function setup(
  p: Plan,
  script: (q: string, t: number, cluster: ControllerCluster) => Answer,
  settings: Parameters<typeof gateContext>[0]['settings'] = {},
  exec = new ScriptedExec()
) {
  const clock = new VirtualClock()
  const start = clock.now()
  const cluster = new ControllerCluster({
    objects: [
      availableDeployment('api', 4, NS),
      availableDeployment('api-canary', 0, NS),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'flags', namespace: NS },
        data: { FEATURE_X: 'true' }
      }
    ]
  })
  const metrics = new ScriptedMetrics(clock, (q, now) => script(q, now - start, cluster))
  const ctx = gateContext({ plan: p, cluster, clock, metrics, settings, exec })
  return { ctx, cluster, clock, start, metrics }
}

const replicas = (cluster: ControllerCluster, name: string): number =>
  (
    (cluster.peek({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: NS }) as KubeObject)
      .spec as { replicas: number }
  ).replicas
const healthy = (q: string): Answer => (q.startsWith('req') ? 10 : 0.01)

async function history(cluster: ControllerCluster): Promise<(string | undefined)[]> {
  return (await new StateRecord(cluster, 'shop', NS).readIndex()).history.map(h => h.state)
}

describe('the rollout gate', () => {
  it('runs every stage in order, one result each, and ends active', async () => {
    const { ctx, cluster } = setup(plan(), healthy)
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.gate, r.name, r.verdict])).toEqual([
      ['rollout', 'canary', 'pass'],
      ['rollout', 'partial', 'pass'],
      ['rollout', 'full', 'pass']
    ])
    expect(results[0].checks.map(c => [c.id, c.verdict])).toEqual([
      ['traffic:canary', 'pass'],
      ['metric:canary:requests', 'pass'],
      ['metric:canary:errorRate', 'pass'],
      ['hold:canary', 'pass']
    ])
    expect(results[0].checks[2].message).toBe(
      'errorRate: canary 0.01, baseline 0.01 (min 0.01, max 0.01) over 4 samples; rollback if errorRate above 2x baseline'
    )
    expect(results[0].details).toMatchObject({
      weight: 25,
      holdMs: 30_000,
      intervalMs: 10_000,
      mode: 'replicas',
      prometheus: 'http://prometheus.test:9090'
    })
    expect(results[2].checks.map(c => c.message)).toContain(
      'no hold at this stage: metrics are not judged here'
    )
    expect([replicas(cluster, 'api'), replicas(cluster, 'api-canary')]).toEqual([0, 4])
    expect(await history(cluster)).toEqual(['deploying', 'active'])
    const index = await new StateRecord(cluster, 'shop', NS).readIndex()
    expect(index.extra?.rollout).toMatchObject({
      stage: 'full',
      weight: 100,
      verdict: 'pass',
      runId: 'run-1'
    })
    // (The fake's apply replaces the whole run Secret, so only the last stage's key is left to read here.)
    const saved = JSON.parse(
      (await new StateRecord(cluster, 'shop', NS).readRunData(
        'run-1',
        'rollout.full.json'
      )) as string
    ) as { verdict: string; details: { weight: number } }
    expect([saved.verdict, saved.details.weight]).toEqual(['pass', 100])
  })

  it('moves the canary to 0 % at the first sample over the threshold, runs onTrigger, and stops', async () => {
    const { ctx, cluster, start } = setup(plan({ onTrigger: 'flag' }), (q, t) => {
      if (q.startsWith('req')) return 10
      // From 45 s (15 s into the partial stage) the canary fails 30 % of its requests.
      return q.includes('canary') && t >= 45_000 ? 0.3 : 0.01
    })
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.name, r.verdict])).toEqual([
      ['canary', 'pass'],
      ['partial', 'fail']
    ])
    const partial = results[1]
    expect(partial.checks.map(c => [c.id, c.verdict])).toEqual([
      ['traffic:partial', 'pass'],
      ['trigger:partial:errorRate', 'fail'],
      ['rollback:partial:0%', 'pass'],
      ['rollback:flag', 'pass']
    ])
    expect(partial.checks[1].message).toBe(
      'rollback triggered at 50%: errorRate = 0.3 (baseline 0.01): value > 2.0 * baseline (trigger: errorRate above 2x baseline)'
    )
    expect(partial.checks[1].data).toMatchObject({
      metric: 'errorRate',
      query: 'err{track="canary"}',
      baselineQuery: 'err{track="stable"}',
      samples: [{ value: 0.3, baseline: 0.01, crossed: true }]
    })
    expect(partial.checks[1].evidence).toMatch(
      /traffic=yes requests=10 \(stable 10\), errorRate=0\.3 \(stable 0\.01\)$/
    )
    // Samples at 30, 40 and 50 s: the trigger fires at the first sample that sees the spike.
    const trigger = partial.details?.trigger as { at: string }
    expect(Date.parse(trigger.at) - start).toBe(50_000)
    expect([replicas(cluster, 'api'), replicas(cluster, 'api-canary')]).toEqual([4, 0])
    expect(partial.checks[3].message).toMatch(
      /^flag rollback in \d+ms of 1m00s: FEATURE_X=false in ConfigMap flags/
    )
    expect(await history(cluster)).toEqual(['deploying', 'rolling-back', 'previous-stable'])
    expect(partial.notes).toContain(
      'stage partial failed (threshold); the canary was moved back to 0% and the flag rollback ran'
    )
  })

  it('moves no traffic in a run that already rolled back (a re-run of a later stage job)', async () => {
    const spike = (q: string, t: number): Answer =>
      q.startsWith('req') ? 10 : q.includes('canary') && t >= 45_000 ? 0.3 : 0.01
    const { ctx, cluster } = setup(plan(), spike)
    expect((await rolloutGate.run(ctx)).map(r => r.verdict)).toEqual(['pass', 'fail'])
    const again = await rolloutGate.run({ ...ctx, settings: { ...ctx.settings, stage: 'full' } })
    expect(again.map(r => [r.name, r.verdict])).toEqual([['full', 'fail']])
    expect(again[0].checks[0].message).toMatch(/rolled its canary back .*: no traffic moved/)
    expect([replicas(cluster, 'api'), replicas(cluster, 'api-canary')]).toEqual([4, 0])
    // A new run may release again.
    const fresh = await rolloutGate.run({
      ...ctx,
      runId: 'run-2',
      settings: { ...ctx.settings, runId: 'run-2', stage: 'canary' }
    })
    expect(fresh[0].checks[0].id).toBe('traffic:canary')
    expect(fresh[0].checks[0].message).not.toMatch(/no traffic moved/)
  })

  it('is inconclusive without canary traffic: no rollback, the canary stays, later stages do not run', async () => {
    const { ctx, cluster } = setup(plan(), q =>
      q.startsWith('req') ? (q.includes('canary') ? 0 : 10) : undefined
    )
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.name, r.verdict])).toEqual([['canary', 'inconclusive']])
    const check = results[0].checks.find(c => c.id === 'traffic:canary:canary')
    expect(check?.message).toBe(
      'no canary traffic (requests = 0) in any of 4 samples over 30.0s: inconclusive, the canary holds at its weight'
    )
    expect(check?.adjustment).toMatch(/run --stage canary again/)
    expect(replicas(cluster, 'api-canary')).toBe(1)
    expect(results[0].checks.some(c => c.kind === 'rollback')).toBe(false)
    expect(await history(cluster)).toEqual(['deploying'])
  })

  it('rolls back when the canary cannot take its share', async () => {
    const { ctx, cluster } = setup(plan(), healthy)
    cluster.stuck.add('api-canary')
    const results = await rolloutGate.run(ctx)
    expect(results[0].verdict).toBe('fail')
    expect(results[0].checks.map(c => c.id)).toEqual([
      'traffic:canary',
      'trigger:canary:shift',
      'rollback:canary:0%'
    ])
    expect(results[0].checks[1].message).toMatch(
      /^rollback triggered at 25%: the traffic shift to 25% failed: Deployment ns\/api-canary did not become available/
    )
    expect(replicas(cluster, 'api-canary')).toBe(0)
  })

  it('runs the infra stage first at weight 0; a failed step is its trigger', async () => {
    const p = plan({ infra: [{ command: { run: ['migrate'] } }], onTrigger: 'none' })
    const failing = new ScriptedExec(() => ({ exitCode: 3, stderr: 'relation exists' }))
    const { ctx } = setup(p, healthy, {}, failing)
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => [r.name, r.verdict])).toEqual([['infra', 'fail']])
    expect(results[0].checks.map(c => [c.kind, c.verdict])).toEqual([
      ['traffic', 'pass'],
      ['command', 'fail'],
      ['trigger', 'fail'],
      ['rollback', 'pass']
    ])
    expect(results[0].checks[2].message).toMatch(/^rollback triggered at 0%: infra step failed: /)
  })

  it('runs one stage with --stage, and a dry run changes nothing', async () => {
    const one = setup(plan(), healthy, { stage: 'partial' })
    expect((await rolloutGate.run(one.ctx)).map(r => r.name)).toEqual(['partial'])
    expect(replicas(one.cluster, 'api-canary')).toBe(2)

    const dry = setup(plan(), healthy, { dryRun: true })
    const results = await rolloutGate.run(dry.ctx)
    expect(results.map(r => r.verdict)).toEqual(['pass', 'pass', 'pass'])
    expect(results[0].checks[0].message).toBe(
      'dry run: would move the canary to 25% via replicas of Deployment api / api-canary and hold 30.0s, judging every 10.0s'
    )
    expect(dry.cluster.scaled).toEqual([])
    expect(dry.metrics.queries).toEqual([])
  })

  it('refuses a plan without a rollout, an unknown stage and a bad trigger as usage errors', async () => {
    const none = setup({ ...plan(), rollout: undefined }, healthy)
    await expect(rolloutGate.run(none.ctx)).rejects.toThrow(UsageError)
    const unknown = setup(plan(), healthy, { stage: 'nope' })
    await expect(rolloutGate.run(unknown.ctx)).rejects.toThrow(
      'no rollout stage named "nope"; stages: canary, partial, full'
    )
    const bad = setup(plan({ rollbackIf: [{ metric: 'errorRate', above: 'lots' }] }), healthy)
    await expect(rolloutGate.run(bad.ctx)).rejects.toThrow(
      /^rollout\.rollbackIf: invalid trigger above: "lots"/
    )
  })

  it('moves the canary back to 0 % when cancelled during a hold', async () => {
    const ac = new AbortController()
    const { ctx, cluster } = setup(plan(), (q, t) => {
      if (t >= 20_000) ac.abort()
      return healthy(q)
    })
    const results = await rolloutGate.run({ ...ctx, signal: ac.signal })
    expect(results.map(r => [r.name, r.verdict])).toEqual([['canary', 'cancelled']])
    expect(results[0].checks.at(-1)?.message).toMatch(/^cancelled: canary moved back to 0%/)
    expect(replicas(cluster, 'api-canary')).toBe(0)
  })
})

describe('rolloutBudgetMs', () => {
  it.each<[string, Partial<Plan>, number]>([
    [
      'the default stages: their holds (70m) plus 10m',
      { rollout: { target: { kind: 'Deployment', name: 'api' } } },
      80 * 60_000
    ],
    [
      'the plan stages: their holds plus 10m',
      {
        rollout: {
          target: { kind: 'Deployment', name: 'api' },
          stages: [{ name: 'all', weight: 100, hold: '5m' }]
        }
      },
      15 * 60_000
    ],
    [
      'budgets.rollout wins',
      { budgets: { rollout: '2h' }, rollout: { target: { kind: 'Deployment', name: 'api' } } },
      120 * 60_000
    ]
  ])('%s', (_, extra, want) => {
    const p = { ...plan(), ...extra } as Plan
    expect(rolloutBudgetMs(p)).toBe(want)
  })
})

describe('the rollback gate', () => {
  const levels: Plan['rollbackLevels'] = [
    { level: 'flag', configMap: 'flags', key: 'FEATURE_X', value: 'false' },
    { level: 'code', command: { run: ['revert-and-deploy'] }, budget: '20m' }
  ]

  it('runs the first level when no --level is given, and says how to escalate', async () => {
    const { ctx, cluster } = setup(plan({}, { rollbackLevels: levels }), healthy, {
      gate: 'rollback'
    })
    const [r] = await rollbackGate.run(ctx)
    expect([r.gate, r.name, r.verdict, r.budgetMs]).toEqual(['rollback', 'flag', 'pass', 60_000])
    expect(r.notes).toEqual([
      'no --level given: ran the first level the plan lists (flag); escalate with --level code'
    ])
    expect(r.details).toMatchObject({ level: 'flag', budgetMs: 60_000, withinBudget: true })
    expect(await history(cluster)).toEqual(['rolling-back', 'previous-stable'])
  })

  it('runs the level given, against its own budget', async () => {
    const { ctx } = setup(plan({}, { rollbackLevels: levels }), healthy, {
      gate: 'rollback',
      level: 'code'
    })
    const [r] = await rollbackGate.run(ctx)
    expect(r.name).toBe('code')
    expect(r.checks[0].message).toBe(
      'code rollback in 0ms of 20m00s: code rollback command succeeded (revert-and-deploy)'
    )
    expect((ctx.exec as ScriptedExec).calls[0].argv).toEqual(['revert-and-deploy'])
  })

  it('records a failed level as failed', async () => {
    const failing = new ScriptedExec(() => ({ exitCode: 1, stderr: 'conflict' }))
    const { ctx, cluster } = setup(
      plan({}, { rollbackLevels: levels }),
      healthy,
      { gate: 'rollback', level: 'code' },
      failing
    )
    const [r] = await rollbackGate.run(ctx)
    expect(r.verdict).toBe('fail')
    expect(r.checks[0].evidence).toBe('conflict')
    expect(await history(cluster)).toEqual(['rolling-back', 'failed'])
  })

  it.each([
    [{ rollbackLevels: [] }, {}, /the plan has no rollbackLevels/],
    [
      { rollbackLevels: levels },
      { level: 'config' },
      /no rollback level "config" in the plan; levels: flag, code/
    ]
  ])('refuses %j %j', async (extra, settings, message) => {
    const { ctx } = setup(plan({}, extra), healthy, { gate: 'rollback', ...settings })
    await expect(rollbackGate.run(ctx)).rejects.toThrow(message)
  })
})
