// dist/ is committed: a fresh bundle of the current sources must equal it,
// byte for byte, or the action users run is not the code under test.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

describe('dist/', () => {
  it('equals a fresh bundle of the sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'phase-gate-dist-'))
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), out], {
        cwd: root,
        stdio: 'pipe'
      })
      const fresh = files(out)
        .map(f => relative(out, f))
        .sort()
      const committed = files(join(root, 'dist'))
        .map(f => relative(join(root, 'dist'), f))
        .sort()
      expect(committed).toEqual(fresh)
      const differing = fresh.filter(
        f => !readFileSync(join(out, f)).equals(readFileSync(join(root, 'dist', f)))
      )
      // Names the files so the fix is obvious: npm run bundle, then commit dist/.
      expect(differing).toEqual([])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 300_000)
})
