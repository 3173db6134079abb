/**
 * `env`: every container of every Pod matching a selector has the required
 * variables, set directly, through valueFrom (Secret/ConfigMap key, field) or
 * envFrom. Values are never read into the report: only where each comes from.
 */

import type { KubeObject } from '../kube/types.js'
import { checkResult } from './result.js'
import { code } from '../report/shell.js'
import type { ValidationCheck } from './validation-kind.js'

interface Container {
  name: string
  env?: {
    name: string
    value?: string
    valueFrom?: Record<string, { name?: string; key?: string; fieldPath?: string }>
  }[]
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string }; prefix?: string }[]
}

/** Where each required variable of a container comes from, or that it is missing. */
export async function resolveEnv(
  container: Container,
  require: string[],
  lookup: (
    kind: 'ConfigMap' | 'Secret',
    name: string
  ) => Promise<Record<string, string> | undefined>
): Promise<{ found: Record<string, string>; missing: string[] }> {
  const found: Record<string, string> = {}
  const missing: string[] = []
  for (const name of require) {
    const direct = container.env?.find(e => e.name === name)
    if (direct) {
      if (direct.value !== undefined) found[name] = 'value'
      else if (direct.valueFrom) {
        const [kind, ref] = Object.entries(direct.valueFrom)[0] ?? []
        if (kind === 'secretKeyRef' || kind === 'configMapKeyRef') {
          const data = await lookup(
            kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap',
            ref?.name ?? ''
          )
          if (data && ref?.key && ref.key in data)
            found[name] =
              `${kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} ${ref.name}[${ref.key}]`
          else missing.push(`${name} (${kind} ${ref?.name}[${ref?.key}] does not exist)`)
        } else found[name] = kind ?? 'valueFrom'
      }
      continue
    }
    let fromRef = false
    for (const src of container.envFrom ?? []) {
      const kind = src.secretRef ? 'Secret' : 'ConfigMap'
      const refName = src.secretRef?.name ?? src.configMapRef?.name ?? ''
      const prefix = src.prefix ?? ''
      if (!name.startsWith(prefix)) continue
      const data = await lookup(kind, refName)
      if (data && name.slice(prefix.length) in data) {
        found[name] = `envFrom ${kind} ${refName}`
        fromRef = true
        break
      }
    }
    if (!fromRef) missing.push(name)
  }
  return { found, missing }
}

export const envCheck: ValidationCheck<'env'> = {
  key: 'env',
  target: s => s.selector,
  async run(spec, ctx, location) {
    const cluster = await ctx.cluster()
    const namespace = spec.namespace ?? ctx.namespace
    const { items: pods } = await cluster.list('v1', 'Pod', {
      namespace,
      labelSelector: spec.selector
    })
    const live = pods.filter(p => !p.metadata.deletionTimestamp)
    if (live.length === 0)
      return checkResult('env', spec.selector, {
        verdict: 'fail',
        message: `no Pod in ${namespace} matches ${spec.selector}`,
        adjustment: 'check the selector against the workload’s pod labels',
        location
      })
    const cache = new Map<string, Promise<Record<string, string> | undefined>>()
    // Only keys are kept: values of Secrets never leave this function.
    const lookup = (
      kind: 'ConfigMap' | 'Secret',
      name: string
    ): Promise<Record<string, string> | undefined> => {
      const k = `${kind}/${name}`
      if (!cache.has(k))
        cache.set(
          k,
          cluster.get({ apiVersion: 'v1', kind, name, namespace }).then(o => {
            if (!o) return undefined
            const keys = {
              ...((o.data as Record<string, string>) ?? {}),
              ...((o.binaryData as Record<string, string>) ?? {})
            }
            return Object.fromEntries(Object.keys(keys).map(key => [key, '']))
          })
        )
      return cache.get(k) as Promise<Record<string, string> | undefined>
    }
    const missingLines: string[] = []
    for (const pod of live) {
      const containers = ((pod.spec as { containers?: Container[] })?.containers ?? []).filter(
        c => !spec.container || c.name === spec.container
      )
      for (const c of containers) {
        const { missing } = await resolveEnv(c, spec.require, lookup)
        if (missing.length)
          missingLines.push(`${podName(pod)}/${c.name}: missing ${missing.join(', ')}`)
      }
    }
    return checkResult('env', spec.selector, {
      verdict: missingLines.length ? 'fail' : 'pass',
      message: missingLines.length
        ? `${missingLines.length} container${missingLines.length === 1 ? '' : 's'} lack required variables`
        : `${spec.require.join(', ')} set in every container of ${live.length} pod${live.length === 1 ? '' : 's'}`,
      evidence: missingLines.length ? missingLines.slice(0, 20).join('\n') : undefined,
      adjustment: missingLines.length
        ? 'set the variables in the pod template, from a Secret with secretKeyRef for credentials'
        : undefined,
      location
    })
  },
  describe: {
    plan: e => `env: pods ${e.selector} have ${e.require.join(', ')}`,
    runbook: e => `pods ${code(e.selector)} have ${e.require.join(', ')} in their environment`
  }
}

function podName(p: KubeObject): string {
  return p.metadata.name
}
