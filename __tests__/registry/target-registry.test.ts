// createTargetRegistry's wiring (plan settings, credentials from a fake
// cluster of our own Cluster interface) and collectPullCredentials' decisions.
import { afterEach, describe, expect, it } from '@jest/globals'
import { memoryLogger } from '../../src/core/log.js'
import { clearSecrets } from '../../src/core/secrets.js'
import { KubeApiError } from '../../src/kube/types.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { Plan } from '../../src/plan/types.js'
import { createTargetRegistry } from '../../src/registry/client.js'
import type { FetchLike } from '../../src/registry/transport.js'
import { collectPullCredentials } from '../../src/registry/credentials.js'
import { parseImageReference } from '../../src/registry/reference.js'
import { FakeCluster } from '../support/fake-cluster.js'

afterEach(() => clearSecrets())

const b64 = (s: string) => Buffer.from(s).toString('base64')

function pullSecret(name: string, host: string, user: string, password: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'shop' },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': b64(
        JSON.stringify({ auths: { [host]: { auth: b64(`${user}:${password}`) } } })
      )
    }
  }
}

function serviceAccount(name: string, secrets: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: 'shop' },
    imagePullSecrets: secrets.map(s => ({ name: s }))
  }
}

const manifest = (): Response =>
  new Response(JSON.stringify({ schemaVersion: 2, config: { size: 1 }, layers: [{ size: 2 }] }), {
    status: 200,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }
  })

describe('collectPullCredentials', () => {
  it('orders pull secrets (pod spec, then service accounts), registry-auth, then DOCKER_CONFIG absent', async () => {
    const cluster = new FakeCluster({
      objects: [
        serviceAccount('default', ['sa-pull']),
        pullSecret('sa-pull', 'ghcr.io', 'sa', 'sa-pass-1'),
        pullSecret('pod-pull', 'ghcr.io', 'pod', 'pod-pass-2')
      ]
    })
    const { configs, notes } = await collectPullCredentials({
      cluster,
      namespace: 'shop',
      pullSecretNames: ['pod-pull'],
      registryAuth: JSON.stringify({ auths: { 'quay.io': { auth: b64('q:quay-pass-3') } } }),
      env: {}
    })
    expect(configs.map(c => c.source)).toEqual([
      'imagePullSecret shop/pod-pull',
      'imagePullSecret shop/sa-pull',
      'registry-auth input'
    ])
    expect(notes).toEqual([])
  })

  it('notes a Secret it may not read and one of the wrong type, and goes on', async () => {
    const cluster = new FakeCluster({
      objects: [
        serviceAccount('default', ['forbidden', 'opaque', 'good']),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'opaque', namespace: 'shop' },
          type: 'Opaque',
          data: {}
        },
        pullSecret('good', 'ghcr.io', 'u', 'good-pass-4')
      ]
    })
    cluster.failNext('get', new KubeApiError('secrets "forbidden" is forbidden', 403), 'Secret')
    const { configs, notes } = await collectPullCredentials({ cluster, namespace: 'shop' })
    expect(configs.map(c => c.source)).toEqual(['imagePullSecret shop/good'])
    expect(notes).toHaveLength(2)
    expect(notes[0]).toContain(
      'could not use imagePullSecret shop/forbidden: secrets "forbidden" is forbidden'
    )
    expect(notes[1]).toContain('Secret shop/opaque is of type Opaque')
  })

  it('works without a cluster from the planned objects alone', async () => {
    const { configs, notes } = await collectPullCredentials({
      namespace: 'shop',
      serviceAccounts: ['web'],
      planned: [
        serviceAccount('web', ['p']),
        pullSecret('p', 'ghcr.io', 'u', 'planned-pass-5'),
        serviceAccount('other', ['x'])
      ]
    })
    expect(configs.map(c => c.source)).toEqual(['imagePullSecret shop/p'])
    expect(notes).toEqual([])
  })
})

describe('createTargetRegistry', () => {
  const plan = (registries: Plan['registries']): { plan: Plan; dir: string } => ({
    plan: { version: 1, name: 'p', target: {}, registries } as Plan,
    dir: '/nonexistent-plan-dir'
  })

  it('uses the namespace pull secrets, plan mirrors overridden by settings, and insecure hosts', async () => {
    const urls: string[] = []
    const auth: (string | undefined)[] = []
    const fetchImpl: FetchLike = async (url, init) => {
      urls.push(url)
      auth.push(init.headers.Authorization)
      return init.headers.Authorization
        ? manifest()
        : new Response('{}', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } })
    }
    const cluster = new FakeCluster({
      objects: [
        serviceAccount('default', ['regcred']),
        pullSecret('regcred', 'mirror.lan:5000', 'm', 'mirror-pass-6')
      ]
    })
    const registry = createTargetRegistry({
      settings: { mirrors: { 'docker.io': 'mirror.lan:5000' } },
      loaded: plan({ mirrors: { 'docker.io': 'plan-mirror.lan' }, insecure: ['mirror.lan:5000'] }),
      cluster: async () => cluster,
      namespace: 'shop',
      env: {},
      fetchImpl
    })
    const r = await registry.inspect({ ref: parseImageReference('nginx:1.25') })
    expect(r.status).toBe('found')
    expect(r.host).toBe('mirror.lan:5000')
    expect(r.credentialSource).toBe('imagePullSecret shop/regcred')
    expect(urls[0]).toBe('http://mirror.lan:5000/v2/library/nginx/manifests/1.25')
    expect(auth[1]).toBe(`Basic ${b64('m:mirror-pass-6')}`)
  })

  it('goes on without pull secrets when the cluster cannot be reached, and says so', async () => {
    const log = memoryLogger()
    const registry = createTargetRegistry({
      settings: {},
      loaded: plan(undefined),
      cluster: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6443')
      },
      namespace: 'shop',
      log,
      env: {},
      fetchImpl: async () => manifest()
    })
    const r = await registry.inspect({ ref: parseImageReference('ghcr.io/o/a:1') })
    expect(r.status).toBe('found')
    expect(log.lines).toContain(
      "warning: image check: could not read the namespace's pull secrets: connect ECONNREFUSED 127.0.0.1:6443"
    )
  })

  it('reports an unreadable CA bundle per inspection, resolved against the plan directory', async () => {
    const registry = createTargetRegistry({
      settings: {},
      loaded: plan({ caFile: 'certs/ca.pem' }),
      cluster: async () => new FakeCluster(),
      namespace: 'shop',
      env: {}
    })
    const r = await registry.inspect({ ref: parseImageReference('ghcr.io/o/a:1') })
    expect(r.status).toBe('error')
    expect(r.message).toContain(
      'cannot read the CA bundle /nonexistent-plan-dir/certs/ca.pem (registries.caFile)'
    )
    expect(r.retries).toBe(0)
  })
})
