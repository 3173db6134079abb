// `npm run bench`: phase-gate against what users would otherwise run, on the
// local cluster (brought up like the integration tests do). Each section
// times its variants interleaved, several rounds, and prints the medians and
// their ratio. Sections live in scripts/bench/sections/. Each section's
// figures, beside their targets, go to docs/figures/bench.json (merged, so
// one section run updates only its own); `npm run figures` renders them into
// README.md. A figure taken while the machine was busy says so: its text
// carries the load average (over 1 per core) of when it was measured.
//
//   node scripts/bench.mjs [--iterations N] [--section NAME] [--keep] [--no-bundle] [--verbose]
//   PHASE_GATE_BENCH_DIST=DIR measures the bundle in DIR (DIR/index.js, DIR/cli/index.js);
//   PHASE_GATE_BENCH_FRESH=1 bundles this checkout into a temporary directory first.
//   PHASE_GATE_SHARED_CLUSTER=DIR uses the cluster running in DIR without restarting it.
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { clusterEnvVars, readClusterState, startCluster } from './cluster/lib.mjs'
import { ROOT, locateCli, measure, seconds } from './bench/lib.mjs'
import { SECTIONS } from './bench/sections/index.mjs'
import { FIGURES_DIR, figure, writeFigureFile } from './figures/lib.mjs'

const { values: opts } = parseArgs({
  options: {
    iterations: { type: 'string', short: 'n', default: '5' },
    section: { type: 'string', multiple: true },
    keep: { type: 'boolean', default: false },
    'no-bundle': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (opts.help) {
  console.log(
    `usage: node scripts/bench.mjs [--iterations N] [--section ${SECTIONS.map(s => s.name).join('|')}] [--keep] [--no-bundle] [--verbose]`
  )
  process.exit(0)
}
const iterations = Number(opts.iterations)
if (!Number.isInteger(iterations) || iterations < 1) {
  console.error('--iterations must be a positive integer')
  process.exit(2)
}
const chosen = opts.section?.length ? SECTIONS.filter(s => opts.section.includes(s.name)) : SECTIONS
if (chosen.length === 0) {
  console.error(`no such section; sections: ${SECTIONS.map(s => s.name).join(', ')}`)
  process.exit(2)
}

const log = m => console.log(m)
const debug = opts.verbose ? log : () => {}

// Sections that time pure code (the judge) need neither the cluster nor the CLI.
const needsCluster = chosen.some(s => s.needsCluster !== false)
const needsCli = chosen.some(s => s.needsCli !== false)
// PHASE_GATE_SHARED_CLUSTER=DIR: the cluster already running in DIR (as the integration tests use it).
const shared = process.env.PHASE_GATE_SHARED_CLUSTER
const state = !needsCluster
  ? undefined
  : shared
    ? readClusterState(shared)
    : await startCluster({ log: m => debug(`[cluster] ${m}`) })
if (needsCluster && !state) {
  console.error(`PHASE_GATE_SHARED_CLUSTER=${shared}: no cluster state there`)
  process.exit(2)
}
const env = state ? { ...process.env, ...clusterEnvVars(state) } : { ...process.env }
const cli = needsCli
  ? await locateCli({ bundle: !opts['no-bundle'], log })
  : { path: undefined, note: 'not needed' }
if (needsCli) log(`phase-gate under test: ${cli.note}`)
const ctx = {
  env,
  kubeconfig: state?.kubeconfig,
  kubectl: state ? join(state.bin, 'kubectl') : undefined,
  registry: state?.registry.open,
  cli: cli.path,
  action: cli.action,
  root: ROOT,
  log: debug
}

let missed = false
const published = {}
const cores = availableParallelism()
for (const section of chosen) {
  log(`\n== ${section.name}: ${section.title}`)
  const loadBefore = loadavg()[0]
  if (!cli.path && section.needsCli !== false) {
    log(`skipped: ${cli.note}`)
    continue
  }
  const s = await section.setup(ctx)
  try {
    const results = await measure(section.variants(s), iterations, debug)
    const width = Math.max(...results.map(r => r.name.length))
    for (const r of results)
      log(
        `${r.name.padEnd(width)}  median ${seconds(r.median)}  (${r.samples.map(seconds).join(', ')})`
      )
    const { lines, met, figures = {} } = section.summarize(s, results)
    for (const l of lines) log(l)
    if (met === false) missed = true
    const load = Math.max(loadBefore, loadavg()[0])
    const busy = load > cores
    if (busy) log(`measured under load: load average ${load.toFixed(1)} on ${cores} cores`)
    const command = `npm run bench -- --section ${section.name} --iterations ${iterations} && npm run figures`
    for (const [id, f] of Object.entries(figures))
      published[`${section.name}.${id}`] = figure(f.value, f.unit ?? '', f.text, command)
    published[`${section.name}.conditions`] = figure(
      load,
      'load average',
      `${busy ? 'under load' : 'on a quiet machine'} (load average ${load.toFixed(1)} on ${cores} cores, ${iterations} round${iterations === 1 ? '' : 's'}, node ${process.version})`,
      command
    )
  } finally {
    await section.teardown(s, { keep: opts.keep, log })
  }
}
log(
  `\n${iterations} round${iterations === 1 ? '' : 's'} per variant after one warm-up; machine: ${process.platform} ${process.arch}, node ${process.version}`
)
if (Object.keys(published).length) {
  const path = writeFigureFile(FIGURES_DIR, 'bench', published)
  log(`figures written to ${path}; npm run figures renders them into README.md`)
}
process.exitCode = missed ? 1 : 0
