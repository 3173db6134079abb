/** The reality check's kinds, in report order. Adding a kind: one module, one line here. */

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

export const ASSUMPTION_CHECKS: AssumptionCheck[] = [
  namespaceCheck,
  helmRenderCheck,
  apiCheck,
  imageCheck,
  crdCheck,
  operatorCheck,
  permissionCheck,
  quotaCheck,
  storageClassCheck,
  admissionCheck,
  divergenceCheck,
  hygieneCheck
]
