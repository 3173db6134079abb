// A test exporter for Prometheus: synthetic HTTP traffic per service and track
// whose rate, error rate and latency tests set at runtime.
//
//   node exporter.mjs PORT
//
// Metrics (GET /metrics), labels service, track (and code on the counter):
//   http_requests_total{service,track,code}            counter; code "200" or "500"
//   http_request_duration_seconds{service,track}       histogram
//   phase_gate_exporter_target{service,track,setting}  gauge: the current settings
// Counters follow the settings exactly: they are the integral of `rps` over
// time (errors the fraction `errorRate` of it), advanced whenever they are read
// or a setting changes, so sum(rate(http_requests_total{track="canary"}[5s]))
// settles at the set rps within a scrape or two. Every request of a track is
// observed at `latencyMs`.
//
// Control API (JSON):
//   GET  /control                -> {services: {SERVICE: {TRACK: {rps, errorRate, latencyMs}}}}
//   POST /control {service?, track, rps?, errorRate?, latencyMs?}  (or an array of them)
//   POST /control/reset {service?}   settings back to the start (one service or all);
//                                    counters keep counting, as after a config reload
//   POST /observe {service?, track, code, latencyMs, count?}   record served requests directly
//                                    (a traffic data plane feeding real outcomes)
//   GET  /healthz
// `service` defaults to "app", the one service present at start with tracks
// stable and canary at 10 rps, no errors, 50 ms. A test that needs traffic of
// its own uses a service name of its own and filters on it in its queries.
import { createServer } from 'node:http'

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const DEFAULT_SERVICE = 'app'
const START = {
  stable: { rps: 10, errorRate: 0, latencyMs: 50 },
  canary: { rps: 10, errorRate: 0, latencyMs: 50 }
}

/** service -> track -> series */
const services = new Map()

function series(service, track) {
  if (!services.has(service)) services.set(service, new Map())
  const tracks = services.get(service)
  if (!tracks.has(track)) {
    tracks.set(track, {
      setting: { rps: 0, errorRate: 0, latencyMs: 0 },
      at: Date.now(),
      carry: 0,
      errCarry: 0,
      codes: new Map(),
      buckets: BUCKETS.map(() => 0),
      sum: 0,
      count: 0
    })
  }
  return tracks.get(track)
}

function observe(s, code, latencyMs, n) {
  if (n <= 0) return
  s.codes.set(code, (s.codes.get(code) || 0) + n)
  const seconds = latencyMs / 1000
  BUCKETS.forEach((le, i) => {
    if (seconds <= le) s.buckets[i] += n
  })
  s.sum += seconds * n
  s.count += n
}

/** Adds the requests the settings generated since the last advance. */
function advance(s, now = Date.now()) {
  const { rps, errorRate, latencyMs } = s.setting
  const exact = s.carry + (rps * (now - s.at)) / 1000
  s.at = now
  const n = Math.floor(exact)
  s.carry = exact - n
  const errExact = s.errCarry + n * errorRate
  const errors = Math.floor(errExact)
  s.errCarry = errExact - errors
  observe(s, '200', latencyMs, n - errors)
  observe(s, '500', latencyMs, errors)
}

function reset(service) {
  for (const [name, tracks] of services) {
    if (service && name !== service) continue
    for (const s of tracks.values()) {
      advance(s)
      s.setting = { rps: 0, errorRate: 0, latencyMs: 0 }
    }
  }
  if (!service || service === DEFAULT_SERVICE) {
    for (const [track, setting] of Object.entries(START)) {
      const s = series(DEFAULT_SERVICE, track)
      advance(s)
      s.setting = { ...setting }
    }
  }
}

function settings() {
  const out = {}
  for (const [name, tracks] of services) {
    out[name] = {}
    for (const [track, s] of tracks) out[name][track] = { ...s.setting }
  }
  return { services: out }
}

const label = v => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

function metrics() {
  const now = Date.now()
  const req = [
    '# HELP http_requests_total Requests served, by service, track and status code.',
    '# TYPE http_requests_total counter'
  ]
  const dur = [
    '# HELP http_request_duration_seconds Request latency, by service and track.',
    '# TYPE http_request_duration_seconds histogram'
  ]
  const tgt = [
    '# HELP phase_gate_exporter_target Current traffic settings of the test exporter.',
    '# TYPE phase_gate_exporter_target gauge'
  ]
  for (const [service, tracks] of services) {
    for (const [track, s] of tracks) {
      advance(s, now)
      const l = `service="${label(service)}",track="${label(track)}"`
      for (const code of [
        '200',
        '500',
        ...[...s.codes.keys()].filter(c => c !== '200' && c !== '500').sort()
      ]) {
        req.push(`http_requests_total{${l},code="${label(code)}"} ${s.codes.get(code) || 0}`)
      }
      BUCKETS.forEach((le, i) =>
        dur.push(`http_request_duration_seconds_bucket{${l},le="${le}"} ${s.buckets[i]}`)
      )
      dur.push(`http_request_duration_seconds_bucket{${l},le="+Inf"} ${s.count}`)
      dur.push(`http_request_duration_seconds_sum{${l}} ${s.sum}`)
      dur.push(`http_request_duration_seconds_count{${l}} ${s.count}`)
      for (const [k, v] of Object.entries(s.setting))
        tgt.push(`phase_gate_exporter_target{${l},setting="${k}"} ${v}`)
    }
  }
  return [...req, ...dur, ...tgt].join('\n') + '\n'
}

class BadRequest extends Error {}

function number(body, key, { min = 0, max = Infinity } = {}) {
  const v = body[key]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new BadRequest(`${key} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`)
  }
  return v
}

function target(body) {
  if (typeof body.track !== 'string' || !body.track)
    throw new BadRequest('track (string) is required')
  const service = body.service ?? DEFAULT_SERVICE
  if (typeof service !== 'string' || !service)
    throw new BadRequest('service must be a non-empty string')
  return series(service, body.track)
}

function control(body) {
  const s = target(body)
  const rps = number(body, 'rps')
  const errorRate = number(body, 'errorRate', { max: 1 })
  const latencyMs = number(body, 'latencyMs')
  advance(s)
  if (rps !== undefined) s.setting.rps = rps
  if (errorRate !== undefined) s.setting.errorRate = errorRate
  if (latencyMs !== undefined) s.setting.latencyMs = latencyMs
}

function record(body) {
  const s = target(body)
  const code = String(body.code ?? '200')
  if (!/^[1-5]\d\d$/.test(code))
    throw new BadRequest(`code must be an HTTP status, got ${JSON.stringify(body.code)}`)
  const latencyMs = number(body, 'latencyMs') ?? 0
  const count = number(body, 'count') ?? 1
  if (!Number.isInteger(count)) throw new BadRequest('count must be an integer')
  advance(s)
  observe(s, code, latencyMs, count)
}

async function json(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new BadRequest('body is not JSON')
  }
}

const each = (body, fn) => (Array.isArray(body) ? body : [body]).forEach(fn)

const server = createServer(async (req, res) => {
  const reply = (status, body, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type })
    res.end(type === 'application/json' ? JSON.stringify(body) + '\n' : body)
  }
  try {
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    const route = `${req.method} ${path}`
    if (route === 'GET /metrics')
      return reply(200, metrics(), 'text/plain; version=0.0.4; charset=utf-8')
    if (route === 'GET /healthz') return reply(200, { ok: true })
    if (route === 'GET /control') return reply(200, settings())
    if (route === 'POST /control') {
      each(await json(req), control)
      return reply(200, settings())
    }
    if (route === 'POST /control/reset') {
      const body = await json(req)
      reset(body.service)
      return reply(200, settings())
    }
    if (route === 'POST /observe') {
      each(await json(req), record)
      return reply(200, { ok: true })
    }
    reply(404, { error: `no route ${route}` })
  } catch (err) {
    reply(err instanceof BadRequest ? 400 : 500, { error: err.message })
  }
})

reset()
server.listen(Number(process.argv[2]), '127.0.0.1')
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0))
