/** The target namespace exists, or this identity may create it. */

import type { AssumptionCheck } from './types.js'
import { checkResult } from './result.js'
import { KubeApiError } from '../kube/types.js'

export const namespaceCheck: AssumptionCheck<'namespace'> = {
  kind: 'namespace',
  applies: () => true,
  async run(ctx) {
    const ns = ctx.namespace
    const location = ctx.loaded.locate(['target', 'namespace'])
    const started = performance.now()
    const took = (): number => performance.now() - started
    try {
      const obj = await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })
      if (obj) {
        const phase = (obj.status as { phase?: string } | undefined)?.phase
        if (phase === 'Terminating')
          return [
            checkResult('namespace', ns, {
              verdict: 'fail',
              message: `namespace ${ns} is being deleted (Terminating)`,
              adjustment:
                'wait for the deletion to finish, then re-run, or deploy to another namespace',
              location,
              durationMs: took()
            })
          ]
        const labels = obj.metadata.labels ?? {}
        const psa = labels['pod-security.kubernetes.io/enforce']
        return [
          checkResult('namespace', ns, {
            verdict: 'pass',
            message: `namespace ${ns} exists${psa ? ` (Pod Security: ${psa})` : ''}`,
            data: { exists: true, podSecurity: psa },
            location,
            durationMs: took()
          })
        ]
      }
      const create = await ctx.cluster.accessReview({
        verb: 'create',
        group: '',
        resource: 'namespaces'
      })
      return [
        checkResult('namespace', ns, {
          verdict: create.allowed ? 'warn' : 'fail',
          severity: create.allowed ? 'low' : 'high',
          message: create.allowed
            ? `namespace ${ns} does not exist yet; this identity may create it`
            : `namespace ${ns} does not exist and this identity may not create it`,
          adjustment: create.allowed
            ? `create it in the first phase (a Namespace manifest), or ahead of the deployment`
            : `ask a cluster admin to create namespace ${ns} and grant this identity edit rights in it`,
          data: { exists: false, mayCreate: create.allowed },
          location,
          durationMs: took()
        })
      ]
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 403) {
        // Namespace-scoped identities often may not read Namespace objects; their
        // rights inside the namespace are what matters and the permission check covers them.
        const inside = await ctx.cluster.accessReview({
          verb: 'list',
          group: '',
          resource: 'pods',
          namespace: ns
        })
        return [
          checkResult('namespace', ns, {
            verdict: inside.allowed ? 'warn' : 'fail',
            severity: inside.allowed ? 'low' : 'high',
            message: inside.allowed
              ? `cannot read namespace ${ns} itself (forbidden), but this identity has rights inside it`
              : `this identity may neither read namespace ${ns} nor work inside it`,
            evidence: err.message,
            adjustment: inside.allowed
              ? undefined
              : `grant this identity a Role in ${ns} (edit, or the rules the permission check lists)`,
            location,
            durationMs: took()
          })
        ]
      }
      throw err
    }
  }
}
