/**
 * Traffic shifting: how much of the traffic the canary gets. With
 * `rollout.route` the weights of an HTTPRoute's backends move; otherwise the
 * replica ratio does (the canary gets ceil(weight% × replicas), the stable
 * workload the rest). Every shift is verified before it counts. The
 * shifters live in their own modules, picked by createShifter (shifter.ts).
 */

/** What a shift did and what was verified. */
export interface ShiftOutcome {
  ok: boolean
  /** The canary's weight after the shift, in percent. */
  weight: number
  message: string
  evidence?: string
  /** Figures for the report: replicas or backend weights per track. */
  data: Record<string, unknown>
  durationMs: number
}

/** Options of a shift. */
export interface ShiftOptions {
  timeoutMs: number
  signal?: AbortSignal
  /**
   * A rollback: move both tracks at once instead of adding capacity first,
   * and never wait for the canary (it may be the thing failing).
   */
  urgent?: boolean
}

/** Moves traffic between the stable and the canary track. */
export interface TrafficShifter {
  readonly mode: 'replicas' | 'route'
  /** `HTTPRoute api (backends api / api-canary)` or `replicas of Deployment api / api-canary`. */
  describe(): string
  /** Moves the canary to `weight` percent and verifies it. */
  shift(weight: number, opts: ShiftOptions): Promise<ShiftOutcome>
}

/** Canary replicas for a weight: ceil(weight% × total), 0 at 0 %, all at 100 %. */
export function canaryReplicas(weight: number, total: number): number {
  if (weight <= 0) return 0
  if (weight >= 100) return total
  // The small epsilon keeps float noise (7% of 100 = 7.000000000000001) from rounding up.
  return Math.min(total, Math.ceil((weight * total) / 100 - 1e-9))
}
