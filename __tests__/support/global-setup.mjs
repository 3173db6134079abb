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
import {
  clusterEnvVars,
  clusterHealth,
  readClusterState,
  startCluster
} from '../../scripts/cluster/lib.mjs'

export default async function globalSetup() {
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
    return
  }
  const state = await startCluster({
    log: message => process.stderr.write(`[cluster] ${message}\n`)
  })
  Object.assign(process.env, clusterEnvVars(state))
}
