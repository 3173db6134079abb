// Bench section: hygiene and schema checks in manifests per second per core.
// A probe bundled from src/ loads a plan (JSON Schema validation) whose
// assumptions name N manifests and judges each by the built-in hygiene rules;
// the rate is N over the CPU time (user + system) that took, so it is per
// core whatever the machine's other load. kubeconform's about 950/s/core is
// the yardstick the target (at least 1,000) comes from.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, timed } from '../lib.mjs'

const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const MANIFESTS = 2000

function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}, labels: {app: web-${i}}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web-${i}}}
  template:
    metadata: {labels: {app: web-${i}}}
    spec:
      containers:
        - name: web
          image: ghcr.io/phase-gate/app:1.${i % 10}
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
`
}

export default {
  name: 'hygiene-rate',
  title: 'hygiene and schema checks, manifests per second per core (CPU time)',
  needsCli: false,
  needsCluster: false,

  async setup({ log }) {
    const dir = mkdtempSync(join(tmpdir(), 'phase-gate-bench-hygiene-'))
    execFileSync(
      process.execPath,
      [
        NCC,
        'build',
        join(ROOT, 'scripts', 'bench', 'hygiene-probe.ts'),
        '-o',
        join(dir, 'probe'),
        '-q',
        '--transpile-only'
      ],
      { cwd: ROOT, stdio: 'pipe' }
    )
    const probe = [join(dir, 'probe', 'index.mjs'), join(dir, 'probe', 'index.js')].find(p =>
      existsSync(p)
    )
    const work = join(dir, 'work')
    mkdirSync(join(work, 'deploy'), { recursive: true })
    // 20 manifests a file, as charts and kustomize output tend to come.
    for (let f = 0; f < MANIFESTS / 20; f++)
      writeFileSync(
        join(work, 'deploy', `app-${f}.yaml`),
        Array.from({ length: 20 }, (_, i) => deployment(f * 20 + i)).join('---\n')
      )
    writeFileSync(
      join(work, 'phase-gate.yaml'),
      'version: 1\nname: bench\ntarget: {namespace: bench}\nassumptions:\n  manifests: [deploy/*.yaml]\n'
    )
    log(`hygiene probe bundled into ${dir}; ${MANIFESTS} manifests`)
    return { dir, probe, work }
  },

  variants(state) {
    return [
      {
        name: `hygiene + schema, ${MANIFESTS} manifests (CPU time)`,
        run: async () => {
          const r = await timed(
            process.execPath,
            [state.probe, state.work, join(state.work, 'phase-gate.yaml')],
            {
              cwd: state.work
            }
          )
          let out
          try {
            out = JSON.parse(r.stdout.trim().split('\n').pop())
          } catch {
            return {
              ms: 0,
              ok: false,
              code: r.code,
              detail: `exit ${r.code}: ${(r.stderr || r.stdout).slice(0, 2000)}`
            }
          }
          const ok = r.code === 0 && out.manifests === MANIFESTS
          return {
            ms: out.cpuMs,
            ok,
            code: r.code,
            detail: ok ? '' : `${JSON.stringify(out)} ${r.stderr.slice(0, 1000)}`
          }
        }
      }
    ]
  },

  summarize(_state, [probe]) {
    const rate = MANIFESTS / (probe.median / 1000)
    const met = rate >= 1000
    return {
      met,
      lines: [
        `${Math.round(rate)} manifests/s per core (${MANIFESTS} manifests in ${Math.round(probe.median)} ms of CPU; target at least 1,000: ${met ? 'met' : 'MISSED'}; kubeconform: about 950)`
      ],
      figures: {
        rate: {
          value: rate,
          unit: 'manifests/s/core',
          text: `${Math.round(rate).toLocaleString('en-US')} manifests/s per core`
        },
        target: {
          value: 1000,
          unit: 'manifests/s/core',
          text: `at least 1,000 manifests/s per core: ${met ? 'met' : 'missed'} (kubeconform: about 950)`
        }
      }
    }
  },

  async teardown(state) {
    rmSync(state.dir, { recursive: true, force: true })
  }
}
