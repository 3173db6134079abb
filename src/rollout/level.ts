/** What a rollback level gets and returns (below levels.ts and every level's module). */

import type { GateContext } from '../context.js'
import type { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import type { Plan, RollbackLevel, RollbackLevelSpec } from '../plan/types.js'
import type { Verdict } from '../report/model.js'

/** What a level may use. */
export type LevelContext = Pick<
  GateContext,
  'loaded' | 'settings' | 'namespace' | 'runId' | 'exec' | 'clock' | 'log' | 'signal' | 'earlier'
>

/** What one level did. */
export interface LevelOutcome {
  ok: boolean
  /** Overrides the verdict derived from `ok` (a warning worth reading). */
  verdict?: Verdict
  message: string
  evidence?: string
  adjustment?: string
  data?: Record<string, unknown>
}

/** What each level's implementation gets. */
export interface LevelRun {
  ctx: LevelContext
  cluster: Cluster
  spec: RollbackLevelSpec
  record: StateRecord
  /** Clock time the level must be done by (start + budget). */
  deadline: number
}

/** A field of a rollback level's spec that belongs to some level (`level` and `budget` belong to all). */
export type LevelField = Exclude<keyof RollbackLevelSpec, 'level' | 'budget'>

/** One JSON Schema property of `$defs/rollbackLevel` in schemas/plan.schema.json. */
export type SchemaProperty = Readonly<Record<string, unknown>>

/** What a level's runbook lines may use. */
export interface LevelRunbookEnv {
  plan: Plan
  namespace: string
  /** `kubectl [--context C] -n NS`, shell-quoted. */
  kubectl: string
  /** The level's budget. */
  budgetMs: number
  /** `resource/name` of the plan's workloads whose pod template reads any of these `Kind/name` objects. */
  readers(objects: string[]): string[]
}

/** A level's section of the runbook beyond its command: the by-hand commands and notes. */
export interface LevelRunbookLines {
  /** The commands to run by hand when phase-gate cannot run, with the sentence leading into them. */
  byHand?: { why: string; commands: string[] }
  /** Paragraphs (blockquotes) after the commands. */
  notes?: string[]
}

/**
 * A rollback level: everything the rest of phase-gate asks of one level.
 * levels.ts runs any level against its budget and shapes the result;
 * level-registry.ts maps each RollbackLevel to its Level, so a level left
 * out of the registry is a compile error there.
 */
export interface Level<Name extends RollbackLevel = RollbackLevel> {
  /** The level's name, as the plan's `level:` and `--level` give it. */
  name: Name
  /** The budget when the plan gives the level none. */
  defaultBudgetMs: number
  /**
   * The properties this level adds to `$defs/rollbackLevel` (besides `level`
   * and `budget`); the lint warns on any other field given to the level, and
   * __tests__/rollout/level-schema.test.ts fails when schemas/plan.schema.json
   * differs from them.
   */
  schema: { readonly [Field in LevelField]?: SchemaProperty }
  /** What the level is missing to run (a lint error at `rollbackLevels[i]`); undefined when complete. */
  lint(spec: RollbackLevelSpec): string | undefined
  /** Why the level must not run now (a refusal with what to do instead); undefined: run it. */
  refuse?(ctx: LevelContext, record: StateRecord): Promise<LevelOutcome | undefined>
  /** Does the level and verifies that it took effect. */
  run(run: LevelRun): Promise<LevelOutcome>
  /** What the level does: as the plan gate says it ("set …") and as the runbook says it ("sets …"). */
  wording: { plan(spec: RollbackLevelSpec): string; runbook(spec: RollbackLevelSpec): string }
  /** The level's runbook lines. */
  runbook(spec: RollbackLevelSpec, env: LevelRunbookEnv): LevelRunbookLines
}

/** `command`, which both the flag and the code level accept. */
export const COMMAND_PROPERTY: SchemaProperty = {
  title: 'Command',
  description:
    'flag or code: a command that performs this level (an external flag service, a revert-and-deploy).',
  type: 'object',
  required: ['run'],
  properties: {
    run: {
      title: 'Command',
      description: 'The command and its arguments.',
      type: 'array',
      items: { type: 'string' },
      minItems: 1
    },
    shell: { title: 'Shell', description: 'Run through sh -c.', type: 'boolean', default: false }
  },
  additionalProperties: false
}
