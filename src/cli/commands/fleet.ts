/**
 * `phase-gate fleet <plan>`: the plan's waves over its clusters. Each
 * cluster's gates are the single-cluster engine (`runEngine`) with the
 * cluster's context and namespace; src/fleet/run.ts orders, counts, halts
 * and rolls back. Progress lines go to stderr, the result to stdout.
 */

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, relative } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { streamLogger } from '../../core/log.js'
import { onTermination } from '../../core/signals.js'
import { exitCodeFor } from '../../report/model.js'
import type { CliInvocation } from '../args.js'
import { UsageError } from '../../core/errors.js'
import type { Logger } from '../../core/log.js'
import { redact } from '../../core/secrets.js'
import { productionDeps } from '../../deps.js'
import { loadValidPlan, runEngine } from '../../engine.js'
import { assertFleetContexts } from '../../fleet/plan.js'
import { runFleet, type ClusterRunner, type FleetReport } from '../../fleet/run.js'
import { renderFleetSummary, renderFleetText } from '../../fleet/summary.js'
import type { Settings } from '../../settings.js'

export interface FleetCommandIo {
  out(s: string): void
  err(s: string): void
  log: Logger
  /** Asks a person (a TTY); absent without one. */
  confirm?: (question: string) => Promise<boolean>
  signal?: AbortSignal
}

/** Runs the fleet release; resolves to the report (the caller maps its verdict to the exit code). */
export async function fleetCommand(
  settings: Settings,
  sel: { wave?: string; cluster?: string; json: boolean; planArg: string },
  io: FleetCommandIo
): Promise<FleetReport> {
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
  const kubeconfigPath = settings.kubeconfig.kind === 'path' ? settings.kubeconfig.path : undefined
  assertFleetContexts(loaded, kubeconfigPath)

  const runner: ClusterRunner = {
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
      const { report } = await runEngine(s, {
        ...productionDeps(s, log),
        log,
        signal: io.signal
      })
      return report
    }
  }
  const report = await runFleet(
    loaded,
    {
      runner,
      now: () => Date.now(),
      sleep: ms => new Promise(r => setTimeout(r, ms)),
      progress: line => io.err(`${new Date().toISOString()} ${line}\n`),
      confirm: io.confirm,
      approve: settings.approve === true
    },
    { wave: sel.wave, cluster: sel.cluster, runId: settings.runId, planArg: sel.planArg }
  )
  if (settings.reportPath)
    await writeOut(settings.reportPath, `${JSON.stringify(report, null, 2)}\n`)
  if (settings.summaryPath) await writeOut(settings.summaryPath, renderFleetSummary(report))
  io.out(sel.json ? `${JSON.stringify(report, null, 2)}\n` : renderFleetText(report))
  return report
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
}

/** `phase-gate fleet` from the CLI: progress lines on stderr, a question per wave on a TTY; resolves to the exit code. */
export async function fleetMain(
  inv: CliInvocation,
  io: TtyIo,
  out: (s: string) => void,
  err: (s: string) => void
): Promise<number> {
  const log = streamLogger(line => err(`${line}\n`), { debug: inv.verbose })
  const termination = onTermination(log)
  try {
    const report = await fleetCommand(
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
        signal: termination.signal,
        confirm: io.stdin?.isTTY === true ? q => askTty(q, io) : undefined
      }
    )
    return exitCodeFor(report.verdict, termination.received())
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
