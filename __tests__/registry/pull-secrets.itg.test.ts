// Credentials gathered where the kubelet finds them (the namespace's service
// account and its imagePullSecrets, on the real apiserver), then used against
// the real token-auth registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { connectCluster } from '../../src/kube/client.js'
import type { Cluster, KubeObject } from '../../src/kube/types.js'
import { createRegistryClient } from '../../src/registry/client.js'
import { collectPullCredentials } from '../../src/registry/credentials.js'
import { parseImageReference } from '../../src/registry/reference.js'
import {
  type ClusterEnv,
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'

let env: ClusterEnv
let ns: string
let cluster: Cluster

beforeAll(async () => {
  env = clusterEnv()
  ns = await createTestNamespace('registry-pull')
  cluster = await connectCluster({ kubeconfigPath: env.kubeconfig })
  await kubectl(
    [
      'create',
      'secret',
      'docker-registry',
      'regcred',
      `--docker-server=${env.registryAuth}`,
      `--docker-username=${env.registryUser}`,
      `--docker-password=${env.registryPassword}`
    ],
    { namespace: ns }
  )
  await kubectl(
    [
      'patch',
      'serviceaccount',
      'default',
      '-p',
      JSON.stringify({ imagePullSecrets: [{ name: 'regcred' }, { name: 'ghost' }] })
    ],
    { namespace: ns }
  )
}, 60_000)

afterAll(() => deleteNamespace(ns))

describe('collectPullCredentials on the real cluster', () => {
  it("reads the default service account's imagePullSecrets, noting a missing one", async () => {
    const { configs, notes } = await collectPullCredentials({ cluster, namespace: ns })
    expect(configs.map(c => c.source)).toEqual([`imagePullSecret ${ns}/regcred`])
    expect(configs[0].auths.map(a => a.key)).toEqual([env.registryAuth])
    expect(notes).toEqual([
      `imagePullSecret ${ns}/ghost does not exist; the kubelet pulls without it`
    ])
  })

  it('notes a service account that does not exist', async () => {
    const { configs, notes } = await collectPullCredentials({
      cluster,
      namespace: ns,
      serviceAccounts: ['builder']
    })
    expect(configs).toEqual([])
    expect(notes).toEqual([`service account ${ns}/builder does not exist (yet)`])
  })

  it("prefers the plan's own ServiceAccount and Secret over the cluster's", async () => {
    const dockerconfig = JSON.stringify({
      auths: { [env.registryAuth]: { username: env.registryUser, password: env.registryPassword } }
    })
    const planned: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'deployer' },
        imagePullSecrets: [{ name: 'planned-pull' }]
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'planned-pull' },
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': dockerconfig }
      }
    ]
    const { configs, notes } = await collectPullCredentials({
      cluster,
      namespace: ns,
      serviceAccounts: ['deployer'],
      planned
    })
    expect(notes).toEqual([])
    expect(configs.map(c => c.source)).toEqual([`imagePullSecret ${ns}/planned-pull`])
  })

  it('lets the client pull from the token-auth registry with the namespace credentials', async () => {
    const client = createRegistryClient({
      credentials: async () => (await collectPullCredentials({ cluster, namespace: ns })).configs,
      baseDelayMs: 20
    })
    const r = await client.inspect({
      ref: parseImageReference(`${env.registryAuth}/phase-gate/multi:1.0`),
      platform: 'linux/arm64'
    })
    expect(r.status).toBe('found')
    expect(r.credentialSource).toBe(`imagePullSecret ${ns}/regcred`)
    expect(r.sizePlatform).toBe('linux/arm64')

    const anonymous = createRegistryClient({
      credentials: async () =>
        (await collectPullCredentials({ cluster, namespace: ns, serviceAccounts: ['builder'] }))
          .configs
    })
    const denied = await anonymous.inspect({
      ref: parseImageReference(`${env.registryAuth}/phase-gate/multi:1.0`)
    })
    expect(denied.status).toBe('unauthorized')
  })
})
