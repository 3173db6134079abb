/**
 * What a pod asks of a namespace's quota: container requests and limits
 * after the API's defaulting (requests default to limits) and LimitRange
 * defaults, summed the way the scheduler and quota do (init containers by
 * their maximum, sidecars alongside the app containers).
 */

import { isRecord, records } from '../core/fields.js'
import type { PodTemplate } from './pod-templates.js'
import { parseQuantity, type Quantity } from '../kube/quantity.js'

/** Resource name → amount. */
export type ResourceAmounts = Map<string, Quantity>

/** LimitRange defaults for containers (type Container). */
export interface ContainerDefaults {
  /** `default`: limits for containers that set none. */
  limits: ResourceAmounts
  /** `defaultRequest`: requests for containers that set none. */
  requests: ResourceAmounts
  /** The LimitRange the defaults come from, for messages. */
  source?: string
}

/** One container's effective resources. */
export interface ContainerResources {
  name: string
  list: 'containers' | 'initContainers'
  sidecar: boolean
  requests: ResourceAmounts
  limits: ResourceAmounts
  /** Resource fields filled from a LimitRange default (`requests.cpu`, `limits.memory`). */
  defaulted: string[]
}

/** A pod's effective resources and what quota scopes look at. */
export interface PodResources {
  containers: ContainerResources[]
  requests: ResourceAmounts
  /** Pod limits; a resource is absent when any container leaves it unlimited. */
  limits: ResourceAmounts
  bestEffort: boolean
  terminating: boolean
  priorityClassName?: string
}

function amounts(v: unknown): ResourceAmounts {
  const out: ResourceAmounts = new Map()
  if (!isRecord(v)) return out
  for (const [k, x] of Object.entries(v)) {
    const q = parseQuantity(typeof x === 'number' || typeof x === 'string' ? x : undefined)
    if (q !== undefined) out.set(k, q)
  }
  return out
}

/** The LimitRanges' container defaults merged (the first LimitRange to set a resource wins, as LimitRanger applies them in order). */
export function containerDefaults(
  limitRanges: { name: string; spec: unknown }[]
): ContainerDefaults {
  const d: ContainerDefaults = { limits: new Map(), requests: new Map() }
  for (const lr of limitRanges) {
    const spec = isRecord(lr.spec) ? lr.spec : {}
    for (const item of records(spec.limits)) {
      if (item.type !== 'Container') continue
      const lim = amounts(item.default)
      // LimitRange defaulting: a default limit without a default request is also the default request.
      const req = amounts(item.defaultRequest)
      for (const [k, q] of lim) if (!req.has(k)) req.set(k, q)
      for (const [k, q] of lim) if (!d.limits.has(k)) d.limits.set(k, q)
      for (const [k, q] of req) if (!d.requests.has(k)) d.requests.set(k, q)
      if (lim.size || req.size) d.source ??= lr.name
    }
  }
  return d
}

/** A container's requests and limits after API defaulting and the LimitRange defaults. */
export function containerResources(
  c: Record<string, unknown>,
  list: 'containers' | 'initContainers',
  defaults: ContainerDefaults
): ContainerResources {
  const res = isRecord(c.resources) ? c.resources : {}
  const limits = amounts(res.limits)
  const requests = amounts(res.requests)
  const defaulted: string[] = []
  // API defaulting (before admission): a limit without a request is also the request.
  for (const [k, q] of limits) if (!requests.has(k)) requests.set(k, q)
  for (const [k, q] of defaults.limits)
    if (!limits.has(k)) {
      limits.set(k, q)
      defaulted.push(`limits.${k}`)
    }
  for (const [k, q] of defaults.requests)
    if (!requests.has(k)) {
      requests.set(k, q)
      defaulted.push(`requests.${k}`)
    }
  return {
    name: typeof c.name === 'string' ? c.name : '?',
    list,
    sidecar: list === 'initContainers' && c.restartPolicy === 'Always',
    requests,
    limits,
    defaulted
  }
}

function add(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, q] of from) into.set(k, (into.get(k) ?? 0n) + q)
}

function maxInto(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, q] of from) if ((into.get(k) ?? 0n) < q) into.set(k, q)
}

/**
 * Effective pod resources (as the scheduler and quota count them): the sum of
 * app containers and sidecars, or the largest init container plus the
 * sidecars started before it, whichever is larger per resource.
 */
export function podResources(t: PodTemplate, defaults: ContainerDefaults): PodResources {
  const containers = [
    ...records(t.spec.initContainers).map(c => containerResources(c, 'initContainers', defaults)),
    ...records(t.spec.containers).map(c => containerResources(c, 'containers', defaults))
  ]
  const sum = (pick: (c: ContainerResources) => ResourceAmounts): ResourceAmounts => {
    const regular: ResourceAmounts = new Map()
    const sidecars: ResourceAmounts = new Map()
    const initPeak: ResourceAmounts = new Map()
    for (const c of containers) {
      if (c.list === 'containers') add(regular, pick(c))
      else if (c.sidecar) add(sidecars, pick(c))
      else {
        const during: ResourceAmounts = new Map(sidecars)
        add(during, pick(c))
        maxInto(initPeak, during)
      }
    }
    add(regular, sidecars)
    maxInto(regular, initPeak)
    return regular
  }
  const requests = sum(c => c.requests)
  const limits = sum(c => c.limits)
  // A resource one container leaves unlimited makes the pod unlimited in it.
  for (const k of [...limits.keys()])
    if (containers.some(c => c.list === 'containers' && !c.limits.has(k))) limits.delete(k)
  const priority = t.spec.priorityClassName
  return {
    containers,
    requests,
    limits,
    // QoS BestEffort looks at cpu and memory only.
    bestEffort: containers.every(
      c => !['cpu', 'memory'].some(r => c.requests.has(r) || c.limits.has(r))
    ),
    terminating: typeof t.spec.activeDeadlineSeconds === 'number',
    priorityClassName: typeof priority === 'string' ? priority : undefined
  }
}
