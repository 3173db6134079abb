import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import {
  csvBelongsTo,
  helmChartVersion,
  imageTag,
  judgeOperator,
  lookUpOperator,
  operatorCheck,
  type OperatorLookup,
  type OperatorSighting
} from '../../src/checks/operator.js'
import { parseRange, satisfies } from '../../src/checks/version-range.js'
import type { KubeObject } from '../../src/kube/types.js'
import { FakeCluster } from '../support/fake-cluster.js'
import { deployment, makeAvailable } from '../support/kube-fixtures.js'
import { realityContext, served } from '../fixtures/reality/context.js'

const CSV = served(
  'operators.coreos.com/v1alpha1',
  'ClusterServiceVersion',
  'clusterserviceversions'
)

function csv(
  name: string,
  namespace: string,
  phase: string,
  version: string,
  labels: Record<string, string> = {}
): KubeObject {
  return {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: { name, namespace, labels },
    spec: { version, displayName: name },
    status: {
      phase,
      reason: phase === 'Succeeded' ? 'InstallSucceeded' : 'InstallCheckFailed',
      message: phase === 'Succeeded' ? 'install strategy completed' : 'deployment not ready'
    }
  }
}

function helmSecret(
  name: string,
  namespace: string,
  revision: number,
  status: string,
  chartVersion: string
): KubeObject {
  const release = gzipSync(
    Buffer.from(
      JSON.stringify({
        name,
        chart: { metadata: { name, version: chartVersion, appVersion: '9.9' } }
      })
    )
  )
  // Helm stores base64(gzip(json)) in the Secret's data, which the API base64-encodes again.
  const data = Buffer.from(release.toString('base64')).toString('base64')
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${name}.v${revision}`,
      namespace,
      labels: { owner: 'helm', name, status, version: String(revision) }
    },
    type: 'helm.sh/release.v1',
    data: { release: data }
  }
}

describe('version ranges (the semver package)', () => {
  it.each<[string, string, boolean | undefined]>([
    ['1.20.0', '>=1.20', true],
    ['1.19.9', '>=1.20', false],
    ['v1.21.3', '>=1.20', true],
    ['2.0.0', '<2', false],
    ['1.99.0', '<2', true],
    ['1.2.9', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['0.3.5', '^0.3.1', true],
    ['0.4.0', '^0.3.1', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.2.7', '1.2.x', true],
    ['1.3.0', '1.2.x', false],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '1.2.3', false],
    ['1.5.0', '>=1.2 <2', true],
    ['2.1.0', '>=1.2 <2', false],
    ['1.5.0', '1.0.0 - 1.4.0', false],
    ['1.4.0', '1.0.0 - 1.4.0', true],
    ['3.1.0', '<2 || >=3', true],
    ['2.5.0', '<2 || >=3', false],
    ['1.20.0-rc.1', '>=1.20.0', false],
    ['1.20.0-rc.1', '>=1.20.0-rc.0', true],
    // semver: a pre-release satisfies only a range naming a pre-release of the same x.y.z.
    ['1.25.3-alpine', '>=1.20', false],
    ['2.0.0-beta.1', '<2', false],
    ['2.0.0-beta.1', '>=2.0.0-beta.0 <2.0.0', true],
    ['1.2.5', '>=1.2, <2', true],
    ['latest', '>=1.20', undefined],
    ['1.20.0', 'soon', undefined]
  ])('%s satisfies %s → %s', (v, range, want) => expect(satisfies(v, range)).toBe(want))
  it('rejects what does not parse', () => {
    expect(parseRange('>=')).toBeUndefined()
    expect(parseRange('>=1.2 foo')).toBeUndefined()
  })
})

describe('names and tags', () => {
  it.each<[string, string, boolean]>([
    ['cloud-native-postgresql.v1.20.0', 'cloud-native-postgresql', true],
    ['cloud-native-postgresql', 'cloud-native-postgresql', true],
    ['etcdoperator-v0.9.4', 'etcdoperator', true],
    ['cloud-native-postgresql-extras.v1.0.0', 'cloud-native-postgresql', false],
    ['postgresql.v1.0.0', 'cloud-native-postgresql', false]
  ])('CSV %s belongs to %s: %s', (name, op, want) => expect(csvBelongsTo(name, op)).toBe(want))
  it.each<[string, string | undefined]>([
    ['ghcr.io/cloudnative-pg/cloudnative-pg:1.22.1', '1.22.1'],
    ['127.0.0.1:5000/op:2.0@sha256:abc', '2.0'],
    ['127.0.0.1:5000/op', undefined],
    ['quay.io/op@sha256:abc', undefined]
  ])('tag of %s is %s', (image, tag) => expect(imageTag(image)).toBe(tag))
})

describe('judgeOperator', () => {
  const s = (
    source: OperatorSighting['source'],
    ready: boolean,
    version?: string
  ): OperatorSighting => ({
    source,
    where: `ops/${source}`,
    ready,
    version,
    state: ready ? 'ok' : 'broken'
  })
  const lookup = (...sightings: OperatorSighting[]): OperatorLookup => ({
    sightings,
    lookedFor: ['a CSV', 'a Deployment', 'a Helm release'],
    notes: []
  })
  it.each<[string, OperatorLookup, string | undefined, string, RegExp]>([
    ['nothing found', lookup(), undefined, 'fail', /is not installed/],
    [
      'CSV ready',
      lookup(s('csv', true, '1.20.0')),
      undefined,
      'pass',
      /1\.20\.0 is ready \(ClusterServiceVersion ops\/csv/
    ],
    [
      'CSV broken, Deployment ready',
      lookup(s('csv', false, '1.0.0'), s('deployment', true, '1.21.0')),
      undefined,
      'pass',
      /Deployment ops\/deployment/
    ],
    [
      'only broken sightings',
      lookup(s('deployment', false), s('helm', false)),
      undefined,
      'fail',
      /installed but not ready: Deployment/
    ],
    ['version in range', lookup(s('helm', true, '1.22.0')), '>=1.20', 'pass', /satisfies >=1\.20/],
    [
      'version out of range',
      lookup(s('csv', true, '1.18.0')),
      '>=1.20',
      'fail',
      /1\.18\.0 does not satisfy >=1\.20/
    ],
    [
      'version unknown',
      lookup(s('deployment', true, 'latest')),
      '>=1.20',
      'warn',
      /could not be judged/
    ],
    ['range does not parse', lookup(s('csv', true, '1.0.0')), 'newest', 'fail', /does not parse/],
    [
      'CSV preferred over Helm',
      lookup(s('helm', true, '9.0.0'), s('csv', true, '1.0.0')),
      undefined,
      'pass',
      /ClusterServiceVersion/
    ]
  ])('%s', (_name, l, range, verdict, message) => {
    const r = judgeOperator({ name: 'op', version: range }, l)
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
    if (verdict === 'fail') {
      expect(r.severity).toBe('high')
      expect(r.adjustment).toBeTruthy()
    }
  })
  it('says what was looked for when nothing is found', () => {
    const r = judgeOperator(
      { name: 'op', namespace: 'ops' },
      {
        sightings: [],
        lookedFor: ['a CSV op.v*', 'a Deployment op'],
        notes: ['Secrets in ops (forbidden)']
      }
    )
    expect(r.evidence).toContain('looked for a CSV op.v*; a Deployment op: none found')
    expect(r.evidence).toContain('Secrets in ops (forbidden)')
  })
})

describe('helmChartVersion', () => {
  it('decodes the release', () =>
    expect(helmChartVersion(helmSecret('pg', 'ops', 3, 'deployed', '0.21.5'))).toBe('0.21.5'))
  it('is undefined for garbage', () =>
    expect(
      helmChartVersion({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'x' },
        data: { release: 'bm9wZQ==' }
      })
    ).toBeUndefined())
})

describe('lookUpOperator and the operator kind against a fake cluster', () => {
  async function run(objects: KubeObject[], plan: string, resources = [CSV]) {
    const cluster = new FakeCluster({ objects, resources })
    const ctx = await realityContext({ plan, cluster })
    return { results: await operatorCheck.run(ctx), cluster, ctx }
  }

  it('finds a Succeeded CSV and ignores OLM copies in other namespaces', async () => {
    const { results, cluster } = await run(
      [
        csv('pg.v1.22.0', 'operators', 'Succeeded', '1.22.0'),
        csv('pg.v1.22.0', 'app', 'Failed', '1.22.0', { 'olm.copiedFrom': 'operators' })
      ],
      'assumptions:\n  operators: [pg]\n'
    )
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({
      id: 'operator:pg',
      verdict: 'pass',
      data: { source: 'csv', version: '1.22.0' }
    })
    expect(
      cluster.callsOf('list').find(c => c.kind === 'ClusterServiceVersion')?.opts
    ).toMatchObject({ labelSelector: '!olm.copiedFrom' })
    expect(results[0].location?.line).toBe(5)
  })

  it('fails a CSV that is not Succeeded, quoting its phase', async () => {
    const { results } = await run(
      [csv('pg.v1.22.0', 'operators', 'Failed', '1.22.0')],
      'assumptions:\n  operators: [{name: pg, namespace: operators}]\n'
    )
    expect(results[0]).toMatchObject({
      id: 'operator:operators/pg',
      verdict: 'fail',
      severity: 'high'
    })
    expect(results[0].message).toContain('phase Failed')
  })

  it('falls back to an Available Deployment found by label, with its version label', async () => {
    const d = deployment('pg-controller', { namespace: 'db' })
    makeAvailable(d)
    d.metadata.labels = { 'app.kubernetes.io/name': 'pg', 'app.kubernetes.io/version': '1.23.0' }
    const { results } = await run(
      [d],
      'assumptions:\n  operators: [{name: pg, version: ">=1.20"}]\n'
    )
    expect(results[0]).toMatchObject({
      verdict: 'pass',
      data: { source: 'deployment', where: 'db/pg-controller', version: '1.23.0' }
    })
  })

  it('fails a Deployment that is not Available', async () => {
    const d = deployment('pg', { namespace: 'db', image: 'r/pg:1.0' })
    const { results } = await run([d], 'assumptions:\n  operators: [{name: pg, namespace: db}]\n')
    expect(results[0].verdict).toBe('fail')
    expect(results[0].message).toMatch(/Available=False/)
  })

  it('finds a deployed Helm release and reads its chart version only when a range asks', async () => {
    const secrets = [
      helmSecret('pg', 'db', 1, 'superseded', '0.20.0'),
      helmSecret('pg', 'db', 2, 'deployed', '0.21.5')
    ]
    const asked = await run(
      secrets,
      'assumptions:\n  operators: [{name: pg, version: "^0.21"}]\n',
      []
    )
    expect(asked.results[0]).toMatchObject({
      verdict: 'pass',
      data: { source: 'helm', version: '0.21.5' }
    })
    const notAsked = await run(secrets, 'assumptions:\n  operators: [pg]\n', [])
    expect(notAsked.results[0].verdict).toBe('pass')
    expect(notAsked.results[0].message).toContain('revision 2 deployed')
    expect(notAsked.results[0].data?.version).toBeUndefined()
  })

  it('reports a missing operator with every lookup it made, OLM absence included', async () => {
    const cluster = new FakeCluster()
    const ctx = await realityContext({ plan: 'assumptions:\n  operators: [pg]\n', cluster })
    const lookup = await lookUpOperator(ctx, { name: 'pg' })
    expect(lookup.sightings).toEqual([])
    expect(lookup.notes[0]).toMatch(/OLM is not installed/)
    const [r] = await operatorCheck.run(ctx)
    expect(r.verdict).toBe('fail')
    expect(r.evidence).toMatch(/a Deployment pg .*a Helm release pg/s)
  })
})
