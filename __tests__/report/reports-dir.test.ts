// The one reader of a reports directory (plan and record gates, runbook):
// what counts as a report, nesting, and what is skipped with its reason.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GateResult, RunReport } from '../../src/report/model.js'
import { isRunReport, readReportsDir } from '../../src/report/reports-dir.js'

function runReport(plan: string, gates: GateResult[], over: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan,
    planFile: 'phase-gate.yaml',
    runId: 'run-1',
    target: { namespace: 'shop' },
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:01:00.000Z',
    verdict: 'pass',
    gates,
    ...over
  }
}

const gate = (over: Partial<GateResult>): GateResult => ({
  gate: 'phase',
  verdict: 'pass',
  durationMs: 10,
  startedAt: '2026-03-01T10:00:00.000Z',
  checks: [],
  ...over
})

describe('isRunReport and readReportsDir', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-reports-'))
    // download-artifact: one directory per artifact.
    await mkdir(join(dir, 'report-reality-check'), { recursive: true })
    await mkdir(join(dir, 'report-phase-web', 'nested'), { recursive: true })
    await writeFile(
      join(dir, 'report-reality-check', 'report.json'),
      JSON.stringify(runReport('shop', [gate({ gate: 'reality-check' })]))
    )
    await writeFile(
      join(dir, 'report-phase-web', 'nested', 'report.json'),
      JSON.stringify(
        runReport('shop', [gate({ name: 'web' })], { startedAt: '2026-03-01T10:05:00.000Z' })
      )
    )
    await writeFile(join(dir, 'other-plan.json'), JSON.stringify(runReport('billing', [])))
    await writeFile(
      join(dir, 'record.json'),
      JSON.stringify({ schemaVersion: 1, plan: 'shop', phases: [] })
    )
    await writeFile(join(dir, 'broken.json'), '{"schemaVersion": 1,')
    await writeFile(join(dir, 'notes.txt'), 'not json')
    // Three levels down is still read; a fourth is not walked.
    await mkdir(join(dir, 'a', 'b', 'c', 'd'), { recursive: true })
    await writeFile(
      join(dir, 'a', 'b', 'c', 'deep.json'),
      JSON.stringify(runReport('shop', [gate({ name: 'deep' })]))
    )
    await writeFile(
      join(dir, 'a', 'b', 'c', 'd', 'too-deep.json'),
      JSON.stringify(runReport('shop', [gate({ name: 'too-deep' })]))
    )
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.each<[string, unknown, boolean]>([
    ['a report', runReport('shop', []), true],
    ['another schema version', { ...runReport('shop', []), schemaVersion: 2 }, false],
    ['another tool', { ...runReport('shop', []), tool: { name: 'other', version: '1' } }, false],
    ['no gates', { ...runReport('shop', []), gates: undefined }, false],
    ['null', null, false]
  ])('isRunReport: %s', (_name, value, ok) => {
    expect(isRunReport(value)).toBe(ok)
  })

  it("reads the plan's reports from the directory and its artifact subdirectories, and says what it skipped", async () => {
    const { reports, skipped } = await readReportsDir(dir, 'shop')
    expect(reports.map(r => r.file).sort()).toEqual([
      join('a', 'b', 'c', 'deep.json'),
      join('report-phase-web', 'nested', 'report.json'),
      join('report-reality-check', 'report.json')
    ])
    expect(skipped.map(s => [s.file, s.why.replace(/:.*/, '')])).toEqual([
      ['broken.json', 'unreadable'],
      ['other-plan.json', 'a report of plan billing'],
      ['record.json', 'not a phase-gate report']
    ])
  })
})
