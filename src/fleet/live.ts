/**
 * What a fleet release shows while it runs: events (a wave starts or ends, a
 * gate starts or ends on a cluster, the halt), as progress lines without a
 * TTY and as a cluster × gate table redrawn in place on one. The table is a
 * pure function of the events (`applyFleetEvent`, `renderLiveTable`);
 * `LiveTable` only writes it to the terminal.
 */

import { redact } from '../core/secrets.js'
import type { Verdict } from '../report/model.js'

export type FleetEvent =
  | { kind: 'wave-start'; wave: string; clusters: string[] }
  | { kind: 'wave-end'; wave: string; verdict: Verdict }
  | { kind: 'gate-start'; wave: string; cluster: string; gate: string }
  | { kind: 'gate-end'; wave: string; cluster: string; gate: string; verdict: Verdict }
  | { kind: 'halt'; wave: string; reason: string }

/** The progress line of an event (no TTY). */
export function progressLine(e: FleetEvent): string {
  switch (e.kind) {
    case 'wave-start':
      return `wave ${e.wave}: reality check on ${e.clusters.join(', ')}`
    case 'wave-end':
      return `wave ${e.wave}: ${e.verdict}`
    case 'gate-start':
      return `${e.cluster}: ${e.gate}`
    case 'gate-end':
      return `${e.cluster}: ${e.gate} ${e.verdict}`
    case 'halt':
      return `fleet: halted in wave ${e.wave}: ${e.reason}`
  }
}

/** The table's columns, in the order a cluster goes through them. */
export const LIVE_GATES = ['reality-check', 'tracer', 'phase', 'validate', 'soak', 'rollback']

export interface LiveState {
  /** Clusters in the order their waves started, each with its wave. */
  rows: { cluster: string; wave: string }[]
  /** cluster → gate → `running` or the verdict. */
  cells: Record<string, Record<string, 'running' | Verdict>>
  waves: Record<string, 'running' | Verdict>
  halt?: string
}

export function emptyLiveState(): LiveState {
  return { rows: [], cells: {}, waves: {} }
}

/** The state after one event (a new object; the old one is left as it was). */
export function applyFleetEvent(state: LiveState, e: FleetEvent): LiveState {
  const next: LiveState = {
    rows: [...state.rows],
    cells: { ...state.cells },
    waves: { ...state.waves },
    ...(state.halt ? { halt: state.halt } : {})
  }
  const row = (cluster: string, wave: string): void => {
    if (!next.rows.some(r => r.cluster === cluster)) next.rows.push({ cluster, wave })
  }
  switch (e.kind) {
    case 'wave-start':
      next.waves[e.wave] = 'running'
      for (const c of e.clusters) row(c, e.wave)
      break
    case 'wave-end':
      next.waves[e.wave] = e.verdict
      break
    case 'gate-start':
    case 'gate-end':
      row(e.cluster, e.wave)
      next.cells[e.cluster] = {
        ...next.cells[e.cluster],
        [e.gate]: e.kind === 'gate-start' ? 'running' : e.verdict
      }
      break
    case 'halt':
      next.halt = `halted in wave ${e.wave}: ${e.reason}`
      break
  }
  return next
}

const SHOWN: Record<'running' | Verdict, string> = {
  running: 'running',
  pass: 'pass',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
  inconclusive: 'inconcl.',
  cancelled: 'cancelled',
  error: 'ERROR'
}

/** The table as lines: a header, a row per cluster (`·` for a gate not reached yet), the halt. */
export function renderLiveTable(state: LiveState): string[] {
  const header = ['cluster', 'wave', ...LIVE_GATES]
  const body = state.rows.map(r => [
    r.cluster,
    `${r.wave}${state.waves[r.wave] && state.waves[r.wave] !== 'running' ? ` (${SHOWN[state.waves[r.wave]]})` : ''}`,
    ...LIVE_GATES.map(g => {
      const v = state.cells[r.cluster]?.[g]
      return v ? SHOWN[v] : '·'
    })
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(row => row[i].length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(header), ...body.map(line), ...(state.halt ? [state.halt] : [])]
}

/** A writable terminal stream, as much of it as the table needs. */
export interface TableStream {
  write(s: string): boolean | void
  columns?: number
}

/**
 * The table on a TTY: every event redraws it in place (cursor up over the
 * lines written last time, each line cleared); a log line is written above
 * it and the table drawn again below.
 */
export class LiveTable {
  private state = emptyLiveState()
  private drawn = 0
  constructor(private readonly stream: TableStream) {}

  event(e: FleetEvent): void {
    this.state = applyFleetEvent(this.state, e)
    this.draw()
  }

  /** A line that scrolls above the table (a log line). */
  log(line: string): void {
    this.erase()
    this.stream.write(`${redact(line.replace(/\n$/, ''))}\n`)
    this.draw()
  }

  /** Leaves the table as drawn (something else wrote below it, e.g. a question); the next event draws it anew below. */
  detach(): void {
    this.drawn = 0
  }

  private erase(): void {
    if (this.drawn === 0) return
    this.stream.write(`\x1b[${this.drawn}A\r\x1b[0J`)
    this.drawn = 0
  }

  private draw(): void {
    const width = (this.stream.columns ?? 120) - 1
    const lines = renderLiveTable(this.state).map(l => redact(l).slice(0, width))
    const up = this.drawn ? `\x1b[${this.drawn}A\r` : ''
    this.stream.write(up + lines.map(l => `\x1b[2K${l}\n`).join(''))
    this.drawn = lines.length
  }
}
