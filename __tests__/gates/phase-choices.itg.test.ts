// Issue 19 against the real local cluster: human approval for --gate all,
// onFailure: stop and the person's rollback command, --gate rollback --phase
// over a three-phase run, phase migrations (up before applying, down on
// rollback) and budgets.implementation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectlJson
} from '../support/cluster-env.js'
import { main } from '../../src/cli/main.js'
import { runEngine, type ApprovalQuestion } from '../../src/engine.js'
import { memoryLogger } from '../../src/core/log.js'
import type { Settings } from '../../src/settings.js'
import type { RunReport } from '../../src/report/model.js'

let ns: string
let work: string

beforeAll(async () => {
  ns = await createTestNamespace('choices')
  work = mkdtempSync(join(tmpdir(), 'pg-choices-'))
})
afterAll(async () => {
  rmSync(work, { recursive: true, force: true })
  await deleteNamespace(ns)
})

const configMap = (name: string, value: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${value}"}\n`

const deployment = (name: string, podLabels: Record<string, string>, annotations = {}): string =>
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: ${JSON.stringify({ app: name, ...podLabels })}
      annotations: ${JSON.stringify(annotations)}
    spec:
      containers: [{name: c, image: registry.invalid/web:1}]
`

/** A plan directory under the test's workspace; returns the plan's path. */
function writePlan(name: string, body: string, files: Record<string, string> = {}): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text)
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1\nname: ${name}\ntarget: {namespace: ${ns}}\n${body}`
  )
  return join(dir, 'phase-gate.yaml')
}

function settings(planPath: string, over: Partial<Settings> = {}): Settings {
  return {
    gate: 'phase',
    planPath,
    runId: `c-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: work,
    ...over
  }
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = ''
  const stream = { isTTY: false, write: (s: string | Uint8Array) => ((out += s.toString()), true) }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => out }
}

/** The CLI's own main(), without a TTY (no stdin), as a CI job or a pipe runs it. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture()
  const err = capture()
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: { ...process.env, KUBECONFIG: clusterEnv().kubeconfig, NO_COLOR: '1' },
    cwd: work
  })
  return { code, stdout: out.text(), stderr: err.text() }
}

/** Objects of a plan in the test namespace (ConfigMaps and Deployments it applied). */
async function planObjects(plan: string): Promise<string[]> {
  const out = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
    'get',
    'configmaps,deployments',
    '-n',
    ns,
    '-l',
    `phase-gate.dev/plan=${plan},phase-gate.dev/role=phase`,
    '-o',
    'json'
  ])
  return out.items.map(i => `${i.kind}/${i.metadata.name}`).sort()
}

async function configValue(name: string): Promise<string | undefined> {
  const out = await kubectlJson<{ items: { data?: { v?: string } }[] }>([
    'get',
    'configmaps',
    '-n',
    ns,
    '--field-selector',
    `metadata.name=${name}`,
    '-o',
    'json'
  ])
  return out.items[0]?.data?.v
}

async function stateIndex(plan: string): Promise<{ state?: string }> {
  const cm = await kubectlJson<{ data: Record<string, string> }>([
    'get',
    'configmap',
    `phase-gate-${plan}`,
    '-n',
    ns,
    '-o',
    'json'
  ])
  return JSON.parse(cm.data['state.json']) as { state?: string }
}

describe('human approval for --gate all', () => {
  const TWO_PHASES = `phases:
  - {name: one, apply: [one.yaml]}
  - {name: two, apply: [two.yaml]}
`
  const files = { 'one.yaml': configMap('appr-one', '1'), 'two.yaml': configMap('appr-two', '2') }

  it('without --approve and without a TTY: exit 1, verdict cancelled, "not approved", nothing applied', async () => {
    const plan = writePlan('appr-none', TWO_PHASES, files)
    const r = await cli(['check', plan, '--gate', 'all', '--json', '--run-id', 'appr-none-1'])
    const report = JSON.parse(r.stdout) as RunReport
    expect(r.code).toBe(1)
    expect(report.verdict).toBe('cancelled')
    const planGate = report.gates.find(g => g.gate === 'plan')
    const decision = planGate?.checks.find(c => c.id === 'approval:deploy')
    // The approval point was reached (reality check, tracers and plan passed) and refused.
    expect(decision?.verdict).toBe('cancelled')
    expect(decision?.message).toMatch(
      /^not approved: no terminal to ask "Deploy 2 phases to .*\/.*\? \[y\/N\]" on and no --approve/
    )
    expect(report.gates.find(g => g.gate === 'phase')?.verdict).toBe('skip')
    expect(await planObjects('appr-none')).toEqual([])
  }, 120_000)

  it('with --approve: deployed, and the report says "no human approval"', async () => {
    const plan = writePlan('appr-flag', TWO_PHASES, files)
    const r = await cli([
      'check',
      plan,
      '--gate',
      'all',
      '--approve',
      '--json',
      '--run-id',
      'appr-flag-1'
    ])
    const report = JSON.parse(r.stdout) as RunReport
    expect(report.gates.filter(g => g.gate === 'phase').map(g => [g.name, g.verdict])).toEqual([
      ['one', 'pass'],
      ['two', 'pass']
    ])
    const planGate = report.gates.find(g => g.gate === 'plan')
    expect(planGate?.notes).toContain('no human approval (--approve / approve: true)')
    expect(planGate?.checks.find(c => c.id === 'approval:deploy')?.data).toMatchObject({
      approved: true,
      humanApproval: false
    })
    expect(r.code).toBe(0)
    expect(await planObjects('appr-flag')).toEqual(['ConfigMap/appr-one', 'ConfigMap/appr-two'])
  }, 120_000)

  it('on a terminal: shows the rendered plan, asks, and deploys on "y"', async () => {
    const plan = writePlan('appr-yes', TWO_PHASES, files)
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean }
    stdin.isTTY = true
    stdin.write('y\n')
    const out = capture()
    const err = capture()
    const code = await main(['check', plan, '--gate', 'all', '--json', '--run-id', 'appr-yes-1'], {
      stdout: out.stream,
      stderr: err.stream,
      env: { ...process.env, KUBECONFIG: clusterEnv().kubeconfig, NO_COLOR: '1' },
      cwd: work,
      stdin: stdin as unknown as NodeJS.ReadStream
    })
    const report = JSON.parse(out.text()) as RunReport
    // The plan came first, then the question.
    const shown = err.text()
    const table = shown.indexOf('| # | Phase | Applies |')
    expect(table).toBeGreaterThanOrEqual(0)
    expect(table).toBeLessThan(shown.indexOf('Deploy 2 phases'))
    expect(shown).toMatch(new RegExp(`Deploy 2 phases to .+/${ns}\\? \\[y/N\\]`))
    expect(
      report.gates.find(g => g.gate === 'plan')?.checks.find(c => c.id === 'approval:deploy')?.data
    ).toMatchObject({
      approved: true,
      humanApproval: true,
      how: 'tty'
    })
    expect(code).toBe(0)
    expect(await planObjects('appr-yes')).toEqual(['ConfigMap/appr-one', 'ConfigMap/appr-two'])
  }, 120_000)

  it('asks whoever can answer after showing the rendered plan; "no" applies nothing', async () => {
    const plan = writePlan('appr-tty', TWO_PHASES, files)
    const asked: ApprovalQuestion[] = []
    const { report } = await runEngine(settings(plan, { gate: 'all' }), {
      log: memoryLogger(),
      confirm: async q => {
        asked.push(q)
        return false
      }
    })
    expect(asked).toHaveLength(1)
    expect(asked[0].question).toMatch(new RegExp(`^Deploy 2 phases to .+/${ns}\\? \\[y/N\\]$`))
    expect(asked[0].planMarkdown).toMatch(/one/)
    expect(report.verdict).toBe('cancelled')
    expect(await planObjects('appr-tty')).toEqual([])
  }, 120_000)
})

describe('onFailure: stop', () => {
  it('keeps a crash-looping phase, names its rollback command, and that command restores the earlier objects', async () => {
    const plan = writePlan(
      'stopper',
      `phases:
  - {name: base, apply: [base.yaml]}
  - name: app
    apply: [app.yaml]
    timeout: 60s
    onFailure: stop
`,
      {
        'base.yaml': configMap('stop-cfg', '1'),
        // The failing phase changes an object an earlier phase made and adds a crash-looping Deployment.
        'app.yaml': `${configMap('stop-cfg', '2')}---\n${deployment('stop-web', { 'phase-gate.test/simulate': 'crash-loop' })}`
      }
    )
    const s = settings(plan)
    const { report } = await runEngine(s, { log: memoryLogger() })
    const [base, app] = report.gates
    expect(base.verdict).toBe('pass')
    expect(app.verdict).toBe('fail')
    const ready = app.checks.find(c => c.kind === 'ready' && c.verdict === 'fail')
    expect(ready?.evidence).toMatch(/CrashLoopBackOff|exit code 1|restart/i)
    const stopped = app.checks.find(c => c.kind === 'rollback')
    expect(stopped?.verdict).toBe('skip')
    const command = String(stopped?.data?.command)
    expect(command).toBe(
      `phase-gate check stopper/phase-gate.yaml --gate rollback --phase app --run-id ${s.runId}`
    )
    expect(stopped?.evidence).toMatch(/kubectl -n \S+ delete deployment.apps\/stop-web --wait/)
    // Still there: the failed phase's objects, as the failure left them.
    expect(await planObjects('stopper')).toEqual(['ConfigMap/stop-cfg', 'Deployment/stop-web'])
    expect(await configValue('stop-cfg')).toBe('2')
    expect((await stateIndex('stopper')).state).toBe('failed')

    // The person runs exactly the command the report names.
    const argv = command.split(' ')
    expect(argv[0]).toBe('phase-gate')
    const r = await cli([...argv.slice(1), '--json'])
    const rollback = JSON.parse(r.stdout) as RunReport
    expect(rollback.gates[0].details).toMatchObject({ runId: s.runId, phases: ['app'] })
    expect(r.code).toBe(0)
    expect(await planObjects('stopper')).toEqual(['ConfigMap/stop-cfg'])
    expect(await configValue('stop-cfg')).toBe('1')
    expect((await stateIndex('stopper')).state).toBe('previous-stable')
  }, 180_000)
})

describe('--gate rollback --phase over a three-phase run', () => {
  it('undoes phases 3 and 2, in that order, verified; phase 1 stays', async () => {
    const plan = writePlan(
      'three',
      `phases:
  - {name: p1, apply: [p1.yaml]}
  - {name: p2, apply: [p2.yaml]}
  - {name: p3, apply: [p3.yaml]}
`,
      {
        'p1.yaml': configMap('three-a', '1'),
        // Phase 2 changes phase 1's object and adds one; phase 3 adds a Deployment.
        'p2.yaml': `${configMap('three-a', '2')}---\n${configMap('three-b', '1')}`,
        'p3.yaml': deployment('three-web', {})
      }
    )
    const s = settings(plan)
    const { report } = await runEngine(s, { log: memoryLogger() })
    expect(report.gates.map(g => g.verdict)).toEqual(['pass', 'pass', 'pass'])
    expect(await planObjects('three')).toEqual([
      'ConfigMap/three-a',
      'ConfigMap/three-b',
      'Deployment/three-web'
    ])

    const { report: rb } = await runEngine(
      settings(plan, { gate: 'rollback', phase: 'p2', runId: s.runId }),
      { log: memoryLogger() }
    )
    const gate = rb.gates[0]
    expect(gate.verdict).toBe('pass')
    expect(gate.details?.phases).toEqual(['p3', 'p2'])
    const undos = gate.checks.filter(c => c.kind === 'rollback')
    expect(undos.map(c => c.data?.phase)).toEqual(['p3', 'p2'])
    for (const u of undos) expect(u.data?.verified).toBe(true)
    expect(gate.notes?.join('\n')).toMatch(/the target is as after phase p1/)
    expect(await planObjects('three')).toEqual(['ConfigMap/three-a'])
    expect(await configValue('three-a')).toBe('1')
  }, 180_000)
})

describe('phase migrations', () => {
  // up and down append to a marker, with whether the phase's ConfigMap existed at that moment.
  const probe = (step: string): string =>
    `if ${JSON.stringify(clusterEnv().kubectl)} --kubeconfig ${JSON.stringify(clusterEnv().kubeconfig)} -n "$PHASE_GATE_NAMESPACE" get configmap mig-cm >/dev/null 2>&1; then echo ${step}:present >> marker; else echo ${step}:absent >> marker; fi; echo migrated-${step}`

  it('runs up once before applying and down once after the undo on the phase’s rollback', async () => {
    const plan = writePlan(
      'mig',
      `phases:
  - name: schema
    apply: [cm.yaml]
    migration: {up: [${JSON.stringify(probe('up'))}], down: [${JSON.stringify(probe('down'))}], shell: true}
    validate:
      - command: {run: ["false"]}
`,
      { 'cm.yaml': configMap('mig-cm', '1') }
    )
    const { report } = await runEngine(settings(plan), { log: memoryLogger() })
    const [phase] = report.gates
    expect(phase.verdict).toBe('fail')
    expect(readFileSync(join(work, 'mig', 'marker'), 'utf8')).toBe('up:absent\ndown:absent\n')
    const migrations = phase.checks.filter(c => c.kind === 'migration')
    expect(migrations.map(c => [c.target, c.verdict])).toEqual([
      ['schema: up', 'pass'],
      ['schema: down', 'pass']
    ])
    expect(migrations[0].evidence).toContain('migrated-up')
    expect(migrations[1].evidence).toContain('migrated-down')
    expect(await planObjects('mig')).toEqual([])
  }, 120_000)

  it('a failing up applies nothing and runs no down', async () => {
    const plan = writePlan(
      'mig-bad',
      `phases:
  - name: schema
    apply: [cm.yaml]
    migration: {up: ["echo up >> marker; echo 'relation users exists' >&2; exit 3"], down: ["echo down >> marker"], shell: true}
`,
      { 'cm.yaml': configMap('migbad-cm', '1') }
    )
    const { report } = await runEngine(settings(plan), { log: memoryLogger() })
    const [phase] = report.gates
    expect(phase.verdict).toBe('fail')
    const up = phase.checks.find(c => c.kind === 'migration')
    expect(up?.message).toMatch(
      /^migration up failed \(exit 3\).*nothing of phase schema was applied/
    )
    expect(up?.evidence).toContain('relation users exists')
    expect(phase.checks.some(c => c.kind === 'apply')).toBe(false)
    expect(readFileSync(join(work, 'mig-bad', 'marker'), 'utf8')).toBe('up\n')
    expect(await planObjects('mig-bad')).toEqual([])
  }, 120_000)
})

describe('phase migrations as Job manifests', () => {
  const job = (name: string, podLabels: Record<string, string> = {}): string =>
    `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  backoffLimit: 0
  template:
    metadata: {labels: ${JSON.stringify(podLabels)}}
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: registry.invalid/migrate:1}]
`
  async function jobs(): Promise<string[]> {
    const out = await kubectlJson<{ items: { metadata: { name: string } }[] }>([
      'get',
      'jobs',
      '-n',
      ns,
      '-o',
      'json'
    ])
    return out.items.map(i => i.metadata.name)
  }

  it('runs the up Job to completion before applying, the down Job after the undo, and removes both', async () => {
    const plan = writePlan(
      'migjob',
      `phases:
  - name: schema
    apply: [cm.yaml]
    migration:
      up: {job: {file: up-job.yaml}}
      down:
        job:
          inline: |
${job('migjob-down')
  .split('\n')
  .map(l => `            ${l}`)
  .join('\n')}
    validate:
      - command: {run: ["false"]}
`,
      { 'cm.yaml': configMap('migjob-cm', '1'), 'up-job.yaml': job('migjob-up') }
    )
    const { report } = await runEngine(settings(plan), { log: memoryLogger() })
    const [phase] = report.gates
    const migrations = phase.checks.filter(c => c.kind === 'migration')
    expect(migrations.map(c => [c.target, c.verdict])).toEqual([
      ['schema: up', 'pass'],
      ['schema: down', 'pass']
    ])
    expect(migrations[0].message).toMatch(/^migration up ran in .*: Job from up-job.yaml$/)
    expect(migrations[0].evidence).toMatch(/Job \S*migjob-up completed/)
    // Up ran before the apply: its check precedes the apply's.
    const kinds = phase.checks.map(c => c.kind)
    expect(kinds.indexOf('migration')).toBeLessThan(kinds.indexOf('apply'))
    expect(await jobs()).toEqual([])
    expect(await planObjects('migjob')).toEqual([])
  }, 120_000)

  it('a failing up Job fails the phase with nothing applied', async () => {
    const plan = writePlan(
      'migjob-bad',
      `phases:
  - name: schema
    apply: [cm.yaml]
    migration:
      up: {job: {file: up-job.yaml}}
      timeout: 10s
`,
      {
        'cm.yaml': configMap('migjobbad-cm', '1'),
        'up-job.yaml': job('migjobbad-up', { 'phase-gate.test/simulate': 'crash-loop' })
      }
    )
    const { report } = await runEngine(settings(plan), { log: memoryLogger() })
    const [phase] = report.gates
    expect(phase.verdict).toBe('fail')
    const up = phase.checks.find(c => c.kind === 'migration')
    expect(up?.verdict).toBe('fail')
    // The local cluster's crash-looping pod never completes the Job: it ends at the step's timeout.
    expect(up?.message).toMatch(
      /^migration up failed \(timed out after .*\): Job from up-job.yaml; nothing of phase schema was applied/
    )
    expect(up?.evidence).toMatch(/CrashLoopBackOff|exit code 1|restart/i)
    expect(phase.checks.some(c => c.kind === 'apply')).toBe(false)
    expect(await planObjects('migjob-bad')).toEqual([])
  }, 120_000)
})

describe('budgets.implementation', () => {
  it('stops the run when all phases together exceed it, with the running phase rolled back', async () => {
    const plan = writePlan(
      'budget',
      `budgets: {implementation: 6s}
phases:
  - {name: first, apply: [first.yaml]}
  - {name: slow, apply: [slow.yaml], timeout: 90s}
  - {name: never, apply: [never.yaml]}
`,
      {
        'first.yaml': configMap('budget-first', '1'),
        // Ready only after 60 s: within its own timeout, but not within the run's 6 s.
        'slow.yaml': deployment(
          'budget-slow',
          { 'phase-gate.test/simulate': 'slow-ready' },
          { 'phase-gate.test/ready-after': '60s' }
        ),
        'never.yaml': configMap('budget-never', '1')
      }
    )
    const started = Date.now()
    const { report } = await runEngine(settings(plan), { log: memoryLogger() })
    const took = Date.now() - started
    expect(report.gates.map(g => [g.name, g.verdict])).toEqual([
      ['first', 'pass'],
      ['slow', 'fail']
    ])
    const slow = report.gates[1]
    expect(slow.notes?.join('\n')).toMatch(/implementation budget \(budgets.implementation 6s/)
    expect(slow.checks.find(c => c.kind === 'rollback')?.verdict).toBe('pass')
    // 6 s budget plus the rollback and a loaded machine; far below the 60 s the pod needs.
    expect(took).toBeLessThan(45_000)
    expect(await planObjects('budget')).toEqual(['ConfigMap/budget-first'])
    expect(existsSync(join(work, 'budget'))).toBe(true)
  }, 120_000)
})
