// The validate gate over a fake cluster: which run it validates, the rollback
// test's findings (delete, restore, keep, missing, refused, changed), Helm
// releases, the state transition, and what it does when there is nothing to test.
import { describe, expect, it } from '@jest/globals'
import type { AppliedObject } from '../../src/kube/apply.js'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import {
  KubeApiError,
  type DeleteOptions,
  type KubeObject,
  type ObjectRef
} from '../../src/kube/types.js'
import type { UndoStep } from '../../src/kube/undo.js'
import { findRun, helmDryRunArgs, summariseSteps, validateGate } from '../../src/gates/validate.js'
import type { Plan } from '../../src/plan/types.js'
import type { CheckResult, GateResult } from '../../src/report/model.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { gateContext, scriptedExec, type ScriptedRun } from '../checks/validation-ctx.js'

const NS = 'shop'
const ref = (
  kind: string,
  name: string,
  apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1'
): ObjectRef => ({ apiVersion, kind, name, namespace: NS })
const obj = (r: ObjectRef, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  metadata: { name: r.name, namespace: NS },
  ...extra
})

const deployment = ref('Deployment', 'web')
const settings = ref('ConfigMap', 'settings')
const pvc = ref('PersistentVolumeClaim', 'data')

function applied(): AppliedObject[] {
  return [
    {
      ref: settings,
      created: false,
      kept: false,
      before: obj(settings, { data: { mode: 'old' } })
    },
    { ref: pvc, created: true, kept: true },
    { ref: deployment, created: true, kept: false }
  ]
}

function phaseRecord(over: Partial<PhaseRecord> = {}): PhaseRecord {
  return {
    phase: 'app',
    runId: 'run-1',
    status: 'applied',
    startedAt: '2026-03-01T09:00:00.000Z',
    finishedAt: '2026-03-01T09:01:00.000Z',
    objects: applied(),
    ...over
  }
}

/** A fake cluster holding the phase's objects and its run Secret. */
async function deployed(
  records: PhaseRecord[] = [phaseRecord()],
  cluster = new FakeCluster()
): Promise<FakeCluster> {
  cluster.set(obj(settings, { data: { mode: 'new' } }))
  cluster.set(obj(pvc, { spec: {}, status: { phase: 'Bound' } }))
  cluster.set(obj(deployment, { spec: { replicas: 1 } }))
  const byRun = new Map<string, PhaseRecord[]>()
  for (const r of records) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r])
  const record = new StateRecord(cluster, 'app', NS)
  for (const [runId, recs] of byRun)
    cluster.set({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: record.runSecretName(runId),
        namespace: NS,
        labels: {
          'app.kubernetes.io/managed-by': 'phase-gate',
          'phase-gate.dev/plan': 'app',
          'phase-gate.dev/run': runId
        }
      },
      data: Object.fromEntries(
        recs.map(r => [`phase.${r.phase}.json`, Buffer.from(JSON.stringify(r)).toString('base64')])
      )
    })
  return cluster
}

async function validate(
  cluster: FakeCluster,
  opts: {
    plan?: Partial<Plan>
    exec?: ScriptedRun[]
    runId?: string
    runIdGiven?: boolean
    dryRun?: boolean
  } = {}
): Promise<GateResult> {
  const ctx = gateContext({
    cluster,
    plan: opts.plan,
    exec: scriptedExec(opts.exec),
    settings: {
      runId: opts.runId ?? 'run-1',
      runIdGiven: opts.runIdGiven ?? true,
      dryRun: opts.dryRun ?? false
    }
  })
  const [g] = await validateGate.run(ctx)
  return g
}

const check = (g: GateResult, id: string): CheckResult => {
  const c = g.checks.find(x => x.id === id)
  if (!c) throw new Error(`no ${id} in ${g.checks.map(x => x.id).join(', ')}`)
  return c
}

describe('summariseSteps', () => {
  const step = (action: UndoStep['action'], r: ObjectRef, ok = true, message = ''): UndoStep => ({
    action,
    ref: r,
    ok,
    message
  })
  it.each<[string, UndoStep[], Set<string>, Partial<ReturnType<typeof summariseSteps>>]>([
    [
      'delete, restore, keep',
      [step('delete', deployment), step('restore', settings), step('keep', pvc)],
      new Set(),
      {
        wouldDelete: ['Deployment shop/web'],
        wouldRestore: ['ConfigMap shop/settings'],
        kept: ['PersistentVolumeClaim shop/data']
      }
    ],
    [
      'a refused delete',
      [step('delete', deployment, false, 'Deployment shop/web: forbidden')],
      new Set(),
      {
        wouldDelete: [],
        refused: [{ object: 'Deployment shop/web', message: 'Deployment shop/web: forbidden' }]
      }
    ],
    [
      'a created object already gone',
      [step('delete', deployment)],
      new Set(['apps/v1/Deployment/shop/web']),
      { wouldDelete: [], missing: ['Deployment shop/web'] }
    ]
  ])('%s', (_name, steps, missing, expected) => {
    expect(summariseSteps('app', steps, missing)).toMatchObject(expected)
  })
})

describe('helmDryRunArgs', () => {
  it.each<
    [string, NonNullable<PhaseRecord['helm']>, { kubeconfig?: string; context?: string }, string[]]
  >([
    [
      'an upgrade rolls back to the revision before',
      { release: 'api', namespace: 'shop', revisionBefore: 3, revisionAfter: 4 },
      {},
      ['helm', 'rollback', 'api', '3', '--dry-run', '--namespace', 'shop']
    ],
    [
      'a new release is uninstalled',
      { release: 'api', namespace: 'shop', revisionAfter: 1 },
      {},
      ['helm', 'uninstall', 'api', '--dry-run', '--namespace', 'shop']
    ],
    [
      "with the run's kubeconfig and context",
      { release: 'api', namespace: 'shop', revisionBefore: 1 },
      { kubeconfig: '/tmp/kc', context: 'prod' },
      [
        'helm',
        'rollback',
        'api',
        '1',
        '--dry-run',
        '--namespace',
        'shop',
        '--kubeconfig',
        '/tmp/kc',
        '--kube-context',
        'prod'
      ]
    ]
  ])('%s', (_name, helm, conn, argv) => {
    expect(helmDryRunArgs(helm, conn)).toEqual(argv)
  })
})

describe('findRun', () => {
  const pick = async (cluster: FakeCluster, runId: string, runIdGiven: boolean) => {
    const ctx = gateContext({ cluster, settings: { runId, runIdGiven } })
    return findRun(ctx, cluster, new StateRecord(cluster, 'app', NS))
  }
  const older = phaseRecord({ runId: 'cli-1', startedAt: '2026-03-01T08:00:00.000Z' })
  const newer = phaseRecord({ runId: 'cli-2', startedAt: '2026-03-01T09:00:00.000Z' })

  it.each<
    [string, PhaseRecord[], string, boolean, { runId: string; source: string; phases: number }]
  >([
    [
      'the given run id, even without records',
      [older, newer],
      'ci-77',
      true,
      { runId: 'ci-77', source: 'given', phases: 0 }
    ],
    [
      "this call's own run when it applied phases",
      [older, newer],
      'cli-1',
      false,
      { runId: 'cli-1', source: 'this-run', phases: 1 }
    ],
    [
      'else the newest run recorded',
      [newer, older],
      'cli-9',
      false,
      { runId: 'cli-2', source: 'state-record', phases: 1 }
    ],
    ['none recorded', [], 'cli-9', false, { runId: 'cli-9', source: 'none', phases: 0 }]
  ])('%s', async (_name, records, runId, given, expected) => {
    const r = await pick(await deployed(records), runId, given)
    expect({ runId: r.runId, source: r.source, phases: r.phases.length }).toEqual(expected)
  })
})

describe('findRun for validate: an applied run over a newer rolled-back one', () => {
  it.each<[string, boolean, string]>([
    ['validate takes the newest run that left a phase applied', true, 'cli-1'],
    ['the record takes the newest run, rolled back or not', false, 'cli-2']
  ])('%s', async (_name, applied, runId) => {
    const cluster = await deployed([
      phaseRecord({ runId: 'cli-1', startedAt: '2026-03-01T08:00:00.000Z' }),
      phaseRecord({ runId: 'cli-2', startedAt: '2026-03-01T09:00:00.000Z', status: 'rolled-back' })
    ])
    const ctx = gateContext({ cluster, settings: { runId: 'cli-9', runIdGiven: false } })
    const r = await findRun(ctx, cluster, new StateRecord(cluster, 'app', NS), { applied })
    expect([r.runId, r.source]).toEqual([runId, 'state-record'])
  })
})

describe('validate gate', () => {
  it('tests the undo as a dry run, changes nothing, and makes the deployment active', async () => {
    const cluster = await deployed()
    const g = await validate(cluster, {
      plan: {
        phases: [{ name: 'app', apply: ['deploy/app.yaml'] }],
        validation: { checks: [{ command: { run: ['true'] } }] }
      },
      exec: [{ argv: ['true'], result: {} }]
    })
    expect(g.verdict).toBe('pass')
    expect(g.budgetMs).toBe(5 * 60_000)
    expect(check(g, 'command:true').verdict).toBe('pass')
    const t = check(g, 'rollbackTest:app')
    expect(t.verdict).toBe('pass')
    expect(t.message).toBe(
      'the undo of phase app is possible and permitted: would delete 1, restore 1, keep 1 (kept: PersistentVolumeClaim shop/data); nothing changed'
    )
    expect(t.location?.path).toBe('phases.0')
    // Every request was a dry run; the objects are as they were.
    const deletes = cluster.callsOf('delete')
    expect(deletes.map(c => [c.ref?.kind, (c.opts as DeleteOptions).dryRun])).toEqual([
      ['Deployment', true]
    ])
    expect(cluster.peek(deployment)).toBeDefined()
    expect(cluster.peek(settings)?.data).toEqual({ mode: 'new' })
    const index = await new StateRecord(cluster, 'app', NS).readIndex()
    expect(index.state).toBe('active')
    expect(index.history.at(-1)).toMatchObject({ state: 'active', runId: 'run-1' })
    expect(g.notes).toContain('deployment state: active (validated, run run-1)')
  })

  it('fails when the server refuses part of the undo, and leaves the state alone', async () => {
    const cluster = await deployed()
    cluster.failNext(
      'delete',
      new KubeApiError(
        'deployments.apps "web" is forbidden: User "ci" cannot delete resource "deployments"',
        403,
        'Forbidden'
      ),
      'Deployment'
    )
    const g = await validate(cluster)
    expect(g.verdict).toBe('fail')
    const t = check(g, 'rollbackTest:app')
    expect(t.message).toMatch(
      /^the undo of phase app would fail: Deployment shop\/web: deployments.apps "web" is forbidden/
    )
    expect(t.adjustment).toMatch(/rights the undo needs/)
    expect((await new StateRecord(cluster, 'app', NS).readIndex()).state).toBeUndefined()
    expect(g.notes).toContain('deployment state not changed: validation did not pass')
  })

  it('reports error, not a warning about a missing object, when it cannot read the objects', async () => {
    const cluster = await deployed()
    cluster.failNext(
      'get',
      new KubeApiError('the server is currently unable to handle the request', 503),
      'Deployment'
    )
    const t = check(await validate(cluster), 'rollbackTest:app')
    expect(t.verdict).toBe('error')
    expect(t.message).toMatch(
      /^could not test the undo of phase app: cannot read Deployment shop\/web: /
    )
  })

  it('fails when the "dry run" changed something (a server or webhook that ignores dryRun)', async () => {
    const cluster = await deployed()
    const realDelete = cluster.delete.bind(cluster)
    cluster.delete = (r: ObjectRef, o?: DeleteOptions) => realDelete(r, { ...o, dryRun: false })
    const g = await validate(cluster)
    const t = check(g, 'rollbackTest:app')
    expect(t.verdict).toBe('fail')
    expect(t.message).toBe(
      'the dry run changed Deployment shop/web: the server or an admission webhook does not honour dryRun'
    )
    expect(t.evidence).toContain('CHANGED Deployment shop/web')
  })

  it('warns when an object the phase created is gone already', async () => {
    const cluster = await deployed()
    cluster.remove(deployment)
    const t = check(await validate(cluster), 'rollbackTest:app')
    expect(t.verdict).toBe('warn')
    expect(t.message).toMatch(/but Deployment shop\/web no longer exists$/)
    expect((t.data as { missing: string[] }).missing).toEqual(['Deployment shop/web'])
  })

  it('tests newest phase first, skips a rolled-back phase and warns about one left half-done', async () => {
    const cluster = await deployed([
      phaseRecord({ phase: 'config', startedAt: '2026-03-01T08:00:00.000Z', objects: [] }),
      phaseRecord({ phase: 'web', startedAt: '2026-03-01T08:10:00.000Z' }),
      phaseRecord({
        phase: 'route',
        startedAt: '2026-03-01T08:20:00.000Z',
        status: 'rolled-back',
        objects: []
      }),
      phaseRecord({
        phase: 'jobs',
        startedAt: '2026-03-01T08:30:00.000Z',
        status: 'applying',
        objects: []
      })
    ])
    const g = await validate(cluster)
    expect(g.checks.map(c => [c.id, c.verdict])).toEqual([
      ['rollbackTest:jobs', 'warn'],
      ['rollbackTest:web', 'pass'],
      ['rollbackTest:config', 'pass']
    ])
    expect(g.notes).toContain('phase route was rolled back already; its undo is not tested')
    expect(check(g, 'rollbackTest:config').message).toMatch(/would delete 0, restore 0, keep 0/)
  })

  it.each<[string, NonNullable<PhaseRecord['helm']>, ScriptedRun[], string, RegExp]>([
    [
      'rolls a release back as a dry run',
      { release: 'api', namespace: NS, revisionBefore: 2, revisionAfter: 3 },
      [
        {
          argv: ['helm', 'rollback', 'api', '2', '--dry-run'],
          result: { stdout: 'Rollback was a success!' }
        }
      ],
      'pass',
      /^helm would roll release api back to revision 2: helm rollback api --dry-run succeeded/
    ],
    [
      'uninstalls a new release as a dry run',
      { release: 'api', namespace: NS, revisionAfter: 1 },
      [{ argv: ['helm', 'uninstall', 'api', '--dry-run'], result: {} }],
      'pass',
      /^helm would uninstall release api \(it was new in this run\)/
    ],
    [
      'reports what helm says when it cannot',
      { release: 'api', namespace: NS, revisionBefore: 2 },
      [
        {
          argv: ['helm', 'rollback'],
          result: {
            exitCode: 1,
            stderr: 'Error: another operation (install/upgrade/rollback) is in progress'
          }
        }
      ],
      'fail',
      /^helm cannot roll release api back to revision 2: exit 1$/
    ]
  ])('Helm: %s', async (_name, helm, exec, verdict, message) => {
    const cluster = await deployed([phaseRecord({ objects: [], helm })])
    const g = await validate(cluster, { exec })
    const t = check(g, 'rollbackTest:app: helm api')
    expect(t.verdict).toBe(verdict)
    expect(t.message).toMatch(message)
    expect(g.checks.map(c => c.id)).toEqual(['rollbackTest:app: helm api'])
    if (verdict === 'fail') expect(t.evidence).toContain('another operation')
  })

  it('skips the rollback test when nothing is recorded, and then changes no state', async () => {
    const g = await validate(new FakeCluster(), { runId: 'cli-5', runIdGiven: false })
    expect(g.verdict).toBe('skip')
    expect(check(g, 'rollbackTest:app').message).toBe(
      'nothing to test: no phase of any run is recorded in shop'
    )
    expect(g.notes).toContain('deployment state not changed: validation did not pass')
  })

  it('leaves the rollback test out when the plan says so', async () => {
    const cluster = await deployed()
    const g = await validate(cluster, {
      plan: { validation: { rollbackTest: false, checks: [{ command: { run: ['true'] } }] } },
      exec: [{ argv: ['true'], result: {} }]
    })
    expect(g.checks.map(c => c.id)).toEqual(['command:true'])
    expect(g.notes).toContain('rollback test disabled (validation.rollbackTest: false)')
    expect(cluster.callsOf('delete')).toEqual([])
  })

  it('does not change the state in a dry run', async () => {
    const cluster = await deployed()
    const g = await validate(cluster, { dryRun: true })
    expect(g.verdict).toBe('pass')
    expect((await new StateRecord(cluster, 'app', NS).readIndex()).state).toBeUndefined()
  })

  it('warns when the validated state cannot be recorded', async () => {
    const cluster = await deployed()
    cluster.failNext(
      'create',
      new KubeApiError('configmaps is forbidden', 403, 'Forbidden'),
      'ConfigMap'
    )
    const g = await validate(cluster)
    expect(g.verdict).toBe('warn')
    expect(check(g, 'state:active').message).toBe(
      'validated, but the state record could not be updated: configmaps is forbidden'
    )
  })
})
