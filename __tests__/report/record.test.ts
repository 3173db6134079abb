// The deployment record's pure parts: reports merged in order, known issues,
// the retrospective, the state reached, operations, and the Markdown.
import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, registerSecret } from '../../src/core/secrets.js'
import type { DeploymentState, StateTransition } from '../../src/lifecycle/states.js'
import type {
  CheckResult,
  GateName,
  GateResult,
  RunReport,
  Verdict
} from '../../src/report/model.js'
import {
  chooseState,
  deriveState,
  knownIssues,
  mergeReports,
  renderRecord,
  retrospect,
  standingVerdict,
  workloadCommands,
  type DeploymentRecord
} from '../../src/report/record.js'

let clock = Date.parse('2026-03-01T10:00:00Z')
const iso = (): string => new Date((clock += 60_000)).toISOString()

function c(id: string, verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult {
  const [kind, ...rest] = id.split(':')
  return {
    id,
    kind,
    target: rest.join(':'),
    verdict,
    severity: verdict === 'pass' ? 'info' : 'high',
    message: `${id} ${verdict}`,
    durationMs: 1,
    ...extra
  }
}

function g(gate: GateName, checks: CheckResult[], extra: Partial<GateResult> = {}): GateResult {
  const worst = checks.some(x => x.verdict === 'fail')
    ? 'fail'
    : checks.some(x => x.verdict === 'warn')
      ? 'warn'
      : 'pass'
  return {
    gate,
    verdict: worst,
    durationMs: 1000,
    budgetMs: 60_000,
    startedAt: iso(),
    checks,
    ...extra
  }
}

function report(gates: GateResult[], runId = 'run-1'): RunReport {
  const startedAt = gates[0]?.startedAt ?? iso()
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0.1.0' },
    plan: 'app',
    planFile: 'phase-gate.yaml',
    runId,
    target: { namespace: 'shop' },
    startedAt,
    finishedAt: iso(),
    verdict: 'pass',
    gates
  }
}

describe('mergeReports', () => {
  it("orders by start, drops duplicates and the engine's run-so-far prefixes", () => {
    const rc = g('reality-check', [c('api:v1/ConfigMap', 'pass')])
    const phase = g('phase', [c('apply:app', 'pass')], { name: 'app' })
    const whole = report([rc, phase])
    const prefix = { ...whole, finishedAt: rc.startedAt, gates: [rc] }
    const earlier = report([g('tracer', [c('tracer:t', 'pass')])])
    earlier.startedAt = '2026-01-01T00:00:00.000Z'
    const merged = mergeReports([whole, prefix, structuredClone(whole), earlier])
    expect(merged).toEqual([earlier, whole])
  })
})

describe('knownIssues', () => {
  it('keeps warnings and failures whose latest occurrence stands, failures first, with the workaround', () => {
    const issues = knownIssues([
      report([
        g('reality-check', [
          c('image:a', 'fail'),
          c('quota:shop', 'warn', { adjustment: 'raise the quota' }),
          c('api:x', 'pass')
        ])
      ]),
      report([
        g('reality-check', [
          c('image:a', 'pass'),
          c('quota:shop', 'warn', { adjustment: 'raise the quota' })
        ])
      ]),
      report([
        g('phase', [c('ready:Deployment/web', 'fail', { adjustment: 'fix the probe' })], {
          name: 'web'
        })
      ])
    ])
    expect(issues.map(i => [i.gate, i.unit, i.checkId, i.verdict, i.workaround])).toEqual([
      ['phase', 'web', 'ready:Deployment/web', 'fail', 'fix the probe'],
      ['reality-check', undefined, 'quota:shop', 'warn', 'raise the quota']
    ])
  })

  it("leaves the record gate's own checks out", () => {
    expect(knownIssues([report([g('record', [c('record:reports', 'warn')])])])).toEqual([])
  })
})

describe('retrospect', () => {
  const reports = [
    report([
      g('reality-check', [c('image:web:1', 'fail', { adjustment: 'push the image' })]),
      g('tracer', [
        c('tracer:pods', 'pass', { data: { assumption: 'pods run' } }),
        c('tracer:pull', 'fail', {
          data: { assumption: 'nodes pull' },
          evidence: 'ErrImagePull',
          adjustment: 'back to research'
        })
      ])
    ]),
    report([g('reality-check', [c('image:web:1', 'pass')])]),
    report([
      g('phase', [c('ready:Deployment/web', 'fail'), c('rollback:web: undo', 'pass')], {
        name: 'web',
        durationMs: 90_000,
        budgetMs: 60_000
      })
    ]),
    report([
      g('phase', [c('ready:Deployment/web', 'pass')], { name: 'web' }),
      g('validate', [c('rollbackTest:web', 'pass')])
    ])
  ]
  const r = retrospect(reports)

  it('finds checks that failed and were fixed later', () => {
    expect(
      r.fixed.map(f => [
        f.gate,
        f.unit,
        f.checkId,
        f.failed.verdict,
        f.passed.verdict,
        f.adjustment
      ])
    ).toEqual([
      ['reality-check', undefined, 'image:web:1', 'fail', 'pass', 'push the image'],
      ['phase', 'web', 'ready:Deployment/web', 'fail', 'pass', undefined]
    ])
  })

  it('lists time against budget per gate, and what ran over', () => {
    expect(r.times.map(t => [t.gate, t.name, t.overBudget])).toEqual([
      ['reality-check', undefined, false],
      ['tracer', undefined, false],
      ['reality-check', undefined, false],
      ['phase', 'web', true],
      ['phase', 'web', false],
      ['validate', undefined, false]
    ])
    expect(r.overBudget).toHaveLength(1)
  })

  it('lists rollbacks and every tracer bullet with its assumption', () => {
    expect(r.rollbacks.map(x => [x.unit, x.target, x.verdict])).toEqual([
      ['web', 'web: undo', 'pass']
    ])
    expect(r.tracers.map(t => [t.bullet, t.assumption, t.verdict, t.evidence, t.action])).toEqual([
      ['pods', 'pods run', 'pass', undefined, undefined],
      ['pull', 'nodes pull', 'fail', 'ErrImagePull', 'back to research']
    ])
  })

  it('says each divergence once', () => {
    expect(r.divergences).toEqual([
      'image:web:1 (reality-check) failed (image:web:1 fail) and passed later',
      'ready:Deployment/web (phase web) failed (ready:Deployment/web fail) and passed later',
      'phase web took 1m30s against a budget of 1m00s',
      'rollback web: undo (phase web): pass: rollback:web: undo pass',
      'tracer pull: the assumption "nodes pull" did not hold: tracer:pull fail'
    ])
  })

  it('has nothing to say about a run that went as planned', () => {
    expect(
      retrospect([report([g('phase', [c('apply:app', 'pass')], { name: 'app' })])]).divergences
    ).toEqual([])
  })
})

describe('deriveState: what the reports say the target reached', () => {
  const rc = (v: Verdict = 'pass') => g('reality-check', [c('api:x', v)])
  const phase = (checks: CheckResult[]) => g('phase', checks, { name: 'app' })
  it.each<[string, GateResult[], DeploymentState | undefined]>([
    ['nothing ran', [], undefined],
    ['reality check passed', [rc()], 'images-ready'],
    ['reality check failed', [rc('fail')], undefined],
    [
      'a phase applied',
      [rc(), phase([c('apply:app', 'pass'), c('ready:app', 'pass')])],
      'deploying'
    ],
    [
      'validated',
      [phase([c('apply:app', 'pass')]), g('validate', [c('rollbackTest:app', 'pass')])],
      'active'
    ],
    [
      'validation warned',
      [phase([c('apply:app', 'pass')]), g('validate', [c('rollbackTest:app', 'warn')])],
      'active'
    ],
    [
      'validation failed',
      [phase([c('apply:app', 'pass')]), g('validate', [c('ready:x', 'fail')])],
      'deploying'
    ],
    [
      'validation only skipped',
      [
        phase([c('apply:app', 'pass')]),
        g('validate', [c('rollbackTest:app', 'skip')], { verdict: 'skip' })
      ],
      'deploying'
    ],
    [
      'phase failed and rolled back',
      [
        rc(),
        phase([c('apply:app', 'pass'), c('ready:app', 'fail'), c('rollback:app: undo', 'pass')])
      ],
      'previous-stable'
    ],
    [
      'phase failed and its rollback failed',
      [phase([c('apply:app', 'pass'), c('ready:app', 'fail'), c('rollback:app: undo', 'fail')])],
      'failed'
    ],
    [
      'phase refused before any change',
      [rc(), phase([c('apply:Deployment shop/web', 'fail')])],
      'images-ready'
    ],
    [
      'rollback level verified',
      [
        g('validate', [c('x:y', 'pass')]),
        g('rollback', [c('rollback:code', 'pass')], { name: 'code' })
      ],
      'previous-stable'
    ],
    [
      'rollback level failed',
      [g('rollback', [c('rollback:code', 'fail')], { name: 'code' })],
      'failed'
    ],
    [
      'rollout at 100 %',
      [g('rollout', [c('hold:full', 'pass')], { name: 'full', details: { weight: 100 } })],
      'active'
    ],
    [
      'rollout at 25 %',
      [g('rollout', [c('hold:partial', 'pass')], { name: 'partial', details: { weight: 25 } })],
      'deploying'
    ],
    [
      'rollout triggered and moved back',
      [
        g('rollout', [c('trigger:canary', 'fail'), c('rollback:canary', 'pass')], {
          name: 'canary',
          details: { weight: 5, trigger: { what: 'errorRate' } }
        })
      ],
      'previous-stable'
    ],
    [
      'soak declares the index state',
      [
        g('validate', [c('x:y', 'pass')]),
        g('soak', [c('soak:window', 'pass')], {
          details: { state: { current: 'stable', since: 'x' } }
        })
      ],
      'stable'
    ],
    [
      'a gate states it outright',
      [g('phase', [c('helm:api', 'pass')], { details: { state: 'packaged' } })],
      'packaged'
    ]
  ])('%s', (_name, gates, state) => {
    expect(deriveState(gates.length ? [report(gates)] : [])).toBe(state)
  })
})

describe('chooseState', () => {
  const history: StateTransition[] = [
    { state: 'deploying', at: '2026-03-01T10:00:00Z', runId: 'old' },
    { state: 'deploying', at: '2026-03-01T11:00:00Z', runId: 'run-1' },
    { state: 'active', at: '2026-03-01T11:05:00Z', runId: 'run-1' }
  ]
  const index = { state: 'active' as const, stateSince: '2026-03-01T11:05:00Z', history }
  it.each<
    [string, DeploymentState | undefined, typeof index | undefined, string[], [string, string]]
  >([
    ['the reports win', 'previous-stable', index, ['run-1'], ['previous-stable', 'reports']],
    [
      'else the index transitions of these runs',
      undefined,
      index,
      ['run-1'],
      ['active', 'state-record']
    ],
    ['runs the index does not know', undefined, index, ['run-9'], ['not-deployed', 'none']],
    ['nothing at all', undefined, undefined, ['run-1'], ['not-deployed', 'none']]
  ])('%s', (_name, derived, idx, runs, [reached, source]) => {
    const s = chooseState(derived, idx, runs)
    expect([s.reached, s.source]).toEqual([reached, source])
    expect(s.history.every(h => runs.includes(h.runId))).toBe(true)
  })
})

describe('standingVerdict', () => {
  it.each<[string, GateResult[][], Verdict]>([
    ['no reports', [], 'skip'],
    [
      'a phase failed, then fixed',
      [
        [g('phase', [c('ready:a', 'fail')], { name: 'app' })],
        [g('phase', [c('ready:a', 'pass')], { name: 'app' })]
      ],
      'pass'
    ],
    [
      'fixed phase, warned validation',
      [
        [g('phase', [c('ready:a', 'fail')], { name: 'app' })],
        [g('phase', [c('ready:a', 'pass')], { name: 'app' }), g('validate', [c('x:y', 'warn')])]
      ],
      'warn'
    ],
    [
      'another phase still failing',
      [
        [
          g('phase', [c('ready:a', 'pass')], { name: 'app' }),
          g('phase', [c('ready:b', 'fail')], { name: 'db' })
        ]
      ],
      'fail'
    ]
  ])('%s', (_name, runs, verdict) => {
    expect(standingVerdict(runs.map(gates => report(gates)))).toBe(verdict)
  })
})

describe('workloadCommands', () => {
  it.each<[string, string, string]>([
    ['Deployment', 'web', 'deploy/web'],
    ['StatefulSet', 'db', 'sts/db'],
    ['DaemonSet', 'agent', 'ds/agent']
  ])('%s', (kind, name, ref) => {
    expect(workloadCommands(kind, name, 'shop')).toEqual({
      health: `kubectl -n shop rollout status ${ref}`,
      logs: `kubectl -n shop logs ${ref} --tail=100`,
      restart: `kubectl -n shop rollout restart ${ref}`,
      rollback: `kubectl -n shop rollout undo ${ref}`
    })
  })
})

describe('renderRecord', () => {
  afterEach(() => clearSecrets())

  function record(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
    return {
      schemaVersion: 1,
      plan: 'shop',
      planFile: 'deploy/phase-gate.yaml',
      owners: ['@ops'],
      ticket: 'OPS-7',
      runId: '8812345',
      runs: ['8812345'],
      version: {
        label: 'api:2.1.0',
        images: ['ghcr.io/acme/api:2.1.0'],
        commit: 'c0ffee1234567890',
        tool: '0.1.0'
      },
      deployedAt: '2026-03-01T10:05:00.000Z',
      recordedAt: '2026-03-01T10:09:00.000Z',
      target: { context: 'prod', namespace: 'shop', server: 'https://k8s.example.test' },
      outcome: 'warn',
      state: {
        reached: 'active',
        source: 'reports',
        current: 'active',
        since: '2026-03-01T10:08:00.000Z',
        history: [
          { state: 'active', at: '2026-03-01T10:08:00.000Z', runId: '8812345', reason: 'validated' }
        ]
      },
      phases: [
        {
          name: 'api',
          status: 'applied',
          startedAt: '2026-03-01T10:01:00.000Z',
          finishedAt: '2026-03-01T10:05:00.000Z',
          objects: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'api',
              namespace: 'shop',
              created: true,
              kept: false,
              status: 'Current'
            }
          ]
        }
      ],
      architecture: [{ from: 'Service api', to: 'Deployment api' }],
      workloads: [
        {
          kind: 'Deployment',
          name: 'api',
          namespace: 'shop',
          replicas: { desired: 3, ready: 3, available: 3, updated: 3 },
          status: 'Current',
          images: [
            {
              container: 'api',
              image: 'ghcr.io/acme/api:2.1.0',
              digest: `sha256:${'ab'.repeat(32)}`,
              digestSource: 'node'
            }
          ],
          commands: workloadCommands('Deployment', 'api', 'shop')
        }
      ],
      access: [
        {
          kind: 'Ingress',
          name: 'api',
          namespace: 'shop',
          type: 'nginx',
          hosts: ['api.example.test'],
          ports: [],
          paths: ['/'],
          urls: ['https://api.example.test/'],
          backends: ['api']
        }
      ],
      healthChecks: ['kubectl get --raw /api/v1/namespaces/shop/services/api:80/proxy/health'],
      credentials: [
        {
          secret: 'api-db',
          namespace: 'shop',
          keys: ['password'],
          usedBy: ['Deployment api: env DB_PASSWORD (container api)']
        }
      ],
      knownIssues: [
        {
          gate: 'reality-check',
          checkId: 'quota:shop',
          verdict: 'warn',
          severity: 'medium',
          message: 'memory quota 80% used',
          workaround: 'raise the quota',
          at: '2026-03-01T10:00:00.000Z'
        }
      ],
      retrospective: {
        divergences: ['phase api took 4m00s against a budget of 3m00s'],
        fixed: [],
        overBudget: [],
        rollbacks: [],
        tracers: [],
        times: [
          {
            gate: 'phase',
            name: 'api',
            runId: '8812345',
            startedAt: '2026-03-01T10:01:00.000Z',
            verdict: 'pass',
            durationMs: 240_000,
            budgetMs: 180_000,
            overBudget: true
          }
        ]
      },
      sources: {
        reports: ['reality-check/report.json'],
        stateRecord: 'read',
        live: 'read',
        notes: []
      },
      ...over
    }
  }

  it('renders every section a person needs', () => {
    const md = renderRecord(record())
    for (const text of [
      '# Deployment record: shop api:2.1.0',
      '| Deployed | 2026-03-01 10:05:00 UTC |',
      '| Target | namespace `shop`, context `prod`, server https://k8s.example.test |',
      '| Version | api:2.1.0, commit `c0ffee123456`; phase-gate 0.1.0 |',
      '| State reached | **active (validated)** since 2026-03-01 10:08:00 UTC |',
      '### Phase `api`: applied',
      '| Deployment shop/api | created | Current |',
      'n0["Service api"] --> n1["Deployment api"]',
      `| Deployment api | 3/3 ready, 3 updated, 3 available | Current | api: \`ghcr.io/acme/api:2.1.0@sha256:${'ab'.repeat(32)}\` (running) |`,
      '| Ingress (nginx) | api | api.example.test | / | `https://api.example.test/` |',
      'kubectl -n shop rollout status deploy/api',
      'kubectl -n shop rollout undo deploy/api',
      'kubectl get --raw /api/v1/namespaces/shop/services/api:80/proxy/health',
      '| `shop/api-db` | `password` | Deployment api: env DB_PASSWORD (container api) |',
      '| ⚠️ | reality-check | quota:shop | memory quota 80% used | raise the quota |',
      '- phase api took 4m00s against a budget of 3m00s',
      '| phase api | `8812345` | ✅ pass | 4m00s / 3m00s (over budget) |'
    ])
      expect(md).toContain(text)
  })

  it('says plainly what is absent', () => {
    const md = renderRecord(
      record({
        deployedAt: undefined,
        state: { reached: 'not-deployed', source: 'none', history: [] },
        phases: [],
        workloads: [],
        access: [],
        credentials: [],
        knownIssues: [],
        architecture: [],
        healthChecks: [],
        retrospective: {
          divergences: [],
          fixed: [],
          overBudget: [],
          rollbacks: [],
          tracers: [],
          times: []
        }
      })
    )
    for (const text of [
      '| Deployed | not deployed |',
      '**not deployed**',
      'No phase of this run is recorded in the cluster: nothing was applied.',
      'No workloads (Deployment, StatefulSet, DaemonSet).',
      'No Service, Ingress, Route or HTTPRoute.',
      'No Secret is referenced.',
      'None: no warning, no unresolved failure.',
      'Nothing: every gate passed as planned, within its budget.'
    ])
      expect(md).toContain(text)
    expect(md).not.toContain('```mermaid')
  })

  it('marks digests it could not learn, and where the others came from', () => {
    const md = renderRecord(
      record({
        workloads: [
          {
            ...record().workloads[0],
            images: [
              { container: 'api', image: 'ghcr.io/acme/api:2.1.0' },
              {
                container: 'proxy',
                image: 'envoy:1.30',
                digest: `sha256:${'cd'.repeat(32)}`,
                digestSource: 'reality-check'
              },
              {
                container: 'init',
                image: `busybox@sha256:${'ef'.repeat(32)}`,
                digest: `sha256:${'ef'.repeat(32)}`,
                digestSource: 'reference',
                init: true
              }
            ]
          }
        ]
      })
    )
    expect(md).toContain(
      'api: `ghcr.io/acme/api:2.1.0` (digest unknown: the node reported no imageID)'
    )
    expect(md).toContain(
      `proxy: \`envoy:1.30@sha256:${'cd'.repeat(32)}\` (registry, at the reality check)`
    )
    expect(md).toContain(`init init: \`busybox@sha256:${'ef'.repeat(32)}\` (pinned)`)
  })

  it('never shows a secret the run knows, even in a message', () => {
    registerSecret('hunter2-token-value')
    const md = renderRecord(
      record({
        knownIssues: [
          { ...record().knownIssues[0], message: 'login failed with hunter2-token-value' }
        ]
      })
    )
    expect(md).not.toContain('hunter2-token-value')
    expect(md).toContain('login failed with ***')
  })
})
