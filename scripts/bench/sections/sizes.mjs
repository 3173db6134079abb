// Bench section: the size of the bundle (the action, dist/index.js and the
// chunks beside it) and of the CLI (dist/cli/), of the build under test.
// Nothing is timed; the one variant reads the files.
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Bytes of the .js files directly in dir (the entry and ncc's chunks; no source maps or licences). */
function jsBytes(dir) {
  return readdirSync(dir)
    .filter(f => f.endsWith('.js') || f.endsWith('.mjs') || f.endsWith('.cjs'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0)
}

const MB = 1024 * 1024
const mb = n => `${(n / MB).toFixed(1)} MB`

export default {
  name: 'sizes',
  title: 'bundle and CLI sizes (each at most 5 MB)',
  needsCluster: false,

  async setup({ action, cli }) {
    return { action: dirname(action), cli: dirname(cli) }
  },

  variants(state) {
    return [
      {
        name: 'read sizes',
        run: async () => {
          state.bundle = jsBytes(state.action)
          state.cliBytes = jsBytes(state.cli)
          return { ms: 0, ok: true, code: 0, detail: '' }
        }
      }
    ]
  },

  summarize(state) {
    const ok = n => n <= 5 * MB
    const met = ok(state.bundle) && ok(state.cliBytes)
    return {
      met,
      lines: [
        `bundle ${mb(state.bundle)} (target at most 5 MB: ${ok(state.bundle) ? 'met' : 'MISSED'})`,
        `CLI ${mb(state.cliBytes)} (target at most 5 MB: ${ok(state.cliBytes) ? 'met' : 'MISSED'})`
      ],
      figures: {
        bundle: { value: state.bundle / MB, unit: 'MB', text: mb(state.bundle) },
        cli: { value: state.cliBytes / MB, unit: 'MB', text: mb(state.cliBytes) },
        target: {
          value: 5,
          unit: 'MB',
          text: `each at most 5 MB: bundle ${ok(state.bundle) ? 'met' : 'missed'}, CLI ${ok(state.cliBytes) ? 'met' : 'missed'}`
        }
      }
    }
  },

  async teardown() {}
}
