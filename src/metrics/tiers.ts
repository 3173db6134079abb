/**
 * Thresholds with tiers: a trigger or a metric check may say `warn:` and
 * `fail:` (`{metric: errorRate, warn: 2%, fail: 5%}`). Above `fail` is what
 * `above` always was (a failed check, a rollback); above `warn` is a `warn`
 * finding and a notification, never a rollback. `rollout.defaults: seed`
 * adds the thresholds teams start from (error rate warn 2 % / fail 5 %, p99
 * fail 5 s, p95 warn 2 s, CPU and memory warn at 80 % of limits) for the
 * metrics the plan names, unless a trigger of the plan already judges them.
 */

import { triggerToCel } from '../cel/shorthand.js'
import type { PathSegment } from '../plan/schema.js'
import type { RollbackTrigger, RolloutSpec, StageSpec } from '../plan/types.js'
import {
  compileTriggers,
  evaluateCondition,
  expectationCel,
  type CompiledTrigger
} from './judge.js'

/** A trigger with where it comes from and its tier. */
export interface TieredTrigger {
  /** The trigger as the judge sees it: at most one threshold (`above`, `below` or `cel`). */
  trigger: RollbackTrigger
  tier: 'warn' | 'fail'
  /** Where it is written in the plan; undefined for a seed default. */
  path?: PathSegment[]
  /** Set for the thresholds `rollout.defaults: seed` added. */
  seed?: boolean
}

/**
 * The seed's figures: critical when the error rate is above 5 %, p99 above
 * 5 s; warning when the error rate is above 2 %, p95 above 2 s, resource use
 * above 80 % of limits.
 */
export const SEED_THRESHOLDS: readonly {
  metric: string
  warn?: string
  fail?: string
}[] = [
  { metric: 'errorRate', warn: '2%', fail: '5%' },
  { metric: 'latencyP99', fail: '5s' },
  { metric: 'latencyP95', warn: '2s' },
  // Named under rollout.metrics as `cpu` / `memory`: a query for the canary's share of its limits (0-1).
  { metric: 'cpu', warn: '80%' },
  { metric: 'memory', warn: '80%' }
]

/** A trigger's tiers as separate triggers: `fail` joins `above` in the fail tier, `warn` is its own. */
export function splitTiers(t: RollbackTrigger, path?: PathSegment[]): TieredTrigger[] {
  const { warn, fail, ...rest } = t
  const out: TieredTrigger[] = []
  const hasFailTier =
    fail !== undefined ||
    rest.above !== undefined ||
    rest.below !== undefined ||
    rest.cel !== undefined ||
    rest.noDataFor !== undefined
  if (hasFailTier)
    out.push({
      trigger: fail !== undefined && rest.above === undefined ? { ...rest, above: fail } : rest,
      tier: 'fail',
      path
    })
  if (warn !== undefined) {
    const { noDataFor: _ignored, above: _a, below: _b, cel: _c, ...base } = rest
    out.push({ trigger: { ...base, above: warn }, tier: 'warn', path })
  }
  return out
}

/** Whether a trigger of the list judges this metric (or, for cpu and memory, that resource) already. */
function judges(list: RollbackTrigger[], s: (typeof SEED_THRESHOLDS)[number]): boolean {
  return list.some(
    t => t.metric === s.metric || (t.resource !== undefined && t.resource === s.metric)
  )
}

/** The seed thresholds that apply to a rollout: `defaults: seed` and the metric named under rollout.metrics. */
export function seedTriggers(rollout: RolloutSpec, written: RollbackTrigger[]): RollbackTrigger[] {
  if (rollout.defaults !== 'seed') return []
  const named = Object.keys(rollout.metrics ?? {})
  return SEED_THRESHOLDS.filter(s => named.includes(s.metric ?? '') && !judges(written, s)).map(
    s => ({
      metric: s.metric,
      ...(s.warn !== undefined ? { warn: s.warn } : {}),
      ...(s.fail !== undefined ? { fail: s.fail } : {})
    })
  )
}

/**
 * Every trigger judged at a stage: `rollout.rollbackIf`, the stage's own
 * `rollbackIf`, then the seed defaults for metrics neither judges.
 */
export function stageTriggers(rollout: RolloutSpec, stageIndex?: number): TieredTrigger[] {
  const global = rollout.rollbackIf ?? []
  const stage: StageSpec | undefined =
    stageIndex !== undefined ? rollout.stages?.[stageIndex] : undefined
  const own = stage?.rollbackIf ?? []
  const out: TieredTrigger[] = []
  global.forEach((t, i) => out.push(...splitTiers(t, ['rollout', 'rollbackIf', i])))
  own.forEach((t, i) =>
    out.push(...splitTiers(t, ['rollout', 'stages', stageIndex ?? 0, 'rollbackIf', i]))
  )
  for (const t of seedTriggers(rollout, [...global, ...own]))
    out.push(...splitTiers(t).map(x => ({ ...x, seed: true })))
  return out
}

/**
 * A metric check's condition as CEL (true = within bounds): its `expect`
 * and, for a fail tier, "not above `fail`"; with only a warn tier any value
 * passes (no data still fails). `text` is the condition in the plan's words.
 */
export function checkCondition(spec: { expect?: string; fail?: string | number }): {
  cel: string
  text: string
} {
  const cels: string[] = []
  const words: string[] = []
  if (spec.expect !== undefined) {
    cels.push(expectationCel(spec.expect))
    words.push(spec.expect)
  }
  if (spec.fail !== undefined) {
    cels.push(`!(${triggerToCel({ above: spec.fail })})`)
    words.push(`not above ${String(spec.fail)} (fail tier)`)
  }
  if (cels.length === 0) return { cel: 'true', text: 'any value (warn tier only)' }
  return {
    cel: cels.length === 1 ? cels[0] : cels.map(c => `(${c})`).join(' && '),
    text: words.join(' and ')
  }
}

/** The first sample above the warn tier, if any. */
export function firstWarnCrossing<S extends { value?: number; baseline?: number }>(
  warn: string | number,
  samples: S[]
): S | undefined {
  const cel = triggerToCel({ above: warn })
  return samples.find(
    s =>
      typeof s.value === 'number' &&
      Number.isFinite(s.value) &&
      (() => {
        try {
          return evaluateCondition(cel, s.value, s.baseline)
        } catch {
          return false
        }
      })()
  )
}

/**
 * The compiled triggers of a stage (every stage's when `stageIndex` is
 * undefined): tiers split, each with its place in the plan, plus the default
 * dead-man's switch when none is written.
 */
export function compileStageTriggers(rollout: RolloutSpec, stageIndex?: number): CompiledTrigger[] {
  const tiered = stageTriggers(rollout, stageIndex)
  return compileTriggers(tiered.map(t => t.trigger)).map(c => {
    const t = c.index >= 0 ? tiered[c.index] : undefined
    if (!t) return c
    const notes = [t.tier === 'warn' ? 'warn tier' : '', t.seed ? 'seed default' : '']
      .filter(Boolean)
      .join(', ')
    return {
      ...c,
      path: t.path,
      ...(t.tier === 'warn' ? { tier: 'warn' as const } : {}),
      source: notes ? `${c.source} (${notes})` : c.source
    }
  })
}
