// Node.js runtimes the CLI is tested on, from the npm registry's `node`
// package (the same way Node 24 comes in as a devDependency): `ensureNode(20)`
// installs node@20 into ~/.cache/phase-gate/node-20 once and returns its
// binary; later calls reuse it. `node scripts/node-versions.mjs 20 22` prints
// the paths.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Where node@<major> lives: ~/.cache/phase-gate/node-<major> (PHASE_GATE_CACHE overrides the parent). */
export function nodeDir(major) {
  const cache = process.env.PHASE_GATE_CACHE ?? join(homedir(), '.cache', 'phase-gate')
  return join(cache, `node-${major}`)
}

function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

/** The path of a Node.js binary of that major version, installed from the npm registry when missing. */
export function ensureNode(major, { log = m => process.stderr.write(`[node] ${m}\n`) } = {}) {
  const devDependency = join(root, 'node_modules', 'node', 'bin', 'node')
  if (versionOf(devDependency)?.startsWith(`v${major}.`)) return devDependency
  const dir = nodeDir(major)
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node')
  if (versionOf(bin)?.startsWith(`v${major}.`)) return bin
  log(`installing node@${major} from the npm registry into ${dir}`)
  mkdirSync(dir, { recursive: true })
  // npm 11 runs a dependency's install script only when allowScripts names it.
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ private: true, allowScripts: { node: true } }, null, 2)}\n`
  )
  // The `node` package's preinstall fetches node-<os>-<arch>@<version>, the binary itself.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${major}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  const version = versionOf(bin)
  if (!version?.startsWith(`v${major}.`))
    throw new Error(`node@${major} did not install a working binary at ${bin} (got ${version})`)
  log(`node ${version} at ${bin}`)
  return bin
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const major of process.argv.slice(2)) console.log(ensureNode(Number(major)))
}
