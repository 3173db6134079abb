/**
 * The soak gate: after a release is `active`, sample it over a window —
 * restart counts (must not grow), readiness (must hold in every sample),
 * resource use against limits (a warning above 80 %, from Prometheus when
 * it has cAdvisor's series) and the plan's `soak.thresholds` (breached only
 * when N of the last M samples breach, `soak.sustained`). Samples accumulate
 * in the release's run Secret, so a window longer than a job (the usual
 * "healthy for 24 h") is served by a scheduled workflow running this gate
 * repeatedly, each run sampling for `soak.runFor`. A window with enough
 * samples and no violation makes the release `stable` (and the last
 * known-good version); a violation makes it `degraded`, tells the webhooks
 * and, with `soak.onDegraded`, runs that rollback level through the
 * rollback gate. A stable release is still sampled by later runs, and a
 * violation then makes it degraded too.
 */

import { checkResult } from '../checks/result.js'
import { runValidations } from '../checks/validation.js'
import '../checks/builtin.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { LABEL_PLAN, labelValue } from '../kube/labels.js'
import { labelSelectorOf } from '../kube/pod-failures.js'
import { computeStatus } from '../kube/readiness.js'
import { runningState } from '../lifecycle/pre-deployment.js'
import type { StateRecord, StateIndex } from '../lifecycle/record.js'
import { type DeploymentState } from '../lifecycle/states.js'
import { describeRef, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { formatResource, formatShare, readResourceUse } from '../metrics/resource-use.js'
import type { Metrics } from '../metrics/types.js'
import type { NotifyEvent } from '../notify/events.js'
import { describeOutcomes, sendNotification, type NotifyOutcome } from '../notify/send.js'
import { budgetMs, levelBudgetMs } from '../plan/budgets.js'
import { soakSettings, type SoakSettings } from '../plan/soak-settings.js'
import type { Plan, RollbackLevel } from '../plan/types.js'
import type { IncidentHint } from '../report/incident.js'
import {
  gateResult,
  isPassing,
  type CheckResult,
  type GateResult,
  type SourceLocation,
  type Verdict
} from '../report/model.js'
import { rollbackGate } from './rollback.js'
import type { Gate, GateContext } from './types.js'
import { GateRun } from './gate-run.js'
import { rec, recordItems } from '../core/fields.js'
import { LEVEL_NAMES } from '../rollout/level-registry.js'

/** Use of a limit above which a container is a warning. */
export const RESOURCE_WARN_RATIO = 0.8
/** Samples kept in the record; older ones are counted, not kept. */
export const SAMPLES_KEPT = 500

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])
const SOAK_KEY = 'soak.json'

/** One threshold's outcome in one sample. */
export interface ThresholdReading {
  verdict: Verdict
  /** The check's message, kept only when it did not pass. */
  message?: string
}

/** One sample as the record keeps it. */
export interface SoakSample {
  at: string
  /** Why the workloads were not all ready (empty: all ready). */
  notReady: string[]
  /** Containers whose restart count grew since the sample before. */
  restartGrowth: string[]
  restartTotal: number
  /** Containers above 80 % of a limit. */
  resourceWarnings: string[]
  /** Why resource use was not compared (no Prometheus, no series, no limits). */
  resourceNote?: string
  /** Threshold check id → its verdict in this sample. */
  thresholds: Record<string, ThresholdReading>
  /** The cluster could not be read: the sample proves nothing. */
  error?: string
}

/** Where a release's soak stands. */
export type SoakStatus = 'soaking' | 'stable' | 'degraded'

/** The soak of one release, kept in its run Secret (`soak.json`). */
export interface SoakRecord {
  release: string
  startedAt: string
  windowMs: number
  status: SoakStatus
  samples: SoakSample[]
  /** Samples dropped from the front to keep the record small. */
  dropped: number
  /** Restart counts of the last sample, `pod/container` → count. */
  lastRestarts?: Record<string, number>
  firstBadAt?: string
  decidedAt?: string
  /** Gate runs that sampled (run ids), newest last. */
  runs: string[]
}

/** A signal that breached. */
export interface Violation {
  /** `readiness`, `restarts` or a threshold's check id. */
  signal: string
  message: string
  /** The first breaching sample among those that decided. */
  firstBadAt: string
  breaching: number
  of: number
}

/** True when a sample holds everything it should (no read error, every threshold judged). */
export function completeSample(s: SoakSample): boolean {
  return (
    !s.error &&
    Object.values(s.thresholds).every(
      t => t.verdict !== 'error' && t.verdict !== 'cancelled' && t.verdict !== 'inconclusive'
    )
  )
}

/** Containers whose restart count grew, `pod/container before → now`; the first sample is the baseline. */
export function restartGrowth(
  prev: Record<string, number> | undefined,
  now: Record<string, number>
): string[] {
  if (!prev) return []
  const out: string[] = []
  for (const [k, n] of Object.entries(now)) {
    const before = prev[k]
    // A container not seen before (a new pod) counts from zero.
    if (n > (before ?? 0)) out.push(`${k} ${before ?? 0} → ${n}`)
  }
  return out.sort()
}

/**
 * The violations the samples show: readiness and restarts in the newest
 * sample (they must hold in every sample), thresholds when N of their last
 * M judged samples breached.
 */
export function judgeSamples(
  samples: SoakSample[],
  sustained: { samples: number; of: number }
): Violation[] {
  const last = samples.at(-1)
  if (!last) return []
  const out: Violation[] = []
  if (!last.error && last.notReady.length)
    out.push({
      signal: 'readiness',
      message: `not ready: ${last.notReady.join('; ')}`,
      firstBadAt: last.at,
      breaching: 1,
      of: 1
    })
  if (!last.error && last.restartGrowth.length)
    out.push({
      signal: 'restarts',
      message: `restarts grew: ${last.restartGrowth.join(', ')}`,
      firstBadAt: last.at,
      breaching: 1,
      of: 1
    })
  const ids = new Set(samples.flatMap(s => Object.keys(s.thresholds)))
  for (const id of ids) {
    const judged = samples.filter(s => {
      const v = s.thresholds[id]?.verdict
      return v !== undefined && (v === 'fail' || isPassing(v))
    })
    const window = judged.slice(-sustained.of)
    const bad = window.filter(s => s.thresholds[id].verdict === 'fail')
    if (window.at(-1) === last && bad.length >= sustained.samples && bad.length > 0)
      out.push({
        signal: id,
        message:
          `${id} breached in ${bad.length} of the last ${window.length} samples: ${bad.at(-1)?.thresholds[id].message ?? ''}`.trim(),
        firstBadAt: bad[0].at,
        breaching: bad.length,
        of: window.length
      })
  }
  return out
}

/** What the soak comes to after a sample. */
export function decideSoak(
  rec: Pick<SoakRecord, 'startedAt' | 'samples' | 'dropped' | 'status'>,
  violations: Violation[],
  s: Pick<SoakSettings, 'windowMs' | 'minSamples'>,
  now: number
): { status: SoakStatus; why: string } {
  if (violations.length)
    return { status: 'degraded', why: violations.map(v => v.message).join('; ') }
  if (rec.status === 'stable') return { status: 'stable', why: 'still no violation' }
  const complete = rec.samples.filter(completeSample).length + rec.dropped
  const elapsed = now - Date.parse(rec.startedAt)
  if (elapsed < s.windowMs)
    return {
      status: 'soaking',
      why: `${formatDuration(elapsed)} of the ${formatDuration(s.windowMs)} window, ${complete} sample${complete === 1 ? '' : 's'}, no violation`
    }
  if (complete < s.minSamples)
    return {
      status: 'soaking',
      why: `the window is over but only ${complete} of the ${s.minSamples} samples needed are complete`
    }
  return {
    status: 'stable',
    why: `${complete} samples over ${formatDuration(elapsed)} (window ${formatDuration(s.windowMs)}) with no violation`
  }
}

// ------------------------------------------------------------------ sampling

/** The workloads a release runs: what its phases applied, the rollout's target, else what carries the plan's label. */
export async function releaseWorkloads(
  cluster: Cluster,
  record: StateRecord,
  plan: Plan,
  namespace: string,
  release: string
): Promise<ObjectRef[]> {
  const refs = new Map<string, ObjectRef>()
  const add = (r: ObjectRef): void =>
    void refs.set(`${r.kind}/${r.namespace ?? namespace}/${r.name}`, {
      ...r,
      namespace: r.namespace ?? namespace
    })
  const phases = await record.readPhases(release).catch(() => [])
  for (const p of phases) for (const o of p.objects) if (WORKLOAD_KINDS.has(o.ref.kind)) add(o.ref)
  if (plan.rollout?.target)
    add({
      apiVersion: plan.rollout.target.apiVersion ?? 'apps/v1',
      kind: plan.rollout.target.kind,
      name: plan.rollout.target.name,
      namespace
    })
  if (refs.size === 0)
    for (const kind of WORKLOAD_KINDS) {
      const { items } = await cluster.list('apps/v1', kind, {
        namespace,
        labelSelector: `${LABEL_PLAN}=${labelValue(plan.name)}`
      })
      for (const o of items) add({ apiVersion: 'apps/v1', kind, name: o.metadata.name, namespace })
    }
  return [...refs.values()].sort((a, b) =>
    `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`)
  )
}

interface LiveWorkload {
  ref: ObjectRef
  object?: KubeObject
  pods: KubeObject[]
}

async function readWorkloads(
  cluster: Cluster,
  refs: ObjectRef[],
  now: number
): Promise<{ live: LiveWorkload[]; notReady: string[] }> {
  const notReady: string[] = []
  const live = await Promise.all(
    refs.map(async ref => {
      const object = await cluster.get(ref)
      if (!object) {
        notReady.push(`${describeRef(ref)} not found`)
        return { ref, pods: [] }
      }
      const st = computeStatus(object, { now })
      if (st.status !== 'Current') notReady.push(`${describeRef(ref)} ${st.status}: ${st.message}`)
      const selector = labelSelectorOf(object)
      const pods = selector
        ? (await cluster.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector }))
            .items
        : []
      return { ref, object, pods }
    })
  )
  return { live, notReady }
}

/** Restart counts of every container of these pods, `pod/container` → count. */
export function restartCounts(pods: KubeObject[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of pods)
    for (const c of recordItems(rec(p.status).containerStatuses)) {
      const n = typeof c.restartCount === 'number' ? c.restartCount : 0
      out[`${p.metadata.name}/${String(c.name)}`] = n
    }
  return out
}

/** Containers above RESOURCE_WARN_RATIO of a limit, from Prometheus; a note when it cannot tell. */
export async function sampleResources(
  metrics: () => Metrics,
  namespace: string,
  pods: KubeObject[],
  signal?: AbortSignal
): Promise<{ warnings: string[]; note?: string }> {
  const use = await readResourceUse(metrics, namespace, pods, { signal })
  switch (use.kind) {
    case 'no-pods':
      return { warnings: [], note: 'no pods to measure' }
    case 'no-limits':
      return {
        warnings: [],
        note: 'no container sets resource limits: nothing to compare use against'
      }
    case 'no-prometheus':
      return { warnings: [], note: 'no Prometheus configured: resource use not sampled' }
    case 'unavailable':
      return { warnings: [], note: `resource use not sampled: ${use.message}` }
    case 'no-series':
      return {
        warnings: [],
        note: `no container_memory/container_cpu series for these pods in ${use.url} (cAdvisor metrics not scraped)`
      }
    case 'ok':
      return {
        warnings: use.uses
          .filter(u => u.limit !== undefined && (u.share ?? 0) > RESOURCE_WARN_RATIO)
          .map(
            u =>
              `${u.pod}/${u.container} ${u.resource} ${formatResource(u.value, u.resource)} of ${formatResource(u.limit ?? 0, u.resource)} limit (${formatShare(u.share ?? 0)})`
          )
          .sort()
      }
  }
}

function thresholdId(c: CheckResult): string {
  return c.id
}

async function takeSample(
  ctx: GateContext,
  cluster: Cluster,
  refs: ObjectRef[],
  prev: Record<string, number> | undefined,
  deadline: number
): Promise<{ sample: SoakSample; restarts?: Record<string, number>; live: LiveWorkload[] }> {
  const at = new Date(ctx.clock.now()).toISOString()
  const thresholdsP = runValidations(ctx.loaded.plan.soak?.thresholds ?? [], { ...ctx, deadline }, [
    'soak',
    'thresholds'
  ])
  let live: LiveWorkload[] = []
  let notReady: string[] = []
  let error: string | undefined
  try {
    ;({ live, notReady } = await readWorkloads(cluster, refs, ctx.clock.now()))
  } catch (err) {
    error = `could not read the workloads: ${errorMessage(err)}`
  }
  const pods = live.flatMap(w => w.pods)
  const restarts = error ? undefined : restartCounts(pods)
  const resources = error
    ? { warnings: [], note: 'not sampled (cluster unreadable)' }
    : await sampleResources(() => ctx.metrics(), ctx.namespace, pods, ctx.signal)
  const thresholds: Record<string, ThresholdReading> = {}
  for (const c of await thresholdsP)
    thresholds[thresholdId(c)] = isPassing(c.verdict)
      ? { verdict: c.verdict }
      : { verdict: c.verdict, message: c.message }
  return {
    sample: {
      at,
      notReady,
      restartGrowth: restarts ? restartGrowth(prev, restarts) : [],
      restartTotal: restarts ? Object.values(restarts).reduce((a, b) => a + b, 0) : 0,
      resourceWarnings: resources.warnings,
      resourceNote: resources.note,
      thresholds,
      error
    },
    restarts,
    live
  }
}

// ------------------------------------------------------------------ the gate

/** The release a state was entered for: the run id of the latest transition into it. */
export function releaseOf(
  index: Pick<StateIndex, 'history'>,
  state: DeploymentState
): string | undefined {
  return [...index.history].reverse().find(t => t.state === state)?.runId
}

/** The images and revisions of live workloads, as the state record's last known-good keeps them (`Kind/name`). */
export function versionsOf(live: { ref: ObjectRef; object?: KubeObject }[]): {
  images: Record<string, string>
  revisions: Record<string, string>
} {
  const images: Record<string, string> = {}
  const revisions: Record<string, string> = {}
  for (const w of live) {
    if (!w.object) continue
    const k = `${w.ref.kind}/${w.ref.name}`
    const containers = recordItems(rec(rec(rec(w.object.spec).template).spec).containers)
    const image = containers.map(c => c.image).find((i): i is string => typeof i === 'string')
    if (image) images[k] = image
    const rev =
      w.object.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
      rec(w.object.status).currentRevision
    if (typeof rev === 'string' && rev) revisions[k] = rev
  }
  return { images, revisions }
}

function hhmm(iso: string): string {
  return iso.slice(11, 19)
}

/** The state's history as one line: `deploying 12:00:01 → active 12:00:09 → stable 12:05:00`. */
export function historyLine(index: Pick<StateIndex, 'history'>, last = 8): string {
  return index.history
    .slice(-last)
    .map(t => `${t.state} ${hhmm(t.at)}`)
    .join(' → ')
}

function countOf(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

export const soakGate: Gate = {
  name: 'soak',
  // load → sample until → judge → decide.
  async run(ctx) {
    const run = await openSoak(ctx)
    // A reality check or packaging of the next release does not end the soak of the one that runs.
    const running = runningState(run.index)
    const mode = modeOf(running)
    if (!mode) return nothingToSoak(run)
    const release = releaseOf(run.index, running as DeploymentState) ?? ctx.runId
    if (mode === 'degraded') return foundDegraded(run, release)
    const loaded = await loadSoak(run, mode, release)
    const sampled = await sampleUntil(run, loaded)
    const judged = judgeSoak(run, loaded, sampled)
    return decideSoakRun(run, loaded, sampled, judged)
  }
}

/** One soak gate run: its plan, state record, and what it collects (checks, notes, details, extra gates). */
interface SoakRun {
  ctx: GateContext
  plan: Plan
  s: SoakSettings
  started: number
  budget: number
  location: SourceLocation | undefined
  /** The soak's checks, notes and details. */
  gate: GateRun
  /** The result's details (the same object the gate carries). */
  details: Record<string, unknown>
  /** Results of the rollback gate run for onDegraded. */
  extra: GateResult[]
  cluster: Cluster
  record: StateRecord
  /** The state record's index as last read or written. */
  index: StateIndex
}

/** The release being soaked or monitored and its soak record. */
interface LoadedSoak {
  mode: 'soak' | 'monitor'
  release: string
  refs: ObjectRef[]
  soak: SoakRecord
  runUntil: number
  budgetEnd: number
}

/** What this run's sampling saw. */
interface Sampled {
  decision: { status: SoakStatus; why: string }
  violations: Violation[]
  lastLive: LiveWorkload[]
  taken: number
}

/** What the samples come to. */
interface Judged {
  total: number
  elapsed: number
  windowLine: string
  /** When the samples were judged: the time the decision's state changes carry. */
  now: string
}

type SoakMode = 'soak' | 'monitor' | 'degraded'

async function openSoak(ctx: GateContext): Promise<SoakRun> {
  const started = ctx.clock.now()
  const plan = ctx.loaded.plan
  const cluster = await ctx.cluster()
  const record = await ctx.stateRecord()
  const budget = budgetMs(plan, 'soak')
  const details: Record<string, unknown> = {}
  return {
    ctx,
    plan,
    s: soakSettings(plan),
    started,
    budget,
    location: ctx.loaded.locate(['soak']),
    gate: new GateRun('soak', ctx.clock, started, { budgetMs: budget, details }),
    details,
    extra: [],
    cluster,
    record,
    index: await record.readIndex()
  }
}

function modeOf(running: string | undefined): SoakMode | undefined {
  return running === 'active'
    ? 'soak'
    : running === 'stable'
      ? 'monitor'
      : running === 'degraded'
        ? 'degraded'
        : undefined
}

function done(run: SoakRun, verdict?: Verdict): GateResult[] {
  return [run.gate.result(verdict), ...run.extra]
}

function warnState(run: SoakRun): (err: unknown) => void {
  return err => run.ctx.log.warn(`state record: ${errorMessage(err)}`)
}

/** The deployment state in the details and, when there is one, in the notes. */
function stateNote(run: SoakRun, i: StateIndex): void {
  run.details.state = {
    current: i.state ?? null,
    since: i.stateSince,
    history: i.history.slice(-10)
  }
  if (i.state)
    run.gate.notes.push(
      `deployment state: ${i.state} since ${i.stateSince ?? '?'} (${historyLine(i)})`
    )
}

type Notify = (
  kind: NotifyEvent['kind'],
  release: string,
  summary: string,
  detail?: string,
  data?: Record<string, unknown>
) => Promise<NotifyOutcome[]>

/** Tells the plan's webhooks of a soak event; the outcomes go to the notes and details. */
function notifier(run: SoakRun): Notify {
  const { ctx, plan } = run
  return async (kind, release, summary, detail, data) => {
    if (!plan.notify?.length || ctx.settings.dryRun) return []
    const outcomes = await sendNotification(
      plan.notify,
      {
        kind,
        plan: plan.name,
        target: {
          context: ctx.settings.context ?? plan.target.context,
          namespace: ctx.namespace
        },
        runId: release,
        at: new Date(ctx.clock.now()).toISOString(),
        summary,
        detail,
        state: kind === 'rollback-triggered' ? 'rolling-back' : kind,
        runUrl: ctx.github?.runUrl,
        data
      },
      { log: ctx.log, clock: ctx.clock, signal: ctx.signal }
    )
    run.gate.notes.push(...describeOutcomes(outcomes))
    ;((run.details.notifications ??= []) as NotifyOutcome[]).push(...outcomes)
    return outcomes
  }
}

function rollbackAdvice(run: SoakRun): string {
  return `roll back: phase-gate check ${run.ctx.loaded.displayFile} --gate rollback --level <${(run.plan.rollbackLevels ?? []).map(l => l.level).join('|') || LEVEL_NAMES.join('|')}>`
}

function nothingToSoak(run: SoakRun): GateResult[] {
  const state = run.index.state
  run.gate.checks.push(
    checkResult('soak', run.plan.name, {
      verdict: 'skip',
      message: state
        ? `nothing to soak: the deployment is ${state}; the soak starts once a release is active`
        : 'nothing to soak: the state record holds no deployment yet; the soak starts once a release is active',
      location: run.location
    })
  )
  stateNote(run, run.index)
  return done(run)
}

/** A run that found the release degraded (or a job killed before its rollback) leaves it to a person, unless onDegraded says otherwise. */
async function foundDegraded(run: SoakRun, release: string): Promise<GateResult[]> {
  const { ctx, s, index, location } = run
  const since =
    [...index.history].reverse().find(t => t.state === 'degraded')?.at ?? index.stateSince ?? '?'
  if (s.onDegraded && !ctx.settings.dryRun) {
    run.gate.checks.push(
      checkResult('soak', release, {
        verdict: 'fail',
        message: `release ${release} is degraded since ${since}; running the ${s.onDegraded} rollback (soak.onDegraded)`,
        location
      })
    )
    await rollBack(ctx, s.onDegraded, release, run.extra, notifier(run), undefined)
  } else
    run.gate.checks.push(
      checkResult('soak', release, {
        verdict: 'fail',
        message: `release ${release} is degraded since ${since}`,
        adjustment: rollbackAdvice(run),
        location
      })
    )
  stateNote(run, await run.record.readIndex().catch(() => index))
  return done(run)
}

/** The release's workloads and its soak record (continued, or a new one). */
async function loadSoak(
  run: SoakRun,
  mode: 'soak' | 'monitor',
  release: string
): Promise<LoadedSoak> {
  const { ctx, s, record, budget, started } = run
  const refs = await releaseWorkloads(run.cluster, record, run.plan, ctx.namespace, release)
  run.details.workloads = refs.map(r => `${r.kind}/${r.name}`)
  const stored = await record.readRunData(release, SOAK_KEY).then(
    t => (t ? (JSON.parse(t) as SoakRecord) : undefined),
    () => undefined
  )
  const soak: SoakRecord =
    stored && stored.release === release && (mode === 'monitor' || stored.status !== 'degraded')
      ? { ...stored, status: mode === 'monitor' ? 'stable' : 'soaking' }
      : {
          release,
          startedAt: new Date(ctx.clock.now()).toISOString(),
          windowMs: s.windowMs,
          status: mode === 'monitor' ? 'stable' : 'soaking',
          samples: [],
          dropped: 0,
          runs: []
        }
  soak.windowMs = s.windowMs
  soak.runs = [...soak.runs.filter(r => r !== ctx.runId), ctx.runId].slice(-50)
  const runFor = s.runForMs ?? (mode === 'monitor' ? 0 : budget)
  return {
    mode,
    release,
    refs,
    soak,
    runUntil: started + Math.min(budget, runFor),
    budgetEnd: started + budget
  }
}

/** Writes the soak record and its summary in the index (not in a dry run). */
async function persist(run: SoakRun, loaded: LoadedSoak, violations: Violation[]): Promise<void> {
  if (run.ctx.settings.dryRun) return
  const { soak, release } = loaded
  await run.record.writeRunData(release, SOAK_KEY, JSON.stringify(soak)).catch(warnState(run))
  const last = soak.samples.at(-1)
  await run.record
    .updateIndex(i => {
      i.extra = {
        ...(i.extra ?? {}),
        soak: {
          release,
          status: soak.status,
          startedAt: soak.startedAt,
          windowMs: soak.windowMs,
          samples: soak.samples.length + soak.dropped,
          lastSampleAt: last?.at,
          firstBadAt: soak.firstBadAt,
          decidedAt: soak.decidedAt,
          violations: violations.map(v => v.message)
        }
      }
    })
    .catch(warnState(run))
}

/** Samples every interval until a decision, the run's time, the budget or a cancel. */
async function sampleUntil(run: SoakRun, loaded: LoadedSoak): Promise<Sampled> {
  const { ctx, s } = run
  const { soak, release, mode, budgetEnd, runUntil } = loaded
  const out: Sampled = {
    decision: { status: soak.status, why: '' },
    violations: [],
    lastLive: [],
    taken: 0
  }
  for (;;) {
    if (ctx.signal.aborted) break
    const sampleStarted = ctx.clock.now()
    ctx.progress({
      gate: 'soak',
      activity: `sample ${soak.samples.length + soak.dropped + 1} of release ${release}`,
      done: out.taken,
      deadline: budgetEnd
    })
    const { sample, restarts, live } = await takeSample(
      ctx,
      run.cluster,
      loaded.refs,
      soak.lastRestarts,
      Math.min(budgetEnd, sampleStarted + s.intervalMs * 2)
    )
    out.taken++
    if (live.length) out.lastLive = live
    soak.samples.push(sample)
    if (restarts) soak.lastRestarts = restarts
    if (soak.samples.length > SAMPLES_KEPT) {
      soak.dropped += soak.samples.length - SAMPLES_KEPT
      soak.samples = soak.samples.slice(-SAMPLES_KEPT)
    }
    out.violations = judgeSamples(soak.samples, s.sustained)
    out.decision = decideSoak(soak, out.violations, s, ctx.clock.now())
    if (out.decision.status !== soak.status) {
      soak.status = out.decision.status
      soak.decidedAt = new Date(ctx.clock.now()).toISOString()
      if (out.decision.status === 'degraded')
        soak.firstBadAt = out.violations.map(v => v.firstBadAt).sort()[0]
    }
    await persist(run, loaded, out.violations)
    if (out.decision.status === 'degraded' || (mode === 'soak' && out.decision.status === 'stable'))
      break
    const next = sampleStarted + s.intervalMs
    if (next > runUntil || next > budgetEnd) break
    try {
      await ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), ctx.signal)
    } catch {
      break
    }
  }
  return out
}

/** The soak's details and one check per signal: readiness, restarts, resources, each threshold. */
function judgeSoak(run: SoakRun, loaded: LoadedSoak, sampled: Sampled): Judged {
  const { ctx, s } = run
  const { soak, release } = loaded
  const all = soak.samples
  const total = all.length + soak.dropped
  const elapsed = ctx.clock.now() - Date.parse(soak.startedAt)
  run.details.soak = {
    release,
    status: soak.status,
    startedAt: soak.startedAt,
    elapsedMs: elapsed,
    windowMs: s.windowMs,
    intervalMs: s.intervalMs,
    minSamples: s.minSamples,
    sustained: s.sustained,
    samples: total,
    sampledNow: sampled.taken,
    completeSamples: all.filter(completeSample).length + soak.dropped,
    firstBadAt: soak.firstBadAt,
    decidedAt: soak.decidedAt,
    violations: sampled.violations
  }
  run.details.samples = all.slice(-60)
  run.gate.checks.push(
    ...workloadChecks(run, loaded, sampled.violations, total),
    ...thresholdChecks(run, all, sampled.violations)
  )
  const windowLine = `${countOf(total, 'sample')} over ${formatDuration(elapsed)} of the ${formatDuration(s.windowMs)} window (min ${s.minSamples} samples${s.sustained.of > 1 ? `, thresholds sustained ${s.sustained.samples} of ${s.sustained.of}` : ''})`
  return { total, elapsed, windowLine, now: new Date(ctx.clock.now()).toISOString() }
}

/** Readiness, restarts and resource use over the samples. */
function workloadChecks(
  run: SoakRun,
  loaded: LoadedSoak,
  violations: Violation[],
  total: number
): CheckResult[] {
  const { location } = run
  const { release, refs } = loaded
  const all = loaded.soak.samples
  const since = hhmm(loaded.soak.startedAt)
  const lostReady = all.filter(x => !x.error && x.notReady.length)
  const grew = all.filter(x => x.restartGrowth.length)
  const hot = all.filter(x => x.resourceWarnings.length)
  const lastNote = all.at(-1)?.resourceNote
  return [
    checkResult('readiness', release, {
      verdict: violations.some(v => v.signal === 'readiness') ? 'fail' : 'pass',
      message: lostReady.length
        ? `readiness lost at ${hhmm(lostReady[0].at)}: ${lostReady.at(-1)?.notReady.join('; ')}`
        : `${countOf(refs.length, 'workload')} ready in all ${total} samples since ${since}`,
      evidence: lostReady.length
        ? lostReady
            .slice(-5)
            .map(x => `${x.at} ${x.notReady.join('; ')}`)
            .join('\n')
        : undefined,
      data: { workloads: refs.map(r => `${r.kind}/${r.name}`) },
      location
    }),
    checkResult('restarts', release, {
      verdict: violations.some(v => v.signal === 'restarts') ? 'fail' : 'pass',
      message: grew.length
        ? `restart counts grew at ${hhmm(grew[0].at)}: ${grew.at(-1)?.restartGrowth.join(', ')}`
        : `no container restarted in ${total} samples since ${since} (${all.at(-1)?.restartTotal ?? 0} restarts before the soak)`,
      evidence: grew.length
        ? grew
            .slice(-5)
            .map(x => `${x.at} ${x.restartGrowth.join(', ')}`)
            .join('\n')
        : undefined,
      location
    }),
    checkResult('resources', release, {
      verdict: hot.length ? 'warn' : lastNote ? 'skip' : 'pass',
      message: hot.length
        ? `above ${Math.round(RESOURCE_WARN_RATIO * 100)} % of a limit: ${hot.at(-1)?.resourceWarnings.join('; ')}`
        : (lastNote ??
          `every container below ${Math.round(RESOURCE_WARN_RATIO * 100)} % of its limits in all samples`),
      adjustment: hot.length
        ? 'raise the limits or find what uses them; the release keeps soaking (this is a warning)'
        : undefined,
      location
    })
  ]
}

/** One check per threshold: failed when sustained, warned when breached, else its last reading. */
function thresholdChecks(run: SoakRun, all: SoakSample[], violations: Violation[]): CheckResult[] {
  const { s } = run
  const thresholdIds = [...new Set(all.flatMap(x => Object.keys(x.thresholds)))]
  return thresholdIds.map(id => {
    const v = violations.find(x => x.signal === id)
    const readings = all
      .map(x => x.thresholds[id])
      .filter((r): r is ThresholdReading => r !== undefined)
    const lastReading = readings.at(-1)
    const failed = readings.filter(r => r.verdict === 'fail').length
    return checkResult('threshold', id, {
      verdict: v
        ? 'fail'
        : lastReading && !isPassing(lastReading.verdict) && lastReading.verdict !== 'fail'
          ? lastReading.verdict
          : failed
            ? 'warn'
            : 'pass',
      message: v
        ? v.message
        : failed
          ? `breached in ${failed} of ${readings.length} samples, never ${s.sustained.samples} of ${s.sustained.of} in a row (sustained): ${readings.filter(r => r.message).at(-1)?.message ?? ''}`
          : lastReading && lastReading.verdict !== 'pass' && lastReading.verdict !== 'warn'
            ? `${lastReading.verdict} in the last sample: ${lastReading.message ?? ''}`
            : `held in all ${readings.length} samples`,
      location: run.ctx.loaded.locate(['soak', 'thresholds'])
    })
  })
}

/** Cancelled, degraded, stable, or still soaking: the soak's own check first, and the state moved. */
async function decideSoakRun(
  run: SoakRun,
  loaded: LoadedSoak,
  sampled: Sampled,
  judged: Judged
): Promise<GateResult[]> {
  const { ctx, s, location } = run
  const { release, mode, soak } = loaded
  const { decision, taken } = sampled
  const { total, elapsed, windowLine } = judged
  if (ctx.signal.aborted) {
    run.gate.checks.unshift(
      checkResult('soak', release, {
        verdict: 'cancelled',
        message: `cancelled after ${windowLine}; the samples are kept and the next run continues`,
        location
      })
    )
    stateNote(run, run.index)
    return done(run, 'cancelled')
  }
  if (decision.status === 'degraded' && (mode === 'soak' || mode === 'monitor'))
    return becomeDegraded(run, loaded, sampled, judged)
  if (decision.status === 'stable' && mode === 'soak')
    return becomeStable(run, loaded, sampled, judged)

  // Still soaking (or a stable release that held): the next run carries on.
  const left = Math.max(0, s.windowMs - elapsed)
  run.gate.checks.unshift(
    checkResult('soak', release, {
      verdict: 'pass',
      message:
        mode === 'monitor'
          ? `release ${release} is still stable: no violation in ${countOf(taken, 'new sample')} (${total} in all)`
          : `release ${release} is soaking: ${windowLine}, no violation; ${left > 0 ? `stable after ${formatDuration(left)} more` : `stable after ${s.minSamples - (soak.samples.filter(completeSample).length + soak.dropped)} more complete samples`} (a later run continues)`,
      data: { windowLine },
      location
    })
  )
  stateNote(run, run.index)
  return done(run)
}

/** The release is degraded: the state moves, the incident is noted, webhooks told, onDegraded run. */
async function becomeDegraded(
  run: SoakRun,
  loaded: LoadedSoak,
  sampled: Sampled,
  judged: Judged
): Promise<GateResult[]> {
  const { ctx, s, record } = run
  const { release, soak } = loaded
  const { now } = judged
  const why = sampled.violations.map(v => v.message).join('; ')
  run.gate.checks.unshift(
    checkResult('soak', release, {
      verdict: 'fail',
      message: `release ${release} is degraded: ${why}`,
      adjustment: s.onDegraded ? undefined : rollbackAdvice(run),
      data: { windowLine: judged.windowLine },
      location: run.location
    })
  )
  if (ctx.settings.dryRun) {
    run.gate.notes.push(
      `dry run: the release would become degraded${s.onDegraded ? ` and the ${s.onDegraded} rollback would run` : ''}`
    )
    stateNote(run, run.index)
    return done(run)
  }
  const index = run.index
  run.index = await record
    // The decision's own time, so the incident's trigger and the state record agree.
    .transition('degraded', release, why, soak.decidedAt ?? now)
    .catch(err => (warnState(run)(err), index))
  const hint: IncidentHint = {
    firstBadAt: soak.firstBadAt,
    triggerAt: soak.decidedAt ?? now,
    trigger: `soak: ${why}`
  }
  run.details.incident = hint
  const notify = notifier(run)
  await notify('degraded', release, `release ${release} is degraded`, why, {
    firstBadAt: soak.firstBadAt,
    samples: judged.total
  })
  if (s.onDegraded) await rollBack(ctx, s.onDegraded, release, run.extra, notify, hint)
  const after = run.index
  stateNote(run, await record.readIndex().catch(() => after))
  return done(run)
}

/** The release is stable: the state moves, the last known-good is recorded, webhooks told. */
async function becomeStable(
  run: SoakRun,
  loaded: LoadedSoak,
  sampled: Sampled,
  judged: Judged
): Promise<GateResult[]> {
  const { ctx, s, record } = run
  const { release, soak } = loaded
  const { decision } = sampled
  const { now } = judged
  run.gate.checks.unshift(
    checkResult('soak', release, {
      verdict: 'pass',
      message: `release ${release} is stable: ${decision.why}`,
      data: { windowLine: judged.windowLine },
      location: run.location
    })
  )
  if (ctx.settings.dryRun) {
    run.gate.notes.push('dry run: the release would become stable')
    stateNote(run, run.index)
    return done(run)
  }
  const versions = versionsOf(sampled.lastLive)
  const before = run.index
  run.index = await record
    .transition('stable', release, `soak: ${decision.why}`, soak.decidedAt ?? now)
    .catch(err => (warnState(run)(err), before))
  const transitioned = run.index
  run.index = await record
    .updateIndex(i => {
      i.lastKnownGood = {
        runId: release,
        at: now,
        images: versions.images,
        revisions: versions.revisions
      }
      const r = i.runs.find(x => x.runId === release)
      if (r && !r.images && Object.keys(versions.images).length) r.images = versions.images
    })
    .catch(err => (warnState(run)(err), transitioned))
  run.gate.notes.push(
    `last known-good: release ${release} (${
      Object.entries(versions.images)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'no workload images'
    })`
  )
  await notifier(run)('stable', release, `release ${release} is stable`, decision.why, {
    samples: judged.total,
    windowMs: s.windowMs,
    images: versions.images
  })
  stateNote(run, run.index)
  return done(run)
}

/** Runs the onDegraded level through the rollback gate (which moves the state to rolling-back and previous-stable). */
async function rollBack(
  ctx: GateContext,
  level: RollbackLevel,
  release: string,
  extra: GateResult[],
  notify: Notify,
  hint: IncidentHint | undefined
): Promise<void> {
  const plan = ctx.loaded.plan
  const spec = (plan.rollbackLevels ?? []).find(l => l.level === level)
  if (!spec) {
    const started = ctx.clock.now()
    extra.push(
      gateResult(
        'rollback',
        started,
        [
          checkResult('rollback', level, {
            verdict: 'error',
            message: `soak.onDegraded names the ${level} level, which rollbackLevels does not define`,
            location: ctx.loaded.locate(['soak', 'onDegraded'])
          })
        ],
        { now: ctx.clock.now(), name: level }
      )
    )
    return
  }
  const budget = levelBudgetMs(spec)
  const startedAt = new Date(ctx.clock.now()).toISOString()
  if (hint) {
    hint.level = level
    hint.rollbackStartedAt = startedAt
    hint.budgetMs = budget
  }
  await notify(
    'rollback-triggered',
    release,
    `release ${release} degraded: running the ${level} rollback (budget ${formatDuration(budget)})`,
    undefined,
    { level, budgetMs: budget }
  )
  ctx.progress({ gate: 'soak', activity: `degraded: ${level} rollback` })
  let results: GateResult[]
  try {
    // The rollback gate itself, not the registry: the registry imports this gate.
    results = await rollbackGate.run({
      ...ctx,
      runId: release,
      settings: { ...ctx.settings, gate: 'rollback', level }
    })
  } catch (err) {
    results = [
      gateResult(
        'rollback',
        Date.parse(startedAt),
        [
          checkResult('rollback', level, {
            verdict: 'error',
            message: `could not run the ${level} rollback: ${errorMessage(err)}`
          })
        ],
        { now: ctx.clock.now(), name: level }
      )
    ]
  }
  for (const r of results) r.details = { ...(r.details ?? {}), notified: true, triggeredBy: 'soak' }
  extra.push(...results)
  if (hint && results.every(r => isPassing(r.verdict)))
    hint.recoveredAt = new Date(ctx.clock.now()).toISOString()
}
