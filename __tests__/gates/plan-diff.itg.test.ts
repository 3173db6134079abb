// The approver's diff against the real local cluster: an earlier run applied
// a Deployment, a Secret and a ConfigMap; the plan's phase changes the
// Deployment's replicas and one env var, the Secret's value, leaves the
// ConfigMap as it is and adds one. The plan gate's summary shows exactly the
// changed lines, the Secret's key as `(changed)` and never a value (a canary
// searched in the summary, the PR comment, the report JSON, the terminal,
// `phase-gate diff` in both forms and every log line), and the untouched
// ConfigMap as unchanged.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { parseAllDocuments } from 'yaml'
import { main } from '../../src/cli/main.js'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import { prepareObjects } from '../../src/kube/apply.js'
import { connectCluster } from '../../src/kube/client.js'
import type { KubeObject } from '../../src/kube/types.js'
import { renderCommentSection } from '../../src/report/comment.js'
import type { RunReport } from '../../src/report/model.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { cliSettings, planDir, type PlanDir } from './engine-env.js'

const OLD_CANARY = `old-canary-${randomBytes(6).toString('hex')}`
const NEW_CANARY = `new-canary-${randomBytes(6).toString('hex')}`
const b64 = (s: string): string => Buffer.from(s).toString('base64')

const deployment = (replicas: number, mode: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: registry.invalid/web:1
          env:
            - {name: MODE, value: ${mode}}
            - {name: LEVEL, value: info}
`
const secret = (password: string): string => `apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: ${password}, user: admin}
`
const same = `apiVersion: v1
kind: ConfigMap
metadata: {name: same}
data: {a: "1"}
`
const extra = `apiVersion: v1
kind: ConfigMap
metadata: {name: extra}
data: {b: "2"}
`

let ns: string
let dir: PlanDir
let report: RunReport
const logs: string[] = []

beforeAll(async () => {
  ns = await createTestNamespace('plan-diff')
  // What an earlier run applied, through phase-gate's own apply (field manager phase-gate).
  const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  try {
    const before = [deployment(1, 'blue'), secret(OLD_CANARY), same].map(
      t => parseAllDocuments(t)[0].toJS() as KubeObject
    )
    const prepared = await prepareObjects(cluster, before, ns, {
      plan: 'diff',
      run: 'earlier-run',
      role: 'phase',
      unit: 'app'
    })
    for (const o of prepared) await cluster.apply(o)
  } finally {
    cluster.close()
  }
  dir = await planDir(
    `version: 1
name: diff
target: {namespace: ${ns}}
phases:
  - name: app
    apply: [deploy/app.yaml]
`,
    {
      'deploy/app.yaml': [deployment(3, 'green'), secret(NEW_CANARY), same, extra].join('---\n')
    }
  )
  const log = memoryLogger()
  const result = await runEngine(
    cliSettings(dir, clusterEnv().kubeconfig, { gate: 'plan', runId: 'diff-run' }),
    { log, heartbeat: line => logs.push(line) }
  )
  logs.push(...log.lines)
  report = result.report
}, 120_000)

afterAll(async () => {
  await dir?.remove()
  if (ns) await deleteNamespace(ns)
})

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = ''
  const stream = { isTTY: false, write: (s: string | Uint8Array) => ((out += s.toString()), true) }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => out }
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out = sink()
  const err = sink()
  const code = await main(args, {
    stdout: out.stream,
    stderr: err.stream,
    env: { NO_COLOR: '1' },
    cwd: dir.dir
  })
  return { code, out: `${out.text()}${err.text()}` }
}

/** The diff block under `<summary>` naming the object. */
function diffBlock(markdown: string, object: string): string[] {
  const at = markdown.indexOf(`<summary>${object}:`)
  expect(at).toBeGreaterThanOrEqual(0)
  const rest = markdown.slice(at)
  const body = rest.slice(rest.indexOf('```diff') + '```diff'.length, rest.indexOf('\n```\n'))
  return body.split('\n').filter(Boolean)
}

describe('the plan gate shows the approver what the phases change', () => {
  it('passes and says per phase what is new, changed and unchanged', () => {
    const plan = report.gates[0]
    expect(plan.gate).toBe('plan')
    const diff = plan.checks.find(c => c.kind === 'diff')
    expect(diff?.message).toBe('phase app: 1 new, 2 changed, 1 unchanged')
    expect(diff?.data).toEqual({
      new: [`ConfigMap ${ns}/extra`],
      changed: [`Deployment ${ns}/web`, `Secret ${ns}/creds`],
      unchanged: [`ConfigMap ${ns}/same`]
    })
  })

  it('the summary shows exactly the replicas and env lines changed for the Deployment', () => {
    const summary = renderSummary(report)
    expect(summary).toContain(`- unchanged: \`ConfigMap ${ns}/same\``)
    expect(summary).toContain(`- new: \`ConfigMap ${ns}/extra\``)
    const lines = diffBlock(summary, `Deployment ${ns}/web`)
    const changed = lines.filter(l => /^[-+]/.test(l))
    expect(changed).toEqual([
      '-  replicas: 1',
      '+  replicas: 3',
      '-              value: blue',
      '+              value: green'
    ])
    // Context around them, and no server noise.
    expect(lines.some(l => l.startsWith('@@ '))).toBe(true)
    expect(lines.join('\n')).not.toMatch(/resourceVersion|managedFields|generation|uid:|status:/)
  })

  it('a Secret whose value changed shows the key as changed and no value anywhere', async () => {
    const summary = renderSummary(report)
    const lines = diffBlock(summary, `Secret ${ns}/creds`)
    expect(lines.filter(l => /^[-+]/.test(l))).toEqual([
      '-  password: (previous value)',
      '+  password: (changed)'
    ])
    const terminalDiff = await cli(['diff', dir.planPath, '--kubeconfig', clusterEnv().kubeconfig])
    expect(terminalDiff.code).toBe(0)
    expect(terminalDiff.out).toContain('+  password: (changed)')
    expect(terminalDiff.out).toContain(`= unchanged ConfigMap ${ns}/same`)
    expect(terminalDiff.out).toContain('+  replicas: 3')
    const jsonDiff = await cli([
      'diff',
      dir.planPath,
      '--kubeconfig',
      clusterEnv().kubeconfig,
      '--phase',
      'app',
      '--output',
      'json'
    ])
    expect(jsonDiff.code).toBe(0)
    expect(JSON.parse(jsonDiff.out).phases[0].phase).toBe('app')
    const outputs = {
      summary,
      comment: renderCommentSection(report.gates),
      // The report as the engine returned it, before any redaction on the way to a file.
      reportJson: JSON.stringify(report),
      terminal: renderTerminal(report, { color: false, verbose: true }),
      diffTerminal: terminalDiff.out,
      diffJson: jsonDiff.out,
      log: logs.join('\n')
    }
    for (const [name, text] of Object.entries(outputs))
      for (const canary of [OLD_CANARY, NEW_CANARY, b64(OLD_CANARY), b64(NEW_CANARY)])
        expect({ name, leaked: text.includes(canary) }).toEqual({ name, leaked: false })
    // The unchanged key is named too, without its value.
    expect(lines).toContain('   user: (unchanged)')
  })

  it('an unknown --phase is a usage error naming the phases', async () => {
    const r = await cli(['diff', dir.planPath, '--phase', 'nope'])
    expect(r.code).toBe(2)
    expect(r.out).toContain('phases: app')
  })
})
