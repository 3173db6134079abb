// Every example plan passes `phase-gate lint` (the CLI's own command path),
// names its schema for editors, and pulls only images the local registry
// mirrors (ghcr.io/phase-gate/...), so tests and the demo stay on loopback.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { main } from '../../src/cli/main.js'
import { loadPlan } from '../../src/plan/loader.js'
import { expandManifestPaths, loadManifestFiles } from '../../src/plan/manifests.js'

const root = resolve(import.meta.dirname, '..', '..')
const plans = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter(d => d.isDirectory())
  .map(d => join('examples', d.name, 'phase-gate.yaml'))

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

async function lint(plan: string): Promise<{ code: number; out: string; err: string }> {
  const out = sink()
  const err = sink()
  const code = await main(['lint', plan], {
    stdout: out.stream,
    stderr: err.stream,
    env: {},
    cwd: root
  })
  return { code, out: out.text(), err: err.text() }
}

describe('example plans', () => {
  it('are at least the four this repository documents', () => {
    expect(plans).toEqual(
      expect.arrayContaining([
        'examples/canary-rollout/phase-gate.yaml',
        'examples/helm-service/phase-gate.yaml',
        'examples/shop-postgres/phase-gate.yaml',
        'examples/web-app/phase-gate.yaml'
      ])
    )
  })

  it.each(plans)('phase-gate lint %s: ok, no warnings', async plan => {
    const r = await lint(plan)
    expect(r.err).toBe('')
    expect(r.out).toBe(`${plan}: ok\n`)
    expect(r.code).toBe(0)
  })

  it('lint fails on a broken plan (the check is not blind)', async () => {
    const r = await lint('examples/shop-postgres/deploy/10-database.yaml')
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/does not match the schema/)
  })

  it.each(plans)('%s names its schema for editors', plan => {
    const text = readFileSync(join(root, plan), 'utf8')
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/plan.schema.json'
    )
    expect(text).toMatch(/^\$schema: \.\.\/\.\.\/schemas\/plan\.schema\.json$/m)
  })

  it.each(plans)('%s pulls only images the local registry mirrors', async plan => {
    const loaded = await loadPlan(join(root, plan), { workspace: root })
    const files = await expandManifestPaths(
      loaded,
      loaded.plan.assumptions?.manifests ?? [],
      'assumptions.manifests'
    )
    const manifests = await loadManifestFiles(loaded, files, root)
    const images = [
      ...(loaded.plan.assumptions?.images ?? []).map(i => (typeof i === 'string' ? i : i.ref)),
      ...[...JSON.stringify(manifests.map(m => m.object)).matchAll(/"image":"([^"]+)"/g)].map(
        m => m[1]
      )
    ]
    for (const image of images)
      expect(image).toMatch(
        /^ghcr\.io\/phase-gate\/(app|app-docker|multi|big):[\w.-]+(@sha256:[0-9a-f]{64})?$/
      )
  })
})
