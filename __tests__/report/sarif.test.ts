// SARIF for code scanning: `phase-gate lint --sarif` and the check's hygiene
// and divergence findings, validated against the official SARIF 2.1.0 schema
// (vendored in __tests__/fixtures/sarif, see SOURCE.md there) with Ajv, each
// result naming its file, line and rule id.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import AjvDraft04 from 'ajv-draft-04'
import { main } from '../../src/cli/main.js'
import { hygieneCheck } from '../../src/checks/hygiene.js'
import { checkRuleId, lintRuleId, renderSarif } from '../../src/report/sarif.js'
import type { CheckResult, RunReport } from '../../src/report/model.js'
import { realityContext } from '../fixtures/reality/context.js'
import { FakeCluster } from '../support/fake-cluster.js'

const schema = JSON.parse(
  readFileSync(path.resolve('__tests__/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')
) as object
const Ajv = AjvDraft04.default
const ajv = new Ajv({ allErrors: true, strict: false })
// The schema uses the uri, uri-reference and date-time formats; checked, not ignored.
ajv.addFormat('uri', s => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s))
ajv.addFormat('uri-reference', s => URL.canParse(s, 'file:///'))
ajv.addFormat('date-time', s => !Number.isNaN(Date.parse(s)))
const validate = ajv.compile(schema)

function expectValid(log: unknown): void {
  const ok = validate(log)
  if (!ok) throw new Error(`invalid SARIF: ${JSON.stringify(validate.errors, null, 2)}`)
}

interface SarifResult {
  ruleId: string
  level: string
  message: { text: string }
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }
  }[]
}
const resultsOf = (log: unknown): SarifResult[] =>
  (log as { runs: { results: SarifResult[] }[] }).runs[0].results

const dir = mkdtempSync(path.join(tmpdir(), 'phase-gate-sarif-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = ''
  const stream = { isTTY: false, write: (s: string | Uint8Array) => ((out += s.toString()), true) }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => out }
}

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: registry.invalid/web:latest
`

describe('SARIF', () => {
  it('the schema validator is not a rubber stamp', () => {
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false)
    expect(validate({ version: '2.1.0', runs: [], extra: 1 })).toBe(false)
  })

  it('`lint --sarif` writes a valid log naming the file, line and rule of a lint error', async () => {
    const plan = path.join(dir, 'phase-gate.yaml')
    writeFileSync(
      plan,
      [
        'version: 1',
        'name: web',
        'target: {namespace: web}',
        'rollout:',
        '  target: {kind: Deployment, name: web}',
        '  stages: [{name: canary, weight: 5, hold: 1m}]',
        '  metrics: {prometheus: "http://127.0.0.1:9", errorRate: "sum(up)"}',
        '  rollbackIf:',
        '    - {metric: latencyP99, above: 5s}',
        ''
      ].join('\n')
    )
    const out = path.join(dir, 'lint.sarif')
    const err = sink()
    const code = await main(['lint', plan, '--sarif', out], {
      stdout: sink().stream,
      stderr: err.stream,
      env: {},
      cwd: dir
    })
    expect(code).toBe(2)
    const log = JSON.parse(readFileSync(out, 'utf8')) as unknown
    expectValid(log)
    const r = resultsOf(log).find(x => x.message.text.includes('latencyP99'))
    expect(r).toBeDefined()
    expect(r?.level).toBe('error')
    expect(r?.ruleId).toBe('lint/rollout.rollbackIf.metric')
    expect(r?.locations[0].physicalLocation.artifactLocation.uri).toBe('phase-gate.yaml')
    expect(r?.locations[0].physicalLocation.region.startLine).toBe(9)
    // The terminal says the same line.
    expect(err.text()).toContain('phase-gate.yaml:9:')
  })

  it('a plan that does not even load still leaves its problems in the SARIF file', async () => {
    const plan = path.join(dir, 'broken.yaml')
    writeFileSync(plan, 'version: 1\nname: web\ntarget: {namespace: web}\nphases: 3\n')
    const out = path.join(dir, 'broken.sarif')
    const code = await main(['lint', plan, '--sarif', out], {
      stdout: sink().stream,
      stderr: sink().stream,
      env: {},
      cwd: dir
    })
    expect(code).toBe(2)
    const log = JSON.parse(readFileSync(out, 'utf8')) as unknown
    expectValid(log)
    const r = resultsOf(log)[0]
    expect(r.ruleId).toBe('lint/phases')
    expect(r.locations[0].physicalLocation.region.startLine).toBe(4)
  })

  it('hygiene and divergence findings of a check carry file, line and rule id', async () => {
    const ctx = await realityContext({
      plan: 'assumptions: {manifests: [deploy/*.yaml]}\n',
      files: { 'deploy/web.yaml': WEB },
      cluster: new FakeCluster()
    })
    const hygiene = await hygieneCheck.run(ctx)
    const finding = hygiene.find(c => c.verdict === 'fail' || c.verdict === 'warn')
    expect(finding).toBeDefined()
    const divergence: CheckResult = {
      id: 'divergence:apiVersion extensions/v1beta1 Ingress',
      kind: 'divergence',
      target: 'apiVersion extensions/v1beta1 Ingress',
      verdict: 'fail',
      severity: 'high',
      message: 'extensions/v1beta1 Ingress is not served',
      durationMs: 0,
      location: { file: 'deploy/web.yaml', line: 1, column: 1 }
    }
    const report: RunReport = {
      schemaVersion: 1,
      tool: { name: 'phase-gate', version: 'test' },
      plan: 'web',
      planFile: 'phase-gate.yaml',
      runId: 'r1',
      target: { namespace: 'web' },
      startedAt: new Date(0).toISOString(),
      finishedAt: new Date(0).toISOString(),
      verdict: 'fail',
      gates: [
        {
          gate: 'reality-check',
          verdict: 'fail',
          durationMs: 1,
          startedAt: new Date(0).toISOString(),
          checks: [...hygiene, divergence]
        }
      ]
    }
    const log = renderSarif({ report })
    expectValid(log)
    const results = resultsOf(log)
    const h = results.find(r => r.ruleId === checkRuleId(finding as CheckResult))
    expect(h?.ruleId).toMatch(/^hygiene\/[a-z-]+$/)
    expect(h?.locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/web.yaml')
    expect(h?.locations[0].physicalLocation.region.startLine).toBe(1)
    expect(results.find(r => r.ruleId === 'divergence/apiVersion')?.level).toBe('error')
    // Passing and skipped checks are not findings; the hygiene summary has no location anyway.
    const problems = hygiene.filter(
      c => ['fail', 'warn', 'error'].includes(c.verdict) && c.location
    )
    expect(results.length).toBe(problems.length + 1)
  })

  it('rule ids are stable: indices dropped from lint paths', () => {
    expect(lintRuleId({ path: 'phases[2].validate[0].http.port' })).toBe(
      'lint/phases.validate.http.port'
    )
    expect(lintRuleId({ path: '' })).toBe('lint/plan')
  })
})
