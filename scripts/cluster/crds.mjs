// CustomResourceDefinitions a local cluster serves. Gateway API and kwok's Logs
// come from their projects' Go modules (generated with controller-gen, or read
// from the module) and are cached by version under the cache directory, never
// committed; OLM's ClusterServiceVersion and Argo CD's Application are written
// by hand in ./crds (their modules are not on the proxy this project uses).
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { run } from './processes.mjs'
import { SCRIPTS, cacheDir, ensureTools, toolPaths, versions } from './tools.mjs'

const goEnv = () => ({
  ...process.env,
  GOTOOLCHAIN: 'local',
  GOFLAGS: '-mod=mod -buildvcs=false',
  GOSUMDB: 'off'
})

/** The module's directory in the Go module cache (downloading it if needed). */
async function moduleDir(modVersion) {
  const { stdout } = await run('go', ['mod', 'download', '-json', modVersion], {
    env: goEnv(),
    cwd: '/'
  })
  return JSON.parse(stdout).Dir
}

/** Builds `dir` through a temporary sibling, so a half-made cache never counts. */
async function cached(dir, make) {
  if (existsSync(dir)) return dir
  mkdirSync(join(dir, '..'), { recursive: true })
  const tmp = mkdtempSync(`${dir}.tmp-`)
  try {
    await make(tmp)
    renameSync(tmp, dir)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  return dir
}

/**
 * Gateway API CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ...) from the
 * sigs.k8s.io/gateway-api Go types. controller-gen exits non-zero over a few
 * maxLength-on-array markers it cannot apply but writes usable files, so the
 * exit code is ignored when the files are there. The group is protected
 * (*.k8s.io), so each CRD gets the project's approval annotation.
 */
export async function gatewayApiCrds({ log = () => {} } = {}) {
  const version = versions().GATEWAY_API_VERSION
  return cached(join(cacheDir(), 'crds', `gateway-api-${version}`), async out => {
    log(`generating Gateway API ${version} CRDs with controller-gen`)
    await ensureTools(['controller-gen'], { log })
    const mod = join(out, 'module')
    mkdirSync(mod)
    writeFileSync(join(mod, 'go.mod'), 'module phase-gate.local/crdgen\n')
    // A file importing the package keeps its dependencies in go.mod/go.sum.
    writeFileSync(
      join(mod, 'tools.go'),
      'package crdgen\n\nimport _ "sigs.k8s.io/gateway-api/apis/v1"\n'
    )
    await run('go', ['get', `sigs.k8s.io/gateway-api@${version}`], { env: goEnv(), cwd: mod })
    await run('go', ['mod', 'tidy'], { env: goEnv(), cwd: mod })
    const gen = join(out, 'gen')
    try {
      await run(
        toolPaths()['controller-gen'][1],
        ['crd', 'paths=sigs.k8s.io/gateway-api/apis/v1', `output:crd:dir=${gen}`],
        {
          env: goEnv(),
          cwd: mod
        }
      )
    } catch (err) {
      if (!existsSync(gen) || !readdirSync(gen).length) throw err
    }
    for (const file of readdirSync(gen)) {
      const crd = YAML.parse(readFileSync(join(gen, file), 'utf8'))
      crd.metadata.annotations = {
        ...crd.metadata.annotations,
        'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466',
        'gateway.networking.k8s.io/bundle-version': version
      }
      writeFileSync(join(out, file), YAML.stringify(crd))
    }
    rmSync(mod, { recursive: true, force: true })
    rmSync(gen, { recursive: true, force: true })
  })
}

/** kwok's `Logs` CRD (per-pod log files), read from the kwok module. */
export async function kwokCrds() {
  const version = versions().KWOK_VERSION
  return cached(join(cacheDir(), 'crds', `kwok-${version}`), async out => {
    const dir = await moduleDir(`sigs.k8s.io/kwok@${version}`)
    const file = 'kwok.x-k8s.io_logs.yaml'
    writeFileSync(join(out, file), readFileSync(join(dir, 'kustomize', 'crd', 'bases', file)))
  })
}

/**
 * Every CRD file a cluster installs, kwok's first (kwok watches Logs at start);
 * the openshift profile adds Route, SecurityContextConstraints and
 * ClusterVersion from ./crds/openshift.
 */
export async function crdFiles({ log, profile = 'kubernetes' } = {}) {
  const list = dir =>
    readdirSync(dir)
      .filter(f => f.endsWith('.yaml'))
      .sort()
      .map(f => join(dir, f))
  const [kwok, gateway] = await Promise.all([kwokCrds(), gatewayApiCrds({ log })])
  const profileCrds = profile === 'openshift' ? list(join(SCRIPTS, 'crds', 'openshift')) : []
  return {
    kwok: list(kwok),
    others: [...list(gateway), ...list(join(SCRIPTS, 'crds')), ...profileCrds]
  }
}
