// `npm test`: type-check, lint, the unit tests, the integration tests against
// the real local cluster that the jest global setup brings up (with the fault
// matrix and the bundle check), then the end-to-end workflow scenarios.
// Stops at the first failing step.
//
// The integration tests run in two steps: most files side by side on a few
// jest workers (they mostly wait on the cluster, timeouts and retries), then
// the files whose assertions bound how quickly something happens, one at a
// time, so other files' load cannot stretch what they measure.
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const node = process.execPath
const extra = process.argv.slice(2)

/**
 * Integration tests with tight timing bounds: watch latency and readiness
 * windows, heartbeats at most 11.5 s apart, a rollback fired within an
 * interval of the evidence, a signal sent while a 1.5 s stall holds a
 * request, fail-fast bounds just under a timeout. The fault matrix too: its
 * clients give the apiserver 1.5 s per request, which it misses while other
 * files load the machine (the matrix runs its own cells four at a time).
 */
const TIMING = [
  '__tests__/faults/matrix.itg.test.ts',
  '__tests__/cluster.itg.test.ts',
  '__tests__/kube/wait.itg.test.ts',
  '__tests__/rollout/rollout.itg.test.ts',
  '__tests__/rollout/judge.itg.test.ts',
  '__tests__/rollout/resource-trigger.itg.test.ts',
  '__tests__/registry/client.itg.test.ts',
  '__tests__/action/heartbeat.itg.test.ts',
  '__tests__/reliability/signals.itg.test.ts',
  '__tests__/gates/tracer-phase.itg.test.ts',
  '__tests__/e2e/data-plane.itg.test.ts'
]
const escape = p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Jest workers for the integration files run side by side (PHASE_GATE_ITG_WORKERS). */
const itgWorkers = process.env.PHASE_GATE_ITG_WORKERS ?? '3'
/** Jest workers for the unit tests (PHASE_GATE_UNIT_WORKERS). */
const unitWorkers = process.env.PHASE_GATE_UNIT_WORKERS ?? '2'

/**
 * Jest's hang guard for an integration test that sets no timeout of its own
 * (5 s by default, which a real engine run misses while other files run
 * beside it). It bounds nothing the tests claim.
 */
const ITG_TIMEOUT = '--testTimeout=60000'

const jest = (...args) => [
  node,
  [
    '--experimental-vm-modules',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--ci',
    ...args,
    ...extra
  ]
]

const steps = [
  [
    'type-check',
    node,
    [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.test.json']
  ],
  [
    'lint',
    node,
    [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      'src/**/*.ts',
      '__tests__/**/*.ts',
      'scripts/**/*.mjs'
    ]
  ],
  ['unit tests', ...jest('--selectProjects', 'unit', `--maxWorkers=${unitWorkers}`)],
  [
    'integration tests',
    ...jest(
      '--selectProjects',
      'itg',
      ITG_TIMEOUT,
      `--maxWorkers=${itgWorkers}`,
      `--testPathIgnorePatterns=${TIMING.map(p => `/${escape(p)}$`).join('|')}`
    )
  ],
  [
    'integration tests with timing bounds',
    ...jest('--selectProjects', 'itg', ITG_TIMEOUT, '--runInBand', '--runTestsByPath', ...TIMING)
  ],
  // The examples' workflows under act, against the same local servers.
  ['e2e', node, [join(root, 'scripts/e2e.mjs')]]
]

for (const [name, cmd, args] of steps) {
  const started = Date.now()
  console.log(`\n== ${name}`)
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` }
  })
  console.log(
    `== ${name}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`
  )
  if (r.status !== 0) process.exit(r.status ?? 1)
}
