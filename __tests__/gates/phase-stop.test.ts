// onFailure: stop names the commands that roll the phase back: phase-gate's
// own, and the same steps by hand (kubectl in reverse install order, then the
// migration's down).
import { describe, expect, it } from '@jest/globals'
import { byHandCommands, phaseRollbackCommand } from '../../src/gates/phase-stop.js'
import { migrationCommand } from '../../src/gates/phase-migration.js'
import type { AppliedObject } from '../../src/kube/apply.js'

const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  created: boolean,
  kept = false
): AppliedObject => ({ ref: { apiVersion, kind, name, namespace: 'shop' }, created, kept })

describe('phaseRollbackCommand', () => {
  it('names the plan, the phase and the run, quoted for a shell where needed', () => {
    expect(phaseRollbackCommand('deploy/phase-gate.yaml', 'api', 'run-7')).toBe(
      'phase-gate check deploy/phase-gate.yaml --gate rollback --phase api --run-id run-7'
    )
    expect(phaseRollbackCommand('my plans/p.yaml', 'api', '42')).toBe(
      "phase-gate check 'my plans/p.yaml' --gate rollback --phase api --run-id 42"
    )
  })
})

describe('byHandCommands', () => {
  it('deletes what the phase created in reverse install order, keeps PVCs, undoes workloads that existed, then runs down', () => {
    const commands = byHandCommands({
      objects: [
        obj('v1', 'ConfigMap', 'cfg', true),
        obj('v1', 'PersistentVolumeClaim', 'data', true, true),
        obj('apps/v1', 'Deployment', 'api', true),
        obj('apps/v1', 'StatefulSet', 'db', false),
        obj('v1', 'Service', 'api', false)
      ],
      namespace: 'shop',
      context: 'prod',
      stateSecret: 'phase-gate-app-run-7',
      phase: {
        name: 'api',
        migration: { up: ['./migrate', 'up'], down: ['./migrate', 'down'] }
      },
      migration: [
        { step: 'up', command: './migrate up', exitCode: 0, timedOut: false, durationMs: 5, at: '' }
      ],
      planDir: '/repo/deploy'
    })
    expect(commands).toEqual([
      // Reverse install order: workloads before the Services and config they use.
      'kubectl --context prod -n shop rollout undo statefulset.apps/db && kubectl --context prod -n shop rollout status statefulset.apps/db',
      'kubectl --context prod -n shop delete deployment.apps/api --wait',
      "# restore Service api to its recorded state (objects[].before of phase.api.json): kubectl --context prod -n shop get secret phase-gate-app-run-7 -o jsonpath='{.data.phase\\.api\\.json}' | base64 -d",
      '# keep PersistentVolumeClaim data: undo keeps PersistentVolumeClaims and kept objects',
      'kubectl --context prod -n shop delete configmap/cfg --wait',
      '(cd /repo/deploy && ./migrate down)'
    ])
  })

  it('runs no down when up did not succeed, and says when there is none', () => {
    const base = {
      objects: [],
      namespace: 'shop',
      stateSecret: 's',
      planDir: '/p'
    }
    const failedUp = [
      { step: 'up' as const, command: 'm', exitCode: 1, timedOut: false, durationMs: 1, at: '' }
    ]
    expect(
      byHandCommands({
        ...base,
        phase: { name: 'a', migration: { up: ['m'], down: ['d'] } },
        migration: failedUp
      })
    ).toEqual([])
    expect(
      byHandCommands({
        ...base,
        phase: { name: 'a', migration: { up: ['m'] } },
        migration: [{ ...failedUp[0], exitCode: 0 }]
      })
    ).toEqual(['# the migration has no down step: the schema stays migrated'])
  })
})

describe('migrationCommand', () => {
  it('is the argv as run, or sh -c with the joined command under shell', () => {
    expect(migrationCommand({ up: ['./migrate', 'up'] }, 'up')).toBe('./migrate up')
    expect(migrationCommand({ up: ['x'], down: ['psql -f down.sql'], shell: true }, 'down')).toBe(
      'sh -c "psql -f down.sql"'
    )
  })
})
