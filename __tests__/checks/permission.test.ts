import { describe, expect, it } from '@jest/globals'
import {
  derivePermissions,
  missingRulesYaml,
  parseResourceName,
  resourceKey,
  type PermissionNeed
} from '../../src/checks/derive-permissions.js'
import { judgeResource, permissionCheck } from '../../src/checks/permission.js'
import { loadPlanObjects, planCreations } from '../../src/checks/plan-objects.js'
import type { AccessAttributes } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { EXTRA_RESOURCES, realityContext } from '../fixtures/reality/context.js'

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: extra}
`

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]
`
const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: extra}
`

describe('parseResourceName', () => {
  it.each<[string, ReturnType<typeof parseResourceName>]>([
    ['deployments.apps', { group: 'apps', resource: 'deployments' }],
    ['configmaps', { group: '', resource: 'configmaps' }],
    ['ingresses.networking.k8s.io', { group: 'networking.k8s.io', resource: 'ingresses' }],
    ['pods/log', { group: '', resource: 'pods', subresource: 'log' }],
    ['deployments.apps/scale', { group: 'apps', resource: 'deployments', subresource: 'scale' }]
  ])('%s', (text, want) => expect(parseResourceName(text)).toEqual(want))
})

describe('derivePermissions', () => {
  async function derive(opts: { phases?: boolean; explicit?: string } = {}) {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const ctx = await realityContext({
      plan: `assumptions:\n  manifests: [deploy/app.yaml]\n${opts.explicit ?? ''}${opts.phases ? 'phases:\n  - {name: crds, apply: [deploy/crd.yaml]}\n  - {name: app, apply: [deploy/app.yaml, deploy/widget.yaml]}\n' : ''}`,
      files: { 'deploy/app.yaml': APP, 'deploy/crd.yaml': CRD, 'deploy/widget.yaml': WIDGET },
      cluster
    })
    const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
    return derivePermissions({
      planName: 'demo',
      namespace: 'app',
      surface: ctx.surface,
      creations: planCreations(objects, ctx.manifests),
      assumed: ctx.manifests,
      tracers: objects.tracers,
      phases: objects.phases,
      explicit: (ctx.loaded.plan.assumptions?.permissions ?? []).map(permission => ({ permission }))
    })
  }
  const has = (
    needs: PermissionNeed[],
    verb: string,
    resource: string,
    namespace?: string,
    subresource?: string
  ) =>
    needs.some(
      n =>
        n.verb === verb &&
        `${n.resource}${n.group ? `.${n.group}` : ''}` === resource &&
        n.namespace === namespace &&
        n.subresource === subresource
    )

  it.each<[string, string, string | undefined, boolean]>([
    // applied, waited on
    ['get', 'deployments.apps', 'app', true],
    ['create', 'deployments.apps', 'app', true],
    ['patch', 'deployments.apps', 'app', true],
    ['list', 'deployments.apps', 'app', true],
    ['watch', 'deployments.apps', 'app', true],
    ['list', 'replicasets.apps', 'app', true],
    ['create', 'services', 'app', true],
    // cluster-scoped objects have no namespace
    ['create', 'namespaces', undefined, true],
    ['create', 'namespaces', 'app', false],
    // only tracers and phases delete
    ['delete', 'deployments.apps', 'app', false],
    // phase-gate's own rights
    ['patch', 'configmaps', 'app', true],
    ['delete', 'secrets', 'app', true],
    ['update', 'leases.coordination.k8s.io', 'app', true],
    ['list', 'events', 'app', true],
    ['list', 'pods', 'app', true]
  ])('assumed manifests only: %s %s in %s → %s', async (verb, resource, ns, want) => {
    const { needs } = await derive()
    expect(has(needs, verb, resource, ns)).toBe(want)
  })

  it('adds delete for what phases apply, and resolves a kind whose CRD the plan installs', async () => {
    const { needs, unresolved } = await derive({ phases: true })
    expect(has(needs, 'delete', 'deployments.apps', 'app')).toBe(true)
    expect(has(needs, 'delete', 'customresourcedefinitions.apiextensions.k8s.io', undefined)).toBe(
      true
    )
    expect(has(needs, 'create', 'widgets.example.com', 'extra')).toBe(true)
    expect(unresolved).toEqual([])
    expect(
      needs.some(n => n.resource === 'pods' && n.subresource === 'log' && n.verb === 'get')
    ).toBe(true)
  })

  it('deduplicates and merges the reasons', async () => {
    const { needs } = await derive({ phases: true })
    const keys = needs.map(n =>
      [n.verb, n.group, n.resource, n.subresource, n.namespace, n.name].join('|')
    )
    expect(new Set(keys).size).toBe(keys.length)
    const createDeploy = needs.find(n => n.verb === 'create' && n.resource === 'deployments')
    expect(createDeploy?.reasons).toEqual(['apply Deployment web (deploy/app.yaml:1)'])
    expect(createDeploy?.location).toMatchObject({ file: 'deploy/app.yaml', line: 1 })
  })

  it('takes explicit permissions, scoping namespaced resources to the target', async () => {
    const { needs } = await derive({
      explicit:
        '  permissions:\n    - {verb: create, resource: deployments.apps/scale}\n    - {verb: list, resource: nodes}\n    - {verb: get, resource: configmaps, namespace: other, name: cfg}\n'
    })
    const explicit = needs.filter(n => n.purposes.includes('explicit'))
    expect(
      explicit.map(n => ({
        verb: n.verb,
        resource: n.resource,
        subresource: n.subresource,
        namespace: n.namespace,
        name: n.name
      }))
    ).toEqual([
      {
        verb: 'create',
        resource: 'deployments',
        subresource: 'scale',
        namespace: 'app',
        name: undefined
      },
      {
        verb: 'list',
        resource: 'nodes',
        subresource: undefined,
        namespace: undefined,
        name: undefined
      },
      {
        verb: 'get',
        resource: 'configmaps',
        subresource: undefined,
        namespace: 'other',
        name: 'cfg'
      }
    ])
  })

  it('reports objects whose kind cannot be resolved', async () => {
    const cluster = new FakeCluster()
    const ctx = await realityContext({
      plan: 'assumptions:\n  manifests: [w.yaml]\n',
      files: { 'w.yaml': WIDGET },
      cluster
    })
    const { unresolved } = derivePermissions({
      planName: 'demo',
      namespace: 'app',
      surface: ctx.surface,
      assumed: ctx.manifests,
      tracers: [],
      phases: [],
      explicit: []
    })
    expect(unresolved.map(u => u.reason)).toEqual([
      'example.com/v1 Widget is not served and no CRD in the plan defines it'
    ])
  })
})

describe('missingRulesYaml', () => {
  const need = (
    verb: string,
    group: string,
    resource: string,
    namespace?: string,
    extra: Partial<PermissionNeed> = {}
  ): PermissionNeed => ({
    verb,
    group,
    resource,
    namespace,
    purposes: ['apply'],
    reasons: [],
    ...extra
  })
  it('groups resources of one API group that need the same verbs, one Role per namespace, a ClusterRole for cluster scope', () => {
    const yaml = missingRulesYaml(
      [
        need('create', 'apps', 'deployments', 'app'),
        need('patch', 'apps', 'deployments', 'app'),
        need('create', 'apps', 'statefulsets', 'app'),
        need('patch', 'apps', 'statefulsets', 'app'),
        need('get', '', 'pods', 'app', { subresource: 'log' }),
        need('get', '', 'configmaps', 'app', { name: 'cfg' }),
        need('create', '', 'namespaces')
      ],
      { name: 'phase-gate-demo', subject: 'system:serviceaccount:ci:deployer' }
    )
    expect(yaml).toBe(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: phase-gate-demo
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: phase-gate-demo
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: phase-gate-demo
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: phase-gate-demo
  namespace: app
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["cfg"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["pods/log"]
    verbs: ["get"]
  - apiGroups: ["apps"]
    resources: ["deployments", "statefulsets"]
    verbs: ["create", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: phase-gate-demo
  namespace: app
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: phase-gate-demo
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci`)
  })
  it('is valid YAML that parses into Role objects', () => {
    const yaml = missingRulesYaml(
      [need('create', 'apps', 'deployments', 'app'), need('create', '', 'namespaces')],
      { name: 'r', subject: 'alice' }
    )
    const objs = parseManifests(yaml, 'rules.yaml').map(m => m.object)
    expect(objs.map(o => o.kind)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding'
    ])
    expect((objs[2] as unknown as { rules: unknown[] }).rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }
    ])
    expect((objs[3] as unknown as { subjects: unknown[] }).subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }
    ])
  })
})

describe('judgeResource', () => {
  const n = (verb: string, purposes: PermissionNeed['purposes']): PermissionNeed => ({
    verb,
    group: 'apps',
    resource: 'deployments',
    namespace: 'app',
    purposes,
    reasons: [`${verb} for a reason`]
  })
  it.each<[string, [string, PermissionNeed['purposes'], boolean][], string, string]>([
    [
      'all allowed',
      [
        ['get', ['apply'], true],
        ['create', ['apply'], true]
      ],
      'pass',
      'info'
    ],
    [
      'apply denied',
      [
        ['get', ['apply'], true],
        ['create', ['apply'], false]
      ],
      'fail',
      'high'
    ],
    ['only evidence denied', [['list', ['evidence'], false]], 'warn', 'medium'],
    ['evidence and wait denied', [['list', ['evidence', 'wait'], false]], 'fail', 'high']
  ])('%s', (_name, rows, verdict, severity) => {
    const r = judgeResource(
      rows.map(([verb, purposes, allowed]) => ({
        need: n(verb, purposes),
        decision: { allowed, reason: allowed ? undefined : 'RBAC: no rule' }
      })),
      { roleName: 'phase-gate-demo' }
    )
    expect(r.verdict).toBe(verdict)
    expect(r.severity).toBe(severity)
    if (verdict !== 'pass') {
      expect(r.adjustment).toContain('kind: Role')
      expect(r.evidence).toContain('denied (RBAC: no rule)')
    }
  })
})

describe('the permission kind against a fake cluster', () => {
  it('reviews every need once, one result per resource, and prints the Role of what is denied', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const asked: AccessAttributes[] = []
    cluster.access = a => {
      asked.push(a)
      return a.resource === 'deployments' && (a.verb === 'create' || a.verb === 'delete')
        ? { allowed: false, reason: 'no RBAC rule' }
        : { allowed: true }
    }
    const perms = Array.from(
      { length: 30 },
      (_, i) => `    - {verb: get, resource: configmaps, name: cfg-${i}}`
    ).join('\n')
    const ctx = await realityContext({
      plan: `assumptions:\n  manifests: [deploy/app.yaml]\n  permissions:\n${perms}\nphases:\n  - {name: app, apply: [deploy/app.yaml]}\n`,
      files: { 'deploy/app.yaml': APP },
      cluster
    })
    const results = await permissionCheck.run(ctx)
    const keys = asked.map(a => JSON.stringify(a))
    expect(new Set(keys).size).toBe(keys.length)
    expect(
      asked.filter(a => a.resource === 'configmaps' && a.name?.startsWith('cfg-'))
    ).toHaveLength(30)
    const deploy = results.find(
      r => r.target === resourceKey({ group: 'apps', resource: 'deployments', namespace: 'app' })
    )
    expect(deploy).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message: 'may not create, delete deployments.apps in app (may get, list, patch, watch)'
    })
    expect(deploy?.adjustment).toContain(
      'resources: ["deployments"]\n    verbs: ["create", "delete"]'
    )
    expect(deploy?.location).toMatchObject({ file: 'deploy/app.yaml', line: 1 })
    const role = results.find(r => r.target === 'missing Role rules')
    expect(role?.verdict).toBe('fail')
    expect(role?.message).toMatch(/^2 of \d+ rights denied on 1 resource/)
    expect(results.filter(r => r.verdict === 'pass').length).toBeGreaterThan(5)
    const ids = results.map(r => r.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('passes when everything is allowed, with no Role result', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const ctx = await realityContext({
      plan: 'assumptions:\n  manifests: [deploy/app.yaml]\n',
      files: { 'deploy/app.yaml': APP },
      cluster
    })
    const results = await permissionCheck.run(ctx)
    expect(results.every(r => r.verdict === 'pass')).toBe(true)
    expect(results.find(r => r.target === 'missing Role rules')).toBeUndefined()
  })

  it('reports a phase file that cannot be read', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const ctx = await realityContext({
      plan: 'phases:\n  - {name: app, apply: [deploy/missing.yaml]}\n',
      cluster
    })
    const results = await permissionCheck.run(ctx)
    expect(results.find(r => r.verdict === 'error')?.message).toMatch(
      /could not derive the rights of phase app: .*missing\.yaml/
    )
  })
})

describe('tracer manifests', () => {
  it('derives delete rights from inline and file tracers, locating inline objects in the plan', async () => {
    const cluster = new FakeCluster({ resources: EXTRA_RESOURCES })
    const ctx = await realityContext({
      plan: `tracers:
  - name: cm
    assumption: ConfigMaps work
    success: {ready: true}
    manifest:
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: tracer-cm}
  - name: svc
    assumption: Services work
    success: {ready: true}
    manifest: {file: tracers/svc.yaml}
`,
      files: {
        'tracers/svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: tracer-svc}\nspec: {ports: [{port: 80}]}\n'
      },
      cluster
    })
    const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace)
    expect(objects.problems).toEqual([])
    const inline = objects.tracers[0].manifests[0]
    // The plan's first three lines are target, name and version; `inline: |` is line 9.
    expect(inline).toMatchObject({ file: 'phase-gate.yaml', line: 10 })
    const { needs } = derivePermissions({
      planName: 'demo',
      namespace: 'app',
      surface: ctx.surface,
      assumed: [],
      tracers: objects.tracers,
      phases: [],
      explicit: []
    })
    const deletes = needs
      .filter(n => n.verb === 'delete' && n.purposes.includes('delete'))
      .map(n => n.resource)
    expect(deletes.sort()).toEqual(['configmaps', 'services'])
    expect(
      needs.find(
        n => n.verb === 'delete' && n.resource === 'configmaps' && n.purposes.includes('delete')
      )?.location
    ).toMatchObject({ file: 'phase-gate.yaml', line: 10 })
  })
})
