/**
 * `phase-gate fleet <plan>`: the plan's waves over its clusters. Each
 * cluster's gates are the single-cluster engine (`runEngine`) with the
 * cluster's context and namespace; src/fleet/ orders, counts, halts and rolls
 * back. Without `--step` the whole release runs in this process; with it one
 * step (a workflow job) runs and writes its fleet report, and `--step
 * record --from DIR` merges them into the fleet record. Progress lines go to
 * stderr, the result to stdout.
 */

import { mkdir, writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { dirname, relative } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { streamLogger } from '../../core/log.js'
import { onTermination } from '../../core/signals.js'
import { exitCodeFor, type Verdict } from '../../report/model.js'
import type { CliInvocation } from '../args.js'
import { UsageError, errorMessage } from '../../core/errors.js'
import type { Logger } from '../../core/log.js'
import { redact } from '../../core/secrets.js'
import { productionDeps } from '../../deps.js'
import { loadValidPlan, runEngine } from '../../engine.js'
import { connectCluster } from '../../kube/client.js'
import { LABEL_PLAN, labelValue } from '../../kube/labels.js'
import { selectorString, workloadImages } from '../../gates/record.js'
import { assertFleetContexts } from '../../fleet/plan.js'
import { runFleet, type ClusterRunner, type FleetDeps, type FleetReport } from '../../fleet/run.js'
import { renderFleetSummary, renderFleetText } from '../../fleet/summary.js'
import {
  checkStep,
  deployStep,
  fleetList,
  rollbackStep,
  soakStep,
  type FleetList,
  type FleetStep
} from '../../fleet/steps.js'
import { mergeFleetReports, readFleetReports } from '../../fleet/merge.js'
import { LiveTable } from '../../fleet/live.js'
import { buildFleetRecord, type FleetRecord } from '../../fleet/record.js'
import { fleetCommentMarker, renderFleetRecord } from '../../fleet/record-render.js'
import { createGitHub, gitHubOptionsFromEnv } from '../../github/client.js'
import { upsertFleetComment } from '../../github/fleet-comment.js'
import type { RunApproval } from '../../github/types.js'
import type { KubeObject } from '../../kube/types.js'
import type { LoadedPlan } from '../../plan/types.js'
import type { Settings } from '../../settings.js'

export interface FleetCommandIo {
  out(s: string): void
  err(s: string): void
  log: Logger
  /** Asks a person (a TTY); absent without one. */
  confirm?: (question: string) => Promise<boolean>
  signal?: AbortSignal
  /** The environment (GITHUB_* for the record step's approvals and comment). */
  env?: NodeJS.ProcessEnv
  /** On a TTY: the live cluster × gate table (instead of progress lines). */
  table?: LiveTable
}

export interface FleetSelection {
  wave?: string
  cluster?: string
  list?: boolean
  step?: FleetStep
  from?: string
  environmentPrefix?: string
  comment?: boolean
  json: boolean
  planArg: string
}

/** What a fleet invocation produced: the verdict for the exit code, and the report or record written. */
export interface FleetOutcome {
  verdict: Verdict
  report?: FleetReport
  record?: FleetRecord
  list?: FleetList
}

/** The plan with its fleet, the selection checked against it and the kubeconfig's contexts. */
async function loadFleetPlan(settings: Settings, sel: FleetSelection): Promise<LoadedPlan> {
  const loaded = await loadValidPlan(settings)
  const fleet = loaded.plan.fleet
  if (!fleet)
    throw new UsageError(
      `${loaded.displayFile} has no fleet: add fleet.clusters and fleet.waves, or use phase-gate check`
    )
  if (sel.wave && !fleet.waves.some(w => w.name === sel.wave))
    throw new UsageError(
      `no wave "${sel.wave}" in ${loaded.displayFile}; waves: ${fleet.waves.map(w => w.name).join(', ')}`
    )
  if (sel.cluster && !fleet.clusters.some(c => c.name === sel.cluster))
    throw new UsageError(
      `no cluster "${sel.cluster}" in ${loaded.displayFile}; clusters: ${fleet.clusters.map(c => c.name).join(', ')}`
    )
  if ((sel.step === 'rollback' || sel.step === 'record') && !sel.from)
    throw new UsageError(`--step ${sel.step} needs --from DIR (the earlier steps' fleet reports)`)
  if (sel.list && sel.step) throw new UsageError('--list and --step do not go together')
  const kubeconfigPath = settings.kubeconfig.kind === 'path' ? settings.kubeconfig.path : undefined
  // The record merges reports only: it needs no cluster.
  if (sel.step !== 'record') assertFleetContexts(loaded, kubeconfigPath)
  return loaded
}

/** Each cluster's gates: the single-cluster engine with its context and namespace; its images read from the cluster. */
export function clusterRunner(
  settings: Settings,
  loaded: LoadedPlan,
  io: Pick<FleetCommandIo, 'log' | 'signal'>
): ClusterRunner {
  const kubeconfigPath = settings.kubeconfig.kind === 'path' ? settings.kubeconfig.path : undefined
  return {
    async gate(cluster, gate, opts) {
      const s: Settings = {
        ...settings,
        gate,
        phase: opts?.phase,
        context: cluster.context,
        namespace: cluster.namespace ?? loaded.plan.target.namespace,
        runIdGiven: true,
        reportPath: undefined,
        summaryPath: undefined
      }
      const log: Logger = {
        debug: m => io.log.debug(`${cluster.name}: ${m}`),
        info: m => io.log.info(`${cluster.name}: ${m}`),
        warn: m => io.log.warn(`${cluster.name}: ${m}`),
        error: m => io.log.error(`${cluster.name}: ${m}`)
      }
      const { report } = await runEngine(s, { ...productionDeps(s, log), log, signal: io.signal })
      return report
    },
    async images(cluster) {
      const kube = await connectCluster({ kubeconfigPath, context: cluster.context })
      const namespace = cluster.namespace ?? loaded.plan.target.namespace
      const labelSelector = `${LABEL_PLAN}=${labelValue(loaded.plan.name)}`
      const workloads: KubeObject[] = []
      for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'])
        workloads.push(...(await kube.list('apps/v1', kind, { namespace, labelSelector })).items)
      const images = await Promise.all(
        workloads.map(async w => {
          const selector = selectorString((w.spec as Record<string, unknown> | undefined)?.selector)
          const pods = selector
            ? (await kube.list('v1', 'Pod', { namespace, labelSelector: selector })).items
            : []
          return workloadImages(w, pods).map(i => ({
            ...i,
            container: `${w.metadata.name}/${i.container}`
          }))
        })
      )
      return images.flat()
    }
  }
}

/** Runs the fleet invocation (the list, one step, or the whole release) and writes its outputs. */
export async function fleetCommand(
  settings: Settings,
  sel: FleetSelection,
  io: FleetCommandIo
): Promise<FleetOutcome> {
  const loaded = await loadFleetPlan(settings, sel)
  if (sel.list) {
    const list = fleetList(loaded)
    io.out(sel.json ? `${JSON.stringify(list)}\n` : renderList(list))
    return { verdict: 'pass', list }
  }
  if (sel.step === 'record') return recordCommand(settings, loaded, sel, io)
  const deps: FleetDeps = {
    runner: clusterRunner(settings, loaded, io),
    now: () => Date.now(),
    sleep: ms => new Promise(r => setTimeout(r, ms)),
    progress: io.table ? () => undefined : line => io.err(`${new Date().toISOString()} ${line}\n`),
    event: io.table ? e => io.table?.event(e) : undefined,
    confirm: io.confirm,
    approve: settings.approve === true,
    user: localUser()
  }
  const opts = { wave: sel.wave, cluster: sel.cluster, runId: settings.runId, planArg: sel.planArg }
  let report: FleetReport
  switch (sel.step) {
    case 'check':
      report = await checkStep(loaded, deps, opts)
      break
    case 'deploy':
      report = await deployStep(loaded, deps, opts)
      break
    case 'soak':
      report = await soakStep(loaded, deps, opts)
      break
    case 'rollback': {
      const { reports } = await readFleetReports(sel.from as string, loaded.plan.name)
      report = await rollbackStep(loaded, deps, { ...opts, reports })
      break
    }
    default:
      report = await runFleet(loaded, deps, opts)
  }
  if (settings.reportPath)
    await writeOut(settings.reportPath, `${JSON.stringify(report, null, 2)}\n`)
  if (settings.summaryPath) await writeOut(settings.summaryPath, renderFleetSummary(report))
  io.out(sel.json ? `${JSON.stringify(report, null, 2)}\n` : renderFleetText(report))
  return { verdict: report.verdict, report }
}

function localUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'the local user'
  }
}

function renderList(list: FleetList): string {
  const lines = [`fleet ${list.plan} (onHalt ${list.onHalt}):`]
  for (const w of list.waves)
    lines.push(
      `  ${w.index}. ${w.name} (maxParallel ${w.maxParallel}${w.soak ? `, soak ${w.soak}` : ''}): ${w.clusters.map(c => `${c} [${w.contexts[c]}]`).join(', ')}`
    )
  return `${lines.join('\n')}\n`
}

/** `--step record`: every fleet report in --from merged into the fleet record; the summary and the sticky comment. */
async function recordCommand(
  settings: Settings,
  loaded: LoadedPlan,
  sel: FleetSelection,
  io: FleetCommandIo
): Promise<FleetOutcome> {
  const { reports, skipped } = await readFleetReports(sel.from as string, loaded.plan.name)
  for (const s of skipped) io.log.debug(`skipped ${s.file}: ${s.why}`)
  const merged = mergeFleetReports(loaded, reports)
  const env = io.env ?? process.env
  const ghOpts = gitHubOptionsFromEnv(env, settings.githubToken)
  const github = ghOpts ? createGitHub(ghOpts) : undefined
  let approvals: { prefix: string; items: RunApproval[] } | undefined
  if (github && sel.environmentPrefix !== undefined && github.runId) {
    try {
      approvals = {
        prefix: sel.environmentPrefix,
        items: (await github.listRunApprovals?.(github.runId)) ?? []
      }
    } catch (err) {
      io.log.warn(`the wave approvals could not be read from GitHub: ${errorMessage(err)}`)
    }
  }
  const record = buildFleetRecord(loaded, merged, { approvals })
  const markdown = renderFleetRecord(record)
  if (settings.reportPath)
    await writeOut(settings.reportPath, `${JSON.stringify(record, null, 2)}\n`)
  if (settings.summaryPath) await writeOut(settings.summaryPath, markdown)
  if (sel.comment) {
    if (!github) io.log.warn('no PR comment: GITHUB_REPOSITORY is not set')
    else {
      const r = await upsertFleetComment(
        github,
        fleetCommentMarker(record.plan),
        renderFleetRecord(record, { marker: true })
      )
      if (!r.ok) io.log.warn(`the fleet PR comment was not updated: ${r.reason}`)
    }
  }
  io.out(sel.json ? `${JSON.stringify(record, null, 2)}\n` : markdown)
  return { verdict: record.verdict, record }
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, redact(text))
}

/** What fleetMain needs of the CLI's io (main.ts's CliIo has it). */
interface TtyIo {
  cwd: string
  stderr: NodeJS.WriteStream
  stdin?: NodeJS.ReadStream
  env?: NodeJS.ProcessEnv
}

/** `phase-gate fleet` from the CLI: progress lines on stderr, a question per wave on a TTY; resolves to the exit code. */
export async function fleetMain(
  inv: CliInvocation,
  io: TtyIo,
  out: (s: string) => void,
  err: (s: string) => void
): Promise<number> {
  // On a TTY the cluster × gate table is redrawn in place; log lines scroll above it.
  const table = io.stderr.isTTY === true && !inv.json ? new LiveTable(io.stderr) : undefined
  const log = streamLogger(line => (table ? table.log(line) : err(`${line}\n`)), {
    debug: inv.verbose
  })
  const termination = onTermination(log)
  try {
    const outcome = await fleetCommand(
      inv.settings,
      {
        ...inv.fleet,
        json: inv.json,
        planArg: relative(io.cwd, inv.settings.planPath) || inv.settings.planPath
      },
      {
        out,
        err,
        log,
        env: io.env,
        table,
        signal: termination.signal,
        confirm:
          io.stdin?.isTTY === true
            ? async q => {
                const yes = await askTty(q, io)
                table?.detach()
                return yes
              }
            : undefined
      }
    )
    return exitCodeFor(outcome.verdict, termination.received())
  } finally {
    termination.dispose()
  }
}

async function askTty(question: string, io: TtyIo): Promise<boolean> {
  const rl = createInterface({ input: io.stdin as NodeJS.ReadStream, output: io.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} `)).trim())
  } catch {
    return false
  } finally {
    rl.close()
  }
}
