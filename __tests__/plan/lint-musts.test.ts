// The seed's musts as lint rules, through `phase-gate lint` (the CLI's own
// command path): a rollout without any rollbackIf is an error at its line
// (exit 2), a phase without validate is a warning naming it, stage triggers
// are checked like the rollout's, tiers and seed defaults are checked.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { main } from '../../src/cli/main.js'

const dir = mkdtempSync(join(tmpdir(), 'phase-gate-seed-lint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString()
      cb()
    }
  })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text }
}

let n = 0
async function lint(body: string): Promise<{ code: number; text: string }> {
  const file = `p${++n}.yaml`
  writeFileSync(
    join(dir, file),
    `version: 1\nname: web\ntarget: {namespace: web}\nprometheus: http://127.0.0.1:9090\n${body}`
  )
  const out = sink()
  const err = sink()
  const code = await main(['lint', file], {
    stdout: out.stream,
    stderr: err.stream,
    env: {},
    cwd: dir
  })
  return { code, text: `${out.text()}${err.text()}`.replaceAll(file, 'F') }
}

const ROLLOUT = `rollout:
  target: {kind: Deployment, name: api}
  stages:
    - {name: canary, weight: 10, hold: 1m}
    - {name: full, weight: 100}
  metrics:
    requests: 'sum(rate(req{track="{{track}}"}[1m]))'
    errorRate: 'sum(rate(err{track="{{track}}"}[1m])) / sum(rate(req{track="{{track}}"}[1m]))'
`

describe('lint: the seed musts', () => {
  it('a rollout without any rollbackIf is an error at the rollout line, exit 2', async () => {
    const r = await lint(ROLLOUT)
    expect(r.code).toBe(2)
    expect(r.text).toMatch(
      /F:5:1: error: rollout: the rollout has no rollbackIf: every stage would promote on hold time alone/
    )
  })

  it('a global rollbackIf, a stage rollbackIf or defaults: seed with a named metric satisfies it', async () => {
    const global = await lint(`${ROLLOUT}  rollbackIf: [{metric: errorRate, above: 2x baseline}]\n`)
    expect(global.code).toBe(0)
    const stage = await lint(
      ROLLOUT.replace(
        '{name: canary, weight: 10, hold: 1m}',
        '{name: canary, weight: 10, hold: 1m, rollbackIf: [{metric: errorRate, above: 5%}]}'
      )
    )
    expect(stage.code).toBe(0)
    const seed = await lint(`${ROLLOUT}  defaults: seed\n`)
    expect(seed.code).toBe(0)
    expect(seed.text).not.toMatch(/warning/)
  })

  it('defaults: seed without any metric it covers warns and still needs a trigger', async () => {
    const r = await lint(ROLLOUT.replace(/ {4}errorRate: .*\n/, '') + '  defaults: seed\n')
    expect(r.code).toBe(2)
    expect(r.text).toMatch(
      /warning: rollout.defaults: defaults: seed applies to none of the metrics/
    )
    expect(r.text).toMatch(/the rollout has no rollbackIf/)
  })

  it('a stage trigger is checked like a rollout trigger (undefined metric, at its line)', async () => {
    const r = await lint(
      ROLLOUT.replace(
        '{name: canary, weight: 10, hold: 1m}',
        '{name: canary, weight: 10, hold: 1m, rollbackIf: [{metric: errorRat, above: 5%}]}'
      )
    )
    expect(r.code).toBe(2)
    expect(r.text).toMatch(
      /F:8:\d+: error: rollout.stages\[0\].rollbackIf\[0\].metric: metric "errorRat" is not defined under rollout.metrics \(did you mean "errorRate"\?\)/
    )
  })

  it('tiers: warn at or above fail, fail beside above, are errors', async () => {
    const r = await lint(
      `${ROLLOUT}  rollbackIf:\n    - {metric: errorRate, warn: 5%, fail: 2%}\n    - {metric: errorRate, above: 3%, fail: 4%}\n`
    )
    expect(r.code).toBe(2)
    expect(r.text).toMatch(
      /F:14:\d+: error: rollout.rollbackIf\[0\].warn: the warn tier \(5%\) must be below the fail tier \(2%\)/
    )
    expect(r.text).toMatch(
      /F:15:\d+: error: rollout.rollbackIf\[1\].fail: give fail or above, not both/
    )
  })

  it('a warn-only trigger counts as judged; a metric check needs expect, warn or fail', async () => {
    const ok = await lint(`${ROLLOUT}  rollbackIf: [{metric: errorRate, warn: 2%}]\n`)
    expect(ok.code).toBe(0)
    const bad = await lint(
      `validation:\n  checks:\n    - metric: {query: 'sum(up)'}\n    - metric: {query: 'sum(up)', warn: 2%, fail: 5%}\n`
    )
    expect(bad.code).toBe(2)
    expect(bad.text).toMatch(
      /F:7:\d+: error: validation.checks\[0\].metric: validation.checks\[0\].metric.expect is missing: a metric check needs expect, or a warn or fail tier/
    )
    expect(bad.text).not.toMatch(/checks\[1\]/)
  })

  it('a phase without validate is a warning naming the phase and the implicit criterion', async () => {
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n')
    const r = await lint(
      'phases:\n  - {name: config, apply: [cm.yaml]}\n  - {name: app, apply: [cm.yaml], validate: [{ready: {kind: ConfigMap, name: a}}]}\n'
    )
    expect(r.code).toBe(0)
    expect(r.text).toMatch(
      /F:6:5: warning: phases\[0\]: phase "config" has no validate: the implicit "every applied object is Current" is its only criterion/
    )
    expect(r.text).not.toMatch(/phase "app"/)
  })

  it('format pagerduty needs routingKeyEnv', async () => {
    const r = await lint('notify: [{urlEnv: PD_URL, format: pagerduty}]\n')
    expect(r.code).toBe(2)
    expect(r.text).toMatch(/notify\[0\].format: format pagerduty needs routingKeyEnv/)
    const ok = await lint('notify: [{urlEnv: PD_URL, format: pagerduty, routingKeyEnv: PD_KEY}]\n')
    expect(ok.code).toBe(0)
  })
})
