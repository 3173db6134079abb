/** Types of download-artifact.mjs (the stand-in of actions/download-artifact v4). */

export function nameMatches(pattern: string, name: string): boolean
export function extract(zip: Buffer, dir: string): string[]
