// The e2e harness's decisions, without act: how act's JSON log becomes jobs,
// which `uses:` map to which local folder, which jobs are fail-fast matrices,
// that the act-compat edits still find their text in the workflows we ship,
// the deploy kubeconfig, and the runner shim's fail-fast (run as the runner
// runs an action: node dist/index.js, with the step's environment).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { jobsFromLog, type ActLine } from './act.mjs'
import {
  ACT_COMPAT,
  FLEET_NO_HALT,
  ROOT,
  deployKubeconfig,
  failFastJobs,
  localRepositoryFlags,
  usesOf
} from './workspace.mjs'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-harness-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const reusable = ['infra-deploy.yml', 'staged-rollout.yml'].map(f =>
  join(ROOT, '.github', 'workflows', f)
)
const callers = ['web-app', 'shop-postgres', 'helm-service', 'canary-rollout'].map(e =>
  join(ROOT, 'examples', e, 'workflow.yml')
)

describe("act's log as jobs", () => {
  let seq = 0
  const line = (fields: Partial<ActLine>): ActLine => ({
    seq: seq++,
    at: 1000 + seq,
    msg: '',
    ...fields
  })
  const infra = 'deploy/phase-gate infra-deploy'
  const lines: ActLine[] = [
    line({ job: 'deploy', jobID: 'deploy', msg: 'LocalRepositoryCache matched ...' }),
    line({ job: `${infra}/R reality check`, jobID: 'reality-check', matrix: {}, msg: 'Run' }),
    line({
      job: `${infra}/R reality check`,
      jobID: 'reality-check',
      matrix: {},
      command: 'set-output',
      name: 'verdict',
      arg: 'warn',
      stepID: ['gate'],
      msg: 'set-output'
    }),
    line({
      job: `${infra}/R reality check`,
      jobID: 'reality-check',
      matrix: {},
      command: 'summary',
      content: '## warn',
      step: 'phase-gate/phase-gate@v1',
      msg: 'Summary'
    }),
    line({
      job: `${infra}/R reality check`,
      jobID: 'reality-check',
      matrix: {},
      jobResult: 'success',
      msg: 'done'
    }),
    line({
      job: `${infra}/I phase config-1`,
      jobID: 'phase',
      matrix: { phase: 'config' },
      msg: 'Run'
    }),
    line({
      job: `${infra}/I phase config-1`,
      jobID: 'phase',
      matrix: { phase: 'config' },
      command: 'error',
      arg: 'boom',
      msg: 'error'
    }),
    line({
      job: `${infra}/I phase config-1`,
      jobID: 'phase',
      matrix: { phase: 'config' },
      jobResult: 'failure',
      msg: 'done'
    }),
    line({
      job: `${infra}/I phase web-2`,
      jobID: 'phase',
      matrix: { phase: 'web' },
      jobResult: 'failure',
      msg: 'done'
    }),
    line({
      job: 'build',
      jobID: 'build',
      matrix: {},
      jobResult: 'success',
      msg: 'a job of the caller itself'
    }),
    line({ msg: 'a line of no job' })
  ]

  it('folds lines into jobs in start order, one per matrix leg, without the caller of a reusable workflow', () => {
    const jobs = jobsFromLog(lines)
    expect(jobs.map(j => [j.id, j.matrix, j.result, j.workflow ?? null])).toEqual([
      ['reality-check', {}, 'success', 'phase-gate infra-deploy'],
      ['phase', { phase: 'config' }, 'failure', 'phase-gate infra-deploy'],
      ['phase', { phase: 'web' }, 'failure', 'phase-gate infra-deploy'],
      ['build', {}, 'success', null]
    ])
    expect(jobs[0].outputs).toEqual({ 'gate.verdict': 'warn' })
    expect(jobs[0].summaries).toEqual([{ step: 'phase-gate/phase-gate@v1', content: '## warn' }])
    expect(jobs[1].errors).toEqual(['boom'])
    expect(jobs[0].lastSeq).toBeLessThan(jobs[1].firstSeq)
  })
})

describe('--local-repository flags', () => {
  const standIns = {
    checkout: '/s/checkout',
    'upload-artifact': '/s/up',
    'download-artifact': '/s/down'
  }

  it("map every remote `uses:` of the shipped workflows and the examples' callers", () => {
    const uses = usesOf([...reusable, ...callers])
    const flags = localRepositoryFlags(uses, { actionDir: '/a', standIns })
    const pairs = flags.filter((_, i) => i % 2 === 1)
    expect(flags.filter((_, i) => i % 2 === 0).every(f => f === '--local-repository')).toBe(true)
    expect(pairs).toContain('phase-gate/phase-gate@v1=/a')
    for (const u of uses.filter(x => x.startsWith('actions/'))) {
      const [repo, ref] = u.split('@')
      expect(pairs).toContain(
        `${repo}@${ref}=${standIns[repo.split('/')[1] as keyof typeof standIns]}`
      )
    }
    // The callers reach the reusable workflows through the same mapping (one flag per repo and ref).
    expect(uses).toContain('phase-gate/phase-gate/.github/workflows/infra-deploy.yml@v1')
    expect(pairs.filter(p => p.startsWith('phase-gate/'))).toEqual(['phase-gate/phase-gate@v1=/a'])
  })

  it.each([
    ['docker/login-action@v3', /no local stand-in for docker\/login-action/],
    ['phase-gate/phase-gate@v2', /maps only phase-gate\/phase-gate@v1/],
    ['no-ref', /cannot read the reference/]
  ])('refuse %s', (uses, message) => {
    expect(() => localRepositoryFlags([uses], { actionDir: '/a', standIns })).toThrow(message)
  })

  it('leave local actions alone', () => {
    expect(
      localRepositoryFlags(['./.github/actions/x', 'docker://alpine'], {
        actionDir: '/a',
        standIns
      })
    ).toEqual([])
  })
})

describe('the workflows as act meets them', () => {
  it('finds the fail-fast matrix jobs (GitHub defaults fail-fast to true)', () => {
    expect(failFastJobs(reusable)).toEqual(['phase', 'stage'])
    const f = join(dir, 'matrix.yml')
    writeFileSync(
      f,
      'jobs:\n  a: {strategy: {matrix: {x: [1]}}}\n  b: {strategy: {matrix: {x: [1]}, fail-fast: false}}\n  c: {steps: []}\n'
    )
    expect(failFastJobs([f])).toEqual(['a'])
  })

  it.each([...ACT_COMPAT, FLEET_NO_HALT])('the edit of $file still finds its text', c => {
    const text = readFileSync(join(ROOT, c.file), 'utf8')
    expect(text).toContain(c.from)
    // The edit leaves valid YAML with the same jobs.
    const before = parse(text) as { jobs: object }
    const after = parse(text.split(c.from).join(c.to)) as { jobs: object }
    expect(Object.keys(after.jobs)).toEqual(Object.keys(before.jobs))
  })
})

describe('the deploy kubeconfig', () => {
  const cluster = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}, {name: other, cluster: {server: 'https://127.0.0.1:1'}}]
users: [{name: admin, user: {token: secret}}, {name: viewer, user: {token: nope}}]
contexts: [{name: admin, context: {cluster: c, user: admin}}, {name: view, context: {cluster: other, user: viewer}}]
current-context: admin
`
  it('keeps the current cluster and user, under the contexts the plans name', () => {
    const k = parse(deployKubeconfig(cluster)) as {
      contexts: { name: string; context: { cluster: string; user: string } }[]
      clusters: { name: string }[]
      users: { name: string }[]
      'current-context': string
    }
    expect(k.contexts.map(c => [c.name, c.context.cluster, c.context.user])).toEqual([
      ['e2e', 'c', 'admin'],
      ['staging', 'c', 'admin'],
      ['production', 'c', 'admin']
    ])
    expect([k.clusters.map(c => c.name), k.users.map(u => u.name), k['current-context']]).toEqual([
      ['c'],
      ['admin'],
      'e2e'
    ])
  })
})

describe('the runner shim (fail-fast that act lacks)', () => {
  let dist: string
  let record: string
  beforeAll(() => {
    dist = join(dir, 'dist')
    record = join(dir, 'record')
    mkdirSync(dist)
    mkdirSync(record)
    cpSync(join(ROOT, '__tests__', 'e2e', 'runner-shim.mjs'), join(dist, 'index.js'))
    writeFileSync(join(dist, 'package.json'), '{"type": "module"}')
    // The "real bundle": notes that it ran and exits as told.
    writeFileSync(
      join(dist, 'phase-gate.js'),
      "import { appendFileSync } from 'node:fs'\nappendFileSync(process.env.RAN, `${process.env.INPUT_PHASE}:${process.env.STATE_isPost ?? 'main'}\\n`)\nprocess.exitCode = Number(process.env.EXIT ?? 0)\n"
    )
  })

  const step = (
    job: string,
    phase: string,
    opts: { post?: boolean; exit?: number } = {}
  ): { code: number | null; stdout: string } => {
    const r = spawnSync(process.execPath, [join(dist, 'index.js')], {
      env: {
        PATH: process.env.PATH,
        GITHUB_JOB: job,
        GITHUB_RUN_ID: '7',
        INPUT_PHASE: phase,
        PHASE_GATE_E2E_RECORD: record,
        PHASE_GATE_E2E_FAIL_FAST: 'phase,stage',
        RAN: join(dir, 'ran.txt'),
        EXIT: String(opts.exit ?? 0),
        ...(opts.post ? { STATE_isPost: 'true' } : {})
      },
      encoding: 'utf8'
    })
    return { code: r.status, stdout: r.stdout }
  }
  const ran = (): string[] =>
    existsSync(join(dir, 'ran.txt'))
      ? readFileSync(join(dir, 'ran.txt'), 'utf8').trim().split('\n')
      : []

  it('runs the legs until one fails, then stops the later legs before the gate, and skips their post steps', () => {
    expect(step('phase', 'config').code).toBe(0)
    expect(step('phase', 'config', { post: true }).code).toBe(0)
    expect(step('phase', 'web', { exit: 1 }).code).toBe(1)
    const later = step('phase', 'route')
    expect(later.code).toBe(1)
    expect(later.stdout).toMatch(
      /::error::cancelled: phase web failed and this matrix has fail-fast: true/
    )
    expect(step('phase', 'route', { post: true }).code).toBe(0)
    // The failed leg's own post step still runs (its cleanup).
    expect(step('phase', 'web', { post: true }).code).toBe(0)
    // Another job, and a job that is no fail-fast matrix, are not stopped.
    expect(step('stage', 'canary').code).toBe(0)
    expect(step('validate', 'x').code).toBe(0)
    expect(ran()).toEqual([
      'config:main',
      'config:true',
      'web:main',
      'web:true',
      'canary:main',
      'x:main'
    ])
  })
})
