// Shared pieces of `npm run bench`: timing a command, medians, the CLI to
// measure (the committed bundle, or a fresh one in a temporary directory),
// and the table the sections print. A section is a module under
// scripts/bench/sections/ registered in sections/index.mjs.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Runs a program to its end; resolves with exit code, output and wall-clock milliseconds (never rejects). */
export function timed(cmd, args, { cwd, env, input, timeoutMs = 300_000 } = {}) {
  return new Promise(resolvePromise => {
    const started = process.hrtime.bigint()
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('error', err => {
      clearTimeout(timer)
      resolvePromise({ code: 127, stdout, stderr: String(err), ms: 0 })
    })
    child.on('close', code => {
      clearTimeout(timer)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      resolvePromise({ code: code ?? 1, stdout, stderr, ms })
    })
    child.stdin.end(input ?? '')
  })
}

/** The median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Seconds with two decimals. */
export const seconds = ms => `${(ms / 1000).toFixed(2)} s`

/**
 * The CLI to measure: `dist/cli/index.js` when the bundle is committed;
 * otherwise, unless `bundle` is false, a fresh bundle in a temporary
 * directory (the same ncc build `npm run bundle` makes). Returns the path and
 * a sentence saying which one it is.
 */
export async function locateCli({ bundle = true, log = console.log } = {}) {
  // A bundle built elsewhere (for example scripts/bundle.mjs into a temporary directory).
  const given = process.env.PHASE_GATE_BENCH_DIST
  if (given)
    return {
      path: join(given, 'cli', 'index.js'),
      action: join(given, 'index.js'),
      note: `the bundle in ${given} (PHASE_GATE_BENCH_DIST)`
    }
  // A CLI bundle made elsewhere (a branch's own, without touching dist/).
  const cliGiven = process.env.PHASE_GATE_BENCH_CLI
  if (cliGiven) return { path: cliGiven, note: `PHASE_GATE_BENCH_CLI=${cliGiven}` }
  const committed = join(ROOT, 'dist', 'cli', 'index.js')
  if (existsSync(committed) && !process.env.PHASE_GATE_BENCH_FRESH)
    return {
      path: committed,
      action: join(ROOT, 'dist', 'index.js'),
      note: 'the committed bundle dist/cli/index.js (PHASE_GATE_BENCH_FRESH=1 bundles this checkout instead)'
    }
  if (!bundle)
    return {
      path: undefined,
      note: 'dist/ does not exist (run npm run bundle, or drop --no-bundle)'
    }
  const out = mkdtempSync(join(tmpdir(), 'phase-gate-bench-dist-'))
  log(
    `${existsSync(committed) ? 'PHASE_GATE_BENCH_FRESH' : 'dist/ does not exist'}: bundling the CLI into ${out} with scripts/bundle.mjs (npm run bundle makes dist/ for next time)`
  )
  const r = await timed(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), out], {
    cwd: ROOT,
    env: process.env
  })
  const path = join(out, 'cli', 'index.js')
  if (r.code !== 0 || !existsSync(path))
    throw new Error(`bundling failed (exit ${r.code}):\n${r.stderr || r.stdout}`)
  return { path, action: join(out, 'index.js'), note: `a fresh bundle of this checkout (${path})` }
}

/**
 * Measures the variants of a section: one warm-up run each (not counted),
 * then `iterations` rounds with the variants interleaved so drift hits all alike.
 */
export async function measure(variants, iterations, log = () => {}) {
  const samples = variants.map(() => [])
  const last = variants.map(() => undefined)
  for (let round = -1; round < iterations; round++) {
    for (const [i, v] of variants.entries()) {
      const r = await v.run()
      if (!r.ok) throw new Error(`${v.name} failed${round < 0 ? ' (warm-up)' : ''}: ${r.detail}`)
      last[i] = r
      if (round >= 0) samples[i].push(r.ms)
      log(`  ${round < 0 ? 'warm-up' : `round ${round + 1}`}: ${v.name} ${seconds(r.ms)}`)
    }
  }
  return variants.map((v, i) => ({
    name: v.name,
    samples: samples[i],
    median: median(samples[i]),
    last: last[i]
  }))
}
