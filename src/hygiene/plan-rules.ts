/** The rules a plan runs: the built-ins minus `hygiene.disable`, plus (or replaced by) `hygiene.rules`. */

import type { HygieneSpec } from '../plan/types.js'
import { BUILTIN_RULES } from './rules.js'
import type { HygieneRule } from './types.js'

/** The plan's rule set and what in `hygiene.disable` named no rule. */
export interface RuleSet {
  rules: HygieneRule[]
  /** Index in `hygiene.rules` of each plan rule (by id), for locating its errors. */
  planIndex: Map<string, number>
  /** Entries of `hygiene.disable` that name no rule: index and id. */
  unknownDisabled: { index: number; id: string }[]
}

/** The rules to run; a plan rule with a built-in's id takes its place. */
export function planRules(spec: HygieneSpec | undefined): RuleSet {
  const own = (spec?.rules ?? []).map((r): HygieneRule => ({
    id: r.id,
    severity: r.severity ?? 'medium',
    kinds: r.match?.kinds?.length ? r.match.kinds : undefined,
    cel: r.cel,
    message: r.message,
    fix: r.fix ?? '',
    source: 'plan'
  }))
  const planIndex = new Map(own.map((r, i) => [r.id, i]))
  const all = [...BUILTIN_RULES.filter(b => !planIndex.has(b.id)), ...own]
  const disabled = spec?.disable ?? []
  const unknownDisabled = disabled
    .map((id, index) => ({ id, index }))
    .filter(d => !all.some(r => r.id === d.id))
  return {
    rules: all.filter(r => !disabled.includes(r.id)),
    planIndex,
    unknownDisabled
  }
}
