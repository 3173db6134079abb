// A probe for the next step of the reality check's speed, not part of the
// product or of `npm run bench`: the API reads of a reality check (discovery,
// every CRD, the namespace's objects: 53 requests, all in flight at once)
// sent over HTTP/1.1 with a keep-alive agent of 32 sockets, as phase-gate's
// kube client sends them, and over one HTTP/2 connection, as client-go does.
// Each round runs each transport in a fresh process (TLS start-up included)
// and prints the medians of the client's wall and CPU time and of the CPU
// the apiserver spent meanwhile.
//
//   node scripts/bench/http2-probe.mjs [--cluster DIR] [--rounds N]
//   (DIR: the local cluster's directory, default .cluster; `npm run cluster:up` first)
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http2 from 'node:http2'
import https from 'node:https'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'yaml'
import { ROOT, median } from './lib.mjs'

const REQUESTS = 53

/** The admin context's server, CA and token from the local cluster's kubeconfig. */
function admin(dir) {
  const kc = parse(readFileSync(join(dir, 'kubeconfig'), 'utf8'))
  const ctx = kc.contexts.find(c => c.name === 'phase-gate-admin')?.context
  const cluster = kc.clusters.find(c => c.name === ctx?.cluster)?.cluster
  const user = kc.users.find(u => u.name === ctx?.user)?.user
  if (!cluster || !user?.token)
    throw new Error(`no phase-gate-admin context with a token in ${dir}`)
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    token: user.token
  }
}

/** Sends every path at once over one transport; resolves with the bytes read. */
async function sendAll(mode, { server, ca, token }, paths) {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
  let bytes = 0
  const read = (chunks, done) => () => {
    const body = Buffer.concat(chunks)
    bytes += body.length
    JSON.parse(body.toString('utf8'))
    done()
  }
  if (mode === 'http1') {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca })
    const u = new URL(server)
    await Promise.all(
      paths.map(
        path =>
          new Promise((done, fail) => {
            const req = https.request(
              { host: u.hostname, port: u.port, path, headers, agent },
              res => {
                const chunks = []
                res.on('data', c => chunks.push(c))
                res.on('end', read(chunks, done))
              }
            )
            req.on('error', fail)
            req.end()
          })
      )
    )
    agent.destroy()
  } else {
    const session = http2.connect(server, { ca })
    await Promise.all(
      paths.map(
        path =>
          new Promise((done, fail) => {
            const stream = session.request({ ':path': path, ...headers })
            const chunks = []
            stream.on('data', c => chunks.push(c))
            stream.on('end', read(chunks, done))
            stream.on('error', fail)
            stream.end()
          })
      )
    )
    session.close()
  }
  return bytes
}

/** The reads a reality check of a large plan makes, from this cluster's CRDs. */
async function paths(target) {
  const u = new URL(`${target.server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`)
  const res = await new Promise((done, fail) => {
    https
      .get(u, { ca: target.ca, headers: { authorization: `Bearer ${target.token}` } }, done)
      .on('error', fail)
  })
  const chunks = []
  for await (const c of res) chunks.push(c)
  const crds = JSON.parse(Buffer.concat(chunks).toString('utf8')).items.map(c => c.metadata.name)
  const ns = 'default'
  const out = ['/api', '/apis', '/version', `/api/v1/namespaces/${ns}`]
  out.push(...crds.map(c => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c}`))
  const namespaced = [
    `/api/v1/namespaces/${ns}/serviceaccounts/default`,
    `/api/v1/namespaces/${ns}/resourcequotas`,
    `/api/v1/namespaces/${ns}/limitranges`,
    `/api/v1/namespaces/${ns}/configmaps`,
    `/apis/apps/v1/namespaces/${ns}/deployments?labelSelector=app.kubernetes.io%2Fname%3Dprobe`,
    `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm%2Cname%3Dprobe`
  ]
  for (let i = 0; out.length < REQUESTS; i++) out.push(namespaced[i % namespaced.length])
  return out.slice(0, REQUESTS)
}

const apiserverCpuMs = pid => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

if (process.argv[2] === '--child') {
  const [mode, dir] = process.argv.slice(3)
  const target = admin(dir)
  const list = JSON.parse(process.argv[5])
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const bytes = await sendAll(mode, target, list)
  const cpu = process.cpuUsage(cpu0)
  process.stdout.write(
    JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, bytes })
  )
} else {
  const { values } = parseArgs({
    options: { cluster: { type: 'string' }, rounds: { type: 'string', default: '8' } }
  })
  const dir = resolve(values.cluster ?? join(ROOT, '.cluster'))
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))
  const pid = state.pids['kube-apiserver']
  const list = await paths(admin(dir))
  const seen = { http1: [], http2: [] }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const mode of ['http1', 'http2']) {
      const before = apiserverCpuMs(pid)
      const r = spawnSync(
        process.execPath,
        [process.argv[1], '--child', mode, dir, JSON.stringify(list)],
        { encoding: 'utf8' }
      )
      if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`)
      seen[mode].push({ ...JSON.parse(r.stdout), apiserverMs: apiserverCpuMs(pid) - before })
    }
  }
  const kb = Math.round(seen.http1[0].bytes / 1024)
  console.log(`${list.length} requests (${kb} KiB of JSON), ${values.rounds} rounds, medians:`)
  for (const mode of ['http1', 'http2']) {
    const m = k => median(seen[mode].map(x => x[k])).toFixed(0)
    console.log(
      `  ${mode === 'http1' ? 'HTTP/1.1, 32 sockets' : 'HTTP/2, one connection'}: wall ${m('wallMs')} ms, client CPU ${m('cpuMs')} ms, apiserver CPU ${m('apiserverMs')} ms`
    )
  }
}
