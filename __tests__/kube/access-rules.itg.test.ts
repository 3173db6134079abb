// Access reviews from one SelfSubjectRulesReview per namespace, against the
// real apiserver: a ServiceAccount bound to a Role with plain, named,
// wildcard and subresource rules gets, for every right, the decision a
// SelfSubjectAccessReview gives; the granted rights in a namespace cost one
// request together, a denied one still asks the server (and carries its
// reason). When the rules review is incomplete, carries an evaluation error
// or is not served (answered through a fault proxy in front of the same
// apiserver), every right is asked with a SelfSubjectAccessReview.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import type { AccessAttributes } from '../../src/kube/types.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'

const work = mkdtempSync(join(tmpdir(), 'phase-gate-access-rules-'))
let ns: string
let direct: string
let proxied: string
let proxy: FaultProxy

const RULES_PATH = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'
const REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'

/** Each right and whether RBAC grants it to the ServiceAccount (the Role in beforeAll). */
function cases(): [string, AccessAttributes, boolean][] {
  const a = (attrs: Omit<AccessAttributes, 'namespace'>, namespace: string | undefined = ns) => ({
    ...attrs,
    namespace
  })
  return [
    ['get configmaps', a({ verb: 'get', group: '', resource: 'configmaps' }), true],
    ['list configmaps', a({ verb: 'list', group: '', resource: 'configmaps' }), true],
    ['delete configmaps', a({ verb: 'delete', group: '', resource: 'configmaps' }), false],
    [
      'get the named secret',
      a({ verb: 'get', group: '', resource: 'secrets', name: 'allowed-one' }),
      true
    ],
    [
      'get another secret',
      a({ verb: 'get', group: '', resource: 'secrets', name: 'other' }),
      false
    ],
    ['list secrets (no name)', a({ verb: 'list', group: '', resource: 'secrets' }), false],
    ['create deployments', a({ verb: 'create', group: 'apps', resource: 'deployments' }), true],
    [
      'patch deployments/scale',
      a({ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale' }),
      true
    ],
    [
      'get deployments/status (*/status)',
      a({ verb: 'get', group: 'apps', resource: 'deployments', subresource: 'status' }),
      true
    ],
    [
      'get pods/status (*/status)',
      a({ verb: 'get', group: '', resource: 'pods', subresource: 'status' }),
      true
    ],
    ['get deployments', a({ verb: 'get', group: 'apps', resource: 'deployments' }), false],
    ['delete jobs (batch *)', a({ verb: 'delete', group: 'batch', resource: 'jobs' }), true],
    [
      'delete cronjobs (batch *)',
      a({ verb: 'delete', group: 'batch', resource: 'cronjobs' }),
      true
    ],
    ['create jobs', a({ verb: 'create', group: 'batch', resource: 'jobs' }), false],
    [
      'get configmaps in default',
      a({ verb: 'get', group: '', resource: 'configmaps' }, 'default'),
      false
    ],
    [
      'get namespaces (cluster-wide)',
      a({ verb: 'get', group: '', resource: 'namespaces' }, undefined),
      false
    ]
  ]
}

function kubeconfig(path: string, server: string, token: string, ca?: string): string {
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c', cluster: { server, ...(ca ? { 'certificate-authority': ca } : {}) } }
      ],
      users: [{ name: 'checker', user: { token } }],
      contexts: [{ name: 'checker', context: { cluster: 'c', user: 'checker', namespace: ns } }],
      'current-context': 'checker'
    }),
    { mode: 0o600 }
  )
  return path
}

beforeAll(async () => {
  const env = clusterEnv()
  ns = await createTestNamespace('access-rules')
  await kubectl(['create', 'serviceaccount', 'checker', '-n', ns])
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'checker', namespace: ns },
          rules: [
            { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
            {
              apiGroups: [''],
              resources: ['secrets'],
              resourceNames: ['allowed-one'],
              verbs: ['get']
            },
            {
              apiGroups: ['apps'],
              resources: ['deployments', 'deployments/scale'],
              verbs: ['create', 'patch']
            },
            { apiGroups: ['batch'], resources: ['*'], verbs: ['delete'] },
            { apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] }
          ]
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'checker', namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'checker' },
          subjects: [{ kind: 'ServiceAccount', name: 'checker', namespace: ns }]
        }
      ]
    })
  })
  const token = (await kubectl(['create', 'token', 'checker', '-n', ns, '--duration', '1h'])).trim()
  direct = kubeconfig(join(work, 'direct'), env.apiserver, token, env.caFile)
  const api = new URL(env.apiserver)
  proxy = await startFaultProxy({
    target: `${api.hostname}:${api.port}`,
    upstreamTls: { ca: readFileSync(env.caFile) }
  })
  proxied = kubeconfig(join(work, 'proxied'), proxy.url, token)
}, 60_000)

afterAll(async () => {
  await proxy?.close()
  if (ns) await deleteNamespace(ns)
  rmSync(work, { recursive: true, force: true })
})

const connect = (path: string): Promise<KubeCluster> => connectCluster({ kubeconfigPath: path })

describe('access reviews through the rules review', () => {
  it('decide every right as a SelfSubjectAccessReview does', async () => {
    const viaRules = await connect(direct)
    const viaReviews = await connect(direct)
    try {
      for (const [name, attrs, granted] of cases()) {
        const decision = await viaRules.accessReview(attrs)
        const review = await viaReviews.subjectAccessReview(attrs)
        expect([name, decision.allowed]).toEqual([name, review.allowed])
        expect([name, decision.allowed]).toEqual([name, granted])
        // A denial is the server's own answer, reason and all.
        if (!granted) expect([name, decision]).toEqual([name, review])
      }
    } finally {
      viaRules.close()
      viaReviews.close()
    }
  })

  it('ask once for every granted right in a namespace, and the server for each denied one', async () => {
    const cluster = await connect(direct)
    try {
      const all = cases()
      const granted = all.filter(([, a, g]) => g && a.namespace === ns)
      await Promise.all(granted.map(([, attrs]) => cluster.accessReview(attrs)))
      expect(cluster.requestCount).toBe(1)
      const denied = all.filter(([, , g]) => !g)
      for (const [, attrs] of denied) await cluster.accessReview(attrs)
      // One more rules review for the other namespace (default), one review per denial.
      expect(cluster.requestCount).toBe(1 + 1 + denied.length)
    } finally {
      cluster.close()
    }
  })

  const unusable: [string, { status: number; body: string }][] = [
    [
      'incomplete',
      {
        status: 201,
        body: JSON.stringify({
          kind: 'SelfSubjectRulesReview',
          apiVersion: 'authorization.k8s.io/v1',
          status: {
            incomplete: true,
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]
          }
        })
      }
    ],
    [
      'with an evaluation error',
      {
        status: 201,
        body: JSON.stringify({
          kind: 'SelfSubjectRulesReview',
          apiVersion: 'authorization.k8s.io/v1',
          status: {
            incomplete: false,
            evaluationError: 'role.rbac.authorization.k8s.io "gone" not found',
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]
          }
        })
      }
    ],
    [
      'not served',
      {
        status: 404,
        body: JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 })
      }
    ]
  ]

  it.each(unusable)(
    'a rules review %s is not used: every right is asked on its own',
    async (_name, answer) => {
      // The answer claims every right; only SelfSubjectAccessReviews may decide.
      proxy.setRules([
        {
          match: { method: 'POST', path: RULES_PATH },
          fault: {
            kind: 'status',
            status: answer.status,
            body: answer.body,
            headers: { 'Content-Type': 'application/json' }
          }
        }
      ])
      proxy.resetCounts()
      const cluster = await connect(proxied)
      try {
        for (const [name, attrs, granted] of cases())
          expect([name, (await cluster.accessReview(attrs)).allowed]).toEqual([name, granted])
        const reviews = proxy.requests.filter(r => r.path.startsWith(REVIEW_PATH)).length
        expect(reviews).toBe(cases().length)
        expect(proxy.requests.filter(r => r.path.startsWith(RULES_PATH)).length).toBeGreaterThan(0)
      } finally {
        cluster.close()
        proxy.setRules([])
      }
    }
  )
})
