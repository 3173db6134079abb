import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import { loadPlan } from '../../src/plan/loader.js'
import {
  assertNoLintErrors,
  formatProblem,
  lintPlan,
  promqlProblem,
  type CelContext,
  type LintOptions
} from '../../src/plan/lint.js'

// A throwaway repository: repo/ is the workspace, outside/ is what must stay unreachable.
const base = mkdtempSync(path.join(tmpdir(), 'phase-gate-lint-'))
const repo = path.join(base, 'repo')
const outside = path.join(base, 'outside')

beforeAll(() => {
  for (const d of [
    'plans',
    'deploy/db',
    'deploy/empty',
    'deploy/overlay',
    'tracers',
    'values',
    'charts/api'
  ]) {
    mkdirSync(path.join(repo, d), { recursive: true })
  }
  mkdirSync(outside)
  writeFileSync(path.join(outside, 'secret.yaml'), 'kind: Secret\n')
  writeFileSync(path.join(repo, 'deploy/10-config.yaml'), 'kind: ConfigMap\n')
  writeFileSync(path.join(repo, 'deploy/db/20-db.yaml'), 'kind: Cluster\n')
  writeFileSync(path.join(repo, 'deploy/overlay/kustomization.yaml'), 'resources: []\n')
  writeFileSync(path.join(repo, 'tracers/edb.yaml'), 'kind: Cluster\n')
  writeFileSync(path.join(repo, 'values/api.yaml'), 'a: 1\n')
  writeFileSync(path.join(repo, 'charts/api/Chart.yaml'), 'name: api\n')
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'deploy/evil.yaml'))
  symlinkSync(outside, path.join(repo, 'linked'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

const acceptCel = (): void => undefined

let counter = 0
async function lint(
  body: string,
  opts: LintOptions = { compileCel: acceptCel }
): Promise<string[]> {
  const file = path.join(repo, 'plans', `p${++counter}.yaml`)
  writeFileSync(file, `version: 1\nname: web\ntarget: {namespace: web}\n${body}`)
  const loaded = await loadPlan(file, { workspace: repo })
  return lintPlan(loaded, opts)
    .map(p => formatProblem(p).replace(loaded.displayFile, 'F'))
    .filter(p => !SEED_MUSTS.test(p))
}

const SEED_MUSTS = / has no validate: |: the rollout has no rollbackIf: /

const PROM = 'prometheus: http://127.0.0.1:9090\n'
const ROLLOUT = `${PROM}rollout:
  target: {kind: Deployment, name: api}
  stages:
    - {name: canary, weight: 10, hold: 1m}
    - {name: full, weight: 100}
  metrics:
    requests: 'sum(rate(req{track="{{track}}"}[1m]))'
    errorRate: 'sum(rate(err{track="{{track}}"}[1m]))'
`

describe('lintPlan', () => {
  it.each<[string, string, string[]]>([
    [
      'duplicate phase names',
      'phases:\n  - name: db\n    apply: [../deploy/db/20-db.yaml]\n  - name: db\n    apply: [../deploy/10-config.yaml]\n',
      ['F:7:5: phases[1].name: duplicate phase name "db" (also phases[0].name at line 5)']
    ],
    [
      'duplicate tracer names',
      'tracers:\n  - {name: t, assumption: a, manifest: {file: ../tracers/edb.yaml}, success: {ready: true}}\n  - {name: t, assumption: b, manifest: {file: ../tracers/edb.yaml}, success: {ready: true}}\n',
      ['F:6:6: tracers[1].name: duplicate tracer name "t" (also tracers[0].name at line 5)']
    ],
    [
      'duplicate stage names and rollback levels',
      `${PROM}rollout:\n  target: {kind: Deployment, name: api}\n  stages:\n    - {name: a, weight: 50}\n    - {name: a, weight: 100}\nrollbackLevels:\n  - {level: code, target: {kind: Deployment, name: api}}\n  - {level: code, helm: {release: api}}\n`,
      [
        'F:9:8: rollout.stages[1].name: duplicate stage name "a" (also rollout.stages[0].name at line 8)',
        'F:12:6: rollbackLevels[1].level: duplicate rollback level "code" (also rollbackLevels[0].level at line 11)'
      ]
    ],
    [
      'a rollbackIf metric not defined under rollout.metrics',
      `${ROLLOUT}  rollbackIf:\n    - {metric: errorRte, above: 2x baseline}\n    - {metric: latencyP99, above: 5s}\n`,
      [
        'F:14:8: rollout.rollbackIf[0].metric: metric "errorRte" is not defined under rollout.metrics (did you mean "errorRate"?); defined: requests, errorRate',
        'F:15:8: rollout.rollbackIf[1].metric: metric "latencyP99" is not defined under rollout.metrics; defined: requests, errorRate'
      ]
    ],
    [
      'prometheus is not a metric',
      `${ROLLOUT}  rollbackIf: [{metric: prometheus, above: 1}]\n`,
      [
        'F:13:17: rollout.rollbackIf[0].metric: metric "prometheus" is not defined under rollout.metrics; defined: requests, errorRate'
      ]
    ],
    [
      'triggers that cannot fire',
      `${ROLLOUT}  rollbackIf:\n    - {metric: errorRate}\n    - {above: 5}\n    - {samples: 2}\n    - {metric: errorRate, above: 1, samples: 4, of: 3}\n`,
      [
        'F:14:7: rollout.rollbackIf[0]: a trigger on metric "errorRate" needs above, below or cel',
        'F:15:7: rollout.rollbackIf[1]: above needs a metric to judge',
        'F:16:7: rollout.rollbackIf[2]: a trigger needs a metric (with above, below or cel) or noDataFor',
        'F:17:37: rollout.rollbackIf[3].samples: samples (4) cannot exceed of (3)'
      ]
    ],
    [
      'resource triggers: no metric beside, a threshold, no baseline, a bare number is a share',
      `${ROLLOUT}  rollbackIf:\n    - {resource: cpu, above: 80%, samples: 2, of: 3}\n    - {resource: memory, metric: errorRate, above: 0.9}\n    - {resource: cpu}\n    - {resource: memory, above: 2x baseline}\n    - {resource: cpu, above: 80}\n    - {resource: memory, cel: value > baseline}\n    - {resource: memory, noDataFor: 2m}\n`,
      [
        "F:15:7: rollout.rollbackIf[1]: give either metric or resource, not both: resource: memory judges the canary's share of its limits",
        'F:16:7: rollout.rollbackIf[2]: a trigger on resource "cpu" needs above, below or cel (e.g. above: 80%)',
        'F:17:26: rollout.rollbackIf[3].above: above: 2x baseline: a resource trigger has no baseline; give a share of the limits like 80%',
        'F:18:23: rollout.rollbackIf[4].above: warning: above: 80 is 8000 % of the limits; write 80% if you meant a percentage',
        'F:19:26: rollout.rollbackIf[5].cel: a resource trigger has no baseline; its cel sees only `value` (the highest share of a limit)'
      ]
    ],
    [
      'stage weights that do not increase or end below 100',
      `${PROM}rollout:\n  target: {kind: Deployment, name: api}\n  stages:\n    - {name: a, weight: 25}\n    - {name: b, weight: 25}\n    - {name: c, weight: 10}\n    - {name: d, weight: 75}\n`,
      [
        'F:9:17: rollout.stages[1].weight: weights must increase from stage to stage: 25 is not above 25 (rollout.stages[0])',
        'F:10:17: rollout.stages[2].weight: weights must increase from stage to stage: 10 is not above 25 (rollout.stages[1])',
        'F:11:17: rollout.stages[3].weight: the last stage must take the canary to 100, got 75'
      ]
    ],
    [
      'onTrigger and onDegraded naming undefined levels, a canary that is the target',
      `${ROLLOUT}  canary: {kind: Deployment, name: api}\n  onTrigger: flag\nsoak: {onDegraded: code, sustained: {samples: 5, of: 3}}\nrollbackLevels:\n  - {level: config, configMaps: [api]}\n`,
      [
        'F:13:3: rollout.canary: the canary is the same workload as the target (stable)',
        'F:14:3: rollout.onTrigger: rollback level "flag" is not defined under rollbackLevels',
        'F:15:8: soak.onDegraded: rollback level "code" is not defined under rollbackLevels',
        'F:15:38: soak.sustained.samples: samples (5) cannot exceed of (3)'
      ]
    ],
    [
      'metric queries without {{track}}, no requests query, no Prometheus',
      'rollout:\n  target: {kind: Deployment, name: api}\n  metrics: {errorRate: "sum(rate(err[1m]))"}\n  rollbackIf: [{metric: errorRate, above: 1}]\n',
      [
        'F:6:3: rollout.metrics: warning: no Prometheus in the plan: set `prometheus` at the top level or under rollout.metrics, or in the settings',
        'F:6:3: rollout.metrics: warning: no `requests` query: zero canary traffic cannot be told apart from missing data',
        'F:6:13: rollout.metrics.errorRate: warning: the query has no {{track}}: canary and baseline (stable) read the same series'
      ]
    ],
    [
      'a tracer manifest with both or neither of file and inline, a bad inline manifest',
      'tracers:\n  - {name: a, assumption: x, manifest: {file: ../tracers/edb.yaml, inline: "kind: Pod"}, success: {ready: true}}\n  - {name: b, assumption: x, manifest: {}, success: {ready: true}}\n  - {name: c, assumption: x, manifest: {inline: "kind: Pod"}, success: {ready: true}}\n  - {name: d, assumption: x, manifest: {inline: "a: [1"}, success: {ready: true}}\n',
      [
        'F:5:30: tracers[0].manifest: expected exactly one of file or inline',
        'F:6:30: tracers[1].manifest: expected exactly one of file or inline',
        'F:7:41: tracers[2].manifest.inline: the inline manifest lacks apiVersion, metadata.name',
        'F:8:41: tracers[3].manifest.inline: the inline manifest is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'
      ]
    ],
    [
      'helm: rollback in a phase without helm, a phase that applies nothing',
      'phases:\n  - name: db\n    rollback: [{helm: rollback}]\n',
      [
        'F:5:5: phases[0]: warning: phase "db" applies nothing (no apply, kustomize, helm or migration)',
        'F:6:17: phases[0].rollback[0].helm: helm: rollback needs a phase with a helm release; phase "db" has none'
      ]
    ],
    [
      'onFailure stop and a migration on a Helm phase, a migration without down, an implementation budget shorter than a phase timeout, a wait timer as approval',
      'budgets: {implementation: 1m}\napproval: {allowWaitTimer: true}\nphases:\n  - name: db\n    apply: [a.yaml]\n    timeout: 2m\n    migration: {up: [m, up]}\n  - name: web\n    helm: {release: web, chart: ./c}\n    onFailure: stop\n    migration: {up: [m, up], down: [m, down]}\n',
      [
        'F:4:11: budgets.implementation: warning: budgets.implementation (1m) is shorter than the longest phase timeout (2m): the run stops before that phase may time out',
        'F:5:12: approval.allowWaitTimer: warning: a wait timer alone counts as the approval point: the deployment goes on when it runs out, without a person approving',
        'F:8:13: phases[0].apply[0]: warning: "a.yaml" does not exist',
        'F:10:5: phases[0].migration: warning: the migration of phase "db" has no down: rolling the phase back leaves the schema migrated, and code rollback is refused after it',
        'F:12:26: phases[1].helm.chart: warning: "./c" does not exist',
        'F:13:5: phases[1].onFailure: warning: onFailure: stop is not supported on Helm phases yet: phase "web" is rolled back on failure',
        "F:14:5: phases[1].migration: warning: the migration of a Helm phase is not run by phase-gate (only apply phases run up and down); run it from the chart's hooks"
      ]
    ],
    [
      'rollback levels without their targets, and fields a level ignores',
      'rollbackLevels:\n  - {level: flag, configMap: flags, key: X}\n  - {level: config}\n  - {level: code, configMaps: [x]}\n  - {level: flag, command: {run: [./flag, off]}}\n',
      [
        'F:5:5: rollbackLevels[0]: level flag needs configMap, key and value (missing value) or a command',
        'F:6:5: rollbackLevels[1]: level config needs configMaps or secrets to restore',
        'F:7:5: rollbackLevels[2]: level code needs a target workload or a helm release to undo',
        'F:7:19: rollbackLevels[2].configMaps: warning: configMaps is ignored by level code',
        'F:8:6: rollbackLevels[3].level: duplicate rollback level "flag" (also rollbackLevels[0].level at line 5)'
      ]
    ],
    [
      'an http check with both service and url; a metric check without Prometheus',
      'validation:\n  checks:\n    - http: {service: api, port: 80, url: "http://127.0.0.1:1/"}\n    - http: {path: /}\n    - metric: {query: up, expect: "== 1"}\n',
      [
        'F:6:7: validation.checks[0].http: expected exactly one of service or url',
        'F:7:7: validation.checks[1].http: expected exactly one of service or url',
        'F:8:7: validation.checks[2].metric: warning: no Prometheus in the plan: metric checks need `prometheus` at the top level or in the settings'
      ]
    ],
    [
      'zero budgets and timeouts, a timeout beyond the phase budget, holds shorter than the interval',
      `budgets: {phase: 0s}\nphases:\n  - {name: a, apply: [../deploy/10-config.yaml], timeout: 20m, budget: 15m}\n${ROLLOUT}  interval: 2m\n`,
      [
        'F:4:11: budgets.phase: a budget of 0 leaves no time',
        'F:6:50: phases[0].timeout: warning: the timeout (20m) is longer than the phase budget (15m)',
        'F:11:34: rollout.stages[0].hold: warning: the hold (1m) is shorter than rollout.interval (2m): metrics are judged at most once'
      ]
    ],
    [
      'PromQL with unbalanced brackets or quotes',
      `${PROM}rollout:\n  target: {kind: Deployment, name: api}\n  metrics:\n    requests: 'sum(rate(req{track="{{track}}"}[1m])'\n    errors: 'sum(rate(err{track="{{track}}}[1m]))'\n  rollbackIf: [{noDataFor: 5m}]\n`,
      [
        'F:8:5: rollout.metrics.requests: unclosed "(" at character 4',
        'F:9:5: rollout.metrics.errors: unclosed " quote at character 20'
      ]
    ],
    [
      'PromQL with an unknown function or a range without a unit',
      `${PROM}rollout:\n  target: {kind: Deployment, name: api}\n  metrics:\n    requests: 'sum(rat(req{track="{{track}}"}[1m]))'\n    errors: 'sum(rate(err{track="{{track}}"}[5]))'\n  rollbackIf: [{noDataFor: 5m}]\n`,
      [
        'F:8:5: rollout.metrics.requests: unknown function "rat" at character 5',
        'F:9:5: rollout.metrics.errors: the duration "5" at character 33 has no unit: write e.g. 5s or 5m'
      ]
    ]
  ])('%s', async (_name, body, expected) => {
    const problems = await lint(body).catch((e: unknown) =>
      e instanceof UsageError ? e.problems.map(p => p.replace(/^[^:]+/, 'F')) : Promise.reject(e)
    )
    // The seed's musts (a phase without validate, a rollout without rollbackIf) have tests of their own below.
    expect(problems.filter(p => !SEED_MUSTS.test(p))).toEqual(expected)
  })

  it.each<[string, string, string[]]>([
    [
      'a glob escaping the repository',
      'assumptions: {manifests: ["../../etc/*"]}\n',
      [
        'F:4:27: assumptions.manifests[0]: "../../etc/*" escapes the repository root: paths must stay inside it'
      ]
    ],
    [
      'an absolute path outside the repository',
      'phases:\n  - {name: a, apply: [/etc/passwd]}\n',
      [
        'F:5:23: phases[0].apply[0]: "/etc/passwd" is outside the repository: use a path relative to the plan file, inside the repository'
      ]
    ],
    [
      '".." after a wildcard',
      'assumptions: {manifests: ["../deploy/*/../../../x"]}\n',
      [
        'F:4:27: assumptions.manifests[0]: "../deploy/*/../../../x": ".." after a wildcard may leave the repository; write the directory out'
      ]
    ],
    [
      'a glob matching a symlink that leads outside',
      'assumptions: {manifests: ["../deploy/*.yaml"]}\n',
      [
        `F:4:27: assumptions.manifests[0]: "../deploy/*.yaml" matches deploy/evil.yaml, a symlink to ${path.join(outside, 'secret.yaml')} outside the repository`
      ]
    ],
    [
      'a path through a symlinked directory',
      'tracers:\n  - {name: t, assumption: a, manifest: {file: ../linked/secret.yaml}, success: {ready: true}}\n',
      [
        `F:5:41: tracers[0].manifest.file: "../linked/secret.yaml" leads through a symlink to ${path.join(outside, 'secret.yaml')}, outside the repository`
      ]
    ],
    [
      'helm values files and a chart path escaping the repository',
      'phases:\n  - name: api\n    helm: {release: api, chart: ../../charts/x, valuesFiles: [../../../v.yaml]}\n',
      [
        'F:6:26: phases[0].helm.chart: "../../charts/x" escapes the repository root: paths must stay inside it',
        'F:6:63: phases[0].helm.valuesFiles[0]: "../../../v.yaml" escapes the repository root: paths must stay inside it'
      ]
    ],
    [
      'a glob matching nothing and a missing file (warnings)',
      'assumptions: {manifests: ["../deploy/empty/*.yaml", "../deploy/nope.yaml"]}\n',
      [
        'F:4:27: assumptions.manifests[0]: warning: "../deploy/empty/*.yaml" matches no file',
        'F:4:53: assumptions.manifests[1]: warning: "../deploy/nope.yaml" does not exist'
      ]
    ],
    [
      'a directory where files are expected',
      'phases:\n  - {name: a, apply: [../deploy/db]}\n',
      [
        'F:5:23: phases[0].apply[0]: "../deploy/db" is a directory without a kustomization.yaml: name files, a glob like ../deploy/db/*.yaml, or a Kustomize directory'
      ]
    ],
    [
      'kustomize: a directory without a kustomization, and beside apply or helm',
      'phases:\n  - {name: a, kustomize: ../deploy/db}\n  - {name: b, kustomize: ../deploy/overlay, apply: [../deploy/db/20-db.yaml]}\n  - {name: c, kustomize: ../deploy/overlay, helm: {release: c, chart: ../charts/api}, forceConflicts: true}\n',
      [
        'F:5:15: phases[0].kustomize: "../deploy/db" is not a Kustomize directory: it needs a kustomization.yaml (name the base or overlay directory)',
        'F:6:15: phases[1].kustomize: phase "b" gives kustomize and apply: a phase applies one of them; split it into two phases',
        'F:7:15: phases[2].kustomize: phase "c" gives kustomize and helm: a phase applies one of them; split it into two phases',
        'F:7:87: phases[2].forceConflicts: warning: forceConflicts applies to apply: and kustomize: phases; helm applies a release its own way'
      ]
    ],
    [
      'a Kustomize directory as a phase or among assumptions.manifests is fine',
      'assumptions: {manifests: ["../deploy/overlay", "../deploy/db/*.yaml"]}\nphases:\n  - {name: a, kustomize: ../deploy/overlay, forceConflicts: true}\n',
      []
    ],
    [
      'paths inside the repository are fine',
      'assumptions: {manifests: ["../deploy/**/2*.yaml", "../deploy/10-config.yaml"]}\nphases:\n  - name: api\n    helm: {release: api, chart: ../charts/api, valuesFiles: [../values/api.yaml]}\n',
      []
    ]
  ])('paths: %s', async (_name, body, expected) => {
    expect(await lint(body)).toEqual(expected)
  })

  it('skips filesystem checks when asked', async () => {
    expect(
      await lint('assumptions: {manifests: ["../../etc/*"]}\n', { checkFiles: false })
    ).toEqual([])
  })

  it('hands every CEL expression, expectation and trigger to the compiler with its context', async () => {
    const seen: [string, CelContext][] = []
    const compileCel = (source: string, context: CelContext): void => {
      seen.push([source, context])
      if (source.includes('??')) throw new Error('fake: cannot compile')
    }
    const problems = await lint(
      `${ROLLOUT}  rollbackIf: [{metric: errorRate, cel: "value > 2.0 * baseline"}, {metric: requests, above: 2x baseline}]
tracers:
  - {name: t, assumption: a, manifest: {file: ../tracers/edb.yaml}, success: {cel: "object ?? 1"}}
validation:
  checks:
    - http: {url: "http://127.0.0.1:1/", expect: {cel: "status == 200"}}
    - metric: {query: up, expect: "< 0.5"}
    - metric: {query: up, expect: "value >= baseline"}
hygiene:
  rules: [{id: r, cel: "has(object.spec)", message: m}]
`,
      { compileCel }
    )
    expect(problems).toEqual(['F:15:79: tracers[0].success.cel: fake: cannot compile'])
    expect(seen.sort()).toEqual(
      [
        ['value > 2.0 * baseline', 'value'],
        ['value > 2.0 * baseline', 'value'],
        ['object ?? 1', 'object'],
        ['status == 200', 'http'],
        ['value < 0.5', 'value'],
        ['value >= baseline', 'value'],
        ['has(object.spec)', 'hygiene']
      ].sort()
    )
  })

  it.each<[string, string, string[]]>([
    [
      'a syntax error, with its position in the expression',
      'tracers:\n  - {name: t, assumption: a, manifest: {file: ../tracers/edb.yaml}, success: {cel: "object.status.phase = 1"}}\n',
      [
        "F:5:79: tracers[0].success.cel: invalid CEL: '=' is not an operator: write '==' to compare (line 1, column 21)"
      ]
    ],
    [
      'a variable the context does not bind',
      'validation:\n  checks:\n    - http: {url: "http://127.0.0.1:1/", expect: {cel: "response.status == 200"}}\n',
      [
        "F:6:51: validation.checks[0].http.expect.cel: invalid CEL: undeclared reference to 'response' (variables: status, headers, body, json) (line 1, column 1)"
      ]
    ],
    [
      'a shorthand that is not a threshold',
      `${PROM}validation:\n  checks:\n    - metric: {query: up, expect: "< lots"}\n`,
      [
        'F:7:27: validation.checks[0].metric.expect: invalid expectation "< lots": "lots" is not a threshold; write a comparison with a number, duration, percentage, multiple of baseline or string ("< 0.5", ">= 3", "== 200", "< 500ms", "< 2%", "<= 1.5x baseline", "== \'ok\'"), or a CEL expression over value and baseline ("value < 0.5 || baseline == 0.0")'
      ]
    ],
    [
      'a trigger with both a threshold and cel',
      `${ROLLOUT}  rollbackIf: [{metric: errorRate, above: 1, cel: "value > 1.0"}]\n`,
      [
        'F:13:46: rollout.rollbackIf[0].cel: invalid trigger: give either cel or above/below, not both'
      ]
    ],
    [
      'a hygiene rule that does not parse',
      'hygiene:\n  rules: [{id: r, cel: "has(object.spec", message: m}]\n',
      ["F:5:19: hygiene.rules[0].cel: invalid CEL: '(' is never closed (line 1, column 4)"]
    ]
  ])('with the project CEL: %s', async (_name, body, expected) => {
    expect(await lint(body, {})).toEqual(expected)
  })

  it('accepts the CEL of the full example plan with the project CEL', async () => {
    const loaded = await loadPlan('__tests__/fixtures/plans/full.yaml', {
      workspace: process.cwd()
    })
    expect(lintPlan(loaded)).toEqual([])
  })

  it('finds no problem in the full example plan', async () => {
    const loaded = await loadPlan('__tests__/fixtures/plans/full.yaml', {
      workspace: process.cwd()
    })
    const compiled: string[] = []
    expect(lintPlan(loaded, { compileCel: s => void compiled.push(s) })).toEqual([])
    expect(compiled.sort()).toEqual(
      [
        'object.status.readyInstances >= 1',
        'value < 0.5',
        'status == 200',
        'value < 0.05',
        'value > 2.0 * baseline',
        'value > 5.0',
        "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))"
      ].sort()
    )
  })
})

describe('assertNoLintErrors', () => {
  it('throws a UsageError whose problems are file:line:col: path: message lines', async () => {
    const file = path.join(repo, 'plans', 'dup.yaml')
    writeFileSync(
      file,
      'version: 1\nname: web\ntarget: {namespace: web}\nassumptions: {manifests: ["/etc/passwd"]}\nphases:\n  - {name: a, apply: [../deploy/10-config.yaml]}\n  - {name: a, apply: [../deploy/10-config.yaml]}\n'
    )
    const loaded = await loadPlan(file, { workspace: repo })
    const err = (() => {
      try {
        assertNoLintErrors(loaded, lintPlan(loaded))
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(UsageError)
    expect((err as UsageError).message).toBe('plans/dup.yaml: the plan has 2 lint errors')
    expect((err as UsageError).problems).toEqual([
      'plans/dup.yaml:4:27: assumptions.manifests[0]: "/etc/passwd" is outside the repository: use a path relative to the plan file, inside the repository',
      'plans/dup.yaml:7:6: phases[1].name: duplicate phase name "a" (also phases[0].name at line 6)'
    ])
  })

  it('lets warnings pass', async () => {
    const file = path.join(repo, 'plans', 'warn.yaml')
    writeFileSync(
      file,
      'version: 1\nname: web\ntarget: {namespace: web}\nphases: [{name: empty}]\n'
    )
    const loaded = await loadPlan(file, { workspace: repo })
    const problems = lintPlan(loaded)
    expect(problems.map(p => p.severity)).toEqual(['warning', 'warning'])
    expect(() => assertNoLintErrors(loaded, problems)).not.toThrow()
  })
})

describe('promqlProblem (the grammar of Prometheus, @prometheus-io/lezer-promql)', () => {
  it.each<[string, string | undefined]>([
    ['sum(rate(http_requests_total{code=~"5.."}[1m]))', undefined],
    ['histogram_quantile(0.99, sum by (le) (rate(x_bucket{track="{{track}}"}[1m])))', undefined],
    ['(sum(rate(x{code="500"}[10s])) or vector(0)) / sum(rate(x[10s]))', undefined],
    ['up{job="a)b"}', undefined],
    ["up{job='it\\'s'}", undefined],
    ['up # a comment (with an open bracket', undefined],
    ['   ', 'the query is empty'],
    ['sum(rate(x[1m])', 'unclosed "(" at character 4'],
    ['sum(rate(x[1m))', '")" at character 14 does not close "[" at character 11'],
    ['up)', 'unbalanced ")" at character 3'],
    ['up{job="a}', 'unclosed " quote at character 8'],
    ['sum(rate(x[1m])) +', 'the query ends too early (an unclosed bracket or a missing operand)'],
    ['sum(rate(x[1m])) 5', 'syntax error at character 18 ("5")'],
    ['rate(x[5])', 'the duration "5" at character 8 has no unit: write e.g. 5s or 5m'],
    [
      'max_over_time(x[5m:30])',
      'the duration "30" at character 20 has no unit: write e.g. 30s or 30m'
    ],
    ['sum(rat(x[1m]))', 'unknown function "rat" at character 5'],
    ['foo_bar(x)', 'unknown function "foo_bar" at character 1']
  ])('%s', (query, expected) => {
    expect(promqlProblem(query)).toBe(expected)
  })
})
