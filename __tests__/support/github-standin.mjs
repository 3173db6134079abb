// A local stand-in for the GitHub REST API: the few endpoints phase-gate
// uses, on 127.0.0.1, with bearer-token checks, a record of every request,
// fault switches and a random delay per request so concurrent writers really
// interleave (nothing is serialised). Plain JS so that jest tests import it
// and e2e runs start it standalone:
//
//   node __tests__/support/github-standin.mjs [--port N] [--state file.json] [--save file.json]
//
// prints one JSON line `{"url": "http://127.0.0.1:N"}` when listening. The
// control endpoints under /_standin/ (state, requests, fault, latency) let a
// workflow run set it up and inspect it.

import http from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const COMMENT_LIMIT = 65536
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const DEPLOYMENT_STATES = new Set([
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success'
])

/** Tokens known by default: a write token, a read-only token (a fork PR's) and an admin token. */
export const DEFAULT_TOKENS = {
  'test-token': { login: 'github-actions[bot]', type: 'Bot', association: 'NONE', access: 'write' },
  'fork-token': { login: 'github-actions[bot]', type: 'Bot', association: 'NONE', access: 'read' },
  'admin-token': { login: 'octo-admin', type: 'User', association: 'OWNER', access: 'admin' }
}

function emptyState(repository) {
  return {
    repository,
    nextId: 1000,
    issues: [],
    comments: [],
    environments: {},
    pulls: {},
    reviews: {},
    checkRuns: {},
    statuses: {},
    branchProtection: {},
    refs: {},
    deployments: [],
    deploymentStatuses: {},
    runApprovals: {}
  }
}

function now() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

function randomIn([min, max]) {
  return min + Math.random() * Math.max(0, max - min)
}

function toRange(latency) {
  if (typeof latency === 'number') return [latency, latency]
  if (Array.isArray(latency) && latency.length === 2) return [latency[0], latency[1]]
  return [0, 8]
}

function matches(fault, method, path) {
  const m = fault.match ?? {}
  if (m.method && m.method.toUpperCase() !== method) return false
  if (m.path instanceof RegExp) return m.path.test(path)
  if (typeof m.path === 'string') return path.startsWith(m.path)
  return true
}

class HttpError extends Error {
  constructor(status, message, extra = {}) {
    super(message)
    this.status = status
    this.extra = extra
  }
}

/**
 * Starts the stand-in. Options: port (0 = random), repository ('octo/app'),
 * tokens (token → {login, type, association, access: read|write|admin}),
 * latencyMs (number or [min, max], default [0, 8]; split before and after the
 * work), state (initial state, merged over an empty one).
 */
export async function startGitHubStandIn(opts = {}) {
  const repository = opts.repository ?? opts.state?.repository ?? 'octo/app'
  const state = { ...emptyState(repository), ...(opts.state ?? {}), repository }
  const tokens = opts.tokens ?? DEFAULT_TOKENS
  const requests = []
  let faults = []
  let latency = toRange(opts.latencyMs)
  let baseUrl = ''

  const nextId = () => state.nextId++

  function page(req, items) {
    const url = new URL(req.url, baseUrl)
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 30))
    const pageNo = Math.max(1, Number(url.searchParams.get('page')) || 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const link = (n, rel) => {
      const u = new URL(url.pathname + url.search, baseUrl)
      u.searchParams.set('per_page', String(perPage))
      u.searchParams.set('page', String(n))
      return `<${u.toString()}>; rel="${rel}"`
    }
    const links = []
    if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'))
    if (pageNo > 1) links.push(link(1, 'first'), link(pageNo - 1, 'prev'))
    const headers = links.length ? { link: links.join(', ') } : {}
    return { items: items.slice((pageNo - 1) * perPage, pageNo * perPage), headers }
  }

  function issueExists(n) {
    return state.pulls[n] !== undefined || state.issues.includes(n)
  }

  function commentView(c) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: c.user,
      author_association: c.author_association,
      created_at: c.created_at,
      updated_at: c.updated_at,
      html_url: `${baseUrl}/${repository}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${baseUrl}/repos/${repository}/issues/${c.issue}`
    }
  }

  function checkBody(body) {
    if (typeof body?.body !== 'string' || body.body.length === 0) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]
      })
    }
    if (body.body.length > COMMENT_LIMIT) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${COMMENT_LIMIT} characters)`
          }
        ]
      })
    }
  }

  function latestStatuses(sha) {
    const all = state.statuses[sha] ?? []
    const byContext = new Map()
    for (const s of all) byContext.set(s.context, s)
    return [...byContext.values()]
  }

  function combinedState(statuses) {
    if (statuses.length === 0) return 'pending'
    if (statuses.some(s => s.state === 'failure' || s.state === 'error')) return 'failure'
    if (statuses.some(s => s.state === 'pending')) return 'pending'
    return 'success'
  }

  function deploymentView(d) {
    return { ...d, url: `${baseUrl}/repos/${repository}/deployments/${d.id}` }
  }

  // Routes: [method, pattern over the path after /repos/{owner}/{repo}, handler].
  const routes = [
    [
      'GET',
      /^\/actions\/runs\/(\d+)\/approvals$/,
      (req, m) => {
        const p = page(req, (state.runApprovals ?? {})[m[1]] ?? [])
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'GET',
      /^\/issues\/(\d+)\/comments$/,
      (req, m) => {
        const n = Number(m[1])
        if (!issueExists(n)) throw new HttpError(404, 'Not Found')
        const all = state.comments.filter(c => c.issue === n).sort((a, b) => a.id - b.id)
        const p = page(req, all.map(commentView))
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'POST',
      /^\/issues\/(\d+)\/comments$/,
      (req, m, body, who) => {
        const n = Number(m[1])
        if (!issueExists(n)) throw new HttpError(404, 'Not Found')
        checkBody(body)
        const c = {
          id: nextId(),
          issue: n,
          body: body.body,
          user: { login: who.login, type: who.type },
          author_association: who.association,
          created_at: now(),
          updated_at: now()
        }
        state.comments.push(c)
        return { status: 201, body: commentView(c) }
      }
    ],
    [
      'GET',
      /^\/issues\/comments\/(\d+)$/,
      (req, m) => {
        const c = state.comments.find(x => x.id === Number(m[1]))
        if (!c) throw new HttpError(404, 'Not Found')
        return { status: 200, body: commentView(c) }
      }
    ],
    [
      'PATCH',
      /^\/issues\/comments\/(\d+)$/,
      (req, m, body) => {
        const c = state.comments.find(x => x.id === Number(m[1]))
        if (!c) throw new HttpError(404, 'Not Found')
        checkBody(body)
        c.body = body.body
        c.updated_at = now()
        return { status: 200, body: commentView(c) }
      }
    ],
    [
      'DELETE',
      /^\/issues\/comments\/(\d+)$/,
      (req, m) => {
        const i = state.comments.findIndex(x => x.id === Number(m[1]))
        if (i < 0) throw new HttpError(404, 'Not Found')
        state.comments.splice(i, 1)
        return { status: 204 }
      }
    ],
    [
      'GET',
      /^\/issues\/(\d+)\/labels$/,
      (req, m) => {
        const pr = state.pulls[m[1]]
        if (!pr) throw new HttpError(404, 'Not Found')
        const p = page(
          req,
          (pr.labels ?? []).map(l => ({ name: l.name ?? l }))
        )
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'GET',
      /^\/environments\/([^/]+)$/,
      (req, m) => {
        const name = decodeURIComponent(m[1])
        const env = state.environments[name]
        if (!env) throw new HttpError(404, 'Not Found')
        return {
          status: 200,
          body: {
            id: env.id ?? 1,
            name,
            html_url: `${baseUrl}/${repository}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
            protection_rules: env.protection_rules ?? [],
            deployment_branch_policy: env.deployment_branch_policy ?? null
          }
        }
      }
    ],
    [
      'GET',
      /^\/pulls\/(\d+)$/,
      (req, m) => {
        const pr = state.pulls[m[1]]
        if (!pr) throw new HttpError(404, 'Not Found')
        return {
          status: 200,
          body: {
            state: 'open',
            draft: false,
            ...pr,
            number: Number(m[1]),
            labels: (pr.labels ?? []).map(l => ({ name: l.name ?? l })),
            html_url: `${baseUrl}/${repository}/pull/${m[1]}`
          }
        }
      }
    ],
    [
      'GET',
      /^\/pulls\/(\d+)\/reviews$/,
      (req, m) => {
        if (!state.pulls[m[1]]) throw new HttpError(404, 'Not Found')
        const p = page(req, state.reviews[m[1]] ?? [])
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'GET',
      /^\/commits\/([^/]+)\/check-runs$/,
      (req, m) => {
        const url = new URL(req.url, baseUrl)
        const sha = decodeURIComponent(m[1])
        const all = state.checkRuns[sha] ?? []
        let runs = all
        if ((url.searchParams.get('filter') ?? 'latest') === 'latest') {
          const byName = new Map()
          for (const r of all) {
            const have = byName.get(r.name)
            if (!have || r.id > have.id) byName.set(r.name, r)
          }
          runs = [...byName.values()]
        }
        const p = page(req, runs)
        return {
          status: 200,
          body: { total_count: runs.length, check_runs: p.items },
          headers: p.headers
        }
      }
    ],
    [
      'GET',
      /^\/commits\/([^/]+)\/status$/,
      (req, m) => {
        const sha = decodeURIComponent(m[1])
        const latest = latestStatuses(sha)
        const p = page(req, latest)
        return {
          status: 200,
          body: {
            state: combinedState(latest),
            sha,
            total_count: latest.length,
            statuses: p.items
          },
          headers: p.headers
        }
      }
    ],
    [
      'GET',
      /^\/branches\/([^/]+)\/protection\/required_status_checks$/,
      (req, m, body, who) => {
        const branch = decodeURIComponent(m[1])
        const bp = state.branchProtection[branch]
        if (bp?.status)
          throw new HttpError(bp.status, bp.message ?? 'Resource not accessible by integration')
        if (who.access !== 'admin' && bp?.adminOnly) {
          throw new HttpError(403, 'Resource not accessible by integration')
        }
        if (!bp?.required_status_checks) throw new HttpError(404, 'Branch not protected')
        return { status: 200, body: { strict: false, checks: [], ...bp.required_status_checks } }
      }
    ],
    [
      'GET',
      /^\/deployments$/,
      req => {
        const q = new URL(req.url, baseUrl).searchParams
        const list = state.deployments
          .filter(d => !q.get('sha') || d.sha === q.get('sha'))
          .filter(d => !q.get('ref') || d.ref === q.get('ref'))
          .filter(d => !q.get('environment') || d.environment === q.get('environment'))
          .filter(d => !q.get('task') || d.task === q.get('task'))
          .sort((a, b) => b.id - a.id)
          .map(deploymentView)
        const p = page(req, list)
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'POST',
      /^\/deployments$/,
      (req, m, body, who) => {
        if (typeof body?.ref !== 'string' || !body.ref) {
          throw new HttpError(422, 'Validation Failed', {
            errors: [{ resource: 'Deployment', code: 'missing_field', field: 'ref' }]
          })
        }
        const isSha = /^[0-9a-f]{40}$/.test(body.ref)
        const sha = isSha ? body.ref : (state.refs[body.ref] ?? body.ref)
        // As on GitHub: auto_merge (default true) merges the default branch into a branch ref first.
        if (body.auto_merge !== false && !isSha) {
          return {
            status: 202,
            body: { message: `Auto-merged main into ${body.ref} on deployment.` }
          }
        }
        // required_contexts absent means every status context must be success.
        if (body.required_contexts === undefined) {
          const latest = latestStatuses(sha)
          if (latest.some(s => s.state !== 'success')) {
            throw new HttpError(409, 'Conflict: Commit status checks failed for ' + body.ref)
          }
        }
        const d = {
          id: nextId(),
          sha,
          ref: body.ref,
          task: body.task ?? 'deploy',
          environment: body.environment ?? 'production',
          description: body.description ?? null,
          payload: body.payload ?? {},
          production_environment: body.production_environment ?? false,
          transient_environment: body.transient_environment ?? false,
          creator: { login: who.login, type: who.type },
          created_at: now(),
          updated_at: now()
        }
        state.deployments.push(d)
        return { status: 201, body: deploymentView(d) }
      }
    ],
    [
      'GET',
      /^\/deployments\/(\d+)$/,
      (req, m) => {
        const d = state.deployments.find(x => x.id === Number(m[1]))
        if (!d) throw new HttpError(404, 'Not Found')
        return { status: 200, body: deploymentView(d) }
      }
    ],
    [
      'GET',
      /^\/deployments\/(\d+)\/statuses$/,
      (req, m) => {
        const id = Number(m[1])
        if (!state.deployments.some(x => x.id === id)) throw new HttpError(404, 'Not Found')
        const list = [...(state.deploymentStatuses[id] ?? [])].sort((a, b) => b.id - a.id)
        const p = page(req, list)
        return { status: 200, body: p.items, headers: p.headers }
      }
    ],
    [
      'POST',
      /^\/deployments\/(\d+)\/statuses$/,
      (req, m, body, who) => {
        const id = Number(m[1])
        const d = state.deployments.find(x => x.id === id)
        if (!d) throw new HttpError(404, 'Not Found')
        if (!DEPLOYMENT_STATES.has(body?.state)) {
          throw new HttpError(422, 'Validation Failed', {
            errors: [{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }]
          })
        }
        if (typeof body.description === 'string' && body.description.length > 140) {
          throw new HttpError(422, 'Validation Failed', {
            errors: [
              {
                resource: 'DeploymentStatus',
                code: 'custom',
                field: 'description',
                message: 'description is too long (maximum is 140 characters)'
              }
            ]
          })
        }
        const s = {
          id: nextId(),
          state: body.state,
          description: body.description ?? '',
          environment: d.environment,
          environment_url: body.environment_url ?? '',
          log_url: body.log_url ?? '',
          creator: { login: who.login, type: who.type },
          created_at: now(),
          deployment_url: `${baseUrl}/repos/${repository}/deployments/${id}`
        }
        ;(state.deploymentStatuses[id] ??= []).push(s)
        // As on GitHub: a success marks earlier non-transient deployments of the environment inactive.
        if (body.state === 'success' && body.auto_inactive !== false) {
          for (const other of state.deployments) {
            if (
              other.id === id ||
              other.environment !== d.environment ||
              other.transient_environment
            )
              continue
            const list = state.deploymentStatuses[other.id] ?? []
            if (list.length && list[list.length - 1].state === 'success') {
              list.push({
                ...list[list.length - 1],
                id: nextId(),
                state: 'inactive',
                created_at: now()
              })
            }
          }
        }
        return { status: 201, body: s }
      }
    ]
  ]

  function authenticate(req) {
    const header = req.headers.authorization
    if (!header) return { error: new HttpError(401, 'Requires authentication') }
    const m = /^(?:Bearer|token)\s+(.+)$/i.exec(header)
    const who = m ? tokens[m[1]] : undefined
    if (!who) return { error: new HttpError(401, 'Bad credentials') }
    return { who, token: m[1] }
  }

  async function control(req, res, path, body) {
    const send = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(payload))
    }
    if (req.method === 'GET' && path === '/_standin/state') return send(200, state)
    if (req.method === 'GET' && path === '/_standin/requests') return send(200, requests)
    if (req.method === 'POST' && path === '/_standin/state') {
      Object.assign(state, body ?? {}, { repository })
      return send(200, state)
    }
    if (req.method === 'POST' && path === '/_standin/fault') {
      const f = { ...(body ?? {}) }
      if (typeof f.match?.path === 'string' && f.match.path.startsWith('re:')) {
        f.match = { ...f.match, path: new RegExp(f.match.path.slice(3)) }
      }
      api.setFault(f)
      return send(200, { faults: faults.length })
    }
    if (req.method === 'POST' && path === '/_standin/latency') {
      latency = toRange(body?.latencyMs)
      return send(200, { latency })
    }
    if (req.method === 'POST' && path === '/_standin/reset-requests') {
      requests.length = 0
      return send(200, {})
    }
    return send(404, { message: 'Not Found' })
  }

  async function handle(req, res) {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      body = raw
    }
    const url = new URL(req.url, baseUrl)
    const path = url.pathname
    if (path.startsWith('/_standin/')) return control(req, res, path, body)

    const auth = req.headers.authorization
    const entry = {
      method: req.method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      token: auth ? auth.replace(/^(?:Bearer|token)\s+/i, '') : undefined,
      headers: {
        authorization: auth,
        accept: req.headers.accept,
        'x-github-api-version': req.headers['x-github-api-version'],
        'user-agent': req.headers['user-agent']
      },
      at: Date.now(),
      status: 0
    }
    requests.push(entry)

    const reply = (status, payload, headers = {}) => {
      entry.status = status
      const h = { 'x-github-api-version-selected': '2022-11-28', ...headers }
      if (status === 204 || payload === undefined) {
        res.writeHead(status, h)
        res.end()
        return
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...h })
      res.end(JSON.stringify(payload))
    }

    await sleep(randomIn(latency) / 2)

    const fault = faults.find(f => f.count > 0 && matches(f, req.method, path))
    if (fault) {
      fault.count--
      faults = faults.filter(f => f.count > 0)
      const headers = {}
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter)
      if (fault.rateLimitRemaining !== undefined) {
        headers['x-ratelimit-remaining'] = String(fault.rateLimitRemaining)
      }
      if (fault.rateLimitReset !== undefined)
        headers['x-ratelimit-reset'] = String(fault.rateLimitReset)
      const message =
        fault.message ??
        (fault.status >= 500
          ? 'Server Error'
          : fault.status === 429
            ? 'Too Many Requests'
            : 'Forbidden')
      await sleep(randomIn(latency) / 2)
      return reply(fault.status, { message }, headers)
    }

    const { who, error } = authenticate(req)
    let result
    try {
      if (error) throw error
      const prefix = `/repos/${repository}`
      const route = path.startsWith(prefix + '/') ? path.slice(prefix.length) : undefined
      const found =
        route === undefined
          ? undefined
          : routes.find(([m, re]) => m === req.method && re.test(route))
      if (!found) throw new HttpError(404, 'Not Found')
      if (WRITE_METHODS.has(req.method) && who.access === 'read') {
        throw new HttpError(403, 'Resource not accessible by integration')
      }
      result = found[2](req, route.match(found[1]), body, who)
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      result = {
        status: err.status,
        body: {
          message: err.message,
          documentation_url: 'https://docs.github.com/rest',
          status: String(err.status),
          ...err.extra
        }
      }
    }
    await sleep(randomIn(latency) / 2)
    reply(result.status, result.body, result.headers)
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(err => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: `stand-in bug: ${err?.message ?? err}` }))
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', resolve)
  })
  baseUrl = `http://127.0.0.1:${server.address().port}`

  const api = {
    url: baseUrl,
    state,
    requests,
    /** Makes the next `count` matching requests fail with `status` (optionally with retry-after). */
    setFault(f) {
      faults.push({ count: 1, ...f })
    },
    clearFaults() {
      faults = []
    },
    setLatency(ms) {
      latency = toRange(ms)
    },
    /** Requests whose method and path match. */
    requestsTo(method, path) {
      return requests.filter(
        r => r.method === method && (path instanceof RegExp ? path.test(r.path) : r.path === path)
      )
    },
    /** Comments of an issue, oldest first. */
    commentsOn(issue) {
      return state.comments.filter(c => c.issue === issue).sort((a, b) => a.id - b.id)
    },
    async close() {
      server.closeAllConnections?.()
      await new Promise(resolve => server.close(() => resolve()))
    }
  }
  return api
}

function parseArgs(argv) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const [k, v] = a.includes('=') ? a.slice(2).split(/=(.*)/s) : [a.slice(2), argv[++i]]
    args[k] = v
  }
  return args
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const state = args.state ? JSON.parse(readFileSync(args.state, 'utf8')) : undefined
  const tokens = args.tokens ? JSON.parse(readFileSync(args.tokens, 'utf8')) : undefined
  const standIn = await startGitHubStandIn({
    port: args.port ? Number(args.port) : 0,
    repository: args.repository,
    latencyMs: args.latency ? args.latency.split(',').map(Number) : undefined,
    state,
    tokens
  })
  process.stdout.write(JSON.stringify({ url: standIn.url }) + '\n')
  const stop = async () => {
    if (args.save) {
      writeFileSync(
        args.save,
        JSON.stringify({ state: standIn.state, requests: standIn.requests }, null, 2)
      )
    }
    await standIn.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(err => {
    process.stderr.write(`github stand-in: ${err?.stack ?? err}\n`)
    process.exit(1)
  })
}
