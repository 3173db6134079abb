/**
 * `phase-gate history <plan>`: the past runs of the plan on its target —
 * when, verdict, phases, the versions (workload images) they deployed, the
 * state each reached — and the last known-good version the `code` rollback
 * level returns to. From the state record; versions a run did not note in
 * the index are read from its phase records.
 */

import type { PhaseRecord, RunSummary, StateIndex, StateRecord } from '../../lifecycle/record.js'
import type { Settings } from '../../settings.js'
import { columns, openRecord, readOrExplain, shortTime, type Connect } from './state-record.js'

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])

/** One run as history shows it. */
export interface HistoryRun {
  runId: string
  startedAt: string
  finishedAt?: string
  verdict?: string
  phases: string[]
  /** `Kind/name` → image of its first container. */
  images: Record<string, string>
  /** The last state a transition of this run reached. */
  state?: string
  lastKnownGood: boolean
}

/** What `history --json` prints. */
export interface HistoryView {
  plan: string
  namespace: string
  runs: HistoryRun[]
  lastKnownGood?: StateIndex['lastKnownGood']
  current?: { state?: string; since?: string }
}

/** Images of the workloads phase records applied (`Kind/name` → first container's image). */
export function imagesOfPhases(phases: PhaseRecord[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of phases)
    for (const o of p.objects) {
      if (!WORKLOADS.has(o.ref.kind) || !o.after) continue
      const spec = o.after.spec as
        { template?: { spec?: { containers?: { image?: string }[] } } } | undefined
      const image = spec?.template?.spec?.containers?.find(c => c.image)?.image
      if (image) out[`${o.ref.kind}/${o.ref.name}`] = image
    }
  return out
}

/** The history view of an index, reading versions from phase records where the index has none. */
export async function historyView(
  plan: string,
  namespace: string,
  index: StateIndex,
  record: Pick<StateRecord, 'readPhases'>
): Promise<HistoryView> {
  const lastState = new Map<string, string>()
  for (const h of index.history) lastState.set(h.runId, h.state)
  const runs = await Promise.all(
    index.runs.map(async (r: RunSummary): Promise<HistoryRun> => {
      const images =
        r.images && Object.keys(r.images).length
          ? r.images
          : imagesOfPhases(await record.readPhases(r.runId).catch(() => []))
      return {
        runId: r.runId,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        verdict: r.verdict,
        phases: r.phases,
        images,
        state: lastState.get(r.runId),
        lastKnownGood: index.lastKnownGood?.runId === r.runId
      }
    })
  )
  return {
    plan,
    namespace,
    runs,
    lastKnownGood: index.lastKnownGood,
    current: { state: index.state, since: index.stateSince }
  }
}

/** The view as terminal text, newest run first. */
export function renderHistory(v: HistoryView): string {
  const out: string[] = [
    `${v.plan} → ${v.namespace}: ${v.runs.length} run${v.runs.length === 1 ? '' : 's'} kept`
  ]
  if (v.current?.state) out.push(`now: ${v.current.state} since ${shortTime(v.current.since)}`)
  if (v.runs.length) {
    out.push('')
    const rows = [['  run', 'started', 'state', 'phases', 'versions']]
    for (const r of [...v.runs].reverse())
      rows.push([
        `${r.lastKnownGood ? '* ' : '  '}${r.runId}`,
        shortTime(r.startedAt),
        r.state ?? r.verdict ?? '-',
        r.phases.join(',') || '-',
        Object.entries(r.images)
          .map(([k, i]) => `${k}=${i}`)
          .join(' ') || '-'
      ])
    out.push(columns(rows))
  }
  out.push('')
  if (v.lastKnownGood) {
    const images = Object.entries(v.lastKnownGood.images ?? {}).map(([k, i]) => `${k}=${i}`)
    const revs = Object.entries(v.lastKnownGood.revisions ?? {}).map(([k, r]) => `${k}@${r}`)
    out.push(
      `* last known-good: run ${v.lastKnownGood.runId} (stable at ${shortTime(v.lastKnownGood.at)})${images.length ? `: ${images.join(' ')}` : ''}${revs.length ? ` (revisions ${revs.join(' ')})` : ''}`
    )
    out.push(
      '  the code rollback level returns to it: phase-gate check <plan> --gate rollback --level code'
    )
  } else
    out.push(
      'last known-good: none yet (a release becomes known-good when its soak makes it stable)'
    )
  return `${out.join('\n')}\n`
}

/** Runs `phase-gate history`; resolves to the exit code. */
export async function historyCommand(
  settings: Settings,
  out: (text: string) => void,
  opts: { json?: boolean; connect?: Connect } = {}
): Promise<number> {
  const open = await openRecord(settings, opts.connect)
  const index = await readOrExplain(open, () => open.record.readIndex())
  const view = await readOrExplain(open, () =>
    historyView(open.loaded.plan.name, open.namespace, index, open.record)
  )
  out(opts.json ? `${JSON.stringify(view, null, 2)}\n` : renderHistory(view))
  return 0
}
