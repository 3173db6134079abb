// Strict fields, the server's warnings and field-manager conflicts, as the
// admission check and the phase read them from the apiserver's answers.
import { describe, expect, it } from '@jest/globals'
import { fieldLine, judgeRejection, rejectedField } from '../../src/checks/admission.js'
import { conflictAdvice, fieldConflicts } from '../../src/kube/apply.js'
import { warningTexts } from '../../src/kube/http.js'
import { withRunLabels } from '../../src/kube/labels.js'
import { KubeApiError } from '../../src/kube/types.js'
import { parseManifests } from '../../src/plan/manifests.js'

const DEPLOY = `# a comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicsa: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: side
          image: a:1
        - name: web
          image: a:1
          imagePullPolicyy: Always
`

describe('a field strict validation refuses', () => {
  it.each([
    [
      'failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replicsa: field not declared in schema',
      'spec.replicsa'
    ],
    [
      'Deployment in version "v1" cannot be handled: strict decoding error: unknown field "spec.replicsa"',
      'spec.replicsa'
    ],
    [
      '.spec.template.spec.containers[name="web"].imagePullPolicyy: field not declared in schema',
      'spec.template.spec.containers[name="web"].imagePullPolicyy'
    ],
    ['something else entirely', undefined]
  ])('%s', (message, field) => {
    expect(rejectedField(message)).toBe(field)
  })

  it('is found on its line of the manifest, list items picked by name', () => {
    const [m] = parseManifests(DEPLOY, 'deploy/web.yaml')
    expect(fieldLine(m, 'spec.replicsa')).toBe(7)
    expect(fieldLine(m, 'spec.template.spec.containers[name="web"].imagePullPolicyy')).toBe(17)
    // A path the file does not have falls back to its deepest existing ancestor.
    expect(fieldLine(m, 'spec.template.nothere')).toBe(9)
  })

  it('is found inside a multi-document file and a List', () => {
    const ms = parseManifests(
      `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n    dataa: {}\n`,
      'l.yaml'
    )
    expect(fieldLine(ms[0], 'dataa')).toBe(7)
  })
})

describe('a field-manager conflict', () => {
  const err = new KubeApiError(
    'Apply failed with 1 conflict: conflict with "hpa-controller" using apps/v1: .spec.replicas',
    409,
    'Conflict',
    {
      causes: [
        {
          type: 'FieldManagerConflict',
          message: 'conflict with "hpa-controller" using apps/v1',
          field: '.spec.replicas'
        }
      ]
    }
  )

  it('names the manager and the field, from the causes or the message', () => {
    expect(fieldConflicts(err)).toEqual([{ manager: 'hpa-controller', field: '.spec.replicas' }])
    const bare = new KubeApiError(err.message, 409, 'Conflict')
    expect(fieldConflicts(bare)).toEqual([{ manager: 'hpa-controller', field: '.spec.replicas' }])
    expect(fieldConflicts(new KubeApiError('x', 422))).toEqual([])
  })

  it('is a failed admission finding with the plan’s two choices', () => {
    const f = judgeRejection(err, 'Deployment web (deploy/web.yaml:2)')
    expect(f.verdict).toBe('fail')
    expect(f.message).toBe(
      'Deployment web (deploy/web.yaml:2) conflicts with another field manager: .spec.replicas is owned by "hpa-controller"'
    )
    expect(f.adjustment).toMatch(
      /leave \.spec\.replicas out of the manifest .*forceConflicts: true/
    )
    expect(conflictAdvice(err)).toMatch(
      /owned by field manager "hpa-controller".*forceConflicts: true/
    )
  })
})

describe('Warning headers', () => {
  it.each([
    [{}, []],
    [
      { warning: '299 - "apps/v1beta1 Deployment is deprecated"' },
      ['apps/v1beta1 Deployment is deprecated']
    ],
    [
      { warning: '299 - "unknown field \\"spec.x\\"", 299 - "second"' },
      ['unknown field "spec.x"', 'second']
    ],
    [{ warning: ['299 - "a"', '299 - "b"'] }, ['a', 'b']]
  ])('%j', (headers, texts) => {
    expect(warningTexts(headers as Record<string, string>)).toEqual(texts)
  })
})

describe('managed-by', () => {
  it('is set only where the object has none', () => {
    const labels = { plan: 'p', run: 'r', role: 'phase' as const }
    const own = withRunLabels(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      labels
    )
    expect(own.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('phase-gate')
    const kustomized = withRunLabels(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', labels: { 'app.kubernetes.io/managed-by': 'kustomize' } }
      },
      labels
    )
    expect(kustomized.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('kustomize')
    expect(kustomized.metadata.labels?.['phase-gate.dev/run']).toBe('r')
  })
})
