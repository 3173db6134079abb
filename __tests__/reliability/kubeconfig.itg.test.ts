// Kubeconfig variants through the bundled CLI against the real apiserver:
// token, client certificate, exec credential plugin, CA from a file and
// inline, each working; and a missing context, an unreachable server (a
// closed loopback port), a refused token, a failing plugin and a wrong CA,
// each failing with a message that names the context and what to do.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'
import { freshBundle, type Bundle } from './bundle.js'
import { markdownTable, publishFigures, suiteCommand, writeFigures } from './figures.js'

let bundle: Bundle
let ns: string
let work: string
let shared: {
  clusters: { name: string; cluster: Record<string, string> }[]
  users: { name: string; user: Record<string, string> }[]
}
let closedPort = 0
/** A CA of the test's own: the server's certificate does not chain to it. */
let wrongCa = ''
const results: { variant: string; exit: number | null; expected: number; message: string }[] = []

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('kubeconfig')
  work = await mkdtemp(join(tmpdir(), 'pg-kc-'))
  shared = parse(await readFile(clusterEnv().kubeconfig, 'utf8')) as typeof shared
  await writeFile(
    join(work, 'phase-gate.yaml'),
    `version: 1\nname: kc\ntarget: {namespace: ${ns}}\nassumptions:\n  apis: [v1/ConfigMap]\n`
  )
  // An exec credential plugin as kubectl runs them: it prints an ExecCredential with the token.
  await writeFile(
    join(work, 'plugin.mjs'),
    `if (process.env.FAIL_PLUGIN) { process.stderr.write('login required: run the-cloud login'); process.exit(1) }\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(clusterEnv().adminToken)} } }))\n`
  )
  await new Promise<void>((resolve, reject) =>
    execFile(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(work, 'wrong.key'),
        '-out',
        join(work, 'wrong.crt'),
        '-subj',
        '/CN=wrong-ca',
        '-days',
        '1'
      ],
      err => (err ? reject(err) : resolve())
    )
  )
  wrongCa = await readFile(join(work, 'wrong.crt'), 'utf8')
  // A loopback port nothing listens on.
  closedPort = await new Promise<number>(resolve => {
    const s = http.createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })
}, 240_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
  writeFigures('kubeconfig', { variants: results })
  if (results.length === 0) return
  const said = (raw: string): string => {
    // From the message itself, without the terminal's header line.
    const from = Math.max(0, raw.search(/could not run|phase-gate:/))
    const m = raw.slice(from).replace(/\s+/g, ' ').trim()
    const t = m.length > 300 ? `${m.slice(0, 300)}…` : m
    return `\`${t.replace(/\|/g, '\\|').replace(/`/g, "'")}\``
  }
  publishFigures(
    'kubeconfig',
    {
      table: {
        value: results.length,
        unit: 'variants',
        text: `\n${markdownTable(
          ['variant', 'exit', 'what it says'],
          results.map(r => [r.variant, String(r.exit), r.exit === 0 ? 'works' : said(r.message)])
        )}`
      }
    },
    suiteCommand('itg', '__tests__/reliability/kubeconfig.itg.test.ts')
  )
})

const cluster = (over: Record<string, unknown> = {}) => ({ ...shared.clusters[0].cluster, ...over })
const user = (name: string) => shared.users.find(u => u.name === name)?.user ?? {}

function kubeconfig(
  name: string,
  clusterEntry: Record<string, unknown>,
  userEntry: Record<string, unknown>
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: clusterEntry }],
    users: [{ name: 'u', user: userEntry }],
    contexts: [{ name, context: { cluster: 'c', user: 'u' } }],
    'current-context': name
  })
}

async function check(
  variant: string,
  config: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {}
): Promise<{ code: number | null; out: string }> {
  const path = join(work, `${variant.replace(/\W+/g, '-')}.kubeconfig`)
  await writeFile(path, config, { mode: 0o600 })
  return new Promise(resolve => {
    const child = spawn(
      process.execPath,
      [
        bundle.cli,
        'check',
        'phase-gate.yaml',
        '--gate',
        'reality-check',
        '--kubeconfig',
        path,
        ...extra
      ],
      {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('exit', code => resolve({ code, out }))
  })
}

describe('kubeconfig variants', () => {
  const works: [string, () => string][] = [
    [
      'bearer token, CA inline (certificate-authority-data)',
      () => kubeconfig('token-ctx', cluster(), user('phase-gate-admin'))
    ],
    [
      'bearer token, CA from a file (certificate-authority)',
      () => {
        const c = cluster()
        const ca = Buffer.from(String(c['certificate-authority-data']), 'base64')
        void writeFile(join(work, 'ca.crt'), ca)
        delete c['certificate-authority-data']
        return kubeconfig(
          'ca-file-ctx',
          { ...c, 'certificate-authority': 'ca.crt' },
          user('phase-gate-admin')
        )
      }
    ],
    ['client certificate', () => kubeconfig('cert-ctx', cluster(), user('phase-gate-cert'))],
    [
      'exec credential plugin',
      () =>
        kubeconfig('exec-ctx', cluster(), {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [join(work, 'plugin.mjs')],
            interactiveMode: 'Never'
          }
        })
    ]
  ]
  for (const [variant, config] of works)
    it(`${variant}: works`, async () => {
      if (variant.includes('file'))
        await writeFile(
          join(work, 'ca.crt'),
          Buffer.from(String(cluster()['certificate-authority-data']), 'base64')
        )
      const r = await check(variant, config())
      results.push({ variant, exit: r.code, expected: 0, message: '' })
      expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: r.out })
      expect(r.out).toMatch(/✓ pass\s+reality-check/)
    }, 120_000)

  const fails: {
    variant: string
    config: () => string
    extra?: string[]
    env?: NodeJS.ProcessEnv
    exit: number
    message: () => RegExp
  }[] = [
    {
      variant: 'a context the kubeconfig does not have',
      config: () => kubeconfig('only-ctx', cluster(), user('phase-gate-admin')),
      extra: ['--context', 'staging'],
      exit: 2,
      message: () =>
        /context "staging" is not in kubeconfig .*; contexts there: only-ctx\. Pass --context with one of them, or fix target\.context in the plan/
    },
    {
      variant: 'an unreachable server (a closed loopback port)',
      config: () =>
        kubeconfig(
          'down-ctx',
          cluster({ server: `https://127.0.0.1:${closedPort}` }),
          user('phase-gate-admin')
        ),
      exit: 3,
      message: () =>
        new RegExp(
          `cannot reach the API server https://127\\.0\\.0\\.1:${closedPort} \\(context "down-ctx"\\).*connection refused \\(after \\d+ retries\\)[\\s\\S]*check that https://127\\.0\\.0\\.1:${closedPort} is up and reachable from this runner`
        )
    },
    {
      variant: 'a token the server refuses',
      config: () => kubeconfig('stale-ctx', cluster(), { token: 'expired-or-revoked-token' }),
      exit: 3,
      message: () =>
        /Unauthorized[\s\S]*the credentials of context "stale-ctx" were rejected; refresh the token or kubeconfig/
    },
    {
      variant: 'an exec plugin that fails',
      config: () =>
        kubeconfig('sso-ctx', cluster(), {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [join(work, 'plugin.mjs')],
            interactiveMode: 'Never'
          }
        }),
      env: { FAIL_PLUGIN: '1' },
      exit: 3,
      message: () =>
        /the credential plugin of context "sso-ctx" failed: .*login required[\s\S]*run the plugin command by hand to see its error/
    },
    {
      variant: 'a CA that did not sign the server certificate',
      config: () =>
        kubeconfig(
          'wrong-ca-ctx',
          cluster({ 'certificate-authority-data': Buffer.from(wrongCa).toString('base64') }),
          user('phase-gate-admin')
        ),
      exit: 3,
      // Not retried: a certificate will not verify on the next attempt either. Discovery asks
      // /api and /apis at once; whichever fails first is named.
      message: () =>
        /\(context "wrong-ca-ctx"\) for GET \/apis?: unable to verify the first certificate(?![^\n]*after \d+ retr)[\s\S]*→ the certificate of https:\/\/127\.0\.0\.1:\d+ does not verify against the CA of context "wrong-ca-ctx": fix certificate-authority\(-data\)/
    }
  ]
  for (const f of fails)
    it(`${f.variant}: exit ${f.exit}, naming the context and what to do`, async () => {
      const r = await check(f.variant, f.config(), f.extra, f.env)
      results.push({
        variant: f.variant,
        exit: r.code,
        expected: f.exit,
        message: r.out
          .split('\n')
          .filter(l => /phase-gate:|→|could not/.test(l))
          .join(' ')
          .slice(0, 400)
      })
      expect({ code: r.code, out: r.out }).toEqual({ code: f.exit, out: r.out })
      expect(r.out).toMatch(f.message())
      expect(r.out).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(r.out).not.toMatch(/internal error/)
    }, 120_000)
})
