/** Types of upload-artifact.mjs (the stand-in of actions/upload-artifact v4). */

export function searchPath(pattern: string, cwd: string): string
export function commonAncestor(paths: string[]): string
export function uploadSpec(
  patterns: string[],
  opts: { cwd: string; includeHidden?: boolean }
): { root: string; files: string[] }
