// Pre-deployment check kinds against real things: the argocd check against
// Argo CD Applications in the local apiserver (the structural CRD, status
// written the way the Argo CD controller writes it), and the tools check
// with the real kubectl and helm binaries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { runValidation } from '../../src/checks/validation.js'
import { processExec } from '../../src/core/exec.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { gateContext } from './validation-ctx.js'

let ns: string
let cluster: KubeCluster

function application(name: string, status: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.test/shop.git', path: 'deploy' },
      destination: { namespace: 'shop', server: 'https://kubernetes.default.svc' }
    },
    status
  })
}

beforeAll(async () => {
  ns = await createTestNamespace('argocd')
  cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  // Argo CD's CRD has no status subresource: the controller writes status with the object.
  await kubectl(['apply', '-f', '-'], {
    input: application('healthy', {
      sync: { status: 'Synced', revision: '8d1e2f3a4b5c6d7e8f90' },
      health: { status: 'Healthy' },
      resources: [
        {
          kind: 'Deployment',
          name: 'api',
          namespace: 'shop',
          status: 'Synced',
          health: { status: 'Healthy' }
        }
      ]
    })
  })
  await kubectl(['apply', '-f', '-'], {
    input: application('broken', {
      sync: { status: 'OutOfSync', revision: '0123456789abcdef' },
      health: { status: 'Degraded', message: 'Deployment api: progress deadline exceeded' },
      conditions: [{ type: 'ComparisonError', message: 'rpc error: failed to generate manifest' }],
      operationState: {
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully'
      },
      resources: [
        {
          kind: 'Deployment',
          name: 'api',
          namespace: 'shop',
          status: 'OutOfSync',
          health: { status: 'Degraded', message: 'progress deadline exceeded' }
        },
        {
          kind: 'Service',
          name: 'api',
          namespace: 'shop',
          status: 'Synced',
          health: { status: 'Healthy' }
        }
      ]
    })
  })
}, 60_000)

afterAll(async () => {
  cluster?.close()
  if (ns) await deleteNamespace(ns)
}, 60_000)

describe('argocd check against real Applications', () => {
  it('passes a Synced, Healthy Application', async () => {
    const r = await runValidation(
      { argocd: { application: 'healthy', namespace: ns } },
      gateContext({ cluster })
    )
    expect(r.verdict).toBe('pass')
    expect(r.message).toBe(`${ns}/healthy is Synced and Healthy at 8d1e2f3a4b5c`)
  })

  it('fails an OutOfSync, Degraded Application with its conditions and the resources that are not Healthy', async () => {
    const r = await runValidation(
      { argocd: { application: 'broken', namespace: ns } },
      gateContext({ cluster })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(
      `${ns}/broken: sync status OutOfSync, expected Synced; health Degraded (Deployment api: progress deadline exceeded), expected Healthy; 1 resource not Healthy or not in sync`
    )
    expect(r.evidence?.split('\n')).toEqual([
      `Application ${ns}/broken: sync OutOfSync at revision 0123456789abcdef, health Degraded: Deployment api: progress deadline exceeded`,
      'condition ComparisonError: rpc error: failed to generate manifest',
      'last operation: Failed: one or more synchronization tasks completed unsuccessfully',
      'resources not Healthy or not in sync:',
      '  Deployment shop/api: Degraded, OutOfSync (progress deadline exceeded)'
    ])
    expect(r.adjustment).toContain('argocd app sync broken')
  })

  it('fails an Application that does not exist', async () => {
    const r = await runValidation(
      { argocd: { application: 'nope', namespace: ns } },
      gateContext({ cluster })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toBe(`Argo CD Application ${ns}/nope not found`)
  })
})

describe('tools check with the real binaries', () => {
  it("reads the versions of the cluster's kubectl and helm", async () => {
    const versions = JSON.parse(await kubectl(['version', '--client', '-o', 'json'])) as {
      clientVersion: { gitVersion: string }
    }
    const r = await runValidation(
      { tools: { kubectl: '>=1.30', helm: '>=3.14' } },
      gateContext({ exec: processExec })
    )
    expect(r.verdict).toBe('pass')
    const data = r.data as { tools: Record<string, { version: string; outcome: string }> }
    expect(data.tools.kubectl).toMatchObject({
      version: versions.clientVersion.gitVersion,
      outcome: 'ok'
    })
    expect(data.tools.helm.version).toMatch(/^3\.\d+\.\d+$/)
  })

  it('fails a range the installed kubectl does not meet, and a tool that is not installed', async () => {
    const r = await runValidation(
      { tools: { kubectl: '<1.0', 'phase-gate-no-such-tool': '>=1' } },
      gateContext({ exec: processExec })
    )
    expect(r.verdict).toBe('fail')
    expect(r.message).toMatch(
      /^kubectl v1\.\d+\.\d+ does not satisfy <1\.0 \(kubectl version --client -o json\); phase-gate-no-such-tool is not installed or not on PATH/
    )
  })
})
