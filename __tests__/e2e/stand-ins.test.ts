// The local stand-ins of actions/checkout, upload-artifact and
// download-artifact: their zips round-trip (and are what unzip reads), the
// upload takes the files and names upload-artifact v4 takes, the download
// matches names and refuses to write outside its directory, the runtime token
// is read like @actions/artifact reads it, and each script runs as the
// runner runs it: a real git repository checked out, a real artifact service
// (a small Twirp server speaking the protocol act's --artifact-server speaks).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { extract, nameMatches } from './actions/download-artifact.mjs'
import { backendIds } from './actions/shared/artifact-service.mjs'
import { unzipEntries, zipEntries } from './actions/shared/zip.mjs'
import { commonAncestor, searchPath, uploadSpec } from './actions/upload-artifact.mjs'

const actions = resolve(import.meta.dirname, 'actions')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-stand-ins-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const token = (scp: string): string =>
  ['{"alg":"HS256"}', JSON.stringify({ scp })]
    .map(p => Buffer.from(p).toString('base64url'))
    .join('.') + '.sig'

describe('zip', () => {
  const entries = [
    { name: 'report.json', data: Buffer.from('{"gates":[]}'.repeat(50)), mode: 0o644 },
    { name: 'sub/dir/tiny.txt', data: Buffer.from('x'), mode: 0o600 },
    { name: 'ünïcode – name.md', data: Buffer.from('héllo'), mode: 0o755 },
    { name: 'empty', data: Buffer.alloc(0), mode: 0o644 }
  ]

  it.each([0, 1, 6, 9])('round-trips names, bytes and modes at level %i', level => {
    const back = unzipEntries(zipEntries(entries, { level }))
    expect(back.map(e => [e.name, e.data.toString('utf8'), e.mode])).toEqual(
      entries.map(e => [e.name, e.data.toString('utf8'), e.mode])
    )
  })

  it('deflates what shrinks and stores what does not', () => {
    const stored = zipEntries(entries, { level: 0 })
    const deflated = zipEntries(entries, { level: 9 })
    expect(deflated.length).toBeLessThan(stored.length)
  })

  it('reads an archive another implementation wrote (Python zipfile: one deflated, one stored entry)', () => {
    const golden = Buffer.from(
      'UEsDBBQAAAAIAJgUeF1oAjFmDAAAAB4AAAAFAAAAYS50eHTLSM3JyVfIwE5yAQBQSwMEFAAAAAAAmBR4XYMW3IwBAAAAAQAAAAUAAABiLmJpbnhQSwECFAMUAAAACACYFHhdaAIxZgwAAAAeAAAABQAAAAAAAAAAAAAApIEAAAAAYS50eHRQSwECFAMUAAAAAACYFHhdgxbcjAEAAAABAAAABQAAAAAAAAAAAAAApIEvAAAAYi5iaW5QSwUGAAAAAAIAAgBmAAAAUwAAAAAA',
      'base64'
    )
    expect(unzipEntries(golden).map(e => [e.name, e.data.toString(), e.mode])).toEqual([
      ['a.txt', 'hello hello hello hello hello\n', 0o644],
      ['b.bin', 'x', 0o644]
    ])
  })

  it('writes the fields the format puts where readers look for them', () => {
    const zip = zipEntries([{ name: 'a.txt', data: Buffer.from('abc'), mode: 0o640 }], { level: 0 })
    // local header, name, data, central directory entry, end record
    expect(zip.readUInt32LE(0)).toBe(0x04034b50)
    expect([zip.readUInt16LE(8), zip.readUInt32LE(18), zip.readUInt32LE(22)]).toEqual([0, 3, 3])
    expect(zip.toString('utf8', 30, 35)).toBe('a.txt')
    const central = 30 + 5 + 3
    expect(zip.readUInt32LE(central)).toBe(0x02014b50)
    expect((zip.readUInt32LE(central + 38) >>> 16) & 0o777).toBe(0o640)
    const end = zip.length - 22
    expect([zip.readUInt32LE(end), zip.readUInt16LE(end + 10), zip.readUInt32LE(end + 16)]).toEqual(
      [0x06054b50, 1, central]
    )
  })

  it('rejects a damaged archive and a wrong checksum', () => {
    expect(() => unzipEntries(Buffer.from('not a zip at all, not even close to one'))).toThrow(
      /not a zip/
    )
    const zip = zipEntries([{ name: 'a.txt', data: Buffer.from('abcdef') }], { level: 0 })
    const at = zip.indexOf(Buffer.from('abcdef'))
    zip[at] = 'z'.charCodeAt(0)
    expect(() => unzipEntries(zip)).toThrow(/CRC-32 mismatch/)
  })
})

describe('upload-artifact: what goes into the zip, and under which names', () => {
  let ws: string
  beforeAll(() => {
    ws = join(dir, 'ws')
    for (const f of [
      'tmp/phase-gate/reality-check.json',
      'tmp/phase-gate/tracer.json',
      'tmp/phase-gate/.hidden.json',
      'out/a/one.txt',
      'out/b/two.txt',
      'out/b/skip.log'
    ]) {
      mkdirSync(join(ws, f, '..'), { recursive: true })
      writeFileSync(join(ws, f), f)
    }
  })
  const rel = (spec: { root: string; files: string[] }): string[] =>
    spec.files.map(f =>
      f
        .slice(spec.root.length + 1)
        .split(sep)
        .join('/')
    )

  it.each([
    // One file named as such: at the archive's root, as upload-artifact v4 does.
    [['tmp/phase-gate/reality-check.json'], 'tmp/phase-gate', ['reality-check.json']],
    // A directory: its files relative to it; hidden files left out.
    [['tmp/phase-gate'], 'tmp/phase-gate', ['reality-check.json', 'tracer.json']],
    // A wildcard: relative to the literal part before it.
    [['tmp/phase-gate/*.json'], 'tmp/phase-gate', ['reality-check.json', 'tracer.json']],
    // Several paths: relative to their least common ancestor.
    [['out/a', 'out/b/two.txt'], 'out', ['a/one.txt', 'b/two.txt']],
    // Exclusions.
    [['out/**', '!out/**/*.log'], 'out', ['a/one.txt', 'b/two.txt']],
    // Nothing there: nothing to upload.
    [['no/such/file.json'], 'no/such/file.json', []]
  ])('%j → root %s, names %j', (patterns, root, names) => {
    const spec = uploadSpec(patterns, { cwd: ws })
    expect(spec.root).toBe(join(ws, root))
    expect(rel(spec)).toEqual(names)
  })

  it('takes hidden files when asked', () => {
    expect(rel(uploadSpec(['tmp/phase-gate'], { cwd: ws, includeHidden: true }))).toContain(
      '.hidden.json'
    )
  })

  it.each([
    ['a/b/*.json', '/w/a/b'],
    ['a/**/x', '/w/a'],
    ['/abs/path/f.txt', '/abs/path/f.txt'],
    ['*.txt', '/w']
  ])('search path of %s is %s', (pattern, expected) => {
    expect(searchPath(pattern, '/w')).toBe(expected)
  })

  it('finds the common ancestor', () => {
    expect(commonAncestor(['/a/b/c', '/a/b/d/e', '/a/b'])).toBe('/a/b')
    expect(commonAncestor(['/x/y', '/z'])).toBe('/')
  })
})

describe('download-artifact', () => {
  it.each([
    ['phase-gate-report-*', 'phase-gate-report-plan', true],
    ['phase-gate-report-*', 'phase-gate-record', false],
    ['report-?', 'report-1', true],
    ['report-?', 'report-12', false],
    ['a.b', 'axb', false],
    ['', 'anything', true]
  ])('pattern %j matches %s: %s', (pattern, name, expected) => {
    expect(nameMatches(pattern, name)).toBe(expected)
  })

  it('extracts into the directory and refuses names that leave it', () => {
    const into = join(dir, 'extract')
    const ok = zipEntries([{ name: 'x/report.json', data: Buffer.from('{}') }])
    expect(extract(ok, into)).toEqual([join(into, 'x', 'report.json')])
    const evil = zipEntries([{ name: '../../escape.txt', data: Buffer.from('no') }])
    expect(() => extract(evil, into)).toThrow(/outside/)
    expect(existsSync(join(dir, '..', 'escape.txt'))).toBe(false)
  })
})

describe('the runtime token', () => {
  it.each([
    ['Actions.Results:42:7', { workflowRunBackendId: '42', workflowJobRunBackendId: '7' }],
    [
      'Actions.GenericRead:1 Actions.Results:99:3',
      { workflowRunBackendId: '99', workflowJobRunBackendId: '3' }
    ]
  ])('scope %s', (scp, ids) => {
    expect(backendIds(token(scp))).toEqual(ids)
  })

  it('says what is missing', () => {
    expect(() => backendIds(undefined)).toThrow(/ACTIONS_RUNTIME_TOKEN/)
    expect(() => backendIds(token('Actions.GenericRead:1'))).toThrow(/Actions.Results/)
  })
})

/** A minimal artifact service: the Twirp calls and signed blob URLs of the v4 protocol, in memory. */
function artifactServer(): Promise<{ url: string; blobs: Map<string, Buffer>; close(): void }> {
  const blobs = new Map<string, Buffer>()
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const json = (v: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(v))
    }
    const method = url.pathname.split('/').pop()
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const call = method && req.method === 'POST' ? JSON.parse(body.toString() || '{}') : {}
    if (req.method === 'PUT') {
      blobs.set(url.searchParams.get('name') ?? '', body)
      res.writeHead(201)
      return res.end()
    }
    if (req.method === 'GET') return res.end(blobs.get(url.searchParams.get('name') ?? ''))
    if (call.workflowRunBackendId !== '42') {
      res.writeHead(400)
      return res.end()
    }
    switch (method) {
      case 'CreateArtifact':
        return json({ ok: true, signedUploadUrl: `${base}/upload?name=${call.name}` })
      case 'FinalizeArtifact':
        return json({ ok: blobs.has(call.name), artifactId: '17' })
      case 'ListArtifacts':
        return json({
          artifacts: [...blobs.keys()]
            .filter(n => !call.nameFilter || n === call.nameFilter)
            .map(name => ({ name, databaseId: '17', size: String(blobs.get(name)?.length) }))
        })
      case 'DeleteArtifact':
        blobs.delete(call.name)
        return json({ ok: true })
      case 'GetSignedArtifactURL':
        return json({ signedUrl: `${base}/download?name=${call.name}` })
    }
    res.writeHead(404)
    res.end()
  })
  return new Promise(done =>
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
        blobs,
        close: () => server.close()
      })
    )
  )
}

/** Runs a stand-in's script as the runner does: INPUT_* variables, GITHUB_OUTPUT, its exit code. */
function runStandIn(
  script: string,
  inputs: Record<string, string>,
  env: Record<string, string>
): Promise<{ code: number; stdout: string; outputs: string }> {
  const out = join(dir, `output-${Math.random().toString(36).slice(2)}`)
  writeFileSync(out, '')
  const vars: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: out, ...env }
  for (const [k, v] of Object.entries(inputs)) vars[`INPUT_${k.toUpperCase()}`] = v
  return new Promise(done =>
    execFile(process.execPath, [join(actions, script)], { env: vars }, (err, stdout) =>
      done({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout: String(stdout),
        outputs: readFileSync(out, 'utf8')
      })
    )
  )
}

describe('upload-artifact and download-artifact against an artifact service', () => {
  let service: Awaited<ReturnType<typeof artifactServer>>
  let env: Record<string, string>
  beforeAll(async () => {
    service = await artifactServer()
    env = {
      ACTIONS_RESULTS_URL: service.url,
      ACTIONS_RUNTIME_TOKEN: token('Actions.Results:42:7'),
      GITHUB_WORKSPACE: join(dir, 'upload-ws'),
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.example'
    }
    mkdirSync(join(dir, 'upload-ws', 'reports'), { recursive: true })
    writeFileSync(join(dir, 'upload-ws', 'reports', 'plan.json'), '{"gate":"plan"}')
    writeFileSync(join(dir, 'upload-ws', 'reports', 'tracer.json'), '{"gate":"tracer"}')
  })
  afterAll(() => service.close())

  it('uploads the zip and sets the outputs', async () => {
    const r = await runStandIn(
      'upload-artifact.mjs',
      { name: 'phase-gate-report-plan', path: 'reports/plan.json' },
      env
    )
    expect(r.code).toBe(0)
    const zip = service.blobs.get('phase-gate-report-plan') as Buffer
    expect(unzipEntries(zip).map(e => [e.name, e.data.toString()])).toEqual([
      ['plan.json', '{"gate":"plan"}']
    ])
    expect(r.outputs).toContain('artifact-id<<')
    expect(r.outputs).toContain(createHash('sha256').update(zip).digest('hex'))
    expect(r.outputs).toContain('https://github.example/octo/app/actions/runs/42/artifacts/17')
  })

  it('refuses an existing name without overwrite, replaces it with overwrite', async () => {
    const again = await runStandIn(
      'upload-artifact.mjs',
      { name: 'phase-gate-report-plan', path: 'reports/tracer.json' },
      env
    )
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/already exists/)
    const over = await runStandIn(
      'upload-artifact.mjs',
      { name: 'phase-gate-report-plan', path: 'reports/tracer.json', overwrite: 'true' },
      env
    )
    expect(over.code).toBe(0)
    expect(unzipEntries(service.blobs.get('phase-gate-report-plan') as Buffer)[0].name).toBe(
      'tracer.json'
    )
  })

  it.each([
    ['warn', 0, /::warning::No files were found/],
    ['error', 1, /::error::No files were found/],
    ['ignore', 0, /No files were found/]
  ])('if-no-files-found: %s', async (mode, code, said) => {
    const r = await runStandIn(
      'upload-artifact.mjs',
      { name: 'none', path: 'reports/missing.json', 'if-no-files-found': mode },
      env
    )
    expect([r.code, said.test(r.stdout)]).toEqual([code, true])
    expect(service.blobs.has('none')).toBe(false)
  })

  it('downloads by pattern, each artifact in its own directory or merged', async () => {
    await runStandIn(
      'upload-artifact.mjs',
      { name: 'phase-gate-report-tracer', path: 'reports/tracer.json' },
      env
    )
    const apart = join(dir, 'apart')
    const r = await runStandIn(
      'download-artifact.mjs',
      { pattern: 'phase-gate-report-*', path: apart },
      env
    )
    expect(r.code).toBe(0)
    expect(readdirSync(apart).sort()).toEqual([
      'phase-gate-report-plan',
      'phase-gate-report-tracer'
    ])
    const merged = join(dir, 'merged')
    await runStandIn(
      'download-artifact.mjs',
      { pattern: 'phase-gate-report-*', path: merged, 'merge-multiple': 'true' },
      env
    )
    expect(readdirSync(merged)).toEqual(['tracer.json'])
    expect(r.outputs).toContain(apart)
  })

  it('fails on a named artifact that is not there, and on another run', async () => {
    const missing = await runStandIn('download-artifact.mjs', { name: 'nope' }, env)
    expect([missing.code, /Artifact not found for name: nope/.test(missing.stdout)]).toEqual([
      1,
      true
    ])
    const other = await runStandIn('download-artifact.mjs', { name: 'x', 'run-id': '7' }, env)
    expect([other.code, /not reachable/.test(other.stdout)]).toEqual([1, true])
  })
})

describe('checkout', () => {
  const git = (cwd: string, ...a: string[]): string =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.test',
        '-c',
        'init.defaultBranch=main',
        ...a
      ],
      { cwd, encoding: 'utf8' }
    ).trim()

  it('checks out the event commit from the local git server, and another ref when asked', async () => {
    const src = join(dir, 'src')
    mkdirSync(src)
    git(src, 'init', '-q')
    writeFileSync(join(src, 'file.txt'), 'one')
    git(src, 'add', '.')
    git(src, 'commit', '-qm', 'one')
    const first = git(src, 'rev-parse', 'HEAD')
    writeFileSync(join(src, 'file.txt'), 'two')
    git(src, 'commit', '-qam', 'two')
    const second = git(src, 'rev-parse', 'HEAD')
    const server = join(dir, 'server')
    mkdirSync(join(server, 'octo'), { recursive: true })
    git(dir, 'clone', '-q', '--bare', src, join(server, 'octo', 'app.git'))
    const ws = join(dir, 'checkout-ws')
    mkdirSync(ws)
    const env = {
      GITHUB_WORKSPACE: ws,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_SHA: first,
      PHASE_GATE_E2E_GIT_SERVER: server
    }
    const r = await runStandIn('checkout.mjs', { 'persist-credentials': 'false' }, env)
    expect(r.code).toBe(0)
    expect(readFileSync(join(ws, 'file.txt'), 'utf8')).toBe('one')
    expect(r.outputs).toContain(first)
    // A reused workspace: fetched into, checked out again, untracked files cleaned.
    writeFileSync(join(ws, 'left-over.tmp'), 'x')
    const again = await runStandIn('checkout.mjs', { ref: second }, env)
    expect(again.code).toBe(0)
    expect(readFileSync(join(ws, 'file.txt'), 'utf8')).toBe('two')
    expect(existsSync(join(ws, 'left-over.tmp'))).toBe(false)
    expect(statSync(join(ws, '.git')).isDirectory()).toBe(true)
    const foreign = await runStandIn('checkout.mjs', { repository: 'octo/other' }, env)
    expect([foreign.code, /not on the local git server/.test(foreign.stdout)]).toEqual([1, true])
  })
})
