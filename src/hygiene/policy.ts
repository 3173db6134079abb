/**
 * A hygiene rule as a ValidatingAdmissionPolicy: the same CEL, the same variables, matched to the
 * rule's kinds. The parity test loads every built-in rule this way on a real apiserver; users can
 * do the same to enforce a rule in a cluster, not only in CI.
 */

import type { KubeObject } from '../kube/types.js'
import type { HygieneRule } from './types.js'
import {
  OBJECT_VARIABLES,
  PDB_PARAM_EXPRESSION,
  PDBS_VARIABLE,
  variablesUsed
} from './variables.js'

/** Group, version and resource of each kind a rule may name. */
export const KIND_RESOURCES: Readonly<
  Record<string, { group: string; version: string; resource: string }>
> = {
  Pod: { group: '', version: 'v1', resource: 'pods' },
  Secret: { group: '', version: 'v1', resource: 'secrets' },
  ConfigMap: { group: '', version: 'v1', resource: 'configmaps' },
  Service: { group: '', version: 'v1', resource: 'services' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  Job: { group: 'batch', version: 'v1', resource: 'jobs' },
  CronJob: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  Ingress: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
  PodDisruptionBudget: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' }
}

/** The parameter kind that gives a policy `variables.pdbs` (one object per namespace, named in the binding). */
export const HYGIENE_CONTEXT = {
  group: 'hygiene.phase-gate.dev',
  version: 'v1alpha1',
  kind: 'HygieneContext',
  plural: 'hygienecontexts'
} as const

/** The CustomResourceDefinition of HygieneContext: `spec.pdbs: [{name, matchLabels}]`, structural. */
export function hygieneContextCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${HYGIENE_CONTEXT.plural}.${HYGIENE_CONTEXT.group}` },
    spec: {
      group: HYGIENE_CONTEXT.group,
      scope: 'Namespaced',
      names: {
        kind: HYGIENE_CONTEXT.kind,
        plural: HYGIENE_CONTEXT.plural,
        singular: HYGIENE_CONTEXT.kind.toLowerCase(),
        listKind: `${HYGIENE_CONTEXT.kind}List`
      },
      versions: [
        {
          name: HYGIENE_CONTEXT.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    pdbs: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['name'],
                        properties: {
                          name: { type: 'string' },
                          matchLabels: {
                            type: 'object',
                            additionalProperties: { type: 'string' }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      ]
    }
  }
}

/** Options of toValidatingAdmissionPolicy. */
export interface PolicyOptions {
  /** Policy name; default `phase-gate-hygiene-<rule id>`. */
  name?: string
  /** Extra matchConditions (e.g. to confine the policy to labelled objects). */
  matchConditions?: { name: string; expression: string }[]
}

/** The rule as a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1); bind it to use it. */
export function toValidatingAdmissionPolicy(
  rule: HygieneRule,
  opts: PolicyOptions = {}
): KubeObject {
  const kinds = rule.kinds ?? Object.keys(KIND_RESOURCES)
  const byGroup = new Map<string, { versions: Set<string>; resources: string[] }>()
  for (const kind of kinds) {
    const r = KIND_RESOURCES[kind]
    if (!r) throw new Error(`rule ${rule.id}: no resource known for kind ${kind}`)
    const g = byGroup.get(r.group) ?? { versions: new Set<string>(), resources: [] }
    g.versions.add(r.version)
    g.resources.push(r.resource)
    byGroup.set(r.group, g)
  }
  const used = variablesUsed(rule.cel, rule.messageExpression)
  const variables = used.map(name =>
    name === PDBS_VARIABLE
      ? { name, expression: PDB_PARAM_EXPRESSION }
      : { name, expression: OBJECT_VARIABLES.find(v => v.name === name)?.expression ?? '' }
  )
  const spec: Record<string, unknown> = {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [...byGroup].map(([group, g]) => ({
        apiGroups: [group],
        apiVersions: [...g.versions],
        operations: ['CREATE', 'UPDATE'],
        resources: g.resources
      }))
    },
    variables,
    validations: [
      {
        expression: rule.cel,
        message: `${rule.id}: ${rule.message}`,
        ...(rule.messageExpression
          ? { messageExpression: `'${rule.id}: ' + (${rule.messageExpression})` }
          : {})
      }
    ]
  }
  if (opts.matchConditions?.length) spec.matchConditions = opts.matchConditions
  if (used.includes(PDBS_VARIABLE))
    spec.paramKind = {
      apiVersion: `${HYGIENE_CONTEXT.group}/${HYGIENE_CONTEXT.version}`,
      kind: HYGIENE_CONTEXT.kind
    }
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: opts.name ?? `phase-gate-hygiene-${rule.id}` },
    spec
  }
}
