/**
 * `alertRules: {names}`: the alerts the runbook tells people to watch exist
 * and are loaded. Prometheus's own word comes first (`GET /api/v1/rules`: the
 * rule is loaded and healthy, and whether it fires right now); where the
 * Prometheus Operator's `PrometheusRule` CRD is served, the rule must also be
 * defined in one, and a rule defined there but absent from Prometheus is
 * named as not picked up (the operator's rule selectors). An alert already
 * firing is a warning: a deployment on top of an open alert needs a person
 * to look first.
 */

import { errorMessage, UsageError } from '../core/errors.js'
import { KubeApiError, type Cluster, type KubeObject } from '../kube/types.js'
import type { LoadedRule, Metrics } from '../metrics/types.js'
import type { AlertRulesCheck } from '../plan/types.js'
import { didYouMean } from '../plan/suggest.js'
import type { CheckResult, SourceLocation, Verdict } from '../report/model.js'
import { checkResult } from './result.js'
import type { ValidationCheck, ValidationContext } from './validation-kind.js'

type Spec = AlertRulesCheck['alertRules']

export const PROMETHEUS_RULE_API = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule'
} as const

/** Where an alert rule was found. */
export interface RuleSources {
  /** Alerting rules Prometheus has loaded; undefined when Prometheus was not asked. */
  loaded?: LoadedRule[]
  /** Why Prometheus was not asked or could not answer. */
  prometheusNote?: string
  prometheusUrl?: string
  /** Alert name → the PrometheusRule objects (`namespace/name`) defining it; undefined when the CRD is not served. */
  defined?: Map<string, string[]>
  crdNote?: string
}

/** The verdict of one alert name. */
export interface RuleFinding {
  name: string
  verdict: Verdict
  message: string
}

/** The alert names a PrometheusRule defines (`spec.groups[].rules[].alert`). */
export function alertsOf(rule: KubeObject): string[] {
  const groups =
    (rule.spec as { groups?: { rules?: { alert?: unknown }[] }[] } | undefined)?.groups ?? []
  return groups.flatMap(g =>
    (g.rules ?? []).map(r => r.alert).filter((a): a is string => typeof a === 'string')
  )
}

/** Judges each name against what Prometheus loaded and what PrometheusRules define. */
export function judgeRules(names: string[], src: RuleSources): RuleFinding[] {
  const alerting = (src.loaded ?? []).filter(r => r.type === 'alerting')
  const known = [...new Set([...alerting.map(r => r.name), ...(src.defined?.keys() ?? [])])]
  return names.map((name): RuleFinding => {
    const loaded = alerting.filter(r => r.name === name)
    const defined = src.defined?.get(name) ?? []
    const where = defined.length ? ` (PrometheusRule ${defined.join(', ')})` : ''
    if (loaded.length) {
      const bad = loaded.find(r => r.health === 'err')
      if (bad)
        return {
          name,
          verdict: 'fail',
          message: `${name} is loaded but failing to evaluate: ${bad.lastError ?? 'health err'}`
        }
      const firing = loaded.find(r => r.state === 'firing')
      if (firing)
        return {
          name,
          verdict: 'warn',
          message: `${name} is loaded and firing now (group ${firing.group})${where}`
        }
      if (src.defined && !defined.length)
        return {
          name,
          verdict: 'pass',
          message: `${name} is loaded (group ${loaded[0].group}, from a rule file, not a PrometheusRule)`
        }
      return {
        name,
        verdict: 'pass',
        message: `${name} is loaded (group ${loaded[0].group}, ${loaded[0].state ?? 'inactive'})${where}`
      }
    }
    if (defined.length && src.loaded)
      return {
        name,
        verdict: 'fail',
        message: `${name} is defined in PrometheusRule ${defined.join(', ')} but Prometheus has not loaded it: check the Prometheus ruleSelector and ruleNamespaceSelector`
      }
    if (defined.length)
      return {
        name,
        verdict: 'pass',
        message: `${name} is defined in PrometheusRule ${defined.join(', ')} (whether Prometheus loaded it was not checked: ${src.prometheusNote ?? 'no Prometheus'})`
      }
    return {
      name,
      verdict: 'fail',
      message: `${name} is not ${src.loaded ? 'loaded in Prometheus' : ''}${src.loaded && src.defined ? ' nor ' : ''}${src.defined ? 'defined in any PrometheusRule' : ''}${didYouMean(name, known)}`
    }
  })
}

async function readLoaded(
  ctx: Pick<ValidationContext, 'metrics' | 'signal'>
): Promise<Pick<RuleSources, 'loaded' | 'prometheusNote' | 'prometheusUrl'>> {
  let m: Metrics
  try {
    m = ctx.metrics()
  } catch (err) {
    if (err instanceof UsageError) return { prometheusNote: 'the plan names no Prometheus' }
    throw err
  }
  if (!m.rules) return { prometheusNote: `${m.url} has no rules API`, prometheusUrl: m.url }
  try {
    return { loaded: await m.rules({ signal: ctx.signal }), prometheusUrl: m.url }
  } catch (err) {
    return { prometheusNote: errorMessage(err), prometheusUrl: m.url }
  }
}

async function readDefined(
  cluster: Cluster,
  namespace: string
): Promise<Pick<RuleSources, 'defined' | 'crdNote'>> {
  const served = await cluster.resourceFor(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind)
  if (!served) return { crdNote: 'the PrometheusRule CRD is not served' }
  const defined = new Map<string, string[]>()
  const add = (items: KubeObject[]): void => {
    for (const o of items)
      for (const a of alertsOf(o)) {
        const at = `${o.metadata.namespace}/${o.metadata.name}`
        const list = defined.get(a) ?? []
        if (!list.includes(at)) list.push(at)
        defined.set(a, list)
      }
  }
  add(
    (await cluster.list(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind, { namespace }))
      .items
  )
  // Rules often live beside Prometheus in a monitoring namespace; listing them all may not be allowed.
  try {
    add((await cluster.list(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind)).items)
  } catch (err) {
    if (!(err instanceof KubeApiError && (err.status === 403 || err.status === 401))) throw err
    return {
      defined,
      crdNote: `PrometheusRules outside ${namespace} were not readable (${err.status})`
    }
  }
  return { defined }
}

/** Runs one alertRules check. */
export async function runAlertRulesCheck(
  spec: Spec,
  ctx: ValidationContext,
  location?: SourceLocation
): Promise<CheckResult> {
  const target = spec.names.join(', ')
  const [prom, crd] = await Promise.all([
    readLoaded(ctx),
    ctx.cluster().then(c => readDefined(c, ctx.namespace))
  ])
  const src: RuleSources = { ...prom, ...crd }
  if (!src.loaded && !src.defined)
    return checkResult('alertRules', target, {
      verdict: 'error',
      message: `could not check the alert rules: ${src.prometheusNote ?? 'Prometheus was not asked'}, and ${src.crdNote ?? 'no PrometheusRule could be read'}`,
      adjustment:
        'name the Prometheus that evaluates the alerts (prometheus: in the plan) or install the Prometheus Operator CRDs',
      location
    })
  const findings = judgeRules(spec.names, src)
  const failed = findings.filter(f => f.verdict === 'fail')
  const warned = findings.filter(f => f.verdict === 'warn')
  const verdict: Verdict = failed.length ? 'fail' : warned.length ? 'warn' : 'pass'
  const all =
    findings.length === 1
      ? `the alert rule ${findings[0].name}`
      : `all ${findings.length} alert rules`
  const okLine = src.loaded
    ? `${all} loaded in Prometheus ${src.prometheusUrl ?? ''}${src.defined ? ' and defined in PrometheusRules' : ''}`.replace(
        ' in Prometheus  and',
        ' in Prometheus and'
      )
    : `${all} defined in PrometheusRules (loading not checked: ${src.prometheusNote ?? 'no Prometheus'})`
  return checkResult('alertRules', target, {
    verdict,
    message: failed.length
      ? `${failed.length} of ${findings.length} alert rule${findings.length === 1 ? '' : 's'} not ready: ${failed.map(f => f.message).join('; ')}`
      : warned.length
        ? warned.map(f => f.message).join('; ')
        : okLine,
    evidence:
      findings.map(f => `${f.verdict.padEnd(4)} ${f.message}`).join('\n') +
      [src.prometheusNote, src.crdNote]
        .filter(Boolean)
        .map(n => `\nnote ${n}`)
        .join(''),
    adjustment: failed.length
      ? 'load the alert rules (a rule file or a PrometheusRule Prometheus selects) before deploying: the runbook tells people to watch them'
      : warned.length
        ? 'look at the firing alert before deploying on top of it'
        : undefined,
    data: {
      findings,
      sources: { prometheus: src.prometheusUrl, prometheusRule: src.defined !== undefined },
      notes: [src.prometheusNote, src.crdNote].filter(Boolean)
    },
    location
  })
}

export const alertRulesCheck: ValidationCheck<'alertRules'> = {
  key: 'alertRules',
  target: s => s.names.join(', '),
  run: runAlertRulesCheck,
  describe: {
    plan: a => `alert rules: ${a.names.join(', ')} loaded`,
    runbook: a => `alert rules loaded in Prometheus: ${a.names.join(', ')}`
  }
}
