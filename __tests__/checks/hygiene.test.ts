// The hygiene check kind over a plan: findings located at file:line and named
// by object, a user rule from the plan with params, ignored findings shown with
// their reason, disabled rules, stale ignores and rule compile errors.
import { describe, expect, it } from '@jest/globals'
import { findingVerdict, hygieneCheck, judgeHygiene } from '../../src/checks/hygiene.js'
import { objectMatches } from '../../src/hygiene/ignore.js'
import { lintPlan } from '../../src/plan/lint.js'
import { planRules } from '../../src/hygiene/plan-rules.js'
import { BUILTIN_RULES } from '../../src/hygiene/rules.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { CheckResult } from '../../src/report/model.js'
import { realityContext } from '../fixtures/reality/context.js'
import { FakeCluster } from '../support/fake-cluster.js'

const WEB = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {mode: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {team: shop}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.invalid/web:latest
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {httpGet: {path: /live, port: 8080}}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 500m, memory: 128Mi}}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          env:
            - {name: API_TOKEN, value: abc123}
---
apiVersion: v1
kind: Secret
metadata: {name: web-db}
stringData: {password: hunter2}
`

async function run(plan: string, files: Record<string, string> = { 'deploy/web.yaml': WEB }) {
  const ctx = await realityContext({
    plan: `assumptions: {manifests: [deploy/*.yaml]}\n${plan}`,
    files,
    cluster: new FakeCluster()
  })
  return { ctx, results: await hygieneCheck.run(ctx) }
}

const byTarget = (results: CheckResult[], target: string) => results.find(r => r.target === target)

describe('hygiene check', () => {
  it('reports each finding at the manifest line, named by object, with the fix', async () => {
    const { results } = await run('')
    const tag = byTarget(results, 'image-tag Deployment web')
    expect(tag).toMatchObject({
      kind: 'hygiene',
      verdict: 'fail',
      severity: 'high',
      location: { file: 'deploy/web.yaml', line: 6, path: 'Deployment/web' },
      data: { rule: 'image-tag', source: 'builtin', object: 'Deployment/web' }
    })
    expect(tag?.message).toBe(
      'Deployment web (deploy/web.yaml:6): images without a fixed tag: app (registry.invalid/web:latest)'
    )
    expect(tag?.adjustment).toMatch(/exact version tag/)
    expect(tag?.adjustment).toMatch(/hygiene\.ignore: \[\{rule: image-tag, object: Deployment\/web/)
    expect(byTarget(results, 'no-env-secrets Deployment web')?.message).toMatch(/app API_TOKEN/)
    expect(byTarget(results, 'no-secret-data Secret web-db')).toMatchObject({
      verdict: 'fail',
      location: { file: 'deploy/web.yaml', line: 27 }
    })
    // medium and low severities warn; what passes is not listed.
    expect(byTarget(results, 'image-digest Deployment web')).toMatchObject({
      verdict: 'warn',
      severity: 'low'
    })
    expect(byTarget(results, 'resources-requests Deployment web')).toBeUndefined()
    expect(results.filter(r => r.target.endsWith('ConfigMap web-config'))).toEqual([])
    expect(byTarget(results, 'summary')).toMatchObject({
      verdict: 'pass',
      data: {
        objects: 2,
        findings: 4,
        ignored: 0,
        byRule: { 'image-tag': 1, 'image-digest': 1, 'no-env-secrets': 1, 'no-secret-data': 1 }
      }
    })
  })

  it('runs a user rule from the plan with its params, and reports it like a built-in', async () => {
    const { results } = await run(`hygiene:
  params: {team: payments}
  rules:
    - id: team-label
      severity: high
      match: {kinds: [Deployment]}
      cel: "object.metadata.?labels[?'team'].orValue('') == params.team"
      message: every Deployment carries the owning team's label
      fix: set metadata.labels.team
`)
    const r = byTarget(results, 'team-label Deployment web')
    expect(r).toMatchObject({
      verdict: 'fail',
      severity: 'high',
      message:
        "Deployment web (deploy/web.yaml:6): every Deployment carries the owning team's label",
      data: { rule: 'team-label', source: 'plan' }
    })
    expect(r?.adjustment).toMatch(/^set metadata\.labels\.team; or accept it/)
    // The Secret and ConfigMap are not matched by kind.
    expect(results.filter(x => x.data?.rule === 'team-label')).toHaveLength(1)
    const ok = await run(`hygiene:
  params: {team: shop}
  rules:
    - {id: team-label, match: {kinds: [Deployment]}, cel: "object.metadata.labels.team == params.team", message: m}
`)
    expect(ok.results.filter(x => x.data?.rule === 'team-label')).toEqual([])
  })

  it('shows an ignored finding as skip with its reason, and warns about ignores that match nothing', async () => {
    const { ctx, results } = await run(`hygiene:
  ignore:
    - {rule: no-secret-data, object: Secret/web-db, reason: "dev-only credentials, rotated by the chart"}
    - {rule: image-tag, object: Deployment/other, reason: nothing matches}
    - {rule: no-such-rule, reason: typo}
`)
    const skipped = byTarget(results, 'no-secret-data Secret web-db')
    expect(skipped).toMatchObject({
      verdict: 'skip',
      severity: 'info',
      message:
        'ignored no-secret-data on Secret web-db (deploy/web.yaml:27): dev-only credentials, rotated by the chart',
      evidence: 'Secret web-db commits values for password',
      data: {
        ignored: true,
        reason: 'dev-only credentials, rotated by the chart',
        severity: 'high'
      }
    })
    expect(byTarget(results, 'image-tag Deployment web')?.verdict).toBe('fail')
    const stale = byTarget(results, 'ignore image-tag Deployment/other')
    expect(stale).toMatchObject({
      verdict: 'warn',
      location: ctx.loaded.locate(['hygiene', 'ignore', 1])
    })
    expect(byTarget(results, 'ignore no-such-rule')?.adjustment).toMatch(
      /no rule is called no-such-rule/
    )
    expect(byTarget(results, 'summary')?.data).toMatchObject({ findings: 3, ignored: 1 })
  })

  it('turns rules off with hygiene.disable and names unknown ids', async () => {
    const { results } = await run(`hygiene:
  disable: [image-digest, image-tag, imag-tag]
`)
    expect(results.some(r => r.data?.rule === 'image-tag' || r.data?.rule === 'image-digest')).toBe(
      false
    )
    expect(byTarget(results, 'disable imag-tag')).toMatchObject({ verdict: 'warn' })
    expect((byTarget(results, 'summary')?.data?.rules as string[]).length).toBe(
      BUILTIN_RULES.length - 2
    )
  })

  it('reports a plan rule that does not compile, or errs on an object, at its place', async () => {
    const { ctx, results } = await run(`hygiene:
  rules:
    - {id: mixed, cel: "object.metadata.name != '' && 1 + 1.0 > 0", message: m}
    - {id: unguarded, match: {kinds: [Deployment]}, cel: "object.spec.paused == false", message: m}
`)
    expect(byTarget(results, 'rule mixed')).toMatchObject({
      verdict: 'error',
      location: ctx.loaded.locate(['hygiene', 'rules', 0, 'cel'])
    })
    expect(byTarget(results, 'rule mixed')?.message).toMatch(/does not compile/)
    // phase-gate lint refuses it too: hygiene rules compile as the API server compiles them.
    expect(lintPlan(ctx.loaded, { checkFiles: false }).map(p => [p.severity, p.path])).toEqual([
      ['error', 'hygiene.rules[0].cel']
    ])
    const err = byTarget(results, 'unguarded Deployment web')
    expect(err).toMatchObject({ verdict: 'error' })
    expect(err?.message).toMatch(/no such key: paused/)
  })

  it('lets a plan rule replace a built-in of the same id', () => {
    const set = planRules({
      rules: [
        {
          id: 'resources-limits',
          cel: 'variables.allContainers.all(c, c.?resources.?limits.?memory.hasValue())',
          message: 'memory limit'
        }
      ]
    })
    const limits = set.rules.filter(r => r.id === 'resources-limits')
    expect(limits).toHaveLength(1)
    expect(limits[0]).toMatchObject({ source: 'plan', severity: 'medium' })
  })

  it('finds the PodDisruptionBudget beside a replicated workload in the same namespace', async () => {
    const deploy = (ns?: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api${ns ? `, namespace: ${ns}` : ''}}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: back}}
    spec: {containers: [{name: a, image: r.invalid/a:1}]}
`
    const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
`
    const same = await run('', { 'deploy/a.yaml': `${deploy()}---\n${pdb}` })
    expect(byTarget(same.results, 'pod-disruption-budget Deployment api')).toBeUndefined()
    const elsewhere = await run('', { 'deploy/a.yaml': `${deploy('other')}---\n${pdb}` })
    expect(
      byTarget(elsewhere.results, 'pod-disruption-budget Deployment other/api')?.message
    ).toMatch(/runs 3 replicas, but no PodDisruptionBudget/)
  })

  it.each([
    ['high', undefined, 'fail'],
    ['medium', undefined, 'warn'],
    ['low', undefined, 'warn'],
    ['medium', 'medium', 'fail'],
    ['low', 'medium', 'warn'],
    ['low', 'low', 'fail'],
    ['high', 'never', 'warn']
  ] as const)('a %s finding with failOn %s gives %s', (severity, failOn, verdict) => {
    expect(findingVerdict(severity, failOn)).toBe(verdict)
  })

  it('fails lower severities with hygiene.failOn, and none with never', async () => {
    const medium = await run('hygiene: {failOn: low}\n')
    expect(byTarget(medium.results, 'image-digest Deployment web')?.verdict).toBe('fail')
    const never = await run('hygiene: {failOn: never}\n')
    expect(never.results.filter(r => r.verdict === 'fail')).toEqual([])
    expect(byTarget(never.results, 'image-tag Deployment web')).toMatchObject({
      verdict: 'warn',
      severity: 'high'
    })
  })

  const obj = (kind: string, name: string, namespace?: string): KubeObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace }
  })
  it.each([
    ['Deployment/web', obj('Deployment', 'web'), true],
    ['deployment/web', obj('Deployment', 'web'), true],
    ['web', obj('Secret', 'web'), true],
    ['Deployment/web', obj('StatefulSet', 'web'), false],
    ['Deployment/web-*', obj('Deployment', 'web-canary'), true],
    ['Deployment/web-*', obj('Deployment', 'api'), false],
    ['*/web', obj('Secret', 'web'), true],
    ['Deployment/app/web', obj('Deployment', 'web'), true],
    ['Deployment/other/web', obj('Deployment', 'web'), false],
    ['Deployment/other/web', obj('Deployment', 'web', 'other'), true],
    ['Deployment/web.x', obj('Deployment', 'webax'), false]
  ])('ignore object %s matches %j: %s', (pattern, o, expected) => {
    expect(objectMatches(pattern, o, 'app')).toBe(expected)
  })

  it('does not apply without manifests', async () => {
    const { ctx } = await run('', {})
    expect(hygieneCheck.applies(ctx)).toBe(false)
    expect(judgeHygiene(ctx).map(r => r.target)).toEqual(['summary'])
  })
})

describe('hygiene check in slices', () => {
  it('lets pending I/O run while it judges, and finds what judging in one go finds', async () => {
    // 60 copies of the manifests: far more than one slice of CPU.
    const many = Array.from({ length: 60 }, (_, i) => WEB.replaceAll('web', `web${i}`)).join(
      '---\n'
    )
    const { ctx, results } = await (async () => {
      const ctx = await realityContext({
        plan: 'assumptions: {manifests: [deploy/*.yaml]}\n',
        files: { 'deploy/web.yaml': many },
        cluster: new FakeCluster()
      })
      let ranBetween = false
      setImmediate(() => (ranBetween = true))
      const results = await hygieneCheck.run(ctx)
      expect(ranBetween).toBe(true)
      return { ctx, results }
    })()
    expect(results).toEqual(judgeHygiene(ctx))
    expect(results.length).toBeGreaterThan(60)
  })
})
