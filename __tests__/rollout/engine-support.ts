// Runs gates the way the CLI does (runEngine with the production seams) on a
// plan written into a temp workspace, for integration tests of the rollout,
// rollback and Helm phase gates against the local cluster.
import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import type { GateName, RunReport } from '../../src/report/model.js'
import type { ProgressEvent } from '../../src/gates/types.js'
import type { Settings } from '../../src/settings.js'
import { clusterEnv } from '../support/cluster-env.js'

/** A temp workspace holding a plan (and optionally copies of fixture directories). */
export async function workspace(
  files: Record<string, string> = {},
  copies: Record<string, string> = {}
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phase-gate-itg-'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  for (const [to, from] of Object.entries(copies))
    await cp(from, join(dir, to), { recursive: true })
  return dir
}

/** Options of runGate. */
export interface GateRun {
  dir: string
  plan?: string
  gate: GateName
  runId: string
  phase?: string
  stage?: string
  level?: string
  dryRun?: boolean
  signal?: AbortSignal
  /** Told each progress event (tests act when a stage starts holding). */
  progress?: (e: ProgressEvent) => void
}

/** Runs one gate through the engine with the production seams; resolves with the report and the log. */
export async function runGate(o: GateRun): Promise<{ report: RunReport; log: string[] }> {
  const settings: Settings = {
    gate: o.gate,
    planPath: join(o.dir, o.plan ?? 'phase-gate.yaml'),
    phase: o.phase,
    stage: o.stage,
    level: o.level,
    runId: o.runId,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: clusterEnv().kubeconfig },
    dryRun: o.dryRun ?? false,
    comment: false,
    workspace: o.dir
  }
  const log = memoryLogger()
  const { report } = await runEngine(settings, {
    ...productionDeps(settings, log),
    log,
    signal: o.signal,
    progress: o.progress
  })
  return { report, log: log.lines }
}
