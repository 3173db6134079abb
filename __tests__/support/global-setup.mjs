// Jest global setup of the integration project: makes sure this checkout's
// local cluster (scripts/cluster, state in .cluster/) runs and is healthy,
// starting or repairing it when not (a warm check takes a second or two), then
// puts its environment (KUBECONFIG, PHASE_GATE_*, PATH with .cluster/bin
// first) into process.env, which the test workers inherit.
//
// PHASE_GATE_SHARED_CLUSTER=DIR uses the cluster already running in DIR (another
// checkout's `.cluster/`, for example a git worktree beside it) without
// starting or restarting anything: each checkout's scripts differ in path, so
// starting it from here would restart the other checkout's controllers.
//
// The local fleet (3 member clusters, contexts phase-gate-fleet-1..3 in the
// same kubeconfig) is started here once per suite, on the same cluster, when
// the run includes a fleet test (every file, or a path naming `fleet`):
// idempotent, a running fleet is reused. With PHASE_GATE_SHARED_CLUSTER it
// must already run there (nothing is started); without a fleet the fleet
// tests fail naming the command to start it. PHASE_GATE_FLEET_DIR tells the
// tests where its state files are (`<cluster>/fleet/<context>/state.json`);
// `started.json` there holds the start time measured here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  clusterEnvVars,
  clusterHealth,
  readClusterState,
  startCluster,
  startFleet
} from '../../scripts/cluster/lib.mjs'

const FLEET_SIZE = 3

/** Does this run include a fleet test? Every file does; else a path or pattern naming `fleet`. */
function wantsFleet(globalConfig) {
  const given = [
    ...(globalConfig?.nonFlagArgs ?? []),
    ...(globalConfig?.testPathPatterns?.patterns ?? [])
  ]
  return given.length === 0 || given.some(a => /fleet/i.test(String(a)))
}

/** The fleet members of the cluster in `dir` whose processes all run, by context name. */
function runningFleet(dir) {
  const names = Array.from({ length: FLEET_SIZE }, (_, i) => `phase-gate-fleet-${i + 1}`)
  return names.filter(name => {
    const file = join(dir, 'fleet', name, 'state.json')
    if (!existsSync(file)) return false
    const pids = Object.values(JSON.parse(readFileSync(file, 'utf8')).pids ?? {})
    return (
      pids.length > 0 &&
      pids.every(pid => {
        try {
          process.kill(pid, 0)
          return true
        } catch {
          return false
        }
      })
    )
  })
}

export default async function globalSetup(globalConfig) {
  const shared = process.env.PHASE_GATE_SHARED_CLUSTER
  if (shared) {
    const state = readClusterState(shared)
    if (!state)
      throw new Error(
        `PHASE_GATE_SHARED_CLUSTER=${shared}: no cluster state there (run npm run cluster:up in its checkout)`
      )
    const health = await clusterHealth(shared)
    const down = Object.entries(health.components).filter(([, c]) => !c.healthy)
    if (down.length > 0)
      throw new Error(
        `PHASE_GATE_SHARED_CLUSTER=${shared}: not healthy: ${down.map(([n]) => n).join(', ')} (npm run cluster:up in its checkout)`
      )
    Object.assign(process.env, clusterEnvVars(state))
    if (wantsFleet(globalConfig) && runningFleet(state.dir ?? shared).length === FLEET_SIZE)
      process.env.PHASE_GATE_FLEET_DIR = join(state.dir ?? shared, 'fleet')
    return
  }
  const log = message => process.stderr.write(`[cluster] ${message}\n`)
  const state = await startCluster({ log })
  Object.assign(process.env, clusterEnvVars(state))
  if (!wantsFleet(globalConfig)) return
  const reused = runningFleet(state.dir).length === FLEET_SIZE
  const fleet = await startFleet({ dir: state.dir, count: FLEET_SIZE, log })
  const root = join(state.dir, 'fleet')
  if (!reused)
    writeFileSync(
      join(root, 'started.json'),
      `${JSON.stringify({ seconds: fleet.seconds, count: FLEET_SIZE, at: new Date().toISOString() })}\n`
    )
  process.env.PHASE_GATE_FLEET_DIR = root
}
