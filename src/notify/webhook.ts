/**
 * The one HTTP client for webhooks: POST a JSON body, retried with bounded
 * backoff and jitter (honouring Retry-After) on network errors, 429 and 5xx,
 * each attempt under its own timeout. It never throws and never names the
 * URL: the caller registered it as a secret, and everything this returns is
 * redacted and speaks of the webhook by its plan name only.
 */

import {
  PhaseTimeoutError,
  ProxyError,
  TunnelAgent,
  phaseTimeouts,
  proxyFromEnv,
  routedRequest
} from '../core/net.js'
import { systemClock, type Clock } from '../core/clock.js'
import { errorMessage } from '../core/errors.js'
import { parseRetryAfter, withRetry, RetryError, type RetryDecision } from '../core/retry.js'
import { redact } from '../core/secrets.js'

/** The answer of one attempt. */
export interface WebhookResponse {
  status: number
  retryAfter?: string
  /** The start of the body, for the reason of a refusal. */
  body: string
}

/** How a request reaches the receiver (tests may hand in another). */
export type WebhookTransport = (
  url: URL,
  body: string,
  opts: { timeoutMs: number; signal?: AbortSignal }
) => Promise<WebhookResponse>

/** Bounds of one delivery. */
export interface WebhookOptions {
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number
  /** Retries after the first attempt (default 3). */
  maxRetries?: number
  /** First backoff (default 500 ms), doubled per retry up to 4 s. */
  baseDelayMs?: number
  /** Longest Retry-After honoured (default 10 s); longer ends the delivery. */
  maxRetryAfterMs?: number
  clock?: Clock
  signal?: AbortSignal
  random?: () => number
  transport?: WebhookTransport
}

/** What one delivery came to. */
export interface WebhookDelivery {
  ok: boolean
  /** Attempts made (1 + retries). */
  attempts: number
  /** Status of the last answer, when one came. */
  status?: number
  /** Why it failed, without the URL. */
  error?: string
  durationMs: number
}

const BODY_KEEP = 300

/** POSTs over node:http(s); only a transport failure rejects. */
export const httpWebhookTransport: WebhookTransport = (url, body, opts) =>
  new Promise((resolve, reject) => {
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them; every phase of the request bounded.
    const proxy = proxyFromEnv(url)
    const bounds = phaseTimeouts(opts.timeoutMs)
    const req = routedRequest(
      { target: url, proxy },
      {
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'phase-gate'
        },
        signal: opts.signal,
        ...(proxy && url.protocol === 'https:'
          ? { agent: new TunnelAgent(proxy, { keepAlive: false }, bounds) }
          : {})
      },
      bounds,
      'the webhook'
    )
    req.on('response', res => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        if (size < BODY_KEEP) chunks.push(c)
        size += c.length
      })
      res.on('error', reject)
      res.on('end', () => {
        const ra = res.headers['retry-after']
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: Array.isArray(ra) ? ra[0] : ra,
          body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEEP)
        })
      })
    })
    req.on('error', err => reject(describeError(err)))
    req.end(body)
  })

// Node's messages name the host and port; the URL is a secret, so only the code is kept.
function describeError(err: Error & { code?: string }): Error {
  if (err.name === 'AbortError') return err
  // Named "the webhook" or the proxy, never the URL (it often holds a secret).
  if (err instanceof PhaseTimeoutError || err instanceof ProxyError) return new Error(err.message)
  switch (err.code) {
    case 'ECONNREFUSED':
      return new Error('connection refused')
    case 'ECONNRESET':
      return new Error('connection reset')
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error('host not found')
    case 'ETIMEDOUT':
      return new Error('connection timed out')
    default:
      return new Error(err.code ? `network error ${err.code}` : redact(err.message))
  }
}

/** Whether an answer is worth another attempt. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500
}

/** Delivers one JSON body to a webhook URL; never throws. */
export async function postWebhook(
  url: string,
  payload: unknown,
  opts: WebhookOptions = {}
): Promise<WebhookDelivery> {
  const clock = opts.clock ?? systemClock
  const started = clock.now()
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return { ok: false, attempts: 0, error: 'not a URL', durationMs: 0 }
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return { ok: false, attempts: 0, error: 'not an http(s) URL', durationMs: 0 }
  const body = JSON.stringify(payload)
  const transport = opts.transport ?? httpWebhookTransport
  const timeoutMs = opts.timeoutMs ?? 5000
  let attempts = 0
  try {
    const r = await withRetry(
      async () => {
        attempts++
        return transport(target, body, { timeoutMs, signal: opts.signal })
      },
      {
        maxRetries: opts.maxRetries ?? 3,
        baseDelayMs: opts.baseDelayMs ?? 500,
        maxDelayMs: 4000,
        maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
        clock,
        signal: opts.signal,
        random: opts.random,
        retryResult: (res): RetryDecision | undefined =>
          retryableStatus(res.status)
            ? {
                reason: `HTTP ${res.status}`,
                retryAfterMs: parseRetryAfter(res.retryAfter, clock.now())
              }
            : undefined,
        retryError: err => (opts.signal?.aborted ? undefined : { reason: errorMessage(err) })
      }
    )
    const res = r.value
    const ok = res.status >= 200 && res.status < 300
    const why = res.body.trim() ? `: ${res.body.trim().split('\n')[0]}` : ''
    return {
      ok,
      attempts,
      status: res.status,
      error: ok ? undefined : redact(`HTTP ${res.status}${why}`),
      durationMs: clock.now() - started
    }
  } catch (err) {
    const cause = err instanceof RetryError ? err.cause : err
    return {
      ok: false,
      attempts,
      error: redact(errorMessage(cause)),
      durationMs: clock.now() - started
    }
  }
}
