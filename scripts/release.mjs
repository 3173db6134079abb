// The release steps a pushed tag vX.Y.Z runs (.github/workflows/release.yml),
// kept here so a test can run them against a real git repository:
//
//   node scripts/release.mjs check <tag>            the tag equals package.json's version
//   node scripts/release.mjs notes <tag> [out.md]   that version's CHANGELOG.md section
//   node scripts/release.mjs move-tags <tag> [--remote NAME] [--push]
//                                                   vX and vX.Y to the tag's commit;
//                                                   a pre-release moves nothing
//
// Every command works in the current directory (the repository's root).
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Thrown for a release that must not go on; the message says why and what to do. */
export class ReleaseError extends Error {}

const SEMVER_TAG =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/

/** `v1.2.3-rc.1` → its parts; throws ReleaseError for anything that is not `v` + semver. */
export function parseTag(tag) {
  const m = SEMVER_TAG.exec(tag)
  if (!m)
    throw new ReleaseError(
      `tag "${tag}" is not a release tag: expected v<major>.<minor>.<patch>, e.g. v1.2.0 or v2.0.0-rc.1`
    )
  return {
    tag,
    version: tag.slice(1),
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4]
  }
}

/** The tag's version, after checking it equals package.json's `version`. */
export function checkTag(tag, cwd = process.cwd()) {
  const parsed = parseTag(tag)
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))
  if (pkg.version !== parsed.version)
    throw new ReleaseError(
      `tag ${tag} does not match package.json's version ${pkg.version}: set "version": "${parsed.version}" in package.json (and src/version.ts) and tag that commit, or tag v${pkg.version}`
    )
  return parsed
}

/** The tags a release moves: `v1` and `v1.2` for v1.2.0; none for a pre-release. */
export function floatingTags(tag) {
  const { major, minor, prerelease } = parseTag(tag)
  return prerelease === undefined ? [`v${major}`, `v${major}.${minor}`] : []
}

/** The body of `## <version>` (also `## [1.2.0]`, `## v1.2.0`, with a date after) in CHANGELOG text. */
export function changelogSection(text, version) {
  const lines = text.split('\n')
  const escaped = version.replace(/[.+]/g, '\\$&')
  const heading = new RegExp(`^##\\s+\\[?v?${escaped}\\]?(?:\\s|$)`)
  const start = lines.findIndex(l => heading.test(l))
  if (start < 0)
    throw new ReleaseError(
      `CHANGELOG.md has no section "## ${version}": move the Unreleased entries under that heading before tagging`
    )
  const rest = lines.slice(start + 1)
  const end = rest.findIndex(l => /^##\s/.test(l))
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
  if (!body) throw new ReleaseError(`CHANGELOG.md's section "## ${version}" is empty`)
  return `${body}\n`
}

function git(args, cwd) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

/**
 * Points vX and vX.Y at the commit of `tag` (lightweight tags, as GitHub's
 * marketplace actions do), and with `push` force-pushes them to `remote`.
 * Returns the tags moved (none for a pre-release).
 */
export function moveTags(tag, { cwd = process.cwd(), remote = 'origin', push = false } = {}) {
  const tags = floatingTags(tag)
  if (tags.length === 0) return { commit: undefined, moved: [] }
  const commit = git(['rev-parse', '--verify', `${tag}^{commit}`], cwd)
  for (const t of tags) git(['tag', '--force', t, commit], cwd)
  if (push) git(['push', '--force', remote, ...tags.map(t => `refs/tags/${t}:refs/tags/${t}`)], cwd)
  return { commit, moved: tags }
}

function main(argv) {
  const [command, tag, ...rest] = argv
  if (!command || !tag) {
    console.error(
      'usage: node scripts/release.mjs check|notes|move-tags <tag> [out.md] [--remote NAME] [--push]'
    )
    return 2
  }
  try {
    switch (command) {
      case 'check': {
        const { version, prerelease } = checkTag(tag)
        console.log(`version=${version}`)
        console.log(`prerelease=${prerelease === undefined ? 'false' : 'true'}`)
        return 0
      }
      case 'notes': {
        const { version } = parseTag(tag)
        const notes = changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version)
        if (rest[0]) writeFileSync(rest[0], notes)
        else process.stdout.write(notes)
        return 0
      }
      case 'move-tags': {
        const r = rest.indexOf('--remote')
        const { commit, moved } = moveTags(tag, {
          remote: r >= 0 ? rest[r + 1] : 'origin',
          push: rest.includes('--push')
        })
        console.log(
          moved.length
            ? `moved ${moved.join(', ')} to ${tag} (${commit})`
            : `${tag} is a pre-release: no tag moved`
        )
        return 0
      }
      default:
        console.error(`unknown command "${command}": check, notes or move-tags`)
        return 2
    }
  } catch (err) {
    if (err instanceof ReleaseError) {
      console.error(`release: ${err.message}`)
      return 1
    }
    throw err
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2))
