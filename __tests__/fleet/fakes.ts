// Fakes of the fleet layer's own interfaces: a cluster runner that records
// every call and answers each gate with a verdict chosen per cluster.
import type { ClusterRunner, FleetDeps } from '../../src/fleet/run.js'
import type { FleetCluster, FleetSpec, LoadedPlan } from '../../src/plan/types.js'
import type { CheckResult, GateName, RunReport, Verdict } from '../../src/report/model.js'

export const CLUSTERS: FleetCluster[] = [
  { name: 'a', context: 'ctx-a', labels: { ring: 'canary' } },
  { name: 'b', context: 'ctx-b', labels: { ring: 'main' } },
  { name: 'c', context: 'ctx-c', labels: { ring: 'main' }, namespace: 'other' }
]

export const fleetOf = (over: Partial<FleetSpec> = {}): FleetSpec => ({
  clusters: CLUSTERS,
  waves: [
    { name: 'canary', select: { ring: 'canary' } },
    { name: 'main', select: { ring: 'main' }, maxParallel: 2 }
  ],
  ...over
})

export const planOf = (fleet: FleetSpec): LoadedPlan =>
  ({
    plan: {
      version: 1,
      name: 'web',
      target: { namespace: 'web' },
      phases: [{ name: 'db' }, { name: 'app' }],
      fleet
    },
    file: '/p.yaml',
    displayFile: 'p.yaml',
    dir: '/',
    root: '/',
    locate: () => ({ file: 'p.yaml', line: 1, column: 1 })
  }) as unknown as LoadedPlan

/** A clock that moves one second per reading, so every time is distinct and ordered. */
export function tickingClock(start = Date.parse('2026-12-07T10:00:00Z')): () => number {
  let t = start
  return () => (t += 1000)
}

/**
 * Records every call in order; `fail` says which gate fails on which cluster
 * (`'b': 'phase'`), `failCheck` the failed check's id. Each gate's result
 * carries one check; a passing reality check reports the image digest.
 */
export function fakeRunner(
  fail: Record<string, GateName> = {},
  now: () => number = tickingClock()
): { runner: ClusterRunner; calls: string[] } {
  const calls: string[] = []
  const runner: ClusterRunner = {
    gate: async (c, gate, opts) => {
      calls.push(`${c.name}:${gate}${opts?.phase ? `:${opts.phase}` : ''}`)
      await new Promise(r => setTimeout(r, 1))
      const verdict: Verdict = fail[c.name] === gate ? 'fail' : 'pass'
      const check: CheckResult = {
        id: verdict === 'fail' ? `quota:${c.name}-small` : `${gate}:ok`,
        kind: gate === 'reality-check' ? 'image' : gate,
        target: c.name,
        verdict,
        severity: verdict === 'fail' ? 'high' : 'info',
        message:
          verdict === 'fail' ? `${gate} failed on ${c.name}` : `${gate} verified on ${c.name}`,
        durationMs: 1,
        ...(gate === 'reality-check'
          ? { data: { reference: 'reg.local/app:2.0', digest: `sha256:${'d'.repeat(64)}` } }
          : {})
      }
      return {
        verdict,
        gates: [
          {
            gate,
            ...(opts?.phase ? { name: opts.phase } : {}),
            verdict,
            durationMs: 1,
            startedAt: new Date(now()).toISOString(),
            checks: [check]
          }
        ]
      } as unknown as RunReport
    },
    images: async () => [{ container: 'app/app', image: 'reg.local/app:2.0' }]
  }
  return { runner, calls }
}

export const depsOf = (
  runner: ClusterRunner,
  extra: Partial<FleetDeps> = {},
  now = tickingClock()
): FleetDeps => ({
  runner,
  now,
  sleep: async () => undefined,
  progress: () => undefined,
  approve: true,
  ...extra
})
