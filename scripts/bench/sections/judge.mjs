// Judging a stage (queries aside): the canary judge's statistics over 10,000
// samples per track (a mann-whitney comparison with the Hodges-Lehmann
// interval) plus a proportion comparison, in a bundled probe; each round is
// the probe's median over 21 in-process timings. Target: under 5 ms. Needs
// no cluster. Writes docs/figures/judge-bench.json.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../lib.mjs'

const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const TARGET_MS = 5
const SAMPLES = 10_000

export default {
  name: 'judge',
  title: `judging a stage with ${SAMPLES.toLocaleString('en')} samples per track (target < ${TARGET_MS} ms)`,
  needsCli: false,
  needsCluster: false,

  async setup({ log }) {
    const dir = mkdtempSync(join(tmpdir(), 'phase-gate-bench-judge-'))
    execFileSync(
      process.execPath,
      [
        NCC,
        'build',
        join(ROOT, 'scripts', 'bench', 'judge-probe.ts'),
        '-o',
        dir,
        '-q',
        '--transpile-only'
      ],
      { cwd: ROOT, stdio: 'pipe' }
    )
    const probe = [join(dir, 'index.mjs'), join(dir, 'index.js')].find(p => existsSync(p))
    log(`judge probe bundled into ${dir}`)
    return { dir, probe, cpu: [] }
  },

  variants(state) {
    return [
      {
        name: `judge a stage (${SAMPLES} samples per track)`,
        run: async () => {
          const out = execFileSync(process.execPath, [state.probe, String(SAMPLES), '21'], {
            encoding: 'utf8'
          })
          const r = JSON.parse(out.trim().split('\n').pop())
          state.cpu.push(r.cpuMedianMs)
          return { ms: r.medianMs, ok: true, detail: out }
        }
      }
    ]
  },

  summarize(state, results) {
    const [r] = results
    const ms = r.median
    // The warm-up round's CPU time is the first; the rounds' are the rest.
    const cpuRounds = state.cpu.slice(1).sort((a, b) => a - b)
    const cpu = cpuRounds[cpuRounds.length >> 1]
    const met = ms < TARGET_MS
    const command = 'node scripts/bench.mjs --section judge'
    const at = new Date().toISOString()
    const figure = (value, text) => ({
      value: Number(value.toFixed(3)),
      unit: 'ms',
      text,
      command,
      measuredAt: at
    })
    writeFileSync(
      join(ROOT, 'docs', 'figures', 'judge-bench.json'),
      `${JSON.stringify(
        {
          judgeStage10k: figure(ms, `${ms.toFixed(2)} ms`),
          judgeStage10kCpu: figure(cpu, `${cpu.toFixed(2)} ms`)
        },
        null,
        2
      )}\n`
    )
    return {
      lines: [
        `judging a stage, ${SAMPLES} samples per track: median ${ms.toFixed(2)} ms wall, ${cpu.toFixed(2)} ms CPU (target < ${TARGET_MS} ms wall: ${met ? 'met' : 'MISSED'}); written to docs/figures/judge-bench.json`
      ],
      met
    }
  },

  async teardown(state, { keep, log }) {
    if (keep) log(`kept ${state.dir}`)
    else rmSync(state.dir, { recursive: true, force: true })
  }
}
