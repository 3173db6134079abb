/**
 * API discovery: aggregated discovery (apidiscovery.k8s.io/v2, two requests
 * for the whole surface) where the server offers it, per-group discovery
 * otherwise.
 */

import type { ApiSurface, ResourceInfo } from './types.js'
import type { KubeTransport } from './http.js'

const AGGREGATED_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json'
].join(',')

interface AggregatedList {
  kind?: string
  items?: {
    metadata?: { name?: string }
    versions?: {
      version: string
      resources?: {
        resource: string
        responseKind?: { group?: string; version?: string; kind?: string }
        scope?: 'Namespaced' | 'Cluster'
        verbs?: string[]
        shortNames?: string[]
        subresources?: { subresource: string }[]
      }[]
    }[]
  }[]
}

interface ApiVersions {
  versions?: string[]
}
interface ApiGroupList {
  groups?: {
    name: string
    versions: { version: string }[]
    preferredVersion?: { version: string }
  }[]
}
interface ApiResourceList {
  groupVersion: string
  resources: {
    name: string
    kind: string
    namespaced: boolean
    verbs?: string[]
    shortNames?: string[]
  }[]
}

/** Discovers the whole API surface in as few round trips as the server allows. */
export async function discoverApi(t: KubeTransport): Promise<ApiSurface> {
  const before = t.requests
  // Parsed inside the transport: a truncated or non-JSON answer is retried like any fault.
  const [coreDoc, groupsDoc] = await Promise.all([
    t.json<AggregatedList & ApiVersions>({ path: '/api', accept: AGGREGATED_ACCEPT }),
    t.json<AggregatedList & ApiGroupList>({ path: '/apis', accept: AGGREGATED_ACCEPT })
  ])
  if (coreDoc.kind === 'APIGroupDiscoveryList' && groupsDoc.kind === 'APIGroupDiscoveryList') {
    const surface = fromAggregated([coreDoc, groupsDoc])
    return { ...surface, aggregated: true, requests: t.requests - before }
  }
  const surface = await fromPerGroup(t, coreDoc, groupsDoc)
  return { ...surface, aggregated: false, requests: t.requests - before }
}

function fromAggregated(lists: AggregatedList[]): Pick<ApiSurface, 'resources' | 'groups'> {
  const resources: ResourceInfo[] = []
  const groups = new Map<string, { preferred: string; versions: string[] }>()
  for (const list of lists) {
    for (const g of list.items ?? []) {
      const group = g.metadata?.name ?? ''
      const versions = (g.versions ?? []).map(v => v.version)
      // Aggregated discovery lists versions in preference order.
      groups.set(group, { preferred: versions[0] ?? '', versions })
      for (const v of g.versions ?? []) {
        for (const r of v.resources ?? []) {
          if (!r.responseKind?.kind) continue
          resources.push({
            group,
            version: v.version,
            kind: r.responseKind.kind,
            resource: r.resource,
            namespaced: r.scope === 'Namespaced',
            verbs: r.verbs ?? [],
            subresources: (r.subresources ?? []).map(s => s.subresource),
            shortNames: r.shortNames
          })
        }
      }
    }
  }
  return { resources, groups }
}

async function fromPerGroup(
  t: KubeTransport,
  core: ApiVersions,
  apis: ApiGroupList
): Promise<Pick<ApiSurface, 'resources' | 'groups'>> {
  const groups = new Map<string, { preferred: string; versions: string[] }>()
  const paths: { group: string; version: string; path: string }[] = []
  const coreVersions = core.versions ?? ['v1']
  groups.set('', { preferred: coreVersions[0], versions: coreVersions })
  for (const v of coreVersions) paths.push({ group: '', version: v, path: `/api/${v}` })
  for (const g of apis.groups ?? []) {
    const versions = g.versions.map(v => v.version)
    const preferred = g.preferredVersion?.version ?? versions[0]
    groups.set(g.name, {
      preferred,
      versions: [preferred, ...versions.filter(v => v !== preferred)]
    })
    for (const v of versions)
      paths.push({ group: g.name, version: v, path: `/apis/${g.name}/${v}` })
  }
  const lists = await Promise.all(
    paths.map(async p => {
      try {
        return { ...p, list: await t.json<ApiResourceList>({ path: p.path }) }
      } catch {
        // A broken aggregated API (metrics-server down, say) must not hide the rest.
        return { ...p, list: undefined }
      }
    })
  )
  const resources: ResourceInfo[] = []
  for (const { group, version, list } of lists) {
    if (!list) continue
    const subs = new Map<string, string[]>()
    for (const r of list.resources) {
      const i = r.name.indexOf('/')
      if (i > 0)
        subs.set(r.name.slice(0, i), [...(subs.get(r.name.slice(0, i)) ?? []), r.name.slice(i + 1)])
    }
    for (const r of list.resources) {
      if (r.name.includes('/')) continue
      resources.push({
        group,
        version,
        kind: r.kind,
        resource: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
        subresources: subs.get(r.name) ?? [],
        shortNames: r.shortNames
      })
    }
  }
  return { resources, groups }
}
