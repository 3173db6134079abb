// Wait latency: from the moment an object becomes ready to the verdict, for
// phase-gate's watch-based wait and for `kubectl wait` on the same kind of
// object in the same run. The object is an Argo CD Application whose health
// the bench itself turns Healthy, so "ready" has a known instant: the moment
// the status patch is sent, in-process (latency includes that request's round
// trip, a few milliseconds, so the figure errs against us). Both waiters are
// whole processes timed by this one to their exit, process teardown included.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, timed } from '../lib.mjs'

const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
let counter = 0

function app(ns, name) {
  return JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.test/app.git',
        path: 'deploy',
        targetRevision: 'main'
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: ns }
    }
  })
}

// How long each waiter gets to start and begin watching before the object
// turns ready: the same for both, so neither is timed from a different point.
const SETTLE_MS = 1500

/**
 * Starts a waiter process, gives it SETTLE_MS to start watching, makes the
 * object ready, and returns ms from "made ready" to the process's exit. Both
 * instants are stamped here, in the parent, the same way for phase-gate and
 * for kubectl: each waiter is a whole process and its own clock is never read.
 */
async function measureOnce(state, startWaiter, watching) {
  const name = `lat-${process.pid}-${++counter}`
  await timed(state.kubectl, ['apply', '-f', '-'], { env: state.env, input: app(state.ns, name) })
  const child = startWaiter(name)
  let out = ''
  let exitedAt = 0
  const exited = new Promise(r =>
    child.on('close', code => {
      exitedAt = performance.now()
      r(code)
    })
  )
  child.stdout.on('data', d => (out += d))
  child.stderr.on('data', d => (out += d))
  await sleep(SETTLE_MS)
  // A waiter that is not watching yet would be timed from its own start: refuse the round.
  if (exitedAt || !watching(out)) {
    child.kill('SIGKILL')
    await exited
    return {
      ms: 0,
      ok: false,
      code: -1,
      detail: `not watching after ${SETTLE_MS} ms: ${out.slice(-500)}`
    }
  }
  const readyAt = performance.now()
  await patchHealthy(state, name)
  const code = await exited
  const ms = exitedAt - readyAt
  await timed(
    state.kubectl,
    ['delete', 'applications.argoproj.io', name, '-n', state.ns, '--wait=false'],
    { env: state.env }
  )
  return { ms, ok: code === 0, code, detail: out.slice(-500) }
}

const sleep = ms => new Promise(r => setTimeout(r, ms))

/** Turns the Application Healthy with one merge patch straight to the apiserver (no kubectl start-up in the measurement). */
function patchHealthy(state, name) {
  const url = new URL(
    `${state.apiserver}/apis/argoproj.io/v1alpha1/namespaces/${state.ns}/applications/${name}`
  )
  const body = JSON.stringify({ status: { health: { status: 'Healthy' } } })
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'PATCH',
        ca: state.ca,
        headers: {
          Authorization: `Bearer ${state.token}`,
          'Content-Type': 'application/merge-patch+json',
          'Content-Length': Buffer.byteLength(body)
        }
      },
      res => {
        res.resume()
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`patch: HTTP ${res.statusCode}`))
        )
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

export default {
  name: 'wait-latency',
  title: 'from an object turning ready to the verdict: phase-gate watch vs kubectl wait',
  needsCli: false,

  async setup({ env, kubectl, kubeconfig, log }) {
    const dir = mkdtempSync(join(tmpdir(), 'phase-gate-bench-wait-'))
    execFileSync(
      process.execPath,
      [
        NCC,
        'build',
        join(ROOT, 'scripts', 'bench', 'wait-probe.ts'),
        '-o',
        dir,
        '-q',
        '--transpile-only'
      ],
      { cwd: ROOT, stdio: 'pipe' }
    )
    const probe = [join(dir, 'index.mjs'), join(dir, 'index.js')].find(p => existsSync(p))
    const ns = `bench-wait-${process.pid}`
    const cluster = JSON.parse(readFileSync(join(env.PHASE_GATE_CLUSTER_DIR, 'state.json'), 'utf8'))
    const token = readFileSync(cluster.tokens.admin, 'utf8').trim()
    const ca = readFileSync(cluster.caFile)
    await timed(kubectl, ['create', 'namespace', ns], { env })
    log(`wait probe bundled into ${dir}`)
    return {
      dir,
      probe,
      ns,
      env,
      kubectl,
      kubeconfig,
      apiserver: cluster.urls.apiserver,
      token,
      ca
    }
  },

  variants(state) {
    return [
      {
        name: 'phase-gate wait (watch), whole process',
        run: () =>
          measureOnce(
            state,
            name =>
              spawn(process.execPath, [state.probe, state.kubeconfig, state.ns, name], {
                env: state.env
              }),
            out => /listening/.test(out)
          )
      },
      {
        name: 'kubectl wait --for=jsonpath, whole process',
        run: () =>
          measureOnce(
            state,
            name =>
              spawn(
                state.kubectl,
                [
                  'wait',
                  `applications.argoproj.io/${name}`,
                  '-n',
                  state.ns,
                  '--for=jsonpath={.status.health.status}=Healthy',
                  '--timeout=60s'
                ],
                { env: state.env }
              ),
            // kubectl says nothing until it is done; SETTLE_MS is far above its start (about 0.2 s here).
            () => true
          )
      }
    ]
  },

  summarize(_state, results) {
    const [pg, kubectl] = results
    const met = pg.median < 200
    const ms = x => `${Math.round(x)} ms`
    return {
      met,
      lines: [
        `medians from ready to the waiter's exit: phase-gate ${pg.median.toFixed(1)} ms (${pg.samples.map(x => x.toFixed(0)).join(', ')}), kubectl wait ${kubectl.median.toFixed(1)} ms (${kubectl.samples.map(x => x.toFixed(0)).join(', ')})`,
        `ratio: kubectl wait takes ${(kubectl.median / Math.max(pg.median, 0.1)).toFixed(1)}x as long`,
        `target (median under 200 ms from ready to verdict): ${met ? 'met' : 'MISSED'}`
      ],
      figures: {
        'phase-gate': { value: pg.median, unit: 'ms', text: ms(pg.median) },
        kubectl: { value: kubectl.median, unit: 'ms', text: ms(kubectl.median) },
        target: { value: 200, unit: 'ms', text: `under 200 ms: ${met ? 'met' : 'missed'}` }
      }
    }
  },

  async teardown(state, { keep, log }) {
    rmSync(state.dir, { recursive: true, force: true })
    if (keep) return log(`kept namespace ${state.ns}`)
    await timed(state.kubectl, ['delete', 'namespace', state.ns, '--wait=false'], {
      env: state.env
    })
  }
}
