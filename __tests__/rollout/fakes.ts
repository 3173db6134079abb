// Fakes of our own seams for the rollout, rollback and metric unit tests: a
// virtual clock, scripted Prometheus answers, a FakeCluster that plays the
// Deployment controller, a scripted exec, and a GateContext around them.
import { memoryLogger } from '../../src/core/log.js'
import type { Clock } from '../../src/core/clock.js'
import type { Exec, ExecOptions, ExecResult } from '../../src/core/exec.js'
import type { GateContext, ProgressEvent } from '../../src/gates/types.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import type { KubeObject, ObjectRef } from '../../src/kube/types.js'
import type { MetricSample, Metrics } from '../../src/metrics/types.js'
import type { LoadedPlan, Plan } from '../../src/plan/types.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { makeAvailable } from '../support/kube-fixtures.js'

/**
 * Virtual time: `sleep` resolves on the next macrotask with the clock moved to
 * the end of the sleep, so work that finishes in microtasks (fake servers)
 * always beats a timeout, and a 10-minute hold takes milliseconds.
 */
export class VirtualClock implements Clock {
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[] = []
  constructor(public t = Date.parse('2030-01-01T00:00:00Z')) {}
  now(): number {
    return this.t
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    const until = this.t + ms
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      setImmediate(() => {
        if (signal?.aborted) return reject(signal.reason)
        this.t = Math.max(this.t, until)
        resolve()
      })
    })
  }
}

/** What a scripted query answers at a time: samples, a bare number, undefined (no data) or an error to throw. */
export type Answer = MetricSample[] | number | undefined | Error

/** Prometheus answering from a script: (query, clock time) → answer. */
export class ScriptedMetrics implements Metrics {
  readonly url = 'http://prometheus.test:9090'
  readonly queries: { query: string; at: number }[] = []
  constructor(
    private readonly clock: Clock,
    private readonly answer: (query: string, now: number) => Answer
  ) {}
  async query(promql: string): Promise<MetricSample[]> {
    const at = this.clock.now()
    this.queries.push({ query: promql, at })
    const a = this.answer(promql, at)
    if (a instanceof Error) throw a
    if (a === undefined) return []
    if (typeof a === 'number') return [{ labels: {}, value: a, timestamp: at / 1000 }]
    return a
  }
}

/** A FakeCluster that plays the Deployment controller: every spec change is rolled out and Available at once. */
export class ControllerCluster extends FakeCluster {
  /** When set, Deployments with this name never become available (a canary that cannot start). */
  stuck = new Set<string>()
  /** Order of scale patches: `name=replicas`. */
  readonly scaled: string[] = []

  override async mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    opts: { dryRun?: boolean; subresource?: string } = {}
  ): Promise<KubeObject> {
    const r = await super.mergePatch(ref, patch, opts)
    if (opts.subresource === 'scale')
      this.scaled.push(`${ref.name}=${(patch.spec as { replicas: number }).replicas}`)
    if (ref.kind === 'Deployment' && !opts.dryRun) this.rollOut(ref)
    return r
  }

  override async replace(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const r = await super.replace(obj, opts)
    if (obj.kind === 'Deployment' && !opts.dryRun) this.rollOut(r)
    return r
  }

  /** The controller's reaction to a spec change. */
  rollOut(ref: ObjectRef | KubeObject): void {
    this.update(ref, d => {
      d.metadata.generation = (d.metadata.generation ?? 1) + 1
      if (this.stuck.has(d.metadata.name)) {
        d.status = { observedGeneration: d.metadata.generation, replicas: 0, availableReplicas: 0 }
        return
      }
      makeAvailable(d)
    })
  }
}

/** A Deployment as the controller leaves it after rolling out. */
export function availableDeployment(
  name: string,
  replicas: number,
  namespace = 'ns',
  extra: Partial<KubeObject> = {}
): KubeObject {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: `registry.invalid/${name}:1` }] }
      }
    },
    ...extra
  }
  makeAvailable(d)
  return d
}

/** An Exec answering from a script; records every argv. */
export class ScriptedExec implements Exec {
  readonly calls: { argv: string[]; opts?: ExecOptions }[] = []
  constructor(
    private readonly answer: (
      argv: string[],
      opts?: ExecOptions
    ) => Partial<ExecResult> = () => ({})
  ) {}
  async run(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push({ argv, opts })
    return {
      exitCode: 0,
      stdout: '',
      stderr: '',
      durationMs: 1,
      timedOut: false,
      ...this.answer(argv, opts)
    }
  }
}

/** A LoadedPlan without a file: every location is line 1. */
export function loadedPlan(plan: Plan, dir = '/plan'): LoadedPlan {
  return {
    plan,
    file: `${dir}/phase-gate.yaml`,
    displayFile: 'phase-gate.yaml',
    dir,
    root: dir,
    locate: path => ({ file: 'phase-gate.yaml', line: 1, column: 1, path: path.join('.') })
  }
}

/** A GateContext over fakes. */
export function gateContext(o: {
  plan: Plan
  cluster: FakeCluster
  clock?: Clock
  metrics?: Metrics
  exec?: Exec
  settings?: Partial<Settings>
  signal?: AbortSignal
}): GateContext & { progressEvents: ProgressEvent[]; log: ReturnType<typeof memoryLogger> } {
  const progressEvents: ProgressEvent[] = []
  const log = memoryLogger()
  return {
    loaded: loadedPlan(o.plan),
    settings: {
      gate: 'rollout',
      planPath: '/plan/phase-gate.yaml',
      runId: 'run-1',
      runIdGiven: true,
      kubeconfig: { kind: 'default' },
      dryRun: false,
      comment: false,
      workspace: '/plan',
      ...o.settings
    },
    runId: o.settings?.runId ?? 'run-1',
    namespace: o.plan.target.namespace,
    cluster: async () => o.cluster,
    stateRecord: async () => StateRecord.forPlan(o.cluster, o.plan, o.plan.target.namespace),
    registry: () => {
      throw new Error('no registry in these tests')
    },
    metrics: () => {
      if (!o.metrics) throw new Error('no metrics in this test')
      return o.metrics
    },
    exec: o.exec ?? new ScriptedExec(),
    clock: o.clock ?? new VirtualClock(),
    log,
    signal: o.signal ?? new AbortController().signal,
    progress: e => progressEvents.push(e),
    earlier: [],
    progressEvents
  }
}
