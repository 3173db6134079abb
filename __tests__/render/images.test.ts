// Image overrides with Kustomize `images` semantics, table-driven, and where
// they apply: every container list of every pod template kind, assumptions.images,
// Helm output through the post-renderer, the CLI flags.
import { describe, expect, it } from '@jest/globals'
import {
  imagesOf,
  overrideImage,
  overrideObjectImages,
  parseImageOverride,
  parseImageOverrides,
  splitImage
} from '../../src/render/images.js'
import {
  attachOverrides,
  checkOverridesMatch,
  describeOverrides,
  helmSetsFor,
  overridesFromLines,
  parseHelmSets,
  parseOverrides,
  reconcileOverrides,
  withOverrides
} from '../../src/render/overrides.js'
import { addLabelsToManifests } from '../../src/helm/post-renderer.js'
import { parseCli } from '../../src/cli/args.js'
import { parseManifests } from '../../src/plan/manifests.js'
import { UsageError } from '../../src/core/errors.js'
import type { KubeObject } from '../../src/kube/types.js'
import type { LoadedPlan, Plan } from '../../src/plan/types.js'

describe('splitImage', () => {
  it.each([
    ['app', { name: 'app' }],
    ['app:1.0', { name: 'app', tag: '1.0' }],
    ['127.0.0.1:5000/phase-gate/app:1.0', { name: '127.0.0.1:5000/phase-gate/app', tag: '1.0' }],
    ['localhost:5000/app', { name: 'localhost:5000/app' }],
    [`reg/app@sha256:${'a'.repeat(64)}`, { name: 'reg/app', digest: `sha256:${'a'.repeat(64)}` }],
    [
      `reg:443/app:2@sha256:${'b'.repeat(64)}`,
      { name: 'reg:443/app', tag: '2', digest: `sha256:${'b'.repeat(64)}` }
    ]
  ])('%s', (image, parts) => {
    expect(splitImage(image)).toEqual(parts)
  })
})

const D = `sha256:${'c'.repeat(64)}`

describe('overrideImage (Kustomize images semantics)', () => {
  it.each([
    ['app:1.0', 'app=app:2.0', 'app:2.0'],
    ['app:1.0', 'app=:2.0', 'app:2.0'],
    ['app:1.0', `app=@${D}`, `app@${D}`],
    ['app:1.0', 'app=reg.example.com:5000/team/app:3', 'reg.example.com:5000/team/app:3'],
    ['app:1.0', 'app=reg.example.com/app', 'reg.example.com/app:1.0'],
    [`app:1.0@${D}`, 'app=:2.0', 'app:2.0'],
    ['127.0.0.1:5000/app:1.0', '127.0.0.1:5000/app=:2.0', '127.0.0.1:5000/app:2.0'],
    // NAME is the repository as written: another spelling is another image.
    ['docker.io/library/app:1.0', 'app=:2.0', 'docker.io/library/app:1.0'],
    ['app-sidecar:1.0', 'app=:2.0', 'app-sidecar:1.0'],
    ['reg/app:1.0', 'app=:2.0', 'reg/app:1.0']
  ])('%s with %s is %s', (image, override, want) => {
    expect(overrideImage(image, [parseImageOverride(override, '--image')])).toBe(want)
  })

  it.each([
    ['app', /no NAME=/],
    ['=app:2', /no NAME=/],
    ['app=', /nothing after =/],
    ['app:1.0=app:2', /without tag or digest/],
    ['app=:bad tag', /not a valid tag/],
    ['app=@sha256:xyz', /not a digest/]
  ])('refuses %s', (text, why) => {
    expect(() => parseImageOverride(text, '--image')).toThrow(why)
    expect(() => parseImageOverride(text, '--image')).toThrow(UsageError)
  })

  it('refuses the same NAME twice', () => {
    expect(() => parseImageOverrides(['app=:1', 'app=:2'], '--image')).toThrow(/given twice/)
  })
})

const podSpec = {
  initContainers: [{ name: 'init', image: 'app:1.0' }],
  containers: [
    { name: 'main', image: 'app:1.0' },
    { name: 'side', image: 'other:1' }
  ],
  ephemeralContainers: [{ name: 'debug', image: 'app:1.0' }]
}
const template = { metadata: { labels: { a: 'b' } }, spec: podSpec }
const kinds: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec },
  ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map(kind => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: kind.toLowerCase() },
    spec: { template }
  })),
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template } },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } }
  }
]

describe('overrideObjectImages', () => {
  const o = parseImageOverrides(['app=:2.0'], '--image')
  it.each(kinds.map(k => [k.kind, k]))(
    '%s: every container, init and ephemeral container',
    (_, obj) => {
      const before = structuredClone(obj)
      const out = overrideObjectImages(obj as KubeObject, o)
      expect(imagesOf(out)).toEqual(['app:2.0', 'app:2.0', 'other:1', 'app:2.0'])
      // The input is left as it was (loaders may share it).
      expect(obj).toEqual(before)
    }
  )

  it('leaves objects without a matching image as they are (same object)', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }
    expect(overrideObjectImages(cm, o)).toBe(cm)
    const none = parseImageOverrides(['zzz=:2'], '--image')
    expect(overrideObjectImages(kinds[0], none)).toBe(kinds[0])
  })
})

function loadedPlan(plan: Partial<Plan>): LoadedPlan {
  return {
    plan: { version: 1, name: 'p', target: { namespace: 'n' }, ...plan } as Plan,
    file: '/x/phase-gate.yaml',
    displayFile: 'phase-gate.yaml',
    dir: '/x',
    root: '/x',
    locate: () => ({ file: 'phase-gate.yaml', line: 1, column: 1 })
  }
}

describe('overrides on the plan', () => {
  it('rewrites assumptions.images (strings and refs) and remembers what was written', () => {
    const loaded = loadedPlan({
      assumptions: { images: ['app:1.0', { ref: '127.0.0.1:5000/db:1', maxSize: '1GB' }, 'x:1'] }
    })
    attachOverrides(
      loaded,
      parseOverrides(['app=:2.0', '127.0.0.1:5000/db=@' + D], [], {
        images: '--image',
        helmSet: '--set'
      })
    )
    expect(loaded.plan.assumptions?.images).toEqual([
      'app:2.0',
      { ref: `127.0.0.1:5000/db@${D}`, maxSize: '1GB' },
      'x:1'
    ])
    expect([...(loaded.overrides?.written ?? [])]).toEqual([
      'app:1.0',
      '127.0.0.1:5000/db:1',
      'x:1'
    ])
  })

  it('applies to loaded manifests after rendering', () => {
    const loaded = loadedPlan({})
    attachOverrides(
      loaded,
      parseOverrides(['app=:2.0'], [], { images: '--image', helmSet: '--set' })
    )
    const ms = parseManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: app:1.0}]}\n',
      'p.yaml'
    )
    const out = withOverrides(loaded, ms)
    expect(imagesOf(out[0].object)).toEqual(['app:2.0'])
    expect(out[0].file).toBe('p.yaml')
    expect(loaded.overrides?.written?.has('app:1.0')).toBe(true)
  })

  it('names an override that matches no image, with the images there are', () => {
    const o = parseImageOverrides(['web=:2', 'app=:2'], '--image')
    expect(() => checkOverridesMatch(o, ['app:1.0', 'reg:5000/db:1'])).toThrow(
      /--image web: .*Images there are: app, reg:5000\/db/
    )
    expect(() => checkOverridesMatch(o.slice(1), ['app:1.0'])).not.toThrow()
  })

  it('passes --set to the Helm phase it names, and refuses a phase that is not one', () => {
    const loaded = loadedPlan({
      phases: [
        { name: 'web', helm: { release: 'web', chart: './chart' } },
        { name: 'plain', apply: ['a.yaml'] }
      ]
    })
    attachOverrides(loaded, {
      images: [],
      helmSet: parseHelmSets(['web.image.tag=2.0', 'web.a.b=c=d'], '--set')
    })
    expect(helmSetsFor(loaded, 'web')).toEqual(['image.tag=2.0', 'a.b=c=d'])
    expect(helmSetsFor(loaded, 'plain')).toEqual([])
    expect(() =>
      attachOverrides(loaded, { images: [], helmSet: parseHelmSets(['plain.x=1'], '--set') })
    ).toThrow(/"plain" is not a Helm phase .*Helm phases: web/)
    expect(() => parseHelmSets(['web=1'], '--set')).toThrow(/PHASE.KEY=VALUE/)
  })

  it('round-trips through the state record lines, and later gates agree with them', () => {
    const o = parseOverrides(['app=:2.0'], ['web.k=v'], { images: '--image', helmSet: '--set' })
    const lines = describeOverrides(o)
    expect(lines).toEqual(['--image app=:2.0', '--set web.k=v'])
    expect(describeOverrides(overridesFromLines(lines))).toEqual(lines)

    const plan = { phases: [{ name: 'web', helm: { release: 'web', chart: './c' } }] }
    const none = loadedPlan(plan)
    expect(reconcileOverrides(none, lines, 'r1')).toMatch(/taken from the state record/)
    expect(describeOverrides(none.overrides)).toEqual(lines)

    const same = loadedPlan(plan)
    attachOverrides(same, o)
    expect(reconcileOverrides(same, lines, 'r1')).toBeUndefined()

    const other = loadedPlan(plan)
    attachOverrides(
      other,
      parseOverrides(['app=:3.0'], [], { images: '--image', helmSet: '--set' })
    )
    expect(() => reconcileOverrides(other, lines, 'r1')).toThrow(
      /run r1 was deployed with --image app=:2.0, --set web.k=v, but this gate was given --image app=:3.0/
    )
  })
})

describe('Helm output through the post-renderer', () => {
  it('gets the overridden image in every container and the labels on metadata only', () => {
    const text = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: i, image: "app:1.0"}]
      containers: [{name: c, image: "app:1.0"}, {name: s, image: "other:1"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: "app:1.0"}]}}}}
`
    const out = addLabelsToManifests(
      text,
      { 'phase-gate.dev/run': 'r' },
      parseImageOverrides(['app=reg:5000/app:2.0'], '--image')
    )
    const objs = parseManifests(out, 'x').map(m => m.object)
    expect(imagesOf(objs[0])).toEqual(['reg:5000/app:2.0', 'reg:5000/app:2.0', 'other:1'])
    expect(imagesOf(objs[1])).toEqual(['reg:5000/app:2.0'])
    expect(objs[0].metadata.labels).toEqual({ 'phase-gate.dev/run': 'r' })
  })
})

describe('CLI flags', () => {
  it('takes --image and --set more than once', () => {
    const inv = parseCli(
      [
        'check',
        'p.yaml',
        '--gate',
        'reality-check',
        '--image',
        'app=:2.0',
        '--image',
        '127.0.0.1:5000/db=127.0.0.1:5000/db:3',
        '--set',
        'web.image.tag=2.0'
      ],
      {},
      '/w'
    )
    expect(describeOverrides(inv.settings.overrides)).toEqual([
      '--image app=:2.0',
      '--image 127.0.0.1:5000/db=127.0.0.1:5000/db:3',
      '--set web.image.tag=2.0'
    ])
  })

  it('refuses a malformed --image as a usage error', () => {
    expect(() =>
      parseCli(['check', 'p.yaml', '--gate', 'tracer', '--image', 'app'], {}, '/w')
    ).toThrow(UsageError)
  })
})
