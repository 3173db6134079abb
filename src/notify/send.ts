/**
 * Sends an event to every webhook of the plan's `notify:` that wants it. The
 * URL comes from the environment variable the plan names (a secret in CI),
 * is registered as a secret before anything else happens, and is never
 * logged: outcomes speak of a webhook by its name. Deliveries run in
 * parallel, each bounded by its retries and timeouts; a failure is a warning
 * and an outcome, never an exception, so no verdict waits on a chat server.
 */

import type { Clock } from '../core/clock.js'
import type { Logger } from '../core/log.js'
import { registerSecret } from '../core/secrets.js'
import type { NotifySpec } from '../plan/types.js'
import { NOTIFY_EVENTS, isNotifyEventKind, type NotifyEvent } from './events.js'
import { jsonPayload, pagerDutyPayload, slackPayload } from './payload.js'
import { postWebhook, type WebhookOptions } from './webhook.js'

/** What happened to one event at one webhook. */
export interface NotifyOutcome {
  /** The webhook's name (`name`, else its `urlEnv`). */
  webhook: string
  event: NotifyEvent['kind']
  format: 'slack' | 'json' | 'pagerduty'
  ok: boolean
  attempts: number
  status?: number
  /** Why it was not delivered (never the URL). */
  error?: string
}

/** The seams a delivery uses. */
export interface NotifyOptions {
  /** Where the URL variables are read; default process.env. */
  env?: Record<string, string | undefined>
  log?: Logger
  clock?: Clock
  signal?: AbortSignal
  /** Retry and timeout bounds (tests shorten them). */
  webhook?: Omit<WebhookOptions, 'clock' | 'signal'>
}

/** The name a webhook is known by in logs and reports. */
export function webhookName(spec: NotifySpec): string {
  return spec.name ?? spec.urlEnv
}

/** True when the webhook wants this kind of event (no `events`: all). */
export function wants(spec: NotifySpec, kind: NotifyEvent['kind']): boolean {
  return !spec.events || spec.events.length === 0 || spec.events.includes(kind)
}

/** Event names in `notify[].events` that are not events (they never match). */
export function unknownEvents(specs: NotifySpec[] = []): { webhook: string; event: string }[] {
  return specs.flatMap(s =>
    (s.events ?? [])
      .filter(e => !isNotifyEventKind(e))
      .map(event => ({ webhook: webhookName(s), event }))
  )
}

// Each misspelt event filter is told once per process, not at every event.
const toldUnknown = new Set<string>()

/** Delivers one event to the webhooks that want it; resolves to one outcome each. */
export async function sendNotification(
  specs: NotifySpec[] | undefined,
  event: NotifyEvent,
  opts: NotifyOptions = {}
): Promise<NotifyOutcome[]> {
  const env = opts.env ?? process.env
  for (const u of unknownEvents(specs)) {
    const key = `${u.webhook}/${u.event}`
    if (toldUnknown.has(key)) continue
    toldUnknown.add(key)
    opts.log?.warn(
      `notify ${u.webhook}: "${u.event}" is not an event (events: ${NOTIFY_EVENTS.join(', ')}); it never matches`
    )
  }
  const targets = (specs ?? []).filter(s => wants(s, event.kind))
  return Promise.all(
    targets.map(async (spec): Promise<NotifyOutcome> => {
      const webhook = webhookName(spec)
      const format = spec.format ?? 'json'
      const base = { webhook, event: event.kind, format }
      const url = env[spec.urlEnv]?.trim()
      if (!url) {
        const error = `the environment variable ${spec.urlEnv} is not set`
        opts.log?.warn(`notify ${webhook}: ${error}; ${event.kind} not sent`)
        return { ...base, ok: false, attempts: 0, error }
      }
      registerSecret(url)
      let payload: Record<string, unknown>
      if (format === 'pagerduty') {
        const key = spec.routingKeyEnv ? env[spec.routingKeyEnv]?.trim() : undefined
        if (!key) {
          const error = spec.routingKeyEnv
            ? `the environment variable ${spec.routingKeyEnv} (the PagerDuty routing key) is not set`
            : 'format pagerduty needs routingKeyEnv: the environment variable holding the routing key'
          opts.log?.warn(`notify ${webhook}: ${error}; ${event.kind} not sent`)
          return { ...base, ok: false, attempts: 0, error }
        }
        registerSecret(key)
        payload = pagerDutyPayload(event, key)
      } else payload = format === 'slack' ? slackPayload(event) : jsonPayload(event)
      const d = await postWebhook(url, payload, {
        ...opts.webhook,
        clock: opts.clock,
        signal: opts.signal
      })
      const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`
      if (d.ok) opts.log?.info(`notify ${webhook}: ${event.kind} delivered (${tries})`)
      else
        opts.log?.warn(
          `notify ${webhook}: ${event.kind} not delivered after ${tries}: ${d.error ?? 'unknown error'}`
        )
      return { ...base, ok: d.ok, attempts: d.attempts, status: d.status, error: d.error }
    })
  )
}

/** One line per outcome, for a gate's notes. */
export function describeOutcomes(outcomes: NotifyOutcome[]): string[] {
  return outcomes.map(o =>
    o.ok
      ? `notified ${o.webhook} (${o.format}): ${o.event}`
      : `could not notify ${o.webhook} of ${o.event}: ${o.error ?? 'not delivered'} (the verdict stands)`
  )
}
