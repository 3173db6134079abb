// What an e2e run needs on disk, under .e2e/ (git-ignored):
//
//   phase-gate/         the action as users get it at phase-gate/phase-gate@v1:
//                       action.yml, the reusable workflows, and dist/ bundled
//                       from the current sources (the runner shim in front)
//   stand-ins/<name>/   the local stand-ins of the remote actions
//   runs/<scenario>/    per scenario: the caller's repository (a git clone of
//                       the example, with its workflow in .github/workflows),
//                       the local git server it is checked out from, the
//                       artifact store, act's cache, secrets, event, logs
//
// The act flags that map every `uses:` to these folders are derived from the
// workflows themselves, so a pinned SHA that changes is followed, and an
// action without a stand-in is an error before anything runs.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, parseDocument, stringify } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The reference users write for the action and the reusable workflows' repository. */
export const ACTION_REPOSITORY = 'phase-gate/phase-gate'
export const ACTION_REF = 'v1'
const STAND_INS = join(ROOT, '__tests__', 'e2e', 'actions')

/**
 * Where act and GitHub differ in a way the reusable workflows meet, the e2e
 * copy of a workflow gets the smallest edit that gives act GitHub's outcome.
 * Each edit must find its text (a workflow that changed fails loudly).
 */
export const ACT_COMPAT = [
  {
    file: '.github/workflows/infra-deploy.yml',
    from: '${{ fromJSON(needs.plan.outputs.phases) }}',
    to: "${{ fromJSON(needs.plan.result == 'success' && needs.plan.outputs.phases || '[]') }}",
    why: "act expands a job's matrix before it evaluates the job's `if`, and exits (log.Fatal) when the expansion fails because the plan job did not succeed (a skipped job's outputs are left as unevaluated `${{ }}` text); GitHub skips the phase job first and never expands its matrix, so the fallback is never reached there"
  },
  {
    file: '.github/workflows/fleet-deploy.yml',
    from: '${{ fromJSON(needs.plan.outputs.wave-',
    to: "${{ fromJSON(needs.plan.result != 'success' && '[]' || needs.plan.outputs.wave-",
    why: "the same for every wave's deploy matrix (and its max-parallel, which act does not evaluate: it runs the legs one at a time): act expands the matrix before the job's `if`; GitHub skips the job first"
  }
]

/**
 * The action's repository at its release ref: action.yml, the reusable
 * workflows (with the ACT_COMPAT edits) and a dist/ bundled from the sources
 * now (or a given bundle), whose entry is the runner shim in front of the
 * real bundle.
 */
export function buildActionRepository(dir, { dist } = {}) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true })
  cpSync(join(ROOT, 'action.yml'), join(dir, 'action.yml'))
  for (const f of readdirSync(join(ROOT, '.github', 'workflows')))
    if (f.endsWith('.yml'))
      cpSync(join(ROOT, '.github', 'workflows', f), join(dir, '.github', 'workflows', f))
  for (const c of ACT_COMPAT) replaceIn(join(dir, c.file), c.from, c.to)
  const out = join(dir, 'dist')
  if (dist) cpSync(dist, out, { recursive: true })
  else
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit']
    })
  if (!existsSync(join(out, 'index.js'))) throw new Error(`${out} has no index.js: not a bundle`)
  // The real entry becomes phase-gate.js (its chunks load relative to it); the shim takes index.js.
  cpSync(join(out, 'index.js'), join(out, 'phase-gate.js'))
  cpSync(join(ROOT, '__tests__', 'e2e', 'runner-shim.mjs'), join(out, 'index.js'))
  return dir
}

/**
 * The fleet control run's edit: a fleet-deploy.yml whose halt job never runs
 * (a release that stops at a failed wave and leaves what it reached).
 */
export const FLEET_NO_HALT = {
  file: '.github/workflows/fleet-deploy.yml',
  from: "    if: ${{ always() && needs.plan.result == 'success' && contains(needs.*.result, 'failure') }}",
  to: '    if: false'
}

/** A copy of a laid-out action repository (same bundle) with `edits` to its files. */
export function copyActionRepository(from, dir, edits = []) {
  rmSync(dir, { recursive: true, force: true })
  cpSync(from, dir, { recursive: true })
  for (const e of edits) replaceIn(join(dir, e.file), e.from, e.to)
  return dir
}

/** Local stand-ins by the repository they stand in for. */
export const STAND_IN_FOR = {
  'actions/checkout': 'checkout',
  'actions/upload-artifact': 'upload-artifact',
  'actions/download-artifact': 'download-artifact'
}

/** Lays out each stand-in as an action repository: action.yml at its root, its script, shared/. */
export function buildStandIns(dir) {
  rmSync(dir, { recursive: true, force: true })
  const out = {}
  for (const name of new Set(Object.values(STAND_IN_FOR))) {
    const d = join(dir, name)
    mkdirSync(d, { recursive: true })
    cpSync(join(STAND_INS, `${name}.action.yml`), join(d, 'action.yml'))
    cpSync(join(STAND_INS, `${name}.mjs`), join(d, `${name}.mjs`))
    cpSync(join(STAND_INS, 'shared'), join(d, 'shared'), { recursive: true })
    out[name] = d
  }
  return out
}

/** Every `uses:` of the workflow files, steps and reusable-workflow calls alike. */
export function usesOf(files) {
  const found = new Set()
  for (const f of files) {
    const data = parse(readFileSync(f, 'utf8'))
    for (const job of Object.values(data?.jobs ?? {})) {
      if (typeof job?.uses === 'string') found.add(job.uses)
      for (const step of job?.steps ?? []) if (typeof step?.uses === 'string') found.add(step.uses)
    }
  }
  return [...found].sort()
}

/**
 * act's --local-repository flags for the `uses:` of the caller and the
 * reusable workflows: the action and its workflows to the action repository,
 * each remote action to its stand-in. Local (`./`) and docker references are
 * left alone; a remote action without a stand-in throws.
 */
export function localRepositoryFlags(uses, { actionDir, standIns }) {
  const flags = new Set()
  for (const u of uses) {
    if (u.startsWith('./') || u.startsWith('docker://')) continue
    const m = /^([^/@]+)\/([^/@]+)(?:\/[^@]*)?@(.+)$/.exec(u)
    if (!m) throw new Error(`cannot read the reference ${u}`)
    const repo = `${m[1]}/${m[2]}`
    if (repo === ACTION_REPOSITORY) {
      if (m[3] !== ACTION_REF)
        throw new Error(`${u}: the suite maps only ${ACTION_REPOSITORY}@${ACTION_REF}`)
      flags.add(`${repo}@${m[3]}=${actionDir}`)
      continue
    }
    const standIn = STAND_IN_FOR[repo]
    if (!standIn)
      throw new Error(`${u}: no local stand-in for ${repo} (add one to __tests__/e2e/actions)`)
    flags.add(`${repo}@${m[3]}=${standIns[standIn]}`)
  }
  return [...flags].sort().flatMap(f => ['--local-repository', f])
}

/**
 * The jobs with a matrix that is fail-fast (GitHub's default) in the workflow
 * files: the runner shim stops their later legs after a failed one, as GitHub does.
 */
export function failFastJobs(files) {
  const out = new Set()
  for (const f of files) {
    const data = parse(readFileSync(f, 'utf8'))
    for (const [id, job] of Object.entries(data?.jobs ?? {}))
      if (job?.strategy?.matrix && job.strategy['fail-fast'] !== false) out.add(id)
  }
  return [...out].sort()
}

const git = (cwd, ...args) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=e2e',
      '-c',
      'user.email=e2e@example.test',
      '-c',
      'init.defaultBranch=main',
      ...args
    ],
    {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }
  ).trim()

/**
 * The caller's repository: the example under examples/<name>/ as in this
 * repository, its workflow.yml as .github/workflows/<name>.yml, then the
 * scenario's edits (`edit(repoDir)`), committed; pushed to a bare clone on
 * the local git server (<server>/<owner>/<repo>.git) the checkout stand-in
 * reads. Returns the repository directory, the workflow path and the commit.
 */
export function prepareCallerRepository({ runDir, example, repository, edit }) {
  const repo = join(runDir, 'repo')
  const server = join(runDir, 'git-server')
  rmSync(repo, { recursive: true, force: true })
  rmSync(server, { recursive: true, force: true })
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true })
  cpSync(join(ROOT, 'examples', example), join(repo, 'examples', example), { recursive: true })
  cpSync(join(ROOT, 'schemas'), join(repo, 'schemas'), { recursive: true })
  const workflow = join('.github', 'workflows', `${example}.yml`)
  cpSync(join(ROOT, 'examples', example, 'workflow.yml'), join(repo, workflow))
  edit?.(repo)
  git(repo, 'init', '--quiet')
  git(repo, 'add', '--all')
  git(repo, 'commit', '--quiet', '-m', `${example} for the e2e run`)
  const sha = git(repo, 'rev-parse', 'HEAD')
  const bare = join(server, `${repository}.git`)
  mkdirSync(dirname(bare), { recursive: true })
  git(runDir, 'clone', '--quiet', '--bare', repo, bare)
  return { repo, server, workflow, sha }
}

/**
 * Edits a YAML file in place with the `yaml` Document API, keeping comments
 * and layout: `fn(doc)` calls doc.setIn / doc.getIn.
 */
export function editYaml(file, fn) {
  const doc = parseDocument(readFileSync(file, 'utf8'))
  fn(doc)
  writeFileSync(file, doc.toString({ lineWidth: 0 }))
}

/** Replaces text in a file, failing when the text is not there (an edit that silently did nothing). */
export function replaceIn(file, from, to) {
  const text = readFileSync(file, 'utf8')
  const next = text.split(from).join(to)
  if (next === text) throw new Error(`${file}: no ${from} to replace`)
  writeFileSync(file, next)
}

/**
 * The deploy kubeconfig a repository keeps as a secret: the local cluster and
 * its admin token, with the contexts the examples' plans name (staging,
 * production) beside the current one.
 */
export function deployKubeconfig(
  kubeconfigText,
  { contexts = ['staging', 'production'], current = 'e2e' } = {}
) {
  const k = parse(kubeconfigText)
  const admin = k.contexts.find(c => c.name === k['current-context'])?.context
  if (!admin) throw new Error('the cluster kubeconfig has no current context')
  const context = name => ({ name, context: { cluster: admin.cluster, user: admin.user } })
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: k.clusters.filter(c => c.name === admin.cluster),
    users: k.users.filter(u => u.name === admin.user),
    contexts: [current, ...contexts].map(context),
    'current-context': current
  })
}

/**
 * The fleet's kubeconfig a repository keeps as ONE secret: a context per
 * cluster, named as the plan's fleet names them (`aliases`: plan context →
 * the local fleet member's context, phase-gate-fleet-N), each with that
 * member's own cluster and admin credentials.
 */
export function fleetKubeconfig(kubeconfigText, aliases) {
  const k = parse(kubeconfigText)
  const out = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }
  for (const [alias, member] of Object.entries(aliases)) {
    const ctx = k.contexts.find(c => c.name === member)?.context
    if (!ctx) throw new Error(`the cluster kubeconfig has no context ${member}: is the fleet up?`)
    if (!out.clusters.some(c => c.name === ctx.cluster))
      out.clusters.push(k.clusters.find(c => c.name === ctx.cluster))
    if (!out.users.some(u => u.name === ctx.user))
      out.users.push(k.users.find(u => u.name === ctx.user))
    out.contexts.push({ name: alias, context: { cluster: ctx.cluster, user: ctx.user } })
  }
  out['current-context'] = Object.keys(aliases)[0]
  return stringify(out)
}

/** A secret file act reads (dotenv, values JSON-quoted so multi-line secrets survive). */
export function writeSecrets(file, secrets) {
  writeFileSync(
    file,
    Object.entries(secrets)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n') + '\n',
    { mode: 0o600 }
  )
}
