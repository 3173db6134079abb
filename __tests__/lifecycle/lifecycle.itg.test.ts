// A release through its deployment states on the local cluster, the real
// Prometheus and the test exporter, run the way the action runs a gate
// (deployment statuses around the engine, notifications after it) against
// the GitHub stand-in and a loopback webhook receiver:
//   1. release 1: images ready (the reality check found its image in the
//      local registry) → packaged (the server's dry run) →
//      deploying → active → soak (seconds) → stable, the last known-good
//      version, a `success` deployment status, "stable" told;
//   2. release 2: images ready → packaged → deploying → active → the error
//      rate climbs → degraded →
//      the code rollback level → previous stable: release 1's image runs
//      again, a `failure` status, "degraded" and "rollback triggered" told,
//      and the record's incident has the timeline from the first bad sample
//      to recovery within the level's budget.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startDeploymentStatus } from '../../src/action/deployment-status.js'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import { createGitHub } from '../../src/github/client.js'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord, type StateIndex } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import { notifyReport } from '../../src/notify/report-events.js'
import { buildIncident } from '../../src/report/incident.js'
import type { RunReport } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectlJson
} from '../support/cluster-env.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'
import { planDir, type PlanDir } from '../gates/engine-env.js'
import { startReceiver, type Receiver } from '../notify/receiver.js'

const SERVICE = `states-${randomBytes(3).toString('hex')}`
const PLAN = SERVICE
const SHA1 = '1'.repeat(40)
const SHA2 = '2'.repeat(40)
let ns: string
let dir: PlanDir
let standIn: GitHubStandIn
let rx: Receiver

const errorRate = `(sum(rate(http_requests_total{service="${SERVICE}",code="500"}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${SERVICE}"}[5s]))`

function app(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}
          resources: {limits: {cpu: 100m, memory: 64Mi}}
`
}

/** An image of the local registry (kwok never pulls it; the reality check reads its manifest). */
function image(tag: string): string {
  return `${clusterEnv().registry}/phase-gate/app:${tag}`
}

/** The plan of the release whose image has this tag. */
function plan(tag = '1.0'): string {
  return `version: 1
name: ${PLAN}
target: {namespace: ${ns}}
assumptions:
  images: [${image(tag)}]
notify:
  - {name: chat, urlEnv: STATES_CHAT_URL, format: slack}
  - {name: pager, urlEnv: STATES_PAGER_URL, format: json, events: [degraded, rollback-triggered]}
phases:
  - name: app
    apply: [app.yaml]
    timeout: 60s
validation:
  rollbackTest: true
rollbackLevels:
  - {level: code, target: {kind: Deployment, name: web}}
soak:
  window: 3s
  interval: 1s
  minSamples: 3
  sustained: {samples: 2, of: 3}
  thresholds:
    - metric: {name: error rate, query: '${errorRate}', expect: '< 0.05'}
  onDegraded: code
`
}

async function exporter(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}${path}`, {
    method: 'POST',
    body: JSON.stringify(body)
  })
  expect(res.status).toBe(200)
}

async function promValue(query: string): Promise<number | undefined> {
  const url = new URL('/api/v1/query', clusterEnv().prometheus)
  url.searchParams.set('query', query)
  const body = (await (await fetch(url)).json()) as {
    data: { result: { value: [number, string] }[] }
  }
  const r = body.data.result[0]
  return r ? Number(r.value[1]) : undefined
}

async function until(
  query: string,
  ok: (v: number | undefined) => boolean,
  timeoutMs = 30_000
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!ok(await promValue(query))) {
    if (Date.now() > end) throw new Error(`timed out waiting on ${query}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

/** One gate run the way the action's run() does it: statuses around the engine, notifications after it. */
async function actionRun(gate: Settings['gate'], runId: string, sha: string): Promise<RunReport> {
  const log = memoryLogger()
  const settings: Settings = {
    gate,
    planPath: dir.planPath,
    runId,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: false,
    comment: false,
    workspace: dir.dir,
    environment: 'staging'
  }
  const github = createGitHub({
    token: 'test-token',
    repository: 'octo/app',
    apiUrl: standIn.url,
    sha,
    runId,
    serverUrl: 'https://github.example',
    retryBaseMs: 1
  })
  const deployment = await startDeploymentStatus(github, settings, log)
  const { report, loaded } = await runEngine(settings, {
    ...productionDeps(settings, log),
    log,
    github
  })
  await deployment.finish(report)
  await notifyReport(report, loaded.plan, { log, runUrl: github.runUrl })
  return report
}

async function index(): Promise<StateIndex> {
  const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  try {
    return await new StateRecord(cluster, PLAN, ns).readIndex()
  } finally {
    cluster.close()
  }
}

function statusesOf(sha: string): string[] {
  const d = standIn.state.deployments.filter(x => x.sha === sha && x.environment === 'staging')
  expect(d).toHaveLength(1)
  return (standIn.state.deploymentStatuses[d[0].id] ?? []).map(s => `${s.state}: ${s.description}`)
}

function told(): string[] {
  return rx.delivered().map(r => {
    const b = r.body as { event?: string; text?: string }
    return `${r.path.slice(1)} ${b.event ?? b.text?.split(': ')[1]}`
  })
}

async function webImage(): Promise<string> {
  const d = await kubectlJson<KubeObject>(['get', 'deployment', 'web', '-n', ns])
  return (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
    .containers[0].image
}

beforeAll(async () => {
  ns = await createTestNamespace('states')
  dir = await planDir(plan(), { 'app.yaml': app(image('1.0')) })
  standIn = await startGitHubStandIn()
  rx = await startReceiver()
  process.env.STATES_CHAT_URL = `${rx.url}/chat`
  process.env.STATES_PAGER_URL = `${rx.url}/pager`
  for (const track of ['stable', 'canary'])
    await exporter('/control', { service: SERVICE, track, rps: 20, errorRate: 0, latencyMs: 40 })
  await until(`sum(rate(http_requests_total{service="${SERVICE}"}[5s]))`, v => (v ?? 0) > 0)
}, 60_000)

afterAll(async () => {
  await exporter('/control/reset', { service: SERVICE }).catch(() => undefined)
  delete process.env.STATES_CHAT_URL
  delete process.env.STATES_PAGER_URL
  await rx?.close()
  await standIn?.close()
  await dir?.remove()
  await deleteNamespace(ns)
})

describe('deployment states', () => {
  it('release 1: images ready → packaged → deploying → active → soak (seconds) → stable', async () => {
    const reality = await actionRun('reality-check', 'r1', SHA1)
    expect(
      reality.gates[0].checks.filter(c => c.verdict !== 'pass').map(c => `${c.id}: ${c.message}`)
    ).toEqual([])
    expect(reality.verdict).toBe('pass')
    expect(reality.gates[0].checks.filter(c => c.kind === 'image').map(c => c.verdict)).toEqual([
      'pass'
    ])
    expect((await index()).state).toBe('images-ready')
    expect((await actionRun('phase', 'r1', SHA1)).verdict).toBe('pass')
    expect((await actionRun('validate', 'r1', SHA1)).verdict).toBe('pass')
    expect((await index()).state).toBe('active')

    const soak = await actionRun('soak', 'cron-1', SHA1)
    expect(soak.verdict).toBe('pass')
    expect(soak.gates[0].checks[0].message).toMatch(
      /^release r1 is stable: [3-9] samples over [0-9.]+s \(window 3.00s\) with no violation$/
    )

    const i = await index()
    expect(i.state).toBe('stable')
    expect(i.history.map(h => `${h.state}@${h.runId}`)).toEqual([
      'images-ready@r1',
      'packaged@r1',
      'deploying@r1',
      'active@r1',
      'stable@r1'
    ])
    expect(i.history.slice(0, 2).map(h => h.reason)).toEqual([
      'reality check: 1 image pullable',
      'phase app: the server accepted all 1 objects in a dry run'
    ])
    // Each transition no earlier than the one before it.
    const times = i.history.map(h => Date.parse(h.at))
    expect([...times].sort((a, b) => a - b)).toEqual(times)
    expect(i.lastKnownGood).toMatchObject({
      runId: 'r1',
      images: { 'Deployment/web': image('1.0') },
      revisions: { 'Deployment/web': '1' }
    })
    expect(i.extra?.soak).toMatchObject({ release: 'r1', status: 'stable' })

    expect(statusesOf(SHA1)).toEqual([
      'in_progress: phase-gate phase running (run r1)',
      `success: ${PLAN} → ${ns}: phase app passed`,
      'in_progress: phase-gate validate running (run r1)',
      `success: ${PLAN} → ${ns}: validate passed`,
      `success: ${PLAN} → ${ns}: release r1 is stable (soak passed)`
    ])
    // The deployment's own events (deployment-started, -validated) join the soak's stable.
    expect(told()).toEqual(['chat deployment started', 'chat deployment validated', 'chat stable'])
  }, 120_000)

  it('release 2: degraded → code rollback → previous stable, with the incident timeline', async () => {
    rx.requests.length = 0
    await dir.write('app.yaml', app(image('2.0')))
    await dir.write('phase-gate.yaml', plan('2.0'))
    // The next release's reality check while release 1 is stable: images ready for r2.
    expect((await actionRun('reality-check', 'r2', SHA2)).verdict).toBe('pass')
    expect((await actionRun('phase', 'r2', SHA2)).verdict).toBe('pass')
    expect((await actionRun('validate', 'r2', SHA2)).verdict).toBe('pass')
    expect(await webImage()).toBe(image('2.0'))

    // The new release starts failing a tenth of its requests.
    for (const track of ['stable', 'canary'])
      await exporter('/control', {
        service: SERVICE,
        track,
        rps: 20,
        errorRate: 0.1,
        latencyMs: 40
      })
    await until(errorRate, v => (v ?? 0) > 0.05)

    const soak = await actionRun('soak', 'cron-2', SHA2)
    expect(soak.verdict).toBe('fail')
    expect(soak.gates.map(g => `${g.gate}:${g.verdict}`)).toEqual(['soak:fail', 'rollback:pass'])
    expect(soak.gates[0].checks[0].message).toMatch(
      /^release r2 is degraded: metric:error rate breached in 2 of the last 2 samples: /
    )
    expect(soak.gates[1].checks[0].message).toMatch(
      /^code rollback in .* of 15m00s: Deployment \S+\/web back on the template of revision 1 \(\S+\/phase-gate\/app:1.0, .*chosen as last known-good revision 1 \(state record\)$/
    )

    // Release 1's code runs again.
    expect(await webImage()).toBe(image('1.0'))
    const i = await index()
    expect(i.state).toBe('previous-stable')
    expect(i.history.map(h => `${h.state}@${h.runId}`)).toEqual([
      'images-ready@r1',
      'packaged@r1',
      'deploying@r1',
      'active@r1',
      'stable@r1',
      'images-ready@r2',
      'packaged@r2',
      'deploying@r2',
      'active@r2',
      'degraded@r2',
      'rolling-back@r2',
      'previous-stable@r2'
    ])
    expect(i.lastKnownGood?.runId).toBe('r1')

    // GitHub: release 2 failed; release 1's deployment went inactive when release 2 succeeded.
    expect(statusesOf(SHA2)).toEqual([
      'in_progress: phase-gate phase running (run r2)',
      `success: ${PLAN} → ${ns}: phase app passed`,
      'in_progress: phase-gate validate running (run r2)',
      `success: ${PLAN} → ${ns}: validate passed`,
      `failure: ${PLAN} → ${ns}: release r2 degraded; code rollback back to previous stable`
    ])
    expect(statusesOf(SHA1).at(-1)).toMatch(/^inactive: /)

    // Who was told, once each (the rollback the soak ran is not told again after the run).
    expect(told().sort()).toEqual([
      'chat degraded',
      'chat deployment started',
      'chat deployment validated',
      'chat rollback triggered',
      'pager degraded',
      'pager rollback-triggered'
    ])

    // The incident: first bad sample, trigger, the level, recovered, time to recover within its budget.
    const incident = buildIncident([soak])
    expect(incident).toMatchObject({ status: 'recovered', budgetMs: 900_000, withinBudget: true })
    expect(incident?.timeline.map(s => s.what.replace(/:.*$/, ''))).toEqual([
      'first bad sample',
      'trigger',
      'code rollback started (budget 15m00s)',
      'code rollback verified',
      'recovered'
    ])
    expect(Date.parse(incident?.firstBadAt ?? '')).toBeLessThan(
      Date.parse(incident?.trigger.at ?? '')
    )
    expect(incident?.timeToRecoverMs).toBeLessThan(60_000)
    // The timeline and the state record tell the same story: degraded when triggered,
    // rolling back after it, previous stable by the time it recovered.
    const at = (state: string): number =>
      Date.parse(i.history.find(h => h.state === state && h.runId === 'r2')?.at ?? '')
    const triggerAt = Date.parse(incident?.trigger.at ?? '')
    const recoveredAt = Date.parse(incident?.recoveredAt ?? '')
    expect(at('degraded')).toBe(triggerAt)
    expect(at('rolling-back')).toBeGreaterThanOrEqual(triggerAt)
    expect(at('previous-stable')).toBeGreaterThanOrEqual(at('rolling-back'))
    expect(at('previous-stable')).toBeLessThanOrEqual(recoveredAt)

    // And the record gate, given the soak's report, writes that incident into the deployment record.
    const log = memoryLogger()
    const settings: Settings = {
      gate: 'record',
      planPath: dir.planPath,
      runId: 'r2',
      runIdGiven: true,
      kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
      dryRun: false,
      comment: false,
      workspace: dir.dir
    }
    const { report } = await runEngine(settings, {
      ...productionDeps(settings, log),
      log,
      earlier: [soak]
    })
    const md = String(report.gates[0].details?.recordMarkdown ?? '')
    expect(md).toContain('## Incident')
    expect(md).toMatch(/\*\*Rollback level:\*\* code \(budget 15m00s\)/)
  }, 180_000)
})
