// Lint of rollout.judge, onInconclusive and maxHold: unknown metric names,
// worseBy units, confidence in (0, 1), minSamples >= 1, each at its line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { loadPlan } from '../../src/plan/loader.js'
import { formatProblem, lintPlan } from '../../src/plan/lint.js'

const dir = mkdtempSync(path.join(tmpdir(), 'phase-gate-lint-judge-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let counter = 0
async function write(judge: string, extra = ''): Promise<string> {
  const file = path.join(dir, `p${++counter}.yaml`)
  writeFileSync(
    file,
    `version: 1
name: web
target: {namespace: web}
prometheus: http://127.0.0.1:9090
rollout:
  target: {kind: Deployment, name: api}
  stages:
    - {name: canary, weight: 10, hold: 1m${extra}}
    - {name: full, weight: 100}
  metrics:
    requests: 'sum(rate(req{track="{{track}}"}[1m]))'
    failed: 'sum(req_total{code=~"5..",track="{{track}}"})'
    total: 'sum(req_total{track="{{track}}"})'
    latencyP99: 'histogram_quantile(0.99, sum by (le) (rate(b{track="{{track}}"}[1m])))'
  onInconclusive: hold
  expectedRps: 40
  judge:
${judge}`
  )
  return file
}

async function lint(judge: string, extra = ''): Promise<string[]> {
  const file = await write(judge, extra)
  const loaded = await loadPlan(file, { workspace: dir })
  return lintPlan(loaded, { checkFiles: false }).map(p =>
    formatProblem(p).replace(loaded.displayFile, 'F')
  )
}

describe('lint: rollout.judge', () => {
  it('accepts the issue example', async () => {
    expect(
      await lint(`    - {name: error ratio, test: proportion, failures: failed, total: total, worseBy: 1%, confidence: 0.95}
    - {name: p99 latency, test: mann-whitney, metric: latencyP99, worseBy: 20%, confidence: 0.95, minSamples: 8}
`)
    ).toEqual([])
  })

  it.each<[string, string, string, RegExp]>([
    [
      'unknown counter',
      '    - {name: e, test: proportion, failures: failures, total: total, worseBy: 1%}\n',
      '',
      /^F:18:35: rollout\.judge\[0\]\.failures: metric "failures" is not defined under rollout\.metrics.*failed/
    ],
    [
      'unknown metric',
      '    - {name: p, test: mann-whitney, metric: latency99, worseBy: 20%}\n',
      '',
      /^F:18:\d+: rollout\.judge\[0\]\.metric: metric "latency99" is not defined.*latencyP99/
    ],
    [
      'missing total',
      '    - {name: e, test: proportion, failures: failed, worseBy: 1%}\n',
      '',
      /^F:18:\d+: rollout\.judge\[0\]: a proportion comparison needs total/
    ],
    [
      'a time for a proportion',
      '    - {name: e, test: proportion, failures: failed, total: total, worseBy: 200ms}\n',
      '',
      /^F:18:\d+: rollout\.judge\[0\]\.worseBy: worseBy "200ms" is not a difference of failure ratios/
    ],
    [
      'an unknown unit',
      '    - {name: p, test: mann-whitney, metric: latencyP99, worseBy: 20 furlongs}\n',
      '',
      /^F:18:\d+: rollout\.judge\[0\]\.worseBy: worseBy "20 furlongs" is not a shift/
    ],
    [
      'maxHold below hold',
      '    - {name: p, test: mann-whitney, metric: latencyP99, worseBy: 20%}\n',
      ', maxHold: 30s',
      /^F:8:\d+: rollout\.stages\[0\]\.maxHold: maxHold \(30s\) is shorter than the stage's hold/
    ]
  ])('%s', async (_, judge, extra, want) => {
    const problems = await lint(judge, extra)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(want)
  })

  it.each([
    ['confidence 1.5', 'confidence: 1.5', /confidence/],
    ['confidence 0', 'confidence: 0', /confidence/],
    ['minSamples 0', 'minSamples: 0', /minSamples/]
  ])('%s is refused at its line', async (_, field, want) => {
    const file = await write(
      `    - {name: p, test: mann-whitney, metric: latencyP99, worseBy: 20%, ${field}}\n`
    )
    const problems = await loadPlan(file, { workspace: dir }).then(
      loaded => lintPlan(loaded, { checkFiles: false }).map(formatProblem),
      (err: Error & { problems?: string[] }) => [err.message, ...(err.problems ?? [])]
    )
    const text = problems.join('\n')
    expect(text).toMatch(want)
    expect(text).toMatch(/:18:\d+/)
  })
})
