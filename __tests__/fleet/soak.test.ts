// A wave's soak samples its clusters continuously on a virtual clock: a
// cluster going bad mid-soak fails the wave at the next sample, before the
// soak's time is up, and the next wave never starts.
import { describe, expect, it } from '@jest/globals'
import { runFleet, type ClusterRunner } from '../../src/fleet/run.js'
import { soakStep } from '../../src/fleet/steps.js'
import type { LoadedPlan } from '../../src/plan/types.js'
import type { RunReport, Verdict } from '../../src/report/model.js'
import { VirtualClock } from '../reliability/virtual-clock.js'
import { fleetOf, planOf } from './fakes.js'

const MIN = 60_000
const opts = { runId: 'r1', planArg: 'p.yaml' }

/** The plan with a soak of 10m on wave canary, sampled every minute (`soak.interval`), `sustained` as given. */
function soakingPlan(sustained?: { samples: number; of: number }): LoadedPlan {
  const loaded = planOf(
    fleetOf({
      waves: [
        { name: 'canary', select: { ring: 'canary' }, soak: '10m' },
        { name: 'main', select: { ring: 'main' }, maxParallel: 2 }
      ]
    })
  )
  loaded.plan.soak = { interval: '1m', ...(sustained ? { sustained } : {}) }
  return loaded
}

/** A runner on the virtual clock: `bad(cluster, gate, minutesSinceStart)` says when a gate fails. */
function clockRunner(
  clock: VirtualClock,
  bad: (cluster: string, gate: string, minute: number) => boolean
): { runner: ClusterRunner; calls: { at: number; call: string }[] } {
  const t0 = clock.now()
  const calls: { at: number; call: string }[] = []
  const runner: ClusterRunner = {
    gate: async (c, gate) => {
      const minute = (clock.now() - t0) / MIN
      calls.push({ at: minute, call: `${c.name}:${gate}` })
      const verdict: Verdict = bad(c.name, gate, minute) ? 'fail' : 'pass'
      return {
        verdict,
        gates: [
          {
            gate,
            verdict,
            durationMs: 0,
            startedAt: new Date(clock.now()).toISOString(),
            checks: []
          }
        ]
      } as unknown as RunReport
    }
  }
  return { runner, calls }
}

const depsOn = (clock: VirtualClock, runner: ClusterRunner) => ({
  runner,
  now: () => clock.now(),
  sleep: (ms: number) => clock.sleep(ms),
  progress: () => undefined,
  approve: true
})

describe('wave soak', () => {
  it('a healthy soak samples every minute for its 10 minutes, then the next wave starts', async () => {
    const clock = new VirtualClock()
    const { runner, calls } = clockRunner(clock, () => false)
    const report = await clock.runUntil(runFleet(soakingPlan(), depsOn(clock, runner), opts))
    expect(report.verdict).toBe('pass')
    const samples = calls.filter(c => c.call === 'a:validate').map(c => c.at)
    // The deploy's validate at 0, then one sample a minute up to the soak's end.
    expect(samples).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const mainStart = calls.find(c => c.call.startsWith('b:'))!.at
    expect(mainStart).toBe(10)
    expect(report.waves[0].notes).toContain('soak 10m: 10 samples of each cluster, all passed')
  })

  it('a cluster going bad mid-soak fails the wave at the next sample, long before the soak ends', async () => {
    const clock = new VirtualClock()
    const { runner, calls } = clockRunner(
      clock,
      (c, gate, minute) => c === 'a' && gate === 'validate' && minute >= 3.5
    )
    const started = clock.now()
    const report = await clock.runUntil(runFleet(soakingPlan(), depsOn(clock, runner), opts))
    expect(report.verdict).toBe('fail')
    expect(report.halt).toMatchObject({ wave: 'canary', onHalt: 'rollback' })
    expect(report.halt?.reason).toMatch(/failed on a \(validate\)/)
    // The bad state began at 3.5 min: the sample at 4 min sees it and the soak ends there.
    expect((clock.now() - started) / MIN).toBe(4)
    expect(calls.filter(c => c.call === 'a:validate').map(c => c.at)).toEqual([0, 1, 2, 3, 4])
    expect(calls.some(c => /^[bc]:/.test(c.call))).toBe(false)
    expect(calls[calls.length - 1].call).toBe('a:rollback')
    expect(report.waves[0].notes.join()).toMatch(/soak 10m: failed after 4m/)
  })

  it('sustained 2 of 3 lets one bad sample pass and fails on the second', async () => {
    const clock = new VirtualClock()
    const { runner } = clockRunner(
      clock,
      (c, gate, minute) => c === 'a' && gate === 'validate' && (minute === 2 || minute === 6)
    )
    const tolerant = await clock.runUntil(
      runFleet(soakingPlan({ samples: 2, of: 3 }), depsOn(clock, runner), opts)
    )
    expect(tolerant.verdict).toBe('pass')
    const clock2 = new VirtualClock()
    const twice = clockRunner(
      clock2,
      (c, gate, minute) => c === 'a' && gate === 'validate' && (minute === 2 || minute === 3)
    )
    const t0 = clock2.now()
    const failed = await clock2.runUntil(
      runFleet(soakingPlan({ samples: 2, of: 3 }), depsOn(clock2, twice.runner), opts)
    )
    expect(failed.verdict).toBe('fail')
    expect((clock2.now() - t0) / MIN).toBe(3)
  })

  it('--step soak samples every cluster of the wave and fails as soon as one goes bad', async () => {
    const clock = new VirtualClock()
    const loaded = soakingPlan()
    loaded.plan.fleet!.waves[1].soak = '5m'
    const { runner, calls } = clockRunner(
      clock,
      (c, gate, minute) => c === 'c' && gate === 'validate' && minute >= 2
    )
    const t0 = clock.now()
    const report = await clock.runUntil(
      soakStep(loaded, depsOn(clock, runner), { ...opts, wave: 'main' })
    )
    expect(report.verdict).toBe('fail')
    expect((clock.now() - t0) / MIN).toBe(2)
    expect(calls.map(c => c.call).sort()).toEqual([
      'b:validate',
      'b:validate',
      'c:validate',
      'c:validate'
    ])
    expect(report.clusters.c.verdict).toBe('fail')
    expect(report.clusters.b.verdict).toBe('pass')
  })
})
