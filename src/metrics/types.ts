/** The metrics seam: a Prometheus-compatible query API. */

export interface MetricSample {
  labels: Record<string, string>
  value: number
  /** Seconds since the epoch, as Prometheus answers. */
  timestamp: number
}

/** A rule Prometheus has loaded (`GET /api/v1/rules`). */
export interface LoadedRule {
  name: string
  type: 'alerting' | 'recording'
  group: string
  /** The rule file the group came from. */
  file?: string
  /** ok, err or unknown. */
  health?: string
  lastError?: string
  /** Alerting rules: inactive, pending or firing. */
  state?: string
  query?: string
}

export interface Metrics {
  /** Instant query; an empty array means no data. Throws MetricsUnavailableError when the server cannot be asked. */
  query(promql: string, opts?: { time?: number; signal?: AbortSignal }): Promise<MetricSample[]>
  /** The rules the server has loaded (absent on sources without a rules API). */
  rules?(opts?: { signal?: AbortSignal }): Promise<LoadedRule[]>
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
