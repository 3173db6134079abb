// The action's fleet-step inputs and the list step through the action's code:
// the same fleet code as the CLI, its JSON in the `fleet` output.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFleetInputs, readInputs } from '../../src/action/inputs.js'
import { runFleetStep, fleetReportPath, saveFleetRunState } from '../../src/action/fleet.js'
import { UsageError } from '../../src/core/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'pg-fleet-action-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const saved = { ...process.env }
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  Object.assign(process.env, saved)
})

function inputs(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[`INPUT_${k.toUpperCase()}`] = v
}

const kubeconfig = (contexts: string[]): string => {
  const file = join(dir, `kubeconfig-${contexts.length}`)
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 'x' } }],
      contexts: contexts.map(name => ({ name, context: { cluster: 'c', user: 'u' } }))
    })
  )
  return file
}

const PLAN = `version: 1
name: web
target: {namespace: web}
fleet:
  clusters:
    - {name: eu-1, context: prod-eu-1, labels: {ring: canary}}
    - {name: eu-2, context: prod-eu-2, labels: {ring: main}}
  waves:
    - {name: canary, select: {ring: canary}}
    - {name: main, select: {ring: main}, maxParallel: 2, soak: 10m}
`

/** The outputs the action set, from the GITHUB_OUTPUT file. */
function outputs(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8')
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^(\S+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]] = m[3]
  return out
}

describe('action fleet-step', () => {
  it('reads fleet-step, wave, cluster, from and environment-prefix; gate is not needed', () => {
    inputs({
      'fleet-step': 'deploy',
      wave: 'canary',
      cluster: 'eu-1',
      from: 'reports',
      'environment-prefix': 'prod-',
      'run-id': '7'
    })
    expect(readFleetInputs({ GITHUB_WORKSPACE: '/w' })).toEqual({
      step: 'deploy',
      wave: 'canary',
      cluster: 'eu-1',
      from: '/w/reports',
      environmentPrefix: 'prod-'
    })
    expect(readInputs({ GITHUB_WORKSPACE: '/w' }).runId).toBe('7')
  })

  it('an unknown step is a usage error naming the steps', () => {
    inputs({ 'fleet-step': 'deploi', 'run-id': '7' })
    expect(() => readFleetInputs({})).toThrow(UsageError)
    expect(() => readFleetInputs({})).toThrow(/list, check, deploy, soak, rollback, record/)
  })

  it('without fleet-step the gate input is still required', () => {
    inputs({ 'run-id': '7' })
    expect(readFleetInputs({})).toBeUndefined()
    expect(() => readInputs({})).toThrow(/input "gate" is required/)
  })

  it('list sets the fleet output to the --list JSON on one line', async () => {
    const planFile = join(dir, 'phase-gate.yaml')
    writeFileSync(planFile, PLAN)
    const out = join(dir, 'github-output')
    writeFileSync(out, '')
    process.env.GITHUB_OUTPUT = out
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md')
    inputs({ 'fleet-step': 'list', plan: planFile, 'run-id': '7' })
    const settings = {
      ...readInputs({ GITHUB_WORKSPACE: dir }),
      kubeconfig: { kind: 'path' as const, path: kubeconfig(['prod-eu-1', 'prod-eu-2']) }
    }
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined
    }
    const fleet = readFleetInputs({ GITHUB_WORKSPACE: dir })!
    const outcome = await runFleetStep(settings, fleet, log)
    expect(outcome.verdict).toBe('pass')
    const set = outputs(out)
    expect(set.fleet).not.toContain('\n')
    expect(JSON.parse(set.fleet)).toMatchObject({
      plan: 'web',
      onHalt: 'rollback',
      maxWaves: 8,
      waves: [
        { index: 1, name: 'canary', clusters: ['eu-1'], contexts: { 'eu-1': 'prod-eu-1' } },
        { index: 2, name: 'main', clusters: ['eu-2'], maxParallel: 2, soak: '10m' }
      ]
    })
    expect(set.verdict).toBe('pass')
    // A context missing from the kubeconfig: exit 2 naming it, as the CLI.
    const missing = {
      ...settings,
      kubeconfig: { kind: 'path' as const, path: kubeconfig(['prod-eu-1']) }
    }
    const err = await runFleetStep(missing, fleet, log).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect((err as UsageError).problems.join('\n')).toMatch(
      /cluster "eu-2" names context "prod-eu-2", which is not in kubeconfig/
    )
  })

  it("a deploy step saves its cluster's context and namespace for the post step (finishing a cancelled phase there)", async () => {
    const planFile = join(dir, 'phase-gate-ns.yaml')
    writeFileSync(
      planFile,
      PLAN.replace('labels: {ring: main}}', 'labels: {ring: main}, namespace: shop}')
    )
    const stateFile = join(dir, 'github-state')
    writeFileSync(stateFile, '')
    process.env.GITHUB_STATE = stateFile
    inputs({
      'fleet-step': 'deploy',
      wave: 'main',
      cluster: 'eu-2',
      plan: planFile,
      'run-id': '77'
    })
    const settings = readInputs({ GITHUB_WORKSPACE: dir })
    await saveFleetRunState(settings, readFleetInputs({ GITHUB_WORKSPACE: dir })!)
    expect(outputs(stateFile)).toEqual({
      runId: '77',
      gate: 'phase',
      planPath: planFile,
      context: 'prod-eu-2',
      namespace: 'shop'
    })
    // Other steps touch many clusters or none: nothing saved.
    writeFileSync(stateFile, '')
    await saveFleetRunState(settings, { step: 'check', wave: 'main' })
    expect(readFileSync(stateFile, 'utf8')).toBe('')
  })

  it('each step writes its report to its own path (step, wave, cluster)', () => {
    process.env.RUNNER_TEMP = '/rt'
    const settings = readInputsFor()
    expect(fleetReportPath(settings, { step: 'deploy', wave: 'main', cluster: 'eu-2' })).toBe(
      '/rt/phase-gate/fleet/deploy-main-eu-2.json'
    )
    expect(fleetReportPath(settings, { step: 'record' })).toBe('/rt/phase-gate/fleet/record.json')
  })
})

function readInputsFor() {
  inputs({ 'fleet-step': 'record', 'run-id': '7' })
  return readInputs({ GITHUB_WORKSPACE: '/w' })
}
