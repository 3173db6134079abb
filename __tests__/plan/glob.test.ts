// The plan-path glob walker: the same answers as Node 24's fs.globSync (which
// Node 20 lacks, the reason the walker exists), table-driven over one tree.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expandBraces, globSync, segmentRegExp } from '../../src/plan/glob.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glob-'))
  for (const f of [
    'x.yaml',
    '.y.yaml',
    'a/b/c.yaml',
    'a/q.yml',
    'a/.d/w.yaml',
    '.h/z.yaml',
    'deploy/10-ns.yaml',
    'deploy/20-app.yaml',
    'deploy/sub/30-svc.yaml',
    'deploy/sub/deeper/40-cm.yaml',
    'deploy/notes.txt',
    'n1.yaml',
    'n2.yaml',
    'nx.yaml'
  ]) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), 'a: 1\n')
  }
  symlinkSync(join(dir, 'a'), join(dir, 'link-to-a'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const PATTERNS = [
  '*.yaml',
  '**/*.yaml',
  '**',
  'a/**',
  '.*',
  'a/{b,c}/*.yaml',
  '**/*.{yaml,yml}',
  'a/*',
  './a/*',
  'a/../x.yaml',
  '[ax]*',
  'a/**/',
  '*/',
  'deploy/**/*.yaml',
  'deploy/*.yaml',
  'deploy/sub/*/*.yaml',
  'n?.yaml',
  'n[0-9].yaml',
  'n[!0-9].yaml',
  'deploy/{10,20}-*.yaml',
  'missing/*.yaml',
  'x.yaml',
  'link-to-a/*'
]

describe('globSync', () => {
  it.each([
    [
      'deploy/**/*.yaml',
      [
        'deploy/10-ns.yaml',
        'deploy/20-app.yaml',
        'deploy/sub/30-svc.yaml',
        'deploy/sub/deeper/40-cm.yaml'
      ]
    ],
    ['*.yaml', ['n1.yaml', 'n2.yaml', 'nx.yaml', 'x.yaml']],
    ['n[!0-9].yaml', ['nx.yaml']],
    ['**/*.{yaml,yml}', expect.arrayContaining(['a/q.yml', 'a/b/c.yaml'])],
    ['.*', ['.h', '.y.yaml']],
    ['a/../x.yaml', ['x.yaml']],
    ['missing/*.yaml', []]
  ])('%s', (pattern, expected) => {
    expect(globSync(pattern, { cwd: dir })).toEqual(expected)
  })

  it('keeps absolute patterns absolute', () => {
    expect(globSync(`${dir}/deploy/*.yaml`, { cwd: '/' })).toEqual([
      `${dir}/deploy/10-ns.yaml`,
      `${dir}/deploy/20-app.yaml`
    ])
  })

  it('skips dot entries unless the segment names them, and does not enter them with **', () => {
    const all = globSync('**', { cwd: dir })
    expect(all.some(p => p.split('/').some(s => s.startsWith('.') && s !== '.'))).toBe(false)
  })

  const nodeGlob = (fs as { globSync?: (p: string, o: { cwd: string }) => string[] }).globSync
  // Node 22+ only; the walker must agree with it wherever it exists.
  ;(nodeGlob ? it.each(PATTERNS) : it.skip.each(PATTERNS))(
    'agrees with fs.globSync on %s',
    pattern => {
      expect(globSync(pattern, { cwd: dir })).toEqual([...nodeGlob!(pattern, { cwd: dir })].sort())
    }
  )
})

describe('pattern pieces', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'a.yml', false],
    ['?.y', 'ab.y', false],
    ['[abc].y', 'b.y', true],
    ['[!abc].y', 'b.y', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['(x).y', '(x).y', true],
    ['[unclosed', '[unclosed', true]
  ])('%s matches %s: %s', (segment, name, expected) => {
    expect(segmentRegExp(segment).test(name)).toBe(expected)
  })

  it.each([
    ['a/{b,c}/d', ['a/b/d', 'a/c/d']],
    ['{x,y}.{1,2}', ['x.1', 'x.2', 'y.1', 'y.2']],
    ['{a,{b,c}}', ['a', 'b', 'c']],
    ['{solo}', ['{solo}']],
    ['plain', ['plain']]
  ])('braces of %s', (pattern, expected) => {
    expect(expandBraces(pattern)).toEqual(expected)
  })
})

describe('lint and the gates expand a plan glob alike', () => {
  it.each([
    ['deploy/**/*.yaml', 4],
    ['deploy/{10,20}-*.yaml', 2],
    ['deploy/*.yml', 0]
  ])('%s: %i files for both', async (pattern, count) => {
    const { loadPlan } = await import('../../src/plan/loader.js')
    const { lintPlan } = await import('../../src/plan/lint.js')
    const { expandManifestPaths } = await import('../../src/plan/manifests.js')
    const plan = join(dir, 'plan.yaml')
    writeFileSync(
      plan,
      `version: 1\nname: web\ntarget: {namespace: web}\nassumptions:\n  manifests: ['${pattern}']\n`
    )
    const loaded = await loadPlan(plan, { workspace: dir })
    const files = await expandManifestPaths(loaded, [pattern], 'assumptions.manifests')
    expect(files).toHaveLength(count)
    const problems = (await lintPlan(loaded)).filter(p => p.path === 'assumptions.manifests[0]')
    expect(problems.map(p => p.message)).toEqual(
      count === 0 ? [`"${pattern}" matches no file`] : []
    )
  })
})
