/**
 * A parsed CEL expression as text and back, losslessly: the parser's
 * tree is plain objects (protobuf-es messages) with bigint ids and constants,
 * byte strings and fields left undefined, which JSON alone would drop or
 * refuse. Expressions known when phase-gate is built (the built-in hygiene
 * rules) are parsed and checked then, and a run revives the tree instead of
 * parsing it again (the parser was most of the hygiene kind's CPU).
 */

import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { ParsedExpr } from './expr.js'

type Tagged = { $n: string } | { $b: string } | { $u: 1 }

function encode(v: unknown, path: string): unknown {
  if (v === undefined) return { $u: 1 } satisfies Tagged
  if (typeof v === 'bigint') return { $n: v.toString() } satisfies Tagged
  if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString('base64') } satisfies Tagged
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map((x, i) => encode(x, `${path}[${i}]`))
  if (Object.getPrototypeOf(v) !== Object.prototype)
    throw new Error(`internal: cannot serialize ${path}: not a plain object`)
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = encode(x, `${path}.${k}`)
  return out
}

function decode(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(decode)
  const o = v as Record<string, unknown>
  if ('$n' in o) return BigInt(o.$n as string)
  if ('$b' in o) return new Uint8Array(Buffer.from(o.$b as string, 'base64'))
  if ('$u' in o) return undefined
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(o)) out[k] = decode(x)
  return out
}

// The JSON repeats its type names and keys on every node: deflated it is a
// tenth of the size, and inflating a tree takes microseconds.

/** The parsed expression as deflated JSON in base64 (throws on anything that is not plain data). */
export function serializeParsed(parsed: ParsedExpr): string {
  return deflateRawSync(JSON.stringify(encode(parsed, 'parsed')), { level: 9 }).toString('base64')
}

/** The parsed expression serializeParsed wrote. */
export function reviveParsed(text: string): ParsedExpr {
  return decode(
    JSON.parse(inflateRawSync(Buffer.from(text, 'base64')).toString('utf8'))
  ) as ParsedExpr
}
