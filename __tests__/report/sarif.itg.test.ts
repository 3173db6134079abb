// `phase-gate check --gate reality-check --sarif FILE` against the real local
// cluster and registry: the hygiene findings of a manifest (no resources, no
// probes, ...) land in a SARIF 2.1.0 log that validates against the official
// schema, each with the manifest's file, line and rule id.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import AjvDraft04 from 'ajv-draft-04'
import { main } from '../../src/cli/main.js'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'

const Ajv = AjvDraft04.default
const ajv = new Ajv({ allErrors: true, strict: false })
ajv.addFormat('uri', s => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s))
ajv.addFormat('uri-reference', s => URL.canParse(s, 'file:///'))
ajv.addFormat('date-time', s => !Number.isNaN(Date.parse(s)))
const validate = ajv.compile(
  JSON.parse(
    readFileSync(path.resolve('__tests__/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')
  ) as object
)

let ns: string
let dir: string

beforeAll(async () => {
  ns = await createTestNamespace('sarif')
  dir = mkdtempSync(path.join(tmpdir(), 'phase-gate-sarif-itg-'))
  mkdirSync(path.join(dir, 'deploy'))
  writeFileSync(
    path.join(dir, 'phase-gate.yaml'),
    `version: 1
name: sarif
target: {namespace: ${ns}}
assumptions:
  manifests: [deploy/*.yaml]
`
  )
  writeFileSync(
    path.join(dir, 'deploy', 'web.yaml'),
    `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {mode: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: ghcr.io/phase-gate/app:1.0
`
  )
})

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
})

describe('check --sarif', () => {
  it('writes hygiene findings with file, line and rule id, valid SARIF 2.1.0', async () => {
    const out = path.join(dir, 'out', 'check.sarif')
    const sink = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream
    await main(
      [
        'check',
        'phase-gate.yaml',
        '--gate',
        'reality-check',
        '--kubeconfig',
        clusterEnv().kubeconfig,
        '--sarif',
        out
      ],
      {
        stdout: sink,
        stderr: sink,
        env: { PHASE_GATE_REGISTRY_MIRRORS: `ghcr.io=${clusterEnv().registry}`, NO_COLOR: '1' },
        cwd: dir
      }
    )
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: {
        results: {
          ruleId: string
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }
          }[]
        }[]
      }[]
    }
    expect(validate(log)).toBe(true)
    const hygiene = log.runs[0].results.filter(r => r.ruleId.startsWith('hygiene/'))
    expect(hygiene.length).toBeGreaterThan(0)
    for (const r of hygiene) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/web.yaml')
      // The Deployment starts on line 6 of the file.
      expect(r.locations[0].physicalLocation.region.startLine).toBe(6)
    }
  }, 120_000)
})
