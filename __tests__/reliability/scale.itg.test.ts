// Scale: a plan with 200 manifests and 1,000 checks runs through the bundled
// CLI (reality check, the phase applying all 200, validation running all
// 1,000 checks) within a memory bound the suite asserts, and the job summary
// stays under GitHub's 1 MiB step-summary limit by folding details into the
// JSON report.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunReport } from '../../src/report/model.js'
import { createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { freshBundle, type Bundle } from './bundle.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

/** The bound: peak resident memory of one CLI process, in MiB. */
const MAX_RSS_MIB = 256
const MANIFESTS = 200
const CHECKS = 1000
const STEP_SUMMARY_LIMIT = 1024 * 1024

let bundle: Bundle
let ns: string
let work: string
const measured: Record<
  string,
  {
    maxRssMiB: number
    seconds: number
    checks: number
    summaryBytes: number
    reportBytes: number
    exit: number | null
  }
> = {}

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('scale')
  work = await mkdtemp(join(tmpdir(), 'pg-scale-'))
  await mkdir(join(work, 'deploy'))
  // 200 manifests: 160 ConfigMaps and 40 Services, in 20 files.
  for (let f = 0; f < 20; f++) {
    const docs: string[] = []
    for (let i = f * 10; i < f * 10 + 10; i++) {
      docs.push(
        i % 5 === 4
          ? `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, labels: {app: scale}}\nspec:\n  selector: {app: scale-${i}}\n  ports: [{port: 80, targetPort: 8080}]\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, labels: {app: scale}}\ndata:\n  index: "${i}"\n  payload: "${'x'.repeat(512)}"\n`
      )
    }
    await writeFile(
      join(work, 'deploy', `part-${String(f).padStart(2, '0')}.yaml`),
      docs.join('---\n')
    )
  }
  // 1,000 checks: five ready checks per object.
  const checks: string[] = []
  for (let c = 0; c < CHECKS; c++) {
    const i = c % MANIFESTS
    checks.push(
      `    - ready: {kind: ${i % 5 === 4 ? 'Service' : 'ConfigMap'}, name: ${i % 5 === 4 ? 'svc' : 'cm'}-${i}}`
    )
  }
  // The same 1,000 checks, all failing with evidence: objects that never appear.
  await writeFile(
    join(work, 'failing.yaml'),
    `version: 1
name: scale
target: {namespace: ${ns}}
validation:
  checks:
${Array.from({ length: CHECKS }, (_, c) => `    - ready: {kind: ConfigMap, name: missing-${c}, timeout: 2s}`).join('\n')}
`
  )
  await writeFile(
    join(work, 'phase-gate.yaml'),
    `version: 1
name: scale
target: {namespace: ${ns}}
assumptions:
  apis: [v1/ConfigMap, v1/Service]
  manifests: [deploy/*.yaml]
phases:
  - name: bulk
    apply: [deploy/*.yaml]
    timeout: 5m
validation:
  checks:
${checks.join('\n')}
  rollbackTest: true
`
  )
}, 240_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
  writeFigures('scale', {
    manifests: MANIFESTS,
    checks: CHECKS,
    maxRssMiB: MAX_RSS_MIB,
    runs: measured
  })
  const names: Record<string, string> = {
    'reality-check': `reality check, ${MANIFESTS} manifests`,
    phase: `phase applying ${MANIFESTS} objects`,
    validate: `validation, ${CHECKS.toLocaleString('en-US')} passing checks`,
    failing: `validation, ${CHECKS.toLocaleString('en-US')} failing checks with evidence`
  }
  const runs = Object.entries(measured)
  if (runs.length === 0) return
  const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`
  publishFigures(
    'scale',
    {
      table: {
        value: Math.max(...runs.map(([, m]) => m.maxRssMiB)),
        unit: 'MiB',
        text: `\n${markdownTable(
          ['run', 'checks', 'peak RSS', 'bound', 'time', 'summary', 'report', 'exit'],
          runs.map(([name, m]) => [
            names[name] ?? name,
            m.checks,
            `${m.maxRssMiB.toFixed(1)} MiB`,
            `${MAX_RSS_MIB} MiB`,
            `${m.seconds.toFixed(1)} s`,
            kib(m.summaryBytes),
            kib(m.reportBytes),
            String(m.exit)
          ])
        )}`
      }
    },
    suiteCommand('itg', '__tests__/reliability/scale.itg.test.ts')
  )
})

/** Runs the CLI under /usr/bin/time, which reports the peak resident set size. */
function measure(name: string, args: string[], expectedExit = 0): Promise<void> {
  const reportPath = join(work, `${name}.json`)
  const summaryPath = join(work, `${name}.md`)
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'maxrss=%M',
        process.execPath,
        bundle.cli,
        ...args,
        '--run-id',
        'scale-run',
        '--report',
        reportPath,
        '--summary',
        summaryPath
      ],
      {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe']
      }
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('exit', async code => {
      try {
        const kb = Number(/maxrss=(\d+)/.exec(stderr)?.[1])
        const report = JSON.parse(await readFile(reportPath, 'utf8')) as RunReport
        measured[name] = {
          maxRssMiB: Math.round((kb / 1024) * 10) / 10,
          seconds: Math.round((Date.now() - started) / 100) / 10,
          checks: report.gates.reduce((n, g) => n + g.checks.length, 0),
          summaryBytes: (await stat(summaryPath)).size,
          reportBytes: (await stat(reportPath)).size,
          exit: code
        }
        if (code !== expectedExit)
          reject(new Error(`${name} exited ${code}: ${stderr.slice(-2000)}`))
        else resolve()
      } catch (err) {
        reject(err instanceof Error ? new Error(`${err.message}\n${stderr.slice(-2000)}`) : err)
      }
    })
  })
}

describe('scale: 200 manifests, 1,000 checks', () => {
  it('reality check of 200 manifests within the memory bound', async () => {
    await measure('reality-check', ['check', 'phase-gate.yaml', '--gate', 'reality-check'])
    expect(measured['reality-check'].maxRssMiB).toBeLessThan(MAX_RSS_MIB)
    expect(measured['reality-check'].checks).toBeGreaterThanOrEqual(MANIFESTS)
  }, 300_000)

  it('a phase applying 200 objects within the memory bound', async () => {
    await measure('phase', ['check', 'phase-gate.yaml', '--gate', 'phase'])
    expect(measured.phase.maxRssMiB).toBeLessThan(MAX_RSS_MIB)
    const report = JSON.parse(await readFile(join(work, 'phase.json'), 'utf8')) as RunReport
    expect(report.gates[0].checks.find(c => c.kind === 'apply')?.message).toMatch(
      /^applied 200 objects \(200 created\)/
    )
  }, 300_000)

  it('validation running 1,000 checks within the memory bound; the summary folds into the report and stays under 1 MiB', async () => {
    await measure('validate', ['check', 'phase-gate.yaml', '--gate', 'validate'])
    const m = measured.validate
    expect(m.maxRssMiB).toBeLessThan(MAX_RSS_MIB)
    expect(m.checks).toBeGreaterThanOrEqual(CHECKS)
    expect(m.summaryBytes).toBeLessThan(STEP_SUMMARY_LIMIT)
    const summary = await readFile(join(work, 'validate.md'), 'utf8')
    expect(summary).toMatch(/…and \d+ more in the JSON report/)
    // The report holds every check the summary left out.
    const report = JSON.parse(await readFile(join(work, 'validate.json'), 'utf8')) as RunReport
    expect(
      report.gates[0].checks.filter(c => c.kind === 'ready' && c.verdict === 'pass')
    ).toHaveLength(CHECKS)
  }, 300_000)

  it('1,000 failing checks with evidence: within the bound, and the summary still fits by folding', async () => {
    await measure('failing', ['check', 'failing.yaml', '--gate', 'validate'], 1)
    const m = measured.failing
    expect(m.maxRssMiB).toBeLessThan(MAX_RSS_MIB)
    expect(m.summaryBytes).toBeLessThan(STEP_SUMMARY_LIMIT)
    const summary = await readFile(join(work, 'failing.md'), 'utf8')
    expect(summary).toMatch(/…and 80\d more in the JSON report/)
    const report = JSON.parse(await readFile(join(work, 'failing.json'), 'utf8')) as RunReport
    const failed = report.gates[0].checks.filter(c => c.kind === 'ready' && c.verdict === 'fail')
    expect(failed).toHaveLength(CHECKS)
    // Each failure keeps its evidence in the report.
    expect(failed.every(c => (c.evidence ?? '').length > 0)).toBe(true)
  }, 300_000)
})
