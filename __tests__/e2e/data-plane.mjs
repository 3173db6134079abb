// The traffic data plane of the e2e suite: it plays the network in front of a
// rollout's two tracks. It watches the live split in the cluster (an
// HTTPRoute's backendRefs weights, each backend a Service whose selector's
// `track` label names the track; or, without a route, the ready replicas of
// the stable and canary Deployments), and sends a steady, bounded stream of
// synthetic requests over loopback to two test backends, stable and canary,
// split by those weights (smooth weighted round robin, so the split is exact
// over a handful of requests). Each backend answers with the error rate and
// latency a test sets at runtime and reports what it served, per track,
// status code and latency, to the cluster's test exporter (POST /observe),
// which Prometheus scrapes every second. So when a gate moves the weights,
// Prometheus sees the canary's share change within seconds; a gate that
// patched nothing leaves the canary without a single request.
//
// Nothing here dials a pod or Service IP: backends are local servers, and the
// cluster is only read through the apiserver on 127.0.0.1.
import { readFileSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { request as httpsRequest } from 'node:https'

export const TRACKS = ['stable', 'canary']

/**
 * Per-track weights of an HTTPRoute: the weights of the backendRefs (Gateway
 * API default 1) of every rule, summed by the track of each backend's Service
 * (its selector's `track`, else the backend's name).
 */
export function splitFromRoute(route, services) {
  const out = {}
  if (!route) return out
  for (const rule of route.spec?.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      if ((b.kind ?? 'Service') !== 'Service' || b.group) continue
      const svc = services.get(b.name)
      const track = svc?.spec?.selector?.track ?? b.name
      out[track] = (out[track] ?? 0) + (b.weight ?? 1)
    }
  }
  return out
}

/** Per-track weights from the ready replicas of the stable and canary workloads. */
export function splitFromReplicas(stable, canary) {
  return {
    stable: stable?.status?.readyReplicas ?? 0,
    canary: canary?.status?.readyReplicas ?? 0
  }
}

/**
 * Smooth weighted round robin (nginx's): each pick adds every weight to its
 * running score and takes the highest, which then pays back the total; any
 * run of `total` picks matches the weights exactly.
 */
export function weightedPicker() {
  const score = new Map()
  return weights => {
    const live = Object.entries(weights).filter(([, w]) => w > 0)
    if (live.length === 0) return undefined
    const total = live.reduce((s, [, w]) => s + w, 0)
    let best
    for (const [track, w] of live) {
      score.set(track, (score.get(track) ?? 0) + w)
      if (best === undefined || score.get(track) > score.get(best)) best = track
    }
    score.set(best, score.get(best) - total)
    return best
  }
}

/** Whether this response should fail: an exact running fraction, not a dice roll. */
export function errorGate() {
  let carry = 0
  return rate => {
    carry += Math.min(1, Math.max(0, rate))
    if (carry >= 1 - 1e-9) {
      carry -= 1
      return true
    }
    return false
  }
}

/**
 * POSTs JSON to the exporter, again after a connection error: a pooled
 * keep-alive connection the exporter has just closed fails the first try.
 */
async function postJson(url, body, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      const r = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
      const text = await r.text()
      if (!r.ok) throw Object.assign(new Error(`HTTP ${r.status} ${text}`), { final: true })
      return
    } catch (err) {
      if (err.final || i >= attempts) throw err
    }
  }
}

function backend(track, { service, exporter, log }) {
  const setting = { errorRate: 0, latencyMs: 20 }
  const fails = errorGate()
  const pending = new Map()
  const served = []
  const server = createServer((req, res) => {
    const started = Date.now()
    req.resume()
    setTimeout(() => {
      const code = fails(setting.errorRate) ? 500 : 200
      res.writeHead(code, { 'content-type': 'text/plain' })
      res.end(code === 200 ? `${track} ok\n` : `${track} failed\n`)
      const latencyMs = Date.now() - started
      const key = `${code}|${latencyMs}`
      pending.set(key, (pending.get(key) ?? 0) + 1)
      served.push([started, code])
    }, setting.latencyMs)
  })
  // What was served goes to the exporter in small batches (Prometheus scrapes once a second).
  const flush = async () => {
    if (pending.size === 0) return
    const batch = [...pending].map(([key, count]) => {
      const [code, latencyMs] = key.split('|').map(Number)
      return { service, track, code, latencyMs, count }
    })
    pending.clear()
    try {
      await postJson(`${exporter}/observe`, batch)
    } catch (err) {
      // Kept for the next flush: what was served is counted late, never lost.
      for (const b of batch) {
        const key = `${b.code}|${b.latencyMs}`
        pending.set(key, (pending.get(key) ?? 0) + b.count)
      }
      log(`exporter unreachable, batch kept: ${err.message}`)
    }
  }
  const timer = setInterval(flush, 200)
  return {
    setting,
    served,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', () => resolve(server.address().port))
      }),
    async close() {
      clearInterval(timer)
      await flush()
      server.closeAllConnections()
      await new Promise(r => server.close(() => r()))
    }
  }
}

/**
 * Keeps `store` (name → object) equal to what the apiserver lists at `path`:
 * list, then watch from the list's resourceVersion, relist after 410 Gone or a
 * closed stream; `changed()` after every change. Stops when `signal` aborts
 * (the open watch with it).
 */
export async function watchObjects({ server, ca, cert, key }, path, store, changed, signal) {
  const url = new URL(server)
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing a non-loopback apiserver: ${server}`)
  const tls = { ca: readFileSync(ca), cert: readFileSync(cert), key: readFileSync(key) }
  const get = (p, onResponse) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: url.port,
          path: p,
          ...tls,
          signal,
          headers: { accept: 'application/json' }
        },
        res => onResponse(res).then(resolve, reject)
      )
      req.on('error', reject)
      req.end()
    })
  const text = async res => {
    let body = ''
    for await (const c of res) body += c
    if (res.statusCode !== 200)
      throw new Error(`GET ${path}: HTTP ${res.statusCode} ${body.slice(0, 200)}`)
    return JSON.parse(body)
  }
  const sep = path.includes('?') ? '&' : '?'
  while (!signal.aborted) {
    try {
      const list = await get(path, text)
      store.clear()
      for (const o of list.items ?? []) store.set(o.metadata.name, o)
      changed()
      let rv = list.metadata.resourceVersion
      await get(
        `${path}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=60&resourceVersion=${rv}`,
        async res => {
          if (res.statusCode !== 200) throw new Error(`watch ${path}: HTTP ${res.statusCode}`)
          let buffered = ''
          for await (const chunk of res) {
            buffered += chunk
            let nl
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl).trim()
              buffered = buffered.slice(nl + 1)
              if (!line) continue
              const ev = JSON.parse(line)
              if (ev.type === 'ERROR') return res.destroy()
              rv = ev.object?.metadata?.resourceVersion ?? rv
              if (ev.type === 'BOOKMARK') continue
              if (ev.type === 'DELETED') store.delete(ev.object.metadata.name)
              else store.set(ev.object.metadata.name, ev.object)
              changed()
            }
          }
        }
      )
    } catch {
      // A broken stream or an apiserver that is not there yet: list again shortly.
      if (signal.aborted) return
      await new Promise(r => setTimeout(r, 500))
    }
  }
}

/**
 * Starts the data plane. Options: kube ({server, ca, cert, key}), namespace,
 * route (HTTPRoute name) or workloads ({stable, canary} Deployment names),
 * exporter (URL), service (the exporter's `service` label), rps (total,
 * default 40), maxInFlight (default 200), log.
 */
export async function startDataPlane(opts) {
  const log = opts.log ?? (() => {})
  const rps = opts.rps ?? 40
  const maxInFlight = opts.maxInFlight ?? 200
  const backends = Object.fromEntries(
    TRACKS.map(t => [t, backend(t, { service: opts.service, exporter: opts.exporter, log })])
  )
  const ports = {}
  for (const t of TRACKS) ports[t] = await backends[t].listen()
  // A backend's metrics exist from its start, at zero (as a client library registers its
  // counters), so "no requests" reads as zero traffic, not as a series that is missing.
  await postJson(
    `${opts.exporter}/observe`,
    TRACKS.flatMap(track =>
      [200, 500].map(code => ({ service: opts.service, track, code, latencyMs: 0, count: 0 }))
    )
  )
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight })
  const abort = new AbortController()
  const ns = encodeURIComponent(opts.namespace)

  // The live view of the cluster, kept by watches.
  const routes = new Map()
  const services = new Map()
  const deployments = new Map()
  const watch = (path, store) =>
    watchObjects(opts.kube, path, store, () => changed(), abort.signal).catch(err =>
      log(`watch ${path}: ${err.message}`)
    )
  if (opts.route) {
    watch(
      `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes?fieldSelector=${encodeURIComponent(`metadata.name=${opts.route}`)}`,
      routes
    )
    watch(`/api/v1/namespaces/${ns}/services`, services)
  } else {
    watch(`/apis/apps/v1/namespaces/${ns}/deployments`, deployments)
  }

  let split = {}
  const history = []
  const listeners = []
  function changed() {
    const next = opts.route
      ? splitFromRoute(routes.get(opts.route), services)
      : splitFromReplicas(
          deployments.get(opts.workloads.stable),
          deployments.get(opts.workloads.canary)
        )
    const norm = Object.fromEntries(TRACKS.map(t => [t, next[t] ?? 0]))
    if (TRACKS.every(t => norm[t] === split[t])) return
    split = norm
    const entry = { at: Date.now(), ...norm }
    history.push(entry)
    log(`split now stable=${norm.stable} canary=${norm.canary}`)
    for (const l of listeners) l(entry)
  }

  // The client side: `rps` requests a second, split by the live weights, never more than maxInFlight open.
  const pick = weightedPicker()
  const sent = { stable: 0, canary: 0, dropped: 0, failed: 0 }
  let inFlight = 0
  let budget = 0
  let last = Date.now()
  const tick = setInterval(() => {
    const now = Date.now()
    budget += (rps * (now - last)) / 1000
    last = now
    const n = Math.floor(budget)
    budget -= n
    for (let i = 0; i < n; i++) {
      const track = pick(split)
      if (!track) return
      if (inFlight >= maxInFlight) {
        sent.dropped++
        continue
      }
      inFlight++
      sent[track]++
      const req = request(
        { host: '127.0.0.1', port: ports[track], path: '/checkout', agent, method: 'GET' },
        res => {
          res.resume()
          res.on('end', () => inFlight--)
        }
      )
      req.on('error', () => {
        inFlight--
        sent.failed++
      })
      req.end()
    }
  }, 25)

  return {
    ports,
    /** Sets a backend's error rate (0..1) and latency (ms) from now on. */
    setTrack(track, { errorRate, latencyMs }) {
      if (errorRate !== undefined) backends[track].setting.errorRate = errorRate
      if (latencyMs !== undefined) backends[track].setting.latencyMs = latencyMs
      log(
        `${track} backend: error rate ${backends[track].setting.errorRate}, latency ${backends[track].setting.latencyMs} ms`
      )
    },
    /** The weights the data plane routes by now. */
    split: () => ({ ...split }),
    /** Every change of the split seen, oldest first. */
    history: () => [...history],
    /** Calls `fn({at, stable, canary})` on every change of the split. */
    onSplit: fn => listeners.push(fn),
    /** Requests a backend served in [from, to), by status code. */
    served(track, from = 0, to = Infinity) {
      const out = { total: 0, errors: 0 }
      for (const [at, code] of backends[track].served)
        if (at >= from && at < to) {
          out.total++
          if (code >= 500) out.errors++
        }
      return out
    },
    sent: () => ({ ...sent }),
    async stop() {
      clearInterval(tick)
      abort.abort()
      await Promise.all(TRACKS.map(t => backends[t].close()))
      agent.destroy()
    }
  }
}
