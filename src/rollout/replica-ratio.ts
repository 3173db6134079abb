/**
 * Replica-ratio traffic shifting: behind one Service, the share of traffic
 * a track gets is its share of the ready pods. The canary gets
 * ceil(weight% × replicas) and the stable workload the rest; both are scaled
 * through the `scale` subresource (as `kubectl scale` does) and must be
 * Available before the shift counts. Capacity comes first: the side growing
 * is scaled and ready before the other shrinks, except in a rollback, where
 * both move at once.
 */

import type { Clock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { describeRef, type Cluster, type KubeObject, type ObjectRef } from '../kube/types.js'
import { waitForObjects } from '../kube/wait.js'
import type { RolloutSpec } from '../plan/types.js'
import {
  canaryReplicas,
  type ShiftOptions,
  type ShiftOutcome,
  type TrafficShifter
} from './traffic.js'
import { canaryWorkload, workloadRef } from './workloads.js'

function replicasOf(obj: KubeObject | undefined): number {
  const r = (obj?.spec as { replicas?: unknown } | undefined)?.replicas
  return typeof r === 'number' ? r : obj ? 1 : 0
}

function availableOf(obj: KubeObject | undefined): number {
  const a = (obj?.status as { availableReplicas?: unknown } | undefined)?.availableReplicas
  return typeof a === 'number' ? a : 0
}

/** Shifts traffic by scaling the stable and canary workloads. */
export class ReplicaRatioShifter implements TrafficShifter {
  readonly mode = 'replicas' as const
  readonly stable: ObjectRef
  readonly canary: ObjectRef
  /** Total replicas, from the plan or (first shift) the two workloads' sum. */
  private total?: number

  constructor(
    private readonly cluster: Cluster,
    rollout: RolloutSpec,
    namespace: string,
    private readonly clock: Clock
  ) {
    this.stable = workloadRef(rollout.target, namespace)
    this.canary = workloadRef(canaryWorkload(rollout), namespace)
    this.total = rollout.replicas
  }

  describe(): string {
    return `replicas of ${this.stable.kind} ${this.stable.name} / ${this.canary.name}`
  }

  async shift(weight: number, opts: ShiftOptions): Promise<ShiftOutcome> {
    const started = this.clock.now()
    const deadline = started + opts.timeoutMs
    const left = (): number => Math.max(0, deadline - this.clock.now())
    const [stable, canary] = await Promise.all([
      this.cluster.get(this.stable),
      this.cluster.get(this.canary)
    ])
    const missing = !stable ? this.stable : !canary ? this.canary : undefined
    if (missing)
      return this.outcome(started, false, weight, `${describeRef(missing)} not found`, {
        evidence:
          missing === this.canary
            ? 'apply the new version as the canary workload (rollout.canary, default <target>-canary) before the rollout'
            : undefined
      })
    this.total ??= replicasOf(stable) + replicasOf(canary)
    const total = Math.max(1, this.total)
    const wantCanary = canaryReplicas(weight, total)
    const wantStable = total - wantCanary
    const data = {
      mode: 'replicas',
      total,
      canary: { name: this.canary.name, replicas: wantCanary, was: replicasOf(canary) },
      stable: { name: this.stable.name, replicas: wantStable, was: replicasOf(stable) }
    }
    const steps: [ObjectRef, number, number][] = [
      [this.canary, wantCanary, replicasOf(canary)],
      [this.stable, wantStable, replicasOf(stable)]
    ]
    try {
      if (opts.urgent) {
        await Promise.all(
          steps.map(([ref, n, was]) => (n === was ? undefined : this.scale(ref, n)))
        )
      } else {
        // Grow first, shrink second: the traffic never lands on fewer pods than before.
        const ordered = [...steps].sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
        for (const [ref, n, was] of ordered) {
          if (n === was) continue
          await this.scale(ref, n)
          if (n > was) {
            const w = await waitForObjects(this.cluster, [ref], {
              timeoutMs: left(),
              clock: this.clock,
              signal: opts.signal,
              failFast: true
            })
            if (w.result !== 'done')
              return this.outcome(
                started,
                false,
                weight,
                `${describeRef(ref)} did not become available at ${n} replicas: ${w.message}`,
                {
                  data,
                  evidence: await this.evidence(ref)
                }
              )
          }
        }
      }
    } catch (err) {
      return this.outcome(started, false, weight, `scaling failed: ${errorMessage(err)}`, { data })
    }
    // Verification: both workloads Current at the replicas asked for. In a rollback the canary
    // is not waited on with fail-fast (its pods may be what is failing, and they are going away).
    const [vs, vc] = await Promise.all([
      waitForObjects(this.cluster, [this.stable], {
        timeoutMs: left(),
        clock: this.clock,
        signal: opts.urgent ? undefined : opts.signal,
        failFast: true
      }),
      waitForObjects(this.cluster, [this.canary], {
        timeoutMs: left(),
        clock: this.clock,
        signal: opts.urgent ? undefined : opts.signal,
        failFast: !opts.urgent
      })
    ])
    const [s2, c2] = await Promise.all([
      this.cluster.get(this.stable),
      this.cluster.get(this.canary)
    ])
    const problems: string[] = []
    if (vs.result !== 'done') problems.push(`${describeRef(this.stable)}: ${vs.message}`)
    if (vc.result !== 'done') problems.push(`${describeRef(this.canary)}: ${vc.message}`)
    if (replicasOf(s2) !== wantStable)
      problems.push(`${this.stable.name} has ${replicasOf(s2)} replicas, not ${wantStable}`)
    if (replicasOf(c2) !== wantCanary)
      problems.push(`${this.canary.name} has ${replicasOf(c2)} replicas, not ${wantCanary}`)
    if (problems.length === 0 && availableOf(s2) < wantStable)
      problems.push(
        `${this.stable.name} has ${availableOf(s2)} of ${wantStable} replicas available`
      )
    if (problems.length === 0 && availableOf(c2) < wantCanary)
      problems.push(
        `${this.canary.name} has ${availableOf(c2)} of ${wantCanary} replicas available`
      )
    const summary = `canary ${this.canary.name} ${wantCanary} of ${total} replicas, stable ${this.stable.name} ${wantStable}`
    if (problems.length)
      return this.outcome(
        started,
        false,
        weight,
        `shift to ${weight}% not verified (${summary}): ${problems.join('; ')}`,
        {
          data,
          evidence: await this.evidence(vc.result !== 'done' ? this.canary : this.stable)
        }
      )
    return this.outcome(
      started,
      true,
      weight,
      `canary at ${weight}% (${summary}), both available in ${formatDuration(this.clock.now() - started)}`,
      { data: { ...data, available: { canary: availableOf(c2), stable: availableOf(s2) } } }
    )
  }

  private async scale(ref: ObjectRef, replicas: number): Promise<void> {
    await this.cluster.mergePatch(ref, { spec: { replicas } }, { subresource: 'scale' })
  }

  private async evidence(ref: ObjectRef): Promise<string | undefined> {
    return collectEvidence(this.cluster, ref).then(
      formatEvidence,
      err => `evidence unavailable: ${errorMessage(err)}`
    )
  }

  private outcome(
    started: number,
    ok: boolean,
    weight: number,
    message: string,
    extra: { data?: Record<string, unknown>; evidence?: string } = {}
  ): ShiftOutcome {
    return {
      ok,
      weight,
      message,
      evidence: extra.evidence,
      data: extra.data ?? {},
      durationMs: this.clock.now() - started
    }
  }
}
