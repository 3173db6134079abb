// TLS with a private CA, against a real TLS server on loopback: the local
// apiserver (its certificate is signed by .cluster/ca.crt). It is no registry,
// so it answers 403; what matters is that the handshake succeeds with the CA
// bundle and fails, in words naming registries.caFile, without it.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRegistryClient } from '../../src/registry/client.js'
import { type FetchLike, nodeFetch } from '../../src/registry/transport.js'
import { parseImageReference } from '../../src/registry/reference.js'
import { type ClusterEnv, clusterEnv } from '../support/cluster-env.js'

let env: ClusterEnv
let host: string

beforeAll(() => {
  env = clusterEnv()
  host = new URL(env.apiserver).host
})

// Loopback hosts are asked over plain HTTP; these tests need the HTTPS path.
const overHttps =
  (f: FetchLike): FetchLike =>
  (url, init) =>
    f(url.replace(/^http:/, 'https:'), init)

describe('a registry behind a private CA', () => {
  it('nodeFetch trusts the CA bundle', async () => {
    const res = await nodeFetch(readFileSync(env.caFile, 'utf8'))(`${env.apiserver}/readyz`, {
      method: 'GET',
      headers: {}
    })
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe('ok')
  })

  it('gets an HTTP answer with the CA bundle', async () => {
    const client = createRegistryClient({
      credentials: [],
      fetchImpl: overHttps(nodeFetch(readFileSync(env.caFile, 'utf8')))
    })
    const r = await client.inspect({ ref: parseImageReference(`${host}/phase-gate/app:1.0`) })
    expect(r.statusCode).toBe(403)
    expect(r.status).toBe('unauthorized')
  })

  it('says how to fix a certificate it cannot verify, without retrying', async () => {
    const client = createRegistryClient({
      credentials: [],
      fetchImpl: overHttps(nodeFetch())
    })
    const r = await client.inspect({ ref: parseImageReference(`${host}/phase-gate/app:1.0`) })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(
      new RegExp(
        `^TLS with ${host.replace(/[.]/g, '\\.')} failed \\([A-Z_]+\\); set registries\\.caFile`
      )
    )
    expect(r.retries).toBe(0)
  })
})
