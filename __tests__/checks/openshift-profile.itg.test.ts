// The openshift profile on a cluster of the test's own (startCluster with
// profile openshift in a temp dir, stopped after): OpenShift's APIs and
// namespace UID ranges are there; restricted-v2 (a ValidatingAdmissionPolicy
// acting on pods) rejects a bare Pod with runAsUser 1000 at the dry-run; a
// Deployment with it is admitted but flagged by divergence, and its tracer
// fails with the ReplicaSet's FailedCreate; both pass once the field is gone.
// Divergence's OpenShift rules agree with the policy pod by pod, and an
// Ingress is advice to use a Route. examples/openshift-app passes throughout.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCluster, stopCluster, type ClusterState } from '../../scripts/cluster/lib.mjs'
import { openShiftFindings } from '../../src/checks/divergence.js'
import { podTemplateOf } from '../../src/checks/pod-templates.js'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import type { CheckResult, GateResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import { kubectl, kubectlJson } from '../support/cluster-env.js'

const EXAMPLE = join(process.cwd(), 'examples', 'openshift-app')
const NS = 'shop'
let dir: string
let work: string
let state: ClusterState
let cluster: KubeCluster
let annotations: Record<string, string>
let uidFirst: number

const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: state.kubeconfig, input })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-openshift-'))
  work = mkdtempSync(join(tmpdir(), 'pg-openshift-work-'))
  state = await startCluster({ dir, profile: 'openshift', log: () => {} })
  cluster = await connectCluster({ kubeconfigPath: state.kubeconfig })
  await k(['create', 'namespace', NS])
  // The namespace controller annotates it; pods are refused until then, as on OpenShift.
  for (let i = 0; ; i++) {
    const ns = await kubectlJson<KubeObject>(['get', 'namespace', NS], {
      kubeconfig: state.kubeconfig
    })
    annotations = ns.metadata.annotations ?? {}
    const sa = await k(['get', 'serviceaccount', 'default', '-n', NS, '-o', 'name']).catch(() => '')
    if (annotations['openshift.io/sa.scc.uid-range'] && sa) break
    if (i > 150) throw new Error('namespace shop never got its OpenShift annotations')
    await new Promise(r => setTimeout(r, 200))
  }
  uidFirst = Number(annotations['openshift.io/sa.scc.uid-range'].split('/')[0])
}, 300_000)

afterAll(async () => {
  cluster?.close()
  if (dir) await stopCluster({ dir, purge: true, log: () => {} })
  rmSync(work, { recursive: true, force: true })
}, 120_000)

/** A copy of the example (or a plan of the test's own) in a workspace, `edit` applied to its files. */
function workspace(
  name: string,
  edit: (file: string, text: string) => string = (_f, t) => t
): string {
  const to = join(work, name)
  cpSync(EXAMPLE, to, { recursive: true })
  for (const f of ['deploy/10-web.yaml', 'tracers/web.yaml']) {
    const p = join(to, f)
    writeFileSync(p, edit(f, readFileSync(p, 'utf8')))
  }
  return to
}

function planOf(name: string, body: string, files: Record<string, string>): string {
  const to = join(work, name)
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(to, f, '..'), { recursive: true })
    writeFileSync(join(to, f), text)
  }
  writeFileSync(
    join(to, 'phase-gate.yaml'),
    `version: 1\nname: ${name}\ntarget: {namespace: ${NS}, platform: openshift}\n${body}`
  )
  return to
}

async function runGate(
  root: string,
  gate: Settings['gate'],
  extra: Partial<Settings> = {}
): Promise<GateResult> {
  const settings: Settings = {
    gate,
    planPath: join(root, 'phase-gate.yaml'),
    runId: `os-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: state.kubeconfig },
    dryRun: false,
    comment: false,
    workspace: root,
    mirrors: { 'ghcr.io': state.registry.open },
    ...extra
  }
  const log = memoryLogger()
  const { report } = await runEngine(settings, { log, ...productionDeps(settings, log) })
  expect(report.gates).toHaveLength(1)
  return report.gates[0]
}

const failing = (g: GateResult): CheckResult[] =>
  g.checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')
const fixedUid = (file: string, text: string): string =>
  text.replace(
    /( *)runAsNonRoot: true\n/,
    (line, indent: string) => `${line}${indent}runAsUser: 1000\n`
  )

describe('the openshift profile', () => {
  it('serves Route, SecurityContextConstraints and ClusterVersion, and annotates namespaces with UID ranges', async () => {
    const surface = await cluster.discover()
    for (const [group, kind] of [
      ['route.openshift.io', 'Route'],
      ['security.openshift.io', 'SecurityContextConstraints'],
      ['config.openshift.io', 'ClusterVersion']
    ])
      expect(
        surface.resources.find(r => r.group === group && r.version === 'v1' && r.kind === kind)
      ).toBeDefined()
    const cv = await cluster.get({
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterVersion',
      name: 'version'
    })
    expect(cv?.status).toMatchObject({
      desired: { version: '4.18.9' },
      history: [{ state: 'Completed', version: '4.18.9' }]
    })
    const scc = await cluster.get({
      apiVersion: 'security.openshift.io/v1',
      kind: 'SecurityContextConstraints',
      name: 'restricted-v2'
    })
    expect(scc).toMatchObject({
      runAsUser: { type: 'MustRunAsRange' },
      allowPrivilegedContainer: false
    })
    expect(annotations['openshift.io/sa.scc.uid-range']).toMatch(/^1\d{9}\/10000$/)
    expect(annotations['openshift.io/sa.scc.supplemental-groups']).toBe(
      annotations['openshift.io/sa.scc.uid-range']
    )
    expect(annotations['openshift.io/sa.scc.mcs']).toMatch(/^s0:c\d+,c\d+$/)
    // Structural: a misspelt Route field fails as on a real cluster.
    await expect(
      k(
        ['create', '--dry-run=server', '-n', NS, '-f', '-'],
        'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r}\nspec: {to: {kind: Service, name: web}, tsl: {termination: edge}}\n'
      )
    ).rejects.toThrow(/unknown field "spec.tsl"/)
  })

  it('passes examples/openshift-app through the reality check and its tracer', async () => {
    const root = workspace('good')
    const rc = await runGate(root, 'reality-check')
    expect(failing(rc)).toEqual([])
    expect(rc.checks.filter(c => c.target.startsWith('openshift '))).toEqual([])
    expect(
      rc.checks.find(c => c.target === 'apiVersion route.openshift.io/v1 Route')?.verdict
    ).toBe('pass')
    const tracer = await runGate(root, 'tracer')
    expect(tracer.verdict).toBe('pass')
    expect(tracer.checks[0].message).toMatch(/^Deployment tracer-web ready in/)
  }, 120_000)

  it('rejects a bare Pod with runAsUser 1000 at the dry-run, and admits it without the field', async () => {
    const pod = (sc: string) => `apiVersion: v1
kind: Pod
metadata: {name: fixed-uid}
spec:
  securityContext: {runAsNonRoot: true${sc}}
  containers: [{name: app, image: ghcr.io/phase-gate/app:1.0}]
`
    const bad = await runGate(
      planOf('bare-pod', 'assumptions: {manifests: [pod.yaml]}\n', {
        'pod.yaml': pod(', runAsUser: 1000')
      }),
      'reality-check'
    )
    const admission = bad.checks.find(
      c => c.kind === 'admission' && c.target === `Pod ${NS}/fixed-uid`
    )
    expect(admission).toMatchObject({
      verdict: 'fail',
      message: 'Pod fixed-uid (pod.yaml:1) is rejected by a ValidatingAdmissionPolicy'
    })
    expect(admission?.evidence).toContain(
      `spec.securityContext.runAsUser: Invalid value: 1000: must be in the ranges: [${uidFirst}, ${uidFirst + 9999}]`
    )
    expect(bad.checks.find(c => c.target === `openshift Pod ${NS}/fixed-uid`)?.verdict).toBe('fail')

    const good = await runGate(
      planOf('bare-pod-ok', 'assumptions: {manifests: [pod.yaml]}\n', { 'pod.yaml': pod('') }),
      'reality-check'
    )
    expect(
      good.checks.find(c => c.kind === 'admission' && c.target === `Pod ${NS}/fixed-uid`)?.verdict
    ).toBe('pass')
    expect(good.checks.find(c => c.target === `openshift Pod ${NS}/fixed-uid`)).toBeUndefined()
  }, 120_000)

  it('admits a Deployment with runAsUser 1000 but flags it in divergence, and its tracer fails with FailedCreate', async () => {
    const root = workspace('fixed-uid', fixedUid)
    expect(readFileSync(join(root, 'deploy/10-web.yaml'), 'utf8')).toContain('runAsUser: 1000')
    const rc = await runGate(root, 'reality-check')
    expect(
      rc.checks.find(c => c.kind === 'admission' && c.target === `Deployment ${NS}/web`)?.verdict
    ).toBe('pass')
    const div = rc.checks.find(c => c.target === `openshift Deployment ${NS}/web`)
    expect(div).toMatchObject({
      verdict: 'fail',
      location: {
        file: 'deploy/10-web.yaml',
        path: 'Deployment/web spec.template.spec.securityContext.runAsUser'
      }
    })
    expect(div?.evidence).toContain(
      `the pod runs as UID 1000, outside the namespace's range ${uidFirst}-${uidFirst + 9999} (openshift.io/sa.scc.uid-range)`
    )
    expect(div?.message).toMatch(
      /its pods will not be admitted unless its service account is granted nonroot-v2/
    )

    const started = Date.now()
    const tracer = await runGate(root, 'tracer')
    expect(tracer.verdict).toBe('fail')
    // Fail fast on the known cause, well inside the 60 s timeout.
    expect(Date.now() - started).toBeLessThan(45_000)
    const c = tracer.checks[0]
    expect(c.message).toMatch(/^FailedCreate: /)
    // The ReplicaSet's own condition and FailedCreate events, as on OpenShift.
    expect(c.evidence).toMatch(
      /ReplicaSet shop\/tracer-web-[a-z0-9]+: InProgress \(ReplicaFailure\)/
    )
    expect(c.evidence).toContain(
      'event Warning FailedCreate from replicaset-controller: Error creating: pods'
    )
    expect(`${c.message}\n${c.evidence}`).toMatch(
      /ValidatingAdmissionPolicy 'openshift-restricted-v2'.*runAsUser: Invalid value: 1000/s
    )
    expect(c.data).toMatchObject({ reason: 'FailedCreate', cleanedUp: true })
    expect(c.adjustment).toMatch(/back to research/)
  }, 180_000)

  it('advises a Route where the manifests have an Ingress', async () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}]
`
    const rc = await runGate(
      planOf('ingress', 'assumptions: {manifests: [ingress.yaml]}\n', { 'ingress.yaml': ingress }),
      'reality-check'
    )
    expect(rc.checks.find(c => c.target === 'openshift Ingress web (Ingress)')).toMatchObject({
      verdict: 'warn',
      severity: 'low'
    })
  }, 60_000)

  /** Pod specs: divergence's OpenShift findings must be non-empty exactly when the policy rejects the pod. */
  const specs = (): [string, Record<string, unknown>][] => [
    ['no ids', {}],
    ['runAsUser in the range', { securityContext: { runAsUser: uidFirst + 5 } }],
    ['runAsUser 1000', { securityContext: { runAsUser: 1000 } }],
    ['runAsUser 0', { securityContext: { runAsUser: 0 } }],
    ['container runAsUser above the range', { containerSc: { runAsUser: uidFirst + 10_000 } }],
    ['init container runAsUser 1000', { init: { runAsUser: 1000 } }],
    ['fsGroup in the range', { securityContext: { fsGroup: uidFirst } }],
    ['fsGroup 2000', { securityContext: { fsGroup: 2000 } }],
    ['privileged', { containerSc: { privileged: true } }],
    ['privilege escalation', { containerSc: { allowPrivilegeEscalation: true } }],
    ['NET_BIND_SERVICE', { containerSc: { capabilities: { add: ['NET_BIND_SERVICE'] } } }],
    ['NET_ADMIN', { containerSc: { capabilities: { add: ['NET_ADMIN'] } } }],
    ['hostNetwork', { hostNetwork: true }],
    ['hostPID', { hostPID: true }],
    ['hostIPC', { hostIPC: true }],
    ['hostPath', { volumes: [{ name: 'h', hostPath: { path: '/var/log' } }] }],
    ['hostPort', { port: { containerPort: 8080, hostPort: 8080 } }]
  ]

  it('agrees with the restricted-v2 policy pod by pod', async () => {
    const rows: [string, boolean, boolean][] = []
    for (const [name, o] of specs()) {
      const { containerSc, init, port, ...spec } = o as Record<string, unknown> & {
        containerSc?: unknown
        init?: unknown
        port?: unknown
      }
      const pod: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p-${rows.length}`, namespace: NS },
        spec: {
          ...spec,
          ...(init
            ? {
                initContainers: [
                  { name: 'init', image: 'registry.invalid/i:1', securityContext: init }
                ]
              }
            : {}),
          containers: [
            {
              name: 'app',
              image: 'registry.invalid/a:1',
              ...(containerSc ? { securityContext: containerSc } : {}),
              ...(port ? { ports: [port] } : {})
            }
          ]
        }
      }
      const template = podTemplateOf(pod)
      if (!template) throw new Error('no pod template')
      const flagged = openShiftFindings(template, annotations).length > 0
      let rejected = false
      try {
        await cluster.create(pod, { dryRun: true })
      } catch (err) {
        if (!(err instanceof KubeApiError) || !err.message.includes('openshift-restricted-v2'))
          throw err
        rejected = true
      }
      rows.push([name, flagged, rejected])
    }
    expect(rows.filter(([, flagged, rejected]) => flagged !== rejected)).toEqual([])
    // What both let through; everything else both refused.
    expect(rows.filter(([, , rejected]) => !rejected).map(([name]) => name)).toEqual([
      'no ids',
      'runAsUser in the range',
      'fsGroup in the range',
      'NET_BIND_SERVICE'
    ])
  }, 60_000)
})
