// The rollback gate's three levels against the local cluster, each measured
// and reported against its budget: flag (a ConfigMap key, read back), config
// (the ConfigMap and Secret a real phase changed, restored from the state
// record, and the Deployment that mounts them restarted) and code (the
// Deployment undone to the revision with the previous image). Code rollback
// is refused after a migration without a down step.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeObject } from '../../src/kube/types.js'
import {
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from '../support/cluster-env.js'
import { writeFigures } from '../reliability/figures.js'
import { runGate, workspace } from './engine-support.js'

let ns: string
let dir: string
/** Each level's measured time against its budget, left in the figures directory for the closing notes. */
const levels: { level: string; durationMs: number; budgetMs: number; withinBudget: boolean }[] = []
function measured(level: string, data: Record<string, unknown> | undefined): void {
  const durationMs = data?.durationMs as number
  const budgetMs = data?.budgetMs as number
  expect(durationMs).toBeLessThan(budgetMs)
  levels.push({ level, durationMs, budgetMs, withinBudget: durationMs < budgetMs })
}

const DURATION = String.raw`(\d+ms|\d+\.\d+s)`

function plan(extraPhases = ''): string {
  return `version: 1
name: rollbacktest
target: {namespace: ${ns}}
phases:
  - name: config
    apply: [deploy/config.yaml]
    # The config exists before, made by kubectl apply: the phase takes its data.
    forceConflicts: true
${extraPhases}
rollbackLevels:
  - {level: flag, configMap: flags, key: FEATURE_X, value: "false", budget: 1m}
  - {level: config, configMaps: [api-config], secrets: [api-env], budget: 5m}
  - {level: code, target: {kind: Deployment, name: api}, budget: 15m}
`
}

const b64 = (s: string): string => Buffer.from(s).toString('base64')

function configObjects(mode: string, token: string): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: ns },
      data: { MODE: mode }
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api-env', namespace: ns },
      type: 'Opaque',
      data: { TOKEN: b64(token) }
    }
  ]
}

async function image(): Promise<string> {
  const d = await kubectlJson<KubeObject>(['get', 'deployment', 'api', '-n', ns])
  return (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
    .containers[0].image
}

beforeAll(async () => {
  ns = await createTestNamespace('rollback')
  // What runs before the deployment: config v1, flags on, the api on app:1.0 mounting both.
  const api: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.invalid/app:1.0',
              env: [
                {
                  name: 'FEATURE_X',
                  valueFrom: { configMapKeyRef: { name: 'flags', key: 'FEATURE_X' } }
                }
              ],
              envFrom: [{ secretRef: { name: 'api-env' } }],
              volumeMounts: [{ name: 'config', mountPath: '/etc/api' }]
            }
          ],
          volumes: [{ name: 'config', configMap: { name: 'api-config' } }]
        }
      }
    }
  }
  const flags: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'flags', namespace: ns },
    data: { FEATURE_X: 'true' }
  }
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [flags, ...configObjects('v1', 'old-token'), api]
    })
  })
  await kubectl(['rollout', 'status', 'deployment/api', '-n', ns, '--timeout=60s'])

  // The deployment: a real phase changes the config (recording v1 first), then the code moves to app:2.0.
  dir = await workspace({ 'phase-gate.yaml': plan() })
  await mkdir(join(dir, 'deploy'))
  await writeFile(
    join(dir, 'deploy', 'config.yaml'),
    configObjects('v2', 'new-token')
      .map(o => JSON.stringify(o))
      .join('\n---\n')
  )
  const phase = await runGate({ dir, gate: 'phase', phase: 'config', runId: 'rb-run-1' })
  expect(phase.report.gates[0].verdict).toBe('pass')
  await kubectl(['set', 'image', 'deployment/api', 'app=registry.invalid/app:2.0', '-n', ns])
  await kubectl(['rollout', 'status', 'deployment/api', '-n', ns, '--timeout=60s'])
}, 120_000)
afterAll(async () => {
  await deleteNamespace(ns)
  writeFigures('rollback-levels', { levels })
})

describe('the rollback gate', () => {
  it('flag: sets the key, reads it back, says who keeps the old value, within 1m', async () => {
    const { report } = await runGate({ dir, gate: 'rollback', level: 'flag', runId: 'rb-run-1' })
    const gate = report.gates[0]
    const check = gate.checks[0]
    expect(gate.name).toBe('flag')
    // The api reads FEATURE_X through env: the flag is set, with a warning that pods keep the old value.
    expect(check.verdict).toBe('warn')
    expect(check.message).toMatch(
      new RegExp(
        `^flag rollback in ${DURATION} of 1m00s: FEATURE_X=false in ConfigMap flags \\(was "true"\\), read back; Deployment api \\(env\\) keeps the old value until restarted$`
      )
    )
    expect(check.data).toMatchObject({
      level: 'flag',
      budgetMs: 60_000,
      withinBudget: true,
      restartNeeded: ['Deployment api']
    })
    expect(check.data?.durationMs as number).toBeLessThan(60_000)
    expect(gate.budgetMs).toBe(60_000)
    measured('flag', check.data)
    const flags = await kubectlJson<KubeObject>(['get', 'configmap', 'flags', '-n', ns])
    expect((flags.data as Record<string, string>).FEATURE_X).toBe('false')
  }, 60_000)

  it('config: restores the recorded ConfigMap and Secret and restarts what mounts them, within 5m', async () => {
    const { report } = await runGate({ dir, gate: 'rollback', level: 'config', runId: 'rb-run-1' })
    const check = report.gates[0].checks[0]
    expect(check.verdict).toBe('pass')
    expect(check.message).toMatch(
      new RegExp(
        `^config rollback in ${DURATION} of 5m00s: restored ConfigMap api-config, Secret api-env to their recorded versions, verified; restarted Deployment api, ready in ${DURATION}$`
      )
    )
    expect(check.evidence).toMatch(
      /restored ConfigMap api-config to its version before phase config of run rb-run-1 \(keys changed: MODE\)/
    )
    expect(check.data).toMatchObject({ level: 'config', budgetMs: 300_000, withinBudget: true })
    measured('config', check.data)
    // Secret values never reach the report, only key names.
    expect(JSON.stringify(report)).not.toMatch(/old-token|new-token|b2xkLXRva2Vu|bmV3LXRva2Vu/)
    const cm = await kubectlJson<KubeObject>(['get', 'configmap', 'api-config', '-n', ns])
    expect((cm.data as Record<string, string>).MODE).toBe('v1')
    const secret = await kubectlJson<KubeObject>(['get', 'secret', 'api-env', '-n', ns])
    expect(Buffer.from((secret.data as Record<string, string>).TOKEN, 'base64').toString()).toBe(
      'old-token'
    )
    const dep = await kubectlJson<KubeObject>(['get', 'deployment', 'api', '-n', ns])
    const annotations = (
      dep.spec as { template: { metadata: { annotations?: Record<string, string> } } }
    ).template.metadata.annotations
    expect(annotations?.['phase-gate.dev/restartedAt']).toMatch(/^\d{4}-/)
  }, 60_000)

  it('code: undoes the Deployment to the revision with the previous image, verified by image and template hash, within 15m', async () => {
    expect(await image()).toBe('registry.invalid/app:2.0')
    const { report } = await runGate({ dir, gate: 'rollback', level: 'code', runId: 'rb-run-1' })
    const check = report.gates[0].checks[0]
    expect(check.verdict).toBe('pass')
    expect(check.message).toMatch(
      new RegExp(
        `^code rollback in ${DURATION} of 15m00s: Deployment ${ns}/api back on the template of revision 1 \\(registry\\.invalid/app:1\\.0, pod-template-hash \\w+; now revision 4\\), was revision 3 \\(registry\\.invalid/app:2\\.0\\); 2 of 2 pods ready`
      )
    )
    expect(check.data).toMatchObject({ level: 'code', budgetMs: 900_000, withinBudget: true })
    measured('code', check.data)
    expect(await image()).toBe('registry.invalid/app:1.0')
    const pods = await kubectlJson<{ items: KubeObject[] }>([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'app=api'
    ])
    const hashes = new Set(
      pods.items
        .filter(p => !p.metadata.deletionTimestamp)
        .map(p => p.metadata.labels?.['pod-template-hash'])
    )
    expect([...hashes]).toEqual([(check.data?.to as { hash: string }).hash])
  }, 90_000)

  it('without --level runs the first level and says how to escalate', async () => {
    const { report } = await runGate({ dir, gate: 'rollback', runId: 'rb-run-1' })
    expect(report.gates[0].name).toBe('flag')
    expect(report.gates[0].notes).toContain(
      'no --level given: ran the first level the plan lists (flag); escalate with --level config or --level code'
    )
  }, 60_000)

  it('code: is refused after a migration without a down step, offering flag and config', async () => {
    await writeFile(
      join(dir, 'deploy', 'schema.yaml'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'schema', namespace: ns },
        data: { version: '2' }
      })
    )
    await writeFile(
      join(dir, 'phase-gate.yaml'),
      plan(`  - name: migrate
    apply: [deploy/schema.yaml]
    migration: {up: [echo, migrate, up]}`)
    )
    const phase = await runGate({ dir, gate: 'phase', phase: 'migrate', runId: 'rb-run-2' })
    expect(phase.report.gates[0].verdict).toBe('pass')
    const before = await image()
    const { report } = await runGate({ dir, gate: 'rollback', level: 'code', runId: 'rb-run-2' })
    const check = report.gates[0].checks[0]
    expect(check.verdict).toBe('fail')
    expect(check.message).toMatch(
      /code rollback refused: phase migrate ran a migration \(echo migrate up\) that has no down step/
    )
    expect(check.adjustment).toBe(
      'the old code cannot run on the migrated schema; use --level flag or --level config instead, or roll the migration forward'
    )
    expect(await image()).toBe(before)
  }, 60_000)
})
