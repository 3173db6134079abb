// Re-runs keep their history: reports downloaded from artifacts named
// phase-gate-report-<job>-<attempt> carry their attempt into the record, and
// a check that failed in attempt 1 and passed in attempt 2 of the same run is
// "failed, then fixed" across attempts.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { artifactAttempt, readReportsDir } from '../../src/report/reports-dir.js'
import { retrospect } from '../../src/report/record.js'
import type { RunReport, Verdict } from '../../src/report/model.js'

const dir = mkdtempSync(join(tmpdir(), 'phase-gate-attempts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function report(verdict: Verdict, at: string): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: 't' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId: '123',
    target: { namespace: 'shop' },
    startedAt: at,
    finishedAt: at,
    verdict,
    gates: [
      {
        gate: 'tracer',
        verdict,
        durationMs: 5,
        startedAt: at,
        checks: [
          {
            id: 'tracer:db',
            kind: 'tracer',
            target: 'db',
            verdict,
            severity: 'high',
            message: verdict === 'pass' ? 'Cluster db ready in 4s' : 'ImagePullBackOff',
            durationMs: 5
          }
        ]
      }
    ]
  }
}

describe('run attempts', () => {
  it.each<[string, number | undefined]>([
    ['phase-gate-report-tracer-2/tracer.json', 2],
    ['phase-gate-report-phase-db-13/phase.json', 13],
    ['phase-gate-report-tracer/tracer.json', undefined],
    ['tracer.json', undefined]
  ])('artifactAttempt(%s) = %s', (file, attempt) => {
    expect(artifactAttempt(file)).toBe(attempt)
  })

  it('a re-run: failed in attempt 1, fixed in attempt 2, both read from their artifacts', async () => {
    for (const [n, verdict, at] of [
      [1, 'fail', '2026-12-07T18:00:00.000Z'],
      [2, 'pass', '2026-12-07T18:20:00.000Z']
    ] as const) {
      mkdirSync(join(dir, `phase-gate-report-tracer-${n}`))
      writeFileSync(
        join(dir, `phase-gate-report-tracer-${n}`, 'tracer.json'),
        JSON.stringify(report(verdict, at))
      )
    }
    const { reports } = await readReportsDir(dir, 'shop')
    expect(reports.map(r => [r.file, r.report.runAttempt])).toEqual([
      ['phase-gate-report-tracer-1/tracer.json', 1],
      ['phase-gate-report-tracer-2/tracer.json', 2]
    ])
    const retro = retrospect(reports.map(r => r.report))
    expect(retro.fixed).toEqual([
      expect.objectContaining({
        checkId: 'tracer:db',
        failed: expect.objectContaining({ attempt: 1, message: 'ImagePullBackOff' }),
        passed: expect.objectContaining({ attempt: 2 })
      })
    ])
    expect(retro.divergences[0]).toMatch(
      /^tracer:db .*failed in attempt 1 \(ImagePullBackOff\) and passed later in attempt 2$/
    )
  })
})
