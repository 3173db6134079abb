// `npm test`: type-check, lint, then every jest project (unit; integration
// against the real local cluster that the global setup brings up, with the
// fault matrix and the bundle check), then the end-to-end workflow scenarios.
// Stops at the first failing step.
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const node = process.execPath
const extra = process.argv.slice(2)

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
  [
    'tests',
    node,
    ['--experimental-vm-modules', join(root, 'node_modules/jest/bin/jest.js'), '--ci', ...extra]
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
