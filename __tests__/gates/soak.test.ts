// The soak gate's decisions (table-driven) and the gate itself over a fake
// cluster, a fake Prometheus and a clock whose sleeps return at once: samples
// accumulate across runs, stable after the window, degraded on a violation
// with its rollback level, notifications to a loopback receiver.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/core/clock.js'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import {
  completeSample,
  decideSoak,
  judgeSamples,
  restartGrowth,
  sampleResources,
  type SoakRecord,
  type SoakSample
} from '../../src/gates/soak.js'
import { soakSettings } from '../../src/plan/soak-settings.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import { containerLimits, resourceQueries } from '../../src/metrics/resource-use.js'
import {
  MetricsUnavailableError,
  type MetricSample,
  type Metrics
} from '../../src/metrics/types.js'
import { UsageError } from '../../src/core/errors.js'
import type { GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'
import {
  crashLoop,
  deployment,
  makeAvailable,
  podOf,
  runningReady
} from '../support/kube-fixtures.js'
import { startReceiver, type Receiver } from '../notify/receiver.js'

function sample(over: Partial<SoakSample> = {}): SoakSample {
  return {
    at: '2025-06-01T12:00:00.000Z',
    notReady: [],
    restartGrowth: [],
    restartTotal: 0,
    resourceWarnings: [],
    thresholds: {},
    ...over
  }
}

const at = (s: number): string =>
  new Date(Date.parse('2025-06-01T12:00:00.000Z') + s * 1000).toISOString()

describe('soakSettings', () => {
  it.each([
    [
      {},
      {
        windowMs: 86_400_000,
        intervalMs: 60_000,
        minSamples: 10,
        sustained: { samples: 1, of: 1 },
        runForMs: undefined,
        onDegraded: undefined
      }
    ],
    [
      { window: '3s', interval: '1s' },
      {
        windowMs: 3000,
        intervalMs: 1000,
        minSamples: 3,
        sustained: { samples: 1, of: 1 },
        runForMs: undefined,
        onDegraded: undefined
      }
    ],
    [
      {
        window: '10m',
        interval: '5m',
        minSamples: 5,
        sustained: { samples: 2, of: 3 },
        runFor: '0s',
        onDegraded: 'none' as const
      },
      {
        windowMs: 600_000,
        intervalMs: 300_000,
        minSamples: 5,
        sustained: { samples: 2, of: 3 },
        runForMs: 0,
        onDegraded: undefined
      }
    ],
    [
      { window: '1s', interval: '5s', onDegraded: 'code' as const },
      {
        windowMs: 1000,
        intervalMs: 5000,
        minSamples: 1,
        sustained: { samples: 1, of: 1 },
        runForMs: undefined,
        onDegraded: 'code'
      }
    ]
  ])('%j', (soak, expected) => expect(soakSettings({ soak })).toEqual(expected))
})

describe('restartGrowth', () => {
  it.each([
    ['first sample is the baseline', undefined, { 'a/app': 4 }, []],
    ['no change', { 'a/app': 4 }, { 'a/app': 4 }, []],
    ['grew', { 'a/app': 1, 'b/app': 0 }, { 'a/app': 3, 'b/app': 0 }, ['a/app 1 → 3']],
    [
      'a new pod that already restarted',
      { 'a/app': 0 },
      { 'a/app': 0, 'c/app': 2 },
      ['c/app 0 → 2']
    ],
    ['a new pod that did not', { 'a/app': 0 }, { 'c/app': 0 }, []],
    [
      'a count that went down (pod replaced under the same name)',
      { 'a/app': 5 },
      { 'a/app': 0 },
      []
    ]
  ])('%s', (_, prev, now, expected) => expect(restartGrowth(prev, now)).toEqual(expected))
})

describe('judgeSamples', () => {
  const th = (...vs: ('pass' | 'fail' | 'error')[]): SoakSample[] =>
    vs.map((v, i) =>
      sample({
        at: at(i),
        thresholds: {
          'metric:errors': { verdict: v, message: v === 'fail' ? `errors ${i}` : undefined }
        }
      })
    )
  it.each<[string, SoakSample[], { samples: number; of: number }, string[]]>([
    ['nothing sampled', [], { samples: 1, of: 1 }, []],
    [
      'readiness lost in the newest sample',
      [sample(), sample({ at: at(1), notReady: ['Deployment web InProgress'] })],
      { samples: 2, of: 3 },
      ['readiness']
    ],
    [
      'restarts grew in the newest sample',
      [sample({ restartGrowth: ['web/app 0 → 1'] })],
      { samples: 2, of: 3 },
      ['restarts']
    ],
    [
      'an unreadable sample proves nothing',
      [sample({ error: 'x', notReady: ['y'] })],
      { samples: 1, of: 1 },
      []
    ],
    ['a threshold 1 of 1', th('pass', 'fail'), { samples: 1, of: 1 }, ['metric:errors']],
    [
      '2 of 3: fail pass fail',
      th('fail', 'pass', 'fail'),
      { samples: 2, of: 3 },
      ['metric:errors']
    ],
    ['2 of 3: fail pass pass', th('fail', 'pass', 'pass'), { samples: 2, of: 3 }, []],
    ['2 of 3: only one sample yet', th('fail'), { samples: 2, of: 3 }, []],
    [
      '2 of 3: errors are not samples',
      th('fail', 'error', 'error', 'fail'),
      { samples: 2, of: 3 },
      ['metric:errors']
    ],
    ['3 of 3 needs three', th('fail', 'fail', 'pass', 'fail', 'fail'), { samples: 3, of: 3 }, []]
  ])('%s', (_, samples, sustained, signals) => {
    expect(judgeSamples(samples, sustained).map(v => v.signal)).toEqual(signals)
  })

  it('names the first breaching sample of a sustained breach and the counts', () => {
    const [v] = judgeSamples(th('pass', 'fail', 'pass', 'fail'), { samples: 2, of: 3 })
    expect(v).toMatchObject({ signal: 'metric:errors', firstBadAt: at(1), breaching: 2, of: 3 })
    expect(v.message).toBe('metric:errors breached in 2 of the last 3 samples: errors 3')
  })
})

describe('decideSoak', () => {
  const settings = { windowMs: 10_000, minSamples: 3 }
  const base = (n: number, over: Partial<SoakRecord> = {}) => ({
    startedAt: at(0),
    samples: Array.from({ length: n }, (_, i) => sample({ at: at(i) })),
    dropped: 0,
    status: 'soaking' as const,
    ...over
  })
  const now = (s: number): number => Date.parse(at(s))
  it.each<[string, ReturnType<typeof base>, boolean, number, string]>([
    ['inside the window', base(5), false, 5, 'soaking'],
    ['window over, enough samples', base(3), false, 10, 'stable'],
    ['window over, too few samples', base(2), false, 11, 'soaking'],
    ['window over, dropped samples count', base(1, { dropped: 5 }), false, 20, 'stable'],
    [
      'incomplete samples do not count',
      { ...base(3), samples: [sample(), sample({ error: 'x' }), sample()] },
      false,
      20,
      'soaking'
    ],
    ['a violation', base(9), true, 20, 'degraded'],
    [
      'stable stays stable without a violation',
      base(1, { status: 'stable' as never }),
      false,
      1,
      'stable'
    ]
  ])('%s', (_, rec, violated, t, status) => {
    const v = violated
      ? [{ signal: 'restarts', message: 'restarts grew', firstBadAt: at(1), breaching: 1, of: 1 }]
      : []
    expect(decideSoak(rec, v, settings, now(t)).status).toBe(status)
  })

  it.each([
    [sample(), true],
    [sample({ error: 'cluster unreachable' }), false],
    [sample({ thresholds: { a: { verdict: 'fail' } } }), true],
    [sample({ thresholds: { a: { verdict: 'error' } } }), false]
  ])('completeSample %#', (s, yes) => expect(completeSample(s)).toBe(yes))
})

describe('resource use', () => {
  const pod = (name: string, limits?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { containers: [{ name: 'app', resources: limits ? { limits } : {} }] }
  })
  const fakeMetrics = (answers: Record<'memory' | 'cpu', MetricSample[]> | Error): Metrics => ({
    url: 'http://127.0.0.1:9090',
    query: async q => {
      if (answers instanceof Error) throw answers
      return q.includes('memory') ? answers.memory : answers.cpu
    }
  })
  const s = (pod: string, value: number): MetricSample => ({
    labels: { pod, container: 'app' },
    value,
    timestamp: 0
  })

  it('reads limits in units', () => {
    expect([...containerLimits([pod('a', { cpu: '500m', memory: '512Mi' }), pod('b')])]).toEqual([
      ['a/app', { cpu: 0.5, memory: 536870912 }]
    ])
  })

  it('queries only these pods, with regex metacharacters escaped', () => {
    const q = resourceQueries('shop', [pod('web-1.x'), pod('web-2')])
    expect(q.memory).toBe(
      'max by (pod, container) (container_memory_working_set_bytes{namespace="shop",pod=~"web-1\\\\.x|web-2",container!="",container!="POD"})'
    )
    expect(q.cpu).toContain('rate(container_cpu_usage_seconds_total{namespace="shop"')
  })

  it.each<[string, KubeObject[], () => Metrics, string[], RegExp | undefined]>([
    [
      'above 80 % warns, below does not',
      [pod('a', { cpu: '1', memory: '100Mi' }), pod('b', { memory: '100Mi' })],
      () =>
        fakeMetrics({ memory: [s('a', 90 * 2 ** 20), s('b', 50 * 2 ** 20)], cpu: [s('a', 0.85)] }),
      ['a/app cpu 850m of 1 limit (85 %)', 'a/app memory 90Mi of 100Mi limit (90 %)'],
      undefined
    ],
    [
      'no series: cAdvisor not scraped',
      [pod('a', { memory: '1Gi' })],
      () => fakeMetrics({ memory: [], cpu: [] }),
      [],
      /cAdvisor metrics not scraped/
    ],
    [
      'no limits: nothing to compare',
      [pod('a')],
      () => fakeMetrics({ memory: [], cpu: [] }),
      [],
      /no container sets resource limits/
    ],
    [
      'no Prometheus',
      [pod('a', { memory: '1Gi' })],
      () => {
        throw new UsageError('the plan names no Prometheus')
      },
      [],
      /no Prometheus configured/
    ],
    [
      'Prometheus unreachable',
      [pod('a', { memory: '1Gi' })],
      () =>
        fakeMetrics(
          new MetricsUnavailableError(
            'cannot reach Prometheus at http://127.0.0.1:9090: connection refused'
          )
        ),
      [],
      /not sampled: cannot reach Prometheus/
    ]
  ])('%s', async (_, pods, metrics, warnings, note) => {
    const r = await sampleResources(metrics, 'shop', pods)
    expect(r.warnings).toEqual(warnings)
    if (note) expect(r.note).toMatch(note)
    else expect(r.note).toBeUndefined()
  })
})

// ---------------------------------------------------------------- the gate

/** A clock whose sleeps return at once; `onSleep` plays the controllers between samples. */
function steppingClock(
  onSleep: (n: number) => void = () => undefined
): Clock & { sleeps: number[] } {
  let now = Date.parse('2025-06-01T12:00:00.000Z')
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason
      sleeps.push(ms)
      now += ms
      onSleep(sleeps.length)
    }
  }
}

const NS = 'shop'

function cluster(): { c: FakeCluster; web: KubeObject; pod: KubeObject } {
  const c = new FakeCluster()
  const d = deployment('web', {
    namespace: NS,
    replicas: 1,
    image: 'ghcr.io/shop/web:2.0',
    revision: 2
  })
  d.metadata.labels = { 'phase-gate.dev/plan': 'shop' }
  makeAvailable(d)
  const web = c.set(d)
  const pod = c.set(podOf(web, 'web-abc', runningReady()))
  c.set({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'flags', namespace: NS },
    data: { NEW_CHECKOUT: 'true' }
  })
  return { c, web, pod }
}

let work: string
let rx: Receiver
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pg-soak-'))
  rx = await startReceiver()
})
afterAll(async () => {
  await rx.close()
  await rm(work, { recursive: true, force: true })
})

async function plan(name: string, soak: string, extra = ''): Promise<string> {
  const path = join(work, `${name}.yaml`)
  await writeFile(
    path,
    `version: 1\nname: shop\ntarget: {namespace: ${NS}}\nnotify:\n  - {name: chat, urlEnv: SOAK_TEST_HOOK, format: slack}\nrollbackLevels:\n  - {level: flag, configMap: flags, key: NEW_CHECKOUT, value: "false"}\nsoak:\n${soak}\n${extra}`
  )
  return path
}

function settings(planPath: string, runId: string): Settings {
  return {
    gate: 'soak',
    planPath,
    runId,
    runIdGiven: true,
    kubeconfig: { kind: 'default' },
    dryRun: false,
    comment: false,
    workspace: work
  }
}

async function runSoak(
  c: FakeCluster,
  planPath: string,
  runId: string,
  clock: Clock,
  metrics?: () => Metrics
): Promise<GateResult[]> {
  process.env.SOAK_TEST_HOOK = `${rx.url}/hook`
  const { report } = await runEngine(settings(planPath, runId), {
    log: memoryLogger(),
    connect: async () => c,
    clock,
    metrics:
      metrics ??
      (() => {
        throw new UsageError('no Prometheus')
      })
  })
  return report.gates
}

async function activate(c: FakeCluster, release: string): Promise<StateRecord> {
  const record = new StateRecord(c, 'shop', NS)
  await record.transition('deploying', release, 'phase web', at(-60))
  await record.transition('active', release, 'validated', at(-30))
  await record.updateIndex(
    i => void i.runs.push({ runId: release, startedAt: at(-60), phases: ['web'] })
  )
  return record
}

describe('soak gate', () => {
  it('skips when nothing is active', async () => {
    const { c } = cluster()
    const [g] = await runSoak(
      c,
      await plan('skip', '  window: 3s\n  interval: 1s'),
      'r0',
      steppingClock()
    )
    expect(g.verdict).toBe('skip')
    expect(g.checks[0].message).toMatch(/state record holds no deployment yet/)
    await new StateRecord(c, 'shop', NS).transition('deploying', 'r0')
    const [g2] = await runSoak(
      c,
      await plan('skip', '  window: 3s\n  interval: 1s'),
      'r0',
      steppingClock()
    )
    expect(g2.checks[0].message).toMatch(/the deployment is deploying/)
  })

  it('active → stable after the window: samples, last known-good, the stable notification', async () => {
    rx.requests.length = 0
    const { c } = cluster()
    const record = await activate(c, 'rel-1')
    const clock = steppingClock()
    const [g] = await runSoak(
      c,
      await plan('stable', '  window: 3s\n  interval: 1s\n  minSamples: 3'),
      'soak-run-1',
      clock
    )
    expect(g.verdict).toBe('pass')
    expect(g.checks[0].message).toMatch(/^release rel-1 is stable: 4 samples over 3.00s/)
    expect(clock.sleeps).toEqual([1000, 1000, 1000])
    expect(g.checks.map(x => `${x.kind}:${x.verdict}`)).toEqual([
      'soak:pass',
      'readiness:pass',
      'restarts:pass',
      'resources:skip'
    ])
    const index = await record.readIndex()
    expect(index.state).toBe('stable')
    expect(index.history.map(h => `${h.state}@${h.runId}`)).toEqual([
      'deploying@rel-1',
      'active@rel-1',
      'stable@rel-1'
    ])
    expect(index.history.at(-1)?.at).toBe(at(3))
    expect(index.lastKnownGood).toEqual({
      runId: 'rel-1',
      at: at(3),
      images: { 'Deployment/web': 'ghcr.io/shop/web:2.0' },
      revisions: { 'Deployment/web': '2' }
    })
    expect(index.runs[0].images).toEqual({ 'Deployment/web': 'ghcr.io/shop/web:2.0' })
    expect(index.extra?.soak).toMatchObject({ release: 'rel-1', status: 'stable', samples: 4 })
    const soak = JSON.parse((await record.readRunData('rel-1', 'soak.json')) ?? '{}') as SoakRecord
    expect(soak.samples.map(s => s.at)).toEqual([at(0), at(1), at(2), at(3)])
    expect(soak.runs).toEqual(['soak-run-1'])
    expect(rx.delivered().map(r => (r.body as { text: string }).text)).toEqual([
      'shop → shop: stable: release rel-1 is stable'
    ])
    expect(g.notes).toEqual(
      expect.arrayContaining([
        'notified chat (slack): stable',
        expect.stringMatching(
          /^deployment state: stable since .* \(deploying 11:59:00 → active 11:59:30 → stable 12:00:03\)$/
        )
      ])
    )
  })

  it('accumulates samples across scheduled runs (runFor 0s: one sample each) and turns stable in the run after the window', async () => {
    const { c } = cluster()
    const record = await activate(c, 'rel-2')
    const p = await plan(
      'scheduled',
      '  window: 10m\n  interval: 5m\n  minSamples: 3\n  runFor: 0s'
    )
    let t = Date.parse(at(0))
    const clockAt = (): Clock => ({
      now: () => t,
      sleep: async () => {
        throw new Error('a one-sample run must not sleep')
      }
    })
    const verdicts: string[] = []
    for (const [i, minutes] of [0, 5, 10].entries()) {
      t = Date.parse(at(minutes * 60))
      const [g] = await runSoak(c, p, `cron-${i}`, clockAt())
      verdicts.push(`${g.verdict}:${(await record.readIndex()).state}`)
      if (i === 0)
        expect(g.checks[0].message).toMatch(
          /is soaking: 1 sample over 0ms of the 10m00s window .* stable after 10m00s more \(a later run continues\)/
        )
    }
    expect(verdicts).toEqual(['pass:active', 'pass:active', 'pass:stable'])
    const soak = JSON.parse((await record.readRunData('rel-2', 'soak.json')) ?? '{}') as SoakRecord
    expect(soak.runs).toEqual(['cron-0', 'cron-1', 'cron-2'])
    expect(soak.samples).toHaveLength(3)
  })

  it('a crash loop degrades the release, runs the flag level and tells the webhook, with the incident timeline', async () => {
    rx.requests.length = 0
    const { c, pod } = cluster()
    const record = await activate(c, 'rel-3')
    // The second sample sees the container restarted twice and not ready.
    const clock = steppingClock(n => {
      if (n === 1) c.update(pod, p => void (p.status = crashLoop(2)))
    })
    const gates = await runSoak(
      c,
      await plan('degraded', '  window: 1h\n  interval: 30s\n  onDegraded: flag'),
      'soak-run-3',
      clock
    )
    expect(gates.map(g => `${g.gate}:${g.name ?? ''}:${g.verdict}`)).toEqual([
      'soak::fail',
      'rollback:flag:pass'
    ])
    const [soak, rollback] = gates
    expect(soak.checks[0].message).toMatch(
      /^release rel-3 is degraded: restarts grew: web-abc\/app 0 → 2/
    )
    expect(soak.checks.find(x => x.kind === 'restarts')?.verdict).toBe('fail')
    expect(soak.details?.incident).toEqual({
      firstBadAt: at(30),
      triggerAt: at(30),
      trigger: expect.stringMatching(/^soak: restarts grew/),
      level: 'flag',
      rollbackStartedAt: at(30),
      recoveredAt: at(30),
      budgetMs: 60_000
    })
    expect(rollback.details).toMatchObject({ notified: true, triggeredBy: 'soak' })
    expect(
      c.peek({ apiVersion: 'v1', kind: 'ConfigMap', name: 'flags', namespace: NS })?.data
    ).toEqual({ NEW_CHECKOUT: 'false' })
    const index = await record.readIndex()
    expect(index.history.map(h => h.state)).toEqual([
      'deploying',
      'active',
      'degraded',
      'rolling-back',
      'previous-stable'
    ])
    expect(index.history.slice(2).every(h => h.runId === 'rel-3')).toBe(true)
    const texts = rx.delivered().map(r => (r.body as { text: string }).text)
    expect(texts).toEqual([
      'shop → shop: degraded: release rel-3 is degraded',
      'shop → shop: rollback triggered: release rel-3 degraded: running the flag rollback (budget 1m00s)'
    ])
  })

  it('a stable release that later loses readiness becomes degraded (no onDegraded: the adjustment names the levels)', async () => {
    const { c, web } = cluster()
    const record = await activate(c, 'rel-4')
    await runSoak(
      c,
      await plan('monitor', '  window: 1s\n  interval: 1s\n  minSamples: 1'),
      'soak-a',
      steppingClock()
    )
    expect((await record.readIndex()).state).toBe('stable')
    c.update(web, d => {
      ;(d.status as Record<string, unknown>).readyReplicas = 0
      ;(d.status as Record<string, unknown>).availableReplicas = 0
    })
    const [g] = await runSoak(
      c,
      await plan('monitor', '  window: 1s\n  interval: 1s\n  minSamples: 1'),
      'soak-b',
      steppingClock()
    )
    expect(g.verdict).toBe('fail')
    expect(g.checks[0].message).toMatch(
      /^release rel-4 is degraded: not ready: Deployment shop\/web InProgress: Available: 0\/1$/
    )
    expect(g.checks[0].adjustment).toBe(
      `roll back: phase-gate check ${join(work, 'monitor.yaml').replace(`${work}/`, '')} --gate rollback --level <flag>`
    )
    expect((await record.readIndex()).history.map(h => h.state)).toEqual([
      'deploying',
      'active',
      'stable',
      'degraded'
    ])
  })

  it("the next release's reality check (images-ready) does not end the monitoring of the stable one", async () => {
    const { c, web } = cluster()
    const record = await activate(c, 'rel-7')
    const p = await plan('next', '  window: 1s\n  interval: 1s\n  minSamples: 1')
    await runSoak(c, p, 'soak-c', steppingClock())
    expect((await record.readIndex()).state).toBe('stable')
    await record.transition('images-ready', 'pr-8', 'reality check of the next release', at(60))
    c.update(web, d => {
      ;(d.status as Record<string, unknown>).readyReplicas = 0
      ;(d.status as Record<string, unknown>).availableReplicas = 0
    })
    const [g] = await runSoak(c, p, 'soak-d', steppingClock())
    expect(g.verdict).toBe('fail')
    expect(g.checks[0].message).toMatch(/^release rel-7 is degraded: not ready: /)
    expect((await record.readIndex()).history.map(h => `${h.state}@${h.runId}`)).toEqual([
      'deploying@rel-7',
      'active@rel-7',
      'stable@rel-7',
      'images-ready@pr-8',
      'degraded@rel-7'
    ])
  })

  it('a sustained threshold: one bad sample is tolerated, two of three degrade', async () => {
    const { c } = cluster()
    const record = await activate(c, 'rel-5')
    const values = [0.01, 0.2, 0.01, 0.3]
    let i = 0
    const metrics = (): Metrics => ({
      url: 'http://127.0.0.1:9',
      query: async q =>
        q.includes('container_')
          ? []
          : [{ labels: {}, value: values[Math.min(i++, values.length - 1)], timestamp: 0 }]
    })
    const [g] = await runSoak(
      c,
      await plan(
        'sustained',
        `  window: 1h\n  interval: 10s\n  sustained: {samples: 2, of: 3}\n  thresholds:\n    - metric: {name: errors, query: 'sum(rate(errors_total[1m]))', expect: '< 0.05'}`
      ),
      'soak-5',
      steppingClock(),
      metrics
    )
    expect(g.verdict).toBe('fail')
    const t = g.checks.find(x => x.kind === 'threshold')
    expect(t?.verdict).toBe('fail')
    expect(t?.message).toMatch(/^metric:errors breached in 2 of the last 3 samples/)
    expect((g.details?.soak as { samples: number; firstBadAt: string }).samples).toBe(4)
    expect((g.details?.incident as { firstBadAt: string }).firstBadAt).toBe(at(10))
    expect((await record.readIndex()).state).toBe('degraded')
  })

  it('dry run samples but changes nothing', async () => {
    const { c } = cluster()
    const record = await activate(c, 'rel-6')
    const p = await plan('dry', '  window: 1s\n  interval: 1s\n  minSamples: 1')
    process.env.SOAK_TEST_HOOK = `${rx.url}/hook`
    rx.requests.length = 0
    const { report } = await runEngine(
      { ...settings(p, 'soak-6'), dryRun: true },
      { log: memoryLogger(), connect: async () => c, clock: steppingClock() }
    )
    expect(report.gates[0].notes).toContain('dry run: the release would become stable')
    expect((await record.readIndex()).state).toBe('active')
    expect(await record.readRunData('rel-6', 'soak.json')).toBeUndefined()
    expect(rx.requests).toHaveLength(0)
  })
})
