// The local cluster as a library: a real Kubernetes control plane (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler) with kwok standing in
// for kubelets, two Docker registries (open, and token-auth with our token
// server), Prometheus and a test exporter, every one a process on 127.0.0.1.
//
// All state of one cluster lives in one directory (the checkout's `.cluster/`
// by default, any directory for a cluster of one's own): configuration, keys,
// data, logs, pid files, state.json and the `env` file. Ports are chosen free
// at first start and kept, so clusters of several checkouts (or a test's own
// cluster in a temp dir) run side by side. Binaries come from the per-machine
// cache (tools.mjs); nothing here dials an address other than 127.0.0.1.
//
//   import { startCluster, stopCluster, readClusterState } from './lib.mjs'
//   const state = await startCluster({ dir })   // idempotent: reuses what runs
//   await restartComponent(dir, 'kube-apiserver')
//   await stopCluster({ dir, purge: true })
//
// Pod logs (`kubectl logs`): kwok serves them from files in CRI log format
// (`2026-11-23T17:00:00.000000000Z stdout F <line>`; plain text fails with
// "unsupported log format"). kwok 0.8 offers two ways, both used here:
//   - a ClusterLogs document in kwok's --config (selector by namespace/pod
//     name only, no labels): every pod gets `kwok/logs/default.log`;
//   - the namespaced `Logs` CRD (kwok.x-k8s.io/v1alpha1, kwok runs with
//     --enable-crds=Logs and watches it): an object named like the pod, in the
//     pod's namespace, points that pod at a file of the test's own and wins
//     over ClusterLogs:
//       apiVersion: kwok.x-k8s.io/v1alpha1
//       kind: Logs
//       metadata: {name: <pod>, namespace: <ns>}
//       spec: {logs: [{containers: [app], logsFile: /abs/path.log, follow: false}]}
//     (`containers` omitted means every container; `previousLogsFile` serves
//     `kubectl logs --previous`). The file is read at request time, so a test
//     may write it before or after creating the pod.
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import YAML from 'yaml'
import { crdFiles } from './crds.mjs'
import { heartbeatFresh } from './kube-client.mjs'
import { clusterVersionStatus, openshiftObjects, restrictedV2Policy } from './openshift.mjs'
import { PROVISIONER, PROVISIONER_USER, storageObjects } from './storage.mjs'
import { ensureCa, ensureCert, ensureRsaKeyPair, ensureSecret } from './pki.mjs'
import {
  freePort,
  isPortOpen,
  processArgv,
  recordedProcess,
  run,
  sleep,
  spawnDetached,
  stopRecorded,
  waitFor
} from './processes.mjs'
import { seedRegistry } from './seed-registry.mjs'
import {
  CORE_TOOLS,
  REPO,
  SCRIPTS,
  ensurePackages,
  ensureTools,
  linkTools,
  toolPaths,
  versions
} from './tools.mjs'

/** Components in start order; stopped in reverse. */
export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'provisioner',
  'openshift-controller',
  'registry',
  'token-server',
  'registry-auth',
  'exporter',
  'prometheus'
]
export const PROFILES = ['kubernetes', 'openshift']
// Components only some profiles run.
const PROFILE_ONLY = { 'openshift-controller': 'openshift' }

/** The components a cluster of this profile runs, in start order. */
export function profileComponents(profile = 'kubernetes') {
  return COMPONENTS.filter(c => !PROFILE_ONLY[c] || PROFILE_ONLY[c] === profile)
}

export const CONTEXTS = {
  admin: 'phase-gate-admin',
  restricted: 'phase-gate-restricted',
  cert: 'phase-gate-cert'
}
export const RESTRICTED_NAMESPACE = 'restricted-test'
export const NODES = ['kwok-node-0', 'kwok-node-1']
const REGISTRY_USER = 'phase-gate'
const REGISTRY_SERVICE = 'phase-gate-registry'
const SERVICE_CIDR = '10.96.0.0/16'
const STATE_VERSION = 1
// Ports each component listens on (names in state.ports).
const PORTS = {
  etcd: ['etcd', 'etcdPeer'],
  'kube-apiserver': ['apiserver'],
  kwok: ['kwok'],
  registry: ['registry'],
  'token-server': ['tokenServer'],
  'registry-auth': ['registryAuth'],
  exporter: ['exporter'],
  prometheus: ['prometheus']
}

/** The checkout's own cluster directory, `<repo>/.cluster`. */
export function defaultClusterDir() {
  return join(REPO, '.cluster')
}

const layout = dir => ({
  state: join(dir, 'state.json'),
  env: join(dir, 'env'),
  kubeconfig: join(dir, 'kubeconfig'),
  ca: join(dir, 'ca.crt'),
  bin: join(dir, 'bin'),
  pki: join(dir, 'pki'),
  secrets: join(dir, 'secrets'),
  config: join(dir, 'config'),
  run: join(dir, 'run'),
  logs: join(dir, 'logs'),
  etcd: join(dir, 'etcd'),
  kwok: join(dir, 'kwok'),
  prometheus: join(dir, 'prometheus'),
  registryOpen: join(dir, 'registry-open'),
  registryAuth: join(dir, 'registry-auth'),
  volumes: join(dir, 'volumes'),
  lock: join(dir, 'lock')
})

const stderrLog = msg => process.stderr.write(`[cluster] ${msg}\n`)
const read = file => readFileSync(file, 'utf8').trim()
const sha = s => createHash('sha256').update(s).digest('hex')

function writeIfChanged(file, content, mode) {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false
  writeFileSync(file, content, mode ? { mode } : undefined)
  return true
}

/** The cluster's state.json, or null when it has none. */
export function readClusterState(dir = defaultClusterDir()) {
  try {
    return JSON.parse(readFileSync(layout(resolve(dir)).state, 'utf8'))
  } catch {
    return null
  }
}

/** Environment variables for a client of this cluster (PATH gets bin first). */
export function clusterEnvVars(state, basePath = process.env.PATH ?? '') {
  return { ...state.env, PATH: `${state.bin}:${basePath}` }
}

// ---------------------------------------------------------------- locking ---

async function withLock(dir, fn) {
  const lock = layout(dir).lock
  mkdirSync(dir, { recursive: true })
  const deadline = Date.now() + 15 * 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(join(lock, 'pid'), String(process.pid))
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      let holder = NaN
      try {
        holder = Number(read(join(lock, 'pid')))
      } catch {
        /* being written */
      }
      if (Number.isInteger(holder) && holder !== process.pid && !processArgv(holder)) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error(`${lock} is held by pid ${holder}`, { cause: err })
      await sleep(200)
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

// ------------------------------------------------------------- preparation ---

/**
 * Loads or creates the state of `dir`: ports (a port of a stopped component
 * that something else took meanwhile is replaced), keys, certificates,
 * secrets and every configuration file. Writes nothing that has not changed.
 */
async function prepare(dir, profile, log) {
  const p = layout(dir)
  for (const d of [
    p.pki,
    p.secrets,
    p.config,
    p.run,
    p.logs,
    p.etcd,
    p.kwok,
    p.prometheus,
    p.registryOpen,
    p.registryAuth,
    p.volumes
  ]) {
    mkdirSync(d, { recursive: true, mode: 0o700 })
  }
  mkdirSync(join(p.kwok, 'logs'), { recursive: true })
  mkdirSync(join(p.kwok, 'work'), { recursive: true })
  const prev = readClusterState(dir) ?? {}
  if (prev.profile && prev.profile !== profile) {
    throw new Error(
      `${dir} holds a ${prev.profile} cluster; stop it with purge (npm run cluster:down -- --purge) to start a ${profile} one`
    )
  }

  const ports = { ...prev.ports }
  const taken = new Set(Object.values(ports))
  for (const [component, names] of Object.entries(PORTS)) {
    const running = recordedProcess(join(p.run, `${component}.pid`))
    for (const name of names) {
      if (ports[name] && (running || !(await isPortOpen(ports[name])))) continue
      if (ports[name])
        log(`port ${ports[name]} (${name}) is taken by another process; choosing another`)
      ports[name] = await freePort(taken)
      taken.add(ports[name])
    }
  }

  const pki = p.pki
  const ca = await ensureCa(pki, 'ca', 'phase-gate-ca')
  const serverSans = [
    'IP:127.0.0.1',
    'DNS:localhost',
    'IP:10.96.0.1',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local'
  ]
  const client = (name, cn, org) => ensureCert(pki, name, { ca, cn, org, usage: 'clientAuth' })
  const [, , , cm, scheduler, kwokClient, certUser, sa, tokenSigning] = await Promise.all([
    ensureCert(pki, 'apiserver', {
      ca,
      cn: 'kube-apiserver',
      sans: serverSans,
      usage: 'serverAuth'
    }),
    ensureCert(pki, 'kwok-serving', {
      ca,
      cn: 'kwok',
      sans: ['IP:127.0.0.1', 'DNS:localhost'],
      usage: 'serverAuth'
    }),
    client('apiserver-kubelet-client', 'kube-apiserver-kubelet-client', 'system:masters'),
    client('controller-manager', 'system:kube-controller-manager'),
    client('scheduler', 'system:kube-scheduler'),
    client('kwok', 'phase-gate:kwok', 'system:masters'),
    client('phase-gate-cert', 'phase-gate-cert', 'system:masters'),
    ensureRsaKeyPair(pki, 'sa'),
    ensureCert(pki, 'registry-token', { cn: 'phase-gate-registry-token-issuer', rsa: true })
  ])
  copyFileSync(ca.crt, p.ca)
  // The cluster's own controllers: identities with their own RBAC (storage.mjs, openshift.mjs).
  const [provisionerCert, openshiftCert] = await Promise.all([
    client('provisioner', PROVISIONER_USER),
    client('openshift-controller', 'phase-gate:openshift-controller')
  ])

  const secret = name => read(ensureSecret(join(p.secrets, name)))
  const adminToken = secret('admin.token')
  const restrictedToken = secret('restricted.token')
  const registryPassword = secret('registry.password')
  const tokensCsv =
    `${adminToken},phase-gate-admin,phase-gate-admin,"system:masters"\n` +
    `${restrictedToken},phase-gate-restricted,phase-gate-restricted,"phase-gate:restricted"\n`
  writeIfChanged(join(pki, 'tokens.csv'), tokensCsv, 0o600)

  const apiserverUrl = `https://127.0.0.1:${ports.apiserver}`
  const caData = readFileSync(ca.crt).toString('base64')
  const b64 = file => readFileSync(file).toString('base64')
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'phase-gate',
        cluster: { server: apiserverUrl, 'certificate-authority-data': caData }
      }
    ],
    users: [
      { name: 'phase-gate-admin', user: { token: adminToken } },
      { name: 'phase-gate-restricted', user: { token: restrictedToken } },
      {
        name: 'phase-gate-cert',
        user: { 'client-certificate-data': b64(certUser.crt), 'client-key-data': b64(certUser.key) }
      }
    ],
    contexts: [
      {
        name: CONTEXTS.admin,
        context: { cluster: 'phase-gate', user: 'phase-gate-admin', namespace: 'default' }
      },
      {
        name: CONTEXTS.restricted,
        context: {
          cluster: 'phase-gate',
          user: 'phase-gate-restricted',
          namespace: RESTRICTED_NAMESPACE
        }
      },
      {
        name: CONTEXTS.cert,
        context: { cluster: 'phase-gate', user: 'phase-gate-cert', namespace: 'default' }
      }
    ],
    'current-context': CONTEXTS.admin,
    preferences: {}
  }
  addFleetContexts(kubeconfig, dir)
  writeIfChanged(p.kubeconfig, YAML.stringify(kubeconfig), 0o600)
  // Components authenticate with client certificates, as kubeadm sets them up.
  const componentKubeconfig = (name, cert) =>
    writeIfChanged(
      join(p.config, `${name}.kubeconfig`),
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'local', cluster: { server: apiserverUrl, 'certificate-authority': ca.crt } }
        ],
        users: [{ name, user: { 'client-certificate': cert.crt, 'client-key': cert.key } }],
        contexts: [{ name, context: { cluster: 'local', user: name } }],
        'current-context': name
      }),
      0o600
    )
  componentKubeconfig('controller-manager', cm)
  componentKubeconfig('scheduler', scheduler)
  componentKubeconfig('kwok', kwokClient)
  const controllerConfig = (name, cert, extra) =>
    writeIfChanged(
      join(p.config, `${name}.json`),
      JSON.stringify(
        {
          server: apiserverUrl,
          ca: ca.crt,
          cert: cert.crt,
          key: cert.key,
          heartbeat: join(p.run, `${name}.health`),
          ...extra
        },
        null,
        2
      ) + '\n'
    )
  controllerConfig('provisioner', provisionerCert, { name: PROVISIONER, volumesDir: p.volumes })
  controllerConfig('openshift-controller', openshiftCert, {})

  // kwok: the stage fixtures plus a ClusterLogs default for every pod.
  const defaultLog = join(p.kwok, 'logs', 'default.log')
  writeIfChanged(
    defaultLog,
    '2026-11-23T17:00:00.000000000Z stdout F phase-gate simulated container started\n' +
      '2026-11-23T17:00:00.000000001Z stdout F listening on :8080\n'
  )
  const stageDir = join(SCRIPTS, 'kwok')
  const stages = readdirSync(stageDir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(f => readFileSync(join(stageDir, f), 'utf8').trim())
  const clusterLogs = YAML.stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'phase-gate-default' },
    spec: { logs: [{ logsFile: defaultLog }] }
  })
  writeIfChanged(join(p.kwok, 'kwok.yaml'), [...stages, clusterLogs].join('\n---\n') + '\n')

  const registryConfig = (name, root, port, auth) =>
    YAML.stringify({
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: root }, delete: { enabled: true } },
      http: { addr: `127.0.0.1:${port}`, secret: secret(`${name}.http-secret`) },
      ...(auth ? { auth } : {})
    })
  const realm = `http://127.0.0.1:${ports.tokenServer}/token`
  writeIfChanged(
    join(p.config, 'registry-open.yml'),
    registryConfig('registry-open', p.registryOpen, ports.registry)
  )
  writeIfChanged(
    join(p.config, 'registry-auth.yml'),
    registryConfig('registry-auth', p.registryAuth, ports.registryAuth, {
      token: {
        realm,
        service: REGISTRY_SERVICE,
        issuer: 'phase-gate-token-server',
        rootcertbundle: tokenSigning.crt
      }
    })
  )
  writeIfChanged(
    join(p.config, 'token-server.json'),
    JSON.stringify(
      {
        port: ports.tokenServer,
        issuer: 'phase-gate-token-server',
        service: REGISTRY_SERVICE,
        keyFile: tokenSigning.key,
        certFile: tokenSigning.crt,
        users: {
          [REGISTRY_USER]: {
            passwordSha256: sha(registryPassword),
            access: [{ repository: 'phase-gate/*', actions: ['pull', 'push'] }]
          }
        }
      },
      null,
      2
    ) + '\n',
    0o600
  )
  writeIfChanged(
    join(p.config, 'prometheus.yml'),
    YAML.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
      scrape_configs: [
        {
          job_name: 'phase-gate-exporter',
          static_configs: [{ targets: [`127.0.0.1:${ports.exporter}`] }]
        }
      ]
    })
  )

  const env = {
    KUBECONFIG: p.kubeconfig,
    PHASE_GATE_CLUSTER_DIR: dir,
    PHASE_GATE_REGISTRY: `127.0.0.1:${ports.registry}`,
    PHASE_GATE_REGISTRY_AUTH: `127.0.0.1:${ports.registryAuth}`,
    PHASE_GATE_REGISTRY_USER: REGISTRY_USER,
    PHASE_GATE_REGISTRY_PASSWORD: registryPassword,
    PHASE_GATE_PROMETHEUS: `http://127.0.0.1:${ports.prometheus}`,
    PHASE_GATE_EXPORTER: `http://127.0.0.1:${ports.exporter}`
  }
  return {
    version: STATE_VERSION,
    profile,
    dir,
    createdAt: prev.createdAt ?? new Date().toISOString(),
    kubernetesVersion: versions().K8S_VERSION,
    ports,
    pids: {},
    urls: {
      apiserver: apiserverUrl,
      etcd: `http://127.0.0.1:${ports.etcd}`,
      kwok: `https://127.0.0.1:${ports.kwok}`,
      registry: `http://127.0.0.1:${ports.registry}`,
      registryAuth: `http://127.0.0.1:${ports.registryAuth}`,
      tokenServer: realm,
      prometheus: env.PHASE_GATE_PROMETHEUS,
      exporter: env.PHASE_GATE_EXPORTER
    },
    kubeconfig: p.kubeconfig,
    caFile: p.ca,
    bin: p.bin,
    contexts: CONTEXTS,
    namespaces: { restricted: RESTRICTED_NAMESPACE },
    nodes: NODES,
    tokens: {
      admin: join(p.secrets, 'admin.token'),
      restricted: join(p.secrets, 'restricted.token')
    },
    clientCert: { cert: certUser.crt, key: certUser.key },
    pki: {
      ca: ca.crt,
      caKey: ca.key,
      serviceAccountKey: sa.key,
      serviceAccountPub: sa.pub,
      registryTokenCert: tokenSigning.crt
    },
    registry: {
      open: env.PHASE_GATE_REGISTRY,
      auth: env.PHASE_GATE_REGISTRY_AUTH,
      user: REGISTRY_USER,
      password: registryPassword,
      passwordFile: join(p.secrets, 'registry.password'),
      realm,
      service: REGISTRY_SERVICE
    },
    images: prev.images ?? {},
    logs: p.logs,
    volumes: p.volumes,
    kwokLogsDir: join(p.kwok, 'logs'),
    env
  }
}

// --------------------------------------------------------------- components ---

function httpsGet(url, ca) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, timeout: 2000 }, res => {
      let body = ''
      res.on('data', c => (body += c))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

async function httpStatus(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
  await res.arrayBuffer()
  return res.status
}

/** How to run each component of `state`'s cluster. */
function componentSpecs(state) {
  const p = layout(state.dir)
  const { ports } = state
  const tool = name => toolPaths()[name][1]
  const cfg = name => join(p.config, name)
  const pki = name => join(p.pki, name)
  // The project's own Node (package.json pins it) when installed, so which
  // `node` ran cluster:up does not change the components' configuration.
  const projectNode = join(REPO, 'node_modules', 'node', 'bin', 'node')
  const node = existsSync(projectNode) ? projectNode : process.execPath
  const ca = readFileSync(state.pki.ca)
  const controllerSpec = name => ({
    cmd: node,
    args: [join(SCRIPTS, `${name}.mjs`), cfg(`${name}.json`)],
    files: [cfg(`${name}.json`), join(SCRIPTS, `${name}.mjs`), join(SCRIPTS, 'kube-client.mjs')],
    health: async () => {
      const rec = recordedProcess(join(p.run, `${name}.pid`))
      return !!rec && heartbeatFresh(join(p.run, `${name}.health`), rec.pid)
    },
    timeoutMs: 30_000
  })
  return {
    etcd: {
      cmd: tool('etcd'),
      // prettier-ignore
      args: [
        '--name=phase-gate', `--data-dir=${p.etcd}`,
        `--listen-client-urls=http://127.0.0.1:${ports.etcd}`, `--advertise-client-urls=http://127.0.0.1:${ports.etcd}`,
        `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
        `--initial-cluster=phase-gate=http://127.0.0.1:${ports.etcdPeer}`,
        // A test cluster: speed over durability of the last writes before a crash.
        '--unsafe-no-fsync=true', '--log-level=warn'
      ],
      health: async () => (await httpStatus(`${state.urls.etcd}/health`)) === 200,
      timeoutMs: 30_000
    },
    'kube-apiserver': {
      cmd: tool('kube-apiserver'),
      // prettier-ignore
      args: [
        `--etcd-servers=${state.urls.etcd}`,
        '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
        // 127.0.0.1 is not a valid endpoint for the `kubernetes` Service.
        '--endpoint-reconciler-type=none',
        `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`,
        `--client-ca-file=${pki('ca.crt')}`, `--token-auth-file=${pki('tokens.csv')}`,
        '--authorization-mode=RBAC',
        `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-cluster-ip-range=${SERVICE_CIDR}`, '--allow-privileged=true',
        // pods/log, exec and port-forward go to kwok's kubelet stand-in on loopback, over verified TLS.
        `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
        `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
        `--kubelet-certificate-authority=${pki('ca.crt')}`, '--kubelet-preferred-address-types=InternalIP',
        `--cert-dir=${pki('generated')}`, '--profiling=false',
        // A fleet member keeps its objects under its own prefix of the shared etcd.
        ...(state.etcdPrefix ? [`--etcd-prefix=${state.etcdPrefix}`] : [])
      ],
      health: async () => (await httpsGet(`${state.urls.apiserver}/readyz`, ca)).status === 200,
      timeoutMs: 90_000
    },
    'kube-controller-manager': {
      cmd: tool('kube-controller-manager'),
      // prettier-ignore
      args: [
        `--kubeconfig=${cfg('controller-manager.kubeconfig')}`, '--leader-elect=false', '--secure-port=0',
        `--service-account-private-key-file=${pki('sa.key')}`, `--root-ca-file=${pki('ca.crt')}`,
        '--use-service-account-credentials=true',
        `--cluster-signing-cert-file=${pki('ca.crt')}`, `--cluster-signing-key-file=${pki('ca.key')}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`
      ],
      files: [cfg('controller-manager.kubeconfig')],
      // No health port (--secure-port=0): alive a second after start counts.
      health: async () => true,
      settleMs: 1000,
      timeoutMs: 5_000
    },
    'kube-scheduler': {
      cmd: tool('kube-scheduler'),
      args: [
        `--kubeconfig=${cfg('scheduler.kubeconfig')}`,
        '--leader-elect=false',
        '--secure-port=0'
      ],
      files: [cfg('scheduler.kubeconfig')],
      health: async () => true,
      settleMs: 1000,
      timeoutMs: 5_000
    },
    kwok: {
      cmd: tool('kwok'),
      // prettier-ignore
      args: [
        `--kubeconfig=${cfg('kwok.kubeconfig')}`, `--config=${join(p.kwok, 'kwok.yaml')}`,
        '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        // Nodes' InternalIP and kubelet port point the apiserver at kwok on loopback.
        '--node-ip=127.0.0.1', `--node-port=${ports.kwok}`, `--server-address=127.0.0.1:${ports.kwok}`,
        `--tls-cert-file=${pki('kwok-serving.crt')}`, `--tls-private-key-file=${pki('kwok-serving.key')}`,
        '--enable-crds=Logs', '--node-lease-duration-seconds=40'
      ],
      // A ~/.kwok/kwok.yaml of the user's would otherwise be loaded too.
      env: { KWOK_WORKDIR: join(p.kwok, 'work') },
      // kwok manages a node's pods only while it holds the node's Lease; the
      // Lease of a previous kwok process (random holder identity) would block a
      // new one for its 40 s duration. Nobody else holds these nodes.
      beforeStart: () =>
        kubectl(state, [
          'delete',
          'lease',
          '-n',
          'kube-node-lease',
          '--ignore-not-found',
          ...NODES
        ]),
      files: [cfg('kwok.kubeconfig'), join(p.kwok, 'kwok.yaml')],
      health: async () => (await httpStatus(`http://127.0.0.1:${ports.kwok}/healthz`)) === 200,
      timeoutMs: 30_000
    },
    // Our own controllers: no port; healthy while their heartbeat is fresh and says they synced.
    provisioner: controllerSpec('provisioner'),
    'openshift-controller': controllerSpec('openshift-controller'),
    registry: {
      cmd: '/usr/bin/docker-registry',
      args: ['serve', cfg('registry-open.yml')],
      files: [cfg('registry-open.yml')],
      health: async () => (await httpStatus(`${state.urls.registry}/v2/`)) === 200,
      timeoutMs: 30_000
    },
    'token-server': {
      cmd: node,
      args: [join(SCRIPTS, 'token-server.mjs'), cfg('token-server.json')],
      files: [cfg('token-server.json'), join(SCRIPTS, 'token-server.mjs')],
      health: async () =>
        (await httpStatus(`http://127.0.0.1:${ports.tokenServer}/healthz`)) === 200,
      timeoutMs: 15_000
    },
    'registry-auth': {
      cmd: '/usr/bin/docker-registry',
      args: ['serve', cfg('registry-auth.yml')],
      files: [cfg('registry-auth.yml'), state.pki.registryTokenCert],
      health: async () => (await httpStatus(`${state.urls.registryAuth}/v2/`)) === 401,
      timeoutMs: 30_000
    },
    exporter: {
      cmd: node,
      args: [join(SCRIPTS, 'exporter.mjs'), String(ports.exporter)],
      files: [join(SCRIPTS, 'exporter.mjs')],
      health: async () => (await httpStatus(`${state.urls.exporter}/healthz`)) === 200,
      timeoutMs: 15_000
    },
    prometheus: {
      cmd: '/usr/bin/prometheus',
      // prettier-ignore
      args: [
        `--config.file=${cfg('prometheus.yml')}`, `--storage.tsdb.path=${p.prometheus}`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`, '--web.enable-lifecycle',
        '--storage.tsdb.retention.time=2d', '--log.level=warn'
      ],
      files: [cfg('prometheus.yml')],
      health: async () => (await httpStatus(`${state.urls.prometheus}/-/ready`)) === 200,
      timeoutMs: 60_000
    }
  }
}

function specOf(state, name) {
  const spec = componentSpecs(state)[name]
  if (!spec) throw new Error(`unknown component ${name}; one of ${COMPONENTS.join(', ')}`)
  // A fixed environment: the caller's (an npm script's PATH, a developer's
  // ETCD_* or KWOK_* variables) must neither leak in nor force restarts.
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: homedir(),
    LANG: 'C.UTF-8',
    ...spec.env
  }
  const files = (spec.files ?? []).map(f => (existsSync(f) ? readFileSync(f, 'utf8') : ''))
  const hash = sha(JSON.stringify([spec.cmd, spec.args, env, files]))
  return { ...spec, env, hash, ports: (PORTS[name] ?? []).map(n => state.ports[n]) }
}

// After SIGTERM the apiserver stops listening at once but then waits on open
// watches for ~10 s; nothing of value is lost by cutting that short.
const STOP_GRACE_MS = { 'kube-apiserver': 2000 }
const stop = (file, name) => stopRecorded(file, { graceMs: STOP_GRACE_MS[name] ?? 10_000 })

const pidFile = (state, name) => join(layout(state.dir).run, `${name}.pid`)

function logTail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/**
 * Stops, clients first, every running component whose configuration changed
 * since it started, so that etcd and the apiserver go down without clients
 * holding them up (a restart of everything then takes seconds, not half a minute).
 */
async function stopChanged(state, log) {
  for (const name of [...COMPONENTS].reverse()) {
    const rec = recordedProcess(pidFile(state, name))
    if (rec && rec.hash !== specOf(state, name).hash) {
      log(`${name}: configuration changed; restarting it`)
      await stop(pidFile(state, name), name)
    }
  }
}

/**
 * Makes `name` run with its current configuration: reuses a healthy process
 * started with the same configuration, otherwise (re)starts it and waits until
 * it is healthy. Returns 'reused' or 'started'.
 */
async function ensureComponent(state, name, { force = false, log = stderrLog } = {}) {
  const spec = specOf(state, name)
  const file = pidFile(state, name)
  const rec = recordedProcess(file)
  if (rec && rec.hash === spec.hash && !force) {
    try {
      await waitFor(`${name} health`, spec.health, { timeoutMs: 10_000, intervalMs: 200 })
      state.pids[name] = rec.pid
      return 'reused'
    } catch {
      log(`${name} (pid ${rec.pid}) is not healthy; restarting it`)
    }
  } else if (rec && !force) {
    log(`${name}: configuration changed; restarting it`)
  }
  await stop(file, name)
  for (const port of spec.ports) {
    await waitFor(
      `127.0.0.1:${port} to be free for ${name}`,
      async () => !(await isPortOpen(port)),
      { timeoutMs: 10_000 }
    )
  }
  await spec.beforeStart?.()
  const logFile = join(state.logs, `${name}.log`)
  const started = spawnDetached({
    cmd: spec.cmd,
    args: spec.args,
    env: spec.env,
    cwd: state.dir,
    logFile,
    pidFile: file,
    hash: spec.hash
  })
  state.pids[name] = started.pid
  await waitFor(
    `${name} to become healthy`,
    async () => {
      if (!processArgv(started.pid))
        throw new Error(`${name} exited; the end of ${logFile}:\n${logTail(logFile)}`)
      return spec.health()
    },
    { timeoutMs: spec.timeoutMs, intervalMs: 100 }
  ).catch(err => {
    throw new Error(`${err.message}\n(log: ${logFile})`, { cause: err })
  })
  if (spec.settleMs) {
    await sleep(spec.settleMs)
    if (!processArgv(started.pid))
      throw new Error(`${name} exited after start; the end of ${logFile}:\n${logTail(logFile)}`)
  }
  return 'started'
}

// --------------------------------------------------------------- bootstrap ---

function kubectl(state, args, opts = {}) {
  return run(join(state.bin, 'kubectl'), ['--kubeconfig', state.kubeconfig, ...args], opts)
}

function bootstrapObjects(profile) {
  const node = name => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        type: 'kwok'
      }
    },
    spec: {},
    // Kept by node-initialize: capacity a real small node has, so requests,
    // quotas and scheduling behave as they would.
    status: {
      allocatable: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' }
    }
  })
  return [
    ...NODES.map(node),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: RESTRICTED_NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'phase-gate-restricted-edit', namespace: RESTRICTED_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'phase-gate-restricted' }
      ]
    },
    ...storageObjects(),
    ...(profile === 'openshift'
      ? openshiftObjects().filter(o => !o.apiVersion.includes('openshift.io'))
      : [])
  ]
}

/** Objects of the profile's own CRDs, applied once those are Established. */
function customObjects(profile) {
  return profile === 'openshift'
    ? openshiftObjects().filter(o => o.apiVersion.includes('openshift.io'))
    : []
}

const crdName = file => YAML.parse(readFileSync(file, 'utf8').replace(/^#.*\n/gm, '')).metadata.name

/**
 * Applies nodes, namespaces, RBAC and every CRD unless this etcd already has
 * them at the same content (a marker ConfigMap holds their hash), then waits
 * until the CRDs are Established.
 */
async function bootstrap(state, crdsPromise, log) {
  const { kwok, others } = await crdsPromise
  const files = [...kwok, ...others]
  const objects = bootstrapObjects(state.profile)
  const custom = customObjects(state.profile)
  const hash = sha(
    JSON.stringify([objects, custom, files.map(f => readFileSync(f, 'utf8')), restrictedV2Policy()])
  )
  const marker = await kubectl(state, [
    'get',
    'configmap',
    '-n',
    'kube-system',
    'phase-gate-cluster',
    '-o',
    'jsonpath={.data.hash}'
  ]).then(
    r => r.stdout.trim(),
    () => ''
  )
  if (marker === hash) return 'reused'
  log('applying nodes, namespaces, RBAC and CRDs')
  const apply = [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=phase-gate-cluster'
  ]
  const list = { apiVersion: 'v1', kind: 'List', items: objects }
  await kubectl(state, [...apply, '-f', '-'], { input: JSON.stringify(list) })
  await kubectl(state, [...apply, ...files.flatMap(f => ['-f', f])])
  await kubectl(state, [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    ...files.map(f => `crd/${crdName(f)}`)
  ])
  if (custom.length) {
    await kubectl(state, [...apply, '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: custom })
    })
    if (custom.some(o => o.kind === 'ClusterVersion'))
      await kubectl(state, [
        'patch',
        'clusterversion',
        'version',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify(clusterVersionStatus())
      ])
  }
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'phase-gate-cluster', namespace: 'kube-system' },
    data: { hash }
  }
  await kubectl(state, [...apply, '-f', '-'], { input: JSON.stringify(cm) })
  return 'applied'
}

// A node turns Ready before the node lifecycle controller lifts the taints it set while the
// node was not (node.kubernetes.io/not-ready and friends); until then the scheduler refuses
// every pod ("untolerated taint"), so the cluster is not ready for a deployment either.
const isLifecycleTaint = t => /^node\.(kubernetes\.io|cloudprovider\.kubernetes\.io)\//.test(t.key)

async function waitNodesReady(state) {
  await waitFor(
    'the kwok nodes to become Ready and schedulable',
    async () => {
      const { stdout } = await kubectl(state, ['get', 'nodes', '-o', 'json'])
      const ready = JSON.parse(stdout).items.filter(
        n =>
          n.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') &&
          !(n.spec?.taints ?? []).some(isLifecycleTaint)
      )
      return NODES.every(name => ready.some(n => n.metadata.name === name))
    },
    { timeoutMs: 60_000, intervalMs: 250 }
  )
}

// ------------------------------------------------------------------ public ---

function writeStateFiles(state) {
  const p = layout(state.dir)
  writeFileSync(p.state, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  const q = v => `'${String(v).replace(/'/g, `'\\''`)}'`
  const lines = Object.entries(state.env).map(([k, v]) => `export ${k}=${q(v)}`)
  lines.push(`export PATH=${q(state.bin)}:"$PATH"`)
  writeFileSync(
    p.env,
    `# phase-gate local cluster: source me (. ${p.env})\n${lines.join('\n')}\n`,
    { mode: 0o600 }
  )
}

/**
 * Starts the cluster in `dir` (default: the checkout's .cluster), reusing
 * every component already running with the same configuration. Idempotent;
 * builds missing tools and installs missing Debian packages first. Resolves
 * to the state (also written to `dir/state.json` and `dir/env`).
 */
export async function startCluster({
  dir = defaultClusterDir(),
  profile = 'kubernetes',
  log = stderrLog
} = {}) {
  dir = resolve(dir)
  if (!PROFILES.includes(profile))
    throw new Error(`unknown profile ${profile}; supported: ${PROFILES.join(', ')}`)
  const t0 = Date.now()
  return withLock(dir, async () => {
    await ensurePackages({ log })
    const buildSeconds = await ensureTools(CORE_TOOLS, { log })
    linkTools(layout(dir).bin)
    const state = await prepare(dir, profile, log)
    await stopChanged(state, log)
    const ensure = name => ensureComponent(state, name, { log })
    const once = fn => {
      let p
      return () => (p ??= fn())
    }
    const crds = crdFiles({ log, profile })
    const t = {}
    const outcome = {}
    t.etcd = once(async () => (outcome.etcd = await ensure('etcd')))
    t.apiserver = once(
      async () => (await t.etcd(), (outcome['kube-apiserver'] = await ensure('kube-apiserver')))
    )
    t.cm = once(
      async () => (
        await t.apiserver(),
        (outcome['kube-controller-manager'] = await ensure('kube-controller-manager'))
      )
    )
    t.scheduler = once(
      async () => (
        await t.apiserver(),
        (outcome['kube-scheduler'] = await ensure('kube-scheduler'))
      )
    )
    t.bootstrap = once(
      async () => (await t.apiserver(), (outcome.bootstrap = await bootstrap(state, crds, log)))
    )
    t.kwok = once(async () => (await t.bootstrap(), (outcome.kwok = await ensure('kwok'))))
    t.nodes = once(async () => (await t.kwok(), await waitNodesReady(state)))
    t.provisioner = once(
      async () => (await t.bootstrap(), (outcome.provisioner = await ensure('provisioner')))
    )
    if (profile === 'openshift')
      t.openshift = once(
        async () => (
          await t.bootstrap(),
          (outcome['openshift-controller'] = await ensure('openshift-controller'))
        )
      )
    t.registry = once(async () => (outcome.registry = await ensure('registry')))
    t.tokenServer = once(async () => (outcome['token-server'] = await ensure('token-server')))
    t.registryAuth = once(async () => (outcome['registry-auth'] = await ensure('registry-auth')))
    t.exporter = once(async () => (outcome.exporter = await ensure('exporter')))
    t.prometheus = once(
      async () => (await t.exporter(), (outcome.prometheus = await ensure('prometheus')))
    )
    t.seed = once(async () => {
      await Promise.all([t.registry(), t.tokenServer(), t.registryAuth()])
      const { registry } = state
      const [open, auth] = await Promise.all([
        seedRegistry(registry.open),
        seedRegistry(registry.auth, { user: registry.user, password: registry.password })
      ])
      state.images = { open, auth }
    })
    try {
      await Promise.all(Object.values(t).map(f => f()))
    } finally {
      writeStateFiles(state)
    }
    const started = Object.entries(outcome)
      .filter(([, v]) => v !== 'reused')
      .map(([k]) => k)
    const seconds = ((Date.now() - t0) / 1000).toFixed(1)
    log(
      `cluster ready in ${seconds}s (${started.length ? `started: ${started.join(', ')}` : 'everything reused'}` +
        `${buildSeconds ? `; ${buildSeconds}s of it building tools` : ''}); . ${layout(dir).env}`
    )
    return state
  })
}

// ---------------------------------------------------------------- fleet ---

/** Context (and cluster) name of fleet member `n` in the cluster's kubeconfig. */
export const fleetContext = n => `phase-gate-fleet-${n}`
const fleetRoot = dir => join(dir, 'fleet')
const fleetMembers = dir =>
  existsSync(fleetRoot(dir))
    ? readdirSync(fleetRoot(dir))
        .filter(
          f => /^phase-gate-fleet-\d+$/.test(f) && existsSync(join(fleetRoot(dir), f, 'kubeconfig'))
        )
        .sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()))
    : []

/** Adds each fleet member's admin context (`phase-gate-fleet-N`) to a kubeconfig object. */
function addFleetContexts(kubeconfig, dir) {
  for (const member of fleetMembers(dir)) {
    const own = YAML.parse(readFileSync(join(fleetRoot(dir), member, 'kubeconfig'), 'utf8'))
    const cluster = own.clusters.find(c => c.name === 'phase-gate').cluster
    const user = own.users.find(u => u.name === 'phase-gate-admin').user
    kubeconfig.clusters.push({ name: member, cluster })
    kubeconfig.users.push({ name: `${member}-admin`, user })
    kubeconfig.contexts.push({
      name: member,
      context: { cluster: member, user: `${member}-admin`, namespace: 'default' }
    })
  }
}

// What a fleet member runs: its own apiserver (on a prefix of the shared etcd),
// controller-manager, scheduler and kwok nodes. Registries and Prometheus are shared.
const FLEET_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']

/**
 * Starts `count` fleet members next to the cluster in `dir` (which must run):
 * each `dir/fleet/fleet-N` is a cluster of its own (own CA, tokens, apiserver
 * with `--etcd-prefix=/fleet-N` on the shared etcd, controller-manager,
 * scheduler, kwok nodes), reachable as context `phase-gate-fleet-N` in
 * `dir/kubeconfig`. Idempotent. Resolves to the members' contexts, their pids
 * and the seconds it took.
 */
export async function startFleet({ dir = defaultClusterDir(), count, log = stderrLog } = {}) {
  dir = resolve(dir)
  const parent = readClusterState(dir)
  if (!parent) throw new Error(`no cluster in ${dir}: start it first (npm run cluster:up)`)
  const t0 = Date.now()
  const members = []
  for (let n = 1; n <= count; n++) {
    const name = fleetContext(n)
    const mdir = join(fleetRoot(dir), name)
    const member = await withLock(mdir, async () => {
      linkTools(layout(mdir).bin)
      const state = await prepare(mdir, parent.profile, log)
      state.etcdPrefix = `/${name}`
      state.urls.etcd = parent.urls.etcd
      for (const c of FLEET_COMPONENTS) await ensureComponent(state, c, { log })
      await bootstrap(state, crdFiles({ log, profile: parent.profile }), log)
      await waitNodesReady(state)
      writeStateFiles(state)
      return { name, dir: mdir, pids: { ...state.pids } }
    })
    members.push(member)
  }
  // The parent's kubeconfig gains the members' contexts.
  await withLock(dir, async () => {
    const state = await prepare(dir, parent.profile, log)
    state.images = parent.images
    state.pids = parent.pids
    state.fleet = members.map(m => m.name)
    writeStateFiles(state)
  })
  const seconds = (Date.now() - t0) / 1000
  log(`fleet of ${count} ready in ${seconds.toFixed(1)}s: ${members.map(m => m.name).join(', ')}`)
  return { members, seconds, kubeconfig: layout(dir).kubeconfig }
}

/** Stops every fleet member of the cluster in `dir`; `purge` also removes their directories and contexts. */
export async function stopFleet({
  dir = defaultClusterDir(),
  purge = false,
  log = stderrLog
} = {}) {
  dir = resolve(dir)
  const stopped = []
  for (const member of fleetMembers(dir)) {
    const mdir = join(fleetRoot(dir), member)
    stopped.push(...(await withLock(mdir, () => stopAll(mdir, log))).map(s => `${member}/${s}`))
  }
  if (purge && existsSync(fleetRoot(dir))) {
    rmSync(fleetRoot(dir), { recursive: true, force: true })
    const parent = readClusterState(dir)
    if (parent && existsSync(layout(dir).kubeconfig)) {
      const k = YAML.parse(readFileSync(layout(dir).kubeconfig, 'utf8'))
      const keep = x => !/^phase-gate-fleet-\d+/.test(x.name)
      k.clusters = k.clusters.filter(keep)
      k.users = k.users.filter(keep)
      k.contexts = k.contexts.filter(keep)
      writeFileSync(layout(dir).kubeconfig, YAML.stringify(k), { mode: 0o600 })
    }
  }
  return stopped
}

async function stopAll(dir, log) {
  const run = layout(dir).run
  const recorded = existsSync(run)
    ? readdirSync(run)
        .filter(f => f.endsWith('.pid'))
        .map(f => f.slice(0, -4))
    : []
  const order = [
    ...COMPONENTS.filter(c => recorded.includes(c)).reverse(),
    ...recorded.filter(c => !COMPONENTS.includes(c))
  ]
  const stopped = []
  // Clients first (kwok, scheduler, controller-manager), then the apiserver, then etcd.
  for (const name of order) {
    const rec = await stop(join(run, `${name}.pid`), name)
    if (rec) stopped.push(`${name} (pid ${rec.pid})`)
  }
  if (stopped.length) log(`stopped ${stopped.join(', ')}`)
  return stopped
}

/**
 * Stops every process the cluster in `dir` started and waits until its ports
 * are closed. Data stays (the next start is quick) unless `purge`, which
 * removes `dir` altogether. The tool cache is never touched.
 */
export async function stopCluster({
  dir = defaultClusterDir(),
  purge = false,
  log = stderrLog
} = {}) {
  dir = resolve(dir)
  if (!existsSync(dir)) return { stopped: [] }
  // Fleet members first: their apiservers are clients of this etcd.
  const fleetStopped = await stopFleet({ dir, log })
  const stopped = await withLock(dir, async () => {
    const out = await stopAll(dir, log)
    const state = readClusterState(dir)
    for (const port of Object.values(state?.ports ?? {})) {
      await waitFor(`127.0.0.1:${port} to close`, async () => !(await isPortOpen(port)), {
        timeoutMs: 10_000
      })
    }
    if (state)
      writeFileSync(layout(dir).state, JSON.stringify({ ...state, pids: {} }, null, 2) + '\n', {
        mode: 0o600
      })
    return out
  })
  if (purge) rmSync(dir, { recursive: true, force: true })
  return { stopped: [...fleetStopped, ...stopped] }
}

async function withComponent(dir, name, fn) {
  dir = resolve(dir)
  if (!COMPONENTS.includes(name))
    throw new Error(`unknown component ${name}; one of ${COMPONENTS.join(', ')}`)
  return withLock(dir, async () => {
    const prev = readClusterState(dir)
    if (!prev) throw new Error(`no cluster in ${dir}: start it first`)
    const state = await prepare(dir, prev.profile, stderrLog)
    state.images = prev.images
    for (const c of COMPONENTS) {
      const rec = recordedProcess(pidFile(state, c))
      if (rec) state.pids[c] = rec.pid
    }
    const result = await fn(state)
    writeStateFiles(state)
    return result
  })
}

/** Stops one component of the cluster in `dir` (e.g. to make the apiserver unreachable). */
export function stopComponent(dir, name) {
  return withComponent(dir, name, async state => {
    await stop(pidFile(state, name), name)
    delete state.pids[name]
    for (const port of PORTS[name]?.map(n => state.ports[n]) ?? []) {
      await waitFor(`127.0.0.1:${port} to close`, async () => !(await isPortOpen(port)), {
        timeoutMs: 10_000
      })
    }
  })
}

/** Starts one stopped component again (same ports) and waits until it is healthy. */
export function startComponent(dir, name) {
  return withComponent(dir, name, state => ensureComponent(state, name))
}

/** Restarts one component (`kube-apiserver`, `prometheus`, ...) and waits until it is healthy. */
export function restartComponent(dir, name) {
  return withComponent(dir, name, state => ensureComponent(state, name, { force: true }))
}

/**
 * Which components of the cluster in `dir` run and answer their health check;
 * `healthy` is true when all do. Changes nothing.
 */
export async function clusterHealth(dir = defaultClusterDir()) {
  dir = resolve(dir)
  const prev = readClusterState(dir)
  if (!prev) return { healthy: false, components: {} }
  const components = {}
  const state = { ...prev, dir }
  const specs = componentSpecs(state)
  await Promise.all(
    profileComponents(prev.profile).map(async name => {
      const rec = recordedProcess(pidFile(state, name))
      let healthy = false
      if (rec) healthy = await specs[name].health().catch(() => false)
      components[name] = { pid: rec?.pid ?? null, running: !!rec, healthy }
    })
  )
  return { healthy: Object.values(components).every(c => c.healthy), components }
}

/**
 * The path of a tool (kubectl, helm, actionlint, act, controller-gen, ...),
 * built into the cache first when missing (act and controller-gen are built
 * only on demand) and linked into `dir/bin`.
 */
export async function ensureTool(name, { dir = defaultClusterDir(), log = stderrLog } = {}) {
  const entry = toolPaths()[name]
  if (!entry) throw new Error(`unknown tool ${name}; one of ${Object.keys(toolPaths()).join(', ')}`)
  await ensureTools([entry[0]], { log })
  linkTools(layout(resolve(dir)).bin)
  return entry[1]
}
