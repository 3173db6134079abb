// Every command the committed runbook of examples/soak prints, run in order
// as a person would paste them, against the local cluster: the bundled CLI
// as `phase-gate` on the PATH, the cluster's kubectl, curl against the
// plan's Prometheus (one of the test's own on the plan's port, scraping the
// shared test exporter, with the example's alert rules). Before, a previous
// release of storefront is live, as it is when a runbook is used: the config
// and code rollback levels have a version to return to. A command that
// fails fails the build. Afterwards the state record, the notifications
// and `phase-gate history` tell what the runbook did.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { connectCluster } from '../../src/kube/client.js'
import { StateRecord } from '../../src/lifecycle/record.js'
import { clusterEnv, kubectl } from '../support/cluster-env.js'
import { startReceiver, type Receiver } from '../notify/receiver.js'
import { runbookCommands } from '../support/runbook-commands.js'
import { startPrometheus, type OwnPrometheus } from '../support/prometheus-of-our-own.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const DOC = join(root, 'docs/runbook-storefront.md')
const NS = 'storefront-demo'
const PROM_PORT = 19090

let work: string
let prom: OwnPrometheus
let rx: Receiver
let env: Record<string, string>

async function exporter(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${clusterEnv().exporter}${path}`, {
    method: 'POST',
    body: JSON.stringify(body)
  })
  if (res.status !== 200) throw new Error(`exporter ${path}: HTTP ${res.status}`)
}

/** The release before this one: app 1.0 on both tracks, the config it ran with. */
function previousRelease(): string {
  const config = readFileSync(join(root, 'examples/soak/deploy/00-config.yaml'), 'utf8').replace(
    'LOG_LEVEL: info',
    'LOG_LEVEL: warn'
  )
  const app = readFileSync(join(root, 'examples/soak/deploy/10-storefront.yaml'), 'utf8').replace(
    'ghcr.io/phase-gate/app:2.0',
    'ghcr.io/phase-gate/app:1.0'
  )
  return `${config}\n---\n${app}`
}

async function run(line: string): Promise<{ code: number; out: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', line], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolvePromise({ code: code ?? -1, out })
    })
  })
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pg-runbook-'))
  // The CLI as users get it: bundled, on the PATH as `phase-gate`, on this Node.
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      'src/cli/index.ts',
      '-o',
      join(work, 'cli'),
      '--target',
      'es2023',
      '-q'
    ],
    {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: 'inherit'
    }
  )
  const entry = ['index.mjs', 'index.js']
    .map(f => join(work, 'cli', f))
    .find(f => {
      try {
        return readFileSync(f).length > 0
      } catch {
        return false
      }
    })
  writeFileSync(join(work, 'cli', 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(work, 'phase-gate'), `#!/bin/sh\nexec "${process.execPath}" "${entry}" "$@"\n`)
  chmodSync(join(work, 'phase-gate'), 0o755)

  rx = await startReceiver()
  const exporterHost = new URL(clusterEnv().exporter).host
  const rules = readFileSync(join(root, 'examples/soak/alerts/storefront.rules.yml'), 'utf8')
  prom = await startPrometheus({ port: PROM_PORT, rules, targets: [exporterHost] })
  for (const track of ['stable', 'canary'])
    await exporter('/control', {
      service: 'storefront',
      track,
      rps: 10,
      errorRate: 0,
      latencyMs: 50
    })
  await prom.waitForSeries(
    'sum(rate(http_requests_total{service="storefront",track="canary"}[10s])) > 0',
    30_000
  )

  await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s'])
  await kubectl(['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NS,
        labels: {
          'phase-gate.test/namespace': 'true',
          'pod-security.kubernetes.io/enforce': 'baseline'
        }
      }
    })
  })
  for (let i = 0; ; i++) {
    try {
      await kubectl(['-n', NS, 'get', 'serviceaccount', 'default'])
      break
    } catch (err) {
      if (i > 100) throw err
      await new Promise(r => setTimeout(r, 100))
    }
  }
  await kubectl(
    ['-n', NS, 'apply', '--server-side', '--field-manager=previous-release', '-f', '-'],
    { input: previousRelease() }
  )
  await kubectl(['-n', NS, 'rollout', 'status', 'deployment/storefront', '--timeout=60s'])

  env = {
    ...(process.env as Record<string, string>),
    PATH: `${work}:${process.env.PATH ?? ''}`,
    KUBECONFIG: clusterEnv().kubeconfig,
    PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${clusterEnv().registry}`,
    STOREFRONT_SLACK_WEBHOOK: `${rx.url}/slack/T000/secret-path`,
    STOREFRONT_PAGER_WEBHOOK: `${rx.url}/pager`,
    NO_COLOR: '1'
  }
}, 240_000)

afterAll(async () => {
  await exporter('/control/reset', { service: 'storefront' }).catch(() => undefined)
  await prom?.stop()
  await rx?.close()
  await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']).catch(
    () => undefined
  )
  rmSync(work, { recursive: true, force: true })
}, 60_000)

/** Runs the commands in order as a person pastes them; the first that fails throws with the transcript's tail. */
async function runCommands(commands: string[], transcript: string[]): Promise<void> {
  for (const line of commands) {
    const exp = /^export ([A-Z_]+)=(.*)$/.exec(line)
    if (exp) {
      env[exp[1]] = execFileSync('/bin/sh', ['-c', `${line}; printf %s "$${exp[1]}"`], {
        env,
        encoding: 'utf8'
      })
      transcript.push(`$ ${line}\n${env[exp[1]]}`)
      continue
    }
    const started = Date.now()
    const r = await run(line)
    transcript.push(
      `$ ${line}  (exit ${r.code}, ${Date.now() - started} ms)\n${r.out.trim().split('\n').slice(-12).join('\n')}`
    )
    if (r.code !== 0)
      throw new Error(
        `runbook command failed (exit ${r.code}): ${line}\n\n${transcript.slice(-4).join('\n\n')}`
      )
  }
}

describe('docs/runbook-storefront.md', () => {
  it('every command it prints works against the local cluster, in order', async () => {
    const commands = runbookCommands(readFileSync(DOC, 'utf8'))
    expect(commands.length).toBeGreaterThan(30)
    const transcript: string[] = []
    await runCommands(commands, transcript)
    // RUNBOOK_TRANSCRIPT=FILE keeps what every command printed, for a person to read.
    if (process.env.RUNBOOK_TRANSCRIPT)
      writeFileSync(process.env.RUNBOOK_TRANSCRIPT, transcript.join('\n\n'))

    // What the runbook did, as the state record keeps it.
    const cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
    const index = await new StateRecord(cluster, 'storefront', NS).readIndex()
    cluster.close()
    const mine = index.history.filter(h => h.runId === env.RUN_ID).map(h => h.state)
    expect(mine).toEqual(
      expect.arrayContaining(['deploying', 'active', 'rolling-back', 'previous-stable'])
    )
    expect(mine.indexOf('active')).toBeLessThan(mine.indexOf('rolling-back'))
    expect(index.state).toBe('previous-stable')
    expect(index.extra?.soak).toMatchObject({ release: env.RUN_ID, status: 'soaking', samples: 1 })

    // The rollback levels ran for real: the flag is off and the code is the previous release's.
    const flags = JSON.parse(
      await kubectl(['-n', NS, 'get', 'configmap', 'storefront-flags', '-o', 'json'])
    ) as { data: Record<string, string> }
    expect(flags.data.NEW_CHECKOUT).toBe('false')

    // Who was told: the chat of every event, the pager of rollbacks only; the URL's secret path never in a log line.
    const told = rx
      .delivered()
      .map(
        r =>
          `${r.path.split('/')[1]}:${(r.body as { event?: string; text?: string }).event ?? (r.body as { text: string }).text.split(': ')[1]}`
      )
    expect(told.filter(t => t.startsWith('slack:'))).toEqual([
      'slack:awaiting approval',
      // The deployment's own events: its first phase started, its validation passed.
      'slack:deployment started',
      'slack:deployment validated',
      'slack:stage promoted',
      'slack:stage promoted',
      'slack:rollback triggered',
      'slack:rollback triggered',
      'slack:rollback triggered'
    ])
    expect(told.filter(t => t.startsWith('pager:'))).toEqual([
      'pager:rollback-triggered',
      'pager:rollback-triggered',
      'pager:rollback-triggered'
    ])
    expect(transcript.join('\n')).not.toContain('secret-path')
  }, 900_000)

  it('a runbook whose rollback command does not work fails the build', async () => {
    const doc = readFileSync(DOC, 'utf8')
    const code = doc.slice(doc.indexOf('### code'), doc.indexOf('## Metrics to watch'))
    const byHand = (section: string): string[] =>
      runbookCommands(section).filter(c => c.startsWith('kubectl '))
    // The code level's rollback by hand, as printed: it works (the control)...
    expect(byHand(code)).toEqual([
      'kubectl -n storefront-demo rollout undo deployment/storefront-canary',
      'kubectl -n storefront-demo rollout status deployment/storefront-canary --timeout=900s'
    ])
    await expect(runCommands(byHand(code), [])).resolves.toBeUndefined()
    // ...and the same runbook with a rollback command that names the wrong workload fails.
    const broken = byHand(
      code.replaceAll('deployment/storefront-canary', 'deployment/storefront-canry')
    )
    await expect(runCommands(broken, [])).rejects.toThrow(
      /^runbook command failed \(exit 1\): kubectl -n storefront-demo rollout undo deployment\/storefront-canry\n[\s\S]*"storefront-canry" not found/
    )
  }, 120_000)
})
