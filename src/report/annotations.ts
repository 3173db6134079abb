/** Annotations on the plan file at the line of each failing or warning check. */

import type { RunReport } from './model.js'

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  title: string
  message: string
  file: string
  line: number
  column: number
}

/** One annotation per failed, errored or warning check that knows its plan line (GitHub shows at most 10 per level per step, so problems come first). */
export function collectAnnotations(report: RunReport): Annotation[] {
  const out: Annotation[] = []
  for (const g of report.gates)
    for (const c of g.checks) {
      if (!c.location) continue
      if (c.verdict !== 'fail' && c.verdict !== 'error' && c.verdict !== 'warn') continue
      out.push({
        level: c.verdict === 'warn' ? 'warning' : 'error',
        title: `phase-gate ${g.gate}: ${c.kind} ${c.target}`.slice(0, 200),
        message: [c.message, c.adjustment ? `What to do: ${c.adjustment}` : '']
          .filter(Boolean)
          .join('\n'),
        file: c.location.file,
        line: c.location.line,
        column: c.location.column
      })
    }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1))
}
