// dist/ is committed: a fresh bundle of the current sources must equal it,
// byte for byte, or the action users run is not the code under test.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { freshBundle } from '../reliability/bundle.js'

const root = join(import.meta.dirname, '..', '..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

describe('dist/', () => {
  it('equals a fresh bundle of the sources', async () => {
    // scripts/bundle.mjs's output for the current sources (built once for every test file that runs it).
    const out = (await freshBundle()).dir
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
  }, 300_000)
})
