// scripts/release.mjs, the steps release.yml runs on a pushed tag, against a
// real local bare repository (standing in for GitHub's) and a clone of it:
// v1.2.0 moves v1 and v1.2 there; v1.2.1-rc.1 moves nothing; a tag that
// differs from package.json's version fails naming both; the notes are that
// version's CHANGELOG section.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changelogSection, floatingTags, parseTag } from '../../scripts/release.mjs'

const root = join(import.meta.dirname, '..', '..')
const script = join(root, 'scripts', 'release.mjs')
const dir = mkdtempSync(join(tmpdir(), 'release-'))
const bare = join(dir, 'origin.git')
const clone = join(dir, 'work')

const CHANGELOG = `# Changelog

## Unreleased
- next things

## 1.2.1-rc.1
- a candidate

## [1.2.0] - 2026-12-01
### Added
- the release workflow

## 1.1.0
- older
`

function git(args: string[], cwd = clone): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.test',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.test'
    }
  }).trim()
}

function release(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: clone, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Commits package.json at `version`, tags it and pushes the tag, as a maintainer would. */
function commitAndTag(version: string, tag = `v${version}`): string {
  writeFileSync(join(clone, 'package.json'), `${JSON.stringify({ name: 'x', version })}\n`)
  git(['add', '.'])
  git(['commit', '-qm', `release ${version}`])
  git(['tag', tag])
  git(['push', '-q', 'origin', 'HEAD:refs/heads/main', `refs/tags/${tag}`])
  return git(['rev-parse', 'HEAD'])
}

/** What the bare repository (GitHub's copy) says a tag points at. */
function remoteTag(tag: string): string | undefined {
  const out = git(['ls-remote', '--tags', bare, `refs/tags/${tag}`], dir)
  return out ? out.split(/\s+/)[0] : undefined
}

beforeAll(() => {
  git(['init', '-q', '--bare', bare], dir)
  git(['init', '-q', '-b', 'main', clone], dir)
  git(['remote', 'add', 'origin', bare])
  writeFileSync(join(clone, 'CHANGELOG.md'), CHANGELOG)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('release against a local bare repository', () => {
  let v120: string

  it('v1.2.0 moves v1 and v1.2 to its commit, on the remote', () => {
    v120 = commitAndTag('1.2.0')
    expect(release(['check', 'v1.2.0'])).toMatchObject({
      code: 0,
      stdout: 'version=1.2.0\nprerelease=false\n'
    })
    const r = release(['move-tags', 'v1.2.0', '--push'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('moved v1, v1.2 to v1.2.0')
    expect(remoteTag('v1')).toBe(v120)
    expect(remoteTag('v1.2')).toBe(v120)
  })

  it('v1.2.1-rc.1 moves nothing', () => {
    const rc = commitAndTag('1.2.1-rc.1')
    expect(rc).not.toBe(v120)
    expect(release(['check', 'v1.2.1-rc.1']).stdout).toContain('prerelease=true')
    const r = release(['move-tags', 'v1.2.1-rc.1', '--push'])
    expect(r).toMatchObject({ code: 0, stdout: 'v1.2.1-rc.1 is a pre-release: no tag moved\n' })
    expect(remoteTag('v1')).toBe(v120)
    expect(remoteTag('v1.2')).toBe(v120)
  })

  it('a later v1.3.0 moves v1 on and starts v1.3, leaving v1.2 where it was', () => {
    const v130 = commitAndTag('1.3.0')
    expect(release(['move-tags', 'v1.3.0', '--push']).code).toBe(0)
    expect(remoteTag('v1')).toBe(v130)
    expect(remoteTag('v1.3')).toBe(v130)
    expect(remoteTag('v1.2')).toBe(v120)
  })

  it('a tag that differs from package.json fails, naming both versions', () => {
    commitAndTag('1.4.0', 'v1.4.1')
    const r = release(['check', 'v1.4.1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/tag v1\.4\.1 does not match package\.json's version 1\.4\.0/)
  })

  it('the notes are the version’s CHANGELOG section, written where asked', () => {
    const out = join(dir, 'notes.md')
    expect(release(['notes', 'v1.2.0', out]).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe('### Added\n- the release workflow\n')
    const missing = release(['notes', 'v9.9.9'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no section "## 9\.9\.9"/)
  })
})

describe('release pieces', () => {
  it.each([
    ['v1.2.0', ['v1', 'v1.2']],
    ['v10.0.3', ['v10', 'v10.0']],
    ['v2.0.0-rc.1', []],
    ['v1.2.1-rc.1', []]
  ])('%s moves %j', (tag, expected) => {
    expect(floatingTags(tag)).toEqual(expected)
  })

  it.each(['1.2.0', 'v1.2', 'v01.2.0', 'v1.2.0.0', 'latest'])('%s is not a release tag', tag => {
    expect(() => parseTag(tag)).toThrow(/not a release tag/)
  })

  it('finds a section with or without brackets and v, and stops at the next', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('- older\n')
    expect(changelogSection('## v3.0.0 (2027-01-01)\n- x\n## 2.0.0\n- y\n', '3.0.0')).toBe('- x\n')
    // 1.2.0 must not match the heading of 1.2.0-rc.1 or 11.2.0.
    expect(() => changelogSection('## 1.2.0-rc.1\n- a\n## 11.2.0\n- b\n', '1.2.0')).toThrow(
      /no section/
    )
  })

  it("this repository's CHANGELOG and package.json are consistent with src/version.ts", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    expect(readFileSync(join(root, 'src', 'version.ts'), 'utf8')).toContain(`'${pkg.version}'`)
  })
})
