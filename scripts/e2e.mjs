// `npm run e2e`: every example's caller workflow run the way GitHub runs it,
// on this machine. act (built from the Go module proxy, cached) runs the
// workflows on the host (no Docker), offline, against the local cluster,
// registries and Prometheus, a local GitHub API stand-in, and a traffic data
// plane for the canary; the action reference phase-gate/phase-gate@v1 is
// mapped to a copy of this checkout with a fresh bundle, the remote actions
// to local stand-ins (__tests__/e2e/). Each scenario then checks the final
// state, prints one row (workflow, jobs in order with their verdicts,
// duration), and the run ends with `N passed, N failed` (exit 1 on a failure).
//
// A second control run follows scenario 7 (the halted fleet release): the
// same scenario against a fleet-deploy.yml whose halt job never runs. It must
// fail on what the cluster shows (wave 1's cluster not back at its previous
// release).
//
// A control run follows scenario 3: the same scenario against a bundle whose
// rollout gate claims every traffic shift without making it
// (__tests__/e2e/mutant.mjs, built in a temporary directory). It must fail,
// on what the data plane saw; if it passes, the suite is blind and fails.
//
//   npm run e2e [-- --only 1,4] [--action-dist DIR] [--docs] [--keep] [--no-control]
//
// --only          run these scenarios (numbers)
// --action-dist   use this bundle as the action's dist/ instead of bundling the
//                 sources (to try a build of one's own)
// --docs          also write the pictures of scenarios 1 and 4 into docs/
//                 (they are always rendered under .e2e/pictures/)
// --keep          keep the scenarios' namespaces for a look afterwards
// --no-control    skip the control run
//
// PHASE_GATE_SHARED_CLUSTER=DIR uses the cluster (and its local fleet) already
// running in DIR, as the integration tests do, without starting or restarting
// anything; otherwise this checkout's .cluster is started (idempotent), with a
// local fleet of FLEET_SIZE members for the fleet scenarios.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAct, freePort } from '../__tests__/e2e/act.mjs'
import { bundleMutant } from '../__tests__/e2e/mutant.mjs'
import { renderPictures } from '../__tests__/e2e/pictures.mjs'
import { FLEET_ALIASES, Findings, SCENARIOS, jobLabel } from '../__tests__/e2e/scenarios.mjs'
import {
  buildActionRepository,
  buildStandIns,
  copyActionRepository,
  deployKubeconfig,
  FLEET_NO_HALT,
  failFastJobs,
  fleetKubeconfig,
  localRepositoryFlags,
  prepareCallerRepository,
  usesOf,
  writeSecrets
} from '../__tests__/e2e/workspace.mjs'
import { unzipEntries } from '../__tests__/e2e/actions/shared/zip.mjs'
import { startGitHubStandIn } from '../__tests__/support/github-standin.mjs'
import {
  clusterEnvVars,
  clusterHealth,
  ensureTool,
  readClusterState,
  startCluster,
  startFleet
} from './cluster/lib.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const e2e = join(root, '.e2e')
const args = process.argv.slice(2)
const opt = name => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const only = opt('--only')
  ?.split(',')
  .map(Number)
  .filter(n => n > 0)
const actionDist = opt('--action-dist') ? resolve(opt('--action-dist')) : undefined
const TOKEN = 'test-token'
const log = line => process.stderr.write(`[e2e] ${line}\n`)
const started = Date.now()
const seconds = ms => `${(ms / 1000).toFixed(1)}s`

// ------------------------------------------------------------- set-up ---

/** The fleet scenarios' clusters: the local fleet's members (contexts phase-gate-fleet-1..N). */
const FLEET_SIZE = Object.keys(FLEET_ALIASES).length
const FLEET_CONTEXTS = [...new Set(Object.values(FLEET_ALIASES))]
const state = await clusterState()
const clusterEnv = clusterEnvVars(state)
const act = await ensureTool('act', { log: line => log(`tools: ${line}`) })
ensureChromium()

/**
 * The running cluster: PHASE_GATE_SHARED_CLUSTER's as it is (healthy, with its
 * fleet), else this checkout's, started (or reused) with a fleet when a chosen
 * scenario needs one.
 */
async function clusterState() {
  const shared = process.env.PHASE_GATE_SHARED_CLUSTER
  const needFleet = SCENARIOS.some(x => x.fleet && (!only || only.includes(x.id)))
  if (shared) {
    const s = readClusterState(shared)
    if (!s) throw new Error(`PHASE_GATE_SHARED_CLUSTER=${shared}: no cluster state there`)
    const down = Object.entries((await clusterHealth(shared)).components).filter(
      ([, c]) => !c.healthy
    )
    if (down.length)
      throw new Error(
        `PHASE_GATE_SHARED_CLUSTER=${shared}: not healthy: ${down.map(([n]) => n).join(', ')}`
      )
    const missing = FLEET_CONTEXTS.filter(c => !(s.fleet ?? []).includes(c))
    if (needFleet && missing.length)
      throw new Error(
        `PHASE_GATE_SHARED_CLUSTER=${shared}: no fleet member ${missing.join(', ')} (npm run cluster:up -- --fleet ${FLEET_SIZE} in its checkout)`
      )
    log(`cluster: shared, from ${shared}${needFleet ? ` (fleet: ${s.fleet.join(', ')})` : ''}`)
    return s
  }
  const s = await startCluster({ log: line => log(`cluster: ${line}`) })
  if (!needFleet) return s
  const fleet = await startFleet({ dir: s.dir, count: FLEET_SIZE, log: l => log(`fleet: ${l}`) })
  log(`fleet of ${FLEET_SIZE} up in ${fleet.seconds.toFixed(1)}s`)
  return readClusterState(s.dir)
}
mkdirSync(e2e, { recursive: true })
log(actionDist ? `action dist/ from ${actionDist}` : 'bundling the action from the sources')
const actionDir = buildActionRepository(join(e2e, 'phase-gate'), { dist: actionDist })
const standIns = buildStandIns(join(e2e, 'stand-ins'))

function kubectl(argv, { namespace, input, context } = {}) {
  const r = spawnSync(
    join(state.bin, 'kubectl'),
    [...(context ? ['--context', context] : []), ...(namespace ? ['-n', namespace] : []), ...argv],
    {
      env: { ...process.env, KUBECONFIG: state.kubeconfig },
      encoding: 'utf8',
      input
    }
  )
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The e2e pictures need Chromium; a fresh machine gets it from apt, as the cluster's packages. */
function ensureChromium() {
  if (
    process.env.CHROMIUM ||
    existsSync('/usr/bin/chromium') ||
    existsSync('/usr/bin/chromium-browser')
  )
    return
  // As root, apt-get; otherwise through sudo when it asks for no password (a CI runner).
  const root = process.getuid?.() === 0
  if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0)
    throw new Error(
      'Chromium is missing: sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chrome)'
    )
  log('installing chromium with apt-get')
  const aptGet = argv =>
    spawnSync(
      root ? 'apt-get' : 'sudo',
      root ? argv : ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...argv],
      {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        stdio: 'inherit'
      }
    )
  const install = () => aptGet(['install', '-y', '-qq', '--no-install-recommends', 'chromium'])
  if (install().status !== 0) {
    aptGet(['update', '-qq'])
    if (install().status !== 0) throw new Error('apt-get install chromium failed')
  }
}

// ------------------------------------------------------------ a run ---

async function runScenario(scenario, { actionDir, tag = '' }) {
  const runId = String(Date.now()).slice(-9) + String(scenario.id)
  const runDir = join(e2e, 'runs', `${scenario.id}-${scenario.example}${tag}`)
  rmSync(runDir, { recursive: true, force: true })
  mkdirSync(runDir, { recursive: true })
  const namespace = `e2e${scenario.id}-${scenario.example}-${runId.slice(-6)}`
  const adjustments = []
  const findings = new Findings()
  const s = {
    runId,
    runDir,
    namespace,
    state,
    log,
    adjust: text => adjustments.push(text),
    kubectl: argv => kubectl(argv, { namespace }).stdout,
    // Every job that ran a gate left its job summary (act logs each step's summary).
    checkSummaries(f, result) {
      const gateJobs = result.jobs.filter(j => j.outputs['gate.verdict'])
      const missing = gateJobs.filter(j => j.summaries.length === 0).map(jobLabel)
      f.check(
        gateJobs.length > 0 && missing.length === 0,
        `every gate job wrote its job summary (${gateJobs.length} saved under summaries/)`,
        `no summary from ${missing.join(', ') || 'any job'}`
      )
    },
    kubectlJson(argv, context) {
      const r = kubectl([...argv, '-o', 'json'], { namespace, context })
      if (r.code !== 0) return undefined
      return JSON.parse(r.stdout)
    },
    // A fleet member's kubectl (context phase-gate-fleet-N), in the scenario's namespace.
    kubectlAt: (context, argv, input) => kubectl(argv, { namespace, context, input }),
    fleetContexts: FLEET_CONTEXTS
  }

  // The target namespace exists before a deployment, as on a real cluster.
  const ns = kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'phase-gate.dev/e2e': 'true' }
      }
    })
  })
  if (ns.code !== 0) throw new Error(`cannot create namespace ${namespace}: ${ns.stderr}`)
  // A fleet scenario's namespace exists on every member too.
  for (const context of scenario.fleet ? FLEET_CONTEXTS : []) {
    const r = kubectl(['create', 'namespace', namespace], { context })
    if (r.code !== 0)
      throw new Error(`cannot create namespace ${namespace} on ${context}: ${r.stderr}`)
  }

  const repo = prepareCallerRepository({
    runDir,
    example: scenario.example,
    repository: scenario.repository,
    edit: dir => {
      s.repo = dir
      scenario.setup(s)
    }
  })
  Object.assign(s, repo)
  const standIn = await startGitHubStandIn({
    repository: scenario.repository,
    state: scenario.standIn(s)
  })
  s.standInState = () => standIn.state
  s.standInRequests = () => standIn.requests
  const artifacts = join(runDir, 'artifacts')
  mkdirSync(join(artifacts, runId), { recursive: true })
  // Report artifacts carry the run attempt (phase-gate-report-<job>-<attempt>): the newest attempt's.
  const attemptOf = name => {
    const dir = join(artifacts, runId)
    const attempts = readdirSync(dir)
      .map(d => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(d))
      .filter(Boolean)
      .sort((a, b) => Number(b[1]) - Number(a[1]))
    return attempts.length ? attempts[0][0] : name
  }
  s.artifactReport = (name, file) => {
    name = existsSync(join(artifacts, runId, name)) ? name : attemptOf(name)
    const zip = join(artifacts, runId, name, `${name}.zip`)
    if (!existsSync(zip)) return undefined
    const entry = unzipEntries(readFileSync(zip)).find(e =>
      file ? e.name === file : e.name.endsWith('.json')
    )
    return entry ? JSON.parse(entry.data.toString('utf8')) : undefined
  }
  // Every file of an artifact as text, by its name in the archive (undefined: no such artifact).
  s.artifactFiles = name => {
    const zip = join(artifacts, runId, name, `${name}.zip`)
    if (!existsSync(zip)) return undefined
    return Object.fromEntries(
      unzipEntries(readFileSync(zip)).map(e => [e.name, e.data.toString('utf8')])
    )
  }

  const eventPath = join(runDir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(scenario.eventPayload(s), null, 2))
  const secrets = join(runDir, 'secrets.env')
  const kubeconfigText = readFileSync(state.kubeconfig, 'utf8')
  const kubeconfig = deployKubeconfig(kubeconfigText)
  writeSecrets(secrets, {
    GITHUB_TOKEN: TOKEN,
    STAGING_KUBECONFIG: kubeconfig,
    PROD_KUBECONFIG: kubeconfig,
    ...(scenario.fleet ? { FLEET_KUBECONFIG: fleetKubeconfig(kubeconfigText, FLEET_ALIASES) } : {}),
    PROMETHEUS_TOKEN: '',
    GHCR_PULL_CONFIG: ''
  })
  const record = join(runDir, 'record')
  mkdirSync(record, { recursive: true })
  const workflows = [
    join(repo.repo, repo.workflow),
    join(actionDir, '.github', 'workflows', 'infra-deploy.yml'),
    join(actionDir, '.github', 'workflows', 'staged-rollout.yml'),
    join(actionDir, '.github', 'workflows', 'fleet-deploy.yml')
  ]
  const env = {
    HOME: join(runDir, 'home'),
    PATH: [
      join(root, 'node_modules', '.bin'),
      state.bin,
      '/usr/local/sbin',
      '/usr/local/bin',
      '/usr/sbin',
      '/usr/bin',
      '/sbin',
      '/bin'
    ].join(':'),
    LANG: 'C.UTF-8',
    ACT_DISABLE_VERSION_CHECK: '1'
  }
  mkdirSync(env.HOME, { recursive: true })
  const stepEnv = {
    GITHUB_API_URL: standIn.url,
    GITHUB_REPOSITORY: scenario.repository,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_NUMBER: '1',
    // Public image names resolve on the local registry, as in the demo.
    PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${clusterEnv.PHASE_GATE_REGISTRY}`,
    PHASE_GATE_E2E_GIT_SERVER: repo.server,
    PHASE_GATE_E2E_RECORD: record,
    PHASE_GATE_E2E_FAIL_FAST: failFastJobs(workflows).join(',')
  }
  const hooks = (await scenario.before?.(s)) ?? {}
  log(
    `scenario ${scenario.id}: ${scenario.title} (${scenario.example}, namespace ${namespace}, run ${runId})`
  )
  let result
  try {
    result = await runAct({
      act,
      cwd: repo.repo,
      event: scenario.event,
      workflow: repo.workflow,
      eventPath,
      env,
      logDir: runDir,
      timeoutMs: (scenario.timeoutMinutes ?? 3) * 60_000,
      onLine: hooks.onLine,
      args: [
        '-P',
        'ubuntu-latest=-self-hosted',
        '--action-offline-mode',
        '--no-skip-checkout',
        '--no-cache-server',
        '--artifact-server-path',
        artifacts,
        '--artifact-server-addr',
        '127.0.0.1',
        '--artifact-server-port',
        String(await freePort()),
        '--action-cache-path',
        join(runDir, 'act-cache'),
        '--secret-file',
        secrets,
        ...localRepositoryFlags(usesOf(workflows), { actionDir, standIns }),
        ...Object.entries(stepEnv).flatMap(([k, v]) => ['--env', `${k}=${v}`])
      ]
    })
    saveRun(s, result)
    if (result.timedOut)
      findings.check(
        false,
        'the workflow run ended in time',
        `act was stopped after ${seconds(result.durationMs)}`
      )
    await scenario.verify(s, result, findings)
  } catch (err) {
    findings.check(false, 'the scenario ran to its checks', err.stack ?? String(err))
  } finally {
    await hooks.after?.()
    writeFileSync(join(runDir, 'github-state.json'), JSON.stringify(standIn.state, null, 2))
    await standIn.close()
    if (!args.includes('--keep'))
      for (const context of [undefined, ...(scenario.fleet ? FLEET_CONTEXTS : [])])
        kubectl(['delete', 'namespace', namespace, '--wait=false'], { context })
  }
  return { scenario, result, findings, adjustments, runDir, s }
}

/** Keeps what a reader wants after the run: each job's summary and the PR comments. */
function saveRun(s, result) {
  const dir = join(s.runDir, 'summaries')
  mkdirSync(dir, { recursive: true })
  result.jobs.forEach((j, i) =>
    j.summaries.forEach((x, k) =>
      writeFileSync(
        join(
          dir,
          `${String(i + 1).padStart(2, '0')}-${jobLabel(j).replace(/[^\w.-]+/g, '_')}${k ? `-${k}` : ''}.md`
        ),
        x.content
      )
    )
  )
  for (const c of s.standInState().comments)
    writeFileSync(join(s.runDir, `comment-${c.issue}-${c.id}.md`), c.body)
}

// ---------------------------------------------------------------- main ---

const chosen = SCENARIOS.filter(x => !only || only.includes(x.id))
const outcomes = []
for (const scenario of chosen) outcomes.push(await runScenario(scenario, { actionDir }))

// The control run: scenario 3 against a rollout gate that shifts nothing must fail, and on the traffic.
let control
const healthy = chosen.find(x => x.id === 3)
if (healthy && !args.includes('--no-control')) {
  log('control run: scenario 3 against a rollout gate that claims its shifts without making them')
  let mutant
  try {
    mutant = bundleMutant()
    const dir = buildActionRepository(join(e2e, 'phase-gate-no-shift'), { dist: mutant.dist })
    const o = await runScenario(healthy, { actionDir: dir, tag: '-no-shift' })
    const failed = o.findings.failed.map(i => i.what)
    const onTraffic = failed.filter(w => /data plane sent the canary|promoted at/.test(w))
    control = {
      ok: onTraffic.length > 0,
      text: onTraffic.length
        ? `scenario 3 failed as it must, on the traffic: ${onTraffic.slice(0, 2).join('; ')}${onTraffic.length > 2 ? ` and ${onTraffic.length - 2} more` : ''} (stage canary: ${o.result?.jobs.find(j => j.id === 'stage')?.outputs['gate.verdict'] ?? 'no verdict'})`
        : `scenario 3 did not fail on the traffic (failed: ${failed.join('; ') || 'nothing'}): the suite cannot see a rollout that moves no traffic`,
      log: join(o.runDir, 'act.jsonl')
    }
  } catch (err) {
    control = { ok: false, text: `the control run did not run: ${err.message}`, log: '-' }
  } finally {
    mutant?.remove()
  }
}

// The fleet control run: scenario 7 with a halt job that never runs must fail, on eu-1's state.
let fleetControl
const halted = chosen.find(x => x.id === 7)
if (halted && !args.includes('--no-control')) {
  log('control run: scenario 7 against a fleet-deploy.yml whose halt job never runs')
  try {
    const dir = copyActionRepository(actionDir, join(e2e, 'phase-gate-no-halt'), [FLEET_NO_HALT])
    const o = await runScenario(halted, { actionDir: dir, tag: '-no-halt' })
    const failed = o.findings.failed.map(i => i.what)
    const onState = failed.filter(w => /runs the previous release again/.test(w))
    fleetControl = {
      ok: onState.length > 0,
      text: onState.length
        ? `scenario 7 failed as it must, on the cluster: ${onState.join('; ')} (and ${failed.length - onState.length} more)`
        : `scenario 7 did not fail on eu-1's state (failed: ${failed.join('; ') || 'nothing'}): the suite cannot see a halt that rolls nothing back`,
      log: join(o.runDir, 'act.jsonl')
    }
  } catch (err) {
    fleetControl = { ok: false, text: `the control run did not run: ${err.message}`, log: '-' }
  }
}

const pictures = outcomes.filter(o => [1, 4].includes(o.scenario.id) && o.result)
if (pictures.length) {
  try {
    const written = await renderPictures(pictures, {
      out: join(e2e, 'pictures'),
      docs: args.includes('--docs') ? join(root, 'docs') : undefined
    })
    for (const w of written) log(`picture: ${w}`)
  } catch (err) {
    pictures[0].findings.check(false, 'the pictures rendered', err.stack ?? String(err))
  }
}

const rows = outcomes.map(o => {
  const jobs = o.result?.jobs ?? []
  const flow = jobs
    .map(
      j =>
        `${jobLabel(j)}:${j.outputs['gate.verdict'] ?? (j.errors.some(e => e.startsWith('cancelled:')) ? 'cancelled' : j.result === 'success' ? 'ok' : j.result)}`
    )
    .join(' → ')
  return {
    n: String(o.scenario.id),
    workflow: `${o.scenario.example}/workflow.yml (${o.scenario.event})`,
    jobs: flow || 'none',
    duration: o.result ? seconds(o.result.durationMs) : '-',
    result: o.findings.failed.length ? 'FAIL' : 'PASS'
  }
})
const widths = ['n', 'workflow', 'duration', 'result'].map(k =>
  Math.max(k.length, ...rows.map(r => r[k].length))
)
console.log('')
console.log(
  `${'#'.padEnd(widths[0])}  ${'workflow'.padEnd(widths[1])}  ${'duration'.padEnd(widths[2])}  ${'result'.padEnd(widths[3])}  jobs in order (gate verdict)`
)
for (const r of rows)
  console.log(
    `${r.n.padEnd(widths[0])}  ${r.workflow.padEnd(widths[1])}  ${r.duration.padEnd(widths[2])}  ${r.result.padEnd(widths[3])}  ${r.jobs}`
  )
console.log('')
for (const o of outcomes) {
  console.log(`${o.scenario.id}. ${o.scenario.title}`)
  for (const a of o.adjustments) console.log(`   adjusted: ${a}`)
  for (const i of o.findings.items)
    console.log(
      `   ${i.ok ? 'ok  ' : 'FAIL'} ${i.what}${i.ok ? '' : `\n        seen: ${String(i.detail).split('\n').join('\n        ')}`}`
    )
  console.log(`   log: ${join(o.runDir, 'act.jsonl')}`)
}

if (control)
  console.log(
    `\ncontrol (a rollout gate that shifts nothing): ${control.ok ? 'ok' : 'FAIL'}, ${control.text}\n   log: ${control.log}`
  )
if (fleetControl)
  console.log(
    `\ncontrol (a fleet release whose halt never runs): ${fleetControl.ok ? 'ok' : 'FAIL'}, ${fleetControl.text}\n   log: ${fleetControl.log}`
  )
const failed = outcomes.filter(o => o.findings.failed.length).length
console.log(
  `\n${outcomes.length - failed} passed, ${failed} failed (${seconds(Date.now() - started)})`
)
process.exit(failed || [control, fleetControl].some(c => c && !c.ok) ? 1 : 0)
