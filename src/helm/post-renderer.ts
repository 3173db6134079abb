/**
 * The post-renderer that gives a Helm release's objects the run's labels.
 * Labels go on each object's metadata only (items of a `List` included),
 * never on pod templates or selectors, so a run never restarts pods.
 *
 * Helm runs a post-renderer as a program that reads the rendered manifests
 * on stdin and writes them on stdout. Ours is a tiny script that hands the
 * manifests over a Unix socket in a private temp directory to the process
 * that runs helm, where `addLabelsToManifests` edits them with the YAML
 * library: no network listener, nothing to install, and the same code in
 * the bundle as in the tests.
 */

import http from 'node:http'
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml'
import { errorMessage } from '../core/errors.js'
import { overrideImage, type ImageOverride } from '../render/images.js'

/**
 * The manifests with `labels` set on every object's metadata (and nowhere
 * else), and the run's image overrides applied to every container.
 */
export function addLabelsToManifests(
  text: string,
  labels: Record<string, string>,
  images: readonly ImageOverride[] = []
): string {
  const docs = parseAllDocuments(text)
  const list = Array.isArray(docs) ? docs : [docs]
  const out: string[] = []
  for (const doc of list as Document[]) {
    if (doc.errors.length)
      throw new Error(`the rendered manifests are not valid YAML: ${doc.errors[0].message}`)
    if (doc.contents === null) continue
    const items = doc.getIn(['items'])
    const kind = doc.getIn(['kind'])
    // A List is no object of its own: its items get the labels.
    if (typeof kind === 'string' && kind.endsWith('List') && isSeq(items))
      items.items.forEach((_, i) => {
        label(doc, ['items', i], labels)
        overrideImages(doc, ['items', i], images)
      })
    else {
      label(doc, [], labels)
      overrideImages(doc, [], images)
    }
    out.push(doc.toString({ lineWidth: 0 }))
  }
  return out.map(d => (d.startsWith('---') ? d : `---\n${d}`)).join('')
}

function label(doc: Document, at: (string | number)[], labels: Record<string, string>): void {
  const node = at.length ? doc.getIn(at) : doc.contents
  if (!isMap(node) || !node.has('kind') || !node.has('apiVersion')) return
  const meta = doc.getIn([...at, 'metadata'], true)
  if (meta === undefined || meta === null || !isMap(meta))
    doc.setIn([...at, 'metadata'], doc.createNode({}))
  const current = doc.getIn([...at, 'metadata', 'labels'], true)
  if (current === undefined || current === null || !isMap(current))
    doc.setIn([...at, 'metadata', 'labels'], doc.createNode({}))
  for (const [k, v] of Object.entries(labels)) doc.setIn([...at, 'metadata', 'labels', k], v)
}

// Where a kind keeps its pod spec (src/checks/pod-templates.ts has the same list).
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec']
}

function overrideImages(
  doc: Document,
  at: (string | number)[],
  images: readonly ImageOverride[]
): void {
  if (images.length === 0) return
  const kind = doc.getIn([...at, 'kind'])
  if (typeof kind !== 'string') return
  const spec = [...at, ...(POD_SPEC_PATHS[kind] ?? ['spec', 'template', 'spec'])]
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const seq = doc.getIn([...spec, list])
    if (!isSeq(seq)) continue
    seq.items.forEach((_, i) => {
      const image = doc.getIn([...spec, list, i, 'image'])
      if (typeof image !== 'string') return
      const next = overrideImage(image, images)
      if (next !== image) doc.setIn([...spec, list, i, 'image'], next)
    })
  }
}

/** A running post-renderer: the helm flags that use it, and how to stop it. */
export interface PostRenderer {
  executable: string
  args: string[]
  /** Manifests rendered so far (for tests and debug logs). */
  readonly rendered: number
  close(): Promise<void>
}

// The script helm runs: stdin to the socket, the answer to stdout, failures to stderr and exit 1.
const SCRIPT = `import http from 'node:http'
const chunks = []
for await (const c of process.stdin) chunks.push(c)
const req = http.request({ socketPath: process.argv[2], method: 'POST', path: '/render' }, res => {
  const out = []
  res.on('data', d => out.push(d))
  res.on('end', () => {
    const body = Buffer.concat(out)
    if (res.statusCode !== 200) {
      process.stderr.write('phase-gate post-renderer: ' + body.toString() + '\\n')
      process.exit(1)
    }
    process.stdout.write(body)
  })
})
req.on('error', e => {
  process.stderr.write('phase-gate post-renderer: ' + e.message + '\\n')
  process.exit(1)
})
req.end(Buffer.concat(chunks))
`

/** Starts a post-renderer that adds `labels` (close it after helm is done). */
export async function startPostRenderer(
  labels: Record<string, string>,
  opts: { dir?: string; node?: string; images?: readonly ImageOverride[] } = {}
): Promise<PostRenderer> {
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'phase-gate-helm-'))
  await chmod(dir, 0o700)
  const script = join(dir, 'post-render.mjs')
  const socket = join(dir, 'render.sock')
  await writeFile(script, SCRIPT, { mode: 0o600 })
  let rendered = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        const out = addLabelsToManifests(
          Buffer.concat(chunks).toString('utf8'),
          labels,
          opts.images
        )
        rendered++
        res.writeHead(200, { 'Content-Type': 'application/yaml' })
        res.end(out)
      } catch (err) {
        res.writeHead(500)
        res.end(errorMessage(err))
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socket, () => resolve())
  })
  return {
    executable: opts.node ?? process.execPath,
    args: [script, socket],
    get rendered() {
      return rendered
    },
    async close() {
      await new Promise<void>(resolve => server.close(() => resolve()))
      await rm(dir, { recursive: true, force: true })
    }
  }
}
