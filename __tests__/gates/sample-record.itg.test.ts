// The committed sample record (examples/web-app/sample-record.md, the record
// gate's output of `npm run demo`) kept honest against what it samples: it
// names every object the example plan's phases apply, under its phase, every
// image of them pinned by the digest the local registry serves, and every
// section the record renderer writes today, in its order. A renamed section,
// a new manifest or a re-seeded image makes it stale, and this fails: re-run
// `npm run demo` and copy demo-out/record.md over it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadPlan } from '../../src/plan/loader.js'
import { parseManifests } from '../../src/plan/manifests.js'
import type { KubeObject } from '../../src/kube/types.js'
import { clusterEnv } from '../support/cluster-env.js'

const ROOT = process.cwd()
const EXAMPLE = join(ROOT, 'examples', 'web-app')
const sample = readFileSync(join(EXAMPLE, 'sample-record.md'), 'utf8')

/** The sample's text of one `## ` section. */
function section(title: string): string {
  const start = sample.indexOf(`\n## ${title}\n`)
  expect(start).toBeGreaterThan(-1)
  const end = sample.indexOf('\n## ', start + 1)
  return sample.slice(start, end === -1 ? undefined : end)
}

async function phaseObjects(): Promise<{ phase: string; objects: KubeObject[] }[]> {
  const loaded = await loadPlan(join(EXAMPLE, 'phase-gate.yaml'), { workspace: ROOT })
  return (loaded.plan.phases ?? []).map(p => ({
    phase: p.name,
    objects: (p.apply ?? []).flatMap(f =>
      parseManifests(readFileSync(resolve(loaded.dir, f), 'utf8'), f).map(m => m.object)
    )
  }))
}

describe('examples/web-app/sample-record.md', () => {
  it("names every object of the plan's phases under its phase, in the target namespace", async () => {
    const phases = await phaseObjects()
    expect(phases.length).toBeGreaterThan(0)
    const deployed = section('What was deployed')
    for (const { phase, objects } of phases) {
      const at = deployed.indexOf(`### Phase \`${phase}\``)
      expect({ phase, found: at > -1 }).toEqual({ phase, found: true })
      const next = deployed.indexOf('\n### ', at + 1)
      const text = deployed.slice(at, next === -1 ? undefined : next)
      for (const o of objects) expect(text).toContain(`| ${o.kind} web-demo/${o.metadata.name} |`)
    }
  })

  it('pins every image of the workloads by the digest the local registry serves', async () => {
    const images = clusterEnv().images
    const components = section('Components')
    const refs = (await phaseObjects())
      .flatMap(p => p.objects)
      .flatMap(o => {
        const spec = (o.spec as { template?: { spec?: { containers?: { image: string }[] } } })
          ?.template?.spec
        return (spec?.containers ?? []).map(c => c.image)
      })
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      // ghcr.io is mirrored onto the local registry in the demo; the seeded image is the same.
      const seeded = images[ref.replace(/^ghcr\.io\//, '')]
      expect({ ref, seeded: seeded !== undefined }).toEqual({ ref, seeded: true })
      expect(components).toContain(`\`${ref}@${seeded.digest}\``)
    }
  })

  it('has every section the record renderer writes, in its order', () => {
    const source = readFileSync(join(ROOT, 'src', 'report', 'record.ts'), 'utf8')
    const rendered = [...source.matchAll(/'## ([^'$]+)'/g)].map(m => m[1])
    expect(rendered.length).toBeGreaterThan(5)
    const inSample = [...sample.matchAll(/^## (.+)$/gm)].map(m => m[1])
    expect(inSample).toEqual(rendered)
  })
})
