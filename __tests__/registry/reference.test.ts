import { describe, expect, it } from '@jest/globals'
import {
  ImageReferenceError,
  familiarName,
  formatReference,
  manifestReference,
  parseImageReference,
  validateImageReference
} from '../../src/registry/reference.js'

const HEX64 = 'f'.repeat(64)
const DIGEST = `sha256:${HEX64}`

// Cases follow distribution/reference's reference_test.go and normalize_test.go,
// seen through ParseNormalizedNamed (what the runtime pulls).
const valid: [
  input: string,
  registry: string,
  repository: string,
  tag?: string,
  digest?: string
][] = [
  ['nginx', 'docker.io', 'library/nginx'],
  ['nginx:1.25', 'docker.io', 'library/nginx', '1.25'],
  ['library/debian', 'docker.io', 'library/debian'],
  ['docker/docker', 'docker.io', 'docker/docker'],
  ['docker.io/debian', 'docker.io', 'library/debian'],
  ['docker.io/library/debian', 'docker.io', 'library/debian'],
  ['index.docker.io/debian', 'docker.io', 'library/debian'],
  ['index.docker.io/docker/docker', 'docker.io', 'docker/docker'],
  ['localhost/debian', 'localhost', 'debian'],
  ['localhost/library/debian', 'localhost', 'library/debian'],
  ['LOCALDOMAIN/debian', 'LOCALDOMAIN', 'debian'],
  ['Docker/docker', 'Docker', 'docker'],
  ['127.0.0.1:5000/debian', '127.0.0.1:5000', 'debian'],
  ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000', 'docker/docker'],
  ['test_com', 'docker.io', 'library/test_com'],
  ['test.com:tag', 'docker.io', 'library/test.com', 'tag'],
  ['test.com:5000', 'docker.io', 'library/test.com', '5000'],
  ['test.com/repo:tag', 'test.com', 'repo', 'tag'],
  ['test:5000/repo', 'test:5000', 'repo'],
  ['test:5000/repo:tag', 'test:5000', 'repo', 'tag'],
  [`test:5000/repo@${DIGEST}`, 'test:5000', 'repo', undefined, DIGEST],
  [`test:5000/repo:tag@${DIGEST}`, 'test:5000', 'repo', 'tag', DIGEST],
  ['lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase'],
  [
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    'sub-dom1.foo.com',
    'bar/baz/quux',
    'some-long-tag'
  ],
  [
    'b.gcr.io/test.example.com/my-app:test.example.com',
    'b.gcr.io',
    'test.example.com/my-app',
    'test.example.com'
  ],
  ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com'],
  [
    `xn--7o8h.com/myimage:xn--7o8h.com@${DIGEST}`,
    'xn--7o8h.com',
    'myimage',
    'xn--7o8h.com',
    DIGEST
  ],
  ['foo_bar.com:8080', 'docker.io', 'library/foo_bar.com', '8080'],
  ['foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080'],
  ['192.168.1.1', 'docker.io', 'library/192.168.1.1'],
  ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000', 'repo', '5050'],
  ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo'],
  ['[2001:db8::1]:5000/repo:tag', '[2001:db8::1]:5000', 'repo', 'tag'],
  ['[::1]:5000/repo', '[::1]:5000', 'repo'],
  ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000', 'library/debian'],
  [
    `busybox:latest@sha256:${'8'.repeat(64)}`,
    'docker.io',
    'library/busybox',
    'latest',
    `sha256:${'8'.repeat(64)}`
  ],
  [`docker.io/${'1a3f'.repeat(16)}`, 'docker.io', `library/${'1a3f'.repeat(16)}`],
  [
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    'docker.io',
    'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev'
  ],
  ['docker---rules/docker', 'docker.io', 'docker---rules/docker'],
  ['dock__er/docker', 'docker.io', 'dock__er/docker'],
  ['d/docker', 'docker.io', 'd/docker'],
  [
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    'docker.io',
    `${'a/'.repeat(127)}a`,
    'tag-puts-this-over-max'
  ],
  [`example.com/${'a'.repeat(255)}:tag`, 'example.com', 'a'.repeat(255), 'tag'],
  [
    `repo@sha512:${'e'.repeat(128)}`,
    'docker.io',
    'library/repo',
    undefined,
    `sha512:${'e'.repeat(128)}`
  ],
  ['ghcr.io/owner/app:v1.2.3', 'ghcr.io', 'owner/app', 'v1.2.3']
]

// [input, words the error must contain]
const invalid: [string, string][] = [
  ['', 'empty'],
  [':justtag', 'repository name before the tag or digest is empty'],
  [`@${DIGEST}`, 'repository name before the tag or digest is empty'],
  ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'expected 64'],
  [`validname@invaliddigest:${HEX64}`, 'not supported'],
  [`repo@sha256:${'F'.repeat(64)}`, 'lowercase hexadecimal'],
  ['Uppercase:tag', 'must be lowercase'],
  ['test:5000/Uppercase/lowercase:tag', 'must be lowercase'],
  ['docker/Docker', 'must be lowercase'],
  ['docker.io/docker/Docker', 'must be lowercase'],
  [`domain/${'a'.repeat(256)}:tag`, 'more than the 255'],
  ['aa/asdf$$^/aa', 'path component "asdf$$^"'],
  ['https://github.com/docker/docker', 'no URL scheme'],
  ['-docker', 'path component "-docker"'],
  ['-docker/docker', 'path component "-docker"'],
  ['-docker.io/docker/docker', 'registry host "-docker.io"'],
  ['docker///docker', 'empty component'],
  ['docker/', 'empty component'],
  ['docker-/docker', 'path component "docker-"'],
  ['____/____', 'path component "____"'],
  ['dock..er/docker', 'registry host "dock..er"'],
  ['dock_.er/docker', 'registry host "dock_.er"'],
  ['[fc00::1]:5000', 'path component "[fc00::1]"'],
  ['fc00::1:5000/debian', 'registry host "fc00::1:5000"'],
  ['[fe80::1%eth0]:5000/debian', 'registry host'],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'registry host'],
  ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'image ID'],
  ['nginx:-bad', 'tag "-bad" is invalid'],
  [`nginx:${'t'.repeat(129)}`, 'is invalid'],
  ['nginx:', 'tag after ":" is empty'],
  [' nginx', 'whitespace'],
  ['nginx@notadigest', 'digest "notadigest"']
]

describe('parseImageReference', () => {
  const rows = valid.map(([input, registry, repository, tag, digest]) => ({
    input,
    registry,
    repository,
    tag,
    digest
  }))
  it.each(rows)('parses $input', ({ input, registry, repository, tag, digest }) => {
    const ref = parseImageReference(input)
    expect(ref).toEqual({
      original: input,
      registry,
      repository,
      ...(tag ? { tag } : {}),
      ...(digest ? { digest } : {})
    })
  })

  it.each(invalid)('rejects %j, saying %s', (input, words) => {
    expect(() => parseImageReference(input)).toThrow(ImageReferenceError)
    expect(validateImageReference(input)).toContain(words)
  })

  it('names the reference in the error', () => {
    expect(() => parseImageReference('docker/Docker')).toThrow(
      'invalid image reference "docker/Docker": repository name "docker/Docker" must be lowercase'
    )
  })

  it('accepts every valid case through validateImageReference', () => {
    for (const [input] of valid) expect(validateImageReference(input)).toBeUndefined()
  })
})

describe('familiar and canonical forms', () => {
  // [input, familiar name, familiar string, canonical string]
  const forms: [string, string, string, string][] = [
    ['ubuntu', 'ubuntu', 'ubuntu', 'docker.io/library/ubuntu'],
    ['library/ubuntu', 'ubuntu', 'ubuntu', 'docker.io/library/ubuntu'],
    ['index.docker.io/fooo/bar', 'fooo/bar', 'fooo/bar', 'docker.io/fooo/bar'],
    [
      'docker.io/library/foo/bar',
      'library/foo/bar',
      'library/foo/bar',
      'docker.io/library/foo/bar'
    ],
    ['other/library', 'other/library', 'other/library', 'docker.io/other/library'],
    ['localhost/fooo/bar', 'localhost/fooo/bar', 'localhost/fooo/bar', 'localhost/fooo/bar'],
    [
      '127.0.0.1:8000/privatebase:v1',
      '127.0.0.1:8000/privatebase',
      '127.0.0.1:8000/privatebase:v1',
      '127.0.0.1:8000/privatebase:v1'
    ],
    ['FOO/bar', 'FOO/bar', 'FOO/bar', 'FOO/bar'],
    [
      `busybox:latest@${DIGEST}`,
      'busybox',
      `busybox:latest@${DIGEST}`,
      `docker.io/library/busybox:latest@${DIGEST}`
    ]
  ]
  it.each(forms)('%s', (input, name, familiar, canonical) => {
    const ref = parseImageReference(input)
    expect(familiarName(ref)).toBe(name)
    expect(formatReference(ref, { familiar: true })).toBe(familiar)
    expect(formatReference(ref)).toBe(canonical)
    // The canonical form parses back to the same image.
    const again = parseImageReference(canonical)
    expect([again.registry, again.repository, again.tag, again.digest]).toEqual([
      ref.registry,
      ref.repository,
      ref.tag,
      ref.digest
    ])
  })
})

describe('manifestReference', () => {
  it.each([
    ['nginx', 'latest'],
    ['nginx:1.25', '1.25'],
    [`nginx:1.25@${DIGEST}`, DIGEST],
    [`nginx@${DIGEST}`, DIGEST]
  ])('%s asks for %s', (input, want) => {
    expect(manifestReference(parseImageReference(input))).toBe(want)
  })
})
