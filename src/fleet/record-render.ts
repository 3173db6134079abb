/**
 * The fleet record as Markdown: the job summary and the sticky PR comment
 * (a cluster × wave table, the waves with their approvers, each cluster's
 * images, failed checks and rollback proof, the halt, the timeline).
 */

import { VERDICT_ICON, cell, escapeText, textCell } from '../report/markdown.js'
import type { FleetRecord, FleetRecordCluster } from './record.js'

/** The fleet comment's own marker: one sticky comment per plan, apart from the single-cluster comments. */
export function fleetCommentMarker(plan: string): string {
  return `<!-- phase-gate:fleet-record;plan=${encodeURIComponent(plan)} -->`
}

const short = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12)

function clusterCell(c: FleetRecordCluster): string {
  const digests = [...new Set(c.images.flatMap(i => (i.digest ? [short(i.digest)] : [])))]
  const parts = [`${VERDICT_ICON[c.verdict]} ${c.verdict}`]
  const failed = c.gates.filter(g => g.failed.length || g.verdict === 'fail').map(g => g.gate)
  if (failed.length) parts.push(`failed: ${[...new Set(failed)].join(', ')}`)
  if (c.rollback) parts.push(`rolled back ${VERDICT_ICON[c.rollback.verdict]}`)
  if (digests.length) parts.push(digests.map(d => `\`${d}\``).join(' '))
  return parts.map(p => cell(p)).join('<br>')
}

/** The cluster × wave table: a row per cluster, a column per wave, the cluster's cell in its wave's column. */
export function renderClusterWaveTable(record: FleetRecord): string[] {
  const head = `| cluster | ${record.waves.map(w => `${VERDICT_ICON[w.verdict]} ${textCell(w.name, ' ')}`).join(' | ')} |`
  const rule = `|---|${record.waves.map(() => '---').join('|')}|`
  const rows = record.clusters.map(
    c =>
      `| ${textCell(c.name, ' ')} | ${record.waves.map(w => (w.name === c.wave ? clusterCell(c) : '·')).join(' | ')} |`
  )
  return [head, rule, ...rows]
}

function clusterDetails(c: FleetRecordCluster): string[] {
  const lines = [
    `### ${VERDICT_ICON[c.verdict]} ${escapeText(c.name)} (wave ${escapeText(c.wave)}, ${escapeText(c.context)}/${escapeText(c.namespace)})`,
    ''
  ]
  if (c.images.length) {
    lines.push('| container | image | digest |', '|---|---|---|')
    for (const i of c.images)
      lines.push(
        `| ${textCell(i.container, ' ')} | ${textCell(i.image, ' ')} | ${i.digest ? `\`${i.digest}\`` : 'unknown'} |`
      )
    lines.push('')
  }
  lines.push(
    `Gates: ${c.gates.map(g => `${VERDICT_ICON[g.verdict]} ${g.gate}${g.name ? ` ${escapeText(g.name)}` : ''}`).join(' · ') || 'none ran'}`
  )
  for (const g of c.gates)
    for (const f of g.failed) lines.push(`- ${g.gate}: ${escapeText(f).replace(/\r?\n/g, ' ')}`)
  if (c.rollback) {
    lines.push('', `Rollback ${VERDICT_ICON[c.rollback.verdict]} ${c.rollback.verdict}:`)
    for (const p of c.rollback.proof) lines.push(`- ✅ ${escapeText(p).replace(/\r?\n/g, ' ')}`)
    for (const f of c.rollback.failed) lines.push(`- ❌ ${escapeText(f).replace(/\r?\n/g, ' ')}`)
  }
  lines.push('')
  return lines
}

/** The whole record as Markdown. */
export function renderFleetRecord(record: FleetRecord, opts: { marker?: boolean } = {}): string {
  const lines: string[] = []
  if (opts.marker) lines.push(fleetCommentMarker(record.plan))
  lines.push(
    `## ${VERDICT_ICON[record.verdict]} phase-gate fleet record: ${escapeText(record.plan)} — ${record.verdict}`,
    '',
    `Run \`${record.runId}\` · ${record.startedAt} → ${record.finishedAt} · onHalt: ${record.onHalt}`,
    '',
    ...renderClusterWaveTable(record),
    '',
    '| # | wave | verdict | approver | started | finished |',
    '|---|---|---|---|---|---|',
    ...record.waves.map(
      w =>
        `| ${w.index} | ${textCell(w.name, ' ')} | ${VERDICT_ICON[w.verdict]} ${w.verdict} | ${textCell(w.approver, ' ')} | ${w.startedAt ?? '–'} | ${w.finishedAt ?? '–'} |`
    ),
    ''
  )
  for (const w of record.waves)
    for (const n of w.notes) lines.push(`- Wave ${escapeText(w.name)}: ${escapeText(n)}`)
  if (record.halt) {
    lines.push(
      '',
      `**Halted** in wave ${escapeText(record.halt.wave)}: ${escapeText(record.halt.reason)} (onHalt: ${record.halt.onHalt})`
    )
    if (record.halt.commands?.length)
      lines.push('', 'Roll back by hand:', '', '```sh', ...record.halt.commands, '```')
  }
  lines.push('', ...record.clusters.flatMap(clusterDetails))
  lines.push(
    '<details><summary>Timeline</summary>',
    '',
    '| at | wave | cluster | event |',
    '|---|---|---|---|',
    ...record.timeline.map(
      e =>
        `| ${e.at} | ${textCell(e.wave, ' ')} | ${e.cluster ? textCell(e.cluster, ' ') : ''} | ${textCell(e.event, ' ')} |`
    ),
    '',
    '</details>'
  )
  return `${lines.join('\n')}\n`
}
