// Types of lib.mjs for the TypeScript tests that start a cluster of their own.

export type ComponentName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'provisioner'
  | 'openshift-controller'
  | 'registry'
  | 'token-server'
  | 'registry-auth'
  | 'exporter'
  | 'prometheus'

/** `openshift` adds Route/SCC/ClusterVersion, namespace UID ranges and a restricted-v2 policy. */
export type Profile = 'kubernetes' | 'openshift'

export interface SeededImage {
  digest: string
  mediaType: string
  size: number
  layerBytes: number
  platforms: string[]
}

export interface ClusterState {
  version: number
  profile: Profile
  dir: string
  createdAt: string
  kubernetesVersion: string
  ports: {
    etcd: number
    etcdPeer: number
    apiserver: number
    kwok: number
    registry: number
    tokenServer: number
    registryAuth: number
    exporter: number
    prometheus: number
  }
  pids: Partial<Record<ComponentName, number>>
  urls: {
    apiserver: string
    etcd: string
    kwok: string
    registry: string
    registryAuth: string
    tokenServer: string
    prometheus: string
    exporter: string
  }
  kubeconfig: string
  caFile: string
  bin: string
  contexts: { admin: string; restricted: string; cert: string }
  namespaces: { restricted: string }
  nodes: string[]
  tokens: { admin: string; restricted: string }
  clientCert: { cert: string; key: string }
  pki: {
    ca: string
    caKey: string
    serviceAccountKey: string
    serviceAccountPub: string
    registryTokenCert: string
  }
  registry: {
    open: string
    auth: string
    user: string
    password: string
    passwordFile: string
    realm: string
    service: string
  }
  images: { open?: Record<string, SeededImage>; auth?: Record<string, SeededImage> }
  logs: string
  /** Where the storage provisioner keeps its (empty) volume directories. */
  volumes: string
  kwokLogsDir: string
  env: Record<string, string>
}

export interface HealthReport {
  healthy: boolean
  components: Partial<
    Record<ComponentName, { pid: number | null; running: boolean; healthy: boolean }>
  >
}

type Log = (message: string) => void

export const COMPONENTS: ComponentName[]
export const PROFILES: Profile[]
export const CONTEXTS: { admin: string; restricted: string; cert: string }
export const RESTRICTED_NAMESPACE: string
export const NODES: string[]

/** The components a cluster of this profile runs, in start order. */
export function profileComponents(profile?: Profile): ComponentName[]

/** The checkout's own cluster directory, `<repo>/.cluster`. */
export function defaultClusterDir(): string
/** Starts (or verifies and reuses) the cluster in `dir`; idempotent. */
export function startCluster(opts?: {
  dir?: string
  profile?: Profile
  log?: Log
}): Promise<ClusterState>
/** Stops every process of the cluster in `dir`, waits for its ports to close; `purge` deletes `dir`. */
export function stopCluster(opts?: {
  dir?: string
  purge?: boolean
  log?: Log
}): Promise<{ stopped: string[] }>
/** The cluster's state.json, or null. */
export function readClusterState(dir?: string): ClusterState | null
/** Environment for a client of the cluster (KUBECONFIG, PHASE_GATE_*, PATH with its bin first). */
export function clusterEnvVars(state: ClusterState, basePath?: string): Record<string, string>
/** Which components run and answer their health check. */
export function clusterHealth(dir?: string): Promise<HealthReport>
/** Stops one component (its ports closed on return). */
export function stopComponent(dir: string, name: ComponentName): Promise<void>
/** Starts one stopped component on its old ports and waits until it is healthy. */
export function startComponent(dir: string, name: ComponentName): Promise<'reused' | 'started'>
/** Restarts one component and waits until it is healthy. */
export function restartComponent(dir: string, name: ComponentName): Promise<'started'>
/** Path of a tool (kubectl, helm, actionlint, act, controller-gen, ...), built on demand, linked into dir/bin. */
export function ensureTool(name: string, opts?: { dir?: string; log?: Log }): Promise<string>
