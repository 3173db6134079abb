// npm run cluster:up [-- --dir DIR] [--profile kubernetes|openshift]
// Starts (or verifies and reuses) the local cluster; see README.md here.
import { parseArgs } from 'node:util'
import { defaultClusterDir, startCluster } from './lib.mjs'

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: defaultClusterDir() },
    profile: { type: 'string', default: 'kubernetes' },
    json: { type: 'boolean', default: false }
  }
})

try {
  const state = await startCluster({ dir: values.dir, profile: values.profile })
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
