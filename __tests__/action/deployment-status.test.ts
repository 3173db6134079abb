// The action's GitHub deployment statuses against the local GitHub stand-in:
// deploying gates mark the job's deployment in_progress then success or
// failure (creating one only where none exists), the soak marks the
// environment's newest deployment of the plan only when it decides, and
// nothing happens without an environment.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finalStatus, startDeploymentStatus } from '../../src/action/deployment-status.js'
import { memoryLogger } from '../../src/core/log.js'
import { createGitHub } from '../../src/github/client.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type StandInDeployment
} from '../support/github-standin.mjs'

const SHA = 'a'.repeat(40)
let standIn: GitHubStandIn
let dir: string

beforeEach(async () => {
  standIn = await startGitHubStandIn()
  dir = await mkdtemp(join(tmpdir(), 'pg-ds-'))
  await writeFile(
    join(dir, 'phase-gate.yaml'),
    'version: 1\nname: shop\ntarget: {namespace: shop-prod}\n'
  )
})
afterEach(async () => {
  await standIn.close()
  await rm(dir, { recursive: true, force: true })
})

const gh = (sha = SHA) =>
  createGitHub({
    token: 'test-token',
    repository: 'octo/app',
    apiUrl: standIn.url,
    sha,
    runId: '99',
    serverUrl: 'https://github.example',
    retryBaseMs: 1
  })
const settings = (over: Partial<Settings>): Settings => ({
  gate: 'phase',
  planPath: join(dir, 'phase-gate.yaml'),
  runId: '99',
  runIdGiven: true,
  kubeconfig: { kind: 'default' },
  dryRun: false,
  comment: false,
  workspace: dir,
  environment: 'production',
  ...over
})

function report(gates: Partial<GateResult>[], verdict: RunReport['verdict'] = 'pass'): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0' },
    plan: 'shop',
    planFile: 'phase-gate.yaml',
    runId: '99',
    target: { namespace: 'shop-prod' },
    startedAt: '2025-06-01T12:00:00Z',
    finishedAt: '2025-06-01T12:01:00Z',
    verdict,
    gates: gates.map(g => ({
      gate: 'phase',
      verdict: 'pass',
      durationMs: 1,
      startedAt: '2025-06-01T12:00:00Z',
      checks: [],
      ...g
    }))
  }
}

function dep(id: number, sha: string, environment: string, payload: unknown): StandInDeployment {
  return {
    id,
    sha,
    ref: 'main',
    task: 'deploy',
    environment,
    description: null,
    payload,
    created_at: '2025-06-01T12:00:00Z'
  }
}

function statuses(id: number): string[] {
  return (standIn.state.deploymentStatuses[id] ?? []).map(
    (s: { state: string; description?: string }) => `${s.state}: ${s.description ?? ''}`
  )
}

describe('deploying gates', () => {
  it('create the deployment where none exists, in_progress then success', async () => {
    const log = memoryLogger()
    const run = await startDeploymentStatus(gh(), settings({ gate: 'phase', phase: 'app' }), log)
    expect(standIn.state.deployments).toHaveLength(1)
    const d = standIn.state.deployments[0]
    expect(d).toMatchObject({
      environment: 'production',
      sha: SHA,
      payload: { plan: 'shop', target: 'shop-prod', run: '99', tool: 'phase-gate' }
    })
    expect(statuses(d.id)).toEqual(['in_progress: phase-gate phase running (run 99)'])
    await run.finish(report([{ gate: 'phase', name: 'app' }]))
    expect(statuses(d.id)).toEqual([
      'in_progress: phase-gate phase running (run 99)',
      'success: shop → shop-prod: phase app passed'
    ])
  })

  it('use the deployment GitHub made for the job; a failed gate is failure; a newer success makes the older inactive', async () => {
    const first = await startDeploymentStatus(
      gh('1'.repeat(40)),
      settings({ gate: 'rollout', stage: 'full' }),
      memoryLogger()
    )
    await first.finish(report([{ gate: 'rollout', name: 'full' }]))
    standIn.state.deployments.push(dep(500, SHA, 'production', {}))
    const second = await startDeploymentStatus(
      gh(),
      settings({ gate: 'rollout', stage: 'canary' }),
      memoryLogger()
    )
    expect(standIn.state.deployments).toHaveLength(2)
    await second.finish(report([{ gate: 'rollout', name: 'canary', verdict: 'fail' }], 'fail'))
    expect(statuses(500)).toEqual([
      'in_progress: phase-gate rollout running (run 99)',
      'failure: shop → shop-prod: rollout canary fail'
    ])
    const third = await startDeploymentStatus(
      gh(),
      settings({ gate: 'rollback', level: 'flag' }),
      memoryLogger()
    )
    await third.finish(report([{ gate: 'rollback', name: 'flag' }]))
    const older = standIn.state.deployments.find(d => d.id !== 500)
    expect(statuses(older?.id ?? -1).at(-1)).toMatch(/^inactive/)
  })

  it('an engine that could not start leaves failure, not in_progress', async () => {
    const run = await startDeploymentStatus(gh(), settings({ gate: 'validate' }), memoryLogger())
    await run.finish(undefined)
    expect(statuses(standIn.state.deployments[0].id).at(-1)).toBe(
      'failure: phase-gate validate: the run could not start'
    )
  })
})

describe('the soak', () => {
  const soak = (status: string, extra: Partial<GateResult>[] = []): RunReport =>
    report(
      [
        {
          gate: 'soak',
          verdict: status === 'degraded' ? 'fail' : 'pass',
          details: { soak: { status, release: 'r7' } }
        },
        ...extra
      ],
      status === 'degraded' ? 'fail' : 'pass'
    )

  it('never creates a deployment and says nothing while soaking; marks the newest deployment of the plan when it decides', async () => {
    standIn.state.deployments.push(
      dep(10, '1'.repeat(40), 'production', { plan: 'shop' }),
      dep(11, '2'.repeat(40), 'production', { plan: 'other' }),
      dep(9, '3'.repeat(40), 'staging', { plan: 'shop' })
    )
    const s = settings({ gate: 'soak' })
    const soaking = await startDeploymentStatus(gh(), s, memoryLogger())
    await soaking.finish(soak('soaking'))
    expect(standIn.state.deployments).toHaveLength(3)
    expect(standIn.requestsTo('POST', '/repos/octo/app/deployments/10/statuses')).toHaveLength(0)
    const stable = await startDeploymentStatus(gh(), s, memoryLogger())
    await stable.finish(soak('stable'))
    expect(statuses(10)).toEqual(['success: shop → shop-prod: release r7 is stable (soak passed)'])
    const degraded = await startDeploymentStatus(gh(), s, memoryLogger())
    await degraded.finish(soak('degraded', [{ gate: 'rollback', name: 'code', verdict: 'pass' }]))
    expect(statuses(10).at(-1)).toBe(
      'failure: shop → shop-prod: release r7 degraded; code rollback back to previous stable'
    )
    expect(statuses(11)).toEqual([])
    expect(statuses(9)).toEqual([])
  })
})

describe('when nothing is set', () => {
  it.each<[string, Partial<Settings>, boolean]>([
    ['no environment input', { environment: undefined }, false],
    ['a gate that does not deploy', { gate: 'reality-check' }, false],
    ['the plan gate', { gate: 'plan' }, false],
    ['all gates', { gate: 'all' }, true]
  ])('%s', async (_, over, creates) => {
    const run = await startDeploymentStatus(gh(), settings(over), memoryLogger())
    await run.finish(report([{}]))
    expect(standIn.state.deployments.length > 0).toBe(creates)
  })

  it('no GitHub context: nothing, no error', async () => {
    const run = await startDeploymentStatus(undefined, settings({}), memoryLogger())
    await expect(run.finish(report([{}]))).resolves.toBeUndefined()
  })

  it('a token that cannot write deployments is a warning', async () => {
    const log = memoryLogger()
    const ro = createGitHub({
      token: 'fork-token',
      repository: 'octo/app',
      apiUrl: standIn.url,
      sha: SHA,
      retryBaseMs: 1
    })
    const run = await startDeploymentStatus(ro, settings({}), log)
    await run.finish(report([{}]))
    expect(
      log.lines.some(l =>
        /^warning: deployment status \(production\): no deployment: .*deployments: write/.test(l)
      )
    ).toBe(true)
  })
})

describe('finalStatus', () => {
  it.each<[string, RunReport | undefined, Settings['gate'], string | undefined]>([
    ['passed', report([{ gate: 'validate' }]), 'validate', 'success'],
    [
      'warn counts as passed',
      report([{ gate: 'phase', verdict: 'warn' }], 'warn'),
      'phase',
      'success'
    ],
    ['error', report([{ gate: 'phase', verdict: 'error' }], 'error'), 'phase', 'failure'],
    [
      'cancelled',
      report([{ gate: 'phase', verdict: 'cancelled' }], 'cancelled'),
      'phase',
      'failure'
    ],
    ['no report', undefined, 'phase', 'failure'],
    [
      'soak still soaking',
      report([{ gate: 'soak', details: { soak: { status: 'soaking' } } }]),
      'soak',
      undefined
    ],
    ['soak skipped', report([{ gate: 'soak', verdict: 'skip' }], 'skip'), 'soak', undefined]
  ])('%s', (_, r, gate, state) => expect(finalStatus(r, gate)?.state).toBe(state))
})
