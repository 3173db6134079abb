import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_MAX_IMAGE_BYTES,
  checkImages,
  closestTag,
  formatMegabytes,
  imagesOfManifests,
  parseSize,
  registryAllowed
} from '../../src/checks/image.js'
import type { LoadedManifest } from '../../src/plan/manifests.js'
import { parseImageReference } from '../../src/registry/reference.js'
import type { ImageInspection, InspectRequest, Registry } from '../../src/registry/types.js'

/** A fake Registry answering per `registry/repository:tag` (and platform), recording every request. */
function fakeRegistry(
  answer: (req: InspectRequest) => Partial<ImageInspection> & Pick<ImageInspection, 'status'>,
  opts: { delayMs?: number } = {}
): Registry & { requests: InspectRequest[]; maxInFlight: number } {
  let inFlight = 0
  const self = {
    requests: [] as InspectRequest[],
    maxInFlight: 0,
    async inspect(req: InspectRequest): Promise<ImageInspection> {
      self.requests.push(req)
      inFlight++
      self.maxInFlight = Math.max(self.maxInFlight, inFlight)
      try {
        if (opts.delayMs) await new Promise(r => setTimeout(r, opts.delayMs))
        const a = answer(req)
        return { host: req.ref.registry, retries: 0, message: `${a.status} said the fake`, ...a }
      } finally {
        inFlight--
      }
    }
  }
  return self
}

const MB = 1_000_000

describe('parseSize', () => {
  it.each([
    ['500MB', 500 * MB],
    ['500mb', 500 * MB],
    ['500 MB', 500 * MB],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['200Mi', 200 * 1024 ** 2],
    ['1.5GB', 1.5e9],
    ['2G', 2e9],
    ['750K', 750_000],
    ['64KiB', 65_536],
    ['1Ti', 1024 ** 4],
    ['12345', 12345],
    ['10B', 10],
    [42, 42],
    ['', undefined],
    ['MB', undefined],
    ['-5MB', undefined],
    ['5 parsecs', undefined],
    ['1.2.3MB', undefined],
    [undefined, undefined]
  ])('%j → %j bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes)
  })
})

describe('registryAllowed', () => {
  const ref = (s: string) => parseImageReference(s)
  it.each([
    ['ghcr.io/acme/web:1', undefined, true],
    ['ghcr.io/acme/web:1', [], true],
    ['ghcr.io/acme/web:1', ['ghcr.io'], true],
    ['ghcr.io/acme/web:1', ['ghcr.io/acme'], true],
    ['ghcr.io/acme/web:1', ['ghcr.io/acme/'], true],
    ['ghcr.io/acmecorp/web:1', ['ghcr.io/acme'], false],
    ['ghcr.io/acme/web:1', ['quay.io'], false],
    ['nginx:1.25', ['docker.io'], true],
    ['nginx:1.25', ['index.docker.io'], true],
    ['nginx:1.25', ['docker.io/library'], true],
    ['bitnami/redis', ['docker.io/library'], false],
    ['eu.gcr.io/p/app', ['*.gcr.io'], true],
    ['gcr.io/p/app', ['*.gcr.io'], false],
    ['evilgcr.io/p/app', ['*.gcr.io'], false],
    ['127.0.0.1:5000/phase-gate/app:1.0', ['127.0.0.1:5000'], true],
    ['127.0.0.1:5001/phase-gate/app:1.0', ['127.0.0.1:5000'], false]
  ])('%s with %j → %s', (image, allow, want) => {
    expect(registryAllowed(ref(image), allow)).toBe(want)
  })
})

describe('formatMegabytes', () => {
  it.each([
    [401, '0.4 kB'],
    [999_999, '1000.0 kB'],
    [2_100_000, '2.10 MB'],
    [612_345_678, '612.3 MB']
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatMegabytes(bytes)).toBe(text)
  })
})

describe('closestTag', () => {
  it.each([
    ['1.0x', ['0.9', '1.0', '2.0'], '1.0'],
    ['v1.2.4', ['v1.2.3', 'v1.3.0', 'latest'], 'v1.2.3'],
    ['lates', ['latest', 'stable'], 'latest'],
    ['x', [], undefined]
  ])('%s among %j → %s', (wanted, tags, want) => {
    expect(closestTag(wanted, tags)).toBe(want)
  })
})

describe('checkImages verdicts', () => {
  // [name, inspection, maxSize, verdict, severity, words in message, words in adjustment]
  const cases: [
    string,
    Partial<ImageInspection> & Pick<ImageInspection, 'status'>,
    string | undefined,
    string,
    string,
    string,
    string | undefined
  ][] = [
    [
      'small image passes',
      { status: 'found', compressedSize: 80 * MB, sizePlatform: 'linux/amd64' },
      undefined,
      'pass',
      'info',
      'is pullable: 80.0 MB compressed for linux/amd64',
      undefined
    ],
    [
      'over the 500 MB default warns',
      { status: 'found', compressedSize: 612 * MB },
      undefined,
      'warn',
      'medium',
      'over the default limit of 500.0 MB',
      'maxSize: 620MB'
    ],
    [
      'exactly the default passes',
      { status: 'found', compressedSize: DEFAULT_MAX_IMAGE_BYTES },
      undefined,
      'pass',
      'info',
      '500.0 MB',
      undefined
    ],
    [
      'over an explicit maxSize fails',
      { status: 'found', compressedSize: 250 * MB },
      '200MB',
      'fail',
      'high',
      'over its maxSize of 200MB',
      'raise maxSize to at least 250MB'
    ],
    [
      'explicit maxSize above the default accepts a big image',
      { status: 'found', compressedSize: 900 * MB },
      '1GB',
      'pass',
      'info',
      '900.0 MB',
      undefined
    ],
    [
      'binary maxSize',
      { status: 'found', compressedSize: 210 * MB },
      '200Mi',
      'fail',
      'high',
      'over its maxSize of 200Mi',
      'raise maxSize'
    ],
    [
      'not found with tags suggests the closest',
      {
        status: 'not-found',
        statusCode: 404,
        tags: ['1.0', '1.1', 'latest'],
        message: 'tag 1.0x was not found'
      },
      undefined,
      'fail',
      'high',
      'tag 1.0x was not found',
      'use tag 1.0; the registry has 1.0, 1.1, latest'
    ],
    [
      'not found in an empty repository',
      { status: 'not-found', tags: [] },
      undefined,
      'fail',
      'high',
      'not-found',
      'the repository has no tags'
    ],
    [
      'unauthorized without credentials',
      {
        status: 'unauthorized',
        statusCode: 401,
        message: 'ghcr.io needs credentials to pull acme/web and none were found for ghcr.io'
      },
      undefined,
      'fail',
      'high',
      'none were found',
      "add an imagePullSecret for ghcr.io to the namespace's default service account"
    ],
    [
      'unauthorized with rejected credentials',
      {
        status: 'unauthorized',
        statusCode: 401,
        message: 'ghcr.io did not accept the credentials'
      },
      undefined,
      'fail',
      'high',
      'did not accept',
      'renew the credentials for ghcr.io'
    ],
    [
      'platform missing',
      {
        status: 'platform-missing',
        platforms: ['linux/amd64'],
        message: 'does not offer linux/arm64; its index offers linux/amd64'
      },
      undefined,
      'fail',
      'high',
      'does not offer linux/arm64',
      '--platform linux/amd64,linux/arm64'
    ],
    [
      'rate-limited',
      {
        status: 'rate-limited',
        statusCode: 429,
        retryAfter: 60,
        retries: 3,
        message: 'ghcr.io is rate-limiting pulls'
      },
      undefined,
      'error',
      'medium',
      'rate-limiting',
      're-run after 60s'
    ],
    [
      'unreachable',
      { status: 'unreachable', message: 'could not connect to ghcr.io: connection refused' },
      undefined,
      'error',
      'medium',
      'connection refused',
      "the tracer's pull from a node is the proof"
    ],
    [
      'registry error',
      { status: 'error', statusCode: 500, message: 'ghcr.io answered 500' },
      undefined,
      'error',
      'medium',
      'answered 500',
      undefined
    ],
    [
      'credentials from outside the cluster',
      { status: 'found', compressedSize: MB, credentialSource: 'registry-auth input' },
      undefined,
      'pass',
      'info',
      'with the credentials from registry-auth input',
      'which the cluster does not have'
    ]
  ]
  it.each(cases)(
    '%s',
    async (_name, inspection, maxSize, verdict, severity, inMessage, inAdjustment) => {
      const platform = inspection.status === 'platform-missing' ? 'linux/arm64' : undefined
      const ref =
        inspection.status === 'not-found' && inspection.tags?.length
          ? 'ghcr.io/acme/web:1.0x'
          : 'ghcr.io/acme/web:1'
      const registry = fakeRegistry(() => inspection)
      const [r] = await checkImages({
        images: [{ ref, platform, maxSize, source: 'assumption' }],
        registry
      })
      expect(r.verdict).toBe(verdict)
      expect(r.severity).toBe(severity)
      expect(r.message).toContain(inMessage)
      expect(r.message).toContain('(checked from the runner)')
      if (inAdjustment) expect(r.adjustment).toContain(inAdjustment)
      else expect(r.adjustment).toBeUndefined()
      expect(r.id).toBe(`image:${ref}`)
      expect(r.kind).toBe('image')
      expect(r.evidence).toContain('asked ghcr.io from the runner')
      expect(r.evidence).toContain('a tracer proves the pull from a node')
      expect(registry.requests).toHaveLength(1)
      expect(registry.requests[0].platform).toBe(platform)
    }
  )
})

describe('checkImages', () => {
  it('checks each distinct image once, however it is spelled, keeping the assumption location', async () => {
    const registry = fakeRegistry(() => ({ status: 'found', compressedSize: MB }))
    const assumed = { file: 'plan.yaml', line: 7, column: 7, path: 'assumptions.images[0]' }
    const results = await checkImages({
      registry,
      images: [
        {
          ref: 'docker.io/library/nginx:latest',
          source: 'manifest',
          location: { file: 'web.yaml', line: 3, column: 1 }
        },
        { ref: 'nginx', source: 'assumption', location: assumed },
        { ref: 'index.docker.io/library/nginx', source: 'manifest' },
        { ref: 'ghcr.io/acme/web:1', source: 'manifest' }
      ]
    })
    expect(results.map(r => r.id)).toEqual(['image:nginx:latest', 'image:ghcr.io/acme/web:1'])
    expect(registry.requests.map(r => `${r.ref.registry}/${r.ref.repository}`)).toEqual([
      'docker.io/library/nginx',
      'ghcr.io/acme/web'
    ])
    expect(results[0].location).toEqual(assumed)
    expect(results[0].data?.namedIn).toEqual(['manifest', 'assumption'])
  })

  it('inspects once per platform asked and reports the worst', async () => {
    const registry = fakeRegistry(req =>
      req.platform === 'linux/s390x'
        ? {
            status: 'platform-missing',
            platforms: ['linux/amd64', 'linux/arm64'],
            message: 'no s390x'
          }
        : { status: 'found', compressedSize: MB }
    )
    const [r] = await checkImages({
      registry,
      images: [
        { ref: 'ghcr.io/acme/web:1', platform: 'linux/amd64', source: 'assumption' },
        { ref: 'ghcr.io/acme/web:1', platform: 'linux/s390x', source: 'assumption' }
      ]
    })
    expect(registry.requests.map(r => r.platform)).toEqual(['linux/amd64', 'linux/s390x'])
    expect(r.verdict).toBe('fail')
    expect(r.message).toContain('no s390x')
    expect(r.evidence?.split('\n')).toHaveLength(3)
  })

  it('uses the smallest explicit maxSize when an image is named twice', async () => {
    const registry = fakeRegistry(() => ({ status: 'found', compressedSize: 300 * MB }))
    const [r] = await checkImages({
      registry,
      images: [
        { ref: 'ghcr.io/acme/web:1', maxSize: '1GB', source: 'assumption' },
        { ref: 'ghcr.io/acme/web:1', maxSize: '250MB', source: 'assumption' }
      ]
    })
    expect(r.verdict).toBe('fail')
    expect(r.message).toContain('maxSize of 250MB')
    expect(r.data?.maxBytes).toBe(250 * MB)
  })

  it('honours a custom default limit', async () => {
    const registry = fakeRegistry(() => ({ status: 'found', compressedSize: 120 * MB }))
    const [r] = await checkImages({
      registry,
      defaultMaxBytes: 100 * MB,
      images: [{ ref: 'ghcr.io/acme/web:1', source: 'manifest' }]
    })
    expect(r.verdict).toBe('warn')
  })

  it('skips an image from a registry not allowed, without asking it (divergence reports it)', async () => {
    const registry = fakeRegistry(() => ({ status: 'found' }))
    const [r] = await checkImages({
      registry,
      allow: ['ghcr.io/acme'],
      images: [{ ref: 'quay.io/other/thing:2', source: 'manifest' }]
    })
    expect(registry.requests).toHaveLength(0)
    expect(r.verdict).toBe('skip')
    expect(r.message).toContain("outside the plan's allowed registries (ghcr.io/acme): not asked")
    expect(r.adjustment).toContain(
      'skopeo copy docker://quay.io/other/thing:2 docker://ghcr.io/acme/other/thing:2'
    )
  })

  it('fails an invalid reference and errors on an invalid maxSize, without asking', async () => {
    const registry = fakeRegistry(() => ({ status: 'found' }))
    const results = await checkImages({
      registry,
      images: [
        { ref: 'ghcr.io/Acme/Web:1', source: 'manifest' },
        { ref: 'ghcr.io/acme/web:1', maxSize: 'huge', source: 'assumption' }
      ]
    })
    expect(registry.requests).toHaveLength(0)
    expect(results[0]).toMatchObject({
      id: 'image:ghcr.io/Acme/Web:1',
      verdict: 'fail',
      severity: 'high'
    })
    expect(results[0].message).toContain('must be lowercase')
    expect(results[1]).toMatchObject({ verdict: 'error' })
    expect(results[1].message).toContain('maxSize "huge"')
  })

  it('names the mirror asked and the registry behind it', async () => {
    const registry = fakeRegistry(() => ({
      status: 'found',
      host: '127.0.0.1:5000',
      compressedSize: MB,
      retries: 2
    }))
    const [r] = await checkImages({ registry, images: [{ ref: 'nginx:1.25', source: 'manifest' }] })
    expect(r.evidence).toContain('asked 127.0.0.1:5000 (mirror of docker.io) from the runner')
    expect(r.data).toMatchObject({
      host: '127.0.0.1:5000',
      mirrorOf: 'docker.io',
      checkedFrom: 'runner',
      sizeMB: 1
    })
    expect(r.retries).toBe(2)
  })

  it('keeps at most `concurrency` inspections in flight, and all run', async () => {
    const registry = fakeRegistry(() => ({ status: 'found', compressedSize: MB }), { delayMs: 5 })
    const images = Array.from({ length: 40 }, (_, i) => ({
      ref: `ghcr.io/acme/app${i}:1`,
      source: 'manifest' as const
    }))
    const results = await checkImages({ registry, images })
    expect(results).toHaveLength(40)
    expect(registry.maxInFlight).toBe(16)
    const few = fakeRegistry(() => ({ status: 'found' }), { delayMs: 5 })
    await checkImages({ registry: few, images, concurrency: 3 })
    expect(few.maxInFlight).toBe(3)
  })

  it('turns a registry that throws into an error result for that image only', async () => {
    const registry: Registry = {
      inspect: async req => {
        if (req.ref.repository === 'acme/bad') throw new Error('boom')
        return {
          status: 'found',
          host: req.ref.registry,
          retries: 0,
          message: 'ok',
          compressedSize: 1
        }
      }
    }
    const results = await checkImages({
      registry,
      images: [
        { ref: 'ghcr.io/acme/bad:1', source: 'manifest' },
        { ref: 'ghcr.io/acme/good:1', source: 'manifest' }
      ]
    })
    expect(results.map(r => r.verdict)).toEqual(['error', 'pass'])
    expect(results[0].message).toContain('boom')
  })
})

describe('imagesOfManifests', () => {
  const loaded = (object: Record<string, unknown>, line = 1): LoadedManifest => ({
    object: { apiVersion: 'v1', metadata: { name: 'x' }, ...object } as LoadedManifest['object'],
    file: 'k8s/app.yaml',
    line,
    column: 1
  })
  it('finds container and init container images in pods, workloads and CronJobs', () => {
    const podSpec = {
      initContainers: [{ name: 'i', image: 'busybox:1' }],
      containers: [{ name: 'c', image: 'web:2' }, { name: 'd' }]
    }
    const found = imagesOfManifests([
      loaded({ kind: 'Pod', spec: podSpec }),
      loaded(
        { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: podSpec } } },
        20
      ),
      loaded({
        kind: 'CronJob',
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [{ image: 'cron:3' }] } } } }
        }
      }),
      loaded({ kind: 'ConfigMap', data: { image: 'not-an-image:1' } }),
      loaded({ kind: 'Service', spec: { template: 'nope' } })
    ])
    expect(found.map(f => f.ref)).toEqual(['busybox:1', 'web:2', 'busybox:1', 'web:2', 'cron:3'])
    expect(found.every(f => f.source === 'manifest')).toBe(true)
    expect(found[3].location).toEqual({
      file: 'k8s/app.yaml',
      line: 20,
      column: 1,
      path: 'Deployment/web containers[0].image'
    })
  })
})

describe('cloud registries pulled with the node identity', () => {
  const none = (host: string): ImageInspection =>
    ({
      status: 'unauthorized',
      statusCode: 401,
      host,
      message: `${host} needs credentials to pull web and none were found for ${host}`
    }) as ImageInspection
  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'Amazon ECR', 'amazon-ecr-login'],
    ['europe-docker.pkg.dev', 'Google Artifact Registry', 'google-github-actions/auth'],
    ['acme.azurecr.io', 'Azure Container Registry', 'az acr login']
  ])('%s without credentials warns, naming what to add', async (host, name, add) => {
    const [r] = await checkImages({
      images: [{ ref: `${host}/web:1.0`, source: 'assumption' }],
      registry: fakeRegistry(() => none(host))
    })
    expect(r.verdict).toBe('warn')
    expect(r.message).toContain(
      `${name}: pulled with the node's identity; not checkable from the runner`
    )
    expect(r.adjustment).toContain(add)
  })
  it('still fails when credentials were given and refused', async () => {
    const host = 'acme.azurecr.io'
    const [r] = await checkImages({
      images: [{ ref: `${host}/web:1.0`, source: 'assumption' }],
      registry: fakeRegistry(() => ({ ...none(host), credentialSource: 'registry-auth' }))
    })
    expect(r.verdict).toBe('fail')
  })
  it('a look-alike host is not a cloud registry', async () => {
    const host = 'acme.azurecr.io.evil.example'
    const [r] = await checkImages({
      images: [{ ref: `${host}/web:1.0`, source: 'assumption' }],
      registry: fakeRegistry(() => none(host))
    })
    expect(r.verdict).toBe('fail')
  })
})
