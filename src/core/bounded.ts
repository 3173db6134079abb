/** Bounded concurrency: one pool for every place that runs a call per item with a cap (checks' requests, fleet clusters, registry lookups). */

/** Maps `items` through `fn` with at most `limit` calls running at once (at least one); results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit: number
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
