// Regression tests for the bugs the fault matrix found: each was a verdict on
// the objects or the plan where the server could not be asked at all. They
// run the engine over an in-memory cluster that fails on cue; the matrix
// (__tests__/faults) shows the same against the real servers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { judgeRejection } from '../../src/checks/admission.js'
import { compileCached } from '../../src/cel/criteria.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { clearSecrets, redact } from '../../src/core/secrets.js'
import { prepareObjects, snapshot } from '../../src/kube/apply.js'
import { registerSecretValues } from '../../src/kube/secret-values.js'
import { parseCli } from '../../src/cli/args.js'
import { UsageError } from '../../src/core/errors.js'
import { memoryLogger } from '../../src/core/log.js'
import { runEngine } from '../../src/engine.js'
import { isInfraFailure, isInfraStatus } from '../../src/kube/client.js'
import { KubeApiError } from '../../src/kube/types.js'
import { exitCodeFor } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { FakeCluster } from '../support/fake-cluster.js'

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pg-regress-'))
  mkdirSync(join(work, 'deploy'))
  writeFileSync(
    join(work, 'phase-gate.yaml'),
    `version: 1
name: regress
target: {namespace: ns}
tracers:
  - name: config
    assumption: ConfigMaps are accepted
    manifest:
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: probe}
        data: {a: b}
    success: {cel: 'object.data.a == "b"'}
    timeout: 2s
phases:
  - name: config
    apply: [deploy/cm.yaml]
    timeout: 2s
`
  )
  writeFileSync(
    join(work, 'deploy', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {x: y}\n'
  )
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const LEASE = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  namespaced: true,
  verbs: ['get', 'create', 'update'],
  subresources: []
}

function settings(gate: Settings['gate']): Settings {
  return {
    gate,
    planPath: join(work, 'phase-gate.yaml'),
    runId: `r-${Math.random().toString(36).slice(2, 8)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'default' },
    dryRun: false,
    comment: false,
    workspace: work
  }
}

const faults = {
  '503 (after retries)': () =>
    new KubeApiError(
      'service unavailable (HTTP 503 ServiceUnavailable for PATCH /x) (after 4 retries)',
      503,
      'ServiceUnavailable'
    ),
  '429 (after retries)': () =>
    new KubeApiError(
      'too many requests (HTTP 429 TooManyRequests for PATCH /x) (after 4 retries)',
      429,
      'TooManyRequests'
    ),
  'connection reset': () =>
    new KubeApiError(
      'cannot reach the API server: connection reset (after 4 retries)',
      0,
      'ECONNRESET',
      undefined,
      true
    ),
  'an HTML page under 200': () =>
    new KubeApiError(
      'the API server answered PATCH /x with something that is not JSON (content-type text/html)',
      200,
      'MalformedResponse'
    )
}

describe('a fault is never a verdict on the plan (regressions found by the fault matrix)', () => {
  it.each(Object.entries(faults))(
    'tracer: an apply that meets %s is "could not check" (error, exit 3), not "rejected"',
    async (_name, fault) => {
      const cluster = new FakeCluster({ resources: [LEASE] })
      // The state record's write goes first, then the tracer's own object.
      cluster.failNext('apply', fault(), 'ConfigMap')
      const { report } = await runEngine(settings('tracer'), {
        log: memoryLogger(),
        connect: async () => cluster
      })
      const check = report.gates[0].checks[0]
      expect(check.verdict).toBe('error')
      expect(check.message).toMatch(/^could not apply ConfigMap ns\/probe: /)
      expect(check.message).not.toMatch(/rejected/)
      expect(exitCodeFor(report.verdict)).toBe(3)
    }
  )

  it('tracer: a real rejection (422) is still a failed assumption', async () => {
    const cluster = new FakeCluster({ resources: [LEASE] })
    cluster.failNext(
      'apply',
      new KubeApiError('ConfigMap "probe" is invalid: data: Invalid value', 422, 'Invalid'),
      'ConfigMap'
    )
    const { report } = await runEngine(settings('tracer'), {
      log: memoryLogger(),
      connect: async () => cluster
    })
    expect(report.gates[0].checks[0]).toMatchObject({
      verdict: 'fail',
      message: expect.stringMatching(/was rejected by the cluster/)
    })
  })

  it.each(Object.entries(faults))(
    'phase: a dry run that meets %s is "could not check", and nothing is applied',
    async (_name, fault) => {
      const cluster = new FakeCluster({ resources: [LEASE] })
      cluster.failNext('apply', fault(), 'ConfigMap')
      const { report } = await runEngine(settings('phase'), {
        log: memoryLogger(),
        connect: async () => cluster
      })
      expect(report.gates[0].checks[0]).toMatchObject({ kind: 'apply', verdict: 'error' })
      expect(report.gates[0].checks[0].adjustment).toMatch(/could not ask .* nothing was changed/)
      expect(exitCodeFor(report.verdict)).toBe(3)
      expect(
        cluster.peek({ apiVersion: 'v1', kind: 'ConfigMap', name: 'app', namespace: 'ns' })
      ).toBeUndefined()
    }
  )

  it('phase: a dry run the server refuses (422) is still a failed phase', async () => {
    const cluster = new FakeCluster({ resources: [LEASE] })
    cluster.failNext(
      'apply',
      new KubeApiError('ConfigMap "app" is invalid', 422, 'Invalid'),
      'ConfigMap'
    )
    const { report } = await runEngine(settings('phase'), {
      log: memoryLogger(),
      connect: async () => cluster
    })
    expect(report.gates[0].checks[0]).toMatchObject({ kind: 'apply', verdict: 'fail' })
  })

  it.each([
    ['a 429', new KubeApiError('too many requests', 429, 'TooManyRequests')],
    [
      'an HTML page under 200',
      new KubeApiError(
        'the API server answered PATCH /x with something that is not JSON (content-type text/html)',
        200,
        'MalformedResponse'
      )
    ]
  ])(
    'admission: %s on the dry run is thrown as could-not-check, not judged as a rejection',
    (_n, err) => {
      expect(() => judgeRejection(err, 'Deployment web')).toThrow(err)
      // A real refusal is still judged.
      expect(
        judgeRejection(
          new KubeApiError('spec.replicas: Invalid value', 422, 'Invalid'),
          'Deployment web'
        ).verdict
      ).toBe('fail')
    }
  )

  it.each([
    [0, '', true, true],
    [200, 'not JSON', false, true],
    [401, 'Unauthorized', false, true],
    [429, 'too many', false, true],
    [500, 'etcdserver: leader changed', false, true],
    [503, 'unavailable', false, true],
    [500, 'Internal error occurred: failed calling webhook "v.example.com"', false, false],
    [403, 'forbidden', false, false],
    [404, 'not found', false, false],
    [409, 'conflict', false, false],
    [422, 'invalid', false, false],
    [undefined, 'a thrown Error', false, false]
  ])('isInfraStatus(%s, %j, transport: %s) → %s', (status, message, transport, infra) => {
    expect(isInfraStatus(status, message, transport)).toBe(infra)
  })

  it('isInfraFailure: malformed answers and transport errors, not plain Errors', () => {
    expect(isInfraFailure(new KubeApiError('x', 200, 'MalformedResponse'))).toBe(true)
    expect(isInfraFailure(new KubeApiError('x', 0, 'ECONNRESET', undefined, true))).toBe(true)
    expect(isInfraFailure(new Error('boom'))).toBe(false)
  })

  // Found by the fuzzer: arithmetic on literals of different non-numeric types passed lint and failed only at run time.
  it.each([
    ['1 + "a"', 'int, string'],
    ['"a" - 1', 'string, int'],
    ['true * 2', 'bool, int']
  ])('CEL: %s does not compile (as in Kubernetes), naming the types', (source, types) => {
    expect(() => compileCached(source, ['object'])).toThrow(
      new RegExp(`no matching overload for '_[-+*]_' applied to '\\(${types}\\)'`)
    )
  })

  it('CEL: mixed int/double arithmetic still compiles where mixedArithmetic allows it', () => {
    expect(() => compileCached('1 + 2.0 > 0.5', ['value'])).not.toThrow()
  })

  // Found by the malformed-answer fuzzer: a 200 with `{}` (a proxy, a broken registry) was a found image.
  it.each([
    ['{}', 'application/json'],
    ['{"schemaVersion": 2}', 'application/vnd.oci.image.manifest.v1+json'],
    ['[]', 'application/json'],
    ['{"errors": []}', 'application/json']
  ])(
    'registry: a 200 answer %s is not an image manifest, so the image is not found',
    async (body, type) => {
      const registry = createRegistryClient({
        credentials: [],
        fetchImpl: async () =>
          new Response(body, { status: 200, headers: { 'content-type': type } })
      })
      const ins = await registry.inspect({
        ref: { original: 'r.example/x:1', registry: 'r.example', repository: 'x', tag: '1' }
      })
      expect(ins.status).toBe('error')
      expect(ins.message).toMatch(
        /answered the manifest of .* with something that is not an image manifest .*is a proxy in front of it\?/
      )
    }
  )

  // Found by the canary test: a failing pod printing its Secret's value put it into the evidence,
  // and from there into the summary, the report and the PR comment.
  it('Secret values phase-gate applies or snapshots are masked wherever they show up (pod logs in evidence)', async () => {
    clearSecrets()
    const value = 'hunter2-canary-value'
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns' },
      data: { password: Buffer.from(value).toString('base64') },
      stringData: { token: 'string-data-canary' }
    }
    const cluster = new FakeCluster()
    await prepareObjects(cluster, [secret], 'ns', { plan: 'p', run: 'r', role: 'phase' })
    const log = `fatal: login failed for ${value} / ${Buffer.from(value).toString('base64')} / ${encodeURIComponent(value)} / string-data-canary`
    expect(redact(log)).toBe('fatal: login failed for *** / *** / *** / ***')
    // A Secret that existed before the phase (snapshotted for its undo) is masked too.
    clearSecrets()
    const live = {
      ...secret,
      metadata: { name: 'old', namespace: 'ns' },
      data: { key: Buffer.from('previous-value-xyz').toString('base64') },
      stringData: undefined
    }
    cluster.set(live)
    await snapshot(cluster, [{ ...live, data: {} }])
    expect(redact('was previous-value-xyz')).toBe('was ***')
    clearSecrets()
  })

  it.each([
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'not-a-secret' } },
      0
    ],
    [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { a: Buffer.from('x1234').toString('base64'), b: 7 }
      },
      1
    ],
    [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, 0]
  ])('registerSecretValues: only Secrets, only string values (%#)', (obj, n) => {
    expect(registerSecretValues(obj as never)).toBe(n)
    clearSecrets()
  })

  // Found by the concurrency test: --lock-wait was parsed and then dropped.
  it.each([
    ['2m', 120_000],
    ['1s', 1000],
    ['0s', 0]
  ])("CLI: --lock-wait %s bounds the wait for another run's lock (%i ms)", (text, ms) => {
    expect(
      parseCli(['check', 'p.yaml', '--gate', 'phase', '--lock-wait', text], {}, '/w').settings
        .lockWaitMs
    ).toBe(ms)
  })

  it('CLI: --lock-wait that is not a duration is invalid input (exit 2), and no flag means the plan or the default decides', () => {
    expect(() =>
      parseCli(['check', 'p.yaml', '--gate', 'phase', '--lock-wait', 'soon'], {}, '/w')
    ).toThrow(UsageError)
    expect(
      parseCli(['check', 'p.yaml', '--gate', 'phase'], {}, '/w').settings.lockWaitMs
    ).toBeUndefined()
  })

  // Found by the kubeconfig test: a gate that could not run named context "" and server "" in its hint.
  it('a gate that cannot run names the context and server it used in what to do', async () => {
    const cluster = new FakeCluster({ resources: [LEASE], context: 'ci-context' })
    cluster.failNext('get', new KubeApiError('Unauthorized', 401, 'Unauthorized'), 'ConfigMap')
    const { report } = await runEngine(settings('phase'), {
      log: memoryLogger(),
      connect: async () => cluster
    })
    const check = report.gates[0].checks[0]
    expect(check.verdict).toBe('error')
    expect(check.adjustment).toBe(
      'the credentials of context "ci-context" were rejected; refresh the token or kubeconfig'
    )
  })
})
