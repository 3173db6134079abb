// Local stand-in for actions/checkout v4: puts the repository's tree at the
// wanted commit into $GITHUB_WORKSPACE/<path>, from the local git server
// (PHASE_GATE_E2E_GIT_SERVER: bare repositories named <owner>/<repo>.git,
// what github.com is for the real action). The workspace of a self-hosted
// runner is reused between jobs, so an existing clone is fetched into and
// checked out (clean: true also removes untracked files), guarded by a lock
// because act runs parallel jobs in one workspace. Outputs ref and commit.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { booleanInput, info, input, runAction, setOutput } from './shared/toolkit.mjs'

const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

const sleep = ms => new Promise(r => setTimeout(r, ms))

async function withLock(dir, fn) {
  const lock = join(dir, '.phase-gate-e2e-checkout.lock')
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (i > 600) throw new Error(`${lock} held for over a minute`)
      await sleep(100)
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

async function main() {
  const repository = input('repository', { fallback: process.env.GITHUB_REPOSITORY })
  const server = process.env.PHASE_GATE_E2E_GIT_SERVER
  if (!server)
    throw new Error('PHASE_GATE_E2E_GIT_SERVER is not set: no local git server to check out from')
  const source = join(server, `${repository}.git`)
  if (!existsSync(source))
    throw new Error(`repository ${repository} is not on the local git server (${source})`)
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const target = resolve(workspace, input('path'))
  const ref = input('ref')
  const clean = booleanInput('clean', true)
  // Without ref: the event's commit for the workflow's own repository, else the default branch.
  const wanted =
    ref || (repository === process.env.GITHUB_REPOSITORY ? process.env.GITHUB_SHA : 'HEAD')
  const commit = git(source, 'rev-parse', '--verify', `${wanted}^{commit}`)
  mkdirSync(target, { recursive: true })
  await withLock(target, async () => {
    if (!existsSync(join(target, '.git'))) {
      git(target, 'init', '--quiet')
      info(`Initialized ${target}`)
    }
    git(target, 'fetch', '--quiet', '--no-tags', source, commit)
    git(target, 'checkout', '--quiet', '--force', '--detach', commit)
    if (clean) git(target, 'clean', '-ffdq', '-e', '.phase-gate-e2e-checkout.lock')
  })
  const head = git(target, 'rev-parse', 'HEAD')
  if (head !== commit) throw new Error(`checked out ${head}, wanted ${commit}`)
  if (!booleanInput('persist-credentials', true))
    info('persist-credentials: false (no credentials kept)')
  info(`Checked out ${repository}@${commit.slice(0, 12)} into ${target}`)
  setOutput('ref', ref || process.env.GITHUB_REF || '')
  setOutput('commit', commit)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runAction(main)
