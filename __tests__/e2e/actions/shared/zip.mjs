// Zip archives as upload-artifact v4 writes them and download-artifact v4
// reads them (the artifact service stores and serves one zip per artifact):
// deflate or stored entries, CRC-32 checked on the way out, Unix modes kept.
// No ZIP64, no encryption: artifacts here are small reports.
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

const LOCAL = 0x04034b50
const CENTRAL = 0x02014b50
const END = 0x06054b50
const UTF8 = 0x0800
const STORED = 0
const DEFLATED = 8
// 1980-01-01 00:00, the DOS epoch: entries carry no time, so equal input gives equal bytes.
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

/**
 * A zip of the entries ({name, data, mode?}); `level` 0 stores, 1-9 deflates
 * (stored anyway where deflating does not shrink the entry).
 */
export function zipEntries(entries, { level = 6 } = {}) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name.replace(/\\/g, '/'), 'utf8')
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data)
    const crc = crc32(data)
    let method = STORED
    let body = data
    if (level > 0) {
      const deflated = deflateRawSync(data, { level })
      if (deflated.length < data.length) {
        method = DEFLATED
        body = deflated
      }
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(LOCAL, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(UTF8, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    locals.push(local, name, body)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(CENTRAL, 0)
    central.writeUInt16LE((3 << 8) | 20, 4) // made by Unix, zip 2.0
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(UTF8, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt16LE(DOS_TIME, 12)
    central.writeUInt16LE(DOS_DATE, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(((0o100000 | (e.mode ?? 0o644)) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(END, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** The file entries of a zip ({name, data, mode}); throws on a damaged archive. */
export function unzipEntries(zip) {
  let endAt = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END) {
      endAt = i
      break
    }
  }
  if (endAt < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = zip.readUInt16LE(endAt + 10)
  let at = zip.readUInt32LE(endAt + 16)
  const out = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`damaged central directory at ${at}`)
    const method = zip.readUInt16LE(at + 10)
    const crc = zip.readUInt32LE(at + 16)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const external = zip.readUInt32LE(at + 38)
    const localAt = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    at += 46 + nameLength + extraLength + commentLength
    if (name.endsWith('/')) continue
    if (zip.readUInt32LE(localAt) !== LOCAL) throw new Error(`damaged entry ${name}`)
    const start = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28)
    const body = zip.subarray(start, start + size)
    let data
    if (method === STORED) data = Buffer.from(body)
    else if (method === DEFLATED) data = inflateRawSync(body)
    else throw new Error(`${name}: compression method ${method} is not supported`)
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`)
    const mode = (external >>> 16) & 0o777
    out.push({ name, data, mode: mode || 0o644 })
  }
  return out
}
