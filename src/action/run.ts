/** The action's main step: inputs → engine → summary, annotations, comment, outputs. */

import * as core from '@actions/core'
import { mkdir, mkdtemp, writeFile, chmod } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { InfraError, UsageError, errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { onSecret, redact } from '../core/secrets.js'
import { runEngine } from '../engine.js'
import { productionDeps } from '../deps.js'
import { collectAnnotations } from '../report/annotations.js'
import { exitCodeFor, isPassing, type RunReport } from '../report/model.js'
import { renderSummary } from '../report/summary.js'
import type { Settings } from '../settings.js'
import { readInputs } from './inputs.js'
import { OUTPUT, STATE } from './names.js'

/** Maps the engine's logger onto the runner's log commands. */
export const actionLogger: Logger = {
  debug: m => core.debug(redact(m)),
  info: m => core.info(redact(m)),
  warn: m => core.warning(redact(m)),
  error: m => core.error(redact(m))
}

/** Writes the kubeconfig input to a private temp file (mode 600) the post step removes. */
async function materialiseKubeconfig(settings: Settings): Promise<Settings> {
  if (settings.kubeconfig.kind !== 'content') return settings
  const base = process.env.RUNNER_TEMP || tmpdir()
  const dir = await mkdtemp(join(base, 'phase-gate-'))
  await chmod(dir, 0o700)
  const path = join(dir, 'kubeconfig')
  await writeFile(path, settings.kubeconfig.content, { mode: 0o600 })
  core.saveState(STATE.tempDir, dir)
  core.saveState(STATE.kubeconfigPath, path)
  return { ...settings, kubeconfig: { kind: 'path', path } }
}

/** Where the JSON report goes: a stable path per gate so a workflow can upload it. */
function reportPath(settings: Settings): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  const unit = settings.phase ?? settings.tracer ?? settings.stage ?? settings.level
  return join(base, 'phase-gate', `${settings.gate}${unit ? `-${unit}` : ''}.json`)
}

/** The main step. Only this function calls setFailed. */
export async function run(): Promise<void> {
  onSecret(s => core.setSecret(s))
  let settings: Settings
  try {
    settings = await materialiseKubeconfig(readInputs())
  } catch (err) {
    core.setOutput(OUTPUT.verdict, 'error')
    core.setOutput(OUTPUT.failed, 'true')
    core.setFailed(redact(errorMessage(err)))
    process.exitCode = 2
    return
  }
  core.saveState(STATE.runId, settings.runId)
  core.saveState(STATE.gate, settings.gate)
  core.saveState(STATE.planPath, settings.planPath)
  if (settings.context) core.saveState(STATE.context, settings.context)

  let report: RunReport
  try {
    const result = await runEngine(settings, { ...productionDeps(settings, actionLogger), log: actionLogger })
    report = result.report
    core.saveState(STATE.namespace, report.target.namespace)
    core.saveState(STATE.plan, report.plan)
  } catch (err) {
    core.setOutput(OUTPUT.verdict, 'error')
    core.setOutput(OUTPUT.failed, 'true')
    if (err instanceof UsageError) {
      for (const p of err.problems) {
        const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(p)
        if (m) core.error(redact(m[4]), { file: m[1], startLine: Number(m[2]), startColumn: Number(m[3]), title: 'phase-gate: invalid plan' })
        else core.error(redact(p))
      }
      core.setFailed(redact(err.message))
      process.exitCode = 2
      return
    }
    const hint = err instanceof InfraError && err.hint ? ` (${err.hint})` : ''
    core.setFailed(redact(`could not check: ${errorMessage(err)}${hint}`))
    process.exitCode = 3
    return
  }

  const path = settings.reportPath ?? reportPath(settings)
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, redact(`${JSON.stringify(report, null, 2)}\n`))
  await core.summary.addRaw(renderSummary(report, { reportPath: path })).write()
  for (const a of collectAnnotations(report)) {
    const props = { title: a.title, file: a.file, startLine: a.line, startColumn: a.column }
    if (a.level === 'error') core.error(redact(a.message), props)
    else core.warning(redact(a.message), props)
  }
  core.setOutput(OUTPUT.verdict, report.verdict)
  core.setOutput(OUTPUT.report, path)
  core.setOutput(OUTPUT.failed, isPassing(report.verdict) ? 'false' : 'true')
  if (!isPassing(report.verdict)) {
    const failedChecks = report.gates.flatMap(g => g.checks).filter(c => !isPassing(c.verdict))
    core.setFailed(
      redact(`phase-gate ${settings.gate}: ${report.verdict}: ${failedChecks.slice(0, 3).map(c => `${c.kind} ${c.target}: ${c.message}`).join('; ')}${failedChecks.length > 3 ? ` (and ${failedChecks.length - 3} more)` : ''}`)
    )
    process.exitCode = exitCodeFor(report.verdict)
  }
}
