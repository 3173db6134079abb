// The migration check: up, down, up again, stopping at the first failure,
// with each step's exit code and stderr tail; once with a scripted exec, once
// with real processes over a file that stands in for a schema.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import '../../src/checks/builtin.js'
import type { StepOutcome } from '../../src/checks/migration.js'
import { runValidation } from '../../src/checks/validation.js'
import { processExec } from '../../src/core/exec.js'
import type { Verdict } from '../../src/report/model.js'
import { gateContext, loadedPlan, scriptedExec, type ScriptedRun } from './validation-ctx.js'

const UP = ['alembic', 'upgrade', 'head']
const DOWN = ['alembic', 'downgrade', '-1']
const ok = (argv: string[]): ScriptedRun => ({
  argv,
  result: { exitCode: 0, stderr: `INFO running ${argv[1]}` }
})
const bad = (argv: string[], stderr: string): ScriptedRun => ({
  argv,
  result: { exitCode: 1, stderr }
})

describe('migration check, scripted', () => {
  it.each<[string, ScriptedRun[], Verdict, string[], RegExp, RegExp | undefined]>([
    [
      'reversible',
      [ok(UP), ok(DOWN), ok(UP)],
      'pass',
      ['up', 'down', 'up again'],
      /^up, down and up again succeeded in .*: the migration is reversible$/,
      undefined
    ],
    [
      'up fails: nothing else is tried',
      [bad(UP, 'relation "users" does not exist')],
      'fail',
      ['up'],
      /^migration up failed \(exit 1\): the forward migration does not run$/,
      /fix the up migration/
    ],
    [
      'down fails: not reversible',
      [ok(UP), bad(DOWN, 'NotImplementedError: downgrade')],
      'fail',
      ['up', 'down'],
      /^migration down failed \(exit 1\) after up succeeded: the migration is not reversible/,
      /code rollback after this migration must be refused/
    ],
    [
      'up again fails: down left something behind',
      [ok(UP), ok(DOWN), bad(UP, 'relation "users" already exists')],
      'fail',
      ['up', 'down', 'up again'],
      /^migration up again failed \(exit 1\) after up, down succeeded: down does not leave a schema that up can start from again$/,
      /make down undo everything up does/
    ]
  ])('%s', async (_name, script, verdict, steps, message, adjustment) => {
    const exec = scriptedExec(script)
    const r = await runValidation({ migration: { up: UP, down: DOWN } }, gateContext({ exec }))
    expect(r.verdict).toBe(verdict)
    expect(r.id).toBe('migration:alembic upgrade head')
    expect(r.message).toMatch(message)
    if (adjustment) expect(r.adjustment).toMatch(adjustment)
    else expect(r.adjustment).toBeUndefined()
    const data = r.data as { steps: StepOutcome[]; reversible: boolean }
    expect(data.steps.map(s => s.step)).toEqual(steps)
    expect(data.reversible).toBe(verdict === 'pass')
    // Each step's exit code and the tail of its stderr are in the evidence.
    for (const s of data.steps) expect(r.evidence).toContain(`${s.step}: exit ${s.exitCode}`)
    const failing = script.find(s => s.result.exitCode === 1)
    if (failing) expect(r.evidence).toContain(failing.result.stderr)
    expect(exec.calls.map(c => c.opts?.env?.PHASE_GATE_MIGRATION_STEP)).toEqual(
      steps.map(s => (s === 'down' ? 'down' : 'up'))
    )
  })

  it('reports a command that cannot start', async () => {
    const r = await runValidation(
      { migration: { up: ['no-such-migrate', 'up'], down: ['no-such-migrate', 'down'] } },
      gateContext({ exec: scriptedExec() })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      'migration up failed (could not start: spawn no-such-migrate ENOENT): the forward migration does not run'
    )
  })

  it('runs in the plan directory (or cwd under it) with the plan env', async () => {
    const exec = scriptedExec([ok(UP), ok(DOWN), ok(UP)])
    await runValidation(
      { migration: { up: UP, down: DOWN, cwd: 'db', env: { DATABASE_URL: 'postgres://test' } } },
      gateContext({ exec, loaded: loadedPlan({}, '/repo/deploy') })
    )
    expect(exec.calls[0].opts).toMatchObject({
      cwd: '/repo/deploy/db',
      env: {
        DATABASE_URL: 'postgres://test',
        PHASE_GATE_NAMESPACE: 'shop',
        PHASE_GATE_RUN_ID: 'run-1'
      }
    })
  })
})

describe('migration check against a production target', () => {
  it('refuses to run (no command started) unless allowOnProduction', async () => {
    const exec = scriptedExec([ok(UP), ok(DOWN), ok(UP)])
    const production = { target: { namespace: 'shop', production: true } }
    const r = await runValidation(
      { migration: { up: UP, down: DOWN } },
      gateContext({ exec, plan: production })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(/^refused: the target is marked production: true/)
    expect(r.adjustment).toMatch(/allowOnProduction: true/)
    expect(exec.calls).toHaveLength(0)

    const allowed = scriptedExec([ok(UP), ok(DOWN), ok(UP)])
    const a = await runValidation(
      { migration: { up: UP, down: DOWN, allowOnProduction: true } },
      gateContext({ exec: allowed, plan: production })
    )
    expect(a.verdict).toBe('pass')
    expect(allowed.calls).toHaveLength(3)
  })
})

describe('migration check, real processes', () => {
  let dir: string
  // A schema in a file: up creates the table (and fails when it exists), down drops it.
  const up = `set -e; if [ -f schema ]; then echo 'table users already exists' >&2; exit 3; fi; echo users > schema`
  const goodDown = `rm schema`
  const leakyDown = `echo 'dropped nothing' >&2`
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-migration-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.each<[string, string, Verdict, string]>([
    ['a down that reverses up', goodDown, 'pass', 'up, down and up again succeeded'],
    ['a down that leaves the table', leakyDown, 'fail', 'migration up again failed (exit 3)']
  ])('%s', async (_name, down, verdict, message) => {
    await rm(join(dir, 'schema'), { force: true })
    await writeFile(join(dir, 'up.sh'), up)
    await writeFile(join(dir, 'down.sh'), down)
    const r = await runValidation(
      { migration: { up: ['sh', 'up.sh'], down: ['sh', 'down.sh'] } },
      gateContext({ exec: processExec, loaded: loadedPlan({}, dir) })
    )
    expect(r.verdict).toBe(verdict)
    expect(r.message).toContain(message)
    if (verdict === 'fail') expect(r.evidence).toContain('table users already exists')
  })
})
