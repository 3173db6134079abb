// Our CEL against the real kube-apiserver's: each expression runs as a
// ValidatingAdmissionPolicy validation on a dry-run Deployment create, and as
// our evaluate() on the same Deployment; the verdicts (true, false, error) must
// agree. Compile-time parity: a policy with the expression is created dry-run
// and must be refused exactly when compileExpression refuses it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CelError } from '../../src/cel/cel-error.js'
import { compileExpression, evaluate } from '../../src/cel/env.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import { clusterEnv, createTestNamespace, deleteNamespace } from '../support/cluster-env.js'

type Verdict = true | false | 'error'

/** Expressions on the Deployment below, with the verdict both sides must give. */
const CASES: [string, Verdict][] = [
  // Numbers: schema ints are int, comparisons cross types, int*double is an error.
  ['object.spec.replicas + 1 == 4', true],
  ['object.spec.replicas > 2.5', true],
  ['object.spec.replicas / 2 == 1', true],
  ['double(object.spec.replicas) / 2.0 == 1.5', true],
  ['object.spec.replicas * 0.5 > 1.0', 'error'],
  ['dyn(1) == 1.0 && dyn(1u) == 1 && object.spec.replicas == 3.0', true],
  ['9223372036854775807 + 1 > 0', 'error'],
  // Fields, has(), macros, strings.
  ["has(object.metadata.labels) && object.metadata.labels.app == 'web'", true],
  ['has(object.metadata.annotations)', false],
  ['object.spec.template.spec.containers.all(c, has(c.resources.limits))', false],
  ["object.spec.template.spec.containers.exists(c, c.name == 'sidecar')", true],
  ['object.spec.template.spec.containers.exists_one(c, has(c.resources.limits))', true],
  ["object.spec.template.spec.containers.map(c, c.name).join(',') == 'app,sidecar'", true],
  ["object.spec.template.spec.containers[0].image.split(':')[1] == '1.4.2'", true],
  ["object.metadata.name.matches('^web-[a-z0-9]+$')", true],
  ["size('héllo') == 5 && 'Web'.lowerAscii() == 'web'", true],
  ['object.spec.nope == 1', 'error'],
  // Errors are absorbed the CEL way: by a true in ||/exists, by a false in &&/all.
  [
    "object.spec.template.spec.containers.exists(c, quantity(c.resources.limits.cpu).isLessThan(quantity('1')))",
    true
  ],
  [
    "object.spec.template.spec.containers.all(c, quantity(c.resources.limits.cpu).isLessThan(quantity('1')))",
    'error'
  ],
  ["object.spec.template.spec.containers.all(c, c.resources.limits.cpu == 'x')", false],
  ['object.spec.nope == 1 || true', true],
  ['object.spec.nope == 1 && false', false],
  // Optional access: after .? every later step is optional.
  ['object.?spec.?paused.orValue(false) == false', true],
  ['object.?spec.nope.orValue(5) == 5', true],
  ["object.?spec.template.spec.containers[5].name.orValue('x') == 'x'", true],
  ["object.spec.template.spec.containers[?0].name.orValue('') == 'app'", true],
  ["object.metadata.labels[?'team'].hasValue()", false],
  ['optional.of(1) == optional.of(1)', true],
  ['optional.none().value() == 1', 'error'],
  // Quantity.
  [
    "quantity(object.spec.template.spec.containers[0].resources.limits.cpu).isLessThan(quantity('1'))",
    true
  ],
  ["quantity('1Gi').compareTo(quantity('1024Mi')) == 0", true],
  ["quantity('1') == quantity('1000m')", true],
  ["quantity('1000m').isInteger()", false],
  ["quantity('1.5Gi').isInteger()", false],
  ["quantity('50k').add(20).asInteger() == 50020", true],
  ["quantity('50k').sub(quantity('20')) == quantity('49.98k')", true],
  ["quantity('10Mo').isInteger()", 'error'],
  ["isQuantity('200K')", false],
  // Regex.
  ["object.spec.template.spec.containers[0].image.find('[0-9]+\\\\.[0-9]+') == '1.4'", true],
  ["'123 abc 456'.findAll('[0-9]*').size() == 6", true],
  ["'123 abc 456'.findAll('[0-9]+', 1) == ['123']", true],
  // URL, semver, IP, CIDR.
  [
    "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
    true
  ],
  [
    "url('https://[::1]:80/').getHostname() == '::1' && url('https://example.com:80/').getPort() == '80'",
    true
  ],
  ["url('https://example.com/p?k=a&k=b').getQuery()['k'] == ['a', 'b']", true],
  ["isURL('../relative')", false],
  ["semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))", true],
  ["isSemver('v1.0', true) && !isSemver('v1.0')", true],
  ["semver('1.0.0+a') == semver('1.0.0+b')", true],
  ["string(ip('::1.2.3.4')) == '::102:304'", true],
  ["ip('fe80::1').isLinkLocalUnicast() && ip.isCanonical('2001:db8::abcd')", true],
  ["isIP('::ffff:1.2.3.4')", false],
  [
    "cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')",
    true
  ],
  ["cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true],
  // Lists and sets.
  ['[3, 1, 2].max() == 3 && [1, 2, 3].sum() == 6 && [1, 2, 3].isSorted()', true],
  ['[1, 2, 1].lastIndexOf(1) == 2', true],
  ['sets.contains([1, 2, 3], [3, 1]) && sets.intersects([1], [1, 2])', true],
  ['[0].min() == 0 && [].min() == 0', 'error'],
  // Time.
  [
    "duration('1m') > duration('30s') && timestamp('2024-01-01T00:00:00Z') < timestamp('2025-01-01T00:00:00Z')",
    true
  ]
]

/** Expressions the apiserver refuses to compile, and some it accepts. */
const COMPILE_CASES: [string, boolean][] = [
  ["[1, 'a'].size() > 0", false],
  ['[1, 2.0].size() > 0', false],
  ["'a'.matches('(')", false],
  ["duration('5x') > duration('1s')", false],
  ['frob(1)', false],
  ['x > 1', false],
  ['1 + 1.0 > 0', false],
  ['1 == 1.0', false],
  // Types known without a schema: results of functions, of operators on dyn, of macros.
  ['size(object.spec.template.spec.containers) * 0.5 > 1.0', false],
  ['(object.spec.replicas + 1) * 0.5 > 1.0', false],
  ['object.spec.template.spec.containers.map(c, 1).sum() + 0.5 > 0.0', false],
  ["size('ab') == 2.0", false],
  ['size(object.spec) == null || true', false],
  ["[1] == ['a'] || true", false],
  ['double(object.spec.replicas) * 0.5 > 1.0', true],
  ["size('a') < 1.5 && duration('1s') != null", true],
  ['1 < 1.5 && 1u < 2', true],
  ['object.spec.replicas > 1', true],
  ['object.?spec.?replicas.orValue(1) > 0', true],
  ["quantity('1').isLessThan(quantity('2'))", true],
  ["sets.contains([1], [1]) && [1].sum() == 1 && url('/x').getScheme() == ''", true]
]

let cluster: KubeCluster
let ns: string
const policyName = () => `phase-gate-cel-parity-${ns}`

const deployment = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels: { app: 'web', ...labels } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.invalid/web:1.4.2',
            resources: { limits: { cpu: '500m', memory: '256Mi' } }
          },
          {
            name: 'sidecar',
            image: 'registry.invalid/proxy:2',
            resources: { requests: { cpu: '10m' } }
          }
        ]
      }
    }
  }
})

/** The apiserver's verdict for case i: allowed, denied by the validation, or an evaluation error. */
async function serverVerdict(i: number): Promise<Verdict | string> {
  try {
    await cluster.create(deployment(`web-${i}`, { 'cel-case': String(i) }), { dryRun: true })
    return true
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err
    if (err.message.includes(`case ${i} is false`)) return false
    if (err.message.includes('resulted in error')) return 'error'
    return err.message
  }
}

function ourVerdict(source: string): Verdict {
  try {
    const result = evaluate(compileExpression(source, ['object'], { mixedArithmetic: false }), {
      object: deployment('web-x', {})
    })
    if (typeof result !== 'boolean') throw new Error(`${source} gave ${String(result)}`)
    return result
  } catch (err) {
    if (err instanceof CelError) return 'error'
    throw err
  }
}

beforeAll(async () => {
  ns = await createTestNamespace('cel-parity')
  cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  await cluster.create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policyName() },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['deployments']
          }
        ]
      },
      // Each validation only judges the Deployment labelled with its case number.
      validations: [
        ...CASES.map(([expression], i) => ({
          expression: `object.metadata.labels['cel-case'] != '${i}' || (${expression})`,
          message: `case ${i} is false`
        })),
        { expression: "object.metadata.labels['cel-case'] != 'probe'", message: 'probe' }
      ]
    }
  })
  await cluster.create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policyName() },
    spec: {
      policyName: policyName(),
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }
    }
  })
  // The apiserver loads policies asynchronously: wait until the probe is denied.
  for (let tries = 0; ; tries++) {
    try {
      await cluster.create(deployment('probe', { 'cel-case': 'probe' }), { dryRun: true })
    } catch (err) {
      if (err instanceof KubeApiError && err.message.includes('probe')) break
      throw err
    }
    if (tries > 150) throw new Error('the ValidatingAdmissionPolicy never took effect')
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}, 90_000)

afterAll(async () => {
  if (cluster && ns) {
    for (const kind of ['ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy']) {
      await cluster.delete({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind,
        name: policyName()
      })
    }
  }
  cluster?.close()
  if (ns) await deleteNamespace(ns)
}, 60_000)

describe('CEL verdicts agree with a ValidatingAdmissionPolicy on the real apiserver', () => {
  it.each(CASES.map(([source, verdict], i) => [i, source, verdict] as const))(
    'case %i: %s is %s',
    async (i, source, verdict) => {
      expect(ourVerdict(source)).toBe(verdict)
      expect(await serverVerdict(i)).toBe(verdict)
    },
    30_000
  )
})

describe('CEL compile errors agree with the apiserver', () => {
  it.each(COMPILE_CASES)('%s compiles: %s', async (source, compiles) => {
    let ours = true
    try {
      compileExpression(source, ['object'], { mixedArithmetic: false })
    } catch (err) {
      if (!(err instanceof CelError)) throw err
      ours = false
    }
    let theirs = true
    try {
      await cluster.create(
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: `${policyName()}-compile` },
          spec: {
            matchConstraints: {
              resourceRules: [
                {
                  apiGroups: ['apps'],
                  apiVersions: ['v1'],
                  operations: ['CREATE'],
                  resources: ['deployments']
                }
              ]
            },
            validations: [{ expression: source }]
          }
        },
        { dryRun: true }
      )
    } catch (err) {
      if (!(err instanceof KubeApiError) || !err.message.includes('compilation failed')) throw err
      theirs = false
    }
    expect(ours).toBe(compiles)
    expect(theirs).toBe(compiles)
  })
})
