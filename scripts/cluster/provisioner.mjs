// The local cluster's storage provisioner (an external provisioner, as CSI
// sidecars are): for every claim that the PV controller hands to
// `phase-gate.dev/local` (annotation volume.kubernetes.io/storage-provisioner),
// it creates a bound-to-be PersistentVolume of the requested size; the PV
// controller then binds the two. The volume is a hostPath directory under
// .cluster/volumes (kwok's pods never write to it), pinned to the scheduler's
// selected node for WaitForFirstConsumer classes. Access modes come from the
// class's `phase-gate.dev/access-modes` annotation (default ReadWriteOnce,
// ReadWriteOncePod); a claim asking for more is refused with a
// ProvisioningFailed event and stays Pending, as with a real provisioner.
// Released volumes with reclaim policy Delete are deleted with their directory.
//
//   node provisioner.mjs config.json   (started by lib.mjs as component `provisioner`)
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { heartbeat, kubeClient, log, runUntilSignalled } from './kube-client.mjs'

export const ACCESS_MODES_ANNOTATION = 'phase-gate.dev/access-modes'
export const DEFAULT_MODES = ['ReadWriteOnce', 'ReadWriteOncePod']

/** The access modes a StorageClass of this provisioner gives. */
export function classModes(cls) {
  const text = cls?.metadata?.annotations?.[ACCESS_MODES_ANNOTATION]
  if (!text) return DEFAULT_MODES
  return text
    .split(/[,\s]+/)
    .map(s => s.trim())
    .filter(Boolean)
}

/** Why this provisioner cannot give the claim a volume of this class, or undefined. */
export function refusal(pvc, cls) {
  const modes = classModes(cls)
  const missing = (pvc.spec.accessModes ?? []).filter(m => !modes.includes(m))
  if (missing.length)
    return `access mode${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not supported by StorageClass ${cls.metadata.name} (it gives ${modes.join(', ')})`
  if (pvc.spec.volumeMode === 'Block')
    return 'volumeMode Block is not supported (filesystem volumes only)'
  if (pvc.spec.dataSource || pvc.spec.dataSourceRef)
    return 'volume cloning and snapshots are not supported'
  return undefined
}

/** The PersistentVolume for a claim. */
export function volumeFor(pvc, cls, { name, volumesDir }) {
  const pvName = `pvc-${pvc.metadata.uid}`
  const node = pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      annotations: { 'pv.kubernetes.io/provisioned-by': name },
      labels: { 'phase-gate.dev/provisioner': 'local' }
    },
    spec: {
      capacity: { storage: pvc.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: 'Filesystem',
      mountOptions: cls.mountOptions,
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        uid: pvc.metadata.uid
      },
      hostPath: { path: join(volumesDir, pvName), type: 'DirectoryOrCreate' },
      ...(node
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'kubernetes.io/hostname', operator: 'In', values: [node] }
                    ]
                  }
                ]
              }
            }
          }
        : {})
    }
  }
}

function main(cfg) {
  const client = kubeClient(cfg)
  const volumesDir = resolve(cfg.volumesDir)
  const reported = new Set()
  const synced = { claims: false, volumes: false }

  async function event(pvc, type, reason, message) {
    const now = new Date().toISOString()
    await client
      .create(`/api/v1/namespaces/${pvc.metadata.namespace}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${pvc.metadata.name}.`, namespace: pvc.metadata.namespace },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: pvc.metadata.name,
          namespace: pvc.metadata.namespace,
          uid: pvc.metadata.uid,
          resourceVersion: pvc.metadata.resourceVersion
        },
        type,
        reason,
        message,
        source: { component: `${cfg.name}_phase-gate-provisioner` },
        reportingComponent: cfg.name,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1
      })
      .catch(err => log(`event for ${pvc.metadata.namespace}/${pvc.metadata.name}: ${err.message}`))
  }

  async function onClaim(type, pvc) {
    if (type === 'DELETED' || pvc.metadata.deletionTimestamp) return
    if (pvc.spec.volumeName || pvc.status?.phase === 'Bound') return
    const a = pvc.metadata.annotations ?? {}
    const by =
      a['volume.kubernetes.io/storage-provisioner'] ??
      a['volume.beta.kubernetes.io/storage-provisioner']
    if (by !== cfg.name) return
    const pvName = `pvc-${pvc.metadata.uid}`
    const what = `${pvc.metadata.namespace}/${pvc.metadata.name}`
    if (await client.get(`/api/v1/persistentvolumes/${pvName}`)) return
    const cls = pvc.spec.storageClassName
      ? await client.get(`/apis/storage.k8s.io/v1/storageclasses/${pvc.spec.storageClassName}`)
      : undefined
    if (!cls) return
    const why = refusal(pvc, cls)
    if (why) {
      const key = `${pvc.metadata.uid}:${why}`
      if (!reported.has(key)) {
        reported.add(key)
        log(`refused ${what}: ${why}`)
        await event(
          pvc,
          'Warning',
          'ProvisioningFailed',
          `failed to provision volume with StorageClass "${cls.metadata.name}": ${why}`
        )
      }
      return
    }
    const pv = volumeFor(pvc, cls, { name: cfg.name, volumesDir })
    mkdirSync(pv.spec.hostPath.path, { recursive: true })
    try {
      await client.create('/api/v1/persistentvolumes', pv)
    } catch (err) {
      if (err.status !== 409) throw err
      return
    }
    log(
      `provisioned ${pvName} (${pv.spec.capacity.storage}, ${pv.spec.accessModes.join(',')}) for ${what}`
    )
    await event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`)
  }

  function removeDir(path) {
    const p = resolve(path ?? '')
    if (p.startsWith(volumesDir + sep)) rmSync(p, { recursive: true, force: true })
  }

  async function onVolume(type, pv) {
    if (pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== cfg.name) return
    if (type === 'DELETED') return removeDir(pv.spec.hostPath?.path)
    if (
      pv.status?.phase === 'Released' &&
      pv.spec.persistentVolumeReclaimPolicy === 'Delete' &&
      !pv.metadata.deletionTimestamp
    ) {
      await client.remove(`/api/v1/persistentvolumes/${pv.metadata.name}`)
      removeDir(pv.spec.hostPath?.path)
      log(`deleted released volume ${pv.metadata.name}`)
    }
  }

  runUntilSignalled(async signal => {
    mkdirSync(volumesDir, { recursive: true })
    const beat = () => heartbeat(cfg.heartbeat, { synced: synced.claims && synced.volumes })
    beat()
    setInterval(beat, 2000).unref()
    const guard = fn => async (type, obj) => {
      try {
        await fn(type, obj)
      } catch (err) {
        log(
          `${obj?.kind ?? 'object'} ${obj?.metadata?.namespace ?? ''}/${obj?.metadata?.name}: ${err.message}`
        )
      }
    }
    log(`provisioner ${cfg.name} watching claims and volumes`)
    await Promise.all([
      client.informer('/api/v1/persistentvolumeclaims', guard(onClaim), {
        signal,
        onSynced: () => ((synced.claims = true), beat())
      }),
      client.informer('/api/v1/persistentvolumes', guard(onVolume), {
        signal,
        resyncMs: 10_000,
        onSynced: () => ((synced.volumes = true), beat())
      })
    ])
  })
}

if (process.argv[2]) main(JSON.parse(readFileSync(process.argv[2], 'utf8')))
