/**
 * The built-in hygiene rules. Each is CEL over `object` and the standard variables (variables.ts),
 * written so that it gives the same verdict here and as a ValidatingAdmissionPolicy on the
 * apiserver (the parity test proves it): every field that may be absent is read with `.?` and a
 * default equal to the apiserver's own default, so defaulting on the server changes nothing.
 */

import type { HygieneRule } from './types.js'

/** Kinds that carry a pod spec. */
export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob'
] as const
/** Kinds whose pods run for as long as the workload lives (and so serve). */
export const SERVING_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet'
] as const
/** Kinds with a replica count. */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const

/** The names of the containers of `list` for which `bad` (over `c`) holds, joined. */
const names = (list: string, bad: string): string =>
  `${list}.filter(c, ${bad}).map(c, c.name).join(', ')`

const HAS_REQUESTS =
  'c.?resources.?requests.?cpu.hasValue() && c.?resources.?requests.?memory.hasValue()'
const HAS_LIMITS = 'c.?resources.?limits.?cpu.hasValue() && c.?resources.?limits.?memory.hasValue()'
const SERVES = 'c.?ports.orValue([]).size() > 0'

// The container's setting, else the pod's (a container's securityContext overrides the pod's).
const RUN_AS_USER =
  'c.?securityContext.?runAsUser.orValue(variables.podSpec.?securityContext.?runAsUser.orValue(-1))'
const RUN_AS_NON_ROOT =
  'c.?securityContext.?runAsNonRoot.orValue(variables.podSpec.?securityContext.?runAsNonRoot.orValue(false))'
const NON_ROOT = `(${RUN_AS_USER} != 0 && (${RUN_AS_NON_ROOT} || ${RUN_AS_USER} > 0))`
const NO_ESCALATION = 'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false'
const CAPS_DROPPED =
  "(c.?securityContext.?capabilities.?drop.orValue([]).exists(d, d == 'ALL') && " +
  "c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE'))"
const SECCOMP =
  "c.?securityContext.?seccompProfile.?type.orValue(variables.podSpec.?securityContext.?seccompProfile.?type.orValue('')) in ['RuntimeDefault', 'Localhost']"

// Credentials by the variable's name (unless the name says it holds a path, URL or flag) or by the
// value's shape (cloud keys, tokens, private keys, URLs with a password). RE2, no backslashes.
const CREDENTIAL_NAME =
  '(?i)(passw(or)?d|pwd|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key)'
const NOT_A_CREDENTIAL_NAME =
  '(?i)(_file|_path|_dir|_url|_uri|_endpoint|_host|_port|_enabled|_ttl|_timeout|_expiry|_length|_name|_type|_id)$'
const NOT_A_CREDENTIAL_VALUE =
  '(?i)^(true|false|yes|no|on|off|enabled|disabled|none|null|/.*|[$][(][a-z_][a-z0-9_]*[)])$'
const CREDENTIAL_SHAPE = [
  'AKIA[0-9A-Z]{16}',
  '-----BEGIN [A-Z ]*PRIVATE KEY-----',
  'gh[pousr]_[A-Za-z0-9]{36}',
  'xox[abprs]-[A-Za-z0-9-]{10,}',
  'eyJ[A-Za-z0-9_-]{10,}[.]eyJ[A-Za-z0-9_-]{10,}[.]',
  'sk_live_[0-9A-Za-z]{24,}',
  'AIza[0-9A-Za-z_-]{35}',
  '[a-zA-Z][a-zA-Z0-9+.-]*://[^/:@ ]+:[^/@ $]+@'
].join('|')
const LITERAL_SECRET =
  `(e.?value.orValue('') != '' && (e.value.matches('${CREDENTIAL_SHAPE}') || ` +
  `(e.name.matches('${CREDENTIAL_NAME}') && !e.name.matches('${NOT_A_CREDENTIAL_NAME}') && ` +
  `!e.value.matches('${NOT_A_CREDENTIAL_VALUE}'))))`

const IMAGE = "c.?image.orValue('')"
const TAG_PINNED = `(${IMAGE}.contains('@') || (${IMAGE}.matches(':[^/:]+$') && !${IMAGE}.endsWith(':latest')))`
const DIGEST_PINNED = `${IMAGE}.contains('@sha256:')`

const PDB_SELECTS =
  "variables.pdbs.exists(p, p.?matchLabels.orValue({}).size() > 0 && p.?matchLabels.orValue({}).all(k, variables.podLabels[?k].orValue('') == p.matchLabels[k]))"
const SPREAD =
  'variables.podSpec.?topologySpreadConstraints.orValue([]).size() > 0 || variables.podSpec.?affinity.?podAntiAffinity.hasValue()'

/** The built-in rules, in report order. */
export const BUILTIN_RULES: readonly HygieneRule[] = [
  {
    id: 'resources-requests',
    severity: 'medium',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${HAS_REQUESTS})`,
    message: 'a container sets no cpu or memory request',
    messageExpression: `'containers without cpu and memory requests: ' + ${names('variables.allContainers', `!(${HAS_REQUESTS})`)}`,
    fix: 'set resources.requests.cpu and resources.requests.memory on every container (the scheduler places pods by requests; without them quota and autoscaling cannot work)',
    source: 'builtin'
  },
  {
    id: 'resources-limits',
    severity: 'medium',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${HAS_LIMITS})`,
    message: 'a container sets no cpu or memory limit',
    messageExpression: `'containers without cpu and memory limits: ' + ${names('variables.allContainers', `!(${HAS_LIMITS})`)}`,
    fix: 'set resources.limits.memory (a leak then restarts one container instead of starving the node) and resources.limits.cpu, or disable this rule with a reason if the platform sets limits through a LimitRange',
    source: 'builtin'
  },
  {
    id: 'readiness-probe',
    severity: 'medium',
    kinds: SERVING_KINDS,
    cel: `variables.containers.all(c, !(${SERVES}) || c.?readinessProbe.hasValue())`,
    message: 'a serving container has no readinessProbe',
    messageExpression: `'serving containers without a readinessProbe: ' + ${names('variables.containers', `${SERVES} && !c.?readinessProbe.hasValue()`)}`,
    fix: 'add a readinessProbe to every container that declares ports, so Services send traffic only to pods that can answer and rollouts wait for them',
    source: 'builtin'
  },
  {
    id: 'liveness-probe',
    severity: 'low',
    kinds: SERVING_KINDS,
    cel: `variables.containers.all(c, !(${SERVES}) || c.?livenessProbe.hasValue())`,
    message: 'a serving container has no livenessProbe',
    messageExpression: `'serving containers without a livenessProbe: ' + ${names('variables.containers', `${SERVES} && !c.?livenessProbe.hasValue()`)}`,
    fix: 'add a livenessProbe (a cheap endpoint, not the readiness check) so a hung process is restarted',
    source: 'builtin'
  },
  {
    id: 'run-as-non-root',
    severity: 'high',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${NON_ROOT})`,
    message: 'a container may run as root',
    messageExpression: `'containers that may run as root: ' + ${names('variables.allContainers', `!${NON_ROOT}`)}`,
    fix: 'set securityContext.runAsNonRoot: true on the pod (and never runAsUser: 0); prefer a numeric USER in the image over a fixed runAsUser, which OpenShift refuses',
    source: 'builtin'
  },
  {
    id: 'no-privilege-escalation',
    severity: 'high',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${NO_ESCALATION})`,
    message: 'a container allows privilege escalation',
    messageExpression: `'containers without allowPrivilegeEscalation: false: ' + ${names('variables.allContainers', `!(${NO_ESCALATION})`)}`,
    fix: 'set securityContext.allowPrivilegeEscalation: false on every container (the default is true)',
    source: 'builtin'
  },
  {
    id: 'drop-capabilities',
    severity: 'medium',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${CAPS_DROPPED})`,
    message: 'a container keeps Linux capabilities',
    messageExpression: `'containers that do not drop ALL capabilities (or add more than NET_BIND_SERVICE): ' + ${names('variables.allContainers', `!${CAPS_DROPPED}`)}`,
    fix: 'set securityContext.capabilities.drop: [ALL] on every container, adding back only NET_BIND_SERVICE where a port below 1024 is needed',
    source: 'builtin'
  },
  {
    id: 'seccomp-runtime-default',
    severity: 'medium',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${SECCOMP})`,
    message: 'a container runs without a seccomp profile',
    messageExpression: `'containers without seccompProfile RuntimeDefault: ' + ${names('variables.allContainers', `!(${SECCOMP})`)}`,
    fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    source: 'builtin'
  },
  {
    id: 'no-secret-data',
    severity: 'high',
    kinds: ['Secret'],
    cel: 'object.?data.orValue({}).size() == 0 && object.?stringData.orValue({}).size() == 0',
    message: 'the manifest commits secret values',
    messageExpression:
      "'Secret ' + object.metadata.name + ' commits values for ' + (object.?data.orValue({}).map(k, k) + object.?stringData.orValue({}).map(k, k)).join(', ')",
    fix: 'keep secret values out of the repository: create the Secret from a secret store (External Secrets, Sealed Secrets, SOPS, the CI secret store) and reference it from the workload',
    source: 'builtin'
  },
  {
    id: 'no-env-secrets',
    severity: 'high',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, c.?env.orValue([]).all(e, !${LITERAL_SECRET}))`,
    message: 'an env value looks like a literal credential',
    messageExpression:
      `'env values that look like credentials: ' + variables.allContainers.filter(c, c.?env.orValue([]).exists(e, ${LITERAL_SECRET}))` +
      `.map(c, c.name + ' ' + c.env.filter(e, ${LITERAL_SECRET}).map(e, e.name).join(' ')).join(', ')`,
    fix: 'move the value into a Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef)',
    source: 'builtin'
  },
  {
    id: 'image-tag',
    severity: 'high',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${TAG_PINNED})`,
    message: 'an image has no tag or uses latest',
    messageExpression: `'images without a fixed tag: ' + variables.allContainers.filter(c, !${TAG_PINNED}).map(c, c.name + ' (' + ${IMAGE} + ')').join(', ')`,
    fix: 'name an exact version tag (or a digest); latest and missing tags make every pull a different image and rollbacks meaningless',
    source: 'builtin'
  },
  {
    id: 'image-digest',
    severity: 'low',
    kinds: WORKLOAD_KINDS,
    cel: `variables.allContainers.all(c, ${DIGEST_PINNED})`,
    message: 'an image is not pinned by digest',
    messageExpression: `'images not pinned by digest: ' + variables.allContainers.filter(c, !${DIGEST_PINNED}).map(c, c.name + ' (' + ${IMAGE} + ')').join(', ')`,
    fix: 'pin images as name:tag@sha256:<digest> (the image check prints the digest), so a re-pushed tag cannot change what runs',
    source: 'builtin'
  },
  {
    id: 'pod-disruption-budget',
    severity: 'medium',
    kinds: REPLICATED_KINDS,
    cel: `variables.replicas <= 1 || ${PDB_SELECTS}`,
    message: 'a replicated workload has no PodDisruptionBudget',
    messageExpression:
      "object.kind + ' ' + object.metadata.name + ' runs ' + string(variables.replicas) + ' replicas, but no PodDisruptionBudget beside it selects its pods'",
    fix: 'add a policy/v1 PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod labels, so node drains keep replicas serving',
    source: 'builtin'
  },
  {
    id: 'topology-spread',
    severity: 'low',
    kinds: REPLICATED_KINDS,
    cel: `variables.replicas <= 1 || ${SPREAD}`,
    message: 'a replicated workload does not spread its pods',
    messageExpression:
      "object.kind + ' ' + object.metadata.name + ' runs ' + string(variables.replicas) + ' replicas with neither topologySpreadConstraints nor podAntiAffinity'",
    fix: 'add topologySpreadConstraints over kubernetes.io/hostname (and topology.kubernetes.io/zone), so one node or zone going down does not take every replica',
    source: 'builtin'
  }
]
