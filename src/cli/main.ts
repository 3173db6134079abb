/** The CLI over the engine: `phase-gate check|lint|runbook|status|history`. */

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InfraError, REPORT_BUG, UsageError, errorMessage } from '../core/errors.js'
import { streamLogger } from '../core/log.js'
import { onTermination } from '../core/signals.js'
import { redact } from '../core/secrets.js'
import { createInterface } from 'node:readline/promises'
import { runEngine, type ApprovalQuestion } from '../engine.js'
import { productionDeps } from '../deps.js'
import { exitCodeForReport } from '../report/model.js'
import { colorEnabled } from '../report/style.js'
import { renderSummary } from '../report/summary.js'
import { ProgressLine, renderTerminal } from '../report/terminal.js'
import { VERSION } from '../version.js'
import { helpText, parseCli } from './args.js'
import { lintPlan } from '../plan/lint.js'
import { loadPlan } from '../plan/loader.js'
import { notifyReport } from '../notify/report-events.js'
import { historyCommand } from './commands/history.js'
import { runbookCommand } from './commands/runbook.js'
import { fleetMain } from './commands/fleet.js'
import { fleetClusterTarget } from '../fleet/plan.js'
import { statusCommand } from './commands/status.js'
import { diffCommand } from './commands/diff.js'
import { problemsFromStrings, renderSarif } from '../report/sarif.js'
import type { Settings } from '../settings.js'

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  cwd: string
  /** Where `--gate all` asks for approval; only a TTY is asked. */
  stdin?: NodeJS.ReadStream
}

/** Runs the CLI and resolves to its exit code; never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const out = (s: string): void => void io.stdout.write(redact(s))
  const err = (s: string): void => void io.stderr.write(redact(s))
  let sarifPath: string | undefined
  try {
    const inv = parseCli(argv, io.env, io.cwd)
    if (inv.command === 'check') sarifPath = inv.settings.sarifPath
    switch (inv.command) {
      case 'help':
        out(`${helpText(inv.helpTopic)}\n`)
        return 0
      case 'version':
        out(`phase-gate ${VERSION}\n`)
        return 0
      case 'lint':
        return await lint(inv.settings, out, err, inv.json)
      case 'runbook':
        return await runbookCommand(inv.settings, out, { env: io.env })
      case 'status':
        return await statusCommand(inv.settings, out, { json: inv.json })
      case 'history':
        return await historyCommand(inv.settings, out, { json: inv.json })
      case 'diff':
        return await diffCommand(inv.settings, out, {
          json: inv.json,
          color: io.stdout.isTTY === true && !io.env.NO_COLOR
        })
      case 'fleet':
        return await fleetMain(inv, io, out, err)
      case 'check':
      case 'drift':
        break
    }
    // `--cluster NAME` on a fleet plan: that cluster's context and namespace for the gate.
    if (inv.cluster) {
      const loaded = await loadPlan(inv.settings.planPath, { workspace: inv.settings.workspace })
      const target = fleetClusterTarget(loaded, inv.cluster, inv.settings)
      inv.settings = { ...inv.settings, ...target }
    }
    const progress = new ProgressLine(io.stderr)
    const log = streamLogger(
      line => {
        progress.clear()
        err(`${line}\n`)
      },
      { debug: inv.verbose }
    )
    // The first SIGINT/SIGTERM cancels: a tracer cleans up, a phase rolls back; later ones are logged.
    const termination = onTermination(log)
    try {
      const { report, loaded } = await runEngine(inv.settings, {
        ...productionDeps(inv.settings, log),
        log,
        signal: termination.signal,
        confirm:
          io.stdin?.isTTY === true ? ask => askOnTerminal(ask, io, err, progress) : undefined,
        // Without a TTY there is no live line: a wait says it is alive at least every 10 s instead.
        heartbeat: progress.enabled ? undefined : line => log.info(line),
        progress: e =>
          progress.update(
            `${e.gate}: ${e.activity}${e.total ? ` (${e.done ?? 0}/${e.total})` : ''}`
          )
      })
      progress.clear()
      const signalName = termination.received()
      if (signalName) report.verdict = 'cancelled'
      await notifyReport(report, loaded.plan, { log, env: io.env })
      if (inv.settings.reportPath)
        await writeOut(inv.settings.reportPath, `${JSON.stringify(report, null, 2)}\n`)
      if (inv.settings.summaryPath)
        await writeOut(
          inv.settings.summaryPath,
          renderSummary(report, { reportPath: inv.settings.reportPath })
        )
      if (inv.settings.sarifPath)
        await writeOut(
          inv.settings.sarifPath,
          `${JSON.stringify(renderSarif({ problems: await lintPlan(loaded), report }), null, 2)}\n`
        )
      if (inv.json) out(`${JSON.stringify(report, null, 2)}\n`)
      else
        out(
          renderTerminal(report, {
            color: colorEnabled(io.stdout, io.env),
            verbose: inv.verbose
          })
        )
      const code = exitCodeForReport(report, signalName)
      if (code === 70) err(`phase-gate: internal error: ${REPORT_BUG}\n`)
      return code
    } finally {
      termination.dispose()
    }
  } catch (e) {
    if (e instanceof UsageError) {
      // An invalid plan under `check --sarif` still leaves its problems where code scanning reads them.
      if (sarifPath && e.problems.length)
        await writeOut(
          sarifPath,
          `${JSON.stringify(renderSarif({ problems: problemsFromStrings(e.problems) }), null, 2)}\n`
        ).catch(() => undefined)
      err(`phase-gate: ${e.message}\n`)
      for (const p of e.problems) err(`  ${p}\n`)
      return 2
    }
    if (e instanceof InfraError) {
      err(`phase-gate: could not check: ${e.message}\n`)
      if (e.hint) err(`  → ${e.hint}\n`)
      return 3
    }
    err(`phase-gate: internal error: ${errorMessage(e)}\n  ${REPORT_BUG}\n`)
    return 70
  }
}

async function lint(
  settings: Settings,
  out: (s: string) => void,
  err: (s: string) => void,
  json = false
): Promise<number> {
  const { planPath, workspace } = settings
  let loaded
  try {
    loaded = await loadPlan(planPath, { workspace })
  } catch (e) {
    // A plan that does not load still gets its SARIF: the loader's problems carry file and line.
    if (e instanceof UsageError && settings.sarifPath)
      await writeOut(
        settings.sarifPath,
        `${JSON.stringify(renderSarif({ problems: problemsFromStrings(e.problems) }), null, 2)}\n`
      )
    throw e
  }
  const problems = await lintPlan(loaded)
  if (settings.sarifPath)
    await writeOut(settings.sarifPath, `${JSON.stringify(renderSarif({ problems }), null, 2)}\n`)
  const errors = problems.filter(p => p.severity === 'error').length
  if (json) {
    // The same findings as the text form, one object each, for editors and CI annotations.
    const view = {
      file: loaded.displayFile,
      ok: errors === 0,
      errors,
      warnings: problems.length - errors,
      problems: problems.map(p => ({
        severity: p.severity,
        path: p.path,
        message: p.message,
        file: p.location.file,
        line: p.location.line,
        column: p.location.column
      }))
    }
    out(`${JSON.stringify(view, null, 2)}\n`)
    return errors > 0 ? 2 : 0
  }
  for (const p of problems)
    err(
      `${p.location.file}:${p.location.line}:${p.location.column}: ${p.severity}: ${p.path}: ${p.message}\n`
    )
  if (errors > 0) {
    err(`${loaded.displayFile}: ${errors} error${errors === 1 ? '' : 's'}\n`)
    return 2
  }
  out(
    `${loaded.displayFile}: ok${problems.length ? ` (${problems.length} warning${problems.length === 1 ? '' : 's'})` : ''}\n`
  )
  return 0
}

/** Shows the rendered plan, then asks `Deploy N phases to CONTEXT/NAMESPACE? [y/N]` on the terminal. */
async function askOnTerminal(
  ask: ApprovalQuestion,
  io: CliIo,
  err: (s: string) => void,
  progress: ProgressLine
): Promise<boolean> {
  progress.clear()
  if (ask.planMarkdown) err(`${ask.planMarkdown.trimEnd()}\n\n`)
  const rl = createInterface({ input: io.stdin as NodeJS.ReadStream, output: io.stderr })
  try {
    const answer = await rl.question(`${ask.question} `)
    return /^y(es)?$/i.test(answer.trim())
  } catch {
    return false
  } finally {
    rl.close()
  }
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, redact(text))
}
