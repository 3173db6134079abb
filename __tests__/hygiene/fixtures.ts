/**
 * Objects that pass and fail each built-in hygiene rule, shared by the unit tests (our engine)
 * and the parity test (the same objects dry-run through ValidatingAdmissionPolicies).
 */

import type { KubeObject } from '../../src/kube/types.js'
import type { PdbSummary } from '../../src/hygiene/engine.js'

export const DIGEST = `sha256:${'a1'.repeat(32)}`

/** PodDisruptionBudgets beside every case: one selecting app=good, one with an empty selector (which counts for nothing). */
export const PDBS: PdbSummary[] = [
  { name: 'good', matchLabels: { app: 'good' } },
  { name: 'everything', matchLabels: {} }
]

type Mutable = Record<string, unknown>

/** A nested mapping of a fixture, for editing. */
const rec = (v: unknown): Mutable => v as Mutable

/** Sets the app label of a Deployment's selector and pod template. */
function relabel(o: Mutable, app: string): void {
  const spec = rec(o.spec)
  rec(rec(spec.selector).matchLabels).app = app
  rec(rec(rec(spec.template).metadata).labels).app = app
}

/** A container that passes every rule. */
function container(name = 'app'): Mutable {
  return {
    name,
    image: `registry.invalid/web:1.4.2@${DIGEST}`,
    ports: [{ containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/live', port: 8080 } },
    resources: {
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '128Mi' }
    },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    env: [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' }
    ]
  }
}

function podSpec(): Mutable {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'good' } }
      }
    ],
    containers: [container()]
  }
}

/** A Deployment that passes every rule (2 replicas, spread, PDB "good" beside it). */
export function goodDeployment(name = 'good'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'good' } },
      template: { metadata: { labels: { app: 'good' } }, spec: podSpec() }
    }
  }
}

function goodPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'good' } },
    spec: podSpec()
  }
}

function goodCronJob(name: string): KubeObject {
  const spec: Mutable = podSpec()
  spec.restartPolicy = 'OnFailure'
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { metadata: { labels: { app: 'job' } }, spec } } }
    }
  }
}

function secret(name: string, fields: Mutable): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', ...fields }
}

/** A Deployment changed by `edit` (which gets the pod spec, its first container and the whole object). */
function deployment(
  name: string,
  edit: (spec: Mutable, c: Mutable, obj: Mutable) => void
): KubeObject {
  const obj = goodDeployment(name)
  const spec = rec(rec(rec(obj.spec).template).spec)
  edit(spec, rec((spec.containers as unknown[])[0]), obj)
  return obj
}

/** One case: an object and the verdict a rule must give it. */
export interface HygieneCase {
  rule: string
  name: string
  object: KubeObject
  pass: boolean
  /** For failing cases: a fragment the message must contain. */
  message?: string
  /** Other rules the object fails too (a missing tag is also a missing digest). */
  alsoFails?: string[]
}

const env = (name: string, value: string) => (s: Mutable, c: Mutable) => {
  c.env = [{ name, value }]
}

/** Every rule's cases: at least one object that passes and one that fails. */
export const CASES: HygieneCase[] = [
  // resources-requests
  { rule: 'resources-requests', name: 'req-ok', pass: true, object: goodDeployment('req-ok') },
  {
    rule: 'resources-requests',
    name: 'req-none',
    pass: false,
    message: 'app',
    object: deployment('req-none', (s, c) => {
      delete rec(c.resources).requests
    })
  },
  {
    rule: 'resources-requests',
    name: 'req-init-no-memory',
    pass: false,
    message: 'init',
    object: deployment('req-init-no-memory', s => {
      const init: Mutable = {
        ...container('init'),
        resources: { requests: { cpu: '10m' }, limits: { cpu: '10m', memory: '8Mi' } }
      }
      delete init.ports
      delete init.readinessProbe
      delete init.livenessProbe
      s.initContainers = [init]
    })
  },
  // resources-limits
  { rule: 'resources-limits', name: 'lim-ok', pass: true, object: goodPod('lim-ok') },
  {
    rule: 'resources-limits',
    name: 'lim-no-cpu',
    pass: false,
    message: 'app',
    object: deployment('lim-no-cpu', (s, c) => {
      delete rec(rec(c.resources).limits).cpu
    })
  },
  // readiness-probe / liveness-probe
  {
    rule: 'readiness-probe',
    name: 'probe-worker',
    pass: true,
    object: deployment('probe-worker', (s, c) => {
      delete c.ports
      delete c.readinessProbe
      delete c.livenessProbe
    })
  },
  {
    rule: 'readiness-probe',
    name: 'probe-no-readiness',
    pass: false,
    message: 'app',
    object: deployment('probe-no-readiness', (s, c) => {
      delete c.readinessProbe
    })
  },
  { rule: 'liveness-probe', name: 'live-ok', pass: true, object: goodDeployment('live-ok') },
  {
    rule: 'liveness-probe',
    name: 'live-none',
    pass: false,
    message: 'app',
    object: deployment('live-none', (s, c) => {
      delete c.livenessProbe
    })
  },
  // run-as-non-root
  {
    rule: 'run-as-non-root',
    name: 'root-uid',
    pass: true,
    object: deployment('root-uid', s => {
      s.securityContext = { runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } }
    })
  },
  {
    rule: 'run-as-non-root',
    name: 'root-unset',
    pass: false,
    message: 'app',
    object: deployment('root-unset', s => {
      delete rec(s.securityContext).runAsNonRoot
    })
  },
  {
    rule: 'run-as-non-root',
    name: 'root-zero',
    pass: false,
    message: 'app',
    object: deployment('root-zero', (s, c) => {
      rec(c.securityContext).runAsUser = 0
    })
  },
  {
    rule: 'run-as-non-root',
    name: 'root-override',
    pass: false,
    message: 'app',
    object: deployment('root-override', (s, c) => {
      rec(c.securityContext).runAsNonRoot = false
    })
  },
  // no-privilege-escalation
  {
    rule: 'no-privilege-escalation',
    name: 'esc-ok',
    pass: true,
    object: goodCronJob('esc-ok')
  },
  {
    rule: 'no-privilege-escalation',
    name: 'esc-unset',
    pass: false,
    message: 'app',
    object: deployment('esc-unset', (s, c) => {
      delete rec(c.securityContext).allowPrivilegeEscalation
    })
  },
  // drop-capabilities
  {
    rule: 'drop-capabilities',
    name: 'caps-bind',
    pass: true,
    object: deployment('caps-bind', (s, c) => {
      rec(c.securityContext).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }
    })
  },
  {
    rule: 'drop-capabilities',
    name: 'caps-none',
    pass: false,
    message: 'app',
    object: deployment('caps-none', (s, c) => {
      delete rec(c.securityContext).capabilities
    })
  },
  {
    rule: 'drop-capabilities',
    name: 'caps-admin',
    pass: false,
    message: 'app',
    object: deployment('caps-admin', (s, c) => {
      rec(c.securityContext).capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }
    })
  },
  // seccomp-runtime-default
  {
    rule: 'seccomp-runtime-default',
    name: 'seccomp-container',
    pass: true,
    object: deployment('seccomp-container', (s, c) => {
      delete rec(s.securityContext).seccompProfile
      rec(c.securityContext).seccompProfile = { type: 'RuntimeDefault' }
    })
  },
  {
    rule: 'seccomp-runtime-default',
    name: 'seccomp-none',
    pass: false,
    message: 'app',
    object: deployment('seccomp-none', s => {
      delete rec(s.securityContext).seccompProfile
    })
  },
  {
    rule: 'seccomp-runtime-default',
    name: 'seccomp-unconfined',
    pass: false,
    message: 'app',
    object: deployment('seccomp-unconfined', (s, c) => {
      rec(c.securityContext).seccompProfile = { type: 'Unconfined' }
    })
  },
  // no-secret-data
  { rule: 'no-secret-data', name: 'secret-empty', pass: true, object: secret('secret-empty', {}) },
  {
    rule: 'no-secret-data',
    name: 'secret-data',
    pass: false,
    message: 'password',
    object: secret('secret-data', { data: { password: 'aHVudGVyMg==' } })
  },
  {
    rule: 'no-secret-data',
    name: 'secret-string-data',
    pass: false,
    message: 'token',
    object: secret('secret-string-data', { stringData: { token: 'abc' } })
  },
  // no-env-secrets
  {
    rule: 'no-env-secrets',
    name: 'env-innocent',
    pass: true,
    object: deployment('env-innocent', (s, c) => {
      c.env = [
        { name: 'GREETING', value: 'hello' },
        { name: 'TOKEN_FILE', value: '/var/run/secrets/token' },
        { name: 'SECRET_NAME', value: 'db-credentials' },
        { name: 'AUTH_TOKEN_ENABLED', value: 'true' },
        { name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@db:5432/app' },
        { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } }
      ]
    })
  },
  {
    rule: 'no-env-secrets',
    name: 'env-password',
    pass: false,
    message: 'DB_PASSWORD',
    object: deployment('env-password', env('DB_PASSWORD', 'hunter2'))
  },
  {
    rule: 'no-env-secrets',
    name: 'env-api-key',
    pass: false,
    message: 'stripe_api_key',
    object: deployment('env-api-key', env('stripe_api_key', '12345'))
  },
  {
    rule: 'no-env-secrets',
    name: 'env-aws-shape',
    pass: false,
    message: 'STARTUP',
    object: deployment('env-aws-shape', env('STARTUP', 'AKIAABCDEFGHIJKLMNOP'))
  },
  {
    rule: 'no-env-secrets',
    name: 'env-url-password',
    pass: false,
    message: 'DATABASE_URL',
    object: deployment('env-url-password', env('DATABASE_URL', 'postgres://app:s3cret@db:5432/app'))
  },
  // image-tag / image-digest
  {
    rule: 'image-tag',
    name: 'tag-port',
    alsoFails: ['image-digest'],
    pass: true,
    object: deployment('tag-port', (s, c) => {
      c.image = 'registry.invalid:5000/team/web:2.1'
    })
  },
  {
    rule: 'image-tag',
    name: 'tag-latest',
    alsoFails: ['image-digest'],
    pass: false,
    message: 'web:latest',
    object: deployment('tag-latest', (s, c) => {
      c.image = 'registry.invalid/web:latest'
    })
  },
  {
    rule: 'image-tag',
    name: 'tag-missing',
    alsoFails: ['image-digest'],
    pass: false,
    message: 'registry.invalid:5000/web',
    object: deployment('tag-missing', (s, c) => {
      c.image = 'registry.invalid:5000/web'
    })
  },
  { rule: 'image-digest', name: 'digest-ok', pass: true, object: goodDeployment('digest-ok') },
  {
    rule: 'image-digest',
    name: 'digest-none',
    pass: false,
    message: 'web:1.4.2',
    object: deployment('digest-none', (s, c) => {
      c.image = 'registry.invalid/web:1.4.2'
    })
  },
  // pod-disruption-budget
  { rule: 'pod-disruption-budget', name: 'pdb-ok', pass: true, object: goodDeployment('pdb-ok') },
  {
    rule: 'pod-disruption-budget',
    name: 'pdb-single',
    pass: true,
    object: deployment('pdb-single', (s, c, o) => {
      rec(o.spec).replicas = 1
      relabel(o, 'single')
    })
  },
  {
    rule: 'pod-disruption-budget',
    name: 'pdb-other',
    pass: false,
    message: 'runs 3 replicas',
    object: deployment('pdb-other', (s, c, o) => {
      rec(o.spec).replicas = 3
      relabel(o, 'other')
    })
  },
  // topology-spread
  {
    rule: 'topology-spread',
    name: 'spread-anti',
    pass: true,
    object: deployment('spread-anti', s => {
      delete s.topologySpreadConstraints
      s.affinity = {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: { app: 'good' } }
              }
            }
          ]
        }
      }
    })
  },
  {
    rule: 'topology-spread',
    name: 'spread-none',
    pass: false,
    message: 'runs 2 replicas',
    object: deployment('spread-none', s => {
      delete s.topologySpreadConstraints
    })
  }
]
