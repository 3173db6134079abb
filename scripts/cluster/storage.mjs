// Storage of the local cluster (every profile): three StorageClasses served by
// provisioner.mjs (`phase-gate.dev/local`) and the provisioner's RBAC.
//
// | class                   | binding              | access modes                         |
// | phase-gate-local (default) | Immediate         | ReadWriteOnce, ReadWriteOncePod      |
// | phase-gate-local-wait   | WaitForFirstConsumer | ReadWriteOnce, ReadWriteOncePod      |
// | phase-gate-shared       | Immediate            | + ReadOnlyMany, ReadWriteMany (annotation) |
export const PROVISIONER = 'phase-gate.dev/local'
export const PROVISIONER_USER = 'phase-gate:provisioner'
export const STORAGE_CLASSES = ['phase-gate-local', 'phase-gate-local-wait', 'phase-gate-shared']

const storageClass = (name, { bindingMode = 'Immediate', isDefault = false, modes } = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name,
    annotations: {
      ...(isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {}),
      ...(modes ? { 'phase-gate.dev/access-modes': modes.join(',') } : {})
    }
  },
  provisioner: PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: bindingMode,
  allowVolumeExpansion: true
})

/** StorageClasses and RBAC the provisioner needs. */
export function storageObjects() {
  return [
    storageClass('phase-gate-local', { isDefault: true }),
    storageClass('phase-gate-local-wait', { bindingMode: 'WaitForFirstConsumer' }),
    storageClass('phase-gate-shared', {
      modes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']
    }),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: PROVISIONER_USER },
      rules: [
        {
          apiGroups: [''],
          resources: ['persistentvolumes'],
          verbs: ['get', 'list', 'watch', 'create', 'delete']
        },
        {
          apiGroups: [''],
          resources: ['persistentvolumeclaims'],
          verbs: ['get', 'list', 'watch', 'update', 'patch']
        },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['storageclasses'],
          verbs: ['get', 'list', 'watch']
        },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }
      ]
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: PROVISIONER_USER },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: PROVISIONER_USER
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: PROVISIONER_USER }]
    }
  ]
}
