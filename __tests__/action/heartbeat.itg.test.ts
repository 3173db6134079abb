// A job log that shows it is alive: the action's entry point (src/index.ts,
// bundled as scripts/bundle.mjs bundles it, run as the runner runs it: no TTY,
// INPUT_* variables, file commands) runs a tracer whose Pod turns Ready only
// after 30 s on the real local cluster. The test timestamps every stdout line
// as it arrives: at least two heartbeat lines come before the verdict, at most
// 10 s apart, each naming what is awaited, its status, time spent and time
// left, inside the gate's log group.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { freshBundle } from '../reliability/bundle.js'
import { main } from '../../src/cli/main.js'

let work: string
let bundle: string
let workspace: string
let namespace: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'phase-gate-heartbeat-'))
  // The bundle of the current sources (scripts/bundle.mjs, built once for every test file).
  bundle = (await freshBundle()).dir
  workspace = join(work, 'workspace')
  mkdirSync(join(workspace, 'tracers'), { recursive: true })
  mkdirSync(join(work, 'runner-temp'))
  namespace = await createTestNamespace('heartbeat')
  writeFileSync(
    join(workspace, 'phase-gate.yaml'),
    `version: 1
name: heartbeat
target: {namespace: ${namespace}}
tracers:
  - name: slow
    assumption: a pod that is ready after 30 s
    manifest: {file: tracers/slow.yaml}
    success: {ready: true}
    timeout: 2m
`
  )
  writeFileSync(
    join(workspace, 'tracers', 'slow.yaml'),
    `apiVersion: v1
kind: Pod
metadata:
  name: slow
  labels: {phase-gate.test/simulate: slow-ready}
  annotations: {phase-gate.test/ready-after: 30s}
spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`
  )
}, 300_000)

afterAll(async () => {
  if (namespace) await deleteNamespace(namespace)
  if (work) rmSync(work, { recursive: true, force: true })
})

interface Line {
  at: number
  text: string
}

/** Runs the main step with no TTY (pipes), recording when each stdout line arrives. */
function runMain(): Promise<{
  code: number | null
  lines: Line[]
  started: number
  outputs: string
}> {
  const dir = join(work, 'step')
  mkdirSync(dir, { recursive: true })
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? work,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: join(work, 'runner-temp'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: '5151',
    ...files,
    INPUT_GATE: 'tracer',
    INPUT_PLAN: 'phase-gate.yaml',
    INPUT_KUBECONFIG: readFileSync(clusterEnv().kubeconfig, 'utf8'),
    INPUT_COMMENT: 'false'
  }
  return new Promise(done => {
    const started = Date.now()
    const child = spawn(process.execPath, [join(bundle, 'index.js')], {
      env,
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const lines: Line[] = []
    let partial = ''
    child.stdout.on('data', (chunk: Buffer) => {
      const at = Date.now()
      const parts = (partial + chunk.toString()).split('\n')
      partial = parts.pop() ?? ''
      for (const text of parts) lines.push({ at, text })
    })
    child.stderr.on('data', (chunk: Buffer) =>
      lines.push({ at: Date.now(), text: chunk.toString() })
    )
    child.on('close', code => {
      if (partial) lines.push({ at: Date.now(), text: partial })
      done({ code, lines, started, outputs: readFileSync(files.GITHUB_OUTPUT, 'utf8') })
    })
  })
}

describe('the action log shows a long wait is alive', () => {
  it('a tracer Ready after 30 s prints at least two heartbeat lines before its verdict, each at most 10 s apart', async () => {
    const run = await runMain()
    const all = run.lines.map(l => l.text).join('\n')
    expect(run.code).toBe(0)
    expect(run.outputs).toMatch(/verdict<<.*\npass\n/)
    const beats = run.lines.filter(l =>
      /^tracer: slow: waiting for .* of Pod (\S+\/)?slow — Pod (\S+\/)?slow \w+.* \(\d.* spent, \d.* left\)$/.test(
        l.text
      )
    )
    // 30 s of waiting with a line at least every 10 s: two at the very least.
    console.info(
      `action heartbeat: ${beats.length} lines, gaps ${beats
        .slice(1)
        .map((b, i) => b.at - beats[i].at)
        .join(', ')} ms`
    )
    expect(beats.length).toBeGreaterThanOrEqual(2)
    // Bound: 10 s, plus 1.5 s for a loaded 2-core machine delivering the pipe late.
    for (let i = 1; i < beats.length; i++)
      expect(beats[i].at - beats[i - 1].at).toBeLessThanOrEqual(11_500)
    // The first beat says how long the wait had been going: at most 10 s (8 s by design).
    const firstSpent = /\((\d+(?:\.\d+)?)s spent/.exec(beats[0].text)
    expect(Number(firstSpent?.[1])).toBeLessThanOrEqual(10)
    // Status now: the Pod is not Ready yet while the beat runs.
    expect(beats[0].text).toMatch(/InProgress/)
    // The verdict (written when the gate ends) comes after the beats: the tracer passed after ≥ 30 s.
    const lastBeat = run.lines.indexOf(beats[beats.length - 1])
    const report = JSON.parse(
      readFileSync(join(work, 'runner-temp', 'phase-gate', 'tracer.json'), 'utf8')
    ) as { verdict: string; gates: { checks: { data?: { readyAfterMs?: number } }[] }[] }
    expect(report.verdict).toBe('pass')
    expect(report.gates[0].checks[0].data?.readyAfterMs).toBeGreaterThanOrEqual(29_000)
    // The gate's output sits in one log group around the beats.
    const groupStart = run.lines.findIndex(l => l.text === '::group::phase-gate tracer')
    const groupEnd = run.lines.findIndex(l => l.text === '::endgroup::')
    expect(groupStart).toBeGreaterThanOrEqual(0)
    expect(groupEnd).toBeGreaterThan(lastBeat)
    expect(groupStart).toBeLessThan(run.lines.indexOf(beats[0]))
    expect(all).not.toMatch(/internal error/)
  }, 240_000)

  it('the CLI without a TTY prints the same heartbeat on stderr (a tracer Ready after 20 s)', async () => {
    writeFileSync(
      join(workspace, 'cli.yaml'),
      readFileSync(join(workspace, 'phase-gate.yaml'), 'utf8')
        .replace('name: heartbeat', 'name: heartbeat-cli')
        .replace('tracers/slow.yaml', 'tracers/slow-cli.yaml')
    )
    writeFileSync(
      join(workspace, 'tracers', 'slow-cli.yaml'),
      readFileSync(join(workspace, 'tracers', 'slow.yaml'), 'utf8')
        .replace('name: slow', 'name: slow-cli')
        .replace('ready-after: 30s', 'ready-after: 20s')
    )
    const lines: Line[] = []
    const stderr = {
      isTTY: false,
      write: (s: string | Uint8Array) => {
        for (const text of s.toString().split('\n').filter(Boolean))
          lines.push({ at: Date.now(), text })
        return true
      }
    } as unknown as NodeJS.WriteStream
    const stdout = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream
    const code = await main(
      ['check', 'cli.yaml', '--gate', 'tracer', '--kubeconfig', clusterEnv().kubeconfig],
      { stdout, stderr, env: { NO_COLOR: '1' }, cwd: workspace }
    )
    expect(code).toBe(0)
    const beats = lines.filter(l =>
      /^tracer: slow: waiting for .* of Pod (\S+\/)?slow-cli — .* left\)$/.test(l.text)
    )
    expect(beats.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < beats.length; i++)
      expect(beats[i].at - beats[i - 1].at).toBeLessThanOrEqual(11_500)
  }, 120_000)
})
