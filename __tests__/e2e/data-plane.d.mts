/** Types of data-plane.mjs (the e2e suite's traffic data plane). */

export type Track = 'stable' | 'canary'
export const TRACKS: Track[]

/** The few fields of the Kubernetes objects the data plane reads. */
export interface RouteLike {
  spec?: {
    rules?: { backendRefs?: { name: string; kind?: string; group?: string; weight?: number }[] }[]
  }
}
export interface ServiceLike {
  spec?: { selector?: Record<string, string> }
}
export interface DeploymentLike {
  status?: { readyReplicas?: number }
}

export function splitFromRoute(
  route: RouteLike | undefined,
  services: Map<string, ServiceLike>
): Record<string, number>
export function splitFromReplicas(
  stable: DeploymentLike | undefined,
  canary: DeploymentLike | undefined
): { stable: number; canary: number }
export function weightedPicker(): (weights: Record<string, number>) => string | undefined
export function errorGate(): (rate: number) => boolean

export interface SplitEntry {
  at: number
  stable: number
  canary: number
}

export interface DataPlane {
  ports: Record<Track, number>
  setTrack(track: Track, setting: { errorRate?: number; latencyMs?: number }): void
  split(): { stable: number; canary: number }
  history(): SplitEntry[]
  onSplit(fn: (entry: SplitEntry) => void): void
  served(track: Track, from?: number, to?: number): { total: number; errors: number }
  sent(): { stable: number; canary: number; dropped: number; failed: number }
  stop(): Promise<void>
}

export function watchObjects(
  kube: { server: string; ca: string; cert: string; key: string },
  path: string,
  store: Map<string, unknown>,
  changed: () => void,
  signal: AbortSignal
): Promise<void>

export function startDataPlane(opts: {
  kube: { server: string; ca: string; cert: string; key: string }
  namespace: string
  route?: string
  workloads?: { stable: string; canary: string }
  exporter: string
  service: string
  rps?: number
  maxInFlight?: number
  log?: (line: string) => void
}): Promise<DataPlane>
