// Bad input, fuzzed: fast-check mutates a valid plan (wrong types, missing
// keys, unknown keys, duplicate names, bad durations, bad CEL, bad PromQL,
// YAML syntax errors, alias bombs, 10 MB files, binary data) and feeds every
// mutant to `phase-gate lint` and `phase-gate check`, in process through the
// CLI's own main(). Every one must exit 2 naming file:line:col and the
// field, print no stack trace, and never reach the cluster: the kubeconfig
// points at a server that counts every request. Results per mutation class.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDocument, stringify } from 'yaml'
import { main } from '../../src/cli/main.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

let work: string
let server: http.Server
let clusterRequests = 0
let kubeconfig: string

const BASE = {
  version: 1,
  name: 'fuzz',
  target: { namespace: 'fuzz-ns' },
  prometheus: 'http://127.0.0.1:9',
  budgets: { tracer: '5m', phase: '10m' },
  assumptions: {
    apis: ['apps/v1/Deployment', 'v1/ConfigMap'],
    images: ['ghcr.io/phase-gate/app:1.0'],
    permissions: [{ verb: 'create', resource: 'deployments.apps' }],
    manifests: ['deploy/*.yaml']
  },
  tracers: [
    {
      name: 'config',
      assumption: 'ConfigMaps keep their data',
      manifest: { file: 'tracers/cm.yaml' },
      success: { cel: 'object.data.a == "b"' },
      timeout: '30s'
    },
    {
      name: 'pod',
      assumption: 'pods run',
      manifest: { file: 'tracers/pod.yaml' },
      success: { ready: true },
      timeout: '1m'
    }
  ],
  phases: [
    {
      name: 'config',
      apply: ['deploy/cm.yaml'],
      validate: [
        { ready: { kind: 'ConfigMap', name: 'app' } },
        { metric: { query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))', expect: '< 0.5' } }
      ],
      timeout: '2m'
    },
    { name: 'web', apply: ['deploy/web.yaml'], timeout: '3m', rollback: [{ undo: true }] }
  ],
  validation: { checks: [{ ready: { kind: 'Deployment', name: 'web' } }], rollbackTest: true }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Path = (string | number)[]

/** Every path to a value in the base plan. */
function paths(v: Json, at: Path = []): Path[] {
  const out: Path[] = at.length ? [at] : []
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])))
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]))
  return out
}

function setAt(root: Json, p: Path, value: Json | undefined): Json {
  const copy = structuredClone(root)
  let node = copy as { [k: string]: Json } | Json[]
  for (const seg of p.slice(0, -1))
    node = (node as Record<string | number, Json>)[seg] as { [k: string]: Json } | Json[]
  const last = p[p.length - 1]
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1)
    else delete node[last as string]
  } else (node as Record<string | number, Json>)[last] = value
  return copy
}

function getAt(root: Json, p: Path): Json {
  let node: Json = root
  for (const seg of p) node = (node as Record<string | number, Json>)[seg]
  return node
}

/** `tracers[0].timeout`, as the loader names fields. */
function fieldName(p: Path): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
}

/** A mutant: the file's bytes and what a correct error must name. */
interface Mutant {
  bytes: Buffer
  /** A field path (or `(yaml)`/`(file)`) the messages must contain. */
  names: string
}

const text = (v: Json): Buffer => Buffer.from(stringify(v))
const ALL = paths(BASE as unknown as Json)
const pathArb = (filter: (p: Path) => boolean) => fc.constantFrom(...ALL.filter(filter))

const REQUIRED: Path[] = [
  ['version'],
  ['name'],
  ['target'],
  ['target', 'namespace'],
  ['assumptions', 'permissions', 0, 'verb'],
  ['assumptions', 'permissions', 0, 'resource'],
  ...[0, 1].flatMap(i => ['name', 'assumption', 'manifest', 'success'].map(k => ['tracers', i, k])),
  ['phases', 0, 'name'],
  ['phases', 1, 'name'],
  ['phases', 0, 'validate', 0, 'ready', 'name'],
  ['phases', 0, 'validate', 1, 'metric', 'query'],
  ['phases', 0, 'validate', 1, 'metric', 'expect'],
  ['validation', 'checks', 0, 'ready', 'kind']
]
const DURATIONS: Path[] = [
  ['budgets', 'tracer'],
  ['budgets', 'phase'],
  ['tracers', 0, 'timeout'],
  ['tracers', 1, 'timeout'],
  ['phases', 0, 'timeout'],
  ['phases', 1, 'timeout']
]

/** The mutation classes the issue names, each an arbitrary of mutants. */
const CLASSES: Record<string, { runs: number; arb: fc.Arbitrary<Mutant> }> = {
  'wrong type': {
    runs: 150,
    arb: fc
      .tuple(
        pathArb(p => p.length > 0),
        fc.constantFrom<Json>([1, 'x'], [[true]], 3.5, { fuzz: [] })
      )
      .map(([p, value]) => {
        const old = getAt(BASE as unknown as Json, p)
        // Always a type the field cannot have: arrays become objects or numbers, everything else an array.
        const v: Json = Array.isArray(old)
          ? Array.isArray(value)
            ? { fuzz: 1 }
            : value
          : Array.isArray(value)
            ? value
            : [value]
        return { bytes: text(setAt(BASE as unknown as Json, p, v)), names: fieldName(p) }
      })
  },
  'missing key': {
    runs: 100,
    arb: fc.constantFrom(...REQUIRED).map(p => ({
      bytes: text(setAt(BASE as unknown as Json, p, undefined)),
      names: fieldName(p)
    }))
  },
  'unknown key': {
    runs: 120,
    arb: fc
      .tuple(
        fc.constantFrom<Path>(
          [],
          ['target'],
          ['budgets'],
          ['assumptions'],
          ['tracers', 0],
          ['tracers', 1, 'manifest'],
          ['phases', 0],
          ['phases', 1],
          ['validation']
        ),
        fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/),
        fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean())
      )
      .filter(([p, k]) => {
        const node = getAt(BASE as unknown as Json, p) as Record<string, Json>
        // A real field of that object is not unknown; nor is a JSON-schema annotation.
        return !(k in node) && !['description', 'title'].includes(k) && !KNOWN_KEYS.has(k)
      })
      .map(([p, k, v]) => ({
        bytes: text(setAt(BASE as unknown as Json, [...p, `fuzz${k}`], v)),
        names: `fuzz${k}`
      }))
  },
  'duplicate name': {
    runs: 60,
    arb: fc
      .constantFrom<[string, number]>(['tracers', 0], ['tracers', 1], ['phases', 0], ['phases', 1])
      .map(([list, i]) => {
        const plan = structuredClone(BASE) as unknown as { [k: string]: { name: string }[] }
        const other = plan[list][1 - i].name
        plan[list][i].name = other
        return {
          bytes: text(plan as unknown as Json),
          names: `${list}[${Math.max(i, 1 - i)}].name`
        }
      })
  },
  'bad duration': {
    runs: 120,
    arb: fc
      .tuple(
        fc.constantFrom(...DURATIONS),
        fc.constantFrom(
          '5 minutes',
          '-3s',
          '1y',
          'ten',
          '5m5',
          '1.5.5s',
          'P1D',
          'ms',
          '∞',
          '30sec',
          '0x10s',
          ''
        )
      )
      .map(([p, v]) => ({ bytes: text(setAt(BASE as unknown as Json, p, v)), names: fieldName(p) }))
  },
  'bad CEL': {
    runs: 100,
    arb: fc
      .constantFrom(
        'object.data.a ==',
        'object.data.a == "b',
        '(object.status',
        'object..spec',
        'has(object)',
        'object.data.a + 1 > ',
        'size(',
        '1 + "a"',
        '"a" - 1',
        'true * 2',
        'object.status.x ? 1',
        'unknownFn(object)',
        ')',
        'object.data.@x'
      )
      .map(cel => ({
        bytes: text(setAt(BASE as unknown as Json, ['tracers', 0, 'success', 'cel'], cel)),
        names: 'tracers[0].success.cel'
      }))
  },
  'bad PromQL': {
    runs: 100,
    arb: fc
      .constantFrom(
        'sum(rate(http_requests_total[1m])',
        'sum(rate(http_requests_total[1m]))))',
        'rate(x{a="b"[1m])',
        '{',
        '',
        '   ',
        'sum by (le (x)',
        'x[1m',
        'x{code=~"5.."'
      )
      .map(q => ({
        bytes: text(
          setAt(BASE as unknown as Json, ['phases', 0, 'validate', 1, 'metric', 'query'], q)
        ),
        names: 'phases[0].validate[1].metric.query'
      }))
  },
  'YAML syntax error': {
    runs: 150,
    arb: fc
      .tuple(
        fc.nat(),
        fc.constantFrom(
          '\t',
          ': : :',
          '"unterminated',
          '[1, 2',
          '{a: 1',
          '- x\n  y: : z',
          '? ? ?',
          '@reserved',
          '`tick',
          '&&anchor',
          '!!!tag x',
          '  : x'
        )
      )
      .map(([at, junk]) => {
        const lines = stringify(BASE).split('\n')
        const i = at % lines.length
        lines[i] = `${lines[i]}${junk}`
        return { bytes: Buffer.from(lines.join('\n')), names: '' }
      })
      .filter(m => yamlBroken(m.bytes))
  },
  'alias bomb': {
    runs: 40,
    arb: fc.integer({ min: 4, max: 12 }).map(depth => {
      const lines = [
        'version: 1',
        'name: bomb',
        'target: {namespace: x}',
        'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'
      ]
      for (let i = 1; i <= depth; i++)
        lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`)
      lines.push(`owners: *a${depth}`)
      return { bytes: Buffer.from(lines.join('\n') + '\n'), names: '(yaml)' }
    })
  },
  '10 MB file': {
    runs: 10,
    arb: fc.constantFrom('comment', 'value', 'list').map(kind => {
      const head = stringify(BASE)
      const pad = 10 * 1024 * 1024
      const body =
        kind === 'comment'
          ? `# ${'x'.repeat(pad)}\n`
          : kind === 'value'
            ? `description: "${'y'.repeat(pad)}"\n`
            : `owners:\n${'- z\n'.repeat(pad / 4)}`
      return { bytes: Buffer.from(head + body), names: '(file)' }
    })
  },
  'binary data': {
    runs: 120,
    arb: fc
      .tuple(
        fc.uint8Array({ minLength: 1, maxLength: 2048 }),
        fc.nat(),
        fc.constantFrom('nul', 'invalid-utf8', 'random')
      )
      .map(([bytes, at, how]) => {
        const base = Buffer.from(stringify(BASE))
        const i = at % base.length
        if (how === 'nul')
          return {
            bytes: Buffer.concat([base.subarray(0, i), Buffer.from([0]), base.subarray(i)]),
            names: '(file)'
          }
        if (how === 'invalid-utf8')
          return {
            bytes: Buffer.concat([
              base.subarray(0, i),
              Buffer.from([0xc3, 0x28, 0xff]),
              base.subarray(i)
            ]),
            names: '(file)'
          }
        // Random bytes with a NUL somewhere, as a binary file has.
        const b = Buffer.from(bytes)
        b[at % b.length] = 0
        return { bytes: b, names: '(file)' }
      })
  }
}

// Fields the schema knows anywhere; an "unknown key" mutant must not be one of them.
const KNOWN_KEYS = new Set([
  'name',
  'namespace',
  'context',
  'platform',
  'file',
  'inline',
  'timeout',
  'cleanup',
  'critical',
  'apply',
  'helm',
  'validate',
  'rollback',
  'budget',
  'migration',
  'checks',
  'rollbackTest',
  'success',
  'manifest',
  'assumption'
])

/** The mutant must really be broken YAML (a junk suffix can land inside a string and stay valid). */
function yamlBroken(bytes: Buffer): boolean {
  return parseDocument(bytes.toString('utf8'), { uniqueKeys: true }).errors.length > 0
}

/** A WriteStream stand-in that keeps what was written. */
function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = ''
  const stream = { isTTY: false, write: (s: string | Uint8Array) => ((out += s.toString()), true) }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => out }
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture()
  const err = capture()
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' },
    cwd: work
  })
  return { code, stdout: out.text(), stderr: err.text() }
}

interface ClassResult {
  class: string
  mutants: number
  exit2: number
  located: number
  /** Mutants whose error must name a field (a YAML syntax error or binary data names none). */
  withField: number
  /** Of those, the ones whose output named it. */
  named: number
  stackTraces: number
  clusterRequests: number
}
const results: ClassResult[] = []
let seq = 0

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pg-fuzz-'))
  mkdirSync(join(work, 'deploy'))
  mkdirSync(join(work, 'tracers'))
  writeFileSync(
    join(work, 'deploy', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n'
  )
  writeFileSync(
    join(work, 'deploy', 'web.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: app, image: ghcr.io/phase-gate/app:1.0}]}\n'
  )
  writeFileSync(
    join(work, 'tracers', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe}\ndata: {a: b}\n'
  )
  writeFileSync(
    join(work, 'tracers', 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: probe}\nspec: {containers: [{name: a, image: ghcr.io/phase-gate/app:1.0}]}\n'
  )
  // The "cluster": a server that only counts; no mutant may make phase-gate call it.
  server = http.createServer((req, res) => {
    clusterRequests++
    res.writeHead(500).end()
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()))
  kubeconfig = join(work, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
        }
      ],
      users: [{ name: 'u', user: { token: 'fuzz-token' } }],
      contexts: [{ name: 'fuzz', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'fuzz'
    })
  )
})

afterAll(async () => {
  await new Promise<void>(r => server.close(() => r()))
  rmSync(work, { recursive: true, force: true })
  if (results.length === 0) return
  const w = (t: string | number, n: number): string => String(t).padEnd(n)
  const lines = [
    '',
    'bad input, fuzzed (each mutant through `lint` and `check`)',
    `${w('mutation class', 20)}${w('mutants', 9)}${w('exit 2', 8)}${w('file:line:col', 15)}${w('field named', 13)}${w('stack traces', 14)}cluster requests`,
    ...results.map(
      r =>
        `${w(r.class, 20)}${w(r.mutants, 9)}${w(r.exit2, 8)}${w(r.located, 15)}${w(`${r.named}/${r.withField}`, 13)}${w(r.stackTraces, 14)}${r.clusterRequests}`
    ),
    `total: ${results.reduce((n, r) => n + r.mutants, 0)} mutants, ${results.reduce((n, r) => n + r.mutants, 0) * 2} CLI runs`,
    ''
  ]
  process.stdout.write(lines.join('\n'))
  writeFigures('fuzz', { classes: results, total: results.reduce((n, r) => n + r.mutants, 0) })
  const sum = (k: keyof Omit<ClassResult, 'class'>): number => results.reduce((n, r) => n + r[k], 0)
  const total = sum('mutants')
  publishFigures(
    'fuzz',
    {
      table: {
        value: total,
        unit: 'mutants',
        text: `\n${markdownTable(
          [
            'mutation class',
            'mutants',
            'exit 2',
            'file:line:col',
            'field named (of those naming one)',
            'stack traces',
            'cluster requests'
          ],
          [
            ...results.map(r => [
              r.class,
              r.mutants,
              r.exit2,
              r.located,
              `${r.named} of ${r.withField}`,
              r.stackTraces,
              r.clusterRequests
            ]),
            [
              '**total**',
              `**${total}**`,
              sum('exit2'),
              sum('located'),
              `${sum('named')} of ${sum('withField')}`,
              sum('stackTraces'),
              sum('clusterRequests')
            ]
          ]
        )}`
      },
      mutants: { value: total, unit: 'mutants', text: String(total) },
      runs: { value: total * 2, unit: 'CLI runs', text: String(total * 2) }
    },
    suiteCommand('unit', '__tests__/reliability/fuzz.test.ts')
  )
})

const LOCATED = /^\s*(?:\S*phase-gate-\d+\.yaml|[^\s:]+\.yaml):\d+:\d+: /m
const STACK = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at .+:\d+:\d+|^\s*at (?:async )?\S+ \(/m

describe('bad input, fuzzed', () => {
  it('the unmutated plan is valid (so every error below comes from its mutation)', async () => {
    writeFileSync(join(work, 'phase-gate.yaml'), stringify(BASE))
    const r = await cli(['lint', 'phase-gate.yaml'])
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: r.stderr })
  })

  for (const [name, c] of Object.entries(CLASSES)) {
    it(`${name}: every mutant exits 2 with file:line:col and the field, no stack trace, no cluster request`, async () => {
      const result: ClassResult = {
        class: name,
        mutants: 0,
        exit2: 0,
        located: 0,
        withField: 0,
        named: 0,
        stackTraces: 0,
        clusterRequests: 0
      }
      results.push(result)
      const before = clusterRequests
      await fc.assert(
        fc.asyncProperty(c.arb, async m => {
          const file = `phase-gate-${++seq}.yaml`
          writeFileSync(join(work, file), m.bytes)
          result.mutants++
          try {
            for (const argv of [
              ['lint', file],
              ['check', file, '--gate', 'reality-check', '--context', 'fuzz']
            ]) {
              const r = await cli(argv)
              const all = `${r.stdout}\n${r.stderr}`
              if (r.code === 2) result.exit2 += 0.5
              if (LOCATED.test(r.stderr)) result.located += 0.5
              if (m.names) {
                result.withField += 0.5
                if (all.includes(m.names)) result.named += 0.5
              }
              if (STACK.test(all)) result.stackTraces += 0.5
              expect({ argv, code: r.code, out: all.slice(0, 600) }).toEqual({
                argv,
                code: 2,
                out: all.slice(0, 600)
              })
              expect({
                argv,
                located: LOCATED.test(r.stderr),
                out: r.stderr.slice(0, 600)
              }).toEqual({ argv, located: true, out: r.stderr.slice(0, 600) })
              if (m.names)
                expect({
                  argv,
                  names: m.names,
                  found: all.includes(m.names),
                  out: all.slice(0, 600)
                }).toEqual({ argv, names: m.names, found: true, out: all.slice(0, 600) })
              expect(all).not.toMatch(STACK)
              expect(all).not.toMatch(/internal error/)
            }
          } finally {
            rmSync(join(work, file), { force: true })
          }
        }),
        { numRuns: c.runs, seed: Number(process.env.FUZZ_SEED ?? 20261124) }
      )
      result.clusterRequests = clusterRequests - before
      expect(result.clusterRequests).toBe(0)
    }, 300_000)
  }

  it('fed at least 1,000 mutants in all', () => {
    expect(results.reduce((n, r) => n + r.mutants, 0)).toBeGreaterThanOrEqual(1000)
  })
})
