// The layering rules of `npm run lint`: the tree has no import cycle, and a
// cycle added to a copy of the tree (linted with the copy of the repository's
// own ESLint config) fails the lint, naming the chain; so does report/
// importing kube/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

interface LintMessage {
  ruleId: string | null
  message: string
}
interface LintResult {
  filePath: string
  messages: LintMessage[]
}

/** Runs the repository's ESLint (as `npm run lint` does) on files of `dir`; the rule's messages per file. */
function lint(dir: string, files: string[], rule = 'local/no-import-cycle'): Map<string, string[]> {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...files],
    { cwd: dir, encoding: 'utf8' }
  )
  const results = JSON.parse(run.stdout) as LintResult[]
  return new Map(
    results.map(r => [
      r.filePath.slice(dir.length + 1),
      r.messages.filter(m => m.ruleId === rule).map(m => m.message)
    ])
  )
}

describe('no import cycles', () => {
  let copy: string
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'pg-cycles-'))
    cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true })
    cpSync(join(ROOT, 'scripts/lint'), join(copy, 'scripts/lint'), { recursive: true })
    cpSync(join(ROOT, 'eslint.config.js'), join(copy, 'eslint.config.js'))
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'))
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
  })
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  it('the source tree has none', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { findCycles } from ${JSON.stringify(join(ROOT, 'scripts/lint/no-import-cycle.mjs'))}
         import { readdirSync } from 'node:fs'
         const files = readdirSync('src', { recursive: true }).filter(f => f.endsWith('.ts')).map(f => process.cwd() + '/src/' + f)
         console.log(JSON.stringify({ files: files.length, cycles: findCycles(files) }))`
      ],
      { cwd: ROOT, encoding: 'utf8' }
    )
    const { files, cycles } = JSON.parse(out) as { files: number; cycles: string[][] }
    expect(files).toBeGreaterThan(100)
    expect(cycles).toEqual([])
  })

  it('fails the lint when a copy of the tree gains one, and names the chain', () => {
    const before = lint(copy, ['src/core/duration.ts', 'src/gates/index.ts'])
    expect(before.get('src/core/duration.ts')).toEqual([])
    expect(before.get('src/gates/index.ts')).toEqual([])

    // core/duration.ts is imported (through the gates) by gates/index.ts; importing upwards closes a loop.
    appendFileSync(join(copy, 'src/core/duration.ts'), "\nimport '../gates/index.js'\n")
    const after = lint(copy, ['src/core/duration.ts', 'src/core/clock.ts'])
    const found = after.get('src/core/duration.ts') ?? []
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(
      /^import cycle: src\/core\/duration\.ts → src\/gates\/index\.ts → .* → src\/core\/duration\.ts\./
    )
    // A file outside the loop is not blamed.
    expect(after.get('src/core/clock.ts')).toEqual([])
  }, 60_000)

  it('fails the lint when report/ imports kube/', () => {
    const file = 'src/report/model.ts'
    expect(lint(copy, [file], 'no-restricted-imports').get(file)).toEqual([])
    appendFileSync(join(copy, file), "\nexport type { Cluster } from '../kube/types.js'\n")
    const found = lint(copy, [file], 'no-restricted-imports').get(file) ?? []
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/report\/ imports no kube\//)
  }, 60_000)
})
