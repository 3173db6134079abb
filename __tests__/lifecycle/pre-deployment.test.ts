// The two states before a release changes anything: when images-ready and
// packaged may be recorded (table-driven over the state a target is in), the
// running release the soak gate looks through them to, and the gates that
// record them (reality check, a plain phase) over a fake cluster.
import { describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import {
  preDeploymentBlocker,
  recordPreDeployment,
  runningState,
  type PreDeploymentState
} from '../../src/lifecycle/pre-deployment.js'
import { StateRecord, type StateIndex } from '../../src/lifecycle/record.js'
import { type DeploymentState } from '../../src/lifecycle/states.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'

function idx(...steps: string[]): Pick<StateIndex, 'state' | 'history'> {
  const history = steps.map((s, i) => {
    const [state, runId] = s.split('@') as [DeploymentState, string]
    return { state, runId, at: `2025-06-01T12:00:0${i}.000Z` }
  })
  return { state: history.at(-1)?.state, history }
}

describe('preDeploymentBlocker', () => {
  it.each<[string, PreDeploymentState, string[], string | undefined]>([
    ['nothing recorded', 'images-ready', [], undefined],
    ['after a stable release', 'images-ready', ['active@r1', 'stable@r1'], undefined],
    ['after a rollback', 'images-ready', ['rolling-back@r1', 'previous-stable@r1'], undefined],
    ['after a failed rollback', 'images-ready', ['failed@r1'], undefined],
    ['a re-run reality check', 'images-ready', ['images-ready@r2'], undefined],
    [
      'a release deploying',
      'images-ready',
      ['deploying@r1'],
      'release r1 is deploying; images-ready is recorded only before a release deploys'
    ],
    [
      'a release soaking',
      'images-ready',
      ['active@r1'],
      'release r1 is active; images-ready is recorded only before a release deploys'
    ],
    [
      'a release degraded',
      'images-ready',
      ['degraded@r1'],
      'release r1 is degraded; images-ready is recorded only before a release deploys'
    ],
    [
      'a rollback under way',
      'images-ready',
      ['rolling-back@r1'],
      'release r1 is rolling-back; images-ready is recorded only before a release deploys'
    ],
    [
      'back from packaged in one run',
      'images-ready',
      ['images-ready@r2', 'packaged@r2'],
      'run r2 is packaged already'
    ],
    ['packaged by another run', 'images-ready', ['packaged@r3'], undefined],
    [
      'the first phase after the reality check',
      'packaged',
      ['stable@r1', 'images-ready@r2'],
      undefined
    ],
    ['a new release over one soaking (it deploys anyway)', 'packaged', ['active@r1'], undefined],
    [
      'a later phase of the run',
      'packaged',
      ['packaged@r2', 'deploying@r2'],
      'run r2 is deploying; packaged is recorded only before a release deploys'
    ],
    [
      'a re-run after the run rolled back',
      'packaged',
      ['deploying@r2', 'previous-stable@r2'],
      undefined
    ]
  ])('%s: %s', (_, state, steps, blocked) => {
    expect(preDeploymentBlocker(idx(...steps), state, 'r2')?.message).toBe(blocked)
  })
})

describe('runningState', () => {
  it.each<[string[], DeploymentState | undefined]>([
    [[], undefined],
    [['images-ready@r1'], undefined],
    [['active@r1', 'stable@r1'], 'stable'],
    [['active@r1', 'images-ready@r2'], 'active'],
    [['stable@r1', 'images-ready@r2', 'packaged@r2'], 'stable'],
    [['stable@r1', 'packaged@r2', 'deploying@r2'], 'deploying']
  ])('%j → %s', (steps, state) => expect(runningState(idx(...steps))).toBe(state))
})

describe('recordPreDeployment', () => {
  it('records the state with its reason, refuses while a release is in flight, and never throws', async () => {
    const c = new FakeCluster()
    const record = new StateRecord(c, 'shop', 'shop')
    expect(
      await recordPreDeployment(
        record,
        'images-ready',
        'r1',
        'two images',
        '2025-06-01T12:00:00.000Z'
      )
    ).toEqual({ recorded: true })
    expect(await record.readIndex()).toMatchObject({
      state: 'images-ready',
      stateSince: '2025-06-01T12:00:00.000Z',
      history: [{ state: 'images-ready', runId: 'r1', reason: 'two images' }]
    })
    await record.transition('active', 'r1')
    const out = await recordPreDeployment(
      record,
      'images-ready',
      'pr-2',
      'x',
      '2025-06-01T12:01:00.000Z'
    )
    expect(out).toEqual({
      recorded: false,
      blocker: {
        message: 'release r1 is active; images-ready is recorded only before a release deploys',
        ownProgress: false
      }
    })
    expect((await record.readIndex()).state).toBe('active')
    // A namespace that does not exist yet: an outcome, not an exception.
    const broken = new StateRecord(
      {
        ...c,
        get: async () => Promise.reject(new Error('connection refused'))
      } as unknown as FakeCluster,
      'shop',
      'shop'
    )
    expect(await recordPreDeployment(broken, 'packaged', 'r1', 'x', 'now')).toEqual({
      recorded: false,
      blocker: {
        message: 'could not write the state record: connection refused',
        ownProgress: false
      }
    })
  })
})

describe('the gates that record them', () => {
  it('reality check passing → images-ready; the phase → packaged → deploying; a later phase adds nothing', async () => {
    const work = await mkdtemp(join(tmpdir(), 'pg-pre-'))
    try {
      await writeFile(
        join(work, 'plan.yaml'),
        'version: 1\nname: shop\ntarget: {namespace: shop}\nphases:\n  - {name: config, apply: [a.yaml]}\n  - {name: more, apply: [b.yaml]}\n'
      )
      await writeFile(
        join(work, 'a.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\n'
      )
      await writeFile(
        join(work, 'b.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: "2"}\n'
      )
      const c = new FakeCluster()
      c.set({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })
      const settings = (gate: Settings['gate']): Settings => ({
        gate,
        planPath: join(work, 'plan.yaml'),
        runId: 'r1',
        runIdGiven: true,
        kubeconfig: { kind: 'default' },
        dryRun: false,
        comment: false,
        workspace: work
      })
      const run = async (gate: Settings['gate']) =>
        (await runEngine(settings(gate), { log: memoryLogger(), connect: async () => c })).report
      const record = new StateRecord(c, 'shop', 'shop')

      const rc = await run('reality-check')
      expect(rc.verdict).toMatch(/^(pass|warn)$/)
      expect(rc.gates[0].notes).toContain(
        'deployment state: images-ready (reality check: the plan names no image)'
      )
      expect((await record.readIndex()).state).toBe('images-ready')

      const phases = await run('phase')
      expect(phases.gates.map(g => `${g.name}:${g.verdict}`)).toEqual(['config:pass', 'more:pass'])
      const history = (await record.readIndex()).history
      expect(history.map(h => `${h.state}@${h.runId}`)).toEqual([
        'images-ready@r1',
        'packaged@r1',
        'deploying@r1',
        'deploying@r1'
      ])
      expect(history[1].reason).toBe('phase config: the server accepted all 1 objects in a dry run')
      expect(phases.gates.flatMap(g => g.notes ?? []).filter(n => n.includes('packaged'))).toEqual(
        []
      )

      // The reality check of the next release while this one is deploying: not recorded, and said so.
      const again = await run('reality-check')
      expect(again.gates[0].notes).toContain(
        'deployment state not moved to images-ready: run r1 is deploying; images-ready is recorded only before a release deploys'
      )
      expect((await record.readIndex()).state).toBe('deploying')
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })
})
