// Bundles the action (src/index.ts → dist/index.js) and the CLI
// (src/cli/index.ts → dist/cli/index.js) with ncc, as ESM, the way
// actions/checkout ships. `node scripts/bundle.mjs [outDir]` (default dist).
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync, readdirSync, renameSync, existsSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(process.argv[2] ?? join(root, 'dist'))
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

function build(entry, dir) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', dir, '--license', 'licenses.txt', '--target', 'es2023', '-q'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: '' }
    }
  )
  // ncc names ESM output index.mjs for .ts entries in a type:module package; the runner wants index.js.
  if (existsSync(join(dir, 'index.mjs'))) renameSync(join(dir, 'index.mjs'), join(dir, 'index.js'))
}

build('src/index.ts', out)
build('src/cli/index.ts', join(out, 'cli'))
writeFileSync(join(out, 'package.json'), '{\n  "type": "module"\n}\n')
writeFileSync(join(out, 'cli', 'package.json'), '{\n  "type": "module"\n}\n')
console.log(`bundled into ${out}: ${readdirSync(out).join(', ')}`)
