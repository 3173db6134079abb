/**
 * Plan checks the schema cannot express: unique names, references between
 * sections (rollbackIf metrics, rollback levels), stage order, durations,
 * paths that must stay inside the repository, rollback level targets, CEL
 * and (cheaply) PromQL. No cluster is needed: this is `phase-gate lint`.
 */

import { existsSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { CelError } from '../cel/cel-error.js'
import { compileCached } from '../cel/criteria.js'
import { expectationToCel, triggerToCel } from '../cel/shorthand.js'
import { parseDuration } from '../core/duration.js'
import { UsageError, errorMessage } from '../core/errors.js'
import type { SourceLocation } from '../report/model.js'
import { phaseBudgetMs } from './budgets.js'
import { checkJudge } from './lint-judge.js'
import { checkFleet } from './lint-fleet.js'
import { hasDown } from './migration.js'
import { formatFieldPath } from './loader.js'
import { isPlainObject, typedFields, type PathSegment, type TypedField } from './schema.js'
import { didYouMean } from './suggest.js'
import { globSync } from './glob.js'
import { SEED_THRESHOLDS, seedTriggers, splitTiers } from '../metrics/tiers.js'
import type { CheckSpec, LoadedPlan, Plan, RollbackLevelSpec, RollbackTrigger } from './types.js'
import { KUSTOMIZATION_FILES } from '../render/kustomize.js'
import { promqlProblem } from './promql.js'
import { LEVELS } from '../rollout/level-registry.js'

/** One lint finding, located in the plan file. */
export interface Problem {
  severity: 'error' | 'warning'
  location: SourceLocation
  /** Dotted field path, e.g. `rollout.rollbackIf[1].metric`. */
  path: string
  message: string
}

/** Variables an expression may use, by where it appears. */
export type CelContext =
  /** Tracer success criteria: `object`. */
  | 'object'
  /** Hygiene rules: `object`, `params` and `variables` (src/hygiene/variables.ts). */
  | 'hygiene'
  /** HTTP check expectations: `status`, `headers`, `body`, `json` (as src/checks/http.ts binds them). */
  | 'http'
  /** Metric expectations and rollback triggers: `value` and `baseline`. */
  | 'value'

/** Compiles (parses and type-checks) a CEL expression; throws, ideally a CelError with its position, when it is invalid. */
export type CelCompiler = (source: string, context: CelContext) => void

/** Options of lintPlan. */
export interface LintOptions {
  /** CEL compiler; default the project's CEL environment (src/cel) with CEL_VARS. */
  compileCel?: CelCompiler
  /** Check paths and globs against the filesystem (default true). */
  checkFiles?: boolean
}

/** Variables bound in each expression context, for the CEL environment. */
export const CEL_VARS: Readonly<Record<CelContext, readonly string[]>> = {
  object: ['object'],
  hygiene: ['object', 'params', 'variables'],
  http: ['status', 'headers', 'body', 'json'],
  value: ['value', 'baseline']
}

/** The project's CEL environment, as the gates will compile the same expressions. */
export const compileWithProjectCel: CelCompiler = (source, context) => {
  // Hygiene rules compile as a ValidatingAdmissionPolicy compiles them (src/hygiene/engine.ts).
  compileCached(source, CEL_VARS[context], { mixedArithmetic: context !== 'hygiene' })
}

/** All lint problems of a loaded plan, in file order; errors make `phase-gate lint` exit 2. */
export function lintPlan(loaded: LoadedPlan, opts: LintOptions = {}): Problem[] {
  const ctx = new LintContext(loaded)
  const { plan } = loaded
  const fields = typedFields(plan)

  checkUniqueNames(ctx, plan)
  checkStages(ctx, plan)
  checkRollout(ctx, plan)
  checkJudge(ctx, plan)
  checkFleet(ctx, plan)
  checkTracers(ctx, plan)
  checkPhases(ctx, plan)
  checkPhaseChoices(ctx, plan)
  checkRollbackLevels(ctx, plan)
  checkChecks(ctx, plan)
  checkNotify(ctx, plan)
  checkDurations(ctx, plan, fields)
  checkPromql(ctx, fields)
  checkCel(ctx, plan, fields, opts.compileCel ?? compileWithProjectCel)
  if (opts.checkFiles !== false) checkPaths(ctx, loaded, fields)

  return ctx.problems.sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column
  )
}

/** A problem as one line: `file:line:col: path: message` (warnings say so after the path). */
export function formatProblem(p: Problem): string {
  const { file, line, column } = p.location
  const prefix = p.severity === 'warning' ? 'warning: ' : ''
  return `${file}:${line}:${column}: ${p.path}: ${prefix}${p.message}`
}

/** Throws UsageError (exit 2) when any problem is an error; warnings pass. */
export function assertNoLintErrors(loaded: LoadedPlan, problems: Problem[]): void {
  const errors = problems.filter(p => p.severity === 'error')
  if (errors.length === 0) return
  throw new UsageError(
    `${loaded.displayFile}: the plan has ${errors.length} lint error${errors.length === 1 ? '' : 's'}`,
    errors.map(formatProblem)
  )
}

class LintContext {
  readonly problems: Problem[] = []
  constructor(readonly loaded: LoadedPlan) {}

  add(severity: Problem['severity'], p: PathSegment[], message: string): void {
    const location = this.loaded.locate(p)
    this.problems.push({ severity, location, path: formatFieldPath(p), message })
  }
  error(p: PathSegment[], message: string): void {
    this.add('error', p, message)
  }
  warn(p: PathSegment[], message: string): void {
    this.add('warning', p, message)
  }
  line(p: PathSegment[]): number {
    return this.loaded.locate(p).line
  }
}

function checkUniqueNames(ctx: LintContext, plan: Plan): void {
  const lists: { what: string; base: PathSegment[]; items: unknown[] | undefined; key: string }[] =
    [
      { what: 'tracer name', base: ['tracers'], items: plan.tracers, key: 'name' },
      { what: 'phase name', base: ['phases'], items: plan.phases, key: 'name' },
      { what: 'stage name', base: ['rollout', 'stages'], items: plan.rollout?.stages, key: 'name' },
      {
        what: 'rollback level',
        base: ['rollbackLevels'],
        items: plan.rollbackLevels,
        key: 'level'
      },
      {
        what: 'hygiene rule id',
        base: ['hygiene', 'rules'],
        items: plan.hygiene?.rules,
        key: 'id'
      },
      { what: 'notification name', base: ['notify'], items: plan.notify, key: 'name' }
    ]
  for (const { what, base, items, key } of lists) {
    const first = new Map<string, number>()
    ;(items ?? []).forEach((item, i) => {
      const value = isPlainObject(item) ? item[key] : undefined
      if (typeof value !== 'string') return
      const earlier = first.get(value)
      if (earlier === undefined) {
        first.set(value, i)
        return
      }
      const other = [...base, earlier, key]
      ctx.error(
        [...base, i, key],
        `duplicate ${what} "${value}" (also ${formatFieldPath(other)} at line ${ctx.line(other)})`
      )
    })
  }
}

function checkStages(ctx: LintContext, plan: Plan): void {
  const stages = plan.rollout?.stages ?? []
  let previous: number | undefined
  stages.forEach((stage, i) => {
    const p: PathSegment[] = ['rollout', 'stages', i, 'weight']
    if (stage.weight < 0 || stage.weight > 100) {
      ctx.error(p, `weight must be between 0 and 100, got ${stage.weight}`)
    } else if (previous !== undefined && stage.weight <= previous) {
      ctx.error(
        p,
        `weights must increase from stage to stage: ${stage.weight} is not above ${previous} (rollout.stages[${i - 1}])`
      )
    }
    previous = stage.weight
  })
  const last = stages[stages.length - 1]
  if (last && last.weight !== 100) {
    ctx.error(
      ['rollout', 'stages', stages.length - 1, 'weight'],
      `the last stage must take the canary to 100, got ${last.weight}`
    )
  }
}

function checkRollout(ctx: LintContext, plan: Plan): void {
  const rollout = plan.rollout
  if (!rollout) return
  const metrics = rollout.metrics ?? {}
  const queries = Object.keys(metrics).filter(k => k !== 'prometheus')

  if (rollout.canary && sameWorkload(rollout.canary, rollout.target)) {
    ctx.error(['rollout', 'canary'], 'the canary is the same workload as the target (stable)')
  }
  if (
    queries.length > 0 &&
    rollout.metrics?.prometheus === undefined &&
    plan.prometheus === undefined
  ) {
    // Settings may still supply one, so this only warns.
    ctx.warn(
      ['rollout', 'metrics'],
      'no Prometheus in the plan: set `prometheus` at the top level or under rollout.metrics, or in the settings'
    )
  }
  for (const name of queries) {
    const query = metrics[name]
    if (typeof query === 'string' && !query.includes('{{track}}')) {
      ctx.warn(
        ['rollout', 'metrics', name],
        'the query has no {{track}}: canary and baseline (stable) read the same series'
      )
    }
  }
  if (
    (rollout.rollbackIf ?? []).some(t => t.metric !== undefined) &&
    metrics.requests === undefined
  ) {
    ctx.warn(
      ['rollout', 'metrics'],
      'no `requests` query: zero canary traffic cannot be told apart from missing data'
    )
  }

  ;(rollout.rollbackIf ?? []).forEach((trigger, i) =>
    checkTrigger(ctx, ['rollout', 'rollbackIf', i], trigger, queries)
  )
  ;(rollout.stages ?? []).forEach((stage, s) =>
    (stage.rollbackIf ?? []).forEach((trigger, i) =>
      checkTrigger(ctx, ['rollout', 'stages', s, 'rollbackIf', i], trigger, queries)
    )
  )
  checkRolloutHasTriggers(ctx, rollout)

  checkLevelReference(ctx, plan, ['rollout', 'onTrigger'], rollout.onTrigger)
  checkLevelReference(ctx, plan, ['soak', 'onDegraded'], plan.soak?.onDegraded)
  const sustained = plan.soak?.sustained
  if (sustained && sustained.samples > sustained.of) {
    ctx.error(
      ['soak', 'sustained', 'samples'],
      `samples (${sustained.samples}) cannot exceed of (${sustained.of})`
    )
  }
}

/**
 * A rollout must have a trigger: without one every stage promotes on hold
 * time alone. `rollout.rollbackIf`, a stage's own `rollbackIf`, a judge or
 * the seed defaults for the metrics the plan names all count.
 */
function checkRolloutHasTriggers(ctx: LintContext, rollout: NonNullable<Plan['rollout']>): void {
  const written =
    (rollout.rollbackIf ?? []).length > 0 ||
    (rollout.stages ?? []).some(s => (s.rollbackIf ?? []).length > 0)
  const seeded = seedTriggers(rollout, []).length
  if (rollout.defaults === 'seed' && seeded === 0)
    ctx.warn(
      ['rollout', 'defaults'],
      `defaults: seed applies to none of the metrics under rollout.metrics (it covers ${SEED_THRESHOLDS.map(t => t.metric).join(', ')})`
    )
  // A statistical judge also decides each stage: with one, the stages do not promote on hold time alone.
  const judged = (rollout.judge ?? []).length > 0
  if (written || seeded > 0 || judged) return
  ctx.error(
    ['rollout'],
    'the rollout has no rollbackIf: every stage would promote on hold time alone; add rollout.rollbackIf (e.g. {metric: errorRate, above: 2x baseline}), a stage rollbackIf, a judge, or defaults: seed with the metrics named'
  )
}

/** One trigger of `rollout.rollbackIf` or a stage's `rollbackIf`. */
function checkTrigger(
  ctx: LintContext,
  p: PathSegment[],
  trigger: RollbackTrigger,
  queries: string[]
): void {
  {
    const judged = ['above', 'below', 'cel', 'warn', 'fail'].filter(k => k in trigger)
    checkTiers(ctx, p, trigger)
    if (trigger.resource !== undefined) {
      checkResourceTrigger(ctx, p, trigger, judged)
    } else if (trigger.metric !== undefined) {
      if (trigger.metric === 'prometheus' || !queries.includes(trigger.metric)) {
        const defined = queries.length > 0 ? `; defined: ${queries.join(', ')}` : ''
        ctx.error(
          [...p, 'metric'],
          `metric "${trigger.metric}" is not defined under rollout.metrics${didYouMean(trigger.metric, queries)}${defined}`
        )
      }
      if (judged.length === 0 && trigger.noDataFor === undefined) {
        ctx.error(p, `a trigger on metric "${trigger.metric}" needs above, below or cel`)
      }
    } else if (judged.length > 0) {
      ctx.error(p, `${judged.join(' and ')} needs a metric to judge`)
    } else if (trigger.noDataFor === undefined) {
      ctx.error(p, 'a trigger needs a metric (with above, below or cel) or noDataFor')
    }
    if (trigger.samples !== undefined && trigger.of !== undefined && trigger.samples > trigger.of) {
      ctx.error([...p, 'samples'], `samples (${trigger.samples}) cannot exceed of (${trigger.of})`)
    }
  }
}

/** A plain threshold as a number to compare tiers (2% → 0.02, 5s → 5); undefined for baseline multiples. */
function thresholdNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return v
  const pct = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$/.exec(v)
  if (pct) return Number(pct[1]) / 100
  if (/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v)
  const ms = parseDuration(v.trim())
  return ms !== undefined ? ms / 1000 : undefined
}

/** `warn:` and `fail:` tiers of a trigger or a metric check. */
function checkTiers(
  ctx: LintContext,
  p: PathSegment[],
  t: { warn?: string | number; fail?: string | number; above?: string | number }
): void {
  if (t.fail !== undefined && t.above !== undefined)
    ctx.error(
      [...p, 'fail'],
      'give fail or above, not both: fail is the fail tier (above it the canary rolls back)'
    )
  if (t.warn === undefined) return
  const warn = thresholdNumber(t.warn)
  const failAt = t.fail ?? t.above
  const fail = failAt !== undefined ? thresholdNumber(failAt) : undefined
  if (warn !== undefined && fail !== undefined && warn >= fail)
    ctx.error(
      [...p, 'warn'],
      `the warn tier (${String(t.warn)}) must be below the fail tier (${String(failAt)}), or it never warns before failing`
    )
}

function sameWorkload(
  a: { kind: string; name: string },
  b: { kind: string; name: string }
): boolean {
  return a.kind === b.kind && a.name === b.name
}

// A trigger on the canary's share of its limits: no metric beside it, a threshold, and no baseline
// (the stable track's share is not read); a bare number above 1 is almost surely a percentage.
function checkResourceTrigger(
  ctx: LintContext,
  p: PathSegment[],
  trigger: RollbackTrigger,
  judged: string[]
): void {
  if (trigger.metric !== undefined)
    ctx.error(
      p,
      `give either metric or resource, not both: resource: ${trigger.resource} judges the canary's share of its limits`
    )
  if (judged.length === 0 && trigger.noDataFor === undefined)
    ctx.error(
      p,
      `a trigger on resource "${trigger.resource}" needs above, below or cel (e.g. above: 80%)`
    )
  for (const k of ['above', 'below'] as const) {
    const v = trigger[k]
    if (v === undefined) continue
    if (/baseline/.test(String(v)))
      ctx.error(
        [...p, k],
        `${k}: ${String(v)}: a resource trigger has no baseline; give a share of the limits like 80%`
      )
    else if (typeof v === 'number' && v > 1)
      ctx.warn(
        [...p, k],
        `${k}: ${v} is ${v * 100} % of the limits; write ${v}% if you meant a percentage`
      )
  }
  if (trigger.cel !== undefined && /\bbaseline\b/.test(trigger.cel))
    ctx.error(
      [...p, 'cel'],
      'a resource trigger has no baseline; its cel sees only `value` (the highest share of a limit)'
    )
}

function checkLevelReference(
  ctx: LintContext,
  plan: Plan,
  p: PathSegment[],
  level: string | undefined
): void {
  if (level === undefined || level === 'none') return
  if (!(plan.rollbackLevels ?? []).some(l => l.level === level)) {
    ctx.error(p, `rollback level "${level}" is not defined under rollbackLevels`)
  }
}

function checkTracers(ctx: LintContext, plan: Plan): void {
  ;(plan.tracers ?? []).forEach((tracer, i) => {
    const p: PathSegment[] = ['tracers', i, 'manifest']
    const { file, inline } = tracer.manifest
    if ((file === undefined) === (inline === undefined)) {
      ctx.error(p, 'expected exactly one of file or inline')
      return
    }
    if (inline !== undefined) {
      const message = inlineManifestProblem(inline)
      if (message) ctx.error([...p, 'inline'], message)
    }
  })
}

function inlineManifestProblem(text: string): string | undefined {
  const docs = parseAllDocuments(text).filter(d => d.contents !== null)
  if (docs.length !== 1) return `expected one object in the inline manifest, found ${docs.length}`
  const [doc] = docs
  if (doc.errors.length > 0) {
    // Parser messages end in " at line L, column C:" and a code frame; the line is enough.
    const first = doc.errors[0].message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    return `the inline manifest is not valid YAML: ${first}`
  }
  let object: unknown
  try {
    object = doc.toJS({ maxAliasCount: 0 })
  } catch (err) {
    return `the inline manifest cannot be read: ${errorMessage(err)}`
  }
  if (!isPlainObject(object)) return 'the inline manifest must be a mapping (a Kubernetes object)'
  const missing = ['apiVersion', 'kind'].filter(k => typeof object[k] !== 'string')
  const name = isPlainObject(object.metadata) ? object.metadata.name : undefined
  if (
    typeof name !== 'string' &&
    !(isPlainObject(object.metadata) && 'generateName' in object.metadata)
  ) {
    missing.push('metadata.name')
  }
  return missing.length > 0 ? `the inline manifest lacks ${missing.join(', ')}` : undefined
}

function checkPhases(ctx: LintContext, plan: Plan): void {
  ;(plan.phases ?? []).forEach((phase, i) => {
    const p: PathSegment[] = ['phases', i]
    if ((phase.validate ?? []).length === 0)
      ctx.warn(
        p,
        `phase "${phase.name}" has no validate: the implicit "every applied object is Current" is its only criterion; add checks (http, metric, command ...) that prove it works`
      )
    if ((phase.apply ?? []).length === 0 && !phase.kustomize && !phase.helm && !phase.migration) {
      ctx.warn(p, `phase "${phase.name}" applies nothing (no apply, kustomize, helm or migration)`)
    }
    if (phase.kustomize !== undefined && (phase.apply !== undefined || phase.helm !== undefined))
      ctx.error(
        [...p, 'kustomize'],
        `phase "${phase.name}" gives kustomize and ${phase.helm ? 'helm' : 'apply'}: a phase applies one of them; split it into two phases`
      )
    if (phase.forceConflicts !== undefined && phase.helm !== undefined)
      ctx.warn(
        [...p, 'forceConflicts'],
        'forceConflicts applies to apply: and kustomize: phases; helm applies a release its own way'
      )
    ;(phase.rollback ?? []).forEach((action, j) => {
      if ('helm' in action && !phase.helm) {
        ctx.error(
          [...p, 'rollback', j, 'helm'],
          `helm: rollback needs a phase with a helm release; phase "${phase.name}" has none`
        )
      }
    })
    const timeout = parseDuration(phase.timeout)
    if (timeout !== undefined && isDuration(phase.budget ?? plan.budgets?.phase)) {
      const budget = phaseBudgetMs(plan, phase)
      if (timeout > budget) {
        ctx.warn(
          [...p, 'timeout'],
          `the timeout (${phase.timeout}) is longer than the phase budget (${formatMinutes(budget)})`
        )
      }
    }
  })
}

/** onFailure, phase migrations, the implementation budget and approval by timer: what each costs. */
function checkPhaseChoices(ctx: LintContext, plan: Plan): void {
  ;(plan.phases ?? []).forEach((phase, i) => {
    const p: PathSegment[] = ['phases', i]
    if (phase.helm && phase.onFailure === 'stop')
      ctx.warn(
        [...p, 'onFailure'],
        `onFailure: stop is not supported on Helm phases yet: phase "${phase.name}" is rolled back on failure`
      )
    if (phase.helm && phase.migration)
      ctx.warn(
        [...p, 'migration'],
        `the migration of a Helm phase is not run by phase-gate (only apply phases run up and down); run it from the chart's hooks`
      )
    if (phase.migration && !hasDown(phase.migration))
      ctx.warn(
        [...p, 'migration'],
        `the migration of phase "${phase.name}" has no down: rolling the phase back leaves the schema migrated, and code rollback is refused after it`
      )
  })
  const implementation = parseDuration(plan.budgets?.implementation)
  if (implementation !== undefined) {
    const longest = (plan.phases ?? []).reduce(
      (max, ph) => Math.max(max, parseDuration(ph.timeout) ?? 0),
      0
    )
    if (longest > implementation)
      ctx.warn(
        ['budgets', 'implementation'],
        `budgets.implementation (${formatMinutes(implementation)}) is shorter than the longest phase timeout (${formatMinutes(longest)}): the run stops before that phase may time out`
      )
  }
  if (plan.approval?.allowWaitTimer === true)
    ctx.warn(
      ['approval', 'allowWaitTimer'],
      'a wait timer alone counts as the approval point: the deployment goes on when it runs out, without a person approving'
    )
}

function isDuration(text: string | undefined): boolean {
  return text === undefined || parseDuration(text) !== undefined
}

function formatMinutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`
}

function checkRollbackLevels(ctx: LintContext, plan: Plan): void {
  ;(plan.rollbackLevels ?? []).forEach((spec, i) => {
    const p: PathSegment[] = ['rollbackLevels', i]
    const level = LEVELS[spec.level]
    const missing = level.lint(spec)
    if (missing) ctx.error(p, missing)
    // The fields a level reads are its schema part; the others are ignored by that level, which is worth a warning.
    for (const key of Object.keys(spec) as (keyof RollbackLevelSpec)[]) {
      if (key === 'level' || key === 'budget' || Object.hasOwn(level.schema, key)) continue
      ctx.warn([...p, key], `${key} is ignored by level ${spec.level}`)
    }
  })
}

function checkChecks(ctx: LintContext, plan: Plan): void {
  const lists: [PathSegment[], CheckSpec[] | undefined][] = [
    [['validation', 'checks'], plan.validation?.checks],
    [['rollout', 'infra'], plan.rollout?.infra],
    [['soak', 'thresholds'], plan.soak?.thresholds],
    ...(plan.phases ?? []).map((ph, i): [PathSegment[], CheckSpec[] | undefined] => [
      ['phases', i, 'validate'],
      ph.validate
    ])
  ]
  let metricCheck: PathSegment[] | undefined
  for (const [base, checks] of lists) {
    ;(checks ?? []).forEach((check, i) => {
      const p = [...base, i]
      if ('http' in check) {
        const { service, url } = check.http
        if ((service === undefined) === (url === undefined)) {
          ctx.error([...p, 'http'], 'expected exactly one of service or url')
        }
      }
      if ('metric' in check) {
        metricCheck ??= [...p, 'metric']
        const m = check.metric
        if (m.expect === undefined && m.warn === undefined && m.fail === undefined)
          ctx.error(
            [...p, 'metric'],
            `${formatFieldPath([...p, 'metric', 'expect'])} is missing: a metric check needs expect, or a warn or fail tier`
          )
        checkTiers(ctx, [...p, 'metric'], m)
      }
    })
  }
  if (
    metricCheck &&
    plan.prometheus === undefined &&
    plan.rollout?.metrics?.prometheus === undefined
  ) {
    ctx.warn(
      metricCheck,
      'no Prometheus in the plan: metric checks need `prometheus` at the top level or in the settings'
    )
  }
}

function checkNotify(ctx: LintContext, plan: Plan): void {
  ;(plan.notify ?? []).forEach((n, i) => {
    if (n.format === 'pagerduty' && n.routingKeyEnv === undefined)
      ctx.error(
        ['notify', i, 'format'],
        'format pagerduty needs routingKeyEnv: the environment variable (a secret) holding the PagerDuty routing key'
      )
    if (n.routingKeyEnv !== undefined && n.format !== 'pagerduty')
      ctx.warn(['notify', i, 'routingKeyEnv'], 'routingKeyEnv is only read with format: pagerduty')
  })
}

function checkDurations(ctx: LintContext, plan: Plan, fields: TypedField[]): void {
  for (const f of fields) {
    if (!f.defs.includes('duration') || typeof f.value !== 'string') continue
    const ms = parseDuration(f.value)
    if (ms === undefined) {
      ctx.error(f.path, `"${f.value}" is not a duration like 30s, 5m or 1h30m`)
      continue
    }
    const key = f.path[f.path.length - 1]
    const isBudget = f.path[0] === 'budgets' || key === 'budget'
    if (ms === 0 && (isBudget || key === 'timeout' || key === 'interval' || key === 'window')) {
      ctx.error(f.path, `a ${isBudget ? 'budget' : String(key)} of 0 leaves no time`)
    }
  }
  const every = plan.rollout?.interval
  if (every !== undefined) {
    const interval = parseDuration(every) ?? 0
    ;(plan.rollout?.stages ?? []).forEach((stage, i) => {
      const ms = parseDuration(stage.hold ?? '0s') ?? 0
      if (ms > 0 && ms < interval) {
        ctx.warn(
          ['rollout', 'stages', i, 'hold'],
          `the hold (${stage.hold}) is shorter than rollout.interval (${every}): metrics are judged at most once`
        )
      }
    })
  }
}

function checkPromql(ctx: LintContext, fields: TypedField[]): void {
  for (const f of fields) {
    if (!f.defs.includes('promql') || typeof f.value !== 'string') continue
    const message = promqlProblem(f.value)
    if (message) ctx.error(f.path, message)
  }
}

export { promqlProblem }

function checkCel(ctx: LintContext, plan: Plan, fields: TypedField[], compile: CelCompiler): void {
  const attempt = (p: PathSegment[], context: CelContext, toSource: () => string): void => {
    try {
      compile(toSource(), context)
    } catch (err) {
      // Shorthand errors already say "invalid expectation ..."; CEL errors carry their position.
      ctx.error(p, err instanceof CelError ? `invalid CEL: ${err.message}` : errorMessage(err))
    }
  }
  for (const f of fields) {
    const value = f.value
    if (typeof value !== 'string' || f.path.includes('rollbackIf')) continue
    if (f.defs.includes('cel')) attempt(f.path, celContext(f.path), () => value)
    // Metric expectations are shorthand ("< 0.5" is `value < 0.5`) or CEL.
    else if (f.defs.includes('expectation')) attempt(f.path, 'value', () => expectationToCel(value))
  }
  // A trigger's above/below/cel become one condition; shapes without one are reported by checkRollout.
  const triggers: [PathSegment[], RollbackTrigger][] = [
    ...(plan.rollout?.rollbackIf ?? []).map((t, i): [PathSegment[], RollbackTrigger] => [
      ['rollout', 'rollbackIf', i],
      t
    ]),
    ...(plan.rollout?.stages ?? []).flatMap((s, si) =>
      (s.rollbackIf ?? []).map((t, i): [PathSegment[], RollbackTrigger] => [
        ['rollout', 'stages', si, 'rollbackIf', i],
        t
      ])
    )
  ]
  for (const [p, trigger] of triggers) {
    if (trigger.metric === undefined && trigger.resource === undefined) continue
    for (const tier of splitTiers(trigger)) {
      const t = tier.trigger
      const field = (['cel', 'above', 'below'] as const).find(k => t[k] !== undefined)
      if (field === undefined) continue
      const at =
        tier.tier === 'warn'
          ? 'warn'
          : trigger.fail !== undefined && trigger.above === undefined
            ? 'fail'
            : field
      attempt([...p, at], 'value', () => triggerToCel(t))
    }
  }
}

function celContext(p: PathSegment[]): CelContext {
  if (p[0] === 'hygiene') return 'hygiene'
  if (p.includes('success')) return 'object'
  if (p.includes('http')) return 'http'
  return 'value'
}

// Fields holding repository paths, and whether the path may be a directory.
function checkPaths(ctx: LintContext, loaded: LoadedPlan, fields: TypedField[]): void {
  const roots = realRoots(loaded)
  for (const f of fields) {
    if (typeof f.value !== 'string') continue
    if (f.defs.includes('kustomizeDir')) checkPath(ctx, roots, f.path, f.value, 'kustomize')
    else if (f.defs.includes('repoGlob')) checkPath(ctx, roots, f.path, f.value, 'glob')
    else if (f.defs.includes('repoPath')) checkPath(ctx, roots, f.path, f.value, 'file')
  }
  ;(loaded.plan.phases ?? []).forEach((phase, i) => {
    const chart = phase.helm?.chart
    if (chart !== undefined && /^(\.{1,2}\/|\/)/.test(chart)) {
      checkPath(ctx, roots, ['phases', i, 'helm', 'chart'], chart, 'any')
    }
  })
}

interface Roots {
  /** The plan's directory, symlinks resolved. */
  dir: string
  /** The repository root, symlinks resolved. */
  root: string
}

function realRoots(loaded: LoadedPlan): Roots {
  const real = (p: string): string => {
    try {
      return realpathSync(p)
    } catch {
      return path.resolve(p)
    }
  }
  return { dir: real(loaded.dir), root: real(loaded.root) }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel))
}

const MAGIC = /[*?[\]{}]/

function checkPath(
  ctx: LintContext,
  roots: Roots,
  p: PathSegment[],
  pattern: string,
  kind: 'glob' | 'file' | 'any' | 'kustomize'
): void {
  const segments = pattern.split('/')
  const firstMagic = kind === 'glob' ? segments.findIndex(s => MAGIC.test(s)) : -1
  if (firstMagic >= 0 && segments.slice(firstMagic + 1).includes('..')) {
    ctx.error(
      p,
      `"${pattern}": ".." after a wildcard may leave the repository; write the directory out`
    )
    return
  }
  const fixed = firstMagic >= 0 ? segments.slice(0, firstMagic).join('/') : pattern
  const fixedAbs = path.isAbsolute(pattern)
    ? path.resolve(fixed || '/')
    : path.resolve(roots.dir, fixed)
  if (!inside(roots.root, fixedAbs)) {
    ctx.error(
      p,
      path.isAbsolute(pattern)
        ? `"${pattern}" is outside the repository: use a path relative to the plan file, inside the repository`
        : `"${pattern}" escapes the repository root: paths must stay inside it`
    )
    return
  }
  const escape = symlinkEscape(roots.root, fixedAbs)
  if (escape) {
    ctx.error(p, `"${pattern}" leads through a symlink to ${escape}, outside the repository`)
    return
  }

  let matches: string[]
  try {
    matches =
      firstMagic >= 0
        ? globSync(pattern, { cwd: roots.dir }).map(m => path.resolve(roots.dir, m))
        : [fixedAbs]
  } catch (err) {
    ctx.warn(p, `"${pattern}" could not be expanded: ${errorMessage(err)}`)
    return
  }
  let files = 0
  for (const match of matches.sort()) {
    let real: string
    try {
      real = realpathSync(match)
    } catch {
      continue
    }
    if (!inside(roots.root, real)) {
      ctx.error(
        p,
        `"${pattern}" matches ${path.relative(roots.root, match)}, a symlink to ${real} outside the repository`
      )
      return
    }
    const isDir = statSync(real).isDirectory()
    const kustomization = isDir && hasKustomization(real)
    if (kind === 'kustomize' && !kustomization) {
      ctx.error(
        p,
        `"${pattern}" is not a Kustomize directory: it needs a kustomization.yaml (name the base or overlay directory)`
      )
      return
    }
    if (kustomization && (kind === 'glob' || kind === 'kustomize') && firstMagic < 0) {
      files++
      continue
    }
    if (isDir && kind === 'file' && firstMagic < 0) {
      ctx.error(p, `"${pattern}" is a directory: name a file`)
      return
    }
    if (isDir && kind === 'glob' && firstMagic < 0) {
      ctx.error(
        p,
        `"${pattern}" is a directory without a kustomization.yaml: name files, a glob like ${pattern.replace(/\/$/, '')}/*.yaml, or a Kustomize directory`
      )
      return
    }
    if (!isDir || kind === 'any') files++
  }
  if (files === 0) {
    ctx.warn(p, firstMagic >= 0 ? `"${pattern}" matches no file` : `"${pattern}" does not exist`)
  }
}

/** True when `dir` holds a kustomization file (Kustomize renders it). */
function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some(f => existsSync(path.join(dir, f)))
}

/** Where the deepest existing ancestor of `abs` really leads when that is outside `root`. */
function symlinkEscape(root: string, abs: string): string | undefined {
  let probe = abs
  for (;;) {
    try {
      const real = realpathSync(probe)
      return inside(root, real) ? undefined : real
    } catch {
      const parent = path.dirname(probe)
      if (parent === probe) return undefined
      probe = parent
    }
  }
}
