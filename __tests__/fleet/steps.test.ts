import { describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mergeFleetReports, readFleetReports } from '../../src/fleet/merge.js'
import { buildFleetRecord, type FleetRecord } from '../../src/fleet/record.js'
import { runFleet, type FleetReport } from '../../src/fleet/run.js'
import { checkStep, deployStep, fleetList, rollbackStep, soakStep } from '../../src/fleet/steps.js'
import { depsOf, fakeRunner, fleetOf, planOf } from './fakes.js'

const opts = { runId: 'r1', planArg: 'p.yaml' }

/** The record without its times and durations: what must agree however the release was run. */
function timeless(r: FleetRecord): unknown {
  const out = JSON.parse(
    JSON.stringify(r, (k, v: unknown) =>
      ['startedAt', 'finishedAt', 'at', 'durationMs'].includes(k) ? undefined : v
    )
  ) as { timeline: unknown[] }
  // The timeline's order is the times' order: parallel clusters interleave differently.
  out.timeline = out.timeline.map(e => JSON.stringify(e)).sort()
  return out
}

/** The release as a workflow runs it: list, then per wave check → deploy per cluster, stopping at a failed check. */
async function stepByStep(fail: Parameters<typeof fakeRunner>[0] = {}): Promise<{
  reports: FleetReport[]
  calls: string[]
}> {
  const loaded = planOf(fleetOf())
  const { runner, calls } = fakeRunner(fail)
  const deps = depsOf(runner)
  const reports: FleetReport[] = []
  for (const w of fleetList(loaded).waves) {
    const checked = await checkStep(loaded, deps, { ...opts, wave: w.name })
    reports.push(checked)
    if (checked.verdict === 'fail') break
    let failed = false
    for (const c of w.clusters) {
      const r = await deployStep(loaded, deps, { ...opts, wave: w.name, cluster: c })
      reports.push(r)
      failed ||= r.verdict === 'fail'
    }
    if (failed) break
  }
  return { reports, calls }
}

describe('fleet steps', () => {
  it('--list gives the waves in order with clusters, contexts, maxParallel and soak', () => {
    const list = fleetList(
      planOf(
        fleetOf({
          waves: [
            { name: 'canary', select: { ring: 'canary' } },
            { name: 'main', select: { ring: 'main' }, maxParallel: 2, soak: '10m' }
          ]
        })
      )
    )
    expect(list).toEqual({
      plan: 'web',
      onHalt: 'rollback',
      maxWaves: 8,
      waves: [
        {
          index: 1,
          name: 'canary',
          clusters: ['a'],
          contexts: { a: 'ctx-a' },
          maxParallel: 1,
          soak: null
        },
        {
          index: 2,
          name: 'main',
          clusters: ['b', 'c'],
          contexts: { b: 'ctx-b', c: 'ctx-c' },
          maxParallel: 2,
          soak: '10m'
        }
      ]
    })
  })

  it('check runs only the reality check on every cluster of the wave; a failure fails the step', async () => {
    const { runner, calls } = fakeRunner({ c: 'reality-check' })
    const report = await checkStep(planOf(fleetOf()), depsOf(runner), { ...opts, wave: 'main' })
    expect(calls.sort()).toEqual(['b:reality-check', 'c:reality-check'])
    expect(report.step).toBe('check')
    expect(report.verdict).toBe('fail')
    expect(report.waves[0].notes.join()).toMatch(/reality check failed on c: nothing of wave main/)
    expect(Object.values(report.clusters).every(c => !c.reached)).toBe(true)
  })

  it('check and deploy name what is missing or unknown (exit 2)', async () => {
    const loaded = planOf(fleetOf())
    const deps = depsOf(fakeRunner().runner)
    await expect(checkStep(loaded, deps, opts)).rejects.toThrow(
      /needs --wave NAME; waves: canary, main/
    )
    await expect(checkStep(loaded, deps, { ...opts, wave: 'x' })).rejects.toThrow(UsageError)
    await expect(deployStep(loaded, deps, { ...opts, wave: 'main', cluster: 'a' })).rejects.toThrow(
      /no cluster "a" in wave main; its clusters: b, c/
    )
  })

  it('deploy runs tracer → phase → validate on the one cluster, marks it reached and carries its images', async () => {
    const { runner, calls } = fakeRunner()
    const report = await deployStep(planOf(fleetOf()), depsOf(runner), {
      ...opts,
      wave: 'main',
      cluster: 'c'
    })
    expect(calls).toEqual(['c:tracer', 'c:phase', 'c:validate'])
    expect(report.verdict).toBe('pass')
    expect(report.clusters.c).toMatchObject({ reached: true, namespace: 'other', verdict: 'pass' })
    expect(report.clusters.c.images).toEqual([{ container: 'app/app', image: 'reg.local/app:2.0' }])
    expect(report.waves[0]).toMatchObject({ name: 'main', approval: 'none' })
    expect(Object.keys(report.clusters)).toEqual(['c'])
  })

  it('deploy without --approve and without a TTY applies nothing: cancelled', async () => {
    const { runner, calls } = fakeRunner()
    const report = await deployStep(planOf(fleetOf()), depsOf(runner, { approve: false }), {
      ...opts,
      wave: 'canary',
      cluster: 'a'
    })
    expect(calls).toEqual([])
    expect(report.verdict).toBe('cancelled')
    expect(report.clusters.a.reached).toBe(false)
  })

  it('a failed phase marks the cluster reached and fails the step', async () => {
    const { runner } = fakeRunner({ b: 'phase' })
    const report = await deployStep(planOf(fleetOf()), depsOf(runner), {
      ...opts,
      wave: 'main',
      cluster: 'b'
    })
    expect(report.verdict).toBe('fail')
    expect(report.clusters.b.reached).toBe(true)
    expect(report.clusters.b.images).toBeUndefined()
  })

  it('soak without a soak passes at once; with one it samples the wave', async () => {
    const { runner, calls } = fakeRunner()
    const none = await soakStep(planOf(fleetOf()), depsOf(runner), { ...opts, wave: 'main' })
    expect(none.verdict).toBe('pass')
    expect(calls).toEqual([])
  })

  it('rollback --from rolls back every reached cluster, reverse wave order, and names the failure', async () => {
    const { reports } = await stepByStep({ b: 'phase' })
    const { runner, calls } = fakeRunner()
    const report = await rollbackStep(planOf(fleetOf()), depsOf(runner), { ...opts, reports })
    // b and c of wave main first (c deployed after b: first back), then a of wave canary.
    expect(calls).toEqual(['c:rollback:db', 'b:rollback:db', 'a:rollback:db'])
    expect(report.verdict).toBe('pass')
    expect(report.halt).toMatchObject({ wave: 'main', onHalt: 'rollback' })
    expect(report.halt?.reason).toMatch(/failed on b \(phase\)/)
  })

  it('a soak report after a deploy leaves the cluster reached: it is rolled back too', async () => {
    const loaded = planOf(
      fleetOf({
        waves: [
          { name: 'canary', select: { ring: 'canary' }, soak: '1m' },
          { name: 'main', select: { ring: 'main' }, maxParallel: 2 }
        ]
      })
    )
    const deps = depsOf(fakeRunner({ b: 'reality-check' }).runner)
    const reports = [
      await checkStep(loaded, deps, { ...opts, wave: 'canary' }),
      await deployStep(loaded, deps, { ...opts, wave: 'canary', cluster: 'a' }),
      await soakStep(loaded, deps, { ...opts, wave: 'canary' }),
      await checkStep(loaded, deps, { ...opts, wave: 'main' })
    ]
    expect(reports.map(r => r.verdict)).toEqual(['pass', 'pass', 'pass', 'fail'])
    expect(mergeFleetReports(loaded, reports).clusters.a.reached).toBe(true)
    const { runner, calls } = fakeRunner()
    await rollbackStep(loaded, depsOf(runner), { ...opts, reports })
    expect(calls).toEqual(['a:rollback:db'])
  })

  it('rollback of a failed reality check rolls back only the earlier wave', async () => {
    const { reports, calls: deployed } = await stepByStep({ c: 'reality-check' })
    expect(deployed.filter(x => /^[bc]:(tracer|phase)/.test(x))).toEqual([])
    const { runner, calls } = fakeRunner()
    const report = await rollbackStep(planOf(fleetOf()), depsOf(runner), { ...opts, reports })
    expect(calls).toEqual(['a:rollback:db'])
    expect(report.halt?.reason).toMatch(/failed on c \(reality-check\)/)
  })

  it('rollback fails when a rollback is not verified; hold lists the commands and rolls back nothing', async () => {
    const { reports } = await stepByStep({ b: 'validate' })
    const failing = fakeRunner({ a: 'rollback' })
    const r = await rollbackStep(planOf(fleetOf()), depsOf(failing.runner), { ...opts, reports })
    expect(r.verdict).toBe('fail')
    const held = fakeRunner()
    const h = await rollbackStep(planOf(fleetOf({ onHalt: 'hold' })), depsOf(held.runner), {
      ...opts,
      reports
    })
    expect(held.calls).toEqual([])
    expect(h.verdict).toBe('pass')
    expect(h.halt?.commands).toEqual([
      'phase-gate check p.yaml --gate rollback --phase db --run-id r1 --context ctx-c --namespace other',
      'phase-gate check p.yaml --gate rollback --phase db --run-id r1 --context ctx-b --namespace web',
      'phase-gate check p.yaml --gate rollback --phase db --run-id r1 --context ctx-a --namespace web'
    ])
  })
})

describe('step-by-step and one-process releases give the same record', () => {
  for (const [title, fail] of [
    ['a healthy release', {}],
    ['a failed reality check in wave 2', { c: 'reality-check' }],
    ['a failed phase in wave 2', { b: 'phase' }]
  ] as const) {
    it(title, async () => {
      const loaded = planOf(fleetOf())
      const one = await runFleet(loaded, depsOf(fakeRunner(fail).runner), opts)
      const steps = await stepByStep(fail)
      if (one.halt) {
        const rb = await rollbackStep(loaded, depsOf(fakeRunner().runner), {
          ...opts,
          reports: steps.reports
        })
        steps.reports.push(rb)
      }
      const whole = buildFleetRecord(loaded, mergeFleetReports(loaded, [one]))
      const merged = buildFleetRecord(loaded, mergeFleetReports(loaded, steps.reports))
      expect(timeless(merged)).toEqual(timeless(whole))
      expect(whole.verdict).toBe(Object.keys(fail).length ? 'fail' : 'pass')
    })
  }
})

describe('reading a reports directory', () => {
  it("finds the plan's fleet reports at any depth; others are skipped; none or no directory is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-fleet-reports-'))
    try {
      const loaded = planOf(fleetOf())
      const deps = depsOf(fakeRunner().runner)
      const check = await checkStep(loaded, deps, { ...opts, wave: 'canary' })
      mkdirSync(join(dir, 'phase-gate-report-deploy-a-1', 'fleet'), { recursive: true })
      writeFileSync(
        join(dir, 'phase-gate-report-deploy-a-1', 'fleet', 'check.json'),
        JSON.stringify(check)
      )
      writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...check, plan: 'other' }))
      writeFileSync(join(dir, 'report.json'), JSON.stringify({ schemaVersion: 1 }))
      writeFileSync(join(dir, 'broken.json'), '{')
      const { reports, skipped } = await readFleetReports(dir, 'web')
      expect(reports).toHaveLength(1)
      expect(skipped.map(s => s.file).sort()).toEqual(['broken.json', 'other.json', 'report.json'])
      await expect(readFleetReports(dir, 'nothing')).rejects.toThrow(
        /no fleet report of plan nothing in .* \(skipped .*other\.json: a report of plan other/
      )
      await expect(readFleetReports(join(dir, 'missing'), 'web')).rejects.toThrow(UsageError)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
