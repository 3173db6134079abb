/**
 * The one reader of a reports directory (`reports-dir`: the downloaded
 * artifacts of earlier jobs), for the plan and record gates and the runbook.
 */

import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { errorMessage } from '../core/errors.js'
import type { RunReport } from './model.js'

const MAX_REPORT_BYTES = 20 << 20
// download-artifact makes one directory per artifact; a merged download or a nested path adds a level or two.
const MAX_DEPTH = 3

/** True when a parsed JSON value is a phase-gate RunReport. */
export function isRunReport(v: unknown): v is RunReport {
  if (!v || typeof v !== 'object') return false
  const r = v as Partial<RunReport>
  return (
    r.schemaVersion === 1 &&
    r.tool?.name === 'phase-gate' &&
    typeof r.plan === 'string' &&
    typeof r.runId === 'string' &&
    Array.isArray(r.gates)
  )
}

/** The reports of one plan in a directory and its subdirectories (download-artifact makes one per artifact); other files are listed as skipped. */
/** The run attempt in a downloaded artifact's directory name (`phase-gate-report-<job>-<attempt>/...`). */
export function artifactAttempt(file: string): number | undefined {
  const dir = file.split(/[\\/]/)[0]
  const m = /^phase-gate-report-.+-(\d+)$/.exec(dir)
  return m && file.includes('/') ? Number(m[1]) : undefined
}

export async function readReportsDir(
  dir: string,
  plan: string
): Promise<{
  reports: { file: string; report: RunReport }[]
  skipped: { file: string; why: string }[]
}> {
  const reports: { file: string; report: RunReport }[] = []
  const skipped: { file: string; why: string }[] = []
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true })
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, e.name)
      const shown = relative(dir, path) || e.name
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1)
        continue
      }
      if (!e.isFile() || !e.name.endsWith('.json')) continue
      try {
        if ((await stat(path)).size > MAX_REPORT_BYTES) {
          skipped.push({ file: shown, why: 'larger than 20 MB' })
          continue
        }
        const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
        if (!isRunReport(parsed)) {
          // record.json and other artifacts sit beside the reports; they are not errors.
          skipped.push({ file: shown, why: 'not a phase-gate report' })
          continue
        }
        if (parsed.plan !== plan) {
          skipped.push({ file: shown, why: `a report of plan ${parsed.plan}` })
          continue
        }
        const attempt = artifactAttempt(shown)
        if (attempt !== undefined && parsed.runAttempt === undefined) parsed.runAttempt = attempt
        reports.push({ file: shown, report: parsed })
      } catch (err) {
        skipped.push({ file: shown, why: `unreadable: ${errorMessage(err)}` })
      }
    }
  }
  await walk(dir, 0)
  return { reports, skipped }
}
