/**
 * Kubernetes API versions that were deprecated and removed, like Pluto's
 * and kubent's tables: removal releases from the Kubernetes Deprecated API
 * Migration Guide, deprecation releases from the release notes. A finding
 * compares them with the server's own version and what it serves.
 */

/** One deprecated group/version/kind. */
export interface Deprecation {
  group: string
  version: string
  kind: string
  /** Minor release (1.x) that deprecated it. */
  deprecatedIn: number
  /** Minor release that stopped serving it; undefined when not yet scheduled. */
  removedIn?: number
  /** What to use instead (`apps/v1`), or a sentence when nothing replaces it. */
  replacement: string
  /** Alpha APIs: off by default, gone without a deprecation period. */
  alpha?: boolean
}

type Row = [
  group: string,
  version: string,
  kinds: string[],
  deprecatedIn: number,
  removedIn: number | undefined,
  replacement: string
]

const ROWS: Row[] = [
  // removed in 1.16
  ['extensions', 'v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
  ['apps', 'v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
  ['apps', 'v1beta2', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
  ['extensions', 'v1beta1', ['NetworkPolicy'], 9, 16, 'networking.k8s.io/v1'],
  [
    'extensions',
    'v1beta1',
    ['PodSecurityPolicy'],
    10,
    16,
    'policy/v1beta1 (itself removed in 1.25: use Pod Security admission)'
  ],
  // removed in 1.22
  ['extensions', 'v1beta1', ['Ingress'], 14, 22, 'networking.k8s.io/v1'],
  ['networking.k8s.io', 'v1beta1', ['Ingress', 'IngressClass'], 19, 22, 'networking.k8s.io/v1'],
  [
    'rbac.authorization.k8s.io',
    'v1beta1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    17,
    22,
    'rbac.authorization.k8s.io/v1'
  ],
  [
    'admissionregistration.k8s.io',
    'v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    16,
    22,
    'admissionregistration.k8s.io/v1'
  ],
  [
    'apiextensions.k8s.io',
    'v1beta1',
    ['CustomResourceDefinition'],
    16,
    22,
    'apiextensions.k8s.io/v1'
  ],
  ['apiregistration.k8s.io', 'v1beta1', ['APIService'], 19, 22, 'apiregistration.k8s.io/v1'],
  ['authentication.k8s.io', 'v1beta1', ['TokenReview'], 19, 22, 'authentication.k8s.io/v1'],
  [
    'authorization.k8s.io',
    'v1beta1',
    [
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SubjectAccessReview',
      'SelfSubjectRulesReview'
    ],
    19,
    22,
    'authorization.k8s.io/v1'
  ],
  [
    'certificates.k8s.io',
    'v1beta1',
    ['CertificateSigningRequest'],
    19,
    22,
    'certificates.k8s.io/v1'
  ],
  ['coordination.k8s.io', 'v1beta1', ['Lease'], 19, 22, 'coordination.k8s.io/v1'],
  ['scheduling.k8s.io', 'v1beta1', ['PriorityClass'], 14, 22, 'scheduling.k8s.io/v1'],
  [
    'storage.k8s.io',
    'v1beta1',
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    19,
    22,
    'storage.k8s.io/v1'
  ],
  // removed in 1.25
  ['batch', 'v1beta1', ['CronJob'], 21, 25, 'batch/v1'],
  ['discovery.k8s.io', 'v1beta1', ['EndpointSlice'], 21, 25, 'discovery.k8s.io/v1'],
  ['events.k8s.io', 'v1beta1', ['Event'], 19, 25, 'events.k8s.io/v1'],
  ['autoscaling', 'v2beta1', ['HorizontalPodAutoscaler'], 22, 25, 'autoscaling/v2'],
  ['policy', 'v1beta1', ['PodDisruptionBudget'], 21, 25, 'policy/v1'],
  [
    'policy',
    'v1beta1',
    ['PodSecurityPolicy'],
    21,
    25,
    'nothing: use Pod Security admission (namespace labels) or a policy webhook'
  ],
  ['node.k8s.io', 'v1beta1', ['RuntimeClass'], 20, 25, 'node.k8s.io/v1'],
  // removed in 1.26
  ['autoscaling', 'v2beta2', ['HorizontalPodAutoscaler'], 23, 26, 'autoscaling/v2'],
  [
    'flowcontrol.apiserver.k8s.io',
    'v1beta1',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    23,
    26,
    'flowcontrol.apiserver.k8s.io/v1'
  ],
  // removed in 1.27
  ['storage.k8s.io', 'v1beta1', ['CSIStorageCapacity'], 24, 27, 'storage.k8s.io/v1'],
  // removed in 1.29
  [
    'flowcontrol.apiserver.k8s.io',
    'v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    26,
    29,
    'flowcontrol.apiserver.k8s.io/v1'
  ],
  // removed in 1.32
  [
    'flowcontrol.apiserver.k8s.io',
    'v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    29,
    32,
    'flowcontrol.apiserver.k8s.io/v1'
  ],
  // Dynamic Resource Allocation: alphas replaced release by release, betas deprecated when v1 went GA (1.34)
  [
    'resource.k8s.io',
    'v1alpha1',
    ['ResourceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'PodScheduling'],
    26,
    27,
    'resource.k8s.io/v1'
  ],
  [
    'resource.k8s.io',
    'v1alpha2',
    [
      'ResourceClass',
      'ResourceClaim',
      'ResourceClaimTemplate',
      'PodSchedulingContext',
      'ResourceSlice',
      'ResourceClaimParameters',
      'ResourceClassParameters'
    ],
    27,
    31,
    'resource.k8s.io/v1'
  ],
  [
    'resource.k8s.io',
    'v1alpha3',
    ['PodSchedulingContext'],
    31,
    32,
    'nothing: classic DRA was removed; use structured parameters (resource.k8s.io/v1)'
  ],
  [
    'resource.k8s.io',
    'v1alpha3',
    ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
    32,
    33,
    'resource.k8s.io/v1'
  ],
  [
    'resource.k8s.io',
    'v1beta1',
    ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
    34,
    undefined,
    'resource.k8s.io/v1'
  ],
  [
    'resource.k8s.io',
    'v1beta2',
    ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
    34,
    undefined,
    'resource.k8s.io/v1'
  ]
]

/** The table, one entry per group/version/kind. */
export const DEPRECATIONS: readonly Deprecation[] = ROWS.flatMap(
  ([group, version, kinds, deprecatedIn, removedIn, replacement]) =>
    kinds.map(kind => {
      const d: Deprecation = { group, version, kind, deprecatedIn, replacement }
      if (removedIn !== undefined) d.removedIn = removedIn
      if (/alpha/.test(version)) d.alpha = true
      return d
    })
)

/** The table's entry for a group/version/kind, if it is deprecated. */
export function findDeprecation(
  group: string,
  version: string,
  kind: string
): Deprecation | undefined {
  return DEPRECATIONS.find(d => d.group === group && d.version === version && d.kind === kind)
}

/** Where an API stands on a server of minor version `minor`. */
export type DeprecationStatus = 'removed' | 'deprecated' | 'current'

/** Whether the API is removed, deprecated or still current on a server `1.<minor>`. */
export function deprecationStatus(d: Deprecation, minor: number): DeprecationStatus {
  if (d.removedIn !== undefined && minor >= d.removedIn) return 'removed'
  if (minor >= d.deprecatedIn) return 'deprecated'
  return 'current'
}
