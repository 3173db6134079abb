// `npm run demo`: brings the local cluster up (building its tools on the
// first run) and runs every gate of examples/web-app against it with the
// bundled CLI, printing the terminal view and writing demo-out/summary.md,
// demo-out/report.json and demo-out/record.md. Idempotent: a second run
// re-applies the same objects.
import { spawnSync } from 'node:child_process'
import { mkdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCluster, clusterEnvVars } from './cluster/lib.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'demo-out')
const plan = 'examples/web-app/phase-gate.yaml'
const namespace = 'web-demo'

const started = Date.now()
const state = await startCluster({ log: line => process.stderr.write(`[cluster] ${line}\n`) })
const env = { ...process.env, ...clusterEnvVars(state), NO_COLOR: process.env.NO_COLOR ?? '' }
// Public image names resolve on the local registry: nothing leaves this machine.
env.PHASE_GATE_REGISTRY_MIRRORS = `ghcr.io=${env.PHASE_GATE_REGISTRY}`
const kubectl = join(state.bin, 'kubectl')

// The target namespace exists before a deployment, as it would on a real cluster.
const ns = spawnSync(kubectl, ['apply', '-f', '-'], {
  env,
  input: JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }
  }),
  encoding: 'utf8'
})
if (ns.status !== 0) {
  process.stderr.write(ns.stderr)
  process.exit(3)
}

const cli = join(root, 'dist', 'cli', 'index.js')
if (!existsSync(cli)) {
  process.stderr.write('dist/cli/index.js is missing: run npm run bundle\n')
  process.exit(2)
}
mkdirSync(out, { recursive: true })
console.log(
  `\nphase-gate demo: every gate of ${plan} against ${state.urls.apiserver} (cluster ready in ${((Date.now() - started) / 1000).toFixed(1)}s)\n`
)
const r = spawnSync(
  process.execPath,
  [
    cli,
    'check',
    plan,
    '--gate',
    'all',
    // The demo has nobody to ask: it deploys without human approval, and the report says so.
    '--approve',
    '--report',
    join(out, 'report.json'),
    '--summary',
    join(out, 'summary.md')
  ],
  { cwd: root, env, stdio: 'inherit' }
)
const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
const record = report.gates.find(g => g.gate === 'record')?.details?.recordMarkdown
if (record) writeFileSync(join(out, 'record.md'), record)
console.log(
  `\nwritten: demo-out/summary.md, demo-out/report.json${record ? ', demo-out/record.md' : ''}`
)
console.log(`kubectl: export KUBECONFIG=${state.kubeconfig}; kubectl -n ${namespace} get all`)
process.exit(r.status ?? 1)
