/**
 * Storage classes: each class in `assumptions.storageClasses` exists, and
 * every claim in the manifests (PersistentVolumeClaims, StatefulSet
 * volumeClaimTemplates, generic ephemeral volumes) names a class that exists,
 * or names none while the cluster has a default class.
 *
 * Claim rules are a list: the access-modes-versus-provisioner rule is one
 * more `ClaimRule` in `CLAIM_RULES` (modes of known provisioners from
 * PROVISIONER_ACCESS_MODES, overridden by the class annotation
 * `phase-gate.dev/access-modes`). Binding mode is judged beside the claims:
 * a WaitForFirstConsumer claim nothing in the plan mounts never binds (a
 * phase or tracer waiting for it times out), and an Immediate class of a
 * zonal or node-local provisioner places volumes before the pod.
 */

import { KubeApiError, type KubeObject } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { CheckResult } from '../report/model.js'
import { manifestLocation } from './manifest-info.js'
import { isRecord, records, str } from '../core/fields.js'
import { loadPlanObjects } from './plan-objects.js'
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
  /** Access modes from the class annotation `phase-gate.dev/access-modes`, when set. */
  accessModes?: string[]
}

/** The StorageClass annotation that says which access modes the class gives (comma-separated). */
export const ACCESS_MODES_ANNOTATION = 'phase-gate.dev/access-modes'

const RWO = 'ReadWriteOnce'
const ROX = 'ReadOnlyMany'
const RWX = 'ReadWriteMany'
const RWOP = 'ReadWriteOncePod'

/**
 * Access modes of filesystem volumes that known provisioners give (ReadWriteOncePod needs a CSI
 * driver). From each driver's documentation; a class annotation overrides it.
 */
export const PROVISIONER_ACCESS_MODES: Readonly<Record<string, readonly string[]>> = {
  'ebs.csi.aws.com': [RWO, RWOP],
  'kubernetes.io/aws-ebs': [RWO],
  'efs.csi.aws.com': [RWO, ROX, RWX, RWOP],
  'pd.csi.storage.gke.io': [RWO, ROX, RWOP],
  'kubernetes.io/gce-pd': [RWO, ROX],
  'filestore.csi.storage.gke.io': [RWO, ROX, RWX],
  'disk.csi.azure.com': [RWO, RWOP],
  'kubernetes.io/azure-disk': [RWO],
  'file.csi.azure.com': [RWO, ROX, RWX, RWOP],
  'kubernetes.io/azure-file': [RWO, ROX, RWX],
  'cinder.csi.openstack.org': [RWO, RWOP],
  'manila.csi.openstack.org': [RWO, ROX, RWX],
  'csi.vsphere.vmware.com': [RWO, RWOP],
  'rbd.csi.ceph.com': [RWO, RWOP],
  'cephfs.csi.ceph.com': [RWO, ROX, RWX, RWOP],
  'openshift-storage.rbd.csi.ceph.com': [RWO, RWOP],
  'openshift-storage.cephfs.csi.ceph.com': [RWO, ROX, RWX, RWOP],
  'nfs.csi.k8s.io': [RWO, ROX, RWX, RWOP],
  'smb.csi.k8s.io': [RWO, ROX, RWX, RWOP],
  'driver.longhorn.io': [RWO, RWX, RWOP],
  'topolvm.io': [RWO, RWOP],
  'rancher.io/local-path': [RWO],
  'kubernetes.io/no-provisioner': [RWO],
  'k8s.io/minikube-hostpath': [RWO, ROX, RWX],
  'phase-gate.dev/local': [RWO, RWOP]
}

/** Provisioners whose volumes live in one zone or on one node: Immediate binding places them before the pod. */
export const TOPOLOGY_BOUND_PROVISIONERS = new Set([
  'ebs.csi.aws.com',
  'kubernetes.io/aws-ebs',
  'pd.csi.storage.gke.io',
  'kubernetes.io/gce-pd',
  'disk.csi.azure.com',
  'kubernetes.io/azure-disk',
  'cinder.csi.openstack.org',
  'topolvm.io',
  'rancher.io/local-path',
  'kubernetes.io/no-provisioner'
])

/** The modes a class gives and where that is known from; undefined for an unknown provisioner without annotation. */
export function classAccessModes(
  c: StorageClassInfo
): { modes: readonly string[]; from: string } | undefined {
  if (c.accessModes?.length)
    return { modes: c.accessModes, from: `its annotation ${ACCESS_MODES_ANNOTATION}` }
  const known = PROVISIONER_ACCESS_MODES[c.provisioner]
  return known
    ? { modes: known, from: `phase-gate's table of known provisioners (${c.provisioner})` }
    : undefined
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
    creationTimestamp: obj.metadata.creationTimestamp,
    ...(a[ACCESS_MODES_ANNOTATION]
      ? {
          accessModes: a[ACCESS_MODES_ANNOTATION].split(/[,\s]+/).filter(Boolean)
        }
      : {})
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
/** The class a claim gets: the one it names, else the default ('' binds pre-provisioned volumes: none). */
export function claimClass(
  claim: ClaimRef,
  classes: StorageClassInfo[]
): StorageClassInfo | undefined {
  if (claim.className === '') return undefined
  if (claim.className !== undefined) return classes.find(c => c.name === claim.className)
  return defaultClass(classes)
}

/** The claim's access modes are ones its class can give; no opinion when the provisioner is unknown. */
export const accessModesSupported: ClaimRule = (claim, classes) => {
  const c = claimClass(claim, classes)
  if (!c || claim.accessModes.length === 0) return undefined
  const known = classAccessModes(c)
  if (!known) return undefined
  const missing = claim.accessModes.filter(m => !known.modes.includes(m))
  if (missing.length === 0)
    return {
      verdict: 'pass',
      message: `${claim.name} asks for ${claim.accessModes.join(', ')}, which StorageClass ${c.name} gives`,
      data: { class: c.name, accessModes: claim.accessModes, classModes: known.modes }
    }
  const able = classes.filter(x => {
    const m = classAccessModes(x)
    return x.name !== c.name && m !== undefined && claim.accessModes.every(a => m.modes.includes(a))
  })
  return {
    verdict: 'fail',
    severity: 'high',
    message: `${claim.name} asks for ${missing.join(', ')}, which StorageClass ${c.name} (${c.provisioner}) cannot give: the claim would stay Pending (ProvisioningFailed)`,
    evidence: `StorageClass ${c.name} gives ${known.modes.join(', ')} (from ${known.from})`,
    adjustment: able.length
      ? `use a class that gives ${claim.accessModes.join(', ')}: ${able.map(x => x.name).join(', ')}`
      : missing.includes(RWX)
        ? 'no class here gives ReadWriteMany: use ReadWriteOnce with one writer (a StatefulSet with a claim per replica), or ask for a shared-filesystem class (NFS, CephFS, EFS, Azure Files); if the class can do it, say so with the annotation phase-gate.dev/access-modes'
        : `ask for a class that gives ${missing.join(', ')}, or annotate the class with phase-gate.dev/access-modes if it can`,
    data: { class: c.name, accessModes: claim.accessModes, classModes: known.modes, missing }
  }
}

export const CLAIM_RULES: ClaimRule[] = [classExists, accessModesSupported]

/** Claim names that a pod template among these manifests mounts, by namespace (`ns/name`). */
export function mountedClaims(manifests: LoadedManifest[], defaultNamespace: string): Set<string> {
  const out = new Set<string>()
  for (const m of manifests) {
    const t = podTemplateOf(m.object)
    if (!t) continue
    const ns = m.object.metadata.namespace ?? defaultNamespace
    for (const v of records(t.spec.volumes)) {
      const pvc = isRecord(v.persistentVolumeClaim)
        ? str(v.persistentVolumeClaim.claimName)
        : undefined
      if (pvc) out.add(`${ns}/${pvc}`)
    }
  }
  return out
}

/** What the class's binding mode means for this claim; undefined when there is nothing to say. */
export function judgeBinding(
  claim: ClaimRef,
  classes: StorageClassInfo[],
  mounted: Set<string>,
  defaultNamespace: string
): Omit<CheckFields, 'location'> | undefined {
  const c = claimClass(claim, classes)
  if (!c) return undefined
  const mode = c.volumeBindingMode ?? 'Immediate'
  const obj = claim.manifest.object
  if (mode === 'WaitForFirstConsumer' && obj.kind === 'PersistentVolumeClaim') {
    const key = `${obj.metadata.namespace ?? defaultNamespace}/${obj.metadata.name}`
    if (mounted.has(key)) return undefined
    return {
      verdict: 'warn',
      severity: 'medium',
      message: `${claim.name} uses StorageClass ${c.name} (volumeBindingMode WaitForFirstConsumer) and no pod in the plan mounts it: it stays Pending until one does, so a phase or tracer waiting for it to be Bound times out`,
      adjustment: `apply the workload that mounts ${obj.metadata.name} in the same phase, or use a class with volumeBindingMode Immediate${
        classes.some(x => (x.volumeBindingMode ?? 'Immediate') === 'Immediate')
          ? ` (${classes
              .filter(x => (x.volumeBindingMode ?? 'Immediate') === 'Immediate')
              .map(x => x.name)
              .join(', ')})`
          : ''
      } for a claim that must bind on its own`,
      data: { class: c.name, volumeBindingMode: mode }
    }
  }
  if (mode === 'Immediate' && TOPOLOGY_BOUND_PROVISIONERS.has(c.provisioner))
    return {
      verdict: 'warn',
      severity: 'low',
      message: `${claim.name} uses StorageClass ${c.name} (${c.provisioner}, volumeBindingMode Immediate): the volume is placed in a zone or on a node before the pod is scheduled, so the pod may then find no node it may run on (volume node affinity conflict)`,
      adjustment: `use a class with volumeBindingMode WaitForFirstConsumer${
        classes.some(
          x => x.provisioner === c.provisioner && x.volumeBindingMode === 'WaitForFirstConsumer'
        )
          ? ` (${classes
              .filter(
                x =>
                  x.provisioner === c.provisioner && x.volumeBindingMode === 'WaitForFirstConsumer'
              )
              .map(x => x.name)
              .join(', ')})`
          : ''
      }, or pin the pod to the volume's zone`,
      data: { class: c.name, volumeBindingMode: mode }
    }
  return undefined
}

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
export const storageClassCheck: AssumptionCheck<typeof KIND> = {
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
  // Binding modes: who mounts each claim, across the assumed manifests, phases and tracers.
  if (claims.length) {
    const plan = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
    const everything = [
      ...ctx.manifests,
      ...[...plan.phases, ...plan.tracers].flatMap(u => u.manifests)
    ]
    const mounted = mountedClaims(everything, ctx.namespace)
    for (const claim of claims) {
      const b = judgeBinding(claim, classes, mounted, ctx.namespace)
      const o = claim.manifest.object
      if (b)
        results.push(
          checkResult(KIND, `binding ${o.kind}/${o.metadata.name} ${claim.path}`, {
            ...b,
            location: manifestLocation(claim.manifest, claim.path)
          })
        )
    }
  }
  return results
}
