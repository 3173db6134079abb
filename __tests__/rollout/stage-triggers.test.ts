// A stage's own rollbackIf over fakes (a cluster that plays the Deployment
// controller, scripted Prometheus, virtual time): it is judged at that stage
// only, beside the rollout's; a warn tier at a stage only warns.
import { describe, expect, it } from '@jest/globals'
import { rolloutGate } from '../../src/gates/rollout.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { Plan, StageSpec } from '../../src/plan/types.js'
import {
  ControllerCluster,
  ScriptedMetrics,
  VirtualClock,
  availableDeployment,
  gateContext,
  type Answer
} from '../rollout/fakes.js'

const NS = 'ns'

function plan(stages: StageSpec[]): Plan {
  return {
    version: 1,
    name: 'shop',
    target: { namespace: NS },
    rollout: {
      target: { kind: 'Deployment', name: 'api' },
      replicas: 4,
      interval: '10s',
      stages,
      metrics: { requests: 'req{track="{{track}}"}', errorRate: 'err{track="{{track}}"}' },
      rollbackIf: [{ metric: 'errorRate', above: '5x baseline' }, { noDataFor: '1m' }]
    }
  }
}

function run(p: Plan, answer: (q: string) => Answer) {
  const clock = new VirtualClock()
  const cluster = new ControllerCluster({
    objects: [availableDeployment('api', 4, NS), availableDeployment('api-canary', 0, NS)]
  })
  const metrics = new ScriptedMetrics(clock, q => answer(q))
  const ctx = gateContext({ plan: p, cluster, clock, metrics })
  const canary = (): number =>
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
  return { results: rolloutGate.run(ctx), canary }
}

// The canary at 1.5 %, the stable track at 1 %: well within 5x baseline.
const answer = (q: string): Answer =>
  q.startsWith('req') ? 10 : q.includes('canary') ? 0.015 : 0.01

describe('stage rollbackIf', () => {
  it('is judged at its own stage only, beside the rollout triggers', async () => {
    const { results, canary } = run(
      plan([
        { name: 'canary', weight: 25, hold: '30s' },
        {
          name: 'partial',
          weight: 50,
          hold: '30s',
          rollbackIf: [{ metric: 'errorRate', above: '1%' }]
        },
        { name: 'full', weight: 100, hold: '0s' }
      ]),
      answer
    )
    const r = await results
    expect(r.map(x => [x.name, x.verdict])).toEqual([
      ['canary', 'pass'],
      ['partial', 'fail']
    ])
    const trigger = r[1].checks.find(c => c.kind === 'trigger')
    expect(trigger?.message).toMatch(
      /errorRate = 0\.015.*value > 0\.01 \(trigger: errorRate above 1%\)/
    )
    expect(canary()).toBe(0)
  })

  it('a warn tier at a stage warns and the rollout goes on', async () => {
    const { results, canary } = run(
      plan([
        {
          name: 'canary',
          weight: 25,
          hold: '30s',
          rollbackIf: [{ metric: 'errorRate', warn: '1%', fail: '10%' }]
        },
        { name: 'full', weight: 100, hold: '0s' }
      ]),
      answer
    )
    const r = await results
    expect(r.map(x => [x.name, x.verdict])).toEqual([
      ['canary', 'warn'],
      ['full', 'pass']
    ])
    expect(
      r[0].checks.filter(c => c.kind === 'trigger').map(c => [c.verdict, c.data?.tier])
    ).toEqual([['warn', 'warn']])
    expect(canary()).toBe(4)
  })
})
