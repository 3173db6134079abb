// `npm run hygiene:cel`: writes src/hygiene/builtin-cel.generated.ts, the
// built-in hygiene rules' CEL parsed and checked at build time (the table
// scripts/hygiene-cel/generate.ts computes; bundled with ncc first, since it
// imports the TypeScript sources). `--check` only says whether the file is stale.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const GENERATED_FILE = join(ROOT, 'src', 'hygiene', 'builtin-cel.generated.ts')
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

const dir = mkdtempSync(join(tmpdir(), 'phase-gate-hygiene-cel-'))
try {
  execFileSync(
    process.execPath,
    [
      NCC,
      'build',
      join(ROOT, 'scripts', 'hygiene-cel', 'generate.ts'),
      '-o',
      dir,
      '-q',
      '--transpile-only'
    ],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '' } }
  )
  const entry = [join(dir, 'index.mjs'), join(dir, 'index.js')].find(p => existsSync(p))
  const text = execFileSync(process.execPath, [entry, '--print'], { encoding: 'utf8' })
  if (process.argv.includes('--check')) {
    const stale = readFileSync(GENERATED_FILE, 'utf8') !== text
    console.log(stale ? `${GENERATED_FILE} is stale: npm run hygiene:cel` : 'up to date')
    process.exitCode = stale ? 1 : 0
  } else {
    writeFileSync(GENERATED_FILE, text)
    console.log(`wrote ${GENERATED_FILE}`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
