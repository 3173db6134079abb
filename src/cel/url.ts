/**
 * Kubernetes' URL library for CEL: `url(s)`, `isURL(s)` and the URL getters.
 *
 * Validation is Go's url.ParseRequestURI (an absolute URI or an absolute path, no fragment
 * handling), the components come from url.Parse, as in Kubernetes (library.URLs). The WHATWG URL
 * class would normalise hosts and paths and accept relative input, so this is a port of the Go rules.
 */
import { CelScalar, celFunc, celMethod, listType, mapType, type CelFunc } from '@bufbuild/cel'
import { OBJECT_TYPES, unwrapObject, wrapObject } from './object-types.js'
import { errorMessage } from '../core/errors.js'

/** The parts of a URL the getters return, as Go's net/url holds them. */
export interface ParsedUrl {
  scheme: string
  opaque: string
  host: string
  path: string
  rawPath: string
  rawQuery: string
}

// Characters Go leaves unescaped in a path (shouldEscape with encodePath).
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/

function hasControlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/** Go's url.unescape for paths and hosts: every % must start a valid escape. */
function unescape(s: string, plusIsSpace = false): string {
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '%') {
      const h = s.slice(i + 1, i + 3)
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) throw new Error(`invalid URL escape "${s.slice(i, i + 3)}"`)
      bytes.push(parseInt(h, 16))
      i += 2
    } else if (c === '+' && plusIsSpace) bytes.push(0x20)
    else bytes.push(...encoder.encode(c))
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

function escapePath(s: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte)
    out +=
      byte < 0x80 && PATH_SAFE.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

function getScheme(raw: string): { scheme: string; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (/[A-Za-z]/.test(c)) continue
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw }
      continue
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme')
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) }
    }
    return { scheme: '', rest: raw }
  }
  return { scheme: '', rest: raw }
}

const validOptionalPort = (port: string) => port === '' || /^:\d*$/.test(port)

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']')
    if (close < 0) throw new Error("missing ']' in host")
    const port = host.slice(close + 1)
    if (!validOptionalPort(port)) throw new Error(`invalid port "${port}" after host`)
  } else {
    const colon = host.lastIndexOf(':')
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
      throw new Error(`invalid port "${host.slice(colon)}" after host`)
    }
  }
  return unescape(host)
}

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@')
  const host = parseHost(authority.slice(at + 1))
  if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) {
    throw new Error('net/url: invalid userinfo')
  }
  return host
}

/** Go's url.parse: `viaRequest` is ParseRequestURI (absolute URI or absolute path only). */
function parse(raw: string, viaRequest: boolean): ParsedUrl {
  if (hasControlByte(raw)) throw new Error('net/url: invalid control character in URL')
  if (raw === '' && viaRequest) throw new Error('empty url')
  const url: ParsedUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' }
  if (raw === '*') return { ...url, path: '*' }
  const { scheme, rest: afterScheme } = getScheme(raw)
  url.scheme = scheme.toLowerCase()
  let rest = afterScheme
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1)
  else {
    const q = rest.indexOf('?')
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1)
      rest = rest.slice(0, q)
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest }
    if (viaRequest) throw new Error('invalid URI for request')
    if (rest.split('/')[0].includes(':'))
      throw new Error('first path segment in URL cannot contain colon')
  }
  if ((url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) {
      rest = authority.slice(slash)
      authority = authority.slice(0, slash)
    }
    url.host = parseAuthority(authority)
  }
  url.path = unescape(rest)
  url.rawPath = escapePath(url.path) === rest ? '' : rest
  return url
}

/** Parses a URL as Kubernetes' url() does; throws its error message. */
export function parseUrl(raw: string): ParsedUrl {
  try {
    parse(raw, true)
    const hash = raw.indexOf('#')
    return parse(hash >= 0 ? raw.slice(0, hash) : raw, false)
  } catch (err) {
    throw new Error(
      `URL parse error during conversion from string: parse "${raw}": ${errorMessage(err)}`,
      { cause: err }
    )
  }
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']')
    return close < 0 ? host.slice(1) : host.slice(1, close)
  }
  const colon = host.lastIndexOf(':')
  return colon < 0 ? host : host.slice(0, colon)
}

function port(host: string): string {
  const colon = host.lastIndexOf(':')
  if (colon < 0 || host.indexOf(']', colon) >= 0) return ''
  return /^\d*$/.test(host.slice(colon + 1)) ? host.slice(colon + 1) : ''
}

function escapedPath(url: ParsedUrl): string {
  if (url.rawPath !== '') {
    try {
      if (
        /^[A-Za-z0-9\-_.~$&+,/:;=@%!'()*[\]]*$/.test(url.rawPath) &&
        unescape(url.rawPath) === url.path
      )
        return url.rawPath
    } catch {
      // An invalid raw path falls back to escaping the decoded path, as Go does.
    }
  }
  return url.path === '*' ? '*' : escapePath(url.path)
}

/** Go's url.ParseQuery, skipping the pairs it would report errors for. */
function query(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue
    const eq = pair.indexOf('=')
    try {
      const key = unescape(eq < 0 ? pair : pair.slice(0, eq), true)
      const value = eq < 0 ? '' : unescape(pair.slice(eq + 1), true)
      out.set(key, [...(out.get(key) ?? []), value])
    } catch {
      continue
    }
  }
  return out
}

const U = OBJECT_TYPES.url
const { STRING, BOOL } = CelScalar
const get = (v: Parameters<typeof unwrapObject>[1]) => unwrapObject<ParsedUrl>('url', v)

/** url / isURL and the URL getters, as Kubernetes declares them (library.URLs). */
export const urlLibrary: CelFunc[] = [
  celFunc('url', [STRING], U, s => wrapObject('url', s, parseUrl(s))),
  celFunc('isURL', [STRING], BOOL, s => {
    try {
      parse(s, true)
      return true
    } catch {
      return false
    }
  }),
  celMethod('getScheme', U, [], STRING, function () {
    return get(this).scheme
  }),
  celMethod('getHost', U, [], STRING, function () {
    return get(this).host
  }),
  celMethod('getHostname', U, [], STRING, function () {
    return hostname(get(this).host)
  }),
  celMethod('getPort', U, [], STRING, function () {
    return port(get(this).host)
  }),
  celMethod('getEscapedPath', U, [], STRING, function () {
    return escapedPath(get(this))
  }),
  celMethod('getQuery', U, [], mapType(STRING, listType(STRING)), function () {
    return query(get(this).rawQuery)
  })
]
