/**
 * One answer per distinct read while a gate takes its snapshot of the
 * cluster: the reality check's kinds run concurrently and several read the
 * same object or list (the target namespace, an operator namespace's
 * ClusterServiceVersions); the first read is sent and the others share its
 * answer, or its error. Each caller gets its own copy, so one that edits what
 * it read cannot change another's. Writes, watches and everything else pass
 * straight through.
 */

import type { Cluster, KubeObject, ListOptions, ObjectRef } from './types.js'

/** `cluster` with `get` and `list` sent once per distinct arguments. */
export function withSharedReads(cluster: Cluster): Cluster {
  const reads = new Map<string, Promise<unknown>>()
  const shared = async <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let answer = reads.get(key) as Promise<T> | undefined
    if (!answer) reads.set(key, (answer = read()))
    return structuredClone(await answer)
  }
  const get = (ref: ObjectRef): Promise<KubeObject | undefined> =>
    shared(JSON.stringify(['get', ref.apiVersion, ref.kind, ref.namespace, ref.name]), () =>
      cluster.get(ref)
    )
  const list = (
    apiVersion: string,
    kind: string,
    opts?: ListOptions
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> =>
    shared(
      JSON.stringify([
        'list',
        apiVersion,
        kind,
        opts?.namespace,
        opts?.labelSelector,
        opts?.fieldSelector,
        opts?.limit
      ]),
      () => cluster.list(apiVersion, kind, opts)
    )
  return new Proxy(cluster, {
    get(target, prop) {
      if (prop === 'get') return get
      if (prop === 'list') return list
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value
    }
  })
}
