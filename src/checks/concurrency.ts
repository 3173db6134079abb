/** Bounded concurrency for checks that make one request per item (reviews, dry-runs, lookups). */

/** How many requests one check kind keeps in flight: enough to hide latency, few enough not to flood the API server's priority-and-fairness queues. */
export const CHECK_CONCURRENCY = 16

/** Maps `items` through `fn` with at most `limit` calls running at once; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = CHECK_CONCURRENCY
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  const workers = Math.min(Math.max(1, limit), items.length)
  await Promise.all(Array.from({ length: workers }, worker))
  return out
}
