// The image check asks the token-auth registry with the credentials the
// plan's pods would pull with, through the production wiring (runEngine +
// productionDeps, the reality-check gate): the imagePullSecrets of the
// ServiceAccount a Deployment names, the imagePullSecrets a Pod lists, and a
// ServiceAccount and Secret the plan creates itself. The namespace's default
// ServiceAccount has no pull secret, so a pod naming none is unauthorized.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/core/log.js'
import { productionDeps } from '../../src/deps.js'
import { runEngine } from '../../src/engine.js'
import type { CheckResult } from '../../src/report/model.js'
import type { Settings } from '../../src/settings.js'
import {
  type ClusterEnv,
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'

let env: ClusterEnv
let ns: string
let work: string
let image: string

const pullSecret = (name: string) => [
  'create',
  'secret',
  'docker-registry',
  name,
  `--docker-server=${env.registryAuth}`,
  `--docker-username=${env.registryUser}`,
  `--docker-password=${env.registryPassword}`
]

beforeAll(async () => {
  env = clusterEnv()
  image = `${env.registryAuth}/phase-gate/multi:1.0`
  ns = await createTestNamespace('plan-pull')
  work = mkdtempSync(join(tmpdir(), 'pg-plan-pull-'))
  await kubectl(pullSecret('sa-cred'), { namespace: ns })
  await kubectl(pullSecret('pod-cred'), { namespace: ns })
  await kubectl(['create', 'serviceaccount', 'puller'], { namespace: ns })
  await kubectl(
    ['patch', 'serviceaccount', 'puller', '-p', '{"imagePullSecrets":[{"name":"sa-cred"}]}'],
    { namespace: ns }
  )
}, 60_000)

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (ns) await deleteNamespace(ns)
}, 60_000)

const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${spec
  .split('\n')
  .map(l => `      ${l}`)
  .join('\n')}
`

/** The image check's result for a plan whose only manifest is `manifest`. */
async function imageResult(name: string, manifest: string): Promise<CheckResult> {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'app.yaml'), manifest)
  writeFileSync(
    join(dir, 'phase-gate.yaml'),
    `version: 1\nname: ${name}\ntarget: {namespace: ${ns}}\nassumptions:\n  manifests: [app.yaml]\n`
  )
  const settings: Settings = {
    gate: 'reality-check',
    planPath: join(dir, 'phase-gate.yaml'),
    runId: `pull-${name}-${Date.now()}`,
    runIdGiven: true,
    kubeconfig: { kind: 'path', path: env.kubeconfig },
    dryRun: true,
    comment: false,
    workspace: dir
  }
  const log = memoryLogger()
  // No DOCKER_CONFIG or registry-auth input: the cluster's secrets are the only credentials.
  const saved = process.env.DOCKER_CONFIG
  process.env.DOCKER_CONFIG = join(dir, 'no-docker-config')
  try {
    const { report } = await runEngine(settings, { log, ...productionDeps(settings, log) })
    const images = report.gates[0].checks.filter(c => c.kind === 'image')
    expect(images).toHaveLength(1)
    return images[0]
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG
    else process.env.DOCKER_CONFIG = saved
  }
}

describe('the image check pulls with the credentials of the pods in the plan', () => {
  it('uses the imagePullSecrets of the ServiceAccount a Deployment runs as', async () => {
    const r = await imageResult(
      'by-sa',
      deployment(`serviceAccountName: puller\ncontainers: [{name: app, image: ${image}}]`)
    )
    expect(r.verdict).toBe('pass')
    expect(r.data?.credentialSource).toBe(`imagePullSecret ${ns}/sa-cred`)
  })

  it("uses the imagePullSecrets a Pod's own spec lists", async () => {
    const r = await imageResult(
      'by-pod',
      `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  imagePullSecrets: [{name: pod-cred}]\n  containers: [{name: app, image: ${image}}]\n`
    )
    expect(r.verdict).toBe('pass')
    expect(r.data?.credentialSource).toBe(`imagePullSecret ${ns}/pod-cred`)
  })

  it('uses a ServiceAccount and pull Secret the plan creates itself, before they exist', async () => {
    const dockerconfig = JSON.stringify({
      auths: { [env.registryAuth]: { username: env.registryUser, password: env.registryPassword } }
    })
    const r = await imageResult(
      'planned',
      `apiVersion: v1
kind: Secret
metadata: {name: planned-cred}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${dockerconfig}'
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: planned-sa}
imagePullSecrets: [{name: planned-cred}]
---
${deployment(`serviceAccountName: planned-sa\ncontainers: [{name: app, image: ${image}}]`)}`
    )
    expect(r.verdict).toBe('pass')
    expect(r.data?.credentialSource).toBe(`imagePullSecret ${ns}/planned-cred`)
  })

  it('is unauthorized for a pod that runs as the default account, which has no pull secret', async () => {
    const r = await imageResult(
      'by-default',
      deployment(`containers: [{name: app, image: ${image}}]`)
    )
    expect(r.verdict).toBe('fail')
    expect(r.data?.status).toBe('unauthorized')
  })
})
