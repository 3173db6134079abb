/**
 * The Pod Security Standards (baseline and restricted, latest version) as
 * Pod Security admission evaluates them, over a pod spec from a manifest,
 * with the field path of every violation so findings point at the line to
 * change. Checks and allowed values follow k8s.io/pod-security-admission's
 * policy package.
 */

import { isRecord, records, str } from '../core/fields.js'
import { containersOf, type PodTemplate } from './pod-templates.js'

/** A Pod Security level, as the namespace label `pod-security.kubernetes.io/<mode>` names it. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted'

/** One way a pod spec breaks a level. */
export interface PodSecurityViolation {
  /** The PSA check id, e.g. `privileged`, `runAsNonRoot`. */
  check: string
  /** The lowest level that forbids it. */
  level: 'baseline' | 'restricted'
  /** Field path in the manifest object. */
  path: string
  /** What is wrong, in PSA's words. */
  detail: string
}

/** True for the three level names; anything else is not a level. */
export function isLevel(v: unknown): v is PodSecurityLevel {
  return v === 'privileged' || v === 'baseline' || v === 'restricted'
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT'
])

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem'
])

const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t'
])

const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'image'
])

const OVERRIDDEN_AT_RESTRICTED = new Set(['hostPath', 'capabilities', 'seccomp'])

/** What to change for each check, for the adjustment of a finding. */
export const POD_SECURITY_FIXES: Readonly<Record<string, string>> = {
  hostProcess: 'drop windowsOptions.hostProcess',
  hostNamespaces: 'remove hostNetwork, hostPID and hostIPC (or set them false)',
  privileged: 'remove securityContext.privileged (or set it false)',
  capabilities: 'add no capabilities beyond the baseline list',
  hostPath: 'use a PersistentVolumeClaim, emptyDir or ConfigMap instead of the hostPath volume',
  hostPorts: 'remove hostPort and reach the pod through a Service',
  appArmor: 'use the RuntimeDefault or a Localhost AppArmor profile',
  seLinux: 'drop seLinuxOptions.user/role and use a container_t type',
  procMount: 'remove procMount (or set it Default)',
  seccomp: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
  sysctls: 'remove the unsafe sysctls',
  volumeTypes:
    'use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes',
  allowPrivilegeEscalation:
    'set securityContext.allowPrivilegeEscalation: false on every container',
  runAsNonRoot:
    'set securityContext.runAsNonRoot: true on the pod (and an image user other than root)',
  runAsUser: 'do not run as UID 0: set runAsUser to a non-zero UID or leave it to the image',
  capabilitiesRestricted:
    'set securityContext.capabilities.drop: [ALL] on every container (add only NET_BIND_SERVICE)'
}

function ctxOf(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {}
}

/** What the checks of one pod template share. */
interface Scan {
  t: PodTemplate
  spec: Record<string, unknown>
  psc: Record<string, unknown>
  pscPath: string
  podSeccomp: string | undefined
  v: (check: string, lvl: PodSecurityViolation['level'], path: string, detail: string) => void
  named: (c: { name: string; list: string }) => string
}

type Container = ReturnType<typeof containersOf>[number]

/** The violations of `level` in a pod template (an empty list for `privileged`). */
export function checkPodSecurity(t: PodTemplate, level: PodSecurityLevel): PodSecurityViolation[] {
  if (level === 'privileged') return []
  const out: PodSecurityViolation[] = []
  const psc = ctxOf(t.spec.securityContext)
  const scan: Scan = {
    t,
    spec: t.spec,
    psc,
    pscPath: `${t.path}.securityContext`,
    podSeccomp: str(ctxOf(psc.seccompProfile).type),
    v: (check, lvl, path, detail) => {
      out.push({ check, level: lvl, path, detail })
    },
    named: c =>
      `${c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`
  }
  const containers = containersOf(t)
  baselinePod(scan)
  for (const c of containers) baselineContainer(scan, c)
  if (level === 'baseline') return out

  // Like PSA's policy, restricted checks replace the baseline ones they tighten
  // (restrictedVolumes overrides hostPathVolumes, capabilities_restricted and
  // seccompProfile_restricted override their baseline versions), so each
  // problem is reported once.
  for (let i = out.length - 1; i >= 0; i--)
    if (OVERRIDDEN_AT_RESTRICTED.has(out[i].check)) out.splice(i, 1)
  restrictedVolumes(scan)
  // Windows pods are exempt from the Linux-only restricted checks.
  const windows = str(ctxOf(scan.spec.os).name) === 'windows'
  if (psc.runAsUser === 0)
    scan.v('runAsUser', 'restricted', `${scan.pscPath}.runAsUser`, 'pod must not set runAsUser=0')
  const unsetNonRoot: string[] = []
  const unsetSeccomp: string[] = []
  for (const c of containers) restrictedContainer(scan, c, windows, unsetNonRoot, unsetSeccomp)
  restrictedPod(scan, windows, unsetNonRoot, unsetSeccomp)
  return out
}

/** Baseline checks of the pod itself: host namespaces and paths, sysctls, SELinux, seccomp, AppArmor. */
function baselinePod(scan: Scan): void {
  const { t, spec, psc, pscPath, podSeccomp, v } = scan
  if (ctxOf(psc.windowsOptions).hostProcess === true)
    v(
      'hostProcess',
      'baseline',
      `${pscPath}.windowsOptions.hostProcess`,
      'pod must not set hostProcess=true'
    )
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (spec[ns] === true) v('hostNamespaces', 'baseline', `${t.path}.${ns}`, `${ns}=true`)
  records(spec.volumes).forEach((vol, i) => {
    if (vol.hostPath !== undefined)
      v(
        'hostPath',
        'baseline',
        `${t.path}.volumes[${i}].hostPath`,
        `hostPath volume "${str(vol.name) ?? i}"`
      )
  })
  const sysctls = records(psc.sysctls)
  sysctls.forEach((s, i) => {
    const name = str(s.name) ?? ''
    if (!SAFE_SYSCTLS.has(name))
      v('sysctls', 'baseline', `${pscPath}.sysctls[${i}]`, `forbidden sysctl ${name}`)
  })
  const podSeLinux = ctxOf(psc.seLinuxOptions)
  checkSeLinux(podSeLinux, pscPath, 'pod', v)
  if (podSeccomp === 'Unconfined')
    v(
      'seccomp',
      'baseline',
      `${pscPath}.seccompProfile.type`,
      'pod must not set seccompProfile.type=Unconfined'
    )
  const podAppArmor = str(ctxOf(psc.appArmorProfile).type)
  if (podAppArmor === 'Unconfined')
    v(
      'appArmor',
      'baseline',
      `${pscPath}.appArmorProfile.type`,
      'pod must not set appArmorProfile.type=Unconfined'
    )
  for (const [k, val] of Object.entries(t.metadata.annotations))
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      !(val === 'runtime/default' || val.startsWith('localhost/'))
    )
      v('appArmor', 'baseline', `metadata.annotations["${k}"]`, `forbidden AppArmor profile ${val}`)
}

/** Baseline checks of one container. */
function baselineContainer(scan: Scan, c: Container): void {
  const { v, named } = scan
  const sc = ctxOf(c.container.securityContext)
  const scPath = `${c.path}.securityContext`
  if (ctxOf(sc.windowsOptions).hostProcess === true)
    v(
      'hostProcess',
      'baseline',
      `${scPath}.windowsOptions.hostProcess`,
      `${named(c)} must not set hostProcess=true`
    )
  if (sc.privileged === true)
    v(
      'privileged',
      'baseline',
      `${scPath}.privileged`,
      `${named(c)} must not set securityContext.privileged=true`
    )
  const caps = ctxOf(sc.capabilities)
  const added = (Array.isArray(caps.add) ? caps.add : []).filter(
    (x): x is string => typeof x === 'string'
  )
  const extra = added.filter(cap => !BASELINE_CAPABILITIES.has(cap))
  if (extra.length)
    v(
      'capabilities',
      'baseline',
      `${scPath}.capabilities.add`,
      `${named(c)} must not add ${extra.join(', ')}`
    )
  records(c.container.ports).forEach((p, i) => {
    if (typeof p.hostPort === 'number' && p.hostPort !== 0)
      v(
        'hostPorts',
        'baseline',
        `${c.path}.ports[${i}].hostPort`,
        `${named(c)} uses hostPort ${p.hostPort}`
      )
  })
  checkSeLinux(ctxOf(sc.seLinuxOptions), scPath, named(c), v)
  if (sc.procMount !== undefined && sc.procMount !== 'Default')
    v(
      'procMount',
      'baseline',
      `${scPath}.procMount`,
      `${named(c)} must not set procMount=${String(sc.procMount)}`
    )
  if (str(ctxOf(sc.seccompProfile).type) === 'Unconfined')
    v(
      'seccomp',
      'baseline',
      `${scPath}.seccompProfile.type`,
      `${named(c)} must not set seccompProfile.type=Unconfined`
    )
  if (str(ctxOf(sc.appArmorProfile).type) === 'Unconfined')
    v(
      'appArmor',
      'baseline',
      `${scPath}.appArmorProfile.type`,
      `${named(c)} must not set appArmorProfile.type=Unconfined`
    )
}

/** Restricted: only the listed volume types. */
function restrictedVolumes(scan: Scan): void {
  const { t, spec, v } = scan
  records(spec.volumes).forEach((vol, i) => {
    const type = Object.keys(vol).find(k => k !== 'name')
    if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type))
      v(
        'volumeTypes',
        'restricted',
        `${t.path}.volumes[${i}].${type}`,
        `volume "${str(vol.name) ?? i}" uses forbidden type ${type}`
      )
    if (type === 'hostPath')
      v(
        'volumeTypes',
        'restricted',
        `${t.path}.volumes[${i}].hostPath`,
        `volume "${str(vol.name) ?? i}" uses forbidden type hostPath`
      )
  })
}

/** Restricted checks of one container; containers leaving runAsNonRoot or seccomp to the pod are collected. */
function restrictedContainer(
  scan: Scan,
  c: Container,
  windows: boolean,
  unsetNonRoot: string[],
  unsetSeccomp: string[]
): void {
  const { psc, podSeccomp, v, named } = scan
  const podNonRoot = psc.runAsNonRoot
  const sc = ctxOf(c.container.securityContext)
  const scPath = `${c.path}.securityContext`
  if (!windows && sc.allowPrivilegeEscalation !== false)
    v(
      'allowPrivilegeEscalation',
      'restricted',
      `${scPath}.allowPrivilegeEscalation`,
      `${named(c)} must set securityContext.allowPrivilegeEscalation=false`
    )
  if (sc.runAsNonRoot === false)
    v(
      'runAsNonRoot',
      'restricted',
      `${scPath}.runAsNonRoot`,
      `${named(c)} must not set runAsNonRoot=false`
    )
  else if (sc.runAsNonRoot !== true && podNonRoot !== true) unsetNonRoot.push(named(c))
  if (sc.runAsUser === 0)
    v('runAsUser', 'restricted', `${scPath}.runAsUser`, `${named(c)} must not set runAsUser=0`)
  const seccomp = str(ctxOf(sc.seccompProfile).type)
  if (!windows && seccomp === undefined && podSeccomp === undefined) unsetSeccomp.push(named(c))
  else if (
    !windows &&
    seccomp !== undefined &&
    seccomp !== 'RuntimeDefault' &&
    seccomp !== 'Localhost'
  )
    v(
      'seccomp',
      'restricted',
      `${scPath}.seccompProfile.type`,
      `${named(c)} must set seccompProfile.type to RuntimeDefault or Localhost`
    )
  if (!windows) {
    const caps = ctxOf(sc.capabilities)
    const drop = (Array.isArray(caps.drop) ? caps.drop : []).filter(
      (x): x is string => typeof x === 'string'
    )
    if (!drop.includes('ALL'))
      v(
        'capabilitiesRestricted',
        'restricted',
        `${scPath}.capabilities.drop`,
        `${named(c)} must set securityContext.capabilities.drop=["ALL"]`
      )
    const added = (Array.isArray(caps.add) ? caps.add : []).filter(
      (x): x is string => typeof x === 'string'
    )
    const extra = added.filter(cap => cap !== 'NET_BIND_SERVICE')
    if (extra.length)
      v(
        'capabilitiesRestricted',
        'restricted',
        `${scPath}.capabilities.add`,
        `${named(c)} must not add ${extra.join(', ')} (only NET_BIND_SERVICE)`
      )
  }
}

/** Restricted checks of the pod: runAsNonRoot and seccomp, for itself and the containers that leave them to it. */
function restrictedPod(
  scan: Scan,
  windows: boolean,
  unsetNonRoot: string[],
  unsetSeccomp: string[]
): void {
  const { psc, pscPath, podSeccomp, v } = scan
  const podNonRoot = psc.runAsNonRoot
  if (podNonRoot === false)
    v(
      'runAsNonRoot',
      'restricted',
      `${pscPath}.runAsNonRoot`,
      'pod must not set runAsNonRoot=false'
    )
  else if (unsetNonRoot.length)
    v(
      'runAsNonRoot',
      'restricted',
      `${pscPath}.runAsNonRoot`,
      `pod or ${unsetNonRoot.join(', ')} must set securityContext.runAsNonRoot=true`
    )
  if (
    !windows &&
    podSeccomp !== undefined &&
    podSeccomp !== 'RuntimeDefault' &&
    podSeccomp !== 'Localhost'
  )
    v(
      'seccomp',
      'restricted',
      `${pscPath}.seccompProfile.type`,
      'pod must set seccompProfile.type to RuntimeDefault or Localhost'
    )
  if (unsetSeccomp.length)
    v(
      'seccomp',
      'restricted',
      `${pscPath}.seccompProfile.type`,
      `pod or ${unsetSeccomp.join(', ')} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`
    )
}

function checkSeLinux(
  opts: Record<string, unknown>,
  path: string,
  who: string,
  v: (check: string, lvl: PodSecurityViolation['level'], path: string, detail: string) => void
): void {
  const type = str(opts.type)
  if (type !== undefined && !SELINUX_TYPES.has(type))
    v(
      'seLinux',
      'baseline',
      `${path}.seLinuxOptions.type`,
      `${who} must not set seLinuxOptions.type=${type}`
    )
  if (opts.user !== undefined)
    v(
      'seLinux',
      'baseline',
      `${path}.seLinuxOptions.user`,
      `${who} must not set seLinuxOptions.user`
    )
  if (opts.role !== undefined)
    v(
      'seLinux',
      'baseline',
      `${path}.seLinuxOptions.role`,
      `${who} must not set seLinuxOptions.role`
    )
}
