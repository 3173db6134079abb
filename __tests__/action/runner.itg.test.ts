// The bundled action run the way the GitHub runner runs it: `node
// dist/index.js` with INPUT_* variables (uppercased, dashes kept), the file
// commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), a
// pull_request event, the local GitHub stand-in as GITHUB_API_URL, and the
// kubeconfig input holding the local cluster's kubeconfig content. The post
// step runs as the runner runs it: the same bundle with the saved state as
// STATE_* variables.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { freshBundle } from '../reliability/bundle.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

const root = resolve(import.meta.dirname, '..', '..')
const PR = 7
const SHA = 'c0ffee'.padEnd(40, '0')

let bundle: string
let work: string
let workspace: string
let runnerTemp: string
let namespace: string
let kubeconfig: string
let standIn: GitHubStandIn
let runSeq = 0

interface StepRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
}

/** Reads a file-command file (`name<<delimiter\nvalue\ndelimiter`, or `name=value`). */
function readFileCommands(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!existsSync(path)) return out
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
      out[heredoc[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1)
    }
  }
  return out
}

/** Every input action.yml declares, with its default, as the runner passes them. */
function defaultInputs(): Record<string, string> {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs)
      // The runner evaluates `${{ github.token }}`; each test names its token itself.
      .filter(([, v]) => v.default !== undefined && !String(v.default).includes('${{'))
      .map(([k, v]) => [k, String(v.default)])
  )
}

/** Runs the bundle as one step of a job: main, or post with the main step's saved state. */
function runStep(inputs: Record<string, string>, post?: Record<string, string>): Promise<StepRun> {
  const dir = join(work, `step-${++runSeq}`)
  mkdirSync(dir)
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? work,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_API_URL: standIn.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(work, 'event.json'),
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'gate',
    // Public image names resolve on the local registry, as in the demo.
    PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${clusterEnv().registry}`,
    ...files
  }
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs }))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  for (const [name, value] of Object.entries(post ?? {})) env[`STATE_${name}`] = value
  return new Promise(done => {
    // Asynchronous: the GitHub stand-in answers from this process meanwhile.
    execFile(
      process.execPath,
      [join(bundle, 'index.js')],
      { env, cwd: workspace, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        done({
          code,
          stdout,
          stderr,
          outputs: readFileCommands(files.GITHUB_OUTPUT),
          state: readFileCommands(files.GITHUB_STATE),
          summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
        })
      }
    )
  })
}

/** Main step then post step, as one `uses:` step runs in a job. */
async function runWithPost(
  inputs: Record<string, string>
): Promise<{ main: StepRun; post: StepRun }> {
  const main = await runStep(inputs)
  const post = await runStep(inputs, main.state)
  return { main, post }
}

function secretsOf(config: string): string[] {
  const doc = parse(config) as { users?: { user?: Record<string, string> }[] }
  return (doc.users ?? [])
    .flatMap(u => Object.values(u.user ?? {}))
    .filter(v => typeof v === 'string' && v.length > 8)
}

/** Log lines that may carry secrets: everything but the mask registrations themselves. */
function logLines(run: StepRun): string[] {
  return `${run.stdout}\n${run.stderr}`.split('\n').filter(l => !l.startsWith('::add-mask::'))
}

const plan = (name: string, body: string): string => {
  mkdirSync(join(workspace, name, 'deploy'), { recursive: true })
  const file = join(name, 'phase-gate.yaml')
  writeFileSync(join(workspace, file), body)
  return file
}

let okPlan: string
let badPlan: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'phase-gate-runner-'))
  // The bundle of the current sources, built as scripts/bundle.mjs builds dist/ (once for every test file).
  bundle = (await freshBundle()).dir
  workspace = join(work, 'workspace')
  runnerTemp = join(work, 'runner-temp')
  mkdirSync(workspace)
  mkdirSync(runnerTemp)
  namespace = await createTestNamespace('action-runner')
  kubeconfig = readFileSync(clusterEnv().kubeconfig, 'utf8')
  writeFileSync(
    join(work, 'event.json'),
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: { number: PR, head: { sha: SHA, ref: 'feature' }, base: { ref: 'main' } },
      repository: { full_name: 'octo/app' }
    })
  )
  okPlan = plan(
    'ok',
    `version: 1
name: runner-ok
target: {namespace: ${namespace}}
approval: {environment: deploy-approval}
assumptions:
  apis: [apps/v1/Deployment, v1/ConfigMap]
  images: [ghcr.io/phase-gate/app:1.0]
  manifests: [deploy/*.yaml]
phases:
  - name: config
    apply: [deploy/config.yaml]
`
  )
  writeFileSync(
    join(workspace, 'ok', 'deploy', 'config.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: runner-config}\ndata: {mode: test}\n'
  )
  badPlan = plan(
    'bad',
    `version: 1
name: runner-bad
target: {namespace: ${namespace}}
assumptions:
  apis: [apps/v1/Deployment, extensions/v1beta1/Ingress]
`
  )
  standIn = await startGitHubStandIn({
    state: {
      pulls: { [PR]: { head: { sha: SHA, ref: 'feature' }, base: { ref: 'main' } } },
      environments: {
        'deploy-approval': {
          protection_rules: [
            {
              id: 1,
              type: 'required_reviewers',
              reviewers: [{ type: 'User', reviewer: { login: 'alice' } }]
            }
          ]
        },
        unprotected: { protection_rules: [] }
      }
    }
  })
}, 300_000)

afterAll(async () => {
  await standIn?.close()
  if (namespace) await deleteNamespace(namespace)
  rmSync(work, { recursive: true, force: true })
})

describe('the bundled action, run as the runner runs it', () => {
  let first: { main: StepRun; post: StepRun }

  it('passes a plan whose APIs the cluster serves: verdict pass, exit 0, summary, report, one new PR comment', async () => {
    first = await runWithPost({
      gate: 'reality-check',
      plan: okPlan,
      kubeconfig,
      'github-token': 'test-token'
    })
    const { main } = first
    expect(main.stderr).toBe('')
    expect(main.code).toBe(0)
    expect(main.outputs.verdict).toBe('pass')
    expect(main.outputs.failed).toBe('false')
    expect(main.outputs.report).toBe(join(runnerTemp, 'phase-gate', 'reality-check.json'))
    const report = JSON.parse(readFileSync(main.outputs.report, 'utf8')) as {
      verdict: string
      runId: string
      gates: { gate: string }[]
    }
    expect([report.verdict, report.runId, report.gates.map(g => g.gate)]).toEqual([
      'pass',
      '4242',
      ['reality-check']
    ])
    expect(main.summary).toContain(`## ✅ phase-gate: runner-ok → `)
    expect(main.summary).toContain('apps/v1/Deployment')
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('phase-gate:section=reality-check')
    expect(standIn.requestsTo('POST', `/repos/octo/app/issues/${PR}/comments`)).toHaveLength(1)
  }, 120_000)

  it('writes the kubeconfig input to a private file under RUNNER_TEMP that the post step removes', () => {
    const { main, post } = first
    const path = main.state.kubeconfigPath
    const dir = main.state.tempDir
    expect(path.startsWith(`${runnerTemp}/`)).toBe(true)
    expect(path.startsWith(`${dir}/`)).toBe(true)
    // The post step has run: both are gone. Their mode while the main step ran is asserted below.
    expect(existsSync(path)).toBe(false)
    expect(existsSync(dir)).toBe(false)
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('removed the temporary kubeconfig')
    // State saved for the post step never holds a secret.
    for (const secret of secretsOf(kubeconfig))
      expect(JSON.stringify(main.state)).not.toContain(secret)
  })

  it('keeps the kubeconfig file at mode 600 in a 700 directory while the job runs', async () => {
    const main = await runStep({
      gate: 'reality-check',
      plan: okPlan,
      kubeconfig,
      'github-token': 'test-token'
    })
    try {
      expect(statSync(main.state.kubeconfigPath).mode & 0o777).toBe(0o600)
      expect(statSync(main.state.tempDir).mode & 0o777).toBe(0o700)
      // core.getInput trims the input, as it does for every input.
      expect(readFileSync(main.state.kubeconfigPath, 'utf8')).toBe(kubeconfig.trim())
    } finally {
      const post = await runStep({ gate: 'reality-check', plan: okPlan }, main.state)
      expect(post.code).toBe(0)
      expect(existsSync(main.state.tempDir)).toBe(false)
    }
  }, 120_000)

  it('masks the kubeconfig: its credentials appear only in ::add-mask:: lines, never in the summary or report', () => {
    const { main } = first
    const secrets = secretsOf(kubeconfig)
    expect(secrets.length).toBeGreaterThan(0)
    for (const secret of secrets) {
      expect(main.stdout).toContain(`::add-mask::`)
      for (const line of logLines(main)) expect(line).not.toContain(secret)
      expect(main.summary).not.toContain(secret)
      expect(readFileSync(main.outputs.report, 'utf8')).not.toContain(secret)
    }
  })

  it('a second gate updates the same sticky comment in place: the plan, approved in a protected environment', async () => {
    const { main } = await runWithPost({
      gate: 'plan',
      plan: okPlan,
      kubeconfig,
      'github-token': 'test-token',
      reports: join(runnerTemp, 'phase-gate')
    })
    expect(main.code).toBe(0)
    expect(main.outputs.verdict).toBe('pass')
    const comments = standIn.commentsOn(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('phase-gate:section=reality-check')
    expect(comments[0].body).toContain('phase-gate:section=plan')
    expect(comments[0].body).toContain('📋 The plan to approve')
    expect(standIn.requestsTo('POST', `/repos/octo/app/issues/${PR}/comments`)).toHaveLength(1)
    expect(
      standIn.requestsTo('PATCH', /^\/repos\/octo\/app\/issues\/comments\/\d+$/).length
    ).toBeGreaterThanOrEqual(1)
    expect(standIn.requestsTo('GET', '/repos/octo/app/environments/deploy-approval')).toHaveLength(
      1
    )
    expect(main.summary).toContain('### The plan: runner-ok → ')
    expect(main.summary).toContain(
      '**Approval:** environment `deploy-approval` (approval.environment): required reviewers `alice`'
    )
    expect(main.summary).toContain('reality-check: ✅ pass')
    expect(main.summary).toContain('`ConfigMap/runner-config`')
  }, 120_000)

  it('fails the plan gate when the approval environment holds the job for nobody', async () => {
    const { main } = await runWithPost({
      gate: 'plan',
      plan: okPlan,
      kubeconfig,
      'github-token': 'test-token',
      reports: join(runnerTemp, 'phase-gate'),
      'approval-environment': 'unprotected'
    })
    expect(main.code).toBe(1)
    expect(main.outputs.verdict).toBe('fail')
    expect(main.outputs.failed).toBe('true')
    expect(main.summary).toContain(
      'approval environment "unprotected" has no required reviewers or wait timer'
    )
    expect(main.stdout).toMatch(/^::error::phase-gate plan: fail: approval unprotected/m)
  }, 120_000)

  it('fails a plan that assumes an API version the cluster does not serve, naming the served one', async () => {
    const { main } = await runWithPost({
      gate: 'reality-check',
      plan: badPlan,
      kubeconfig,
      'github-token': 'test-token'
    })
    expect(main.code).not.toBe(0)
    expect(main.outputs.verdict).toBe('fail')
    expect(main.outputs.failed).toBe('true')
    expect(main.summary).toContain('extensions/v1beta1/Ingress')
    expect(main.summary).toContain('networking.k8s.io/v1')
    expect(main.stdout).toMatch(/^::error.*extensions\/v1beta1/m)
    // Another plan: a comment of its own, not a section in runner-ok's.
    expect(standIn.commentsOn(PR)).toHaveLength(2)
  }, 120_000)

  it('the record gate writes record.md and record.json beside its report and names them in the record outputs', async () => {
    const { main } = await runWithPost({
      gate: 'record',
      plan: okPlan,
      kubeconfig,
      'github-token': 'test-token',
      reports: join(runnerTemp, 'phase-gate')
    })
    expect(main.code).toBe(0)
    const dir = join(runnerTemp, 'phase-gate', 'record')
    expect([main.outputs.report, main.outputs.record, main.outputs['record-json']]).toEqual([
      join(dir, 'report.json'),
      join(dir, 'record.md'),
      join(dir, 'record.json')
    ])
    const report = JSON.parse(readFileSync(main.outputs.report, 'utf8')) as {
      runId: string
      gates: { gate: string; details?: { recordMarkdown?: string } }[]
    }
    const md = readFileSync(main.outputs.record, 'utf8')
    expect(md).toMatch(/^# Deployment record: runner-ok/)
    expect(md).toBe(report.gates[0].details?.recordMarkdown)
    // The reports directory it was given is its source (the runner-ok plan's report there: plan.json).
    expect(md).toMatch(/^- reports: .*`plan\.json`/m)
    const record = JSON.parse(readFileSync(main.outputs['record-json'], 'utf8')) as {
      runId: string
    }
    expect([record.runId, report.runId]).toEqual(['4242', '4242'])
    // Other gates set no record output.
    expect(first.main.outputs.record).toBeUndefined()
    expect(first.main.outputs['record-json']).toBeUndefined()
  }, 120_000)

  it.each([
    ['a read-only token (a fork’s pull request)', 'fork-token'],
    ['no token', '']
  ])(
    'degrades to the summary alone with %s, with a warning, and keeps the verdict',
    async (_, token) => {
      const before = standIn.commentsOn(PR).map(c => c.body)
      const { main } = await runWithPost({
        gate: 'reality-check',
        plan: okPlan,
        kubeconfig,
        'github-token': token
      })
      expect(main.code).toBe(0)
      expect(main.outputs.verdict).toBe('pass')
      expect(main.summary).toContain('## ✅ phase-gate: runner-ok')
      expect(main.summary).toMatch(
        /The PR comment was not updated: .+\. The verdict above stands\./
      )
      expect(main.stdout).toMatch(/^::warning::/m)
      expect(standIn.commentsOn(PR).map(c => c.body)).toEqual(before)
    },
    120_000
  )
})
