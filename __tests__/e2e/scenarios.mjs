// The e2e scenarios: each runs one example's caller workflow under act and
// then checks the final state (jobs and their order, artifacts, the
// cluster, the PR comment, the data plane), not only act's exit code.
//
// A scenario adapts the example to this machine only where it must, and says
// so in `adjustments` (printed with the results): its own namespace (runs
// never share state), and for the canary the local Prometheus, the test
// exporter's `service` label instead of `app`, and holds and windows in
// seconds. Everything else runs as a user's repository would run it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDataPlane } from './data-plane.mjs'
import { editYaml, replaceIn } from './workspace.mjs'

/** Collects the checks of a scenario: each a statement and whether it held. */
export class Findings {
  constructor() {
    this.items = []
  }
  /** Records `what`; `detail` says what was seen when it does not hold. */
  check(ok, what, detail) {
    this.items.push({ ok: Boolean(ok), what, detail: ok ? undefined : detail })
    return Boolean(ok)
  }
  get failed() {
    return this.items.filter(i => !i.ok)
  }
}

const PR_APPROVAL = {
  protection_rules: [
    {
      id: 1,
      type: 'required_reviewers',
      reviewers: [{ type: 'User', reviewer: { login: 'alice' } }]
    }
  ]
}
const UNPROTECTED = { protection_rules: [] }

function pullRequestEvent(number, sha, repository, extra = {}) {
  return {
    action: 'synchronize',
    number,
    pull_request: { number, head: { sha, ref: 'feature' }, base: { ref: 'main' } },
    repository: { full_name: repository, default_branch: 'main' },
    ...extra
  }
}

function pushEvent(ref, sha, repository) {
  return { ref, after: sha, repository: { full_name: repository, default_branch: 'main' } }
}

/** `name (matrix values)`, how a job reads in the results table. */
export function jobLabel(j) {
  const m = Object.values(j.matrix ?? {})
  return `${j.id}${m.length ? ` (${m.join(', ')})` : ''}`
}

/** The jobs that ran, as labels, in start order. */
const ran = result => result.jobs.map(jobLabel)

/** Checks that `expected` jobs ran, in this order, each starting after the one before ended. */
function checkOrder(f, result, expected) {
  const jobs = result.jobs
  const labels = jobs.map(jobLabel)
  f.check(
    JSON.stringify(labels) === JSON.stringify(expected),
    `jobs ran in order: ${expected.join(' → ')}`,
    `ran: ${labels.join(' → ') || 'none'}`
  )
  const overlaps = jobs
    .slice(1)
    .map((j, i) =>
      j.firstSeq < jobs[i].lastSeq ? `${jobLabel(j)} began before ${jobLabel(jobs[i])} ended` : ''
    )
    .filter(Boolean)
  f.check(
    overlaps.length === 0,
    'each job began after the one before it ended',
    overlaps.join('; ')
  )
}

function job(result, id, matrix) {
  return result.jobs.find(
    j => j.id === id && (matrix === undefined || Object.values(j.matrix).includes(matrix))
  )
}

/** The gate step's verdict output of a job (`gate.verdict`). */
const verdictOf = j => j?.outputs['gate.verdict']

function lineOf(file, text) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const i = lines.findIndex(l => l.includes(text))
  return i < 0 ? undefined : i + 1
}

function stickyComments(state, pr) {
  return state.comments.filter(c => c.issue === pr && c.body.includes('<!-- phase-gate:plan='))
}

/**
 * Checks a record artifact (infra-deploy's phase-gate-record, staged-rollout's
 * phase-gate-rollout-record) holds record.md, record.json and the record gate's report, that
 * record.md is the record the report carries, and that the record job that uploaded it (the
 * `which`-th record job of the run) links it from its summary by the URL its upload step gave.
 * Returns record.md's text.
 */
function checkRecordArtifact(s, result, f, artifact = 'phase-gate-record', which = 0) {
  const files = s.artifactFiles(artifact) ?? {}
  const names = Object.keys(files).sort()
  f.check(
    JSON.stringify(names) === JSON.stringify(['record.json', 'record.md', 'report.json']),
    `the ${artifact} artifact holds record.md, record.json and the report`,
    `it holds: ${names.join(', ') || 'nothing (no artifact)'}`
  )
  const md = files['record.md'] ?? ''
  const report = files['report.json'] ? JSON.parse(files['report.json']) : undefined
  const record = files['record.json'] ? JSON.parse(files['record.json']) : undefined
  f.check(
    md.startsWith('# Deployment record: ') &&
      md === report?.gates?.[0]?.details?.recordMarkdown &&
      record?.runId === report?.runId,
    'its record.md is the record the report carries, record.json the same run',
    `record.md starts ${JSON.stringify(md.slice(0, 80))}; runIds ${record?.runId} / ${report?.runId}`
  )
  // A caller running infra-deploy then staged-rollout has two record jobs, each with its artifact.
  const recordJob = result.jobs.filter(j => j.id === 'record').at(which)
  const url = recordJob?.outputs['artifact.artifact-url'] ?? ''
  const summary = (recordJob?.summaries ?? []).map(x => x.content).join('\n')
  f.check(
    /\/artifacts\/\d+$/.test(url) && summary.includes(`[${artifact}](${url})`),
    `the record job's summary links the ${artifact} artifact (${url})`,
    `artifact-url ${JSON.stringify(url)}; summary ends ${JSON.stringify(summary.slice(-300))}`
  )
  return md
}

// ------------------------------------------------------------------ 1 ----

const webApp = {
  id: 1,
  title: 'infra-deploy: multi-phase plan with tracers',
  example: 'web-app',
  picture: 'infra-deploy',
  repository: 'octo/web-app',
  event: 'pull_request',
  pr: 7,
  setup(s) {
    s.adjust(`namespace web-demo → ${s.namespace} (plan and its command check)`)
    replaceIn(join(s.repo, 'examples/web-app/phase-gate.yaml'), 'web-demo', s.namespace)
  },
  eventPayload: s => pullRequestEvent(7, s.sha, 'octo/web-app'),
  standIn: s => ({
    pulls: { 7: { head: { sha: s.sha, ref: 'feature' }, base: { ref: 'main' } } },
    environments: { 'staging-approval': PR_APPROVAL, staging: UNPROTECTED }
  }),
  async verify(s, result, f) {
    const phases = ['config', 'web', 'route']
    checkOrder(f, result, [
      'reality-check',
      'tracer',
      'plan',
      'approve',
      ...phases.map(p => `phase (${p})`),
      'validate',
      'record'
    ])
    f.check(
      result.jobs.every(j => j.result === 'success'),
      'every job succeeded',
      result.jobs.map(j => `${jobLabel(j)}: ${j.result}`).join(', ')
    )
    f.check(
      ['reality-check', 'tracer', 'plan', 'validate', 'record'].every(id =>
        ['pass', 'warn'].includes(verdictOf(job(result, id)))
      ) && phases.every(p => verdictOf(job(result, 'phase', p)) === 'pass'),
      'every gate gave pass or warn',
      result.jobs.map(j => `${jobLabel(j)}=${verdictOf(j)}`).join(', ')
    )
    // The report artifacts reached the plan and record jobs.
    const plan = s.artifactReport('phase-gate-report-plan', 'plan.json')
    const planGate = plan?.gates.find(g => g.gate === 'plan')
    f.check(
      /from reality-check/i.test(planGate?.details?.planMarkdown ?? '') &&
        /tracer: /.test(planGate?.details?.planMarkdown ?? ''),
      'the plan job read the reality-check and tracer reports (the plan shows their risks)',
      'the plan markdown does not cite them'
    )
    const record = s.artifactReport('phase-gate-record', 'report.json')
    const sources = record?.gates[0]?.details?.record?.sources?.reports ?? []
    const wanted = [
      'reality-check.json',
      'tracer.json',
      'plan.json',
      ...phases.map(p => `phase-${p}.json`),
      'validate.json'
    ]
    f.check(
      wanted.every(w => sources.includes(w)),
      'the record job received every earlier report through the artifacts',
      `record sources: ${sources.join(', ') || 'none'}`
    )
    // The cluster holds the phases' objects at the planned images; the tracers are gone.
    const dep = s.kubectlJson(['get', 'deployment', 'web'])
    const planned = /image:\s*(\S+)/.exec(
      readFileSync(join(s.repo, 'examples/web-app/deploy/10-web.yaml'), 'utf8')
    )[1]
    f.check(
      dep?.spec?.template?.spec?.containers?.[0]?.image === planned &&
        dep?.status?.readyReplicas === dep?.spec?.replicas,
      `Deployment web runs ${planned}, all replicas ready`,
      `image ${dep?.spec?.template?.spec?.containers?.[0]?.image}, ready ${dep?.status?.readyReplicas}/${dep?.spec?.replicas}`
    )
    for (const [kind, name] of [
      ['configmap', 'web-config'],
      ['service', 'web'],
      ['poddisruptionbudget', 'web'],
      ['httproute', 'web']
    ]) {
      const o = s.kubectlJson(['get', kind, name])
      f.check(
        o?.metadata?.labels?.['phase-gate.dev/run'] === s.runId,
        `${kind} ${name} is there, labelled with this run (${s.runId})`,
        o ? `labels ${JSON.stringify(o.metadata.labels)}` : 'missing'
      )
    }
    // The record artifact names what was deployed, and the record job's summary links it.
    const md = checkRecordArtifact(s, result, f)
    const objects = [
      ['config', 'ConfigMap', 'web-config'],
      ['web', 'PodDisruptionBudget', 'web'],
      ['web', 'Service', 'web'],
      ['web', 'Deployment', 'web'],
      ['route', 'HTTPRoute', 'web']
    ]
    const unnamed = objects.filter(([phase, kind, name]) => {
      const section = md.slice(md.indexOf(`### Phase \`${phase}\``))
      const end = section.indexOf('\n### ', 1)
      return !(end < 0 ? section : section.slice(0, end)).includes(
        `| ${kind} ${s.namespace}/${name} |`
      )
    })
    f.check(
      unnamed.length === 0,
      `record.md names every deployed object under its phase (${objects.map(o => `${o[1]}/${o[2]}`).join(', ')})`,
      `missing: ${unnamed.map(o => o.join(' ')).join(', ')}`
    )
    f.check(
      new RegExp(`\`${planned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@sha256:[0-9a-f]{64}\``).test(
        md
      ),
      `record.md names the deployed image ${planned} with its digest`,
      md.slice(md.indexOf('## Components'), md.indexOf('## Components') + 400)
    )
    const tracers = s.kubectlJson([
      'get',
      'pods,configmaps,deployments,services',
      '-l',
      'phase-gate.dev/role=tracer'
    ])
    f.check(
      tracers && tracers.items.length === 0,
      'no tracer object is left',
      tracers?.items.map(o => `${o.kind}/${o.metadata.name}`).join(', ')
    )
    // One sticky comment with the final table.
    const comments = stickyComments(s.standInState(), 7)
    const body = comments[0]?.body ?? ''
    f.check(comments.length === 1, 'one sticky PR comment', `${comments.length} comments`)
    const units = [
      'reality-check',
      'tracer',
      'plan',
      ...phases.map(p => `phase:${p}`),
      'validate',
      'record'
    ]
    f.check(
      units.every(u => body.includes(`\`${u}\``)) && /✅ `record`/.test(body),
      'the comment has every gate, the record last and passed',
      body.split('\n').slice(0, 3).join(' ')
    )
    s.checkSummaries(f, result)
  }
}

// ------------------------------------------------------------------ 2 ----

const CNPG_API = 'postgresql.cnpg.io/v1/Cluster'

const shop = {
  id: 2,
  title: 'reality check fails: an API the cluster does not serve',
  example: 'shop-postgres',
  repository: 'octo/shop',
  event: 'pull_request',
  pr: 8,
  setup(s) {
    s.adjust(`namespace shop → ${s.namespace}`)
    editYaml(join(s.repo, 'examples/shop-postgres/phase-gate.yaml'), d =>
      d.setIn(['target', 'namespace'], s.namespace)
    )
    // The premise: this cluster has no CloudNativePG, so its API is not served.
    const served = s.kubectl(['api-resources', '--api-group=postgresql.cnpg.io', '-o', 'name'])
    if (served.trim())
      throw new Error(
        `the cluster serves postgresql.cnpg.io (${served.trim()}): scenario 2 needs a cluster without CloudNativePG`
      )
  },
  eventPayload: s => pullRequestEvent(8, s.sha, 'octo/shop'),
  standIn: s => ({
    pulls: { 8: { head: { sha: s.sha, ref: 'feature' }, base: { ref: 'main' } } },
    environments: { 'shop-approval': PR_APPROVAL, staging: UNPROTECTED }
  }),
  async verify(s, result, f) {
    checkOrder(f, result, ['reality-check', 'record'])
    f.check(
      job(result, 'reality-check')?.result === 'failure' &&
        verdictOf(job(result, 'reality-check')) === 'fail',
      'the reality check failed (verdict fail)',
      `result ${job(result, 'reality-check')?.result}, verdict ${verdictOf(job(result, 'reality-check'))}`
    )
    f.check(
      ['tracer', 'plan', 'approve', 'phase', 'validate'].every(id => !job(result, id)),
      'the tracer, plan, approve, phase and validate jobs never ran',
      `ran: ${ran(result).join(', ')}`
    )
    const record = s.artifactReport('phase-gate-record', 'report.json')
    const rec = record?.gates[0]
    f.check(
      job(result, 'record')?.result === 'success' &&
        (rec?.details?.record?.sources?.reports ?? []).includes('reality-check.json'),
      'the record job ran, from the reality check report',
      `record job ${job(result, 'record')?.result}, sources ${JSON.stringify(rec?.details?.record?.sources?.reports)}`
    )
    const md = String(rec?.details?.recordMarkdown ?? '')
    f.check(
      /\| Outcome \| ❌ fail \|/.test(md) &&
        /\| State reached \| \*\*not deployed\*\* \|/.test(md) &&
        md.includes(`api:${CNPG_API}`),
      'the record records the failure: outcome fail, not deployed, the unserved API as a known issue',
      md.slice(0, 600)
    )
    const planFile = join(s.repo, 'examples/shop-postgres/phase-gate.yaml')
    const line = lineOf(planFile, CNPG_API)
    const comments = stickyComments(s.standInState(), 8)
    const body = comments[0]?.body ?? ''
    f.check(comments.length === 1, 'one sticky PR comment', `${comments.length} comments`)
    f.check(
      body.includes(CNPG_API) || body.includes('postgresql.cnpg.io'),
      `the comment says why: ${CNPG_API} is not served`,
      body.slice(0, 400)
    )
    f.check(
      body.includes(`examples/shop-postgres/phase-gate.yaml:${line}`),
      `the comment points at the plan's line ${line} (${CNPG_API})`,
      'no link to that line'
    )
    f.check(
      /What to do|install|adjust/i.test(body),
      'the comment says what to change',
      body.slice(0, 400)
    )
    s.checkSummaries(f, result)
  }
}

// ------------------------------------------------------------------ 5 ----

const helm = {
  id: 5,
  title: 'approval environment without required reviewers',
  example: 'helm-service',
  repository: 'octo/greeter',
  event: 'push',
  setup(s) {
    s.adjust(`namespace greeter → ${s.namespace}`)
    editYaml(join(s.repo, 'examples/helm-service/phase-gate.yaml'), d =>
      d.setIn(['target', 'namespace'], s.namespace)
    )
  },
  eventPayload: s => pushEvent('refs/heads/main', s.sha, 'octo/greeter'),
  // The approval environment exists, without protection rules: GitHub would run the approve job unasked.
  standIn: () => ({
    environments: { 'production-approval': UNPROTECTED, production: UNPROTECTED }
  }),
  async verify(s, result, f) {
    checkOrder(f, result, ['reality-check', 'tracer', 'plan', 'record'])
    f.check(
      ['pass', 'warn'].includes(verdictOf(job(result, 'reality-check'))) &&
        ['pass', 'warn'].includes(verdictOf(job(result, 'tracer'))),
      'the reality check and the tracers passed',
      `${verdictOf(job(result, 'reality-check'))}, ${verdictOf(job(result, 'tracer'))}`
    )
    const plan = job(result, 'plan')
    f.check(
      plan?.result === 'failure' && verdictOf(plan) === 'fail',
      'the plan gate failed',
      `result ${plan?.result}, verdict ${verdictOf(plan)}`
    )
    const text = [...(plan?.errors ?? []), ...(plan?.summaries ?? []).map(x => x.content)].join(
      '\n'
    )
    f.check(
      /production-approval/.test(text) && /(required reviewers|wait timer)/i.test(text),
      'the plan gate says the approval environment production-approval has no required reviewers or wait timer',
      text.slice(0, 400)
    )
    const asked = s
      .standInRequests()
      .filter(r => r.method === 'GET' && r.path.endsWith('/environments/production-approval'))
    f.check(asked.length > 0, 'it read the environment from the GitHub API', 'no request for it')
    f.check(
      ['approve', 'phase', 'validate'].every(id => !job(result, id)),
      'nothing after the plan ran but the record',
      `ran: ${ran(result).join(', ')}`
    )
    const releases = s.kubectlJson(['get', 'deployments'])
    f.check(
      releases && releases.items.length === 0,
      'nothing was deployed',
      releases?.items.map(d => d.metadata.name).join(', ')
    )
    s.checkSummaries(f, result)
  }
}

// -------------------------------------------------------------- 3, 4 ----

/** The canary example's stages, with the holds and interval the e2e run uses (seconds, not minutes). */
const STAGES = [
  ['canary', 5],
  ['partial', 25],
  ['majority', 75],
  ['full', 100]
]
const HOLD = '6s'
const INTERVAL_MS = 2000
const CANARY_PLAN = 'examples/canary-rollout/phase-gate.yaml'
const DEPLOY_JOBS = [
  'reality-check',
  'tracer',
  'plan',
  'approve',
  'phase (config)',
  'phase (workloads)',
  'phase (route)',
  'validate',
  'record'
]

function canarySetup(s) {
  s.service = `e2e-checkout-${s.runId}`
  const local = q =>
    q
      .split('app="checkout"')
      .join(`service="${s.service}"`)
      .replace(/\[(1m|5m)\]/g, '[5s]')
  editYaml(join(s.repo, CANARY_PLAN), d => {
    d.setIn(['target', 'namespace'], s.namespace)
    d.setIn(['rollout', 'interval'], `${INTERVAL_MS / 1000}s`)
    STAGES.forEach(([name], i) => {
      if (d.getIn(['rollout', 'stages', i, 'name']) !== name)
        throw new Error(`${CANARY_PLAN}: stage ${i} is not ${name}`)
      d.setIn(['rollout', 'stages', i, 'hold'], name === 'full' ? '0s' : HOLD)
    })
    d.setIn(['rollout', 'metrics', 'prometheus'], s.state.urls.prometheus)
    for (const k of ['requests', 'errorRate', 'latencyP99'])
      d.setIn(['rollout', 'metrics', k], local(String(d.getIn(['rollout', 'metrics', k]))))
    const q = ['validation', 'checks', 0, 'metric', 'query']
    d.setIn(q, local(String(d.getIn(q))))
    const triggers = d.getIn(['rollout', 'rollbackIf']).items
    const noData = triggers.findIndex(t => t.get('noDataFor') !== undefined)
    d.setIn(['rollout', 'rollbackIf', noData, 'noDataFor'], '20s')
  })
  s.adjust(`namespace checkout → ${s.namespace}`)
  s.adjust(
    `rollout: interval 30s → ${INTERVAL_MS / 1000}s, holds 10m/30m/30m/0s → ${HOLD}/${HOLD}/${HOLD}/0s, noDataFor 5m → 20s`
  )
  s.adjust(
    `metrics: Prometheus ${s.state.urls.prometheus} (not the in-cluster service proxy), app="checkout" → service="${s.service}" (the test exporter's label), windows [1m]/[5m] → [5s]`
  )
}

const canaryStandIn = (s, pr) => ({
  pulls: pr ? { [pr]: { head: { sha: s.sha, ref: 'release' }, base: { ref: 'main' } } } : {},
  environments: {
    'production-approval': PR_APPROVAL,
    production: UNPROTECTED,
    ...Object.fromEntries(STAGES.map(([n]) => [`rollout-${n}`, UNPROTECTED]))
  }
})

/** Starts the data plane in front of the example's route; returns the scenario's hooks. */
async function startTraffic(s, onSplit) {
  const kube = {
    server: s.state.urls.apiserver,
    ca: s.state.caFile,
    cert: s.state.clientCert.cert,
    key: s.state.clientCert.key
  }
  s.dataPlane = await startDataPlane({
    kube,
    namespace: s.namespace,
    route: 'checkout',
    exporter: s.state.urls.exporter,
    service: s.service,
    rps: 40,
    log: line => s.log(`data plane: ${line}`)
  })
  if (onSplit) s.dataPlane.onSplit(onSplit)
  return { after: () => s.dataPlane.stop() }
}

/** A stage's JSON report, from the artifact its job uploaded. */
const stageReport = (s, stage) =>
  s.artifactReport(`phase-gate-report-rollout-${stage}`)?.gates.find(g => g.gate === 'rollout')

/** The canary's and the stable backend's weights in the route now. */
function routeWeights(s) {
  const route = s.kubectlJson(['get', 'httproute', 'checkout'])
  const refs = route?.spec?.rules?.flatMap(r => r.backendRefs ?? []) ?? []
  return Object.fromEntries(refs.map(b => [b.name, b.weight]))
}

/** The canary's share of what the data plane served in [from, to). */
function canaryShare(s, from, to) {
  const c = s.dataPlane.served('canary', from, to).total
  const t = s.dataPlane.served('stable', from, to).total
  return c + t ? c / (c + t) : NaN
}

/** Lets the data plane run a moment at the final split before it is judged. */
const settle = () => new Promise(r => setTimeout(r, 2000))

function numbers(report, metric) {
  const m = report?.checks.find(c => c.kind === 'metric' && c.data?.metric === metric)
  return m?.data
}

const healthyCanary = {
  id: 3,
  title: 'staged rollout, healthy canary: every stage promoted',
  example: 'canary-rollout',
  repository: 'octo/checkout',
  event: 'push',
  setup: canarySetup,
  eventPayload: s => pushEvent('refs/tags/checkout-v2.0', s.sha, 'octo/checkout'),
  standIn: s => canaryStandIn(s),
  before: s => startTraffic(s),
  async verify(s, result, f) {
    await settle()
    checkOrder(f, result, [...DEPLOY_JOBS, ...STAGES.map(([n]) => `stage (${n})`), 'record'])
    f.check(
      result.jobs.every(j => j.result === 'success'),
      'every job succeeded',
      result.jobs.map(j => `${jobLabel(j)}: ${j.result}`).join(', ')
    )
    f.check(!job(result, 'rollback'), 'the rollback job did not run', 'it ran')
    const history = s.dataPlane.history()
    for (const [i, [name, weight]] of STAGES.entries()) {
      const r = stageReport(s, name)
      f.check(
        r?.verdict === 'pass' && r.details?.weight === weight,
        `stage ${name} promoted at ${weight}%`,
        `verdict ${r?.verdict}, weight ${r?.details?.weight}`
      )
      // What Prometheus saw during the hold, and what the data plane sent, follow the weight.
      const seen = history.find(h => h.canary === weight)
      const next = history.find(h => h.at > (seen?.at ?? Infinity) && h.canary !== weight)
      const share = seen ? canaryShare(s, seen.at + 500, next?.at ?? Date.now()) : NaN
      f.check(
        Math.abs(share * 100 - weight) <= Math.max(2, weight * 0.15),
        `at stage ${name} the data plane sent the canary ${weight}% of the traffic`,
        `share ${(share * 100).toFixed(1)}% (split history ${JSON.stringify(history.map(h => [h.stable, h.canary]))})`
      )
      if (name !== 'full') {
        const req = numbers(r, 'requests')
        f.check(
          req?.withData > 0 && req.max > 0,
          `Prometheus saw canary traffic during the ${name} hold (requests up to ${req?.max?.toFixed?.(2)}/s)`,
          JSON.stringify(req)
        )
      }
      if (i > 0 && name !== 'full') {
        const before = numbers(stageReport(s, STAGES[i - 1][0]), 'requests')
        const now = numbers(r, 'requests')
        f.check(
          now?.max > before?.max,
          `canary requests rose from stage ${STAGES[i - 1][0]} to ${name}`,
          `${before?.max} → ${now?.max}`
        )
      }
    }
    const w = routeWeights(s)
    f.check(
      w['checkout-canary'] === 100 &&
        Object.entries(w).every(([n, v]) => n === 'checkout-canary' || v === 0),
      'final weights: canary 100, stable 0',
      JSON.stringify(w)
    )
    const full = history.find(h => h.canary === 100)
    f.check(
      full &&
        s.dataPlane.served('stable', full.at + 500).total === 0 &&
        s.dataPlane.served('canary', full.at + 500).total > 0,
      'after the full stage the canary serves all traffic',
      JSON.stringify({
        stable: s.dataPlane.served('stable', (full?.at ?? 0) + 500),
        canary: s.dataPlane.served('canary', (full?.at ?? 0) + 500)
      })
    )
    // The state record in the cluster lists each stage with its numbers.
    const secret = s.kubectlJson(['get', 'secret', `phase-gate-checkout-${s.runId}`])
    for (const [name, weight] of STAGES) {
      const raw = secret?.data?.[`rollout.${name}.json`]
      const rec = raw ? JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) : undefined
      const samples = rec?.details?.samples ?? []
      f.check(
        rec?.verdict === 'pass' &&
          rec.weight === weight &&
          (name === 'full' || samples.some(x => typeof x.metrics?.errorRate?.canary === 'number')),
        `the state record lists stage ${name}: ${weight}%, pass${name === 'full' ? '' : `, ${samples.length} samples with their numbers`}`,
        JSON.stringify(rec)?.slice(0, 300)
      )
    }
    const index = s.kubectlJson(['get', 'configmap', 'phase-gate-checkout'])
    f.check(
      /"state":\s*"active"/.test(JSON.stringify(index?.data ?? {})) ||
        JSON.stringify(index?.data ?? {}).includes('active'),
      'the deployment state is active',
      JSON.stringify(index?.data)?.slice(0, 300)
    )
    s.checkSummaries(f, result)
  }
}

const ERROR_RATE = 0.5
/** From a backend's answer to Prometheus: the data plane's 200 ms batches, the 1 s scrape, slack. */
const PIPELINE_MS = 1700

/** How often the suite asks Prometheus whether the rise shows (the gate may see it first, by this much). */
const POLL_MS = 250

/**
 * Polls the plan's errorRate query for the canary until it is above
 * `threshold` (0: the first error a trigger could see); returns when.
 */
async function visibleInPrometheus(s, threshold, signal) {
  const plan = readFileSync(join(s.repo, CANARY_PLAN), 'utf8')
  const query = /errorRate: '([^']+)'/.exec(plan)[1].split('{{track}}').join('canary')
  while (!signal.aborted) {
    try {
      const url = `${s.state.urls.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`
      const r = await (await fetch(url)).json()
      const v = Number(r.data?.result?.[0]?.value?.[1])
      if (v > threshold) return Date.now()
    } catch {
      /* Prometheus busy: ask again */
    }
    await new Promise(r => setTimeout(r, POLL_MS / 2))
  }
  return undefined
}

const faultyCanary = {
  id: 4,
  title: 'staged rollout, the canary fails at the second stage: trigger and rollback',
  example: 'canary-rollout',
  picture: 'canary-rollback',
  pictureJobs: j => j.workflow === 'phase-gate staged-rollout' && j.summaries.length > 0,
  // The stages whole (the trigger, the move back to 0 %, the flag rollback); the record's head.
  pictureBox: j => (j.id === 'stage' ? Infinity : 1400),
  repository: 'octo/checkout',
  event: 'pull_request',
  pr: 9,
  setup: canarySetup,
  eventPayload: s =>
    pullRequestEvent(9, s.sha, 'octo/checkout', { action: 'labeled', label: { name: 'release' } }),
  standIn: s => canaryStandIn(s, 9),
  async before(s) {
    const watching = new AbortController()
    s.fault = {}
    const hooks = await startTraffic(s, split => {
      // The canary's error rate rises when it takes the second stage's share.
      if (split.canary !== STAGES[1][1] || s.fault.riseAt) return
      s.dataPlane.setTrack('canary', { errorRate: ERROR_RATE })
      s.fault.riseAt = Date.now()
      visibleInPrometheus(s, 0, watching.signal).then(at => (s.fault.visibleAt = at))
    })
    return {
      after: async () => {
        watching.abort()
        await hooks.after()
      }
    }
  },
  async verify(s, result, f) {
    await settle()
    checkOrder(f, result, [...DEPLOY_JOBS, ...STAGES.map(([n]) => `stage (${n})`), 'record'])
    const [canary, partial, majority, full] = STAGES.map(([n]) => job(result, 'stage', n))
    f.check(
      canary?.result === 'success' && verdictOf(canary) === 'pass',
      'stage canary (5%) passed',
      `${canary?.result} ${verdictOf(canary)}`
    )
    f.check(
      partial?.result === 'failure' && verdictOf(partial) === 'fail',
      'stage partial (25%) failed',
      `${partial?.result} ${verdictOf(partial)}`
    )
    f.check(
      [majority, full].every(
        j => j && !verdictOf(j) && j.errors.some(e => e.startsWith('cancelled:'))
      ),
      'stages majority and full were cancelled (fail-fast) before their gate ran',
      [majority, full].map(j => `${jobLabel(j ?? {})}: ${j?.errors.join('; ')}`).join(' | ')
    )
    const r = stageReport(s, 'partial')
    const trigger = r?.checks.find(c => c.kind === 'trigger' && c.verdict === 'fail')
    const t = r?.details?.trigger
    f.check(
      trigger?.data?.metric === 'errorRate' && Array.isArray(t?.samples),
      `the errorRate trigger fired: ${trigger?.message}`,
      JSON.stringify(trigger ?? r?.checks.map(c => c.id))
    )
    const firedAt = Date.parse(t?.at)
    const { riseAt, visibleAt } = s.fault
    const fmt = ms => `${(ms / 1000).toFixed(2)}s`
    s.fault.timing = `rise ${new Date(riseAt).toISOString()}, in Prometheus +${fmt(visibleAt - riseAt)}, trigger +${fmt(firedAt - riseAt)} (interval ${fmt(INTERVAL_MS)})`
    // The gate judges what Prometheus holds: from the moment the rise is there to read, the next
    // evaluation (at most one interval later) must fire; from the backend's change, add the
    // pipeline (a batch to the exporter, a 1 s scrape).
    f.check(
      riseAt &&
        visibleAt &&
        firedAt >= visibleAt - POLL_MS &&
        firedAt - visibleAt <= INTERVAL_MS + 500,
      `the trigger fired within one evaluation interval of the rise showing in Prometheus (${s.fault.timing})`,
      `riseAt ${riseAt}, visibleAt ${visibleAt}, firedAt ${firedAt}`
    )
    f.check(
      firedAt - riseAt <= INTERVAL_MS + PIPELINE_MS,
      `and within the interval plus the scrape pipeline (${fmt(INTERVAL_MS + PIPELINE_MS)}) of the backend's change`,
      s.fault.timing
    )
    const zero = r?.checks.find(c => c.kind === 'rollback' && c.target === 'partial:0%')
    f.check(
      zero?.verdict === 'pass',
      `the canary went back to 0%: ${zero?.message}`,
      JSON.stringify(zero)
    )
    const flag = r?.checks.find(c => c.kind === 'rollback' && c.target === 'flag')
    const flags = s.kubectlJson(['get', 'configmap', 'checkout-flags'])
    f.check(
      ['pass', 'warn'].includes(flag?.verdict) &&
        /read back/.test(flag?.message ?? '') &&
        flags?.data?.NEW_PRICING === 'false',
      `the flag rollback level ran and was verified: ${flag?.message}`,
      `${JSON.stringify(flag)}; NEW_PRICING=${flags?.data?.NEW_PRICING}`
    )
    const w = routeWeights(s)
    f.check(
      w.checkout === 100 && w['checkout-canary'] === 0,
      'the route sends stable 100, canary 0',
      JSON.stringify(w)
    )
    const back = Date.parse(t?.rolledBackAt) + 500
    const after = {
      stable: s.dataPlane.served('stable', back),
      canary: s.dataPlane.served('canary', back)
    }
    f.check(
      after.canary.total === 0 && after.stable.total > 0 && after.stable.errors === 0,
      `the stable track serves 100% after the rollback (${after.stable.total} requests, none to the canary)`,
      JSON.stringify(after)
    )
    const during = s.dataPlane.served('canary', riseAt, back)
    f.check(
      during.total > 0 && during.errors / during.total >= ERROR_RATE - 0.1,
      `the canary failed ${during.errors} of ${during.total} requests at 25% before the rollback`,
      JSON.stringify(during)
    )
    // The record (the staged-rollout's record job) and the PR comment show the numbers.
    const reading = /errorRate = [\d.]+ \(baseline [\d.]+\)/.exec(trigger?.message ?? '')?.[0]
    // The deployment's record (infra-deploy's record job) is kept beside the rollout's: each
    // workflow uploads its own artifact, each linked from its own record job's summary.
    checkRecordArtifact(s, result, f, 'phase-gate-record', 0)
    // The rollout's record.md (the report's recordMarkdown, checked equal), linked from its summary.
    const md = checkRecordArtifact(s, result, f, 'phase-gate-rollout-record', -1)
    const incident = md.slice(md.indexOf('## Incident'))
    f.check(
      reading &&
        md.includes('## Incident') &&
        incident.includes(reading) &&
        /traffic=yes requests=[\d.]+ \(stable [\d.]+\), errorRate=[\d.]+/.test(incident) &&
        /\| State reached \| \*\*previous stable/.test(md),
      `record.md in the artifact has the incident with its numbers (${reading}, the samples) and the state previous stable`,
      md.slice(0, 500)
    )
    const comments = stickyComments(s.standInState(), 9)
    const body = comments[0]?.body ?? ''
    f.check(comments.length === 1, 'one sticky PR comment', `${comments.length} comments`)
    f.check(
      reading &&
        body.includes('trigger:partial:errorRate') &&
        body.includes(reading) &&
        /❌ `rollout:partial`/.test(body),
      `the comment shows the failed stage with its numbers (${reading})`,
      body.slice(0, 600)
    )
    s.checkSummaries(f, result)
  }
}

// -------------------------------------------------------------- 6, 7 ----

/**
 * The fleet example's contexts (as its plan names them) → the local fleet's
 * members: the FLEET_KUBECONFIG secret holds one context per cluster under the
 * plan's names, each the member's own apiserver and credentials.
 */
export const FLEET_ALIASES = {
  'prod-eu-1': 'phase-gate-fleet-1',
  'prod-eu-2': 'phase-gate-fleet-2',
  'prod-us-1': 'phase-gate-fleet-3'
}
const FLEET_PLAN = 'examples/fleet/phase-gate.yaml'
/** The plan's clusters by wave, and each cluster's member context. */
const FLEET_WAVES = [
  ['canary', ['eu-1']],
  ['main', ['eu-2', 'us-1']]
]
const MEMBER = {
  'eu-1': FLEET_ALIASES['prod-eu-1'],
  'eu-2': FLEET_ALIASES['prod-eu-2'],
  'us-1': FLEET_ALIASES['prod-us-1']
}
const FLEET_PR = { 6: 10, 7: 11 }
/** Wave 1's soak in the e2e run (the example says ten minutes). */
const FLEET_SOAK = '4s'

function fleetSetup(s) {
  s.adjust(`namespace shop → ${s.namespace} (on every cluster of the fleet)`)
  s.adjust(
    `contexts prod-eu-1, prod-eu-2, prod-us-1 → the local fleet's ${Object.values(FLEET_ALIASES).join(', ')} (in the FLEET_KUBECONFIG secret, under the plan's names)`
  )
  editYaml(join(s.repo, FLEET_PLAN), d => {
    d.setIn(['target', 'namespace'], s.namespace)
    if (d.getIn(['fleet', 'waves', 0, 'name']) !== 'canary')
      throw new Error(`${FLEET_PLAN}: wave 1 is not canary`)
    d.setIn(['fleet', 'waves', 0, 'soak'], FLEET_SOAK)
  })
  s.adjust(`wave canary: soak 10m → ${FLEET_SOAK}`)
  s.planned = /image:\s*(\S+)/.exec(
    readFileSync(join(s.repo, 'examples/fleet/deploy/app.yaml'), 'utf8')
  )[1]
}

const fleetStandIn = id => s => ({
  pulls: { [FLEET_PR[id]]: { head: { sha: s.sha, ref: 'feature' }, base: { ref: 'main' } } },
  environments: { 'fleet-canary': PR_APPROVAL, 'fleet-main': PR_APPROVAL },
  // Who approved each wave's environment in this run (GitHub's run approvals).
  runApprovals: {
    [s.runId]: [
      { state: 'approved', environments: [{ name: 'fleet-canary' }], user: { login: 'alice' } },
      { state: 'approved', environments: [{ name: 'fleet-main' }], user: { login: 'bob' } }
    ]
  }
})

/** A deploy leg's fleet report (its artifact phase-gate-fleet-report-wave-K-deploy-CLUSTER). */
const deployReport = (s, k, cluster) =>
  s.artifactReport(`phase-gate-fleet-report-wave-${k}-deploy-${cluster}`)

/** The image of Deployment shop on a fleet member (undefined: no such Deployment). */
function shopImage(s, cluster) {
  const d = s.kubectlJson(['get', 'deployment', 'shop'], MEMBER[cluster])
  return d && { image: d.spec?.template?.spec?.containers?.[0]?.image, deployment: d }
}

/** The record job's summary, the fleet record artifact's report and the sticky comment. */
function fleetRecord(s, result, f, pr) {
  const rec = job(result, 'record')
  const summary = (rec?.summaries ?? []).map(x => x.content).join('\n')
  const report = s.artifactReport('phase-gate-fleet-record')
  const comments = s.standInState().comments.filter(c => c.issue === pr)
  f.check(comments.length === 1, `one sticky PR comment on #${pr}`, `${comments.length} comments`)
  return { rec, summary, report, body: comments[0]?.body ?? '' }
}

/**
 * The cluster × wave table of a record (summary or comment): for each cluster
 * row, the waves (header cells) whose cell is not empty (`·`).
 */
export function clusterWaveTable(text) {
  const lines = text.split('\n').map(l => l.trim())
  const head = lines.findIndex(l => /^\| cluster \|/.test(l))
  if (head < 0) return {}
  const cells = l =>
    l
      .replace(/^\||\|$/g, '')
      .split('|')
      .map(c => c.trim())
  const waves = cells(lines[head]).slice(1)
  const out = {}
  for (const l of lines.slice(head + 2)) {
    if (!l.startsWith('|')) break
    const [cluster, ...row] = cells(l)
    out[cluster] = waves.filter((w, i) => row[i] && row[i] !== '·')
  }
  return out
}

/** Whether a record table puts each cluster in its wave, and only there. */
function tableMatchesWaves(table) {
  return FLEET_WAVES.every(([w, cs]) =>
    cs.every(c => (table[c] ?? []).length === 1 && table[c][0].endsWith(w))
  )
}

/**
 * The plan job's summaries: the waves with their approval environments, and
 * every cluster's reality check (one summary per wave's evidence step).
 * Returns the text.
 */
function checkPlanEvidence(s, result, f) {
  const text = (job(result, 'plan')?.summaries ?? []).map(x => x.content).join('\n')
  f.check(
    /\| 1 \| canary \| eu-1 [^\n]*\| `fleet-canary` \|/.test(text) &&
      /\| 2 \| main \| eu-2 [^\n]*us-1[^\n]*\| 2 \| [^\n]*\| `fleet-main` \|/.test(text),
    "the plan job's summary lists the waves, their clusters, maxParallel and approval environments",
    text.slice(0, 600)
  )
  const rc = Object.fromEntries(
    [...text.matchAll(/^\| (eu-1|eu-2|us-1) \| (canary|main) \| prod-[\w-]+ \| (\w+) \|/gm)].map(
      m => [m[1], m[3]]
    )
  )
  f.check(
    ['eu-1', 'eu-2', 'us-1'].every(c => rc[c]),
    `and every cluster's reality check, before any approval (${Object.entries(rc)
      .map(([c, v]) => `${c} ${v}`)
      .join(', ')})`,
    text.slice(0, 900)
  )
  return rc
}

const fleetRelease = {
  id: 6,
  fleet: true,
  title: 'fleet-deploy: a two-wave release reaches all three clusters',
  example: 'fleet',
  repository: 'octo/shop-fleet',
  event: 'pull_request',
  pr: FLEET_PR[6],
  setup: fleetSetup,
  eventPayload: s => pullRequestEvent(FLEET_PR[6], s.sha, 'octo/shop-fleet'),
  standIn: fleetStandIn(6),
  async verify(s, result, f) {
    checkOrder(f, result, [
      'plan',
      'wave-1-check',
      'wave-1-approve',
      'wave-1-deploy (eu-1)',
      'wave-1-soak',
      'wave-2-check',
      'wave-2-approve',
      // act runs the legs one at a time (it does not evaluate max-parallel's expression), in matrix order.
      'wave-2-deploy (eu-2)',
      'wave-2-deploy (us-1)',
      'record'
    ])
    f.check(
      result.code === 0 && result.jobs.every(j => j.result === 'success'),
      'every job succeeded (act exit 0)',
      `act ${result.code}; ${result.jobs.map(j => `${jobLabel(j)}: ${j.result}`).join(', ')}`
    )
    f.check(
      !job(result, 'halt') && !result.jobs.some(j => /^wave-[3-8]-/.test(j.id)),
      'no halt, and no job of a wave the plan does not have',
      `ran: ${ran(result).join(', ')}`
    )
    checkPlanEvidence(s, result, f)
    // Wave 1's soak sampled eu-1 before wave 2 could begin.
    const soak = job(result, 'wave-1-soak')
    const soaked = s.artifactReport('phase-gate-fleet-report-wave-1-soak')
    const notes = JSON.stringify(soaked?.waves ?? soaked)
    f.check(
      soak?.result === 'success' &&
        verdictOf(soak) === 'pass' &&
        new RegExp(`soak ${FLEET_SOAK}: \\d+ samples? of each cluster, all passed`).test(notes),
      `wave 1's soak job sampled eu-1 for ${FLEET_SOAK}, all passed`,
      `${soak?.result} ${verdictOf(soak)}: ${notes?.slice(0, 400)}`
    )
    // Wave 2 began only after wave 1's validate (the reports' timestamps, then act's job times).
    const w1 = deployReport(s, 1, 'eu-1')?.clusters?.['eu-1']
    const v1 = w1?.gates?.find(g => g.gate === 'validate')
    const v1End = v1 ? Date.parse(v1.startedAt) + v1.durationMs : NaN
    for (const c of FLEET_WAVES[1][1]) {
      const first = deployReport(s, 2, c)?.clusters?.[c]?.gates?.[0]
      f.check(
        first && Date.parse(first.startedAt) >= v1End,
        `wave 2's deploy on ${c} began (${first?.gate} at ${first?.startedAt}) after wave 1's validate on eu-1 ended (${Number.isNaN(v1End) ? '?' : new Date(v1End).toISOString()})`,
        JSON.stringify({ first, v1 })
      )
    }
    const d1 = job(result, 'wave-1-deploy', 'eu-1')
    const w2 = FLEET_WAVES[1][1].map(c => job(result, 'wave-2-deploy', c))
    f.check(
      d1 && w2.every(j => j && j.startedAt >= d1.endedAt),
      "and act started wave 2's deploy jobs after wave 1's ended",
      JSON.stringify({ d1: d1?.endedAt, w2: w2.map(j => j?.startedAt) })
    )
    // Each cluster runs the planned image, every replica ready, applied by this run.
    for (const [, clusters] of FLEET_WAVES)
      for (const c of clusters) {
        const got = shopImage(s, c)
        const d = got?.deployment
        f.check(
          got?.image === s.planned &&
            d.status?.readyReplicas === d.spec?.replicas &&
            d.metadata?.labels?.['phase-gate.dev/run'] === s.runId,
          `${c} (${MEMBER[c]}) runs ${s.planned}, all replicas ready, labelled with run ${s.runId}`,
          got
            ? `image ${got.image}, ready ${d.status?.readyReplicas}/${d.spec?.replicas}, run ${d.metadata?.labels?.['phase-gate.dev/run']}`
            : 'no Deployment shop'
        )
      }
    // The fleet record: the record job's summary and the sticky comment, a row per cluster and wave.
    const { rec, summary, report, body } = fleetRecord(s, result, f, FLEET_PR[6])
    f.check(
      rec?.result === 'success' && ['pass', 'warn'].includes(verdictOf(rec)),
      `the record job passed (verdict ${verdictOf(rec)})`,
      `${rec?.result} ${verdictOf(rec)}`
    )
    for (const [where, text] of [
      ['the record job summary', summary],
      ['the PR comment', body]
    ]) {
      const table = clusterWaveTable(text)
      f.check(
        tableMatchesWaves(table),
        `${where} has the cluster × wave table (eu-1 in canary, eu-2 and us-1 in main)`,
        `${JSON.stringify(table)}: ${text.slice(0, 600)}`
      )
      f.check(
        /\| canary \|[^\n]*\| alice \(fleet-canary\) \|/.test(text) &&
          /\| main \|[^\n]*\| bob \(fleet-main\) \|/.test(text),
        `${where} names each wave's approver (alice for canary, bob for main, from the run's approvals)`,
        text.slice(0, 900)
      )
    }
    f.check(
      report && ['pass', 'warn'].includes(report.verdict),
      `the phase-gate-fleet-record artifact holds the fleet record (verdict ${report?.verdict})`,
      JSON.stringify(report)?.slice(0, 300)
    )
    s.checkSummaries(f, result)
  }
}

const fleetHalt = {
  id: 7,
  fleet: true,
  title:
    "fleet-deploy: wave 2's reality check fails on us-1 (ResourceQuota): halt, wave 1 rolled back",
  example: 'fleet',
  repository: 'octo/shop-fleet',
  event: 'pull_request',
  pr: FLEET_PR[7],
  setup(s) {
    fleetSetup(s)
    // eu-1 runs the previous release (created by kubectl), so the rollback has a state to return to.
    s.adjust('phase app: forceConflicts: true (eu-1 runs the previous release, created by kubectl)')
    editYaml(join(s.repo, FLEET_PLAN), d => d.setIn(['phases', 0, 'forceConflicts'], true))
  },
  eventPayload: s => pullRequestEvent(FLEET_PR[7], s.sha, 'octo/shop-fleet'),
  standIn: fleetStandIn(7),
  before(s) {
    s.previous = s.planned.replace(/:[^:/]+$/, ':1.0')
    const old = readFileSync(join(s.repo, 'examples/fleet/deploy/app.yaml'), 'utf8')
      .split(s.planned)
      .join(s.previous)
    const made = s.kubectlAt(MEMBER['eu-1'], ['create', '-f', '-'], old)
    if (made.code !== 0)
      throw new Error(`cannot create the previous release on eu-1: ${made.stderr}`)
    // us-1's namespace may run 50m of CPU: the release asks for 2 × 100m.
    const quota = s.kubectlAt(
      MEMBER['us-1'],
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'small' },
        spec: { hard: { cpu: '50m', memory: '1Gi' } }
      })
    )
    if (quota.code !== 0) throw new Error(`cannot create the quota on us-1: ${quota.stderr}`)
    s.adjust(
      `before the run: eu-1 runs Deployment shop at ${s.previous} (kubectl create); us-1's namespace has ResourceQuota small (cpu 50m)`
    )
  },
  async verify(s, result, f) {
    checkOrder(f, result, [
      'plan',
      'wave-1-check',
      'wave-1-approve',
      'wave-1-deploy (eu-1)',
      'wave-1-soak',
      'wave-2-check',
      'halt',
      'record'
    ])
    f.check(result.code !== 0, `the run failed (act exit ${result.code})`, 'act exited 0')
    const evidence = checkPlanEvidence(s, result, f)
    f.check(
      evidence['us-1'] === 'fail',
      "the plan job's evidence already showed us-1's reality check failing",
      JSON.stringify(evidence)
    )
    const check2 = job(result, 'wave-2-check')
    f.check(
      check2?.result === 'failure' && verdictOf(check2) === 'fail',
      "wave 2's reality check failed",
      `${check2?.result} ${verdictOf(check2)}`
    )
    const r2 = s.artifactReport('phase-gate-fleet-report-wave-2-check')
    const rc = r2?.clusters?.['us-1']?.gates?.find(g => g.gate === 'reality-check')
    const failedChecks = (rc?.checks ?? []).filter(c => c.verdict === 'fail')
    f.check(
      rc?.verdict === 'fail' && failedChecks.some(c => /quota/i.test(c.id) && /small/.test(c.id)),
      `on us-1, by the quota check (${failedChecks.map(c => c.id).join(', ')})`,
      JSON.stringify(rc)?.slice(0, 400)
    )
    f.check(
      ['wave-2-approve', 'wave-2-deploy'].every(id => !job(result, id)),
      "wave 2's approval and deploy jobs never ran",
      `ran: ${ran(result).join(', ')}`
    )
    for (const c of FLEET_WAVES[1][1])
      f.check(
        !shopImage(s, c),
        `nothing of wave 2 on ${c} (no Deployment shop)`,
        JSON.stringify(shopImage(s, c)?.image)
      )
    const halt = job(result, 'halt')
    const hr = s.artifactReport('phase-gate-fleet-report-halt')
    const rb = hr?.clusters?.['eu-1']?.rollback ?? []
    f.check(
      halt?.result === 'success' && rb.length > 0 && rb.every(g => g.verdict === 'pass'),
      `the halt job rolled back eu-1, verified (${rb.map(g => `${g.gate} ${g.verdict}`).join(', ')})`,
      `${halt?.result}; ${JSON.stringify(hr?.clusters?.['eu-1'])?.slice(0, 400)}`
    )
    const back = shopImage(s, 'eu-1')
    f.check(
      back?.image === s.previous,
      `eu-1 runs the previous release again (${s.previous})`,
      `image ${back?.image}`
    )
    const { rec, summary, body } = fleetRecord(s, result, f, FLEET_PR[7])
    f.check(
      rec?.result === 'failure' && verdictOf(rec) === 'fail',
      'the record job ran and gives the fleet verdict fail',
      `${rec?.result} ${verdictOf(rec)}`
    )
    const check = failedChecks[0]?.id ?? 'quota'
    for (const [where, text] of [
      ['the record job summary', summary],
      ['the PR comment', body]
    ])
      f.check(
        text.includes('us-1') && text.includes(check) && /rolled back|rollback/i.test(text),
        `${where} names us-1, the check ${check} and the rollback`,
        text.slice(0, 700)
      )
    s.checkSummaries(f, result)
  }
}

export const SCENARIOS = [webApp, shop, healthyCanary, faultyCanary, helm, fleetRelease, fleetHalt]
