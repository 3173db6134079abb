// A Prometheus of the test's own on 127.0.0.1 (Debian's binary, as the local
// cluster runs it) with the rule files and loopback scrape targets the test
// gives: the shared cluster's Prometheus has no rules and scrapes only the
// test exporter, and tests must not change it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface OwnPrometheus {
  url: string
  /** Waits until an alert has reached a state (`firing`, `inactive`, ...). */
  waitForAlert(name: string, state: string, timeoutMs?: number): Promise<void>
  /** Waits until a query answers at least one sample. */
  waitForSeries(query: string, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const s = http.createServer()
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>(r => s.close(() => r()))
  return port
}

/** Waits until a fixed port is free (another run of the same test may still hold it). */
async function waitFree(port: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const s = http.createServer()
    const ok = await new Promise<boolean>(r => {
      s.once('error', () => r(false))
      s.listen(port, '127.0.0.1', () => r(true))
    })
    if (ok) {
      await new Promise<void>(r => s.close(() => r()))
      return port
    }
    if (Date.now() > deadline)
      throw new Error(`127.0.0.1:${port} stays taken; the test's Prometheus needs it`)
    await new Promise(r => setTimeout(r, 500))
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url)
  return res.json()
}

/** Starts Prometheus with these rule groups (YAML) and scrape targets (host:port, loopback only), on a free port or the one given. */
export async function startPrometheus(
  opts: { rules?: string; targets?: string[]; port?: number } = {}
): Promise<OwnPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-prom-'))
  const port = opts.port ? await waitFree(opts.port, 60_000) : await freePort()
  const config = [
    'global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}',
    opts.rules ? `rule_files: [${join(dir, 'rules.yml')}]` : '',
    opts.targets?.length
      ? `scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [${opts.targets.join(', ')}]`
      : ''
  ].join('\n')
  await writeFile(join(dir, 'prometheus.yml'), config)
  if (opts.rules) await writeFile(join(dir, 'rules.yml'), opts.rules)
  const proc: ChildProcess = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let log = ''
  proc.stderr?.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-4000)
  })
  const url = `http://127.0.0.1:${port}`
  const until = async (
    what: string,
    ok: () => Promise<boolean>,
    timeoutMs: number
  ): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (await ok().catch(() => false)) return
      if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}): ${log}`)
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; prometheus log:\n${log}`)
      await new Promise(r => setTimeout(r, 100))
    }
  }
  await until('/-/ready', async () => (await fetch(`${url}/-/ready`)).status === 200, 30_000)
  return {
    url,
    waitForAlert: (name, state, timeoutMs = 20_000) =>
      until(
        `alert ${name} ${state}`,
        async () => {
          const body = (await getJson(`${url}/api/v1/rules`)) as {
            data: { groups: { rules: { name: string; state?: string }[] }[] }
          }
          return body.data.groups.some(g => g.rules.some(r => r.name === name && r.state === state))
        },
        timeoutMs
      ),
    waitForSeries: (query, timeoutMs = 20_000) =>
      until(
        `series ${query}`,
        async () => {
          const body = (await getJson(
            `${url}/api/v1/query?query=${encodeURIComponent(query)}`
          )) as { data: { result: unknown[] } }
          return body.data.result.length > 0
        },
        timeoutMs
      ),
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise(r => proc.once('exit', r))
        proc.kill('SIGTERM')
        // The grace timer is cleared once Prometheus exits, or it would hold jest open for 5 s.
        let grace: NodeJS.Timeout | undefined
        await Promise.race([exited, new Promise(r => (grace = setTimeout(r, 5000)))])
        clearTimeout(grace)
        if (proc.exitCode === null) proc.kill('SIGKILL')
      }
      await rm(dir, { recursive: true, force: true })
    }
  }
}
