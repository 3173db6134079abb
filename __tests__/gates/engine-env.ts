// Helpers for gate tests that run the engine: a plan directory in a temp
// workspace, the Settings the CLI would build, and the engine's real deps
// against the local cluster (connect by kubeconfig, the target registry).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import type { EngineDeps } from '../../src/engine.js'
import { connectCluster } from '../../src/kube/client.js'
import { createTargetRegistry } from '../../src/registry/client.js'
import type { Settings } from '../../src/settings.js'

export interface PlanDir {
  dir: string
  planPath: string
  /** Writes a file relative to the plan directory. */
  write(path: string, text: string): Promise<void>
  remove(): Promise<void>
}

/** A temp workspace holding `phase-gate.yaml` and the given files. */
export async function planDir(plan: string, files: Record<string, string> = {}): Promise<PlanDir> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-gate-'))
  const write = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  await write('phase-gate.yaml', plan)
  for (const [p, t] of Object.entries(files)) await write(p, t)
  return {
    dir,
    planPath: join(dir, 'phase-gate.yaml'),
    write,
    remove: () => rm(dir, { recursive: true, force: true })
  }
}

/** The settings a CLI call with these flags would build. */
export function cliSettings(p: PlanDir, kubeconfig: string, over: Partial<Settings>): Settings {
  return {
    gate: 'phase',
    planPath: p.planPath,
    runId: 'run-x',
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: kubeconfig },
    dryRun: false,
    comment: false,
    workspace: p.dir,
    ...over
  }
}

/** The engine's real seams: the cluster through the kubeconfig, the registry as production builds it. */
export function realDeps(
  over: Partial<EngineDeps> = {}
): EngineDeps & { log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger()
  return {
    log,
    // The engine closes the cluster it connected when the run ends.
    connect: s =>
      connectCluster({
        kubeconfigPath: s.kubeconfig.kind === 'path' ? s.kubeconfig.path : undefined,
        context: s.context
      }),
    registry: (settings, loaded, cluster, namespace) =>
      createTargetRegistry({ settings, loaded, cluster, namespace, log }),
    ...over
  } as EngineDeps & { log: ReturnType<typeof memoryLogger> }
}
