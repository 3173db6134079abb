import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import {
  DEFAULT_MAX_PLAN_BYTES,
  firstInvalidUtf8,
  formatFieldPath,
  loadPlan,
  parsePlan
} from '../../src/plan/loader.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'phase-gate-loader-'))
mkdirSync(path.join(workspace, 'plans'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

let counter = 0
/** Writes the plan under plans/ and loads it; the display name is `plans/web.yaml`-like. */
async function load(content: string | Buffer, opts: { maxBytes?: number } = {}) {
  const file = path.join(workspace, 'plans', `plan-${++counter}.yaml`)
  writeFileSync(file, content)
  return { file: `plans/plan-${counter}.yaml`, result: loadPlan(file, { workspace, ...opts }) }
}

/** The UsageError's problem lines, with the file name replaced by F. */
async function problemsOf(
  content: string | Buffer,
  opts: { maxBytes?: number } = {}
): Promise<string[]> {
  const { file, result } = await load(content, opts)
  const err = await result.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(err instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(err)}`)
  expect(err.message.startsWith(`${file}: `)).toBe(true)
  for (const p of err.problems) expect(p.startsWith(`${file}:`)).toBe(true)
  return err.problems.map(p => p.replace(file, 'F'))
}

const HEAD = 'version: 1\nname: web\ntarget:\n  namespace: web\n'

function billionLaughs(levels: number, width: number): string {
  const items = (ref: string): string => `[${Array.from({ length: width }, () => ref).join(', ')}]`
  let text = `a0: &a0 ${items('"lol"')}\n`
  for (let i = 1; i < levels; i++) text += `a${i}: &a${i} ${items(`*a${i - 1}`)}\n`
  return text
}

describe('loadPlan rejects bad input with file:line:col: path: message', () => {
  it.each<[string, string | Buffer, string[]]>([
    ['wrong type', `${HEAD}owners: alice\n`, ['F:5:9: owners: expected a list, got "alice"']],
    [
      'wrong type where a mapping is expected',
      `${HEAD}budgets: [10m]\n`,
      ['F:5:1: budgets: expected a mapping, got a list of 1 item']
    ],
    [
      'unknown field with did-you-mean',
      `${HEAD}aassumptions:\n  apis: []\n`,
      ['F:5:1: aassumptions: unknown field "aassumptions" (did you mean "assumptions"?)']
    ],
    [
      'unknown field far from any name lists the allowed ones',
      `version: 1\nname: web\ntarget: {namespace: web, zone: eu}\n`,
      [
        'F:3:26: target.zone: unknown field "zone"; allowed: context, namespace, platform or production'
      ]
    ],
    [
      'missing required field',
      'version: 1\nname: web\n',
      ['F:1:1: target: missing required field "target"']
    ],
    [
      'a misspelt required field is reported once, as the typo',
      `${HEAD}assumptions:\n  images: [{reff: nginx}]\n  operators: [{nmae: x}]\n`,
      [
        'F:6:13: assumptions.images[0].reff: unknown field "reff" (did you mean "ref"?)',
        'F:7:16: assumptions.operators[0].nmae: unknown field "nmae" (did you mean "name"?)'
      ]
    ],
    [
      'missing required field in a list item points at the item',
      `${HEAD}phases:\n  - apply: [deploy/a.yaml]\n`,
      ['F:6:5: phases[0].name: missing required field "name"']
    ],
    [
      'wrong const',
      'version: 2\nname: web\ntarget: {namespace: web}\n',
      ['F:1:10: version: expected 1, got a number (2)']
    ],
    [
      'bad enum with did-you-mean',
      `${HEAD}budgets: {size: simpel}\n`,
      [
        'F:5:17: budgets.size: expected one of "simple", "medium" or "complex", got "simpel" (did you mean "simple"?)'
      ]
    ],
    [
      'an unknown resource of a rollback trigger, with did-you-mean',
      `${HEAD}rollout:\n  target: {kind: Deployment, name: api}\n  rollbackIf: [{resource: cpus, above: 80%}]\n`,
      [
        'F:7:27: rollout.rollbackIf[0].resource: expected one of "cpu" or "memory", got "cpus" (did you mean "cpu"?)'
      ]
    ],
    [
      'bad duration',
      `${HEAD}budgets:\n  phase: 15 minutes\n`,
      ['F:6:10: budgets.phase: expected a duration like 30s, 5m or 1h30m, got "15 minutes"']
    ],
    [
      'duration given as a number',
      `${HEAD}tracers:\n  - name: t\n    assumption: a\n    manifest: {file: t.yaml}\n    success: {ready: true}\n    timeout: 30\n`,
      ['F:10:14: tracers[0].timeout: expected a duration like 30s, 5m or 1h30m, got a number (30)']
    ],
    [
      'bad size',
      `${HEAD}assumptions:\n  images:\n    - nginx:1.27\n    - ref: registry.example.com/web:1\n      maxSize: big\n`,
      [
        'F:9:16: assumptions.images[1].maxSize: expected a size like 500MB, 1.5GiB or 200Mi, got "big"'
      ]
    ],
    [
      'an image of neither shape',
      `${HEAD}assumptions:\n  images: [42]\n`,
      ['F:6:12: assumptions.images[0]: expected a string or a mapping, got a number (42)']
    ],
    [
      'bad api',
      `${HEAD}assumptions:\n  apis: [apps/Deployment]\n`,
      [
        'F:6:10: assumptions.apis[0]: expected group/version/Kind or version/Kind, like apps/v1/Deployment or v1/ConfigMap, got "apps/Deployment"'
      ]
    ],
    [
      'a check reports only the branch of its kind',
      `${HEAD}validation:\n  checks:\n    - http: {service: api, port: 80, pth: /health}\n`,
      ['F:7:38: validation.checks[0].http.pth: unknown field "pth" (did you mean "path"?)']
    ],
    [
      'a check with an unknown kind says which kinds exist',
      `${HEAD}validation:\n  checks:\n    - htp: {service: api}\n`,
      [
        'F:7:7: validation.checks[0].htp: unknown field "htp" (did you mean "http"?); expected exactly one of ready, http, command, env, metric, pullRequest, tools, migration, argocd or alertRules'
      ]
    ],
    [
      'a check with two kinds',
      `${HEAD}validation:\n  checks:\n    - {ready: {kind: Deployment, name: api}, env: {selector: app=api, require: [A]}}\n`,
      [
        'F:7:7: validation.checks[0]: expected exactly one of ready, http, command, env, metric, pullRequest, tools, migration, argocd or alertRules, found ready and env'
      ]
    ],
    [
      'a success criterion of the wrong shape',
      `${HEAD}tracers:\n  - name: t\n    assumption: a\n    manifest: {file: t.yaml}\n    success: {ready: yes}\n`,
      ['F:9:22: tracers[0].success.ready: expected true, got "yes"']
    ],
    [
      'a rollback action with a typo',
      `${HEAD}phases:\n  - name: db\n    rollback: [{helm: rollbak}]\n`,
      ['F:7:23: phases[0].rollback[0].helm: expected "rollback", got "rollbak"']
    ],
    [
      'several problems come sorted by position',
      `version: 1\nname: Web App\ntarget: {namespace: web}\nbudgets: {phase: soon}\n`,
      [
        'F:2:7: name: expected a lowercase name of letters, digits and "-" like dify or web-api, got "Web App"',
        'F:4:18: budgets.phase: expected a duration like 30s, 5m or 1h30m, got "soon"'
      ]
    ],
    [
      'an empty value',
      `${HEAD}budgets:\n  phase:\n`,
      ['F:6:9: budgets.phase: expected a duration like 30s, 5m or 1h30m, got an empty value']
    ],
    [
      'invalid metric name',
      `${HEAD}rollout:\n  target: {kind: Deployment, name: api}\n  metrics: {error-rate: up}\n`,
      [
        'F:7:13: rollout.metrics.error-rate: invalid field name "error-rate": expected a metric name like errorRate (letters, digits and _)'
      ]
    ],
    [
      'a merge key',
      `${HEAD}phases:\n  - <<: {name: db}\n`,
      [
        'F:6:5: phases[0].name: missing required field "name"',
        'F:6:5: phases[0]["<<"]: YAML merge keys (<<) are not supported: write the fields out'
      ]
    ],
    [
      'duplicate key, naming both lines',
      'version: 1\nname: web\ntarget:\n  namespace: web\n  namespace: api\n',
      ['F:5:3: target.namespace: duplicate key "namespace" (first defined at line 4, column 3)']
    ],
    [
      'alias bomb',
      `${HEAD}${billionLaughs(9, 9)}`,
      [
        'F:6:10: (yaml): too many aliases: anchors and aliases here would expand beyond 50 nodes (a "billion laughs" file?); write the values out'
      ]
    ],
    [
      'alias without an anchor',
      `${HEAD}owners: [*team]\n`,
      ['F:5:10: owners[0]: alias *team refers to no anchor defined before it']
    ],
    [
      'YAML syntax error at its line',
      `${HEAD}owners: [alice\nticket: OPS-1\n`,
      [
        'F:6:1: (yaml): Flow sequence in block collection must be sufficiently indented and end with a ]'
      ]
    ],
    [
      'tab indentation',
      `${HEAD}budgets:\n\tphase: 5m\n`,
      ['F:6:1: (yaml): Tabs are not allowed as indentation']
    ],
    [
      'multi-document file',
      `${HEAD}---\nversion: 1\n`,
      [
        'F:5:1: (yaml): a second YAML document starts here: a plan file holds exactly one document (remove the "---" separator or split the file)'
      ]
    ],
    [
      'binary data (NUL)',
      Buffer.from(`${HEAD}ticket: a\0b\n`),
      ['F:5:10: (file): binary data (a NUL byte at offset 55): a plan must be UTF-8 YAML text']
    ],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from(`${HEAD}ticket: `), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
      ['F:5:9: (file): invalid UTF-8 at offset 54: a plan must be UTF-8 YAML text']
    ],
    [
      'empty file',
      '# only a comment\n',
      ['F:1:1: (root): the file is empty: expected a mapping with version, name and target']
    ],
    [
      'a list at the top',
      '- version: 1\n',
      [
        'F:1:1: (root): expected a mapping with version, name and target at the top level, got a list'
      ]
    ],
    [
      'an exotic tag',
      `${HEAD}ticket: !!binary aGVsbG8=\n`,
      ['F:5:18: ticket: the YAML tag !!binary is not allowed in a plan: write a plain value']
    ],
    [
      'an unknown tag',
      `${HEAD}ticket: !vault secret/x\n`,
      ['F:5:9: (yaml): Unresolved tag: !vault']
    ],
    [
      'a mapping as a key',
      `${HEAD}? {a: 1}\n: x\n`,
      ['F:5:3: (root): a mapping key must be a plain value, not a list or mapping']
    ]
  ])('%s', async (_name, content, expected) => {
    expect(await problemsOf(content)).toEqual(expected)
  })

  it('rejects a file over 1 MiB before parsing it', async () => {
    const big = `${HEAD}ticket: "${'x'.repeat(DEFAULT_MAX_PLAN_BYTES)}"\n`
    expect(await problemsOf(big)).toEqual([
      `F:1:1: (file): file is ${Buffer.byteLength(big)} bytes; a plan may be at most 1048576 bytes (1 MiB): split it or move data out of it`
    ])
  })

  it('honours a smaller maxBytes', async () => {
    expect(await problemsOf(HEAD, { maxBytes: 10 })).toEqual([
      `F:1:1: (file): file is ${HEAD.length} bytes; a plan may be at most 10 bytes (10 bytes): split it or move data out of it`
    ])
  })

  it('rejects a missing file and a directory', async () => {
    await expect(loadPlan(path.join(workspace, 'nope.yaml'), { workspace })).rejects.toThrow(
      UsageError
    )
    const dirErr = await loadPlan(path.join(workspace, 'plans'), { workspace }).catch(
      (e: unknown) => e
    )
    expect(dirErr).toBeInstanceOf(UsageError)
    expect((dirErr as UsageError).problems).toEqual([
      'plans:1:1: (file): expected a YAML file, got a directory or device'
    ])
  })
})

describe('loadPlan accepts', () => {
  it('a minimal plan, with a BOM and CRLF line ends, with the right lines', async () => {
    const { result } = await load(`\uFEFF${HEAD.replace(/\n/g, '\r\n')}`)
    const loaded = await result
    expect(loaded.plan).toEqual({ version: 1, name: 'web', target: { namespace: 'web' } })
    expect(loaded.locate(['target', 'namespace'])).toEqual({
      file: loaded.displayFile,
      line: 4,
      column: 3,
      path: 'target.namespace'
    })
  })

  it('anchors and a few aliases', async () => {
    const { result } = await load(
      `${HEAD}owners: [&lead alice, *lead]\nphases:\n  - name: a\n    validate: &checks [{ready: {kind: Deployment, name: a}}]\n  - name: b\n    validate: *checks\n`
    )
    const loaded = await result
    expect(loaded.plan.owners).toEqual(['alice', 'alice'])
    expect(loaded.plan.phases?.[1].validate).toEqual([{ ready: { kind: 'Deployment', name: 'a' } }])
    // A path through an alias leads to the anchored node.
    expect(loaded.locate(['phases', 1, 'validate', 0, 'ready']).line).toBe(8)
  })
})

describe('the full example plan', () => {
  const fixture = path.resolve('__tests__/fixtures/plans/full.yaml')
  const text = readFileSync(fixture, 'utf8').split('\n')
  /** 1-based line and column of `needle` on the only line containing `lineMark`. */
  const at = (lineMark: string, needle = lineMark.trim()): { line: number; column: number } => {
    const lines = text.flatMap((l, i) => (l.includes(lineMark) ? [i] : []))
    expect(lines).toHaveLength(1)
    return { line: lines[0] + 1, column: text[lines[0]].indexOf(needle) + 1 }
  }

  it('loads with no problems, paths relative to the workspace', async () => {
    const loaded = await loadPlan(fixture, { workspace: process.cwd() })
    expect(loaded.displayFile).toBe('__tests__/fixtures/plans/full.yaml')
    expect(loaded.file).toBe(fixture)
    expect(loaded.dir).toBe(path.dirname(fixture))
    expect(loaded.plan.name).toBe('dify')
    expect(loaded.plan.phases?.map(p => p.name)).toEqual(['database', 'api'])
  })

  it.each<[string, (string | number)[], string, string?]>([
    ['the root is its first key', [], '$schema:', '$schema'],
    ['a key of a flow mapping', ['target', 'namespace'], 'target: {context', 'namespace'],
    ['a list item', ['phases', 0], '- name: database', 'name'],
    ['a nested key', ['phases', 1, 'helm', 'chart'], 'chart: ./charts/api', 'chart'],
    [
      'a key inside a flow item',
      ['assumptions', 'images', 1, 'maxSize'],
      'maxSize: 500MB',
      'maxSize'
    ],
    ['an item of a flow list', ['assumptions', 'apis', 2], 'apis: [', 'postgresql'],
    ['a rollback trigger', ['rollout', 'rollbackIf', 1, 'metric'], 'metric: latencyP99', 'metric'],
    ['a check kind', ['validation', 'checks', 4, 'argocd'], '- argocd:', 'argocd'],
    ['a stage', ['rollout', 'stages', 3], 'name: full', '{'],
    [
      'the nearest existing ancestor of a missing node',
      ['phases', 0, 'nope', 3],
      '- name: database',
      'name'
    ]
  ])('locate: %s', async (_name, p, lineMark, needle) => {
    const loaded = await loadPlan(fixture, { workspace: process.cwd() })
    expect(loaded.locate(p)).toEqual({
      file: loaded.displayFile,
      ...at(lineMark, needle),
      path: formatFieldPath(p)
    })
  })

  it('shows an absolute path for a plan outside the workspace', async () => {
    const loaded = await loadPlan(fixture, { workspace })
    expect(loaded.displayFile).toBe(fixture)
  })
})

describe('parsePlan', () => {
  it('loads text already read, relative paths against the file', () => {
    const loaded = parsePlan(HEAD, { file: path.join(workspace, 'plans/x.yaml'), workspace })
    expect(loaded.displayFile).toBe('plans/x.yaml')
    expect(loaded.dir).toBe(path.join(workspace, 'plans'))
    expect(loaded.root).toBe(workspace)
  })
})

describe('formatFieldPath', () => {
  it.each<[(string | number)[], string]>([
    [[], '(root)'],
    [['assumptions', 'images', 1, 'maxSize'], 'assumptions.images[1].maxSize'],
    [['budgets', 'reality-check'], 'budgets.reality-check'],
    [['registries', 'mirrors', 'docker.io'], 'registries.mirrors["docker.io"]'],
    [['a b'], '["a b"]']
  ])('%j → %s', (p, expected) => {
    expect(formatFieldPath(p)).toBe(expected)
  })
})

describe('firstInvalidUtf8', () => {
  it.each<[string, number[], number]>([
    ['ASCII', [0x61, 0x62], -1],
    ['two-byte é', [0xc3, 0xa9], -1],
    ['emoji', [0xf0, 0x9f, 0x98, 0x80], -1],
    ['lone continuation byte', [0x61, 0x80], 1],
    ['truncated sequence', [0x61, 0xe2, 0x82], 1],
    ['overlong encoding of /', [0xc0, 0xaf], 0],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['Latin-1 byte', [0x63, 0x61, 0x66, 0xe9], 3]
  ])('%s', (_name, bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected)
  })
})
