// release.yml beyond the rules every workflow of ours meets (actionlint, pinned
// SHAs, contents: read on top, every raise commented: workflows.test.ts runs
// those over it too): it runs on release tags, raises exactly what releasing
// needs, calls the tested script for each step, publishes with provenance, and
// runs the actions' Node 24 majors. The STYLE checks are repeated here on this
// one file so a failure names the release workflow.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { isMap, isScalar, parseDocument } from 'yaml'
import { ensureTool } from '../../scripts/cluster/lib.mjs'

const root = join(import.meta.dirname, '..', '..')
const file = join(root, '.github', 'workflows', 'release.yml')
const text = readFileSync(file, 'utf8')
const doc = parseDocument(text)
const data = doc.toJS() as {
  on: { push: { tags: string[] } }
  permissions: Record<string, string>
  jobs: Record<
    string,
    { permissions?: Record<string, string>; steps: { uses?: string; run?: string }[] }
  >
}
const runs = Object.values(data.jobs).flatMap(j => j.steps.map(s => s.run ?? ''))

// Actions whose Node 24 release starts at this major (their action.yml says `using: node24`).
const NODE24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/setup-go': 6,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/cache': 5
}

describe('release.yml', () => {
  it('is clean under actionlint', async () => {
    const actionlint = await ensureTool('actionlint', { log: () => undefined })
    const r = await promisify(execFile)(actionlint, ['-no-color', '-oneline', file]).catch(
      (e: { stdout?: string }) => e
    )
    expect(r.stdout).toBe('')
  }, 600_000)

  it('runs on pushed vX.Y.Z tags only', () => {
    expect(Object.keys(data.on)).toEqual(['push'])
    expect(data.on.push).toEqual({ tags: ['v[0-9]+.[0-9]+.[0-9]+*'] })
  })

  it('has contents: read on top and raises only contents and id-token, each with why', () => {
    expect(data.permissions).toEqual({ contents: 'read' })
    const raised: string[] = []
    for (const name of Object.keys(data.jobs)) {
      const perms = doc.getIn(['jobs', name, 'permissions'], true)
      if (perms === undefined) continue
      if (!isMap(perms)) throw new Error(`jobs.${name}.permissions is not a mapping`)
      for (const pair of perms.items) {
        const scope = isScalar(pair.key) ? String(pair.key.value) : '?'
        const level = isScalar(pair.value) ? String(pair.value.value) : '?'
        const why = isScalar(pair.value) ? (pair.value.comment ?? '').trim() : ''
        expect(`${scope}: ${why}`).toMatch(new RegExp(`^${scope}: needed to \\S`))
        raised.push(`${scope}: ${level}`)
      }
    }
    expect(raised.sort()).toEqual(['contents: write', 'id-token: write'])
  })

  it('pins every action by SHA with its version, on the Node 24 major', () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s+(\S+)(.*)$/gm)]
    expect(uses.length).toBeGreaterThan(0)
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      const version = /^ # v(\d+)\.\d+\.\d+$/.exec(comment)
      expect(`${ref}${comment}`).toMatch(/ # v\d+\.\d+\.\d+$/)
      const action = ref.split('@')[0]
      expect(NODE24_MAJOR[action]).toBeDefined()
      expect(Number(version?.[1])).toBeGreaterThanOrEqual(NODE24_MAJOR[action])
    }
  })

  it('puts no expression inside run:', () => {
    for (const run of runs) expect(run).not.toContain('${{')
  })

  it('checks the version, dist/ and the unit tests before releasing anything', () => {
    const all = runs.join('\n---\n')
    const at = (needle: string): number => {
      const i = all.indexOf(needle)
      expect(`${needle}: ${i}`).not.toBe(`${needle}: -1`)
      return i
    }
    const check = at('node scripts/release.mjs check "$TAG"')
    const bundle = at('npm run bundle')
    const unit = at('npm run test:unit')
    const notes = at('node scripts/release.mjs notes "$TAG"')
    const create = at('gh release create "$TAG" --verify-tag')
    const move = at('node scripts/release.mjs move-tags "$TAG" --push')
    const publish = at('npm publish --provenance')
    expect([check, bundle, unit, notes, create, move, publish]).toEqual(
      [check, bundle, unit, notes, create, move, publish].sort((a, b) => a - b)
    )
    expect(all).toContain('--notes-file "$RUNNER_TEMP/notes.md"')
  })
})

describe('dependabot and the security policy', () => {
  it('dependabot updates npm and the pinned actions', () => {
    const cfg = parseDocument(
      readFileSync(join(root, '.github', 'dependabot.yml'), 'utf8')
    ).toJS() as {
      version: number
      updates: { 'package-ecosystem': string; directory: string }[]
    }
    expect(cfg.version).toBe(2)
    expect(cfg.updates.map(u => `${u['package-ecosystem']} ${u.directory}`).sort()).toEqual([
      'github-actions /',
      'npm /'
    ])
  })

  it('SECURITY.md says how to report and which versions are supported', () => {
    const policy = readFileSync(join(root, 'SECURITY.md'), 'utf8')
    expect(policy).toMatch(/^## Supported versions$/m)
    expect(policy).toMatch(/^## Reporting a vulnerability$/m)
    expect(policy).toContain('/security/advisories/new')
  })
})
