import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clearSecrets, containsSecret, redact } from '../../src/core/secrets.js'
import type { KubeObject } from '../../src/kube/types.js'
import {
  credentialsFor,
  dockerConfigFromEnv,
  dockerConfigFromPullSecret,
  normaliseKey,
  parseDockerConfig
} from '../../src/registry/credentials.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

afterEach(() => clearSecrets())

describe('normaliseKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['GHCR.IO', 'ghcr.io'],
    ['http://127.0.0.1:5001/', '127.0.0.1:5001'],
    ['127.0.0.1:5001/v2/', '127.0.0.1:5001'],
    ['quay.io/team/app', 'quay.io/team/app'],
    ['*.example.com', '*.example.com']
  ])('%s → %s', (raw, want) => {
    expect(normaliseKey(raw)).toBe(want)
  })
})

describe('parseDockerConfig', () => {
  it('reads auth, username/password, identitytoken and registrytoken, registering each secret', () => {
    const cfg = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hubuser:hub-pass-1') },
          'ghcr.io': { username: 'gh', password: 'ghp_token_2' },
          'quay.io': { auth: b64('robot:ignored'), password: 'quay-pass-3' },
          'azurecr.example.io': { identitytoken: 'refresh-token-4' },
          'tok.example.io': { registrytoken: 'bearer-token-5' },
          'empty.example.io': {},
          'email-only.example.io': { email: 'a@b.c' }
        },
        credHelpers: { 'gcr.io': 'gcloud' },
        credsStore: 'desktop'
      }),
      'registry-auth input'
    )
    expect(cfg.source).toBe('registry-auth input')
    expect(cfg.auths).toEqual([
      { key: 'docker.io', credential: { username: 'hubuser', password: 'hub-pass-1' } },
      { key: 'ghcr.io', credential: { username: 'gh', password: 'ghp_token_2' } },
      { key: 'quay.io', credential: { username: 'robot', password: 'quay-pass-3' } },
      { key: 'azurecr.example.io', credential: { identityToken: 'refresh-token-4' } },
      { key: 'tok.example.io', credential: { registryToken: 'bearer-token-5' } }
    ])
    expect(cfg.credHelpers).toEqual({ 'gcr.io': 'gcloud' })
    expect(cfg.credsStore).toBe('desktop')
    for (const s of [
      'hub-pass-1',
      'ghp_token_2',
      'quay-pass-3',
      'refresh-token-4',
      'bearer-token-5'
    ]) {
      expect(containsSecret(`x ${s} y`)).toBe(true)
    }
    // The `auth` field itself (base64 of user:pass) is masked too.
    expect(redact(b64('hubuser:hub-pass-1'))).toBe('***')
  })

  it('reads the legacy .dockercfg map (no "auths" wrapper)', () => {
    const cfg = parseDockerConfig(
      JSON.stringify({ 'reg.example.com': { auth: b64('u:p4ss') } }),
      'legacy'
    )
    expect(cfg.auths).toEqual([
      { key: 'reg.example.com', credential: { username: 'u', password: 'p4ss' } }
    ])
  })

  it('does not quote the text in a JSON error (it holds credentials)', () => {
    const bad = '{"auths": {"x": {"password": "hunter2-secret"}'
    expect(() => parseDockerConfig(bad, 'registry-auth input')).toThrow(
      /^registry-auth input is not valid JSON/
    )
    try {
      parseDockerConfig(bad, 'registry-auth input')
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2')
    }
  })

  it.each([
    ['[]', 'is not a JSON object'],
    ['{"auths": []}', '"auths" is not an object'],
    [JSON.stringify({ auths: { 'a.io': { auth: b64('nocolon') } } }), 'not base64 of user:password']
  ])('rejects %s', (text, words) => {
    expect(() => parseDockerConfig(text, 'cfg')).toThrow(words)
  })
})

describe('credentialsFor', () => {
  const first = parseDockerConfig(
    JSON.stringify({
      auths: {
        'registry.example.com': { auth: b64('host:p1') },
        'registry.example.com/team': { auth: b64('team:p2') },
        'registry.example.com/team/app': { auth: b64('app:p3') },
        '*.wild.example.com': { auth: b64('wild:p4') },
        'localhost:5001': { auth: b64('local:p5') },
        'https://index.docker.io/v1/': { auth: b64('hub:p6') }
      }
    }),
    'imagePullSecret shop/regcred'
  )
  const second = parseDockerConfig(
    JSON.stringify({
      auths: {
        'ghcr.io': { auth: b64('gh:p7') },
        'registry.example.com': { auth: b64('later:p8') }
      }
    }),
    'registry-auth input'
  )
  it.each([
    // [host, repository, expected username or undefined, source]
    ['registry.example.com', 'other/thing', 'host', 'imagePullSecret shop/regcred'],
    ['registry.example.com', 'team/web', 'team', 'imagePullSecret shop/regcred'],
    ['registry.example.com', 'team/app', 'app', 'imagePullSecret shop/regcred'],
    ['registry.example.com', 'team/app/sub', 'app', 'imagePullSecret shop/regcred'],
    ['registry.example.com', 'teamwork/x', 'host', 'imagePullSecret shop/regcred'],
    ['a.wild.example.com', 'x', 'wild', 'imagePullSecret shop/regcred'],
    ['a.b.wild.example.com', 'x', undefined, undefined],
    ['wild.example.com', 'x', undefined, undefined],
    ['localhost:5001', 'x', 'local', 'imagePullSecret shop/regcred'],
    ['localhost:5002', 'x', undefined, undefined],
    ['localhost', 'x', undefined, undefined],
    ['docker.io', 'library/nginx', 'hub', 'imagePullSecret shop/regcred'],
    ['index.docker.io', 'library/nginx', 'hub', 'imagePullSecret shop/regcred'],
    ['ghcr.io', 'o/a', 'gh', 'registry-auth input'],
    ['quay.io', 'o/a', undefined, undefined]
  ])('%s %s → %s', (host, repo, user, source) => {
    const found = credentialsFor(host, [first, second], repo)
    expect(found?.credential.username).toBe(user)
    expect(found?.source).toBe(source)
  })
})

describe('dockerConfigFromPullSecret', () => {
  const secret = (type: string, data: Record<string, string>, field = 'data'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'regcred', namespace: 'shop' },
    type,
    [field]: data
  })
  const json = JSON.stringify({ auths: { 'ghcr.io': { auth: b64('bot:s3cret-pw') } } })

  it('reads a kubernetes.io/dockerconfigjson Secret', () => {
    const cfg = dockerConfigFromPullSecret(
      secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64(json) })
    )
    expect(cfg.source).toBe('imagePullSecret shop/regcred')
    expect(cfg.auths).toEqual([
      { key: 'ghcr.io', credential: { username: 'bot', password: 's3cret-pw' } }
    ])
    expect(containsSecret('s3cret-pw')).toBe(true)
    expect(redact(b64(json))).toBe('***')
  })

  it('reads a kubernetes.io/dockercfg Secret', () => {
    const legacy = JSON.stringify({ 'quay.io': { username: 'r', password: 'quay-pw9' } })
    const cfg = dockerConfigFromPullSecret(
      secret('kubernetes.io/dockercfg', { '.dockercfg': b64(legacy) })
    )
    expect(cfg.auths).toEqual([
      { key: 'quay.io', credential: { username: 'r', password: 'quay-pw9' } }
    ])
  })

  it('reads stringData (a manifest not yet applied)', () => {
    const cfg = dockerConfigFromPullSecret(
      secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': json }, 'stringData')
    )
    expect(cfg.auths[0].key).toBe('ghcr.io')
  })

  it.each([
    [secret('Opaque', { '.dockerconfigjson': b64(json) }), 'is of type Opaque'],
    [secret('kubernetes.io/dockerconfigjson', {}), 'has no ".dockerconfigjson" key'],
    [
      secret('kubernetes.io/dockercfg', { '.dockerconfigjson': b64(json) }),
      'has no ".dockercfg" key'
    ]
  ])('rejects a Secret that is no pull secret (%#)', (s, words) => {
    expect(() => dockerConfigFromPullSecret(s)).toThrow(words)
  })
})

describe('dockerConfigFromEnv', () => {
  it('reads $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json, else nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-dockercfg-'))
    try {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ auths: { 'a.io': { auth: b64('u:env-pw1') } } })
      )
      const fromDocker = await dockerConfigFromEnv({ DOCKER_CONFIG: dir })
      expect(fromDocker?.auths[0]).toEqual({
        key: 'a.io',
        credential: { username: 'u', password: 'env-pw1' }
      })
      expect(fromDocker?.source).toContain('DOCKER_CONFIG')

      const home = mkdtempSync(join(tmpdir(), 'pg-home-'))
      try {
        expect(await dockerConfigFromEnv({ HOME: home })).toBeUndefined()
        const { mkdirSync } = await import('node:fs')
        mkdirSync(join(home, '.docker'))
        writeFileSync(join(home, '.docker', 'config.json'), '{"auths":{}}')
        expect((await dockerConfigFromEnv({ HOME: home }))?.auths).toEqual([])
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
      expect(await dockerConfigFromEnv({})).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
