/**
 * Traffic shifting by Gateway API weights: the HTTPRoute's backendRefs named
 * like the stable and the canary workload (their Services carry the same
 * names) get weights 100 − w and w in every rule that routes to them; a rule
 * with only the stable backend gets the canary added beside it (same port).
 * The route is replaced on its resourceVersion (retried on conflict), read
 * back, and both workloads must be Available for the weight they now take.
 * When a Gateway controller reports route status, its Accepted and
 * ResolvedRefs conditions for the new generation count too.
 */

import type { Clock } from '../core/clock.js'
import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import {
  KubeApiError,
  describeRef,
  type Cluster,
  type KubeObject,
  type ObjectRef
} from '../kube/types.js'
import { waitForObjects } from '../kube/wait.js'
import type { RolloutSpec } from '../plan/types.js'
import type { ShiftOptions, ShiftOutcome, TrafficShifter } from './traffic.js'
import { canaryWorkload, workloadRef } from './workloads.js'

/** The HTTPRoute API version phase-gate moves weights on. */
export const HTTPROUTE_API = 'gateway.networking.k8s.io/v1'

interface BackendRef {
  name?: string
  kind?: string
  group?: string
  namespace?: string
  port?: number
  weight?: number
  [k: string]: unknown
}
interface Rule {
  backendRefs?: BackendRef[]
  [k: string]: unknown
}

/** The route with the weights set; throws when no rule routes to the stable or canary backend. */
export function setRouteWeights(
  route: KubeObject,
  backends: { stable: string; canary: string },
  weight: number
): KubeObject {
  const next = structuredClone(route)
  const rules = ((next.spec as { rules?: Rule[] } | undefined)?.rules ?? []) as Rule[]
  let touched = 0
  for (const rule of rules) {
    const refs = rule.backendRefs ?? []
    const isService = (b: BackendRef): boolean => (b.kind ?? 'Service') === 'Service' && !b.group
    const stable = refs.find(b => b.name === backends.stable && isService(b))
    let canary = refs.find(b => b.name === backends.canary && isService(b))
    if (!stable && !canary) continue
    if (!canary && stable) {
      canary = { ...structuredClone(stable), name: backends.canary }
      refs.push(canary)
      rule.backendRefs = refs
    }
    if (stable) stable.weight = 100 - weight
    if (canary) canary.weight = weight
    touched++
  }
  if (touched === 0)
    throw new Error(
      `${describeRef(route)} has no rule with a backendRef named ${backends.stable} or ${backends.canary}`
    )
  return next
}

/** The canary's weight (percent of the pair) in each rule routing to the pair. */
export function routeWeights(
  route: KubeObject,
  backends: { stable: string; canary: string }
): { stable: number; canary: number }[] {
  const rules = ((route.spec as { rules?: Rule[] } | undefined)?.rules ?? []) as Rule[]
  const out: { stable: number; canary: number }[] = []
  for (const rule of rules) {
    const refs = rule.backendRefs ?? []
    const s = refs.find(b => b.name === backends.stable)
    const c = refs.find(b => b.name === backends.canary)
    // Gateway API's default weight is 1.
    if (s || c) out.push({ stable: s ? (s.weight ?? 1) : 0, canary: c ? (c.weight ?? 1) : 0 })
  }
  return out
}

/** Problems a Gateway controller reported about the route's current generation. */
export function routeStatusProblems(route: KubeObject): string[] {
  const parents = ((route.status as { parents?: unknown[] } | undefined)?.parents ?? []) as {
    parentRef?: { name?: string }
    conditions?: {
      type?: string
      status?: string
      reason?: string
      message?: string
      observedGeneration?: number
    }[]
  }[]
  const gen = route.metadata.generation
  const out: string[] = []
  for (const p of parents) {
    for (const c of p.conditions ?? []) {
      if (c.type !== 'Accepted' && c.type !== 'ResolvedRefs') continue
      if (gen !== undefined && c.observedGeneration !== undefined && c.observedGeneration < gen)
        continue
      if (c.status !== 'True')
        out.push(
          `${p.parentRef?.name ?? 'parent'}: ${c.type}=${c.status} (${c.reason ?? ''}${c.message ? `: ${c.message}` : ''})`
        )
    }
  }
  return out
}

/** Shifts traffic by an HTTPRoute's backend weights. */
export class RouteWeightShifter implements TrafficShifter {
  readonly mode = 'route' as const
  readonly route: ObjectRef
  readonly stable: ObjectRef
  readonly canary: ObjectRef

  constructor(
    private readonly cluster: Cluster,
    rollout: RolloutSpec,
    namespace: string,
    private readonly clock: Clock
  ) {
    const route = rollout.route as { name: string; namespace?: string }
    this.route = {
      apiVersion: HTTPROUTE_API,
      kind: 'HTTPRoute',
      name: route.name,
      namespace: route.namespace ?? namespace
    }
    this.stable = workloadRef(rollout.target, namespace)
    this.canary = workloadRef(canaryWorkload(rollout), namespace)
  }

  describe(): string {
    return `HTTPRoute ${this.route.name} (backends ${this.stable.name} / ${this.canary.name})`
  }

  private get backends(): { stable: string; canary: string } {
    return { stable: this.stable.name, canary: this.canary.name }
  }

  async shift(weight: number, opts: ShiftOptions): Promise<ShiftOutcome> {
    const started = this.clock.now()
    const deadline = started + opts.timeoutMs
    const done = (
      ok: boolean,
      message: string,
      data: Record<string, unknown> = {},
      evidence?: string
    ): ShiftOutcome => ({
      ok,
      weight,
      message,
      evidence,
      data: { mode: 'route', route: this.route.name, ...data },
      durationMs: this.clock.now() - started
    })

    // The canary must be able to take its share before it gets it (not in a rollback).
    if (!opts.urgent && weight > 0) {
      const w = await waitForObjects(this.cluster, [this.canary], {
        timeoutMs: Math.max(0, deadline - this.clock.now()),
        clock: this.clock,
        signal: opts.signal,
        failFast: true
      })
      if (w.result !== 'done')
        return done(false, `${describeRef(this.canary)} is not available: ${w.message}`)
    }

    let was: { stable: number; canary: number }[]
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject | undefined
      try {
        live = await this.cluster.get(this.route)
      } catch (err) {
        return done(false, `cannot read ${describeRef(this.route)}: ${errorMessage(err)}`)
      }
      if (!live) return done(false, `${describeRef(this.route)} not found`)
      was = routeWeights(live, this.backends)
      let next: KubeObject
      try {
        next = setRouteWeights(live, this.backends, weight)
      } catch (err) {
        return done(false, errorMessage(err))
      }
      try {
        await this.cluster.replace(next)
        break
      } catch (err) {
        const conflict = err instanceof KubeApiError && err.status === 409
        if (!conflict || attempt >= 5)
          return done(false, `cannot update ${describeRef(this.route)}: ${errorMessage(err)}`, {
            was
          })
      }
    }

    // Read back what the API server holds now.
    const after = await this.cluster.get(this.route)
    const now = after ? routeWeights(after, this.backends) : []
    const data = { weights: now, was }
    const wrong = now.filter(w => w.canary !== weight || w.stable !== 100 - weight)
    if (!after || now.length === 0 || wrong.length)
      return done(
        false,
        `${describeRef(this.route)} does not hold weight ${weight} for the canary after the update`,
        data
      )
    const statusProblems = routeStatusProblems(after)
    if (statusProblems.length)
      return done(
        false,
        `the Gateway did not accept ${describeRef(this.route)}: ${statusProblems.join('; ')}`,
        data
      )

    // The side that keeps traffic must be available; the canary only when it takes a share.
    const needed = [
      ...(weight < 100 ? [this.stable] : []),
      ...(weight > 0 && !opts.urgent ? [this.canary] : [])
    ]
    if (needed.length) {
      const w = await waitForObjects(this.cluster, needed, {
        timeoutMs: Math.max(0, deadline - this.clock.now()),
        clock: this.clock,
        signal: opts.urgent ? undefined : opts.signal,
        failFast: true
      })
      if (w.result !== 'done') return done(false, `weights set, but ${w.message}`, data)
    }
    const reported = (after.status as { parents?: unknown[] } | undefined)?.parents?.length
      ? ''
      : ' (no Gateway controller reported status for the route)'
    return done(
      true,
      `canary at ${weight}%: ${describeRef(this.route)} weights ${this.stable.name}=${100 - weight} ${this.canary.name}=${weight} in ${now.length} rule${now.length === 1 ? '' : 's'}, read back in ${formatDuration(this.clock.now() - started)}${reported}`,
      data
    )
  }
}
