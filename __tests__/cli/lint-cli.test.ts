// `phase-gate lint` as a user runs it: the bundled CLI in a child process, a
// plan with a wrong type and an unknown field. Both problems are reported with
// file:line:col and the field path, the exit code is 2, and no stack trace.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'

const cli = path.resolve('dist/cli/index.js')
const dir = mkdtempSync(path.join(tmpdir(), 'phase-gate-lint-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function lint(name: string, body: string): { code: number | null; out: string } {
  const file = path.join(dir, name)
  writeFileSync(file, body)
  const run = spawnSync(process.execPath, [cli, 'lint', file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' }
  })
  return { code: run.status, out: `${run.stdout}${run.stderr}` }
}

describe('phase-gate lint (bundled CLI)', () => {
  it('reports a wrong type and an unknown field, each with line and column, and exits 2', () => {
    const { code, out } = lint(
      'plan.yaml',
      [
        'version: 1',
        'name: web',
        'target:',
        '  namespace: web',
        'budgets:',
        '  size: simple',
        'tracers:',
        '  - name: t',
        '    assumption: the pod runs',
        '    manifest: {file: pod.yaml}',
        '    success: {ready: true}',
        '    timeout: 5',
        'phases:',
        '  - name: app',
        '    apply: [deploy.yaml]',
        '    retires: 3',
        ''
      ].join('\n')
    )
    expect(code).toBe(2)
    expect(out).toContain(
      `plan.yaml:12:14: tracers[0].timeout: expected a duration like 30s, 5m or 1h30m, got a number (5)`
    )
    expect(out).toContain(
      'plan.yaml:16:5: phases[0].retires: unknown field "retires"; allowed: name, apply'
    )
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
  })

  it('exits 0 on a valid plan', () => {
    writeFileSync(
      path.join(dir, 'deploy.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'
    )
    const { code, out } = lint(
      'ok.yaml',
      'version: 1\nname: web\ntarget: {namespace: web}\nphases:\n  - name: app\n    apply: [deploy.yaml]\n'
    )
    expect(out).not.toMatch(/error/i)
    expect(code).toBe(0)
  })
})
