import { describe, expect, it } from '@jest/globals'
import { checkPodSecurity, type PodSecurityLevel } from '../../src/checks/pod-security.js'
import { podTemplateOf } from '../../src/checks/pod-templates.js'
import type { KubeObject } from '../../src/kube/types.js'

// A pod spec that meets "restricted"; each row changes one thing.
const RESTRICTED_SC = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
function spec(
  change: (s: Record<string, unknown>, c: Record<string, unknown>) => void = () => {}
): Record<string, unknown> {
  const c: Record<string, unknown> = {
    name: 'app',
    image: 'x',
    securityContext: structuredClone(RESTRICTED_SC)
  }
  const s: Record<string, unknown> = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [c]
  }
  change(s, c)
  return s
}
const sc = (c: Record<string, unknown>) => c.securityContext as Record<string, unknown>
const psc = (s: Record<string, unknown>) => s.securityContext as Record<string, unknown>

function deployment(
  podSpec: Record<string, unknown>,
  annotations: Record<string, string> = {}
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { metadata: { annotations }, spec: podSpec } }
  }
}

function violations(
  podSpec: Record<string, unknown>,
  level: PodSecurityLevel,
  annotations?: Record<string, string>
) {
  const t = podTemplateOf(deployment(podSpec, annotations))
  if (!t) throw new Error('no template')
  return checkPodSecurity(t, level).map(v => `${v.level} ${v.check} ${v.path}`)
}

const P = 'spec.template.spec'
const C0 = `${P}.containers[0]`

describe('Pod Security Standards', () => {
  it('a restricted-compliant spec has no violation at any level', () => {
    for (const level of ['privileged', 'baseline', 'restricted'] as const)
      expect(violations(spec(), level)).toEqual([])
  })

  it.each<[string, (s: Record<string, unknown>, c: Record<string, unknown>) => void, string[]]>([
    [
      'privileged',
      (_s, c) => (sc(c).privileged = true),
      [`baseline privileged ${C0}.securityContext.privileged`]
    ],
    ['hostPID', s => (s.hostPID = true), [`baseline hostNamespaces ${P}.hostPID`]],
    ['hostNetwork', s => (s.hostNetwork = true), [`baseline hostNamespaces ${P}.hostNetwork`]],
    ['hostIPC', s => (s.hostIPC = true), [`baseline hostNamespaces ${P}.hostIPC`]],
    [
      'hostPath',
      s => (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]),
      [`restricted volumeTypes ${P}.volumes[0].hostPath`]
    ],
    [
      'hostPort',
      (_s, c) => (c.ports = [{ containerPort: 80, hostPort: 8080 }]),
      [`baseline hostPorts ${C0}.ports[0].hostPort`]
    ],
    ['hostPort 0 is fine', (_s, c) => (c.ports = [{ containerPort: 80, hostPort: 0 }]), []],
    [
      'capability beyond baseline',
      (_s, c) => (sc(c).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }),
      [`restricted capabilitiesRestricted ${C0}.securityContext.capabilities.add`]
    ],
    [
      'procMount Unmasked',
      (_s, c) => (sc(c).procMount = 'Unmasked'),
      [`baseline procMount ${C0}.securityContext.procMount`]
    ],
    [
      'seLinux type',
      s => (psc(s).seLinuxOptions = { type: 'spc_t' }),
      [`baseline seLinux ${P}.securityContext.seLinuxOptions.type`]
    ],
    ['seLinux container_t is fine', s => (psc(s).seLinuxOptions = { type: 'container_t' }), []],
    [
      'seLinux user',
      (_s, c) => (sc(c).seLinuxOptions = { user: 'root' }),
      [`baseline seLinux ${C0}.securityContext.seLinuxOptions.user`]
    ],
    [
      'unsafe sysctl',
      s => (psc(s).sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
      [`baseline sysctls ${P}.securityContext.sysctls[0]`]
    ],
    ['safe sysctl', s => (psc(s).sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }]), []],
    [
      'seccomp Unconfined on the pod',
      s => (psc(s).seccompProfile = { type: 'Unconfined' }),
      [`restricted seccomp ${P}.securityContext.seccompProfile.type`]
    ],
    [
      'hostProcess',
      (_s, c) => (sc(c).windowsOptions = { hostProcess: true }),
      [`baseline hostProcess ${C0}.securityContext.windowsOptions.hostProcess`]
    ],
    [
      'AppArmor unconfined',
      (_s, c) => (sc(c).appArmorProfile = { type: 'Unconfined' }),
      [`baseline appArmor ${C0}.securityContext.appArmorProfile.type`]
    ],
    [
      'runAsNonRoot unset',
      s => delete psc(s).runAsNonRoot,
      [`restricted runAsNonRoot ${P}.securityContext.runAsNonRoot`]
    ],
    [
      'runAsNonRoot on the container instead',
      (s, c) => (delete psc(s).runAsNonRoot, (sc(c).runAsNonRoot = true)),
      []
    ],
    [
      'runAsNonRoot false on a container',
      (_s, c) => (sc(c).runAsNonRoot = false),
      [`restricted runAsNonRoot ${C0}.securityContext.runAsNonRoot`]
    ],
    [
      'runAsUser 0',
      (_s, c) => (sc(c).runAsUser = 0),
      [`restricted runAsUser ${C0}.securityContext.runAsUser`]
    ],
    [
      'allowPrivilegeEscalation unset',
      (_s, c) => delete sc(c).allowPrivilegeEscalation,
      [`restricted allowPrivilegeEscalation ${C0}.securityContext.allowPrivilegeEscalation`]
    ],
    [
      'seccomp unset everywhere',
      s => delete psc(s).seccompProfile,
      [`restricted seccomp ${P}.securityContext.seccompProfile.type`]
    ],
    [
      'seccomp Localhost on the container',
      (s, c) => (
        delete psc(s).seccompProfile,
        (sc(c).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' })
      ),
      []
    ],
    [
      'capabilities not dropped',
      (_s, c) => (sc(c).capabilities = {}),
      [`restricted capabilitiesRestricted ${C0}.securityContext.capabilities.drop`]
    ],
    [
      'NET_BIND_SERVICE may be added',
      (_s, c) => (sc(c).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
      []
    ],
    [
      'CHOWN is baseline but not restricted',
      (_s, c) => (sc(c).capabilities = { drop: ['ALL'], add: ['CHOWN'] }),
      [`restricted capabilitiesRestricted ${C0}.securityContext.capabilities.add`]
    ],
    [
      'volume type not allowed',
      s => (s.volumes = [{ name: 'n', nfs: { server: 'x', path: '/' } }]),
      [`restricted volumeTypes ${P}.volumes[0].nfs`]
    ],
    [
      'allowed volume types',
      s =>
        (s.volumes = [
          { name: 'a', configMap: { name: 'c' } },
          { name: 'b', emptyDir: {} },
          { name: 'c', persistentVolumeClaim: { claimName: 'x' } },
          { name: 'd', projected: { sources: [] } }
        ]),
      []
    ],
    [
      'init containers count too',
      s =>
        (s.initContainers = [
          { name: 'init', image: 'x', securityContext: { ...RESTRICTED_SC, privileged: true } }
        ]),
      [`baseline privileged ${P}.initContainers[0].securityContext.privileged`]
    ]
  ])('%s', (_n, change, want) => expect(violations(spec(change), 'restricted')).toEqual(want))

  it.each<[string, (s: Record<string, unknown>, c: Record<string, unknown>) => void, string[]]>([
    [
      'hostPath',
      s => (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]),
      [`baseline hostPath ${P}.volumes[0].hostPath`]
    ],
    [
      'capability beyond baseline',
      (_s, c) => (sc(c).capabilities = { add: ['SYS_ADMIN'] }),
      [`baseline capabilities ${C0}.securityContext.capabilities.add`]
    ],
    ['baseline capability', (_s, c) => (sc(c).capabilities = { add: ['CHOWN'] }), []],
    [
      'seccomp Unconfined',
      s => (psc(s).seccompProfile = { type: 'Unconfined' }),
      [`baseline seccomp ${P}.securityContext.seccompProfile.type`]
    ],
    ['nfs volume', s => (s.volumes = [{ name: 'n', nfs: { server: 'x', path: '/' } }]), []]
  ])('baseline: %s', (_n, change, want) =>
    expect(violations(spec(change), 'baseline')).toEqual(want)
  )

  it('baseline ignores the restricted-only checks', () => {
    const s = spec((s2, c) => {
      delete psc(s2).runAsNonRoot
      delete psc(s2).seccompProfile
      c.securityContext = { privileged: true }
    })
    expect(violations(s, 'baseline')).toEqual([
      `baseline privileged ${C0}.securityContext.privileged`
    ])
    expect(violations(s, 'restricted')).toHaveLength(5)
  })

  it('flags a forbidden AppArmor annotation on the pod template', () => {
    expect(
      violations(spec(), 'baseline', {
        'container.apparmor.security.beta.kubernetes.io/app': 'unconfined'
      })
    ).toEqual([
      'baseline appArmor metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]'
    ])
  })

  it('exempts Windows pods from the Linux-only restricted checks', () => {
    const s = spec((s2, c) => {
      s2.os = { name: 'windows' }
      delete psc(s2).seccompProfile
      c.securityContext = {}
    })
    expect(violations(s, 'restricted')).toEqual([])
  })
})
