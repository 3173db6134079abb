// The rollout gate tells the plan's webhooks as it goes, not after the run:
// a stage's "promoted" reaches a loopback receiver while the next stage is
// still holding, "rollback triggered" while the canary is being moved back
// and the onTrigger level runs; a slow receiver holds up no stage; the
// report does not tell them twice afterwards (notifyReport).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { rolloutGate } from '../../src/gates/rollout.js'
import { eventsFromReport, notifyReport } from '../../src/notify/report-events.js'
import type { KubeObject, ObjectRef } from '../../src/kube/types.js'
import type { Metrics } from '../../src/metrics/types.js'
import type { Plan } from '../../src/plan/types.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import {
  ControllerCluster,
  ScriptedMetrics,
  VirtualClock,
  availableDeployment,
  gateContext
} from '../rollout/fakes.js'
import { startReceiver, type Receiver } from './receiver.js'

const NS = 'ns'
let rx: Receiver

beforeAll(async () => {
  rx = await startReceiver()
  process.env.ROLLOUT_NOTIFY_HOOK = `${rx.url}/chat`
})
afterEach(() => {
  rx.requests.length = 0
})
afterAll(async () => {
  delete process.env.ROLLOUT_NOTIFY_HOOK
  await rx.close()
})

function plan(onTrigger?: 'flag'): Plan {
  return {
    version: 1,
    name: 'shop',
    target: { namespace: NS },
    notify: [{ name: 'chat', urlEnv: 'ROLLOUT_NOTIFY_HOOK', format: 'json' }],
    rollout: {
      target: { kind: 'Deployment', name: 'api' },
      replicas: 4,
      interval: '10s',
      onTrigger,
      stages: [
        { name: 'canary', weight: 25, hold: '30s' },
        { name: 'full', weight: 100, hold: '30s' }
      ],
      metrics: { requests: 'req{track="{{track}}"}', errorRate: 'err{track="{{track}}"}' },
      rollbackIf: [{ metric: 'errorRate', above: '2x baseline' }]
    },
    rollbackLevels: [{ level: 'flag', configMap: 'flags', key: 'FEATURE_X', value: 'false' }]
  }
}

/** Waits (real time) until the receiver has `n` deliveries; false when it never does. */
async function delivered(n: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (rx.delivered().length < n) {
    if (Date.now() > end) return false
    await new Promise(r => setTimeout(r, 5))
  }
  return true
}

const events = (): string[] =>
  rx.delivered().map(r => {
    const b = r.body as { event: string; summary: string }
    return `${b.event}: ${b.summary}`
  })

function cluster(): ControllerCluster {
  return new ControllerCluster({
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
}

function report(gates: GateResult[]): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId: 'run-1',
    target: { namespace: NS },
    startedAt: gates[0].startedAt,
    finishedAt: gates[0].startedAt,
    verdict: 'pass',
    gates
  }
}

describe('rollout notifications', () => {
  it('"stage promoted" reaches the receiver while the next stage holds, once', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const scripted = new ScriptedMetrics(clock, q => (q.startsWith('req') ? 10 : 0.01))
    // What the receiver held at each query of the full stage (it starts after the canary's 30 s).
    const seenDuringFull: number[] = []
    const metrics: Metrics = {
      url: scripted.url,
      query: async q => {
        if (clock.now() - start > 30_000) {
          // Give the delivery real time to arrive, but never wait for it past 5 s.
          if (seenDuringFull.length === 0) await delivered(1)
          seenDuringFull.push(rx.delivered().length)
        }
        return scripted.query(q)
      }
    }
    const ctx = gateContext({ plan: plan(), cluster: cluster(), clock, metrics })
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => `${r.name}:${r.verdict}`)).toEqual(['canary:pass', 'full:pass'])
    // Told before the full stage judged anything: the canary's promotion was not held until the end.
    expect(seenDuringFull[0]).toBe(1)
    expect(events()).toEqual([
      'stage-promoted: stage canary (25%) promoted',
      'stage-promoted: stage full (100%) promoted'
    ])
    const canaryEvent = rx.delivered()[0].body as { at: string; state: string; runId: string }
    expect(canaryEvent).toMatchObject({ state: 'deploying', runId: 'run-1' })
    // Its time is the canary's end, not the run's.
    expect(Date.parse(canaryEvent.at) - start).toBeLessThanOrEqual(31_000)
    for (const r of results) {
      expect(r.details?.notified).toBe(true)
      expect(r.notes).toContain('notified chat (json): stage-promoted')
    }
    // After the run, the report tells nothing more about these stages.
    expect(eventsFromReport(report(results), plan())).toEqual([])
    expect(await notifyReport(report(results), plan())).toEqual([])
    expect(rx.delivered()).toHaveLength(2)
  })

  it('"rollback triggered" goes out when the trigger fires, before the onTrigger level has finished', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const c = cluster()
    // The flag level's patch of the ConfigMap: what had the receiver been told by then?
    let toldByFlagPatch = -1
    const patch = c.mergePatch.bind(c)
    c.mergePatch = async (
      ref: ObjectRef,
      body: Record<string, unknown>,
      opts?: { dryRun?: boolean; subresource?: string }
    ): Promise<KubeObject> => {
      if (ref.kind === 'ConfigMap' && ref.name === 'flags' && toldByFlagPatch < 0) {
        await delivered(1)
        toldByFlagPatch = rx.delivered().length
      }
      return patch(ref, body, opts)
    }
    const metrics = new ScriptedMetrics(clock, (q, t) => {
      if (q.startsWith('req')) return 10
      return q.includes('canary') && t - start >= 15_000 ? 0.3 : 0.01
    })
    const ctx = gateContext({ plan: plan('flag'), cluster: c, clock, metrics })
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => `${r.name}:${r.verdict}`)).toEqual(['canary:fail'])
    expect(results[0].checks.map(x => `${x.id}:${x.verdict}`)).toEqual([
      'traffic:canary:pass',
      'trigger:canary:errorRate:fail',
      'rollback:canary:0%:pass',
      'rollback:flag:pass'
    ])
    expect(toldByFlagPatch).toBe(1)
    expect(events()).toEqual([
      'rollback-triggered: stage canary (25%): rollback triggered at 25%: errorRate = 0.3 (baseline 0.01): value > 2.0 * baseline (trigger: errorRate above 2x baseline)'
    ])
    expect(rx.delivered()[0].body).toMatchObject({
      state: 'rolling-back',
      detail: 'moving the canary to 0 % and running the flag rollback level'
    })
    expect(results[0].details?.notified).toBe(true)
    expect(results[0].notes).toContain('notified chat (json): rollback-triggered')
    expect(eventsFromReport(report(results), plan('flag'))).toEqual([])
  })

  it('a receiver that answers slowly holds up no stage, and its outcome still lands in the notes', async () => {
    rx.script([{ status: 200, delayMs: 1500 }])
    const clock = new VirtualClock()
    const metrics = new ScriptedMetrics(clock, q => (q.startsWith('req') ? 10 : 0.01))
    const ctx = gateContext({ plan: plan(), cluster: cluster(), clock, metrics })
    const began = Date.now()
    let fullStartedAfterMs = -1
    const query = metrics.query.bind(metrics)
    metrics.query = async (q: string) => {
      if (fullStartedAfterMs < 0 && clock.now() - Date.parse('2030-01-01T00:00:00Z') > 30_000)
        fullStartedAfterMs = Date.now() - began
      return query(q)
    }
    const results = await rolloutGate.run(ctx)
    expect(results.map(r => r.verdict)).toEqual(['pass', 'pass'])
    // The full stage began long before the slow answer came back.
    expect(fullStartedAfterMs).toBeGreaterThanOrEqual(0)
    expect(fullStartedAfterMs).toBeLessThan(1000)
    expect(Date.now() - began).toBeGreaterThanOrEqual(1400)
    expect(results[0].notes).toContain('notified chat (json): stage-promoted')
  })
})
