// The reusable fleet workflow (.github/workflows/fleet-deploy.yml): generated
// from one template (the committed file is what the template gives), the wave
// chain (each wave's check → approve → deploy → soak after the wave before it
// succeeded), the approval per wave in its environment, the matrix over the
// wave's clusters, the halt and the record, and the action inputs it passes.
// actionlint and the STYLE rules run on it in workflows.test.ts (every file
// under .github/workflows/).
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parse } from 'yaml'
import { MAX_WAVES, TEMPLATE, WORKFLOW, generate } from '../../scripts/fleet-workflow.mjs'
import { MAX_FLEET_WAVES } from '../../src/fleet/plan.js'

type Json = Record<string, unknown>
const root = resolve(import.meta.dirname, '..', '..')
const ACTION_REF = 'phase-gate/phase-gate@v1'
const template = readFileSync(TEMPLATE, 'utf8')
const committed = readFileSync(WORKFLOW, 'utf8')
const data = parse(committed) as Json
const jobs = data.jobs as Record<string, Json>
const steps = (job: Json): Json[] => (job.steps as Json[] | undefined) ?? []
const gateWith = (job: Json): Json =>
  (steps(job).find(s => s.uses === ACTION_REF)?.with as Json | undefined) ?? {}
const needs = (name: string): string[] => [jobs[name].needs ?? []].flat() as string[]
const waves = Array.from({ length: MAX_WAVES }, (_, i) => i + 1)

describe('fleet-deploy.yml is generated from its template', () => {
  it('the committed workflow is what the template generates (node scripts/fleet-workflow.mjs)', () => {
    expect(committed).toBe(generate(template))
  })

  it('a change to the template alone is caught (the comparison is not blind)', () => {
    const edited = template.replace('fleet-step: deploy', 'fleet-step: soak')
    expect(edited).not.toBe(template)
    expect(generate(edited)).not.toBe(committed)
    // And a different maximum gives a different file.
    expect(generate(template, MAX_WAVES - 1)).not.toBe(committed)
  })

  it('has as many waves as lint allows', () => {
    expect(MAX_WAVES).toBe(MAX_FLEET_WAVES)
    expect(committed).toContain(`fixed maximum of ${MAX_WAVES} waves`)
  })

  it('refuses a template with an unknown placeholder or an unclosed block', () => {
    expect(() => generate(`${template}\n# @NOPE@\n`)).toThrow(/unknown placeholder @NOPE@/)
    expect(() => generate(`@EACH@\nx\n`)).toThrow(/without its @END@/)
  })
})

describe('fleet-deploy.yml: the reusable workflow’s interface', () => {
  it('inputs typed, described and defaulted; secrets described; the action referenced once', () => {
    const call = (data.on as Json).workflow_call as Json
    for (const [name, input] of Object.entries(call.inputs as Record<string, Json>)) {
      expect([name, typeof input.description]).toEqual([name, 'string'])
      expect(['string', 'boolean', 'number']).toContain(input.type)
      expect([name, input.required === true || 'default' in input]).toEqual([name, true])
    }
    const secrets = call.secrets as Record<string, Json>
    expect(Object.keys(secrets)).toEqual(['kubeconfig', 'registry-auth', 'metrics-token'])
    expect(secrets.kubeconfig.required).toBe(true)
    for (const [name, secret] of Object.entries(secrets))
      expect([name, typeof secret.description]).toEqual([name, 'string'])
    expect(committed.split(ACTION_REF).length - 1).toBe(1)
    // One concurrency group per plan; a second release waits.
    expect(data.concurrency).toEqual({
      group: 'phase-gate-fleet-${{ github.repository }}-${{ inputs.plan }}',
      'cancel-in-progress': false
    })
  })
})

describe('fleet-deploy.yml: the waves', () => {
  it('has plan, then check → approve → deploy → soak per wave, then halt and record', () => {
    expect(Object.keys(jobs)).toEqual([
      'plan',
      ...waves.flatMap(k => ['check', 'approve', 'deploy', 'soak'].map(j => `wave-${k}-${j}`)),
      'halt',
      'record'
    ])
  })

  it.each(waves)('wave %i begins only after the wave before it succeeded', k => {
    expect(needs(`wave-${k}-check`)).toEqual(
      k === 1 ? ['plan'] : ['plan', `wave-${k - 1}-deploy`, `wave-${k - 1}-soak`]
    )
    const cond = String(jobs[`wave-${k}-check`].if)
    expect(cond).toContain(`needs.plan.outputs.wave-count >= ${k}`)
    // A skipped soak (the wave has none) lets the next wave go; a failed or cancelled one does not.
    if (k > 1)
      expect(cond).toContain(
        `needs.wave-${k - 1}-deploy.result == 'success' && (needs.wave-${k - 1}-soak.result == 'success' || needs.wave-${k - 1}-soak.result == 'skipped')`
      )
    expect(cond.startsWith('${{ !cancelled() && ')).toBe(true)
    expect(needs(`wave-${k}-approve`)).toEqual(['plan', `wave-${k}-check`])
    expect(jobs[`wave-${k}-approve`].if).toBe(
      `\${{ !cancelled() && needs.wave-${k}-check.result == 'success' }}`
    )
    expect(needs(`wave-${k}-deploy`)).toEqual(['plan', `wave-${k}-approve`])
    expect(needs(`wave-${k}-soak`)).toEqual(['plan', `wave-${k}-deploy`])
    expect(String(jobs[`wave-${k}-soak`].if)).toContain(`needs.plan.outputs.wave-${k}-soak != ''`)
  })

  it.each(waves)('wave %i: reviewers approve once, in environment <prefix><wave>', k => {
    expect(jobs[`wave-${k}-approve`].environment).toBe(
      `\${{ inputs.environment-prefix }}\${{ needs.plan.outputs.wave-${k}-name }}`
    )
    // Only the approval job: reviewers on the wave environment are asked once per wave.
    for (const j of ['check', 'deploy', 'soak'])
      expect(jobs[`wave-${k}-${j}`].environment).toBeUndefined()
  })

  it.each(waves)(
    'wave %i deploys a matrix over its clusters, maxParallel at a time, fail-fast',
    k => {
      expect(jobs[`wave-${k}-deploy`].strategy).toEqual({
        'max-parallel': `\${{ fromJSON(needs.plan.outputs.wave-${k}-max-parallel) }}`,
        'fail-fast': true,
        matrix: { cluster: `\${{ fromJSON(needs.plan.outputs.wave-${k}-clusters) }}` }
      })
      expect(gateWith(jobs[`wave-${k}-deploy`])).toMatchObject({
        'fleet-step': 'deploy',
        wave: `\${{ needs.plan.outputs.wave-${k}-name }}`,
        cluster: '${{ matrix.cluster }}',
        approve: true
      })
      expect(gateWith(jobs[`wave-${k}-check`])).toMatchObject({ 'fleet-step': 'check' })
      expect(gateWith(jobs[`wave-${k}-soak`])).toMatchObject({ 'fleet-step': 'soak' })
      // The plan job gives each wave's facts.
      const outputs = jobs.plan.outputs as Json
      for (const o of ['name', 'clusters', 'max-parallel', 'soak'])
        expect(outputs[`wave-${k}-${o}`]).toBe(`\${{ steps.waves.outputs.wave-${k}-${o} }}`)
    }
  )

  it('the plan job lists the fleet and checks every wave as evidence, without stopping the release', () => {
    expect(gateWith(jobs.plan)).toMatchObject({ 'fleet-step': 'list' })
    const evidence = steps(jobs.plan).filter(s => (s.with as Json)?.['fleet-step'] === 'check')
    expect(evidence.map(s => [s.if, s['continue-on-error']])).toEqual(
      waves.map(k => [`steps.waves.outputs.wave-count >= ${k}`, true])
    )
  })

  it('halts when a check, deploy or soak job failed (the step rolls back, or lists the commands with onHalt: hold)', () => {
    expect(needs('halt')).toEqual([
      'plan',
      ...waves.flatMap(k => ['check', 'deploy', 'soak'].map(j => `wave-${k}-${j}`))
    ])
    expect(jobs.halt.if).toBe(
      "${{ always() && needs.plan.result == 'success' && contains(needs.*.result, 'failure') }}"
    )
    expect(gateWith(jobs.halt)).toMatchObject({
      'fleet-step': 'rollback',
      from: '${{ runner.temp }}/phase-gate-fleet-reports'
    })
  })

  it('records always, from every report, with the sticky comment', () => {
    expect(needs('record')).toEqual([
      'plan',
      ...waves.flatMap(k => ['check', 'approve', 'deploy', 'soak'].map(j => `wave-${k}-${j}`)),
      'halt'
    ])
    expect(jobs.record.if).toBe('always()')
    expect(gateWith(jobs.record)).toMatchObject({
      'fleet-step': 'record',
      from: '${{ runner.temp }}/phase-gate-fleet-reports',
      'environment-prefix': '${{ inputs.environment-prefix }}',
      comment: '${{ inputs.comment }}'
    })
    for (const name of ['halt', 'record']) {
      const dl = steps(jobs[name]).find(s =>
        String(s.uses).startsWith('actions/download-artifact@')
      )?.with as Json
      // One directory per artifact: the fleet reports of different jobs may share a file name.
      expect(dl).toEqual({
        pattern: 'phase-gate-fleet-report-*',
        path: '${{ runner.temp }}/phase-gate-fleet-reports'
      })
    }
  })

  it('every job running the action keeps its report as a phase-gate-fleet-report artifact', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const gate = steps(job).find(s => s.uses === ACTION_REF)
      if (!gate || name === 'plan') continue
      expect([name, gate.id]).toEqual([name, 'gate'])
      const up = steps(job).find(s => String(s.uses).startsWith('actions/upload-artifact@'))
      const w = up?.with as Json
      expect([name, w.path]).toEqual([name, '${{ steps.gate.outputs.report }}'])
      expect([name, String(w.name)]).toEqual([
        name,
        name === 'record'
          ? 'phase-gate-fleet-record'
          : expect.stringMatching(/^phase-gate-fleet-report-.+-\$\{\{ github\.run_attempt \}\}$/)
      ])
    }
  })

  it('gives the action only inputs action.yml declares, and reads only outputs it declares', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Json
    const inputs = Object.keys(action.inputs as Json)
    const outputs = Object.keys(action.outputs as Json)
    for (const job of Object.values(jobs))
      for (const s of steps(job))
        if (s.uses === ACTION_REF)
          for (const key of Object.keys((s.with as Json) ?? {})) expect(inputs).toContain(key)
    for (const m of committed.matchAll(/steps\.gate\.outputs\.([\w-]+)/g))
      expect(outputs).toContain(m[1])
  })
})

describe('the plan job’s waves step (the shell the runner runs)', () => {
  const step = steps(jobs.plan).find(s => s.id === 'waves') as Json
  const list = (waves: number, clusters = 1): string =>
    JSON.stringify({
      plan: 'shop',
      onHalt: 'rollback',
      maxWaves: 8,
      waves: Array.from({ length: waves }, (_, i) => ({
        index: i + 1,
        name: `w${i + 1}`,
        clusters: Array.from({ length: clusters }, (_, c) => `c${i + 1}-${c}`),
        contexts: {},
        maxParallel: 2,
        soak: i === 0 ? '10m' : null
      }))
    })

  function runWaves(fleet: string): {
    status: number | null
    out: string
    summary: string
    err: string
  } {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-waves-'))
    try {
      const out = join(dir, 'out')
      const summary = join(dir, 'summary')
      writeFileSync(out, '')
      writeFileSync(summary, '')
      const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', String(step.run)], {
        env: {
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          FLEET: fleet,
          MAX_WAVES: String((step.env as Json).MAX_WAVES),
          ENVIRONMENT_PREFIX: 'fleet-',
          GITHUB_OUTPUT: out,
          GITHUB_STEP_SUMMARY: summary
        },
        encoding: 'utf8'
      })
      return {
        status: r.status,
        out: readFileSync(out, 'utf8'),
        summary: readFileSync(summary, 'utf8'),
        err: r.stderr
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('gives each wave its name, clusters, max-parallel and soak, and empty waves up to the maximum', () => {
    const r = runWaves(list(2, 3))
    expect([r.status, r.err]).toEqual([0, ''])
    const outputs = Object.fromEntries(
      r.out
        .trim()
        .split('\n')
        .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
    )
    expect(outputs['wave-count']).toBe('2')
    expect(outputs['on-halt']).toBe('rollback')
    expect(JSON.parse(outputs['wave-1-clusters'])).toEqual(['c1-0', 'c1-1', 'c1-2'])
    expect([
      outputs['wave-1-name'],
      outputs['wave-1-max-parallel'],
      outputs['wave-1-soak']
    ]).toEqual(['w1', '2', '10m'])
    expect(outputs['wave-2-soak']).toBe('')
    expect([outputs['wave-8-name'], outputs['wave-8-clusters']]).toEqual(['', '[]'])
    expect(Object.keys(outputs)).toHaveLength(2 + 4 * MAX_WAVES)
    // The plan job's summary: the waves with their approval environments.
    expect(r.summary).toContain(
      '| 1 | w1 | c1-0 (`c1-0`), c1-1 (`c1-1`), c1-2 (`c1-2`) | 2 | 10m | `fleet-w1` |'
    )
  })

  it(`refuses more than ${MAX_WAVES} waves and more than 256 clusters in a wave`, () => {
    const many = runWaves(list(MAX_WAVES + 1))
    expect(many.status).not.toBe(0)
    expect(many.err).toContain(`${MAX_WAVES + 1} waves: this workflow runs at most ${MAX_WAVES}`)
    expect(runWaves(list(1, 256)).status).toBe(0)
    const big = runWaves(list(1, 257))
    expect(big.status).not.toBe(0)
    expect(big.err).toContain('wave w1 has 257 clusters: a matrix holds at most 256')
  })

  it('fails when the list step gave no fleet', () => {
    const r = runWaves('')
    expect(r.status).not.toBe(0)
    expect(r.err).toContain('the list step gave no fleet')
  })
})
