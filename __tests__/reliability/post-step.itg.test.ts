// The action's post step finishing interrupted work, with the runner's own
// protocol: the bundled action runs as the main step (inputs in INPUT_*,
// state to the GITHUB_STATE file), is killed with SIGKILL mid-tracer or
// mid-phase (GitHub kills a cancelled step a few seconds after its signal),
// and the same bundle then runs as the post step with the saved state in
// STATE_*. Afterwards the cluster holds no tracer object of the run and what
// it held before the interrupted phase.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import type { FaultProxy } from '../support/fault-proxy.js'
import { startKubeProxy, writeProxiedKubeconfig } from '../faults/harness.js'
import { freshBundle, type Bundle } from './bundle.js'
import { publishFigures, suiteCommand, writeFigures } from './figures.js'

let bundle: Bundle
let proxy: FaultProxy
let work: string
let kubeconfigText: string
let ns: string
const figures: { case: string; killedAt: string; postExit: number | null; finished: boolean }[] = []

const PLAN = (namespace: string) => `version: 1
name: post-step
target: {namespace: ${namespace}, context: faults}
tracers:
  - name: slow
    assumption: a pod that never turns Ready is caught by its timeout
    manifest: {file: tracers/slow.yaml}
    success: {ready: true}
    timeout: 120s
phases:
  - name: app
    # shared-cm exists before, made by kubectl create: the phase takes its data.
    forceConflicts: true
    apply: [deploy/app.yaml]
    timeout: 120s
`
const FILES: Record<string, string> = {
  'tracers/slow.yaml': `apiVersion: v1
kind: Pod
metadata: {name: tracer-slow, labels: {phase-gate.test/simulate: not-ready}}
spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`,
  'deploy/app.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: shared-cm}
data: {v: changed-by-app}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, phase-gate.test/simulate: not-ready}}
    spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`
}

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('post-step')
  work = await mkdtemp(join(tmpdir(), 'pg-post-'))
  for (const [p, text] of Object.entries({ ...FILES, 'phase-gate.yaml': PLAN(ns) })) {
    await mkdir(join(work, p, '..'), { recursive: true })
    await writeFile(join(work, p), text)
  }
  proxy = await startKubeProxy()
  kubeconfigText = await readFile(await writeProxiedKubeconfig(join(work, 'kc'), proxy), 'utf8')
  await kubectl(['create', 'configmap', 'shared-cm', '--from-literal=v=original', '-n', ns])
}, 240_000)

afterAll(async () => {
  await proxy?.close()
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
  writeFigures('post-step', { cases: figures })
  if (figures.length)
    publishFigures(
      'post-step',
      { cases: { value: figures.length, unit: 'cases', text: `${figures.length} cases` } },
      suiteCommand('itg', '__tests__/reliability/post-step.itg.test.ts')
    )
})

/** A runner job's files for one run of the action. */
async function runnerFiles(name: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = join(work, name)
  await mkdir(join(dir, 'temp'), { recursive: true })
  for (const f of ['state', 'output', 'summary', 'env']) await writeFile(join(dir, f), '')
  return {
    dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_ENV: join(dir, 'env'),
      RUNNER_TEMP: join(dir, 'temp'),
      GITHUB_WORKSPACE: work,
      GITHUB_ACTIONS: 'true'
    }
  }
}

function action(env: NodeJS.ProcessEnv): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [bundle.action], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  return { child, out: () => out }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.on('exit', code => resolve(code))
  })
}

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000
): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`test: timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

/** The runner's state file (`name<<delimiter` blocks) as the STATE_* variables of the post step. */
async function stateEnv(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8')
  const out: Record<string, string> = {}
  const re = /^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) out[`STATE_${m[1]}`] = m[3]
  return out
}

async function objectsOfRun(runId: string, role: string): Promise<string[]> {
  const out = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
    'get',
    'pods,configmaps,deployments',
    '-n',
    ns,
    '-l',
    `phase-gate.dev/run=${runId},phase-gate.dev/role=${role}`
  ])
  return out.items.map(i => `${i.kind}/${i.metadata.name}`)
}

async function sharedData(): Promise<unknown> {
  return (await kubectlJson<{ data?: unknown }>(['get', 'configmap', 'shared-cm', '-n', ns])).data
}

async function phaseStatus(runId: string): Promise<string | undefined> {
  const s = await kubectlJson<{ data?: Record<string, string> }>([
    'get',
    'secret',
    `phase-gate-post-step-${runId}`,
    '-n',
    ns
  ]).catch(() => undefined)
  const v = s?.data?.['phase.app.json']
  return v
    ? (JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as { status: string }).status
    : undefined
}

/** Runs the main step until `at`, kills it (optionally SIGTERM first), then runs the post step. */
async function killThenPost(
  name: string,
  inputs: Record<string, string>,
  at: () => Promise<void>,
  opts: { termFirst?: () => boolean } = {}
): Promise<{ postExit: number | null; postOut: string; mainOut: string; tempDir: string }> {
  const { env } = await runnerFiles(name)
  const inputEnv: Record<string, string> = {
    INPUT_KUBECONFIG: kubeconfigText,
    INPUT_COMMENT: 'false',
    INPUT_NAMESPACE: ns
  }
  for (const [k, v] of Object.entries(inputs)) inputEnv[`INPUT_${k.toUpperCase()}`] = v
  const main = action({ ...env, ...inputEnv })
  await at()
  if (opts.termFirst) {
    main.child.kill('SIGTERM')
    await until(opts.termFirst, 'the rollback under way')
  }
  main.child.kill('SIGKILL')
  await exited(main.child)
  const saved = await stateEnv(env.GITHUB_STATE ?? '')
  proxy.setRules([])
  const post = action({ ...env, ...inputEnv, ...saved })
  const postExit = await exited(post.child)
  return { postExit, postOut: post.out(), mainOut: main.out(), tempDir: saved.STATE_tempDir ?? '' }
}

describe('post step after a killed main step', () => {
  it('removes the tracer objects of a run killed during the wait', async () => {
    const runId = 'post-tracer-1'
    const r = await killThenPost(
      'tracer',
      { gate: 'tracer', plan: 'phase-gate.yaml', 'run-id': runId },
      () => until(async () => (await objectsOfRun(runId, 'tracer')).length > 0, 'the tracer pod')
    )
    expect({ exit: r.postExit, out: r.postOut }).toEqual({ exit: 0, out: r.postOut })
    expect(r.postOut).toMatch(
      /post step: removed 1 tracer object of run post-tracer-1: cleaned up: Pod .*tracer-slow gone/
    )
    expect(r.postOut).not.toMatch(/::error/)
    // The killed run's Lease is freed: the next run need not wait for it to expire.
    expect(r.postOut).toMatch(/post step: released the lock the interrupted run post-tracer-1 held/)
    expect(await objectsOfRun(runId, 'tracer')).toEqual([])
    // The temporary kubeconfig the main step wrote is gone too.
    expect(r.tempDir).not.toBe('')
    expect(existsSync(r.tempDir)).toBe(false)
    figures.push({ case: 'tracer', killedAt: 'waiting', postExit: r.postExit, finished: true })
  }, 120_000)

  it('rolls back a phase killed while waiting (record: applying)', async () => {
    const runId = 'post-phase-1'
    const r = await killThenPost(
      'phase-wait',
      { gate: 'phase', phase: 'app', plan: 'phase-gate.yaml', 'run-id': runId },
      () =>
        until(
          async () => (await objectsOfRun(runId, 'phase')).includes('Deployment/web'),
          'the Deployment'
        )
    )
    expect({ exit: r.postExit, out: r.postOut }).toEqual({ exit: 0, out: r.postOut })
    expect(r.postOut).toMatch(
      /phase app of run post-phase-1 was interrupted while applying or waiting; rolling it back/
    )
    expect(r.postOut).toMatch(
      /phase app rolled back: verified: 1 deleted and gone, 1 restored and ready/
    )
    expect(await objectsOfRun(runId, 'phase')).toEqual([])
    expect(await sharedData()).toEqual({ v: 'original' })
    expect(await phaseStatus(runId)).toBe('rolled-back')
    figures.push({ case: 'phase', killedAt: 'waiting', postExit: r.postExit, finished: true })
  }, 120_000)

  it('finishes the rollback of a phase killed while rolling back (SIGTERM, then SIGKILL mid-undo)', async () => {
    const runId = 'post-phase-2'
    proxy.setRules([
      {
        match: { method: 'DELETE', path: /\/deployments\/web/ },
        fault: { kind: 'stall' },
        times: 1
      }
    ])
    proxy.resetCounts()
    const r = await killThenPost(
      'phase-undo',
      { gate: 'phase', phase: 'app', plan: 'phase-gate.yaml', 'run-id': runId },
      () =>
        until(
          async () => (await objectsOfRun(runId, 'phase')).includes('Deployment/web'),
          'the Deployment'
        ),
      { termFirst: () => proxy.requests.some(q => q.fault === 'stall' && q.method === 'DELETE') }
    )
    expect({ exit: r.postExit, out: r.postOut }).toEqual({ exit: 0, out: r.postOut })
    expect(r.postOut).toMatch(
      /phase app of run post-phase-2 was interrupted while rolling back; rolling it back/
    )
    expect(await objectsOfRun(runId, 'phase')).toEqual([])
    expect(await sharedData()).toEqual({ v: 'original' })
    expect(await phaseStatus(runId)).toBe('rolled-back')
    figures.push({ case: 'phase', killedAt: 'rolling back', postExit: r.postExit, finished: true })
  }, 120_000)

  it('after a run that finished, finds nothing to do and touches nothing', async () => {
    const runId = 'post-done-1'
    const { env } = await runnerFiles('done')
    // The same plan with a short timeout: the phase fails on its own (its pods never turn ready) and rolls itself back.
    await writeFile(join(work, 'quick.yaml'), PLAN(ns).replace(/timeout: 120s\n$/, 'timeout: 3s\n'))
    const inputs = {
      INPUT_KUBECONFIG: kubeconfigText,
      INPUT_COMMENT: 'false',
      INPUT_NAMESPACE: ns,
      INPUT_GATE: 'phase',
      INPUT_PHASE: 'app',
      INPUT_PLAN: 'quick.yaml',
      'INPUT_RUN-ID': runId
    }
    const main = action({ ...env, ...inputs })
    expect(await exited(main.child)).toBe(1)
    expect(await phaseStatus(runId)).toBe('rolled-back')
    const post = action({ ...env, ...inputs, ...(await stateEnv(env.GITHUB_STATE ?? '')) })
    expect(await exited(post.child)).toBe(0)
    expect(post.out()).not.toMatch(/rolling it back|removed \d+ tracer|::warning/)
    expect(await sharedData()).toEqual({ v: 'original' })
  }, 120_000)

  it('with the apiserver unreachable, only warns (exit 0) and still removes the temporary kubeconfig', async () => {
    const { env } = await runnerFiles('down')
    const temp = join(env.RUNNER_TEMP ?? '', 'phase-gate-x')
    await mkdir(temp)
    await writeFile(
      join(temp, 'kubeconfig'),
      kubeconfigText.replace(/"server":"[^"]+"/, '"server":"http://127.0.0.1:1"')
    )
    const post = action({
      ...env,
      INPUT_NAMESPACE: ns,
      STATE_isPost: 'true',
      STATE_runId: 'post-down-1',
      STATE_planPath: join(work, 'phase-gate.yaml'),
      STATE_tempDir: temp,
      STATE_kubeconfigPath: join(temp, 'kubeconfig'),
      STATE_context: 'faults'
    })
    expect(await exited(post.child)).toBe(0)
    expect(post.out()).toMatch(
      /::warning::post-step cleanup: cannot reach the API server http:\/\/127\.0\.0\.1:1 \(context "faults"\).*connection refused/
    )
    expect(post.out()).not.toMatch(/::error/)
    expect(existsSync(temp)).toBe(false)
    figures.push({ case: 'apiserver down', killedAt: '-', postExit: 0, finished: false })
  }, 120_000)
})
