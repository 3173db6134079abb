/** The metrics seam: a Prometheus-compatible query API. */

export interface MetricSample {
  labels: Record<string, string>
  value: number
  /** Seconds since the epoch, as Prometheus answers. */
  timestamp: number
}

export interface Metrics {
  /** Instant query; an empty array means no data. Throws MetricsUnavailableError when the server cannot be asked. */
  query(promql: string, opts?: { time?: number; signal?: AbortSignal }): Promise<MetricSample[]>
  /** The URL shown in reports (never with credentials). */
  readonly url: string
}

/** Prometheus could not be reached or did not answer a query. */
export class MetricsUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message)
    this.name = 'MetricsUnavailableError'
  }
}
