// The `openshift` profile: what an OpenShift cluster looks like to phase-gate
// beyond plain Kubernetes. Route, SecurityContextConstraints and ClusterVersion
// are served (CRDs in crds/openshift/); every namespace gets OpenShift's UID
// range annotations (openshift-controller.mjs); the default SCCs exist as data;
// and a ValidatingAdmissionPolicy rejects pods the way restricted-v2 does:
// a fixed runAsUser (or fsGroup) outside the namespace's range, privileged
// containers, privilege escalation, host namespaces, host paths and ports, and
// capabilities added beyond NET_BIND_SERVICE. Like OpenShift's SCC admission it
// acts on pods, so a Deployment is admitted and its ReplicaSet fails to create
// pods (FailedCreate). Pods that set no UID are admitted (OpenShift would
// assign one from the range; nothing here mutates them).
export const OPENSHIFT_VERSION = '4.18.9'
export const CONTROLLER_USER = 'phase-gate:openshift-controller'
export const POLICY = 'openshift-restricted-v2'

const range = key => `namespaceObject.metadata.?annotations[?'${key}'].orValue('')`
const first = v =>
  `(variables.${v}.matches('^[0-9]+/[0-9]+$') ? int(variables.${v}.split('/')[0]) : -1)`
const last = v =>
  `(variables.${v}.matches('^[0-9]+/[0-9]+$') ? int(variables.${v}.split('/')[0]) + int(variables.${v}.split('/')[1]) - 1 : -1)`
const outside = (value, r) => `(${value} < variables.${r}First || ${value} > variables.${r}Last)`
const provider = what =>
  `'unable to validate against any security context constraint: [provider restricted-v2: ' + ${what} + ']'`

/** The restricted-v2 stand-in: a ValidatingAdmissionPolicy and its binding (all but kube-* namespaces). */
export function restrictedV2Policy() {
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: POLICY },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }
        ]
      },
      variables: [
        { name: 'uidRange', expression: range('openshift.io/sa.scc.uid-range') },
        { name: 'uidFirst', expression: first('uidRange') },
        { name: 'uidLast', expression: last('uidRange') },
        { name: 'groupRange', expression: range('openshift.io/sa.scc.supplemental-groups') },
        { name: 'groupFirst', expression: first('groupRange') },
        { name: 'groupLast', expression: last('groupRange') },
        {
          name: 'containers',
          expression:
            'object.spec.?initContainers.orValue([]) + object.spec.containers + object.spec.?ephemeralContainers.orValue([])'
        },
        {
          name: 'badUids',
          expression:
            `(object.spec.?securityContext.?runAsUser.hasValue() && ${outside('object.spec.securityContext.runAsUser', 'uid')} ` +
            `? ['spec.securityContext.runAsUser: Invalid value: ' + string(object.spec.securityContext.runAsUser)] : []) + ` +
            `variables.containers.filter(c, c.?securityContext.?runAsUser.hasValue() && ${outside('c.securityContext.runAsUser', 'uid')})` +
            `.map(c, 'containers[' + c.name + '].runAsUser: Invalid value: ' + string(c.securityContext.runAsUser))`
        }
      ],
      validations: [
        {
          expression: "variables.uidRange != ''",
          message:
            'unable to validate against any security context constraint: the namespace has no openshift.io/sa.scc.uid-range annotation',
          messageExpression: provider(
            "'unable to find annotation openshift.io/sa.scc.uid-range on namespace ' + namespaceObject.metadata.name"
          )
        },
        {
          expression: 'variables.badUids.size() == 0',
          message:
            'unable to validate against any security context constraint: runAsUser outside the namespace range',
          messageExpression: provider(
            "variables.badUids.join(', ') + ': must be in the ranges: [' + string(variables.uidFirst) + ', ' + string(variables.uidLast) + ']'"
          )
        },
        {
          expression: `!object.spec.?securityContext.?fsGroup.hasValue() || !${outside('object.spec.securityContext.fsGroup', 'group')}`,
          message:
            'unable to validate against any security context constraint: fsGroup outside the namespace range',
          messageExpression: provider(
            "'spec.securityContext.fsGroup: Invalid value: ' + string(object.spec.securityContext.fsGroup) + ': must be in the ranges: [' + string(variables.groupFirst) + ', ' + string(variables.groupLast) + ']'"
          )
        },
        {
          expression: 'variables.containers.all(c, !c.?securityContext.?privileged.orValue(false))',
          message:
            'unable to validate against any security context constraint: privileged containers are not allowed',
          messageExpression: provider(
            "variables.containers.filter(c, c.?securityContext.?privileged.orValue(false)).map(c, 'containers[' + c.name + '].securityContext.privileged: Invalid value: true').join(', ') + ': Privileged containers are not allowed'"
          )
        },
        {
          expression:
            'variables.containers.all(c, !c.?securityContext.?allowPrivilegeEscalation.orValue(false))',
          message:
            'unable to validate against any security context constraint: [provider restricted-v2: Allowing privilege escalation for containers is not allowed]'
        },
        {
          expression:
            '!object.spec.?hostNetwork.orValue(false) && !object.spec.?hostPID.orValue(false) && !object.spec.?hostIPC.orValue(false)',
          message:
            'unable to validate against any security context constraint: [provider restricted-v2: Host network, PID and IPC are not allowed to be used]'
        },
        {
          expression: 'object.spec.?volumes.orValue([]).all(v, !has(v.hostPath))',
          message:
            'unable to validate against any security context constraint: [provider restricted-v2: spec.volumes: Invalid value: "hostPath": hostPath volumes are not allowed to be used]'
        },
        {
          expression:
            'variables.containers.all(c, c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0))',
          message:
            'unable to validate against any security context constraint: [provider restricted-v2: Host ports are not allowed to be used]'
        },
        {
          expression:
            "variables.containers.all(c, c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE'))",
          message: 'unable to validate against any security context constraint: capabilities added',
          messageExpression: provider(
            "variables.containers.filter(c, !c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE')).map(c, 'containers[' + c.name + '].securityContext.capabilities.add: Invalid value: \"' + c.securityContext.capabilities.add.join(',') + '\"').join(', ') + ': capability may not be added'"
          )
        }
      ]
    }
  }
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: POLICY },
    spec: {
      policyName: POLICY,
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', 'kube-public', 'kube-node-lease']
            }
          ]
        }
      }
    }
  }
  return [policy, binding]
}

const scc = (name, fields) => ({
  apiVersion: 'security.openshift.io/v1',
  kind: 'SecurityContextConstraints',
  metadata: { name },
  allowHostDirVolumePlugin: false,
  allowHostIPC: false,
  allowHostNetwork: false,
  allowHostPID: false,
  allowHostPorts: false,
  allowPrivilegedContainer: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: false,
  requiredDropCapabilities: ['ALL'],
  allowedCapabilities: ['NET_BIND_SERVICE'],
  runAsUser: { type: 'MustRunAsRange' },
  seLinuxContext: { type: 'MustRunAs' },
  fsGroup: { type: 'MustRunAs' },
  supplementalGroups: { type: 'RunAsAny' },
  seccompProfiles: ['runtime/default'],
  volumes: [
    'configMap',
    'csi',
    'downwardAPI',
    'emptyDir',
    'ephemeral',
    'persistentVolumeClaim',
    'projected',
    'secret'
  ],
  users: [],
  groups: [],
  ...fields
})

/** Default SCCs (as data), the ClusterVersion, the restricted-v2 policy and the controller's RBAC. */
export function openshiftObjects() {
  return [
    scc('restricted-v2', { priority: null, groups: ['system:authenticated'] }),
    scc('nonroot-v2', { priority: null, runAsUser: { type: 'MustRunAsNonRoot' } }),
    scc('anyuid', {
      priority: 10,
      runAsUser: { type: 'RunAsAny' },
      fsGroup: { type: 'RunAsAny' },
      groups: ['system:cluster-admins']
    }),
    scc('hostnetwork-v2', { priority: null, allowHostNetwork: true, allowHostPorts: true }),
    scc('hostmount-anyuid', {
      priority: null,
      allowHostDirVolumePlugin: true,
      runAsUser: { type: 'RunAsAny' },
      volumes: [
        'configMap',
        'downwardAPI',
        'emptyDir',
        'hostPath',
        'nfs',
        'persistentVolumeClaim',
        'projected',
        'secret'
      ]
    }),
    scc('privileged', {
      priority: null,
      allowHostDirVolumePlugin: true,
      allowHostIPC: true,
      allowHostNetwork: true,
      allowHostPID: true,
      allowHostPorts: true,
      allowPrivilegedContainer: true,
      allowPrivilegeEscalation: true,
      requiredDropCapabilities: null,
      allowedCapabilities: ['*'],
      runAsUser: { type: 'RunAsAny' },
      seLinuxContext: { type: 'RunAsAny' },
      fsGroup: { type: 'RunAsAny' },
      seccompProfiles: ['*'],
      volumes: ['*'],
      users: ['system:admin'],
      groups: ['system:cluster-admins', 'system:nodes', 'system:masters']
    }),
    {
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterVersion',
      metadata: { name: 'version' },
      spec: { clusterID: '7d3c8b0e-5f1a-4e63-9a52-0c1f2e3d4b5a', channel: 'stable-4.18' }
    },
    ...restrictedV2Policy(),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: CONTROLLER_USER },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'patch'] }
      ]
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: CONTROLLER_USER },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: CONTROLLER_USER
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: CONTROLLER_USER }]
    }
  ]
}

/** ClusterVersion `version`'s status (a subresource): the installed 4.x release, available. */
export function clusterVersionStatus(now = '2026-11-01T00:00:00Z') {
  return {
    status: {
      observedGeneration: 1,
      desired: { version: OPENSHIFT_VERSION, channels: ['stable-4.18'] },
      history: [
        {
          state: 'Completed',
          startedTime: now,
          completionTime: now,
          version: OPENSHIFT_VERSION,
          verified: false
        }
      ],
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: now,
          message: `Done applying ${OPENSHIFT_VERSION}`
        },
        {
          type: 'Progressing',
          status: 'False',
          lastTransitionTime: now,
          message: `Cluster version is ${OPENSHIFT_VERSION}`
        }
      ]
    }
  }
}
