// Cancellation by real signals on real processes: the bundled CLI runs a
// tracer or a phase against the real apiserver (through a fault proxy that
// holds a request where a step must be caught in flight), gets SIGTERM or
// SIGINT at each step, and must exit 143/130 with a `cancelled` report and a
// cluster that holds nothing of the tracer and exactly what it held before
// the phase; a second signal during cleanup changes nothing of that.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunReport } from '../../src/report/model.js'
import {
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import type { FaultProxy, FaultRule } from '../support/fault-proxy.js'
import { startKubeProxy, writeProxiedKubeconfig } from '../faults/harness.js'
import { freshBundle, type Bundle } from './bundle.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

let bundle: Bundle
let proxy: FaultProxy
let work: string
let kubeconfig: string
let ns: string
const tried: {
  unit: string
  step: string
  signal: string
  exitCode: number | null
  second: boolean
  left: number
  ms: number
}[] = []

const PLAN = (namespace: string) => `version: 1
name: signals
target: {namespace: ${namespace}}
tracers:
  - name: slow
    assumption: a pod that never turns Ready is caught by its timeout
    manifest: {file: tracers/slow.yaml}
    success: {ready: true}
    timeout: 90s
phases:
  - name: base
    apply: [deploy/base.yaml]
    timeout: 30s
  - name: app
    apply: [deploy/app.yaml]
    timeout: 90s
    # shared-cm exists before, made by kubectl create: the phase takes its data.
    forceConflicts: true
  - name: brief
    apply: [deploy/app.yaml]
    timeout: 3s
    # shared-cm exists before, made by kubectl create: the phase takes its data.
    forceConflicts: true
`
const FILES: Record<string, string> = {
  'tracers/slow.yaml': `apiVersion: v1
kind: Pod
metadata: {name: tracer-slow, labels: {phase-gate.test/simulate: not-ready}}
spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`,
  'deploy/base.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base-cm}\ndata: {from: base}\n',
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
  ns = await createTestNamespace('signals')
  work = await mkdtemp(join(tmpdir(), 'pg-signals-'))
  for (const [p, text] of Object.entries({ ...FILES, 'phase-gate.yaml': PLAN(ns) })) {
    await mkdir(join(work, p, '..'), { recursive: true })
    await writeFile(join(work, p), text)
  }
  proxy = await startKubeProxy()
  kubeconfig = await writeProxiedKubeconfig(join(work, 'kubeconfig'), proxy)
  // What exists before the app phase: a ConfigMap the phase changes, and the base phase's objects.
  await kubectl(['create', 'configmap', 'shared-cm', '--from-literal=v=original', '-n', ns])
  const base = await cli([
    'check',
    'phase-gate.yaml',
    '--gate',
    'phase',
    '--phase',
    'base',
    '--run-id',
    'base-run'
  ])
  const code = await exited(base.child)
  if (code !== 0) throw new Error(`the base phase did not pass: ${base.stderr()}`)
}, 240_000)

afterAll(async () => {
  await proxy?.close()
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
  const leftBehind = tried.reduce((n, t) => n + t.left, 0)
  writeFigures('signals', { tried, total: tried.length, leftBehind })
  if (tried.length === 0) return
  const seconds = tried.filter(t => t.second).length
  publishFigures(
    'signals',
    {
      table: {
        value: tried.length,
        unit: 'cases',
        text: `\n${markdownTable(
          [
            'unit',
            'step',
            'signal',
            'exit',
            'second signal during cleanup',
            'objects of the run left',
            'took'
          ],
          tried.map(t => [
            t.unit,
            t.step,
            t.signal,
            String(t.exitCode),
            t.second ? 'yes' : 'no',
            t.left,
            `${(t.ms / 1000).toFixed(1)} s`
          ])
        )}`
      },
      cases: { value: tried.length, unit: 'cases', text: `${tried.length} signal cases` },
      second: { value: seconds, unit: 'cases', text: `${seconds} of them` },
      left: { value: leftBehind, unit: 'objects', text: `**${leftBehind}**` }
    },
    suiteCommand('itg', '__tests__/reliability/signals.itg.test.ts')
  )
})

function cli(args: string[]): { child: ChildProcess; stderr: () => string; stdout: () => string } {
  const child = spawn(
    process.execPath,
    [bundle.cli, ...args, '--kubeconfig', kubeconfig, '--context', 'faults', '--namespace', ns],
    {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
  return { child, stderr: () => err, stdout: () => out }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise(resolve => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    child.on('exit', code => resolve(code))
  })
}

/** Polls until `check` holds (the test may poll; the code under test may not). */
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

const held = (re: RegExp) => (): boolean =>
  proxy.requests.some(r => r.fault === 'stall' && re.test(`${r.method} ${r.path}`))

async function objectsOfRun(runId: string, role: string): Promise<string[]> {
  const out = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
    'get',
    'pods,configmaps,deployments,replicasets,services',
    '-n',
    ns,
    '-l',
    `phase-gate.dev/run=${runId},phase-gate.dev/role=${role}`
  ])
  return out.items.map(i => `${i.kind}/${i.metadata.name}`)
}

/** What the namespace holds that a phase could touch, as comparable text. */
async function namespaceState(): Promise<Record<string, unknown>> {
  const out = await kubectlJson<{
    items: {
      kind: string
      metadata: { name: string; uid: string; labels?: Record<string, string> }
      data?: unknown
      spec?: unknown
    }[]
  }>(['get', 'configmaps,deployments', '-n', ns])
  const state: Record<string, unknown> = {}
  for (const i of out.items) {
    // The state record and the cluster's own CA bundle are not the phase's.
    if (i.metadata.name.startsWith('phase-gate-') || i.metadata.name === 'kube-root-ca.crt')
      continue
    state[`${i.kind}/${i.metadata.name}`] = {
      uid: i.metadata.uid,
      labels: i.metadata.labels ?? {},
      data: i.data,
      template: (i.spec as { template?: unknown } | undefined)?.template
    }
  }
  return state
}

interface Step {
  step: string
  /** The phase run (default app, which waits 90 s; brief fails on its 3 s timeout and rolls back). */
  phase?: string
  /** Faults that hold the process at the step. */
  rules: FaultRule[]
  /** Resolves when the process is at the step. */
  at: (runId: string) => Promise<void>
  /** A second signal once this holds (cleanup under way). */
  second?: () => boolean
}

const SIGNALS = [
  { name: 'SIGTERM' as const, code: 143 },
  { name: 'SIGINT' as const, code: 130 }
]

const TRACER_STEPS: Step[] = [
  {
    step: 'before apply (recording the tracer)',
    rules: [
      {
        match: { method: 'PATCH', path: /\/secrets\/phase-gate-signals-/ },
        fault: { kind: 'stall', ms: 1500 },
        times: 1
      }
    ],
    at: () => until(held(/PATCH .*\/secrets\/phase-gate-signals-/), 'the tracer record write')
  },
  {
    step: 'while applying',
    rules: [
      {
        match: { method: 'PATCH', path: /\/pods\/tracer-slow\?(?!.*dryRun)/ },
        fault: { kind: 'stall', ms: 1500 },
        times: 1
      }
    ],
    at: () => until(held(/PATCH .*\/pods\/tracer-slow/), 'the tracer apply')
  },
  {
    step: 'during the wait',
    rules: [],
    at: async runId => {
      await until(async () => (await objectsOfRun(runId, 'tracer')).length > 0, 'the tracer pod')
      await new Promise(r => setTimeout(r, 300))
    }
  },
  {
    step: 'during the wait, again during cleanup',
    rules: [
      {
        match: { method: 'DELETE', path: /\/pods\/tracer-slow/ },
        fault: { kind: 'stall', ms: 2000 },
        times: 1
      }
    ],
    at: async runId => {
      await until(async () => (await objectsOfRun(runId, 'tracer')).length > 0, 'the tracer pod')
      await new Promise(r => setTimeout(r, 300))
    },
    second: held(/DELETE .*\/pods\/tracer-slow/)
  }
]

const PHASE_STEPS: Step[] = [
  {
    step: 'while applying',
    rules: [
      {
        match: { method: 'PATCH', path: /\/deployments\/web\?(?!.*dryRun)/ },
        fault: { kind: 'stall', ms: 1500 },
        times: 1
      }
    ],
    at: () => until(held(/PATCH .*\/deployments\/web/), 'the Deployment apply')
  },
  {
    step: 'while waiting',
    rules: [],
    at: async runId => {
      await until(
        async () => (await objectsOfRun(runId, 'phase')).includes('Deployment/web'),
        'the Deployment'
      )
      await new Promise(r => setTimeout(r, 500))
    }
  },
  {
    step: 'while waiting, again while rolling back',
    rules: [
      {
        match: { method: 'DELETE', path: /\/deployments\/web/ },
        fault: { kind: 'stall', ms: 2500 },
        times: 1
      }
    ],
    at: async runId => {
      await until(
        async () => (await objectsOfRun(runId, 'phase')).includes('Deployment/web'),
        'the Deployment'
      )
      await new Promise(r => setTimeout(r, 500))
    },
    second: held(/DELETE .*\/deployments\/web/)
  },
  {
    // The first signal arrives while a failed phase is already rolling back:
    // the rollback must finish all the same, and the run ends cancelled.
    step: 'while rolling back after its timeout',
    phase: 'brief',
    rules: [
      {
        match: { method: 'DELETE', path: /\/deployments\/web/ },
        fault: { kind: 'stall', ms: 2500 },
        times: 1
      }
    ],
    at: () => until(held(/DELETE .*\/deployments\/web/), 'the rollback of the failed phase')
  }
]

let seq = 0

async function interrupt(
  unit: 'tracer' | 'phase',
  step: Step,
  signal: (typeof SIGNALS)[number]
): Promise<{ report: RunReport; code: number | null; stderr: string; runId: string }> {
  const runId = `sig-${unit}-${++seq}`
  proxy.setRules(step.rules)
  proxy.resetCounts()
  const reportPath = join(work, `${runId}.json`)
  const started = Date.now()
  const args =
    unit === 'tracer' ? ['--gate', 'tracer'] : ['--gate', 'phase', '--phase', step.phase ?? 'app']
  const p = cli(['check', 'phase-gate.yaml', ...args, '--run-id', runId, '--report', reportPath])
  await step.at(runId)
  p.child.kill(signal.name)
  if (step.second) {
    await until(step.second, 'cleanup under way')
    p.child.kill(signal.name)
  }
  const code = await exited(p.child)
  proxy.setRules([])
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as RunReport
  const left =
    unit === 'tracer'
      ? (await objectsOfRun(runId, 'tracer')).length
      : (await objectsOfRun(runId, 'phase')).length
  tried.push({
    unit,
    step: step.phase ? `${step.phase}: ${step.step}` : step.step,
    signal: signal.name,
    exitCode: code,
    second: step.second !== undefined,
    left,
    ms: Date.now() - started
  })
  return { report, code, stderr: p.stderr(), runId }
}

describe('signals on a real process', () => {
  for (const step of TRACER_STEPS)
    for (const signal of SIGNALS)
      it(`tracer, ${signal.name} ${step.step}: exit ${signal.code}, cancelled, no tracer object left`, async () => {
        const r = await interrupt('tracer', step, signal)
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: signal.code, stderr: r.stderr })
        expect(r.report.verdict).toBe('cancelled')
        const check = r.report.gates[0].checks[0]
        expect(check.verdict).toBe('cancelled')
        // What was cleaned is in the report.
        expect(check.evidence ?? '').toMatch(/cleaned up|nothing to clean up/)
        expect(r.stderr).toMatch(
          new RegExp(`${signal.name}: stopping; cleaning up what this run created`)
        )
        if (step.second)
          expect(r.stderr).toMatch(
            new RegExp(`${signal.name} again: cleanup is running and will finish`)
          )
        expect(await objectsOfRun(r.runId, 'tracer')).toEqual([])
      }, 120_000)

  for (const step of PHASE_STEPS)
    for (const signal of SIGNALS)
      it(`phase, ${signal.name} ${step.step}: exit ${signal.code}, rolled back to exactly what was there before`, async () => {
        const before = await namespaceState()
        const r = await interrupt('phase', step, signal)
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: signal.code, stderr: r.stderr })
        expect(r.report.verdict).toBe('cancelled')
        const gate = r.report.gates[0]
        expect(gate.verdict).toBe('cancelled')
        expect(gate.notes?.join('\n')).toMatch(
          new RegExp(
            `cancelled: phase ${step.phase ?? 'app'} was rolled back; the cluster holds what it held before this phase`
          )
        )
        const undo = gate.checks.find(c => c.kind === 'rollback')
        expect(undo?.verdict).toBe('pass')
        expect(undo?.evidence).toMatch(/restored ConfigMap .*shared-cm/)
        // Exactly what was there before: the earlier phase's objects untouched (same uid), shared-cm back, no web.
        expect(await namespaceState()).toEqual(before)
        expect(await objectsOfRun(r.runId, 'phase')).toEqual([])
      }, 120_000)
})
