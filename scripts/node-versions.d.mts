/** Where node@<major> lives: ~/.cache/phase-gate/node-<major>. */
export function nodeDir(major: number): string
/** The path of a Node.js binary of that major version, installed from the npm registry when missing. */
export function ensureNode(major: number, opts?: { log?: (message: string) => void }): string
