/**
 * The values of a Secret are secrets: whatever phase-gate applies, snapshots
 * or checks, it registers their decoded values so that a pod printing them to
 * its log (evidence), an error echoing them or a restored snapshot never
 * carries them into a report, summary, comment or log line.
 */

import { registerSecret } from '../core/secrets.js'
import type { KubeObject } from './types.js'

/** Registers every value of a Secret's `data` (decoded) and `stringData`; returns how many. */
export function registerSecretValues(obj: KubeObject | undefined): number {
  if (!obj || obj.kind !== 'Secret' || (obj.apiVersion !== 'v1' && obj.apiVersion !== undefined))
    return 0
  let n = 0
  for (const v of Object.values((obj.data ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') continue
    const decoded = Buffer.from(v, 'base64').toString('utf8')
    registerSecret(decoded)
    // A value that is not valid base64 text is registered as written too.
    registerSecret(v)
    n++
  }
  for (const v of Object.values((obj.stringData ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') continue
    registerSecret(v)
    n++
  }
  return n
}
