// `npm run test:faults`: the fault matrix (__tests__/faults/matrix.itg.test.ts)
// under jest, then its totals again after jest's own listing, so the last
// line the command prints is the matrix's `false passes: N`. Exits with
// jest's status, or 1 when the matrix left no figures (it did not run).
//
//   node scripts/faults.mjs [jest args...]   (FAULTS_ONLY / FAULTS_MATCH narrow it)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const figures = process.env.PHASE_GATE_FIGURES ?? mkdtempSync(join(tmpdir(), 'phase-gate-faults-'))
const r = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--selectProjects',
    'itg',
    '--runTestsByPath',
    '__tests__/faults/matrix.itg.test.ts',
    ...process.argv.slice(2)
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PHASE_GATE_FIGURES: figures } }
)
const matrix = join(figures, 'fault-matrix.txt')
if (!existsSync(matrix)) {
  console.log(`\nthe fault matrix wrote no figures to ${figures}`)
  process.exit(r.status || 1)
}
// The totals: the lines from `cells:` to `false passes:`.
const lines = readFileSync(matrix, 'utf8').trimEnd().split('\n')
const from = lines.findIndex(l => l.startsWith('cells:'))
console.log(`\n${lines.slice(from === -1 ? -1 : from).join('\n')}`)
process.exit(r.status ?? 1)
