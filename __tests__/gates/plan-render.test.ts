import { describe, expect, it } from '@jest/globals'
import {
  MAX_RESOURCES_PER_PHASE,
  MAX_RISKS,
  code,
  describeCheck,
  describeRollback,
  formatBudget,
  planFlowchart,
  renderPlan,
  sortRisks,
  stateLine,
  type PlanView,
  type RiskView
} from '../../src/report/plan-render.js'
import type { CheckSpec } from '../../src/plan/types.js'
import { registerSecret, clearSecrets } from '../../src/core/secrets.js'

function view(over: Partial<PlanView> = {}): PlanView {
  return {
    plan: 'shop',
    planFile: 'deploy/phase-gate.yaml',
    target: { context: 'staging', namespace: 'shop' },
    owners: [],
    approval: {
      environment: 'plan-approval',
      source: 'default',
      verdict: 'pass',
      reviewers: ['alice']
    },
    state: { status: 'read' },
    evidence: [
      { gate: 'reality-check', status: 'found', verdict: 'pass', checks: 3, runId: '7' },
      { gate: 'tracer', status: 'not-needed' }
    ],
    risks: [],
    unproven: [],
    phases: [
      {
        name: 'web',
        files: ['deploy/web.yaml'],
        resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
        checks: [],
        rollback: [],
        budgetMs: 900_000,
        rollbackBudgetMs: 900_000
      }
    ],
    validation: { checks: [], rollbackTest: false },
    levels: [],
    budgets: [{ gate: 'reality-check', ms: 600_000, source: 'size' }],
    estimateMs: 1_800_000,
    ...over
  }
}

const risk = (over: Partial<RiskView>): RiskView => ({
  gate: 'reality-check',
  verdict: 'warn',
  severity: 'medium',
  kind: 'image',
  target: 'x',
  message: 'm',
  ...over
})

describe('formatBudget', () => {
  it.each([
    [0, '0s'],
    [450, '450ms'],
    [30_000, '30s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [600_000, '10m'],
    [3_600_000, '1h'],
    [3_900_000, '1h05m'],
    [86_400_000, '1d'],
    [93_600_000, '1d2h']
  ])('%d ms → %s', (ms, text) => {
    expect(formatBudget(ms)).toBe(text)
  })
})

describe('describeCheck', () => {
  const cases: [CheckSpec, string][] = [
    [{ ready: { kind: 'Cluster', name: 'db', timeout: '5m' } }, 'ready: Cluster/db within 5m'],
    [
      { http: { service: 'api', port: 80, path: '/health', expect: { status: 204 } } },
      'http: GET service api:80/health → 204'
    ],
    [
      { http: { url: 'http://127.0.0.1:8080/x', method: 'POST', expect: { cel: 'json.ok' } } },
      'http: POST http://127.0.0.1:8080/x (json.ok)'
    ],
    [{ command: { run: ['psql', '-c', 'select 1'] } }, "command: psql -c 'select 1' exits 0"],
    [
      { command: { run: ['sh', '-c', "echo 'hi'"], expect: { exitCode: 3, output: 'hi' } } },
      "command: sh -c 'echo '\\''hi'\\''' exits 3 printing hi"
    ],
    [{ env: { selector: 'app=api', require: ['A', 'B'] } }, 'env: pods app=api have A, B'],
    [
      { metric: { name: 'errors', query: 'sum(x)', expect: '< 0.5', window: '5m' } },
      'metric: errors sum(x) < 0.5 over 5m'
    ],
    [
      { pullRequest: { approvals: 2, blockingLabels: ['do-not-merge'], requiredChecks: ['ci'] } },
      'pull request: 2 approvals; no label do-not-merge; green ci'
    ],
    [{ pullRequest: {} }, 'pull request: 1 approval'],
    [{ tools: { kubectl: '>=1.30', helm: '^3' } }, 'tools: kubectl >=1.30, helm ^3'],
    [
      { migration: { up: ['migrate', 'up'], down: ['migrate', 'down', '1'] } },
      'migration: up migrate up, down migrate down 1 (both directions proven)'
    ],
    [{ argocd: { application: 'shop' } }, 'argocd: Application shop Synced/Healthy'],
    [{ alertRules: { names: ['HighErrorRate'] } }, 'alert rules: HighErrorRate loaded']
  ]
  it.each(cases)('%j → %s', (spec, text) => {
    expect(describeCheck(spec)).toBe(text)
  })

  it.each([
    [{ undo: true as const }, 'undo'],
    [{ helm: 'rollback' as const }, 'helm rollback to the revision before'],
    [{ command: { run: ['./revert.sh', 'v1'] } }, 'command: ./revert.sh v1']
  ])('rollback %j → %s', (action, text) => {
    expect(describeRollback(action)).toBe(text)
  })
})

describe('renderPlan', () => {
  it('keeps names from the plan from breaking tables, opening HTML or pinging people', () => {
    const md = renderPlan(
      view({
        owners: ['@shop-team'],
        phases: [
          {
            name: 'a|b',
            files: [],
            resources: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x|y' }],
            checks: [{ command: { run: ['echo', '<script>alert(1)</script>'] } }],
            rollback: [],
            budgetMs: 60_000,
            rollbackBudgetMs: 60_000
          }
        ],
        risks: [risk({ verdict: 'fail', message: 'ask @octo-team | now', target: 'a`b' })]
      })
    )
    const row = md.split('\n').find(l => l.startsWith('| 1 |')) ?? ''
    expect(row.split(/(?<!\\)\|/)).toHaveLength(8)
    expect(row).toContain('a\\|b')
    expect(row).toContain('&lt;script&gt;')
    expect(md).not.toContain('<script>')
    expect(md).toContain('ask @\u200bocto-team \\| now')
    expect(md).toContain('``a`b``')
    expect(md).toContain('owners `@shop-team`')
  })

  it('orders risks failures first, then by severity, and counts the rest beyond the limit', () => {
    const sorted = sortRisks([
      risk({ target: 'w-low', severity: 'low' }),
      risk({ target: 'f', verdict: 'fail', severity: 'medium' }),
      risk({ target: 'w-high', severity: 'high' }),
      risk({ target: 'e', verdict: 'error', severity: 'high' })
    ])
    expect(sorted.map(r => r.target)).toEqual(['f', 'e', 'w-high', 'w-low'])
    const many = Array.from({ length: MAX_RISKS + 7 }, (_, i) => risk({ target: `t${i}` }))
    const md = renderPlan(view({ risks: many }))
    expect(md.split('\n').filter(l => l.startsWith('| ⚠️ |'))).toHaveLength(MAX_RISKS)
    expect(md).toContain('…and 7 more in the reports')
  })

  it('counts the resources of a large phase instead of listing them all', () => {
    const resources = Array.from({ length: MAX_RESOURCES_PER_PHASE + 3 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: `c${i}`
    }))
    const md = renderPlan(view({ phases: [{ ...view().phases[0], resources }] }))
    expect(md).toContain(`\`ConfigMap/c${MAX_RESOURCES_PER_PHASE - 1}\`<br>…and 3 more`)
    expect(md).not.toContain(`ConfigMap/c${MAX_RESOURCES_PER_PHASE}\``)
  })

  it('shows the approver that a phase stops on failure, and that its migration goes down on rollback', () => {
    const stop = renderPlan(
      view({
        phases: [{ ...view().phases[0], onFailure: 'stop', migration: { reversible: true } }]
      })
    )
    expect(stop).toContain('⏸️ on failure: stops, keeps its objects (onFailure: stop)')
    expect(stop).toContain('then the migration down')
    expect(renderPlan(view())).not.toContain('on failure: stops')
  })

  it('never carries a registered secret', () => {
    registerSecret('s3cr3t-token-value')
    try {
      const md = renderPlan(view({ risks: [risk({ message: 'token s3cr3t-token-value leaked' })] }))
      expect(md).not.toContain('s3cr3t-token-value')
      expect(md).toContain('token *** leaked')
    } finally {
      clearSecrets()
    }
  })

  it.each([
    [
      'pass',
      /environment `plan-approval` \(the default\): required reviewers `alice`\. The job after this one waits for it\./
    ],
    ['fail', /❌ environment `plan-approval` \(the default\) does not hold the job for anyone/],
    ['skip', /not read here \(no GitHub context\)/],
    ['error', /could not be read: see the approval check/]
  ] as const)('approval line for %s', (verdict, line) => {
    expect(
      renderPlan(
        view({
          approval: {
            environment: 'plan-approval',
            source: 'default',
            verdict,
            reviewers: ['alice']
          }
        })
      )
    ).toMatch(line)
  })

  it('says so when a gate’s report is missing and no risks are known', () => {
    const md = renderPlan(
      view({
        evidence: [
          { gate: 'reality-check', status: 'missing' },
          { gate: 'tracer', status: 'missing' }
        ]
      })
    )
    expect(md).toContain('reality-check: ⚠️ no report found, so its risks are unknown')
    expect(md).toContain('No risks in the reports that were found.')
    expect(md).not.toContain('None: every check passed.')
  })

  it('renders the rollout: stages, triggers with their CEL, queries folded, trigger action', () => {
    const md = renderPlan(
      view({
        rollout: {
          target: 'Deployment/api',
          canary: 'Deployment/api-canary',
          replicas: 20,
          stages: [
            { name: 'infra', weight: 0, hold: '2 steps' },
            { name: 'canary', weight: 5, hold: '10m' }
          ],
          metrics: [{ name: 'errorRate', query: 'sum(rate(x{code=~"5.."}[1m])) | y' }],
          triggers: [
            {
              metric: 'errorRate',
              text: 'above 2x baseline',
              cel: 'value > 2.0 * baseline',
              samples: { n: 3, of: 5 }
            }
          ],
          onTrigger: 'flag',
          budgetMs: 1_200_000
        }
      })
    )
    expect(md).toContain('replica ratio of 20 replicas')
    expect(md).toContain('| infra | 0 % | 2 steps |')
    expect(md).toContain(
      '- `errorRate` above 2x baseline in 3 of 5 samples (`value > 2.0 * baseline`)'
    )
    expect(md).toContain('then runs the `flag` rollback level')
    expect(md).toContain('| errorRate | `sum(rate(x{code=~"5.."}[1m])) \\| y` |')
    expect(md).toContain('then the rollout within 20m')
  })
})

describe('planFlowchart', () => {
  it('draws approval → phases → validate → stages, with labels that cannot break Mermaid', () => {
    const chart = planFlowchart(
      view({
        phases: [
          { ...view().phases[0], name: 'db "main"' },
          { ...view().phases[0], name: 'web' }
        ],
        rollout: {
          target: 'a',
          canary: 'b',
          stages: [{ name: 'canary', weight: 5 }],
          metrics: [],
          triggers: [],
          onTrigger: 'none',
          budgetMs: 0
        }
      })
    )
    expect(chart.split('\n')).toEqual([
      '```mermaid',
      'flowchart LR',
      '  a{{"approval"}}',
      `  a --> p0["1. db 'main'"]`,
      '  p0 --> p1["2. web"]',
      '  p1 --> v["validate"]',
      '  v --> s0(["canary 5%"])',
      '```'
    ])
  })
})

describe('stateLine', () => {
  it.each([
    [
      { status: 'unknown' as const, reason: 'no kubeconfig' },
      '**Deployment state:** unknown: no kubeconfig.'
    ],
    [
      { status: 'read' as const },
      '**Deployment state:** none yet: no deployment of `shop` is recorded in `shop`; this will be the first.'
    ],
    [
      {
        status: 'read' as const,
        state: 'stable',
        since: '2026-11-01T12:34:56Z',
        runId: '9',
        lastKnownGood: { runId: '9', at: '2026-11-01T12:00:00Z' }
      },
      '**Deployment state:** `stable` since 2026-11-01 12:34 UTC (run `9`); last known-good: run `9` at 2026-11-01 12:00 UTC.'
    ],
    [
      { status: 'read' as const, state: 'failed' },
      '**Deployment state:** `failed`; no known-good version recorded yet.'
    ]
  ])('%j', (state, line) => {
    expect(stateLine(state, 'shop', 'shop')).toBe(line)
  })
})

describe('code', () => {
  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
    ['two\nlines', '`two lines`']
  ])('%j → %s', (input, out) => {
    expect(code(input)).toBe(out)
  })
})
