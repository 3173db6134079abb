// The bench's sections, in the order they run. Adding one: one module here
// exporting { name, title, setup(ctx), variants(state), summarize(state,
// results) → { lines, met, figures }, teardown(state, opts) } (needsCli:
// false when it runs without the CLI bundle, needsCluster: false without the
// local cluster), and one line below.
import coldStart from './cold-start.mjs'
import hygieneRate from './hygiene-rate.mjs'
import realityCheck from './reality-check.mjs'
import sizes from './sizes.mjs'
import waitLatency from './wait-latency.mjs'
import judge from './judge.mjs'

export const SECTIONS = [realityCheck, waitLatency, coldStart, hygieneRate, sizes, judge]
