// The tests mirror src/: each folder of __tests__ is a folder of src/ (the
// tests of that module), or one of the suites below that test the whole tool
// from outside and so belong to no single module. A new folder that is
// neither fails here, naming it.
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** Suites that are not one module's tests, and why each stands on its own. */
export const SUITES: Readonly<Record<string, string>> = {
  bundle: 'dist/ and the npm package: what the bundler made, on every supported Node',
  docs: "the README's and docs/' prose against docs/figures and the schema",
  e2e: 'the example workflows under act, end to end',
  faults: 'the fault matrix: every gate against every fault',
  fixtures: 'data the tests share',
  lint: "the repository's own rules (cycles, function length, comments, this layout)",
  rbac: 'docs/rbac.yaml against every gate, as a ServiceAccount bound to it',
  release: 'scripts/release.mjs against a real repository',
  reliability: 'properties across modules (retries, signals, the lock, scale, secrets)',
  support: 'helpers the tests share (the cluster, fakes, stand-ins)',
  workflows: 'the reusable workflows in .github/workflows'
}

/** Folders of __tests__ that are neither a src/ folder nor a suite. */
export function strayFolders(testDirs: string[], srcDirs: string[]): string[] {
  const src = new Set(srcDirs)
  return testDirs.filter(d => !src.has(d) && !(d in SUITES)).sort()
}

const dirs = (path: string): string[] =>
  readdirSync(path, { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => e.name)

describe('the layout of __tests__', () => {
  it('has a folder per src/ folder and the suites, nothing else', () => {
    expect(strayFolders(dirs(join(ROOT, '__tests__')), dirs(join(ROOT, 'src')))).toEqual([])
  })

  it('names a folder that mirrors nothing (the check can fail)', () => {
    expect(strayFolders(['gates', 'seed', 'e2e', 'soak'], ['gates', 'kube'])).toEqual([
      'seed',
      'soak'
    ])
  })

  it('keeps no suite that a src/ folder of the same name would make a module test', () => {
    const src = new Set(dirs(join(ROOT, 'src')))
    expect(Object.keys(SUITES).filter(s => src.has(s))).toEqual([])
  })
})
