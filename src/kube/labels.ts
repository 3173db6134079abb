/**
 * The labels every applied object carries, so later gates find what a plan
 * applied and cleanup finds exactly what a run made. Labels go on object
 * metadata only, never on pod templates or selectors (that would restart
 * every pod on each run).
 */

import type { KubeObject } from './types.js'

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by'
export const LABEL_PLAN = 'phase-gate.dev/plan'
export const LABEL_RUN = 'phase-gate.dev/run'
export const LABEL_ROLE = 'phase-gate.dev/role'
export const LABEL_PHASE = 'phase-gate.dev/phase'
export const ANNOTATION_KEEP = 'phase-gate.dev/keep'
export const ANNOTATION_HELM_KEEP = 'helm.sh/resource-policy'

export type Role = 'tracer' | 'phase'

export interface RunLabels {
  plan: string
  run: string
  role: Role
  /** The phase (or tracer) name, when the object belongs to one. */
  unit?: string
}

/** A label value made valid: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
export function labelValue(text: string): string {
  const v = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
  return v || 'x'
}

/** A DNS-1123 name fragment: lowercase alphanumerics and '-'. */
export function dnsName(text: string, max = 253): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || 'x'
  )
}

/** The object with the run's labels on its metadata (a copy; templates untouched; a managed-by label it has stays). */
export function withRunLabels(obj: KubeObject, l: RunLabels): KubeObject {
  const labels: Record<string, string> = {
    // Helm, Kustomize and Argo CD set their own managed-by: it stays.
    [LABEL_MANAGED_BY]: 'phase-gate',
    ...(obj.metadata.labels ?? {}),
    [LABEL_PLAN]: labelValue(l.plan),
    [LABEL_RUN]: labelValue(l.run),
    [LABEL_ROLE]: l.role
  }
  if (l.unit) labels[LABEL_PHASE] = labelValue(l.unit)
  return { ...obj, metadata: { ...obj.metadata, labels } }
}

/** Selector for everything one run applied in a role. */
export function runSelector(plan: string, run: string, role?: Role): string {
  const parts = [`${LABEL_PLAN}=${labelValue(plan)}`, `${LABEL_RUN}=${labelValue(run)}`]
  if (role) parts.push(`${LABEL_ROLE}=${role}`)
  return parts.join(',')
}

/** True when undo must leave the object in place (PVCs, keep annotations). */
export function isKept(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {}
  return (
    obj.kind === 'PersistentVolumeClaim' ||
    a[ANNOTATION_HELM_KEEP] === 'keep' ||
    a[ANNOTATION_KEEP] === 'true'
  )
}
