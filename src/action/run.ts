/** The action's main step: inputs → engine → summary, annotations, comment, outputs. */

import * as core from '@actions/core'
import { mkdir, mkdtemp, writeFile, chmod } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { InfraError, UsageError, errorMessage } from '../core/errors.js'
import type { Logger } from '../core/log.js'
import { onSecret, redact } from '../core/secrets.js'
import { onTermination } from '../core/signals.js'
import { runEngine } from '../engine.js'
import { productionDeps } from '../deps.js'
import { collectAnnotations } from '../report/annotations.js'
import { exitCodeFor, exitCodeForReport, isPassing, type RunReport } from '../report/model.js'
import { renderSummary } from '../report/summary.js'
import type { Settings } from '../settings.js'
import { readFleetInputs, readInputs, type FleetInputs } from './inputs.js'
import { runFleetStep, saveFleetRunState } from './fleet.js'
import { createGitHub, gitHubOptionsFromEnv } from '../github/client.js'
import { commentGateResults } from '../github/comment.js'
import { blobUrl } from '../report/comment.js'
import type { GitHub } from '../github/types.js'
import type { LoadedPlan, Plan } from '../plan/types.js'
import { OUTPUT, STATE } from './names.js'
import { startDeploymentStatus } from './deployment-status.js'
import { notifyReport } from '../notify/report-events.js'
import { RECORD_FILES } from '../gates/record.js'
import { problemsFromStrings, renderSarif } from '../report/sarif.js'
import { lintPlan } from '../plan/lint.js'
import { LEVEL_NAMES } from '../rollout/level-registry.js'

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
  const base = join(process.env.RUNNER_TEMP || tmpdir(), 'phase-gate')
  // The record gate writes record.md and record.json beside its report: a directory of their own,
  // so the record's record.json is not this report's name, and one upload takes all three.
  if (settings.gate === 'record') return join(base, 'record', 'report.json')
  const unit = settings.phase ?? settings.tracer ?? settings.stage ?? settings.level
  return join(base, `${settings.gate}${unit ? `-${unit}` : ''}.json`)
}

/** `phase web`, `tracer db`, `reality-check`: the gate and the unit it runs for, as a log group's title. */
function gateLabel(settings: Settings, gate: string): string {
  const unit =
    gate === 'phase'
      ? settings.phase
      : gate === 'tracer'
        ? settings.tracer
        : gate === 'rollout'
          ? settings.stage
          : gate === 'rollback'
            ? settings.level
            : undefined
  return unit ? `${gate} ${unit}` : gate
}

/** The SARIF file beside the report: `<report without .json>.sarif`. */
function sarifPath(reportFile: string): string {
  return reportFile.replace(/\.json$/, '') + '.sarif'
}

/** record.md and record.json, when a record gate of this run wrote them beside the report. */
function recordFiles(
  report: RunReport,
  path: string
): { markdown: string; json: string } | undefined {
  const wrote = report.gates.some(
    g =>
      g.gate === 'record' &&
      g.checks.some(c => c.kind === 'record' && c.target === 'files' && c.verdict === 'pass')
  )
  if (!wrote) return undefined
  return {
    markdown: join(dirname(path), RECORD_FILES.markdown),
    json: join(dirname(path), RECORD_FILES.json)
  }
}

/** The GitHub client for this run, when the runner says which repository it is. */
function connectGitHub(settings: Settings): GitHub | undefined {
  const opts = gitHubOptionsFromEnv(process.env, settings.githubToken)
  if (!opts) return undefined
  try {
    return createGitHub(opts)
  } catch (err) {
    actionLogger.warn(`GitHub context unusable: ${errorMessage(err)}`)
    return undefined
  }
}

/** Updates the sticky PR comment; returns a line for the summary when it could not. */
async function updateComment(
  github: GitHub | undefined,
  settings: Settings,
  report: RunReport,
  plan: Plan
): Promise<string | undefined> {
  if (!settings.comment) return undefined
  if (!github) return 'No PR comment: this run has no GitHub repository context.'
  if (!github.pullNumber) return undefined
  const sha = github.headSha ?? github.sha
  const r = await commentGateResults(github, {
    plan: report.plan,
    target: report.target,
    results: report.gates,
    render: {
      planFile: report.planFile,
      planUrl: sha
        ? blobUrl(github.serverUrl ?? 'https://github.com', github.repo, sha, report.planFile)
        : undefined,
      runUrl: github.runUrl
    },
    indexOf: g => unitIndex(plan, g.gate, g.name),
    log: actionLogger
  })
  return r.ok ? undefined : `The PR comment was not updated: ${r.reason}. The verdict above stands.`
}

/** Position of a phase, tracer, stage or level in the plan, so comment sections keep the plan's order. */
function unitIndex(plan: Plan, gate: string, name?: string): number {
  if (!name) return 0
  const names: Record<string, (string | undefined)[]> = {
    phase: (plan.phases ?? []).map(p => p.name),
    tracer: (plan.tracers ?? []).map(t => t.name),
    rollout: ['infra', ...(plan.rollout?.stages ?? []).map(s => s.name)],
    rollback: LEVEL_NAMES
  }
  return Math.max(0, (names[gate] ?? []).indexOf(name))
}

/** The main step. Only this function calls setFailed. */
export async function run(): Promise<void> {
  onSecret(s => core.setSecret(s))
  let given: Settings
  let fleet: FleetInputs | undefined
  try {
    fleet = readFleetInputs()
    given = await materialiseKubeconfig(readInputs())
  } catch (err) {
    setErrorOutputs()
    core.setFailed(redact(errorMessage(err)))
    process.exitCode = 2
    return
  }
  if (fleet) return runFleetAction(given, fleet)
  // The report's path is known before the gates run: the record gate writes its files beside it.
  const path = given.reportPath ?? reportPath(given)
  const settings: Settings = { ...given, reportPath: path }
  saveRunState(settings)

  const github = connectGitHub(settings)
  const deployment = await startDeploymentStatus(github, settings, actionLogger)
  let report: RunReport
  let loaded: LoadedPlan
  // A cancelled job gets SIGINT then SIGTERM: the first starts cleanup or rollback; the post step finishes it.
  const termination = onTermination(actionLogger)
  try {
    ;({ report, loaded } = await runGates(settings, github, termination))
  } catch (err) {
    await deployment.finish(undefined)
    setErrorOutputs()
    const failure = await reportFailure(err, path)
    core.setFailed(redact(failure.message))
    process.exitCode = failure.exitCode
    return
  } finally {
    termination.dispose()
  }

  await writeReportFiles(report, loaded, path)
  await deployment.finish(report)
  await notifyReport(report, loaded.plan, { log: actionLogger, runUrl: github?.runUrl })
  await publishReport(settings, github, report, loaded.plan, path)
  if (!isPassing(report.verdict)) {
    core.setFailed(redact(failureMessage(settings, report)))
    process.exitCode = exitCodeForReport(report, termination.received())
  }
}

/** `fleet-step`: one step of a fleet release instead of a gate; exit codes as the CLI's. */
async function runFleetAction(settings: Settings, fleet: FleetInputs): Promise<void> {
  const termination = onTermination(actionLogger)
  try {
    await saveFleetRunState(settings, fleet)
    const outcome = await runFleetStep(settings, fleet, actionLogger, termination.signal)
    const code = exitCodeFor(outcome.verdict, termination.received())
    if (code !== 0) {
      core.setFailed(`phase-gate fleet ${fleet.step}: ${outcome.verdict}`)
      process.exitCode = code
    }
  } catch (err) {
    setErrorOutputs()
    const failure = await reportFailure(
      err,
      join(process.env.RUNNER_TEMP || tmpdir(), 'phase-gate', 'fleet', 'error.json')
    )
    core.setFailed(redact(failure.message))
    process.exitCode = failure.exitCode
  } finally {
    termination.dispose()
  }
}

/** The outputs of a run that produced no report. */
function setErrorOutputs(): void {
  core.setOutput(OUTPUT.verdict, 'error')
  core.setOutput(OUTPUT.failed, 'true')
}

/** What the post step needs to clean up after this run. */
function saveRunState(settings: Settings): void {
  core.saveState(STATE.runId, settings.runId)
  core.saveState(STATE.gate, settings.gate)
  core.saveState(STATE.planPath, settings.planPath)
  if (settings.context) core.saveState(STATE.context, settings.context)
}

/** Runs the engine with the runner's log, groups and heartbeat; a received signal cancels the verdict. */
async function runGates(
  settings: Settings,
  github: GitHub | undefined,
  termination: ReturnType<typeof onTermination>
): Promise<{ report: RunReport; loaded: LoadedPlan }> {
  const result = await runEngine(settings, {
    ...productionDeps(settings, actionLogger),
    log: actionLogger,
    github,
    signal: termination.signal,
    // The runner's log has no live line: every wait says it is alive at least every 10 s.
    heartbeat: line => actionLogger.info(line),
    onGate: {
      start: name => core.startGroup(`phase-gate ${gateLabel(settings, name)}`),
      end: () => core.endGroup()
    }
  })
  const report = result.report
  if (termination.received()) report.verdict = 'cancelled'
  core.saveState(STATE.namespace, report.target.namespace)
  core.saveState(STATE.plan, report.plan)
  return { report, loaded: result.loaded }
}

/** The engine threw: an invalid plan is annotated (and its SARIF written) and exits 2, anything else 3. */
async function reportFailure(
  err: unknown,
  path: string
): Promise<{ message: string; exitCode: number }> {
  if (err instanceof UsageError) {
    if (err.problems.length) {
      const sarif = sarifPath(path)
      await mkdir(dirname(sarif), { recursive: true })
      await writeFile(
        sarif,
        `${JSON.stringify(renderSarif({ problems: problemsFromStrings(err.problems) }), null, 2)}\n`
      ).catch(() => undefined)
      core.setOutput(OUTPUT.sarif, sarif)
    }
    for (const p of err.problems) {
      const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(p)
      if (m)
        core.error(redact(m[4]), {
          file: m[1],
          startLine: Number(m[2]),
          startColumn: Number(m[3]),
          title: 'phase-gate: invalid plan'
        })
      else core.error(redact(p))
    }
    return { message: err.message, exitCode: 2 }
  }
  const hint = err instanceof InfraError && err.hint ? ` (${err.hint})` : ''
  return { message: `could not check: ${errorMessage(err)}${hint}`, exitCode: 3 }
}

/** The report JSON and its SARIF beside it. */
async function writeReportFiles(
  report: RunReport,
  loaded: LoadedPlan,
  path: string
): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, redact(`${JSON.stringify(report, null, 2)}\n`))
  // Lint warnings, hygiene and divergence findings for github/codeql-action/upload-sarif.
  const sarif = sarifPath(path)
  await writeFile(
    sarif,
    `${JSON.stringify(renderSarif({ problems: lintPlan(loaded), report }), null, 2)}\n`
  )
  core.setOutput(OUTPUT.sarif, sarif)
}

/** The PR comment, job summary, annotations and outputs from the report. */
async function publishReport(
  settings: Settings,
  github: GitHub | undefined,
  report: RunReport,
  plan: Plan,
  path: string
): Promise<void> {
  const commentNote = await updateComment(github, settings, report, plan)
  await core.summary
    .addRaw(
      renderSummary(report, { reportPath: path }) + (commentNote ? `\n> ${commentNote}\n` : '')
    )
    .write()
  for (const a of collectAnnotations(report)) {
    const props = { title: a.title, file: a.file, startLine: a.line, startColumn: a.column }
    if (a.level === 'error') core.error(redact(a.message), props)
    else core.warning(redact(a.message), props)
  }
  core.setOutput(OUTPUT.verdict, report.verdict)
  core.setOutput(OUTPUT.report, path)
  const record = recordFiles(report, path)
  if (record) {
    core.setOutput(OUTPUT.record, record.markdown)
    core.setOutput(OUTPUT.recordJson, record.json)
  }
  core.setOutput(OUTPUT.failed, isPassing(report.verdict) ? 'false' : 'true')
}

/** The step's failure message: the verdict and the first failing checks. */
function failureMessage(settings: Settings, report: RunReport): string {
  const failedChecks = report.gates.flatMap(g => g.checks).filter(c => !isPassing(c.verdict))
  return `phase-gate ${settings.gate}: ${report.verdict}: ${failedChecks
    .slice(0, 3)
    .map(c => `${c.kind} ${c.target}: ${c.message}`)
    .join('; ')}${failedChecks.length > 3 ? ` (and ${failedChecks.length - 3} more)` : ''}`
}
