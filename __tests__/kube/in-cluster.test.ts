// The pod's service account as a connection, and proxies from the
// environment as curl reads them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inClusterConnection } from '../../src/kube/kubeconfig.js'
import { bypassed, proxyFromEnv } from '../../src/core/net.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pg-sa-'))
  await writeFile(join(dir, 'ca.crt'), 'not-a-real-ca')
  await writeFile(join(dir, 'namespace'), 'team-a\n')
  await writeFile(join(dir, 'token'), 'first-token\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('in-cluster service account', () => {
  const env = {
    KUBERNETES_SERVICE_HOST: '10.0.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    PHASE_GATE_SERVICEACCOUNT_DIR: ''
  }
  it('uses host, port, CA and namespace, and re-reads the token as it rotates', async () => {
    const c = inClusterConnection({ ...env, PHASE_GATE_SERVICEACCOUNT_DIR: dir })
    expect(c).toMatchObject({ server: 'https://10.0.0.1:443', namespace: 'team-a' })
    expect(c?.ca?.toString()).toBe('not-a-real-ca')
    expect(await c?.authHeaders()).toEqual({ Authorization: 'Bearer first-token' })
    await writeFile(join(dir, 'token'), 'rotated-token\n')
    expect(await c?.authHeaders()).toEqual({ Authorization: 'Bearer rotated-token' })
  })
  it('is not used outside a pod', () => {
    expect(
      inClusterConnection({ PHASE_GATE_SERVICEACCOUNT_DIR: dir, KUBERNETES_SERVICE_PORT: '443' })
    ).toBeUndefined()
    expect(
      inClusterConnection({ ...env, PHASE_GATE_SERVICEACCOUNT_DIR: join(dir, 'missing') })
    ).toBeUndefined()
  })
  it('refuses a context it cannot have', () => {
    expect(() =>
      inClusterConnection({ ...env, PHASE_GATE_SERVICEACCOUNT_DIR: dir }, 'prod')
    ).toThrow(/context "prod" was asked for, but there is no kubeconfig/)
  })
})

describe('proxies from the environment', () => {
  const cases: [string, string, NodeJS.ProcessEnv, string | undefined][] = [
    [
      'https uses HTTPS_PROXY',
      'https://reg.io/v2/',
      { HTTPS_PROXY: 'http://p:3128' },
      'http://p:3128/'
    ],
    [
      'lower case wins',
      'https://reg.io/',
      { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' },
      'http://a:1/'
    ],
    [
      'http uses HTTP_PROXY',
      'http://reg.io/',
      { HTTP_PROXY: 'p:8080', HTTPS_PROXY: 'http://x:1' },
      'http://p:8080/'
    ],
    ['no proxy set', 'https://reg.io/', {}, undefined],
    [
      'NO_PROXY domain suffix',
      'https://a.corp.io/',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp.io' },
      undefined
    ],
    [
      'NO_PROXY bare domain covers subdomains',
      'https://a.corp.io/',
      { HTTPS_PROXY: 'http://p:1', no_proxy: 'corp.io' },
      undefined
    ],
    [
      'NO_PROXY does not match a longer name',
      'https://notcorp.io/',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'corp.io' },
      'http://p:1/'
    ],
    ['NO_PROXY star', 'https://x.io/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined],
    [
      'NO_PROXY IP with port',
      'http://127.0.0.1:5000/',
      { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:5000' },
      undefined
    ],
    [
      'NO_PROXY port mismatch',
      'http://127.0.0.1:5001/',
      { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:5000' },
      'http://p:1/'
    ]
  ]
  for (const [name, url, env, want] of cases)
    it(name, () => expect(proxyFromEnv(new URL(url), env)?.href).toBe(want))
  it('an IP is not matched as a domain suffix', () => {
    expect(bypassed(new URL('http://10.0.0.1/'), '0.0.1')).toBe(false)
  })
})
