// The fleet record from fleet reports (fake engine): approvers (GitHub
// environment approvals via the stand-in, --approve, a TTY answer), digests,
// rollback proof, the cluster × wave table, and the sticky comment updated in
// place on the GitHub stand-in with no secret in it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { registerSecret } from '../../src/core/secrets.js'
import { mergeFleetReports } from '../../src/fleet/merge.js'
import { buildFleetRecord } from '../../src/fleet/record.js'
import {
  fleetCommentMarker,
  renderClusterWaveTable,
  renderFleetRecord
} from '../../src/fleet/record-render.js'
import { runFleet } from '../../src/fleet/run.js'
import { createGitHub } from '../../src/github/client.js'
import { upsertFleetComment } from '../../src/github/fleet-comment.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'
import { depsOf, fakeRunner, fleetOf, planOf } from './fakes.js'

const opts = { runId: 'r1', planArg: 'p.yaml' }
let standIn: GitHubStandIn
beforeAll(async () => {
  standIn = await startGitHubStandIn({
    state: {
      pulls: { '7': { number: 7, head: { sha: 'b'.repeat(40), ref: 'f' }, base: { ref: 'main' } } },
      runApprovals: {
        '99': [
          { state: 'approved', environments: [{ name: 'prod-canary' }], user: { login: 'alice' } },
          { state: 'approved', environments: [{ name: 'prod-main' }], user: { login: 'bob' } },
          { state: 'approved', environments: [{ name: 'prod-main' }], user: { login: 'carol' } },
          { state: 'approved', environments: [{ name: 'staging-main' }], user: { login: 'eve' } }
        ]
      }
    }
  })
})
afterAll(async () => standIn.close())

const gh = (token = 'test-token') =>
  createGitHub({
    token,
    repository: 'octo/app',
    apiUrl: standIn.url,
    runId: '99',
    pullNumber: 7,
    retryBaseMs: 1
  })

describe('fleet record', () => {
  it("names each wave's approvers from the run's environment approvals (prefix + wave)", async () => {
    const loaded = planOf(fleetOf())
    const report = await runFleet(loaded, depsOf(fakeRunner().runner), opts)
    const items = await gh().listRunApprovals!('99')
    const record = buildFleetRecord(loaded, mergeFleetReports(loaded, [report]), {
      approvals: { prefix: 'prod-', items }
    })
    expect(record.waves.map(w => [w.name, w.approval, w.approver])).toEqual([
      ['canary', 'github', 'alice (prod-canary)'],
      ['main', 'github', 'bob, carol (prod-main)']
    ])
    expect(standIn.requestsTo('GET', /\/actions\/runs\/99\/approvals/)).toHaveLength(1)
  })

  it('without approvals: --approve is "no human approval", a TTY answer is the local user', async () => {
    const loaded = planOf(fleetOf())
    const approved = await runFleet(loaded, depsOf(fakeRunner().runner), opts)
    expect(
      buildFleetRecord(loaded, mergeFleetReports(loaded, [approved])).waves.map(w => w.approver)
    ).toEqual(['no human approval (--approve)', 'no human approval (--approve)'])
    const asked = await runFleet(
      loaded,
      depsOf(fakeRunner().runner, { approve: false, confirm: async () => true, user: 'kim' }),
      opts
    )
    expect(
      buildFleetRecord(loaded, mergeFleetReports(loaded, [asked])).waves.map(w => w.approver)
    ).toEqual(['kim', 'kim'])
  })

  it('carries digests (from the pods, else the reality check), failed checks and the rollback proof', async () => {
    const loaded = planOf(fleetOf())
    const report = await runFleet(loaded, depsOf(fakeRunner({ c: 'validate' }).runner), opts)
    const record = buildFleetRecord(loaded, mergeFleetReports(loaded, [report]))
    const a = record.clusters.find(c => c.name === 'a')!
    // The fake pods report no imageID: the digest is the reality check's registry answer.
    expect(a.images).toEqual([
      {
        container: 'app/app',
        image: 'reg.local/app:2.0',
        digest: `sha256:${'d'.repeat(64)}`,
        digestSource: 'reality-check'
      }
    ])
    expect(a.rollback).toEqual({
      verdict: 'pass',
      at: expect.any(String),
      proof: ['rollback:ok: rollback verified on a'],
      failed: []
    })
    const c = record.clusters.find(x => x.name === 'c')!
    expect(c.verdict).toBe('fail')
    expect(c.gates.find(g => g.gate === 'validate')?.failed).toEqual([
      'quota:c-small: validate failed on c'
    ])
    expect(record.halt?.reason).toBe('failed on c (validate)')
    expect(
      record.timeline.filter(e => e.event.startsWith('rolled back')).map(e => e.cluster)
    ).toEqual(['c', 'b', 'a'])
    // The timeline: wave canary starts first, main ends last among the waves.
    const waveEvents = record.timeline.filter(e => !e.cluster).map(e => `${e.wave} ${e.event}`)
    expect(waveEvents).toEqual([
      'canary wave started',
      'canary wave finished: pass',
      'main wave started',
      'main wave finished: fail',
      'main halted: failed on c (validate)'
    ])
  })

  it('renders one row per cluster and one column per wave', async () => {
    const loaded = planOf(fleetOf())
    const report = await runFleet(loaded, depsOf(fakeRunner({ c: 'reality-check' }).runner), opts)
    const record = buildFleetRecord(loaded, mergeFleetReports(loaded, [report]))
    expect(renderClusterWaveTable(record)).toEqual([
      '| cluster | ✅ canary | ❌ main |',
      '|---|---|---|',
      '| a | ✅ pass<br>rolled back ✅<br>`dddddddddddd` | · |',
      '| b | · | ✅ pass |',
      '| c | · | ❌ fail<br>failed: reality-check |'
    ])
    const md = renderFleetRecord(record)
    expect(md).toContain('**Halted** in wave main: failed on c (reality-check)')
    expect(md).toContain('- reality-check: quota:c-small: reality-check failed on c')
  })

  it('the sticky comment: one per plan, its own marker, updated in place, never a secret', async () => {
    const secret = 's3cr3t-fleet-token-value'
    registerSecret(secret)
    const loaded = planOf(fleetOf())
    const report = await runFleet(loaded, depsOf(fakeRunner({ c: 'phase' }).runner), opts)
    report.clusters.c.gates[2].checks[0].message = `phase failed: token ${secret} refused`
    const record = buildFleetRecord(loaded, mergeFleetReports(loaded, [report]))
    const marker = fleetCommentMarker('web')
    const first = await upsertFleetComment(
      gh(),
      marker,
      renderFleetRecord(record, { marker: true })
    )
    expect(first).toMatchObject({ ok: true, created: true })
    // A comment by someone else carrying the marker is not ours to update.
    standIn.state.comments.push({
      id: 1,
      issue: 7,
      body: `${marker}\nplanted`,
      user: { login: 'mallory', type: 'User' },
      author_association: 'NONE',
      created_at: '',
      updated_at: ''
    })
    const second = await upsertFleetComment(
      gh(),
      marker,
      renderFleetRecord(record, { marker: true })
    )
    expect(second).toMatchObject({ ok: true, created: false })
    const ours = standIn.commentsOn(7).filter(c => c.user.login !== 'mallory')
    expect(ours).toHaveLength(1)
    expect(ours[0].id).toBe(first.ok ? first.commentId : -1)
    expect(ours[0].body.startsWith(marker)).toBe(true)
    expect(ours[0].body).toContain('| cluster | ✅ canary | ❌ main |')
    expect(ours[0].body).not.toContain(secret)
    expect(ours[0].body).toContain('phase failed: token')
    // A read-only token (a fork's PR): the result says why, nothing thrown.
    const denied = await upsertFleetComment(gh('fork-token'), marker, 'x')
    expect(denied.ok).toBe(false)
  })
})
