export class ReleaseError extends Error {}
export interface ReleaseTag {
  tag: string
  version: string
  major: number
  minor: number
  patch: number
  prerelease: string | undefined
}
/** `v1.2.3-rc.1` → its parts; throws ReleaseError for anything that is not `v` + semver. */
export function parseTag(tag: string): ReleaseTag
/** The tag's version, after checking it equals package.json's `version`. */
export function checkTag(tag: string, cwd?: string): ReleaseTag
/** The tags a release moves: `v1` and `v1.2` for v1.2.0; none for a pre-release. */
export function floatingTags(tag: string): string[]
/** The body of `## <version>` in CHANGELOG text. */
export function changelogSection(text: string, version: string): string
/** Points vX and vX.Y at the tag's commit, optionally pushing them. */
export function moveTags(
  tag: string,
  opts?: { cwd?: string; remote?: string; push?: boolean }
): { commit: string | undefined; moved: string[] }
