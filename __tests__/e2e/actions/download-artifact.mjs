// Local stand-in for actions/download-artifact v4: the same inputs and
// outputs, reading this run's artifacts from the runner's artifact service
// (act's --artifact-server, v4 protocol) and unzipping them: one named
// artifact into `path`; several (all, or those matching `pattern`) into
// `path/<name>/`, or all into `path` with merge-multiple. Artifacts of other
// runs or repositories (run-id, repository) cannot be reached here and fail.
import { mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { artifactService } from './shared/artifact-service.mjs'
import { booleanInput, info, input, runAction, setOutput } from './shared/toolkit.mjs'
import { unzipEntries } from './shared/zip.mjs'

/** Whether an artifact name matches a glob pattern (`*` and `?`, as minimatch treats names). */
export function nameMatches(pattern, name) {
  if (!pattern) return true
  const re = pattern
    .split('')
    .map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${re}$`).test(name)
}

/** Writes a zip's entries under `dir`, refusing names that would leave it. */
export function extract(zip, dir) {
  const files = []
  for (const e of unzipEntries(zip)) {
    const target = resolve(dir, e.name)
    if (target !== dir && !target.startsWith(dir + sep))
      throw new Error(`refusing to write ${e.name} outside ${dir}`)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, e.data, { mode: e.mode })
    files.push(target)
  }
  return files
}

async function main() {
  const name = input('name')
  const pattern = input('pattern')
  const merge = booleanInput('merge-multiple', false)
  const runId = input('run-id')
  const repository = input('repository')
  if (runId && runId !== process.env.GITHUB_RUN_ID)
    throw new Error(
      `artifacts of run ${runId} are not reachable from this runner (only this run's)`
    )
  if (repository && repository !== process.env.GITHUB_REPOSITORY)
    throw new Error(`artifacts of ${repository} are not reachable from this runner`)
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const raw = input('path') || workspace
  const path = resolve(workspace, raw.replace(/^~(?=$|\/)/, homedir()))
  const service = artifactService()

  let chosen
  if (name) {
    chosen = await service.list(name)
    if (chosen.length === 0)
      throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`)
  } else {
    chosen = (await service.list()).filter(a => nameMatches(pattern, a.name))
    info(
      `Found ${chosen.length} artifact(s)${pattern ? ` matching ${pattern}` : ''}: ${chosen.map(a => a.name).join(', ') || 'none'}`
    )
  }
  mkdirSync(path, { recursive: true })
  for (const a of chosen) {
    const into = name || merge ? path : join(path, a.name)
    const files = extract(await service.download(a.name), into)
    info(`Artifact ${a.name}: ${files.length} file(s) into ${into}`)
  }
  setOutput('download-path', path)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runAction(main)
