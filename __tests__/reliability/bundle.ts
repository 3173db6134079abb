// The action and CLI bundled from the current source, for tests that run
// phase-gate as a real process (signals, the post step, secrets, scale, the
// action runner and heartbeat) and for check-dist's comparison with dist/.
// Built once per source state into the temp directory (never over the
// committed dist/): keyed by a hash of src/, the lockfile and
// scripts/bundle.mjs, guarded by a lock directory so test files running in
// parallel share one build.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

function sourceHash(): string {
  const h = createHash('sha256')
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else {
        h.update(p.slice(root.length))
        h.update(readFileSync(p))
      }
    }
  }
  walk(join(root, 'src'))
  h.update(readFileSync(join(root, 'package-lock.json')))
  h.update(readFileSync(join(root, 'scripts', 'bundle.mjs')))
  return h.digest('hex').slice(0, 16)
}

/** Paths of a bundle of the current source. */
export interface Bundle {
  /** The CLI: `node <cli> check ...`. */
  cli: string
  /** The action's entry (main and post step). */
  action: string
  dir: string
}

/** Builds (or reuses) the bundle of the current source; takes about 30 s when it builds. */
export async function freshBundle(): Promise<Bundle> {
  const dir = join(
    process.env.PHASE_GATE_BUNDLE_CACHE ?? tmpdir(),
    `phase-gate-bundle-${sourceHash()}`
  )
  const out = { cli: join(dir, 'cli', 'index.js'), action: join(dir, 'index.js'), dir }
  if (existsSync(out.cli)) return out
  const lock = `${dir}.lock`
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another test file is building the same source: wait for it (a stale lock is taken after 3 min).
      if (existsSync(out.cli)) return out
      if (i > 1800) rmSync(lock, { recursive: true, force: true })
      await new Promise(r => setTimeout(r, 100))
    }
  }
  try {
    if (existsSync(out.cli)) return out
    const partial = `${dir}.partial-${process.pid}`
    await new Promise<void>((resolvePromise, reject) =>
      execFile(
        process.execPath,
        [join(root, 'scripts', 'bundle.mjs'), partial],
        { cwd: root, maxBuffer: 16 << 20 },
        (err, _stdout, stderr) =>
          err ? reject(new Error(`bundling failed: ${stderr || err.message}`)) : resolvePromise()
      )
    )
    renameSync(partial, dir)
    return out
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}
