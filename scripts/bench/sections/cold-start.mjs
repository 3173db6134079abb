// Bench section: the action's cold start, `node dist/index.js` (the bundle
// under test) to its first request. The "cluster" is a loopback server in
// this process that stamps the first request it gets and answers 503; both
// instants are stamped here, so the figure is from spawn to the request's
// arrival: Node's start, the bundle's load, inputs, the plan, the kubeconfig.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default {
  name: 'cold-start',
  title: 'the action from `node dist/index.js` to its first request',
  needsCluster: false,

  async setup({ action, log }) {
    const dir = mkdtempSync(join(tmpdir(), 'phase-gate-bench-cold-'))
    mkdirSync(join(dir, 'deploy'))
    writeFileSync(
      join(dir, 'deploy', 'app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: info}\n'
    )
    writeFileSync(
      join(dir, 'phase-gate.yaml'),
      'version: 1\nname: bench\ntarget: {namespace: bench}\nassumptions:\n  manifests: [deploy/*.yaml]\n'
    )
    const state = { dir, action, firstRequest: undefined }
    state.server = http.createServer((req, res) => {
      state.firstRequest ??= performance.now()
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{}')
    })
    await new Promise(r => state.server.listen(0, '127.0.0.1', r))
    state.kubeconfig = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c', cluster: { server: `http://127.0.0.1:${state.server.address().port}` } }
      ],
      users: [{ name: 'u', user: { token: 'bench' } }],
      contexts: [{ name: 'bench', context: { cluster: 'c', user: 'u', namespace: 'bench' } }],
      'current-context': 'bench'
    })
    log(`action bundle: ${action}`)
    return state
  },

  variants(state) {
    return [
      {
        name: 'node dist/index.js to the first request',
        run: async () => {
          state.firstRequest = undefined
          const started = performance.now()
          const child = spawn(process.execPath, [state.action], {
            cwd: state.dir,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              RUNNER_TEMP: state.dir,
              GITHUB_WORKSPACE: state.dir,
              INPUT_GATE: 'reality-check',
              INPUT_PLAN: 'phase-gate.yaml',
              INPUT_KUBECONFIG: state.kubeconfig,
              INPUT_COMMENT: 'false',
              GITHUB_RUN_ID: '1',
              GITHUB_RUN_ATTEMPT: '1'
            }
          })
          let out = ''
          child.stdout.on('data', d => (out += d))
          child.stderr.on('data', d => (out += d))
          const exited = new Promise(r => child.on('close', r))
          for (
            let i = 0;
            i < 2000 && state.firstRequest === undefined && child.exitCode === null;
            i++
          )
            await new Promise(r => setTimeout(r, 2))
          const at = state.firstRequest
          child.kill('SIGKILL')
          await exited
          if (at === undefined)
            return {
              ms: 0,
              ok: false,
              code: child.exitCode,
              detail: `no request: ${out.slice(-1500)}`
            }
          return { ms: at - started, ok: true, code: 0, detail: '' }
        }
      }
    ]
  },

  summarize(_state, [cold]) {
    const met = cold.median <= 300
    return {
      met,
      lines: [
        `cold start ${Math.round(cold.median)} ms (target at most 300 ms: ${met ? 'met' : 'MISSED'})`
      ],
      figures: {
        'to-first-request': {
          value: cold.median,
          unit: 'ms',
          text: `${Math.round(cold.median)} ms`
        },
        target: {
          value: 300,
          unit: 'ms',
          text: `at most 300 ms: ${met ? 'met' : 'missed'}`
        }
      }
    }
  },

  async teardown(state) {
    await new Promise(r => state.server.close(r))
    rmSync(state.dir, { recursive: true, force: true })
  }
}
