// Local stand-in for actions/upload-artifact v4: the same inputs and outputs,
// the same zip layout (paths relative to the least common ancestor of the
// search paths; a lone file at the archive's root), the same refusals (no
// files and if-no-files-found: error; an existing name without overwrite),
// sent to the runner's artifact service (act's --artifact-server) with the v4
// protocol. Hidden files are left out unless include-hidden-files is true.
import { createHash } from 'node:crypto'
import { globSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { artifactService } from './shared/artifact-service.mjs'
import {
  booleanInput,
  info,
  input,
  multilineInput,
  runAction,
  setOutput,
  warning
} from './shared/toolkit.mjs'
import { zipEntries } from './shared/zip.mjs'

const GLOB = /[*?[\]{}]/

/** The literal part of a pattern before its first glob character, as an absolute path. */
export function searchPath(pattern, cwd) {
  const parts = pattern.split('/')
  const literal = []
  for (const p of parts) {
    if (GLOB.test(p)) break
    literal.push(p)
  }
  const path = literal.join('/') || (pattern.startsWith('/') ? '/' : '.')
  return resolve(cwd, path)
}

/** The deepest directory holding every path. */
export function commonAncestor(paths) {
  const split = paths.map(p => p.split(sep))
  const out = []
  for (let i = 0; ; i++) {
    const part = split[0][i]
    if (part === undefined || split.some(s => s[i] !== part)) break
    out.push(part)
  }
  return out.join(sep) || sep
}

function walk(path, files) {
  const s = statSync(path)
  if (s.isFile()) files.add(path)
  else if (s.isDirectory()) for (const e of readdirSync(path)) walk(join(path, e), files)
}

const hidden = (root, file) =>
  relative(root, file)
    .split(sep)
    .some(p => p.startsWith('.'))

/** The files an upload would take and the directory their names are relative to. */
export function uploadSpec(patterns, { cwd, includeHidden = false }) {
  const include = patterns.filter(p => !p.startsWith('!'))
  const exclude = patterns.filter(p => p.startsWith('!')).map(p => p.slice(1))
  const files = new Set()
  for (const p of include) {
    const matches = GLOB.test(p) ? globSync(p, { cwd }) : [p]
    for (const m of matches) {
      const abs = isAbsolute(m) ? m : resolve(cwd, m)
      try {
        walk(abs, files)
      } catch {
        // A literal path that does not exist matches nothing, as with @actions/glob.
      }
    }
  }
  const excluded = new Set()
  for (const p of exclude) {
    for (const m of globSync(p, { cwd })) {
      const abs = isAbsolute(m) ? m : resolve(cwd, m)
      for (const f of files) if (f === abs || f.startsWith(abs + sep)) excluded.add(f)
    }
  }
  const searchPaths = include.map(p => searchPath(p, cwd))
  let root = commonAncestor(searchPaths)
  const kept = [...files].filter(f => !excluded.has(f))
  // A single file named without a wildcard goes to the archive's root.
  if (include.length === 1 && !GLOB.test(include[0]) && kept.length === 1 && kept[0] === root)
    root = dirname(root)
  return {
    root,
    files: kept.filter(f => includeHidden || !hidden(root, f)).sort()
  }
}

async function main() {
  const name = input('name', { fallback: 'artifact' })
  const patterns = multilineInput('path', { required: true })
  const ifNoFiles = input('if-no-files-found', { fallback: 'warn' })
  const overwrite = booleanInput('overwrite', false)
  const level = Number(input('compression-level', { fallback: '6' }))
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd()
  const spec = uploadSpec(patterns, {
    cwd,
    includeHidden: booleanInput('include-hidden-files', false)
  })
  if (spec.files.length === 0) {
    const message = `No files were found with the provided path: ${patterns.join('\n')}. No artifacts will be uploaded.`
    if (ifNoFiles === 'error') throw new Error(message)
    if (ifNoFiles === 'warn') warning(message)
    else info(message)
    return
  }
  const service = artifactService()
  const existing = await service.list(name)
  if (existing.length) {
    if (!overwrite)
      throw new Error(
        `Failed to CreateArtifact: an artifact with this name already exists on the workflow run: ${name}`
      )
    await service.remove(name)
    info(`Artifact ${name} existed and overwrite is true: deleted it first`)
  }
  const entries = spec.files.map(f => ({
    name: relative(spec.root, f).split(sep).join('/') || basename(f),
    data: readFileSync(f),
    mode: statSync(f).mode & 0o777
  }))
  const zip = zipEntries(entries, { level: Number.isInteger(level) ? level : 6 })
  const digest = createHash('sha256').update(zip).digest('hex')
  const id = await service.upload(name, zip, digest)
  info(
    `Uploaded ${entries.length} file${entries.length === 1 ? '' : 's'} as artifact ${name} (id ${id}, ${zip.length} bytes zipped): ${entries.map(e => e.name).join(', ')}`
  )
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com'
  setOutput('artifact-id', id)
  setOutput(
    'artifact-url',
    `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}/artifacts/${id}`
  )
  setOutput('artifact-digest', digest)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runAction(main)
