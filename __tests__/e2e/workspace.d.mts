/** Types of workspace.mjs (what an e2e run lays out under .e2e/). */

export const ROOT: string
export const ACTION_REPOSITORY: string
export const ACTION_REF: string
export const STAND_IN_FOR: Record<string, string>
export const ACT_COMPAT: { file: string; from: string; to: string; why: string }[]

export const FLEET_NO_HALT: { file: string; from: string; to: string }
export function copyActionRepository(
  from: string,
  dir: string,
  edits?: { file: string; from: string; to: string }[]
): string
export function buildActionRepository(dir: string, opts?: { dist?: string }): string
export function buildStandIns(dir: string): Record<string, string>
export function usesOf(files: string[]): string[]
export function localRepositoryFlags(
  uses: string[],
  opts: { actionDir: string; standIns: Record<string, string> }
): string[]
export function failFastJobs(files: string[]): string[]
export function prepareCallerRepository(opts: {
  runDir: string
  example: string
  repository: string
  edit?: (repo: string) => void
}): { repo: string; server: string; workflow: string; sha: string }
export function replaceIn(file: string, from: string, to: string): void
export function deployKubeconfig(
  kubeconfigText: string,
  opts?: { contexts?: string[]; current?: string }
): string
export function fleetKubeconfig(kubeconfigText: string, aliases: Record<string, string>): string
export function writeSecrets(file: string, secrets: Record<string, string>): void
