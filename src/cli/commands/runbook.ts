/**
 * `phase-gate runbook <plan> [--reports DIR]`: the runbook as Markdown on
 * stdout, with the reality check's findings when the earlier gates' JSON
 * reports are given. Needs no cluster. The date is today's, or
 * SOURCE_DATE_EPOCH's (reproducible output for a committed runbook).
 */

import { loadValidPlan } from '../../engine.js'
import { readReportsDir } from '../../report/reports-dir.js'
import { renderRunbook, runbookDate, runbookInput } from '../../report/runbook.js'
import type { Settings } from '../../settings.js'

/** Runs `phase-gate runbook`; resolves to the exit code. */
export async function runbookCommand(
  settings: Settings,
  out: (text: string) => void,
  opts: { env?: Record<string, string | undefined> } = {}
): Promise<number> {
  const loaded = await loadValidPlan(settings)
  const reports = settings.reportsDir
    ? (await readReportsDir(settings.reportsDir, loaded.plan.name)).reports.map(r => r.report)
    : undefined
  const input = await runbookInput(loaded, {
    workspace: settings.workspace,
    namespace: settings.namespace,
    date: runbookDate(opts.env ?? process.env),
    reports
  })
  out(renderRunbook(input))
  return 0
}
