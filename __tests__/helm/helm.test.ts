// The helm wrapper over a scripted exec (the exact argv, JSON history,
// errors), revision choice and stuck-release advice, and the post-renderer:
// labels on metadata only, and the real script helm runs, end to end.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'
import {
  Helm,
  HelmError,
  previousGoodRevision,
  stuckReleaseAdvice,
  type HelmRevision
} from '../../src/helm/helm.js'
import { addLabelsToManifests, startPostRenderer } from '../../src/helm/post-renderer.js'
import { helmRunLabels, resolveChart } from '../../src/gates/helm-phase.js'
import { ScriptedExec, loadedPlan } from '../rollout/fakes.js'

const rev = (revision: number, status: string, chart = 'web-0.1.0'): HelmRevision => ({
  revision,
  status,
  chart,
  app_version: '1.0',
  updated: '',
  description: ''
})

describe('Helm', () => {
  it('upgrade --install names the cluster, values in order, the post-renderer, and never --wait', async () => {
    const exec = new ScriptedExec()
    const helm = new Helm({ exec, namespace: 'shop', kubeconfig: '/k/config', context: 'staging' })
    await helm.upgradeInstall('web', '/charts/web', {
      version: '0.2.0',
      valuesFiles: ['/p/base.yaml', '/tmp/values.yaml'],
      postRenderer: {
        executable: '/usr/bin/node',
        args: ['/tmp/pr/post-render.mjs', '/tmp/pr/render.sock']
      },
      timeoutMs: 90_000
    })
    expect(exec.calls[0].argv).toEqual([
      'helm',
      'upgrade',
      '--install',
      'web',
      '/charts/web',
      '--version',
      '0.2.0',
      '--values',
      '/p/base.yaml',
      '--values',
      '/tmp/values.yaml',
      '--post-renderer',
      '/usr/bin/node',
      '--post-renderer-args',
      '/tmp/pr/post-render.mjs',
      '--post-renderer-args',
      '/tmp/pr/render.sock',
      '--timeout',
      '90s',
      '--namespace',
      'shop',
      '--kubeconfig',
      '/k/config',
      '--kube-context',
      'staging'
    ])
    expect(exec.calls[0].argv).not.toContain('--wait')
    expect(exec.calls[0].opts?.timeoutMs).toBe(120_000)
  })

  it("passes the run's --set values after the values files, to upgrade and template alike", async () => {
    const exec = new ScriptedExec()
    const helm = new Helm({ exec, namespace: 'n' })
    const o = { valuesFiles: ['/v.yaml'], set: ['image.tag=2.0', 'replicaCount=3'] }
    await helm.upgradeInstall('web', 'c', { ...o, timeoutMs: 1000 })
    await helm.template('web', 'c', o)
    for (const call of exec.calls)
      expect(call.argv.join(' ')).toContain(
        '--values /v.yaml --set image.tag=2.0 --set replicaCount=3'
      )
  })

  it('dry runs on the server', async () => {
    const exec = new ScriptedExec()
    await new Helm({ exec, namespace: 'n' }).upgradeInstall('web', 'c', {
      valuesFiles: [],
      timeoutMs: 1000,
      dryRun: true
    })
    expect(exec.calls[0].argv).toContain('--dry-run=server')
  })

  it('reads history as data, oldest first, and a missing release as no history', async () => {
    const exec = new ScriptedExec(argv =>
      argv.includes('missing')
        ? { exitCode: 1, stderr: 'Error: release: not found\n' }
        : { stdout: JSON.stringify([rev(2, 'deployed'), rev(1, 'superseded')]) }
    )
    const helm = new Helm({ exec, namespace: 'n' })
    expect((await helm.history('web')).map(h => h.revision)).toEqual([1, 2])
    expect(exec.calls[0].argv).toEqual([
      'helm',
      'history',
      'web',
      '--max',
      '256',
      '-o',
      'json',
      '--namespace',
      'n'
    ])
    expect(await helm.history('missing')).toEqual([])
  })

  it('throws HelmError with the command and the last lines of stderr', async () => {
    const exec = new ScriptedExec(() => ({
      exitCode: 1,
      stderr:
        'line1\nError: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n'
    }))
    const err = await new Helm({ exec, namespace: 'n' })
      .rollback('web', 3, 10_000)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HelmError)
    expect((err as Error).message).toBe(
      'helm rollback web failed: line1\nError: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress'
    )
    expect((err as HelmError).argv.slice(0, 6)).toEqual([
      'helm',
      'rollback',
      'web',
      '3',
      '--timeout',
      '10s'
    ])
  })

  it('says when helm is not installed or timed out', async () => {
    const missing = new ScriptedExec(() => ({ exitCode: 127, spawnError: 'spawn helm ENOENT' }))
    await expect(new Helm({ exec: missing, namespace: 'n' }).manifest('web')).rejects.toThrow(
      'helm get manifest failed: could not start helm: spawn helm ENOENT'
    )
    const slow = new ScriptedExec(() => ({ exitCode: 143, timedOut: true }))
    await expect(new Helm({ exec: slow, namespace: 'n' }).uninstall('web', 5000)).rejects.toThrow(
      'helm uninstall web failed: timed out after 35.0s'
    )
  })
})

describe('revisions', () => {
  it.each<[string, HelmRevision[], number, number | undefined]>([
    [
      'the one before a failed upgrade',
      [rev(1, 'superseded'), rev(2, 'deployed'), rev(3, 'failed')],
      3,
      2
    ],
    ['skips failed revisions', [rev(1, 'superseded'), rev(2, 'failed'), rev(3, 'deployed')], 3, 1],
    ['none before the first', [rev(1, 'deployed')], 1, undefined]
  ])('previousGoodRevision: %s', (_, history, current, want) => {
    expect(previousGoodRevision(history, current)?.revision).toBe(want)
  })

  it.each<[string, HelmRevision[], string | undefined]>([
    [
      'pending-upgrade with a deployed revision before',
      [rev(1, 'superseded'), rev(2, 'deployed'), rev(3, 'pending-upgrade')],
      'helm rollback web 2 --namespace shop'
    ],
    [
      'pending-rollback',
      [rev(1, 'deployed'), rev(2, 'pending-rollback')],
      'helm rollback web 1 --namespace shop'
    ],
    [
      'pending-install of a first release',
      [rev(1, 'pending-install')],
      'helm uninstall web --namespace shop'
    ],
    ['a healthy release', [rev(1, 'superseded'), rev(2, 'deployed')], undefined],
    ['a failed release (helm can upgrade it)', [rev(1, 'deployed'), rev(2, 'failed')], undefined],
    ['no release', [], undefined]
  ])('stuckReleaseAdvice: %s', (_, history, command) => {
    const advice = stuckReleaseAdvice('web', 'shop', history)
    expect(advice?.command).toBe(command)
    if (command)
      expect(advice?.message).toMatch(
        /^release web is stuck in pending-\w+ at revision \d+ \(an interrupted helm operation\); helm refuses another operation until it is freed$/
      )
  })
})

const MANIFEST = `---
# Source: web/templates/all.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels:
    app.kubernetes.io/managed-by: Helm # kept
data:
  A: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: app:1}]
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web, labels: null}
---
`

describe('addLabelsToManifests', () => {
  const labels = helmRunLabels('shop', 'run-7', 'web')
  const objects = (text: string) =>
    parseAllDocuments(text).map(d => d.toJS() as Record<string, Record<string, unknown>>)

  it('puts the run labels on every object, List items included, and nowhere else', () => {
    const [cm, dep, list] = objects(addLabelsToManifests(MANIFEST, labels))
    expect(cm.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'Helm', ...labels })
    expect(dep.metadata.labels).toEqual(labels)
    expect(dep.spec).toEqual({
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'app:1' }] }
      }
    })
    expect(
      (list.items as unknown as Record<string, Record<string, unknown>>[])[0].metadata.labels
    ).toEqual(labels)
    expect(list.metadata).toBeUndefined()
    expect(labels).toEqual({
      'phase-gate.dev/plan': 'shop',
      'phase-gate.dev/run': 'run-7',
      'phase-gate.dev/role': 'phase',
      'phase-gate.dev/phase': 'web'
    })
  })

  it('keeps comments and the data as written', () => {
    const out = addLabelsToManifests(MANIFEST, labels)
    expect(out).toContain('# Source: web/templates/all.yaml')
    expect(out).toContain('app.kubernetes.io/managed-by: Helm # kept')
    expect(out).toContain('A: "1"')
  })

  it('refuses YAML it cannot parse', () => {
    expect(() => addLabelsToManifests('a: [1', labels)).toThrow(
      /the rendered manifests are not valid YAML/
    )
  })
})

describe('the post-renderer script', () => {
  it('is what helm runs: manifests on stdin, labelled manifests on stdout', async () => {
    const pr = await startPostRenderer({ 'phase-gate.dev/run': 'r1' })
    try {
      const child = promisify(execFile)(pr.executable, pr.args)
      child.child.stdin?.end(MANIFEST)
      const { stdout } = await child
      const docs = parseAllDocuments(stdout).map(
        d => d.toJS() as { metadata?: { labels?: Record<string, string> } }
      )
      expect(docs[0].metadata?.labels?.['phase-gate.dev/run']).toBe('r1')
      expect(pr.rendered).toBe(1)
    } finally {
      await pr.close()
    }
  })

  it('fails (exit 1, stderr) when the manifests cannot be labelled', async () => {
    const pr = await startPostRenderer({ a: 'b' })
    try {
      const child = promisify(execFile)(pr.executable, pr.args)
      child.child.stdin?.end('a: [1')
      const err = (await child.catch((e: unknown) => e)) as { code: number; stderr: string }
      expect(err.code).toBe(1)
      expect(err.stderr).toMatch(
        /^phase-gate post-renderer: the rendered manifests are not valid YAML/
      )
    } finally {
      await pr.close()
    }
  })
})

describe('resolveChart', () => {
  it.each([
    [
      'a chart directory beside the plan',
      '__tests__/fixtures/charts/web-0.1.0',
      `${process.cwd()}/__tests__/fixtures/charts/web-0.1.0`
    ],
    ['a repository chart', 'bitnami/nginx', 'bitnami/nginx'],
    ['an OCI reference', 'oci://127.0.0.1:5000/charts/web', 'oci://127.0.0.1:5000/charts/web']
  ])('%s', async (_, chart, want) => {
    expect(
      await resolveChart(
        loadedPlan({ version: 1, name: 'p', target: { namespace: 'n' } }, process.cwd()),
        chart
      )
    ).toBe(want)
  })
})
