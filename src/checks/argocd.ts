/**
 * `argocd: {application}`: an Argo CD Application is Synced and Healthy (or
 * the statuses the check names), read from the Application's status, which
 * the Argo CD controller keeps. When it is not, the result carries what Argo CD
 * itself says: the conditions, the last sync operation and every managed
 * resource that is not Healthy or not in sync.
 */

import type { Cluster, KubeObject } from '../kube/types.js'
import { checkResult } from './result.js'
import type { ValidationCheck } from './validation-kind.js'
import { nonEmpty, rec } from '../core/fields.js'

export const APPLICATION_API = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const
/** Where Argo CD keeps Applications unless told otherwise. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd'

/** One managed resource as the Application's status lists it. */
export interface ArgoResource {
  kind: string
  name: string
  namespace?: string
  /** Synced / OutOfSync. */
  status?: string
  health?: string
  message?: string
}

/** The parts of an Application's status the check judges. */
export interface ArgoStatus {
  sync: string
  revision?: string
  health: string
  healthMessage?: string
  conditions: { type: string; message: string }[]
  operation?: { phase: string; message?: string }
  resources: ArgoResource[]
}

/** Reads the status fields of an Application object (missing ones are `Unknown`). */
export function readArgoStatus(app: KubeObject): ArgoStatus {
  const status = rec(app.status)
  const sync = rec(status.sync)
  const health = rec(status.health)
  const op = rec(status.operationState)
  return {
    sync: nonEmpty(sync.status) ?? 'Unknown',
    revision: nonEmpty(sync.revision),
    health: nonEmpty(health.status) ?? 'Unknown',
    healthMessage: nonEmpty(health.message),
    conditions: (Array.isArray(status.conditions) ? status.conditions : []).map(c => ({
      type: nonEmpty(rec(c).type) ?? '?',
      message: nonEmpty(rec(c).message) ?? ''
    })),
    operation: nonEmpty(op.phase)
      ? { phase: nonEmpty(op.phase) as string, message: nonEmpty(op.message) }
      : undefined,
    resources: (Array.isArray(status.resources) ? status.resources : []).map(r => {
      const x = rec(r)
      return {
        kind: nonEmpty(x.kind) ?? '?',
        name: nonEmpty(x.name) ?? '?',
        namespace: nonEmpty(x.namespace),
        status: nonEmpty(x.status),
        health: nonEmpty(rec(x.health).status),
        message: nonEmpty(rec(x.health).message)
      }
    })
  }
}

/** Managed resources that are not Healthy or not Synced (resources without a health, such as ConfigMaps, count as healthy). */
export function troubledResources(s: ArgoStatus): ArgoResource[] {
  return s.resources.filter(
    r => (r.health !== undefined && r.health !== 'Healthy') || r.status === 'OutOfSync'
  )
}

function describeResource(r: ArgoResource): string {
  const state = [r.health, r.status === 'OutOfSync' ? 'OutOfSync' : undefined]
    .filter(Boolean)
    .join(', ')
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${state}${r.message ? ` (${r.message})` : ''}`
}

/** Judges an Application's status against the wanted sync and health statuses. */
export function judgeApplication(
  name: string,
  s: ArgoStatus,
  want: { sync: string; health: string }
): { ok: boolean; problems: string[]; evidence: string } {
  const problems: string[] = []
  if (s.sync !== want.sync) problems.push(`sync status ${s.sync}, expected ${want.sync}`)
  if (s.health !== want.health)
    problems.push(
      `health ${s.health}${s.healthMessage ? ` (${s.healthMessage})` : ''}, expected ${want.health}`
    )
  const troubled = troubledResources(s)
  const evidence = [
    `Application ${name}: sync ${s.sync}${s.revision ? ` at revision ${s.revision}` : ''}, health ${s.health}${s.healthMessage ? `: ${s.healthMessage}` : ''}`,
    ...s.conditions.map(c => `condition ${c.type}: ${c.message}`),
    ...(s.operation
      ? [
          `last operation: ${s.operation.phase}${s.operation.message ? `: ${s.operation.message}` : ''}`
        ]
      : []),
    ...(troubled.length
      ? ['resources not Healthy or not in sync:', ...troubled.map(r => `  ${describeResource(r)}`)]
      : [])
  ].join('\n')
  return { ok: problems.length === 0, problems, evidence }
}

async function readApplication(
  cluster: Cluster,
  name: string,
  namespace: string
): Promise<KubeObject | 'not-served' | undefined> {
  if (!(await cluster.resourceFor(APPLICATION_API.apiVersion, APPLICATION_API.kind)))
    return 'not-served'
  return cluster.get({ ...APPLICATION_API, name, namespace })
}

export const argoCdCheck: ValidationCheck<'argocd'> = {
  key: 'argocd',
  target: s => `${s.namespace ?? DEFAULT_ARGOCD_NAMESPACE}/${s.application}`,
  async run(spec, ctx, location) {
    const namespace = spec.namespace ?? DEFAULT_ARGOCD_NAMESPACE
    const target = `${namespace}/${spec.application}`
    const cluster = await ctx.cluster()
    const app = await readApplication(cluster, spec.application, namespace)
    if (app === 'not-served')
      return checkResult('argocd', target, {
        verdict: 'fail',
        message: `the cluster serves no ${APPLICATION_API.kind} in ${APPLICATION_API.apiVersion}: Argo CD is not installed on ${cluster.context}`,
        adjustment:
          'install Argo CD (its Application CRD), or point the check at the cluster Argo CD runs in',
        location
      })
    if (!app)
      return checkResult('argocd', target, {
        verdict: 'fail',
        message: `Argo CD Application ${target} not found`,
        adjustment: `check the name and namespace (Applications usually live in ${DEFAULT_ARGOCD_NAMESPACE}; set namespace: in the check otherwise)`,
        location
      })
    const s = readArgoStatus(app)
    const want = { sync: spec.sync ?? 'Synced', health: spec.health ?? 'Healthy' }
    const j = judgeApplication(target, s, want)
    const troubled = troubledResources(s)
    return checkResult('argocd', target, {
      verdict: j.ok ? 'pass' : 'fail',
      message: j.ok
        ? `${target} is ${s.sync} and ${s.health}${s.revision ? ` at ${s.revision.slice(0, 12)}` : ''}`
        : `${target}: ${j.problems.join('; ')}${troubled.length ? `; ${troubled.length} resource${troubled.length === 1 ? '' : 's'} not Healthy or not in sync` : ''}`,
      evidence: j.ok ? undefined : j.evidence,
      adjustment: j.ok
        ? undefined
        : s.sync === 'OutOfSync'
          ? `sync the Application (argocd app sync ${spec.application}) or find why it drifts; the resources above differ from git`
          : 'fix what the conditions and the resources above show, then let Argo CD sync again',
      data: {
        sync: s.sync,
        health: s.health,
        revision: s.revision,
        conditions: s.conditions,
        troubled,
        want
      },
      location
    })
  },
  describe: {
    plan: a =>
      `argocd: Application ${a.application} ${a.sync ?? 'Synced'}/${a.health ?? 'Healthy'}`,
    runbook: a =>
      `Argo CD Application ${a.application} is ${a.sync ?? 'Synced'} and ${a.health ?? 'Healthy'}`
  }
}
