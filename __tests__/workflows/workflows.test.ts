// The workflows we ship and the examples' callers: actionlint clean, the
// STYLE rules for workflows (least privilege with a reason, pinned actions,
// no expressions inside run:, typed and described inputs, concurrency), the
// gate chain and its approval point, callers that match the reusable
// workflows they call, and the one shell step run for real.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { isMap, isScalar, parseDocument, type Document } from 'yaml'
import { ensureTool } from '../../scripts/cluster/lib.mjs'
import { OUTPUT } from '../../src/action/names.js'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..', '..')
const ACTION_REF = 'phase-gate/phase-gate@v1'
const REUSABLE = /^phase-gate\/phase-gate\/\.github\/workflows\/([\w-]+\.yml)@v1$/
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/

type Json = Record<string, unknown>

const ours = readdirSync(join(root, '.github', 'workflows'))
  .filter(f => f.endsWith('.yml'))
  .map(f => join('.github', 'workflows', f))
const reusable = ['.github/workflows/infra-deploy.yml', '.github/workflows/staged-rollout.yml']
const exampleDirs = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter(d => d.isDirectory())
  .map(d => join('examples', d.name))
const callers = exampleDirs.map(d => join(d, 'workflow.yml')).filter(f => existsSync(join(root, f)))
// Every workflow anywhere under examples/, whatever its name (a caller, the soak's schedule, ...).
const exampleWorkflows = readdirSync(join(root, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter(f => /\.ya?ml$/.test(f))
  .map(f => join('examples', f))
  .filter(f => {
    const text = readFileSync(join(root, f), 'utf8')
    return /^on:/m.test(text) && /^jobs:/m.test(text)
  })
  .sort()

function load(file: string): { doc: Document; data: Json; text: string } {
  const text = readFileSync(join(root, file), 'utf8')
  const doc = parseDocument(text)
  expect(doc.errors).toEqual([])
  return { doc, data: doc.toJS() as Json, text }
}

const jobsOf = (data: Json): [string, Json][] => Object.entries(data.jobs as Record<string, Json>)
const stepsOf = (job: Json): Json[] => (job.steps as Json[] | undefined) ?? []

let actionlint: string

beforeAll(async () => {
  // Built into the tool cache on first use (the cluster scripts' Go build), then reused.
  actionlint = await ensureTool('actionlint', { log: m => process.stderr.write(`[tools] ${m}\n`) })
}, 600_000)

describe('actionlint', () => {
  it('finds the workflows and callers it is meant to check', () => {
    expect(reusable.every(f => ours.includes(f))).toBe(true)
    // The examples with a caller workflow beside their plan.
    expect(callers).toEqual(
      expect.arrayContaining([
        'examples/canary-rollout/workflow.yml',
        'examples/helm-service/workflow.yml',
        'examples/shop-postgres/workflow.yml',
        'examples/web-app/workflow.yml'
      ])
    )
  })

  it('checks every workflow under examples/, not only the callers', () => {
    expect(exampleWorkflows).toEqual([...callers, 'examples/soak/soak.yml'].sort())
  })

  it.each([...ours, ...exampleWorkflows])('%s is clean', async file => {
    const r = await run(actionlint, ['-no-color', '-oneline', file], { cwd: root }).then(
      ok => ({ ...ok, code: 0 }),
      (e: { stdout?: string; stderr?: string; code?: number }) => e
    )
    // A non-zero exit with nothing on stdout (a crash, a config error on stderr) is not clean either.
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 0,
      stdout: '',
      stderr: r.stderr
    })
  })

  it('reports what it should (the harness is not blind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
    try {
      const bad = join(dir, 'bad.yml')
      writeFileSync(
        bad,
        readFileSync(join(root, reusable[0]), 'utf8').replace(
          '${{ inputs.plan }}',
          '${{ inputs.plan-file }}'
        )
      )
      const r = await run(actionlint, ['-no-color', '-oneline', bad]).catch(
        (e: { stdout?: string }) => e
      )
      expect(r.stdout).toMatch(/property "plan-file" is not defined/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('STYLE rules for workflows', () => {
  it.each([...ours, ...exampleWorkflows])(
    '%s: contents: read on top, every raised permission says why',
    file => {
      const { doc, data } = load(file)
      expect(data.permissions).toEqual({ contents: 'read' })
      for (const [name] of jobsOf(data)) {
        const perms = doc.getIn(['jobs', name, 'permissions'], true)
        if (perms === undefined) continue
        if (!isMap(perms)) throw new Error(`${file}: jobs.${name}.permissions is not a mapping`)
        for (const pair of perms.items) {
          const scope = isScalar(pair.key) ? String(pair.key.value) : '?'
          const level = isScalar(pair.value) ? String(pair.value.value) : '?'
          if (scope === 'contents' && level === 'read') continue
          const why = isScalar(pair.value) ? (pair.value.comment ?? '') : ''
          expect(`${name}.${scope}: ${why.trim()}`).toMatch(
            new RegExp(`^${name}\\.${scope}: needed to \\S`)
          )
        }
      }
    }
  )

  it.each([...ours, ...exampleWorkflows])(
    '%s: no expression inside run:, every action pinned by SHA with its version',
    file => {
      const { data, text } = load(file)
      for (const [name, job] of jobsOf(data))
        for (const step of stepsOf(job))
          if (typeof step.run === 'string') expect(`${name}: ${step.run}`).not.toContain('${{')
      for (const line of text.split('\n')) {
        const m = /^\s*(?:-\s+)?uses:\s+(?:&[\w-]+\s+)?(\S+)(.*)$/.exec(line)
        if (!m || m[1].startsWith('*')) continue
        const ref = m[1]
        expect(ref.startsWith('./')).toBe(false)
        if (ref === ACTION_REF || REUSABLE.test(ref)) continue
        expect(ref).toMatch(PINNED)
        expect(m[2]).toMatch(/^ # v\d+\.\d+\.\d+$/)
      }
    }
  )

  it.each(reusable)(
    '%s: inputs typed, described and defaulted; secrets declared; the action referenced once',
    file => {
      const { data, text } = load(file)
      const call = (data.on as Json).workflow_call as Json
      const inputs = call.inputs as Record<string, Json>
      for (const [name, input] of Object.entries(inputs)) {
        expect([name, typeof input.description]).toEqual([name, 'string'])
        expect(['string', 'boolean', 'number']).toContain(input.type)
        expect([name, input.required === true || 'default' in input]).toEqual([name, true])
      }
      for (const [name, secret] of Object.entries(call.secrets as Record<string, Json>))
        expect([name, typeof secret.description]).toEqual([name, 'string'])
      // One place to map for e2e (act --local-repository) and to bump at release; the rest are aliases.
      expect(text.split(ACTION_REF).length - 1).toBe(1)
      const gateSteps = jobsOf(data).flatMap(([, job]) =>
        stepsOf(job).filter(s => s.uses === ACTION_REF)
      )
      expect(gateSteps.length).toBe(
        jobsOf(data).filter(([, job]) => stepsOf(job).some(s => s.uses === ACTION_REF)).length
      )
      expect(gateSteps.length).toBeGreaterThanOrEqual(2)
    }
  )

  it.each(reusable)('%s: a concurrency group per plan and target', file => {
    const { data } = load(file)
    const c = data.concurrency as Json
    expect(String(c.group)).toContain('${{ inputs.plan }}')
    expect(String(c.group)).toContain('${{ inputs.namespace }}')
    expect(String(c.group)).toContain('${{ inputs.context }}')
    expect('cancel-in-progress' in c).toBe(true)
  })

  it.each(reusable)('%s: every input given to the action is one action.yml declares', file => {
    const declared = Object.keys((load('action.yml').data.inputs as Json) ?? {})
    const { data } = load(file)
    for (const [, job] of jobsOf(data))
      for (const step of stepsOf(job))
        if (step.uses === ACTION_REF)
          for (const key of Object.keys((step.with as Json) ?? {})) expect(declared).toContain(key)
  })

  it.each(reusable)('%s: every gate job keeps its report as a phase-gate-report artifact', file => {
    const { data } = load(file)
    for (const [name, job] of jobsOf(data)) {
      const steps = stepsOf(job)
      const gate = steps.find(s => s.uses === ACTION_REF)
      if (!gate) continue
      expect([name, gate.id]).toEqual([name, 'gate'])
      const upload = steps.find(s => String(s.uses).startsWith('actions/upload-artifact@'))
      expect(upload).toBeDefined()
      const w = upload?.with as Json
      // The record job's artifact holds the record beside the report (asserted below).
      if (name !== 'record') expect(w.path).toBe('${{ steps.gate.outputs.report }}')
      expect(String(w.name)).toMatch(
        name === 'record'
          ? /^phase-gate-(rollout-)?record$/
          : /^phase-gate-report-.+-\$\{\{ github\.run_attempt \}\}$/
      )
      expect(upload?.if).toBe("always() && steps.gate.outputs.report != ''")
    }
  })

  it.each(reusable)('%s: every output read from the action is one action.yml declares', file => {
    const declared = Object.keys((load('action.yml').data.outputs as Json) ?? {})
    const { text } = load(file)
    const read = [...text.matchAll(/steps\.gate\.outputs\.([\w-]+)/g)].map(m => m[1])
    expect(read).toEqual(expect.arrayContaining(['report', 'record', 'record-json']))
    for (const name of read) expect(declared).toContain(name)
    // The names the action sets are the ones it declares.
    expect(Object.values(OUTPUT).sort()).toEqual([...declared].sort())
  })
})

describe('infra-deploy: the gate chain and its approval point', () => {
  const { data } = load('.github/workflows/infra-deploy.yml')
  const jobs = data.jobs as Record<string, Json>
  const gateOf = (job: Json): unknown =>
    (stepsOf(job).find(s => s.uses === ACTION_REF)?.with as Json | undefined)?.gate

  it('runs reality-check → tracer → plan → approve → phase → validate → record', () => {
    const needs = (name: string): string[] => [jobs[name].needs ?? []].flat() as string[]
    expect(Object.keys(jobs)).toEqual([
      'reality-check',
      'tracer',
      'plan',
      'approve',
      'phase',
      'validate',
      'record'
    ])
    expect(needs('tracer')).toEqual(['reality-check'])
    expect(needs('plan')).toEqual(['reality-check', 'tracer'])
    expect(needs('approve')).toEqual(['plan'])
    expect(needs('phase')).toEqual(['plan', 'approve'])
    expect(needs('validate')).toEqual(['approve', 'phase'])
    expect(needs('record')).toEqual([
      'reality-check',
      'tracer',
      'plan',
      'approve',
      'phase',
      'validate'
    ])
    expect(
      ['reality-check', 'tracer', 'plan', 'phase', 'validate', 'record'].map(j => gateOf(jobs[j]))
    ).toEqual(['reality-check', 'tracer', 'plan', 'phase', 'validate', 'record'])
    expect(jobs.record.if).toBe('always()')
  })

  it('puts the approval on the job after the plan, in the environment the plan gate checked', () => {
    expect(jobs.plan.environment).toBeUndefined()
    expect(jobs.approve.environment).toBe('${{ needs.plan.outputs.approval-environment }}')
    const planWith = stepsOf(jobs.plan).find(s => s.uses === ACTION_REF)?.with as Json
    expect(planWith['approval-environment']).toBe('${{ inputs.approval-environment }}')
    expect(planWith.reports).toBe('${{ runner.temp }}/phase-gate-reports')
    expect((jobs.plan.permissions as Json).actions).toBe('read')
    // Tracers and the reality check only read or clean up after themselves: no environment before the approval.
    expect([jobs['reality-check'].environment, jobs.tracer.environment]).toEqual([
      undefined,
      undefined
    ])
    expect([jobs.phase.environment, jobs.validate.environment]).toEqual([
      '${{ inputs.environment }}',
      '${{ inputs.environment }}'
    ])
  })

  it('runs the phases one at a time in plan order, stopping at the first failure', () => {
    const strategy = jobs.phase.strategy as Json
    expect(strategy['max-parallel']).toBe(1)
    expect(strategy['fail-fast']).toBe(true)
    expect((strategy.matrix as Json).phase).toBe('${{ fromJSON(needs.plan.outputs.phases) }}')
    expect((stepsOf(jobs.phase).find(s => s.uses === ACTION_REF)?.with as Json).phase).toBe(
      '${{ matrix.phase }}'
    )
    expect(jobs.validate.if).toBe('${{ !failure() && !cancelled() }}')
  })

  it('hands the plan and record jobs every earlier report', () => {
    for (const name of ['plan', 'record']) {
      const dl = stepsOf(jobs[name]).find(s =>
        String(s.uses).startsWith('actions/download-artifact@')
      )?.with as Json
      expect(dl).toEqual({
        pattern: 'phase-gate-report-*',
        'merge-multiple': true,
        path: '${{ runner.temp }}/phase-gate-reports'
      })
    }
  })
})

describe('staged-rollout: stages in order, each in its environment; rollback levels on dispatch', () => {
  const { data } = load('.github/workflows/staged-rollout.yml')
  const jobs = data.jobs as Record<string, Json>

  it('has one job per stage, in order, in <prefix><stage>', () => {
    const strategy = jobs.stage.strategy as Json
    expect(strategy['max-parallel']).toBe(1)
    expect(strategy['fail-fast']).toBe(true)
    expect((strategy.matrix as Json).stage).toBe('${{ fromJSON(inputs.stages) }}')
    expect(jobs.stage.environment).toBe('${{ inputs.environment-prefix }}${{ matrix.stage }}')
    const w = stepsOf(jobs.stage).find(s => s.uses === ACTION_REF)?.with as Json
    expect([w.gate, w.stage]).toEqual(['rollout', '${{ matrix.stage }}'])
    expect(
      JSON.parse(
        String(
          ((data.on as Json).workflow_call as Json as { inputs: Record<string, Json> }).inputs
            .stages.default
        )
      )
    ).toEqual(['canary', 'partial', 'majority', 'full'])
  })

  it('runs only the rollback level when one is asked for, cancelling a rollout in progress', () => {
    expect(jobs.stage.if).toBe("inputs.rollback-level == ''")
    expect(jobs.rollback.if).toBe("inputs.rollback-level != ''")
    const w = stepsOf(jobs.rollback).find(s => s.uses === ACTION_REF)?.with as Json
    expect([w.gate, w.level]).toEqual(['rollback', '${{ inputs.rollback-level }}'])
    expect((data.concurrency as Json)['cancel-in-progress']).toBe(
      "${{ inputs.rollback-level != '' }}"
    )
  })
})

describe.each(reusable)('%s: the record job keeps the record and links it', file => {
  const { data } = load(file)
  // Each workflow its own name: a caller running infra-deploy then staged-rollout in one run
  // would otherwise see the rollout's upload replace the deployment's record (overwrite: true).
  const artifact = file.includes('staged-rollout')
    ? 'phase-gate-rollout-record'
    : 'phase-gate-record'
  const steps = stepsOf((data.jobs as Record<string, Json>).record)
  const upload = steps.find(s => String(s.uses).startsWith('actions/upload-artifact@')) as Json
  const link = steps.find(s => typeof s.run === 'string' && /GITHUB_STEP_SUMMARY/.test(s.run))

  it('uploads record.md, record.json and the report as its own record artifact, kept 90 days', () => {
    const w = upload.with as Json
    expect(w.name).toBe(artifact)
    expect(
      String(w.path)
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean)
    ).toEqual([
      '${{ steps.gate.outputs.record }}',
      '${{ steps.gate.outputs.record-json }}',
      '${{ steps.gate.outputs.report }}'
    ])
    expect(w['retention-days']).toBe(90)
    expect(w.overwrite).toBe(true)
    expect(typeof upload.id).toBe('string')
  })

  it('links the artifact from the job summary, after the upload, the URL passed through env', () => {
    expect(link).toBeDefined()
    expect(steps.indexOf(link as Json)).toBeGreaterThan(steps.indexOf(upload))
    const url = `\${{ steps.${String(upload.id)}.outputs.artifact-url }}`
    expect((link?.env as Json).ARTIFACT_URL).toBe(url)
    expect(link?.if).toBe(`always() && steps.${String(upload.id)}.outputs.artifact-url != ''`)
  })

  function runLink(hasRecord: string): { status: number | null; summary: string } {
    const dir = mkdtempSync(join(tmpdir(), 'link-'))
    try {
      const summary = join(dir, 'summary.md')
      writeFileSync(summary, '## earlier content\n')
      const r = spawnSync('bash', ['-e', '-c', String(link?.run)], {
        env: {
          PATH: process.env.PATH ?? '',
          ARTIFACT_URL: 'https://github.example/octo/app/actions/runs/42/artifacts/7',
          HAS_RECORD: hasRecord,
          GITHUB_STEP_SUMMARY: summary
        },
        encoding: 'utf8'
      })
      return { status: r.status, summary: readFileSync(summary, 'utf8') }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('appends a Markdown link to the artifact, saying what it holds (the step run by bash)', () => {
    const r = runLink('true')
    expect(r.status).toBe(0)
    expect(r.summary).toBe(
      `## earlier content\n\n📄 [${artifact}](https://github.example/octo/app/actions/runs/42/artifacts/7): the deployment record (record.md, record.json) and the report.\n`
    )
    // Without a record (the gate could not write it) the link says the artifact holds the report only.
    expect(runLink('false').summary).toContain(
      `[${artifact}](https://github.example/octo/app/actions/runs/42/artifacts/7): the report (the record could not be written`
    )
  })
})

describe('example callers match the reusable workflows they call', () => {
  const RANK: Record<string, number> = { none: 0, read: 1, write: 2 }

  it.each(callers)('%s', file => {
    const { data } = load(file)
    let calls = 0
    for (const [name, job] of jobsOf(data)) {
      const m = REUSABLE.exec(String(job.uses ?? ''))
      if (!m) continue
      calls++
      const called = load(join('.github', 'workflows', m[1])).data
      const call = (called.on as Json).workflow_call as {
        inputs: Record<string, Json>
        secrets: Record<string, Json>
      }
      const given = (job.with as Json | undefined) ?? {}
      for (const key of Object.keys(given))
        expect([name, key, key in call.inputs]).toEqual([name, key, true])
      for (const [key, input] of Object.entries(call.inputs))
        if (input.required) expect([name, key, key in given]).toEqual([name, key, true])
      const secrets = (job.secrets as Json | undefined) ?? {}
      for (const key of Object.keys(secrets))
        expect([name, key, key in call.secrets]).toEqual([name, key, true])
      for (const [key, secret] of Object.entries(call.secrets))
        if (secret.required) expect([name, key, key in secrets]).toEqual([name, key, true])
      // A called workflow's jobs get at most what the caller's job grants.
      const granted = (job.permissions as Record<string, string> | undefined) ?? {}
      for (const [, calledJob] of jobsOf(called))
        for (const [scope, level] of Object.entries(
          (calledJob.permissions as Record<string, string> | undefined) ?? {}
        ))
          expect([name, scope, RANK[granted[scope] ?? 'none'] >= RANK[level]]).toEqual([
            name,
            scope,
            true
          ])
      // The plan it deploys is the example's own.
      const plan = String(given.plan)
      expect(existsSync(join(root, plan))).toBe(true)
      expect(dirname(plan)).toBe(dirname(file))
    }
    expect(calls).toBeGreaterThan(0)
  })
})

describe('the plan job’s facts step (the shell the runner runs)', () => {
  const { data } = load('.github/workflows/infra-deploy.yml')
  const step = stepsOf((data.jobs as Record<string, Json>).plan).find(s => s.id === 'facts') as Json

  function runFacts(report: unknown): { status: number | null; output: string; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'facts-'))
    try {
      const reportPath = join(dir, 'plan.json')
      const outputPath = join(dir, 'output')
      writeFileSync(reportPath, JSON.stringify(report))
      writeFileSync(outputPath, '')
      const r = spawnSync('bash', ['-e', '-c', String(step.run)], {
        env: {
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          REPORT: reportPath,
          GITHUB_OUTPUT: outputPath
        },
        encoding: 'utf8'
      })
      return { status: r.status, output: readFileSync(outputPath, 'utf8'), stderr: r.stderr }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('writes the phases and the approval environment as step outputs', () => {
    const report = {
      gates: [
        { gate: 'reality-check', details: {} },
        {
          gate: 'plan',
          details: { phases: ['database', 'api'], approvalEnvironment: 'shop-approval' }
        }
      ]
    }
    const r = runFacts(report)
    expect(r.status).toBe(0)
    expect(r.output).toBe('phases=["database","api"]\napproval-environment=shop-approval\n')
  })

  it('writes an empty phase list the phase job’s condition recognises', () => {
    const r = runFacts({
      gates: [{ gate: 'plan', details: { phases: [], approvalEnvironment: 'plan-approval' } }]
    })
    expect(r.output.split('\n')[0]).toBe('phases=[]')
    expect((data.jobs as Record<string, Json>).phase.if).toBe("needs.plan.outputs.phases != '[]'")
  })

  it('fails the step when the report names no approval environment', () => {
    const r = runFacts({ gates: [{ gate: 'plan', details: { phases: ['a'] } }] })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/names no approval environment/)
    expect(r.output).toBe('')
  })

  it('reads what the plan gate really writes', async () => {
    const { runEngine } = await import('../../src/engine.js')
    const { memoryLogger } = await import('../../src/core/log.js')
    const { FakeCluster } = await import('../support/fake-cluster.js')
    const plan = join(root, 'examples', 'shop-postgres', 'phase-gate.yaml')
    const { report } = await runEngine(
      {
        gate: 'plan',
        planPath: plan,
        runId: 'run-1',
        runIdGiven: true,
        kubeconfig: { kind: 'default' },
        dryRun: false,
        comment: false,
        workspace: root
      },
      { log: memoryLogger(), connect: async () => new FakeCluster() }
    )
    const r = runFacts(report)
    expect(r.status).toBe(0)
    expect(r.output).toBe(
      'phases=["database","schema","api","ingress"]\napproval-environment=shop-approval\n'
    )
    expect(relative(root, plan)).toBe('examples/shop-postgres/phase-gate.yaml')
  })
})
