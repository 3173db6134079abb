// The bench's sections, in the order they run. Adding one (for example wait
// latency against `kubectl wait`): one module here exporting
// { name, title, setup(ctx), variants(state), summarize(state, results), teardown(state, opts) },
// and one line below.
import realityCheck from './reality-check.mjs'
import waitLatency from './wait-latency.mjs'
import judge from './judge.mjs'

export const SECTIONS = [realityCheck, waitLatency, judge]
