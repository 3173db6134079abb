import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import {
  chooseBranch,
  planSchema,
  PLAN_SCHEMA_ID,
  resolveRef,
  typedFields,
  validatePlanData,
  type SchemaNode
} from '../../src/plan/schema.js'
import { createPlanAjv } from '../../scripts/schema-validators.mjs'
import { LEVELS, LEVEL_NAMES, type DeclaredLevelField } from '../../src/rollout/level-registry.js'
import type {
  AlertRulesCheck,
  ApprovalSpec,
  ArgoCdCheck,
  Assumptions,
  Budgets,
  CheckSpec,
  CommandCheck,
  DashboardSpec,
  EnvCheck,
  HelmSpec,
  HttpCheck,
  HygieneRuleSpec,
  HygieneSpec,
  ImageAssumption,
  JudgeSpec,
  ManifestSource,
  MetricCheck,
  MigrationCheck,
  NotifySpec,
  OperatorAssumption,
  PermissionAssumption,
  PhaseSpec,
  Plan,
  PrometheusSpec,
  PullRequestCheck,
  ReadyCheck,
  RegistrySettings,
  RollbackAction,
  RollbackLevelSpec,
  RollbackTrigger,
  RolloutSpec,
  SoakSpec,
  StageSpec,
  SuccessCriterion,
  Target,
  TracerSpec,
  ValidationSpec,
  WorkloadRef
} from '../../src/plan/types.js'

const schemaFile = new URL('../../schemas/plan.schema.json', import.meta.url)
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated'
])

/** Every schema object with its JSON pointer. */
function allNodes(node: unknown, pointer = ''): [string, SchemaNode][] {
  if (node === null || typeof node !== 'object') return []
  const out: [string, SchemaNode][] = Array.isArray(node) ? [] : [[pointer, node as SchemaNode]]
  for (const [k, v] of Object.entries(node)) out.push(...allNodes(v, `${pointer}/${k}`))
  return out
}

/** The property names of a schema object, following $refs and picking a oneOf branch by index. */
function propsAt(node: SchemaNode, branch?: number): string[] {
  let n = resolveRef(node)
  if (branch !== undefined) n = resolveRef((n.oneOf ?? [])[branch])
  return Object.keys(n.properties ?? {}).sort()
}

const defs = planSchema.$defs ?? {}
const rootProps = planSchema.properties ?? {}
const prop = (node: SchemaNode, name: string): SchemaNode =>
  resolveRef(node).properties?.[name] ?? {}
const itemsOf = (node: SchemaNode): SchemaNode => resolveRef(node).items ?? {}

// Each literal must list exactly the keys of the type: the type-check (`npm run build`, run in
// CI; jest itself only transpiles) rejects a missing or extra key, and the test below rejects a
// difference from the schema. Together a field added on one side only fails.
type KeysOfUnion<T> = T extends unknown ? keyof T : never
function keys<T>(k: Record<KeysOfUnion<T> & string, true>): string[] {
  return Object.keys(k).sort()
}

describe('plan schema', () => {
  it('is the file on disk, with the published $id and draft 2020-12', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(planSchema)
    expect(planSchema.$id).toBe(PLAN_SCHEMA_ID)
    expect(planSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })

  it('compiles in ajv strict mode', () => {
    const ajv = createPlanAjv()
    expect(() => ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')))).not.toThrow()
    expect(ajv.opts.strict).toBe(true)
  })

  it('gives every property, definition and oneOf branch a title and a description', () => {
    const missing: string[] = []
    for (const [pointer, node] of allNodes(planSchema)) {
      const named = [
        ...Object.entries(node.properties ?? {}).map(
          ([k, v]) => [`${pointer}/properties/${k}`, v] as const
        ),
        ...Object.entries(node.$defs ?? {}).map(([k, v]) => [`${pointer}/$defs/${k}`, v] as const),
        ...(node.oneOf ?? [])
          .map((v, i) => [`${pointer}/oneOf/${i}`, v] as const)
          .filter(([, v]) => v.$ref === undefined)
      ]
      for (const [where, child] of named) {
        if (typeof child.description !== 'string' || child.description.length < 5)
          missing.push(`${where}: description`)
        if (typeof child.title !== 'string' || child.title === '') missing.push(`${where}: title`)
      }
    }
    expect(missing).toEqual([])
  })

  it('closes every object except the free-form maps', () => {
    const open: string[] = []
    for (const [pointer, node] of allNodes(planSchema)) {
      if (node.type === 'object' && node.additionalProperties === undefined) open.push(pointer)
    }
    // Free-form by design: helm values and hygiene params are user data.
    expect(open.sort()).toEqual([
      '/$defs/helm/properties/values',
      '/properties/hygiene/properties/params'
    ])
  })

  it('keeps oneOf/anyOf nodes free of other validation keywords (the error mapper relies on it)', () => {
    const mixed: string[] = []
    for (const [pointer, node] of allNodes(planSchema)) {
      if (!node.oneOf && !node.anyOf) continue
      const extra = Object.keys(node).filter(
        k => k !== 'oneOf' && k !== 'anyOf' && !ANNOTATIONS.has(k)
      )
      if (extra.length > 0) mixed.push(`${pointer}: ${extra.join(', ')}`)
    }
    expect(mixed).toEqual([])
  })

  it.each([
    [
      'Plan',
      propsAt(planSchema),
      keys<Plan>({
        $schema: true,
        version: true,
        name: true,
        target: true,
        budgets: true,
        owners: true,
        ticket: true,
        notify: true,
        dashboards: true,
        prometheus: true,
        registries: true,
        assumptions: true,
        tracers: true,
        phases: true,
        validation: true,
        rollout: true,
        rollbackLevels: true,
        hygiene: true,
        soak: true,
        approval: true,
        state: true,
        lock: true,
        drift: true,
        fleet: true
      })
    ],
    [
      'Target',
      propsAt(rootProps.target),
      keys<Target>({ context: true, namespace: true, platform: true, production: true })
    ],
    [
      'Budgets',
      propsAt(rootProps.budgets),
      keys<Budgets>({
        size: true,
        'reality-check': true,
        tracer: true,
        plan: true,
        phase: true,
        validate: true,
        rollout: true,
        soak: true,
        rollback: true,
        implementation: true
      })
    ],
    [
      'PrometheusSpec',
      propsAt(defs.prometheusSpec),
      keys<PrometheusSpec>({
        url: true,
        bearerTokenEnv: true,
        basicAuth: true,
        caFile: true,
        serviceProxy: true
      })
    ],
    [
      'RegistrySettings',
      propsAt(rootProps.registries),
      keys<RegistrySettings>({ mirrors: true, caFile: true, allow: true, insecure: true })
    ],
    [
      'Assumptions',
      propsAt(rootProps.assumptions),
      keys<Assumptions>({
        apis: true,
        images: true,
        operators: true,
        storageClasses: true,
        permissions: true,
        quota: true,
        manifests: true,
        crds: true
      })
    ],
    [
      'ImageAssumption',
      propsAt(defs.image, 1),
      keys<ImageAssumption>({ ref: true, platform: true, maxSize: true })
    ],
    [
      'OperatorAssumption',
      propsAt(defs.operator, 1),
      keys<OperatorAssumption>({ name: true, namespace: true, version: true })
    ],
    [
      'PermissionAssumption',
      propsAt(itemsOf(prop(rootProps.assumptions, 'permissions'))),
      keys<PermissionAssumption>({
        verb: true,
        resource: true,
        namespace: true,
        name: true,
        subresource: true
      })
    ],
    [
      'TracerSpec',
      propsAt(defs.tracer),
      keys<TracerSpec>({
        name: true,
        assumption: true,
        manifest: true,
        success: true,
        timeout: true,
        cleanup: true,
        critical: true
      })
    ],
    [
      'ManifestSource',
      propsAt(prop(defs.tracer, 'manifest')),
      keys<ManifestSource>({ file: true, inline: true })
    ],
    [
      'SuccessCriterion',
      [0, 1, 2, 3].flatMap(i => propsAt(defs.success, i)).sort(),
      keys<SuccessCriterion>({ ready: true, phase: true, condition: true, status: true, cel: true })
    ],
    [
      'PhaseSpec',
      propsAt(defs.phase),
      keys<PhaseSpec>({
        name: true,
        apply: true,
        kustomize: true,
        forceConflicts: true,
        helm: true,
        validate: true,
        timeout: true,
        budget: true,
        rollback: true,
        migration: true,
        onFailure: true
      })
    ],
    [
      'PhaseSpec.migration',
      propsAt(prop(defs.phase, 'migration')),
      keys<NonNullable<PhaseSpec['migration']>>({
        up: true,
        down: true,
        shell: true,
        timeout: true,
        env: true
      })
    ],
    [
      'HelmSpec',
      propsAt(defs.helm),
      keys<HelmSpec>({
        release: true,
        chart: true,
        version: true,
        values: true,
        valuesFiles: true,
        namespace: true
      })
    ],
    [
      'RollbackAction',
      [0, 1, 2].flatMap(i => propsAt(defs.rollbackAction, i)).sort(),
      keys<RollbackAction>({ undo: true, helm: true, command: true })
    ],
    [
      'CheckSpec kinds',
      (defs.check.oneOf ?? []).flatMap(b => propsAt(b)).sort(),
      keys<CheckSpec>({
        ready: true,
        http: true,
        command: true,
        env: true,
        metric: true,
        pullRequest: true,
        tools: true,
        migration: true,
        argocd: true,
        alertRules: true
      })
    ],
    [
      'ReadyCheck',
      propsAt(prop(defs.readyCheck, 'ready')),
      keys<ReadyCheck['ready']>({
        kind: true,
        name: true,
        apiVersion: true,
        namespace: true,
        timeout: true
      })
    ],
    [
      'HttpCheck',
      propsAt(prop(defs.httpCheck, 'http')),
      keys<HttpCheck['http']>({
        service: true,
        port: true,
        path: true,
        url: true,
        method: true,
        headers: true,
        expect: true,
        timeout: true,
        namespace: true
      })
    ],
    [
      'HttpCheck.expect',
      propsAt(prop(prop(defs.httpCheck, 'http'), 'expect')),
      keys<NonNullable<HttpCheck['http']['expect']>>({ status: true, body: true, cel: true })
    ],
    [
      'CommandCheck',
      propsAt(prop(defs.commandCheck, 'command')),
      keys<CommandCheck['command']>({
        run: true,
        shell: true,
        cwd: true,
        env: true,
        timeout: true,
        expect: true
      })
    ],
    [
      'EnvCheck',
      propsAt(prop(defs.envCheck, 'env')),
      keys<EnvCheck['env']>({ selector: true, require: true, namespace: true, container: true })
    ],
    [
      'MetricCheck',
      propsAt(prop(defs.metricCheck, 'metric')),
      keys<MetricCheck['metric']>({
        query: true,
        expect: true,
        warn: true,
        fail: true,
        window: true,
        baseline: true,
        name: true
      })
    ],
    [
      'PullRequestCheck',
      propsAt(prop(defs.pullRequestCheck, 'pullRequest')),
      keys<PullRequestCheck['pullRequest']>({
        approvals: true,
        blockingLabels: true,
        requiredChecks: true
      })
    ],
    [
      'MigrationCheck',
      propsAt(prop(defs.migrationCheck, 'migration')),
      keys<MigrationCheck['migration']>({
        up: true,
        down: true,
        shell: true,
        cwd: true,
        env: true,
        timeout: true,
        allowOnProduction: true
      })
    ],
    [
      'ArgoCdCheck',
      propsAt(prop(defs.argocdCheck, 'argocd')),
      keys<ArgoCdCheck['argocd']>({ application: true, namespace: true, sync: true, health: true })
    ],
    [
      'AlertRulesCheck',
      propsAt(prop(defs.alertRulesCheck, 'alertRules')),
      keys<AlertRulesCheck['alertRules']>({ names: true })
    ],
    [
      'ValidationSpec',
      propsAt(rootProps.validation),
      keys<ValidationSpec>({ checks: true, rollbackTest: true })
    ],
    [
      'WorkloadRef',
      propsAt(defs.workloadRef),
      keys<WorkloadRef>({ kind: true, name: true, apiVersion: true })
    ],
    [
      'StageSpec',
      propsAt(defs.stage),
      keys<StageSpec>({ name: true, weight: true, hold: true, maxHold: true, rollbackIf: true })
    ],
    [
      'RollbackTrigger',
      propsAt(defs.trigger),
      keys<RollbackTrigger>({
        metric: true,
        resource: true,
        above: true,
        below: true,
        cel: true,
        noDataFor: true,
        samples: true,
        of: true,
        warn: true,
        fail: true
      })
    ],
    [
      'JudgeSpec',
      propsAt(defs.judgeComparison),
      keys<JudgeSpec>({
        name: true,
        test: true,
        failures: true,
        total: true,
        metric: true,
        worseBy: true,
        confidence: true,
        minSamples: true
      })
    ],
    [
      'RolloutSpec',
      propsAt(rootProps.rollout),
      keys<RolloutSpec>({
        target: true,
        canary: true,
        replicas: true,
        route: true,
        interval: true,
        stages: true,
        metrics: true,
        rollbackIf: true,
        onTrigger: true,
        infra: true,
        judge: true,
        onInconclusive: true,
        expectedRps: true,
        defaults: true
      })
    ],
    [
      'RollbackLevelSpec',
      propsAt(defs.rollbackLevel),
      // Each level declares its own fields (src/rollout/*-level.ts); a spec field no level declares does not compile here.
      keys<RollbackLevelSpec>(
        Object.fromEntries(
          ['level', 'budget', ...LEVEL_NAMES.flatMap(n => Object.keys(LEVELS[n].schema))].map(k => [
            k,
            true
          ])
        ) as Record<'level' | 'budget' | DeclaredLevelField, true>
      )
    ],
    [
      'HygieneSpec',
      propsAt(rootProps.hygiene),
      keys<HygieneSpec>({ rules: true, params: true, ignore: true, disable: true, failOn: true })
    ],
    [
      'HygieneRuleSpec',
      propsAt(defs.hygieneRule),
      keys<HygieneRuleSpec>({
        id: true,
        severity: true,
        match: true,
        cel: true,
        message: true,
        fix: true
      })
    ],
    [
      'SoakSpec',
      propsAt(rootProps.soak),
      keys<SoakSpec>({
        window: true,
        interval: true,
        minSamples: true,
        sustained: true,
        thresholds: true,
        onDegraded: true,
        runFor: true
      })
    ],
    [
      'NotifySpec',
      propsAt(defs.notify),
      keys<NotifySpec>({
        name: true,
        urlEnv: true,
        format: true,
        events: true,
        routingKeyEnv: true
      })
    ],
    ['DashboardSpec', propsAt(defs.dashboard), keys<DashboardSpec>({ name: true, url: true })],
    [
      'ApprovalSpec',
      propsAt(rootProps.approval),
      keys<ApprovalSpec>({ environment: true, allowWaitTimer: true })
    ]
  ])('%s has the same fields in schema and types.ts', (_name, inSchema, inTypes) => {
    expect(inSchema).toEqual(inTypes)
  })

  it('accepts the full example plan', () => {
    const data: unknown = parse(
      readFileSync(new URL('../fixtures/plans/full.yaml', import.meta.url), 'utf8')
    )
    expect(validatePlanData(data)).toEqual([])
  })

  it.each([
    ['duration', ['30s', '500ms', '1h30m', '2d', '1.5h'], ['30', '5 m', '1y', '', 'm5', '1h 30m']],
    [
      'size',
      ['500MB', '1.5GiB', '200Mi', '10B', '2kB', '3Ti'],
      ['big', '500 MB', '5mb', '1.5', 'MB']
    ],
    [
      'url',
      ['http://127.0.0.1:9090', 'https://grafana.example.com/d/x?a=1'],
      ['127.0.0.1:9090', 'ftp://x', 'http://']
    ],
    ['envName', ['PROM_TOKEN', '_x1'], ['1X', 'A-B', 'a b']]
  ])('the %s pattern accepts and rejects what it should', (def, good, bad) => {
    const pattern = new RegExp(String(defs[def].pattern))
    for (const g of good) expect([g, pattern.test(g)]).toEqual([g, true])
    for (const b of bad) expect([b, pattern.test(b)]).toEqual([b, false])
  })

  it.each([
    ['apps/v1/Deployment', true],
    ['v1/ConfigMap', true],
    ['postgresql.k8s.enterprisedb.io/v1/Cluster', true],
    ['autoscaling/v2beta2/HorizontalPodAutoscaler', true],
    ['apps/Deployment', false],
    ['apps/v1/deployment', false],
    ['Deployment', false],
    ['apps/v1/Deployment/extra', false]
  ])('apis pattern: %s → %s', (api, ok) => {
    const apis = prop(rootProps.assumptions, 'apis')
    expect(new RegExp(String(itemsOf(apis).pattern)).test(api)).toBe(ok)
  })
})

describe('chooseBranch', () => {
  const check = defs.check.oneOf ?? []
  const image = defs.image.oneOf ?? []
  it.each([
    ['a check by its kind key', check, { http: {} }, 1],
    ['a check with an unknown key', check, { htp: {} }, undefined],
    ['a check with two kinds', check, { http: {}, ready: {} }, undefined],
    ['an image string', image, 'nginx:1', 0],
    ['an image object, even with a typo inside', image, { reff: 'x' }, 1],
    ['an image of the wrong type', image, 5, undefined]
  ])('%s', (_name, branches, value, expected) => {
    expect(chooseBranch(branches, value)).toBe(expected)
  })
})

describe('typedFields', () => {
  it('finds durations, globs, CEL and PromQL through refs and oneOf branches', () => {
    const fields = typedFields({
      version: 1,
      name: 'x',
      target: { namespace: 'x' },
      budgets: { phase: '5m' },
      assumptions: { manifests: ['deploy/*.yaml'] },
      tracers: [
        { name: 't', assumption: 'a', manifest: { file: 't.yaml' }, success: { cel: 'true' } }
      ],
      phases: [{ name: 'p', validate: [{ metric: { query: 'up', expect: '< 1' } }] }]
    })
    const byDef = (d: string): string[] =>
      fields.filter(f => f.defs.includes(d)).map(f => JSON.stringify(f.path))
    expect(byDef('duration')).toEqual(['["budgets","phase"]'])
    expect(byDef('repoGlob')).toEqual(['["assumptions","manifests",0]'])
    expect(byDef('repoPath')).toEqual(['["tracers",0,"manifest","file"]'])
    expect(byDef('cel')).toEqual(['["tracers",0,"success","cel"]'])
    expect(byDef('promql')).toEqual(['["phases",0,"validate",0,"metric","query"]'])
    expect(byDef('expectation')).toEqual(['["phases",0,"validate",0,"metric","expect"]'])
  })
})
