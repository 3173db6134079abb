// Helm phases in the reality check, with a fake helm behind the exec seam:
// what helm is asked (values in order, this cluster's version and APIs), how
// rendered objects map back to their chart templates, lint verdicts, render
// failures, remote charts and hard-coded values in templates.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  apiVersionFlags,
  appendRenderedHelm,
  hardCodedValues,
  helmRenderCheck,
  parseLint,
  templateFile,
  templateLine
} from '../../src/checks/helm-render.js'
import type { ExecOptions, ExecResult } from '../../src/core/exec.js'
import { realityContext, served } from '../fixtures/reality/context.js'
import { FakeCluster } from '../support/fake-cluster.js'

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
`

const RENDERED = `---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec: {ports: [{port: 80}]}
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: web, image: "r.invalid/web:latest"}]}
`

interface Call {
  argv: string[]
  values: string[]
}

function fakeExec(answer: (argv: string[]) => Partial<ExecResult>) {
  const calls: Call[] = []
  return {
    calls,
    exec: {
      async run(argv: string[], _opts?: ExecOptions): Promise<ExecResult> {
        // Values files are temporary: read them while they exist.
        const values = argv
          .map((a, i) => (argv[i - 1] === '--values' ? readFileSync(a, 'utf8') : undefined))
          .filter((v): v is string => v !== undefined)
        calls.push({ argv, values })
        return {
          exitCode: 0,
          stdout: '',
          stderr: '',
          durationMs: 1,
          timedOut: false,
          ...answer(argv)
        }
      }
    }
  }
}

async function context(plan: string, answer: (argv: string[]) => Partial<ExecResult>) {
  const cluster = new FakeCluster({
    resources: [served('apps/v1', 'Deployment', 'deployments'), served('v1', 'Service', 'services')]
  })
  const ctx = await realityContext({
    plan,
    files: {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/templates/deployment.yaml': DEPLOYMENT,
      'charts/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n',
      'charts/web/templates/hardcoded.yaml':
        'metadata:\n  namespace: prod\nspec:\n  image: r.invalid/x:1\n',
      'values/base.yaml': 'image: r.invalid/web:1\n'
    },
    cluster
  })
  const fake = fakeExec(answer)
  ctx.exec = fake.exec
  return { ctx, calls: fake.calls }
}

const PLAN = `phases:
  - name: web
    helm:
      release: shop
      chart: charts/web
      version: 0.1.0
      valuesFiles: [values/base.yaml]
      values: {image: r.invalid/web:latest}
`

describe('rendering Helm phases for the reality check', () => {
  it('lints and renders with the plan values, this cluster’s version and APIs, and points objects at their templates', async () => {
    const { ctx, calls } = await context(PLAN, argv =>
      argv[1] === 'template'
        ? { stdout: RENDERED }
        : { stdout: '==> Linting\n[INFO] Chart.yaml: icon is recommended\n' }
    )
    await appendRenderedHelm(ctx)
    const lint = calls.find(c => c.argv[1] === 'lint')
    const template = calls.find(c => c.argv[1] === 'template')
    expect(lint?.argv.slice(0, 3)).toEqual([
      'helm',
      'lint',
      join(ctx.settings.workspace, 'charts/web')
    ])
    expect(template?.argv.slice(0, 4)).toEqual([
      'helm',
      'template',
      'shop',
      join(ctx.settings.workspace, 'charts/web')
    ])
    // Files first, the plan's inline values last (they win).
    expect(template?.values).toEqual(['image: r.invalid/web:1\n', 'image: r.invalid/web:latest\n'])
    const argv = template?.argv.join(' ') ?? ''
    expect(argv).toContain('--version 0.1.0')
    expect(argv).toMatch(/--kube-version v1\.\d+/)
    expect(argv).toContain('--api-versions apps/v1/Deployment')
    expect(argv).toContain('--namespace app')
    expect(ctx.manifests.map(m => [m.object.kind, m.file, m.line, m.source])).toEqual([
      ['Service', 'charts/web/templates/service.yaml', 2, 'web/templates/service.yaml'],
      ['Deployment', 'charts/web/templates/deployment.yaml', 2, 'web/templates/deployment.yaml']
    ])
    const results = await helmRenderCheck.run(ctx)
    expect(results.find(r => r.target === 'lint shop')).toMatchObject({ verdict: 'pass' })
    expect(results.find(r => r.target === 'template shop')).toMatchObject({
      verdict: 'pass',
      location: ctx.loaded.locate(['phases', 0, 'helm']),
      data: { objects: 2 }
    })
    // Rendering happens once: the check reuses what the hook rendered.
    expect(calls.filter(c => c.argv[1] === 'template')).toHaveLength(1)
    const hard = results.filter(r => r.target.startsWith('values '))
    expect(hard.map(r => [r.location?.file, r.location?.line, r.verdict])).toEqual([
      ['charts/web/templates/hardcoded.yaml', 2, 'warn'],
      ['charts/web/templates/hardcoded.yaml', 4, 'warn']
    ])
  })

  it('fails the phase’s chart when lint or template fails, with helm’s words', async () => {
    const { ctx } = await context(PLAN, argv =>
      argv[1] === 'template'
        ? {
            exitCode: 1,
            stderr:
              'Error: template: web/templates/deployment.yaml:10:20: executing ... nil pointer'
          }
        : {
            exitCode: 1,
            stdout:
              '[ERROR] templates/: parse error at (web/templates/deployment.yaml:3): unexpected "}"\n'
          }
    )
    await appendRenderedHelm(ctx)
    expect(ctx.manifests).toEqual([])
    const results = await helmRenderCheck.run(ctx)
    expect(results.find(r => r.target === 'lint shop')).toMatchObject({
      verdict: 'fail',
      evidence:
        '[ERROR] templates/: parse error at (web/templates/deployment.yaml:3): unexpected "}"'
    })
    const t = results.find(r => r.target === 'template shop')
    expect(t).toMatchObject({ verdict: 'fail', severity: 'high' })
    expect(t?.evidence).toMatch(/nil pointer/)
  })

  it('renders a repository chart without lint, naming objects by chart and template', async () => {
    const { ctx, calls } = await context(
      `phases:\n  - name: db\n    helm: {release: db, chart: oci://registry.invalid/charts/web, version: 1.2.3}\n`,
      () => ({ stdout: RENDERED })
    )
    await appendRenderedHelm(ctx)
    expect(calls.map(c => c.argv[1])).toEqual(['template'])
    expect(ctx.manifests[1].file).toBe(
      'oci://registry.invalid/charts/web: web/templates/deployment.yaml'
    )
    expect((await helmRenderCheck.run(ctx)).find(r => r.target === 'lint db')).toMatchObject({
      verdict: 'skip'
    })
  })

  it('does nothing for plans without Helm phases', async () => {
    const { ctx, calls } = await context('phases: [{name: x, apply: []}]\n', () => ({}))
    await appendRenderedHelm(ctx)
    expect(helmRenderCheck.applies(ctx)).toBe(false)
    expect(calls).toEqual([])
  })

  it.each([
    ['web/templates/deployment.yaml', 'charts/web/templates/deployment.yaml'],
    ['web/charts/redis/templates/sts.yaml', 'charts/web/charts/redis/templates/sts.yaml']
  ])('maps # Source: %s to %s', (source, file) => {
    expect(templateFile(source, '/repo/charts/web', '/repo')).toBe(file)
  })

  it.each([
    ['apiVersion: v1\nkind: Service\n', 'Service', 2],
    ['# kind: Deployment\n{{- if .x }}\nkind: "Deployment"\n', 'Deployment', 3],
    ['kind: DeploymentX\n', 'Deployment', 1]
  ])('finds the kind line in a template', (text, kind, line) => {
    expect(templateLine(text, kind)).toBe(line)
  })

  it('reads lint levels and hard-coded values', () => {
    expect(parseLint('[INFO] a\n[WARNING] b\n[ERROR] c\n')).toEqual({
      errors: ['[ERROR] c'],
      warnings: ['[WARNING] b']
    })
    expect(
      hardCodedValues(
        'image: "{{ .Values.image }}"\n  - image: nginx:1.25\n# image: x\nnamespace: {{ .Release.Namespace }}\n  namespace: kube-system\n'
      ).map(f => [f.line, f.what])
    ).toEqual([
      [2, 'image'],
      [5, 'namespace']
    ])
    expect(
      apiVersionFlags({
        resources: [served('apps/v1', 'Deployment', 'deployments'), served('v1', 'Pod', 'pods')],
        groups: new Map(),
        aggregated: true,
        requests: 1
      })
    ).toEqual([
      '--api-versions',
      'apps/v1',
      '--api-versions',
      'apps/v1/Deployment',
      '--api-versions',
      'v1',
      '--api-versions',
      'v1/Pod'
    ])
  })
})
