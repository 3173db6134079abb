/**
 * One gate run's collector: the checks, notes and details a gate gathers
 * while its steps run, and its outcome, made into the gate's result at the
 * end. A gate hands it from step to step instead of keeping its own arrays
 * and a `done` closure.
 */

import type { Clock } from '../core/clock.js'
import { UsageError } from '../core/errors.js'
import {
  gateResult,
  type CheckResult,
  type GateName,
  type GateResult,
  type Verdict
} from '../report/model.js'

/** What a gate's result carries besides its checks. */
export interface GateRunOptions {
  /** The phase, tracer or stage the gate runs for. */
  name?: string
  budgetMs?: number
  details?: Record<string, unknown>
}

/** The checks, notes and details of one gate run (or one unit of it: a phase, a stage). */
export class GateRun {
  readonly checks: CheckResult[] = []
  readonly notes: string[] = []
  readonly details: Record<string, unknown> | undefined

  constructor(
    readonly gate: GateName,
    private readonly clock: Pick<Clock, 'now'>,
    readonly started: number,
    private readonly options: GateRunOptions = {}
  ) {
    this.details = options.details
  }

  /** Adds findings. */
  check(...checks: CheckResult[]): void {
    this.checks.push(...checks)
  }

  /** Adds a line for the reader. */
  note(line: string): void {
    this.notes.push(line)
  }

  /** The gate's result now: its verdict from the checks unless one is given. */
  result(verdict?: Verdict): GateResult {
    return gateResult(this.gate, this.started, this.checks, {
      now: this.clock.now(),
      ...('name' in this.options ? { name: this.options.name } : {}),
      budgetMs: this.options.budgetMs,
      notes: this.notes.length ? this.notes : undefined,
      ...(this.details ? { details: this.details } : {}),
      ...(verdict ? { verdict } : {})
    })
  }
}

/** The units (phases, tracers) a `--phase`/`--tracer` flag selects: all without it; a name that matches none is a usage error. */
export function selectNamed<T extends { name: string }>(
  all: T[],
  wanted: string | undefined,
  what: string
): T[] {
  if (!wanted) return all
  const selected = all.filter(u => u.name === wanted)
  if (selected.length === 0)
    throw new UsageError(
      `no ${what} named "${wanted}"; ${what}s: ${all.map(u => u.name).join(', ') || 'none'}`
    )
  return selected
}
