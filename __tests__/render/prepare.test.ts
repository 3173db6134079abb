// The engine's override step over a scripted helm: an image only a Helm
// phase's rendered output names is a valid NAME; one nothing names is exit 2
// listing the images there are (Helm output included), and --set reaches helm.
import { describe, expect, it } from '@jest/globals'
import { prepareOverrides } from '../../src/render/prepare.js'
import { parseOverrides } from '../../src/render/overrides.js'
import { UsageError } from '../../src/core/errors.js'
import { ScriptedExec, loadedPlan } from '../rollout/fakes.js'
import type { Plan } from '../../src/plan/types.js'

const RENDERED = `---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: web, image: "registry.example.com/web:1.0"}]
`

const plan = {
  version: 1,
  name: 'p',
  target: { namespace: 'n' },
  assumptions: { images: ['registry.example.com/api:1.0'] },
  phases: [
    { name: 'web', helm: { release: 'web', chart: 'oci://registry.example.com/charts/web' } }
  ]
} as Plan

const exec = (): ScriptedExec =>
  new ScriptedExec(argv => (argv[1] === 'template' ? { stdout: RENDERED } : {}))

const overrides = (images: string[], sets: string[] = []) =>
  parseOverrides(images, sets, { images: '--image', helmSet: '--set' })

describe('prepareOverrides', () => {
  it('accepts a NAME only the rendered Helm output has, passing --set to helm', async () => {
    const e = exec()
    const loaded = loadedPlan(structuredClone(plan), '/nonexistent-plan-dir')
    await prepareOverrides(
      loaded,
      overrides(['registry.example.com/web=:2.0'], ['web.image.tag=2.0']),
      { workspace: '/nonexistent-plan-dir', exec: e, namespace: 'n' }
    )
    const template = e.calls.find(c => c.argv[1] === 'template')
    expect(template?.argv).toEqual(expect.arrayContaining(['--set', 'image.tag=2.0']))
  })

  it('does not render Helm when the plan itself names every overridden image', async () => {
    const e = exec()
    const loaded = loadedPlan(structuredClone(plan), '/nonexistent-plan-dir')
    await prepareOverrides(loaded, overrides(['registry.example.com/api=:2.0']), {
      workspace: '/nonexistent-plan-dir',
      exec: e,
      namespace: 'n'
    })
    expect(e.calls).toEqual([])
    expect(loaded.plan.assumptions?.images).toEqual(['registry.example.com/api:2.0'])
  })

  it('is a usage error naming the NAME and every image there is', async () => {
    const loaded = loadedPlan(structuredClone(plan), '/nonexistent-plan-dir')
    const p = prepareOverrides(loaded, overrides(['registry.example.com/nope=:2.0']), {
      workspace: '/nonexistent-plan-dir',
      exec: exec(),
      namespace: 'n'
    })
    await expect(p).rejects.toThrow(UsageError)
    await expect(
      prepareOverrides(
        loadedPlan(structuredClone(plan), '/nonexistent-plan-dir'),
        overrides(['registry.example.com/nope=:2.0']),
        { workspace: '/nonexistent-plan-dir', exec: exec(), namespace: 'n' }
      )
    ).rejects.toThrow(
      '--image registry.example.com/nope: matches no image of the plan (assumptions.images, manifests, tracers, phases, Kustomize and Helm output); NAME is the repository as written there, without tag or digest. Images there are: registry.example.com/api, registry.example.com/web'
    )
  })
})
