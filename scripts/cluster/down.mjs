// npm run cluster:down [-- --dir DIR] [--purge]
// Stops every process of the local cluster and frees its ports; --purge also
// deletes the cluster directory (data, keys, state). The tool cache stays.
import { parseArgs } from 'node:util'
import { defaultClusterDir, stopCluster } from './lib.mjs'

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: defaultClusterDir() },
    purge: { type: 'boolean', default: false }
  }
})

try {
  const { stopped } = await stopCluster({ dir: values.dir, purge: values.purge })
  if (!stopped.length) console.log('nothing was running')
} catch (err) {
  console.error(`cluster:down failed: ${err.message}`)
  process.exit(1)
}
