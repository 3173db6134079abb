/** `ready: {kind, name}`: the object is Current by kstatus within the time left. */

import { durationMs } from '../core/duration.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { waitForObjects } from '../kube/wait.js'
import type { Cluster, KubeObject, ObjectRef } from '../kube/types.js'
import { joinApiVersion } from '../kube/types.js'
import type { ReadyCheck } from '../plan/types.js'
import { checkResult } from './result.js'
import type { ValidationCheck, ValidationContext } from './validation-kind.js'

type Spec = ReadyCheck['ready']

/** Finds the apiVersion of a kind: from what the phase applied, else the preferred served version. */
export async function resolveRef(
  spec: Spec,
  ctx: ValidationContext,
  cluster: Cluster
): Promise<ObjectRef | undefined> {
  const namespace = spec.namespace ?? ctx.namespace
  if (spec.apiVersion)
    return { apiVersion: spec.apiVersion, kind: spec.kind, name: spec.name, namespace }
  const applied = ctx.applied?.find(
    (o: KubeObject) => o.kind === spec.kind && o.metadata.name === spec.name
  )
  if (applied)
    return {
      apiVersion: applied.apiVersion,
      kind: spec.kind,
      name: spec.name,
      namespace: applied.metadata.namespace ?? namespace
    }
  const surface = await cluster.discover()
  const candidates = surface.resources.filter(r => r.kind === spec.kind)
  if (candidates.length === 0) return undefined
  const preferred =
    candidates.find(r => surface.groups.get(r.group)?.preferred === r.version) ?? candidates[0]
  return {
    apiVersion: joinApiVersion(preferred.group, preferred.version),
    kind: spec.kind,
    name: spec.name,
    namespace: preferred.namespaced ? namespace : undefined
  }
}

export const readyCheck: ValidationCheck<'ready'> = {
  key: 'ready',
  target: s => `${s.kind}/${s.name}`,
  async run(spec, ctx, location) {
    const cluster = await ctx.cluster()
    const ref = await resolveRef(spec, ctx, cluster)
    const target = `${spec.kind}/${spec.name}`
    if (!ref)
      return checkResult('ready', target, {
        verdict: 'fail',
        message: `the cluster serves no kind ${spec.kind}`,
        adjustment: 'give apiVersion in the check, or install the CRD first',
        location
      })
    const left = ctx.deadline ? Math.max(0, ctx.deadline - ctx.clock.now()) : 60_000
    const timeoutMs = Math.min(
      durationMs(spec.timeout, left),
      left || durationMs(spec.timeout, 60_000)
    )
    const outcome = await waitForObjects(cluster, [ref], {
      timeoutMs,
      signal: ctx.signal,
      clock: ctx.clock,
      failFast: true
    })
    if (outcome.result === 'done')
      return checkResult('ready', target, {
        verdict: 'pass',
        message: `${spec.kind} ${spec.name} is ready (${outcome.objects[0]?.status.message || 'Current'})`,
        location
      })
    const evidence = await collectEvidence(cluster, ref).then(formatEvidence, () => undefined)
    return checkResult('ready', target, {
      verdict:
        outcome.result === 'cancelled'
          ? 'cancelled'
          : outcome.result === 'error'
            ? 'error'
            : 'fail',
      message: outcome.message,
      evidence,
      location
    })
  },
  describe: {
    plan: r => `ready: ${r.kind}/${r.name}${r.timeout ? ` within ${r.timeout}` : ''}`,
    runbook: r => `${r.kind} ${r.name} is ready (kstatus Current)`
  }
}
