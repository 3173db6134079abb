// The binaries a local cluster runs: built from the Go module proxy by
// build-tools.sh and cached by version outside the checkout, or installed from
// Debian (docker-registry, prometheus, skopeo).
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawn } from 'node:child_process'
import { run } from './processes.mjs'

export const SCRIPTS = dirname(fileURLToPath(import.meta.url))
export const REPO = join(SCRIPTS, '..', '..')

/** Tool versions from versions.sh (the one place they are written). */
export function versions() {
  const out = {}
  for (const line of readFileSync(join(SCRIPTS, 'versions.sh'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}

/** Cache root shared by every checkout on the machine. */
export function cacheDir() {
  return process.env.PHASE_GATE_CACHE || join(homedir(), '.cache', 'phase-gate')
}

/** Where build-tools.sh puts each binary: name -> [tool, absolute path]. */
export function toolPaths() {
  const v = versions()
  const t = join(cacheDir(), 'tools')
  const k8s = join(t, `kubernetes-${v.K8S_VERSION}`)
  return {
    etcd: ['etcd', join(t, `etcd-${v.ETCD_VERSION}`, 'etcd')],
    'kube-apiserver': ['kubernetes', join(k8s, 'kube-apiserver')],
    'kube-controller-manager': ['kubernetes', join(k8s, 'kube-controller-manager')],
    'kube-scheduler': ['kubernetes', join(k8s, 'kube-scheduler')],
    kubectl: ['kubernetes', join(k8s, 'kubectl')],
    kwok: ['kwok', join(t, `kwok-${v.KWOK_VERSION}`, 'kwok')],
    helm: ['helm', join(t, `helm-${v.HELM_VERSION}`, 'helm')],
    actionlint: ['actionlint', join(t, `actionlint-${v.ACTIONLINT_VERSION}`, 'actionlint')],
    'controller-gen': [
      'controller-gen',
      join(t, `controller-gen-${v.CONTROLLER_TOOLS_VERSION}`, 'controller-gen')
    ],
    act: ['act', join(t, `act-${v.ACT_VERSION}`, 'act')]
  }
}

/** The tools every cluster start needs; act and controller-gen come on demand. */
export const CORE_TOOLS = ['etcd', 'kubernetes', 'kwok', 'helm', 'actionlint']

/**
 * Builds the missing ones among `tools` (names as build-tools.sh takes them),
 * streaming the build's output to `log`. Returns the seconds spent building.
 */
export async function ensureTools(tools, { log = () => {} } = {}) {
  const paths = toolPaths()
  const missing = tools.filter(tool =>
    Object.values(paths).some(([t, path]) => t === tool && !existsSync(path))
  )
  if (!missing.length) return 0
  log(
    `building ${missing.join(', ')} (first run on this machine; cached afterwards in ${cacheDir()}/tools)`
  )
  const started = Date.now()
  await new Promise((resolve, reject) => {
    const child = spawn(join(SCRIPTS, 'build-tools.sh'), missing, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PHASE_GATE_BIN_DIR: '' }
    })
    child.on('error', reject)
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(new Error(`build-tools.sh ${missing.join(' ')} exited ${code}`))
    )
  })
  return Math.round((Date.now() - started) / 1000)
}

/** Symlinks every built tool present in the cache into `binDir`. */
export function linkTools(binDir) {
  mkdirSync(binDir, { recursive: true })
  for (const [name, [, path]] of Object.entries(toolPaths())) {
    if (!existsSync(path)) continue
    const link = join(binDir, name)
    let current = null
    try {
      current = readlinkSync(link)
    } catch {
      /* absent */
    }
    if (current === path) continue
    rmSync(link, { force: true })
    symlinkSync(path, link)
  }
}

/** Debian packages the cluster runs, by the binary that proves each is there. */
const PACKAGES = {
  'docker-registry': '/usr/bin/docker-registry',
  prometheus: '/usr/bin/prometheus',
  skopeo: '/usr/bin/skopeo',
  openssl: '/usr/bin/openssl'
}

/**
 * Installs the missing Debian packages (quietly nothing when all are there).
 * Their services are not started: a policy-rc.d answering 101 keeps
 * invoke-rc.d and deb-systemd-invoke from launching a system-wide registry on
 * :5000 or Prometheus on :9090 during the install.
 */
export async function ensurePackages({ log = () => {} } = {}) {
  const missing = Object.entries(PACKAGES)
    .filter(([, bin]) => !existsSync(bin))
    .map(([pkg]) => pkg)
  if (!missing.length) return
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages ${missing.join(' ')}: run as root, or: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`
    )
  }
  log(`installing ${missing.join(', ')} with apt-get`)
  const policy = '/usr/sbin/policy-rc.d'
  const ownPolicy = !existsSync(policy)
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 })
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = () =>
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env })
  try {
    try {
      await install()
    } catch {
      await run('apt-get', ['update', '-qq'], { env })
      await install()
    }
  } finally {
    if (ownPolicy) rmSync(policy, { force: true })
  }
}
