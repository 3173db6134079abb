// A Docker registry token server (https://distribution.github.io/distribution/spec/auth/token/)
// for the local token-auth registry, on Node's crypto only.
//
//   node token-server.mjs CONFIG.json
//
// CONFIG: {port, issuer, service, keyFile, certFile,
//          users: {NAME: {passwordSha256, access: [{repository: "glob", actions: ["pull", "push"]}]}}}
//
// Basic auth in (GET /token?service=..&scope=repository:NAME:ACTIONS, or the
// OAuth2 password grant POST /token), an RS256 JWT out whose header carries the
// signing certificate as `x5c`; docker-registry trusts it through
// `auth.token.rootcertbundle`. Each requested action is granted only when a
// rule of the user allows it on that repository; anything else (the
// `registry:catalog:*` scope included) is left out of the token, and the
// registry then answers 401/403 itself. Missing or wrong credentials get 401.
import {
  createHash,
  createPrivateKey,
  randomUUID,
  sign,
  timingSafeEqual,
  X509Certificate
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const TOKEN_SECONDS = 300

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const key = createPrivateKey(readFileSync(config.keyFile))
const certDer = new X509Certificate(readFileSync(config.certFile)).raw.toString('base64')

const b64url = buf => Buffer.from(buf).toString('base64url')

function jwt(claims) {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certDer] }))
  const body = b64url(JSON.stringify(claims))
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), key)
  return `${header}.${body}.${b64url(signature)}`
}

function authenticate(username, password) {
  const user = username && config.users[username]
  if (!user || password === undefined) return null
  const given = createHash('sha256').update(password).digest()
  const want = Buffer.from(user.passwordSha256, 'hex')
  return given.length === want.length && timingSafeEqual(given, want) ? user : null
}

function globMatch(glob, name) {
  const re = new RegExp(
    `^${glob
      .split('*')
      .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^:]*')}$`
  )
  return re.test(name)
}

/** The access list granted for `scopes` ("repository:NAME:pull,push"). */
function grant(user, scopes) {
  const access = []
  for (const scope of scopes) {
    const first = scope.indexOf(':')
    const last = scope.lastIndexOf(':')
    if (first < 0 || last === first) continue
    const [type, name, wanted] = [
      scope.slice(0, first),
      scope.slice(first + 1, last),
      scope.slice(last + 1).split(',')
    ]
    if (type !== 'repository') continue
    const allowed = new Set(
      user.access.filter(r => globMatch(r.repository, name)).flatMap(r => r.actions)
    )
    const actions = wanted.filter(a => allowed.has(a) || (a === '*' && allowed.size))
    access.push({ type, name, actions })
  }
  return access
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  return Buffer.concat(chunks).toString('utf8')
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1')
  if (url.pathname === '/healthz') return send(res, 200, { ok: true })
  if (url.pathname !== '/token') return send(res, 404, { error: 'not found' })

  let username, password, scopes, service
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req))
    if (form.get('grant_type') !== 'password')
      return send(res, 400, { error: 'unsupported_grant_type' })
    ;[username, password] = [form.get('username'), form.get('password')]
    scopes = (form.get('scope') || '').split(' ').filter(Boolean)
    service = form.get('service')
  } else {
    const auth = req.headers.authorization || ''
    if (auth.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)]
    }
    scopes = url.searchParams
      .getAll('scope')
      .flatMap(s => s.split(' '))
      .filter(Boolean)
    service = url.searchParams.get('service')
  }
  if (service && service !== config.service)
    return send(res, 400, { error: `unknown service ${service}` })
  const user = authenticate(username, password)
  if (!user) {
    return send(
      res,
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
      {
        'www-authenticate': 'Basic realm="phase-gate registry token server"'
      }
    )
  }
  const now = Math.floor(Date.now() / 1000)
  const token = jwt({
    iss: config.issuer,
    sub: username,
    aud: config.service,
    exp: now + TOKEN_SECONDS,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access: grant(user, scopes)
  })
  send(res, 200, {
    token,
    access_token: token,
    expires_in: TOKEN_SECONDS,
    issued_at: new Date(now * 1000).toISOString()
  })
})

server.listen(config.port, '127.0.0.1')
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0))
