/**
 * Hygiene: every manifest (and every object a Helm phase renders) judged by the hygiene rules,
 * CEL over `object` as a ValidatingAdmissionPolicy would judge it (src/hygiene). A finding names
 * the manifest's file:line (for Helm output, the chart template) and the object; `high` fails,
 * `medium` and `low` warn (`hygiene.failOn` moves that line). `hygiene.ignore` turns a finding into a `skip` that shows its reason.
 * Image sizes stay with the image check (500 MB by default).
 */

import { describeCelError } from '../cel/criteria.js'
import {
  ObjectBindings,
  compileRule,
  judgeObject,
  pdbSummaries,
  ruleApplies,
  type CompiledRule
} from '../hygiene/engine.js'
import { findIgnore } from '../hygiene/ignore.js'
import { planRules } from '../hygiene/plan-rules.js'
import type { HygieneRule, HygieneSeverity, RuleVerdict } from '../hygiene/types.js'
import type { CheckResult, Verdict } from '../report/model.js'
import { describeManifest, describeObject, manifestLocation } from './manifest-info.js'
import { checkResult } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'hygiene'

const SEVERITY_RANK: Record<HygieneSeverity, number> = { high: 3, medium: 2, low: 1 }

const ruleOf = (e: CompiledRule | HygieneRule): HygieneRule => ('check' in e ? e.rule : e)

/** The verdict a finding of this severity gives: fail from `failOn` up (default high), warn below. */
export function findingVerdict(
  severity: HygieneSeverity,
  failOn: HygieneSeverity | 'never' = 'high'
): Verdict {
  return failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn] ? 'fail' : 'warn'
}

/** Every hygiene result for the context's manifests: findings, ignored findings, rule errors and a summary. */
export function judgeHygiene(
  ctx: Pick<RealityContext, 'loaded' | 'manifests' | 'namespace'>
): CheckResult[] {
  const steps = hygieneSteps(ctx)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}

// The longest stretch of CPU the hygiene kind takes before it lets the event
// loop run: the reality check's other kinds send their requests and read their
// answers in between instead of waiting for every rule to be judged.
const SLICE_MS = 4

/** judgeHygiene in slices of at most SLICE_MS of CPU, yielding to pending I/O between them. */
export async function judgeHygieneInSlices(
  ctx: Pick<RealityContext, 'loaded' | 'manifests' | 'namespace'>
): Promise<CheckResult[]> {
  const steps = hygieneSteps(ctx)
  let sliceStart = performance.now()
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise(resolve => setImmediate(resolve))
      sliceStart = performance.now()
    }
  }
}

/** The work of judgeHygiene, pausing (yield) after each rule compiled or judged. */
function* hygieneSteps(
  ctx: Pick<RealityContext, 'loaded' | 'manifests' | 'namespace'>
): Generator<void, CheckResult[]> {
  const spec = ctx.loaded.plan.hygiene
  const set = planRules(spec)
  const params = spec?.params ?? {}
  const results: CheckResult[] = []
  const compiled = compileRules(ctx, set, results)
  for (const d of set.unknownDisabled)
    results.push(
      checkResult(KIND, `disable ${d.id}`, {
        verdict: 'warn',
        severity: 'low',
        message: `hygiene.disable names ${d.id}, which is no rule`,
        evidence: `rules: ${set.rules.map(r => r.id).join(', ')}`,
        location: ctx.loaded.locate(['hygiene', 'disable', d.index])
      })
    )

  const objects = ctx.manifests.map(m => m.object)
  const pdbCache = new Map<string, ReturnType<typeof pdbSummaries>>()
  const tally: Tally = {
    usedIgnores: new Set(),
    seen: new Set(),
    findings: 0,
    ignored: 0,
    byRule: {}
  }
  let judged = 0
  for (const m of ctx.manifests) {
    const ns = m.object.metadata.namespace ?? ctx.namespace
    if (!pdbCache.has(ns)) pdbCache.set(ns, pdbSummaries(objects, ns, ctx.namespace))
    const subject = new ObjectBindings(m.object, { params, pdbs: pdbCache.get(ns) })
    let any = false
    for (const entry of compiled) {
      if (!ruleApplies(ruleOf(entry), m.object)) continue
      const rule = 'check' in entry ? entry : compileRule(entry)
      any = true
      const outcome = judgeObject(rule, subject)
      if (outcome.verdict !== 'pass') judgeFinding(ctx, m, rule, outcome, tally, results)
      yield
    }
    if (any) judged++
  }
  results.push(...unusedIgnores(ctx, set, tally))
  const { findings, ignored, byRule } = tally
  results.push(
    checkResult(KIND, 'summary', {
      verdict: 'pass',
      message: `${judged} object${judged === 1 ? '' : 's'} judged by ${compiled.length} hygiene rule${compiled.length === 1 ? '' : 's'}: ${findings} finding${findings === 1 ? '' : 's'}, ${ignored} ignored (image sizes: see the image check)`,
      data: {
        objects: judged,
        rules: compiled.map(r => ruleOf(r).id),
        findings,
        ignored,
        byRule
      }
    })
  )
  return results
}

/** Counts and dedup state of one hygiene run. */
interface Tally {
  usedIgnores: Set<number>
  seen: Set<string>
  findings: number
  ignored: number
  byRule: Record<string, number>
}

/**
 * The set's rules, the plan's own compiled now (one that does not compile is
 * an error result, reported with no manifests too); built-in rules compile on
 * first use, since they are known to compile.
 */
function compileRules(
  ctx: Pick<RealityContext, 'loaded'>,
  set: ReturnType<typeof planRules>,
  results: CheckResult[]
): (CompiledRule | HygieneRule)[] {
  const compiled: (CompiledRule | HygieneRule)[] = []
  const ruleLocation = (rule: HygieneRule, field: string) => {
    const i = set.planIndex.get(rule.id)
    return i === undefined
      ? ctx.loaded.locate(['hygiene'])
      : ctx.loaded.locate(['hygiene', 'rules', i, field])
  }
  for (const rule of set.rules) {
    if (rule.source === 'builtin') {
      compiled.push(rule)
      continue
    }
    try {
      compiled.push(compileRule(rule))
    } catch (err) {
      results.push(
        checkResult(KIND, `rule ${rule.id}`, {
          verdict: 'error',
          severity: 'high',
          message: `hygiene rule ${rule.id} does not compile: ${describeCelError(err)}`,
          adjustment:
            'fix the expression (it must compile as in a ValidatingAdmissionPolicy: no int/double arithmetic mixes)',
          location: ruleLocation(rule, 'cel')
        })
      )
    }
  }
  return compiled
}

/** One rule's outcome on one object: an error, an ignored finding, or a finding. */
function judgeFinding(
  ctx: Pick<RealityContext, 'loaded' | 'namespace'>,
  m: RealityContext['manifests'][number],
  rule: CompiledRule,
  outcome: Exclude<RuleVerdict, { verdict: 'pass' }>,
  tally: Tally,
  results: CheckResult[]
): void {
  const spec = ctx.loaded.plan.hygiene
  const ignores = spec?.ignore ?? []
  let target = `${rule.rule.id} ${describeObject(m.object)}`
  if (tally.seen.has(target)) target = `${target} (${m.file}:${m.line})`
  tally.seen.add(target)
  const data = {
    rule: rule.rule.id,
    source: rule.rule.source,
    object: `${m.object.kind}/${m.object.metadata.name}`,
    ...(m.source ? { template: m.source } : {})
  }
  if (outcome.verdict === 'error') {
    results.push(
      checkResult(KIND, target, {
        verdict: 'error',
        severity: 'medium',
        message: `hygiene rule ${rule.rule.id} could not judge ${describeManifest(m)}: ${outcome.message}`,
        adjustment:
          rule.rule.source === 'plan'
            ? 'guard optional fields with has(...) or .?field.orValue(default); a ValidatingAdmissionPolicy would deny the object on this error'
            : undefined,
        location: manifestLocation(m),
        data
      })
    )
    return
  }
  const ignore = findIgnore(ignores, rule.rule.id, m.object, ctx.namespace)
  if (ignore !== undefined) {
    tally.usedIgnores.add(ignore)
    tally.ignored++
    results.push(
      checkResult(KIND, target, {
        verdict: 'skip',
        severity: 'info',
        message: `ignored ${rule.rule.id} on ${describeManifest(m)}: ${ignores[ignore].reason}`,
        evidence: outcome.message,
        location: manifestLocation(m),
        data: {
          ...data,
          ignored: true,
          reason: ignores[ignore].reason,
          severity: rule.rule.severity
        }
      })
    )
    return
  }
  tally.findings++
  tally.byRule[rule.rule.id] = (tally.byRule[rule.rule.id] ?? 0) + 1
  results.push(
    checkResult(KIND, target, {
      verdict: findingVerdict(rule.rule.severity, spec?.failOn),
      severity: rule.rule.severity,
      message: `${describeManifest(m)}: ${outcome.message}`,
      adjustment: [
        rule.rule.fix,
        `or accept it: hygiene.ignore: [{rule: ${rule.rule.id}, object: ${m.object.kind}/${m.object.metadata.name}, reason: ...}]`
      ]
        .filter(Boolean)
        .join('; '),
      location: manifestLocation(m),
      data: { ...data, severity: rule.rule.severity }
    })
  )
}

/** `hygiene.ignore` entries that matched no finding. */
function unusedIgnores(
  ctx: Pick<RealityContext, 'loaded'>,
  set: ReturnType<typeof planRules>,
  tally: Tally
): CheckResult[] {
  const results: CheckResult[] = []
  const ignores = ctx.loaded.plan.hygiene?.ignore ?? []
  ignores.forEach((e, i) => {
    if (tally.usedIgnores.has(i)) return
    results.push(
      checkResult(KIND, `ignore ${e.rule}${e.object ? ` ${e.object}` : ''}`, {
        verdict: 'warn',
        severity: 'low',
        message: `hygiene.ignore[${i}] (${e.rule}${e.object ? ` on ${e.object}` : ''}) matched no finding`,
        adjustment:
          set.rules.some(r => r.id === e.rule) || e.rule === '*'
            ? 'remove the entry: the finding it excused is gone'
            : `no rule is called ${e.rule}; rules: ${set.rules.map(r => r.id).join(', ')}`,
        location: ctx.loaded.locate(['hygiene', 'ignore', i])
      })
    )
  })
  return results
}

export const hygieneCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => ctx.manifests.length > 0,
  run: ctx => judgeHygieneInSlices(ctx)
}
