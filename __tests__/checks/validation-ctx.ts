// A ValidationContext / GateContext for unit tests: an in-memory plan, a fake
// cluster, a scripted exec and a fixed clock. Nothing runs or listens.
import type { Clock } from '../../src/core/clock.js'
import type { Exec, ExecOptions, ExecResult } from '../../src/core/exec.js'
import { memoryLogger } from '../../src/core/log.js'
import type { GateContext } from '../../src/gates/types.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { Cluster } from '../../src/kube/types.js'
import type { LoadedPlan, Plan } from '../../src/plan/types.js'
import type { Settings } from '../../src/settings.js'

/** A plan as the loader would return it; every path locates at line 1 of phase-gate.yaml, with the path kept. */
export function loadedPlan(plan: Partial<Plan> = {}, dir = '/plans/app'): LoadedPlan {
  return {
    plan: { version: 1, name: 'app', target: { namespace: 'shop' }, ...plan },
    file: `${dir}/phase-gate.yaml`,
    displayFile: 'phase-gate.yaml',
    dir,
    root: dir,
    locate: path => ({
      file: 'phase-gate.yaml',
      line: 1,
      column: 1,
      path: path.map(String).join('.')
    })
  }
}

/** One scripted answer of the fake exec: by argv prefix, in order. */
export interface ScriptedRun {
  argv: string[]
  result: Partial<ExecResult>
}

/** An Exec that answers from a script and records every call. */
export function scriptedExec(
  script: ScriptedRun[] = []
): Exec & { calls: { argv: string[]; opts?: ExecOptions }[] } {
  const calls: { argv: string[]; opts?: ExecOptions }[] = []
  const pending = [...script]
  return {
    calls,
    async run(argv, opts) {
      calls.push({ argv, opts })
      const i = pending.findIndex(s => s.argv.every((a, j) => argv[j] === a))
      if (i < 0)
        return {
          exitCode: 127,
          stdout: '',
          stderr: '',
          durationMs: 1,
          timedOut: false,
          spawnError: `spawn ${argv[0]} ENOENT`
        }
      const [s] = pending.splice(i, 1)
      return { exitCode: 0, stdout: '', stderr: '', durationMs: 5, timedOut: false, ...s.result }
    }
  }
}

export const fixedClock = (
  start = Date.parse('2026-03-01T10:00:00Z')
): Clock & { advance(ms: number): void } => {
  let now = start
  return {
    now: () => now,
    sleep: async ms => void (now += ms),
    advance: ms => void (now += ms)
  }
}

/** A GateContext over fakes; override what a test needs. */
export function gateContext(
  over: Omit<Partial<GateContext>, 'cluster' | 'settings'> & {
    cluster?: Cluster
    plan?: Partial<Plan>
    settings?: Partial<Settings>
  } = {}
): GateContext {
  const { cluster, plan, settings, ...rest } = over
  const loaded = rest.loaded ?? loadedPlan(plan)
  const ctx: GateContext = {
    loaded,
    settings: {
      gate: 'validate',
      planPath: loaded.file,
      runId: 'run-1',
      runIdGiven: true,
      kubeconfig: { kind: 'path', path: '/home/me/.kube/config' },
      dryRun: false,
      comment: false,
      workspace: loaded.dir,
      ...settings
    },
    runId: settings?.runId ?? 'run-1',
    namespace: loaded.plan.target.namespace,
    cluster: async () => {
      if (!cluster) throw new Error('no cluster in this test')
      return cluster
    },
    // The record of the context's plan and namespace, as the engine makes it.
    stateRecord: async () =>
      StateRecord.forPlan(await ctx.cluster(), ctx.loaded.plan, ctx.namespace),
    registry: () => {
      throw new Error('no registry in this test')
    },
    metrics: () => {
      throw new Error('no metrics in this test')
    },
    exec: scriptedExec(),
    clock: fixedClock(),
    log: memoryLogger(),
    signal: new AbortController().signal,
    progress: () => undefined,
    earlier: [],
    ...rest
  }
  return ctx
}
