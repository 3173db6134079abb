// Every built-in hygiene rule loaded as a ValidatingAdmissionPolicy on the real
// apiserver (the exact CEL and variables, via toValidatingAdmissionPolicy),
// and every fixture object dry-run created against it: the apiserver's verdict
// and message must be ours, object by object. The apiserver defaults objects
// before admission (replicas, securityContext: {}, probe timeouts, ...), so
// this also proves the rules read absent fields the way defaulting fills them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ObjectBindings, compileRule, judgeObject, ruleApplies } from '../../src/hygiene/engine.js'
import {
  HYGIENE_CONTEXT,
  hygieneContextCrd,
  toValidatingAdmissionPolicy
} from '../../src/hygiene/policy.js'
import { BUILTIN_RULES } from '../../src/hygiene/rules.js'
import type { HygieneRule } from '../../src/hygiene/types.js'
import { connectCluster, type KubeCluster } from '../../src/kube/client.js'
import { KubeApiError, type KubeObject } from '../../src/kube/types.js'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl
} from '../support/cluster-env.js'
import { CASES, PDBS } from './fixtures.js'

const CASE_LABEL = 'phase-gate.test/hygiene-rule'
const PARAM_NAME = 'pdbs'

let cluster: KubeCluster
let ns: string
const policyName = (rule: HygieneRule) => `pg-hygiene-${ns}-${rule.id}`

type Outcome = { verdict: 'pass' } | { verdict: 'fail' | 'error'; message: string }

/** The fixture in the test namespace, labelled so only `rule`'s policy judges it. */
function subject(object: KubeObject, rule: HygieneRule): KubeObject {
  const copy = structuredClone(object)
  copy.metadata.namespace = ns
  copy.metadata.labels = { ...copy.metadata.labels, [CASE_LABEL]: rule.id }
  return copy
}

function ours(rule: HygieneRule, object: KubeObject): Outcome {
  const o = judgeObject(compileRule(rule), new ObjectBindings(object, { pdbs: PDBS }))
  return o.verdict === 'pass' ? o : { verdict: o.verdict, message: o.message }
}

async function theirs(rule: HygieneRule, object: KubeObject): Promise<Outcome | string> {
  try {
    await cluster.create(object, { dryRun: true })
    return { verdict: 'pass' }
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err
    const denied = new RegExp(`denied request: ${rule.id}: (.*)$`, 's').exec(err.message)
    if (denied) return { verdict: 'fail', message: denied[1] }
    if (/resulted in error|expression.*error/i.test(err.message))
      return { verdict: 'error', message: err.message }
    return err.message
  }
}

beforeAll(async () => {
  ns = await createTestNamespace('hygiene-parity')
  cluster = await connectCluster({ kubeconfigPath: clusterEnv().kubeconfig })
  const crd = hygieneContextCrd()
  await cluster.apply(crd, { force: true })
  await kubectl([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    `crd/${crd.metadata.name}`
  ])
  await cluster.create({
    apiVersion: `${HYGIENE_CONTEXT.group}/${HYGIENE_CONTEXT.version}`,
    kind: HYGIENE_CONTEXT.kind,
    metadata: { name: PARAM_NAME, namespace: ns },
    spec: { pdbs: PDBS }
  })
  for (const rule of BUILTIN_RULES) {
    const policy = toValidatingAdmissionPolicy(rule, {
      name: policyName(rule),
      matchConditions: [
        {
          name: 'parity-case',
          expression: `object.metadata.?labels[?'${CASE_LABEL}'].orValue('') == '${rule.id}'`
        }
      ]
    })
    await cluster.create(policy)
    await cluster.create({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policyName(rule) },
      spec: {
        policyName: policyName(rule),
        validationActions: ['Deny'],
        matchResources: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }
        },
        // Unset namespace: the param object in the admitted object's namespace.
        ...((policy.spec as { paramKind?: unknown }).paramKind
          ? { paramRef: { name: PARAM_NAME, parameterNotFoundAction: 'Deny' } }
          : {})
      }
    })
  }
  // Policies load asynchronously: wait until each denies its first failing case.
  const deadline = Date.now() + 60_000
  for (const rule of BUILTIN_RULES) {
    const failing = CASES.find(c => c.rule === rule.id && !c.pass)
    if (!failing) throw new Error(`no failing case for ${rule.id}`)
    for (;;) {
      const r = await theirs(rule, subject(failing.object, rule))
      if (typeof r !== 'string' && r.verdict === 'fail') break
      if (Date.now() > deadline)
        throw new Error(`the policy for ${rule.id} never took effect: ${JSON.stringify(r)}`)
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
}, 120_000)

afterAll(async () => {
  if (cluster && ns) {
    for (const rule of BUILTIN_RULES)
      for (const kind of ['ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy'])
        await cluster.delete({
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind,
          name: policyName(rule)
        })
  }
  cluster?.close()
  if (ns) await deleteNamespace(ns)
}, 60_000)

/** Every rule against every fixture of a kind it judges. */
const MATRIX = BUILTIN_RULES.flatMap(rule =>
  CASES.filter(c => ruleApplies(rule, c.object)).map(c => [rule.id, c.name, rule, c] as const)
)

describe('hygiene rules give the same verdict here and as a ValidatingAdmissionPolicy', () => {
  it('covers every rule with its own passing and failing fixtures', () => {
    for (const rule of BUILTIN_RULES) {
      const own = MATRIX.filter(([id, , , c]) => id === rule.id && c.rule === rule.id)
      expect([rule.id, own.some(([, , , c]) => c.pass), own.some(([, , , c]) => !c.pass)]).toEqual([
        rule.id,
        true,
        true
      ])
    }
  })

  it.each(MATRIX)(
    '%s on %s',
    async (_id, _name, rule, c) => {
      const object = subject(c.object, rule)
      const mine = ours(rule, object)
      expect(mine.verdict).not.toBe('error')
      expect(await theirs(rule, object)).toEqual(mine)
    },
    30_000
  )
})
