import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { UsageError } from '../../src/core/errors.js'
import { loadPlan } from '../../src/plan/loader.js'
import { formatProblem, lintPlan } from '../../src/plan/lint.js'
import {
  assertFleetContexts,
  fleetClusterTarget,
  haltThreshold,
  resolveWaves
} from '../../src/fleet/plan.js'

const dir = mkdtempSync(path.join(tmpdir(), 'phase-gate-fleet-plan-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
async function load(fleet: string) {
  const file = path.join(dir, `p${++n}.yaml`)
  writeFileSync(file, `version: 1\nname: web\ntarget: {namespace: web}\nfleet:\n${fleet}`)
  return loadPlan(file, { workspace: dir })
}
async function lint(fleet: string): Promise<string[]> {
  const loaded = await load(fleet)
  return lintPlan(loaded, { checkFiles: false }).map(p =>
    formatProblem(p).replace(loaded.displayFile, 'F')
  )
}

const GOOD = `  clusters:
    - {name: eu-1, context: ctx-1, labels: {ring: canary}}
    - {name: eu-2, context: ctx-2, labels: {ring: main}}
    - {name: us-1, context: ctx-3, labels: {ring: main}, namespace: shop-us}
  waves:
    - {name: canary, select: {ring: canary}}
    - {name: main, select: {ring: main}, maxParallel: 2, soak: 10m}
  haltOn: {failedClusters: 1}
  onHalt: rollback
`

describe('fleet in the plan', () => {
  it('loads and lints a good fleet; waves resolve to their clusters in plan order', async () => {
    expect(await lint(GOOD)).toEqual([])
    const loaded = await load(GOOD)
    const waves = resolveWaves(loaded.plan.fleet!)
    expect(waves.map(w => [w.wave.name, w.clusters.map(c => c.name)])).toEqual([
      ['canary', ['eu-1']],
      ['main', ['eu-2', 'us-1']]
    ])
  })

  it('a cluster in no wave is an error at its line', async () => {
    const problems = await lint(`  clusters:
    - {name: eu-1, context: ctx-1, labels: {ring: canary}}
    - {name: lost, context: ctx-2, labels: {ring: edge}}
  waves:
    - {name: canary, select: {ring: canary}}
`)
    expect(problems).toEqual([
      expect.stringMatching(/^F:7:7: fleet\.clusters\[1\]: cluster "lost" is in no wave/)
    ])
  })

  it('a wave selecting none is an error at its select line', async () => {
    const problems = await lint(`  clusters:
    - {name: eu-1, context: ctx-1, labels: {ring: canary}}
  waves:
    - {name: canary, select: {ring: canary}}
    - {name: main, select: {ring: main}}
`)
    expect(problems).toEqual([
      expect.stringMatching(
        /^F:9:\d+: fleet\.waves\[1\]\.select: wave "main" selects no cluster: no cluster has the labels ring=main/
      )
    ])
  })

  it('more than 8 waves is an error at the ninth', async () => {
    const clusters = Array.from(
      { length: 9 },
      (_, i) => `    - {name: c${i}, context: x, labels: {w: "${i}"}}\n`
    ).join('')
    const waves = Array.from(
      { length: 9 },
      (_, i) => `    - {name: w${i}, select: {w: "${i}"}}\n`
    ).join('')
    const problems = await lint(`  clusters:\n${clusters}  waves:\n${waves}`)
    expect(problems).toEqual([
      expect.stringMatching(/^F:24:\d+: fleet\.waves\[8\]: a fleet has at most 8 waves.*has 9/)
    ])
    // Eight waves are fine.
    const eight = await lint(
      `  clusters:\n${clusters.split('\n').slice(0, 8).join('\n')}\n  waves:\n${waves.split('\n').slice(0, 8).join('\n')}\n`
    )
    expect(eight).toEqual([])
  })

  it('duplicate names and an unknown onHalt are refused', async () => {
    const problems = await lint(`  clusters:
    - {name: eu-1, context: ctx-1, labels: {ring: canary}}
    - {name: eu-1, context: ctx-2, labels: {ring: canary}}
  waves:
    - {name: canary, select: {ring: canary}}
`)
    expect(problems).toEqual([
      expect.stringMatching(/^F:7:\d+: fleet\.clusters\[1\]\.name: duplicate cluster name "eu-1"/)
    ])
    await expect(load(`${GOOD}  onHalt: pause\n`)).rejects.toThrow(UsageError)
  })

  it('haltOn counts or takes a percentage of the wave, at least one', async () => {
    const fleet = (await load(GOOD)).plan.fleet!
    expect(haltThreshold(fleet, 10)).toBe(1)
    expect(haltThreshold({ ...fleet, haltOn: { failedClusters: 3 } }, 10)).toBe(3)
    expect(haltThreshold({ ...fleet, haltOn: { percent: 50 } }, 3)).toBe(2)
    expect(haltThreshold({ ...fleet, haltOn: { percent: 1 } }, 3)).toBe(1)
  })

  it('a context missing from the kubeconfig is a usage error naming it and its line', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncontexts:\n- {name: ctx-1, context: {cluster: a, user: a}}\n- {name: ctx-3, context: {cluster: a, user: a}}\n`
    )
    const loaded = await load(GOOD)
    let error: unknown
    try {
      assertFleetContexts(loaded, kubeconfig)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UsageError)
    const u = error as UsageError
    expect(u.message).toMatch(/1 fleet context is missing/)
    expect(u.problems).toEqual([
      expect.stringMatching(
        /:7:\d+: fleet\.clusters\[1\]\.context: cluster "eu-2" names context "ctx-2", which is not in kubeconfig .*contexts there: ctx-1, ctx-3/
      )
    ])
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncontexts:\n- {name: ctx-1}\n- {name: ctx-2}\n- {name: ctx-3}\n`
    )
    expect(() => assertFleetContexts(loaded, kubeconfig)).not.toThrow()
  })

  it("check --cluster takes that cluster's context and namespace override; an unknown name names the clusters", async () => {
    const loaded = await load(GOOD)
    expect(fleetClusterTarget(loaded, 'us-1')).toEqual({ context: 'ctx-3', namespace: 'shop-us' })
    expect(fleetClusterTarget(loaded, 'eu-2')).toEqual({ context: 'ctx-2', namespace: 'web' })
    expect(() => fleetClusterTarget(loaded, 'eu-9')).toThrow(UsageError)
    expect(() => fleetClusterTarget(loaded, 'eu-9')).toThrow(
      /no cluster "eu-9" in .*; clusters: eu-1, eu-2, us-1/
    )
    expect(() => fleetClusterTarget(loaded, 'eu-1', { context: 'other' })).toThrow(
      /drop --context\/--namespace, or drop --cluster/
    )
  })
})
