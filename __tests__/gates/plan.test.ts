import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULT_APPROVAL_ENVIRONMENT,
  approvalEnvironment,
  estimateToActive,
  latestResults,
  planGate
} from '../../src/gates/plan.js'
import { readReportsDir } from '../../src/report/reports-dir.js'
import type { GateContext } from '../../src/gates/types.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import { GitHubApiError } from '../../src/github/api-error.js'
import type { Environment, GitHub } from '../../src/github/types.js'
import { InfraError } from '../../src/core/errors.js'
import { memoryLogger } from '../../src/core/log.js'
import { processExec } from '../../src/core/exec.js'
import type { Clock } from '../../src/core/clock.js'
import { loadPlan } from '../../src/plan/loader.js'
import type { LoadedPlan } from '../../src/plan/types.js'
import type { CheckResult, GateResult, RunReport, Verdict } from '../../src/report/model.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderCommentSection } from '../../src/report/comment.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { parseCli } from '../../src/cli/args.js'
import { createGitHub } from '../../src/github/client.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'

let dir: string

const PLAN = `# yaml-language-server: $schema=../schemas/plan.schema.json
version: 1
name: shop
owners: ['@shop-team']
target: {namespace: shop}
budgets: {size: simple, phase: 20m}
approval: {environment: shop-approval}
tracers:
  - name: db-api
    assumption: the operator accepts the Cluster API
    manifest: {inline: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: t}\\n"}
    success: {ready: true}
phases:
  - name: database
    apply: [deploy/db.yaml]
    validate:
      - ready: {kind: Deployment, name: db}
    rollback: [{undo: true}]
    migration: {up: [migrate, up]}
  - name: api
    apply: [deploy/api.yaml]
    budget: 7m
    validate:
      - http: {service: api, port: 8080, path: /healthz, expect: {status: 200}}
  - name: chart
    helm: {release: shop-web, chart: ./charts/web, version: 1.4.2}
validation:
  checks:
    - env: {selector: app=api, require: [DATABASE_URL]}
  rollbackTest: true
rollout:
  target: {kind: Deployment, name: api}
  route: {name: api}
  stages:
    - {name: canary, weight: 10, hold: 5m}
    - {name: full, weight: 100}
  metrics:
    prometheus: http://127.0.0.1:9
    requests: 'sum(rate(http_requests_total{track="{{track}}"}[1m]))'
    errorRate: 'sum(rate(http_requests_total{code=~"5..",track="{{track}}"}[1m]))'
  rollbackIf:
    - {metric: errorRate, above: 2x baseline}
    - {noDataFor: 5m}
rollbackLevels:
  - {level: flag, configMap: flags, key: NEW_CHECKOUT, value: "false"}
  - {level: code, target: {kind: Deployment, name: api}, budget: 10m}
`

const DB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec: {}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: other}
`
const API = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec: {}
`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-gate-'))
  await mkdir(join(dir, 'deploy'))
  await mkdir(join(dir, 'charts', 'web'), { recursive: true })
  await writeFile(join(dir, 'phase-gate.yaml'), PLAN)
  await writeFile(join(dir, 'deploy', 'db.yaml'), DB)
  await writeFile(join(dir, 'deploy', 'api.yaml'), API)
  await writeFile(
    join(dir, 'charts', 'web', 'Chart.yaml'),
    'apiVersion: v2\nname: web\nversion: 1.4.2\n'
  )
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const clock: Clock = { now: () => Date.parse('2026-11-24T10:00:00Z'), sleep: async () => undefined }

/** A GitHub with environments only: every other call fails the test. */
function fakeGitHub(envs: Record<string, Environment | Error>): GitHub & { asked: string[] } {
  const asked: string[] = []
  const unused = (): never => {
    throw new Error('not used by the plan gate')
  }
  return {
    asked,
    repo: { owner: 'octo', repo: 'shop' },
    serverUrl: 'https://github.example',
    hasToken: true,
    getEnvironment: async (name: string) => {
      asked.push(name)
      const e = envs[name]
      if (e instanceof Error) throw e
      return e
    },
    listIssueComments: unused,
    createIssueComment: unused,
    updateIssueComment: unused,
    deleteIssueComment: unused,
    getPullRequest: unused,
    listReviews: unused,
    listCheckRuns: unused,
    getCombinedStatus: unused,
    getRequiredStatusChecks: unused,
    listDeployments: unused,
    createDeployment: unused,
    listDeploymentStatuses: unused,
    createDeploymentStatus: unused
  }
}

const PROTECTED: Environment = {
  name: 'shop-approval',
  protection_rules: [
    { type: 'required_reviewers', reviewers: [{ type: 'User', reviewer: { login: 'alice' } }] }
  ]
}

function stateConfigMap(index: Record<string, unknown>): FakeCluster {
  return new FakeCluster({
    context: 'staging',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'phase-gate-shop', namespace: 'shop' },
        data: {
          'state.json': JSON.stringify({
            plan: 'shop',
            namespace: 'shop',
            history: [],
            runs: [],
            ...index
          })
        }
      }
    ]
  })
}

interface Options {
  settings?: Partial<Settings>
  github?: GitHub
  cluster?: FakeCluster | Error
  earlier?: RunReport[]
}

async function context(opts: Options = {}): Promise<GateContext> {
  const loaded: LoadedPlan = await loadPlan(join(dir, 'phase-gate.yaml'), { workspace: dir })
  const settings: Settings = {
    gate: 'plan',
    planPath: loaded.file,
    runId: 'run-7',
    runIdGiven: true,
    kubeconfig: { kind: 'default' },
    dryRun: false,
    comment: false,
    workspace: dir,
    ...opts.settings
  }
  const cluster = opts.cluster ?? stateConfigMap({})
  return {
    loaded,
    settings,
    runId: settings.runId,
    namespace: 'shop',
    cluster: async () => {
      if (cluster instanceof Error) throw cluster
      return cluster
    },
    stateRecord: async () => {
      if (cluster instanceof Error) throw cluster
      return StateRecord.forPlan(cluster, loaded.plan, 'shop')
    },
    registry: () => {
      throw new Error('the plan gate needs no registry')
    },
    metrics: () => {
      throw new Error('the plan gate needs no Prometheus')
    },
    github: opts.github,
    exec: processExec,
    clock,
    log: memoryLogger(),
    signal: new AbortController().signal,
    progress: () => undefined,
    earlier: opts.earlier ?? []
  }
}

function check(
  partial: Partial<CheckResult> & Pick<CheckResult, 'kind' | 'target' | 'verdict'>
): CheckResult {
  return {
    id: `${partial.kind}:${partial.target}`,
    severity: partial.verdict === 'pass' ? 'info' : 'high',
    message: `${partial.kind} ${partial.target} ${partial.verdict}`,
    durationMs: 1,
    ...partial
  }
}

function gate(
  name: GateResult['gate'],
  checks: CheckResult[],
  extra: Partial<GateResult> = {}
): GateResult {
  const order: Verdict[] = ['fail', 'error', 'warn', 'pass']
  const verdict = order.find(v => checks.some(c => c.verdict === v)) ?? 'pass'
  return {
    gate: name,
    verdict,
    durationMs: 5,
    startedAt: '2026-11-24T09:00:00.000Z',
    checks,
    ...extra
  }
}

function report(gates: GateResult[], over: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId: 'run-7',
    target: { namespace: 'shop' },
    startedAt: '2026-11-24T09:00:00.000Z',
    finishedAt: '2026-11-24T09:01:00.000Z',
    verdict: 'pass',
    gates,
    ...over
  }
}

const passingEvidence = (): RunReport[] => [
  report([
    gate('reality-check', [check({ kind: 'api', target: 'apps/v1/Deployment', verdict: 'pass' })]),
    gate('tracer', [check({ kind: 'tracer', target: 'db-api', verdict: 'pass' })])
  ])
]

async function runPlan(opts: Options): Promise<GateResult> {
  const results = await planGate.run(await context(opts))
  expect(results).toHaveLength(1)
  return results[0]
}

const byKind = (r: GateResult, kind: string): CheckResult | undefined =>
  r.checks.find(c => c.kind === kind)

describe('approvalEnvironment', () => {
  it.each([
    [{ approvalEnvironment: 'prod-gate' }, 'plan-env', 'prod-gate', 'input'],
    [{ approvalEnvironment: '  ' }, 'plan-env', 'plan-env', 'plan'],
    [{}, 'plan-env', 'plan-env', 'plan'],
    [{}, undefined, DEFAULT_APPROVAL_ENVIRONMENT, 'default'],
    [{ approvalEnvironment: ' spaced ' }, undefined, 'spaced', 'input']
  ])('settings %j with plan environment %s → %s from %s', (settings, planEnv, expected, source) => {
    const plan = {
      version: 1 as const,
      name: 'p',
      target: { namespace: 'n' },
      approval: planEnv ? { environment: planEnv } : undefined
    }
    expect(approvalEnvironment(settings, plan)).toEqual({ environment: expected, source })
  })
})

describe('the approval environment flag', () => {
  it('is the same setting the action input sets', () => {
    const cli = parseCli(
      ['check', 'p.yaml', '--gate', 'plan', '--approval-environment', 'prod-gate'],
      {},
      dir
    )
    expect(cli.settings.approvalEnvironment).toBe('prod-gate')
    expect(
      parseCli(['check', 'p.yaml', '--gate', 'plan'], {}, dir).settings.approvalEnvironment
    ).toBeUndefined()
  })
})

describe('plan gate: the approval environment must hold the job', () => {
  const cases: [string, Verdict, Environment | Error | undefined, RegExp][] = [
    ['required reviewers', 'pass', PROTECTED, /requires review by alice/],
    [
      'a wait timer only',
      'fail',
      { name: 'shop-approval', protection_rules: [{ type: 'wait_timer', wait_timer: 15 }] },
      /only a 15-minute wait timer and no required reviewers/
    ],
    [
      'no protection rules',
      'fail',
      { name: 'shop-approval', protection_rules: [] },
      /no required reviewers or wait timer/
    ],
    [
      'a branch policy only',
      'fail',
      { name: 'shop-approval', protection_rules: [{ type: 'branch_policy' }] },
      /runs the job without asking/
    ],
    ['a missing environment', 'fail', undefined, /does not exist/],
    [
      'a token that cannot read it',
      'error',
      new GitHubApiError(
        403,
        'GET',
        '/repos/octo/shop/environments/shop-approval',
        'Resource not accessible by integration'
      ),
      /could not read/
    ]
  ]
  it.each(cases)('%s → %s', async (_, verdict, env, message) => {
    const gh = fakeGitHub(env === undefined ? {} : { 'shop-approval': env })
    const r = await runPlan({ github: gh, earlier: passingEvidence() })
    const approval = byKind(r, 'approval')
    expect(gh.asked).toEqual(['shop-approval'])
    expect(approval?.verdict).toBe(verdict)
    expect(approval?.message).toMatch(message)
    // The plan names the environment, so the finding points at that line.
    expect(approval?.location?.path).toBe('approval.environment')
    expect(r.verdict).toBe(verdict === 'pass' ? 'pass' : verdict)
  })

  it('reads the environment the workflow names over the plan’s, and says so', async () => {
    const gh = fakeGitHub({ 'prod-gate': { ...PROTECTED, name: 'prod-gate' } })
    const r = await runPlan({
      github: gh,
      earlier: passingEvidence(),
      settings: { approvalEnvironment: 'prod-gate' }
    })
    expect(gh.asked).toEqual(['prod-gate'])
    expect(byKind(r, 'approval')?.verdict).toBe('pass')
    expect(r.details?.approvalEnvironment).toBe('prod-gate')
    expect(r.notes?.join('\n')).toMatch(
      /"prod-gate" comes from the workflow; the plan names "shop-approval"/
    )
    expect(String(r.details?.planMarkdown)).toContain(
      '**Approval:** environment `prod-gate` (set by the workflow): required reviewers `alice`'
    )
  })

  it('skips the approval check without a GitHub context (the CLI), and says why', async () => {
    const r = await runPlan({ earlier: passingEvidence() })
    const approval = byKind(r, 'approval')
    expect(approval?.verdict).toBe('skip')
    expect(approval?.message).toMatch(/no GitHub context/)
    expect(r.verdict).toBe('pass')
    expect(String(r.details?.planMarkdown)).toMatch(/not read here \(no GitHub context\)/)
  })
})

describe('plan gate: a wait timer alone is not human approval (GitHub stand-in)', () => {
  let standIn: GitHubStandIn
  beforeAll(async () => {
    standIn = await startGitHubStandIn({
      repository: 'octo/shop',
      state: {
        environments: {
          'shop-approval': { protection_rules: [{ id: 1, type: 'wait_timer', wait_timer: 10 }] }
        }
      }
    })
  })
  afterAll(() => standIn.close())
  const gh = (): GitHub =>
    createGitHub({
      token: 'test-token',
      repository: 'octo/shop',
      apiUrl: standIn.url,
      retryBaseMs: 1,
      retries: 1
    })

  it.each<[boolean | undefined, Verdict, RegExp]>([
    [undefined, 'fail', /only a 10-minute wait timer and no required reviewers/],
    [false, 'fail', /without a person approving/],
    [true, 'pass', /10-minute wait timer \(no required reviewers; approval.allowWaitTimer: true\)/]
  ])('allowWaitTimer %s → %s', async (allow, verdict, message) => {
    const ctx = await context({ github: gh(), earlier: passingEvidence() })
    if (allow !== undefined)
      ctx.loaded.plan.approval = { environment: 'shop-approval', allowWaitTimer: allow }
    const [r] = await planGate.run(ctx)
    const approval = byKind(r, 'approval')
    expect(approval?.verdict).toBe(verdict)
    expect(approval?.message).toMatch(message)
    expect(r.verdict).toBe(verdict)
    if (verdict === 'fail') expect(approval?.adjustment).toMatch(/allowWaitTimer: true/)
  })
})

describe('plan gate: risks from the reality check and the tracers', () => {
  it('lists every non-passing check of both gates, failures first, and fails when the reality check failed', async () => {
    const earlier = [
      report([
        gate('reality-check', [
          check({ kind: 'api', target: 'apps/v1/Deployment', verdict: 'pass' }),
          check({
            kind: 'image',
            target: 'ghcr.io/x/big:1',
            verdict: 'warn',
            severity: 'medium',
            message: 'image is 700 MB, over 500 MB'
          }),
          check({
            kind: 'api',
            target: 'extensions/v1beta1/Ingress',
            verdict: 'fail',
            message: 'not served; served at networking.k8s.io/v1',
            adjustment: 'use networking.k8s.io/v1'
          }),
          check({
            kind: 'admission',
            target: 'Cluster/db',
            verdict: 'skip',
            message: 'depends on CRD clusters.postgresql.cnpg.io from phase 1'
          })
        ]),
        gate('tracer', [
          check({ kind: 'tracer', target: 'db-api', verdict: 'error', message: 'could not check' })
        ])
      ])
    ]
    const r = await runPlan({ earlier })
    const md = String(r.details?.planMarkdown)
    expect(r.details?.risks).toBe(3)
    const rows = md.split('\n').filter(l => /^\| (❌|💥|⚠️) \|/.test(l))
    expect(rows.map(l => l.split('|')[1].trim())).toEqual(['❌', '💥', '⚠️'])
    expect(rows[0]).toContain('not served; served at networking.k8s.io/v1')
    expect(rows[0]).toContain('use networking.k8s.io/v1')
    expect(md).toContain('1 check not proven before deployment')
    expect(md).toContain('depends on CRD clusters.postgresql.cnpg.io from phase 1')
    const evidence = r.checks.filter(c => c.kind === 'evidence')
    expect(evidence.map(c => [c.target, c.verdict])).toEqual([
      ['reality-check', 'fail'],
      ['tracer', 'fail']
    ])
    expect(r.verdict).toBe('fail')
  })

  it('warns when no report of the reality check or the tracers is at hand', async () => {
    const r = await runPlan({})
    expect(r.checks.filter(c => c.kind === 'evidence').map(c => [c.target, c.verdict])).toEqual([
      ['reality-check', 'warn'],
      ['tracer', 'warn']
    ])
    expect(byKind(r, 'evidence')?.adjustment).toMatch(/`reports` input/)
    expect(String(r.details?.planMarkdown)).toContain(
      'reality-check: ⚠️ no report found, so its risks are unknown'
    )
    expect(r.verdict).toBe('warn')
  })

  it('warns when the reports come from another run than this one', async () => {
    const r = await runPlan({ earlier: passingEvidence().map(x => ({ ...x, runId: 'run-1' })) })
    expect(byKind(r, 'evidence')?.verdict).toBe('warn')
    expect(byKind(r, 'evidence')?.message).toMatch(/from run run-1, not this run \(run-7\)/)
    // A CLI call with a fresh id is not expected to match.
    const cli = await runPlan({
      earlier: passingEvidence().map(x => ({ ...x, runId: 'run-1' })),
      settings: { runIdGiven: false }
    })
    expect(byKind(cli, 'evidence')?.verdict).toBe('pass')
  })

  it('reads the downloaded artifacts from the reports directory, newest result per gate, other files skipped', async () => {
    const reports = join(dir, 'reports')
    await mkdir(join(reports, 'phase-gate-report-reality-check'), { recursive: true })
    await mkdir(join(reports, 'phase-gate-report-tracer'), { recursive: true })
    const failing = report(
      [
        gate('reality-check', [
          check({ kind: 'quota', target: 'cpu', verdict: 'fail', message: 'over quota' })
        ])
      ],
      {
        finishedAt: '2026-11-24T08:00:00.000Z'
      }
    )
    const fixed = report(
      [gate('reality-check', [check({ kind: 'quota', target: 'cpu', verdict: 'pass' })])],
      { finishedAt: '2026-11-24T09:30:00.000Z' }
    )
    await writeFile(
      join(reports, 'phase-gate-report-reality-check', 'reality-check.json'),
      JSON.stringify(fixed)
    )
    await writeFile(join(reports, 'old-attempt.json'), JSON.stringify(failing))
    await writeFile(
      join(reports, 'phase-gate-report-tracer', 'tracer.json'),
      JSON.stringify(
        report([gate('tracer', [check({ kind: 'tracer', target: 'db-api', verdict: 'pass' })])])
      )
    )
    await writeFile(join(reports, 'other-plan.json'), JSON.stringify({ ...fixed, plan: 'billing' }))
    await writeFile(join(reports, 'record.json'), JSON.stringify({ hello: 'world' }))
    await writeFile(join(reports, 'broken.json'), '{"schemaVersion": 1,')
    const found = await readReportsDir(reports, 'shop')
    expect(found.reports).toHaveLength(3)
    expect(found.skipped.map(x => `${x.file}: ${x.why}`).sort()).toEqual([
      expect.stringMatching(/^broken\.json: unreadable/),
      'other-plan.json: a report of plan billing',
      'record.json: not a phase-gate report'
    ])
    const r = await runPlan({ settings: { reportsDir: reports } })
    expect(r.checks.filter(c => c.kind === 'evidence').map(c => c.verdict)).toEqual([
      'pass',
      'pass'
    ])
    expect(r.details?.risks).toBe(0)
    expect(r.notes?.join('\n')).toMatch(/reports skipped: .*record\.json: not a phase-gate report/)
  })

  it('keeps the newest result per gate and unit, and ignores gates skipped without checks', () => {
    const a = report(
      [gate('tracer', [check({ kind: 'tracer', target: 't', verdict: 'fail' })], { name: 't' })],
      { finishedAt: '2026-11-24T01:00:00Z' }
    )
    const b = report(
      [gate('tracer', [check({ kind: 'tracer', target: 't', verdict: 'pass' })], { name: 't' })],
      { finishedAt: '2026-11-24T02:00:00Z' }
    )
    const skipped = report(
      [{ gate: 'tracer', name: 't', verdict: 'skip', durationMs: 0, startedAt: '', checks: [] }],
      { finishedAt: '2026-11-24T03:00:00Z' }
    )
    const latest = latestResults([b, skipped, a], ['tracer'])
    expect(latest).toHaveLength(1)
    expect(latest[0].result.verdict).toBe('pass')
  })
})

describe('plan gate: the deployment state', () => {
  const cases: [string, Verdict, Record<string, unknown> | Error, RegExp, RegExp][] = [
    [
      'nothing deployed yet',
      'pass',
      {},
      /no deployment recorded yet/,
      /none yet: no deployment of `shop` is recorded in `shop`/
    ],
    [
      'active with a known-good run',
      'pass',
      {
        state: 'active',
        stateSince: '2026-11-20T08:00:00Z',
        history: [{ state: 'active', at: '2026-11-20T08:00:00Z', runId: '41' }],
        lastKnownGood: { runId: '40', at: '2026-11-19T08:00:00Z' }
      },
      /deployment state active since 2026-11-20T08:00:00Z \(run 41\)/,
      /`active` since 2026-11-20 08:00 UTC \(run `41`\); last known-good: run `40` at 2026-11-19 08:00 UTC/
    ],
    [
      'an interrupted deployment',
      'warn',
      {
        state: 'deploying',
        stateSince: '2026-11-24T09:00:00Z',
        history: [
          { state: 'deploying', at: '2026-11-24T09:00:00Z', runId: '42', reason: 'phase api' }
        ]
      },
      /deploying .*under way or was interrupted/,
      /`deploying` since/
    ],
    [
      'a degraded release',
      'warn',
      {
        state: 'degraded',
        history: [{ state: 'degraded', at: '2026-11-24T09:00:00Z', runId: '42' }]
      },
      /degraded/,
      /`degraded`/
    ],
    [
      'a cluster that cannot be reached',
      'warn',
      new InfraError('connect ECONNREFUSED 127.0.0.1:6443', 'check the kubeconfig secret'),
      /could not read the deployment state/,
      /unknown: connect ECONNREFUSED/
    ]
  ]
  it.each(cases)('%s → %s', async (_, verdict, index, message, line) => {
    const r = await runPlan({
      earlier: passingEvidence(),
      cluster: index instanceof Error ? index : stateConfigMap(index)
    })
    const state = byKind(r, 'state')
    expect(state?.verdict).toBe(verdict)
    expect(state?.message).toMatch(message)
    expect(String(r.details?.planMarkdown)).toMatch(line)
    if (index instanceof InfraError) expect(state?.adjustment).toBe('check the kubeconfig secret')
  })
})

describe('plan gate: what will be applied', () => {
  it('lists each phase’s resources from its files, helm releases by chart and version, and the rollout', async () => {
    const r = await runPlan({ earlier: passingEvidence() })
    const md = String(r.details?.planMarkdown)
    expect(r.details?.phases).toEqual(['database', 'api', 'chart'])
    expect(r.details?.rolloutStages).toEqual(['canary', 'full'])
    const row = (name: string): string => md.split('\n').find(l => l.includes(`**${name}**`)) ?? ''
    expect(row('database')).toContain('`Deployment/db`<br>`Service/db (ns other)`')
    expect(row('database')).toContain('from `deploy/db.yaml`')
    expect(row('database')).toContain('ready: Deployment/db')
    expect(row('database')).toContain('the migration has no down step')
    expect(row('api')).toContain('http: GET service api:8080/healthz → 200')
    expect(row('api')).toMatch(/\| 7m<br>/)
    expect(row('chart')).toContain('Helm release `shop-web` ← chart `./charts/web` `1.4.2`')
    expect(md).toContain('- env: pods app=api have DATABASE_URL')
    expect(md).toContain('- rollback test:')
    expect(md).toMatch(
      /\| flag \| set NEW_CHECKOUT="false" in ConfigMap flags and verify it took effect \| 1m \|/
    )
    expect(md).toMatch(/\| code \| undo Deployment api to the last known-good revision.* \| 10m \|/)
    expect(md).toContain(
      'Stable `Deployment/api`, canary `Deployment/api-canary`, weights on HTTPRoute `api`'
    )
    expect(md).toContain('| canary | 10 % | 5m |')
    expect(md).toContain('- `errorRate` above 2x baseline (`value > 2.0 * baseline`)')
    expect(md).toContain("no data for 5m (dead-man's switch)")
    expect(md).toContain('| phase api | 7m | the phase |')
    expect(md).toContain('| phase database | 20m | budgets |')
    // reality-check 10 + tracer 5 + plan 10 + phases 20 + 7 + 20 + validate 5
    expect(r.details?.estimateMs).toBe(77 * 60_000)
    expect(md).toContain('**Estimated time:** within 1h17m to `active`')
    expect(md).toContain('owners `@shop-team`')
  })

  it('shows a manifest that cannot be read instead of failing the gate', async () => {
    await writeFile(join(dir, 'deploy', 'api.yaml'), 'apiVersion: v1\nkind: [unclosed\n')
    try {
      const r = await runPlan({ earlier: passingEvidence() })
      const row = String(r.details?.planMarkdown)
        .split('\n')
        .find(l => l.includes('**api**'))
      expect(row).toMatch(/⚠️ deploy\/api\.yaml:\d+:\d+: not valid YAML/)
      expect(r.verdict).toBe('pass')
    } finally {
      await writeFile(join(dir, 'deploy', 'api.yaml'), API)
    }
  })

  it('sums the budgets on the way to active', () => {
    const plan = { version: 1 as const, name: 'p', target: { namespace: 'n' } }
    expect(estimateToActive(plan)).toBe((10 + 10 + 5) * 60_000)
    expect(
      estimateToActive({
        ...plan,
        budgets: { size: 'complex' as const },
        phases: [{ name: 'a' }, { name: 'b', budget: '1h' }]
      })
    ).toBe((60 + 40 + 30 + 90 + 60) * 60_000)
  })
})

describe('the plan in the job summary and the PR comment', () => {
  it('the summary carries the plan under the gate’s section, the comment folds it', async () => {
    const r = await runPlan({
      earlier: passingEvidence(),
      github: fakeGitHub({ 'shop-approval': PROTECTED })
    })
    const run = report([r], { verdict: r.verdict })
    const summary = renderSummary(run)
    const section = summary.slice(summary.indexOf('### ✅ plan: pass'))
    expect(section).toContain('### The plan: shop → staging/shop')
    expect(section).toContain('#### Phases, in order')
    const comment = renderCommentSection([r])
    expect(comment).toContain('<details><summary>📋 The plan to approve</summary>')
    expect(comment).toContain('#### Risks found by the reality check and the tracers')
  })

  it('gates without a rendered plan look as before', () => {
    const g = gate('reality-check', [
      check({ kind: 'api', target: 'v1/ConfigMap', verdict: 'pass' })
    ])
    expect(renderSummary(report([g]))).not.toContain('The plan:')
    expect(renderCommentSection([g])).not.toContain('The plan to approve')
  })
})
