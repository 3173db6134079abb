// The action's `images` and `helm-set` inputs: one override per line, into the
// same settings the CLI's --image and --set give.
import { afterEach, describe, expect, it } from '@jest/globals'
import { readInputs } from '../../src/action/inputs.js'
import { describeOverrides } from '../../src/render/overrides.js'
import { UsageError } from '../../src/core/errors.js'

const saved = { ...process.env }
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  Object.assign(process.env, saved)
})

function inputs(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[`INPUT_${k.toUpperCase()}`] = v
}

describe('action inputs images and helm-set', () => {
  it('take one override per line, blank lines ignored', () => {
    inputs({
      gate: 'reality-check',
      'run-id': '42',
      images:
        'ghcr.io/org/api=:sha-abc123\n\n127.0.0.1:5000/web=127.0.0.1:5000/web@sha256:' +
        'd'.repeat(64) +
        '\n',
      'helm-set': 'web.image.tag=sha-abc123\nweb.replicaCount=3'
    })
    const s = readInputs({ GITHUB_WORKSPACE: '/w' })
    expect(describeOverrides(s.overrides)).toEqual([
      '--image ghcr.io/org/api=:sha-abc123',
      `--image 127.0.0.1:5000/web=127.0.0.1:5000/web@sha256:${'d'.repeat(64)}`,
      '--set web.image.tag=sha-abc123',
      '--set web.replicaCount=3'
    ])
  })

  it('refuse a malformed line naming the input', () => {
    inputs({ gate: 'reality-check', 'run-id': '42', images: 'api:1.0=:2.0' })
    expect(() => readInputs({ GITHUB_WORKSPACE: '/w' })).toThrow(UsageError)
    expect(() => readInputs({ GITHUB_WORKSPACE: '/w' })).toThrow(/input "images" "api:1.0=:2.0"/)
  })

  it('give no overrides when empty', () => {
    inputs({ gate: 'reality-check', 'run-id': '42' })
    expect(describeOverrides(readInputs({ GITHUB_WORKSPACE: '/w' }).overrides)).toEqual([])
  })
})
