/**
 * Payloads for the two webhook formats: Slack-compatible (incoming webhooks
 * of Slack, Mattermost, Rocket.Chat and Discord's `/slack` endpoint all take
 * `text`, Slack also renders `blocks`) and a plain, versioned JSON object for
 * anything else. Both are built from the same event and pass through
 * `redact`, so a secret that reached a message never leaves in a payload.
 */

import { redact } from '../core/secrets.js'
import { EVENT_ICON, EVENT_SEVERITY, EVENT_TITLE, type NotifyEvent } from './events.js'

/** Version of the JSON payload's shape. */
export const JSON_PAYLOAD_SCHEMA = 'phase-gate.notification/v1'

// Slack's limits: a header's text at most 150 characters, a section's 3000.
const HEADER_MAX = 150
const SECTION_MAX = 3000

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** Text safe inside Slack mrkdwn: `&`, `<` and `>` are its control characters. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function targetOf(e: NotifyEvent): string {
  return e.target.context ? `${e.target.context}/${e.target.namespace}` : e.target.namespace
}

/** The one-line text of an event (Slack's `text`, also the notification preview). */
export function eventLine(e: NotifyEvent): string {
  return `${e.plan} → ${targetOf(e)}: ${EVENT_TITLE[e.kind]}: ${e.summary}`
}

/** A Slack-compatible incoming-webhook body. */
export function slackPayload(e: NotifyEvent): Record<string, unknown> {
  const context = [
    `plan \`${slackEscape(e.plan)}\``,
    `target \`${slackEscape(targetOf(e))}\``,
    `run \`${slackEscape(e.runId)}\``
  ]
  if (e.state) context.push(`state *${slackEscape(e.state)}*`)
  if (e.runUrl) context.push(`<${e.runUrl}|workflow run>`)
  const section = e.detail
    ? `*${slackEscape(e.summary)}*\n${slackEscape(e.detail)}`
    : `*${slackEscape(e.summary)}*`
  const body = {
    text: slackEscape(eventLine(e)),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: clip(`${e.plan}: ${EVENT_TITLE[e.kind]}`, HEADER_MAX),
          emoji: true
        }
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: clip(`${EVENT_ICON[e.kind]} ${section}`, SECTION_MAX) }
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] }
    ]
  }
  return JSON.parse(redact(JSON.stringify(body))) as Record<string, unknown>
}

/** The plain JSON body: the event with a schema tag. */
export function jsonPayload(e: NotifyEvent): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schema: JSON_PAYLOAD_SCHEMA,
    event: e.kind,
    title: EVENT_TITLE[e.kind],
    plan: e.plan,
    target: e.target,
    runId: e.runId,
    at: e.at,
    summary: e.summary
  }
  if (e.detail) body.detail = e.detail
  if (e.state) body.state = e.state
  if (e.runUrl) body.runUrl = e.runUrl
  if (e.data) body.data = e.data
  return JSON.parse(redact(JSON.stringify(body))) as Record<string, unknown>
}

// PagerDuty's limit on payload.summary.
const PAGERDUTY_SUMMARY_MAX = 1024

/**
 * The deduplication key of a PagerDuty event: one alert per plan, target and
 * run, so a rollback-triggered after a phase-failed of the same run joins it.
 */
export function pagerDutyDedupKey(e: NotifyEvent): string {
  return `phase-gate/${e.plan}/${targetOf(e)}/${e.runId}`
}

/**
 * A PagerDuty Events v2 body (`POST /v2/enqueue`). The routing key is a
 * secret: it is added after everything else passed through `redact`, and the
 * body is never logged.
 */
export function pagerDutyPayload(e: NotifyEvent, routingKey: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(e),
    payload: {
      summary: clip(eventLine(e), PAGERDUTY_SUMMARY_MAX),
      severity: EVENT_SEVERITY[e.kind],
      source: targetOf(e),
      timestamp: e.at,
      component: e.plan,
      group: e.target.namespace,
      class: e.kind,
      custom_details: {
        event: e.kind,
        runId: e.runId,
        ...(e.detail ? { detail: e.detail } : {}),
        ...(e.state ? { state: e.state } : {}),
        ...(e.data ? { data: e.data } : {})
      }
    },
    ...(e.runUrl ? { links: [{ href: e.runUrl, text: 'workflow run' }] } : {})
  }
  const safe = JSON.parse(redact(JSON.stringify(body))) as Record<string, unknown>
  return { routing_key: routingKey, ...safe }
}
