/**
 * Admission, proven: every manifest goes through a server-side apply with
 * dryRun=All, as the phase will apply it (target namespace filled in, run
 * labels on metadata), so webhooks, ValidatingAdmissionPolicies, Pod
 * Security, quota and schema validation all answer now. Manifests that
 * depend on a Namespace or CRD the plan creates in a phase are skipped (the
 * phase gate dry-runs them right before applying); a webhook that cannot do
 * dry-runs is a warning naming it.
 */

import { applyOnceAccountExists, fieldConflicts } from '../kube/apply.js'
import { withRunLabels } from '../kube/labels.js'
import { isSchemaRejection } from '../kube/http.js'
import { KubeApiError, splitApiVersion, type KubeObject } from '../kube/types.js'
import { withNamespace, type LoadedManifest } from '../plan/manifests.js'
import type { CheckResult } from '../report/model.js'
import { mapBounded } from './concurrency.js'
import {
  describeManifest,
  describeObject,
  findResource,
  manifestLocation
} from './manifest-info.js'
import { records, str } from '../core/fields.js'
import {
  describePhase,
  loadPlanObjects,
  phaseOf,
  planCreations,
  type Creator,
  type PlanCreations
} from './plan-objects.js'
import { checkResult, errorResult, type CheckFields } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'admission'

/** Why a manifest cannot be dry-run yet, or undefined when it can. */
export function dependencyOf(
  m: LoadedManifest,
  opts: {
    served: boolean
    namespaced: boolean
    namespace: string
    namespaceExists: (ns: string) => boolean
    creations: PlanCreations
  }
): string | undefined {
  const obj = m.object
  const where = (c: Creator): string =>
    c.phase ? `from ${describePhase(c.phase)}` : `created by ${c.manifest.file}:${c.manifest.line}`
  if (!opts.served) {
    const crd = opts.creations.crds.get(`${splitApiVersion(obj.apiVersion).group}/${obj.kind}`)
    if (crd) return `depends on CustomResourceDefinition ${crd.object.metadata.name} ${where(crd)}`
    return undefined
  }
  if (!opts.namespaced) return undefined
  const ns = obj.metadata.namespace ?? opts.namespace
  if (opts.namespaceExists(ns)) return undefined
  const creator = opts.creations.namespaces.get(ns)
  if (creator) return `depends on Namespace ${ns} ${where(creator)}`
  return `namespace ${ns} does not exist (and the plan does not create it)`
}

/**
 * The field strict validation refuses, from the server's message:
 * `.spec.replicsa: field not declared in schema` (server-side apply) or
 * `unknown field "spec.replicsa"` (create, update).
 */
export function rejectedField(message: string): string | undefined {
  const ssa = /(\.[A-Za-z0-9_$[\]="'.\-/]+): field not declared in schema/.exec(message)?.[1]
  if (ssa) return ssa.replace(/^\./, '')
  const strict = /unknown field "([^"]+)"/.exec(message)?.[1]
  if (strict) return strict.replace(/^\./, '')
  const dup = /duplicate field "([^"]+)"/.exec(message)?.[1]
  return dup?.replace(/^\./, '')
}

/** The manifest line of a field path like `spec.template.spec.containers[name="web"].imagePullPolicyy`. */
export function fieldLine(m: LoadedManifest, field: string): number | undefined {
  if (!m.lineOf) return undefined
  const path: string[] = []
  let node: unknown = m.object
  for (const seg of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (seg.startsWith('[')) {
      const inner = seg.slice(1, -1)
      let i: number
      if (/^\d+$/.test(inner)) i = Number(inner)
      else {
        const [k, v] = inner.split('=')
        const want = (v ?? '').replace(/^["']|["']$/g, '')
        i = Array.isArray(node)
          ? node.findIndex(
              x =>
                typeof x === 'object' &&
                x !== null &&
                String((x as Record<string, unknown>)[k]) === want
            )
          : -1
      }
      if (!Array.isArray(node) || i < 0) break
      path.push(String(i))
      node = node[i]
      continue
    }
    path.push(seg)
    node =
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined
  }
  // The deepest part of the path the file has: the misspelt key itself, else its parent.
  for (let n = path.length; n > 0; n--) {
    const line = m.lineOf(path.slice(0, n).map(p => (/^\d+$/.test(p) ? Number(p) : p)))
    if (line !== undefined) return line
  }
  return undefined
}

/** The webhook an apiserver names when it refuses a dry-run because of the webhook's side effects. */
export function dryRunUnsupportedWebhook(message: string): string | undefined {
  return /admission webhook "([^"]+)" does not support dry run/.exec(message)?.[1]
}

/** What rejected the object, from the server's message, and what to do about it. */
export function classifyRejection(
  message: string,
  status: number
): { cause: string; adjustment: string } {
  if (/violates PodSecurity/.test(message))
    return {
      cause: 'Pod Security admission',
      adjustment:
        'set the securityContext fields the message lists (the divergence check names each field), or ask for a namespace with a laxer pod-security.kubernetes.io/enforce level'
    }
  if (/exceeded quota|must specify (requests|limits)/.test(message))
    return {
      cause: 'ResourceQuota',
      adjustment:
        'lower requests or replicas, or ask the namespace admin to raise the quota (the quota check shows the headroom)'
    }
  if (/ValidatingAdmissionPolicy/.test(message))
    return {
      cause: 'a ValidatingAdmissionPolicy',
      adjustment:
        'change the manifest to satisfy the policy the message names, or ask its owner for an exception'
    }
  if (/admission webhook "[^"]+"/.test(message) || /failed calling webhook/.test(message))
    return {
      cause: 'an admission webhook',
      adjustment: /failed calling webhook/.test(message)
        ? 'the webhook could not be reached: ask its owner to fix it (or its failurePolicy) before deploying'
        : 'change the manifest to satisfy the webhook, or ask its owner for an exception'
    }
  if (/is forbidden: User|cannot (create|patch) resource/.test(message))
    return {
      cause: 'RBAC',
      adjustment: 'grant the missing rights (the permission check prints the Role rules)'
    }
  if (
    status === 422 ||
    isSchemaRejection(message) ||
    /Invalid value|Required value|Unsupported value|unknown field|strict decoding|not declared in schema|Forbidden:/.test(
      message
    )
  )
    return { cause: 'schema validation', adjustment: 'fix the fields the message names' }
  if (status === 409)
    return {
      cause: 'a conflict with the live object',
      adjustment: 'look at who else manages the object (metadata.managedFields)'
    }
  return { cause: 'the API server', adjustment: 'fix what the message names' }
}

interface WebhookInfo {
  configuration: string
  kind: string
  sideEffects?: string
}

async function webhookIndex(ctx: RealityContext): Promise<Map<string, WebhookInfo>> {
  const index = new Map<string, WebhookInfo>()
  await Promise.all(
    ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map(async kind => {
      try {
        const { items } = await ctx.cluster.list('admissionregistration.k8s.io/v1', kind)
        for (const cfg of items)
          for (const w of records(cfg.webhooks)) {
            const name = str(w.name)
            if (name && !index.has(name))
              index.set(name, {
                configuration: cfg.metadata.name,
                kind,
                sideEffects: str(w.sideEffects)
              })
          }
      } catch {
        // Reading webhook configurations needs cluster-wide rights; the warning then names the webhook only.
      }
    })
  )
  return index
}

/** Judges a dry-run's rejection; throws what is not an answer about the object (transport, authentication, 5xx). */
export function judgeRejection(
  err: unknown,
  what: string,
  webhooks?: Map<string, WebhookInfo>
): Omit<CheckFields, 'location'> {
  // 429 (the server is shedding load), 401 and an answer that is not the API's (a proxy's
  // HTML page) say nothing about the object: could not check.
  if (
    !(err instanceof KubeApiError) ||
    err.transport ||
    err.status === 401 ||
    err.status === 429 ||
    err.reason === 'MalformedResponse'
  )
    throw err
  const webhook = dryRunUnsupportedWebhook(err.message)
  if (webhook) {
    const info = webhooks?.get(webhook)
    return {
      verdict: 'warn',
      severity: 'medium',
      message: `${what} could not be dry-run: webhook ${webhook}${info ? ` (${info.kind} ${info.configuration}, sideEffects: ${info.sideEffects ?? 'unset'})` : ''} declares side effects, so the apiserver refuses dry-runs it would call`,
      evidence: err.message,
      adjustment: `the phase applies it for real and only then hears from ${webhook}; ask the webhook's owner to declare sideEffects None or NoneOnDryRun (admissionregistration.k8s.io/v1 requires it)`,
      data: { webhook, sideEffects: info?.sideEffects }
    }
  }
  if (err.status >= 500 && !/webhook/.test(err.message) && !isSchemaRejection(err.message))
    throw err
  const conflicts = fieldConflicts(err)
  if (conflicts.length)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `${what} conflicts with another field manager: ${conflicts.map(c => `${c.field} is owned by "${c.manager}"`).join(', ')}`,
      evidence: `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}: ${err.message}`,
      adjustment: `leave ${conflicts.map(c => c.field).join(', ')} out of the manifest so ${[...new Set(conflicts.map(c => `"${c.manager}"`))].join(', ')} keeps ${conflicts.length === 1 ? 'it' : 'them'}, or set forceConflicts: true on the phase to take ${conflicts.length === 1 ? 'it' : 'them'}`,
      data: { status: err.status, reason: err.reason, cause: 'field manager conflict', conflicts }
    }
  const { cause, adjustment } = classifyRejection(err.message, err.status)
  return {
    verdict: 'fail',
    severity: 'high',
    message: `${what} is rejected by ${cause}`,
    evidence: `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}: ${err.message}`,
    adjustment,
    data: { status: err.status, reason: err.reason, cause }
  }
}

/** Which namespaces exist: one read each; a forbidden read counts as existing and the dry-run decides. */
async function namespacesThatExist(
  ctx: RealityContext,
  info: (ReturnType<typeof findResource> | undefined)[]
): Promise<Map<string, boolean>> {
  const wanted = new Set<string>()
  ctx.manifests.forEach((m, i) => {
    if (info[i]?.namespaced) wanted.add(m.object.metadata.namespace ?? ctx.namespace)
  })
  const exists = new Map<string, boolean>()
  await mapBounded([...wanted], async ns => {
    try {
      exists.set(
        ns,
        (await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) !== undefined
      )
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 403)) throw err
      exists.set(ns, true)
    }
  })
  return exists
}

/** The webhook configurations, read once and only when a dry-run names a webhook. */
interface WebhookCache {
  index?: Promise<Map<string, WebhookInfo>>
}

/** One manifest object to dry-run, as the check shows it. */
interface DryRun {
  m: LoadedManifest
  prepared: KubeObject
  target: string
  location: CheckResult['location']
  force: boolean
  took: () => number
}

/** The server-side dry-run of one object: accepted, accepted with warnings, or rejected (and why). */
async function dryRunManifest(
  ctx: RealityContext,
  run: DryRun,
  webhooks: WebhookCache
): Promise<CheckResult> {
  const { m, prepared, target, location, force, took } = run
  const warnings: string[] = []
  try {
    await applyOnceAccountExists(ctx.cluster, prepared, {
      dryRun: true,
      signal: ctx.signal,
      force,
      onWarnings: w => warnings.push(...w.filter(x => !warnings.includes(x)))
    })
    if (warnings.length)
      return checkResult(KIND, target, {
        verdict: 'warn',
        severity: 'medium',
        message: `${describeManifest(m)} is accepted by admission, but the API server warns: ${warnings.join('; ')}`,
        adjustment:
          'act on what the warning names (a deprecated apiVersion, a field the server drops or ignores)',
        location,
        data: { warnings },
        durationMs: took()
      })
    return checkResult(KIND, target, {
      verdict: 'pass',
      message: `${describeManifest(m)} is accepted by admission (server-side dry-run${force ? ', forceConflicts' : ''})`,
      location,
      durationMs: took()
    })
  } catch (err) {
    try {
      const isWebhook =
        err instanceof KubeApiError && dryRunUnsupportedWebhook(err.message) !== undefined
      if (isWebhook) webhooks.index ??= webhookIndex(ctx)
      const fields = judgeRejection(
        err,
        describeManifest(m),
        isWebhook ? await webhooks.index : undefined
      )
      // A field strict validation refuses: point at its line in the manifest.
      const field = err instanceof KubeApiError ? rejectedField(err.message) : undefined
      const line = field ? fieldLine(m, field) : undefined
      const at = field
        ? { ...manifestLocation(m, field), ...(line ? { line, column: 1 } : {}) }
        : location
      return checkResult(KIND, target, {
        ...fields,
        message: field
          ? `${fields.message}: field ${field} (${m.file}:${line ?? m.line})`
          : fields.message,
        location: at,
        durationMs: took()
      })
    } catch (thrown) {
      return { ...errorResult(KIND, target, thrown, location), durationMs: Math.round(took()) }
    }
  }
}

/** The `admission` kind: one server-side dry-run result per manifest object. */
export const admissionCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => ctx.manifests.length > 0,
  async run(ctx) {
    const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
    const creations = planCreations(objects, ctx.manifests)
    const info = ctx.manifests.map(m =>
      findResource(ctx.surface, m.object.apiVersion, m.object.kind)
    )
    const exists = await namespacesThatExist(ctx, info)
    const webhooks: WebhookCache = {}
    const seen = new Set<string>()
    return mapBounded(ctx.manifests, async (m, i): Promise<CheckResult> => {
      const r = info[i]
      const namespaced = r?.namespaced ?? true
      const prepared: KubeObject = withRunLabels(
        withNamespace(m.object, ctx.namespace, r?.namespaced ?? false),
        {
          plan: ctx.loaded.plan.name,
          run: ctx.runId,
          role: 'phase',
          unit: phaseOf(objects, m)?.name
        }
      )
      let target = describeObject(prepared)
      if (seen.has(target)) target = `${target} (${m.file}:${m.line})`
      seen.add(target)
      const location = manifestLocation(m)
      const started = performance.now()
      const took = (): number => performance.now() - started
      const dependency = dependencyOf(m, {
        served: r !== undefined,
        namespaced,
        namespace: ctx.namespace,
        namespaceExists: ns => exists.get(ns) ?? true,
        creations
      })
      if (dependency)
        return checkResult(KIND, target, {
          verdict: 'skip',
          severity: 'info',
          message: `${describeManifest(m)} not dry-run: ${dependency}`,
          adjustment: dependency.startsWith('namespace')
            ? undefined
            : 'the phase gate dry-runs it right before applying',
          location
        })
      if (!r)
        return checkResult(KIND, target, {
          verdict: 'fail',
          severity: 'high',
          message: `${describeManifest(m)} cannot be applied: ${m.object.apiVersion} ${m.object.kind} is not served here`,
          adjustment:
            'install the CRD (or move it into an earlier phase), or change the apiVersion to one this cluster serves (the divergence check names it)',
          location,
          durationMs: took()
        })
      const unit = phaseOf(objects, m)
      const force = unit ? ctx.loaded.plan.phases?.[unit.index]?.forceConflicts === true : false
      return dryRunManifest(ctx, { m, prepared, target, location, force, took }, webhooks)
    })
  }
}
