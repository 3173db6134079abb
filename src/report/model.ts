/**
 * The one result model every renderer works from: CheckResult → GateResult →
 * RunReport, serialised as versioned JSON. Nothing here talks to a cluster or
 * formats Markdown.
 */

export const REPORT_SCHEMA_VERSION = 1

/** Outcome of a check, a gate or a run. */
export type Verdict = 'pass' | 'warn' | 'fail' | 'skip' | 'inconclusive' | 'cancelled' | 'error'

/** high: the deployment will fail; medium: likely trouble; low: advice. */
export type Severity = 'high' | 'medium' | 'low' | 'info'

export const GATE_NAMES = [
  'reality-check',
  'tracer',
  'plan',
  'phase',
  'validate',
  'record',
  'rollout',
  'rollback',
  'soak',
  'drift'
] as const

/** A gate's name as the CLI's `--gate` and the action's `gate` input take it. */
export type GateName = (typeof GATE_NAMES)[number]

/** Where in the plan file an assumption or check was declared. */
export interface SourceLocation {
  file: string
  line: number
  column: number
  /** Dotted field path, e.g. `assumptions.apis[2]`. */
  path?: string
}

/** One check's result: what was checked, the verdict and what a person needs to act. */
export interface CheckResult {
  /** Stable id, `<kind>:<target>`; unique within a gate. */
  id: string
  kind: string
  target: string
  verdict: Verdict
  severity: Severity
  /** One line a person reads first. */
  message: string
  /** What was observed: events, container states, the server's words, the numbers. */
  evidence?: string
  /** What to change in the plan or the cluster to make the check pass. */
  adjustment?: string
  durationMs: number
  location?: SourceLocation
  /** Structured figures (metric query, value, threshold, baseline, window, sizes ...). */
  data?: Record<string, unknown>
  /** Requests retried before this verdict. */
  retries?: number
}

/** One gate's result. */
export interface GateResult {
  gate: GateName
  /** The phase, tracer, stage or level the gate ran for, when it ran for one. */
  name?: string
  verdict: Verdict
  durationMs: number
  /** Time allowed by the plan's budget for this gate (or phase). */
  budgetMs?: number
  startedAt: string
  checks: CheckResult[]
  /** Free-form lines the gate wants a reader to see (what was cleaned, rolled back, kept). */
  notes?: string[]
  /** Gate-specific structured output (the rendered plan, the record, stage figures). */
  details?: Record<string, unknown>
}

/** The whole run: what `--report` writes and the action's `report` output points at. */
export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  tool: { name: 'phase-gate'; version: string }
  plan: string
  planFile: string
  runId: string
  target: { context?: string; namespace: string; server?: string }
  startedAt: string
  finishedAt: string
  verdict: Verdict
  gates: GateResult[]
  /** The workflow run attempt it was made in, as the record reader learns it from the artifact name (`phase-gate-report-<job>-<attempt>`). */
  runAttempt?: number
  /** This run's overrides as given (`--image app=reg/app:2.0`, `--set web.replicaCount=3`). */
  overrides?: string[]
}

// Order in which a verdict dominates another when results are combined: a
// known failure says more than a check that could not be made, and both more
// than a warning.
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = {
  skip: 0,
  pass: 1,
  warn: 2,
  inconclusive: 3,
  error: 4,
  fail: 5,
  cancelled: 6
}

/** The verdict that stands for a set of verdicts (empty → pass). */
export function combineVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict | undefined
  let all = 0
  let skipped = 0
  for (const v of verdicts) {
    all++
    if (v === 'skip') skipped++
    if (worst === undefined || VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v
  }
  if (worst === undefined) return 'pass'
  // A gate whose every check was skipped did not prove anything, but it did not fail either.
  if (skipped === all) return 'skip'
  return worst === 'skip' ? 'pass' : worst
}

/** True when the verdict lets a deployment go on (warnings allowed). */
export function isPassing(v: Verdict): boolean {
  return v === 'pass' || v === 'warn' || v === 'skip'
}

/** Exit code of the CLI for a run's verdict (see the CLI contract). */
/** True when a check of the report records a bug (an unexpected exception) rather than a failed check. */
export function hasBug(report: Pick<RunReport, 'gates'>): boolean {
  return report.gates.some(g => g.checks.some(c => c.data?.bug === true))
}

/** The exit code of a run: exitCodeFor its verdict, but 70 when it is `error` because of a bug. */
export function exitCodeForReport(
  report: Pick<RunReport, 'gates' | 'verdict'>,
  signal?: 'SIGINT' | 'SIGTERM'
): number {
  return report.verdict === 'error' && hasBug(report) ? 70 : exitCodeFor(report.verdict, signal)
}

export function exitCodeFor(v: Verdict, signal?: 'SIGINT' | 'SIGTERM'): number {
  switch (v) {
    case 'pass':
    case 'warn':
    case 'skip':
      return 0
    case 'fail':
    case 'inconclusive':
      return 1
    case 'error':
      return 3
    case 'cancelled':
      // Cancelled by a signal: 130/143; stopped without one (not approved): a gate did not let it go on.
      return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1
  }
}

/** Builds a GateResult whose verdict is derived from its checks. */
export function gateResult(
  gate: GateName,
  startedAt: number,
  checks: CheckResult[],
  extra: Partial<Omit<GateResult, 'gate' | 'checks'>> & { now?: number } = {}
): GateResult {
  const { now, ...rest } = extra
  return {
    gate,
    verdict: rest.verdict ?? combineVerdicts(checks.map(c => c.verdict)),
    durationMs: Math.max(0, (now ?? Date.now()) - startedAt),
    startedAt: new Date(startedAt).toISOString(),
    ...rest,
    checks
  }
}

/** Counts of checks per verdict, for headlines. */
export function countVerdicts(checks: CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = {
    pass: 0,
    warn: 0,
    fail: 0,
    skip: 0,
    inconclusive: 0,
    cancelled: 0,
    error: 0
  }
  for (const c of checks) counts[c.verdict]++
  return counts
}
