// The CLI surface as a user meets it through main(): --version, help [command],
// <command> --help, did-you-mean on an unknown command or flag (exit 2), and
// --output json. The flag lists in the help derive from the one table in
// src/cli/args.ts; the expectations below are written out independently, so a
// flag dropped from the table (or from the help) fails here.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { COMMANDS, parseArgsOptions, parseCli } from '../../src/cli/args.js'
import { main } from '../../src/cli/main.js'

const root = join(import.meta.dirname, '..', '..')

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString()
      done()
    }
  })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text }
}

async function cli(
  argv: string[],
  cwd = root
): Promise<{ code: number; out: string; err: string }> {
  const out = sink()
  const err = sink()
  const code = await main(argv, { stdout: out.stream, stderr: err.stream, env: {}, cwd })
  return { code, out: out.text(), err: err.text() }
}

// Written out by hand: every flag `check` takes (DESIGN's CLI section plus the ones added since).
const CHECK_FLAGS = [
  'gate',
  'phase',
  'tracer',
  'stage',
  'level',
  'run-id',
  'kubeconfig',
  'context',
  'cluster',
  'namespace',
  'report',
  'summary',
  'reports',
  'dry-run',
  'verbose',
  'output',
  'json',
  'workspace',
  'lock-wait',
  'approval-environment',
  'approve',
  'sarif',
  'image',
  'set',
  'help'
]

describe('phase-gate --version', () => {
  it("prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const r = await cli(['--version'])
    expect(r).toMatchObject({ code: 0, out: `phase-gate ${pkg.version}\n` })
    expect((await cli(['version'])).out).toBe(r.out)
  })
})

describe('help', () => {
  it('phase-gate help check lists every flag of check, with defaults and an example', async () => {
    const r = await cli(['help', 'check'])
    expect(r.code).toBe(0)
    for (const flag of CHECK_FLAGS) expect(r.out).toMatch(new RegExp(`--${flag}\\b`))
    // Every flag line of the help is one of them: nothing undocumented, nothing extra.
    const listed = [...r.out.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)].map(m => m[1])
    expect(listed.sort()).toEqual([...CHECK_FLAGS, 'version'].sort())
    expect(r.out).toMatch(/--gate GATE .*one of reality-check, tracer, .*all; required/)
    expect(r.out).toMatch(/--lock-wait DURATION .*default: the plan's lock\.wait, else 5m/)
    expect(r.out).toMatch(/--output FORMAT .*one of text, json; default: text/)
    expect(r.out).toMatch(/Examples:\n {2}phase-gate check phase-gate\.yaml --gate reality-check/)
  })

  it('check --help and -h print the same as help check', async () => {
    const help = (await cli(['help', 'check'])).out
    expect((await cli(['check', '--help'])).out).toBe(help)
    expect((await cli(['check', 'p.yaml', '-h'])).out).toBe(help)
  })

  it.each(Object.keys(COMMANDS))('help %s shows its usage, flags and an example', async c => {
    const r = await cli(['help', c])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(new RegExp(`^Usage: phase-gate ${c}\\b`))
    expect(r.out).toMatch(/\nFlags:\n/)
    expect(r.out).toMatch(/\nExamples:\n {2}phase-gate /)
  })

  it('the overview names every command', async () => {
    const r = await cli(['help'])
    expect(r.code).toBe(0)
    for (const c of ['check', 'lint', 'runbook', 'status', 'history', 'help', 'version'])
      expect(r.out).toMatch(new RegExp(`^ {2}${c}\\b`, 'm'))
    expect((await cli([])).out).toBe(r.out)
  })

  it('every example in the table parses', () => {
    for (const spec of Object.values(COMMANDS))
      for (const example of spec.examples) {
        const argv = example
          .replace(/ > \S+$/, '')
          .replace('"$RUN_ID"', 'r-1')
          .split(' ')
          .slice(1)
        expect(() => parseCli(argv, {}, '/w')).not.toThrow()
      }
  })
})

describe('mistakes exit 2 with did-you-mean', () => {
  it.each([
    [['chek', 'p.yaml', '--gate', 'all'], /unknown command "chek"; did you mean check\?/],
    [['lnt', 'p.yaml'], /unknown command "lnt"; did you mean lint\?/],
    [['help', 'histroy'], /unknown command "histroy"; did you mean history\?/],
    [['check', 'p.yaml', '--gat', 'all'], /unknown flag --gat for check; did you mean --gate\?/],
    [['check', 'p.yaml', '--gate', 'al'], /unknown gate "al"; did you mean all\?/],
    [['lint', 'p.yaml', '--gate', 'all'], /--gate is not a flag of lint/],
    [
      ['lint', 'p.yaml', '--ouput', 'json'],
      /unknown flag --ouput for lint; did you mean --output\?/
    ],
    [['lint', 'p.yaml', '--output', 'jsn'], /unknown output "jsn"; did you mean json\?/],
    [['check', 'p.yaml'], /check needs --gate/]
  ])('%j', async (argv, message) => {
    const r = await cli(argv)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.out).toBe('')
  })
})

describe('the table', () => {
  it('gives each flag name one type and short name across commands', () => {
    expect(() => parseArgsOptions()).not.toThrow()
    expect(parseArgsOptions().gate).toEqual({ type: 'string', short: 'g' })
  })

  it('has a description for every flag and a summary and example for every command', () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      expect(`${name}: ${spec.summary}`).toMatch(/: \S/)
      expect(spec.examples.length).toBeGreaterThan(0)
      for (const [flag, f] of Object.entries(spec.flags as Record<string, { description: string }>))
        expect(`${name} --${flag}: ${f.description}`).toMatch(/: \S/)
    }
  })
})

describe('--output json', () => {
  it.each([[['--output', 'json']], [['-o', 'json']], [['--json']]])(
    'lint %j prints the findings as JSON on stdout',
    async flags => {
      const dir = mkdtempSync(join(tmpdir(), 'lint-json-'))
      try {
        writeFileSync(
          join(dir, 'plan.yaml'),
          'version: 1\nname: web\ntarget: {namespace: web}\nassumptions:\n  manifests: [deploy/*.yaml]\n'
        )
        const r = await cli(['lint', 'plan.yaml', ...flags], dir)
        expect(r.code).toBe(0)
        const view = JSON.parse(r.out) as {
          ok: boolean
          warnings: number
          problems: { severity: string; path: string; line: number; message: string }[]
        }
        expect(view).toMatchObject({ ok: true, errors: 0, warnings: 1, file: 'plan.yaml' })
        expect(view.problems).toEqual([
          expect.objectContaining({
            severity: 'warning',
            path: 'assumptions.manifests[0]',
            line: 5,
            message: expect.stringMatching(/matches no file/) as unknown
          })
        ])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  )

  it.each(['check', 'status', 'history'])('%s --output json sets json', command => {
    const extra = command === 'check' ? ['--gate', 'all'] : []
    expect(parseCli([command, 'p.yaml', ...extra, '--output', 'json'], {}, '/w').json).toBe(true)
    expect(parseCli([command, 'p.yaml', ...extra], {}, '/w').json).toBe(false)
  })
})
