// The phase gate's validation check kinds against real things: `env` over
// real Pods in the local apiserver (direct values, Secret and ConfigMap key
// references, envFrom; a Secret's value never reaches the result), `http`
// through the real apiserver's service proxy and to a URL served on
// loopback, and `command` as real processes (argv without a shell unless
// asked, timeout, exit code, output pattern).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import '../../src/checks/builtin.js'
import { runValidation } from '../../src/checks/validation.js'
import { processExec } from '../../src/core/exec.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import type { GateContext } from '../../src/gates/types.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { gateContext, loadedPlan } from './validation-ctx.js'

const SECRET_VALUE = 'pa55-value-never-printed'
let ns: string
let work: string
let cluster: KubeCluster
let server: Server
let url: string

function pod(name: string, env: unknown[], envFrom: unknown[] = []): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'api', pod: name } },
    spec: { containers: [{ name: 'api', image: 'registry.invalid/api:1', env, envFrom }] }
  })
}

function ctx(): GateContext {
  return gateContext({
    cluster,
    exec: processExec,
    loaded: loadedPlan({ target: { namespace: ns } }, work)
  })
}

beforeAll(async () => {
  ns = await createTestNamespace('validate-kinds')
  work = await mkdtemp(join(tmpdir(), 'pg-kinds-'))
  cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  await kubectl([
    'create',
    'secret',
    'generic',
    'db',
    `--from-literal=PASSWORD=${SECRET_VALUE}`,
    '-n',
    ns
  ])
  await kubectl(['create', 'configmap', 'cfg', '--from-literal=MODE=fast', '-n', ns])
  const password = {
    name: 'PASSWORD',
    valueFrom: { secretKeyRef: { name: 'db', key: 'PASSWORD' } }
  }
  await kubectl(['apply', '-f', '-'], {
    input: pod(
      'good',
      [{ name: 'DIRECT', value: '1' }, password],
      [{ configMapRef: { name: 'cfg' } }]
    )
  })
  await kubectl(['apply', '-f', '-'], {
    input: pod(
      'bad',
      [
        { name: 'DIRECT', value: '1' },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'PASSWD' } } }
      ],
      [{ configMapRef: { name: 'cfg' } }]
    )
  })
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'nothing-runs-this' }, ports: [{ port: 80, targetPort: 8080 }] }
    })
  })
  server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'ok', items: [1, 2] }))
    } else {
      res.writeHead(503)
      res.end('warming up')
    }
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 60_000)

afterAll(async () => {
  cluster?.close()
  await new Promise(r => server?.close(r))
  if (work) await rm(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
}, 60_000)

describe('env check over real Pods', () => {
  it('passes when every container has the variables, saying where each comes from only by reference', async () => {
    const r = await runValidation(
      { env: { selector: 'app=api,pod=good', require: ['DIRECT', 'PASSWORD', 'MODE'] } },
      ctx()
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe('DIRECT, PASSWORD, MODE set in every container of 1 pod')
    expect(JSON.stringify(r)).not.toContain(SECRET_VALUE)
  })

  it('fails naming the pod, the container and the Secret key that does not exist', async () => {
    const r = await runValidation(
      { env: { selector: 'app=api', require: ['DIRECT', 'PASSWORD', 'MODE'] } },
      ctx()
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe('1 container lack required variables')
    expect(r.evidence).toBe('bad/api: missing PASSWORD (secretKeyRef db[PASSWD] does not exist)')
    expect(JSON.stringify(r)).not.toContain(SECRET_VALUE)
  })

  it('fails when a variable is set nowhere, and when no Pod matches', async () => {
    const missing = await runValidation(
      { env: { selector: 'app=api,pod=good', require: ['TOKEN'] } },
      ctx()
    )
    expect(missing.verdict).toBe('fail')
    expect(missing.evidence).toBe('good/api: missing TOKEN')
    const none = await runValidation({ env: { selector: 'app=none', require: ['X'] } }, ctx())
    expect(none.verdict).toBe('fail')
    expect(none.message).toBe(`no Pod in ${ns} matches app=none`)
  })
})

describe('http check', () => {
  it("goes through the real apiserver's service proxy: a Service without ready endpoints fails with the apiserver's answer", async () => {
    const r = await runValidation({ http: { service: 'web', port: 80, path: '/healthz' } }, ctx())
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe('web:80/healthz: status 503, expected 200')
    expect(r.evidence).toMatch(/^HTTP 503 in \d+ ms\n.*no endpoints available for service .*web/s)
  })

  it('passes a URL on status, body pattern and CEL over the JSON', async () => {
    const r = await runValidation(
      {
        http: {
          url: `${url}/healthz`,
          expect: { status: 200, body: '"ok"', cel: 'json.status == "ok" && size(json.items) == 2' }
        }
      },
      ctx()
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toMatch(new RegExp(`^${url}/healthz answered 200 in \\d+ ms$`))
  })

  it('fails a URL on each expectation it breaks, with the body as evidence', async () => {
    const r = await runValidation(
      {
        http: { url: `${url}/ready`, expect: { status: 200, body: 'ready', cel: 'status == 200' } }
      },
      ctx()
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      `${url}/ready: status 503, expected 200; body does not match /ready/; status == 200 is false`
    )
    expect(r.evidence).toMatch(/^HTTP 503 in \d+ ms\nwarming up$/)
  })
})

describe('command check as real processes', () => {
  it('runs an argv without a shell: $HOME stays literal', async () => {
    const r = await runValidation(
      { command: { run: ['echo', '$HOME'], expect: { output: '^\\$HOME$' } } },
      ctx()
    )
    expect(r.verdict).toBe('pass')
  })

  it('uses a shell only when asked', async () => {
    const r = await runValidation(
      { command: { run: ['echo', '$HOME'], shell: true, expect: { output: '^\\$HOME$' } } },
      ctx()
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe('output does not match /^\\$HOME$/')
    expect(r.evidence).toBe(`stdout:\n${process.env.HOME ?? homedir()}`)
  })

  it('judges the exit code it is told to expect, and the output pattern', async () => {
    const three = await runValidation(
      {
        command: {
          run: ['sh', '-c', 'echo migrated 3 tables; exit 3'],
          expect: { exitCode: 3, output: 'migrated \\d+ tables' }
        }
      },
      ctx()
    )
    expect(three.verdict).toBe('pass')
    const wrong = await runValidation(
      { command: { run: ['sh', '-c', 'echo boom >&2; exit 1'] } },
      ctx()
    )
    expect(wrong.verdict).toBe('fail')
    expect(wrong.message).toBe('exit code 1, expected 0')
    expect(wrong.evidence).toBe('stderr:\nboom')
  })

  it('fails a command that outlives its timeout', async () => {
    const started = Date.now()
    const r = await runValidation({ command: { run: ['sleep', '20'], timeout: '500ms' } }, ctx())
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe('timed out after 500 ms')
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
