/**
 * Permissions: a SelfSubjectAccessReview for every right applying the plan
 * needs (derived from its manifests, tracers and phases, plus phase-gate's own
 * state, lock and evidence rights) and every explicit `assumptions.permissions`
 * entry. One result per resource lists the denied verbs and the Role rules
 * that would grant them; a last result holds the whole Role to paste.
 */

import { errorMessage } from '../core/errors.js'
import { dnsName } from '../kube/labels.js'
import type { AccessDecision, KubeObject } from '../kube/types.js'
import type { CheckResult, Severity, Verdict } from '../report/model.js'
import { mapBounded } from './concurrency.js'
import {
  derivePermissions,
  formatResourceName,
  missingRulesYaml,
  resourceKey,
  type NeedPurpose,
  type PermissionNeed
} from './derive-permissions.js'
import { isRecord } from '../core/fields.js'
import { loadPlanObjects, planCreations } from './plan-objects.js'
import { checkResult, timed } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'permission'

/** A need and the server's answer. */
export interface ReviewedNeed {
  need: PermissionNeed
  decision: AccessDecision
}

// Without these the deployment itself cannot proceed; evidence rights only make failures harder to read.
const BLOCKING: NeedPurpose[] = ['apply', 'delete', 'wait', 'state', 'lock', 'explicit']

/** Judges the reviews of one resource: pass, or the denied verbs with why each was needed and the rule to add. */
export function judgeResource(
  reviewed: ReviewedNeed[],
  opts: { roleName: string }
): {
  verdict: Verdict
  severity: Severity
  message: string
  evidence?: string
  adjustment?: string
  data: Record<string, unknown>
} {
  const first = reviewed[0].need
  const key = resourceKey(first)
  const allowed = reviewed.filter(r => r.decision.allowed).map(r => r.need.verb)
  const denied = reviewed.filter(r => !r.decision.allowed)
  const data: Record<string, unknown> = {
    resource: formatResourceName(first),
    namespace: first.namespace,
    allowed: [...new Set(allowed)].sort(),
    denied: [...new Set(denied.map(d => d.need.verb))].sort()
  }
  if (denied.length === 0)
    return {
      verdict: 'pass',
      severity: 'info',
      message: `may ${[...new Set(allowed)].sort().join(', ')} ${key}`,
      data
    }
  const blocking = denied.some(d => d.need.purposes.some(p => BLOCKING.includes(p)))
  const verbs = [...new Set(denied.map(d => d.need.verb))].sort()
  const evidence = denied
    .map(d => {
      const why =
        d.need.reasons.slice(0, 3).join('; ') +
        (d.need.reasons.length > 3 ? `; and ${d.need.reasons.length - 3} more` : '')
      const server = d.decision.reason || d.decision.evaluationError
      return `${d.need.verb}${d.need.name ? ` ${d.need.name}` : ''}: denied${server ? ` (${server})` : ''}, needed to ${why}`
    })
    .join('\n')
  return {
    verdict: blocking ? 'fail' : 'warn',
    severity: blocking ? 'high' : 'medium',
    message: `may not ${verbs.join(', ')} ${key}${allowed.length ? ` (may ${[...new Set(allowed)].sort().join(', ')})` : ''}${blocking ? '' : ': failures will carry less evidence'}`,
    evidence,
    adjustment: `add these rules (kubectl apply -f -):\n${missingRulesYaml(
      denied.map(d => d.need),
      { name: opts.roleName }
    )}`,
    data
  }
}

/** The identity the reviews are about (SelfSubjectReview), or undefined when the server does not say. */
async function whoAmI(ctx: RealityContext): Promise<string | undefined> {
  if (
    !ctx.surface.resources.some(
      r => r.group === 'authentication.k8s.io' && r.resource === 'selfsubjectreviews'
    )
  )
    return undefined
  try {
    const review: KubeObject = await ctx.cluster.create({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { name: '' }
    })
    const status = isRecord(review.status) ? review.status : {}
    const user = isRecord(status.userInfo) ? status.userInfo : {}
    return typeof user.username === 'string' ? user.username : undefined
  } catch (err) {
    ctx.log.debug(`SelfSubjectReview failed: ${errorMessage(err)}`)
    return undefined
  }
}

/** The `permission` kind: one result per resource and scope, plus the Role of what is denied. */
export const permissionCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  // phase-gate's own rights are always needed, whatever the plan holds.
  applies: () => true,
  run: ctx => timed(KIND, KIND, () => checkPermissions(ctx))
}

async function checkPermissions(ctx: RealityContext): Promise<CheckResult[]> {
  const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
  const plan = ctx.loaded.plan
  const { needs, unresolved } = derivePermissions({
    planName: plan.name,
    namespace: ctx.namespace,
    surface: ctx.surface,
    creations: planCreations(objects, ctx.manifests),
    assumed: ctx.manifests,
    tracers: objects.tracers,
    phases: objects.phases,
    explicit: (plan.assumptions?.permissions ?? []).map((permission, i) => ({
      permission,
      location: ctx.loaded.locate(['assumptions', 'permissions', i])
    })),
    ownLocation: ctx.loaded.locate(['target', 'namespace'])
  })
  const [subject, reviewed] = await Promise.all([
    whoAmI(ctx),
    mapBounded(needs, async (need): Promise<ReviewedNeed> => {
      const attrs = {
        verb: need.verb,
        group: need.group,
        resource: need.resource,
        namespace: need.namespace,
        name: need.name,
        subresource: need.subresource
      }
      return { need, decision: await ctx.cluster.accessReview(attrs) }
    })
  ])
  const roleName = `phase-gate-${dnsName(plan.name, 50)}`
  const byResource = new Map<string, ReviewedNeed[]>()
  for (const r of reviewed) {
    const key = resourceKey(r.need)
    byResource.set(key, [...(byResource.get(key) ?? []), r])
  }
  const results: CheckResult[] = []
  for (const [key, list] of byResource) {
    results.push(
      checkResult(KIND, key, {
        ...judgeResource(list, { roleName }),
        location: list.find(r => !r.decision.allowed)?.need.location ?? list[0].need.location
      })
    )
  }
  const denied = reviewed.filter(r => !r.decision.allowed)
  if (denied.length > 0) {
    const worst = results.some(r => r.verdict === 'fail') ? 'fail' : 'warn'
    const resources = new Set(denied.map(d => resourceKey(d.need)))
    results.push(
      checkResult(KIND, 'missing Role rules', {
        verdict: worst,
        severity: worst === 'fail' ? 'high' : 'medium',
        message: `${denied.length} of ${reviewed.length} rights denied on ${resources.size} resource${resources.size === 1 ? '' : 's'}${subject ? ` for ${subject}` : ''}; the Role below grants exactly those`,
        evidence: denied.map(d => `${d.need.verb} ${resourceKey(d.need)}`).join('\n'),
        adjustment: missingRulesYaml(
          denied.map(d => d.need),
          { name: roleName, subject }
        ),
        data: { denied: denied.length, reviewed: reviewed.length, subject },
        location: ctx.loaded.locate(['target', 'namespace'])
      })
    )
  }
  for (const problem of objects.problems)
    results.push(
      checkResult(KIND, `manifests: ${problem.split(':')[0]}`, {
        verdict: 'error',
        severity: 'high',
        message: `could not derive the rights of ${problem}`,
        adjustment: 'fix the file path in the plan; `phase-gate lint` names it too'
      })
    )
  if (unresolved.length > 0)
    results.push(
      checkResult(KIND, 'unresolved kinds', {
        verdict: 'warn',
        severity: 'low',
        message: `rights of ${unresolved.length} object${unresolved.length === 1 ? '' : 's'} could not be derived: their kinds are not served (the api and divergence checks report them)`,
        evidence: unresolved
          .map(
            u =>
              `${u.manifest.file}:${u.manifest.line} ${u.manifest.object.kind} ${u.manifest.object.metadata.name}: ${u.reason}`
          )
          .join('\n')
      })
    )
  return results
}
