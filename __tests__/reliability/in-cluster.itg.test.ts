// In-cluster runners: a process given only a service account's token (from
// the TokenRequest API), the cluster CA and KUBERNETES_SERVICE_HOST/PORT, with
// no kubeconfig anywhere, runs the reality check as that service account
// against the real local cluster. It is that identity and not another: before
// the account is granted rights the permission assumption fails; after, it
// passes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { parse } from 'yaml'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { freshBundle, type Bundle } from './bundle.js'

let bundle: Bundle
let ns: string
let work: string
let saDir: string

beforeAll(async () => {
  bundle = await freshBundle()
  ns = await createTestNamespace('in-cluster')
  work = await mkdtemp(join(tmpdir(), 'pg-incluster-'))
  saDir = join(work, 'serviceaccount')
  await mkdir(saDir)
  await kubectl(['create', 'serviceaccount', 'runner', '--namespace', ns])
  const token = (
    await kubectl(['create', 'token', 'runner', '--namespace', ns, '--duration', '10m'])
  ).trim()
  await writeFile(join(saDir, 'token'), token, { mode: 0o600 })
  await copyFile(clusterEnv().caFile, join(saDir, 'ca.crt'))
  await writeFile(join(saDir, 'namespace'), ns)
  await writeFile(
    join(work, 'phase-gate.yaml'),
    `version: 1\nname: in-cluster\ntarget: {namespace: ${ns}}\nassumptions:\n  apis: [v1/ConfigMap]\n  permissions:\n    - {verb: create, resource: configmaps}\n`
  )
}, 240_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
})

function check(): Promise<{ code: number | null; out: string }> {
  const api = new URL(clusterEnv().apiserver)
  // Only what a pod has: no KUBECONFIG, a HOME without ~/.kube, the service host and port.
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (k !== 'KUBECONFIG' && !/proxy/i.test(k)) env[k] = v
  Object.assign(env, {
    HOME: work,
    NO_COLOR: '1',
    KUBERNETES_SERVICE_HOST: api.hostname,
    KUBERNETES_SERVICE_PORT: api.port,
    PHASE_GATE_SERVICEACCOUNT_DIR: saDir
  })
  return new Promise(resolve => {
    const child = spawn(
      process.execPath,
      [bundle.cli, 'check', 'phase-gate.yaml', '--gate', 'reality-check'],
      { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('exit', code => resolve({ code, out }))
  })
}

describe('in-cluster service account', () => {
  it('runs the reality check as the service account: refused before its RoleBinding, passing after', async () => {
    const before = await check()
    expect({ code: before.code, out: before.out }).toEqual({ code: 1, out: before.out })
    expect(before.out).toMatch(/create configmaps/)

    await kubectl([
      'create',
      'rolebinding',
      'runner-edit',
      '--clusterrole',
      'edit',
      `--serviceaccount=${ns}:runner`,
      '--namespace',
      ns
    ])
    const after = await check()
    expect({ code: after.code, out: after.out }).toEqual({ code: 0, out: after.out })
    expect(after.out).toMatch(/✓ pass\s+reality-check/)
  }, 180_000)
})

describe('the action without a kubeconfig input', () => {
  it('uses the KUBECONFIG an earlier step left, with its exec credential plugin', async () => {
    const job = join(work, 'job')
    await mkdir(join(job, 'temp'), { recursive: true })
    for (const f of ['state', 'output', 'summary']) await writeFile(join(job, f), '')
    const shared = parse(await readFile(clusterEnv().kubeconfig, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[]
    }
    // What `aws eks update-kubeconfig` and friends leave: a kubeconfig whose user is an exec plugin.
    const marker = join(work, 'plugin-ran')
    await writeFile(
      join(work, 'plugin.mjs'),
      `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'yes')\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(clusterEnv().adminToken)} } }))\n`
    )
    const kc = join(work, 'cloud.kubeconfig')
    await writeFile(
      kc,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'cloud', cluster: shared.clusters[0].cluster }],
        users: [
          {
            name: 'oidc',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: [join(work, 'plugin.mjs')],
                interactiveMode: 'Never'
              }
            }
          }
        ],
        contexts: [{ name: 'cloud-ctx', context: { cluster: 'cloud', user: 'oidc' } }],
        'current-context': 'cloud-ctx'
      }),
      { mode: 0o600 }
    )
    const code = await new Promise<number | null>(resolve => {
      const child = spawn(process.execPath, [bundle.action], {
        cwd: work,
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH,
          HOME: work,
          KUBECONFIG: kc,
          GITHUB_ACTIONS: 'true',
          GITHUB_STATE: join(job, 'state'),
          GITHUB_OUTPUT: join(job, 'output'),
          GITHUB_STEP_SUMMARY: join(job, 'summary'),
          RUNNER_TEMP: join(job, 'temp'),
          GITHUB_WORKSPACE: work,
          GITHUB_REPOSITORY: 'octo/app',
          GITHUB_RUN_ID: '4242',
          INPUT_GATE: 'reality-check',
          INPUT_PLAN: 'phase-gate.yaml',
          INPUT_KUBECONFIG: '',
          INPUT_COMMENT: 'false'
        }
      })
      child.on('exit', c => resolve(c))
    })
    const summary = await readFile(join(job, 'summary'), 'utf8')
    expect({ code, summary }).toEqual({ code: 0, summary })
    expect(summary).toContain('cloud-ctx')
    expect(existsSync(marker)).toBe(true)
    expect(await readFile(join(job, 'output'), 'utf8')).toMatch(/verdict[\s\S]*pass/)
  }, 120_000)
})
