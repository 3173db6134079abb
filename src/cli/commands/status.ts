/**
 * `phase-gate status <plan>`: the deployment state of the plan's target as
 * its state record holds it, the check that put it there, its history, the
 * soak's progress and the last known-good version. Reads, never changes.
 */

import { type StateIndex } from '../../lifecycle/record.js'
import { STATE_CHECKS } from '../../lifecycle/states.js'
import type { Settings } from '../../settings.js'
import { ago, columns, openRecord, readOrExplain, shortTime, type Connect } from './state-record.js'

/** The soak summary the soak gate keeps in the index (`extra.soak`). */
interface SoakSummary {
  release?: string
  status?: string
  startedAt?: string
  windowMs?: number
  samples?: number
  lastSampleAt?: string
  firstBadAt?: string
  decidedAt?: string
  violations?: string[]
}

/** What `status --json` prints. */
export interface StatusView {
  plan: string
  namespace: string
  record: string
  state: string | null
  since?: string
  /** The check that moves a deployment into the current state. */
  provenBy?: string
  history: StateIndex['history']
  soak?: SoakSummary
  lastKnownGood?: StateIndex['lastKnownGood']
}

/** Builds the view of a state index. */
export function statusView(
  plan: string,
  namespace: string,
  recordName: string,
  index: StateIndex
): StatusView {
  return {
    plan,
    namespace,
    record: recordName,
    state: index.state ?? null,
    since: index.stateSince,
    provenBy: index.state ? STATE_CHECKS[index.state] : undefined,
    history: index.history,
    soak: index.extra?.soak as SoakSummary | undefined,
    lastKnownGood: index.lastKnownGood
  }
}

function minutes(ms: number | undefined): string {
  if (ms === undefined) return '?'
  return ms >= 3_600_000
    ? `${+(ms / 3_600_000).toFixed(1)}h`
    : ms >= 60_000
      ? `${+(ms / 60_000).toFixed(1)}m`
      : `${+(ms / 1000).toFixed(1)}s`
}

/** The view as terminal text. */
export function renderStatus(v: StatusView, now: number): string {
  const out: string[] = [`${v.plan} → ${v.namespace} (state record ConfigMap ${v.record})`]
  if (!v.state) {
    out.push('state: none yet: phase-gate has not deployed this plan to this namespace')
    return `${out.join('\n')}\n`
  }
  out.push(`state: ${v.state} since ${shortTime(v.since)} (${ago(v.since, now)})`)
  if (v.provenBy) out.push(`  proven by ${v.provenBy}`)
  if (v.soak?.release) {
    const s = v.soak
    out.push(
      `soak: release ${s.release} ${s.status ?? '?'}: ${s.samples ?? 0} sample${s.samples === 1 ? '' : 's'} since ${shortTime(s.startedAt)} (window ${minutes(s.windowMs)}), last ${shortTime(s.lastSampleAt)}${s.decidedAt ? `, decided ${shortTime(s.decidedAt)}` : ''}`
    )
    if (s.firstBadAt) out.push(`  first bad sample ${shortTime(s.firstBadAt)}`)
    for (const x of s.violations ?? []) out.push(`  violation: ${x}`)
  }
  if (v.lastKnownGood) {
    const images = Object.entries(v.lastKnownGood.images ?? {}).map(([k, i]) => `${k} ${i}`)
    out.push(
      `last known-good: run ${v.lastKnownGood.runId} at ${shortTime(v.lastKnownGood.at)}${images.length ? ` (${images.join(', ')})` : ''}`
    )
  } else
    out.push(
      'last known-good: none yet (a release becomes known-good when its soak makes it stable)'
    )
  out.push('', 'history (oldest first):')
  out.push(
    columns(v.history.map(h => ['  ' + shortTime(h.at), h.state, `run ${h.runId}`, h.reason ?? '']))
  )
  return `${out.join('\n')}\n`
}

/** Runs `phase-gate status`; resolves to the exit code. */
export async function statusCommand(
  settings: Settings,
  out: (text: string) => void,
  opts: { json?: boolean; connect?: Connect; now?: number } = {}
): Promise<number> {
  const open = await openRecord(settings, opts.connect)
  const index = await readOrExplain(open, () => open.record.readIndex())
  const view = statusView(open.loaded.plan.name, open.namespace, open.record.indexName, index)
  out(opts.json ? `${JSON.stringify(view, null, 2)}\n` : renderStatus(view, opts.now ?? Date.now()))
  return 0
}
