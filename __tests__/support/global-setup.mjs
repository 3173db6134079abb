// Jest global setup of the integration project: makes sure this checkout's
// local cluster (scripts/cluster, state in .cluster/) runs and is healthy,
// starting or repairing it when not (a warm check takes a second or two), then
// puts its environment (KUBECONFIG, PHASE_GATE_*, PATH with .cluster/bin
// first) into process.env, which the test workers inherit.
import { clusterEnvVars, startCluster } from '../../scripts/cluster/lib.mjs'

export default async function globalSetup() {
  const state = await startCluster({
    log: message => process.stderr.write(`[cluster] ${message}\n`)
  })
  Object.assign(process.env, clusterEnvVars(state))
}
