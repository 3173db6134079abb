// Notifications for the whole deployment: the new events a report implies,
// and a PagerDuty Events v2 payload delivered over real HTTP to a loopback
// receiver that checks its shape. The routing key is a secret: it reaches
// the receiver and nothing else (no log line, no outcome).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { memoryLogger } from '../../src/core/log.js'
import { redact } from '../../src/core/secrets.js'
import type { NotifyEvent } from '../../src/notify/events.js'
import { eventsFromReport } from '../../src/notify/report-events.js'
import { describeOutcomes, sendNotification } from '../../src/notify/send.js'
import type { GateResult, RunReport } from '../../src/report/model.js'
import { startReceiver, type Receiver } from '../notify/receiver.js'

let rx: Receiver
beforeAll(async () => {
  rx = await startReceiver()
})
afterAll(() => rx.close())

const event: NotifyEvent = {
  kind: 'phase-failed',
  plan: 'shop',
  target: { context: 'staging', namespace: 'shop' },
  runId: '4711',
  at: '2026-12-07T18:00:00.000Z',
  summary: 'phase app failed: ready web: CrashLoopBackOff',
  detail: 'rollback done and verified',
  state: 'previous-stable',
  runUrl: 'https://github.example/o/r/actions/runs/4711'
}

function gate(g: Partial<GateResult> & Pick<GateResult, 'gate' | 'verdict'>): GateResult {
  return { durationMs: 10, startedAt: '2026-12-07T18:00:00.000Z', checks: [], ...g }
}

describe('PagerDuty Events v2', () => {
  it('posts routing_key, event_action, dedup_key and payload summary/severity/source; the key never reaches a log', async () => {
    const key = 'R0UTINGKEY0123456789abcdefABCDEF'
    const log = memoryLogger()
    const outcomes = await sendNotification(
      [
        {
          name: 'pager',
          urlEnv: 'PD_URL',
          format: 'pagerduty',
          routingKeyEnv: 'PD_KEY',
          events: ['phase-failed']
        }
      ],
      event,
      { env: { PD_URL: `${rx.url}/v2/enqueue`, PD_KEY: key }, log }
    )
    expect(outcomes).toEqual([
      expect.objectContaining({ webhook: 'pager', format: 'pagerduty', ok: true, attempts: 1 })
    ])
    const [req] = rx.delivered().filter(r => r.path === '/v2/enqueue')
    const body = req.body as Record<string, unknown>
    expect(req.method).toBe('POST')
    expect(body.routing_key).toBe(key)
    expect(body.event_action).toBe('trigger')
    expect(body.dedup_key).toBe('phase-gate/shop/staging/shop/4711')
    expect(body.payload).toMatchObject({
      summary: expect.stringContaining('phase failed: phase app failed'),
      severity: 'error',
      source: 'staging/shop',
      timestamp: event.at,
      component: 'shop',
      class: 'phase-failed'
    })
    expect(['critical', 'error', 'warning', 'info']).toContain(
      (body.payload as { severity: string }).severity
    )
    expect(body.links).toEqual([{ href: event.runUrl, text: 'workflow run' }])
    // Secret: registered, so redaction masks it, and it appears in no log line or outcome.
    expect(redact(`x ${key} y`)).not.toContain(key)
    expect(log.lines.join('\n')).not.toContain(key)
    expect(JSON.stringify(outcomes)).not.toContain(key)
    expect(describeOutcomes(outcomes).join('\n')).not.toContain(key)
  })

  it('does not send without the routing key, and says which variable is missing', async () => {
    const before = rx.requests.length
    const log = memoryLogger()
    const [o] = await sendNotification(
      [{ name: 'pager', urlEnv: 'PD_URL', format: 'pagerduty', routingKeyEnv: 'PD_KEY' }],
      event,
      { env: { PD_URL: `${rx.url}/v2/enqueue` }, log }
    )
    expect(o).toMatchObject({ ok: false, attempts: 0 })
    expect(o.error).toMatch(/PD_KEY \(the PagerDuty routing key\) is not set/)
    expect(rx.requests.length).toBe(before)
  })
})

describe('deployment events from a report', () => {
  const plan = {
    phases: [{ name: 'config' }, { name: 'app' }],
    rollout: undefined,
    approval: undefined
  }
  const report = (gates: GateResult[]): RunReport =>
    ({
      schemaVersion: 1,
      tool: { name: 'phase-gate', version: 't' },
      plan: 'shop',
      planFile: 'p.yaml',
      runId: '9',
      target: { namespace: 'shop' },
      startedAt: '2026-12-07T18:00:00.000Z',
      finishedAt: '2026-12-07T18:01:00.000Z',
      verdict: 'fail',
      gates
    }) as RunReport

  it('first phase → deployment-started; a failed phase → phase-failed with its rollback; validate → deployment-validated', () => {
    const events = eventsFromReport(
      report([
        gate({ gate: 'phase', name: 'config', verdict: 'pass' }),
        gate({
          gate: 'phase',
          name: 'app',
          verdict: 'fail',
          checks: [
            {
              id: 'r',
              kind: 'ready',
              target: 'Deployment web',
              verdict: 'fail',
              severity: 'high',
              message: 'CrashLoopBackOff',
              durationMs: 1
            },
            {
              id: 'u',
              kind: 'rollback',
              target: 'app: undo',
              verdict: 'pass',
              severity: 'high',
              message: 'undone: 2 deleted',
              durationMs: 1
            }
          ]
        }),
        gate({ gate: 'validate', verdict: 'pass' })
      ]),
      plan
    )
    expect(events.map(e => e.kind)).toEqual([
      'deployment-started',
      'phase-failed',
      'deployment-validated'
    ])
    expect(events[1]).toMatchObject({
      summary: 'phase app failed: ready Deployment web: CrashLoopBackOff',
      detail: 'rollback done and verified: undone: 2 deleted',
      data: { phase: 'app', rollback: 'verified' }
    })
  })

  it('a phase that is not the first does not start the deployment; a rejected record → deployment-rejected', () => {
    const events = eventsFromReport(
      report([
        gate({ gate: 'phase', name: 'app', verdict: 'pass' }),
        gate({ gate: 'record', verdict: 'fail', details: { record: { outcome: 'rejected' } } }),
        gate({ gate: 'record', verdict: 'pass', details: { record: { outcome: 'pass' } } })
      ]),
      plan
    )
    expect(events.map(e => e.kind)).toEqual(['deployment-rejected'])
  })
})
