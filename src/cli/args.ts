/** CLI flags → the same Settings object the action builds from its inputs. */

import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { parseDuration } from '../core/duration.js'
import { GATE_NAMES } from '../report/model.js'
import { mirrorsFromEnv, type GateSelection, type Settings } from '../settings.js'
import { newRunId } from '../engine.js'
import { parseOverrides } from '../render/overrides.js'

export type Command = 'check' | 'lint' | 'runbook' | 'status' | 'history' | 'help' | 'version'

export interface CliInvocation {
  command: Command
  settings: Settings
  verbose: boolean
  json: boolean
}

export const USAGE = `Usage:
  phase-gate check <plan> --gate <reality-check|tracer|plan|phase|validate|record|rollout|rollback|soak|all>
            [--phase NAME] [--tracer NAME] [--stage NAME] [--level NAME] [--run-id ID]
            [--kubeconfig PATH] [--context NAME] [--namespace NS]
            [--report FILE.json] [--summary FILE.md] [--reports DIR] [--dry-run] [--verbose]
            [--lock-wait DURATION]
            [--image NAME=REF]... [--set PHASE.KEY=VALUE]...
            [--approval-environment NAME]
  phase-gate lint <plan>          schema and reference checks, no cluster
  phase-gate runbook <plan>       the runbook as Markdown
  phase-gate status <plan>        current deployment state and its history
  phase-gate history <plan>       past runs, versions, last known-good

Exit codes: 0 passed (warnings allowed), 1 a gate failed or is inconclusive,
2 the plan or the invocation is invalid, 3 a check could not be made,
130/143 interrupted (SIGINT/SIGTERM).`

const COMMANDS: Command[] = ['check', 'lint', 'runbook', 'status', 'history', 'help', 'version']

/** Parses argv (without node and script); throws UsageError on anything invalid. */
export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd()
): CliInvocation {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        gate: { type: 'string', short: 'g' },
        phase: { type: 'string' },
        tracer: { type: 'string' },
        stage: { type: 'string' },
        level: { type: 'string' },
        'run-id': { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        report: { type: 'string' },
        summary: { type: 'string' },
        reports: { type: 'string' },
        'dry-run': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        workspace: { type: 'string' },
        'lock-wait': { type: 'string' },
        'approval-environment': { type: 'string' },
        image: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' }
      }
    })
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  if (values.version)
    return { command: 'version', settings: emptySettings(cwd), verbose: false, json: false }
  if (values.help || positionals.length === 0)
    return { command: 'help', settings: emptySettings(cwd), verbose: false, json: false }
  const command = positionals[0] as Command
  if (!COMMANDS.includes(command))
    throw new UsageError(`unknown command "${positionals[0]}"\n\n${USAGE}`)
  if (command === 'help' || command === 'version')
    return { command, settings: emptySettings(cwd), verbose: false, json: false }
  const planPath = positionals[1]
  if (!planPath) throw new UsageError(`${command} needs a plan file: phase-gate ${command} <plan>`)
  if (positionals.length > 2)
    throw new UsageError(`unexpected argument "${positionals[2]}"\n\n${USAGE}`)
  let gate: GateSelection = 'reality-check'
  if (command === 'check') {
    if (!values.gate)
      throw new UsageError(`check needs --gate <${[...GATE_NAMES, 'all'].join('|')}>`)
    if (values.gate !== 'all' && !(GATE_NAMES as readonly string[]).includes(values.gate))
      throw new UsageError(
        `unknown gate "${values.gate}"; gates: ${[...GATE_NAMES, 'all'].join(', ')}`
      )
    gate = values.gate as GateSelection
  }
  const runIdGiven = values['run-id'] ?? env.PHASE_GATE_RUN_ID
  if (
    runIdGiven !== undefined &&
    !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(runIdGiven)
  )
    throw new UsageError(
      `--run-id "${runIdGiven}" is not a valid label value (letters, digits, - _ . ; at most 63)`
    )
  const workspace = resolve(cwd, values.workspace ?? env.GITHUB_WORKSPACE ?? cwd)
  return {
    command,
    verbose: values.verbose ?? false,
    json: values.json ?? false,
    settings: {
      gate,
      planPath: resolve(cwd, planPath),
      phase: values.phase,
      tracer: values.tracer,
      stage: values.stage,
      level: values.level,
      runId: runIdGiven ?? newRunId(),
      runIdGiven: runIdGiven !== undefined,
      kubeconfig: values.kubeconfig
        ? { kind: 'path', path: resolve(cwd, values.kubeconfig) }
        : { kind: 'default' },
      context: values.context,
      namespace: values.namespace,
      reportPath: values.report ? resolve(cwd, values.report) : undefined,
      summaryPath: values.summary ? resolve(cwd, values.summary) : undefined,
      reportsDir: values.reports ? resolve(cwd, values.reports) : undefined,
      dryRun: values['dry-run'] ?? false,
      registryAuth: undefined,
      githubToken: undefined,
      comment: false,
      workspace,
      lockWaitMs: lockWait(values['lock-wait']),
      mirrors: mirrorsFromEnv(env),
      approvalEnvironment: values['approval-environment'],
      overrides: parseOverrides(values.image ?? [], values.set ?? [], {
        images: '--image',
        helmSet: '--set'
      })
    }
  }
}

/** `--lock-wait` as milliseconds: how long to wait for another run's lock on the plan and target. */
function lockWait(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDuration(text)
  if (ms === undefined)
    throw new UsageError(`--lock-wait "${text}" is not a duration like 30s or 5m`)
  return ms
}

function emptySettings(cwd: string): Settings {
  return {
    gate: 'reality-check',
    planPath: '',
    runId: '',
    runIdGiven: false,
    kubeconfig: { kind: 'default' },
    dryRun: false,
    comment: false,
    workspace: cwd
  }
}
