/**
 * The plan file (`phase-gate.yaml`) as typed data. Field names are the
 * contract users, examples and tests rely on; `schemas/plan.schema.json`
 * validates the same shape.
 */

import type { SourceLocation } from '../report/model.js'

export interface Plan {
  $schema?: string
  version: 1
  name: string
  target: Target
  budgets?: Budgets
  owners?: string[]
  ticket?: string
  notify?: NotifySpec[]
  dashboards?: DashboardSpec[]
  prometheus?: string | PrometheusSpec
  registries?: RegistrySettings
  assumptions?: Assumptions
  tracers?: TracerSpec[]
  phases?: PhaseSpec[]
  validation?: ValidationSpec
  rollout?: RolloutSpec
  rollbackLevels?: RollbackLevelSpec[]
  hygiene?: HygieneSpec
  soak?: SoakSpec
  approval?: ApprovalSpec
  state?: { keepRuns?: number }
  lock?: { wait?: string }
  drift?: DriftSpec
  /** Many clusters in waves (`phase-gate fleet`); every gate runs per cluster unchanged. */
  fleet?: FleetSpec
}

/** `phase-gate drift`: live objects against what the last successful run applied. */
export interface DriftSpec {
  /** `any`: drift fails the drift gate; `never` (default): it warns. */
  failOn?: 'any' | 'never'
}

export interface Target {
  context?: string
  namespace: string
  /** `kubernetes` (default) or `openshift`: enables OpenShift divergence rules. */
  platform?: 'kubernetes' | 'openshift'
  /** A production target: the migration check refuses to run against it unless `allowOnProduction`. */
  production?: boolean
}

export type BudgetSize = 'simple' | 'medium' | 'complex'

export interface Budgets {
  size?: BudgetSize
  'reality-check'?: string
  tracer?: string
  plan?: string
  phase?: string
  validate?: string
  rollout?: string
  soak?: string
  rollback?: string
  /** Bound on all phases of a run together (each phase keeps its own timeout and budget). */
  implementation?: string
}

export interface PrometheusSpec {
  url: string
  /** Name of an environment variable holding a bearer token. */
  bearerTokenEnv?: string
  basicAuth?: { usernameEnv: string; passwordEnv: string }
  caFile?: string
  /** Reach Prometheus through the apiserver's service proxy: `namespace/service:port`. */
  serviceProxy?: string
}

export interface RegistrySettings {
  /** Registry host → mirror host, e.g. `docker.io: 127.0.0.1:5000`. */
  mirrors?: Record<string, string>
  caFile?: string
  /** Registries allowed for images; others are a divergence finding. */
  allow?: string[]
  /** Hosts reached over plain HTTP (loopback registries). */
  insecure?: string[]
}

export interface ImageAssumption {
  ref: string
  platform?: string
  maxSize?: string
}

export interface OperatorAssumption {
  name: string
  namespace?: string
  /** A semver range the installed version must satisfy, e.g. `>=1.20`. */
  version?: string
}

export interface PermissionAssumption {
  verb: string
  resource: string
  namespace?: string
  name?: string
  subresource?: string
}

export interface QuotaAssumption {
  cpu?: string
  memory?: string
  pods?: number
  [resource: string]: string | number | undefined
}

export interface Assumptions {
  apis?: string[]
  images?: (string | ImageAssumption)[]
  operators?: (string | OperatorAssumption)[]
  storageClasses?: string[]
  permissions?: PermissionAssumption[]
  quota?: QuotaAssumption
  manifests?: string[]
  crds?: string[]
}

export type SuccessCriterion =
  { ready: true } | { phase: string } | { condition: string; status?: string } | { cel: string }

export interface ManifestSource {
  file?: string
  inline?: string
}

export interface TracerSpec {
  name: string
  assumption: string
  manifest: ManifestSource
  success: SuccessCriterion
  timeout?: string
  cleanup?: boolean
  critical?: boolean
}

export interface HelmSpec {
  release: string
  chart: string
  version?: string
  values?: Record<string, unknown>
  valuesFiles?: string[]
  namespace?: string
}

export interface ReadyCheck {
  ready: { kind: string; name: string; apiVersion?: string; namespace?: string; timeout?: string }
}
export interface HttpCheck {
  http: {
    service?: string
    port?: number | string
    path?: string
    url?: string
    method?: string
    headers?: Record<string, string>
    expect?: { status?: number; body?: string; cel?: string }
    timeout?: string
    namespace?: string
  }
}
export interface CommandCheck {
  command: {
    run: string[]
    shell?: boolean
    cwd?: string
    env?: Record<string, string>
    timeout?: string
    expect?: { exitCode?: number; output?: string }
  }
}
export interface EnvCheck {
  env: { selector: string; require: string[]; namespace?: string; container?: string }
}
export interface MetricCheck {
  metric: {
    query: string
    /** Optional when `warn` or `fail` is given. */
    expect?: string
    /** Warn tier: the check warns when the value is above this at any sample. */
    warn?: string | number
    /** Fail tier: the check fails when the value is above this at any sample. */
    fail?: string | number
    window?: string
    baseline?: string
    name?: string
  }
}
export interface PullRequestCheck {
  pullRequest: {
    approvals?: number
    blockingLabels?: string[]
    requiredChecks?: string[]
  }
}
export interface ToolsCheck {
  tools: Record<string, string>
}
export interface MigrationCheck {
  migration: {
    up: string[]
    down: string[]
    shell?: boolean
    cwd?: string
    env?: Record<string, string>
    timeout?: string
    /** Run up → down → up even when the target is marked `production: true`. */
    allowOnProduction?: boolean
  }
}
export interface ArgoCdCheck {
  argocd: { application: string; namespace?: string; sync?: string; health?: string }
}
export interface AlertRulesCheck {
  alertRules: { names: string[] }
}

/** A validation check: exactly one key naming its kind. */
export type CheckSpec =
  | ReadyCheck
  | HttpCheck
  | CommandCheck
  | EnvCheck
  | MetricCheck
  | PullRequestCheck
  | ToolsCheck
  | MigrationCheck
  | ArgoCdCheck
  | AlertRulesCheck

export type RollbackAction =
  | { undo: true }
  | { helm: 'rollback' }
  | { command: { run: string[]; shell?: boolean; timeout?: string } }

export interface PhaseSpec {
  name: string
  apply?: string[]
  /** A Kustomize directory (base or overlay) rendered and applied instead of `apply:`. */
  kustomize?: string
  /** Take fields another field manager owns (server-side apply `force`); off by default, so a conflict is reported. */
  forceConflicts?: boolean
  helm?: HelmSpec
  validate?: CheckSpec[]
  timeout?: string
  budget?: string
  rollback?: RollbackAction[]
  /** A migration this phase runs: `up` before applying, `down` after the undo on its rollback; without `down` code rollback is refused. */
  migration?: PhaseMigration
  /** What a failure does: `rollback` (default) undoes the phase; `stop` keeps its objects for a person to choose. */
  onFailure?: 'rollback' | 'stop'
}

/** One migration step: a command (argv, from the plan's directory) or a Job manifest run to completion. */
export type MigrationRun = string[] | { job: ManifestSource }

/** A phase's migration: `up` before the phase applies, `down` after its undo. */
export interface PhaseMigration {
  up: MigrationRun
  down?: MigrationRun
  shell?: boolean
  /** How long each of up and down may run (default 5m, bounded by the phase's deadline). */
  timeout?: string
  env?: Record<string, string>
}

export interface ValidationSpec {
  checks?: CheckSpec[]
  rollbackTest?: boolean
}

export interface WorkloadRef {
  kind: string
  name: string
  apiVersion?: string
}

export interface StageSpec {
  name: string
  weight: number
  hold?: string
  /** How long the stage may hold for the judge's evidence (default 3x hold). */
  maxHold?: string
  /** Triggers judged at this stage only, added to `rollout.rollbackIf`. */
  rollbackIf?: RollbackTrigger[]
}

export interface RollbackTrigger {
  metric?: string
  /** Judge the canary's use of this resource as a share of its containers' limits (instead of a metric). */
  resource?: 'cpu' | 'memory'
  above?: string | number
  below?: string | number
  cel?: string
  noDataFor?: string
  /** Warn tier: above this the stage writes a `warn` finding and a notification, never a rollback. */
  warn?: string | number
  /** Fail tier: above this the canary rolls back (the same as `above`). */
  fail?: string | number
  /** N of M samples before the trigger fires ("sustained"). */
  samples?: number
  of?: number
}

export interface RolloutMetrics {
  prometheus?: string | PrometheusSpec
  requests?: string
  [name: string]: string | PrometheusSpec | undefined
}

export interface RolloutSpec {
  target: WorkloadRef
  canary?: WorkloadRef
  replicas?: number
  route?: { name: string; namespace?: string }
  interval?: string
  stages?: StageSpec[]
  metrics?: RolloutMetrics
  rollbackIf?: RollbackTrigger[]
  onTrigger?: RollbackLevel | 'none'
  /** `seed`: the thresholds teams start from apply to the metrics the plan names. */
  defaults?: 'seed' | 'none'
  infra?: CheckSpec[]
  /** Statistical comparisons of the canary with the stable track. */
  judge?: JudgeSpec[]
  /** A comparison still inconclusive at the hold's end: hold (to maxHold, then the stage is inconclusive), fail or promote; default hold. */
  onInconclusive?: 'hold' | 'fail' | 'promote'
  /** Requests per second both tracks serve together (for the minimum traffic each stage needs). */
  expectedRps?: number
}

/** One comparison of `rollout.judge`. */
export interface JudgeSpec {
  name: string
  test: 'proportion' | 'mann-whitney'
  /** proportion: counters under rollout.metrics. */
  failures?: string
  total?: string
  /** mann-whitney: a query under rollout.metrics. */
  metric?: string
  worseBy: string | number
  confidence?: number
  minSamples?: number
}

/** The rollback levels, cheapest first; each has its own module under src/rollout/ (registered in level-registry.ts). */
export type RollbackLevel = 'flag' | 'config' | 'code'

export interface RollbackLevelSpec {
  level: RollbackLevel
  configMap?: string
  key?: string
  value?: string
  command?: { run: string[]; shell?: boolean }
  configMaps?: string[]
  secrets?: string[]
  target?: WorkloadRef
  helm?: { release: string }
  budget?: string
}

export interface HygieneRuleSpec {
  id: string
  severity?: 'high' | 'medium' | 'low'
  match?: { kinds?: string[] }
  cel: string
  message: string
  fix?: string
}

export interface HygieneSpec {
  rules?: HygieneRuleSpec[]
  params?: Record<string, unknown>
  ignore?: { rule: string; object?: string; reason: string }[]
  disable?: string[]
  /** The lowest severity whose findings fail the reality check (default high); `never`: all warn. */
  failOn?: 'high' | 'medium' | 'low' | 'never'
}

export interface SoakSpec {
  window?: string
  interval?: string
  minSamples?: number
  sustained?: { samples: number; of: number }
  thresholds?: CheckSpec[]
  onDegraded?: RollbackLevel | 'none'
  /** How long one run of the soak gate samples before it leaves the rest of the window to the next (scheduled) run; default until the soak decides. */
  runFor?: string
}

export interface NotifySpec {
  name?: string
  /** Name of the environment variable (a secret) holding the webhook URL. */
  urlEnv: string
  format?: 'slack' | 'json' | 'pagerduty'
  /** With format pagerduty: the environment variable (a secret) holding the routing key. */
  routingKeyEnv?: string
  events?: string[]
}

export interface DashboardSpec {
  name: string
  url: string
}

export interface ApprovalSpec {
  environment?: string
  /** A wait timer alone (no required reviewers) counts as the approval point. */
  allowWaitTimer?: boolean
}

/** One cluster of a fleet, reached through its own kubeconfig context. */
export interface FleetCluster {
  name: string
  context: string
  labels?: Record<string, string>
  /** The target namespace on this cluster (default target.namespace). */
  namespace?: string
}

/** One wave: the clusters whose labels match `select`, after the previous wave passed. */
export interface FleetWave {
  name: string
  select: Record<string, string>
  /** At most this many clusters deploy at once (default 1). */
  maxParallel?: number
  /** Duration the wave's clusters keep being sampled before the next wave. */
  soak?: string
}

/** When a fleet release halts: a count of failed clusters, or a percentage of a wave's. */
export type FleetHaltOn = { failedClusters: number } | { percent: number }

export interface FleetSpec {
  clusters: FleetCluster[]
  waves: FleetWave[]
  /** Default `{failedClusters: 1}`. */
  haltOn?: FleetHaltOn
  /** Default `rollback`. */
  onHalt?: 'rollback' | 'hold'
}

/** A loaded, validated plan with the location of every node. */
import type { PlanOverrides } from './overrides-spec.js'

export interface LoadedPlan {
  plan: Plan
  /** Absolute path of the plan file. */
  file: string
  /** Path of the plan file as shown to users (relative to the workspace). */
  displayFile: string
  /** Directory relative paths in the plan resolve against. */
  dir: string
  /** Root that manifest globs may not escape (the repository or workspace). */
  root: string
  /** Location of a node by its field path (`['assumptions','apis',2]`); the nearest existing ancestor otherwise. */
  locate(path: (string | number)[]): SourceLocation
  /** This run's overrides (`--image`, `--set`), applied after rendering (src/render/overrides.ts). */
  overrides?: PlanOverrides
}
