/**
 * Kubernetes' IP and CIDR libraries for CEL (library.IP, library.CIDR, Kubernetes 1.30+):
 * `ip(s)`, `isIP(s)`, `ip.isCanonical(s)`, `cidr(s)`, `isCIDR(s)`, `string(x)` and their methods.
 * Parsing follows Go's net/netip as Kubernetes uses it: no zones, no IPv4-mapped IPv6 addresses,
 * no leading zeros in IPv4 octets; the canonical form is netip's (RFC 5952 for IPv6).
 */
import { CelScalar, celFunc, celMethod, type CelFunc } from '@bufbuild/cel'
import { OBJECT_TYPES, unwrapObject, wrapObject } from './object-types.js'

/** An IP address: its 32 or 128 bits. */
export interface IpValue {
  readonly family: 4 | 6
  readonly bits: bigint
}

/** A CIDR prefix: the address as written and the prefix length. */
export interface CidrValue {
  readonly addr: IpValue
  readonly prefix: number
}

const width = (ip: IpValue) => (ip.family === 4 ? 32 : 128)

function parseIPv4(s: string): bigint | undefined {
  const octets = s.split('.')
  if (octets.length !== 4) return undefined
  let out = 0n
  for (const o of octets) {
    if (!/^\d{1,3}$/.test(o) || (o.length > 1 && o[0] === '0') || Number(o) > 255) return undefined
    out = (out << 8n) | BigInt(o)
  }
  return out
}

function parseIPv6(s: string): bigint | undefined {
  let text = s
  const tail: bigint[] = []
  const lastColon = text.lastIndexOf(':')
  const last = text.slice(lastColon + 1)
  if (last.includes('.')) {
    // An embedded IPv4 address is the last two groups.
    const v4 = parseIPv4(last)
    if (v4 === undefined) return undefined
    tail.push(v4 >> 16n, v4 & 0xffffn)
    text = text.slice(0, lastColon + 1)
    if (!text.endsWith('::')) text = text.slice(0, -1)
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groups(halves[0])
  const rest = halves.length === 2 ? groups(halves[1]) : []
  if ([...head, ...rest].some(g => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined
  const given = head.length + rest.length + tail.length
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined
  const all = [
    ...head.map(g => BigInt(parseInt(g, 16))),
    ...Array<bigint>(8 - given).fill(0n),
    ...rest.map(g => BigInt(parseInt(g, 16))),
    ...tail
  ]
  return all.reduce((acc, g) => (acc << 16n) | g, 0n)
}

const is4In6 = (ip: IpValue) => ip.family === 6 && ip.bits >> 32n === 0xffffn

/** Parses an IP address as Kubernetes does; throws its messages. */
export function parseIp(raw: string): IpValue {
  if (raw.includes('%')) throw new Error(`IP address "${raw}" with zone value is not allowed`)
  const v4 = raw.includes(':') ? undefined : parseIPv4(raw)
  const ip: IpValue | undefined =
    v4 !== undefined ? { family: 4, bits: v4 } : raw.includes(':') ? bits6(raw) : undefined
  if (!ip)
    throw new Error(
      `IP Address "${raw}" parse error during conversion from string: ParseAddr("${raw}"): unable to parse IP`
    )
  if (is4In6(ip)) throw new Error(`IPv4-mapped IPv6 address "${raw}" is not allowed`)
  return ip
}

function bits6(raw: string): IpValue | undefined {
  const bits = parseIPv6(raw)
  return bits === undefined ? undefined : { family: 6, bits }
}

/** netip's canonical text: dotted IPv4, RFC 5952 IPv6. */
export function formatIp(ip: IpValue): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map(s => String((ip.bits >> s) & 0xffn)).join('.')
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((ip.bits >> BigInt(112 - 16 * i)) & 0xffffn)
  )
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

function inPrefix(ip: IpValue, net: bigint, prefix: number, family: 4 | 6): boolean {
  if (ip.family !== family) return false
  const shift = BigInt(width(ip) - prefix)
  return ip.bits >> shift === net >> shift
}

const isLoopback = (ip: IpValue) =>
  ip.family === 4 ? inPrefix(ip, 127n << 24n, 8, 4) : ip.bits === 1n
const isMulticast = (ip: IpValue) =>
  ip.family === 4 ? inPrefix(ip, 224n << 24n, 4, 4) : inPrefix(ip, 0xffn << 120n, 8, 6)
const isLinkLocalUnicast = (ip: IpValue) =>
  ip.family === 4
    ? inPrefix(ip, (169n << 24n) | (254n << 16n), 16, 4)
    : inPrefix(ip, 0xfe80n << 112n, 10, 6)
const isLinkLocalMulticast = (ip: IpValue) =>
  ip.family === 4 ? inPrefix(ip, 224n << 24n, 24, 4) : ((ip.bits >> 112n) & 0xff0fn) === 0xff02n
const isGlobalUnicast = (ip: IpValue) => {
  if (ip.family === 4 && (ip.bits === 0n || ip.bits === 0xffffffffn)) return false
  return ip.bits !== 0n && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip)
}

/** Parses a CIDR as Kubernetes does; throws its messages. */
export function parseCidr(raw: string): CidrValue {
  const fail = (why: string): never => {
    throw new Error(
      `network address parse error during conversion from string: netip.ParsePrefix("${raw}"): ${why}`
    )
  }
  const slash = raw.lastIndexOf('/')
  if (slash < 0) fail("no '/'")
  const addrText = raw.slice(0, slash)
  if (addrText.includes('%')) fail('IPv6 zones cannot be present in a prefix')
  const bitsText = raw.slice(slash + 1)
  let addr: IpValue | undefined
  const v4 = addrText.includes(':') ? undefined : parseIPv4(addrText)
  if (v4 !== undefined) addr = { family: 4, bits: v4 }
  else if (addrText.includes(':')) addr = bits6(addrText)
  if (!addr) return fail(`ParseAddr("${addrText}"): unable to parse IP`)
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || Number(bitsText) > width(addr))
    fail(`bad bits after slash: "${bitsText}"`)
  if (is4In6(addr)) throw new Error(`IPv4-mapped IPv6 address "${raw}" is not allowed`)
  return { addr, prefix: Number(bitsText) }
}

function masked(c: CidrValue): CidrValue {
  const shift = BigInt(width(c.addr) - c.prefix)
  return {
    addr: { family: c.addr.family, bits: (c.addr.bits >> shift) << shift },
    prefix: c.prefix
  }
}

const ipKey = (ip: IpValue) => `${ip.family}:${ip.bits}`
const ipValue = (ip: IpValue) => wrapObject('ip', ipKey(ip), ip, formatIp(ip))
const cidrText = (c: CidrValue) => `${formatIp(c.addr)}/${c.prefix}`
const cidrValue = (c: CidrValue) =>
  wrapObject('cidr', `${ipKey(c.addr)}/${c.prefix}`, c, cidrText(c))
const succeeds = (parse: () => unknown) => {
  try {
    parse()
    return true
  } catch {
    return false
  }
}

const IP = OBJECT_TYPES.ip
const CIDR = OBJECT_TYPES.cidr
const { STRING, BOOL, INT } = CelScalar
const getIp = (v: Parameters<typeof unwrapObject>[1]) => unwrapObject<IpValue>('ip', v)
const getCidr = (v: Parameters<typeof unwrapObject>[1]) => unwrapObject<CidrValue>('cidr', v)

function containsCidr(outer: CidrValue, inner: CidrValue): boolean {
  return (
    outer.prefix <= inner.prefix &&
    inPrefix(inner.addr, outer.addr.bits, outer.prefix, outer.addr.family)
  )
}

/** The ip and cidr functions, as Kubernetes declares them. */
export const ipLibrary: CelFunc[] = [
  celFunc('ip', [STRING], IP, s => ipValue(parseIp(s))),
  celFunc('isIP', [STRING], BOOL, s => succeeds(() => parseIp(s))),
  celFunc('ip.isCanonical', [STRING], BOOL, s => formatIp(parseIp(s)) === s),
  celFunc('string', [IP], STRING, ip => formatIp(getIp(ip))),
  celMethod('family', IP, [], INT, function () {
    return BigInt(getIp(this).family)
  }),
  celMethod('isUnspecified', IP, [], BOOL, function () {
    return getIp(this).bits === 0n
  }),
  celMethod('isLoopback', IP, [], BOOL, function () {
    return isLoopback(getIp(this))
  }),
  celMethod('isLinkLocalMulticast', IP, [], BOOL, function () {
    return isLinkLocalMulticast(getIp(this))
  }),
  celMethod('isLinkLocalUnicast', IP, [], BOOL, function () {
    return isLinkLocalUnicast(getIp(this))
  }),
  celMethod('isGlobalUnicast', IP, [], BOOL, function () {
    return isGlobalUnicast(getIp(this))
  }),
  celFunc('cidr', [STRING], CIDR, s => cidrValue(parseCidr(s))),
  celFunc('isCIDR', [STRING], BOOL, s => succeeds(() => parseCidr(s))),
  celFunc('string', [CIDR], STRING, c => cidrText(getCidr(c))),
  celMethod('containsIP', CIDR, [IP], BOOL, function (ip) {
    const c = getCidr(this)
    return inPrefix(getIp(ip), c.addr.bits, c.prefix, c.addr.family)
  }),
  celMethod('containsIP', CIDR, [STRING], BOOL, function (s) {
    const c = getCidr(this)
    return inPrefix(parseIp(s), c.addr.bits, c.prefix, c.addr.family)
  }),
  celMethod('containsCIDR', CIDR, [CIDR], BOOL, function (other) {
    return containsCidr(getCidr(this), getCidr(other))
  }),
  celMethod('containsCIDR', CIDR, [STRING], BOOL, function (s) {
    return containsCidr(getCidr(this), parseCidr(s))
  }),
  celMethod('ip', CIDR, [], IP, function () {
    return ipValue(getCidr(this).addr)
  }),
  celMethod('masked', CIDR, [], CIDR, function () {
    return cidrValue(masked(getCidr(this)))
  }),
  celMethod('prefixLength', CIDR, [], INT, function () {
    return BigInt(getCidr(this).prefix)
  })
]
