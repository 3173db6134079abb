/**
 * The canary judge in Markdown: the stage's comparisons (from the rollout
 * gate's `details.judge`) for the job summary and the PR comment, and the
 * judge's settings with the least traffic each stage needs (from the plan
 * view) for the plan gate and the runbook. Renders the result model only:
 * every number was computed by src/rollout/judge/.
 */

import { formatDuration } from '../core/duration.js'
import type { JudgePlanView } from '../rollout/judge/plan.js'
import { VERDICT_ICON, textCell } from './markdown.js'
import type { Verdict } from './model.js'

// Names come from the plan: they must not open HTML, break a table or ping anyone.
const cellText = (s: string): string => textCell(s, ' ')

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const pct = (v: unknown): string => (isNum(v) ? `${+(v * 100).toPrecision(3)}%` : '∞')
const num = (v: unknown, lowEnd = false): string =>
  isNum(v) ? `${+v.toPrecision(4)}` : lowEnd ? '−∞' : '+∞'

/** The one verdict-icon table's icon; an unknown verdict has none. */
function verdictIcon(v: string | undefined): string {
  return v !== undefined && Object.hasOwn(VERDICT_ICON, v) ? VERDICT_ICON[v as Verdict] : ''
}

interface Track {
  failures?: number
  total?: number
  ratio?: number
  samples?: number
  median?: number
}

/** One comparison as the rollout gate reports it in `details.judge.comparisons`. */
interface JudgedRow {
  name?: string
  test?: string
  verdict?: string
  canary?: Track
  stable?: Track
  estimate?: number
  interval?: (number | null)[]
  confidence?: number
  threshold?: number
  worseBy?: string
  stillNeeded?: number | { canary: number; stable: number }
}

function trackCell(test: string | undefined, t: Track | undefined): string {
  if (!t) return '—'
  return test === 'proportion'
    ? `${t.failures ?? 0}/${t.total ?? 0} (${pct(t.ratio)})`
    : `${t.samples ?? 0} samples, median ${num(t.median)}`
}

/** The stage's judge as a table: both tracks, the estimate, its interval, the verdict, what is still needed. */
export function renderJudgeTable(judge: unknown): string[] {
  const rows = (judge as { comparisons?: JudgedRow[] } | undefined)?.comparisons
  if (!Array.isArray(rows) || rows.length === 0) return []
  const out = [
    '| Comparison | Canary | Stable | Canary worse by | Interval | worseBy | Verdict | Still needed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |'
  ]
  for (const r of rows) {
    const prop = r.test === 'proportion'
    const f = prop ? pct : (v: unknown, low?: boolean) => num(v, low)
    const [lo, hi] = r.interval ?? []
    const conf = isNum(r.confidence) ? ` (${+(r.confidence * 100).toPrecision(4)}% each end)` : ''
    const need =
      r.verdict !== 'inconclusive' || r.stillNeeded === undefined
        ? '—'
        : typeof r.stillNeeded === 'number'
          ? `${r.stillNeeded} samples per track`
          : `${r.stillNeeded.canary} canary requests (${r.stillNeeded.stable} stable)`
    out.push(
      `| ${cellText(r.name ?? '?')} (${cellText(r.test ?? '?')}) | ${trackCell(r.test, r.canary)} | ${trackCell(r.test, r.stable)} | ${f(r.estimate)} | ${f(lo, true)} … ${f(hi)}${conf} | ${prop ? pct(r.threshold) : `${num(r.threshold)} (${cellText(r.worseBy ?? '')})`} | ${verdictIcon(r.verdict)} ${r.verdict ?? '?'} | ${need} |`
    )
  }
  out.push('')
  return out
}

/** The judge's settings and the least traffic each stage needs, for the plan and the runbook. */
export function renderJudgePlan(view: JudgePlanView | undefined): string[] {
  if (!view) return []
  const out = ['Judged against the stable track at each stage (rollout.judge):', '']
  out.push('| Comparison | Test | Reads | worseBy | Confidence | minSamples |')
  out.push('| --- | --- | --- | --- | --- | --- |')
  for (const c of view.comparisons)
    out.push(
      `| ${cellText(c.name)} | ${c.test} | ${cellText(c.reads)} | ${cellText(c.worseBy)} | ${c.confidence} | ${c.minSamples ?? '—'} |`
    )
  out.push('')
  const onInc = {
    hold: 'holds for evidence up to the stage’s maxHold, then fails (the canary back to 0 %)',
    fail: 'fails at the end of the hold (the canary goes to 0 %)',
    promote: 'is promoted anyway at the end of the hold (without the evidence)'
  }[view.onInconclusive]
  out.push(
    `A fail moves the canary to 0 % at once; a stage passes only when every comparison passes; a stage still inconclusive ${onInc} (onInconclusive: ${view.onInconclusive}).`,
    ''
  )
  out.push(
    view.expectedRps !== undefined
      ? `Least traffic each stage needs before any comparison can pass, at the expected ${view.expectedRps} requests/s:`
      : 'Least traffic each stage needs before any comparison can pass (set `rollout.expectedRps` to see how long that takes):',
    ''
  )
  out.push(
    '| Stage | Weight | Hold / maxHold | Canary requests | Samples per track | Takes | Fits |'
  )
  out.push('| --- | --- | --- | --- | --- | --- | --- |')
  for (const s of view.stages) {
    const hold = `${formatDuration(s.holdMs)} / ${formatDuration(s.maxHoldMs)}`
    if (s.notJudged) {
      out.push(
        `| ${cellText(s.stage)} | ${s.weight} % | ${hold} | not judged: ${s.notJudged} | | | |`
      )
      continue
    }
    const takes =
      s.neededMs !== undefined
        ? `${formatDuration(s.neededMs)}${s.canaryRps !== undefined ? ` at ${+s.canaryRps.toPrecision(3)} canary req/s` : ''}`
        : '—'
    const fits =
      s.fitsHold === undefined
        ? '—'
        : s.fitsHold
          ? '✅ within the hold'
          : s.fitsMaxHold
            ? '⚠️ only by holding past the hold'
            : '❌ not even by maxHold: inconclusive'
    out.push(
      `| ${cellText(s.stage)} | ${s.weight} % | ${hold} | ${s.minCanaryRequests ?? '—'} | ${s.minSamples ?? '—'} | ${takes} | ${fits} |`
    )
  }
  out.push(
    '',
    'These are the least: with failures, or with the tracks' +
      ' differing, a comparison needs more (an inconclusive stage says how much more).',
    ''
  )
  return out
}
