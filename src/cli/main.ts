/** The CLI over the engine: `phase-gate check|lint|runbook|status|history`. */

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InfraError, REPORT_BUG, UsageError, errorMessage } from '../core/errors.js'
import { streamLogger } from '../core/log.js'
import { onTermination } from '../core/signals.js'
import { redact } from '../core/secrets.js'
import { runEngine } from '../engine.js'
import { productionDeps } from '../deps.js'
import { exitCodeForReport } from '../report/model.js'
import { colorEnabled } from '../report/style.js'
import { renderSummary } from '../report/summary.js'
import { ProgressLine, renderTerminal } from '../report/terminal.js'
import { VERSION } from '../version.js'
import { USAGE, parseCli } from './args.js'
import { lintPlan } from '../plan/lint.js'
import { loadPlan } from '../plan/loader.js'
import { notifyReport } from '../notify/report-events.js'
import { historyCommand } from './commands/history.js'
import { runbookCommand } from './commands/runbook.js'
import { statusCommand } from './commands/status.js'

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  cwd: string
}

/** Runs the CLI and resolves to its exit code; never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const out = (s: string): void => void io.stdout.write(redact(s))
  const err = (s: string): void => void io.stderr.write(redact(s))
  try {
    const inv = parseCli(argv, io.env, io.cwd)
    switch (inv.command) {
      case 'help':
        out(`${USAGE}\n`)
        return 0
      case 'version':
        out(`phase-gate ${VERSION}\n`)
        return 0
      case 'lint':
        return await lint(inv.settings.planPath, inv.settings.workspace, out, err)
      case 'runbook':
        return await runbookCommand(inv.settings, out, { env: io.env })
      case 'status':
        return await statusCommand(inv.settings, out, { json: inv.json })
      case 'history':
        return await historyCommand(inv.settings, out, { json: inv.json })
      case 'check':
        break
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
  planPath: string,
  workspace: string,
  out: (s: string) => void,
  err: (s: string) => void
): Promise<number> {
  const loaded = await loadPlan(planPath, { workspace })
  const problems = await lintPlan(loaded)
  for (const p of problems)
    err(
      `${p.location.file}:${p.location.line}:${p.location.column}: ${p.severity}: ${p.path}: ${p.message}\n`
    )
  const errors = problems.filter(p => p.severity === 'error').length
  if (errors > 0) {
    err(`${loaded.displayFile}: ${errors} error${errors === 1 ? '' : 's'}\n`)
    return 2
  }
  out(
    `${loaded.displayFile}: ok${problems.length ? ` (${problems.length} warning${problems.length === 1 ? '' : 's'})` : ''}\n`
  )
  return 0
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, redact(text))
}
