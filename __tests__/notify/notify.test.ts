// Webhook notifications over real HTTP on loopback: payload formats,
// retries with backoff and Retry-After, refusals, timeouts, event filters,
// and the URL (a secret) never reaching a log line or an outcome.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/core/clock.js'
import { memoryLogger } from '../../src/core/log.js'
import { clearSecrets, registerSecret } from '../../src/core/secrets.js'
import { UsageError } from '../../src/core/errors.js'
import { NOTIFY_EVENTS, type NotifyEvent } from '../../src/notify/events.js'
import { loadPlan } from '../../src/plan/loader.js'
import {
  JSON_PAYLOAD_SCHEMA,
  jsonPayload,
  slackEscape,
  slackPayload
} from '../../src/notify/payload.js'
import { describeOutcomes, sendNotification, unknownEvents, wants } from '../../src/notify/send.js'
import { postWebhook, retryableStatus } from '../../src/notify/webhook.js'
import { startReceiver, type Receiver } from './receiver.js'

/** A clock whose sleeps return at once and are recorded. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = Date.parse('2025-06-01T12:00:00Z')
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async ms => {
      sleeps.push(ms)
      now += ms
    }
  }
}

const event: NotifyEvent = {
  kind: 'degraded',
  plan: 'web-app',
  target: { context: 'staging', namespace: 'web' },
  runId: '12345',
  at: '2025-06-01T12:00:00.000Z',
  summary: 'restarts grew: web-7d9/app 0 → 3',
  detail: 'error rate 0.12 > 0.05 in 2 of 3 samples <since 12:00>',
  state: 'degraded',
  runUrl: 'https://github.com/octo/app/actions/runs/12345',
  data: { samples: 3 }
}

async function closedPort(): Promise<number> {
  const s = http.createServer()
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>(r => s.close(() => r()))
  return port
}

let rx: Receiver
beforeAll(async () => {
  rx = await startReceiver()
})
afterAll(() => rx.close())
afterEach(() => {
  rx.requests.length = 0
  rx.script([])
  clearSecrets()
})

describe('payloads', () => {
  it('Slack: text for every client, blocks with header, escaped mrkdwn and a context line', () => {
    const p = slackPayload(event) as {
      text: string
      blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[]
    }
    expect(p.text).toBe('web-app → staging/web: degraded: restarts grew: web-7d9/app 0 → 3')
    expect(p.blocks.map(b => b.type)).toEqual(['header', 'section', 'context'])
    expect(p.blocks[0].text?.text).toBe('web-app: degraded')
    expect(p.blocks[1].text?.text).toContain(':warning: *restarts grew')
    // Slack's control characters are escaped in mrkdwn.
    expect(p.blocks[1].text?.text).toContain('&lt;since 12:00&gt;')
    expect(p.blocks[2].elements?.[0].text).toContain('state *degraded*')
    expect(p.blocks[2].elements?.[0].text).toContain(
      '<https://github.com/octo/app/actions/runs/12345|workflow run>'
    )
  })

  it('JSON: versioned, the event and its figures', () => {
    expect(jsonPayload(event)).toEqual({
      schema: JSON_PAYLOAD_SCHEMA,
      event: 'degraded',
      title: 'degraded',
      plan: 'web-app',
      target: { context: 'staging', namespace: 'web' },
      runId: '12345',
      at: '2025-06-01T12:00:00.000Z',
      summary: event.summary,
      detail: event.detail,
      state: 'degraded',
      runUrl: event.runUrl,
      data: { samples: 3 }
    })
  })

  it('a secret that reached a message never leaves in a payload', () => {
    registerSecret('hunter2-token')
    const leaky = { ...event, summary: 'command failed: curl -H "Authorization: hunter2-token"' }
    expect(JSON.stringify(slackPayload(leaky))).not.toContain('hunter2-token')
    expect(JSON.stringify(jsonPayload(leaky))).not.toContain('hunter2-token')
    expect(JSON.stringify(jsonPayload(leaky))).toContain('***')
  })

  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['plain', 'plain']
  ])('slackEscape(%j)', (input, out) => expect(slackEscape(input)).toBe(out))
})

describe('postWebhook', () => {
  it.each([
    [200, false],
    [204, false],
    [400, false],
    [404, false],
    [408, true],
    [429, true],
    [500, true],
    [503, true]
  ])('status %i retryable: %s', (status, yes) => expect(retryableStatus(status)).toBe(yes))

  it('delivers at the first attempt', async () => {
    const clock = fakeClock()
    const d = await postWebhook(`${rx.url}/hook`, { a: 1 }, { clock })
    expect(d).toMatchObject({ ok: true, attempts: 1, status: 200 })
    expect(rx.requests).toHaveLength(1)
    expect(rx.requests[0]).toMatchObject({ method: 'POST', path: '/hook', body: { a: 1 } })
    expect(rx.requests[0].headers['content-type']).toMatch(/application\/json/)
    expect(clock.sleeps).toEqual([])
  })

  it('retries 5xx with growing backoff and then delivers', async () => {
    rx.script([{ status: 500 }, { status: 502 }, { status: 503 }])
    const clock = fakeClock()
    const d = await postWebhook(`${rx.url}/hook`, { a: 1 }, { clock, random: () => 0.5 })
    expect(d).toMatchObject({ ok: true, attempts: 4, status: 200 })
    expect(rx.requests.map(r => r.status)).toEqual([500, 502, 503, 200])
    // Equal jitter at 0.5: 3/4 of 500, 1000, 2000.
    expect(clock.sleeps).toEqual([375, 750, 1500])
  })

  it('honours Retry-After on 429', async () => {
    rx.script([{ status: 429, headers: { 'Retry-After': '2' }, body: 'rate_limited' }])
    const clock = fakeClock()
    const d = await postWebhook(`${rx.url}/hook`, {}, { clock })
    expect(d).toMatchObject({ ok: true, attempts: 2 })
    expect(clock.sleeps).toEqual([2000])
  })

  it('gives up when Retry-After asks for longer than the cap', async () => {
    rx.script([{ status: 429, headers: { 'Retry-After': '3600' }, body: 'rate_limited' }])
    const d = await postWebhook(`${rx.url}/hook`, {}, { clock: fakeClock() })
    expect(d).toMatchObject({
      ok: false,
      attempts: 1,
      status: 429,
      error: 'HTTP 429: rate_limited'
    })
  })

  it('does not retry a refusal (4xx) and reports the receiver’s reason', async () => {
    rx.script([{ status: 404, body: 'no_service\n' }])
    const d = await postWebhook(`${rx.url}/hook`, {}, { clock: fakeClock() })
    expect(d).toMatchObject({ ok: false, attempts: 1, status: 404, error: 'HTTP 404: no_service' })
    expect(rx.requests).toHaveLength(1)
  })

  it('fails after its retries on a closed port, naming neither host nor port', async () => {
    const port = await closedPort()
    const clock = fakeClock()
    const d = await postWebhook(`http://127.0.0.1:${port}/hook`, {}, { clock, maxRetries: 2 })
    expect(d).toMatchObject({ ok: false, attempts: 3, error: 'connection refused' })
    expect(clock.sleeps).toHaveLength(2)
    expect(JSON.stringify(d)).not.toContain(String(port))
  })

  it('times out a receiver that does not answer', async () => {
    rx.script([
      { status: 200, delayMs: 1500 },
      { status: 200, delayMs: 1500 }
    ])
    const d = await postWebhook(
      `${rx.url}/slow`,
      {},
      { clock: fakeClock(), timeoutMs: 200, maxRetries: 1 }
    )
    expect(d.ok).toBe(false)
    expect(d.attempts).toBe(2)
    expect(d.error).toBe('waited 200 ms for response headers from the webhook, and none came')
  })

  it.each([
    ['ftp://127.0.0.1/x', 'not an http(s) URL'],
    ['hooks.slack.com/services/x', 'not a URL']
  ])('refuses %s without a request', async (url, error) => {
    const d = await postWebhook(url, {}, { clock: fakeClock() })
    expect(d).toEqual({ ok: false, attempts: 0, error, durationMs: 0 })
  })
})

describe('sendNotification', () => {
  const secretPath = '/services/T000/B000/XXXXsecretXXXX'

  it('sends each webhook the format it asks for, only the events it wants, never logging the URL', async () => {
    const log = memoryLogger()
    const env = {
      SLACK_URL: `${rx.url}${secretPath}`,
      JSON_URL: `${rx.url}/json-hook`,
      PAGER_URL: `${rx.url}/pager`
    }
    const outcomes = await sendNotification(
      [
        { name: 'deploys', urlEnv: 'SLACK_URL', format: 'slack' },
        { urlEnv: 'JSON_URL', format: 'json', events: ['degraded', 'stable'] },
        { name: 'pager', urlEnv: 'PAGER_URL', events: ['rollback-triggered'] }
      ],
      event,
      { env, log, clock: fakeClock() }
    )
    expect(outcomes.map(o => [o.webhook, o.format, o.ok])).toEqual([
      ['deploys', 'slack', true],
      ['JSON_URL', 'json', true]
    ])
    const byPath = Object.fromEntries(rx.requests.map(r => [r.path, r.body]))
    expect(Object.keys(byPath).sort()).toEqual(['/json-hook', secretPath].sort())
    expect(byPath[secretPath]).toMatchObject({ text: expect.stringContaining('degraded') })
    expect(byPath['/json-hook']).toMatchObject({ schema: JSON_PAYLOAD_SCHEMA, event: 'degraded' })
    const everything = JSON.stringify([log.lines, outcomes, describeOutcomes(outcomes)])
    expect(everything).not.toContain('XXXXsecretXXXX')
    expect(everything).not.toContain(rx.url)
    expect(log.lines).toContain('notify deploys: degraded delivered (1 attempt)')
  })

  it('a failing webhook is an outcome and a warning, not an exception; the others still deliver', async () => {
    const log = memoryLogger()
    const port = await closedPort()
    const env = { DOWN_URL: `http://127.0.0.1:${port}${secretPath}`, UP_URL: `${rx.url}/up` }
    const outcomes = await sendNotification(
      [
        { name: 'down', urlEnv: 'DOWN_URL' },
        { name: 'missing', urlEnv: 'NOT_SET_URL' },
        { name: 'up', urlEnv: 'UP_URL', format: 'slack' }
      ],
      { ...event, kind: 'stable', summary: 'stable after 3 samples' },
      { env, log, clock: fakeClock(), webhook: { maxRetries: 1 } }
    )
    expect(outcomes).toEqual([
      {
        webhook: 'down',
        event: 'stable',
        format: 'json',
        ok: false,
        attempts: 2,
        status: undefined,
        error: 'connection refused'
      },
      {
        webhook: 'missing',
        event: 'stable',
        format: 'json',
        ok: false,
        attempts: 0,
        error: 'the environment variable NOT_SET_URL is not set'
      },
      {
        webhook: 'up',
        event: 'stable',
        format: 'slack',
        ok: true,
        attempts: 1,
        status: 200,
        error: undefined
      }
    ])
    expect(describeOutcomes(outcomes)[0]).toBe(
      'could not notify down of stable: connection refused (the verdict stands)'
    )
    expect(
      log.lines.some(l =>
        l.startsWith('warning: notify down: stable not delivered after 2 attempts')
      )
    ).toBe(true)
    expect(JSON.stringify(log.lines)).not.toContain(String(port))
  })

  it.each([
    [undefined, 'degraded', true],
    [[], 'stable', true],
    [['stable'], 'stable', true],
    [['stable'], 'degraded', false],
    [['rollback-triggered', 'degraded'], 'degraded', true]
  ] as const)('events %j want %s: %s', (events, kind, yes) => {
    expect(wants({ urlEnv: 'X', events: events ? [...events] : undefined }, kind)).toBe(yes)
  })

  it('warns once about an event filter that matches nothing', async () => {
    const log = memoryLogger()
    const specs = [{ name: 'typo', urlEnv: 'TYPO_URL', events: ['stabel'] }]
    await sendNotification(specs, event, { env: {}, log, clock: fakeClock() })
    await sendNotification(specs, event, { env: {}, log, clock: fakeClock() })
    expect(log.lines.filter(l => l.includes('stabel'))).toEqual([
      'warning: notify typo: "stabel" is not an event (events: awaiting-approval, stage-promoted, rollback-triggered, degraded, stable, deployment-started, phase-failed, deployment-validated, deployment-rejected, threshold-warning); it never matches'
    ])
  })

  it('names event filters that match nothing', () => {
    expect(
      unknownEvents([
        { name: 'a', urlEnv: 'A', events: ['stable', 'fail'] },
        { urlEnv: 'B', events: ['rollback'] }
      ])
    ).toEqual([
      { webhook: 'a', event: 'fail' },
      { webhook: 'B', event: 'rollback' }
    ])
  })
})

describe('notify[].events in the plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-notify-plan-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'phase-gate.yaml')
  const planWith = (events: string): string =>
    `version: 1\nname: web\ntarget: {namespace: web}\nnotify:\n  - {name: chat, urlEnv: CHAT_URL, events: ${events}}\n`
  const problems = async (): Promise<string[]> => {
    const err = await loadPlan(file, { workspace: dir }).then(
      () => undefined,
      (e: unknown) => e
    )
    if (!(err instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(err)}`)
    return err.problems.map(p => p.replace(/^.*phase-gate\.yaml:/, 'F:'))
  }

  it('the schema allows exactly the events phase-gate sends', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')
    ) as { $defs: { notify: { properties: { events: { items: { enum: string[] } } } } } }
    expect(schema.$defs.notify.properties.events.items.enum).toEqual([...NOTIFY_EVENTS])
  })

  it('loads every event name', async () => {
    writeFileSync(file, planWith(`[${NOTIFY_EVENTS.join(', ')}]`))
    const loaded = await loadPlan(file, { workspace: dir })
    expect(loaded.plan.notify?.[0].events).toEqual([...NOTIFY_EVENTS])
  })

  const ALLOWED =
    'expected one of "awaiting-approval", "stage-promoted", "rollback-triggered", "degraded", "stable", "deployment-started", "phase-failed", "deployment-validated", "deployment-rejected" or "threshold-warning"'
  it.each([
    ['stabel', ' (did you mean "stable"?)'],
    ['stage-promote', ' (did you mean "stage-promoted"?)'],
    // An old name far from any event: no guess, the list of events says what to write.
    ['rollback', '']
  ])(
    'refuses %s at its line and column, with the events (and a did-you-mean when close)',
    async (typo, hint) => {
      writeFileSync(file, planWith(`[degraded, ${typo}]`))
      expect(await problems()).toEqual([
        `F:5:${planWith(`[degraded, ${typo}]`).split('\n')[4].indexOf(typo) + 1}: notify[0].events[1]: ${ALLOWED}, got "${typo}"${hint}`
      ])
    }
  )
})
