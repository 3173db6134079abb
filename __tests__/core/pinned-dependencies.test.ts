// Two dependencies are used past their public API, so their versions are
// pinned and this test fails on any upgrade, to be re-checked by hand:
// - @bufbuild/re2 (exactly 0.6.1): src/cel/regex.ts runs its compiled program
//   (RE2.prog, Inst opcodes) for find/findAll, because the package's public
//   API (RE2JS: matches/test/testExact) says whether a pattern matches, not where.
// - @kubernetes/client-node (2.0.x): src/kube/kubeconfig.ts imports
//   dist/exec_auth.js on its own for exec credential plugins (the package
//   index loads every generated API model, about a second).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import semver from 'semver'
import { RE2JS } from '@bufbuild/re2'

const root = join(import.meta.dirname, '..', '..')
// Every dependency is a devDependency: the published CLI is one bundle that installs nothing.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>
}
const installed = (name: string): string =>
  (
    JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version

describe('dependencies used past their public API stay pinned', () => {
  it('@bufbuild/re2 is exactly the version whose internals src/cel/regex.ts reads', () => {
    expect(pkg.devDependencies['@bufbuild/re2']).toBe('0.6.1')
    expect(installed('@bufbuild/re2')).toBe('0.6.1')
    const prog = (
      RE2JS.compile('a|b').re2() as unknown as {
        prog: { getInst(pc: number): { op: number; constructor: Record<string, unknown> } }
      }
    ).prog
    const ops = prog.getInst(0).constructor
    for (const op of ['ALT', 'ALT_MATCH', 'CAPTURE', 'EMPTY_WIDTH', 'FAIL', 'MATCH', 'NOP'])
      expect(typeof ops[op]).toBe('number')
  })

  it('@kubernetes/client-node stays on the minor the exec-credential import was tested with', () => {
    expect(pkg.devDependencies['@kubernetes/client-node']).toBe('~2.0.1')
    expect(semver.satisfies(installed('@kubernetes/client-node'), '~2.0.1')).toBe(true)
    const require = createRequire(join(root, 'package.json'))
    expect(require.resolve('@kubernetes/client-node/dist/exec_auth.js')).toContain('exec_auth.js')
  })
})
