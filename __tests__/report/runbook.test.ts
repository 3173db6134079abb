// The runbook: the committed one of examples/soak is what `phase-gate
// runbook` renders today (UPDATE_RUNBOOK=1 rewrites it), every command it
// prints parses (phase-gate lines through the CLI's own parser), and the
// parts that depend on the plan (Helm, Prometheus access, levels, findings,
// notifications) come out right.
import { describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCli } from '../../src/cli/args.js'
import { loadValidPlan } from '../../src/engine.js'
import type { Plan } from '../../src/plan/types.js'
import type { CheckResult } from '../../src/report/model.js'
import {
  promQueryCommand,
  renderRunbook,
  runbookDate,
  runbookInput,
  type RunbookInput
} from '../../src/report/runbook.js'
import { shq } from '../../src/report/shell.js'
import { runbookCommands, shellWords } from '../support/runbook-commands.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PLAN = 'examples/soak/phase-gate.yaml'
const DOC = join(root, 'docs/runbook-storefront.md')

async function exampleRunbook(date: string): Promise<string> {
  const loaded = await loadValidPlan({ planPath: join(root, PLAN), workspace: root })
  return renderRunbook(await runbookInput(loaded, { workspace: root, date }))
}

describe('the committed runbook of examples/soak', () => {
  it('is what phase-gate renders today (UPDATE_RUNBOOK=1 rewrites it)', async () => {
    const committed = await readFile(DOC, 'utf8').catch(() => '')
    const date = /^\| Date \| (\d{4}-\d{2}-\d{2}) \|$/m.exec(committed)?.[1] ?? runbookDate()
    const fresh = await exampleRunbook(date)
    if (process.env.UPDATE_RUNBOOK === '1') await writeFile(DOC, fresh)
    else expect(committed).toBe(fresh)
  })

  it('prints only commands that parse: phase-gate lines through the CLI parser, with the plan file and the run id', async () => {
    const commands = runbookCommands(await readFile(DOC, 'utf8'))
    const env = {
      RUN_ID: 'storefront-20250601120000',
      PHASE_GATE_PROMETHEUS: 'http://127.0.0.1:9090'
    }
    const tools = new Set<string>()
    for (const line of commands) {
      const [tool, ...args] = shellWords(line, env)
      tools.add(tool)
      if (tool === 'phase-gate') {
        const inv = parseCli(args, {}, root)
        expect(inv.settings.planPath).toBe(join(root, PLAN))
        if (
          inv.command === 'check' &&
          !['reality-check', 'tracer', 'plan'].includes(inv.settings.gate)
        )
          expect(inv.settings.runId).toBe(env.RUN_ID)
      }
    }
    expect([...tools].sort()).toEqual(['curl', 'export', 'kubectl', 'phase-gate'])
    // Every gate of the plan's way to stable, every level, in order.
    const gates = commands
      .filter(c => c.startsWith('phase-gate check'))
      .map(c => c.replace(/^phase-gate check \S+ /, '').replace(/ --run-id "\$RUN_ID"$/, ''))
    expect(gates).toEqual([
      '--gate reality-check',
      '--gate tracer',
      '--gate plan',
      '--gate phase --phase config',
      '--gate phase --phase app',
      '--gate validate',
      '--gate rollout --stage canary',
      '--gate rollout --stage full',
      '--gate soak',
      '--gate record',
      '--gate rollback --level flag',
      '--gate rollback --level config',
      '--gate rollback --level code'
    ])
    // No webhook URL, only the names of the variables holding them; the only address is the plan's Prometheus.
    expect(
      commands
        .join('\n')
        .match(/https?:\/\/[^/\s]+/g)
        ?.filter(u => u !== 'http://127.0.0.1:19090')
    ).toEqual([])
  })
})

function input(plan: Partial<Plan>, over: Partial<RunbookInput> = {}): RunbookInput {
  return {
    plan: { version: 1, name: 'shop', target: { namespace: 'shop' }, ...plan } as Plan,
    planFile: 'deploy/phase-gate.yaml',
    namespace: 'shop',
    date: '2025-06-01',
    objects: {},
    ...over
  }
}

describe('renderRunbook', () => {
  it('Helm phases and a Helm code level: helm status/history/rollback with the namespace', () => {
    const md = renderRunbook(
      input({
        phases: [{ name: 'api', helm: { release: 'api', chart: 'charts/api', version: '1.2.0' } }],
        rollbackLevels: [{ level: 'code', helm: { release: 'api' } }]
      })
    )
    const cmds = runbookCommands(md)
    expect(cmds).toEqual(
      expect.arrayContaining([
        'helm version --short',
        'helm -n shop status api',
        'helm -n shop history api --max 5',
        'helm -n shop rollback api'
      ])
    )
    expect(md).toContain('Installs or upgrades Helm release `api` (chart `charts/api` 1.2.0)')
  })

  it('prints the migration commands exactly as they run, and the rollback command of an onFailure: stop phase', () => {
    const md = renderRunbook(
      input({
        phases: [
          {
            name: 'db',
            apply: ['db.yaml'],
            onFailure: 'stop',
            migration: { up: ['./migrate', 'up'], down: ['./migrate', 'down'] }
          },
          { name: 'sql', apply: ['s.yaml'], migration: { up: ['psql -f up.sql'], shell: true } }
        ]
      })
    )
    const commands = runbookCommands(md)
    expect(commands).toContain('(cd "$(dirname deploy/phase-gate.yaml)" && ./migrate up)')
    expect(commands).toContain(
      '(cd "$(dirname deploy/phase-gate.yaml)" && ./migrate down)   # on rollback'
    )
    expect(commands).toContain('(cd "$(dirname deploy/phase-gate.yaml)" && sh -c "psql -f up.sql")')
    expect(md).toContain('**stops without rolling back** (onFailure: stop)')
    expect(
      commands.some(c =>
        c.startsWith(
          'phase-gate check deploy/phase-gate.yaml --gate rollback --phase db --run-id "$RUN_ID"'
        )
      )
    ).toBe(true)
  })

  it('a context goes on every kubectl; a migration without down freezes code rollback', () => {
    const md = renderRunbook(
      input({
        target: { namespace: 'shop', context: 'prod-eu' },
        phases: [{ name: 'db', apply: ['db.yaml'], migration: { up: ['./migrate', 'up'] } }],
        rollbackLevels: [{ level: 'code', target: { kind: 'Deployment', name: 'api' } }]
      })
    )
    const kubectls = runbookCommands(md).filter(
      c => c.startsWith('kubectl ') && c !== 'kubectl version --client'
    )
    expect(kubectls.length).toBeGreaterThan(2)
    for (const c of kubectls) expect(c).toMatch(/^kubectl --context prod-eu -n shop /)
    expect(md).toContain('with **no down step: code rollback is frozen after it**')
    expect(md).toContain('phase-gate refuses code rollback after it')
  })

  it.each<[string, Plan['prometheus'], string]>([
    [
      'a URL',
      'http://prometheus.monitoring:9090/',
      `curl -fsS --get http://prometheus.monitoring:9090/api/v1/query --data-urlencode 'query=up == 0'`
    ],
    [
      'a bearer token',
      { url: 'https://prom.example.test', bearerTokenEnv: 'PROM_TOKEN' },
      `curl -fsS -H "Authorization: Bearer $PROM_TOKEN" --get https://prom.example.test/api/v1/query --data-urlencode 'query=up == 0'`
    ],
    [
      'basic auth and a CA',
      {
        url: 'https://prom.example.test',
        basicAuth: { usernameEnv: 'U', passwordEnv: 'P' },
        caFile: 'ca.pem'
      },
      `curl -fsS -u "$U:$P" --cacert ca.pem --get https://prom.example.test/api/v1/query --data-urlencode 'query=up == 0'`
    ],
    [
      'the service proxy',
      { url: 'http://x', serviceProxy: 'monitoring/prometheus-k8s:9090' },
      `kubectl get --raw '/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query?query=up%20%3D%3D%200'`
    ],
    [
      'none: the environment',
      undefined,
      `curl -fsS --get "$PHASE_GATE_PROMETHEUS/api/v1/query" --data-urlencode 'query=up == 0'`
    ]
  ])('asks Prometheus by %s', (_, spec, cmd) => expect(promQueryCommand(spec, 'up == 0')).toBe(cmd))

  it('config level: restarts exactly the workloads whose templates read the ConfigMap', () => {
    const md = renderRunbook(
      input(
        {
          phases: [{ name: 'app', apply: ['app.yaml'] }],
          rollbackLevels: [{ level: 'config', configMaps: ['api-config'] }]
        },
        {
          objects: {
            app: [
              { kind: 'Deployment', name: 'api', reads: ['ConfigMap/api-config'] },
              { kind: 'Deployment', name: 'worker', reads: ['Secret/worker-env'] },
              { kind: 'StatefulSet', name: 'cache', reads: ['ConfigMap/api-config'] },
              { kind: 'ConfigMap', name: 'api-config', reads: [] }
            ]
          }
        }
      )
    )
    expect(runbookCommands(md)).toEqual(
      expect.arrayContaining([
        'kubectl -n shop rollout restart deployment/api statefulset/cache',
        'kubectl -n shop rollout status deployment/api --timeout=300s',
        'kubectl -n shop rollout status statefulset/cache --timeout=300s'
      ])
    )
    expect(runbookCommands(md).filter(c => c.includes('rollout restart'))).toEqual([
      'kubectl -n shop rollout restart deployment/api statefulset/cache'
    ])
  })

  it('lists the reality check findings it was given, and says how to get them when not', () => {
    const c = (verdict: CheckResult['verdict'], message: string): CheckResult => ({
      id: 'image:x',
      kind: 'image',
      target: 'ghcr.io/x:1',
      verdict,
      severity: verdict === 'fail' ? 'high' : 'medium',
      message,
      durationMs: 1,
      adjustment: 'push it'
    })
    const md = renderRunbook(
      input(
        {},
        { findings: [{ gate: 'reality-check', check: c('warn', 'image is 600 MB | big') }] }
      )
    )
    expect(md).toContain(
      '| reality-check | medium | image ghcr.io/x:1 | image is 600 MB \\| big | push it |'
    )
    expect(renderRunbook(input({}))).toContain(
      '`phase-gate runbook deploy/phase-gate.yaml --reports DIR` lists its findings here'
    )
    expect(renderRunbook(input({}, { findings: [] }))).toContain('found nothing to fix')
  })

  it('communication: who is told of each event, without webhooks: by hand', () => {
    const withHooks = renderRunbook(
      input({
        owners: ['@a'],
        notify: [
          { name: 'chat', urlEnv: 'CHAT_URL', format: 'slack' },
          { urlEnv: 'PAGER_URL', events: ['degraded'] }
        ]
      })
    )
    expect(withHooks).toContain(
      '| degraded | the soak finds a violation | chat (slack), PAGER_URL (json) | owners and on-call (@a) |'
    )
    expect(withHooks).toContain('| stable | the soak window passes clean | chat (slack) |  |')
    expect(renderRunbook(input({}))).toContain(
      'No webhook is configured (`notify:`): tell the owners by hand at each event above.'
    )
  })

  it('no rollback levels: says which it lacks', () => {
    expect(renderRunbook(input({}))).toContain(
      "The plan defines no rollback levels: only each phase's own undo is available."
    )
  })
})

describe('helpers', () => {
  it.each([
    ['plain-word_1.2:x=y', 'plain-word_1.2:x=y'],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['{"a":1}', `'{"a":1}'`]
  ])('shq(%j)', (s, q) => {
    expect(shq(s)).toBe(q)
    expect(shellWords(`x ${q}`)).toEqual(['x', s])
  })

  it.each([
    [{ SOURCE_DATE_EPOCH: '1748736000' }, '2025-06-01'],
    [{ SOURCE_DATE_EPOCH: 'soon' }, '2026-01-02'],
    [{}, '2026-01-02']
  ])('runbookDate %j', (env, date) =>
    expect(runbookDate(env, Date.parse('2026-01-02T10:00:00Z'))).toBe(date)
  )
})
