// Deliberately broken clients: each treats a failed request as success, the
// bug a reliability suite exists to catch. Wrapped around the real clients,
// they answer every failed call with what the caller hoped to hear: writes
// "succeed", objects written are "there and ready", objects deleted are
// "gone", access is "allowed", images are "found", and metrics read a healthy
// zero. The fault matrix runs with them too and must count false passes;
// if it did not, its false-pass counter would be proving nothing.
import type {
  AccessAttributes,
  AccessDecision,
  ApiSurface,
  ApplyOptions,
  Cluster,
  DeleteOptions,
  HttpResult,
  KubeObject,
  ListOptions,
  LogOptions,
  ObjectRef,
  ProxyRequest,
  ResourceInfo,
  ServerVersion,
  WatchEvent,
  WatchOptions
} from '../../src/kube/types.js'
import type { MetricSample, Metrics } from '../../src/metrics/types.js'
import type { ImageInspection, InspectRequest, Registry } from '../../src/registry/types.js'

/** Failed calls the broken clients hid (what the matrix reports next to their verdicts). */
export interface Swallowed {
  count: number
}

const key = (r: { apiVersion: string; kind: string; name: string; namespace?: string }): string =>
  `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`

/** An object as a broken client imagines it after a write it never saw succeed: ready. */
function imagined(obj: KubeObject): KubeObject {
  const spec = obj.spec as { replicas?: number } | undefined
  const replicas = spec?.replicas ?? 1
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      generation: 1,
      resourceVersion: '1',
      uid: `imagined-${obj.metadata.name}`
    },
    status: {
      observedGeneration: 1,
      phase: 'Running',
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }
      ]
    }
  }
}

/** A Cluster that, when a request fails, answers from the world it believes its writes made. */
export class OptimisticCluster implements Cluster {
  private readonly world = new Map<string, KubeObject>()
  constructor(
    private readonly real: Cluster,
    private readonly swallowed: Swallowed
  ) {}

  get context(): string {
    return this.real.context
  }
  get server(): string {
    return this.real.server
  }
  get defaultNamespace(): string | undefined {
    return this.real.defaultNamespace
  }
  close(): void {
    ;(this.real as { close?: () => void }).close?.()
  }

  private async hide<T>(call: () => Promise<T>, instead: () => T): Promise<T> {
    try {
      return await call()
    } catch {
      this.swallowed.count++
      return instead()
    }
  }

  private remember(obj: KubeObject): KubeObject {
    const o = imagined(obj)
    this.world.set(key({ ...obj, name: obj.metadata.name, namespace: obj.metadata.namespace }), o)
    return o
  }

  version(): Promise<ServerVersion> {
    return this.real.version()
  }
  discover(): Promise<ApiSurface> {
    return this.real.discover()
  }
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return this.real.resourceFor(apiVersion, kind)
  }
  get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.hide(
      () => this.real.get(ref),
      () => this.world.get(key(ref))
    )
  }
  list(
    apiVersion: string,
    kind: string,
    opts: ListOptions = {}
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    return this.hide(
      () => this.real.list(apiVersion, kind, opts),
      () => {
        const name = /metadata\.name=([^,]+)/.exec(opts.fieldSelector ?? '')?.[1]
        const items = [...this.world.values()].filter(
          o =>
            o.apiVersion === apiVersion &&
            o.kind === kind &&
            (!opts.namespace || o.metadata.namespace === opts.namespace) &&
            (!name || o.metadata.name === name)
        )
        return { items, resourceVersion: '1' }
      }
    )
  }
  async watch(
    apiVersion: string,
    kind: string,
    opts: WatchOptions,
    onEvent: (event: WatchEvent) => void
  ): Promise<void> {
    try {
      await this.real.watch(apiVersion, kind, opts, onEvent)
    } catch {
      this.swallowed.count++
      // A failed stream becomes a quiet one: nothing happens until the caller stops watching.
      await new Promise<void>(resolve => {
        if (opts.signal?.aborted) return resolve()
        opts.signal?.addEventListener('abort', () => resolve(), { once: true })
      })
    }
  }
  apply(obj: KubeObject, opts?: ApplyOptions): Promise<KubeObject> {
    return this.hide(
      () => this.real.apply(obj, opts).then(o => (opts?.dryRun ? o : this.forget(o))),
      () => (opts?.dryRun ? obj : this.remember(obj))
    )
  }
  create(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject> {
    return this.hide(
      () => this.real.create(obj, opts),
      () => (opts?.dryRun ? obj : this.remember(obj))
    )
  }
  replace(obj: KubeObject, opts?: { dryRun?: boolean }): Promise<KubeObject> {
    return this.hide(
      () => this.real.replace(obj, opts),
      () => (opts?.dryRun ? obj : this.remember(obj))
    )
  }
  mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    opts?: { dryRun?: boolean; subresource?: string }
  ): Promise<KubeObject> {
    return this.hide(
      () => this.real.mergePatch(ref, patch, opts),
      () =>
        this.world.get(key(ref)) ??
        imagined({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace }
        })
    )
  }
  delete(ref: ObjectRef, opts?: DeleteOptions): Promise<KubeObject | undefined> {
    return this.hide(
      () => this.real.delete(ref, opts),
      () => {
        if (!opts?.dryRun) this.world.delete(key(ref))
        return undefined
      }
    )
  }
  accessReview(attrs: AccessAttributes): Promise<AccessDecision> {
    return this.hide(
      () => this.real.accessReview(attrs),
      () => ({ allowed: true, reason: 'assumed' })
    )
  }
  podLogs(namespace: string, pod: string, opts?: LogOptions): Promise<string> {
    return this.hide(
      () => this.real.podLogs(namespace, pod, opts),
      () => ''
    )
  }
  proxy(req: ProxyRequest): Promise<HttpResult> {
    return this.hide(
      () => this.real.proxy(req),
      () => ({ status: 200, headers: {}, body: 'ok', durationMs: 0 })
    )
  }

  // A write that did succeed replaces whatever the client imagined before.
  private forget(o: KubeObject): KubeObject {
    this.world.delete(key({ ...o, name: o.metadata.name, namespace: o.metadata.namespace }))
    return o
  }
}

/** A Registry that calls an image it could not inspect "found". */
export function optimisticRegistry(real: Registry, swallowed: Swallowed): Registry {
  return {
    async inspect(req: InspectRequest): Promise<ImageInspection> {
      const r = await real.inspect(req).catch((): ImageInspection => ({
        status: 'error',
        host: req.ref.registry,
        message: 'failed',
        retries: 0
      }))
      if (
        r.status === 'found' ||
        r.status === 'not-found' ||
        r.status === 'unauthorized' ||
        r.status === 'platform-missing'
      )
        return r
      swallowed.count++
      return {
        status: 'found',
        host: r.host,
        digest: 'sha256:' + '0'.repeat(64),
        compressedSize: 1000,
        message: 'assumed found',
        retries: r.retries
      }
    }
  }
}

/** Metrics that read a healthy zero when Prometheus cannot be asked. */
export function optimisticMetrics(real: Metrics, swallowed: Swallowed): Metrics {
  return {
    url: real.url,
    async query(
      promql: string,
      opts?: { time?: number; signal?: AbortSignal }
    ): Promise<MetricSample[]> {
      try {
        return await real.query(promql, opts)
      } catch {
        swallowed.count++
        return [{ labels: {}, value: 0, timestamp: Date.now() / 1000 }]
      }
    }
  }
}
