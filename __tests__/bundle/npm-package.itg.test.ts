// The npm package as a user gets it: `npm pack`, the tarball installed into a
// fresh directory, then `npx phase-gate --version`, `lint` on an example plan
// (with a manifest glob) and `check --gate reality-check` against the local
// cluster, under Node 20, 22 and 24 (20 and 22 installed from the npm
// registry's `node` package by scripts/node-versions.mjs, cached). Also
// `npx --package <tarball> phase-gate` in an empty directory.
//
// What is packed: the repository as it is (the committed dist/ is what npm
// publishes; check-dist proves it equals a fresh bundle). With
// PHASE_GATE_PACK_DIST=fresh the sources are bundled into a temporary copy
// first, to try a change before dist/ is rebuilt.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ensureNode } from '../../scripts/node-versions.mjs'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'

const root = join(import.meta.dirname, '..', '..')
const MAJORS = [20, 22, 24] as const
const work = mkdtempSync(join(tmpdir(), 'phase-gate-npm-'))
const nodes: Record<number, string> = {}
let tarball: string
let packed: { path: string; size: number }[]
let ns: string

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command with that Node first on PATH (so `#!/usr/bin/env node` and npx use it). */
function withNode(
  major: number,
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {}
): Promise<Run> {
  const PATH = `${dirname(nodes[major])}:${process.env.PATH ?? ''}`
  return new Promise(resolve => {
    execFile(
      cmd,
      args,
      {
        cwd,
        timeout: 240_000,
        maxBuffer: 64 << 20,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          NO_COLOR: '1',
          npm_config_update_notifier: 'false',
          npm_config_cache: join(work, 'npm-cache'),
          ...env,
          PATH
        }
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout,
          stderr
        })
    )
  })
}

beforeAll(async () => {
  for (const major of MAJORS) nodes[major] = ensureNode(major)
  let from = root
  if (process.env.PHASE_GATE_PACK_DIST === 'fresh') {
    from = join(work, 'package')
    mkdirSync(from)
    for (const f of ['package.json', 'README.md', 'LICENSE', 'action.yml', 'schemas'])
      cpSync(join(root, f), join(from, f), { recursive: true })
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), join(from, 'dist')], {
      cwd: root,
      stdio: 'pipe'
    })
  }
  const out = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
    {
      cwd: from,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: join(work, 'npm-cache') }
    }
  )
  const info = (
    JSON.parse(out) as { filename: string; files: { path: string; size: number }[] }[]
  )[0]
  tarball = join(work, info.filename)
  packed = info.files
  process.stderr.write(
    `[npm-package] ${info.filename}: ${statSync(tarball).size} bytes packed, ${packed.length} files\n`
  )
  ns = await createTestNamespace('npm-package')
}, 900_000)

afterAll(async () => {
  if (ns) await deleteNamespace(ns)
  rmSync(work, { recursive: true, force: true })
})

describe('the packed tarball', () => {
  it('holds the CLI bundle, action.yml, the schema, README and LICENSE', () => {
    const paths = packed.map(f => f.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'action.yml',
        'schemas/plan.schema.json',
        'dist/cli/index.js',
        'dist/cli/package.json'
      ])
    )
  })

  it('holds no test, fixture, source, source map or action bundle a CLI user does not need', () => {
    const unwanted = packed
      .map(f => f.path)
      .filter(p =>
        /(^|\/)(__tests__|fixtures?|src|scripts|examples|docs|\.github|node_modules)\/|\.map$|\.test\.|\.ts$|^dist\/[^/]+$/.test(
          p
        )
      )
    expect(unwanted).toEqual([])
  })

  it('declares the bin, no runtime dependency, and the Node versions tested here', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      private?: boolean
      bin: Record<string, string>
      dependencies?: Record<string, string>
      engines: { node: string }
    }
    expect(pkg.private).toBeUndefined()
    expect(pkg.bin).toEqual({ 'phase-gate': 'dist/cli/index.js' })
    // The CLI is one bundle: installing it fetches nothing else.
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.engines.node).toBe(`>=${Math.min(...MAJORS)}`)
  })
})

describe.each(MAJORS)('on Node %i', major => {
  let dir: string
  beforeAll(async () => {
    dir = join(work, `node-${major}`)
    mkdirSync(dir)
    const r = await withNode(major, 'npm', ['install', '--no-audit', '--no-fund', tarball], dir)
    expect(r.stderr).not.toMatch(/EBADENGINE/)
    expect(r.code).toBe(0)
    cpSync(join(root, 'examples', 'web-app'), join(dir, 'web-app'), { recursive: true })
  }, 300_000)

  it('runs that Node', async () => {
    const r = await withNode(major, 'node', ['--version'], dir)
    expect(r.stdout).toMatch(new RegExp(`^v${major}\\.`))
  })

  it('npx phase-gate --version, also from the tarball in an empty directory', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string
    }
    const installed = await withNode(major, 'npx', ['phase-gate', '--version'], dir)
    expect(installed).toMatchObject({ code: 0, stdout: `phase-gate ${version}\n` })
    const empty = mkdtempSync(join(work, 'empty-'))
    const fromTarball = await withNode(
      major,
      'npx',
      ['--yes', '--package', tarball, 'phase-gate', '--version'],
      empty
    )
    expect(fromTarball).toMatchObject({ code: 0, stdout: `phase-gate ${version}\n` })
  }, 120_000)

  it('lint on an example plan with a manifest glob', async () => {
    const r = await withNode(major, 'npx', ['phase-gate', 'lint', 'web-app/phase-gate.yaml'], dir)
    expect(r.stderr).toBe('')
    expect(r).toMatchObject({ code: 0, stdout: 'web-app/phase-gate.yaml: ok\n' })
  }, 60_000)

  it('check --gate reality-check against the local cluster expands the glob and passes', async () => {
    const env = clusterEnv()
    const r = await withNode(
      major,
      'npx',
      [
        'phase-gate',
        'check',
        'web-app/phase-gate.yaml',
        '--gate',
        'reality-check',
        '--namespace',
        ns,
        '--kubeconfig',
        env.kubeconfig,
        '--output',
        'json'
      ],
      dir,
      { PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${env.registry}` }
    )
    expect(r.stderr).not.toMatch(/is not a function|internal error/)
    if (!r.stdout.startsWith('{')) throw new Error(`no JSON report (exit ${r.code}): ${r.stderr}`)
    const report = JSON.parse(r.stdout) as {
      verdict: string
      gates: { gate: string; checks: { kind: string; verdict: string; target: string }[] }[]
    }
    const checks = report.gates[0].checks
    // The three manifests of deploy/*.yaml went through the admission dry-run.
    const admitted = checks.filter(c => c.kind === 'admission' && c.verdict === 'pass')
    expect(admitted.length).toBeGreaterThanOrEqual(3)
    expect(checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')).toEqual([])
    expect(r.code).toBe(0)
  }, 240_000)
})
