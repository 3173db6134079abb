/**
 * CLI flags → the same Settings object the action builds from its inputs.
 *
 * One declarative table (`COMMANDS`) says which flags each command takes,
 * with their type, default, description and examples; the `parseArgs`
 * options, the help text and the did-you-mean suggestions all derive from it,
 * so adding a flag is one entry in its command's `flags`.
 */

import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { parseDuration } from '../core/duration.js'
import { GATE_NAMES } from '../report/model.js'
import { closestMatch } from '../plan/suggest.js'
import { mirrorsFromEnv, type GateSelection, type Settings } from '../settings.js'
import { newRunId } from '../engine.js'
import { parseOverrides } from '../render/overrides.js'
import { LEVEL_NAMES } from '../rollout/level-registry.js'

/** One flag of a command. */
export interface FlagSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Placeholder of a string flag's value in the help (`NAME`, `FILE.json`). */
  value?: string
  /** The default as the help shows it (what applies when the flag is absent). */
  default?: string
  /** The values a string flag accepts; anything else exits 2 with did-you-mean. */
  choices?: readonly string[]
  required?: boolean
  /** A string flag that may be given more than once (`--image a=b --image c=d`). */
  multiple?: boolean
  description: string
}

/** One command: what it does, its arguments, its flags, examples. */
export interface CommandSpec {
  summary: string
  /** Positional arguments after the command, as the help shows them. */
  args: string
  flags: Record<string, FlagSpec>
  examples: string[]
}

const OUTPUT: Record<string, FlagSpec> = {
  output: {
    type: 'string',
    short: 'o',
    value: 'FORMAT',
    choices: ['text', 'json'],
    default: 'text',
    description: 'text for people, json for machines (the result on stdout, nothing else there)'
  },
  json: { type: 'boolean', description: 'same as --output json' }
}

const TARGET: Record<string, FlagSpec> = {
  kubeconfig: {
    type: 'string',
    value: 'PATH',
    default: '$KUBECONFIG, else ~/.kube/config',
    description: 'the kubeconfig file'
  },
  context: {
    type: 'string',
    value: 'NAME',
    default: "the kubeconfig's current context",
    description: 'the kubeconfig context to use'
  },
  namespace: {
    type: 'string',
    short: 'n',
    value: 'NS',
    default: "the plan's target.namespace",
    description: 'the target namespace'
  }
}

const WORKSPACE: Record<string, FlagSpec> = {
  workspace: {
    type: 'string',
    value: 'DIR',
    default: '$GITHUB_WORKSPACE, else the current directory',
    description: 'the repository root that plan paths and manifest globs must stay inside'
  }
}

const SARIF: Record<string, FlagSpec> = {
  sarif: {
    type: 'string',
    value: 'FILE',
    description:
      'write lint errors, hygiene and divergence findings there as SARIF 2.1.0 (for upload-sarif)'
  }
}

const OVERRIDES: Record<string, FlagSpec> = {
  image: {
    type: 'string',
    value: 'NAME=REF',
    multiple: true,
    description:
      'deploy REF (reg/app:tag, :TAG or @DIGEST) wherever the plan or its manifests name image NAME (Kustomize images semantics); repeatable, the same on every gate of a run'
  },
  set: {
    type: 'string',
    value: 'PHASE.KEY=VALUE',
    multiple: true,
    description: "passed to that Helm phase's helm as --set KEY=VALUE; repeatable"
  }
}

/** Where a command that runs gates writes its report and summary. */
const REPORT_FILES: Record<string, FlagSpec> = {
  report: { type: 'string', value: 'FILE.json', description: 'write the JSON report there' },
  summary: { type: 'string', value: 'FILE.md', description: 'write the Markdown summary there' }
}

const RUN_ID: FlagSpec = {
  type: 'string',
  value: 'ID',
  default: '$PHASE_GATE_RUN_ID, else a fresh id (check) or the state record',
  description: 'the run id labelled on every applied object; later gates of one run share it'
}

/** Every command with its flags: the single source of parsing, help and suggestions. */
export const COMMANDS = {
  check: {
    summary: 'run a gate (or all) of a plan against the live cluster',
    args: '<plan>',
    flags: {
      gate: {
        type: 'string',
        short: 'g',
        value: 'GATE',
        choices: [...GATE_NAMES, 'all'],
        required: true,
        description: 'the gate to run'
      },
      cluster: {
        type: 'string',
        value: 'NAME',
        description:
          'for a plan with a fleet: run the gate on that cluster (its context and its namespace override); not with --context or --namespace'
      },
      phase: {
        type: 'string',
        value: 'NAME',
        default: 'every phase, in order',
        description: 'for --gate phase: the phase to apply'
      },
      tracer: {
        type: 'string',
        value: 'NAME',
        default: 'every tracer',
        description: 'for --gate tracer: the tracer to run'
      },
      stage: {
        type: 'string',
        value: 'NAME',
        default: 'every stage, in order',
        description: 'for --gate rollout: the stage to run'
      },
      level: {
        type: 'string',
        value: 'NAME',
        description: `for --gate rollback: the rollback level (${LEVEL_NAMES.join(', ')})`
      },
      'run-id': RUN_ID,
      ...TARGET,
      ...REPORT_FILES,
      reports: {
        type: 'string',
        value: 'DIR',
        description: "for --gate record: the earlier gates' JSON reports"
      },
      'dry-run': {
        type: 'boolean',
        default: 'false',
        description: 'server-side dry-run only: change nothing on the cluster'
      },
      verbose: { type: 'boolean', short: 'v', description: 'debug lines and every check' },
      ...OUTPUT,
      ...WORKSPACE,
      'lock-wait': {
        type: 'string',
        value: 'DURATION',
        default: "the plan's lock.wait, else 5m",
        description: "how long to wait for another run's lock on the same plan and target"
      },
      'approval-environment': {
        type: 'string',
        value: 'NAME',
        default: "the plan's approval.environment, else plan-approval",
        description:
          'for --gate plan: the environment of the job after the plan (the approval point)'
      },
      approve: {
        type: 'boolean',
        default: 'false',
        description:
          'for --gate all: deploy without asking (no human approval; recorded as such). Without a TTY, --gate all stops before the first phase unless given'
      },
      ...SARIF,
      ...OVERRIDES
    },
    examples: [
      'phase-gate check phase-gate.yaml --gate reality-check',
      'phase-gate check phase-gate.yaml --gate all --image app=ghcr.io/acme/app:$GITHUB_SHA',
      'phase-gate check phase-gate.yaml --gate phase --phase database --run-id "$RUN_ID"',
      'phase-gate check phase-gate.yaml --gate all --report out/report.json --output json'
    ]
  },
  fleet: {
    summary:
      "a release over the plan's fleet: wave by wave, each cluster's gates, halt and roll back",
    args: '<plan>',
    flags: {
      wave: {
        type: 'string',
        value: 'NAME',
        default: 'every wave, in order',
        description: 'run only this wave'
      },
      cluster: {
        type: 'string',
        value: 'NAME',
        default: 'every cluster of the waves',
        description: 'run only this cluster (in its wave)'
      },
      approve: {
        type: 'boolean',
        default: 'false',
        description:
          'apply every wave without asking (no human approval; recorded as such). Without a TTY, the release stops before the first wave is applied unless given'
      },
      'run-id': RUN_ID,
      kubeconfig: TARGET.kubeconfig,
      report: {
        type: 'string',
        value: 'FILE.json',
        description: "write the fleet report there (every cluster's gates under its name)"
      },
      summary: {
        type: 'string',
        value: 'FILE.md',
        description: 'write the Markdown summary (cluster × gate) there'
      },
      verbose: { type: 'boolean', short: 'v', description: 'debug lines' },
      ...WORKSPACE,
      list: {
        type: 'boolean',
        description:
          'print the waves in order with their clusters, contexts, maxParallel and soak (with -o json: one JSON object, for a workflow matrix)'
      },
      step: {
        type: 'string',
        value: 'STEP',
        choices: ['check', 'deploy', 'soak', 'rollback', 'record'],
        default: 'the whole release in one process',
        description:
          "run one step of the release (a workflow's job): check (a wave's reality checks), deploy (one cluster of a wave), soak, rollback (--from), record (--from)"
      },
      from: {
        type: 'string',
        value: 'DIR',
        description:
          "for --step rollback and record: the directory of the earlier steps' fleet reports (*.json, searched recursively)"
      },
      'environment-prefix': {
        type: 'string',
        value: 'PREFIX',
        default: 'none: approvers are not looked up',
        description:
          "for --step record: each wave's approval environment is PREFIX+wave; its approvers are read from the GitHub run's approvals (GITHUB_TOKEN)"
      },
      comment: {
        type: 'boolean',
        description:
          'for --step record in a pull request (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH): one sticky PR comment with the cluster × wave table'
      },
      ...OUTPUT,
      ...OVERRIDES
    },
    examples: [
      'phase-gate fleet phase-gate.yaml --approve --report out/fleet.json',
      'phase-gate fleet phase-gate.yaml --wave canary',
      'phase-gate fleet phase-gate.yaml --list -o json',
      'phase-gate fleet phase-gate.yaml --step deploy --wave canary --cluster eu-1 --approve --run-id "$RUN_ID" --report out/eu-1.json',
      'phase-gate fleet phase-gate.yaml --step record --from reports/ --run-id "$RUN_ID" --report out/record.json'
    ]
  },
  lint: {
    summary: 'schema and reference checks of a plan, no cluster',
    args: '<plan>',
    flags: { ...OUTPUT, ...SARIF, ...WORKSPACE },
    examples: ['phase-gate lint phase-gate.yaml', 'phase-gate lint phase-gate.yaml --output json']
  },
  diff: {
    summary: 'what the phases would change: live objects vs a server-side dry run',
    args: '<plan>',
    flags: {
      phase: {
        type: 'string',
        value: 'NAME',
        default: 'every phase',
        description: 'only this phase'
      },
      'run-id': RUN_ID,
      ...TARGET,
      ...OUTPUT,
      ...WORKSPACE
    },
    examples: [
      'phase-gate diff phase-gate.yaml',
      'phase-gate diff phase-gate.yaml --phase web --output json'
    ]
  },
  runbook: {
    summary: 'the runbook as Markdown',
    args: '<plan>',
    flags: {
      reports: {
        type: 'string',
        value: 'DIR',
        description: "earlier gates' JSON reports, for the numbers they measured"
      },
      namespace: TARGET.namespace,
      ...WORKSPACE
    },
    examples: ['phase-gate runbook phase-gate.yaml > RUNBOOK.md']
  },
  status: {
    summary: 'current deployment state and its history',
    args: '<plan>',
    flags: { ...TARGET, ...OUTPUT, ...WORKSPACE },
    examples: ['phase-gate status phase-gate.yaml --context staging']
  },
  history: {
    summary: 'past runs, versions, last known-good',
    args: '<plan>',
    flags: { ...TARGET, ...OUTPUT, ...WORKSPACE },
    examples: ['phase-gate history phase-gate.yaml --output json']
  },
  drift: {
    summary: 'live objects vs what the last successful run applied (same as check --gate drift)',
    args: '<plan>',
    flags: {
      'run-id': RUN_ID,
      ...TARGET,
      ...REPORT_FILES,
      verbose: { type: 'boolean', short: 'v', description: 'debug lines and every check' },
      ...OUTPUT,
      ...WORKSPACE
    },
    examples: ['phase-gate drift phase-gate.yaml', 'phase-gate drift phase-gate.yaml --output json']
  },
  help: {
    summary: "this help, or a command's",
    args: '[command]',
    flags: {},
    examples: ['phase-gate help check']
  },
  version: {
    summary: "phase-gate's version",
    args: '',
    flags: {},
    examples: ['phase-gate --version']
  }
} satisfies Record<string, CommandSpec>

export type Command = keyof typeof COMMANDS

/** Flags every command takes. */
const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show the help of the command' },
  version: { type: 'boolean', description: "print phase-gate's version" }
}

export interface CliInvocation {
  command: Command
  settings: Settings
  verbose: boolean
  json: boolean
  /** For `help`: the command whose help to show. */
  helpTopic?: Command
  /** For `check` on a plan with a fleet: the cluster whose context and namespace the gate uses. */
  cluster?: string
  /** For `fleet`: the wave and cluster selected. */
  fleet?: {
    wave?: string
    cluster?: string
    list?: boolean
    step?: 'check' | 'deploy' | 'soak' | 'rollback' | 'record'
    from?: string
    environmentPrefix?: string
    comment?: boolean
  }
}

const commandNames = Object.keys(COMMANDS) as Command[]

function flagsOf(command: Command): Record<string, FlagSpec> {
  return { ...(COMMANDS[command].flags as Record<string, FlagSpec>), ...GLOBAL_FLAGS }
}

/** The `parseArgs` options: every flag of every command (one name has one meaning everywhere). */
export function parseArgsOptions(): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {}
  for (const command of commandNames)
    for (const [name, flag] of Object.entries(flagsOf(command))) {
      const prev = options[name]
      if (prev && (prev.type !== flag.type || prev.short !== flag.short))
        throw new Error(`flag --${name} is declared twice with different types or short names`)
      options[name] = {
        type: flag.type,
        ...(flag.short ? { short: flag.short } : {}),
        ...(flag.multiple ? { multiple: true } : {})
      }
    }
  return options
}

function flagLabel(name: string, flag: FlagSpec): string {
  return `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}${flag.multiple ? ' ...' : ''}`
}

/** The help of one command, or the overview. */
export function helpText(command?: Command): string {
  if (!command) {
    const width = Math.max(...commandNames.map(c => `${c} ${COMMANDS[c].args}`.length))
    return [
      'Usage: phase-gate <command> [arguments] [flags]',
      '',
      'Commands:',
      ...commandNames.map(
        c => `  ${`${c} ${COMMANDS[c].args}`.padEnd(width)}  ${COMMANDS[c].summary}`
      ),
      '',
      'Run phase-gate help <command> (or phase-gate <command> --help) for its flags and examples.',
      '',
      EXIT_CODES
    ].join('\n')
  }
  const spec: CommandSpec = COMMANDS[command]
  const flags = Object.entries(flagsOf(command))
  const width = Math.max(...flags.map(([n, f]) => flagLabel(n, f).length))
  const required = flags
    .filter(([, f]) => f.required)
    .map(([n, f]) => ` --${n} ${f.value ?? 'VALUE'}`)
    .join('')
  const lines = [
    `Usage: phase-gate ${command}${spec.args ? ` ${spec.args}` : ''}${required} [flags]`,
    '',
    `  ${spec.summary}`,
    '',
    'Flags:'
  ]
  for (const [name, flag] of flags) {
    const notes: string[] = []
    if (flag.choices) notes.push(`one of ${flag.choices.join(', ')}`)
    if (flag.required) notes.push('required')
    if (flag.default) notes.push(`default: ${flag.default}`)
    lines.push(
      `  ${flagLabel(name, flag).padEnd(width)}  ${flag.description}${notes.length ? ` (${notes.join('; ')})` : ''}`
    )
  }
  lines.push('', 'Examples:', ...spec.examples.map(e => `  ${e}`))
  if (command === 'check') lines.push('', EXIT_CODES)
  return lines.join('\n')
}

const EXIT_CODES = `Exit codes: 0 passed (warnings allowed), 1 a gate failed or is inconclusive,
2 the plan or the invocation is invalid, 3 a check could not be made,
130/143 interrupted (SIGINT/SIGTERM).`

/** The overview help; kept for callers that print the usage. */
export const USAGE = helpText()

function suggestion(word: string, candidates: Iterable<string>, prefix = ''): string {
  const near = closestMatch(word, candidates)
  return near ? `; did you mean ${prefix}${near}?` : ''
}

function unknownCommand(word: string): UsageError {
  return new UsageError(
    `unknown command "${word}"${suggestion(word, commandNames)}\n  commands: ${commandNames.join(', ')}; run phase-gate help`
  )
}

/** Parses argv (without node and script); throws UsageError on anything invalid. */
export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd()
): CliInvocation {
  const { values, positionals, tokens } = tokenize(argv)
  const early = routeWithoutPlan(values, positionals, cwd)
  if (early) return early
  const command = positionals[0] as Command
  checkFlags(command, values, tokens)
  return invocationOf(command, values, positionals, env, cwd)
}

type Parsed = ReturnType<typeof tokenize>
type Values = Parsed['values']

/** Runs `parseArgs` over the flag table; its errors become UsageErrors in the table's words. */
function tokenize(argv: string[]) {
  const firstWord = argv.find(a => !a.startsWith('-'))
  const guess = commandNames.find(c => c === firstWord)
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: parseArgsOptions()
    })
  } catch (err) {
    const message = (err as Error).message
    const code = (err as { code?: string }).code
    const flag = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      if (firstWord !== undefined && guess === undefined) throw unknownCommand(firstWord)
      const known = Object.keys(flagsOf(guess ?? 'help'))
      const name = flag.replace(/^-+/, '')
      throw new UsageError(
        `unknown flag ${flag}${guess ? ` for ${guess}` : ''}${suggestion(name, known, '--')}\n  run phase-gate help${guess ? ` ${guess}` : ''} for the flags`
      )
    }
    throw new UsageError(
      `${message.split('. ')[0]}\n  run phase-gate help${guess ? ` ${guess}` : ''} for the flags`
    )
  }
}

/** `help`, `version` and `--help`/`--version` need no plan: their invocation, or undefined. */
function routeWithoutPlan(
  values: Values,
  positionals: string[],
  cwd: string
): CliInvocation | undefined {
  const empty = (command: Command, helpTopic?: Command): CliInvocation => ({
    command,
    settings: emptySettings(cwd),
    verbose: false,
    json: false,
    helpTopic
  })
  if (positionals.length === 0) return values.version ? empty('version') : empty('help')
  const word = positionals[0]
  if (!(commandNames as string[]).includes(word)) throw unknownCommand(word)
  const command = word as Command
  if (command === 'help') {
    const topic = positionals[1]
    if (topic === undefined) return empty('help')
    if (!(commandNames as string[]).includes(topic)) throw unknownCommand(topic)
    return empty('help', topic as Command)
  }
  if (values.help) return empty('help', command)
  if (command === 'version' || values.version) return empty('version')
  return undefined
}

/** Every flag given belongs to the command, every required one is there, every choice is known. */
function checkFlags(command: Command, values: Values, tokens: Parsed['tokens']): void {
  const flags = flagsOf(command)
  for (const token of tokens) {
    if (token.kind !== 'option' || flags[token.name]) continue
    throw new UsageError(
      `${token.rawName} is not a flag of ${command}${suggestion(token.name, Object.keys(flags), '--')}\n  run phase-gate help ${command} for its flags`
    )
  }
  for (const [name, flag] of Object.entries(flags)) {
    const value = values[name]
    if (flag.required && value === undefined)
      throw new UsageError(
        `${command} needs --${name} <${flag.choices?.join('|') ?? flag.value ?? 'VALUE'}>`
      )
    if (flag.choices && typeof value === 'string' && !flag.choices.includes(value))
      throw new UsageError(
        `unknown ${name} "${value}"${suggestion(value, flag.choices)}; ${name}s: ${flag.choices.join(', ')}`
      )
  }
}

/** The plan argument, the run id and the flags → the invocation with its Settings. */
function invocationOf(
  command: Command,
  values: Values,
  positionals: string[],
  env: NodeJS.ProcessEnv,
  cwd: string
): CliInvocation {
  const str = (name: string): string | undefined => {
    const v = values[name]
    return typeof v === 'string' ? v : undefined
  }
  const bool = (name: string): boolean => values[name] === true
  const strings = (name: string): string[] => {
    const v = values[name]
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  }

  const planPath = positionals[1]
  if (!planPath) throw new UsageError(`${command} needs a plan file: phase-gate ${command} <plan>`)
  if (positionals.length > 2)
    throw new UsageError(
      `unexpected argument "${positionals[2]}"\n  run phase-gate help ${command} for its usage`
    )
  // `drift <plan>` is `check <plan> --gate drift`.
  const gate: GateSelection =
    command === 'check'
      ? (str('gate') as GateSelection)
      : command === 'drift'
        ? 'drift'
        : 'reality-check'
  const runIdGiven = runIdOf(str('run-id') ?? env.PHASE_GATE_RUN_ID)
  const workspace = resolve(cwd, str('workspace') ?? env.GITHUB_WORKSPACE ?? cwd)
  const kubeconfig = str('kubeconfig')
  const report = str('report')
  const summary = str('summary')
  const reports = str('reports')
  return {
    command,
    ...(command === 'check' && str('cluster') ? { cluster: str('cluster') } : {}),
    ...(command === 'fleet'
      ? {
          fleet: {
            wave: str('wave'),
            cluster: str('cluster'),
            list: bool('list'),
            step: str('step') as NonNullable<CliInvocation['fleet']>['step'],
            from: str('from') ? resolve(cwd, str('from') as string) : undefined,
            environmentPrefix: str('environment-prefix'),
            comment: bool('comment')
          }
        }
      : {}),
    verbose: bool('verbose'),
    json: bool('json') || str('output') === 'json',
    settings: {
      gate,
      planPath: resolve(cwd, planPath),
      phase: str('phase'),
      tracer: str('tracer'),
      stage: str('stage'),
      level: str('level'),
      runId: runIdGiven ?? newRunId(),
      runIdGiven: runIdGiven !== undefined,
      kubeconfig: kubeconfigSource(cwd, kubeconfig),
      context: str('context'),
      namespace: str('namespace'),
      reportPath: report ? resolve(cwd, report) : undefined,
      summaryPath: summary ? resolve(cwd, summary) : undefined,
      reportsDir: reports ? resolve(cwd, reports) : undefined,
      dryRun: bool('dry-run'),
      registryAuth: undefined,
      githubToken: undefined,
      comment: false,
      workspace,
      lockWaitMs: lockWait(str('lock-wait')),
      mirrors: mirrorsFromEnv(env),
      approvalEnvironment: str('approval-environment'),
      approve: bool('approve'),
      sarifPath: str('sarif') ? resolve(cwd, str('sarif') as string) : undefined,
      overrides: parseOverrides(strings('image'), strings('set'), {
        images: '--image',
        helmSet: '--set'
      })
    }
  }
}

/** A given run id must be a label value (it labels the run's objects). */
function runIdOf(runIdGiven: string | undefined): string | undefined {
  if (
    runIdGiven !== undefined &&
    !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(runIdGiven)
  )
    throw new UsageError(
      `--run-id "${runIdGiven}" is not a valid label value (letters, digits, - _ . ; at most 63)`
    )
  return runIdGiven
}

function kubeconfigSource(cwd: string, path: string | undefined): Settings['kubeconfig'] {
  return path ? { kind: 'path', path: resolve(cwd, path) } : { kind: 'default' }
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
