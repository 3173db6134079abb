/** Types of zip.mjs (the artifact stand-ins' zip writer and reader). */

export interface ZipEntry {
  name: string
  data: Buffer
  /** Unix permission bits, 0o644 when the archive has none. */
  mode?: number
}

export function zipEntries(entries: ZipEntry[], opts?: { level?: number }): Buffer
export function unzipEntries(zip: Buffer): Required<ZipEntry>[]
