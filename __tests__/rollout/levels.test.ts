// Rollback levels over a FakeCluster: what a pod template mounts, the flag
// level (set, read back, who keeps the old value), the config level
// (recorded versions from the state record, restarts), the code level's
// choice of revision, the migration freeze, and timing against the budget.
import { describe, expect, it } from '@jest/globals'
import { StateRecord, type PhaseRecord } from '../../src/lifecycle/record.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { Plan, RollbackLevelSpec } from '../../src/plan/types.js'
import type { RunReport } from '../../src/report/model.js'
import { findRecordedVersion } from '../../src/rollout/config-level.js'
import { migrationFreeze, pickRevision } from '../../src/rollout/code-level.js'
import { runRollbackLevel } from '../../src/rollout/levels.js'
import {
  RESTARTED_AT,
  consumersOf,
  templateReferences,
  type Reference
} from '../../src/rollout/workloads.js'
import {
  ControllerCluster,
  ScriptedExec,
  VirtualClock,
  availableDeployment,
  gateContext
} from './fakes.js'

const NS = 'ns'
const cm = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS },
  data
})

function planWith(levels: RollbackLevelSpec[], extra: Partial<Plan> = {}): Plan {
  return { version: 1, name: 'p', target: { namespace: NS }, rollbackLevels: levels, ...extra }
}

function podSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return { metadata: {}, spec }
}

describe('templateReferences', () => {
  it.each<[string, Record<string, unknown>, Reference[]]>([
    [
      'env from a key',
      {
        containers: [
          { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'flags', key: 'X' } } }] }
        ]
      },
      [{ kind: 'ConfigMap', name: 'flags', use: 'env' }]
    ],
    [
      'envFrom a Secret',
      { containers: [{ envFrom: [{ secretRef: { name: 'api-env' } }] }] },
      [{ kind: 'Secret', name: 'api-env', use: 'env' }]
    ],
    [
      'a whole volume',
      {
        containers: [{ volumeMounts: [{ name: 'c', mountPath: '/etc' }] }],
        volumes: [{ name: 'c', configMap: { name: 'cfg' } }]
      },
      [{ kind: 'ConfigMap', name: 'cfg', use: 'volume' }]
    ],
    [
      'a subPath mount',
      {
        containers: [{ volumeMounts: [{ name: 'c', mountPath: '/etc/x', subPath: 'x' }] }],
        volumes: [{ name: 'c', secret: { secretName: 's' } }]
      },
      [{ kind: 'Secret', name: 's', use: 'subPath' }]
    ],
    [
      'a projected volume',
      {
        containers: [],
        volumes: [
          {
            name: 'p',
            projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] }
          }
        ]
      },
      [
        { kind: 'ConfigMap', name: 'a', use: 'volume' },
        { kind: 'Secret', name: 'b', use: 'volume' }
      ]
    ],
    [
      'an init container',
      { initContainers: [{ envFrom: [{ configMapRef: { name: 'init' } }] }], containers: [] },
      [{ kind: 'ConfigMap', name: 'init', use: 'env' }]
    ],
    ['nothing', { containers: [{ image: 'x' }] }, []]
  ])('%s', (_, spec, want) => {
    expect(templateReferences(podSpec(spec))).toEqual(want)
  })
})

describe('the flag level', () => {
  const flagLevel: RollbackLevelSpec = {
    level: 'flag',
    configMap: 'flags',
    key: 'FEATURE_X',
    value: 'false'
  }

  it('sets the key, reads it back, and warns about pods that read it through env', async () => {
    const reader = availableDeployment('api', 2, NS)
    ;(reader.spec as { template: { spec: Record<string, unknown> } }).template.spec = {
      containers: [
        {
          name: 'app',
          env: [
            {
              name: 'FEATURE_X',
              valueFrom: { configMapKeyRef: { name: 'flags', key: 'FEATURE_X' } }
            }
          ]
        }
      ]
    }
    const mounter = availableDeployment('worker', 1, NS)
    ;(mounter.spec as { template: { spec: Record<string, unknown> } }).template.spec = {
      containers: [{ name: 'w', volumeMounts: [{ name: 'f', mountPath: '/flags' }] }],
      volumes: [{ name: 'f', configMap: { name: 'flags' } }]
    }
    const cluster = new ControllerCluster({
      objects: [cm('flags', { FEATURE_X: 'true' }), reader, mounter]
    })
    const ctx = gateContext({ plan: planWith([flagLevel]), cluster })
    const r = await runRollbackLevel(ctx, cluster, flagLevel, 0)
    expect(r.verdict).toBe('warn')
    expect(r.message).toBe(
      'flag rollback in 0ms of 1m00s: FEATURE_X=false in ConfigMap flags (was "true"), read back; Deployment worker mounts it as a volume: the kubelet updates the file within its sync period (about a minute); Deployment api (env) keeps the old value until restarted'
    )
    expect((cluster.peek(cm('flags', {}))?.data as Record<string, string>).FEATURE_X).toBe('false')
    expect(r.data).toMatchObject({
      level: 'flag',
      budgetMs: 60_000,
      withinBudget: true,
      previous: 'true',
      restartNeeded: ['Deployment api']
    })
  })

  it('passes without a warning when nothing reads the key through env', async () => {
    const cluster = new ControllerCluster({ objects: [cm('flags', {})] })
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([flagLevel]), cluster }),
      cluster,
      flagLevel,
      0
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe(
      'flag rollback in 0ms of 1m00s: FEATURE_X=false in ConfigMap flags (was unset), read back'
    )
  })

  it('fails when the ConfigMap does not exist', async () => {
    const cluster = new ControllerCluster()
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([flagLevel]), cluster }),
      cluster,
      flagLevel,
      0
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      'flag rollback failed after 0ms (budget 1m00s): ConfigMap flags not found in namespace ns'
    )
  })

  it('runs a command for an external flag service, with the flag in its environment', async () => {
    const exec = new ScriptedExec(argv =>
      argv[0] === 'flagctl' ? { exitCode: 0 } : { exitCode: 1 }
    )
    const level: RollbackLevelSpec = {
      level: 'flag',
      key: 'checkout-v2',
      value: 'off',
      command: { run: ['flagctl', 'set'] },
      budget: '30s'
    }
    const cluster = new ControllerCluster()
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([level]), cluster, exec }),
      cluster,
      level,
      0
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe('flag rollback in 0ms of 30.0s: flag command succeeded (flagctl set)')
    expect(exec.calls[0].opts?.env).toMatchObject({
      PHASE_GATE_LEVEL: 'flag',
      PHASE_GATE_FLAG_KEY: 'checkout-v2',
      PHASE_GATE_FLAG_VALUE: 'off',
      PHASE_GATE_NAMESPACE: 'ns'
    })
    expect(exec.calls[0].opts?.timeoutMs).toBe(30_000)
  })

  it('fails a level that outruns its budget even when it worked', async () => {
    const clock = new VirtualClock()
    const exec = new ScriptedExec(() => {
      clock.t += 90_000
      return { exitCode: 0 }
    })
    const level: RollbackLevelSpec = { level: 'flag', command: { run: ['slow'] } }
    const cluster = new ControllerCluster()
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([level]), cluster, exec, clock }),
      cluster,
      level,
      0
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      'flag rollback in 1m30s of 1m00s (over budget): flag command succeeded (slow)'
    )
    expect(r.adjustment).toMatch(/raise rollbackLevels\[0\]\.budget/)
  })
})

describe('the config level', () => {
  const level: RollbackLevelSpec = {
    level: 'config',
    configMaps: ['api-config'],
    secrets: ['api-env']
  }
  const secret = (token: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'api-env', namespace: NS },
    type: 'Opaque',
    data: { TOKEN: Buffer.from(token).toString('base64') }
  })

  async function recorded(
    cluster: ControllerCluster,
    runId: string,
    objects: PhaseRecord['objects'],
    startedAt = '2030-01-01T00:00:00Z'
  ): Promise<void> {
    const record = new StateRecord(cluster, 'p', NS)
    await record.writePhase({ phase: 'config', runId, status: 'applied', startedAt, objects })
    await record.updateIndex(i => i.runs.push({ runId, startedAt, phases: ['config'] }))
  }
  const ref = (kind: string, name: string) => ({ apiVersion: 'v1', kind, name, namespace: NS })

  it('restores the recorded versions and restarts the workloads that mount them', async () => {
    const api = availableDeployment('api', 2, NS)
    ;(api.spec as { template: { spec: Record<string, unknown> } }).template.spec = {
      containers: [
        {
          name: 'app',
          envFrom: [{ secretRef: { name: 'api-env' } }],
          volumeMounts: [{ name: 'c', mountPath: '/etc' }]
        }
      ],
      volumes: [{ name: 'c', configMap: { name: 'api-config' } }]
    }
    const cluster = new ControllerCluster({
      objects: [
        cm('api-config', { MODE: 'v2' }),
        secret('new'),
        api,
        availableDeployment('other', 1, NS)
      ]
    })
    await recorded(cluster, 'run-0', [
      {
        ref: ref('ConfigMap', 'api-config'),
        created: false,
        before: cm('api-config', { MODE: 'v1' }),
        kept: false
      },
      { ref: ref('Secret', 'api-env'), created: false, before: secret('old'), kept: false }
    ])
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([level]), cluster }),
      cluster,
      level,
      0
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toMatch(
      /^config rollback in \d+ms of 5m00s: restored ConfigMap api-config, Secret api-env to their recorded versions, verified; restarted Deployment api, ready in \d+ms$/
    )
    expect(r.evidence).toContain(
      'restored ConfigMap api-config to its version before phase config of run run-0 (keys changed: MODE)'
    )
    expect(r.evidence).toContain(
      'restored Secret api-env to its version before phase config of run run-0 (keys changed: TOKEN)'
    )
    expect(JSON.stringify(r)).not.toMatch(/bmV3|b2xk/)
    expect((cluster.peek(cm('api-config', {}))?.data as Record<string, string>).MODE).toBe('v1')
    const restarted = cluster.peek(api)?.spec as {
      template: { metadata: { annotations?: Record<string, string> } }
    }
    expect(restarted.template.metadata.annotations?.[RESTARTED_AT]).toBe('2030-01-01T00:00:00.000Z')
    const untouched = cluster.peek(availableDeployment('other', 1, NS))?.spec as {
      template: { metadata: { annotations?: Record<string, string> } }
    }
    expect(untouched.template.metadata.annotations).toBeUndefined()
  })

  it.each<[string, PhaseRecord['objects'] | undefined, RegExp]>([
    [
      'nothing recorded',
      undefined,
      /no recorded version of ConfigMap api-config in the state record/
    ],
    [
      'an object the phase created',
      [{ ref: ref('ConfigMap', 'api-config'), created: true, kept: false }],
      /ConfigMap api-config did not exist before phase config of run run-0: there is no earlier version to restore/
    ]
  ])('fails with %s', async (_, objects, message) => {
    const cluster = new ControllerCluster({ objects: [cm('api-config', { MODE: 'v2' })] })
    if (objects) await recorded(cluster, 'run-0', objects)
    const only: RollbackLevelSpec = { level: 'config', configMaps: ['api-config'] }
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([only]), cluster }),
      cluster,
      only,
      0
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(message)
    expect((cluster.peek(cm('api-config', {}))?.data as Record<string, string>).MODE).toBe('v2')
  })

  it('finds the newest record: this run first, then newer runs before older ones', async () => {
    const cluster = new ControllerCluster()
    await recorded(
      cluster,
      'old',
      [{ ref: ref('ConfigMap', 'x'), created: false, before: cm('x', { v: '1' }), kept: false }],
      '2030-01-01T00:00:00Z'
    )
    await recorded(
      cluster,
      'new',
      [{ ref: ref('ConfigMap', 'x'), created: false, before: cm('x', { v: '2' }), kept: false }],
      '2030-01-02T00:00:00Z'
    )
    const record = new StateRecord(cluster, 'p', NS)
    expect((await findRecordedVersion(record, ref('ConfigMap', 'x'), 'unrelated'))?.runId).toBe(
      'new'
    )
    expect((await findRecordedVersion(record, ref('ConfigMap', 'x'), 'old'))?.runId).toBe('old')
    expect(await findRecordedVersion(record, ref('ConfigMap', 'y'), 'old')).toBeUndefined()
  })
})

describe('the code level', () => {
  const rs = (revision: number, hash: string, image: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `api-${hash}`,
      labels: { 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) }
    },
    spec: {
      template: {
        metadata: { labels: { app: 'api', 'pod-template-hash': hash } },
        spec: { containers: [{ name: 'app', image }] }
      }
    }
  })
  const r1 = rs(1, 'h1', 'app:1.0')
  const r2 = rs(2, 'h2', 'app:2.0')
  const r3 = rs(3, 'h3', 'app:2.0')
  const r4 = rs(4, 'h4', 'app:3.0')

  it.each<
    [
      string,
      KubeObject[],
      KubeObject,
      { image?: string; revision?: string } | undefined,
      string | undefined,
      string | undefined
    ]
  >([
    [
      'the previous revision',
      [r1, r2],
      r2,
      undefined,
      'h1',
      'the newest revision before 2 with other images'
    ],
    [
      'skips a restart (same images) for other code',
      [r1, r2, r3],
      r3,
      undefined,
      'h1',
      'the newest revision before 3 with other images'
    ],
    [
      'the last known-good image from the state record',
      [r1, r2, r4],
      r4,
      { image: 'app:1.0' },
      'h1',
      'last known-good image app:1.0 (state record)'
    ],
    [
      'the last known-good revision from the state record',
      [r1, r2, r4],
      r4,
      { revision: '2' },
      'h2',
      'last known-good revision 2 (state record)'
    ],
    [
      'a known-good image no ReplicaSet has falls back to history',
      [r1, r4],
      r4,
      { image: 'app:0.9' },
      'h1',
      'the newest revision before 4 with other images'
    ],
    [
      'the revision before when every one runs the same images',
      [r2, r3],
      r3,
      undefined,
      'h2',
      'the revision before 3'
    ],
    ['nothing to go back to', [r2], r2, undefined, undefined, undefined]
  ])('%s', (_, owned, current, lkg, hash, why) => {
    const pick = pickRevision(owned, current, lkg)
    expect(pick?.rs.metadata.labels?.['pod-template-hash']).toBe(hash)
    expect(pick?.why).toBe(why)
  })

  it('refuses a kind it cannot undo, naming the alternatives', async () => {
    const level: RollbackLevelSpec = { level: 'code', target: { kind: 'StatefulSet', name: 'db' } }
    const cluster = new ControllerCluster()
    const r = await runRollbackLevel(
      gateContext({ plan: planWith([level]), cluster }),
      cluster,
      level,
      0
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(/code rollback of a StatefulSet is not built in/)
    expect(r.adjustment).toMatch(/helm: \{release\}|command/)
  })
})

describe('the migration freeze', () => {
  const levels: RollbackLevelSpec[] = [
    { level: 'flag', configMap: 'f', key: 'k', value: 'v' },
    { level: 'config', configMaps: ['c'] },
    { level: 'code', target: { kind: 'Deployment', name: 'api' } }
  ]
  const report = (reversible: boolean, failedStep: string): RunReport => ({
    schemaVersion: 1,
    tool: { name: 'phase-gate', version: '0' },
    plan: 'p',
    planFile: 'p.yaml',
    runId: 'run-1',
    target: { namespace: NS },
    startedAt: '',
    finishedAt: '',
    verdict: 'fail',
    gates: [
      {
        gate: 'phase',
        verdict: 'fail',
        durationMs: 0,
        startedAt: '',
        checks: [
          {
            id: 'migration:m',
            kind: 'migration',
            target: 'migrate up',
            verdict: 'fail',
            severity: 'high',
            message: `migration ${failedStep} failed`,
            durationMs: 0,
            data: {
              reversible,
              steps: [
                { step: 'up', exitCode: failedStep === 'up' ? 1 : 0 },
                ...(failedStep === 'up' ? [] : [{ step: failedStep, exitCode: 1 }])
              ]
            }
          }
        ]
      }
    ]
  })

  it.each<[string, Plan['phases'], string[], RunReport[], RegExp | undefined]>([
    [
      'a phase of the run migrated without a down step',
      [{ name: 'db', migration: { up: ['migrate', 'up'] } }],
      ['db'],
      [],
      /phase db ran a migration \(migrate up\) that has no down step/
    ],
    [
      'the migration has a down step',
      [{ name: 'db', migration: { up: ['migrate', 'up'], down: ['migrate', 'down'] } }],
      ['db'],
      [],
      undefined
    ],
    [
      'the phase did not run in this deployment',
      [{ name: 'db', migration: { up: ['migrate', 'up'] } }],
      ['web'],
      [],
      undefined
    ],
    [
      'a migration check found down failing',
      [],
      [],
      [report(false, 'down')],
      /the migration check migrate up found the migration irreversible/
    ],
    ['a migration check whose up failed migrated nothing', [], [], [report(false, 'up')], undefined]
  ])('%s', async (_, phases, ran, earlier, reason) => {
    const cluster = new ControllerCluster({ objects: [availableDeployment('api', 2, NS)] })
    await new StateRecord(cluster, 'p', NS).updateIndex(i =>
      i.runs.push({ runId: 'run-1', startedAt: '', phases: ran })
    )
    const ctx = { ...gateContext({ plan: planWith(levels, { phases }), cluster }), earlier }
    const why = await migrationFreeze(ctx, new StateRecord(cluster, 'p', NS))
    if (reason) expect(why).toMatch(reason)
    else expect(why).toBeUndefined()
    if (reason) {
      const r = await runRollbackLevel(ctx, cluster, levels[2], 2)
      expect(r.verdict).toBe('fail')
      expect(r.message).toMatch(
        /^code rollback failed after 0ms \(budget 15m00s\): code rollback refused: /
      )
      expect(r.adjustment).toBe(
        'the old code cannot run on the migrated schema; use --level flag or --level config instead, or roll the migration forward'
      )
      expect(r.data).toMatchObject({ refused: true, offered: ['flag', 'config'] })
      expect(cluster.callsOf('replace')).toEqual([])
    }
  })
})

describe('consumersOf', () => {
  it('lists the workloads whose pods reference the named objects, with how', async () => {
    const a = availableDeployment('a', 1, NS)
    ;(a.spec as { template: { spec: Record<string, unknown> } }).template.spec = {
      containers: [{ envFrom: [{ configMapRef: { name: 'cfg' } }] }]
    }
    const cluster = new ControllerCluster({ objects: [a, availableDeployment('b', 1, NS)] })
    expect(await consumersOf(cluster, NS, { configMaps: ['cfg'] })).toEqual([
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a', namespace: NS },
        uses: [{ kind: 'ConfigMap', name: 'cfg', use: 'env' }]
      }
    ])
    expect(await consumersOf(cluster, NS, { secrets: ['cfg'] })).toEqual([])
  })
})
