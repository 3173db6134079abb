/**
 * What a webhook is told: the moments a team asked to hear about, with
 * the plan, the target and the numbers behind them. The same event becomes a
 * Slack-compatible, a plain JSON or a PagerDuty Events v2 payload (payload.ts).
 */

/** The events `notify[].events` may name (default: all of them). */
export const NOTIFY_EVENTS = [
  'awaiting-approval',
  'stage-promoted',
  'rollback-triggered',
  'degraded',
  'stable',
  'deployment-started',
  'phase-failed',
  'deployment-validated',
  'deployment-rejected',
  'threshold-warning'
] as const

/** One kind of event. */
export type NotifyEventKind = (typeof NOTIFY_EVENTS)[number]

/** True when the text names an event kind. */
export function isNotifyEventKind(text: string): text is NotifyEventKind {
  return (NOTIFY_EVENTS as readonly string[]).includes(text)
}

/** One event, as every payload format sees it. */
export interface NotifyEvent {
  kind: NotifyEventKind
  plan: string
  target: { context?: string; namespace: string }
  runId: string
  /** ISO time the event happened. */
  at: string
  /** One line a person reads first, e.g. `stage canary (5%) promoted`. */
  summary: string
  /** The numbers and reasons behind it (a few lines at most). */
  detail?: string
  /** The deployment state after the event, when it moved. */
  state?: string
  /** The workflow run, when there is one. */
  runUrl?: string
  /** Small structured figures for JSON receivers. */
  data?: Record<string, unknown>
}

/** Short titles per kind, for chat headers. */
export const EVENT_TITLE: Readonly<Record<NotifyEventKind, string>> = {
  'awaiting-approval': 'awaiting approval',
  'stage-promoted': 'stage promoted',
  'rollback-triggered': 'rollback triggered',
  degraded: 'degraded',
  stable: 'stable',
  'deployment-started': 'deployment started',
  'phase-failed': 'phase failed',
  'deployment-validated': 'deployment validated',
  'deployment-rejected': 'deployment rejected',
  'threshold-warning': 'threshold warning'
}

/** An emoji per kind, so a channel can be scanned at a glance. */
export const EVENT_ICON: Readonly<Record<NotifyEventKind, string>> = {
  'awaiting-approval': ':hourglass_flowing_sand:',
  'stage-promoted': ':arrow_forward:',
  'rollback-triggered': ':rewind:',
  degraded: ':warning:',
  stable: ':white_check_mark:',
  'deployment-started': ':rocket:',
  'phase-failed': ':x:',
  'deployment-validated': ':heavy_check_mark:',
  'deployment-rejected': ':no_entry:',
  'threshold-warning': ':warning:'
}

/** PagerDuty severity per kind: what pages (critical, error) and what only informs. */
export const EVENT_SEVERITY: Readonly<
  Record<NotifyEventKind, 'critical' | 'error' | 'warning' | 'info'>
> = {
  'awaiting-approval': 'info',
  'stage-promoted': 'info',
  'rollback-triggered': 'critical',
  degraded: 'error',
  stable: 'info',
  'deployment-started': 'info',
  'phase-failed': 'error',
  'deployment-validated': 'info',
  'deployment-rejected': 'warning',
  'threshold-warning': 'warning'
}
