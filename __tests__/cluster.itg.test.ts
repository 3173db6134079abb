// The local cluster keeps the promises other integration tests rely on: a real
// control plane with kwok nodes and the simulated pod behaviours, RBAC, pod
// logs, the CRDs, both registries, Prometheus following the test exporter, and
// a cluster of one's own that stops without leaving a process or a port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  clusterHealth,
  readClusterState,
  restartComponent,
  startCluster,
  stopCluster
} from '../scripts/cluster/lib.mjs'
import {
  clusterEnv,
  createTestNamespace,
  deleteNamespace,
  kubectl,
  kubectlJson
} from './support/cluster-env.js'

interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
}
interface ContainerStatus {
  ready: boolean
  restartCount: number
  state: {
    waiting?: { reason: string; message?: string }
    running?: { startedAt: string }
    terminated?: { exitCode: number; reason: string }
  }
  lastState?: { terminated?: { exitCode: number } }
}
interface Pod {
  status: { phase: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await sleep(200)
  }
}

/** Alive and not a zombie (stopped children of this worker linger as zombies until reaped). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

const condition = (pod: Pod, type: string) => pod.status.conditions?.find(c => c.type === type)

function httpsGet(
  url: string,
  headers: Record<string, string>
): Promise<{ status: number; body: string }> {
  const ca = readFileSync(clusterEnv().caFile)
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, res => {
      let body = ''
      res.on('data', c => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

let ns: string

beforeAll(async () => {
  ns = await createTestNamespace('cluster')
})

afterAll(async () => {
  await deleteNamespace(ns)
})

function podManifest(
  name: string,
  labels: Record<string, string> = {},
  extra: Record<string, unknown> = {}
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, annotations: (extra.annotations as Record<string, string>) ?? {} },
    spec: {
      containers: [{ name: 'app', image: (extra.image as string) ?? 'registry.invalid/web:1' }],
      ...(extra.spec as object)
    }
  }
}

async function createPod(manifest: object) {
  await kubectl(['create', '-f', '-'], { namespace: ns, input: JSON.stringify(manifest) })
}

const getPod = (name: string) => kubectlJson<Pod>(['get', 'pod', name], { namespace: ns })

describe('control plane and kwok nodes', () => {
  it('has two Ready nodes with allocatable resources', async () => {
    const nodes = await kubectlJson<{
      items: {
        metadata: { name: string }
        status: { conditions: Condition[]; allocatable: Record<string, string> }
      }[]
    }>(['get', 'nodes'])
    const ready = nodes.items.filter(n =>
      n.status.conditions.some(c => c.type === 'Ready' && c.status === 'True')
    )
    expect(ready.length).toBeGreaterThanOrEqual(2)
    for (const n of ready) {
      expect(n.status.allocatable).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' })
    }
  })

  it('rolls out a 3-replica Deployment of any image within 30 s', async () => {
    const started = Date.now()
    await kubectl(
      ['create', 'deployment', 'web', '--image=registry.invalid/web:1', '--replicas=3'],
      { namespace: ns }
    )
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s'], {
      namespace: ns,
      timeoutMs: 40_000
    })
    expect(Date.now() - started).toBeLessThan(30_000)
    const pods = await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-l', 'app=web'], {
      namespace: ns
    })
    expect(pods.items).toHaveLength(3)
    for (const p of pods.items) {
      expect(p.status.phase).toBe('Running')
      expect(condition(p, 'Ready')?.status).toBe('True')
    }
  }, 45_000)

  it('completes a Job', async () => {
    await kubectl(['create', 'job', 'once', '--image=registry.invalid/job:1'], { namespace: ns })
    await kubectl(['wait', '--for=condition=Complete', 'job/once', '--timeout=30s'], {
      namespace: ns,
      timeoutMs: 40_000
    })
    const pods = await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-l', 'job-name=once'], {
      namespace: ns
    })
    expect(pods.items[0]?.status.phase).toBe('Succeeded')
  }, 45_000)

  it('rolls out a StatefulSet', async () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'registry.invalid/db:1' }] }
        }
      }
    }
    await kubectl(['create', '-f', '-'], { namespace: ns, input: JSON.stringify(sts) })
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s'], {
      namespace: ns,
      timeoutMs: 40_000
    })
  }, 45_000)

  it('garbage-collects the pods of a deleted Deployment', async () => {
    await kubectl(['create', 'deployment', 'gc', '--image=registry.invalid/gc:1', '--replicas=2'], {
      namespace: ns
    })
    await kubectl(['rollout', 'status', 'deployment/gc', '--timeout=30s'], {
      namespace: ns,
      timeoutMs: 40_000
    })
    await kubectl(['delete', 'deployment', 'gc', '--cascade=background', '--wait=true'], {
      namespace: ns
    })
    await until(
      'the ReplicaSet and pods to be collected',
      async () =>
        (
          await kubectl(['get', 'replicasets,pods', '-l', 'app=gc', '-o', 'name'], {
            namespace: ns
          })
        ).trim() === '',
      30_000
    )
  }, 75_000)

  it('deletes a namespace with its content', async () => {
    const other = await createTestNamespace('cluster-delete')
    await kubectl(['create', 'deployment', 'x', '--image=registry.invalid/x:1'], {
      namespace: other
    })
    await kubectl(['rollout', 'status', 'deployment/x', '--timeout=30s'], {
      namespace: other,
      timeoutMs: 40_000
    })
    await deleteNamespace(other, { wait: true })
    await expect(kubectl(['get', 'namespace', other])).rejects.toThrow(/not found/i)
  }, 120_000)

  it('serves aggregated discovery', async () => {
    const env = clusterEnv()
    const res = await httpsGet(`${env.apiserver}/apis`, {
      authorization: `Bearer ${env.adminToken}`,
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
    })
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as { kind: string; items: { metadata: { name: string } }[] }
    expect(body.kind).toBe('APIGroupDiscoveryList')
    expect(body.items.map(i => i.metadata.name)).toEqual(
      expect.arrayContaining(['apps', 'gateway.networking.k8s.io'])
    )
  })

  it('lets the restricted context edit only in its namespace', async () => {
    const { contexts, restrictedNamespace } = clusterEnv()
    await expect(
      kubectl(['create', 'deployment', 'nope', '--image=x', '--dry-run=server'], {
        context: contexts.restricted,
        namespace: 'kube-system'
      })
    ).rejects.toThrow(/forbidden/i)
    const name = `ok-${Date.now()}`
    await kubectl(['create', 'deployment', name, '--image=registry.invalid/web:1'], {
      context: contexts.restricted,
      namespace: restrictedNamespace
    })
    await kubectl(['delete', 'deployment', name, '--wait=false'], {
      context: contexts.restricted,
      namespace: restrictedNamespace
    })
  })

  it('authenticates the client-certificate context as a cluster admin', async () => {
    const out = await kubectl(['auth', 'whoami', '-o', 'json'], {
      context: clusterEnv().contexts.cert
    })
    const review = JSON.parse(out) as {
      status: { userInfo: { username: string; groups: string[] } }
    }
    expect(review.status.userInfo.username).toBe('phase-gate-cert')
    expect(review.status.userInfo.groups).toContain('system:masters')
  })
})

describe('simulated pod behaviour (label phase-gate.test/simulate)', () => {
  it('image-pull-failure: ErrImagePull then ImagePullBackOff naming the image, not Ready', async () => {
    const image = 'registry.invalid/missing:9.9'
    await createPod(
      podManifest('pull', { 'phase-gate.test/simulate': 'image-pull-failure' }, { image })
    )
    const seen = new Map<string, string>()
    await until(
      'ErrImagePull and ImagePullBackOff',
      async () => {
        const pod = await getPod('pull')
        const w = pod.status.containerStatuses?.[0]?.state.waiting
        if (w) seen.set(w.reason, w.message ?? '')
        expect(pod.status.phase).toBe('Pending')
        expect(condition(pod, 'Ready')?.status ?? 'False').toBe('False')
        return seen.has('ErrImagePull') && seen.has('ImagePullBackOff')
      },
      20_000
    )
    expect(seen.get('ErrImagePull')).toContain(`"${image}"`)
    expect(seen.get('ImagePullBackOff')).toBe(`Back-off pulling image "${image}"`)
  }, 30_000)

  it('crash-loop: exit code 1, CrashLoopBackOff, restartCount growing, not Ready', async () => {
    await createPod(podManifest('crash', { 'phase-gate.test/simulate': 'crash-loop' }))
    const reasons = new Set<string>()
    const pod = await until(
      'two restarts',
      async () => {
        const p = await getPod('crash')
        const s = p.status.containerStatuses?.[0]
        if (s?.state.waiting) reasons.add(s.state.waiting.reason)
        if (s?.state.terminated) reasons.add(`exit ${s.state.terminated.exitCode}`)
        expect(condition(p, 'Ready')?.status).not.toBe('True')
        return (s?.restartCount ?? 0) >= 2 ? p : undefined
      },
      30_000
    )
    expect(reasons).toEqual(new Set(['CrashLoopBackOff', 'exit 1']))
    expect(pod.status.phase).toBe('Running')
    expect(pod.status.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1)
  }, 40_000)

  it('not-ready: Running but never Ready', async () => {
    await createPod(podManifest('notready', { 'phase-gate.test/simulate': 'not-ready' }))
    await until(
      'Running',
      async () => (await getPod('notready')).status.phase === 'Running',
      15_000
    )
    await sleep(3000)
    const pod = await getPod('notready')
    expect(pod.status.phase).toBe('Running')
    expect(condition(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' })
    expect(pod.status.containerStatuses?.[0]?.state.running).toBeDefined()
  }, 25_000)

  it('slow-ready: Ready only after phase-gate.test/ready-after', async () => {
    await createPod(
      podManifest(
        'slow',
        { 'phase-gate.test/simulate': 'slow-ready' },
        { annotations: { 'phase-gate.test/ready-after': '3s' } }
      )
    )
    const runningAt = await until(
      'Running, not Ready',
      async () => {
        const p = await getPod('slow')
        return p.status.phase === 'Running' && condition(p, 'Ready')?.status === 'False'
          ? Date.now()
          : undefined
      },
      15_000
    )
    const readyAt = await until(
      'Ready',
      async () =>
        condition(await getPod('slow'), 'Ready')?.status === 'True' ? Date.now() : undefined,
      15_000
    )
    expect(readyAt - runningAt).toBeGreaterThanOrEqual(2000)
    expect(readyAt - runningAt).toBeLessThan(8000)
  }, 35_000)

  it('a pod no node can take stays Pending and Unschedulable', async () => {
    await createPod(
      podManifest(
        'unschedulable',
        {},
        { spec: { nodeSelector: { 'phase-gate.test/no-such': 'node' } } }
      )
    )
    const pod = await until(
      'PodScheduled=False',
      async () => {
        const p = await getPod('unschedulable')
        return condition(p, 'PodScheduled')?.status === 'False' ? p : undefined
      },
      15_000
    )
    expect(pod.status.phase).toBe('Pending')
    expect(condition(pod, 'PodScheduled')?.reason).toBe('Unschedulable')
  }, 20_000)
})

describe('pod logs', () => {
  it('serves the default log and a per-pod log file named by a kwok Logs object', async () => {
    await createPod(podManifest('logger'))
    await until('Running', async () => (await getPod('logger')).status.phase === 'Running', 15_000)
    expect(await kubectl(['logs', 'logger'], { namespace: ns })).toContain(
      'phase-gate simulated container started'
    )

    const dir = mkdtempSync(join(tmpdir(), 'pg-logs-'))
    try {
      const file = join(dir, 'secret.log')
      writeFileSync(file, '2026-11-23T17:00:00.000000000Z stdout F PASSWORD=hunter2\n')
      const logs = {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'Logs',
        metadata: { name: 'logger', namespace: ns },
        spec: { logs: [{ containers: ['app'], logsFile: file }] }
      }
      await kubectl(['create', '-f', '-'], { input: JSON.stringify(logs) })
      const out = await until(
        'the per-pod log',
        async () => {
          const text = await kubectl(['logs', 'logger'], { namespace: ns })
          return text.includes('PASSWORD=hunter2') ? text : undefined
        },
        10_000
      )
      expect(out).not.toContain('phase-gate simulated container started')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('CRDs', () => {
  it.each([
    'httproutes.gateway.networking.k8s.io',
    'gateways.gateway.networking.k8s.io',
    'clusterserviceversions.operators.coreos.com',
    'applications.argoproj.io'
  ])('%s is Established', async crd => {
    const obj = await kubectlJson<{ status: { conditions: Condition[] } }>(['get', 'crd', crd])
    expect(obj.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Established', status: 'True' })])
    )
  })

  it('rejects unknown fields under spec (no CRD preserves them)', async () => {
    const route = (spec: object) =>
      JSON.stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        spec
      })
    await expect(
      kubectl(['create', '--validate=strict', '--dry-run=server', '-f', '-'], {
        namespace: ns,
        input: route({ parentRefs: [{ name: 'gw' }], hostnamez: ['x'] })
      })
    ).rejects.toThrow(/unknown field "spec.hostnamez"/)
    const csv = JSON.stringify({
      apiVersion: 'operators.coreos.com/v1alpha1',
      kind: 'ClusterServiceVersion',
      metadata: { name: 'op.v1.0.0' },
      spec: { displayName: 'Op', version: '1.0.0', bogus: true }
    })
    await expect(
      kubectl(['create', '--validate=strict', '--dry-run=server', '-f', '-'], {
        namespace: ns,
        input: csv
      })
    ).rejects.toThrow(/unknown field "spec.bogus"/)
    await kubectl(['create', '--dry-run=server', '-f', '-'], {
      namespace: ns,
      input: route({ parentRefs: [{ name: 'gw' }], hostnames: ['x.example'] })
    })
  })

  it("rejects a misspelt or out-of-range backendRefs weight (the schema from gateway-api's Go types)", async () => {
    const route = (ref: object) =>
      JSON.stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'w' },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [{ backendRefs: [{ name: 'web', port: 80, ...ref }] }]
        }
      })
    const create = (ref: object) =>
      kubectl(['create', '--validate=strict', '--dry-run=server', '-f', '-'], {
        namespace: ns,
        input: route(ref)
      })
    await expect(create({ weigth: 5 })).rejects.toThrow(
      /unknown field "spec.rules\[0\].backendRefs\[0\].weigth"/
    )
    await expect(create({ weight: -1 })).rejects.toThrow(/weight.*greater than or equal to 0/)
    await expect(create({ weight: 5 })).resolves.toBeDefined()
  })
})

describe('registries', () => {
  it('the open registry answers /v2/ with 200', async () => {
    const res = await fetch(`http://${clusterEnv().registry}/v2/`)
    expect(res.status).toBe(200)
  })

  it('the auth registry challenges, and serves the seeded manifest with a token from basic auth', async () => {
    const env = clusterEnv()
    const path = `http://${env.registryAuth}/v2/phase-gate/app/manifests/1.0`
    const accept = 'application/vnd.oci.image.manifest.v1+json'
    const anonymous = await fetch(path, { headers: { accept } })
    expect(anonymous.status).toBe(401)
    const challenge = anonymous.headers.get('www-authenticate') ?? ''
    expect(challenge).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="[^"]+"/)

    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]])
    )
    const tokenUrl = `${params.realm}?service=${encodeURIComponent(params.service ?? '')}&scope=${encodeURIComponent(params.scope ?? '')}`
    const denied = await fetch(tokenUrl, {
      headers: {
        authorization: `Basic ${Buffer.from(`${env.registryUser}:wrong`).toString('base64')}`
      }
    })
    expect(denied.status).toBe(401)
    const basic = Buffer.from(`${env.registryUser}:${env.registryPassword}`).toString('base64')
    const { token } = (await (
      await fetch(tokenUrl, { headers: { authorization: `Basic ${basic}` } })
    ).json()) as {
      token: string
    }
    const res = await fetch(path, { headers: { accept, authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('docker-content-digest')).toBe(env.images['phase-gate/app:1.0']?.digest)
  })

  it('seeds a multi-platform index and a ~2 MB image', () => {
    const { images } = clusterEnv()
    expect(images['phase-gate/multi:1.0']).toMatchObject({
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64']
    })
    expect(images['phase-gate/big:1.0']?.layerBytes).toBeGreaterThan(2_000_000)
  })
})

describe('Prometheus and the test exporter', () => {
  const service = `itg-${Date.now()}`

  async function canaryRate(): Promise<number | undefined> {
    const q = `sum(rate(http_requests_total{service="${service}",track="canary"}[5s]))`
    const res = await fetch(
      `${clusterEnv().prometheus}/api/v1/query?query=${encodeURIComponent(q)}`
    )
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } }
    const v = body.data.result[0]?.value[1]
    return v === undefined ? undefined : Number(v)
  }

  async function setCanary(rps: number) {
    const res = await fetch(`${clusterEnv().exporter}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service, track: 'canary', rps, errorRate: 0.1, latencyMs: 120 })
    })
    expect(res.status).toBe(200)
  }

  it('follows a change of the exporter setting within seconds', async () => {
    await setCanary(20)
    await until('rate 20', async () => {
      const v = await canaryRate()
      return v !== undefined && Math.abs(v - 20) < 2
    })
    await setCanary(5)
    await until('rate 5', async () => {
      const v = await canaryRate()
      return v !== undefined && Math.abs(v - 5) < 1
    })
  }, 45_000)
})

describe('a cluster of its own', () => {
  it('starts beside the shared one, restarts its apiserver, and stops leaving no process or port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'))
    const shared = readClusterState(clusterEnv().dir)
    try {
      const state = await startCluster({ dir, log: () => {} })
      const ports = Object.values(state.ports)
      expect(ports.filter(p => Object.values(shared?.ports ?? {}).includes(p))).toEqual([])
      const nodes = await kubectlJson<{ items: { spec?: { taints?: { key: string }[] } }[] }>(
        ['get', 'nodes'],
        { kubeconfig: state.kubeconfig }
      )
      expect(nodes.items).toHaveLength(2)
      // Ready means schedulable: the not-ready taints are lifted before startCluster returns.
      expect(nodes.items.flatMap(n => n.spec?.taints ?? []).map(t => t.key)).toEqual([])

      const before = state.pids['kube-apiserver']
      await restartComponent(dir, 'kube-apiserver')
      const after = readClusterState(dir)?.pids['kube-apiserver']
      expect(after).toBeDefined()
      expect(after).not.toBe(before)

      const pids = Object.values(readClusterState(dir)?.pids ?? {})
      // profileComponents: ten servers plus the storage provisioner.
      expect(pids.length).toBe(11)
      await stopCluster({ dir, log: () => {} })
      for (const pid of pids) expect({ pid, alive: isAlive(pid) }).toEqual({ pid, alive: false })
      for (const port of ports) {
        const open = await new Promise<boolean>(resolve => {
          const sock = connect({ host: '127.0.0.1', port })
          sock.once('connect', () => (sock.destroy(), resolve(true)))
          sock.once('error', () => resolve(false))
        })
        expect({ port, open }).toEqual({ port, open: false })
      }
    } finally {
      await stopCluster({ dir, purge: true, log: () => {} })
      rmSync(dir, { recursive: true, force: true })
    }
    expect((await clusterHealth(clusterEnv().dir)).healthy).toBe(true)
  }, 180_000)
})
