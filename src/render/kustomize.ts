/**
 * Kustomize directories rendered with the real Kustomize: a standalone
 * `kustomize` on PATH when there is one, else `kubectl kustomize` (built into
 * kubectl). The output becomes loaded objects like any manifest file, each
 * pointing at the overlay directory and the object.
 */

import { access, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { UsageError } from '../core/errors.js'
import { processExec, type Exec } from '../core/exec.js'
import { parseManifests, type LoadedManifest } from '../plan/manifest-text.js'

/** File names Kustomize reads as a kustomization. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

/** True when `dir` is a directory holding a kustomization file. */
export async function isKustomizeDir(dir: string): Promise<boolean> {
  const s = await stat(dir).catch(() => undefined)
  if (!s?.isDirectory()) return false
  for (const f of KUSTOMIZATION_FILES)
    if (
      await access(join(dir, f)).then(
        () => true,
        () => false
      )
    )
      return true
  return false
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const d of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(d, name)
    if (
      await access(p).then(
        () => true,
        () => false
      )
    )
      return p
  }
  return undefined
}

/** The command that renders a kustomization: `kustomize build` or `kubectl kustomize`. */
export async function kustomizeCommand(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const standalone = await onPath('kustomize', env)
  if (standalone) return [standalone, 'build']
  const kubectl = await onPath('kubectl', env)
  if (kubectl) return [kubectl, 'kustomize']
  throw new UsageError(
    'a Kustomize directory needs `kustomize` or `kubectl` on PATH to render it; install either (kubectl includes kustomize)'
  )
}

/** Renders one kustomization directory; `display` is the overlay directory as users see it. */
export async function renderKustomize(
  dir: string,
  display: string,
  opts: { exec?: Exec; field: string; signal?: AbortSignal }
): Promise<LoadedManifest[]> {
  const cmd = await kustomizeCommand()
  const r = await (opts.exec ?? processExec).run([...cmd, dir], {
    timeoutMs: 120_000,
    maxOutput: 16 << 20,
    signal: opts.signal
  })
  if (r.exitCode !== 0 || r.spawnError)
    throw new UsageError(
      `${opts.field}: Kustomize could not render ${display}/ (${cmd.slice(1).join(' ')}): ${(r.spawnError ?? r.stderr).trim().split('\n').slice(0, 5).join('\n')}`
    )
  let file = display
  for (const f of KUSTOMIZATION_FILES)
    if (
      await access(join(dir, f)).then(
        () => true,
        () => false
      )
    ) {
      file = join(display, f)
      break
    }
  return parseManifests(r.stdout, file).map(m => ({
    ...m,
    // Rendered output has no lines of its own: findings name the overlay's kustomization and the object.
    line: 1,
    column: 1,
    source: `kustomize build ${display}`,
    lineOf: undefined
  }))
}
