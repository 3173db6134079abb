// The OpenShift profile's namespace controller, standing in for OpenShift's
// cluster-policy-controller: every namespace gets the annotations restricted-v2
// admission reads, a UID block of its own (`openshift.io/sa.scc.uid-range`,
// 10000 ids from 1000000000 upwards), the same block for supplemental groups
// and an SELinux MCS label. Blocks already handed out are read back from the
// namespaces at start, so a restart never hands one out twice.
//
//   node openshift-controller.mjs config.json   (component `openshift-controller`)
import { readFileSync } from 'node:fs'
import { heartbeat, kubeClient, log, runUntilSignalled } from './kube-client.mjs'

export const UID_RANGE = 'openshift.io/sa.scc.uid-range'
export const SUPPLEMENTAL_GROUPS = 'openshift.io/sa.scc.supplemental-groups'
export const MCS = 'openshift.io/sa.scc.mcs'
export const BASE = 1_000_000_000
export const BLOCK = 10_000

/** The block index of a `first/size` annotation, or undefined. */
export function blockOf(text) {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '')
  if (!m) return undefined
  const first = Number(m[1])
  return first >= BASE && (first - BASE) % BLOCK === 0 ? (first - BASE) / BLOCK : undefined
}

/** The annotations for block `n`: uid range, supplemental groups and an MCS label unique per block. */
export function annotationsFor(n) {
  const range = `${BASE + n * BLOCK}/${BLOCK}`
  // MCS category pairs c<a>,c<b> with a < b, enumerated in order, as OpenShift's allocator does.
  let a = 0
  let rest = n
  while (rest >= 1023 - a) {
    rest -= 1023 - a
    a++
  }
  const b = a + 1 + rest
  return { [UID_RANGE]: range, [SUPPLEMENTAL_GROUPS]: range, [MCS]: `s0:c${a},c${b}` }
}

function main(cfg) {
  const client = kubeClient(cfg)
  const used = new Set()
  let synced = false

  async function onNamespace(type, ns) {
    if (type === 'DELETED') return
    const a = ns.metadata.annotations ?? {}
    const have = blockOf(a[UID_RANGE])
    if (have !== undefined) {
      used.add(have)
      return
    }
    if (ns.status?.phase === 'Terminating') return
    let n = 0
    while (used.has(n)) n++
    used.add(n)
    await client.mergePatch(`/api/v1/namespaces/${ns.metadata.name}`, {
      metadata: { annotations: annotationsFor(n) }
    })
    log(`namespace ${ns.metadata.name}: ${UID_RANGE}=${annotationsFor(n)[UID_RANGE]}`)
  }

  runUntilSignalled(async signal => {
    const beat = () => heartbeat(cfg.heartbeat, { synced })
    beat()
    setInterval(beat, 2000).unref()
    // Blocks in use first, then annotate: the whole list is read before any patch.
    const all = await client.get('/api/v1/namespaces')
    for (const ns of all?.items ?? []) {
      const n = blockOf(ns.metadata.annotations?.[UID_RANGE])
      if (n !== undefined) used.add(n)
    }
    await client.informer(
      '/api/v1/namespaces',
      async (type, ns) => {
        try {
          await onNamespace(type, ns)
        } catch (err) {
          log(`namespace ${ns.metadata.name}: ${err.message}`)
        }
      },
      { signal, onSynced: () => ((synced = true), beat()) }
    )
  })
}

if (process.argv[2]) main(JSON.parse(readFileSync(process.argv[2], 'utf8')))
