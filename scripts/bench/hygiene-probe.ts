// The bench's hygiene probe: loads a plan (its JSON Schema validation), its
// assumed manifests, and judges every manifest by the built-in hygiene rules
// (the CEL compiled on first use, as in a run), then prints the CPU time that
// took. Bundled by the hygiene-rate section; not part of the product.
import { judgeHygiene } from '../../src/checks/hygiene.js'
import { loadPlan } from '../../src/plan/loader.js'
import { loadAssumedManifests } from '../../src/plan/manifests.js'

async function main(): Promise<void> {
  const [workspace, planFile] = process.argv.slice(2)
  const before = process.cpuUsage()
  const started = performance.now()
  const loaded = await loadPlan(planFile, { workspace })
  const manifests = await loadAssumedManifests(loaded, workspace)
  const results = judgeHygiene({ loaded, manifests, namespace: 'bench' })
  const cpu = process.cpuUsage(before)
  process.stdout.write(
    `${JSON.stringify({
      manifests: manifests.length,
      results: results.length,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - started
    })}\n`
  )
}

void main()
