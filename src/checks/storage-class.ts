/**
 * Storage classes: each class in `assumptions.storageClasses` exists, and
 * every claim in the manifests (PersistentVolumeClaims, StatefulSet
 * volumeClaimTemplates, generic ephemeral volumes) names a class that exists,
 * or names none while the cluster has a default class.
 *
 * Claim rules are a list: the access-modes-versus-provisioner rule (a later
 * issue) is one more `ClaimRule` in `CLAIM_RULES`.
 */

import { KubeApiError, type KubeObject } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { CheckResult } from '../report/model.js'
import { isRecord, manifestLocation, records, str } from './manifest-info.js'
import { podTemplateOf } from './pod-templates.js'
import { checkResult, timed, type CheckFields } from './result.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'storage-class'
const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class'
]

/** A StorageClass as the rules need it. */
export interface StorageClassInfo {
  name: string
  provisioner: string
  isDefault: boolean
  reclaimPolicy?: string
  volumeBindingMode?: string
  allowVolumeExpansion?: boolean
  creationTimestamp?: string
}

/** A claim in the manifests. */
export interface ClaimRef {
  manifest: LoadedManifest
  /** Field path of the claim in the object (`spec`, `spec.volumeClaimTemplates[0]`). */
  path: string
  /** The claim's name as people read it (`data`, `volumeClaimTemplates data`). */
  name: string
  /** `storageClassName`: undefined when unset (default class), '' for static binding. */
  className?: string
  accessModes: string[]
}

/** What a rule decides about a claim; undefined means "nothing to say". */
export type ClaimRule = (
  claim: ClaimRef,
  classes: StorageClassInfo[]
) => Omit<CheckFields, 'location'> | undefined

/** A StorageClass object reduced to what the rules use. */
export function storageClassInfo(obj: KubeObject): StorageClassInfo {
  const a = obj.metadata.annotations ?? {}
  return {
    name: obj.metadata.name,
    provisioner: str(obj.provisioner) ?? '?',
    isDefault: DEFAULT_ANNOTATIONS.some(k => a[k] === 'true'),
    reclaimPolicy: str(obj.reclaimPolicy),
    volumeBindingMode: str(obj.volumeBindingMode),
    allowVolumeExpansion: obj.allowVolumeExpansion === true,
    creationTimestamp: obj.metadata.creationTimestamp
  }
}

/** Every claim of the manifests, with its field path. */
export function claimsOf(manifests: LoadedManifest[]): ClaimRef[] {
  const out: ClaimRef[] = []
  const claim = (manifest: LoadedManifest, path: string, name: string, spec: unknown): void => {
    const s = isRecord(spec) ? spec : {}
    out.push({
      manifest,
      path,
      name,
      className: typeof s.storageClassName === 'string' ? s.storageClassName : undefined,
      accessModes: (Array.isArray(s.accessModes) ? s.accessModes : []).filter(
        (m): m is string => typeof m === 'string'
      )
    })
  }
  for (const m of manifests) {
    const obj = m.object
    if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1')
      claim(m, 'spec', obj.metadata.name, obj.spec)
    if (obj.kind === 'StatefulSet' && isRecord(obj.spec))
      records(obj.spec.volumeClaimTemplates).forEach((t, i) => {
        const meta = isRecord(t.metadata) ? t.metadata : {}
        claim(
          m,
          `spec.volumeClaimTemplates[${i}]`,
          `volumeClaimTemplates ${str(meta.name) ?? i}`,
          t.spec
        )
      })
    const t = podTemplateOf(obj)
    if (t)
      records(t.spec.volumes).forEach((v, i) => {
        const eph =
          isRecord(v.ephemeral) && isRecord(v.ephemeral.volumeClaimTemplate)
            ? v.ephemeral.volumeClaimTemplate
            : undefined
        if (eph)
          claim(
            m,
            `${t.path}.volumes[${i}].ephemeral.volumeClaimTemplate`,
            `ephemeral volume ${str(v.name) ?? i}`,
            eph.spec
          )
      })
  }
  return out
}

function listClasses(classes: StorageClassInfo[]): string {
  if (classes.length === 0) return 'none'
  return classes.map(c => `${c.name}${c.isDefault ? ' (default)' : ''}`).join(', ')
}

/** The default class the apiserver would assign: the newest of the defaults (DefaultStorageClass admission). */
export function defaultClass(classes: StorageClassInfo[]): StorageClassInfo | undefined {
  return classes
    .filter(c => c.isDefault)
    .sort(
      (a, b) =>
        (b.creationTimestamp ?? '').localeCompare(a.creationTimestamp ?? '') ||
        a.name.localeCompare(b.name)
    )[0]
}

/** The class a claim names exists, or it names none and there is a default. */
export const classExists: ClaimRule = (claim, classes) => {
  if (claim.className === '')
    return {
      verdict: 'pass',
      message: `${claim.name} binds a pre-provisioned PersistentVolume (storageClassName: "")`
    }
  if (claim.className !== undefined) {
    const c = classes.find(x => x.name === claim.className)
    return c
      ? {
          verdict: 'pass',
          message: `${claim.name} uses StorageClass ${c.name} (${c.provisioner})`,
          data: { class: c.name }
        }
      : {
          verdict: 'fail',
          severity: 'high',
          message: `${claim.name} names StorageClass ${claim.className}, which does not exist: the claim would stay Pending`,
          evidence: `StorageClasses here: ${listClasses(classes)}`,
          adjustment: classes.length
            ? `use one of ${classes.map(x => x.name).join(', ')}, or ask an admin to create ${claim.className}`
            : `this cluster has no StorageClass: ask an admin for one, or bind pre-provisioned volumes (storageClassName: "")`
        }
  }
  const d = defaultClass(classes)
  if (!d)
    return {
      verdict: 'fail',
      severity: 'high',
      message: `${claim.name} names no StorageClass and the cluster has no default: the claim would stay Pending`,
      evidence: `StorageClasses here: ${listClasses(classes)}`,
      adjustment: classes.length
        ? `set storageClassName to one of ${classes.map(x => x.name).join(', ')}`
        : 'ask an admin for a StorageClass, or bind pre-provisioned volumes (storageClassName: "")'
    }
  const defaults = classes.filter(c => c.isDefault)
  if (defaults.length > 1)
    return {
      verdict: 'warn',
      severity: 'low',
      message: `${claim.name} names no StorageClass; the cluster has ${defaults.length} default classes, so it gets the newest, ${d.name}`,
      evidence: `default classes: ${defaults.map(c => c.name).join(', ')}`,
      adjustment: `set storageClassName explicitly`,
      data: { class: d.name }
    }
  return {
    verdict: 'pass',
    message: `${claim.name} gets the default StorageClass ${d.name} (${d.provisioner})`,
    data: { class: d.name }
  }
}

/** The rules every claim goes through, in order; the first that fails or warns decides. */
export const CLAIM_RULES: ClaimRule[] = [classExists]

/** Judges one claim with every rule: the worst verdict's fields, else the first pass. */
export function judgeClaim(
  claim: ClaimRef,
  classes: StorageClassInfo[],
  rules: ClaimRule[] = CLAIM_RULES
): Omit<CheckFields, 'location'> {
  const outcomes = rules
    .map(r => r(claim, classes))
    .filter((o): o is Omit<CheckFields, 'location'> => o !== undefined)
  const rank = { fail: 3, error: 3, warn: 2, pass: 1 } as Record<string, number>
  return (
    outcomes.sort((a, b) => (rank[b.verdict] ?? 0) - (rank[a.verdict] ?? 0))[0] ?? {
      verdict: 'pass',
      message: `${claim.name}: nothing to check`
    }
  )
}

/** The `storage-class` kind: one result per assumed class and per claim in the manifests. */
export const storageClassCheck: AssumptionCheck = {
  kind: KIND,
  applies: ctx =>
    (ctx.loaded.plan.assumptions?.storageClasses?.length ?? 0) > 0 ||
    claimsOf(ctx.manifests).length > 0,
  run: ctx => timed(KIND, KIND, () => checkStorageClasses(ctx))
}

async function checkStorageClasses(ctx: RealityContext): Promise<CheckResult[]> {
  const assumed = ctx.loaded.plan.assumptions?.storageClasses ?? []
  const claims = claimsOf(ctx.manifests)
  let classes: StorageClassInfo[]
  try {
    classes = (await ctx.cluster.list('storage.k8s.io/v1', 'StorageClass')).items.map(
      storageClassInfo
    )
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 403)) throw err
    return [
      checkResult(KIND, 'storage classes', {
        verdict: 'warn',
        severity: 'medium',
        message: `cannot list StorageClasses (forbidden): ${assumed.length} assumed class${assumed.length === 1 ? '' : 'es'} and ${claims.length} claim${claims.length === 1 ? '' : 's'} unchecked`,
        evidence: err.message,
        adjustment:
          'grant this identity list on storageclasses.storage.k8s.io (cluster-scoped, read-only), or have an admin confirm the classes',
        location: ctx.loaded.locate(['assumptions', 'storageClasses'])
      })
    ]
  }
  const results: CheckResult[] = assumed.map((name, i) => {
    const location = ctx.loaded.locate(['assumptions', 'storageClasses', i])
    const c = classes.find(x => x.name === name)
    if (!c)
      return checkResult(KIND, name, {
        verdict: 'fail',
        severity: 'high',
        message: `StorageClass ${name} does not exist; this cluster has ${listClasses(classes)}`,
        adjustment: classes.length
          ? `use one of ${classes.map(x => x.name).join(', ')} in the plan and manifests, or ask an admin to create ${name}`
          : 'ask an admin for a StorageClass',
        data: { classes: classes.map(x => x.name) },
        location
      })
    return checkResult(KIND, name, {
      verdict: 'pass',
      message: `StorageClass ${name} exists${c.isDefault ? ' (the default)' : ''}: provisioner ${c.provisioner}${c.volumeBindingMode ? `, ${c.volumeBindingMode}` : ''}${c.reclaimPolicy ? `, reclaim ${c.reclaimPolicy}` : ''}`,
      data: { ...c },
      location
    })
  })
  for (const claim of claims) {
    const o = claim.manifest.object
    results.push(
      checkResult(KIND, `${o.kind}/${o.metadata.name} ${claim.path}`, {
        ...judgeClaim(claim, classes),
        location: manifestLocation(claim.manifest, claim.path)
      })
    )
  }
  return results
}
