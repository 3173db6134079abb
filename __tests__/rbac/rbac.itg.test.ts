// docs/rbac.yaml is enough, and each of its rules is needed: every gate of
// examples/web-app runs as a ServiceAccount bound to exactly that file's Role
// and ClusterRole plus the rights the plan's own objects need, against the
// real local apiserver, and passes; with one rule taken out, the run fails
// with a permission error naming what the rule granted.
//
// The token comes from the TokenRequest API (kubectl create token); the
// kubeconfig points at the local apiserver with its CA. Discovery and the
// self reviews also reach every authenticated user through Kubernetes'
// default bindings, which a test on the shared cluster cannot remove, so the
// rules taken out are namespaced ones.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { parseAllDocuments, stringify } from 'yaml'
import { main } from '../../src/cli/main.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'

const root = join(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'phase-gate-rbac-'))
let ns: string
let kubeconfig: string
let planDir: string
let failingDir: string
const applied: string[] = []

interface Rule {
  apiGroups?: string[]
  resources?: string[]
  nonResourceURLs?: string[]
  verbs: string[]
}
interface RbacObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string }
  rules?: Rule[]
  roleRef?: { kind: string; name: string; apiGroup: string }
  subjects?: { kind: string; name: string; namespace?: string }[]
}

/** docs/rbac.yaml for this namespace; the cluster-wide names made unique to it. */
function rbacObjects(): RbacObject[] {
  const text = readFileSync(join(root, 'docs', 'rbac.yaml'), 'utf8').replaceAll(
    'TARGET-NAMESPACE',
    ns
  )
  const objects = parseAllDocuments(text).map(d => d.toJS() as RbacObject)
  for (const o of objects) {
    if (o.kind === 'ClusterRole') o.metadata.name = `phase-gate-${ns}`
    if (o.kind === 'ClusterRoleBinding') o.roleRef!.name = `phase-gate-${ns}`
  }
  return objects
}

// The rights examples/web-app's own objects need (what the permission check derives from its
// manifests and tracers): apply, wait for, roll back each kind; ReplicaSets for the Deployment.
const PLAN_OBJECTS: Rule[] = [
  { apiGroups: [''], resources: ['configmaps', 'services', 'pods'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'] }
].map(r => ({ ...r, verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] }))

async function apply(objects: RbacObject[]): Promise<void> {
  await kubectl(['apply', '-f', '-'], {
    input: objects.map(o => stringify(o)).join('---\n')
  })
}

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString()
      done()
    }
  })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text }
}

interface Report {
  verdict: string
  gates: {
    gate: string
    verdict: string
    checks: { id: string; verdict: string; message: string }[]
  }[]
}

/** `phase-gate check <plan> --gate all` as the ServiceAccount, in-process. */
async function runAll(
  runId: string,
  dir = planDir,
  gate = ['all']
): Promise<{ code: number; report?: Report; err: string }> {
  const out = sink()
  const err = sink()
  const env = clusterEnv()
  const code = await main(
    [
      'check',
      'phase-gate.yaml',
      '--gate',
      ...gate,
      '--kubeconfig',
      kubeconfig,
      '--run-id',
      runId,
      '--output',
      'json',
      // No terminal here: --gate all deploys past the plan only with an explicit approval.
      ...(gate[0] === 'all' ? ['--approve'] : [])
    ],
    {
      stdout: out.stream,
      stderr: err.stream,
      env: { PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${env.registry}` },
      cwd: dir
    }
  )
  let report: Report | undefined
  try {
    report = JSON.parse(out.text()) as Report
  } catch {
    report = undefined
  }
  return { code, report, err: err.text() }
}

beforeAll(async () => {
  const env = clusterEnv()
  ns = await createTestNamespace('rbac')
  await kubectl(['create', 'serviceaccount', 'phase-gate', '-n', ns])
  const objects = rbacObjects()
  await apply(objects)
  applied.push(
    ...objects
      .filter(o => !o.metadata.namespace)
      .map(o => `${o.kind.toLowerCase()}/${o.metadata.name}`)
  )
  await apply([
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'web-app-objects', namespace: ns },
      rules: PLAN_OBJECTS
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'web-app-objects', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web-app-objects' },
      subjects: [{ kind: 'ServiceAccount', name: 'phase-gate', namespace: ns }]
    }
  ])
  // TokenRequest API: a bound, expiring token for the ServiceAccount.
  const token = (
    await kubectl(['create', 'token', 'phase-gate', '-n', ns, '--duration', '1h'])
  ).trim()
  kubeconfig = join(work, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'local', cluster: { server: env.apiserver, 'certificate-authority': env.caFile } }
      ],
      users: [{ name: 'phase-gate', user: { token } }],
      contexts: [{ name: 'sa', context: { cluster: 'local', user: 'phase-gate', namespace: ns } }],
      'current-context': 'sa'
    }),
    { mode: 0o600 }
  )
  expect(
    (
      await kubectl([
        '--kubeconfig',
        kubeconfig,
        'auth',
        'whoami',
        '-o',
        'jsonpath={.status.userInfo.username}'
      ])
    ).trim()
  ).toBe(`system:serviceaccount:${ns}:phase-gate`)
  // examples/web-app aimed at this namespace (its command check names web-demo).
  planDir = join(work, 'web-app')
  cpSync(join(root, 'examples', 'web-app'), planDir, { recursive: true })
  for (const f of readdirSync(planDir, { recursive: true, encoding: 'utf8' }).filter(f =>
    /\.ya?ml$/.test(f)
  )) {
    const p = join(planDir, f)
    writeFileSync(p, readFileSync(p, 'utf8').replaceAll('web-demo', ns))
  }
  // The same plan with its tracer pod crash-looping (the local cluster's simulation label).
  failingDir = join(work, 'web-app-failing')
  cpSync(planDir, failingDir, { recursive: true })
  const pod = join(failingDir, 'tracers', 'app-pod.yaml')
  writeFileSync(
    pod,
    readFileSync(pod, 'utf8').replace(
      '  name: tracer-app\n',
      '  name: tracer-app\n  labels: {phase-gate.test/simulate: crash-loop}\n'
    )
  )
}, 120_000)

afterAll(async () => {
  for (const o of applied) await kubectl(['delete', o, '--ignore-not-found']).catch(() => undefined)
  if (ns) await deleteNamespace(ns)
  rmSync(work, { recursive: true, force: true })
})

describe('docs/rbac.yaml', () => {
  it('says which gate needs each rule', () => {
    const text = readFileSync(join(root, 'docs', 'rbac.yaml'), 'utf8')
    const lines = text.split('\n')
    const ruleStarts = lines
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => /^ {2}- (apiGroups|nonResourceURLs):/.test(l))
    expect(ruleStarts.length).toBeGreaterThan(10)
    const gates =
      /\b(every gate|reality-check|tracer|phase|plan|validate|record|rollout|rollback|soak)\b/
    for (const { l, i } of ruleStarts) {
      // The comment right above the rule, or above the rule before it when one comment covers two.
      const above = lines.slice(Math.max(0, i - 3), i).filter(x => /^ {2}# /.test(x))
      expect(`${l} ← ${above.join(' ')}`).toMatch(gates)
    }
  })

  it('lets the ServiceAccount run every gate of examples/web-app, and they pass', async () => {
    const r = await runAll('rbac-full')
    const failed = (r.report?.gates ?? []).flatMap(g =>
      g.checks
        .filter(c => c.verdict === 'fail' || c.verdict === 'error')
        .map(c => `${g.gate} ${c.id}: ${c.message}`)
    )
    expect({ failed, err: r.err.split('\n').filter(l => /forbidden|cannot/i.test(l)) }).toEqual({
      failed: [],
      err: []
    })
    expect(r.report?.gates.map(g => g.gate)).toEqual(
      expect.arrayContaining(['reality-check', 'tracer', 'plan', 'phase', 'validate', 'record'])
    )
    expect(r.report?.verdict).toMatch(/^(pass|warn)$/)
    // No right was missing, not even one a check only warns about.
    expect(JSON.stringify(r.report)).not.toMatch(/forbidden/i)
    expect(r.code).toBe(0)
  }, 600_000)

  // Every namespaced rule of the Role, one at a time (the cluster-wide ones also reach every
  // user through the default bindings, see above).
  const ROLE_RULES = (
    parseAllDocuments(readFileSync(join(root, 'docs', 'rbac.yaml'), 'utf8'))
      .map(d => d.toJS() as RbacObject)
      .find(o => o.kind === 'Role')?.rules ?? []
  )
    .flatMap(r => (r.resources ?? []).map(res => [r.apiGroups?.[0] ?? '', res] as const))
    // Also granted by the plan's own objects (it applies a ConfigMap, a Service and a tracer Pod).
    .filter(
      ([g, res]) => !PLAN_OBJECTS.some(p => p.apiGroups?.includes(g) && p.resources?.includes(res))
    )
    // Read only for a failed check's evidence: taken out below, with a crash-looping tracer.
    .filter(([, res]) => !['events', 'pods/log'].includes(res))

  it('takes out each rule this run can notice', () => {
    expect(ROLE_RULES.map(([g, r]) => `${g}/${r}`)).toEqual([
      '/secrets',
      'coordination.k8s.io/leases',
      '/resourcequotas',
      '/limitranges',
      '/serviceaccounts'
    ])
  })

  it.each(ROLE_RULES)(
    'without its rule for "%s" %s, the run reports it forbidden',
    async (group, resource) => {
      const objects = rbacObjects()
      const role = objects.find(o => o.kind === 'Role')!
      role.rules = role.rules!.flatMap(rule => {
        if (!rule.apiGroups?.includes(group) || !rule.resources?.includes(resource)) return [rule]
        const rest = rule.resources.filter(x => x !== resource)
        return rest.length ? [{ ...rule, resources: rest }] : []
      })
      await kubectl(['replace', '-f', '-'], { input: stringify(role) })
      try {
        const r = await runAll(`rbac-no-${resource.replace('/', '-')}`)
        const said = `${r.err}\n${JSON.stringify(r.report ?? {})}`
        const [base, sub] = resource.split('/')
        const named = sub
          ? new RegExp(
              `${base}[^\\n]*${sub}[^\\n]*forbidden|forbidden[^\\n]*${base}[^\\n]*${sub}`,
              'i'
            )
          : new RegExp(`forbidden[^\\n]*\\b${base}\\b|\\b${base}\\b[^\\n]*forbidden`, 'i')
        process.stderr.write(
          `[rbac] without ${group || 'core'}/${resource}: exit ${r.code}, verdict ${r.report?.verdict}\n`
        )
        expect(said).toMatch(named)
      } finally {
        await apply(rbacObjects().filter(o => o.kind === 'Role'))
      }
    },
    600_000
  )

  /** Runs the crash-looping tracer with the Role minus `resource`'s rule (none: the full Role). */
  async function failingTracer(resource?: string): Promise<string> {
    if (resource) {
      const role = rbacObjects().find(o => o.kind === 'Role')!
      role.rules = role.rules!.filter(rule => !rule.resources?.includes(resource))
      await kubectl(['replace', '-f', '-'], { input: stringify(role) })
    }
    try {
      const r = await runAll(`rbac-evidence-${resource?.replace('/', '-') ?? 'full'}`, failingDir, [
        'tracer',
        '--tracer',
        'app-pod'
      ])
      expect(r.code).toBe(1)
      const check = r.report?.gates[0].checks.find(c => c.verdict === 'fail')
      expect(check).toBeDefined()
      // The evidence as a person reads it: the message, the folded evidence and its notes.
      return `${check!.message}\n${(check as { evidence?: string }).evidence ?? ''}`
    } finally {
      if (resource) await apply(rbacObjects().filter(o => o.kind === 'Role'))
    }
  }

  it('gives a failed tracer its evidence (events, log lines) with the full Role', async () => {
    const evidence = await failingTracer()
    expect(evidence).toMatch(/CrashLoopBackOff/)
    expect(evidence).not.toMatch(/forbidden/i)
    expect(evidence).not.toMatch(/could not list events|no logs of/)
  }, 300_000)

  it.each([
    ['events', /could not list events of Pod [^\n]*forbidden[^\n]*"events"/],
    ['pods/log', /no logs of tracer-app\/app: [^\n]*forbidden[^\n]*"pods\/log"/]
  ])(
    'without its rule for %s, the evidence says it was forbidden',
    async (resource, said) => {
      expect(await failingTracer(resource)).toMatch(said)
    },
    300_000
  )
})
