import { describe, expect, it } from '@jest/globals'
import { runFleet, type ClusterRunner, type FleetDeps } from '../../src/fleet/run.js'
import { CLUSTERS, depsOf, fakeRunner, fleetOf, planOf } from './fakes.js'

const clusters = CLUSTERS
// The real clock, as the soak test's sleep returns at once on it.
const deps = (runner: ClusterRunner, extra: Partial<FleetDeps> = {}): FleetDeps =>
  depsOf(runner, extra, () => Date.now())
const opts = { runId: 'r1', planArg: 'p.yaml' }

describe('runFleet', () => {
  it('runs wave by wave: reality checks of a wave before any of its deploys, the next wave after the validate', async () => {
    const { runner, calls } = fakeRunner()
    const report = await runFleet(planOf(fleetOf()), deps(runner), opts)
    expect(report.verdict).toBe('pass')
    expect(calls.slice(0, 4)).toEqual(['a:reality-check', 'a:tracer', 'a:phase', 'a:validate'])
    const wave2 = calls.slice(4)
    expect(wave2.slice(0, 2).sort()).toEqual(['b:reality-check', 'c:reality-check'])
    expect(wave2.slice(2).filter(x => x.startsWith('b:'))).toEqual([
      'b:tracer',
      'b:phase',
      'b:validate'
    ])
    expect(report.clusters.c.namespace).toBe('other')
    expect(report.clusters.b.gates.map(g => g.gate)).toEqual([
      'reality-check',
      'tracer',
      'phase',
      'validate'
    ])
    expect(report.waves.map(w => [w.name, w.verdict, w.approval])).toEqual([
      ['canary', 'pass', 'none'],
      ['main', 'pass', 'none']
    ])
  })

  it('a failed reality check applies nothing of its wave and rolls back the earlier waves', async () => {
    const { runner, calls } = fakeRunner({ c: 'reality-check' })
    const report = await runFleet(planOf(fleetOf()), deps(runner), opts)
    expect(report.verdict).toBe('fail')
    expect(calls.filter(x => /^[bc]:(tracer|phase|validate)/.test(x))).toEqual([])
    expect(calls[calls.length - 1]).toBe('a:rollback:db')
    expect(report.halt).toMatchObject({ wave: 'main', onHalt: 'rollback' })
    expect(report.halt?.reason).toMatch(/failed on c \(reality-check\)/)
    expect(report.clusters.c.verdict).toBe('fail')
    expect(report.clusters.a.rollback?.[0].gate).toBe('rollback')
  })

  it('a phase failing mid-wave rolls back every reached cluster in reverse order; later waves never start', async () => {
    const three = fleetOf({
      waves: [
        { name: 'canary', select: { ring: 'canary' } },
        { name: 'main', select: { ring: 'main' }, maxParallel: 2 }
      ],
      clusters: [...clusters, { name: 'd', context: 'ctx-d', labels: { ring: 'late' } }]
    })
    three.waves.push({ name: 'late', select: { ring: 'late' } })
    const { runner, calls } = fakeRunner({ b: 'phase' })
    const report = await runFleet(planOf(three), deps(runner), opts)
    expect(report.verdict).toBe('fail')
    expect(calls.some(x => x.startsWith('d:'))).toBe(false)
    const rollbacks = calls.filter(x => x.includes(':rollback'))
    // c ran in parallel with b (maxParallel 2): it is rolled back too, then a (wave 1) last.
    expect(rollbacks.sort((x, y) => (x[0] === 'a' ? 1 : y[0] === 'a' ? -1 : 0))).toEqual(
      expect.arrayContaining(['b:rollback:db', 'c:rollback:db'])
    )
    expect(rollbacks[rollbacks.length - 1]).toBe('a:rollback:db')
    expect(rollbacks).toHaveLength(3)
  })

  it('onHalt hold rolls back nothing and lists the commands', async () => {
    const { runner, calls } = fakeRunner({ b: 'validate' })
    const report = await runFleet(planOf(fleetOf({ onHalt: 'hold' })), deps(runner), opts)
    expect(calls.filter(x => x.includes('rollback'))).toEqual([])
    expect(report.halt?.commands).toEqual(
      expect.arrayContaining([
        'phase-gate check p.yaml --gate rollback --phase db --run-id r1 --context ctx-a --namespace web'
      ])
    )
  })

  it('haltOn percent lets one failure of two pass at 60%', async () => {
    const { runner } = fakeRunner({ b: 'phase' })
    const report = await runFleet(planOf(fleetOf({ haltOn: { percent: 60 } })), deps(runner), opts)
    expect(report.halt).toBeUndefined()
    expect(report.verdict).toBe('fail')
    expect(report.clusters.c.verdict).toBe('pass')
  })

  it('without a TTY and without --approve it stops before applying: cancelled', async () => {
    const { runner, calls } = fakeRunner()
    const report = await runFleet(planOf(fleetOf()), deps(runner, { approve: false }), opts)
    expect(report.verdict).toBe('cancelled')
    expect(calls).toEqual(['a:reality-check'])
    const asked: string[] = []
    const refused = await runFleet(
      planOf(fleetOf()),
      deps(fakeRunner().runner, {
        approve: false,
        confirm: async (q: string) => (asked.push(q), false)
      }),
      opts
    )
    expect(refused.verdict).toBe('cancelled')
    expect(asked).toEqual(['Deploy wave canary to a? [y/N]'])
  })

  it('a wave with soak waits, then samples its clusters again before the next wave', async () => {
    const { runner, calls } = fakeRunner()
    const slept: number[] = []
    const soaking = fleetOf({
      waves: [
        { name: 'canary', select: { ring: 'canary' }, soak: '2m' },
        { name: 'main', select: { ring: 'main' }, maxParallel: 2 }
      ]
    })
    const report = await runFleet(
      planOf(soaking),
      deps(runner, { sleep: async (ms: number) => void slept.push(ms) }),
      opts
    )
    // No soak.interval: one sample a minute (the soak gate's default) for the 2 minutes; this
    // test's sleep returns at once on the real clock, so the second waits until minute 2.
    expect(slept).toEqual([60_000, 120_000].map(ms => expect.closeTo(ms, -2)))
    expect(calls.slice(0, 6)).toEqual([
      'a:reality-check',
      'a:tracer',
      'a:phase',
      'a:validate',
      'a:validate',
      'a:validate'
    ])
    expect(report.verdict).toBe('pass')
  })

  it('--cluster and --wave select', async () => {
    const { runner, calls } = fakeRunner()
    await runFleet(planOf(fleetOf()), deps(runner), { ...opts, cluster: 'c' })
    expect(calls.every(x => x.startsWith('c:'))).toBe(true)
    const w = fakeRunner()
    await runFleet(planOf(fleetOf()), deps(w.runner), { ...opts, wave: 'canary' })
    expect(w.calls.every(x => x.startsWith('a:'))).toBe(true)
  })
})
