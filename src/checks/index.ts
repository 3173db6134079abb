/** The reality check's kinds, in report order. Adding a kind: one module, one line here. */

import type { AssumptionCheck } from './types.js'
import { namespaceCheck } from './namespace.js'
import { apiCheck } from './api.js'

export const ASSUMPTION_CHECKS: AssumptionCheck[] = [namespaceCheck, apiCheck]
