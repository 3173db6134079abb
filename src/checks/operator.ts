/**
 * `assumptions.operators`: each operator is installed and ready, found the way
 * operators are installed in practice: an OLM ClusterServiceVersion in phase
 * Succeeded, else an Available Deployment, else a deployed Helm release. The
 * three lookups run at once; the report says which one found it, the version
 * found, and the `version` range when the plan gives one.
 */

import { gunzipSync } from 'node:zlib'
import { computeStatus, findCondition } from '../kube/readiness.js'
import { KubeApiError, type KubeObject, type ListOptions } from '../kube/types.js'
import type { OperatorAssumption } from '../plan/types.js'
import type { CheckResult } from '../report/model.js'
import { mapBounded } from './concurrency.js'
import { findResource } from './manifest-info.js'
import { isRecord, records, str } from '../core/fields.js'
import { checkResult, timed } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'
import { parseRange, satisfies } from './version-range.js'

const KIND = 'operator'
const CSV_API = 'operators.coreos.com/v1alpha1'

/** Where an operator was found and in what state. */
export interface OperatorSighting {
  source: 'csv' | 'deployment' | 'helm'
  /** `namespace/name` of the CSV, Deployment or release. */
  where: string
  ready: boolean
  version?: string
  /** Phase, condition or release status, in the server's words. */
  state: string
}

/** The outcome of the three lookups for one operator. */
export interface OperatorLookup {
  sightings: OperatorSighting[]
  /** What was looked for, for the message when nothing is found. */
  lookedFor: string[]
  /** Lookups that could not be made (forbidden, not served), with why. */
  notes: string[]
}

/** The plan's operator entry with defaults. */
export function normalizeOperator(a: string | OperatorAssumption): OperatorAssumption {
  return typeof a === 'string' ? { name: a } : a
}

/** True when a CSV named `name.v1.2.3` (or `name-v1.2.3`, or exactly `name`) belongs to operator `name`. */
export function csvBelongsTo(csvName: string, operator: string): boolean {
  return (
    csvName === operator ||
    csvName.startsWith(`${operator}.`) ||
    new RegExp(`^${escapeRe(operator)}-v?\\d`).test(csvName)
  )
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The tag of an image reference (digest dropped), or undefined for an untagged image. */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0]
  const slash = noDigest.lastIndexOf('/')
  const colon = noDigest.lastIndexOf(':')
  return colon > slash ? noDigest.slice(colon + 1) : undefined
}

/** Judges what the lookups found against the plan's entry; the fields of the one result. */
export function judgeOperator(
  op: OperatorAssumption,
  lookup: OperatorLookup
): Pick<CheckResult, 'verdict' | 'severity' | 'message'> & {
  evidence?: string
  adjustment?: string
  data: Record<string, unknown>
} {
  const order: OperatorSighting['source'][] = ['csv', 'deployment', 'helm']
  const sorted = [...lookup.sightings].sort(
    (a, b) => order.indexOf(a.source) - order.indexOf(b.source)
  )
  const ready = sorted.find(s => s.ready)
  const label = { csv: 'ClusterServiceVersion', deployment: 'Deployment', helm: 'Helm release' }
  const notes = lookup.notes.length ? `\nnot looked at: ${lookup.notes.join('; ')}` : ''
  const seen = sorted
    .map(
      s => `${label[s.source]} ${s.where}: ${s.state}${s.version ? ` (version ${s.version})` : ''}`
    )
    .join('\n')
  if (!ready) {
    if (sorted.length > 0) {
      const first = sorted[0]
      return {
        verdict: 'fail',
        severity: 'high',
        message: `operator ${op.name} is installed but not ready: ${label[first.source]} ${first.where} is ${first.state}`,
        evidence: seen + notes,
        adjustment:
          first.source === 'csv'
            ? `look at the CSV's status.message and the OLM InstallPlan in ${first.where.split('/')[0]}; fix the install before deploying`
            : first.source === 'deployment'
              ? `look at the operator Deployment's pods (kubectl -n ${first.where.split('/')[0]} get pods) and fix them before deploying`
              : `the release is not deployed; run \`helm history ${op.name}\` and finish or roll back the release`,
        data: { found: sorted }
      }
    }
    return {
      verdict: 'fail',
      severity: 'high',
      message: `operator ${op.name} is not installed${op.namespace ? ` in namespace ${op.namespace}` : ''}`,
      evidence: `looked for ${lookup.lookedFor.join('; ')}: none found${notes}`,
      adjustment: `install ${op.name}${op.namespace ? ` into ${op.namespace}` : ''} (OLM Subscription, Helm chart or manifests) before this deployment, or correct the operator's name or namespace in the plan`,
      data: { found: [] }
    }
  }
  const where = `${label[ready.source]} ${ready.where}`
  const data: Record<string, unknown> = {
    source: ready.source,
    where: ready.where,
    version: ready.version
  }
  if (op.version) {
    data.range = op.version
    if (!parseRange(op.version))
      return {
        verdict: 'fail',
        severity: 'high',
        message: `operator ${op.name}: version range "${op.version}" does not parse`,
        adjustment: 'write the range like ">=1.20", "^1.2", "~1.2.3", ">=1.2 <2" or "1.2.x"',
        data
      }
    const ok = ready.version ? satisfies(ready.version, op.version) : undefined
    if (ok === undefined)
      return {
        verdict: 'warn',
        severity: 'medium',
        message: `operator ${op.name} is ready (${where}), but its version ${ready.version ? `"${ready.version}" is not a version` : 'is unknown'}, so ${op.version} could not be judged`,
        evidence: seen + notes,
        adjustment: `label the operator's Deployment with app.kubernetes.io/version, or pin the image to a version tag`,
        data
      }
    if (!ok)
      return {
        verdict: 'fail',
        severity: 'high',
        message: `operator ${op.name} ${ready.version} does not satisfy ${op.version} (${where})`,
        evidence: seen + notes,
        adjustment: `upgrade ${op.name} to a version matching ${op.version}, or relax the plan's range if this version is known to work`,
        data
      }
  }
  return {
    verdict: 'pass',
    severity: 'info',
    message: `operator ${op.name}${ready.version ? ` ${ready.version}` : ''} is ready (${where}: ${ready.state})${op.version ? `, satisfies ${op.version}` : ''}`,
    evidence: sorted.length > 1 ? seen : undefined,
    data
  }
}

/** Lists, but with a 403 on a cluster-wide list retried in the fallback namespace (recorded in `notes`). */
async function listScoped(
  ctx: RealityContext,
  apiVersion: string,
  kind: string,
  opts: ListOptions,
  notes: string[]
): Promise<KubeObject[]> {
  try {
    return (await ctx.cluster.list(apiVersion, kind, opts)).items
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403) {
      if (opts.namespace === undefined) {
        notes.push(`${kind}s in all namespaces (forbidden; looked in ${ctx.namespace} only)`)
        return listScoped(ctx, apiVersion, kind, { ...opts, namespace: ctx.namespace }, notes)
      }
      notes.push(`${kind}s in ${opts.namespace} (forbidden)`)
      return []
    }
    throw err
  }
}

function csvSighting(csv: KubeObject): OperatorSighting {
  const spec = isRecord(csv.spec) ? csv.spec : {}
  const status = isRecord(csv.status) ? csv.status : {}
  const phase = str(status.phase) ?? 'no phase yet'
  const reason = str(status.reason)
  const message = str(status.message)
  return {
    source: 'csv',
    where: `${csv.metadata.namespace}/${csv.metadata.name}`,
    ready: phase === 'Succeeded',
    version: str(spec.version) ?? /\.v?(\d+\.\d+.*)$/.exec(csv.metadata.name)?.[1],
    state: `phase ${phase}${reason ? ` (${reason}${message ? `: ${message}` : ''})` : ''}`
  }
}

function deploymentSighting(d: KubeObject, operator: string): OperatorSighting {
  const available = findCondition(d, 'Available')
  const kstatus = computeStatus(d)
  const spec = isRecord(d.spec) ? d.spec : {}
  const tpl = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : {}
  const containers = records(tpl.containers)
  const main = containers.find(c => c.name === operator || c.name === 'manager') ?? containers[0]
  const image = main ? str(main.image) : undefined
  const version =
    d.metadata.labels?.['app.kubernetes.io/version'] ?? (image ? imageTag(image) : undefined)
  return {
    source: 'deployment',
    where: `${d.metadata.namespace}/${d.metadata.name}`,
    ready: available?.status === 'True',
    version,
    state: available
      ? `Available=${available.status}${available.message ? ` (${available.message})` : ''}`
      : `no Available condition yet (${kstatus.status}: ${kstatus.message})`
  }
}

/** The chart version of a Helm 3 release Secret: `data.release` is base64 of base64 of gzipped JSON. */
export function helmChartVersion(secret: KubeObject): string | undefined {
  const data = isRecord(secret.data) ? secret.data : {}
  const raw = str(data.release)
  if (!raw) return undefined
  try {
    let bytes = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64')
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
    const release = JSON.parse(bytes.toString('utf8')) as {
      chart?: { metadata?: { version?: string; appVersion?: string } }
    }
    return release.chart?.metadata?.version
  } catch {
    return undefined
  }
}

function helmSighting(secrets: KubeObject[], wantVersion: boolean): OperatorSighting | undefined {
  const revision = (s: KubeObject): number => Number(s.metadata.labels?.version ?? 0)
  const sorted = [...secrets].sort((a, b) => revision(b) - revision(a))
  const deployed = sorted.find(s => s.metadata.labels?.status === 'deployed')
  const pick = deployed ?? sorted[0]
  if (!pick) return undefined
  const status = pick.metadata.labels?.status ?? 'unknown'
  const rev = revision(pick)
  // The labels hold the revision, not the chart version; the release itself is
  // decoded only when a version range has to be judged.
  const chart = wantVersion ? helmChartVersion(pick) : undefined
  return {
    source: 'helm',
    where: `${pick.metadata.namespace}/${pick.metadata.labels?.name ?? pick.metadata.name}`,
    ready: status === 'deployed',
    version: chart,
    state: `revision ${rev} ${status}${!wantVersion ? ' (chart version not decoded: no version range asked)' : ''}`
  }
}

/** Runs the CSV, Deployment and Helm lookups for one operator at once. */
export async function lookUpOperator(
  ctx: RealityContext,
  op: OperatorAssumption
): Promise<OperatorLookup> {
  const notes: string[] = []
  const ns = op.namespace
  const where = ns ? `in ${ns}` : 'in any namespace'
  const lookedFor: string[] = []
  const olm = findResource(ctx.surface, CSV_API, 'ClusterServiceVersion') !== undefined
  if (olm) lookedFor.push(`a ClusterServiceVersion ${op.name}.v* in phase Succeeded ${where}`)
  else notes.push('ClusterServiceVersions (OLM is not installed: no operators.coreos.com/v1alpha1)')
  lookedFor.push(`a Deployment ${op.name} (or labelled app.kubernetes.io/name=${op.name}) ${where}`)
  lookedFor.push(`a Helm release ${op.name} (Secrets labelled owner=helm,name=${op.name}) ${where}`)

  const csvs = olm
    ? // OLM copies a CSV into every namespace an AllNamespaces operator watches; the copies say nothing new.
      listScoped(
        ctx,
        CSV_API,
        'ClusterServiceVersion',
        { namespace: ns, labelSelector: '!olm.copiedFrom' },
        notes
      ).then(items => items.filter(c => csvBelongsTo(c.metadata.name, op.name)).map(csvSighting))
    : Promise.resolve([])
  const deployments = (async (): Promise<OperatorSighting[]> => {
    const found = new Map<string, KubeObject>()
    const [byName, byLabel] = await Promise.all([
      ns
        ? ctx.cluster
            .get({ apiVersion: 'apps/v1', kind: 'Deployment', name: op.name, namespace: ns })
            .then(d => (d ? [d] : []))
            .catch(err => {
              if (err instanceof KubeApiError && err.status === 403) {
                notes.push(`Deployment ${ns}/${op.name} (forbidden)`)
                return []
              }
              throw err
            })
        : listScoped(
            ctx,
            'apps/v1',
            'Deployment',
            { fieldSelector: `metadata.name=${op.name}` },
            notes
          ),
      listScoped(
        ctx,
        'apps/v1',
        'Deployment',
        { namespace: ns, labelSelector: `app.kubernetes.io/name=${op.name}` },
        notes
      )
    ])
    for (const d of [...byName, ...byLabel])
      found.set(`${d.metadata.namespace}/${d.metadata.name}`, d)
    return [...found.values()].map(d => deploymentSighting(d, op.name))
  })()
  const helm = listScoped(
    ctx,
    'v1',
    'Secret',
    { namespace: ns, labelSelector: `owner=helm,name=${op.name}` },
    notes
  ).then(secrets => {
    const s = helmSighting(secrets, op.version !== undefined)
    return s ? [s] : []
  })
  const all = await Promise.all([csvs, deployments, helm])
  return { sightings: all.flat(), lookedFor, notes }
}

/** The `operator` kind: one result per `assumptions.operators` entry. */
export const operatorCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => (ctx.loaded.plan.assumptions?.operators?.length ?? 0) > 0,
  async run(ctx) {
    const ops = (ctx.loaded.plan.assumptions?.operators ?? []).map(normalizeOperator)
    const results = await mapBounded(ops, (op, i) => {
      const location = ctx.loaded.locate(['assumptions', 'operators', i])
      const target = op.namespace ? `${op.namespace}/${op.name}` : op.name
      return timed(
        KIND,
        target,
        async () => {
          const lookup = await lookUpOperator(ctx, op)
          return checkResult(KIND, target, { ...judgeOperator(op, lookup), location })
        },
        location
      )
    })
    return results.flat()
  }
}
