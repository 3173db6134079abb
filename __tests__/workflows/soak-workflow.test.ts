// The scheduled soak workflow of examples/soak: actionlint clean, on a
// schedule, one run at a time per target, least privilege, the soak gate
// with the environment whose deployment it marks, every secret the plan's
// webhooks name, and a plan whose soak takes one sample per run.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { ensureTool } from '../../scripts/cluster/lib.mjs'
import { loadValidPlan } from '../../src/engine.js'
import { soakSettings } from '../../src/plan/soak-settings.js'

const root = resolve(import.meta.dirname, '..', '..')
const FILE = 'examples/soak/soak.yml'
type Json = Record<string, unknown>

let actionlint: string
beforeAll(async () => {
  actionlint = await ensureTool('actionlint', { log: m => process.stderr.write(`[tools] ${m}\n`) })
}, 600_000)

describe(FILE, () => {
  it('is actionlint clean', async () => {
    const out = await new Promise<{ code: number; text: string }>(r =>
      execFile(actionlint, ['-no-color', FILE], { cwd: root }, (err, stdout, stderr) =>
        r({ code: err ? ((err as { code?: number }).code ?? 1) : 0, text: stdout + stderr })
      )
    )
    expect(out).toEqual({ code: 0, text: '' })
  })

  it('runs the soak gate on a schedule with least privilege, one run per target at a time', async () => {
    const text = readFileSync(join(root, FILE), 'utf8')
    const w = parse(text) as Json
    const on = w.on as Json
    expect((on.schedule as { cron: string }[])[0].cron).toMatch(/^\S+ \* \* \* \*$/)
    expect(w.permissions).toEqual({ contents: 'read' })
    expect(w.concurrency).toEqual({
      group: 'phase-gate-storefront-production',
      'cancel-in-progress': false
    })
    const job = (w.jobs as Record<string, Json>).soak
    expect(job.environment).toBeUndefined()
    expect(job.permissions).toEqual({ contents: 'read', deployments: 'write' })
    expect(text).toMatch(/deployments: write # needed to /)
    const steps = job.steps as Json[]
    const gate = steps.find(s => String(s.uses).startsWith('phase-gate/phase-gate@')) as Json
    expect(gate.with).toMatchObject({
      gate: 'soak',
      plan: 'examples/soak/phase-gate.yaml',
      environment: 'production'
    })
    // After the sample, whatever it found: drift of what the release applied.
    const drift = steps.filter(s => String(s.uses).startsWith('phase-gate/phase-gate@'))[1]
    expect(drift?.with).toMatchObject({ gate: 'drift', plan: 'examples/soak/phase-gate.yaml' })
    expect(drift?.if).toBe('always()')
    for (const s of steps.filter(x => x.uses && !String(x.uses).startsWith('phase-gate/')))
      expect(String(s.uses)).toMatch(/@[0-9a-f]{40}$/)
    for (const s of steps.filter(x => x.run)) expect(String(s.run)).not.toContain('${{')
    // Every webhook of the plan gets its secret.
    const loaded = await loadValidPlan({
      planPath: join(root, 'examples/soak/phase-gate.yaml'),
      workspace: root
    })
    expect(Object.keys(gate.env as Json).sort()).toEqual(
      (loaded.plan.notify ?? []).map(n => n.urlEnv).sort()
    )
    // One sample per scheduled run; the window is served by the schedule.
    expect(soakSettings(loaded.plan)).toMatchObject({
      runForMs: 0,
      windowMs: 86_400_000,
      onDegraded: 'flag'
    })
  })
})
