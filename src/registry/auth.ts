/**
 * Registry authentication: `WWW-Authenticate` challenges, the bearer-token
 * dance with the registry's token server (basic, identity-token and
 * registry-token credentials), and the cache of authorizations per host and
 * scope shared by concurrent inspections.
 */

import type { Clock } from '../core/clock.js'
import { parseRetryAfter } from '../core/retry.js'
import { registerSecret } from '../core/secrets.js'
import type { FoundCredential } from './credentials.js'
import { parseJson } from './manifest.js'
import { InspectionFailure, type Answer, type Tally, type Transport } from './transport.js'

/** A registry challenge from `WWW-Authenticate`. */
export interface AuthChallenge {
  scheme: string
  params: Record<string, string>
}

/** Parses a `WWW-Authenticate` header into its challenges (`Bearer realm="…",service="…"`). */
export function parseAuthChallenges(header: string | null | undefined): AuthChallenge[] {
  if (!header) return []
  const out: AuthChallenge[] = []
  // auth-param values may be quoted strings holding commas and escaped quotes.
  const re =
    /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+|$)|\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy
  let current: AuthChallenge | undefined
  let pos = 0
  while (pos < header.length) {
    re.lastIndex = pos
    const m = re.exec(header)
    if (!m || m[0] === '') break
    pos = re.lastIndex
    if (m[2] !== undefined && current) {
      const raw = m[3]
      const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw
      current.params[m[2].toLowerCase()] = value
    } else if (m[1] !== undefined) {
      current = { scheme: m[1].toLowerCase(), params: {} }
      out.push(current)
    } else {
      break
    }
    while (header[pos] === ',' || header[pos] === ' ') pos++
  }
  return out
}

/** Where an image is actually asked for. */
export interface Target {
  /** The host asked (the mirror when one is set). */
  host: string
  /** The image's own registry when `host` is its mirror. */
  mirrorOf?: string
  /** `https://registry-1.docker.io` for docker.io, else scheme + host. */
  baseUrl: string
  repository: string
  credential?: FoundCredential
}

interface CachedAuth {
  token: Promise<string>
  expiresAt: number
  credential?: FoundCredential
}

/** The authorizations of one client, per `host|scope` (or `host|basic`), with the credential behind each. */
export class RegistryAuth {
  private readonly tokens = new Map<string, CachedAuth>()
  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly noCredentials: (where: string, target: Target) => string
  ) {}

  /** A token or basic authorization still valid for the host and scope. */
  cachedAuthorization(host: string, scope: string): CachedAuth | undefined {
    for (const key of [`${host}|${scope}`, `${host}|basic`]) {
      const hit = this.tokens.get(key)
      if (hit && hit.expiresAt > this.clock.now()) return hit
    }
    return undefined
  }

  /** Answers a 401's challenges: a bearer token from the token server, or basic credentials. */
  async answerChallenge(
    tally: Tally,
    target: Target,
    challenges: AuthChallenge[],
    scope: string
  ): Promise<string | undefined> {
    const found = target.credential
    const cred = found?.credential
    const bearer = challenges.find(c => c.scheme === 'bearer')
    if (bearer?.params.realm) {
      // The registry may name a wider or different scope than ours: ask for what it wants.
      const wanted = bearer.params.scope ?? scope
      const key = `${target.host}|${wanted}`
      const token = this.fetchToken(tally, target, bearer.params, wanted)
      // Share one token request among concurrent inspections of the same repository.
      const shared = token.then(t => `Bearer ${t.token}`)
      // Nobody may await the shared copy; its rejection is handled through `token` below.
      shared.catch(() => undefined)
      this.tokens.set(key, { token: shared, expiresAt: Infinity, credential: found })
      try {
        const t = await token
        const authorization = `Bearer ${t.token}`
        const entry = {
          token: Promise.resolve(authorization),
          expiresAt: t.expiresAt,
          credential: found
        }
        this.tokens.set(key, entry)
        if (wanted !== scope) this.tokens.set(`${target.host}|${scope}`, entry)
        if (found) tally.credentialUsed = found
        return authorization
      } catch (err) {
        this.tokens.delete(key)
        throw err
      }
    }
    if (challenges.some(c => c.scheme === 'basic')) {
      if (!cred?.username || !cred.password) return undefined
      const authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`
      registerSecret(authorization)
      this.tokens.set(`${target.host}|basic`, {
        token: Promise.resolve(authorization),
        expiresAt: Infinity,
        credential: found
      })
      tally.credentialUsed = found
      return authorization
    }
    return undefined
  }

  private async fetchToken(
    tally: Tally,
    target: Target,
    params: Record<string, string>,
    scope: string
  ): Promise<{ token: string; expiresAt: number }> {
    const found = target.credential
    const cred = found?.credential
    // A registry token is the bearer token itself; no exchange needed.
    if (cred?.registryToken) return { token: cred.registryToken, expiresAt: Infinity }
    let realm: URL
    try {
      realm = new URL(params.realm)
    } catch {
      throw new InspectionFailure(
        'error',
        `${target.host} named an invalid token server "${params.realm}"`
      )
    }
    const realmHost = realm.host
    const headers: Record<string, string> = { Accept: 'application/json' }
    let ans: Answer
    if (cred?.identityToken) {
      // docker's OAuth2 refresh-token flow for identity tokens.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cred.identityToken,
        client_id: 'phase-gate',
        scope
      })
      if (params.service) form.set('service', params.service)
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      ans = await this.transport.send(tally, realm.toString(), headers, 'POST', form.toString())
    } else {
      if (params.service) realm.searchParams.set('service', params.service)
      realm.searchParams.set('scope', scope)
      if (cred?.username && cred.password) {
        const basic = Buffer.from(`${cred.username}:${cred.password}`).toString('base64')
        registerSecret(basic)
        headers.Authorization = `Basic ${basic}`
      }
      ans = await this.transport.send(tally, realm.toString(), headers)
    }
    if (ans.status === 401 || ans.status === 403) {
      throw new InspectionFailure(
        'unauthorized',
        found
          ? `the token server at ${realmHost} refused the credentials for ${found.key} from ${found.source} (${ans.status})`
          : `${this.noCredentials(target.mirrorOf ? `${target.host} (mirror of ${target.mirrorOf})` : target.host, target)} (its token server at ${realmHost} answered ${ans.status})`,
        { statusCode: ans.status }
      )
    }
    if (ans.status === 429) {
      const retryAfterMs = parseRetryAfter(ans.headers.get('retry-after'), this.clock.now())
      throw new InspectionFailure(
        'rate-limited',
        `the token server at ${realmHost} is rate-limiting (429)`,
        {
          statusCode: 429,
          ...(retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) })
        }
      )
    }
    if (ans.status !== 200) {
      throw new InspectionFailure(
        'error',
        `the token server at ${realmHost} answered ${ans.status}`,
        {
          statusCode: ans.status
        }
      )
    }
    const doc = parseJson<{ token?: string; access_token?: string; expires_in?: number }>(
      ans.body,
      'token answer'
    )
    const token = doc.token ?? doc.access_token
    if (!token)
      throw new InspectionFailure(
        'error',
        `the token server at ${realmHost} answered without a token`
      )
    registerSecret(token)
    // Tokens last at least 60 s (distribution's default); renew a little early.
    const lifetime = Math.max(60, Number(doc.expires_in) || 60)
    return { token, expiresAt: this.clock.now() + (lifetime - 10) * 1000 }
  }
}
