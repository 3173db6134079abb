/** Where a manifest object came from and how the server serves it, for findings that point at manifests. */

import type { ApiSurface, KubeObject, ResourceInfo } from '../kube/types.js'
import { splitApiVersion } from '../kube/types.js'
import type { LoadedManifest } from '../plan/manifests.js'
import type { SourceLocation } from '../report/model.js'

/** The manifest object's place in its file, with an optional field path inside the object. */
export function manifestLocation(m: LoadedManifest, path?: string): SourceLocation {
  const loc: SourceLocation = { file: m.file, line: m.line, column: m.column }
  const p = path
    ? `${m.object.kind}/${m.object.metadata.name} ${path}`
    : `${m.object.kind}/${m.object.metadata.name}`
  loc.path = p
  return loc
}

/** `Deployment web (deploy/app.yaml:3)`: the object and where it is written. */
export function describeManifest(m: LoadedManifest): string {
  return `${describeObject(m.object)} (${m.file}:${m.line})`
}

/** `Deployment web` or `Deployment other-ns/web` when the manifest names a namespace. */
export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata.namespace
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name}`
}

/** The served resource for an apiVersion and kind, from discovery already made (no request). */
export function findResource(
  surface: ApiSurface,
  apiVersion: string,
  kind: string
): ResourceInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion)
  return surface.resources.find(r => r.group === group && r.version === version && r.kind === kind)
}
