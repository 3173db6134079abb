// npm run cluster:up [-- --dir DIR] [--profile kubernetes|openshift] [--fleet N]
// Starts (or verifies and reuses) the local cluster; see README.md here.
import { parseArgs } from 'node:util'
import { defaultClusterDir, startCluster, startFleet } from './lib.mjs'

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: defaultClusterDir() },
    profile: { type: 'string', default: 'kubernetes' },
    json: { type: 'boolean', default: false },
    // Adds N fleet members: contexts phase-gate-fleet-1..N in the same kubeconfig.
    fleet: { type: 'string' }
  }
})

try {
  const state = await startCluster({ dir: values.dir, profile: values.profile })
  if (values.fleet !== undefined) {
    const count = Number(values.fleet)
    if (!Number.isInteger(count) || count < 1 || count > 16)
      throw new Error(`--fleet ${values.fleet}: expected a number of clusters from 1 to 16`)
    const fleet = await startFleet({ dir: values.dir, count })
    if (!values.json)
      console.log(`fleet       ${fleet.members.map(m => m.name).join(', ')} (contexts)`)
  }
  if (values.json) console.log(JSON.stringify(state, null, 2))
  else {
    console.log(
      `kubeconfig  ${state.kubeconfig} (contexts ${Object.values(state.contexts).join(', ')})`
    )
    console.log(`apiserver   ${state.urls.apiserver}`)
    console.log(
      `registry    ${state.registry.open} (open), ${state.registry.auth} (token auth, user ${state.registry.user})`
    )
    console.log(`prometheus  ${state.urls.prometheus}   exporter ${state.urls.exporter}`)
    console.log(`environment . ${state.dir}/env`)
  }
} catch (err) {
  console.error(`cluster:up failed: ${err.message}`)
  process.exit(1)
}
