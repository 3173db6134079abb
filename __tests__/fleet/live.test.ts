// The live cluster × gate table: a pure function of the release's events,
// checked over the events a real (fake-engine) release emits, and its
// in-place redrawing on a terminal stream.
import { describe, expect, it } from '@jest/globals'
import {
  LiveTable,
  applyFleetEvent,
  emptyLiveState,
  progressLine,
  renderLiveTable,
  type FleetEvent
} from '../../src/fleet/live.js'
import { runFleet } from '../../src/fleet/run.js'
import { depsOf, fakeRunner, fleetOf, planOf } from './fakes.js'

const tableOf = (events: FleetEvent[]): string[] =>
  renderLiveTable(events.reduce(applyFleetEvent, emptyLiveState()))

describe('live fleet table', () => {
  it('shows running gates, verdicts and · for gates not reached, updated event by event', () => {
    const events: FleetEvent[] = [
      { kind: 'wave-start', wave: 'canary', clusters: ['eu-1'] },
      { kind: 'gate-start', wave: 'canary', cluster: 'eu-1', gate: 'reality-check' }
    ]
    expect(tableOf(events)).toEqual([
      'cluster  wave    reality-check  tracer  phase  validate  soak  rollback',
      'eu-1     canary  running        ·       ·      ·         ·     ·'
    ])
    events.push(
      { kind: 'gate-end', wave: 'canary', cluster: 'eu-1', gate: 'reality-check', verdict: 'pass' },
      { kind: 'gate-start', wave: 'canary', cluster: 'eu-1', gate: 'tracer' }
    )
    expect(tableOf(events)[1]).toBe(
      'eu-1     canary  pass           running  ·      ·         ·     ·'
    )
  })

  it('after a release that halts: every cluster, its gates, the rollback and the halt line', async () => {
    const events: FleetEvent[] = []
    const lines: string[] = []
    const { runner } = fakeRunner({ b: 'phase' })
    await runFleet(
      planOf(fleetOf()),
      depsOf(runner, { event: e => events.push(e), progress: l => lines.push(l) }),
      { runId: 'r1', planArg: 'p.yaml' }
    )
    // Every event is also a progress line (no TTY), in the same order.
    expect(lines).toEqual(events.map(progressLine))
    expect(lines[0]).toBe('wave canary: reality check on a')
    const table = tableOf(events)
    expect(table[0]).toMatch(
      /^cluster\s+wave\s+reality-check\s+tracer\s+phase\s+validate\s+soak\s+rollback$/
    )
    expect(table.slice(1, 4).map(l => l.split(/\s{2,}/))).toEqual([
      ['a', 'canary (pass)', 'pass', 'pass', 'pass', 'pass', '·', 'pass'],
      ['b', 'main (FAIL)', 'pass', 'pass', 'FAIL', '·', '·', 'pass'],
      ['c', 'main (FAIL)', 'pass', 'pass', 'pass', 'pass', '·', 'pass']
    ])
    expect(table[4]).toMatch(/^halted in wave main: failed on b \(phase\)/)
  })

  it('redraws in place on a terminal: cursor up over the last table; a log line scrolls above it', () => {
    const written: string[] = []
    const live = new LiveTable({ write: s => void written.push(s), columns: 200 })
    live.event({ kind: 'wave-start', wave: 'w', clusters: ['a', 'b'] })
    expect(written[0]).toBe(
      '\x1b[2Kcluster  wave  reality-check  tracer  phase  validate  soak  rollback\n' +
        '\x1b[2Ka        w     ·              ·       ·      ·         ·     ·\n' +
        '\x1b[2Kb        w     ·              ·       ·      ·         ·     ·\n'
    )
    live.event({ kind: 'gate-start', wave: 'w', cluster: 'a', gate: 'reality-check' })
    // Three lines up, then the same three lines again.
    expect(written[1].startsWith('\x1b[3A\r\x1b[2Kcluster')).toBe(true)
    expect(written[1].split('\n')).toHaveLength(4)
    live.log('a: an info line')
    expect(written.slice(2)).toEqual([
      '\x1b[3A\r\x1b[0J',
      'a: an info line\n',
      expect.stringContaining('\x1b[2Kcluster')
    ])
  })
})
