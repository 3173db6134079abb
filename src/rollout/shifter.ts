/** Picks the traffic shifter for a rollout (its own module: the shifters import traffic.ts's types). */

import type { Clock } from '../core/clock.js'
import type { Cluster } from '../kube/types.js'
import type { RolloutSpec } from '../plan/types.js'
import { ReplicaRatioShifter } from './replica-ratio.js'
import { RouteWeightShifter } from './route-weights.js'
import type { TrafficShifter } from './traffic.js'

/** The shifter for a plan's rollout: route weights when `route` is given, else the replica ratio. */
export function createShifter(
  cluster: Cluster,
  rollout: RolloutSpec,
  namespace: string,
  clock: Clock
): TrafficShifter {
  return rollout.route
    ? new RouteWeightShifter(cluster, rollout, namespace, clock)
    : new ReplicaRatioShifter(cluster, rollout, namespace, clock)
}
