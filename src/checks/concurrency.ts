/** Bounded concurrency for checks that make one request per item (reviews, dry-runs, lookups). */

import { mapBounded as mapWithLimit } from '../core/bounded.js'

/** How many requests one check kind keeps in flight: enough to hide latency, few enough not to flood the API server's priority-and-fairness queues. */
export const CHECK_CONCURRENCY = 16

/** Maps `items` through `fn` with at most `limit` (default {@link CHECK_CONCURRENCY}) calls at once; results keep the input order. */
export function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = CHECK_CONCURRENCY
): Promise<R[]> {
  return mapWithLimit(items, fn, limit)
}
