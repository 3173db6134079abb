/** Small builders that keep every CheckResult's id, timing and shape consistent. */

import { errorMessage, InfraError, isBug, REPORT_BUG } from '../core/errors.js'
import { KubeApiError } from '../kube/types.js'
import { redact } from '../core/secrets.js'
import type { CheckResult, Severity, SourceLocation, Verdict } from '../report/model.js'

export interface CheckFields {
  verdict: Verdict
  severity?: Severity
  message: string
  evidence?: string
  adjustment?: string
  location?: SourceLocation
  data?: Record<string, unknown>
  retries?: number
  durationMs?: number
}

/** A CheckResult with id `<kind>:<target>`, secrets redacted. */
export function checkResult(kind: string, target: string, f: CheckFields): CheckResult {
  const out: CheckResult = {
    id: `${kind}:${target}`,
    kind,
    target,
    verdict: f.verdict,
    severity: f.severity ?? defaultSeverity(f.verdict),
    message: redact(f.message),
    durationMs: Math.round(f.durationMs ?? 0)
  }
  if (f.evidence) out.evidence = redact(f.evidence)
  if (f.adjustment) out.adjustment = redact(f.adjustment)
  if (f.location) out.location = f.location
  if (f.data) out.data = f.data
  if (f.retries) out.retries = f.retries
  return out
}

function defaultSeverity(v: Verdict): Severity {
  return v === 'fail' || v === 'error' ? 'high' : v === 'warn' ? 'medium' : 'info'
}

/** The result for a check that threw: `error` (could not check), with what went wrong. */
export function errorResult(
  kind: string,
  target: string,
  err: unknown,
  location?: SourceLocation
): CheckResult {
  if (isBug(err))
    return checkResult(kind, target, {
      verdict: 'error',
      severity: 'high',
      message: `internal error while checking ${target}: ${errorMessage(err)}`,
      adjustment: REPORT_BUG,
      location,
      data: { bug: true }
    })
  const hint = err instanceof InfraError ? err.hint : undefined
  const status =
    err instanceof KubeApiError && err.status && !errorMessage(err).includes(`HTTP ${err.status}`)
      ? ` (HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''})`
      : ''
  return checkResult(kind, target, {
    verdict: 'error',
    severity: 'high',
    message: `could not check ${target}: ${errorMessage(err)}${status}`,
    adjustment: hint,
    location
  })
}

/** Runs `fn`, timing it into the results it returns; a throw becomes one error result. */
export async function timed(
  kind: string,
  target: string,
  fn: () => Promise<CheckResult | CheckResult[]>,
  location?: SourceLocation
): Promise<CheckResult[]> {
  const started = performance.now()
  let results: CheckResult[]
  try {
    const r = await fn()
    results = Array.isArray(r) ? r : [r]
  } catch (err) {
    results = [errorResult(kind, target, err, location)]
  }
  const ms = Math.round(performance.now() - started)
  for (const r of results) if (!r.durationMs) r.durationMs = ms
  return results
}
