/**
 * `http`: a request to a Service through the API server's service proxy
 * (works from outside the cluster, no port-forward) or to a `url:`; judged on
 * status, a body pattern or a CEL expression over the response.
 */

import { durationMs } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import type { HttpResult } from '../kube/types.js'
import type { HttpCheck } from '../plan/types.js'
import { checkResult } from './result.js'
import { code } from '../report/shell.js'
import type { ValidationCheck } from './validation-kind.js'
import { evaluateCel } from '../cel/criteria.js'

type Spec = HttpCheck['http']

async function fetchUrl(spec: Spec, timeoutMs: number, signal: AbortSignal): Promise<HttpResult> {
  const started = Date.now()
  const res = await fetch(spec.url as string, {
    method: spec.method ?? 'GET',
    headers: spec.headers,
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    redirect: 'manual'
  })
  const body = await res.text()
  const headers: Record<string, string> = {}
  res.headers.forEach((v, k) => (headers[k] = v))
  return { status: res.status, headers, body, durationMs: Date.now() - started }
}

export const httpCheck: ValidationCheck<'http'> = {
  key: 'http',
  target: s => s.url ?? `${s.service}:${s.port ?? 80}${s.path ?? '/'}`,
  async run(spec, ctx, location) {
    const target = spec.url ?? `${spec.service}:${spec.port ?? 80}${spec.path ?? '/'}`
    const timeoutMs = durationMs(spec.timeout, 10_000)
    let res: HttpResult
    try {
      if (spec.url) res = await fetchUrl(spec, timeoutMs, ctx.signal)
      else {
        const cluster = await ctx.cluster()
        res = await cluster.proxy({
          namespace: spec.namespace ?? ctx.namespace,
          service: spec.service as string,
          port: spec.port ?? 80,
          path: spec.path ?? '/',
          method: spec.method,
          headers: spec.headers,
          timeoutMs
        })
      }
    } catch (err) {
      return checkResult('http', target, {
        verdict: 'fail',
        message: `no answer from ${target}: ${errorMessage(err)}`,
        adjustment: spec.url
          ? 'check the URL is reachable from the runner'
          : 'check the Service has ready endpoints (kubectl get endpointslices)',
        location
      })
    }
    const problems: string[] = []
    const wantStatus = spec.expect?.status ?? 200
    if (res.status !== wantStatus) problems.push(`status ${res.status}, expected ${wantStatus}`)
    if (spec.expect?.body && !new RegExp(spec.expect.body).test(res.body))
      problems.push(`body does not match /${spec.expect.body}/`)
    if (spec.expect?.cel) {
      let json: unknown
      try {
        json = JSON.parse(res.body)
      } catch {
        json = null
      }
      const ok = evaluateCel(spec.expect.cel, {
        status: res.status,
        body: res.body,
        json,
        headers: res.headers
      })
      if (ok !== true) problems.push(`${spec.expect.cel} is ${String(ok)}`)
    }
    const evidence = `HTTP ${res.status} in ${res.durationMs} ms\n${res.body.slice(0, 500)}`
    return checkResult('http', target, {
      verdict: problems.length ? 'fail' : 'pass',
      message: problems.length
        ? `${target}: ${problems.join('; ')}`
        : `${target} answered ${res.status} in ${res.durationMs} ms`,
      evidence: problems.length ? evidence : undefined,
      data: { status: res.status, durationMs: res.durationMs },
      location
    })
  },
  describe: {
    plan: h => {
      const where =
        h.url ??
        `service ${h.service ?? '?'}${h.port !== undefined ? `:${h.port}` : ''}${h.path ?? '/'}`
      const expect = h.expect?.cel
        ? ` (${h.expect.cel})`
        : ` → ${h.expect?.status ?? 200}${h.expect?.body ? ` with body ~ ${h.expect.body}` : ''}`
      return `http: ${h.method ?? 'GET'} ${where}${expect}`
    },
    runbook: h => {
      const where = h.url ?? `Service ${h.service ?? '?'}:${h.port ?? 80}${h.path ?? '/'}`
      const expect = h.expect?.status !== undefined ? ` answers ${h.expect.status}` : ' answers'
      return `${where}${expect}${h.expect?.body ? ` with a body matching ${code(h.expect.body)}` : ''}${h.expect?.cel ? ` and ${code(h.expect.cel)}` : ''}`
    }
  }
}
