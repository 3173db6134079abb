/**
 * The reality check's kinds, each under its own name, in report order. Adding a
 * kind: its module, its name in `AssumptionKind` and its entry in
 * `ASSUMPTION_KINDS` (the compiler names a kind left out or filed under another name).
 */

import type { AssumptionCheck } from './types.js'
import { namespaceCheck } from './namespace.js'
import { apiCheck } from './api.js'
import { imageCheck } from './image.js'
import { crdCheck } from './crd.js'
import { operatorCheck } from './operator.js'
import { permissionCheck } from './permission.js'
import { quotaCheck } from './quota.js'
import { storageClassCheck } from './storage-class.js'
import { admissionCheck } from './admission.js'
import { divergenceCheck } from './divergence.js'
import { hygieneCheck } from './hygiene.js'
import { helmRenderCheck } from './helm-render.js'

export type AssumptionKind =
  | 'namespace'
  | 'helm'
  | 'api'
  | 'image'
  | 'crd'
  | 'operator'
  | 'permission'
  | 'quota'
  | 'storage-class'
  | 'admission'
  | 'divergence'
  | 'hygiene'

/** Every kind under its name; the key order is the report order. */
export const ASSUMPTION_KINDS: { readonly [K in AssumptionKind]: AssumptionCheck<K> } = {
  namespace: namespaceCheck,
  helm: helmRenderCheck,
  api: apiCheck,
  image: imageCheck,
  crd: crdCheck,
  operator: operatorCheck,
  permission: permissionCheck,
  quota: quotaCheck,
  'storage-class': storageClassCheck,
  admission: admissionCheck,
  divergence: divergenceCheck,
  hygiene: hygieneCheck
}

/** The kinds in report order. */
export const ASSUMPTION_CHECKS: readonly AssumptionCheck[] = Object.values(ASSUMPTION_KINDS)
