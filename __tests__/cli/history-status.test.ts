// `phase-gate status` and `phase-gate history` over a fake cluster holding a
// state record: the current state with the check behind it, the soak's
// progress, the history, past runs with their versions (from the index or
// the phase records) and the last known-good version.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { historyCommand, historyView, imagesOfPhases } from '../../src/cli/commands/history.js'
import { columns, ago } from '../../src/cli/commands/state-record.js'
import { statusCommand } from '../../src/cli/commands/status.js'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import { KubeApiError } from '../../src/kube/types.js'
import { InfraError } from '../../src/core/errors.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'

let dir: string
let planPath: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pg-status-'))
  planPath = join(dir, 'phase-gate.yaml')
  await writeFile(planPath, 'version: 1\nname: shop\ntarget: {namespace: shop}\n')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const settings = (): Settings => ({
  gate: 'reality-check',
  planPath,
  runId: 'x',
  runIdGiven: false,
  kubeconfig: { kind: 'default' },
  dryRun: false,
  comment: false,
  workspace: dir
})
const T = (s: number): string =>
  new Date(Date.parse('2025-06-01T12:00:00.000Z') + s * 1000).toISOString()

function phaseRecord(runId: string, image: string): PhaseRecord {
  return {
    phase: 'app',
    runId,
    status: 'applied',
    startedAt: T(0),
    objects: [
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
        created: false,
        kept: false,
        after: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'app', image },
                  { name: 'side', image: 'side:1' }
                ]
              }
            }
          }
        }
      },
      {
        ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', namespace: 'shop' },
        created: true,
        kept: false,
        after: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }
      }
    ]
  }
}

async function seeded(): Promise<FakeCluster> {
  const c = new FakeCluster()
  const r = new StateRecord(c, 'shop', 'shop')
  await r.writePhase(phaseRecord('r1', 'ghcr.io/shop/web:1.0'))
  await r.transition('deploying', 'r1', 'phase app', T(0))
  await r.transition('active', 'r1', 'validated by 2 checks', T(30))
  await r.transition('stable', 'r1', 'soak: 4 samples over 24h', T(90_000))
  await r.writePhase(phaseRecord('r2', 'ghcr.io/shop/web:2.0'))
  await r.transition('deploying', 'r2', 'phase app', T(100_000))
  await r.transition('active', 'r2', 'validated', T(100_030))
  await r.transition('degraded', 'r2', 'soak: restarts grew: web-1/app 0 → 3', T(100_090))
  await r.transition('rolling-back', 'r2', 'code rollback', T(100_091))
  await r.transition('previous-stable', 'r2', 'code rollback verified', T(100_100))
  await r.updateIndex(i => {
    i.runs.push(
      {
        runId: 'r1',
        startedAt: T(0),
        phases: ['app'],
        images: { 'Deployment/web': 'ghcr.io/shop/web:1.0' }
      },
      { runId: 'r2', startedAt: T(100_000), phases: ['app'] }
    )
    i.lastKnownGood = {
      runId: 'r1',
      at: T(90_000),
      images: { 'Deployment/web': 'ghcr.io/shop/web:1.0' },
      revisions: { 'Deployment/web': '1' }
    }
    i.extra = {
      soak: {
        release: 'r2',
        status: 'degraded',
        startedAt: T(100_040),
        windowMs: 86_400_000,
        samples: 3,
        lastSampleAt: T(100_090),
        firstBadAt: T(100_060),
        decidedAt: T(100_090),
        violations: ['restarts grew: web-1/app 0 → 3']
      }
    }
  })
  return c
}

describe('phase-gate status', () => {
  it('shows the state, the check behind it, the soak, the last known-good and the history', async () => {
    const c = await seeded()
    let text = ''
    const code = await statusCommand(settings(), s => void (text += s), {
      connect: async () => c,
      now: Date.parse(T(100_160))
    })
    expect(code).toBe(0)
    expect(text).toBe(
      [
        'shop → shop (state record ConfigMap phase-gate-shop)',
        'state: previous-stable since 2025-06-02 15:48:20Z (1m ago)',
        '  proven by rollback: the level verified the previous version back',
        'soak: release r2 degraded: 3 samples since 2025-06-02 15:47:20Z (window 24h), last 2025-06-02 15:48:10Z, decided 2025-06-02 15:48:10Z',
        '  first bad sample 2025-06-02 15:47:40Z',
        '  violation: restarts grew: web-1/app 0 → 3',
        'last known-good: run r1 at 2025-06-02 13:00:00Z (Deployment/web ghcr.io/shop/web:1.0)',
        '',
        'history (oldest first):',
        '  2025-06-01 12:00:00Z  deploying        run r1  phase app',
        '  2025-06-01 12:00:30Z  active           run r1  validated by 2 checks',
        '  2025-06-02 13:00:00Z  stable           run r1  soak: 4 samples over 24h',
        '  2025-06-02 15:46:40Z  deploying        run r2  phase app',
        '  2025-06-02 15:47:10Z  active           run r2  validated',
        '  2025-06-02 15:48:10Z  degraded         run r2  soak: restarts grew: web-1/app 0 → 3',
        '  2025-06-02 15:48:11Z  rolling-back     run r2  code rollback',
        '  2025-06-02 15:48:20Z  previous-stable  run r2  code rollback verified',
        ''
      ].join('\n')
    )
  })

  it('--json gives the same facts as data', async () => {
    const c = await seeded()
    let text = ''
    await statusCommand(settings(), s => void (text += s), { connect: async () => c, json: true })
    const v = JSON.parse(text) as Record<string, unknown>
    expect(v).toMatchObject({
      plan: 'shop',
      namespace: 'shop',
      state: 'previous-stable',
      record: 'phase-gate-shop',
      lastKnownGood: { runId: 'r1' },
      soak: { status: 'degraded' }
    })
    expect((v.history as unknown[]).length).toBe(8)
  })

  it('says so when nothing was deployed, and exits 0', async () => {
    let text = ''
    expect(
      await statusCommand(settings(), s => void (text += s), {
        connect: async () => new FakeCluster()
      })
    ).toBe(0)
    expect(text).toBe(
      'shop → shop (state record ConfigMap phase-gate-shop)\nstate: none yet: phase-gate has not deployed this plan to this namespace\n'
    )
  })

  it('a refused read is an infrastructure error naming the right it needs', async () => {
    const c = new FakeCluster()
    c.failNext(
      'get',
      new KubeApiError('configmaps "phase-gate-shop" is forbidden', 403, 'Forbidden')
    )
    const err = await statusCommand(settings(), () => undefined, { connect: async () => c }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(InfraError)
    expect((err as InfraError).message).toBe(
      'not allowed to read ConfigMap phase-gate-shop in shop: configmaps "phase-gate-shop" is forbidden'
    )
    expect((err as InfraError).hint).toBe(
      'phase-gate needs get on ConfigMaps (and Secrets, for history) in the target namespace'
    )
  })
})

describe('phase-gate history', () => {
  it('lists runs newest first with versions, the state each reached and the last known-good', async () => {
    const c = await seeded()
    let text = ''
    expect(
      await historyCommand(settings(), s => void (text += s), { connect: async () => c })
    ).toBe(0)
    expect(text).toBe(
      [
        'shop → shop: 2 runs kept',
        'now: previous-stable since 2025-06-02 15:48:20Z',
        '',
        '  run  started               state            phases  versions',
        '  r2   2025-06-02 15:46:40Z  previous-stable  app     Deployment/web=ghcr.io/shop/web:2.0',
        '* r1   2025-06-01 12:00:00Z  stable           app     Deployment/web=ghcr.io/shop/web:1.0',
        '',
        '* last known-good: run r1 (stable at 2025-06-02 13:00:00Z): Deployment/web=ghcr.io/shop/web:1.0 (revisions Deployment/web@1)',
        '  the code rollback level returns to it: phase-gate check <plan> --gate rollback --level code',
        ''
      ].join('\n')
    )
  })

  it('reads versions from phase records only when the index has none', async () => {
    const reads: string[] = []
    const view = await historyView(
      'shop',
      'shop',
      {
        plan: 'shop',
        namespace: 'shop',
        history: [],
        runs: [
          { runId: 'a', startedAt: T(0), phases: [], images: { 'Deployment/x': 'x:1' } },
          { runId: 'b', startedAt: T(1), phases: [] }
        ]
      },
      { readPhases: async (id: string) => (reads.push(id), [phaseRecord(id, 'x:2')]) }
    )
    expect(reads).toEqual(['b'])
    expect(view.runs.map(r => r.images)).toEqual([
      { 'Deployment/x': 'x:1' },
      { 'Deployment/web': 'x:2' }
    ])
    expect(imagesOfPhases([phaseRecord('z', 'web:9')])).toEqual({ 'Deployment/web': 'web:9' })
  })
})

describe('formatting helpers', () => {
  it('columns pad all but the last column', () =>
    expect(
      columns([
        ['a', 'bbb', 'c'],
        ['dd', 'e', 'fff']
      ])
    ).toBe('a   bbb  c\ndd  e    fff'))
  it.each([
    [30, '30s ago'],
    [300, '5m ago'],
    [3 * 3600 + 120, '3h02m ago'],
    [3 * 86_400, '3d ago']
  ])('ago %is', (s, text) => expect(ago(T(0), Date.parse(T(s)))).toBe(text))
})
