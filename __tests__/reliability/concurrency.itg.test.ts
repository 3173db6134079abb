// Two runs at once, as real processes against the real apiserver: runs of
// one plan on one namespace take turns on the Lease (the second waits, then
// proceeds; or fails clearly at its bound, naming the holder), and neither
// touches the other's objects. Ten action processes updating the sticky PR
// comment at once, twice, leave exactly one comment holding all ten sections,
// each at its latest content.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunReport } from '../../src/report/model.js'
import { parseComment } from '../../src/report/comment.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectlJson
} from '../support/cluster-env.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-standin.mjs'
import { freshBundle, type Bundle } from './bundle.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

let bundle: Bundle
let ns: string
let work: string
const figures: Record<string, unknown> = {}

const PLAN = (namespace: string, phases = 0) => `version: 1
name: concurrency
target: {namespace: ${namespace}}
tracers:
  - name: slow
    assumption: a pod turns Ready within a few seconds
    manifest: {file: tracers/slow.yaml}
    success: {ready: true}
    timeout: 60s
${phases ? `phases:\n${Array.from({ length: phases }, (_, i) => `  - name: p${i}\n    apply: [deploy/cm${i}.yaml]\n`).join('')}` : ''}`

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('concurrency')
  work = await mkdtemp(join(tmpdir(), 'pg-conc-'))
  await mkdir(join(work, 'tracers'))
  await mkdir(join(work, 'deploy'))
  await writeFile(join(work, 'phase-gate.yaml'), PLAN(ns))
  await writeFile(join(work, 'comment.yaml'), PLAN(ns, 10))
  for (let i = 0; i < 10; i++)
    await writeFile(
      join(work, 'deploy', `cm${i}.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${i}}\ndata: {i: "${i}"}\n`
    )
  await writeFile(
    join(work, 'tracers', 'slow.yaml'),
    `apiVersion: v1
kind: Pod
metadata:
  name: tracer-slow
  labels: {phase-gate.test/simulate: slow-ready}
  annotations: {phase-gate.test/ready-after: 3s}
spec: {containers: [{name: app, image: registry.invalid/web:1}]}
`
  )
}, 240_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
  writeFigures('concurrency', figures)
  const turns = figures.turns as
    { first: string; second: string; secondWaitedNote?: string } | undefined
  const bounded = figures.bounded as { code: number | null; message: string } | undefined
  const comment = figures.comment as
    | {
        writers: number
        rounds: number
        comments: number
        sections: number
        writes: number
        injected502: number
      }
    | undefined
  if (!turns || !bounded || !comment) return
  const cell = (t: string): string => t.replace(/\|/g, '\\|')
  publishFigures(
    'concurrency',
    {
      table: {
        value: comment.comments,
        unit: 'comments',
        text: `\n${markdownTable(
          ['case', 'measured'],
          [
            [
              'two runs of one plan on one namespace (real processes)',
              cell(
                `${turns.first} took the Lease, ${turns.second} waited: "${turns.secondWaitedNote ?? ''}"; both passed, neither removed the other's objects`
              )
            ],
            [
              'a run past its `--lock-wait`',
              cell(`exit ${bounded.code}: "${bounded.message}"; nothing touched`)
            ],
            [
              'concurrent sticky-comment updates',
              `${comment.rounds} rounds of ${comment.writers / comment.rounds} action processes at once (${comment.writers} writers, ${comment.writes} comment writes, ${comment.injected502} injected 502s): **${comment.comments} comment${comment.comments === 1 ? '' : 's'}** holding **${comment.sections} sections**, each at its latest content`
            ]
          ]
        )}`
      }
    },
    suiteCommand('itg', '__tests__/reliability/concurrency.itg.test.ts')
  )
})

function cli(
  args: string[]
): Promise<{ code: number | null; stderr: string; startedAt: number; endedAt: number }> {
  return new Promise(resolve => {
    const startedAt = Date.now()
    const child = spawn(process.execPath, [bundle.cli, ...args, '--namespace', ns], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', code => resolve({ code, stderr, startedAt, endedAt: Date.now() }))
  })
}

const report = async (name: string): Promise<RunReport> =>
  JSON.parse(await readFile(join(work, `${name}.json`), 'utf8')) as RunReport

async function tracerObjects(): Promise<string[]> {
  const out = await kubectlJson<{
    items: { metadata: { name: string; labels?: Record<string, string> } }[]
  }>(['get', 'pods', '-n', ns, '-l', 'phase-gate.dev/role=tracer'])
  return out.items.map(i => `${i.metadata.name}@${i.metadata.labels?.['phase-gate.dev/run']}`)
}

describe('two runs of one plan on one namespace', () => {
  it("take turns on the Lease: the second waits for the first, both pass, neither removes the other's objects", async () => {
    // Both fire the same tracer (same object name): without the lock, one's cleanup would delete the other's pod mid-wait.
    const seen = new Set<string>()
    let watching = true
    const watcher = (async () => {
      while (watching) {
        for (const o of await tracerObjects().catch(() => [])) seen.add(o)
        await new Promise(r => setTimeout(r, 100))
      }
    })()
    const [a, b] = await Promise.all([
      cli([
        'check',
        'phase-gate.yaml',
        '--gate',
        'tracer',
        '--run-id',
        'conc-a',
        '--report',
        join(work, 'conc-a.json'),
        '--lock-wait',
        '2m'
      ]),
      cli([
        'check',
        'phase-gate.yaml',
        '--gate',
        'tracer',
        '--run-id',
        'conc-b',
        '--report',
        join(work, 'conc-b.json'),
        '--lock-wait',
        '2m'
      ])
    ])
    watching = false
    await watcher
    expect({ a: a.code, b: b.code, stderr: a.stderr + b.stderr }).toEqual({
      a: 0,
      b: 0,
      stderr: a.stderr + b.stderr
    })
    const [ra, rb] = [await report('conc-a'), await report('conc-b')]
    // Exactly one waited, and its report says for whom.
    const waited = [ra, rb].filter(r =>
      (r.gates[0].notes ?? []).some(n => /^waited .* for run conc-[ab] to release Lease /.test(n))
    )
    expect(waited).toHaveLength(1)
    const [first, second] = waited[0] === rb ? [ra, rb] : [rb, ra]
    expect(second.gates[0].notes?.join('\n')).toMatch(
      new RegExp(`waited .* for run ${first.runId} to release Lease ${ns}/phase-gate-concurrency`)
    )
    expect([a, b].find((_, i) => [ra, rb][i] === second)?.stderr).toMatch(
      new RegExp(`Lease ${ns}/phase-gate-concurrency is held by run ${first.runId} \\(tracer\\)`)
    )
    // They did not overlap: each tracer takes 3 s to turn ready, so the second finished at least that much later.
    expect(Date.parse(second.finishedAt) - Date.parse(first.finishedAt)).toBeGreaterThan(2500)
    // Both runs' pods existed (each its own turn) and neither is left.
    expect([...seen].map(s => s.split('@')[1]).sort()).toEqual(
      expect.arrayContaining(['conc-a', 'conc-b'])
    )
    expect(await tracerObjects()).toEqual([])
    figures.turns = {
      first: first.runId,
      second: second.runId,
      secondWaitedNote: second.gates[0].notes?.[0]
    }
  }, 180_000)

  it('a run that cannot get the lock within its bound fails clearly (exit 3), naming the holder, and touches nothing', async () => {
    const holder = cli([
      'check',
      'phase-gate.yaml',
      '--gate',
      'tracer',
      '--run-id',
      'conc-holder',
      '--report',
      join(work, 'conc-holder.json')
    ])
    // Let the holder take the lock and apply its pod.
    const end = Date.now() + 30_000
    while (!(await tracerObjects()).some(o => o.endsWith('@conc-holder'))) {
      if (Date.now() > end) throw new Error('the holder never applied its tracer')
      await new Promise(r => setTimeout(r, 100))
    }
    const late = await cli([
      'check',
      'phase-gate.yaml',
      '--gate',
      'tracer',
      '--run-id',
      'conc-late',
      '--report',
      join(work, 'conc-late.json'),
      '--lock-wait',
      '1s'
    ])
    expect({ code: late.code, stderr: late.stderr }).toEqual({ code: 3, stderr: late.stderr })
    const r = await report('conc-late')
    expect(r.verdict).toBe('error')
    const check = r.gates[0].checks[0]
    expect(check.message).toMatch(
      new RegExp(
        `another run of plan concurrency holds the lock on namespace ${ns}: run conc-holder \\(tracer\\), holding it since .*; waited 1\\.\\d+s`
      )
    )
    expect(check.adjustment).toMatch(
      /--lock-wait.*kubectl -n .* delete lease phase-gate-concurrency/
    )
    // The late run made nothing: no object, no state record.
    const secrets = await kubectlJson<{ items: { metadata: { name: string } }[] }>([
      'get',
      'secrets',
      '-n',
      ns
    ])
    expect(secrets.items.map(s => s.metadata.name)).not.toContain(
      'phase-gate-concurrency-conc-late'
    )
    expect((await tracerObjects()).filter(o => o.endsWith('@conc-late'))).toEqual([])
    // The holder, untouched, finishes and passes.
    expect((await holder).code).toBe(0)
    expect(await tracerObjects()).toEqual([])
    figures.bounded = { code: late.code, message: check.message }
  }, 180_000)
})

describe('ten concurrent updates of the sticky PR comment', () => {
  let standIn: GitHubStandIn
  beforeAll(async () => {
    standIn = await startGitHubStandIn({
      latencyMs: [0, 40],
      state: {
        pulls: {
          '9': { number: 9, head: { sha: 'b'.repeat(40), ref: 'f' }, base: { ref: 'main' } }
        }
      }
    })
  })
  afterAll(async () => {
    await standIn?.close()
  })

  async function round(runId: string): Promise<(number | null)[]> {
    const event = join(work, 'event.json')
    await writeFile(
      event,
      JSON.stringify({ pull_request: { number: 9, head: { sha: 'b'.repeat(40) } } })
    )
    const kubeconfig = await readFile(clusterEnv().kubeconfig, 'utf8')
    return Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const job = join(work, `job-${runId}-${i}`)
        await mkdir(join(job, 'temp'), { recursive: true })
        for (const f of ['state', 'output', 'summary']) await writeFile(join(job, f), '')
        return new Promise<number | null>(resolve => {
          const child = spawn(process.execPath, [bundle.action], {
            cwd: work,
            stdio: 'ignore',
            env: {
              PATH: process.env.PATH,
              GITHUB_ACTIONS: 'true',
              GITHUB_STATE: join(job, 'state'),
              GITHUB_OUTPUT: join(job, 'output'),
              GITHUB_STEP_SUMMARY: join(job, 'summary'),
              RUNNER_TEMP: join(job, 'temp'),
              GITHUB_WORKSPACE: work,
              GITHUB_REPOSITORY: 'octo/app',
              GITHUB_API_URL: standIn.url,
              GITHUB_SERVER_URL: 'https://github.example',
              GITHUB_EVENT_PATH: event,
              GITHUB_RUN_ID: runId,
              INPUT_GATE: 'phase',
              INPUT_PHASE: `p${i}`,
              INPUT_PLAN: 'comment.yaml',
              'INPUT_RUN-ID': `comment-${runId}-${i}`,
              INPUT_NAMESPACE: ns,
              INPUT_KUBECONFIG: kubeconfig,
              'INPUT_GITHUB-TOKEN': 'test-token',
              INPUT_COMMENT: 'true',
              // A server-side dry run: no lock, so all ten write their sections at the same time.
              'INPUT_DRY-RUN': 'true'
            }
          })
          child.on('exit', code => resolve(code))
        })
      })
    )
  }

  it('leave exactly one comment holding all ten sections, each at its latest content', async () => {
    expect(await round('1001')).toEqual(Array(10).fill(0))
    // Some writes fail as GitHub's do now and then; the protocol must still converge.
    standIn.setFault({ status: 502, count: 3, match: { method: 'PATCH' } })
    expect(await round('1002')).toEqual(Array(10).fill(0))
    const comments = standIn.commentsOn(9)
    expect(comments).toHaveLength(1)
    const sections = parseComment(comments[0].body).sections
    expect(sections.map(s => s.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `phase:p${i}`).sort()
    )
    for (const s of sections)
      expect({ id: s.id, latest: s.body.includes('/actions/runs/1002') }).toEqual({
        id: s.id,
        latest: true
      })
    // One gate table for the whole comment, rebuilt from every section's rows: ten rows, in plan order.
    const body = comments[0].body
    expect(body.match(/\| Gate \| Verdict \| Checks \| Time \|/g)).toHaveLength(1)
    expect(
      body
        .split('\n')
        .filter((l: string) => l.startsWith('| `phase` '))
        .map((l: string) => l.split(' | ')[0])
    ).toEqual(Array.from({ length: 10 }, (_, i) => `| \`phase\` p${i}`))
    const writes = standIn.requests.filter(
      r => ['POST', 'PATCH'].includes(r.method) && r.path.includes('/comments')
    )
    figures.comment = {
      writers: 20,
      rounds: 2,
      comments: comments.length,
      sections: sections.length,
      writes: writes.length,
      injected502: 3
    }
  }, 300_000)
})
