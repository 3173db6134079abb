/**
 * Retries with bounded exponential backoff and jitter, honouring a server's
 * `Retry-After`, counting the retries so reports can say how hard a check had
 * to try. Shared by the registry, kube and Prometheus clients.
 */

import { AsyncLocalStorage } from 'node:async_hooks'
import { type Clock, systemClock } from './clock.js'
import { errorMessage } from './errors.js'

/** Why an attempt should be retried, and how long the server asked us to wait. */
export interface RetryDecision {
  /** Plain words, for logs: `429 Too Many Requests`, `connection reset`. */
  reason: string
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number
}

/** Bounds and decisions of one `withRetry` call. */
export interface RetryOptions<T> {
  /** Retries after the first attempt; default 3. */
  maxRetries?: number
  /** First backoff; doubles each retry. Default 250 ms. */
  baseDelayMs?: number
  /** Cap on the computed backoff. Default 8 s. */
  maxDelayMs?: number
  /**
   * Longest `Retry-After` we wait for; default 60 s. A server asking for longer
   * is not retried early against its wish: the attempt's answer stands.
   */
  maxRetryAfterMs?: number
  clock?: Clock
  signal?: AbortSignal
  /** Source of jitter in [0, 1); tests pin it. */
  random?: () => number
  /** Whether an answer is retried (429, 503 ...); undefined means it stands. */
  retryResult?: (value: T) => RetryDecision | undefined
  /** Whether a thrown error is retried (connection refused, reset ...); undefined means it is thrown. */
  retryError?: (err: unknown) => RetryDecision | undefined
  /** Told before each wait. */
  onRetry?: (info: { retry: number; delayMs: number; reason: string }) => void
}

/** The answer and how it was got. */
export interface Retried<T> {
  value: T
  /** Attempts after the first. */
  retries: number
  /** Total time spent waiting between attempts. */
  waitedMs: number
  /** Set when the last answer was still retryable (retries ran out or Retry-After exceeded the cap). */
  exhausted?: RetryDecision
}

/** Thrown when an operation failed after at least one retry; `cause` is its last error. */
export class RetryError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retries: number,
    readonly waitedMs: number
  ) {
    super(messageOf(cause))
    this.name = 'RetryError'
  }
}

// Duck-typed: errors from fetch belong to another realm under jest's VM.
function messageOf(err: unknown): string {
  const m =
    typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined
  return typeof m === 'string' ? m : errorMessage(err)
}

/** Retries an error made before it was thrown (0 when it was thrown at the first attempt). */
export function retriesOf(err: unknown): number {
  return err instanceof RetryError ? err.retries : 0
}

/** The error behind a RetryError, or the error itself. */
export function unwrapRetryError(err: unknown): unknown {
  return err instanceof RetryError ? err.cause : err
}

/** Runs `op` until its answer or error is not retryable, or retries run out. */
export async function withRetry<T>(
  op: (attempt: number) => Promise<T>,
  opts: RetryOptions<T> = {}
): Promise<Retried<T>> {
  const maxRetries = opts.maxRetries ?? 3
  const clock = opts.clock ?? systemClock
  let retries = 0
  let waitedMs = 0
  for (;;) {
    let decision: RetryDecision | undefined
    let value: T | undefined
    let failed = false
    let error: unknown
    try {
      value = await op(retries)
      decision = opts.retryResult?.(value)
    } catch (err) {
      if (opts.signal?.aborted) throw err
      failed = true
      error = err
      decision = opts.retryError?.(err)
    }
    const delayMs = decision ? nextDelay(decision, retries, opts) : undefined
    if (!decision || delayMs === undefined || retries >= maxRetries) {
      if (failed) throw retries > 0 ? new RetryError(error, retries, waitedMs) : error
      const out: Retried<T> = { value: value as T, retries, waitedMs }
      if (decision) out.exhausted = decision
      return out
    }
    retries++
    noteRetry()
    opts.onRetry?.({ retry: retries, delayMs, reason: decision.reason })
    await clock.sleep(delayMs, opts.signal)
    waitedMs += delayMs
  }
}

/**
 * The wait before retry `retry + 1`: the server's Retry-After when it gave one
 * (undefined when that exceeds the cap), else exponential backoff with equal
 * jitter, so waits are never near zero yet clients spread out.
 */
export function nextDelay(
  decision: RetryDecision,
  retry: number,
  opts: Pick<
    RetryOptions<unknown>,
    'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'random'
  > = {}
): number | undefined {
  if (decision.retryAfterMs !== undefined) {
    const cap = opts.maxRetryAfterMs ?? 60_000
    return decision.retryAfterMs > cap ? undefined : Math.max(0, decision.retryAfterMs)
  }
  const base = opts.baseDelayMs ?? 250
  const max = opts.maxDelayMs ?? 8000
  const ceiling = Math.min(max, base * 2 ** retry)
  const random = opts.random ?? Math.random
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * Milliseconds an HTTP `Retry-After` asks for: delta-seconds or an HTTP date
 * (relative to `now`); undefined when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now()
): number | undefined {
  if (!header) return undefined
  const s = header.trim()
  if (/^\d+$/.test(s)) return Number(s) * 1000
  if (!/[a-z]/i.test(s)) return undefined
  const at = Date.parse(s)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

// Retry counting by async scope: a gate or check runs inside `countRetries`,
// and every retry any client makes on its behalf (however deep, concurrently
// with other checks) is added to its scope and every scope around it.
interface RetryScope {
  count: number
  parent?: RetryScope
}
const scopes = new AsyncLocalStorage<RetryScope>()

/** Counts one retry into the current scope and the scopes around it (withRetry calls it). */
export function noteRetry(n = 1): void {
  for (let s = scopes.getStore(); s; s = s.parent) s.count += n
}

/** Runs `fn` and counts the retries made on its behalf by any client using withRetry. */
export async function countRetries<T>(
  fn: () => Promise<T>
): Promise<{ value: T; retries: number }> {
  const scope: RetryScope = { count: 0, parent: scopes.getStore() }
  const value = await scopes.run(scope, fn)
  return { value, retries: scope.count }
}

/** Like countRetries, but the count also arrives when `fn` throws (on `retries` of the handler's argument). */
export async function countRetriesSettled<T>(
  fn: () => Promise<T>
): Promise<
  { ok: true; value: T; retries: number } | { ok: false; error: unknown; retries: number }
> {
  const scope: RetryScope = { count: 0, parent: scopes.getStore() }
  try {
    const value = await scopes.run(scope, fn)
    return { ok: true, value, retries: scope.count }
  } catch (error) {
    return { ok: false, error, retries: scope.count }
  }
}
