// Drift over managedFields, pure: what phase-gate applied against the live
// object, only in the fields the phase-gate field manager set.
import { describe, expect, it } from '@jest/globals'
import { compareManaged, leafPaths, formatFieldSteps } from '../../src/kube/managed-fields.js'
import type { KubeObject } from '../../src/kube/types.js'

const fields = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} }
        }
      }
    }
  }
}

function deployment(
  replicas: number,
  image: string,
  managedFields: unknown[],
  env?: unknown[]
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' }, managedFields },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'app', image, ...(env ? { env } : {}) }] } }
    }
  }
}

const { 'f:replicas': _r, ...specWithoutReplicas } = fields['f:spec']
const withoutReplicas = { ...fields, 'f:spec': specWithoutReplicas }

const applied = deployment(2, 'web:1', [
  { manager: 'phase-gate', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: fields }
])

describe('compareManaged', () => {
  it('lists the leaf paths of a fieldsV1 set', () => {
    expect(leafPaths(fields).map(formatFieldSteps)).toEqual([
      'metadata.labels.app',
      'spec.replicas',
      'spec.template.spec.containers[name=app].name',
      'spec.template.spec.containers[name=app].image'
    ])
  })

  it('no drift when the live object is what was applied (status and controllers aside)', () => {
    const live = deployment(2, 'web:1', [
      ...(applied.metadata.managedFields ?? []),
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsV1: {
          'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } }
        }
      }
    ])
    expect(compareManaged(applied, live)).toEqual([])
  })

  it('changed (with its new owner), missing and extra fields', () => {
    const live = deployment(
      5,
      'web:1',
      [
        // The server moves spec.replicas from phase-gate's set to kubectl's.
        { manager: 'phase-gate', operation: 'Apply', fieldsV1: withoutReplicas },
        {
          manager: 'kubectl',
          operation: 'Update',
          subresource: 'scale',
          fieldsV1: { 'f:spec': { 'f:replicas': {} } }
        },
        {
          manager: 'kubectl-set',
          operation: 'Update',
          fieldsV1: {
            'f:spec': {
              'f:template': {
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"app"}': {
                      'f:env': { 'k:{"name":"FOO"}': { '.': {}, 'f:name': {}, 'f:value': {} } }
                    }
                  }
                }
              }
            }
          }
        }
      ],
      [{ name: 'FOO', value: 'bar' }]
    )
    delete (live.metadata.labels as Record<string, string>).app
    expect(compareManaged(applied, live)).toEqual([
      { path: 'metadata.labels.app', kind: 'missing', applied: 'web' },
      { path: 'spec.replicas', kind: 'changed', applied: 2, live: 5, managers: ['kubectl'] },
      {
        path: 'spec.template.spec.containers[name=app].env',
        kind: 'extra',
        live: [{ name: 'FOO', value: 'bar' }],
        managers: ['kubectl-set']
      }
    ])
  })

  it('a change phase-gate made itself (a rollout through the scale subresource) is not drift', () => {
    const live = deployment(4, 'web:1', [
      {
        manager: 'phase-gate',
        operation: 'Apply',
        fieldsV1: withoutReplicas
      },
      {
        manager: 'phase-gate',
        operation: 'Update',
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } }
      }
    ])
    expect(compareManaged(applied, live)).toEqual([])
  })
})
