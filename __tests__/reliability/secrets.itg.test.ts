// Secrets never leave: canary values, random per run, in the kubeconfig token
// (a real ServiceAccount token), the registry password, the GitHub token and
// a Secret's data that a failing pod prints to its log (kwok serves the log
// from a file the test writes). Every gate runs through the bundled action
// (main and post step, the GitHub stand-in recording the PR comment) and the
// bundled CLI; afterwards no stdout, stderr, log line, job summary, output,
// report, PR comment or file under the output directories holds a canary in
// plain, base64 (any alignment, standard and URL-safe), URL-encoded or JSON
// form.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'
import { GATE_NAMES } from '../../src/report/model.js'
import { freshBundle, type Bundle } from './bundle.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

// Characters that URL-encoding and base64 alignment change, so every form differs from the plain one.
const canary = (what: string): string => `canary-${what}-${randomBytes(12).toString('hex')}/+=&@`
const CANARIES = {
  registryPassword: canary('reg'),
  githubToken: canary('gh'),
  secretData: canary('sec')
}
let kubeToken = ''

let bundle: Bundle
let standIn: GitHubStandIn
let ns: string
let work: string
let out: string
let kubeconfig: string
// Every gate the action knows, in deployment order, then all of them in one run.
const GATES = [...GATE_NAMES, 'all'] as const
const SERVICE = 'secrets-canary'
/** Every text phase-gate produced, by where it went. */
const produced: { where: string; text: string }[] = []

/** The forms a secret can leak in: plain, URL-encoded, JSON-escaped, and base64 at any alignment. */
export function leakForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
  const bytes = Buffer.from(secret)
  for (let k = 0; k < 3; k++) {
    for (const enc of ['base64', 'base64url'] as const) {
      const full = Buffer.concat([Buffer.alloc(k, 0x41), bytes])
        .toString(enc)
        .replace(/=+$/, '')
      // Drop the characters that also encode the k bytes before and the bytes after.
      const core = full.slice(Math.ceil((k * 4) / 3), full.length - 3)
      if (core.length >= 12) forms.add(core)
    }
  }
  return [...forms]
}

async function filesUnder(dir: string): Promise<string[]> {
  const outFiles: string[] = []
  const walk = async (d: string): Promise<void> => {
    for (const name of await readdir(d).catch(() => [] as string[])) {
      const p = join(d, name)
      const s = await stat(p)
      if (s.isDirectory()) await walk(p)
      else outFiles.push(p)
    }
  }
  await walk(dir)
  return outFiles
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', code => resolve({ code, stdout, stderr }))
  })
}

beforeAll(async () => {
  const env = clusterEnv()
  bundle = await freshBundle()
  ns = await createTestNamespace('secrets')
  work = await mkdtemp(join(tmpdir(), 'pg-secrets-'))
  out = join(work, 'out')
  await mkdir(out)

  // The kubeconfig token: a ServiceAccount's, minted for this run.
  await kubectl(['create', 'serviceaccount', 'canary', '-n', ns])
  await kubectl([
    'create',
    'clusterrolebinding',
    `canary-${ns}`,
    '--clusterrole=cluster-admin',
    `--serviceaccount=${ns}:canary`
  ])
  kubeToken = (await kubectl(['create', 'token', 'canary', '-n', ns, '--duration=20m'])).trim()
  const ca = (await readFile(env.caFile)).toString('base64')
  kubeconfig = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: env.apiserver, 'certificate-authority-data': ca } }],
    users: [{ name: 'canary', user: { token: kubeToken } }],
    contexts: [{ name: 'canary', context: { cluster: 'c', user: 'canary', namespace: ns } }],
    'current-context': 'canary'
  })
  await writeFile(join(work, 'kubeconfig'), kubeconfig, { mode: 0o600 })

  // A failing pod that prints its Secret: kwok serves its log from this file.
  const log = join(work, 'leaky.log')
  const now = new Date().toISOString()
  await writeFile(
    log,
    [
      `${now} stdout F starting with password=${CANARIES.secretData}`,
      `${now} stderr F fatal: auth failed for ${CANARIES.secretData} (${Buffer.from(CANARIES.secretData).toString('base64')})`
    ].join('\n') + '\n'
  )
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name: 'leaky', namespace: ns },
      spec: { logs: [{ logsFile: log }] }
    })
  })

  // What the rollout and rollback gates act on: a stable and a canary Deployment with
  // traffic on both tracks (the shared exporter), and the feature flag's ConfigMap.
  await fetch(`${env.exporter}/control`, {
    method: 'POST',
    body: JSON.stringify(
      ['stable', 'canary'].map(track => ({ service: SERVICE, track, rps: 5, errorRate: 0 }))
    )
  })
  const deployment = (name: string, replicas: number): Record<string, unknown> => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] }
      }
    }
  })
  await kubectl(['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        deployment('api', 2),
        deployment('api-canary', 0),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'flags' },
          data: { FEATURE_X: 'true' }
        }
      ]
    })
  })
  await kubectl(['rollout', 'status', 'deployment/api', '-n', ns, '--timeout=60s'])

  const secretB64 = Buffer.from(CANARIES.secretData).toString('base64')
  const files: Record<string, string> = {
    'phase-gate.yaml': `version: 1
name: secrets
target: {namespace: ${ns}, context: canary}
assumptions:
  apis: [v1/Secret, v1/Pod]
  images: ['${env.registryAuth}/phase-gate/app:1.0']
  manifests: [deploy/*.yaml]
tracers:
  - name: secret-roundtrip
    assumption: the server keeps a Secret's data as written
    manifest: {file: tracers/secret.yaml}
    success: {cel: 'object.data.password == "bm90LXRoaXM="'}
    timeout: 3s
phases:
  - name: app
    apply: [deploy/app.yaml]
    timeout: 20s
validation:
  checks:
    - env: {selector: app=leaky, require: [PASSWORD]}
  rollbackTest: true
prometheus: ${env.prometheus}
rollout:
  target: {kind: Deployment, name: api}
  canary: {kind: Deployment, name: api-canary}
  replicas: 2
  interval: 1s
  stages:
    - {name: canary, weight: 50, hold: 2s}
    - {name: full, weight: 100, hold: 0s}
  metrics:
    requests: 'sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
    errorRate: '(sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${SERVICE}",track="{{track}}"}[5s]))'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: 10s}
rollbackLevels:
  - {level: flag, configMap: flags, key: FEATURE_X, value: "false", budget: 30s}
soak: {window: 2s, interval: 1s, minSamples: 2, runFor: 3s}
`,
    'tracers/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: tracer-secret}\ndata: {password: ${secretB64}}\n`,
    'deploy/app.yaml': `apiVersion: v1
kind: Secret
metadata: {name: app-secret}
data: {password: ${secretB64}}
---
apiVersion: v1
kind: Pod
metadata: {name: leaky, labels: {app: leaky, phase-gate.test/simulate: crash-loop}}
spec:
  containers:
    - name: app
      image: registry.invalid/leaky:1
      env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}]
`
  }
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(work, p, '..'), { recursive: true })
    await writeFile(join(work, p), text)
  }

  standIn = await startGitHubStandIn({
    tokens: {
      [CANARIES.githubToken]: {
        login: 'github-actions[bot]',
        type: 'Bot',
        association: 'NONE',
        access: 'write'
      }
    },
    state: {
      pulls: {
        '7': { number: 7, head: { sha: 'a'.repeat(40), ref: 'feature' }, base: { ref: 'main' } }
      }
    }
  })
}, 300_000)

afterAll(async () => {
  await standIn?.close()
  if (ns) {
    await kubectl(['delete', 'clusterrolebinding', `canary-${ns}`, '--ignore-not-found']).catch(
      () => undefined
    )
    await deleteNamespace(ns)
  }
  if (work) await rm(work, { recursive: true, force: true })
})

describe('canary secrets never leave', () => {
  it('every gate through the action (main and post step) and the CLI, then every output searched', async () => {
    const registryAuth = JSON.stringify({
      auths: {
        [clusterEnv().registryAuth]: {
          auth: Buffer.from(`phase-gate:${CANARIES.registryPassword}`).toString('base64')
        }
      }
    })
    const event = join(work, 'event.json')
    await writeFile(
      event,
      JSON.stringify({ pull_request: { number: 7, head: { sha: 'a'.repeat(40) } } })
    )
    const exits: Record<string, number | null> = {}
    const verdicts: Record<string, string> = {}

    for (const gate of GATES) {
      const job = join(out, `job-${gate}`)
      await mkdir(join(job, 'temp'), { recursive: true })
      for (const f of ['state', 'output', 'summary', 'env']) await writeFile(join(job, f), '')
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_STATE: join(job, 'state'),
        GITHUB_OUTPUT: join(job, 'output'),
        GITHUB_STEP_SUMMARY: join(job, 'summary'),
        GITHUB_ENV: join(job, 'env'),
        RUNNER_TEMP: join(job, 'temp'),
        GITHUB_WORKSPACE: work,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: standIn.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_EVENT_PATH: event,
        GITHUB_RUN_ID: '4242',
        GITHUB_SHA: 'a'.repeat(40),
        PHASE_GATE_REGISTRY_MIRRORS: '',
        INPUT_GATE: gate,
        INPUT_PLAN: 'phase-gate.yaml',
        'INPUT_RUN-ID': `secrets-${gate}`,
        INPUT_KUBECONFIG: kubeconfig,
        'INPUT_GITHUB-TOKEN': CANARIES.githubToken,
        'INPUT_REGISTRY-AUTH': registryAuth,
        INPUT_COMMENT: 'true',
        INPUT_PHASE: gate === 'phase' ? 'app' : '',
        INPUT_LEVEL: gate === 'rollback' ? 'flag' : '',
        INPUT_REPORTS: gate === 'record' ? 'out' : '',
        // gate all deploys only with approve: true (no human approval in a single job).
        INPUT_APPROVE: gate === 'all' ? 'true' : 'false'
      }
      const main = await run(process.execPath, [bundle.action], env, work)
      exits[gate] = main.code
      const output = await readFile(join(job, 'output'), 'utf8')
      verdicts[gate] =
        /^verdict<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\1$/m.exec(output)?.[2] ?? '?'
      const state = await readFile(join(job, 'state'), 'utf8')
      const stateEnv: Record<string, string> = {}
      for (const m of state.matchAll(/^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm))
        stateEnv[`STATE_${m[1]}`] = m[3]
      const post = await run(process.execPath, [bundle.action], { ...env, ...stateEnv }, work)
      // `::add-mask::` lines are the runner's masking protocol: it consumes them and never shows them.
      const log = (t: string): string =>
        t
          .split('\n')
          .filter(l => !l.startsWith('::add-mask::'))
          .join('\n')
      expect(
        main.stdout.split('\n').filter(l => l.startsWith('::add-mask::')).length
      ).toBeGreaterThanOrEqual(3)
      produced.push(
        { where: `action ${gate}: log`, text: log(main.stdout) },
        { where: `action ${gate}: stderr`, text: main.stderr }
      )
      produced.push(
        { where: `action ${gate} post: log`, text: log(post.stdout) },
        { where: `action ${gate} post: stderr`, text: post.stderr }
      )
    }

    // The rollout and rollback gates did their work (not a usage error nor "could not check").
    expect({ rollout: exits.rollout, rollback: exits.rollback }).toEqual({
      rollout: exits.rollout === 1 ? 1 : 0,
      rollback: 0
    })
    expect(
      (
        await kubectl(['get', 'configmap', 'flags', '-n', ns, '-o', 'jsonpath={.data.FEATURE_X}'])
      ).trim()
    ).toBe('false')

    const cliEnv = { ...process.env, NO_COLOR: '1', PHASE_GATE_REGISTRY_MIRRORS: '' }
    const cli = await run(
      process.execPath,
      [
        bundle.cli,
        'check',
        'phase-gate.yaml',
        '--gate',
        'all',
        '--approve',
        '--kubeconfig',
        join(work, 'kubeconfig'),
        '--run-id',
        'secrets-cli',
        '--report',
        join(out, 'cli', 'report.json'),
        '--summary',
        join(out, 'cli', 'summary.md'),
        '--verbose'
      ],
      cliEnv,
      work
    )
    produced.push(
      { where: 'cli: stdout', text: cli.stdout },
      { where: 'cli: stderr', text: cli.stderr }
    )
    const json = await run(
      process.execPath,
      [
        bundle.cli,
        'check',
        'phase-gate.yaml',
        '--gate',
        'reality-check',
        '--kubeconfig',
        join(work, 'kubeconfig'),
        '--json'
      ],
      cliEnv,
      work
    )
    produced.push(
      { where: 'cli --json: stdout', text: json.stdout },
      { where: 'cli --json: stderr', text: json.stderr }
    )

    // Every file under the output directories (job summaries, outputs, state, reports, the CLI's files).
    for (const f of await filesUnder(out))
      produced.push({ where: f.slice(work.length), text: await readFile(f, 'latin1') })
    // What GitHub received: every request body (comments, deployment statuses) and the comments it holds.
    for (const r of standIn.requests)
      produced.push({ where: `github ${r.method} ${r.path}`, text: JSON.stringify(r.body ?? '') })
    for (const c of standIn.state.comments)
      produced.push({ where: `github comment ${c.id}`, text: c.body })

    // The runs really exercised the canaries: the token authenticated, the comment was written, the pod's log was read.
    expect(standIn.requests.filter(r => r.token === CANARIES.githubToken).length).toBeGreaterThan(0)
    expect(standIn.state.comments.length).toBe(1)
    const all = produced.map(p => p.text).join('\n')
    expect(all).toMatch(/refused the credentials .* from registry-auth input \(401\)/)
    expect(all).toMatch(/CrashLoop/)
    // The pod's log did reach the evidence, masked: the canary was there to leak.
    expect(
      await readFile(join(out, 'job-phase', 'temp', 'phase-gate', 'phase-app.json'), 'utf8')
    ).toMatch(/fatal: auth failed for \*\*\* \(\*\*\*\)/)

    const canaries = { kubeconfigToken: kubeToken, ...CANARIES }
    const leaks: { canary: string; form: string; where: string }[] = []
    for (const [name, value] of Object.entries(canaries))
      for (const form of leakForms(value))
        for (const p of produced)
          if (p.text.includes(form))
            leaks.push({ canary: name, form: form === value ? 'plain' : form, where: p.where })
    writeFigures('secrets', {
      canaries: Object.keys(canaries),
      formsPerCanary: Object.fromEntries(
        Object.entries(canaries).map(([k, v]) => [k, leakForms(v).length])
      ),
      outputsSearched: produced.length,
      bytesSearched: produced.reduce((n, p) => n + p.text.length, 0),
      exits,
      verdicts,
      leaks: leaks.length
    })
    const forms = Object.entries(canaries).map(([k, v]) => `${k} ${leakForms(v).length}`)
    const bytes = produced.reduce((n, p) => n + p.text.length, 0)
    publishFigures(
      'secrets',
      {
        table: {
          value: leaks.length,
          unit: 'leaks',
          text: `\n${markdownTable(
            ['figure', 'value'],
            [
              ['canaries', Object.keys(canaries).join(', ')],
              ['forms searched per canary', forms.join(', ')],
              ['outputs searched', `${produced.length} (${bytes.toLocaleString('en-US')} bytes)`],
              [
                'gates run through the action (verdict)',
                Object.entries(verdicts)
                  .map(([g, v]) => `${g} (${String(v)})`)
                  .join(', ')
              ],
              ['**canaries leaked**', `**${leaks.length}**`]
            ]
          )}`
        }
      },
      suiteCommand('itg', '__tests__/reliability/secrets.itg.test.ts')
    )
    expect(leaks.map(l => `${l.canary} (${l.form.slice(0, 12)}) in ${l.where}`)).toEqual([])
  }, 600_000)
})
