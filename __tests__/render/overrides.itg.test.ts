// One plan, many inputs, through the CLI against the real cluster and the
// open local registry: `--image NAME=REF` makes the reality check check the
// overridden reference (a tag the registry lacks fails naming it), the phase
// applies the overridden image, and the report, the state record and the
// deployment record list the override; a NAME that matches no image is exit 2.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { main } from '../../src/cli/main.js'
import type { RunReport } from '../../src/report/model.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectlJson,
  type ClusterEnv
} from '../support/cluster-env.js'

let env: ClusterEnv
let ns: string
let work: string
let repo: string

beforeAll(async () => {
  env = clusterEnv()
  ns = await createTestNamespace('overrides')
  work = mkdtempSync(join(tmpdir(), 'pg-overrides-'))
  repo = `${env.registry}/phase-gate/app`
  mkdirSync(join(work, 'deploy'))
  writeFileSync(
    join(work, 'deploy', 'web.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      initContainers: [{name: init, image: ${repo}:1.0, securityContext: {allowPrivilegeEscalation: false}}]
      containers: [{name: web, image: ${repo}:1.0, securityContext: {allowPrivilegeEscalation: false}}]
`
  )
  writeFileSync(
    join(work, 'phase-gate.yaml'),
    `version: 1
name: overrides
target: {namespace: ${ns}}
assumptions:
  images: [${repo}:1.0]
  manifests: [deploy/web.yaml]
phases:
  - name: web
    apply: [deploy/web.yaml]
    timeout: 60s
`
  )
}, 60_000)

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
}, 60_000)

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

async function cli(args: string[]): Promise<{ code: number; report?: RunReport; err: string }> {
  const out = sink()
  const err = sink()
  const code = await main(
    ['check', 'phase-gate.yaml', '--kubeconfig', env.kubeconfig, '--json', ...args],
    { stdout: out.stream, stderr: err.stream, env: {}, cwd: work }
  )
  const text = out.text()
  return { code, report: text ? (JSON.parse(text) as RunReport) : undefined, err: err.text() }
}

describe('--image NAME=REF', () => {
  it('makes the reality check check the overridden reference', async () => {
    const r = await cli(['--gate', 'reality-check', '--dry-run', '--image', `${repo}=:2.0`])
    expect(r.err).toBe('')
    const images = r.report?.gates[0].checks.filter(c => c.kind === 'image') ?? []
    expect(images.map(c => c.target).sort()).toEqual([`${repo}:2.0`])
    expect(images.every(c => c.verdict === 'pass')).toBe(true)
    // The dry-run admission saw the overridden Deployment too.
    expect(r.report?.gates[0].checks.find(c => c.kind === 'admission')?.verdict).toBe('pass')
    expect(r.report?.overrides).toEqual([`--image ${repo}=:2.0`])
    const bad = r.report?.gates[0].checks.filter(c => c.verdict === 'fail' || c.verdict === 'error')
    expect(bad?.map(c => `${c.id}: ${c.message}`)).toEqual([])
    expect(r.code).toBe(0)
  }, 60_000)

  it('fails naming the overridden reference when the registry lacks its tag', async () => {
    const r = await cli(['--gate', 'reality-check', '--dry-run', '--image', `${repo}=:9.9-missing`])
    const failed = r.report?.gates[0].checks.filter(c => c.kind === 'image' && c.verdict === 'fail')
    expect(failed?.length).toBeGreaterThan(0)
    expect(failed?.[0].target).toBe(`${repo}:9.9-missing`)
    expect(failed?.[0].message).toMatch(/tag 9\.9-missing was not found in phase-gate\/app/)
    expect(JSON.stringify(r.report)).not.toContain(`${repo}:1.0"`)
    expect(r.code).toBe(1)
  }, 60_000)

  it('makes the phase apply the overridden image, and the run records the override', async () => {
    const runId = `ov-${Date.now()}`
    const r = await cli(['--gate', 'phase', '--run-id', runId, '--image', `${repo}=:2.0`])
    expect(r.report?.gates.map(g => g.verdict)).toEqual(['pass'])
    const live = await kubectlJson<{
      spec: {
        template: { spec: { containers: { image: string }[]; initContainers: { image: string }[] } }
      }
    }>(['get', 'deployment', 'web', '-n', ns])
    expect(live.spec.template.spec.containers[0].image).toBe(`${repo}:2.0`)
    expect(live.spec.template.spec.initContainers[0].image).toBe(`${repo}:2.0`)
    expect(r.report?.overrides).toEqual([`--image ${repo}=:2.0`])

    // The state record keeps it for the later gates of the run.
    const cm = await kubectlJson<{ data: Record<string, string> }>([
      'get',
      'configmap',
      'phase-gate-overrides',
      '-n',
      ns
    ])
    const index = JSON.parse(Object.values(cm.data).find(v => v.includes(runId)) ?? '{}') as {
      runs?: { runId: string; overrides?: string[] }[]
    }
    expect(index.runs?.find(x => x.runId === runId)?.overrides).toEqual([`--image ${repo}=:2.0`])

    // A later gate given no override uses the recorded one; the deployment record lists it.
    const rec = await cli(['--gate', 'record', '--run-id', runId])
    const record = rec.report?.gates[0].details?.record as { overrides?: string[] } | undefined
    expect(record?.overrides).toEqual([`--image ${repo}=:2.0`])
    expect(rec.report?.overrides).toEqual([`--image ${repo}=:2.0`])
    // A later gate given a different override is refused.
    const other = await cli(['--gate', 'validate', '--run-id', runId, '--image', `${repo}=:1.0`])
    expect(other.code).toBe(2)
    expect(other.err).toMatch(/was deployed with --image .*=:2\.0, but this gate was given/)
  }, 120_000)

  it('exits 2 for a NAME no image has, naming it and the images there are', async () => {
    const r = await cli(['--gate', 'reality-check', '--dry-run', '--image', 'nosuch/app=:2.0'])
    expect(r.code).toBe(2)
    expect(r.report).toBeUndefined()
    expect(r.err).toContain('--image nosuch/app')
    expect(r.err).toContain(`Images there are: ${repo}`)
  }, 60_000)
})
